//! Deciding an article's language: the user's `--lang`, else what the source declares,
//! else detection over the article's text: character statistics (`whatlang`) when the
//! text is long enough to trust them, common words ([`super::common_words`]) and the
//! system locale when it is not. A short text in a language articast reads is never
//! refused.

use serde::{Deserialize, Serialize};

use super::Language;
use crate::document::Document;

/// How the language was decided, for the render summary and `script --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LanguageSource {
    /// Given with `--lang`.
    Flag,
    /// Declared by the document (front matter, `<html lang>`).
    Document,
    /// Detected from the text.
    Detected,
    /// The text was too short to tell; the system locale's language was used.
    Locale,
    /// The text was too short to tell and the locale did not help: the likeliest of the
    /// languages articast reads was taken.
    Guessed,
}

impl LanguageSource {
    /// Whether the choice is a fallback the user should hear about.
    pub fn is_uncertain(self) -> bool {
        matches!(self, LanguageSource::Locale | LanguageSource::Guessed)
    }
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
    /// Detection found, with confidence, a language articast does not read.
    #[error("{source_path}: the article looks like {found}, which articast cannot read yet; pass --lang fr, en, de or es to read it anyway")]
    Undetected {
        /// The article.
        source_path: String,
        /// What detection found.
        found: String,
    },
}

/// Fewer words than this and character statistics are not trusted to refuse a text.
const SHORT_TEXT_WORDS: usize = 12;

/// Picks the article's language.
pub fn decide(
    doc: &Document,
    flag: Option<Language>,
) -> Result<(Language, LanguageSource), LanguageError> {
    if let Some(lang) = flag {
        return Ok((lang, LanguageSource::Flag));
    }
    let source_path = doc.meta.display_source();
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
    match detect(&sample, locale_language()) {
        Detection::Supported(language, source) => Ok((language, source)),
        Detection::Foreign(found) => Err(LanguageError::Undetected { source_path, found }),
    }
}

/// What detection concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detection {
    /// A language articast reads, and how sure the choice is.
    Supported(Language, LanguageSource),
    /// Confidently another language (its English name).
    Foreign(String),
}

/// Detects the language of `text`, among the ones articast reads unless the text is
/// long enough to be confidently another one. Short texts are never refused: common
/// words decide, then character statistics limited to the four languages, then
/// `locale`, then the likeliest guess.
pub fn detect(text: &str, locale: Option<Language>) -> Detection {
    let (scores, words) = super::common_words::scores(text);
    let full = whatlang::detect(text);
    let ranked = {
        let mut r: Vec<(usize, f64)> = scores.iter().copied().enumerate().collect();
        r.sort_by(|a, b| b.1.total_cmp(&a.1));
        r
    };
    let (best, best_score) = ranked[0];
    let share = if words == 0 {
        0.0
    } else {
        best_score / words as f64
    };
    if let Some(info) = &full {
        let supported = supported(info.lang());
        // Scripts without spaces between words (Chinese, Japanese) count by letters.
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let long = words >= SHORT_TEXT_WORDS || (letters >= 30 && letters > 8 * words);
        if (info.is_reliable() || info.confidence() >= 0.5) && long {
            if let Some(language) = supported {
                return Detection::Supported(language, LanguageSource::Detected);
            }
            // Confidently foreign, unless the text is full of our languages' words.
            if share < 0.3 {
                return Detection::Foreign(english_name(info.lang()));
            }
        }
    }
    let clear_winner = best_score >= 1.0 && best_score > ranked[1].1;
    if clear_winner {
        return Detection::Supported(Language::ALL[best], LanguageSource::Detected);
    }
    let restricted = whatlang::Detector::with_allowlist(vec![
        whatlang::Lang::Fra,
        whatlang::Lang::Eng,
        whatlang::Lang::Deu,
        whatlang::Lang::Spa,
    ])
    .detect(text);
    if let Some(info) = &restricted {
        if info.is_reliable() {
            if let Some(language) = supported(info.lang()) {
                return Detection::Supported(language, LanguageSource::Detected);
            }
        }
    }
    if let Some(language) = locale {
        return Detection::Supported(language, LanguageSource::Locale);
    }
    let guess = restricted
        .and_then(|i| supported(i.lang()))
        .unwrap_or(if best_score > 0.0 {
            Language::ALL[best]
        } else {
            Language::English
        });
    Detection::Supported(guess, LanguageSource::Guessed)
}

/// Detects a supported language in `text`; `None` when it is confidently another.
pub fn detect_text(text: &str) -> Option<Language> {
    match detect(text, None) {
        Detection::Supported(language, _) => Some(language),
        Detection::Foreign(_) => None,
    }
}

fn supported(lang: whatlang::Lang) -> Option<Language> {
    match lang {
        whatlang::Lang::Fra => Some(Language::French),
        whatlang::Lang::Eng => Some(Language::English),
        whatlang::Lang::Deu => Some(Language::German),
        whatlang::Lang::Spa => Some(Language::Spanish),
        _ => None,
    }
}

/// A language's English name, as people write it.
fn english_name(lang: whatlang::Lang) -> String {
    match lang {
        whatlang::Lang::Nob => "Norwegian (Bokmål)".into(),
        whatlang::Lang::Cmn => "Chinese".into(),
        other => other.eng_name().to_string(),
    }
}

/// The language of the system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), when it is one
/// articast reads.
pub fn locale_language() -> Option<Language> {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .filter(|v| v != "C" && v != "POSIX" && !v.starts_with("C."))
        .and_then(|v| Language::from_tag(&v))
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

    #[test]
    fn short_texts_in_our_languages_are_never_refused() {
        let cases = [
            ("Our new app ships today.", Language::English),
            (
                "Thanks for listening, see you next week.",
                Language::English,
            ),
            ("Bonjour, merci beaucoup.", Language::French),
            ("Guten Morgen, danke schön.", Language::German),
            ("Hola, ¿qué tal?", Language::Spanish),
        ];
        for (text, expected) in cases {
            assert_eq!(
                detect(text, None),
                Detection::Supported(expected, LanguageSource::Detected),
                "{text}"
            );
        }
        // Nothing to go on: the locale, else a guess, never a refusal.
        assert_eq!(
            detect("Xyzzy.", Some(Language::German)),
            Detection::Supported(Language::German, LanguageSource::Locale)
        );
        assert!(matches!(
            detect("Xyzzy.", None),
            Detection::Supported(_, LanguageSource::Guessed)
        ));
    }

    #[test]
    fn foreign_languages_are_named_as_people_write_them() {
        let chinese = "人工智能正在改变世界。我们需要新的规则来管理这些系统，保护公民的隐私和权利，同时鼓励创新和经济发展。";
        assert_eq!(detect(chinese, None), Detection::Foreign("Chinese".into()));
        let norwegian = "Det er mange som mener at kunstig intelligens vil forandre hvordan vi arbeider, lærer og lever sammen i årene som kommer, og regjeringen vil derfor legge fram en ny strategi.";
        assert_eq!(
            detect(norwegian, None),
            Detection::Foreign("Norwegian (Bokmål)".into())
        );
    }
}
