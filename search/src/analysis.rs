//! Text analysis for the index: the word analyzer (jieba segmentation in search mode with
//! telecom vocabulary, lower-casing, stop words, English stemming) and the character
//! analyzer (Chinese unigrams and bigrams). The same analyzers serve documents and queries.

use std::sync::OnceLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{
    Language, LowerCaser, Stemmer, StopWordFilter, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// Words jieba's dictionary lacks or splits badly, with a frequency that makes them win.
const TELECOM_WORDS: &[&str] = &[
    "宽带",
    "光猫",
    "流量",
    "套餐",
    "资费",
    "话费",
    "欠费",
    "停机",
    "复机",
    "销户",
    "过户",
    "携号转网",
    "实名制",
    "实名认证",
    "补卡",
    "换卡",
    "副卡",
    "主卡",
    "彩铃",
    "来电显示",
    "国际漫游",
    "漫游",
    "增值业务",
    "退订",
    "扣费",
    "账单",
    "详单",
    "充值",
    "缴费",
    "发票",
    "信号",
    "基站",
    "网速",
    "提速",
    "测速",
    "断网",
    "掉线",
    "路由器",
    "机顶盒",
    "宽带账号",
    "服务密码",
    "积分",
    "合约机",
    "靓号",
    "亲情号",
    "短信",
    "营业厅",
    "网上营业厅",
    "装机",
    "移机",
    "拆机",
    "报障",
    "投诉",
    "工单",
    "回访",
    "5g",
    "4g",
    "volte",
    "esim",
    "wifi",
];

/// Function words that carry no meaning for a search.
const STOP_WORDS: &[&str] = &[
    "的",
    "了",
    "吗",
    "呢",
    "啊",
    "吧",
    "么",
    "呀",
    "我",
    "我的",
    "你",
    "您",
    "是",
    "在",
    "和",
    "与",
    "及",
    "或",
    "怎么",
    "怎么办",
    "怎样",
    "如何",
    "什么",
    "为什么",
    "请问",
    "一下",
    "可以",
    "能",
    "要",
    "想",
    "有",
    "这个",
    "那个",
    "哪里",
    "哪儿",
    "是不是",
    "为啥",
    "the",
    "a",
    "an",
    "is",
    "are",
    "to",
    "of",
    "for",
    "how",
    "what",
    "why",
    "my",
    "i",
    "do",
    "does",
    "can",
    "and",
    "or",
    "in",
    "on",
    "it",
    "me",
    "you",
    "your",
    "with",
    "be",
    "was",
];

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut j = Jieba::new();
        for w in TELECOM_WORDS {
            j.add_word(w, Some(50_000), None);
        }
        j
    })
}

/// Whether a character is a Chinese (Han) ideograph.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0xF900..=0xFAFF)
}

/// A stream over tokens computed up front.
pub struct VecStream {
    tokens: Vec<Token>,
    at: usize,
}

impl TokenStream for VecStream {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.at - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at - 1]
    }
}

fn stream(tokens: Vec<Token>) -> VecStream {
    VecStream { tokens, at: 0 }
}

fn token(text: &str, from: usize, to: usize, position: usize) -> Token {
    Token {
        offset_from: from,
        offset_to: to,
        position,
        text: text[from..to].to_owned(),
        position_length: 1,
    }
}

/// jieba in search mode: words and their dictionary sub-words; punctuation dropped.
#[derive(Clone, Copy)]
pub struct WordTokenizer;

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        let tokens = jieba()
            .cut_for_search(text, true)
            .into_iter()
            .filter(|t| t.word.chars().any(char::is_alphanumeric))
            .enumerate()
            .map(|(i, t)| token(text, t.byte_start, t.byte_end, i))
            .collect();
        stream(tokens)
    }
}

/// Chinese characters and pairs of neighbouring characters.
#[derive(Clone, Copy)]
pub struct CharTokenizer;

impl Tokenizer for CharTokenizer {
    type TokenStream<'a> = VecStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecStream {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut tokens = Vec::new();
        for (i, &(at, c)) in chars.iter().enumerate() {
            if !is_han(c) {
                continue;
            }
            let end = at + c.len_utf8();
            let position = tokens.len();
            tokens.push(token(text, at, end, position));
            if let Some(&(next_at, next)) = chars.get(i + 1).filter(|(_, n)| is_han(*n)) {
                tokens.push(token(text, at, next_at + next.len_utf8(), position + 1));
            }
        }
        stream(tokens)
    }
}

/// The word analyzer.
pub fn word_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer)
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(
            STOP_WORDS.iter().map(|w| (*w).to_owned()),
        ))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The character analyzer.
pub fn char_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(CharTokenizer).build()
}

fn collect(mut analyzer: TextAnalyzer, text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    analyzer.token_stream(text).process(&mut |t| {
        if !out.contains(&t.text) {
            out.push(t.text.clone());
        }
    });
    out
}

/// The distinct index words of a text, in order.
pub fn words(text: &str) -> Vec<String> {
    collect(word_analyzer(), text)
}

/// The distinct character unigrams and bigrams of a text, in order.
pub fn chars(text: &str) -> Vec<String> {
    collect(char_analyzer(), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_segmented_with_sub_words_and_telecom_vocabulary() {
        let w = words("我的宽带账号欠费停机了怎么办");
        for expected in ["宽带", "账号", "宽带账号", "欠费", "停机"] {
            assert!(
                w.contains(&expected.to_owned()),
                "{expected} missing in {w:?}"
            );
        }
        for stop in ["我的", "了", "怎么办"] {
            assert!(!w.contains(&stop.to_owned()), "{stop} kept in {w:?}");
        }
    }

    #[test]
    fn english_is_lowercased_and_stemmed_and_mixed_text_works() {
        assert_eq!(words("Checking my Bills"), vec!["check", "bill"]);
        let w = words("5G套餐怎么退订VoLTE");
        assert!(
            w.contains(&"5g".to_owned()) && w.contains(&"套餐".to_owned()),
            "{w:?}"
        );
        assert!(
            w.contains(&"退订".to_owned()) && w.contains(&"volt".to_owned()),
            "{w:?}"
        );
    }

    #[test]
    fn characters_give_unigrams_and_bigrams_of_chinese_runs_only() {
        assert_eq!(chars("话费ab查"), vec!["话", "话费", "费", "查"]);
        assert!(chars("Wi-Fi 5G").is_empty());
    }
}
