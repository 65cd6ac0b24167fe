//! The portal's answer bot (DESIGN §3.6): a conversation of customer questions and bot
//! replies. The bot answers with the best public article when it is clearly ahead of the
//! rest, otherwise offers the top candidates to choose from; "this did not help" leads to a
//! public SOP flow or to a hand-over that registers a ticket with the transcript attached.
//! Owns the decision rule and the conversation; retrieval is the search index's job.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The best hit answers on its own when its score is at least this multiple of the next.
pub const LEAD: f32 = 1.35;
/// How many candidates the bot offers.
pub const CANDIDATES: usize = 3;
/// Questions per conversation before the bot suggests a hand-over.
pub const MAX_QUESTIONS: usize = 20;

/// A document the bot can point to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pick {
    /// Article or flow id.
    pub id: Uuid,
    /// Its title (as shown when the turn happened).
    pub title: String,
}

/// What the bot says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum BotReply {
    /// This article answers it.
    Answer {
        /// The article.
        article: Pick,
    },
    /// One of these might; which one?
    Choose {
        /// Candidates, best first.
        candidates: Vec<Pick>,
    },
    /// Nothing found: rephrase, or hand over.
    NoAnswer,
    /// A self-service flow may solve it.
    OfferFlow {
        /// The flow.
        flow: Pick,
    },
}

/// One turn of the conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "turn", rename_all = "snake_case")]
pub enum Turn {
    /// The customer asked.
    Asked {
        /// The question.
        text: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The bot replied.
    Replied {
        /// The reply.
        reply: BotReply,
        /// When.
        at: DateTime<Utc>,
    },
    /// The customer chose a candidate.
    Chose {
        /// The article.
        article: Pick,
        /// When.
        at: DateTime<Utc>,
    },
    /// The customer said whether the last answer helped.
    Feedback {
        /// Helped.
        helpful: bool,
        /// When.
        at: DateTime<Utc>,
    },
}

/// How a conversation stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ConversationStatus {
    /// Going on.
    Open,
    /// The customer said an answer helped.
    Solved,
    /// Handed over: a ticket was registered.
    HandedOver {
        /// The ticket number.
        ticket: String,
    },
}

/// A conversation with the bot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// Turns in order.
    pub turns: Vec<Turn>,
    /// Where it stands.
    pub status: ConversationStatus,
}

/// Why a conversation step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum BotError {
    /// The conversation is over.
    #[error("the conversation is over")]
    Closed,
    /// Empty or longer than 500 characters.
    #[error("a question has 1 to 500 characters")]
    Question,
    /// Too many questions: hand over instead.
    #[error("too many questions in one conversation")]
    TooLong,
    /// Not one of the offered candidates.
    #[error("not one of the offered answers")]
    NotOffered,
    /// Feedback without an answer to give it on.
    #[error("no answer to rate yet")]
    NothingToRate,
}

/// The bot's reply to ranked article hits `(pick, score)`, best first.
pub fn decide(hits: &[(Pick, f32)]) -> BotReply {
    match hits {
        [] => BotReply::NoAnswer,
        [(best, _)] => BotReply::Answer {
            article: best.clone(),
        },
        [(best, top), (_, next), ..] if *top >= LEAD * *next => BotReply::Answer {
            article: best.clone(),
        },
        _ => BotReply::Choose {
            candidates: hits
                .iter()
                .take(CANDIDATES)
                .map(|(p, _)| p.clone())
                .collect(),
        },
    }
}

impl Default for Conversation {
    fn default() -> Self {
        Conversation::new()
    }
}

impl Conversation {
    /// An empty, open conversation.
    pub fn new() -> Conversation {
        Conversation {
            turns: Vec::new(),
            status: ConversationStatus::Open,
        }
    }

    fn open(&self) -> Result<(), BotError> {
        match self.status {
            ConversationStatus::Open => Ok(()),
            _ => Err(BotError::Closed),
        }
    }

    /// The customer asks; `hits` are the ranked public articles for the question.
    pub fn ask(
        &mut self,
        text: &str,
        hits: &[(Pick, f32)],
        at: DateTime<Utc>,
    ) -> Result<BotReply, BotError> {
        self.open()?;
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 500 {
            return Err(BotError::Question);
        }
        if self.questions().len() >= MAX_QUESTIONS {
            return Err(BotError::TooLong);
        }
        let reply = decide(hits);
        self.turns.push(Turn::Asked {
            text: text.to_owned(),
            at,
        });
        self.turns.push(Turn::Replied {
            reply: reply.clone(),
            at,
        });
        Ok(reply)
    }

    /// The customer picks one of the last offered candidates.
    pub fn choose(&mut self, article: Uuid, at: DateTime<Utc>) -> Result<Pick, BotError> {
        self.open()?;
        let offered = self.turns.iter().rev().find_map(|t| match t {
            Turn::Replied {
                reply: BotReply::Choose { candidates },
                ..
            } => Some(candidates),
            Turn::Asked { .. } => Some(&EMPTY),
            _ => None,
        });
        let pick = offered
            .and_then(|c| c.iter().find(|p| p.id == article))
            .cloned()
            .ok_or(BotError::NotOffered)?;
        self.turns.push(Turn::Chose {
            article: pick.clone(),
            at,
        });
        Ok(pick)
    }

    /// The article shown last (answered or chosen), if no feedback was given on it yet.
    pub fn current_answer(&self) -> Option<&Pick> {
        for t in self.turns.iter().rev() {
            match t {
                Turn::Chose { article, .. }
                | Turn::Replied {
                    reply: BotReply::Answer { article },
                    ..
                } => return Some(article),
                Turn::Feedback { .. } | Turn::Asked { .. } => return None,
                Turn::Replied { .. } => {}
            }
        }
        None
    }

    /// "This helped" closes the conversation as solved; "this did not help" keeps it open
    /// and, when a public flow matches the last question, offers it.
    pub fn feedback(
        &mut self,
        helpful: bool,
        flow: Option<Pick>,
        at: DateTime<Utc>,
    ) -> Result<Option<BotReply>, BotError> {
        self.open()?;
        if self.current_answer().is_none() && !self.offered_choice() {
            return Err(BotError::NothingToRate);
        }
        self.turns.push(Turn::Feedback { helpful, at });
        if helpful {
            self.status = ConversationStatus::Solved;
            return Ok(None);
        }
        Ok(flow.map(|flow| {
            let reply = BotReply::OfferFlow { flow };
            self.turns.push(Turn::Replied {
                reply: reply.clone(),
                at,
            });
            reply
        }))
    }

    fn offered_choice(&self) -> bool {
        matches!(
            self.turns.last(),
            Some(Turn::Replied {
                reply: BotReply::Choose { .. } | BotReply::NoAnswer,
                ..
            })
        )
    }

    /// Hands over to staff: the ticket that was registered.
    pub fn hand_over(&mut self, ticket: String) -> Result<(), BotError> {
        self.open()?;
        if self.questions().is_empty() {
            return Err(BotError::Question);
        }
        self.status = ConversationStatus::HandedOver { ticket };
        Ok(())
    }

    /// The customer's questions in order.
    pub fn questions(&self) -> Vec<&str> {
        self.turns
            .iter()
            .filter_map(|t| match t {
                Turn::Asked { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The conversation as plain text for the ticket it hands over to, in the labels given
    /// (`customer`, `bot`, `chose`, `helped`, `not_helped`, `no_answer`, `flow`).
    pub fn transcript(&self, label: impl Fn(&str) -> String) -> String {
        let mut out = Vec::new();
        for t in &self.turns {
            let line = match t {
                Turn::Asked { text, .. } => format!("{}: {text}", label("customer")),
                Turn::Replied { reply, .. } => {
                    let said = match reply {
                        BotReply::Answer { article } => format!("《{}》", article.title),
                        BotReply::Choose { candidates } => candidates
                            .iter()
                            .map(|p| format!("《{}》", p.title))
                            .collect::<Vec<_>>()
                            .join(" / "),
                        BotReply::NoAnswer => label("no_answer"),
                        BotReply::OfferFlow { flow } => {
                            format!("{} 《{}》", label("flow"), flow.title)
                        }
                    };
                    format!("{}: {said}", label("bot"))
                }
                Turn::Chose { article, .. } => format!("{}: 《{}》", label("chose"), article.title),
                Turn::Feedback { helpful, .. } => match helpful {
                    true => label("helped"),
                    false => label("not_helped"),
                },
            };
            out.push(line);
        }
        out.join("\n")
    }
}

static EMPTY: Vec<Pick> = Vec::new();

#[cfg(test)]
mod tests {
    use super::*;

    fn p(n: u128, title: &str) -> Pick {
        Pick {
            id: Uuid::from_u128(n),
            title: title.into(),
        }
    }

    fn at() -> DateTime<Utc> {
        "2026-11-23T02:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_clear_leader_answers_and_close_scores_offer_a_choice() {
        assert_eq!(decide(&[]), BotReply::NoAnswer);
        assert_eq!(
            decide(&[(p(1, "a"), 5.0), (p(2, "b"), 3.0)]),
            BotReply::Answer { article: p(1, "a") }
        );
        assert_eq!(
            decide(&[
                (p(1, "a"), 5.0),
                (p(2, "b"), 4.5),
                (p(3, "c"), 4.0),
                (p(4, "d"), 3.9)
            ]),
            BotReply::Choose {
                candidates: vec![p(1, "a"), p(2, "b"), p(3, "c")]
            }
        );
    }

    #[test]
    fn multi_turn_choice_then_not_helped_offers_a_flow_and_hands_over() {
        let mut c = Conversation::new();
        let hits = [(p(1, "宽带断网"), 4.0), (p(2, "宽带提速"), 3.8)];
        assert!(matches!(
            c.ask("宽带上不了网", &hits, at()).unwrap(),
            BotReply::Choose { .. }
        ));
        assert_eq!(
            c.choose(Uuid::from_u128(9), at()),
            Err(BotError::NotOffered)
        );
        assert_eq!(
            c.choose(Uuid::from_u128(1), at()).unwrap(),
            p(1, "宽带断网")
        );
        assert_eq!(c.current_answer(), Some(&p(1, "宽带断网")));
        let offer = c
            .feedback(false, Some(p(7, "宽带故障自助排查")), at())
            .unwrap();
        assert_eq!(
            offer,
            Some(BotReply::OfferFlow {
                flow: p(7, "宽带故障自助排查")
            })
        );
        assert_eq!(c.feedback(false, None, at()), Err(BotError::NothingToRate));
        c.hand_over("T1".into()).unwrap();
        assert_eq!(c.ask("还在吗", &[], at()), Err(BotError::Closed));
        let text = c.transcript(|k| k.to_owned());
        assert!(text.starts_with("customer: 宽带上不了网\nbot: 《宽带断网》 / 《宽带提速》"));
        assert!(text.contains("chose: 《宽带断网》\nnot_helped\nbot: flow 《宽带故障自助排查》"));
    }

    #[test]
    fn helpful_answers_close_the_conversation_and_questions_are_checked() {
        let mut c = Conversation::new();
        assert_eq!(c.ask("  ", &[], at()), Err(BotError::Question));
        assert_eq!(c.feedback(true, None, at()), Err(BotError::NothingToRate));
        c.ask("话费查询", &[(p(1, "如何查询话费"), 2.0)], at())
            .unwrap();
        assert_eq!(
            c.choose(Uuid::from_u128(1), at()),
            Err(BotError::NotOffered)
        );
        c.feedback(true, None, at()).unwrap();
        assert_eq!(c.status, ConversationStatus::Solved);
        let mut d = Conversation::new();
        assert_eq!(d.hand_over("T".into()), Err(BotError::Question));
        for i in 0..MAX_QUESTIONS {
            d.ask(&format!("q{i}"), &[], at()).unwrap();
        }
        assert_eq!(d.ask("one more", &[], at()), Err(BotError::TooLong));
    }
}
