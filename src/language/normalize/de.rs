//! German: number words (written as one word, "einundzwanzig"), ordinals, years in
//! hundreds ("neunzehnhundertvierundachtzig"), and the tables the normalizer reads German
//! with.

use super::{AbbrevContext, Abbreviation, LanguageRules, Technical};

const UNITS: [&str; 20] = [
    "null",
    "eins",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "elf",
    "zwölf",
    "dreizehn",
    "vierzehn",
    "fünfzehn",
    "sechzehn",
    "siebzehn",
    "achtzehn",
    "neunzehn",
];
const TENS: [&str; 10] = [
    "", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig",
];

/// 1 to 999 as a prefix ("ein" not "eins" before "hundert", "tausend", "und").
fn below_thousand(n: u64, standalone: bool) -> String {
    let (h, rest) = (n / 100, n % 100);
    let mut out = String::new();
    if h > 0 {
        out.push_str(if h == 1 { "ein" } else { UNITS[h as usize] });
        out.push_str("hundert");
    }
    match rest {
        0 => {}
        1 if standalone => out.push_str("eins"),
        1 => out.push_str("ein"),
        2..=19 => out.push_str(UNITS[rest as usize]),
        _ => {
            let (t, u) = (rest / 10, rest % 10);
            if u > 0 {
                out.push_str(if u == 1 { "ein" } else { UNITS[u as usize] });
                out.push_str("und");
            }
            out.push_str(TENS[t as usize]);
        }
    }
    out
}

/// German cardinal words for `n`.
pub fn cardinal(n: u64) -> String {
    if n == 0 {
        return "null".into();
    }
    // Beyond the scale words (a quadrillion and up), digits are read one by one.
    if n >= super::DIGITS_FROM {
        return super::spell_each_digit(n, cardinal);
    }
    let mut parts = Vec::new();
    let mut rest = n;
    for (value, one, many) in [
        (1_000_000_000_000u64, "eine Billion", "Billionen"),
        (1_000_000_000, "eine Milliarde", "Milliarden"),
        (1_000_000, "eine Million", "Millionen"),
    ] {
        let count = rest / value;
        if count > 0 {
            parts.push(if count == 1 {
                one.to_string()
            } else {
                format!("{} {many}", cardinal(count))
            });
            rest %= value;
        }
    }
    if rest > 0 {
        let (th, low) = (rest / 1000, rest % 1000);
        let mut word = String::new();
        if th > 0 {
            word.push_str(&below_thousand(th, false));
            word.push_str("tausend");
        }
        if low > 0 {
            word.push_str(&below_thousand(low, true));
        }
        parts.push(word);
    }
    parts.join(" ")
}

/// German ordinal words ("erste", "dritte", "zwanzigste").
pub fn ordinal(n: u64) -> String {
    match n {
        1 => "erste".into(),
        3 => "dritte".into(),
        7 => "siebte".into(),
        8 => "achte".into(),
        2..=19 => format!("{}te", cardinal(n)),
        _ => {
            let c = cardinal(n % 100);
            match n % 100 {
                1 | 3 | 7 | 8 if n > 100 => {
                    format!("{}{}", cardinal(n - n % 100), ordinal(n % 100))
                }
                2..=19 if n > 100 => format!("{}{}te", cardinal(n - n % 100), c),
                _ => format!("{}ste", cardinal(n)),
            }
        }
    }
}

/// Decimal: "zwei Komma fünf".
pub fn decimal(int: u64, frac: &str) -> String {
    let mut out = format!("{} Komma", cardinal(int));
    for d in frac.chars().filter_map(|c| c.to_digit(10)) {
        out.push(' ');
        out.push_str(UNITS[d as usize]);
    }
    out
}

/// Years from 1100 to 1999 in hundreds; others as cardinals.
pub fn year(n: u64) -> String {
    if (1100..2000).contains(&n) {
        let low = n % 100;
        let mut out = format!("{}hundert", UNITS[(n / 100) as usize]);
        if low > 0 {
            out.push_str(&below_thousand(low, true));
        }
        out
    } else {
        cardinal(n)
    }
}

/// A clock time: "vierzehn Uhr dreißig".
pub fn time(hours: u64, minutes: u64) -> String {
    let h = if hours == 1 {
        "ein".to_string()
    } else {
        cardinal(hours)
    };
    match minutes {
        0 => format!("{h} Uhr"),
        m => format!("{h} Uhr {}", cardinal(m)),
    }
}

/// A date: "vierundzwanzigste November zweitausendsechsundzwanzig".
pub fn date(day: u64, month: usize, year_number: Option<u64>) -> String {
    const MONTHS: [&str; 12] = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    let mut out = format!("{} {}", ordinal(day), MONTHS[month.clamp(1, 12) - 1]);
    if let Some(y) = year_number {
        out.push(' ');
        out.push_str(&year(y));
    }
    out
}

/// Fractions: "ein halb", "drei Viertel", "zwei Drittel".
pub fn fraction(num: u64, den: u64) -> String {
    let n = if num == 1 {
        "ein".to_string()
    } else {
        cardinal(num)
    };
    let d = match den {
        2 => "halb".to_string(),
        3 => "Drittel".into(),
        4 => "Viertel".into(),
        _ => format!("{}tel", cardinal(den)),
    };
    format!("{n} {d}")
}

/// The German rules.
/// Feminine nouns: "eine" before them, "ein" before the others.
const FEMININE: &[&str] = &[
    "Stunde",
    "Minute",
    "Sekunde",
    "Woche",
    "Frau",
    "Person",
    "Seite",
    "Million",
    "Milliarde",
    "Stadt",
    "Firma",
    "Partei",
    "Tonne",
    "Nacht",
    "Sache",
    "Frage",
    "Meile",
    "Krone",
    "Schule",
    "Familie",
    "Regel",
    "Möglichkeit",
    "Zeit",
    "Welt",
    "Gruppe",
    "Runde",
    "Saison",
    "Etappe",
    "Art",
    "Folge",
    "Stimme",
    "Wohnung",
    "Straße",
    "Zahl",
    "Reise",
    "Tochter",
    "Mutter",
    "Schwester",
    "Region",
    "Sprache",
    "Mannschaft",
    "Liga",
    "Flasche",
];

/// "eins" before a noun (capitalized in German) is "ein", or "eine" before a feminine
/// one, in the case the word before asks for: a preposition's ("mit einer Frau",
/// "innerhalb einer Stunde", "für einen Euro") or, right after a verb that takes an
/// object, the accusative ("kostet einen Euro"). Elsewhere the nominative; a verb
/// further away ("kostet nur 1 €") is not seen.
fn agree(words: &str, noun: &str, before: &str) -> Option<String> {
    let is_noun = noun.chars().next().is_some_and(char::is_uppercase);
    if words != "eins" || !is_noun {
        return None;
    }
    // "um ein Uhr": the hour does not inflect.
    if noun == "Uhr" {
        return Some("ein".to_string());
    }
    let ends_with_any = |list: &[&str]| {
        let lower = noun.to_lowercase();
        // Compounds take the gender of their last noun ("Kilowattstunde", "Kubikmeter").
        list.contains(&noun)
            || list
                .iter()
                .any(|f| f.chars().count() >= 5 && lower.ends_with(&f.to_lowercase()))
    };
    let feminine = ends_with_any(FEMININE);
    let before = before.to_lowercase();
    let article = if DATIVE.contains(&before.as_str()) {
        if feminine {
            "einer"
        } else {
            "einem"
        }
    } else if GENITIVE.contains(&before.as_str()) {
        if feminine {
            "einer"
        } else {
            "eines"
        }
    } else if ACCUSATIVE.contains(&before.as_str()) || OBJECT_VERBS.contains(&before.as_str()) {
        if feminine {
            "eine"
        } else if ends_with_any(MASCULINE) {
            "einen"
        } else {
            "ein"
        }
    } else if feminine {
        "eine"
    } else {
        "ein"
    };
    Some(article.to_string())
}

/// Prepositions after which a number before its noun is in the dative ("mit einem
/// Euro", "in einer Stunde"); the two-way ones are read as places and times, in the
/// dative.
const DATIVE: &[&str] = &[
    "mit",
    "von",
    "bei",
    "nach",
    "seit",
    "aus",
    "zu",
    "in",
    "an",
    "auf",
    "vor",
    "unter",
    "über",
    "hinter",
    "neben",
    "zwischen",
    "gegenüber",
    "samt",
    "nebst",
    "ab",
];

/// Prepositions taking the genitive ("innerhalb einer Stunde").
const GENITIVE: &[&str] = &[
    "innerhalb",
    "außerhalb",
    "während",
    "wegen",
    "trotz",
    "statt",
    "anstatt",
    "binnen",
];

/// Prepositions taking the accusative ("für einen Euro", "um eine Stunde").
const ACCUSATIVE: &[&str] = &["für", "durch", "gegen", "ohne", "um"];

/// Verb forms that take an accusative object, said right before an amount: "kostet
/// einen Euro", "dauert einen Tag", "beträgt einen Meter". Forms of "sein" and
/// "werden" are not here: "es ist ein Euro" stays nominative.
const OBJECT_VERBS: &[&str] = &[
    "kostet",
    "kosten",
    "kostete",
    "kosteten",
    "beträgt",
    "betragen",
    "betrug",
    "zahlt",
    "zahlen",
    "zahlte",
    "bezahlt",
    "bezahlen",
    "bezahlte",
    "verdient",
    "verdienen",
    "verdiente",
    "spart",
    "sparen",
    "sparte",
    "dauert",
    "dauern",
    "dauerte",
    "misst",
    "messen",
    "maß",
    "wiegt",
    "wiegen",
    "wog",
    "braucht",
    "brauchen",
    "brauchte",
    "hat",
    "haben",
    "hatte",
    "hatten",
    "gibt",
    "gab",
    "bekommt",
    "bekommen",
    "bekam",
    "erhält",
    "erhalten",
    "erhielt",
    "kauft",
    "kaufen",
    "kaufte",
    "verliert",
    "verlieren",
    "verlor",
    "gewinnt",
    "gewinnen",
    "gewann",
    "fährt",
    "fahren",
    "fuhr",
    "läuft",
    "laufen",
    "lief",
];

/// Masculine nouns, for the accusative "einen" (neuter ones keep "ein").
const MASCULINE: &[&str] = &[
    "Euro",
    "Dollar",
    "Cent",
    "Franken",
    "Rappen",
    "Meter",
    "Liter",
    "Grad",
    "Tag",
    "Monat",
    "Punkt",
    "Mann",
    "Mensch",
    "Einwohner",
    "Schritt",
    "Platz",
    "Preis",
    "Wert",
    "Anteil",
];

pub static RULES: LanguageRules = LanguageRules {
    cardinal,
    ordinal,
    decimal,
    year,
    time,
    date,
    fraction,
    day_first: true,
    decimal_separator: ',',
    thousands_separators: &['.', ' ', '\u{00A0}', '\u{202F}'],
    ordinal_suffixes: &[],
    dot_word: "Punkt",
    at_word: "ät",
    minus: "minus",
    plus: "plus",
    acronym_plural_s: true,
    unit_power: |spoken, power| {
        let prefix = if power == 2 { "Quadrat" } else { "Kubik" };
        format!("{prefix}{}", spoken.to_lowercase())
    },
    // "Kilowattstunden" is "eine Kilowattstunde"; "Meter", "Gramm" and "Liter" are both.
    unit_singular: |spoken| {
        spoken
            .split(' ')
            .map(|w| {
                let feminine_n = ["stunden", "sekunden", "minuten", "tonnen", "kalorien"];
                let lower = w.to_lowercase();
                if feminine_n.iter().any(|e| lower.ends_with(e)) {
                    return w[..w.len() - 1].to_string();
                }
                match w {
                    "Millionen" => "Million".to_string(),
                    "Milliarden" => "Milliarde".to_string(),
                    w => w.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    },
    agree,
    range_word: "bis",
    percent: "Prozent",
    per_mille: "Promille",
    units: super::units::UnitWords {
        prefixes: &[
            ("da", "Deka"),
            ("Ki", "Kibi"),
            ("Mi", "Mebi"),
            ("Gi", "Gibi"),
            ("Ti", "Tebi"),
            ("Pi", "Pebi"),
            ("k", "Kilo"),
            ("K", "Kilo"),
            ("M", "Mega"),
            ("G", "Giga"),
            ("T", "Tera"),
            ("P", "Peta"),
            ("h", "Hekto"),
            ("d", "Dezi"),
            ("c", "Zenti"),
            ("m", "Milli"),
            ("µ", "Mikro"),
            ("n", "Nano"),
            ("p", "Piko"),
        ],
        units: &[
            ("m", "Meter"),
            ("g", "Gramm"),
            ("s", "Sekunden"),
            ("l", "Liter"),
            ("L", "Liter"),
            ("A", "Ampere"),
            ("V", "Volt"),
            ("W", "Watt"),
            ("Wh", "Wattstunden"),
            ("VA", "Voltampere"),
            ("Ah", "Amperestunden"),
            ("Hz", "Hertz"),
            ("Pa", "Pascal"),
            ("bar", "Bar"),
            ("J", "Joule"),
            ("N", "Newton"),
            ("Ω", "Ohm"),
            ("F", "Farad"),
            ("H", "Henry"),
            ("C", "Coulomb"),
            ("T", "Tesla"),
            ("K", "Kelvin"),
            ("eV", "Elektronenvolt"),
            ("Gy", "Gray"),
            ("Sv", "Sievert"),
            ("Bq", "Becquerel"),
            ("mol", "Mol"),
            ("cd", "Candela"),
            ("lm", "Lumen"),
            ("lx", "Lux"),
            ("cal", "Kalorien"),
            ("t", "Tonnen"),
            ("dB", "Dezibel"),
            ("B", "Byte"),
            ("bit", "Bit"),
            ("bps", "Bit pro Sekunde"),
        ],
        per_only: &[
            ("h", "Stunde"),
            ("Std.", "Stunde"),
            ("Stunde", "Stunde"),
            ("d", "Tag"),
            ("Tag", "Tag"),
            ("Woche", "Woche"),
            ("Monat", "Monat"),
            ("Mon.", "Monat"),
            ("a", "Jahr"),
            ("J.", "Jahr"),
            ("Jahr", "Jahr"),
            ("Nacht", "Nacht"),
            ("Kopf", "Kopf"),
            ("Person", "Person"),
            ("EW", "Einwohner"),
            ("Einw.", "Einwohner"),
            ("Einwohner", "Einwohner"),
        ],
        per: "pro",
        compose: |prefix, unit| {
            let mut chars = unit.chars();
            let first = chars.next().map(|c| c.to_lowercase().collect::<String>());
            format!("{prefix}{}{}", first.unwrap_or_default(), chars.as_str())
        },
    },
    abbreviations: &[
        Abbreviation::new("z. B.", "zum Beispiel", AbbrevContext::Always),
        Abbreviation::new("z.B.", "zum Beispiel", AbbrevContext::Always),
        Abbreviation::new("d. h.", "das heißt", AbbrevContext::Always),
        Abbreviation::new("d.h.", "das heißt", AbbrevContext::Always),
        Abbreviation::new("u. a.", "unter anderem", AbbrevContext::Always),
        Abbreviation::new("usw.", "und so weiter", AbbrevContext::Always),
        Abbreviation::new("bzw.", "beziehungsweise", AbbrevContext::Always),
        Abbreviation::new("ca.", "circa", AbbrevContext::Always),
        Abbreviation::new("vgl.", "vergleiche", AbbrevContext::Always),
        Abbreviation::new("Dr.", "Doktor", AbbrevContext::BeforeCapital),
        Abbreviation::new("Prof.", "Professor", AbbrevContext::BeforeCapital),
        Abbreviation::new("Hr.", "Herr", AbbrevContext::BeforeCapital),
        Abbreviation::new("Fr.", "Frau", AbbrevContext::BeforeCapital),
        Abbreviation::new("St.", "Sankt", AbbrevContext::BeforeCapital),
        Abbreviation::new("Nr.", "Nummer", AbbrevContext::BeforeNumber),
        Abbreviation::new("S.", "Seite", AbbrevContext::BeforeNumber),
        Abbreviation::new("Mio.", "Millionen", AbbrevContext::AfterNumber),
        Abbreviation::new("Mrd.", "Milliarden", AbbrevContext::AfterNumber),
        Abbreviation::new(
            "l/100 km",
            "Liter auf hundert Kilometer",
            AbbrevContext::AfterNumber,
        ),
        Abbreviation::new(
            "L/100 km",
            "Liter auf hundert Kilometer",
            AbbrevContext::AfterNumber,
        ),
        Abbreviation::new(
            "U/min",
            "Umdrehungen pro Minute",
            AbbrevContext::AfterNumber,
        ),
        Abbreviation::new("kn", "Knoten", AbbrevContext::AfterNumber),
        Abbreviation::new("atm", "Atmosphären", AbbrevContext::AfterNumber),
        Abbreviation::new(
            "mmHg",
            "Millimeter Quecksilbersäule",
            AbbrevContext::AfterNumber,
        ),
        Abbreviation::new("qm", "Quadratmeter", AbbrevContext::AfterNumber),
        Abbreviation::new("ccm", "Kubikzentimeter", AbbrevContext::AfterNumber),
        Abbreviation::new("m/s", "Meter pro Sekunde", AbbrevContext::AfterNumber),
        Abbreviation::new("m", "Meter", AbbrevContext::AfterNumber),
        Abbreviation::new("mm", "Millimeter", AbbrevContext::AfterNumber),
        Abbreviation::new("g", "Gramm", AbbrevContext::AfterNumber),
        Abbreviation::new("mg", "Milligramm", AbbrevContext::AfterNumber),
        Abbreviation::new("t", "Tonnen", AbbrevContext::AfterNumber),
        Abbreviation::new("l", "Liter", AbbrevContext::AfterNumber),
        Abbreviation::new("L", "Liter", AbbrevContext::AfterNumber),
        Abbreviation::new("ml", "Milliliter", AbbrevContext::AfterNumber),
        Abbreviation::new("ha", "Hektar", AbbrevContext::AfterNumber),
        Abbreviation::new("kWh", "Kilowattstunden", AbbrevContext::AfterNumber),
        Abbreviation::new("MWh", "Megawattstunden", AbbrevContext::AfterNumber),
        Abbreviation::new("kW", "Kilowatt", AbbrevContext::AfterNumber),
        Abbreviation::new("MW", "Megawatt", AbbrevContext::AfterNumber),
        Abbreviation::new("GW", "Gigawatt", AbbrevContext::AfterNumber),
        Abbreviation::new("MB", "Megabyte", AbbrevContext::AfterNumber),
        Abbreviation::new("TB", "Terabyte", AbbrevContext::AfterNumber),
        Abbreviation::new("°F", "Grad Fahrenheit", AbbrevContext::AfterNumber),
        Abbreviation::new("km/h", "Kilometer pro Stunde", AbbrevContext::AfterNumber),
        Abbreviation::new("km", "Kilometer", AbbrevContext::AfterNumber),
        Abbreviation::new("kg", "Kilogramm", AbbrevContext::AfterNumber),
        Abbreviation::new("cm", "Zentimeter", AbbrevContext::AfterNumber),
        Abbreviation::new("GB", "Gigabyte", AbbrevContext::AfterNumber),
        Abbreviation::new("Std.", "Stunden", AbbrevContext::AfterNumber),
        Abbreviation::new("Min.", "Minuten", AbbrevContext::AfterNumber),
        Abbreviation::new("°C", "Grad Celsius", AbbrevContext::AfterNumber),
        Abbreviation::new("°", "Grad", AbbrevContext::AfterNumber),
    ],
    sentence_abbreviations: &[
        "z.", "B.", "d.", "h.", "u.", "a.", "usw.", "bzw.", "ca.", "vgl.", "Dr.", "Prof.", "Hr.",
        "Fr.", "St.", "Nr.", "S.", "Mio.", "Mrd.", "Std.", "Min.", "Jan.", "Feb.", "Okt.", "Nov.",
        "Dez.",
    ],
    syllables: super::acronyms::Syllables {
        onsets: &[
            "BL", "BR", "CH", "DR", "FL", "FR", "GL", "GN", "GR", "KL", "KN", "KR", "PF", "PFL",
            "PFR", "PH", "PL", "PR", "SCH", "SCHL", "SCHM", "SCHN", "SCHR", "SCHW", "SK", "SL",
            "SP", "SPR", "ST", "STR", "TR", "TSCH", "ZW",
        ],
        codas: &[
            "CH", "CHT", "CK", "FT", "LD", "LF", "LK", "LM", "LT", "MP", "MT", "MPF", "MF", "ND",
            "NG", "NK", "NS", "NT", "NZ", "PF", "PT", "RB", "RD", "RF", "RG", "RK", "RL", "RM",
            "RN", "RT", "RST", "RZ", "SCH", "SK", "ST", "TZ", "TSCH",
        ],
        letter_then_syllable: false,
    },
    acronyms_as_words: &[
        "NATO", "UNESCO", "NASA", "DAX", "UNO", "AIDS", "LASER", "RADAR", "OPEC", "FIFA", "UEFA",
        "COVID", "RAM", "ROM", "TÜV", "DIN", "BAföG", "Kita",
    ],
    acronyms_spelled: &[
        "EU", "USA", "BRD", "DDR", "ARD", "ZDF", "BMW", "KI", "SPD", "CDU", "CSU", "FDP", "AfD",
        "GmbH", "AG", "BBC", "FBI", "CIA", "IT", "PC", "TV", "PDF", "URL", "ICE", "ADAC", "DAAD",
        "Kfz", "Lkw", "Pkw", "MdB", "BaWü",
    ],
    letter_names: [
        "a", "be", "tse", "de", "e", "ef", "ge", "ha", "i", "jot", "ka", "el", "em", "en", "o",
        "pe", "ku", "er", "es", "te", "u", "fau", "we", "ix", "üpsilon", "tsett",
    ],
    technical: Technical {
        version: "Version",
        point: "Punkt",
        or_later: "oder neuer",
        tilde: "Tilde",
        slash: "Schrägstrich",
    },
    symbols: &[
        ("&", "und"),
        ("+", "plus"),
        ("=", "gleich"),
        ("§", "Paragraf"),
        ("@", "ät"),
        ("±", "plus minus"),
        ("×", "mal"),
        ("→", ""),
        ("•", ""),
        ("*", ""),
        ("#", ""),
        ("~", "etwa"),
    ],
    currencies: &[
        ("€", "Euro", "Euro", "Euro"),
        ("$", "Dollar", "Dollar", "Dollar"),
        ("£", "Pfund", "Pfund", "Pfund"),
        ("CHF", "Franken", "Franken", "Franken"),
    ],
    scale_suffixes: &[
        ("Mio.", "Millionen"),
        ("Mrd.", "Milliarden"),
        ("Mio", "Millionen"),
        ("Mrd", "Milliarden"),
    ],
    roman_cardinal_context: &[
        "Kapitel",
        "Teil",
        "Band",
        "Akt",
        "Artikel",
        "Anhang",
        "Weltkrieg",
    ],
    roman_ordinal_following: &["Jahrhundert", "Jahrhunderts", "Jahrtausend"],
    regnal_names: &[
        "Ludwig",
        "Friedrich",
        "Wilhelm",
        "Karl",
        "Heinrich",
        "Otto",
        "Elisabeth",
        "Elizabeth",
        "Maximilian",
        "Leopold",
        "Joseph",
        "Franz",
        "Johannes",
        "Paul",
        "Benedikt",
        "Pius",
        "Leo",
        "Georg",
        "Gregor",
        "Katharina",
        "Peter",
        "Philipp",
    ],
    regnal: |n| format!("der {}", ordinal(n)),
    roman_ordinal_suffixes: &[],
};
