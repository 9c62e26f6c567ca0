//! Text to Piper model input, exactly as the reference implementation (`piper-tts`)
//! builds it.
//!
//! eSpeak NG phonemizes one clause at a time and says how each clause ended. The
//! reference then, for every clause: removes language-switch marks such as `(en)`,
//! appends the clause's punctuation (`.`, `?`, `!`, `,`, `:`, `;`, or nothing), adds a
//! space after `,` `:` `;`, decomposes the string into Unicode NFD code points (so a
//! nasal `ɔ̃` becomes `ɔ` + U+0303), and starts a new sentence after a clause that ends
//! one. Each sentence becomes `^ _ p1 _ p2 _ … pn _ $`: BOS, then every known symbol
//! followed by the pad symbol, then EOS; symbols missing from the voice's map are
//! dropped. [`ClauseSource`] produces the clauses; everything after is here, pure and
//! tested against the reference's own sequences (`tests/piper_conformance.rs`).

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// Beginning of sentence.
pub const BOS: &str = "^";
/// End of sentence.
pub const EOS: &str = "$";
/// Padding, after every symbol.
pub const PAD: &str = "_";

/// eSpeak NG's clause flags (readclause.h), as the reference reads them.
mod flags {
    pub const INTONATION_COMMA: i32 = 0x0000_1000;
    pub const INTONATION_QUESTION: i32 = 0x0000_2000;
    pub const INTONATION_EXCLAMATION: i32 = 0x0000_3000;
    pub const TYPE_CLAUSE: i32 = 0x0004_0000;
    pub const TYPE_SENTENCE: i32 = 0x0008_0000;
    pub const PERIOD: i32 = 40 | TYPE_SENTENCE;
    pub const COMMA: i32 = 20 | INTONATION_COMMA | TYPE_CLAUSE;
    pub const QUESTION: i32 = 40 | INTONATION_QUESTION | TYPE_SENTENCE;
    pub const EXCLAMATION: i32 = 45 | INTONATION_EXCLAMATION | TYPE_SENTENCE;
    pub const COLON: i32 = 30 | TYPE_CLAUSE;
    pub const SEMICOLON: i32 = 30 | INTONATION_COMMA | TYPE_CLAUSE;
}

/// One clause: its phonemes and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// IPA phonemes, words separated by spaces.
    pub phonemes: String,
    /// The punctuation kept after it: `.`, `?`, `!`, `,`, `:`, `;` or empty.
    pub terminator: &'static str,
    /// Whether a new sentence starts after it.
    pub ends_sentence: bool,
}

/// The terminator and sentence end that eSpeak NG's clause `flags` mean, as the
/// reference's bridge maps them.
pub fn terminator_from_flags(flag_bits: i32) -> (&'static str, bool) {
    let f = flag_bits & 0x000F_FFFF;
    let terminator = match f {
        flags::PERIOD => ".",
        flags::QUESTION => "?",
        flags::EXCLAMATION => "!",
        flags::COMMA => ",",
        flags::COLON => ":",
        flags::SEMICOLON => ";",
        _ => "",
    };
    (terminator, f & flags::TYPE_SENTENCE == flags::TYPE_SENTENCE)
}

/// Closing marks eSpeak NG looks past when it finds how a clause ended.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '}' | '»' | '”' | '’' | '›' | '\u{a0}' | '\u{202f}'
    ) || c.is_whitespace()
}

/// The terminator and sentence end of a clause from the text it consumed, for eSpeak NG
/// libraries older than 1.52 that do not report them: the same rules as eSpeak NG's
/// clause reader for the punctuation it ends clauses on.
pub fn terminator_from_text(consumed: &str) -> (&'static str, bool) {
    let trimmed = consumed.trim_end_matches(is_closing);
    if trimmed.ends_with("...") || trimmed.ends_with('…') {
        return ("", false);
    }
    match trimmed.chars().last() {
        Some('.') | Some('。') => (".", true),
        Some('?') | Some('？') => ("?", true),
        Some('!') | Some('！') => ("!", true),
        Some(',') | Some('，') | Some('、') => (",", false),
        Some(':') => (":", false),
        Some(';') => (";", false),
        Some('—') | Some('–') => (";", false),
        _ => ("", true),
    }
}

/// Removes eSpeak NG's language-switch marks (`(en)`, `(fr)`) as the reference does with
/// the pattern `\([^)]+\)`.
fn strip_language_switches(phonemes: &str) -> String {
    let mut out = String::with_capacity(phonemes.len());
    let mut rest = phonemes;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        match after.find(')') {
            Some(close) if close > 0 => {
                out.push_str(&rest[..open]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Merges known vowel clusters (longest first), as the reference does for voices that
/// declare `vowel_clusters`.
fn merge_vowel_clusters(phones: Vec<String>, clusters: &[Vec<String>]) -> Vec<String> {
    let longest = clusters.iter().map(Vec::len).max().unwrap_or(0);
    if longest < 2 {
        return phones;
    }
    let mut out = Vec::with_capacity(phones.len());
    let mut i = 0;
    while i < phones.len() {
        let mut matched = None;
        for n in (2..=longest.min(phones.len() - i)).rev() {
            if clusters
                .iter()
                .any(|c| c.len() == n && c[..] == phones[i..i + n])
            {
                matched = Some(n);
                break;
            }
        }
        match matched {
            Some(n) => {
                out.push(phones[i..i + n].concat());
                i += n;
            }
            None => {
                out.push(phones[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// Clauses to sentences of phoneme symbols, as the reference groups them. Empty
/// sentences are dropped.
pub fn sentences(clauses: &[Clause], vowel_clusters: &[Vec<String>]) -> Vec<Vec<String>> {
    let mut all = Vec::new();
    let mut sentence: Vec<String> = Vec::new();
    for clause in clauses {
        let mut text = strip_language_switches(&clause.phonemes);
        text.push_str(clause.terminator);
        if matches!(clause.terminator, "," | ":" | ";") {
            text.push(' ');
        }
        sentence.extend(text.nfd().map(String::from));
        if clause.ends_sentence {
            all.push(merge_vowel_clusters(
                std::mem::take(&mut sentence),
                vowel_clusters,
            ));
        }
    }
    if !sentence.is_empty() {
        all.push(merge_vowel_clusters(sentence, vowel_clusters));
    }
    all.retain(|s| !s.is_empty());
    all
}

/// The symbols of a `text`-type voice: the text's NFD code points.
pub fn text_symbols(text: &str) -> Vec<String> {
    text.nfd().map(String::from).collect()
}

/// Model input for one sentence: BOS, PAD, then each known symbol followed by PAD, then
/// EOS. Also returns the symbols the map lacks (dropped, as the reference drops them).
pub fn phoneme_ids(symbols: &[String], map: &HashMap<String, Vec<i64>>) -> (Vec<i64>, Vec<String>) {
    let get = |s: &str| map.get(s).map(Vec::as_slice).unwrap_or(&[]);
    let mut ids = Vec::with_capacity(symbols.len() * 2 + 3);
    let mut missing = Vec::new();
    ids.extend_from_slice(get(BOS));
    ids.extend_from_slice(get(PAD));
    for symbol in symbols {
        match map.get(symbol.as_str()) {
            Some(id) => {
                ids.extend_from_slice(id);
                ids.extend_from_slice(get(PAD));
            }
            None => missing.push(symbol.clone()),
        }
    }
    ids.extend_from_slice(get(EOS));
    (ids, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(p: &str, t: &'static str, end: bool) -> Clause {
        Clause {
            phonemes: p.into(),
            terminator: t,
            ends_sentence: end,
        }
    }

    fn flat(s: &[Vec<String>]) -> Vec<String> {
        s.iter().map(|v| v.concat()).collect()
    }

    #[test]
    fn clauses_group_into_sentences_with_their_punctuation() {
        // From the reference: "Bonjour, « le monde » ! M. Dupont est-il là ?"
        let got = sentences(
            &[
                clause("bɔ̃ʒˈuʁ", ",", false),
                clause("lə- mˈɔ̃d", "!", true),
                clause("ˈɛm", ".", true),
                clause("dypˈɔ̃t ɛtil lˈa", "?", true),
            ],
            &[],
        );
        assert_eq!(
            flat(&got),
            ["bɔ̃ʒˈuʁ, lə- mˈɔ̃d!", "ˈɛm.", "dypˈɔ̃t ɛtil lˈa?"]
        );
        // NFD: the nasal vowel is two symbols.
        assert_eq!(got[0][1..3], ["ɔ".to_string(), "\u{303}".to_string()]);
    }

    #[test]
    fn an_ellipsis_joins_clauses_without_a_space_like_the_reference() {
        let got = sentences(
            &[clause("ɪɾ ˈɪz", "", false), clause("ɹˈiəli", ".", true)],
            &[],
        );
        assert_eq!(flat(&got), ["ɪɾ ˈɪzɹˈiəli."]);
    }

    #[test]
    fn language_switches_are_removed() {
        assert_eq!(
            strip_language_switches("lə (en)wˈiːkɛnd(fr) ɛ"),
            "lə wˈiːkɛnd ɛ"
        );
        assert_eq!(strip_language_switches("a ( b"), "a ( b");
        assert_eq!(strip_language_switches("a () b"), "a () b");
    }

    #[test]
    fn vowel_clusters_merge_longest_first() {
        let phones: Vec<String> = ["a", "ɪ", "b", "o", "ʊ"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let clusters = vec![
            vec!["a".to_string(), "ɪ".to_string()],
            vec!["o".to_string(), "ʊ".to_string()],
        ];
        assert_eq!(merge_vowel_clusters(phones, &clusters), ["aɪ", "b", "oʊ"]);
    }

    #[test]
    fn ids_interleave_pad_between_bos_and_eos_and_drop_unknown_symbols() {
        let map: HashMap<String, Vec<i64>> = [("^", 1), ("$", 2), ("_", 0), ("a", 14), ("b", 15)]
            .iter()
            .map(|(k, v)| (k.to_string(), vec![*v]))
            .collect();
        let (ids, missing) = phoneme_ids(&["a".into(), "z".into(), "b".into()], &map);
        assert_eq!(ids, [1, 0, 14, 0, 15, 0, 2]);
        assert_eq!(missing, ["z"]);
    }

    #[test]
    fn flags_map_like_the_reference_bridge() {
        assert_eq!(terminator_from_flags(flags::PERIOD), (".", true));
        assert_eq!(
            terminator_from_flags(flags::QUESTION | 0x0100_0000),
            ("?", true)
        );
        assert_eq!(terminator_from_flags(flags::EXCLAMATION), ("!", true));
        assert_eq!(terminator_from_flags(flags::COMMA), (",", false));
        assert_eq!(terminator_from_flags(flags::COLON), (":", false));
        assert_eq!(terminator_from_flags(flags::SEMICOLON), (";", false));
        assert_eq!(terminator_from_flags(flags::TYPE_SENTENCE), ("", true));
    }

    #[test]
    fn terminators_from_text_follow_the_clause_reader() {
        assert_eq!(terminator_from_text("Hello, "), (",", false));
        assert_eq!(terminator_from_text("He said \"no.\" "), (".", true));
        assert_eq!(terminator_from_text("Wait... "), ("", false));
        assert_eq!(terminator_from_text("Vraiment ? »"), ("?", true));
        assert_eq!(terminator_from_text("the end"), ("", true));
    }
}
