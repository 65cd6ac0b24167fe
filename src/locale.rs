//! The UI languages (Simplified Chinese and English) and how a request's language is chosen:
//! the user's stored choice, else the `Accept-Language` header, else Simplified Chinese.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A UI language. Codes are BCP 47 tags and are stable (stored in the database and cookies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    /// Simplified Chinese, the default.
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

/// A language code that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown locale {0:?}")]
pub struct UnknownLocale(pub String);

impl Locale {
    /// All supported languages, in the order the language switch shows them.
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// The stable code (`zh-CN`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// The language's own name, as shown in the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::ZhCn => "中文",
            Locale::En => "English",
        }
    }

    /// Picks the best supported language from an `Accept-Language` header value, honouring
    /// quality weights. `None` when the header names nothing we speak.
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(f32, usize, Locale)> = None;
        for (index, part) in accept_language.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let quality = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if quality <= 0.0 {
                continue;
            }
            let primary = tag.split('-').next().unwrap_or("");
            let locale = match primary {
                "zh" => Locale::ZhCn,
                "en" => Locale::En,
                _ => continue,
            };
            // Higher quality wins; among equals, the earlier entry wins.
            let better = match best {
                None => true,
                Some((q, i, _)) => quality > q || (quality == q && index < i),
            };
            if better {
                best = Some((quality, index, locale));
            }
        }
        best.map(|(_, _, l)| l)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Locale {
    type Err = UnknownLocale;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh-cn" | "zh" | "zh-hans" => Ok(Locale::ZhCn),
            "en" | "en-us" | "en-gb" => Ok(Locale::En),
            _ => Err(UnknownLocale(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for l in Locale::ALL {
            assert_eq!(l.code().parse::<Locale>(), Ok(l));
        }
        assert!("fr".parse::<Locale>().is_err());
    }

    proptest::proptest! {
        /// Any header value, however malformed, yields a supported language or none.
        #[test]
        fn negotiation_never_panics(header in "\\PC{0,120}") {
            let _ = Locale::negotiate(&header);
        }
    }

    #[test]
    fn negotiation_honours_quality_and_order() {
        assert_eq!(Locale::negotiate("en-US,en;q=0.9"), Some(Locale::En));
        assert_eq!(
            Locale::negotiate("zh-CN,zh;q=0.9,en;q=0.8"),
            Some(Locale::ZhCn)
        );
        assert_eq!(
            Locale::negotiate("fr;q=1, en;q=0.5, zh;q=0.7"),
            Some(Locale::ZhCn)
        );
        assert_eq!(Locale::negotiate("de, fr"), None);
        assert_eq!(Locale::negotiate("zh;q=0, en"), Some(Locale::En));
        assert_eq!(Locale::negotiate(""), None);
    }
}
