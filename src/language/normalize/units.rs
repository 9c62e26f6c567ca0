//! Units after numbers, read in the language's words: the table's units ("km", "mph"),
//! every SI unit with the prefixes it takes ("mSv", "hPa", "µg", "GiB"), powers ("km²",
//! "m^3") and quotients ("40 µg/m³", "3 000 €/m²", "1 500 €/mois", "100 hab./km²").
//!
//! Which symbols exist and which prefixes each takes is shared by every language
//! ([`SI_UNITS`]); each language gives the words ([`UnitWords`]).

use std::sync::LazyLock;

use regex::Regex;

use super::{apply, before_is_digit, AbbrevContext, LanguageRules};

/// One language's words for units.
pub struct UnitWords {
    /// Prefix symbols and their words: ("k", "kilo"), ("Gi", "gibi").
    pub prefixes: &'static [(&'static str, &'static str)],
    /// Words for the symbols of [`SI_UNITS`], in the plural: ("m", "mètres").
    pub units: &'static [(&'static str, &'static str)],
    /// Words said only after a slash, in the singular: ("h", "heure"), ("mois", "mois").
    pub per_only: &'static [(&'static str, &'static str)],
    /// The word for the slash between two units: "par", "per", "pro", "por".
    pub per: &'static str,
    /// A prefix's word joined to a unit's words: "kilo" and "mètres" are "kilomètres".
    pub compose: fn(prefix: &str, unit: &str) -> String,
}

/// An SI unit (or one used with SI prefixes) by its symbol.
pub struct SiUnit {
    /// The symbol, case-sensitive.
    pub symbol: &'static str,
    /// The prefixes it is written with.
    pub prefixes: &'static [&'static str],
    /// Whether the bare symbol after a number is read as the unit. Off where the
    /// letter alone means something else as often ("45 N" is a latitude, "16 A" a
    /// seat, "100 F" francs, "300 K" thousands).
    pub bare: bool,
}

const SMALL: &[&str] = &["m", "µ", "n"];
const POWERS: &[&str] = &["k", "M", "G", "T"];
const DATA: &[&str] = &["k", "K", "M", "G", "T", "P", "Ki", "Mi", "Gi", "Ti", "Pi"];

const fn si(symbol: &'static str, prefixes: &'static [&'static str], bare: bool) -> SiUnit {
    SiUnit {
        symbol,
        prefixes,
        bare,
    }
}

/// The units read with prefixes, shared by every language. Prefixes are limited to the
/// ones in use, so that a short token is not mistaken for a unit ("pm" is not picometres;
/// "Ms" is not megaseconds).
pub const SI_UNITS: &[SiUnit] = &[
    si("m", &["k", "c", "d", "m", "µ", "n"], true),
    si("g", &["k", "m", "µ", "n", "c", "d"], true),
    si("s", &["m", "µ", "n", "p"], true),
    si("l", &["m", "c", "d", "h", "µ"], true),
    si("L", &["m", "c", "d", "h", "µ"], true),
    si("A", &["m", "µ", "n", "k"], false),
    si("V", &["m", "µ", "k", "M"], true),
    si("W", &["m", "µ", "k", "M", "G", "T"], true),
    si("Wh", POWERS, true),
    si("VA", &["k", "M"], true),
    si("Ah", &["m", "k"], true),
    si("Hz", POWERS, true),
    si("Pa", &["h", "k", "M", "G"], true),
    si("bar", &["m"], true),
    si("J", &["m", "k", "M", "G"], true),
    si("N", &["m", "k"], false),
    si("Ω", &["m", "k", "M"], true),
    si("F", &["m", "µ", "n", "p"], false),
    si("H", &["m", "µ"], false),
    si("C", SMALL, false),
    si("T", &["m", "µ"], false),
    si("K", &["m"], false),
    si("eV", POWERS, true),
    si("Gy", &["m", "µ"], true),
    si("Sv", &["m", "µ"], true),
    si("Bq", POWERS, true),
    si("mol", SMALL, true),
    si("cd", &[], true),
    si("lm", &[], true),
    si("lx", &[], true),
    si("cal", &["k"], true),
    si("t", &["k", "M", "G"], true),
    si("dB", &[], true),
    si("B", DATA, false),
    si("o", DATA, false),
    si("bit", DATA, true),
    si("bps", POWERS, true),
];

/// The words for the unit written `token` after a number, in the plural: a table row
/// first, then an SI symbol, then a prefix and an SI symbol.
fn unit_words(token: &str, rules: &LanguageRules) -> Option<String> {
    // The Greek mu and the ohm sign are written for the micro sign and omega.
    let folded;
    let token = if token.contains(['\u{03BC}', '\u{2126}']) {
        folded = token
            .replace('\u{03BC}', "\u{00B5}")
            .replace('\u{2126}', "\u{03A9}");
        folded.as_str()
    } else {
        token
    };
    if let Some(row) = rules
        .abbreviations
        .iter()
        .find(|a| a.context == AbbrevContext::AfterNumber && a.written == token)
    {
        return Some(row.spoken.to_string());
    }
    let words = &rules.units;
    let said = |symbol: &str| words.units.iter().find(|u| u.0 == symbol).map(|u| u.1);
    if let Some(unit) = SI_UNITS.iter().find(|u| u.symbol == token && u.bare) {
        return said(unit.symbol).map(str::to_string);
    }
    words.prefixes.iter().find_map(|&(prefix, prefix_word)| {
        let rest = token.strip_prefix(prefix)?;
        let unit = SI_UNITS
            .iter()
            .find(|u| u.symbol == rest && u.prefixes.contains(&prefix))?;
        Some((words.compose)(prefix_word, said(unit.symbol)?))
    })
}

/// The singular words for the unit after a slash ("par heure", "per square meter"), and
/// what is left of the period after it: nothing when it was part of the unit ("€/hab."),
/// the period itself when it was the sentence's ("5 km/h.").
fn per_words(
    token: &str,
    dot: bool,
    power: Option<u8>,
    rules: &LanguageRules,
) -> Option<(String, &'static str)> {
    let lookup = |token: &str| {
        rules
            .units
            .per_only
            .iter()
            .find(|p| p.0 == token)
            .map(|p| p.1.to_string())
            .or_else(|| unit_words(token, rules).map(|w| (rules.unit_singular)(&w)))
    };
    let dotted = dot.then(|| lookup(&format!("{token}."))).flatten();
    let (words, consumed) = match dotted {
        Some(w) => (w, true),
        None => (lookup(token)?, false),
    };
    let words = match power {
        Some(p) => (rules.unit_power)(&words, p),
        None => words,
    };
    let tail = if dot && !consumed { "." } else { "" };
    Some((words, tail))
}

fn power(written: Option<regex::Match>) -> Option<u8> {
    written.map(|m| {
        if matches!(m.as_str(), "²" | "^2") {
            2
        } else {
            3
        }
    })
}

/// Whether the number before a unit belongs to something else: a table's row after a
/// slash ("5 l/100 km"), a code ("2011PNAS..108.1815W"), a name ("F-16", "K-2L's").
fn inside_code_or_name(before: &str, after: &str) -> bool {
    let before_number =
        before.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, ',' | '.'));
    let named = before_number
        .strip_suffix('-')
        .is_some_and(|b| b.ends_with(char::is_alphabetic));
    before_number.ends_with('/')
        || before_number.ends_with(char::is_alphanumeric)
        || named
        || after.starts_with('\'')
}

/// A unit after a number as its words: the numerator in the plural with its power, the
/// denominator after the slash in the singular, and the period the denominator ended
/// with when it was the sentence's ("5 km/h." keeps it; "€/hab." does not).
struct Quotient {
    numerator: String,
    power: Option<u8>,
    denominator: Option<String>,
    tail: &'static str,
}

impl Quotient {
    /// Reads the unit matched by `measures`'s pattern, or `None` when its symbol is not
    /// a unit (the text is then left as written).
    fn read(caps: &regex::Captures, rules: &LanguageRules) -> Option<Self> {
        let unit = &caps["unit"];
        let dotted_numerator = caps.name("dot").is_some_and(|m| !m.is_empty());
        let den = caps.name("den").map(|m| m.as_str());
        let den_dot = caps.name("den_dot").is_some();
        let (num_power, den_power) = (power(caps.name("power")), power(caps.name("den_power")));
        // A table row for the whole quotient wins ("km/h", "m/s"), then its parts.
        if num_power.is_none() && den_power.is_none() && !dotted_numerator {
            if let Some(words) = den.and_then(|d| unit_words(&format!("{unit}/{d}"), rules)) {
                let tail = if den_dot { "." } else { "" };
                return Some(Self::whole(words, tail));
            }
        }
        let numerator = if dotted_numerator {
            // "hab./km²": a dotted word before a slash.
            let dotted = format!("{unit}.");
            rules
                .abbreviations
                .iter()
                .find(|a| a.written == dotted)
                .map(|a| a.spoken.to_string())?
        } else {
            unit_words(unit, rules)?
        };
        let (denominator, tail) = match den {
            Some(d) => {
                let (words, tail) = per_words(d, den_dot, den_power, rules)?;
                (Some(words), tail)
            }
            None => (None, ""),
        };
        Some(Self {
            numerator,
            power: num_power,
            denominator,
            tail,
        })
    }

    fn whole(words: String, tail: &'static str) -> Self {
        Self {
            numerator: words,
            power: None,
            denominator: None,
            tail,
        }
    }

    /// The words, in the singular after the number one.
    fn spoken(self, singular: bool, rules: &LanguageRules) -> String {
        let mut words = self.numerator;
        if singular {
            words = (rules.unit_singular)(&words);
        }
        if let Some(p) = self.power {
            words = (rules.unit_power)(&words, p);
        }
        match self.denominator {
            Some(den) => format!("{words} {} {den}{}", rules.units.per, self.tail),
            None => format!("{words}{}", self.tail),
        }
    }
}

/// Units after numbers, with their powers and quotients, and the slash after an amount
/// of money ("3 000 €/m²" is "3 000 € par mètre carré"). Superscripts that are not a
/// unit's power are footnote markers and go.
pub(super) fn measures(
    text: &str,
    rules: &LanguageRules,
    per_currency: &Regex,
    fired: &mut Vec<&'static str>,
) -> String {
    static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(concat!(
            r"(?P<digit>\d)(?P<space>\s?)(?P<unit>°[CFK]?|\p{L}+)(?P<power>²|³|\^2|\^3)?",
            r"(?:(?P<dot>\.?)/(?P<den>\p{L}+)(?P<den_power>²|³|\^2|\^3)?(?P<den_dot>\.)?)?",
        ))
        .expect("valid")
    });
    let per = rules.units.per;
    // "3 Md€" is a scale before a currency, read by the currency rule.
    let ends_clean = |after: &str| {
        !after.starts_with(|c: char| c.is_alphanumeric() || matches!(c, '/' | '-'))
            && !rules.currencies.iter().any(|c| after.starts_with(c.0))
    };
    let s = apply(text, per_currency, "unit", fired, |caps, _, after| {
        if !ends_clean(after) {
            return None;
        }
        let dot = caps.name("den_dot").is_some();
        let (den, tail) = per_words(&caps["den"], dot, power(caps.name("den_power")), rules)?;
        Some(format!("{} {per} {den}{tail}", &caps["amount"]))
    });
    let s = apply(&s, &MEASURE, "unit", fired, |caps, before, after| {
        if !ends_clean(after) || inside_code_or_name(before, after) {
            return None;
        }
        let (digit, unit) = (&caps["digit"], &caps["unit"]);
        // "3m people", "$5bn": a scale glued to its number; "the 1990s": a decade.
        let glued = caps["space"].is_empty();
        if glued && (unit == "s" || rules.scale_suffixes.iter().any(|s| s.0 == unit)) {
            return None;
        }
        let quotient = Quotient::read(caps, rules)?;
        let singular = digit == "1" && !before_is_digit(before.len(), before);
        Some(format!("{digit} {}", quotient.spoken(singular, rules)))
    });
    if s.contains(['²', '³']) {
        super::fire(fired, "footnote");
        s.replace(['²', '³'], "")
    } else {
        s
    }
}

/// The singular of unit words whose plural is a final `s` (French, English, Spanish):
/// each lower-case word of four letters or more loses it ("degrés Celsius" is "degré
/// Celsius"); `es_after` lists the endings that drop `es` instead ("inches", "dólares").
pub fn singular_by_s(spoken: &str, es_after: &[&str]) -> String {
    spoken
        .split(' ')
        .map(|word| {
            let lower = word.chars().next().is_some_and(char::is_lowercase);
            if !lower || word.chars().count() < 4 || word.ends_with("ss") {
                return word.to_string();
            }
            if let Some(stem) = word.strip_suffix("es") {
                if es_after.iter().any(|e| stem.ends_with(e)) {
                    return stem.to_string();
                }
            }
            word.strip_suffix('s').unwrap_or(word).to_string()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A unit raised to a power with the power's word after it, agreeing in number with the
/// unit's first word (French, Spanish): `words` are square plural and singular, then
/// cubic plural and singular.
pub fn power_after(spoken: &str, power: u8, words: [&str; 4]) -> String {
    let plural = spoken.split(' ').next().is_some_and(|w| w.ends_with('s'));
    let word = match (power, plural) {
        (2, true) => words[0],
        (2, false) => words[1],
        (_, true) => words[2],
        (_, false) => words[3],
    };
    format!("{spoken} {word}")
}

/// Prefix and unit words written as one word ("kilo" and "mètres": "kilomètres").
pub fn join(prefix: &str, unit: &str) -> String {
    format!("{prefix}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::normalize::rules_for;
    use crate::language::Language;

    const LANGUAGES: [Language; 4] = [
        Language::French,
        Language::English,
        Language::German,
        Language::Spanish,
    ];

    #[test]
    fn every_language_has_words_for_every_unit_and_prefix() {
        for lang in LANGUAGES {
            let words = &rules_for(lang).units;
            for unit in SI_UNITS {
                // Octets are the French byte.
                if unit.symbol == "o" && lang != Language::French {
                    continue;
                }
                assert!(
                    words.units.iter().any(|u| u.0 == unit.symbol),
                    "{lang:?} has no words for {}",
                    unit.symbol
                );
                for prefix in unit.prefixes {
                    assert!(
                        words.prefixes.iter().any(|p| p.0 == *prefix),
                        "{lang:?} has no word for prefix {prefix}"
                    );
                }
            }
        }
    }

    #[test]
    fn no_prefixed_symbol_is_two_units() {
        // A written token must mean one unit: "cd" is candelas, not centi-"d".
        let mut seen = std::collections::HashMap::new();
        for unit in SI_UNITS {
            for prefix in unit.prefixes.iter().chain([""].iter()) {
                let token = format!("{prefix}{}", unit.symbol);
                if let Some(other) = seen.insert(token.clone(), unit.symbol) {
                    assert_eq!(other, unit.symbol, "{token} is two units");
                }
            }
        }
    }

    #[test]
    fn micro_and_ohm_are_written_with_either_sign() {
        for lang in LANGUAGES {
            let rules = rules_for(lang);
            for omega in ["\u{03A9}", "\u{2126}"] {
                assert!(
                    unit_words(&format!("k{omega}"), rules).is_some(),
                    "{lang:?} k{omega}"
                );
            }
            for mu in ["\u{00B5}", "\u{03BC}"] {
                assert!(
                    unit_words(&format!("{mu}g"), rules).is_some(),
                    "{lang:?} {mu}g"
                );
            }
        }
    }
}
