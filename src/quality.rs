//! Quality inspection (质检): scorecards of weighted criteria, reviews that score a ticket
//! or a call of one agent against a scorecard, and random sampling of what to review.
//!
//! A criterion carries its weight in points (the scorecard's weights add up to 100); a
//! review gives each criterion 0 to its weight, so the total is a score out of 100.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::user::UserId;

/// One criterion of a scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable key within the scorecard (`greeting`).
    pub key: String,
    /// Label (Chinese).
    pub label: String,
    /// Label (English).
    pub label_en: String,
    /// Weight in points.
    pub weight: u32,
}

/// A scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Criteria in order.
    pub criteria: Vec<Criterion>,
    /// Offered for new reviews.
    pub active: bool,
}

/// Why a scorecard or review was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QualityError {
    /// No name.
    #[error("name is required")]
    Name,
    /// No criteria.
    #[error("a scorecard needs at least one criterion")]
    NoCriteria,
    /// A criterion without key or label, or a repeated key.
    #[error("criterion {0} needs a unique key and a label")]
    Criterion(usize),
    /// Weights do not add up to 100.
    #[error("weights add up to {0}, not 100")]
    Weights(u32),
    /// A score for a criterion the scorecard does not have, or a missing one.
    #[error("every criterion needs exactly one score")]
    Scores,
    /// A score above the criterion's weight.
    #[error("score for {0} is above its weight")]
    ScoreRange(String),
    /// The scorecard is not active.
    #[error("the scorecard is not active")]
    Inactive,
}

impl Scorecard {
    /// Checks the definition.
    pub fn validate(&self) -> Result<(), QualityError> {
        if self.name.trim().is_empty() {
            return Err(QualityError::Name);
        }
        if self.criteria.is_empty() {
            return Err(QualityError::NoCriteria);
        }
        for (i, c) in self.criteria.iter().enumerate() {
            let repeated = self.criteria[..i].iter().any(|o| o.key == c.key);
            if c.key.trim().is_empty() || c.label.trim().is_empty() || repeated {
                return Err(QualityError::Criterion(i + 1));
            }
        }
        let sum: u32 = self.criteria.iter().map(|c| c.weight).sum();
        if sum != 100 {
            return Err(QualityError::Weights(sum));
        }
        Ok(())
    }

    /// The total of `scores` (criterion key → points), checked against the criteria.
    pub fn total(&self, scores: &[(String, u32)]) -> Result<u32, QualityError> {
        if scores.len() != self.criteria.len() {
            return Err(QualityError::Scores);
        }
        let mut total = 0;
        for c in &self.criteria {
            let mut mine = scores.iter().filter(|(k, _)| *k == c.key);
            let (Some((_, s)), None) = (mine.next(), mine.next()) else {
                return Err(QualityError::Scores);
            };
            if *s > c.weight {
                return Err(QualityError::ScoreRange(c.key.clone()));
            }
            total += s;
        }
        Ok(total)
    }

    /// The seeded scorecard for hotline calls and tickets.
    pub fn seed(id: Uuid) -> Scorecard {
        let c = |key: &str, label: &str, label_en: &str, weight| Criterion {
            key: key.into(),
            label: label.into(),
            label_en: label_en.into(),
            weight,
        };
        Scorecard {
            id,
            name: "热线服务质检表".into(),
            criteria: vec![
                c("greeting", "规范开头语", "Standard greeting", 15),
                c("accuracy", "信息准确", "Correct information", 30),
                c("attitude", "服务态度", "Attitude", 20),
                c("closing", "规范结束语", "Closing phrase", 15),
                c("record", "记录完整", "Record completeness", 20),
            ],
            active: true,
        }
    }
}

/// What a review looks at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ReviewSubject {
    /// A ticket (by id).
    Ticket(Uuid),
    /// A call (by the PBX's call id).
    Call(String),
}

impl ReviewSubject {
    /// `ticket` or `call`.
    pub fn kind_code(&self) -> &'static str {
        match self {
            ReviewSubject::Ticket(_) => "ticket",
            ReviewSubject::Call(_) => "call",
        }
    }

    /// The id as text.
    pub fn id_text(&self) -> String {
        match self {
            ReviewSubject::Ticket(id) => id.to_string(),
            ReviewSubject::Call(id) => id.clone(),
        }
    }

    /// From the stored pair.
    pub fn from_parts(kind: &str, id: &str) -> Option<ReviewSubject> {
        match kind {
            "ticket" => Uuid::parse_str(id).ok().map(ReviewSubject::Ticket),
            "call" if !id.is_empty() => Some(ReviewSubject::Call(id.to_owned())),
            _ => None,
        }
    }
}

/// A finished review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Id.
    pub id: Uuid,
    /// The scorecard used.
    pub scorecard: Uuid,
    /// What was reviewed.
    pub subject: ReviewSubject,
    /// The agent whose work it is.
    pub agent: UserId,
    /// Who reviewed.
    pub reviewer: UserId,
    /// Points per criterion key.
    pub scores: Vec<(String, u32)>,
    /// Total out of 100.
    pub total: u32,
    /// Comment for the agent.
    pub comment: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Picks up to `per_agent` items of each agent at random (deterministic for a `seed`):
/// `items` are (agent, item) pairs; the result keeps the input order within an agent.
pub fn sample<T: Clone>(items: &[(UserId, T)], per_agent: usize, seed: u64) -> Vec<(UserId, T)> {
    let mut agents: Vec<UserId> = Vec::new();
    for (a, _) in items {
        if !agents.contains(a) {
            agents.push(*a);
        }
    }
    let mut rng = SplitMix(seed);
    let mut out = Vec::new();
    for a in agents {
        let mine: Vec<usize> = (0..items.len()).filter(|&i| items[i].0 == a).collect();
        // Partial Fisher–Yates over the agent's indices.
        let mut idx = mine.clone();
        let k = per_agent.min(idx.len());
        for i in 0..k {
            let j = i + (rng.next() % (idx.len() - i) as u64) as usize;
            idx.swap(i, j);
        }
        let mut chosen = idx[..k].to_vec();
        chosen.sort_unstable();
        out.extend(chosen.into_iter().map(|i| items[i].clone()));
    }
    out
}

/// SplitMix64: a small, well-distributed generator (the domain stays free of IO).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> Scorecard {
        Scorecard::seed(Uuid::nil())
    }

    #[test]
    fn the_seed_scorecard_is_valid_and_totals_out_of_100() {
        let c = card();
        assert_eq!(c.validate(), Ok(()));
        let full: Vec<(String, u32)> = c
            .criteria
            .iter()
            .map(|x| (x.key.clone(), x.weight))
            .collect();
        assert_eq!(c.total(&full), Ok(100));
        let mut some = full;
        some[1].1 = 10; // accuracy 10 of 30
        assert_eq!(c.total(&some), Ok(80));
    }

    #[test]
    fn bad_scorecards_and_scores_are_refused() {
        let mut c = card();
        c.criteria[0].weight = 10;
        assert_eq!(c.validate(), Err(QualityError::Weights(95)));
        let mut c = card();
        c.criteria[1].key = "greeting".into();
        assert_eq!(c.validate(), Err(QualityError::Criterion(2)));
        let mut c = card();
        c.criteria.clear();
        assert_eq!(c.validate(), Err(QualityError::NoCriteria));
        let c = card();
        let mut s: Vec<(String, u32)> = c.criteria.iter().map(|x| (x.key.clone(), 0)).collect();
        s[0].1 = 16;
        assert_eq!(
            c.total(&s),
            Err(QualityError::ScoreRange("greeting".into()))
        );
        s.pop();
        assert_eq!(c.total(&s), Err(QualityError::Scores));
        let mut dup: Vec<(String, u32)> = c.criteria.iter().map(|x| (x.key.clone(), 0)).collect();
        dup[4].0 = "greeting".into();
        assert_eq!(c.total(&dup), Err(QualityError::Scores));
    }

    #[test]
    fn sampling_takes_at_most_n_per_agent_deterministically() {
        let a = UserId(Uuid::from_u128(1));
        let b = UserId(Uuid::from_u128(2));
        let mut items = Vec::new();
        for i in 0..10 {
            items.push((a, i));
        }
        items.push((b, 100));
        let s1 = sample(&items, 3, 7);
        assert_eq!(s1.iter().filter(|(u, _)| *u == a).count(), 3);
        assert_eq!(s1.iter().filter(|(u, _)| *u == b).count(), 1);
        assert_eq!(s1, sample(&items, 3, 7));
        // Another seed picks differently (for this input and these seeds).
        assert_ne!(s1, sample(&items, 3, 8));
        // Distinct picks.
        let mut picked: Vec<i32> = s1.iter().map(|(_, i)| *i).collect();
        picked.dedup();
        assert_eq!(picked.len(), 4);
        assert!(sample::<i32>(&[], 3, 1).is_empty());
    }

    #[test]
    fn subjects_round_trip() {
        let t = ReviewSubject::Ticket(Uuid::from_u128(5));
        assert_eq!(
            ReviewSubject::from_parts(t.kind_code(), &t.id_text()),
            Some(t)
        );
        let c = ReviewSubject::Call("c-1".into());
        assert_eq!(ReviewSubject::from_parts("call", "c-1"), Some(c));
        assert_eq!(ReviewSubject::from_parts("email", "x"), None);
    }
}
