//! Sentence splitting that knows abbreviations, initials, decimals, ellipses and quotes.
//!
//! A sentence ends at `.`, `!`, `?` or `…` (and runs of them), after any closing quote
//! or bracket that follows, when the next thing is a capital letter, a digit, an opening
//! quote or dash, or the end of the text, with white space in between. A period after a
//! known abbreviation of the language ("M.", "Dr.", "e.g.", "p.") or after a single
//! capital (an initial, "J. K. Rowling") does not end a sentence.

use std::ops::Range;

use crate::language::normalize::rules_for;
use crate::language::Language;

const TERMINALS: [char; 4] = ['.', '!', '?', '…'];
const CLOSERS: [char; 8] = ['»', '”', '"', '\'', ')', ']', '’', '›'];

/// Byte ranges of the sentences in `text`, trimmed, in order, covering every
/// non-space character exactly once.
pub fn split_sentences(text: &str, lang: Language) -> Vec<Range<usize>> {
    let abbreviations = rules_for(lang).sentence_abbreviations;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if !TERMINALS.contains(&c) {
            i += 1;
            continue;
        }
        // The whole run of terminal punctuation ("?!", "...").
        let mut j = i;
        while j + 1 < chars.len() && TERMINALS.contains(&chars[j + 1].1) {
            j += 1;
        }
        let run_is_single_period = i == j && c == '.';
        // Closing quotes and brackets right after the punctuation belong to the
        // sentence; so does a French closing guillemet after a (no-break) space.
        let mut end_idx = j + 1;
        while end_idx < chars.len() && CLOSERS.contains(&chars[end_idx].1) {
            end_idx += 1;
        }
        let mut k = end_idx;
        while k < chars.len() && matches!(chars[k].1, ' ' | '\u{a0}' | '\u{202f}') {
            k += 1;
        }
        if k > end_idx && k < chars.len() && matches!(chars[k].1, '»' | '”' | '›') {
            end_idx = k + 1;
        }
        let end_byte = chars.get(end_idx).map_or(text.len(), |&(b, _)| b);
        let next = text[end_byte..].trim_start();
        let spaced = next.len() < text[end_byte..].len() || next.is_empty();
        let next_starts = next.chars().next().is_none_or(|n| {
            n.is_uppercase()
                || n.is_ascii_digit()
                || matches!(n, '«' | '“' | '"' | '—' | '–' | '-' | '(' | '[' | '¿' | '¡')
        });
        let abbreviation =
            run_is_single_period && is_abbreviation(&text[start..pos + 1], abbreviations);
        if spaced && next_starts && !abbreviation {
            push_trimmed(text, start..end_byte, &mut sentences);
            start = end_byte;
        }
        i = end_idx.max(i + 1);
    }
    push_trimmed(text, start..text.len(), &mut sentences);
    sentences
}

/// Whether the text before a period ends with an abbreviation or an initial.
fn is_abbreviation(before_and_period: &str, abbreviations: &[&str]) -> bool {
    let token = before_and_period
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '«' || c == '“')
        .next()
        .unwrap_or("");
    if abbreviations.contains(&token) {
        return true;
    }
    // An initial: one capital letter ("J.") or a run of them ("J.-P.", "U.S.").
    let letters: Vec<char> = token.chars().filter(|c| c.is_alphabetic()).collect();
    let dotted = token.chars().filter(|&c| c == '.').count();
    !letters.is_empty() && letters.iter().all(|c| c.is_uppercase()) && letters.len() == dotted
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str, lang: Language) -> Vec<&str> {
        split_sentences(text, lang)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn french_cases() {
        let table: &[(&str, &[&str])] = &[
            ("Une phrase. Une autre.", &["Une phrase.", "Une autre."]),
            (
                "M. Dupont est là. Il parle.",
                &["M. Dupont est là.", "Il parle."],
            ),
            (
                "Il a payé 2.5 fois plus. Puis rien.",
                &["Il a payé 2.5 fois plus.", "Puis rien."],
            ),
            (
                "Faut-il enterrer le camp ? Non. L'histoire continue.",
                &["Faut-il enterrer le camp ?", "Non.", "L'histoire continue."],
            ),
            (
                "Il dit : « C'est fini. » Puis il part.",
                &["Il dit : « C'est fini. »", "Puis il part."],
            ),
            (
                "Attendez... et voyez. Bien.",
                &["Attendez... et voyez.", "Bien."],
            ),
            (
                "Voir p. 12 et la fig. 3. Fin.",
                &["Voir p. 12 et la fig. 3.", "Fin."],
            ),
            (
                "En 52 av. J.-C. César gagna. Puis Rome.",
                &["En 52 av. J.-C. César gagna.", "Puis Rome."],
            ),
            ("Pas de point final", &["Pas de point final"]),
            (
                "Quoi ?! Vraiment ? Oui.",
                &["Quoi ?!", "Vraiment ?", "Oui."],
            ),
        ];
        for (text, expected) in table {
            assert_eq!(split(text, Language::French), *expected, "{text}");
        }
    }

    #[test]
    fn english_cases() {
        let table: &[(&str, &[&str])] = &[
            (
                "Dr. Smith arrived. He sat.",
                &["Dr. Smith arrived.", "He sat."],
            ),
            (
                "J. K. Rowling wrote it. Then more.",
                &["J. K. Rowling wrote it.", "Then more."],
            ),
            (
                "The U.S. Army left. Peace came.",
                &["The U.S. Army left.", "Peace came."],
            ),
            (
                "He said \"Stop.\" Then he left.",
                &["He said \"Stop.\"", "Then he left."],
            ),
            (
                "It costs 3.50 dollars (e.g. a coffee). Fine.",
                &["It costs 3.50 dollars (e.g. a coffee).", "Fine."],
            ),
            ("Really? yes, really.", &["Really? yes, really."]),
            (
                "(A whole sentence in brackets.) Next one.",
                &["(A whole sentence in brackets.)", "Next one."],
            ),
            (
                "He said so. \"It is late,\" she replied.",
                &["He said so.", "\"It is late,\" she replied."],
            ),
        ];
        for (text, expected) in table {
            assert_eq!(split(text, Language::English), *expected, "{text}");
        }
    }
}
