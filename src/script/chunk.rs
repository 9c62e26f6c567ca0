//! Fitting sentences to a backend's input limit.
//!
//! A sentence whose spoken form fits in `max_chars` is one chunk. A longer one is cut at
//! clause punctuation first, then at the space nearest the middle, recursively, and the
//! pieces are packed back together greedily while they fit. Words are never split; the
//! one exception is a single "word" longer than the limit (a hash, a run of symbols),
//! which is cut between characters because it cannot be spoken whole anyway.

use std::ops::Range;

use crate::language::lexicon::Lexicon;
use crate::language::normalize::{normalize_with, Normalized};
use crate::language::Language;

/// The language and user lexicon text is normalized with.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    /// The language.
    pub language: Language,
    /// The user's pronunciations, applied first.
    pub lexicon: Option<&'a Lexicon>,
}

impl Reading<'_> {
    fn normalize(&self, text: &str) -> Normalized {
        normalize_with(text, self.language, self.lexicon)
    }
}

/// The smallest input limit articast accepts from a backend.
pub const MIN_MAX_CHARS: usize = 50;

/// A piece of a sentence ready for synthesis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// Byte range in the sentence.
    pub range: Range<usize>,
    /// Its normalized form.
    pub normalized: Normalized,
}

/// Cuts `sentence` into pieces whose spoken form has at most `max_chars` characters.
pub fn fit(sentence: &str, lang: Language, max_chars: usize) -> Vec<Piece> {
    fit_with(
        sentence,
        Reading {
            language: lang,
            lexicon: None,
        },
        max_chars,
    )
}

/// Like [`fit`], normalizing with a user lexicon.
pub fn fit_with(sentence: &str, lang: Reading, max_chars: usize) -> Vec<Piece> {
    let max_chars = max_chars.max(MIN_MAX_CHARS);
    let mut pieces = Vec::new();
    cut(sentence, 0..sentence.len(), lang, max_chars, &mut pieces);
    pack(sentence, pieces, lang, max_chars)
}

fn spoken_len(n: &Normalized) -> usize {
    n.spoken.chars().count()
}

fn cut(sentence: &str, range: Range<usize>, lang: Reading, max: usize, out: &mut Vec<Piece>) {
    let text = &sentence[range.clone()];
    let normalized = lang.normalize(text);
    if spoken_len(&normalized) <= max {
        if !normalized.spoken.is_empty() {
            out.push(Piece { range, normalized });
        }
        return;
    }
    let parts = clause_cuts(text)
        .or_else(|| middle_space_cut(text))
        .unwrap_or_else(|| middle_char_cut(text));
    for part in parts {
        let sub = trim_range(sentence, range.start + part.start..range.start + part.end);
        if !sub.is_empty() {
            cut(sentence, sub, lang, max, out);
        }
    }
}

/// Splits after clause punctuation (`,` `;` `:` dashes, closing brackets) followed by a
/// space. `None` when there is no such place.
fn clause_cuts(text: &str) -> Option<Vec<Range<usize>>> {
    let mut cuts = vec![0];
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() && prev.is_some_and(|p| matches!(p, ',' | ';' | ':' | '—' | '–' | ')'))
        {
            cuts.push(i);
        }
        prev = Some(c);
    }
    if cuts.len() < 2 {
        return None;
    }
    cuts.push(text.len());
    Some(cuts.windows(2).map(|w| w[0]..w[1]).collect())
}

/// Splits at the space nearest the middle.
fn middle_space_cut(text: &str) -> Option<Vec<Range<usize>>> {
    let mid = text.len() / 2;
    let best = text
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .min_by_key(|&i| i.abs_diff(mid))?;
    Some(vec![0..best, best..text.len()])
}

/// Splits between characters at the middle: the last resort for a giant token.
fn middle_char_cut(text: &str) -> Vec<Range<usize>> {
    let mut mid = text.len() / 2;
    while mid > 0 && !text.is_char_boundary(mid) {
        mid -= 1;
    }
    if mid == 0 {
        // A single character whose reading is longer than the limit: keep it whole.
        return vec![Range {
            start: 0,
            end: text.len(),
        }];
    }
    vec![0..mid, mid..text.len()]
}

fn trim_range(sentence: &str, range: Range<usize>) -> Range<usize> {
    let piece = &sentence[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail >= piece.len() {
        return range.start..range.start;
    }
    range.start + lead..range.end - trail
}

/// Merges neighbouring pieces while the merged text still fits.
fn pack(sentence: &str, pieces: Vec<Piece>, lang: Reading, max: usize) -> Vec<Piece> {
    let mut packed: Vec<Piece> = Vec::with_capacity(pieces.len());
    for piece in pieces {
        if let Some(last) = packed.last_mut() {
            let merged_range = last.range.start..piece.range.end;
            if spoken_len(&last.normalized) + 1 + spoken_len(&piece.normalized) <= max {
                let merged = lang.normalize(&sentence[merged_range.clone()]);
                if spoken_len(&merged) <= max {
                    *last = Piece {
                        range: merged_range,
                        normalized: merged,
                    };
                    continue;
                }
            }
        }
        packed.push(piece);
    }
    // A single character whose reading exceeds the limit is truncated at a word
    // boundary rather than sent over the limit.
    for p in &mut packed {
        if spoken_len(&p.normalized) > max {
            let truncated: String = p.normalized.spoken.chars().take(max).collect();
            let cut_at = truncated.rfind(' ').unwrap_or(truncated.len());
            p.normalized.spoken = truncated[..cut_at].to_string();
        }
    }
    packed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_sentence_is_one_piece() {
        let p = fit("Une phrase courte.", Language::French, 200);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].range, 0..18);
    }

    #[test]
    fn long_sentence_cuts_at_clauses_first() {
        let s = "Les capitaux affluent de partout, les valorisations flambent sans cesse, les promesses se multiplient chaque jour, et personne ne sait où tout cela va mener.";
        let p = fit(s, Language::French, 80);
        assert!(p.len() >= 2);
        for piece in &p {
            assert!(piece.normalized.spoken.chars().count() <= 80);
        }
        assert!(
            s[p[0].range.clone()].ends_with(','),
            "{:?}",
            &s[p[0].range.clone()]
        );
    }

    #[test]
    fn twenty_thousand_characters_without_punctuation() {
        let s = "mot ".repeat(5000);
        let p = fit(s.trim(), Language::French, 300);
        assert!(p.len() >= 60);
        let words: usize = p
            .iter()
            .map(|x| x.normalized.spoken.split_whitespace().count())
            .sum();
        assert_eq!(words, 5000, "no word lost or split");
        assert!(p.iter().all(|x| x.normalized.spoken.chars().count() <= 300));
    }

    #[test]
    fn giant_token_is_cut_between_characters() {
        let s = "x".repeat(500);
        let p = fit(&s, Language::English, 100);
        assert!(p.iter().all(|x| x.normalized.spoken.chars().count() <= 100));
        let total: usize = p.iter().map(|x| x.range.len()).sum();
        assert_eq!(total, 500);
    }
}
