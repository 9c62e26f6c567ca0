//! Acronyms: read as a word ("NATO", "Insee") or spelled letter by letter ("SNCF",
//! "PhD", "U.S."), with their spoken plural ("CEOs").
//!
//! The tables decide first. An unknown acronym of four letters or more is read as a word
//! when it can be cut into syllables the language allows: each consonant cluster must be
//! one that can start a syllable (an onset) or end one (a coda), or split into a coda and
//! an onset, and no more than two vowels follow each other. Three letters or fewer are
//! spelled unless a table says otherwise: short acronyms are initialisms far more often.

use std::sync::LazyLock;

use regex::Regex;

use super::{fire, replace_in_context, LanguageRules};

/// The consonant clusters a language allows at the start and at the end of a syllable,
/// written in capitals. Single consonants are allowed in both places.
pub struct Syllables {
    /// Clusters of two or more consonants that can start a syllable ("TR", "STR").
    pub onsets: &'static [&'static str],
    /// Clusters of two or more consonants that can end a syllable ("ST", "RT").
    pub codas: &'static [&'static str],
    /// Whether an acronym that is not a word but whose first letter is followed by one
    /// closed syllable is read as that letter then the syllable: English says "JPEG"
    /// "jay peg", "CNET" "see net", "HVAC" "aitch vac". French reads "Cnam" as a word
    /// and spells "SNCF", so it does not.
    pub letter_then_syllable: bool,
}

/// Spells or says the acronyms in `text`.
pub(super) fn acronyms(text: &str, rules: &LanguageRules, fired: &mut Vec<&'static str>) -> String {
    static DOTTED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b((?:\p{Lu}\.){2,})").expect("valid"));
    static ACRONYM: LazyLock<Regex> = LazyLock::new(|| {
        // All capitals with an optional plural "s" ("CEOs"), or short mixed case with
        // two capitals or more ("PhD", "IoT", "GmbH").
        // A short capitalized word is one only when a table names it ("Kfz", "Lkw").
        Regex::new(concat!(
            r"\b(?:(\p{Lu}{2,})(s?)|(\p{Lu}\p{Ll}{0,2}\p{Lu}[\p{Lu}\p{Ll}]{0,2})",
            r"|(\p{Lu}\p{Ll}{1,3}))\b"
        ))
        .expect("valid")
    });
    let shouting = is_shouting(text);
    let mut spelled_any = false;
    let mut word_any = false;
    // "U.S." and "S.N.C.F." are spelled (or said, when a table says so: "O.N.U.").
    let (text, _) = replace_in_context(text, &DOTTED, |caps, _, after| {
        let letters: String = caps[1].chars().filter(|c| *c != '.').collect();
        let said = if rules.acronyms_as_words.contains(&letters.as_str()) {
            word_any = true;
            title_case(&letters)
        } else {
            spelled_any = true;
            spell(&letters, rules)
        };
        // The last period also ended the sentence when nothing follows.
        let ends = after.trim().is_empty();
        Some(if ends { format!("{said}.") } else { said })
    });
    let (out, _) = replace_in_context(&text, &ACRONYM, |caps, _, _| {
        if let Some(short) = caps.get(4) {
            let word = short.as_str();
            return rules.acronyms_spelled.contains(&word).then(|| {
                spelled_any = true;
                spell(word, rules)
            });
        }
        if let Some(mixed) = caps.get(3) {
            let word = mixed.as_str();
            if rules.acronyms_as_words.contains(&word) {
                return None;
            }
            if let Some(parts) = camel_case(word, rules) {
                spelled_any = true;
                return Some(parts);
            }
            let upper = word.to_uppercase();
            if rules.acronyms_spelled.contains(&word) || !pronounceable(&upper, &rules.syllables) {
                spelled_any = true;
                return Some(spell(word, rules));
            }
            // "BaFin", "LaTeX": read as written.
            return None;
        }
        let word = &caps[1];
        // "CEOs" is the plural of "CEO": said as its last letter's name plus s.
        let plural = if !caps[2].is_empty() && rules.acronym_plural_s {
            "s"
        } else {
            ""
        };
        if rules.acronyms_as_words.contains(&word) {
            word_any = true;
            return Some(format!("{}{plural}", title_case(word)));
        }
        if rules.acronyms_spelled.contains(&word) {
            spelled_any = true;
            return Some(format!("{}{plural}", spell(word, rules)));
        }
        if shouting {
            return Some(format!("{}{}", word.to_lowercase(), &caps[2]));
        }
        if pronounceable(word, &rules.syllables) {
            word_any = true;
            Some(format!("{}{plural}", title_case(word)))
        } else if let Some((letter, syllable)) = letter_then_syllable(word, &rules.syllables) {
            spelled_any = true;
            word_any = true;
            Some(format!(
                "{} {}{plural}",
                spell(letter, rules),
                title_case(syllable)
            ))
        } else {
            spelled_any = true;
            Some(format!("{}{plural}", spell(word, rules)))
        }
    });
    if spelled_any {
        fire(fired, "acronym_spelled");
    }
    if word_any {
        fire(fired, "acronym_word");
    }
    out
}

/// A word joined to an acronym ("WebVR", "WebRTC"): the word as written, the capitals
/// after it spelled. `None` unless one part is a word (a capital and two lower-case
/// letters or more, with a vowel) and another a run of capitals: "PhD", "GmbH" and "IoT"
/// are acronyms as a whole, "BaFin" a name.
fn camel_case(word: &str, rules: &LanguageRules) -> Option<String> {
    // Parts start at each capital that follows a lower-case letter: "Web" and "VR".
    let mut parts: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut prev_lower = false;
    for (i, c) in word.char_indices() {
        if c.is_uppercase() && prev_lower {
            parts.push(&word[start..i]);
            start = i;
        }
        prev_lower = c.is_lowercase();
    }
    parts.push(&word[start..]);
    let is_word = |p: &str| {
        p.chars().count() >= 3
            && p.chars().skip(1).all(char::is_lowercase)
            && p.chars()
                .any(|c| is_vowel(c.to_uppercase().next().unwrap_or(c)))
    };
    let is_capitals = |p: &str| p.chars().count() >= 2 && p.chars().all(char::is_uppercase);
    if !parts.iter().any(|p| is_word(p)) || !parts.iter().any(|p| is_capitals(p)) {
        return None;
    }
    let said: Vec<String> = parts
        .iter()
        .map(|p| {
            if is_capitals(p) {
                spell(p, rules)
            } else {
                p.to_string()
            }
        })
        .collect();
    Some(said.join(" "))
}

/// Three or more all-capital words in a row are a headline in capitals, not acronyms.
fn is_shouting(text: &str) -> bool {
    let mut run = 0;
    for word in text.split_whitespace() {
        let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
            run += 1;
            if run >= 3 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

fn is_vowel(c: char) -> bool {
    "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜÁÍÓÚ".contains(c)
}

/// Whether an unknown acronym, in capitals, can be read as a word in the language whose
/// syllables are `syl`.
pub fn pronounceable(word: &str, syl: &Syllables) -> bool {
    if word.chars().count() < 4 || !word.chars().all(char::is_alphabetic) {
        return false;
    }
    // Alternate runs of consonants and vowels: C V C V ... C.
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in word.chars() {
        let vowel = is_vowel(c);
        match runs.last_mut() {
            Some((v, run)) if *v == vowel => run.push(c),
            _ => runs.push((vowel, c.to_string())),
        }
    }
    if !runs.iter().any(|(v, _)| *v) {
        return false;
    }
    let onset = |c: &str| c.is_empty() || c.chars().count() == 1 || syl.onsets.contains(&c);
    let coda = |c: &str| c.is_empty() || c.chars().count() == 1 || syl.codas.contains(&c);
    let last = runs.len() - 1;
    runs.iter().enumerate().all(|(i, (vowel, run))| {
        if *vowel {
            return run.chars().count() <= 2;
        }
        if i == 0 {
            return onset(run);
        }
        if i == last {
            return coda(run);
        }
        // Between vowels: a coda then an onset, at some cut.
        let cuts: Vec<usize> = run
            .char_indices()
            .map(|(j, _)| j)
            .chain([run.len()])
            .collect();
        cuts.iter().any(|&j| coda(&run[..j]) && onset(&run[j..]))
    })
}

/// An acronym of four letters or more cut after its first letter when the rest is one
/// closed syllable of the language: a consonant or an onset, one vowel, a consonant or
/// a coda ("C" + "NET", "CS" is not an onset but "SPAN" is one syllable). "UCLA" (the
/// rest ends on a vowel) and "USAID" (two vowels) are not cut.
fn letter_then_syllable<'a>(word: &'a str, syl: &Syllables) -> Option<(&'a str, &'a str)> {
    if !syl.letter_then_syllable || word.chars().count() < 4 || !word.is_ascii() {
        return None;
    }
    let (letter, rest) = word.split_at(1);
    // The first vowel is the nucleus; the coda after it must hold none.
    let vowel = rest.find(is_vowel)?;
    let (onset, coda) = (&rest[..vowel], &rest[vowel + 1..]);
    let cluster_ok = |c: &str, list: &[&str]| c.len() == 1 || list.contains(&c);
    let closed = !onset.is_empty()
        && !coda.is_empty()
        && !coda.contains(is_vowel)
        && cluster_ok(onset, syl.onsets)
        && cluster_ok(coda, syl.codas);
    closed.then_some((letter, rest))
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

fn spell(word: &str, rules: &LanguageRules) -> String {
    word.chars()
        .map(|c| {
            let base = c.to_uppercase().next().unwrap_or(c);
            let base = match base {
                'À' | 'Â' => 'A',
                'É' | 'È' | 'Ê' | 'Ë' => 'E',
                'Î' | 'Ï' => 'I',
                'Ô' => 'O',
                'Ù' | 'Û' | 'Ü' => 'U',
                'Ç' => 'C',
                other => other,
            };
            if base.is_ascii_uppercase() {
                rules.letter_names[(base as u8 - b'A') as usize].to_string()
            } else {
                base.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::normalize::rules_for;
    use crate::language::Language;

    fn says_as_word(lang: Language, words: &[&str], spelled: &[&str]) {
        let syl = &rules_for(lang).syllables;
        for w in words {
            assert!(pronounceable(w, syl), "{lang:?} should say {w} as a word");
        }
        for w in spelled {
            assert!(!pronounceable(w, syl), "{lang:?} should spell {w}");
        }
    }

    #[test]
    fn french_syllables() {
        says_as_word(
            Language::French,
            &[
                "INSEE", "URSSAF", "MEDEF", "SAMU", "CROUS", "ARCEP", "NUPES", "GIEC", "ONISEP",
            ],
            &["FNSEA", "RATP", "LREM", "EELV", "DGSE", "OQTF", "SNCF"],
        );
    }

    #[test]
    fn english_syllables() {
        says_as_word(
            Language::English,
            &[
                "NATO", "UNICEF", "IKEA", "SCOTUS", "CAPTCHA", "NIMBY", "DARPA", "SWAT",
            ],
            &["OECD", "ESPN", "NAACP", "USMCA", "NHTSA", "HTML", "LGBTQ"],
        );
    }

    #[test]
    fn german_syllables() {
        says_as_word(
            Language::German,
            &["BAMF", "GEMA", "KITA", "NABU", "BAFÖG"],
            &["DLRG", "DIHK", "BDSM"],
        );
    }

    #[test]
    fn spanish_syllables() {
        // Spanish syllables cannot start with "s" and a consonant, nor with "ps".
        says_as_word(
            Language::Spanish,
            &["RENFE", "UNED", "INEM", "ERTE", "OVNI", "PYME"],
            &["RTVE", "BBVA", "CCOO", "CSIC", "ESPN"],
        );
    }

    #[test]
    fn short_acronyms_are_spelled_unless_a_table_says() {
        assert!(!pronounceable(
            "CAF",
            &rules_for(Language::French).syllables
        ));
    }
}
