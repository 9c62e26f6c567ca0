//! English: number words, ordinals, years and the tables of abbreviations, acronyms,
//! letters, symbols and currencies that the normalizer reads English with.
//!
//! Cardinals use the American form without "and" ("one hundred twenty"), years are read
//! in pairs ("nineteen eighty-four", "twenty twenty-six"), decimals digit by digit after
//! "point".

use super::{AbbrevContext, Abbreviation, LanguageRules, Technical};

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn below_hundred(n: u64) -> String {
    match n {
        0..=19 => UNITS[n as usize].to_string(),
        _ if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_string(),
        _ => format!("{}-{}", TENS[(n / 10) as usize], UNITS[(n % 10) as usize]),
    }
}

fn below_thousand(n: u64) -> String {
    let (h, rest) = (n / 100, n % 100);
    match (h, rest) {
        (0, _) => below_hundred(rest),
        (_, 0) => format!("{} hundred", UNITS[h as usize]),
        _ => format!("{} hundred {}", UNITS[h as usize], below_hundred(rest)),
    }
}

/// English cardinal words for `n`.
pub fn cardinal(n: u64) -> String {
    if n == 0 {
        return "zero".into();
    }
    // Beyond the scale words (a quadrillion and up), digits are read one by one.
    if n >= super::DIGITS_FROM {
        return super::spell_each_digit(n, cardinal);
    }
    const SCALES: [(u64, &str); 5] = [
        (1_000_000_000_000_000, "quadrillion"),
        (1_000_000_000_000, "trillion"),
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
        (1_000, "thousand"),
    ];
    let mut parts = Vec::new();
    let mut rest = n;
    for (value, name) in SCALES {
        if rest >= value {
            parts.push(format!("{} {name}", below_thousand(rest / value)));
            rest %= value;
        }
    }
    if rest > 0 {
        parts.push(below_thousand(rest));
    }
    parts.join(" ")
}

/// English ordinal words for `n`.
pub fn ordinal(n: u64) -> String {
    let words = cardinal(n);
    let (head, last) = match words.rfind([' ', '-']) {
        Some(i) => (&words[..=i], &words[i + 1..]),
        None => ("", words.as_str()),
    };
    let last = match last {
        "one" => "first".to_string(),
        "two" => "second".to_string(),
        "three" => "third".to_string(),
        "five" => "fifth".to_string(),
        "eight" => "eighth".to_string(),
        "nine" => "ninth".to_string(),
        "twelve" => "twelfth".to_string(),
        w if w.ends_with('y') => format!("{}ieth", &w[..w.len() - 1]),
        w => format!("{w}th"),
    };
    format!("{head}{last}")
}

/// Decimal: integer part, "point", then each digit.
pub fn decimal(int: u64, frac: &str) -> String {
    let mut out = format!("{} point", cardinal(int));
    for d in frac.chars() {
        out.push(' ');
        out.push_str(UNITS[d.to_digit(10).unwrap_or(0) as usize]);
    }
    out
}

/// A year as people say it: "nineteen eighty-four", "two thousand five",
/// "twenty twenty-six", "nineteen hundred", "ten sixty-six".
pub fn year(n: u64) -> String {
    if !(1000..=2099).contains(&n) || (2000..2010).contains(&n) || n.is_multiple_of(1000) {
        return cardinal(n);
    }
    let (hi, lo) = (n / 100, n % 100);
    match lo {
        0 => format!("{} hundred", below_hundred(hi)),
        1..=9 => format!("{} oh {}", below_hundred(hi), UNITS[lo as usize]),
        _ => format!("{} {}", below_hundred(hi), below_hundred(lo)),
    }
}

/// A clock time: "2:30" is "two thirty", "2:05" "two oh five", "2:00" "two o'clock".
pub fn time(hours: u64, minutes: u64) -> String {
    match minutes {
        0 => format!("{} o'clock", cardinal(hours)),
        1..=9 => format!("{} oh {}", cardinal(hours), cardinal(minutes)),
        m => format!("{} {}", cardinal(hours), cardinal(m)),
    }
}

/// Month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date: "November twenty-fourth, twenty twenty-six".
pub fn date(day: u64, month: usize, year_number: Option<u64>) -> String {
    let mut out = format!("{} {}", MONTHS[month.clamp(1, 12) - 1], ordinal(day));
    if let Some(y) = year_number {
        out.push_str(", ");
        out.push_str(&year(y));
    }
    out
}

/// Fractions: "one half", "three quarters", "two thirds", "five eighths".
pub fn fraction(num: u64, den: u64) -> String {
    let n = cardinal(num);
    let plural = if num > 1 { "s" } else { "" };
    match den {
        2 if num == 1 => "one half".into(),
        2 => format!("{n} halves"),
        4 => format!("{n} quarter{plural}"),
        _ => format!("{n} {}{plural}", ordinal(den)),
    }
}

/// The English rules.
pub static RULES: LanguageRules = LanguageRules {
    cardinal,
    ordinal,
    decimal,
    year,
    time,
    date,
    fraction,
    day_first: false,
    decimal_separator: '.',
    thousands_separators: &[',', '\u{00A0}', '\u{202F}'],
    ordinal_suffixes: &[("st", false), ("nd", false), ("rd", false), ("th", false)],
    dot_word: "dot",
    at_word: "at",
    minus: "minus",
    plus: "plus",
    acronym_plural_s: true,
    unit_power: |spoken, power| {
        let word = if power == 2 { "square" } else { "cubic" };
        format!("{word} {spoken}")
    },
    unit_singular: |spoken| match spoken {
        _ if spoken.ends_with("feet") => spoken.replace("feet", "foot"),
        _ => super::units::singular_by_s(spoken, &["ch", "sh", "x"]),
    },
    agree: |_, _, _| None,
    range_word: "to",
    percent: "percent",
    per_mille: "per mille",
    units: super::units::UnitWords {
        prefixes: &[
            ("da", "deca"),
            ("Ki", "kibi"),
            ("Mi", "mebi"),
            ("Gi", "gibi"),
            ("Ti", "tebi"),
            ("Pi", "pebi"),
            ("k", "kilo"),
            ("K", "kilo"),
            ("M", "mega"),
            ("G", "giga"),
            ("T", "tera"),
            ("P", "peta"),
            ("h", "hecto"),
            ("d", "deci"),
            ("c", "centi"),
            ("m", "milli"),
            ("µ", "micro"),
            ("n", "nano"),
            ("p", "pico"),
        ],
        units: &[
            ("m", "meters"),
            ("g", "grams"),
            ("s", "seconds"),
            ("l", "liters"),
            ("L", "liters"),
            ("A", "amperes"),
            ("V", "volts"),
            ("W", "watts"),
            ("Wh", "watt-hours"),
            ("VA", "volt-amperes"),
            ("Ah", "amp-hours"),
            ("Hz", "hertz"),
            ("Pa", "pascals"),
            ("bar", "bars"),
            ("J", "joules"),
            ("N", "newtons"),
            ("Ω", "ohms"),
            ("F", "farads"),
            ("H", "henrys"),
            ("C", "coulombs"),
            ("T", "teslas"),
            ("K", "kelvins"),
            ("eV", "electronvolts"),
            ("Gy", "grays"),
            ("Sv", "sieverts"),
            ("Bq", "becquerels"),
            ("mol", "moles"),
            ("cd", "candelas"),
            ("lm", "lumens"),
            ("lx", "lux"),
            ("cal", "calories"),
            ("t", "tonnes"),
            ("dB", "decibels"),
            ("B", "bytes"),
            ("bit", "bits"),
            ("bps", "bits per second"),
        ],
        per_only: &[
            ("h", "hour"),
            ("hr", "hour"),
            ("hour", "hour"),
            ("d", "day"),
            ("day", "day"),
            ("wk", "week"),
            ("week", "week"),
            ("mo", "month"),
            ("month", "month"),
            ("yr", "year"),
            ("year", "year"),
            ("night", "night"),
            ("person", "person"),
            ("capita", "capita"),
            ("head", "head"),
        ],
        per: "per",
        compose: super::units::join,
    },
    abbreviations: &[
        Abbreviation::new("24/7", "twenty-four seven", AbbrevContext::Always),
        Abbreviation::new("IEEE", "eye triple ee", AbbrevContext::Always),
        Abbreviation::new("WWII", "World War Two", AbbrevContext::Always),
        Abbreviation::new("WWI", "World War One", AbbrevContext::Always),
        Abbreviation::new("24x7", "twenty-four seven", AbbrevContext::Always),
        Abbreviation::new("Mr.", "Mister", AbbrevContext::Always),
        Abbreviation::new("Mr", "Mister", AbbrevContext::BeforeCapital),
        Abbreviation::new("Mrs.", "Missus", AbbrevContext::Always),
        Abbreviation::new("Mrs", "Missus", AbbrevContext::BeforeCapital),
        Abbreviation::new("Ms.", "Miz", AbbrevContext::Always),
        Abbreviation::new("Dr.", "Doctor", AbbrevContext::BeforeCapital),
        Abbreviation::new("Dr", "Doctor", AbbrevContext::BeforeCapital),
        Abbreviation::new("Prof.", "Professor", AbbrevContext::BeforeCapital),
        Abbreviation::new("St.", "Saint", AbbrevContext::BeforeCapital),
        Abbreviation::new("St.", "Street", AbbrevContext::Always),
        Abbreviation::new("Jr.", "Junior", AbbrevContext::Always),
        Abbreviation::new("Sr.", "Senior", AbbrevContext::Always),
        Abbreviation::new("Gen.", "General", AbbrevContext::BeforeCapital),
        Abbreviation::new("Gov.", "Governor", AbbrevContext::BeforeCapital),
        Abbreviation::new("Sen.", "Senator", AbbrevContext::BeforeCapital),
        Abbreviation::new("Rep.", "Representative", AbbrevContext::BeforeCapital),
        Abbreviation::new("etc.", "et cetera", AbbrevContext::Always),
        Abbreviation::new("e.g.", "for example", AbbrevContext::Always),
        Abbreviation::new("i.e.", "that is", AbbrevContext::Always),
        Abbreviation::new("cf.", "compare", AbbrevContext::Always),
        Abbreviation::new("vs.", "versus", AbbrevContext::Always),
        Abbreviation::new("vs", "versus", AbbrevContext::Always),
        Abbreviation::new("approx.", "approximately", AbbrevContext::Always),
        Abbreviation::new("No.", "number", AbbrevContext::BeforeNumber),
        Abbreviation::new("no.", "number", AbbrevContext::BeforeNumber),
        Abbreviation::new("p.", "page", AbbrevContext::BeforeNumber),
        Abbreviation::new("pp.", "pages", AbbrevContext::BeforeNumber),
        Abbreviation::new("vol.", "volume", AbbrevContext::Always),
        Abbreviation::new("ch.", "chapter", AbbrevContext::BeforeNumber),
        Abbreviation::new("a.m.", "A M", AbbrevContext::AfterNumber),
        Abbreviation::new("p.m.", "P M", AbbrevContext::AfterNumber),
        Abbreviation::new("am", "A M", AbbrevContext::AfterNumber),
        Abbreviation::new("pm", "P M", AbbrevContext::AfterNumber),
        Abbreviation::new("sq ft", "square feet", AbbrevContext::AfterNumber),
        Abbreviation::new("sq mi", "square miles", AbbrevContext::AfterNumber),
        Abbreviation::new("sq km", "square kilometers", AbbrevContext::AfterNumber),
        Abbreviation::new("yd", "yards", AbbrevContext::AfterNumber),
        Abbreviation::new("oz", "ounces", AbbrevContext::AfterNumber),
        Abbreviation::new("fl oz", "fluid ounces", AbbrevContext::AfterNumber),
        Abbreviation::new("gal", "gallons", AbbrevContext::AfterNumber),
        Abbreviation::new("psi", "pounds per square inch", AbbrevContext::AfterNumber),
        Abbreviation::new("hp", "horsepower", AbbrevContext::AfterNumber),
        Abbreviation::new("kn", "knots", AbbrevContext::AfterNumber),
        Abbreviation::new("nmi", "nautical miles", AbbrevContext::AfterNumber),
        Abbreviation::new("mpg", "miles per gallon", AbbrevContext::AfterNumber),
        Abbreviation::new("rpm", "revolutions per minute", AbbrevContext::AfterNumber),
        Abbreviation::new("bbl", "barrels", AbbrevContext::AfterNumber),
        Abbreviation::new("atm", "atmospheres", AbbrevContext::AfterNumber),
        Abbreviation::new("Btu", "British thermal units", AbbrevContext::AfterNumber),
        Abbreviation::new("cc", "cubic centimeters", AbbrevContext::AfterNumber),
        Abbreviation::new("mmHg", "millimeters of mercury", AbbrevContext::AfterNumber),
        Abbreviation::new(
            "l/100 km",
            "liters per hundred kilometers",
            AbbrevContext::AfterNumber,
        ),
        Abbreviation::new(
            "L/100 km",
            "liters per hundred kilometers",
            AbbrevContext::AfterNumber,
        ),
        Abbreviation::new("min", "minutes", AbbrevContext::AfterNumber),
        Abbreviation::new("mph", "miles per hour", AbbrevContext::AfterNumber),
        Abbreviation::new("m/s", "meters per second", AbbrevContext::AfterNumber),
        Abbreviation::new("m", "meters", AbbrevContext::AfterNumber),
        Abbreviation::new("ha", "hectares", AbbrevContext::AfterNumber),
        Abbreviation::new("kWh", "kilowatt-hours", AbbrevContext::AfterNumber),
        Abbreviation::new("MWh", "megawatt-hours", AbbrevContext::AfterNumber),
        Abbreviation::new("GWh", "gigawatt-hours", AbbrevContext::AfterNumber),
        Abbreviation::new("kW", "kilowatts", AbbrevContext::AfterNumber),
        Abbreviation::new("MW", "megawatts", AbbrevContext::AfterNumber),
        Abbreviation::new("GW", "gigawatts", AbbrevContext::AfterNumber),
        Abbreviation::new("t", "tonnes", AbbrevContext::AfterNumber),
        Abbreviation::new("mg", "milligrams", AbbrevContext::AfterNumber),
        Abbreviation::new("g", "grams", AbbrevContext::AfterNumber),
        Abbreviation::new("ml", "milliliters", AbbrevContext::AfterNumber),
        Abbreviation::new("L", "liters", AbbrevContext::AfterNumber),
        Abbreviation::new("l", "liters", AbbrevContext::AfterNumber),
        Abbreviation::new("mi", "miles", AbbrevContext::AfterNumber),
        Abbreviation::new("Mbit/s", "megabits per second", AbbrevContext::AfterNumber),
        Abbreviation::new("km/h", "kilometers per hour", AbbrevContext::AfterNumber),
        Abbreviation::new("km", "kilometers", AbbrevContext::AfterNumber),
        Abbreviation::new("kg", "kilograms", AbbrevContext::AfterNumber),
        Abbreviation::new("lb", "pounds", AbbrevContext::AfterNumber),
        Abbreviation::new("lbs", "pounds", AbbrevContext::AfterNumber),
        Abbreviation::new("cm", "centimeters", AbbrevContext::AfterNumber),
        Abbreviation::new("mm", "millimeters", AbbrevContext::AfterNumber),
        Abbreviation::new("ft", "feet", AbbrevContext::AfterNumber),
        Abbreviation::new("GB", "gigabytes", AbbrevContext::AfterNumber),
        Abbreviation::new("MB", "megabytes", AbbrevContext::AfterNumber),
        Abbreviation::new("TB", "terabytes", AbbrevContext::AfterNumber),
        Abbreviation::new("°C", "degrees Celsius", AbbrevContext::AfterNumber),
        Abbreviation::new("°F", "degrees Fahrenheit", AbbrevContext::AfterNumber),
        Abbreviation::new("°", "degrees", AbbrevContext::AfterNumber),
    ],
    sentence_abbreviations: &[
        "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "St.", "Jr.", "Sr.", "Gen.", "Gov.", "Sen.", "Rep.",
        "e.g.", "i.e.", "cf.", "vs.", "approx.", "No.", "no.", "p.", "pp.", "vol.", "ch.", "fig.",
        "Fig.", "Inc.", "Ltd.", "Co.", "Corp.", "Mt.", "Ave.", "a.m.", "p.m.", "U.S.", "U.K.",
        "Jan.", "Feb.", "Mar.", "Apr.", "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Dec.",
    ],
    syllables: super::acronyms::Syllables {
        onsets: &[
            "BL", "BR", "CH", "CL", "CR", "DR", "DW", "FL", "FR", "GL", "GR", "KL", "KR", "KN",
            "PH", "PL", "PR", "SC", "SCR", "SH", "SHR", "SK", "SL", "SM", "SN", "SP", "SPL", "SPR",
            "ST", "STR", "SW", "TH", "THR", "TR", "TW", "WH", "WR",
        ],
        codas: &[
            "CK", "CT", "FT", "LD", "LF", "LK", "LM", "LP", "LT", "MP", "ND", "NG", "NK", "NT",
            "NS", "NCH", "PT", "RB", "RC", "RD", "RF", "RG", "RK", "RL", "RM", "RN", "RP", "RS",
            "RT", "SK", "SP", "ST", "SH", "TH", "TS", "DS", "GS", "KS", "LS", "MS", "PS", "RST",
            "NTS",
        ],
        letter_then_syllable: true,
    },
    acronyms_as_words: &[
        "NATO", "NASA", "UNESCO", "UNICEF", "OPEC", "AIDS", "LASER", "RADAR", "SCUBA", "FIFA",
        "UEFA", "ASEAN", "COVID", "GIF", "JPEG", "OTAN", "CERN", "ESA", "BRICS", "POTUS", "SWAT",
        "NAFTA", "ISIS", "NASDAQ", "GNOME", "RAM", "ROM", "JSON", "LAN", "SIM", "PIN",
    ],
    acronyms_spelled: &[
        "AI", "EU", "US", "USA", "UK", "BBC", "FBI", "CIA", "CEO", "CFO", "GDP", "NGO", "UN",
        "IBM", "HTML", "URL", "USB", "PDF", "SUV", "GPU", "CPU", "API", "LLM", "TV", "PC", "MIT",
        "NYC", "IT", "DNA", "RNA", "IQ", "IA", "UE", "SNCF", "ID", "IPO", "VPN", "UCLA", "ACLU",
        "NFL", "NBA", "AOL", "PhD", "IoT", "PwC", "NYSE", "QGIS", "PMID",
    ],
    letter_names: [
        "ay",
        "bee",
        "see",
        "dee",
        "ee",
        "eff",
        "gee",
        "aitch",
        "eye",
        "jay",
        "kay",
        "el",
        "em",
        "en",
        "oh",
        "pee",
        "cue",
        "ar",
        "ess",
        "tee",
        "you",
        "vee",
        "double you",
        "ex",
        "why",
        "zee",
    ],
    technical: Technical {
        version: "version",
        point: "point",
        or_later: "or later",
        tilde: "tilde",
        slash: "slash",
    },
    symbols: &[
        ("&", "and"),
        ("+", "plus"),
        ("=", "equals"),
        ("§", "section"),
        ("@", "at"),
        ("±", "plus or minus"),
        ("×", "times"),
        ("→", ""),
        ("•", ""),
        ("*", ""),
        ("#", "number"),
        ("~", "about"),
    ],
    currencies: &[
        ("€", "euro", "euros", "euros"),
        ("$", "dollar", "dollars", "dollars"),
        ("£", "pound", "pounds", "pounds"),
        ("¥", "yen", "yen", "yen"),
        ("CHF", "Swiss franc", "Swiss francs", "Swiss francs"),
    ],
    scale_suffixes: &[
        ("bn", "billion"),
        ("B", "billion"),
        ("m", "million"),
        ("M", "million"),
        ("k", "thousand"),
        ("K", "thousand"),
        ("tn", "trillion"),
    ],
    roman_cardinal_context: &[
        "Chapter", "chapter", "Part", "part", "Book", "Volume", "Act", "Scene", "War", "Phase",
        "Type", "Class", "Level", "Title", "Article", "Section", "Appendix", "Vatican", "Bowl",
        "Apollo", "Gemini",
    ],
    roman_ordinal_following: &[],
    regnal_names: &[
        "Louis",
        "Henry",
        "Charles",
        "Francis",
        "Napoleon",
        "Philip",
        "John",
        "Peter",
        "Paul",
        "John Paul",
        "Benedict",
        "Leo",
        "Pius",
        "Gregory",
        "Elizabeth",
        "Victoria",
        "William",
        "Frederick",
        "Nicholas",
        "Alexander",
        "Catherine",
        "Edward",
        "Richard",
        "George",
        "James",
        "Mary",
        "Ferdinand",
        "Clement",
        "Innocent",
        "Urban",
        "Alfonso",
        "Juan",
        "Carlos",
        "Felipe",
        "Constantine",
        "Otto",
        "Rudolf",
        "Sixtus",
        "Stephen",
        "Harold",
        "David",
        "Robert",
        "Malcolm",
        "Ivan",
        "Gustav",
        "Ramesses",
        "Ptolemy",
        "Darius",
    ],
    regnal: |n| format!("the {}", ordinal(n)),
    roman_ordinal_suffixes: &["st", "nd", "rd", "th"],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cardinals_ordinals_years() {
        let table: &[(u64, &str)] = &[
            (0, "zero"),
            (13, "thirteen"),
            (21, "twenty-one"),
            (100, "one hundred"),
            (1500, "one thousand five hundred"),
            (
                1_500_750,
                "one million five hundred thousand seven hundred fifty",
            ),
        ];
        for &(n, w) in table {
            assert_eq!(cardinal(n), w, "{n}");
        }
        let ord: &[(u64, &str)] = &[
            (1, "first"),
            (2, "second"),
            (3, "third"),
            (8, "eighth"),
            (12, "twelfth"),
            (20, "twentieth"),
            (21, "twenty-first"),
            (100, "one hundredth"),
        ];
        for &(n, w) in ord {
            assert_eq!(ordinal(n), w, "{n}");
        }
        let years: &[(u64, &str)] = &[
            (1984, "nineteen eighty-four"),
            (1900, "nineteen hundred"),
            (1905, "nineteen oh five"),
            (2005, "two thousand five"),
            (2026, "twenty twenty-six"),
            (800, "eight hundred"),
        ];
        for &(n, w) in years {
            assert_eq!(year(n), w, "{n}");
        }
        assert_eq!(decimal(3, "14"), "three point one four");
    }
}
