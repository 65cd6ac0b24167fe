//! Loopdesk's knowledge search: an in-memory tantivy index behind the domain's
//! [`SearchIndex`] port. Owns text analysis and ranking:
//!
//! - **Words**: Chinese word segmentation with jieba (search mode, so 中华人民共和国 also
//!   yields 中华, 人民 …) plus telecom vocabulary; Latin words lower-cased and English-stemmed
//!   (`bills` → `bill`); stop words dropped.
//! - **Characters**: every Chinese character and every pair of neighbours (bigram) in a
//!   second set of fields, so a one-character query (费) or a phrase jieba splits differently
//!   from the document is still found — the failure mode of peer helpdesks.
//! - **Ranking**: BM25, title ×3, similar questions ×2.5, tags ×2, body ×1, character fields
//!   at a fraction of their word fields; synonyms expand a query word into its group.
//! - **Highlighting**: tantivy snippets over the word field, or the character field when the
//!   match was only on characters.
//!
//! The index lives in memory and is rebuilt from the store at startup (seconds for 100 000
//! articles); every publish updates it before the call returns.

mod analysis;

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use loopdesk::kb::search::{
    DocKind, Marked, SearchDoc, SearchError, SearchHit, SearchIndex, SearchQuery, SynonymGroup,
};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use uuid::Uuid;

pub use analysis::{chars, words};

const WORDS: &str = "ld_words";
const CHARS: &str = "ld_chars";

/// Field boosts: (word field, character field).
const TITLE: (f32, f32) = (3.0, 1.2);
const QUESTIONS: (f32, f32) = (2.5, 1.0);
const TAGS: f32 = 2.0;
const BODY: (f32, f32) = (1.0, 0.4);
/// A synonym counts a little less than the word typed.
const SYNONYM: f32 = 0.8;
/// Snippet length in characters.
const SNIPPET_CHARS: usize = 120;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    kind: Field,
    audience: Field,
    category: Field,
    path: Field,
    title: Field,
    title_en: Field,
    title_c: Field,
    questions: Field,
    questions_c: Field,
    tags: Field,
    body: Field,
    body_en: Field,
    body_c: Field,
}

/// The tantivy-backed index.
pub struct TantivyIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    synonyms: RwLock<HashMap<String, Vec<String>>>,
}

fn fail(e: impl std::fmt::Display) -> SearchError {
    SearchError(e.to_string())
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    match stored {
        true => opts.set_stored(),
        false => opts,
    }
}

impl TantivyIndex {
    /// An empty index in memory.
    pub fn new() -> Result<TantivyIndex, SearchError> {
        let mut b = Schema::builder();
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            kind: b.add_text_field("kind", STRING | STORED),
            audience: b.add_text_field("audience", STRING),
            category: b.add_text_field("category", STRING),
            path: b.add_text_field("path", STORED),
            title: b.add_text_field("title", text(WORDS, true)),
            title_en: b.add_text_field("title_en", text(WORDS, true)),
            title_c: b.add_text_field("title_c", text(CHARS, false)),
            questions: b.add_text_field("questions", text(WORDS, false)),
            questions_c: b.add_text_field("questions_c", text(CHARS, false)),
            tags: b.add_text_field("tags", text(WORDS, false)),
            body: b.add_text_field("body", text(WORDS, true)),
            body_en: b.add_text_field("body_en", text(WORDS, true)),
            body_c: b.add_text_field("body_c", text(CHARS, false)),
        };
        let index = Index::create_in_ram(b.build());
        index
            .tokenizers()
            .register(WORDS, analysis::word_analyzer());
        index
            .tokenizers()
            .register(CHARS, analysis::char_analyzer());
        let writer = index.writer_with_num_threads(1, 30_000_000).map_err(fail)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(fail)?;
        Ok(TantivyIndex {
            reader,
            writer: Mutex::new(writer),
            fields,
            synonyms: RwLock::new(HashMap::new()),
        })
    }

    fn document(&self, d: &SearchDoc) -> TantivyDocument {
        let f = self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.id, d.id.to_string());
        doc.add_text(f.kind, d.kind.code());
        doc.add_text(f.audience, d.audience.code());
        doc.add_text(f.path, &d.category);
        let mut prefix = String::new();
        for part in d.category.split('/').filter(|p| !p.is_empty()) {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            doc.add_text(f.category, &prefix);
        }
        doc.add_text(f.title, &d.title);
        doc.add_text(f.title_c, &d.title);
        doc.add_text(f.title_en, &d.title_en);
        for q in &d.questions {
            doc.add_text(f.questions, q);
            doc.add_text(f.questions_c, q);
        }
        for t in &d.tags {
            doc.add_text(f.tags, t);
        }
        doc.add_text(f.body, &d.body);
        doc.add_text(f.body_en, &d.body_en);
        doc.add_text(f.body_c, &d.body);
        doc
    }

    fn commit(&self, writer: &mut IndexWriter) -> Result<(), SearchError> {
        writer.commit().map_err(fail)?;
        self.reader.reload().map_err(fail)
    }

    /// The query words with their synonyms: `(term, weight)` per typed word.
    fn expand(&self, typed: &[String]) -> Vec<Vec<(String, f32)>> {
        let synonyms = self.synonyms.read().unwrap_or_else(|p| p.into_inner());
        typed
            .iter()
            .map(|w| {
                let mut alts = vec![(w.clone(), 1.0)];
                for s in synonyms.get(w).into_iter().flatten() {
                    for t in words(s) {
                        if !alts.iter().any(|(a, _)| *a == t) {
                            alts.push((t, SYNONYM));
                        }
                    }
                }
                alts
            })
            .collect()
    }

    /// Builds the relevance query (no filters).
    fn relevance(&self, text: &str) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let term = |field: Field, t: &str, boost: f32| -> (Occur, Box<dyn Query>) {
            let q = TermQuery::new(
                Term::from_field_text(field, t),
                IndexRecordOption::WithFreqs,
            );
            (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
        };
        let typed = words(text);
        for alts in self.expand(&typed) {
            for (t, weight) in alts {
                should.push(term(f.title, &t, TITLE.0 * weight));
                should.push(term(f.title_en, &t, TITLE.0 * weight));
                should.push(term(f.questions, &t, QUESTIONS.0 * weight));
                should.push(term(f.tags, &t, TAGS * weight));
                should.push(term(f.body, &t, BODY.0 * weight));
                should.push(term(f.body_en, &t, BODY.0 * weight));
            }
        }
        // Characters: bigrams of the typed text (and of synonyms of typed words), or the
        // single character when one was typed.
        let mut grams = chars(text);
        let single = grams.iter().all(|g| g.chars().count() == 1);
        if !single {
            grams.retain(|g| g.chars().count() == 2);
        }
        let synonyms = self.synonyms.read().unwrap_or_else(|p| p.into_inner());
        let mut syn_grams = Vec::new();
        for w in &typed {
            for s in synonyms.get(w).into_iter().flatten() {
                syn_grams.extend(chars(s).into_iter().filter(|g| g.chars().count() == 2));
            }
        }
        for (g, weight) in grams
            .iter()
            .map(|g| (g, 1.0))
            .chain(syn_grams.iter().map(|g| (g, SYNONYM)))
        {
            should.push(term(f.title_c, g, TITLE.1 * weight));
            should.push(term(f.questions_c, g, QUESTIONS.1 * weight));
            should.push(term(f.body_c, g, BODY.1 * weight));
        }
        match should.is_empty() {
            true => None,
            false => Some(Box::new(BooleanQuery::new(should))),
        }
    }

    fn marked(generator: Option<&SnippetGenerator>, text: &str) -> Marked {
        let Some(g) = generator else {
            return Marked::default();
        };
        let s = g.snippet(text);
        Marked {
            text: s.fragment().to_owned(),
            marks: s.highlighted().iter().map(|r| (r.start, r.end)).collect(),
        }
    }
}

/// Cuts the first `n` characters of `text` (for a body without any match).
fn head(text: &str, n: usize) -> String {
    let cut: String = text.chars().take(n).collect();
    match cut.len() < text.len() {
        true => format!("{cut}…"),
        false => cut,
    }
}

impl SearchIndex for TantivyIndex {
    fn upsert(&self, docs: Vec<SearchDoc>) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        for d in &docs {
            writer.delete_term(Term::from_field_text(self.fields.id, &d.id.to_string()));
            writer.add_document(self.document(d)).map_err(fail)?;
        }
        self.commit(&mut writer)
    }

    fn remove(&self, id: Uuid) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        writer.delete_term(Term::from_field_text(self.fields.id, &id.to_string()));
        self.commit(&mut writer)
    }

    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, SearchError> {
        let f = self.fields;
        let Some(relevance) = self.relevance(&query.text) else {
            return Ok(Vec::new());
        };
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, relevance)];
        let exact = |field: Field, value: &str| -> (Occur, Box<dyn Query>) {
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                )),
            )
        };
        if let Some(a) = query.audience {
            must.push(exact(f.audience, a.code()));
        }
        if let Some(k) = query.kind {
            must.push(exact(f.kind, k.code()));
        }
        if let Some(c) = query.category.as_deref().map(|c| c.trim_matches('/')) {
            if !c.is_empty() {
                must.push(exact(f.category, c));
            }
        }
        let q = BooleanQuery::new(must);
        let searcher = self.reader.searcher();
        let top = searcher
            .search(
                &q,
                &TopDocs::with_limit(query.limit.clamp(1, 100)).order_by_score(),
            )
            .map_err(fail)?;
        let generator = |field: Field| {
            SnippetGenerator::create(&searcher, &q, field)
                .ok()
                .map(|mut g| {
                    g.set_max_num_chars(SNIPPET_CHARS);
                    g
                })
        };
        let (title_w, title_c) = (generator(f.title), generator(f.title_c));
        let title_e = generator(f.title_en);
        let (body_w, body_c) = (generator(f.body), generator(f.body_c));
        let body_e = generator(f.body_en);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(fail)?;
            let get = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let (id, kind) = (get(f.id), get(f.kind));
            let (Ok(id), Some(kind)) = (Uuid::parse_str(&id), DocKind::from_code(&kind)) else {
                continue;
            };
            let (title, body, body_en) = (get(f.title), get(f.body), get(f.body_en));
            let best = |w: Option<&SnippetGenerator>, c: Option<&SnippetGenerator>, t: &str| {
                let m = Self::marked(w, t);
                match m.marks.is_empty() {
                    true => Self::marked(c, t),
                    false => m,
                }
            };
            let whole = |g: Option<&SnippetGenerator>, c: Option<&SnippetGenerator>, t: String| {
                let m = best(g, c, &t);
                match m.marks.is_empty() || m.text != t {
                    true => Marked {
                        text: t,
                        marks: Vec::new(),
                    },
                    false => m,
                }
            };
            let title_m = whole(title_w.as_ref(), title_c.as_ref(), title);
            let title_en = whole(title_e.as_ref(), None, get(f.title_en));
            let passage = |g: Option<&SnippetGenerator>, c: Option<&SnippetGenerator>, t: &str| {
                let mut m = best(g, c, t);
                if m.text.is_empty() {
                    m.text = head(t, SNIPPET_CHARS);
                }
                m
            };
            let snippet = passage(body_w.as_ref(), body_c.as_ref(), &body);
            let snippet_en = passage(body_e.as_ref(), None, &body_en);
            hits.push(SearchHit {
                id,
                kind,
                score,
                title: title_m,
                title_en,
                snippet,
                snippet_en,
                category: get(f.path),
            });
        }
        Ok(hits)
    }

    fn set_synonyms(&self, groups: &[SynonymGroup]) {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for g in groups {
            for w in &g.words {
                // A synonym group's word may be several analysed words: key by each.
                for key in words(w) {
                    let entry = map.entry(key).or_default();
                    entry.extend(g.words.iter().filter(|o| *o != w).cloned());
                }
            }
        }
        *self.synonyms.write().unwrap_or_else(|p| p.into_inner()) = map;
    }

    fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}
