//! Languages: which ones articast reads, how the language of an article is decided,
//! and how text is turned into what a speaker should say ([`normalize`]).

pub mod common_words;
pub mod detect;
pub mod ipa;
pub mod lexicon;
pub mod normalize;

use serde::Serialize;

/// A language articast can normalize and speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// French.
    #[serde(rename = "fr")]
    French,
    /// English.
    #[serde(rename = "en")]
    English,
    /// German.
    #[serde(rename = "de")]
    German,
    /// Spanish.
    #[serde(rename = "es")]
    Spanish,
}

impl Language {
    /// Every supported language.
    pub const ALL: [Language; 4] = [
        Language::French,
        Language::English,
        Language::German,
        Language::Spanish,
    ];

    /// The BCP 47 primary subtag.
    pub fn code(self) -> &'static str {
        match self {
            Language::French => "fr",
            Language::English => "en",
            Language::German => "de",
            Language::Spanish => "es",
        }
    }

    /// The language's English name.
    pub fn name(self) -> &'static str {
        match self {
            Language::French => "French",
            Language::English => "English",
            Language::German => "German",
            Language::Spanish => "Spanish",
        }
    }

    /// Parses a BCP 47 tag (`fr`, `fr-CA`, `en_GB`, `French`) into a supported language.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" | "fra" | "fre" | "french" | "français" | "francais" => Some(Language::French),
            "en" | "eng" | "english" => Some(Language::English),
            "de" | "deu" | "ger" | "german" | "deutsch" => Some(Language::German),
            "es" | "spa" | "spanish" | "español" | "espanol" => Some(Language::Spanish),
            _ => None,
        }
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Parses a `--lang` value for clap, listing the supported tags on error.
pub fn parse_language_arg(tag: &str) -> Result<Language, String> {
    Language::from_tag(tag).ok_or_else(|| {
        let known: Vec<_> = Language::ALL.iter().map(|l| l.code()).collect();
        format!(
            "unsupported language '{tag}'; articast reads {}",
            known.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert_eq!(Language::from_tag("fr-CA"), Some(Language::French));
        assert_eq!(Language::from_tag("en_GB"), Some(Language::English));
        assert_eq!(Language::from_tag("de-AT"), Some(Language::German));
        assert_eq!(Language::from_tag("it"), None);
        assert!(parse_language_arg("xx")
            .unwrap_err()
            .contains("fr, en, de, es"));
    }
}
