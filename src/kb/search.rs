//! The knowledge-search port: what the search index is given (articles and SOP flows as
//! plain-text documents), what it is asked (text, audience, category, kind) and what it
//! answers (ranked hits with highlighted snippets). Synonym groups, editable by admins, live
//! here too. The index itself (segmentation, n-grams, stemming, ranking) is infrastructure
//! behind [`SearchIndex`].

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Audience;

coded_enum!(
    /// What a search document is.
    DocKind {
        /// A knowledge-base article.
        Article = "article",
        /// An SOP flow.
        Flow = "flow",
    }
);

/// One searchable document: the published version of an article or flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchDoc {
    /// Article or flow id.
    pub id: Uuid,
    /// Which.
    pub kind: DocKind,
    /// Title.
    pub title: String,
    /// English title (empty when there is none).
    pub title_en: String,
    /// Body as plain text (Markdown stripped).
    pub body: String,
    /// English body as plain text (empty when there is none).
    pub body_en: String,
    /// Alternative phrasings of the question.
    pub questions: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Category path (`billing/charges`); its prefixes filter.
    pub category: String,
    /// Who may find it.
    pub audience: Audience,
}

/// A search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// What was typed.
    pub text: String,
    /// `Some(Public)`: public documents only (customers); `Some(Internal)`: internal only;
    /// `None`: both (staff).
    pub audience: Option<Audience>,
    /// Only this category and its sub-categories.
    pub category: Option<String>,
    /// Only articles or only flows.
    pub kind: Option<DocKind>,
    /// At most this many hits.
    pub limit: usize,
}

impl SearchQuery {
    /// A query for `text` over everything, 10 hits.
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            audience: None,
            category: None,
            kind: None,
            limit: 10,
        }
    }
}

/// A piece of text with highlighted byte ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marked {
    /// The text.
    pub text: String,
    /// Highlighted byte ranges, sorted, not overlapping, on character boundaries.
    pub marks: Vec<(usize, usize)>,
}

impl Marked {
    /// The text cut into `(piece, highlighted)` runs.
    pub fn runs(&self) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        let mut at = 0;
        for &(from, to) in &self.marks {
            let (Some(plain), Some(hit)) = (self.text.get(at..from), self.text.get(from..to))
            else {
                continue;
            };
            if !plain.is_empty() {
                out.push((plain.to_owned(), false));
            }
            out.push((hit.to_owned(), true));
            at = to;
        }
        if let Some(rest) = self.text.get(at..).filter(|r| !r.is_empty()) {
            out.push((rest.to_owned(), false));
        }
        out
    }
}

/// One ranked hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// Article or flow id.
    pub id: Uuid,
    /// Which.
    pub kind: DocKind,
    /// Relevance (higher is better; comparable within one search only).
    pub score: f32,
    /// Title with matches highlighted.
    pub title: Marked,
    /// English title (empty when there is none), highlighted.
    pub title_en: Marked,
    /// A passage of the body with matches highlighted.
    pub snippet: Marked,
    /// A passage of the English body (empty when there is none), highlighted.
    pub snippet_en: Marked,
    /// Category path.
    pub category: String,
}

/// Why the index failed (never the user's fault: queries are free text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("search index failure: {0}")]
pub struct SearchError(pub String);

/// The search index: documents in, ranked hits out. Updates are visible to the next search.
pub trait SearchIndex: Send + Sync {
    /// Adds or replaces documents (by id).
    fn upsert(&self, docs: Vec<SearchDoc>) -> Result<(), SearchError>;
    /// Removes a document.
    fn remove(&self, id: Uuid) -> Result<(), SearchError>;
    /// Ranked hits for a query (empty text: no hits).
    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, SearchError>;
    /// Replaces the synonym groups used to expand queries.
    fn set_synonyms(&self, groups: &[SynonymGroup]);
    /// Number of documents.
    fn len(&self) -> u64;
    /// Whether it holds no documents.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Words that mean the same to a searcher (流量 / 数据).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynonymGroup {
    /// Id.
    pub id: Uuid,
    /// The words (2–10, each 1–20 characters, distinct).
    pub words: Vec<String>,
}

/// Why a synonym group was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum SynonymError {
    /// Fewer than 2 or more than 10 words.
    #[error("a synonym group has 2 to 10 words")]
    Count,
    /// A word is empty, too long or contains spaces.
    #[error("each word has 1 to 20 characters and no spaces")]
    Word,
}

impl SynonymGroup {
    /// Parses words separated by `/`, `,`, `，`, `、` or whitespace and checks them.
    pub fn parse(id: Uuid, text: &str) -> Result<SynonymGroup, SynonymError> {
        let mut words: Vec<String> = Vec::new();
        for w in text
            .split(|c: char| matches!(c, '/' | ',' | '，' | '、' | ';' | '；') || c.is_whitespace())
        {
            let w = w.trim().to_lowercase();
            if w.is_empty() || words.contains(&w) {
                continue;
            }
            if w.chars().count() > 20 {
                return Err(SynonymError::Word);
            }
            words.push(w);
        }
        if !(2..=10).contains(&words.len()) {
            return Err(SynonymError::Count);
        }
        Ok(SynonymGroup { id, words })
    }

    /// The groups a new installation starts with.
    pub fn defaults() -> Vec<Vec<&'static str>> {
        vec![
            vec!["流量", "数据"],
            vec!["套餐", "资费"],
            vec!["话费", "费用"],
            vec!["宽带", "网络"],
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synonym_groups_parse_any_separator_and_refuse_bad_groups() {
        let g = SynonymGroup::parse(Uuid::nil(), " 流量 / 数据，Data ").unwrap();
        assert_eq!(g.words, vec!["流量", "数据", "data"]);
        assert_eq!(
            SynonymGroup::parse(Uuid::nil(), "流量 流量"),
            Err(SynonymError::Count)
        );
        assert_eq!(
            SynonymGroup::parse(Uuid::nil(), &format!("a {}", "x".repeat(21))),
            Err(SynonymError::Word)
        );
    }

    #[test]
    fn marked_text_splits_into_runs() {
        let m = Marked {
            text: "宽带断网怎么办".into(),
            marks: vec![(0, 6), (12, 15)],
        };
        assert_eq!(
            m.runs(),
            vec![
                ("宽带".into(), true),
                ("断网".into(), false),
                ("怎".into(), true),
                ("么办".into(), false)
            ]
        );
    }
}
