//! IPA pronunciations: how a lexicon entry given in IPA travels to the speech engines.
//!
//! A lexicon entry may say a word in IPA (`Kubernetes = "ˌkuːbɚˈnɛtiːz"` in `[ipa]`).
//! Normalization replaces the word with a *phoneme span*, `⟦Kubernetes|ˌkuːbɚˈnɛtiːz⟧`,
//! in the chunk's spoken text (no whitespace inside: spaces become `‿`, so no splitter
//! cuts a span). Each backend then reads the spans its own way:
//!
//! - eSpeak NG (built in and system) reads phonemes written in its own mnemonics between
//!   `[[` and `]]`; [`to_espeak_markup`] converts the IPA with a table per language
//!   (`ʁ` is `r` in French and `R` in German, for example), checked against the built-in
//!   engine, which reads the mnemonics back as IPA, in this module's tests.
//! - Piper voices take IPA phonemes: the span's IPA goes straight to the voice.
//! - Engines that only read text (OpenAI, an external command) get the written word
//!   ([`written_only`]).
//!
//! Text from articles never carries spans or eSpeak NG phoneme input: normalization
//! turns `⟦`, `⟧`, `[[` and `]]` in it into plain brackets.

use std::borrow::Cow;

use super::Language;

/// Opens a phoneme span in spoken text.
pub const OPEN: char = '⟦';
/// Closes a phoneme span.
pub const CLOSE: char = '⟧';
/// Separates the written word from its IPA inside a span.
const SEPARATOR: char = '|';
/// Stands for a space inside a span (IPA's linking mark).
const LINK: char = '‿';

/// Why an IPA pronunciation cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IpaError {
    /// Nothing to say.
    #[error("the IPA is empty")]
    Empty,
    /// A character that is not an IPA symbol articast reads.
    #[error("'{symbol}' (U+{code:04X}, character {position}) is not an IPA symbol articast reads; IPA is written in lower-case letters such as ʃ ŋ ə ɛ̃ with ˈ for stress and ː for length")]
    Unknown {
        /// The character.
        symbol: char,
        /// Its code point.
        code: u32,
        /// Its place in the IPA, from 1.
        position: usize,
    },
}

/// One piece of spoken text: plain text or a phoneme span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text, read as text.
    Text(&'a str),
    /// A word given in IPA.
    Phonemes {
        /// The word as written (what a text-only engine reads).
        written: String,
        /// Its IPA, words separated by spaces.
        ipa: String,
    },
}

/// The phoneme span that says `written` as `ipa` (already [`clean`]ed).
pub fn span(written: &str, ipa: &str) -> String {
    let link = |s: &str| {
        s.replace(LINK, " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(&LINK.to_string())
            .replace([OPEN, CLOSE, SEPARATOR], "")
    };
    format!("{OPEN}{}{SEPARATOR}{}{CLOSE}", link(written), link(ipa))
}

/// Whether `text` holds a phoneme span.
pub fn has_spans(text: &str) -> bool {
    text.contains(OPEN)
}

/// Splits spoken text into text and phoneme spans. An unclosed span is text.
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let inner_start = start + OPEN.len_utf8();
        let Some(len) = rest[inner_start..].find(CLOSE) else {
            break;
        };
        let inner = &rest[inner_start..inner_start + len];
        let (written, ipa) = inner.rsplit_once(SEPARATOR).unwrap_or(("", inner));
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        let unlink = |s: &str| s.replace(LINK, " ");
        out.push(Piece::Phonemes {
            written: unlink(written),
            ipa: unlink(ipa),
        });
        rest = &rest[inner_start + len + CLOSE.len_utf8()..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// Spoken text with every span replaced by what `say` makes of its written word and
/// IPA; the text itself, borrowed, when it has none.
fn rewrite_spans<'a>(text: &'a str, say: impl Fn(String, String) -> String) -> Cow<'a, str> {
    if !has_spans(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        pieces(text)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t.to_string(),
                Piece::Phonemes { written, ipa } => say(written, ipa),
            })
            .collect(),
    )
}

/// Spoken text with every span replaced by its written word, for engines that read text.
pub fn written_only(text: &str) -> Cow<'_, str> {
    rewrite_spans(text, |written, _| written)
}

/// Spoken text with every span written as eSpeak NG phoneme input (`[[kˌuːb3n'Eti:z]]`)
/// in `language`'s mnemonics.
pub fn to_espeak_markup(text: &str, language: Language) -> Cow<'_, str> {
    rewrite_spans(text, |_, ipa| {
        format!("[[{}]]", espeak_mnemonics(&ipa, language))
    })
}

/// Marks that say how a sound is said rather than which sound it is, dropped: syllable
/// breaks, tie bars, aspiration, palatalization, and diacritics (syllabic, dental, …).
fn ignored(c: char) -> bool {
    matches!(
        c,
        '.' | '‿' | 'ʰ' | 'ʲ' | 'ʷ' | 'ˠ' | 'ˤ' | 'ˑ' | '\u{035C}' | '\u{0361}'
    ) || ('\u{0300}'..='\u{036F}').contains(&c) && c != '\u{0303}'
}

/// Stress and length marks (as [`clean`] writes them), kept.
fn prosodic(c: char) -> Option<&'static str> {
    match c {
        'ˈ' => Some("'"),
        'ˌ' => Some(","),
        'ː' => Some(":"),
        _ => None,
    }
}

/// Checks a user's IPA and writes it the canonical way: without the slashes or brackets
/// dictionaries put around it, spaces collapsed, ASCII `g` as IPA `ɡ`, apostrophes as
/// stress marks, composed (NFC) so that `ɛ̃` is always the same characters.
pub fn clean(ipa: &str) -> Result<String, IpaError> {
    use unicode_normalization::UnicodeNormalization;
    let trimmed = ipa
        .trim()
        .trim_matches(|c| matches!(c, '/' | '[' | ']'))
        .trim();
    let composed: String = trimmed.nfc().collect();
    let mut out = String::new();
    for (i, c) in composed.chars().enumerate() {
        let c = match c {
            'g' => 'ɡ',
            '\'' => 'ˈ',
            ',' => 'ˌ',
            ':' => 'ː',
            c if c.is_whitespace() || c == LINK => ' ',
            c => c,
        };
        if c == ' ' {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        if !(ignored(c) || prosodic(c).is_some() || c == '\u{0303}' || sound(c).is_some()) {
            return Err(IpaError::Unknown {
                symbol: c,
                code: c as u32,
                position: i + 1,
            });
        }
        out.push(c);
    }
    let out = out.trim_end().to_string();
    if !out.chars().any(|c| sound(c).is_some()) {
        return Err(IpaError::Empty);
    }
    Ok(out)
}

/// The eSpeak NG mnemonic of one IPA sound, in any language (overridden per language
/// by [`in_language`]).
fn sound(c: char) -> Option<&'static str> {
    Some(match c {
        // Vowels.
        'a' => "a",
        'ɑ' => "A",
        'ɐ' => "a#",
        'æ' => "a",
        'ə' => "@",
        'ɜ' => "3",
        'ɚ' => "3",
        'ɝ' => "3:",
        'ɒ' => "0",
        'ɔ' => "O",
        'o' => "o",
        'e' => "e",
        'ɛ' => "E",
        'i' => "i",
        'ɪ' => "I",
        'u' => "u",
        'ʊ' => "U",
        'ʌ' => "V",
        'y' => "y",
        'ʏ' => "y",
        'ø' => "Y",
        'œ' => "W",
        'ɨ' => "i",
        'ʉ' => "u",
        'ɯ' => "u",
        'ɤ' => "o",
        'ɵ' => "@",
        'ɘ' => "@",
        // eSpeak NG's own symbols in its IPA output (American "roses", a faint schwa).
        'ᵻ' => "I2",
        'ᵊ' => "@",
        'ã' => "A~",
        'õ' => "O~",
        'ẽ' => "E~",
        // Consonants.
        'p' => "p",
        'b' => "b",
        't' => "t",
        'd' => "d",
        'k' => "k",
        'ɡ' => "g",
        'q' => "k",
        'm' => "m",
        'ɱ' => "m",
        'n' => "n",
        'ɳ' => "n",
        'ŋ' => "N",
        'ɲ' => "n^",
        'f' => "f",
        'ɸ' => "f",
        'v' => "v",
        'ʋ' => "v",
        'θ' => "T",
        'ð' => "D",
        's' => "s",
        'z' => "z",
        'ʃ' => "S",
        'ʒ' => "Z",
        'ɕ' => "S",
        'ʑ' => "Z",
        'ʂ' => "S",
        'ʐ' => "Z",
        'h' => "h",
        'ɦ' => "h",
        'x' => "x",
        'ç' => "C",
        'χ' => "X",
        'ɣ' => "Q",
        'β' => "B",
        'j' => "j",
        'ʝ' => "j",
        'w' => "w",
        'ʍ' => "w",
        'ɥ' => "y",
        'l' => "l",
        'ɫ' => "l",
        'ɭ' => "l",
        'ʎ' => "l^",
        'ɬ' => "l#",
        'r' => "R",
        'ɾ' => "r",
        'ɹ' => "r",
        'ɻ' => "r",
        'ʁ' => "r",
        'ʀ' => "r",
        'ʔ' => "?",
        'c' => "c",
        'ɟ' => "J",
        'ʈ' => "t",
        'ɖ' => "d",
        _ => return None,
    })
}

/// Where `language`'s eSpeak NG voice names a sound otherwise, or lacks it and the
/// nearest sound it has stands in (French has no `ʊ`, Spanish no `ɪ`).
fn in_language(c: char, language: Language) -> Option<&'static str> {
    Some(match (language, c) {
        (Language::French, 'ɑ' | 'æ') => "a",
        (Language::French, 'ʊ') => "u",
        (Language::French, 'ɒ') => "O",
        (Language::French, 'ɜ' | 'ɚ' | 'ɝ') => "@",
        (Language::English, 'r') => "r",
        (Language::English, 'ɾ') => "t#",
        (Language::English, 'ɑ') => "A:",
        (Language::English, 'y' | 'ʏ') => "u:",
        (Language::English, 'ø' | 'œ') => "3:",
        (Language::English, 'ɥ') => "w",
        (Language::German, 'ʁ' | 'ʀ') => "R",
        (Language::German, 'ɐ' | 'ɚ') => "3",
        (Language::German, 'ø') => "Y:",
        (Language::German, 'ɒ') => "O",
        (Language::German, 'ʌ') => "a",
        (Language::Spanish, 'ɑ' | 'æ' | 'ʌ') => "a",
        (Language::Spanish, 'ɪ' | 'ᵻ') => "i",
        (Language::Spanish, 'ɒ') => "o",
        (Language::Spanish, 'ɜ' | 'ɚ' | 'ɝ' | 'œ') => "e",
        _ => return None,
    })
}

/// Nasal vowels (a vowel followed by U+0303), named per language.
fn nasal(vowel: char, language: Language) -> Option<&'static str> {
    let spanish = language == Language::Spanish;
    Some(match vowel {
        'ɛ' | 'e' => {
            if spanish {
                "e"
            } else {
                "E~"
            }
        }
        'ɑ' | 'a' => {
            if spanish {
                "a"
            } else {
                "A~"
            }
        }
        'ɔ' | 'o' => {
            if spanish {
                "o"
            } else {
                "O~"
            }
        }
        'œ' | 'ø' => match language {
            Language::French | Language::German => "W~",
            Language::Spanish => "e",
            Language::English => "A~",
        },
        _ => return None,
    })
}

/// `ipa` (as [`clean`] leaves it) in `language`'s eSpeak NG mnemonics. Symbols
/// articast does not read are left out.
pub fn espeak_mnemonics(ipa: &str, language: Language) -> String {
    let chars: Vec<char> = ipa.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        // eSpeak NG's `@U` is not the diphthong `əʊ` (British "go"), `oU` is.
        if matches!((c, next), ('ə' | 'o', Some('ʊ'))) {
            out.push_str("oU");
            i += 2;
            continue;
        }
        if next == Some('\u{0303}') {
            if let Some(m) = nasal(c, language) {
                out.push_str(m);
                i += 2;
                continue;
            }
        }
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else if let Some(mark) = prosodic(c) {
            // A length mark after a mnemonic that is long already is not doubled.
            if !(mark == ":" && out.ends_with(':')) {
                out.push_str(mark);
            }
        } else if let Some(m) = in_language(c, language).or_else(|| sound(c)) {
            out.push_str(m);
        }
        i += 1;
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_survive_a_round_trip_and_text_engines_read_the_word() {
        let s = format!("le {} est là", span("New York", "nuː jɔːk"));
        assert_eq!(s, "le ⟦New‿York|nuː‿jɔːk⟧ est là");
        let inner = s.split(OPEN).nth(1).unwrap().split(CLOSE).next().unwrap();
        assert!(!inner.contains(' '), "{inner}");
        assert_eq!(
            pieces(&s),
            [
                Piece::Text("le "),
                Piece::Phonemes {
                    written: "New York".into(),
                    ipa: "nuː jɔːk".into()
                },
                Piece::Text(" est là"),
            ]
        );
        assert_eq!(written_only(&s), "le New York est là");
        assert_eq!(written_only("rien"), "rien");
        assert_eq!(pieces("a ⟦ b"), [Piece::Text("a ⟦ b")]);
    }

    #[test]
    fn user_ipa_is_cleaned_or_refused_with_the_symbol_named() {
        assert_eq!(clean(" /ˈkuːbɚnɛtiːz/ ").unwrap(), "ˈkuːbɚnɛtiːz");
        assert_eq!(clean("[gif]").unwrap(), "ɡif");
        assert_eq!(clean("'sal  ,y").unwrap(), "ˈsal ˌy");
        assert_eq!(clean("t͡ʃɛk").unwrap(), "t͡ʃɛk");
        assert_eq!(clean("ɛ̃"), Ok("ɛ̃".to_string()));
        assert_eq!(clean(" // "), Err(IpaError::Empty));
        let err = clean("kuBer").unwrap_err();
        assert_eq!(
            err,
            IpaError::Unknown {
                symbol: 'B',
                code: 0x42,
                position: 3
            }
        );
        assert!(err.to_string().contains("'B'"), "{err}");
        assert!(clean("a|b").is_err() && clean("a⟧").is_err());
    }

    #[test]
    fn mnemonics_follow_each_language() {
        let fr = |s: &str| espeak_mnemonics(&clean(s).unwrap(), Language::French);
        assert_eq!(fr("kybɛʁnɛtɛs"), "kybErnEtEs");
        assert_eq!(fr("bɔ̃ʒuʁ"), "bO~Zur");
        assert_eq!(fr("ʁ r"), "r R");
        let en = |s: &str| espeak_mnemonics(&clean(s).unwrap(), Language::English);
        // Stress marks stay where IPA puts them, before the syllable: eSpeak NG stresses
        // the vowel that follows.
        assert_eq!(en("ˌkuːbɚˈnɛtiːz"), ",ku:b3'nEti:z");
        assert_eq!(en("ɡəʊ ɡoʊ ˈaɪ"), "goU goU 'aI");
        assert_eq!(en("ɹɛd ɑː"), "rEd A:");
        let de = |s: &str| espeak_mnemonics(&clean(s).unwrap(), Language::German);
        assert_eq!(de("ʁøːʁə"), "RY:R@");
        let es = |s: &str| espeak_mnemonics(&clean(s).unwrap(), Language::Spanish);
        assert_eq!(es("ˈpeɾo ˈpero"), "'pero 'peRo");
    }

    #[test]
    fn espeak_markup_wraps_each_span() {
        let s = format!("{} ok", span("GIF", "dʒɪf"));
        assert_eq!(to_espeak_markup(&s, Language::English), "[[dZIf]] ok");
    }
}
