//! Deciding an article's language: the user's `--lang`, else what the source declares,
//! else statistical detection (`whatlang`) over the article's text.

use serde::Serialize;

use super::Language;
use crate::document::Document;

/// How the language was decided, for the render summary and `script --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LanguageSource {
    /// Given with `--lang`.
    Flag,
    /// Declared by the document (front matter, `<html lang>`).
    Document,
    /// Detected from the text.
    Detected,
}

/// Why no language could be settled on.
#[derive(Debug, thiserror::Error)]
pub enum LanguageError {
    /// The document declares a language articast does not read.
    #[error("{source_path}: the article declares language '{tag}', which articast cannot read yet; pass --lang fr, en, de or es to read it anyway")]
    Unsupported {
        /// The article.
        source_path: String,
        /// The declared tag.
        tag: String,
    },
    /// Detection found a language articast does not read, or could not decide.
    #[error("{source_path}: the article looks like {found}, which articast cannot read yet; pass --lang fr, en, de or es to read it anyway")]
    Undetected {
        /// The article.
        source_path: String,
        /// What detection found.
        found: String,
    },
}

/// Picks the article's language.
pub fn decide(
    doc: &Document,
    flag: Option<Language>,
) -> Result<(Language, LanguageSource), LanguageError> {
    if let Some(lang) = flag {
        return Ok((lang, LanguageSource::Flag));
    }
    let source_path = doc.meta.source.display().to_string();
    if let Some(tag) = &doc.meta.language {
        return Language::from_tag(tag)
            .map(|l| (l, LanguageSource::Document))
            .ok_or_else(|| LanguageError::Unsupported {
                source_path,
                tag: tag.clone(),
            });
    }
    let sample: String = doc
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let sample: String = sample.chars().take(20_000).collect();
    detect_text(&sample)
        .map(|l| (l, LanguageSource::Detected))
        .ok_or_else(|| LanguageError::Undetected {
            source_path,
            found: whatlang::detect_lang(&sample).map_or("no known language".to_string(), |l| {
                l.eng_name().to_string()
            }),
        })
}

/// Detects a supported language in `text`; `None` when it is another, or too unclear.
pub fn detect_text(text: &str) -> Option<Language> {
    let detector = whatlang::Detector::with_allowlist(vec![
        whatlang::Lang::Fra,
        whatlang::Lang::Eng,
        whatlang::Lang::Deu,
        whatlang::Lang::Spa,
        whatlang::Lang::Ita,
        whatlang::Lang::Por,
        whatlang::Lang::Nld,
    ]);
    match detector.detect(text)?.lang() {
        whatlang::Lang::Fra => Some(Language::French),
        whatlang::Lang::Eng => Some(Language::English),
        whatlang::Lang::Deu => Some(Language::German),
        whatlang::Lang::Spa => Some(Language::Spanish),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_french_and_english() {
        assert_eq!(
            detect_text("Depuis deux ans, l'intelligence artificielle est devenue un théâtre géopolitique à part entière."),
            Some(Language::French)
        );
        assert_eq!(
            detect_text("For two years, artificial intelligence has become a geopolitical theatre in its own right."),
            Some(Language::English)
        );
        assert_eq!(
            detect_text("Seit zwei Jahren ist die künstliche Intelligenz ein geopolitisches Theater geworden."),
            Some(Language::German)
        );
        assert_eq!(detect_text("Da due anni l'intelligenza artificiale è diventata un teatro geopolitico a tutti gli effetti."), None);
    }
}
