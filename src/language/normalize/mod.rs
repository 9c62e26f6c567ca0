//! Text normalization: what is written turned into what a narrator says.
//!
//! [`normalize`] runs a fixed pipeline of passes over one sentence or clause. Each pass
//! is generic and reads its words from the language's [`LanguageRules`] table
//! ([`fr::RULES`], [`en::RULES`]), so adding a language is adding a table, not code.
//! Every pass that changes something records the rule's name, so `articast script`
//! can show why a word was read the way it was.
//!
//! Order matters and is part of the contract: typography first (apostrophes, quotes,
//! dashes), then currencies (so "3 Md€" is one amount), abbreviations (so "p. 12"
//! becomes "page 12" before numbers), dates, percentages, times, ordinals, Roman numerals, ranges, plain numbers,
//! symbols, and acronyms last (by then every digit and numeral is words).

pub mod acronyms;
pub mod de;
pub mod en;
pub mod es;
pub mod fr;
pub mod roman;
pub mod units;

use std::sync::LazyLock;

use regex::{Captures, Regex};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::lexicon::Lexicon;
use super::Language;

/// When an abbreviation is expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbrevContext {
    /// Wherever it stands as a whole word.
    Always,
    /// Only before a capitalized word ("M. Dupont", "Dr Martin").
    BeforeCapital,
    /// Only before a number ("p. 12", "n° 5").
    BeforeNumber,
    /// Only after a number ("5 km", "20 °C").
    AfterNumber,
}

/// How a language reads version numbers and file paths.
#[derive(Debug, Clone, Copy)]
pub struct Technical {
    /// `v` before a version: "version".
    pub version: &'static str,
    /// The dot between version numbers: "point".
    pub point: &'static str,
    /// A `+` after a version: "or later".
    pub or_later: &'static str,
    /// `~` at the start of a path: "tilde".
    pub tilde: &'static str,
    /// `/` in a path: "slash".
    pub slash: &'static str,
}

/// One row of an abbreviation table.
#[derive(Debug, Clone, Copy)]
pub struct Abbreviation {
    /// As written, case-sensitive.
    pub written: &'static str,
    /// What to say.
    pub spoken: &'static str,
    /// Where it applies.
    pub context: AbbrevContext,
}

impl Abbreviation {
    /// A table row.
    pub const fn new(written: &'static str, spoken: &'static str, context: AbbrevContext) -> Self {
        Abbreviation {
            written,
            spoken,
            context,
        }
    }
}

/// Everything language-specific the normalizer and sentence splitter need.
pub struct LanguageRules {
    /// Cardinal number words.
    pub cardinal: fn(u64) -> String,
    /// Ordinal number words.
    pub ordinal: fn(u64) -> String,
    /// Decimal number words from the integer part and the fraction digits.
    pub decimal: fn(u64, &str) -> String,
    /// A year as people say it.
    pub year: fn(u64) -> String,
    /// A clock time from hours and minutes.
    pub time: fn(u64, u64) -> String,
    /// A date from day, month (1-12) and optional year.
    pub date: fn(u64, usize, Option<u64>) -> String,
    /// A fraction from numerator and denominator ("trois quarts").
    pub fraction: fn(u64, u64) -> String,
    /// Whether numeric dates are written day first (`24/11/2026`).
    pub day_first: bool,
    /// The decimal separator.
    pub decimal_separator: char,
    /// Characters that group thousands.
    pub thousands_separators: &'static [char],
    /// Ordinal suffixes after digits or Roman numerals, and whether each is feminine.
    pub ordinal_suffixes: &'static [(&'static str, bool)],
    /// How a dot inside a host name or version is said ("point", "dot").
    pub dot_word: &'static str,
    /// How `@` in an e-mail address is said.
    pub at_word: &'static str,
    /// The word for a minus sign.
    pub minus: &'static str,
    /// The word for a plus sign before a number ("+4 %").
    pub plus: &'static str,
    /// A unit's spoken words raised to a power, 2 or 3: "kilomètres carrés", "square
    /// kilometers", "Quadratkilometer".
    pub unit_power: fn(spoken: &str, power: u8) -> String,
    /// A unit's spoken words for one of it: "kilomètre", "degree Celsius", "Stunde".
    pub unit_singular: fn(spoken: &str) -> String,
    /// Whether the plural `s` of an acronym is said ("CEOs", "CDs"; silent in French:
    /// "les ONGs").
    pub acronym_plural_s: bool,
    /// The number words before a noun, agreeing with it in gender and case: "eine
    /// Stunde", "mit einem Euro", "una hora", "vingt et une heures", "veintiún años".
    /// `before` is the word before the number ("mit"); `None` leaves the words as they are.
    pub agree: fn(words: &str, noun: &str, before: &str) -> Option<String>,
    /// The word between the ends of a range ("1939-1945").
    pub range_word: &'static str,
    /// The words for `%`.
    pub percent: &'static str,
    /// The words for `‰`.
    pub per_mille: &'static str,
    /// Words for units: SI prefixes and units, and the slash between units.
    pub units: units::UnitWords,
    /// Abbreviations and units, expanded in context.
    pub abbreviations: &'static [Abbreviation],
    /// Tokens ending in a period that do not end a sentence.
    pub sentence_abbreviations: &'static [&'static str],
    /// Which consonant clusters can start and end a syllable, for reading an unknown
    /// acronym as a word or spelling it.
    pub syllables: acronyms::Syllables,
    /// Acronyms read as words.
    pub acronyms_as_words: &'static [&'static str],
    /// Acronyms spelled letter by letter.
    pub acronyms_spelled: &'static [&'static str],
    /// Letter names, A to Z, for spelling.
    pub letter_names: [&'static str; 26],
    /// Symbols and what to say for them (empty: drop).
    pub symbols: &'static [(&'static str, &'static str)],
    /// Words for technical text: "version", the point between version numbers, a
    /// trailing `+` ("or later"), `~` and `/` in file paths.
    pub technical: Technical,
    /// Currency symbol, singular, plural, and the form after a scale word ("d'euros").
    pub currencies: &'static [(&'static str, &'static str, &'static str, &'static str)],
    /// Scale suffixes after amounts ("M€", "$3bn") and their words.
    pub scale_suffixes: &'static [(&'static str, &'static str)],
    /// Words after which a Roman numeral is a cardinal ("chapitre III").
    pub roman_cardinal_context: &'static [&'static str],
    /// Words before which a bare Roman numeral is an ordinal ("XIX siècle").
    pub roman_ordinal_following: &'static [&'static str],
    /// Names after which a Roman numeral is a regnal number ("Louis XIV").
    pub regnal_names: &'static [&'static str],
    /// How a regnal number is read: "Louis quatorze", "Henry the eighth", "Felipe sexto".
    pub regnal: fn(u64) -> String,
    /// Suffixes that make a Roman numeral an ordinal ("XIXe", "XXIst").
    pub roman_ordinal_suffixes: &'static [&'static str],
}

/// The rules for `lang`.
pub fn rules_for(lang: Language) -> &'static LanguageRules {
    match lang {
        Language::French => &fr::RULES,
        Language::English => &en::RULES,
        Language::German => &de::RULES,
        Language::Spanish => &es::RULES,
    }
}

/// The result of normalizing one piece of text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Normalized {
    /// The text to speak.
    pub spoken: String,
    /// Names of the rules that changed something, in the order they first fired.
    pub rules: Vec<&'static str>,
}

/// Normalizes `text` for speech in `lang`.
pub fn normalize(text: &str, lang: Language) -> Normalized {
    normalize_with(text, lang, None)
}

/// Normalizes `text` for speech in `lang`, the user's lexicon first.
pub fn normalize_with(text: &str, lang: Language, lexicon: Option<&Lexicon>) -> Normalized {
    let rules = rules_for(lang);
    let compiled = compiled(lang);
    let mut fired = Vec::new();
    let mut s = typography(text, &mut fired);
    if let Some(lexicon) = lexicon {
        let (replaced, changed) = lexicon.apply(&s);
        if changed {
            fire(&mut fired, "lexicon");
            s = replaced;
        }
    }
    s = urls(&s, rules, &mut fired);
    s = versions(&s, rules, &mut fired);
    s = paths(&s, rules, &mut fired);
    s = signs(&s, rules, compiled, &mut fired);
    s = units::measures(&s, rules, &compiled.per_currency, &mut fired);
    s = currencies(&s, rules, compiled, &mut fired);
    s = abbreviations(&s, rules, &mut fired);
    s = dates(&s, rules, compiled, &mut fired);
    s = percents(&s, rules, compiled, &mut fired);
    s = times(&s, rules, compiled, lang, &mut fired);
    s = phones(&s, lang, &mut fired);
    s = month_days(&s, lang, &mut fired);
    s = fractions(&s, rules, &mut fired);
    s = decades(&s, rules, compiled, &mut fired);
    s = ordinals(&s, rules, compiled, &mut fired);
    s = romans(&s, rules, compiled, &mut fired);
    s = ranges(&s, rules, compiled, &mut fired);
    s = numbers(&s, rules, compiled, &mut fired);
    s = symbols(&s, rules, &mut fired);
    s = acronyms::acronyms(&s, rules, &mut fired);
    let mut spoken = tidy(&s);
    if let Some(lexicon) = lexicon {
        spoken = lexicon.expand_ipa(spoken);
    }
    Normalized {
        spoken,
        rules: fired,
    }
}

fn fire(fired: &mut Vec<&'static str>, rule: &'static str) {
    if !fired.contains(&rule) {
        fired.push(rule);
    }
}

/// Replaces each match of `re` with what `f` returns; `None` keeps the match. `f` sees
/// the captures and the text before and after the match, for context rules.
fn replace_in_context(
    text: &str,
    re: &Regex,
    mut f: impl FnMut(&Captures, &str, &str) -> Option<String>,
) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut changed = false;
    for caps in re.captures_iter(text) {
        let m = caps.get(0).expect("group 0 always matches");
        if let Some(rep) = f(&caps, &text[..m.start()], &text[m.end()..]) {
            out.push_str(&text[last..m.start()]);
            out.push_str(&rep);
            last = m.end();
            changed = true;
        }
    }
    out.push_str(&text[last..]);
    (out, changed)
}

/// Runs `replace_in_context` and records `rule` when it changed anything.
fn apply(
    text: &str,
    re: &Regex,
    rule: &'static str,
    fired: &mut Vec<&'static str>,
    f: impl FnMut(&Captures, &str, &str) -> Option<String>,
) -> String {
    let (out, changed) = replace_in_context(text, re, f);
    if changed {
        fire(fired, rule);
    }
    out
}

/// Regexes that depend on a language's separators, compiled once.
struct Compiled {
    date_iso: Regex,
    date_numeric: Regex,
    currency_after: Regex,
    currency_before: Regex,
    percent: Regex,
    signed_amount: Regex,
    per_currency: Regex,
    time: Regex,
    ordinal: Option<Regex>,
    roman_suffix: Option<Regex>,
    roman_word: Regex,
    range: Regex,
    dotted: Regex,
    decade: Regex,
}

fn number_pattern(rules: &LanguageRules) -> String {
    let seps: String = rules
        .thousands_separators
        .iter()
        .map(|c| regex::escape(&c.to_string()))
        .collect();
    let dec = regex::escape(&rules.decimal_separator.to_string());
    format!(r"(?:\d{{1,3}}(?:[{seps}]\d{{3}})+|\d+)(?:{dec}\d+)?")
}

fn alternation<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut items: Vec<&str> = items.collect();
    items.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    items
        .iter()
        .map(|s| regex::escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

fn compile(rules: &LanguageRules, lang: Language) -> Compiled {
    let num = number_pattern(rules);
    let syms = alternation(rules.currencies.iter().map(|c| c.0));
    let scales = alternation(rules.scale_suffixes.iter().map(|s| s.0));
    let suffixes = alternation(rules.ordinal_suffixes.iter().map(|s| s.0));
    let time = match lang {
        Language::French => r"\b([01]?\d|2[0-3]) ?h(?: ?([0-5]\d))?\b",
        Language::English => r"\b(1[0-2]|0?\d|1\d|2[0-3]):([0-5]\d)\b",
        Language::German => r"\b([01]?\d|2[0-3])[:.]([0-5]\d) ?Uhr\b",
        Language::Spanish => r"\b([01]?\d|2[0-3]):([0-5]\d)\b",
    };
    let re = |p: &str| Regex::new(p).expect("normalizer patterns are valid");
    Compiled {
        date_iso: re(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
        date_numeric: re(if rules.day_first {
            r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b"
        } else {
            r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"
        }),
        currency_after: re(&format!(r"({num})\s?(?:({scales})\s?)?({syms})")),
        currency_before: re(&format!(r"({syms})\s?({num})(?:\s?({scales})\b)?")),
        percent: re(&format!(r"({num})\s?(%|‰)")),
        // A sign before an amount or a percentage, at the start or after a space, an
        // opening bracket or a slash: "(−2 %)", "de -3 €", "+4,5 %", "-$5".
        signed_amount: re(&format!(
            r"(^|[\s(\[/:;])([-−+])((?:{num})\s?(?:%|‰|{syms})|(?:{syms})\s?(?:{num}))"
        )),
        // An amount of money per unit: "3 000 €/m²", "$5/month", "60 €/MWh".
        per_currency: re(&format!(
            r"(?P<amount>(?:{syms})\s?(?:{num})(?:\s?(?:{scales})\b)?|(?:{num})\s?(?:(?:{scales})\s?)?(?:{syms}))/(?P<den>\p{{L}}+)(?P<den_power>²|³|\^2|\^3)?(?P<den_dot>\.)?"
        )),
        time: re(time),
        ordinal: (!rules.ordinal_suffixes.is_empty())
            .then(|| re(&format!(r"\b(\d+)({suffixes})\b"))),
        roman_suffix: (!rules.roman_ordinal_suffixes.is_empty()).then(|| {
            let suffixes = alternation(rules.roman_ordinal_suffixes.iter().copied());
            re(&format!(r"\b([IVXLCDM]+)({suffixes})\b"))
        }),
        roman_word: re(r"\b([\p{L}-]+) ([IVXLC]+)\b"),
        range: re(r"\b(\d+) ?[-–—] ?(\d+)\b"),
        dotted: re(r"\b(\d+(?:\.\d+)+)\b"),
        decade: re(r"(?:\b(1\d|20)|['’])(\d0)s\b"),
    }
}

fn compiled(lang: Language) -> &'static Compiled {
    static FR: LazyLock<Compiled> = LazyLock::new(|| compile(&fr::RULES, Language::French));
    static EN: LazyLock<Compiled> = LazyLock::new(|| compile(&en::RULES, Language::English));
    static DE: LazyLock<Compiled> = LazyLock::new(|| compile(&de::RULES, Language::German));
    static ES: LazyLock<Compiled> = LazyLock::new(|| compile(&es::RULES, Language::Spanish));
    match lang {
        Language::French => &FR,
        Language::English => &EN,
        Language::German => &DE,
        Language::Spanish => &ES,
    }
}

/// Typographic clean-up: apostrophes, quotes, dashes, invisible characters, emoji,
/// footnote markers.
fn typography(text: &str, fired: &mut Vec<&'static str>) -> String {
    let nfc: String = text.nfc().collect();
    let mut out = String::with_capacity(nfc.len());
    let chars: Vec<char> = nfc.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let between_digits =
            prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
        match c {
            '’' | '‘' | 'ʼ' | '′' | '`' | '´' => {
                fire(fired, "apostrophe");
                out.push('\'');
            }
            '«' | '»' | '“' | '”' | '„' | '‟' | '"' | '‹' | '›' => {
                fire(fired, "quotes");
                out.push(' ');
            }
            '—' | '–' | '―' if !between_digits => {
                fire(fired, "dash");
                out.push_str(", ");
            }
            '…' => out.push_str("..."),
            // Phoneme input is for the lexicon alone: an article's `[[`, `]]`, phoneme
            // span marks and private-use characters are text (see `language::ipa`).
            '[' if prev == Some('[') => out.push_str(" ["),
            ']' if prev == Some(']') => out.push_str(" ]"),
            crate::language::ipa::OPEN => out.push('['),
            crate::language::ipa::CLOSE => out.push(']'),
            '\u{F0000}'..='\u{10FFFF}' => {}
            '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\u{2007}' if between_digits => out.push(c),
            c if c.is_whitespace() => out.push(' '),
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            | '\u{FE0F}' => {}
            // "km²": a power of a unit, read by the unit rule (a footnote otherwise).
            '²' | '³' if out.chars().next_back().is_some_and(char::is_alphabetic) => out.push(c),
            '¹' | '²' | '³' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹' | '⁰' => {
                fire(fired, "footnote")
            }
            c if is_pictograph(c) => fire(fired, "emoji"),
            c => out.push(c),
        }
    }
    static FOOTNOTE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[\d{1,3}\]").expect("valid"));
    apply(&out, &FOOTNOTE, "footnote", fired, |_, _, _| {
        Some(String::new())
    })
}

fn is_pictograph(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF)
}

/// URLs and e-mail addresses read as a person would: the host, with its dots spoken.
fn urls(text: &str, rules: &LanguageRules, fired: &mut Vec<&'static str>) -> String {
    static URL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:https?://|www\.)[^\s/?#]+[^\s]*|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
            .expect("valid")
    });
    let (dot, at) = (rules.dot_word, rules.at_word);
    apply(text, &URL, "url", fired, |caps, _, _| {
        let m = caps.get(0)?.as_str().trim_end_matches(['.', ',', ')', ';']);
        let host = if let Some((user, domain)) = m.split_once('@') {
            format!("{} {at} {domain}", user.replace('.', &format!(" {dot} ")))
        } else {
            let rest = m.split_once("://").map_or(m, |(_, r)| r);
            let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            host.trim_start_matches("www.").to_string()
        };
        Some(host.replace('.', &format!(" {dot} ")))
    })
}

/// Software versions: `v1.2.30+` is "version one point two point thirty or later", not
/// a letter followed by a decimal number. Only with the `v` (or the word before it), so
/// that dotted dates and decimals stay what they are.
fn versions(text: &str, rules: &LanguageRules, fired: &mut Vec<&'static str>) -> String {
    static VERSION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b[vV](\d{1,4}(?:\.\d{1,4}){0,3})(\+?)(?:\b|$|\s)").expect("valid")
    });
    static AFTER_WORD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\d{1,4}(?:\.\d{1,4}){1,3})(\+?)(?:\b|$|\s)").expect("valid")
    });
    let t = &rules.technical;
    let text = &apply(text, &VERSION, "version", fired, |caps, before, _| {
        // "v2" alone is a version only when it has a dot or a plus, or follows "version".
        let numbers = caps.get(1)?.as_str();
        let plus = !caps.get(2)?.as_str().is_empty();
        let said_version = before
            .trim_end()
            .to_lowercase()
            .ends_with(&t.version.to_lowercase());
        if !numbers.contains('.') && !plus && !said_version {
            return None;
        }
        let parts: Vec<String> = numbers
            .split('.')
            .map(|n| spell_component(n, rules))
            .collect();
        let mut out = if said_version {
            String::new()
        } else {
            format!("{} ", t.version)
        };
        out.push_str(&parts.join(&format!(" {} ", t.point)));
        if plus {
            out.push(' ');
            out.push_str(t.or_later);
        }
        let whole = caps.get(0)?.as_str();
        if whole.ends_with(char::is_whitespace) {
            out.push(' ');
        }
        Some(out)
    });
    // "version 3.1.4", without the `v`.
    apply(text, &AFTER_WORD, "version", fired, |caps, before, _| {
        let said_version = before
            .trim_end()
            .to_lowercase()
            .ends_with(&t.version.to_lowercase());
        if !said_version {
            return None;
        }
        let parts: Vec<String> = caps
            .get(1)?
            .as_str()
            .split('.')
            .map(|n| spell_component(n, rules))
            .collect();
        let mut out = parts.join(&format!(" {} ", t.point));
        if !caps.get(2)?.as_str().is_empty() {
            out.push(' ');
            out.push_str(t.or_later);
        }
        if caps.get(0)?.as_str().ends_with(char::is_whitespace) {
            out.push(' ');
        }
        Some(out)
    })
}

/// One number of a version: "30" is thirty, "05" is zero five.
fn spell_component(n: &str, rules: &LanguageRules) -> String {
    match parse_u64(n) {
        Some(v) if !(n.len() > 1 && n.starts_with('0')) => (rules.cardinal)(v),
        _ => spell_digits(n, rules),
    }
}

/// File paths: `~/.bashrc` is "tilde slash dot bashrc", `/etc/hosts` "slash etc slash
/// hosts", so that `~` is not read as "about" and slashes are not dropped.
fn paths(text: &str, rules: &LanguageRules, fired: &mut Vec<&'static str>) -> String {
    static PATH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|(?:\s|\())(~?(?:/\.?[\w-]+(?:\.[\w-]+)*)+/?)").expect("valid")
    });
    let t = &rules.technical;
    let (out, changed) = replace_in_context(text, &PATH, |caps, _, _| {
        let whole = caps.get(0)?.as_str();
        let path = caps.get(1)?.as_str();
        // One bare "/word" is prose ("and/or" never gets here; "/s" does): a path has a
        // tilde, two parts or a dot file.
        let parts: Vec<&str> = path
            .trim_start_matches('~')
            .split('/')
            .filter(|p| !p.is_empty())
            .collect();
        if !path.starts_with('~') && parts.len() < 2 && !parts.iter().any(|p| p.starts_with('.')) {
            return None;
        }
        let lead = &whole[..whole.len() - path.len()];
        let mut spoken = String::from(lead);
        if path.starts_with('~') {
            spoken.push_str(t.tilde);
            spoken.push(' ');
        }
        let words: Vec<String> = parts
            .iter()
            .map(|p| match p.strip_prefix('.') {
                Some(rest) => format!(
                    "{} {}",
                    rules.dot_word,
                    rest.replace('.', &format!(" {} ", rules.dot_word))
                ),
                None => p.replace('.', &format!(" {} ", rules.dot_word)),
            })
            .collect();
        spoken.push_str(&format!("{} ", t.slash));
        spoken.push_str(&words.join(&format!(" {} ", t.slash)));
        Some(spoken)
    });
    if changed {
        fire(fired, "path");
    }
    out
}

/// The last word of `text`, lower-cased letters as written ("Mit" stays "Mit").
fn word_before(text: &str) -> &str {
    let trimmed = text.trim_end();
    let start = trimmed
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8());
    &trimmed[start..]
}

/// Whether the character before byte `at` of `text` is a digit or a decimal mark.
fn before_is_digit(at: usize, text: &str) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

fn abbreviations(text: &str, rules: &LanguageRules, fired: &mut Vec<&'static str>) -> String {
    let mut out = text.to_string();
    for abbr in rules.abbreviations {
        if !out.contains(abbr.written) {
            continue;
        }
        let can_end_sentence = !rules.sentence_abbreviations.contains(&abbr.written);
        out = expand_abbreviation(&out, abbr, can_end_sentence, rules, fired);
    }
    out
}

/// Expands `abbr` wherever its context holds. When `can_end_sentence` (the sentence
/// splitter ends sentences after it, as after "etc."), a sentence-ending period it
/// swallowed is put back.
fn expand_abbreviation(
    text: &str,
    abbr: &Abbreviation,
    can_end_sentence: bool,
    rules: &LanguageRules,
    fired: &mut Vec<&'static str>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut consumed = 0;
    while let Some(pos) = rest.find(abbr.written) {
        let start = consumed + pos;
        let end = start + abbr.written.len();
        let before = &text[..start];
        let after = &text[end..];
        let starts_clean = before
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '\'' && c != '.' && c != '-');
        let last_written = abbr.written.chars().next_back().unwrap_or(' ');
        let mut next_chars = after.chars();
        let ends_clean = !last_written.is_alphanumeric()
            || match next_chars.next() {
                None => true,
                // "15 km/h." ends a sentence; "km.x" is something else.
                Some('.') => next_chars.next().is_none_or(|c| !c.is_alphanumeric()),
                Some(c) => !c.is_alphanumeric() && c != '\'' && c != '-',
            };
        let next_word = after.trim_start();
        let context_ok = match abbr.context {
            AbbrevContext::Always => true,
            AbbrevContext::BeforeCapital => {
                next_word.chars().next().is_some_and(char::is_uppercase)
                    && after.starts_with([' ', '\u{00A0}'])
            }
            AbbrevContext::BeforeNumber => {
                next_word.chars().next().is_some_and(|c| c.is_ascii_digit())
            }
            AbbrevContext::AfterNumber => before
                .trim_end()
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit()),
        };
        out.push_str(&text[consumed..start]);
        if starts_clean && ends_clean && context_ok {
            fire(fired, "abbreviation");
            if abbr.context == AbbrevContext::AfterNumber && !before.ends_with(' ') {
                out.push(' ');
            }
            // "1 km" is one kilometer.
            let number = before.trim_end();
            let one = abbr.context == AbbrevContext::AfterNumber
                && number.ends_with('1')
                && !before_is_digit(number.len() - 1, number);
            if one {
                out.push_str(&(rules.unit_singular)(abbr.spoken));
            } else {
                out.push_str(abbr.spoken);
            }
            // "etc." at the end of a sentence also ended the sentence.
            let sentence_follows = after
                .trim_start()
                .chars()
                .next()
                .is_none_or(char::is_uppercase);
            if can_end_sentence && abbr.written.ends_with('.') && sentence_follows {
                out.push('.');
            }
        } else {
            out.push_str(abbr.written);
        }
        consumed = end;
        rest = &text[end..];
    }
    out.push_str(&text[consumed..]);
    out
}

/// Reads a number as written in the language (thousands separators, decimal part);
/// very long digit strings are read digit by digit.
fn read_number(written: &str, rules: &LanguageRules) -> String {
    let (int_part, frac) = match written.split_once(rules.decimal_separator) {
        Some((i, f)) => (i, Some(f)),
        None => (written, None),
    };
    let digits: String = int_part.chars().filter(|c| c.is_ascii_digit()).collect();
    let Ok(value) = digits.parse::<u64>() else {
        return spell_digits(&digits, rules);
    };
    if digits.len() > 15 || (digits.len() > 1 && digits.starts_with('0') && frac.is_none()) {
        return spell_digits(&digits, rules);
    }
    match frac {
        Some(f) => (rules.decimal)(value, f),
        None => (rules.cardinal)(value),
    }
}

/// From here on, numbers are read digit by digit: no language has everyday words for them.
pub const DIGITS_FROM: u64 = 1_000_000_000_000_000;

/// Reads `n` digit by digit with `word` for each digit.
pub fn spell_each_digit(n: u64, word: impl Fn(u64) -> String) -> String {
    n.to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| word(d as u64))
        .collect::<Vec<_>>()
        .join(" ")
}

fn spell_digits(digits: &str, rules: &LanguageRules) -> String {
    digits
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| (rules.cardinal)(d as u64))
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_u64(s: &str) -> Option<u64> {
    s.parse().ok()
}

fn dates(text: &str, rules: &LanguageRules, c: &Compiled, fired: &mut Vec<&'static str>) -> String {
    let s = apply(text, &c.date_iso, "date", fired, |caps, _, _| {
        let (y, m, d) = (
            parse_u64(&caps[1])?,
            parse_u64(&caps[2])?,
            parse_u64(&caps[3])?,
        );
        ((1..=12).contains(&m) && (1..=31).contains(&d))
            .then(|| (rules.date)(d, m as usize, Some(y)))
    });
    apply(&s, &c.date_numeric, "date", fired, |caps, _, _| {
        let (a, b, y) = (
            parse_u64(&caps[1])?,
            parse_u64(&caps[2])?,
            parse_u64(&caps[3])?,
        );
        let (d, m) = if rules.day_first { (a, b) } else { (b, a) };
        ((1..=12).contains(&m) && (1..=31).contains(&d))
            .then(|| (rules.date)(d, m as usize, Some(y)))
    })
}

/// A currency amount: the number, its scale word, then the currency in the right form.
fn say_amount(
    amount: &str,
    scale: Option<&str>,
    symbol: &str,
    before: &str,
    rules: &LanguageRules,
) -> Option<String> {
    let &(_, one, many, after_scale) = rules.currencies.iter().find(|c| c.0 == symbol)?;
    let scale_word = scale
        .and_then(|s| rules.scale_suffixes.iter().find(|x| x.0 == s))
        .map(|x| x.1);
    // "10 k€" is ten thousand euros: thousands are a number, not a noun like "millions".
    if matches!(scale, Some("k" | "K")) {
        let value: f64 = amount
            .replace(rules.thousands_separators, "")
            .replace(rules.decimal_separator, ".")
            .parse()
            .ok()?;
        let thousands = (value * 1000.0).round();
        if thousands < 1e15 {
            return Some(format!("{} {many}", (rules.cardinal)(thousands as u64)));
        }
    }
    if let Some(scale_word) = scale_word {
        return Some(format!(
            "{} {scale_word} {after_scale}",
            read_number(amount, rules)
        ));
    }
    // "3,50 €" is "trois euros cinquante"; "$3.50" is "three dollars fifty".
    if let Some((int, cents)) = amount.split_once(rules.decimal_separator) {
        if cents.len() == 2 {
            let int_words = read_number(int, rules);
            let unit = if int == "1" { one } else { many };
            let cents = parse_u64(cents)?;
            return Some(if cents == 0 {
                format!("{int_words} {unit}")
            } else {
                format!("{int_words} {unit} {}", (rules.cardinal)(cents))
            });
        }
    }
    let unit = if amount == "1" { one } else { many };
    let words = read_number(amount, rules);
    let words = (rules.agree)(&words, unit, word_before(before)).unwrap_or(words);
    Some(format!("{words} {unit}"))
}

/// Minus and plus signs before amounts and percentages, which their own rules do not
/// read: the sign becomes its word ("(−2 %)" is "(moins 2 %)").
fn signs(text: &str, rules: &LanguageRules, c: &Compiled, fired: &mut Vec<&'static str>) -> String {
    apply(text, &c.signed_amount, "sign", fired, |caps, _, _| {
        let word = if &caps[2] == "+" {
            rules.plus
        } else {
            rules.minus
        };
        Some(format!("{}{word} {}", &caps[1], &caps[3]))
    })
}

fn currencies(
    text: &str,
    rules: &LanguageRules,
    c: &Compiled,
    fired: &mut Vec<&'static str>,
) -> String {
    let s = apply(
        text,
        &c.currency_after,
        "currency",
        fired,
        |caps, before, _| {
            let scale = caps.get(2).map(|m| m.as_str());
            say_amount(&caps[1], scale, &caps[3], before, rules)
        },
    );
    apply(
        &s,
        &c.currency_before,
        "currency",
        fired,
        |caps, before, _| {
            let scale = caps.get(3).map(|m| m.as_str());
            say_amount(&caps[2], scale, &caps[1], before, rules)
        },
    )
}

fn percents(
    text: &str,
    rules: &LanguageRules,
    c: &Compiled,
    fired: &mut Vec<&'static str>,
) -> String {
    apply(text, &c.percent, "percent", fired, |caps, _, _| {
        let word = if &caps[2] == "%" {
            rules.percent
        } else {
            rules.per_mille
        };
        Some(format!("{} {word}", read_number(&caps[1], rules)))
    })
}

fn times(
    text: &str,
    rules: &LanguageRules,
    c: &Compiled,
    lang: Language,
    fired: &mut Vec<&'static str>,
) -> String {
    apply(text, &c.time, "time", fired, |caps, _, _| {
        let h = parse_u64(&caps[1])?;
        let m = caps.get(2).map_or(Some(0), |m| parse_u64(m.as_str()))?;
        // English "3:15" needs the colon form; a French bare "3 h" needs the h.
        if lang == Language::English && caps.get(2).is_none() {
            return None;
        }
        Some((rules.time)(h, m))
    })
}

/// Telephone numbers, read in the groups they are written in: French pairs
/// ("01 23 45 67 89"), English digit by digit ("555-0199", "(555) 123-4567").
fn phones(text: &str, lang: Language, fired: &mut Vec<&'static str>) -> String {
    static FR_PHONE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?:\+33 ?|\b0)[1-9](?:[ .]\d{2}){4}\b").expect("valid"));
    static EN_PHONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:\+1[ -]?)?(?:\(\d{3}\) ?|\b\d{3}-)\d{3}-\d{4}\b|\b\d{3}-\d{4}\b")
            .expect("valid")
    });
    match lang {
        Language::French => apply(text, &FR_PHONE, "phone", fired, |caps, _, _| {
            let digits: String = caps[0]
                .replace("+33", "0")
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            let pairs: Vec<String> = digits
                .as_bytes()
                .chunks(2)
                .map(|pair| {
                    let s = std::str::from_utf8(pair).unwrap_or("0");
                    if s.starts_with('0') {
                        s.chars()
                            .map(|d| fr::cardinal(d.to_digit(10).unwrap_or(0) as u64))
                            .collect::<Vec<_>>()
                            .join(" ")
                    } else {
                        fr::cardinal(s.parse().unwrap_or(0))
                    }
                })
                .collect();
            Some(pairs.join(", "))
        }),
        Language::English => apply(text, &EN_PHONE, "phone", fired, |caps, _, _| {
            let groups: Vec<String> = caps[0]
                .split(|c: char| !c.is_ascii_digit())
                .filter(|g| !g.is_empty())
                .map(|g| {
                    g.chars()
                        .map(|d| en::cardinal(d.to_digit(10).unwrap_or(0) as u64))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            Some(groups.join(", "))
        }),
        _ => text.to_string(),
    }
}

/// English dates written with month names: "November 24, 2026" is "November
/// twenty-fourth", "24 November" is "the twenty-fourth of November".
fn month_days(text: &str, lang: Language, fired: &mut Vec<&'static str>) -> String {
    if lang != Language::English {
        return text.to_string();
    }
    const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.|Feb\\.|Mar\\.|Apr\\.|Jun\\.|Jul\\.|Aug\\.|Sept\\.|Sep\\.|Oct\\.|Nov\\.|Dec\\.";
    static AFTER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!(r"\b({MONTHS}) (\d{{1,2}})\b")).expect("valid"));
    static BEFORE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!(r"\b(\d{{1,2}}) ({MONTHS})")).expect("valid"));
    let full = |m: &str| -> String {
        let m = m.trim_end_matches('.');
        en::MONTHS
            .iter()
            .find(|name| name.starts_with(m))
            .map_or(m.to_string(), |n| n.to_string())
    };
    let s = apply(text, &AFTER, "date", fired, |caps, _, _| {
        let day = parse_u64(&caps[2]).filter(|d| (1..=31).contains(d))?;
        Some(format!("{} {}", full(&caps[1]), en::ordinal(day)))
    });
    apply(&s, &BEFORE, "date", fired, |caps, _, _| {
        let day = parse_u64(&caps[1]).filter(|d| (1..=31).contains(d))?;
        Some(format!("the {} of {}", en::ordinal(day), full(&caps[2])))
    })
}

/// Fractions: "1/2", "3/4", and the Unicode vulgar fractions.
fn fractions(text: &str, rules: &LanguageRules, fired: &mut Vec<&'static str>) -> String {
    static SLASH: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(\d{1,2})/(\d{1,2})\b").expect("valid"));
    let mut out = text.to_string();
    for (glyph, num, den) in [
        ('½', 1, 2),
        ('⅓', 1, 3),
        ('⅔', 2, 3),
        ('¼', 1, 4),
        ('¾', 3, 4),
        ('⅛', 1, 8),
    ] {
        if out.contains(glyph) {
            fire(fired, "fraction");
            out = out.replace(glyph, &format!(" {} ", (rules.fraction)(num, den)));
        }
    }
    apply(&out, &SLASH, "fraction", fired, |caps, before, after| {
        // "24/7", "2020/21" and the like in a longer slash chain are not fractions.
        if before.ends_with('/') || after.starts_with('/') {
            return None;
        }
        let (num, den) = (parse_u64(&caps[1])?, parse_u64(&caps[2])?);
        // Proper fractions only: "24/7" and "9/11" are names, not quantities.
        (den >= 2 && num >= 1 && num < den).then(|| (rules.fraction)(num, den))
    })
}

/// English decades: "the 1980s" are "the nineteen eighties", "the '90s" "the nineties".
/// Languages that write decades in words (French "les années 1980") skip this.
fn decades(
    text: &str,
    rules: &LanguageRules,
    c: &Compiled,
    fired: &mut Vec<&'static str>,
) -> String {
    if rules.decimal_separator != '.' {
        return text.to_string();
    }
    apply(text, &c.decade, "decade", fired, |caps, _, _| {
        let tens = parse_u64(&caps[2])?;
        let words = match caps.get(1) {
            Some(century) => (rules.year)(parse_u64(century.as_str())? * 100 + tens),
            None => (rules.cardinal)(tens),
        };
        Some(match words.strip_suffix('y') {
            Some(stem) => format!("{stem}ies"),
            None => format!("{words}s"),
        })
    })
}

fn ordinal_words(n: u64, suffix: &str, rules: &LanguageRules) -> String {
    let feminine = rules
        .ordinal_suffixes
        .iter()
        .any(|&(s, f)| s == suffix && f);
    if n == 1 && feminine {
        return fr::ordinal(1, true);
    }
    (rules.ordinal)(n)
}

fn ordinals(
    text: &str,
    rules: &LanguageRules,
    c: &Compiled,
    fired: &mut Vec<&'static str>,
) -> String {
    let Some(ordinal) = &c.ordinal else {
        return text.to_string();
    };
    apply(text, ordinal, "ordinal", fired, |caps, _, _| {
        Some(ordinal_words(parse_u64(&caps[1])?, &caps[2], rules))
    })
}

fn romans(
    text: &str,
    rules: &LanguageRules,
    c: &Compiled,
    fired: &mut Vec<&'static str>,
) -> String {
    // "XIXe siècle", "François Ier": a numeral with an ordinal suffix.
    let s = match &c.roman_suffix {
        Some(roman_suffix) => apply(text, roman_suffix, "roman_ordinal", fired, |caps, _, _| {
            let n = roman::parse(&caps[1])?;
            // "Le", "De", "Ce", "Me" are words: a lone L, C, D or M never takes a suffix.
            if matches!(&caps[1], "L" | "C" | "D" | "M") {
                return None;
            }
            Some(ordinal_words(n as u64, &caps[2], rules))
        }),
        None => text.to_string(),
    };
    apply(
        &s,
        &c.roman_word,
        "roman_numeral",
        fired,
        |caps, _, after| {
            let word = &caps[1];
            let numeral = &caps[2];
            let n = roman::parse(numeral)? as u64;
            let next_word = after
                .trim_start()
                .split(|ch: char| !ch.is_alphabetic())
                .next()
                .unwrap_or("");
            if rules.roman_cardinal_context.contains(&word) {
                return Some(format!("{word} {}", (rules.cardinal)(n)));
            }
            if rules.roman_ordinal_following.contains(&next_word) {
                return Some(format!("{word} {}", (rules.ordinal)(n)));
            }
            let last_name = word.rsplit(' ').next().unwrap_or(word);
            if rules.regnal_names.contains(&last_name)
                && numeral.chars().all(|ch| matches!(ch, 'I' | 'V' | 'X'))
            {
                return Some(format!("{word} {}", (rules.regnal)(n)));
            }
            None
        },
    )
}

fn ranges(
    text: &str,
    rules: &LanguageRules,
    c: &Compiled,
    fired: &mut Vec<&'static str>,
) -> String {
    apply(text, &c.range, "range", fired, |caps, before, _| {
        // "COVID-19" or "A-1" are names, not ranges.
        if before
            .chars()
            .next_back()
            .is_some_and(|ch| ch.is_alphanumeric())
        {
            return None;
        }
        let (a, b) = (parse_u64(&caps[1])?, parse_u64(&caps[2])?);
        (b > a).then(|| format!("{} {} {}", &caps[1], rules.range_word, &caps[2]))
    })
}

fn numbers(
    text: &str,
    rules: &LanguageRules,
    c: &Compiled,
    fired: &mut Vec<&'static str>,
) -> String {
    // Dotted digit groups that are not thousands ("version 2.5.1", French "2.5").
    let s = if rules.decimal_separator != '.' {
        let dot = rules.dot_word;
        apply(text, &c.dotted, "number", fired, |caps, _, _| {
            let groups: Vec<&str> = caps[1].split('.').collect();
            if groups[1..].iter().all(|g| g.len() == 3) {
                return None; // thousands: left to the number pass
            }
            Some(
                groups
                    .iter()
                    .map(|g| read_number(g, rules))
                    .collect::<Vec<_>>()
                    .join(&format!(" {dot} ")),
            )
        })
    } else {
        text.to_string()
    };
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for token in scan_numbers(&s, rules) {
        let written = &s[token.digits.clone()];
        let is_plain = written.chars().all(|ch| ch.is_ascii_digit());
        let words = if is_plain && written.len() == 4 && !token.negative {
            (rules.year)(parse_u64(written).unwrap_or(0))
        } else {
            read_number(written, rules)
        };
        // Before a noun the number agrees with it ("1 Stunde" is "eine Stunde").
        let noun = s[token.digits.end..]
            .trim_start_matches([' ', '\u{00A0}'])
            .split(|ch: char| !ch.is_alphabetic())
            .next()
            .unwrap_or("");
        let words =
            if is_plain && !noun.is_empty() && s[token.digits.end..].starts_with([' ', '\u{00A0}'])
            {
                (rules.agree)(&words, noun, word_before(&s[..token.start])).unwrap_or(words)
            } else {
                words
            };
        out.push_str(&s[last..token.start]);
        if token.negative {
            out.push_str(rules.minus);
            out.push(' ');
        }
        out.push_str(&words);
        last = token.digits.end;
        fire(fired, "number");
    }
    out.push_str(&s[last..]);
    out
}

/// A number found in text: its digits (with separators) and whether a minus sign
/// stands before it.
struct NumberToken {
    /// Where the token starts (the sign, if any).
    start: usize,
    /// The digits, thousands groups and decimal part.
    digits: std::ops::Range<usize>,
    /// Whether it is negative.
    negative: bool,
}

/// Finds numbers as the language writes them. Hand-written rather than a regex because
/// a thousands group must be exactly three digits *not followed by another digit*
/// ("0 0000" is two numbers), which needs look-ahead.
fn scan_numbers(text: &str, rules: &LanguageRules) -> Vec<NumberToken> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let pos = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let digit_run = |mut i: usize| {
        while at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        i
    };
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let glued_before = i > 0 && at(i - 1).is_some_and(|p| p.is_alphanumeric());
        if !c.is_ascii_digit() || glued_before {
            i += 1;
            continue;
        }
        let first_end = digit_run(i);
        let mut end = first_end;
        if first_end - i <= 3 {
            // Thousands groups: separator, exactly three digits, then no digit.
            while at(end).is_some_and(|s| rules.thousands_separators.contains(&s)) {
                let group_end = digit_run(end + 1);
                if group_end - (end + 1) == 3 {
                    end = group_end;
                } else {
                    break;
                }
            }
        }
        if at(end) == Some(rules.decimal_separator)
            && at(end + 1).is_some_and(|d| d.is_ascii_digit())
        {
            end = digit_run(end + 1);
        }
        // Digits glued to letters after ("4G", "MP3s") are names the engine reads.
        if at(end).is_some_and(|n| n.is_alphabetic()) {
            i = digit_run(end);
            continue;
        }
        let sign = i
            .checked_sub(1)
            .filter(|&j| matches!(at(j), Some('-' | '−')));
        // A sign at the start, after a space or an opening bracket, or after a slash or
        // a sign of relation ("-5/-10", "[-3; 5]", "x=-2", "≈-4").
        let negative = sign.is_some_and(|j| {
            j == 0
                || at(j - 1).is_some_and(|b| {
                    b.is_whitespace()
                        || matches!(b, '(' | '[' | '/' | '=' | '<' | '>' | '≈' | '~' | ';')
                })
        });
        tokens.push(NumberToken {
            start: if negative { pos(i - 1) } else { pos(i) },
            digits: pos(i)..pos(end),
            negative,
        });
        i = end;
    }
    tokens
}

fn symbols(text: &str, rules: &LanguageRules, fired: &mut Vec<&'static str>) -> String {
    let mut out = text.to_string();
    for &(symbol, spoken) in rules.symbols {
        if out.contains(symbol) {
            fire(fired, "symbol");
            out = out.replace(symbol, &format!(" {spoken} "));
        }
    }
    out
}

/// Folds whitespace, removes spaces before closing punctuation and doubled commas.
fn tidy(text: &str) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if matches!(c, ',' | '.') && out.ends_with(' ') {
            out.pop();
        }
        if c == ','
            && (out.ends_with(',')
                || out.is_empty()
                || out.ends_with(['(', '.', ':', ';', '?', '!']))
        {
            continue;
        }
        out.push(c);
    }
    out.trim_matches([' ', ',']).to_string()
}

#[cfg(test)]
mod tests;
