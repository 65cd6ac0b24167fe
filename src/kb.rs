//! Knowledge-base articles (DESIGN §3.6): the editorial workflow draft → in review →
//! published → archived, where someone other than the author publishes; versions with a
//! line diff between them; audiences (internal, public); similar questions (alternative
//! phrasings the search and the answer bot match on); helpful / not-helpful feedback.
//! Searching lives with the search index; this module owns the article and its rules.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::user::{Role, UserId};

pub mod bot;
pub mod markdown;
pub mod search;

coded_enum!(
    /// Where an article is in the editorial workflow.
    ArticleStatus {
        /// Being written.
        Draft = "draft",
        /// Waiting for a reviewer.
        InReview = "in_review",
        /// Visible to its audience.
        Published = "published",
        /// Withdrawn.
        Archived = "archived",
    }
);

coded_enum!(
    /// Who may read an article.
    Audience {
        /// Staff only.
        Internal = "internal",
        /// Also customers (portal, answer bot).
        Public = "public",
    }
);

/// The editable content of an article (one version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleContent {
    /// Title.
    pub title: String,
    /// Body, Markdown.
    pub body: String,
    /// Category path, e.g. `billing/charges`.
    pub category: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Alternative phrasings of the question it answers.
    #[serde(default)]
    pub similar_questions: Vec<String>,
    /// Audience.
    pub audience: Audience,
    /// The English version of title and body, when there is one.
    #[serde(default)]
    pub en: Option<Translation>,
}

/// An article's title and body in another language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    /// Title.
    pub title: String,
    /// Body, Markdown.
    pub body: String,
}

impl ArticleContent {
    /// Title and body for a UI language (English falls back to Chinese).
    pub fn localized(&self, english: bool) -> (&str, &str) {
        match (&self.en, english) {
            (Some(t), true) => (&t.title, &t.body),
            _ => (&self.title, &self.body),
        }
    }

    /// The searchable form of this content (Markdown stripped, both languages).
    pub fn search_doc(&self, id: Uuid) -> search::SearchDoc {
        let body = markdown::to_plain(&self.body);
        search::SearchDoc {
            id,
            kind: search::DocKind::Article,
            title: self.title.clone(),
            title_en: self
                .en
                .as_ref()
                .map(|t| t.title.clone())
                .unwrap_or_default(),
            body,
            body_en: self
                .en
                .as_ref()
                .map(|t| markdown::to_plain(&t.body))
                .unwrap_or_default(),
            questions: self.similar_questions.clone(),
            tags: self.tags.clone(),
            category: self.category.clone(),
            audience: self.audience,
        }
    }
}

/// An article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// Id.
    pub id: Uuid,
    /// Current content.
    pub content: ArticleContent,
    /// Status.
    pub status: ArticleStatus,
    /// Author of the current version.
    pub author: UserId,
    /// Who published it (when published).
    pub reviewer: Option<UserId>,
    /// Version number, +1 per saved change of content.
    pub version: u32,
    /// The published version readers see (kept while a revision is drafted).
    pub live: Option<u32>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// What an editor does to an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ArticleAction {
    /// Save new content (drafts and articles sent back to draft).
    Edit {
        /// The content.
        content: ArticleContent,
    },
    /// Ask for review.
    Submit,
    /// Reviewer sends it back to the author.
    Reject,
    /// Reviewer publishes.
    Publish,
    /// Withdraw from readers.
    Archive,
    /// Start a new draft from a published or archived article.
    Revise,
}

/// Why an article action was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum ArticleError {
    /// Not possible in this status.
    #[error("not possible while the article is {0:?}")]
    NotInStatus(ArticleStatus),
    /// The author may not publish their own version.
    #[error("someone other than the author must publish")]
    OwnReview,
    /// Only editors (supervisors, administrators) review, publish and archive.
    #[error("only supervisors and administrators may do this")]
    NotEditor,
    /// A content field is empty or too long.
    #[error("{field} is empty or too long")]
    Invalid {
        /// Which.
        field: &'static str,
    },
}

impl ArticleContent {
    /// Trims and checks: title 1–120 characters, body 1–50 000, category present, at most
    /// 20 tags and 20 similar questions of at most 120 characters each.
    pub fn validated(mut self) -> Result<ArticleContent, ArticleError> {
        let clean = |v: &mut Vec<String>| {
            *v = v
                .iter()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            v.dedup();
        };
        self.title = self.title.trim().to_owned();
        self.category = self.category.trim().trim_matches('/').to_owned();
        clean(&mut self.tags);
        clean(&mut self.similar_questions);
        let count = |s: &str| s.chars().count();
        let bad = |field| Err(ArticleError::Invalid { field });
        if !(1..=120).contains(&count(&self.title)) {
            return bad("title");
        }
        if !(1..=50_000).contains(&count(self.body.trim())) {
            return bad("body");
        }
        if self.category.is_empty() || count(&self.category) > 80 {
            return bad("category");
        }
        if self.tags.len() > 20 || self.tags.iter().any(|t| count(t) > 40) {
            return bad("tags");
        }
        if self.similar_questions.len() > 20
            || self.similar_questions.iter().any(|q| count(q) > 120)
        {
            return bad("similar_questions");
        }
        if let Some(en) = self.en.take() {
            let (title, body) = (en.title.trim().to_owned(), en.body.trim().to_owned());
            match (title.is_empty(), body.is_empty()) {
                (true, true) => {}
                (false, false) if count(&title) <= 120 && count(&body) <= 50_000 => {
                    self.en = Some(Translation { title, body })
                }
                _ => return bad("en"),
            }
        }
        Ok(self)
    }
}

impl Article {
    /// A new draft by `author`.
    pub fn draft(
        id: Uuid,
        content: ArticleContent,
        author: UserId,
        now: DateTime<Utc>,
    ) -> Result<Article, ArticleError> {
        Ok(Article {
            id,
            content: content.validated()?,
            status: ArticleStatus::Draft,
            author,
            reviewer: None,
            version: 1,
            live: None,
            updated_at: now,
        })
    }

    /// Applies an action by `user` (with `role`).
    pub fn apply(
        &self,
        action: ArticleAction,
        user: UserId,
        role: Role,
        now: DateTime<Utc>,
    ) -> Result<Article, ArticleError> {
        use ArticleStatus::*;
        let editor = matches!(role, Role::Supervisor | Role::Admin);
        let staff = role.is_staff();
        let mut next = self.clone();
        next.updated_at = now;
        match (action, self.status) {
            _ if !staff => return Err(ArticleError::NotEditor),
            (ArticleAction::Edit { content }, Draft) => {
                next.content = content.validated()?;
                next.author = user;
                next.version += 1;
            }
            (ArticleAction::Submit, Draft) => next.status = InReview,
            (ArticleAction::Reject | ArticleAction::Publish | ArticleAction::Archive, _)
                if !editor =>
            {
                return Err(ArticleError::NotEditor)
            }
            (ArticleAction::Reject, InReview) => next.status = Draft,
            (ArticleAction::Publish, InReview) if self.author == user => {
                return Err(ArticleError::OwnReview)
            }
            (ArticleAction::Publish, InReview) => {
                next.status = Published;
                next.reviewer = Some(user);
                next.live = Some(self.version);
            }
            (ArticleAction::Archive, Published | Draft | InReview) => {
                next.status = Archived;
                next.live = None;
            }
            (ArticleAction::Revise, Published | Archived) => {
                next.status = Draft;
                next.reviewer = None;
            }
            (_, status) => return Err(ArticleError::NotInStatus(status)),
        }
        Ok(next)
    }

    /// Whether someone of `role` may read its working copy (staff) or, for everyone else,
    /// whether a published version exists that their audience may see.
    pub fn readable_by(&self, role: Option<Role>) -> bool {
        role.is_some_and(Role::is_staff)
            || (self.live.is_some() && visible_to(self.content.audience, role))
    }
}

/// Whether a published version for `audience` may be shown to someone of `role`
/// (`None`: not signed in).
pub fn visible_to(audience: Audience, role: Option<Role>) -> bool {
    match audience {
        Audience::Public => true,
        Audience::Internal => role.is_some_and(Role::is_staff),
    }
}

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", content = "line", rename_all = "snake_case")]
pub enum DiffLine {
    /// In both.
    Same(String),
    /// Only in the new version.
    Added(String),
    /// Only in the old version.
    Removed(String),
}

/// A line diff (longest common subsequence) of two texts.
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // Texts of a few thousand lines at most (50 000 characters): the table stays small.
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(DiffLine::Same(a[i].to_owned()));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            out.push(DiffLine::Removed(a[i].to_owned()));
            i += 1;
        } else {
            out.push(DiffLine::Added(b[j].to_owned()));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| DiffLine::Removed((*l).to_owned())));
    out.extend(b[j..].iter().map(|l| DiffLine::Added((*l).to_owned())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(m: i64) -> DateTime<Utc> {
        "2026-11-23T02:00:00Z".parse::<DateTime<Utc>>().unwrap() + chrono::Duration::minutes(m)
    }

    fn content(title: &str) -> ArticleContent {
        ArticleContent {
            title: title.into(),
            body: "1. 登录网上营业厅\n2. 查询账单".into(),
            category: "/billing/charges/".into(),
            tags: vec!["话费".into(), " ".into(), "话费".into()],
            similar_questions: vec!["话费怎么这么多".into()],
            audience: Audience::Public,
            en: None,
        }
    }

    #[test]
    fn articles_go_from_draft_to_published_by_another_editor() {
        let (author, reviewer) = (UserId(Uuid::from_u128(1)), UserId(Uuid::from_u128(2)));
        let a = Article::draft(Uuid::nil(), content(" 如何查询话费 "), author, t(0)).unwrap();
        assert_eq!(
            (a.content.title.as_str(), a.content.category.as_str()),
            ("如何查询话费", "billing/charges")
        );
        assert_eq!(a.content.tags, vec!["话费"]);
        let edited = a
            .apply(
                ArticleAction::Edit {
                    content: content("如何查询本月话费"),
                },
                author,
                Role::Agent,
                t(1),
            )
            .unwrap();
        assert_eq!(edited.version, 2);
        let submitted = edited
            .apply(ArticleAction::Submit, author, Role::Agent, t(2))
            .unwrap();
        assert_eq!(submitted.status, ArticleStatus::InReview);
        assert_eq!(
            submitted.apply(ArticleAction::Publish, reviewer, Role::Agent, t(3)),
            Err(ArticleError::NotEditor)
        );
        assert_eq!(
            submitted.apply(ArticleAction::Publish, author, Role::Supervisor, t(3)),
            Err(ArticleError::OwnReview)
        );
        assert_eq!(
            submitted.apply(
                ArticleAction::Edit {
                    content: content("x")
                },
                author,
                Role::Agent,
                t(3)
            ),
            Err(ArticleError::NotInStatus(ArticleStatus::InReview))
        );
        let published = submitted
            .apply(ArticleAction::Publish, reviewer, Role::Supervisor, t(3))
            .unwrap();
        assert_eq!(
            (published.status, published.reviewer),
            (ArticleStatus::Published, Some(reviewer))
        );
        assert!(
            published.readable_by(None),
            "public articles reach customers"
        );
        let revised = published
            .apply(ArticleAction::Revise, author, Role::Agent, t(4))
            .unwrap();
        assert_eq!(
            (revised.status, revised.reviewer, revised.live),
            (ArticleStatus::Draft, None, Some(2)),
            "the published version stays live while the revision is drafted"
        );
        assert!(revised.readable_by(Some(Role::Customer)));
        let draft_only = a
            .apply(ArticleAction::Submit, author, Role::Agent, t(4))
            .unwrap();
        assert!(!draft_only.readable_by(Some(Role::Customer)));
        assert!(draft_only.readable_by(Some(Role::Agent)));
        let back = submitted
            .apply(ArticleAction::Reject, reviewer, Role::Admin, t(5))
            .unwrap();
        assert_eq!(back.status, ArticleStatus::Draft);
        let archived = published
            .apply(ArticleAction::Archive, reviewer, Role::Admin, t(6))
            .unwrap();
        assert_eq!(
            (archived.status, archived.live),
            (ArticleStatus::Archived, None)
        );
        assert!(!archived.readable_by(None));
        assert_eq!(
            archived.apply(ArticleAction::Submit, author, Role::Agent, t(7)),
            Err(ArticleError::NotInStatus(ArticleStatus::Archived))
        );
        assert_eq!(
            a.apply(ArticleAction::Submit, author, Role::Customer, t(7)),
            Err(ArticleError::NotEditor)
        );
    }

    #[test]
    fn internal_articles_stay_with_staff_and_content_is_checked() {
        let mut c = content("内部：退费审批流程");
        c.audience = Audience::Internal;
        let a = Article {
            status: ArticleStatus::Published,
            live: Some(1),
            ..Article::draft(Uuid::nil(), c, UserId(Uuid::nil()), t(0)).unwrap()
        };
        assert!(a.readable_by(Some(Role::Agent)));
        assert!(!a.readable_by(Some(Role::Customer)));
        assert!(!a.readable_by(None));
        let bad = |f: fn(&mut ArticleContent)| {
            let mut c = content("t");
            f(&mut c);
            c.validated().unwrap_err()
        };
        assert_eq!(
            bad(|c| c.title = " ".into()),
            ArticleError::Invalid { field: "title" }
        );
        assert_eq!(
            bad(|c| c.body = "".into()),
            ArticleError::Invalid { field: "body" }
        );
        assert_eq!(
            bad(|c| c.category = "/".into()),
            ArticleError::Invalid { field: "category" }
        );
        assert_eq!(
            bad(|c| {
                c.en = Some(Translation {
                    title: "Title".into(),
                    body: " ".into(),
                })
            }),
            ArticleError::Invalid { field: "en" }
        );
        let mut blank = content("t");
        blank.en = Some(Translation {
            title: " ".into(),
            body: "".into(),
        });
        assert_eq!(blank.validated().unwrap().en, None);
        assert_eq!(
            bad(|c| c.similar_questions = vec!["问".repeat(121)]),
            ArticleError::Invalid {
                field: "similar_questions"
            }
        );
    }

    #[test]
    fn diffs_show_added_and_removed_lines() {
        let d = diff("a\nb\nc", "a\nc\nd");
        assert_eq!(
            d,
            vec![
                DiffLine::Same("a".into()),
                DiffLine::Removed("b".into()),
                DiffLine::Same("c".into()),
                DiffLine::Added("d".into()),
            ]
        );
        assert!(diff("", "x")
            .iter()
            .all(|l| matches!(l, DiffLine::Added(_))));
        assert_eq!(diff("同\n样", "同\n样").len(), 2);
    }
}
