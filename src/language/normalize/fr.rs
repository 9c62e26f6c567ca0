//! French: number words, ordinals and the tables of abbreviations, acronyms, letters,
//! symbols and currencies that the normalizer reads French with.
//!
//! Numbers follow the traditional spelling used by the French press (hyphens inside
//! numbers below one hundred, "et" in 21, 31, ... 71, plural "quatre-vingts" and
//! "deux cents" only when nothing follows).

use super::{AbbrevContext, Abbreviation, LanguageRules, Technical};

const UNITS: [&str; 17] = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize",
];
const TENS: [&str; 7] = [
    "",
    "dix",
    "vingt",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
];

/// 0 to 99.
fn below_hundred(n: u64, last: bool) -> String {
    match n {
        0..=16 => UNITS[n as usize].to_string(),
        17..=19 => format!("dix-{}", UNITS[(n - 10) as usize]),
        20..=69 => {
            let (t, u) = (n / 10, n % 10);
            match u {
                0 => TENS[t as usize].to_string(),
                1 => format!("{} et un", TENS[t as usize]),
                _ => format!("{}-{}", TENS[t as usize], UNITS[u as usize]),
            }
        }
        70..=79 => {
            if n == 71 {
                "soixante et onze".into()
            } else {
                format!("soixante-{}", below_hundred(n - 60, last))
            }
        }
        80 => if last {
            "quatre-vingts"
        } else {
            "quatre-vingt"
        }
        .into(),
        _ => format!("quatre-vingt-{}", below_hundred(n - 80, last)),
    }
}

/// 0 to 999; `last` is false when a word like "mille" follows (no plural "s" then).
fn below_thousand(n: u64, last: bool) -> String {
    let (h, rest) = (n / 100, n % 100);
    let hundreds = match h {
        0 => String::new(),
        1 => "cent".into(),
        _ if rest == 0 && last => format!("{} cents", UNITS[h as usize]),
        _ => format!("{} cent", UNITS[h as usize]),
    };
    match (h, rest) {
        (0, _) => below_hundred(rest, last),
        (_, 0) => hundreds,
        _ => format!("{hundreds} {}", below_hundred(rest, last)),
    }
}

/// French cardinal words for `n`.
pub fn cardinal(n: u64) -> String {
    if n == 0 {
        return "zéro".into();
    }
    // Beyond the scale words (a quadrillion and up), digits are read one by one.
    if n >= super::DIGITS_FROM {
        return super::spell_each_digit(n, cardinal);
    }
    const SCALES: [(u64, &str, &str); 4] = [
        (1_000_000_000_000_000, "billiard", "billiards"),
        (1_000_000_000_000, "billion", "billions"),
        (1_000_000_000, "milliard", "milliards"),
        (1_000_000, "million", "millions"),
    ];
    let mut parts = Vec::new();
    let mut rest = n;
    for (value, one, many) in SCALES {
        let count = rest / value;
        if count > 0 {
            // A scale word is a noun: "quatre-vingts millions" keeps its plural.
            let name = if count == 1 { one } else { many };
            parts.push(format!("{} {name}", cardinal_below_million(count, true)));
            rest %= value;
        }
    }
    if rest > 0 {
        parts.push(cardinal_below_million(rest, true));
    }
    parts.join(" ")
}

fn cardinal_below_million(n: u64, last: bool) -> String {
    let (th, rest) = (n / 1000, n % 1000);
    let thousands = match th {
        0 => String::new(),
        1 => "mille".into(),
        _ => format!("{} mille", below_thousand(th, false)),
    };
    match (th, rest) {
        (0, _) => below_thousand(rest, last),
        (_, 0) => thousands,
        _ => format!("{thousands} {}", below_thousand(rest, last)),
    }
}

/// French ordinal words for `n` (masculine; "première" when `feminine`).
pub fn ordinal(n: u64, feminine: bool) -> String {
    if n == 1 {
        return if feminine { "première" } else { "premier" }.into();
    }
    let words = cardinal(n);
    let (head, last) = match words.rfind([' ', '-']) {
        Some(i) => (&words[..=i], &words[i + 1..]),
        None => ("", words.as_str()),
    };
    let last = match last {
        "un" => "unième".to_string(),
        "cinq" => "cinquième".to_string(),
        "neuf" => "neuvième".to_string(),
        w if w.ends_with('s')
            && (w == "cents" || w == "vingts" || w.ends_with("ions") || w.ends_with("ards")) =>
        {
            format!("{}ième", &w[..w.len() - 1])
        }
        w if w.ends_with('e') => format!("{}ième", &w[..w.len() - 1]),
        w => format!("{w}ième"),
    };
    format!("{head}{last}")
}

/// Decimal: integer part, "virgule", then the fraction read as a number with its
/// leading zeros ("2,05" is "deux virgule zéro cinq").
pub fn decimal(int: u64, frac: &str) -> String {
    let mut out = format!("{} virgule", cardinal(int));
    let zeros = frac.len() - frac.trim_start_matches('0').len();
    for _ in 0..zeros {
        out.push_str(" zéro");
    }
    let rest = frac.trim_start_matches('0');
    if !rest.is_empty() {
        if rest.len() <= 3 {
            out.push(' ');
            out.push_str(&cardinal(rest.parse().unwrap_or(0)));
        } else {
            for d in rest.chars() {
                out.push(' ');
                out.push_str(UNITS[d.to_digit(10).unwrap_or(0) as usize]);
            }
        }
    }
    out
}

/// Years read as cardinals in French.
fn year(n: u64) -> String {
    cardinal(n)
}

/// A clock time: "14h30" is "quatorze heures trente", "1h" is "une heure".
pub fn time(hours: u64, minutes: u64) -> String {
    let h = match hours {
        1 => "une heure".to_string(),
        21 => "vingt et une heures".to_string(),
        0 => "zéro heure".to_string(),
        n => format!("{} heures", cardinal(n)),
    };
    match minutes {
        0 => h,
        m => format!("{h} {}", cardinal(m)),
    }
}

/// A calendar date: "le 1er mai" style, "premier mai deux mille vingt-six".
pub fn date(day: u64, month: usize, year: Option<u64>) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let day = if day == 1 {
        "premier".to_string()
    } else {
        cardinal(day)
    };
    let mut out = format!("{day} {}", MONTHS[month.clamp(1, 12) - 1]);
    if let Some(y) = year {
        out.push(' ');
        out.push_str(&cardinal(y));
    }
    out
}

/// Fractions: "un demi", "trois quarts", "deux tiers", "cinq huitièmes".
pub fn fraction(num: u64, den: u64) -> String {
    let n = cardinal(num);
    let plural = if num > 1 { "s" } else { "" };
    match den {
        2 if num == 1 => "un demi".into(),
        3 => format!("{n} tiers"),
        4 => format!("{n} quart{plural}"),
        _ => format!("{n} {}{plural}", ordinal(den, false)),
    }
}

/// The French rules.
/// Nouns a number before them agrees with in the feminine ("vingt et une heures").
const FEMININE: &[&str] = &[
    "heure",
    "fois",
    "personne",
    "semaine",
    "année",
    "minute",
    "seconde",
    "femme",
    "page",
    "tonne",
    "journée",
    "place",
    "voiture",
    "maison",
    "ville",
    "étape",
    "victoire",
    "défaite",
    "livre",
    "entreprise",
    "région",
    "nuit",
    "famille",
    "chose",
    "partie",
    "édition",
    "saison",
    "étoile",
    "école",
    "classe",
    "commune",
    "élection",
    "question",
    "vie",
    "guerre",
    "loi",
    "langue",
    "image",
    "photo",
    "chambre",
    "carte",
    "ligne",
    "lettre",
];

/// "un" before a feminine noun is "une", alone or ending a compound ("vingt et une").
fn agree(words: &str, noun: &str, _before: &str) -> Option<String> {
    let noun = noun.to_lowercase();
    let singular = noun.strip_suffix('s').unwrap_or(&noun);
    let feminine = FEMININE.contains(&noun.as_str()) || FEMININE.contains(&singular);
    (feminine && (words == "un" || words.ends_with(" un") || words.ends_with("-un")))
        .then(|| format!("{words}e"))
}

pub static RULES: LanguageRules = LanguageRules {
    cardinal,
    ordinal: |n| ordinal(n, false),
    decimal,
    year,
    time,
    date,
    fraction,
    day_first: true,
    decimal_separator: ',',
    thousands_separators: &[' ', '\u{00A0}', '\u{202F}', '.'],
    ordinal_suffixes: &[
        ("er", false),
        ("re", true),
        ("ère", true),
        ("ere", true),
        ("ème", false),
        ("eme", false),
        ("èmes", false),
        ("es", false),
        ("e", false),
        ("nd", false),
        ("nde", true),
    ],
    dot_word: "point",
    at_word: "arobase",
    minus: "moins",
    plus: "plus",
    acronym_plural_s: false,
    // "mètres carrés", but "secondes carrées" ("9,81 m/s²"): the power agrees in gender.
    unit_power: |spoken, power| {
        let feminine = spoken.starts_with("seconde");
        let words = if feminine {
            ["carrées", "carrée", "cubes", "cube"]
        } else {
            ["carrés", "carré", "cubes", "cube"]
        };
        super::units::power_after(spoken, power, words)
    },
    unit_singular: |spoken| match spoken {
        "chevaux" => "cheval".to_string(),
        _ => super::units::singular_by_s(spoken, &[]),
    },
    agree,
    range_word: "à",
    percent: "pour cent",
    per_mille: "pour mille",
    units: super::units::UnitWords {
        prefixes: &[
            ("da", "déca"),
            ("Ki", "kibi"),
            ("Mi", "mébi"),
            ("Gi", "gibi"),
            ("Ti", "tébi"),
            ("Pi", "pébi"),
            ("k", "kilo"),
            ("K", "kilo"),
            ("M", "méga"),
            ("G", "giga"),
            ("T", "téra"),
            ("P", "péta"),
            ("h", "hecto"),
            ("d", "déci"),
            ("c", "centi"),
            ("m", "milli"),
            ("µ", "micro"),
            ("n", "nano"),
            ("p", "pico"),
        ],
        units: &[
            ("m", "mètres"),
            ("g", "grammes"),
            ("s", "secondes"),
            ("l", "litres"),
            ("L", "litres"),
            ("A", "ampères"),
            ("V", "volts"),
            ("W", "watts"),
            ("Wh", "wattheures"),
            ("VA", "voltampères"),
            ("Ah", "ampèreheures"),
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
            ("eV", "électronvolts"),
            ("Gy", "grays"),
            ("Sv", "sieverts"),
            ("Bq", "becquerels"),
            ("mol", "moles"),
            ("cd", "candelas"),
            ("lm", "lumens"),
            ("lx", "lux"),
            ("cal", "calories"),
            ("t", "tonnes"),
            ("dB", "décibels"),
            ("B", "octets"),
            ("o", "octets"),
            ("bit", "bits"),
            ("bps", "bits par seconde"),
        ],
        per_only: &[
            ("h", "heure"),
            ("j", "jour"),
            ("jour", "jour"),
            ("an", "an"),
            ("mois", "mois"),
            ("sem.", "semaine"),
            ("semaine", "semaine"),
            ("nuit", "nuit"),
            ("hab.", "habitant"),
            ("hab", "habitant"),
            ("habitant", "habitant"),
            ("pers.", "personne"),
            ("personne", "personne"),
            ("tête", "tête"),
        ],
        per: "par",
        compose: super::units::join,
    },
    abbreviations: &[
        Abbreviation::new(
            "24h/24",
            "vingt-quatre heures sur vingt-quatre",
            AbbrevContext::Always,
        ),
        Abbreviation::new(
            "24 h/24",
            "vingt-quatre heures sur vingt-quatre",
            AbbrevContext::Always,
        ),
        Abbreviation::new("7j/7", "sept jours sur sept", AbbrevContext::Always),
        Abbreviation::new("7 j/7", "sept jours sur sept", AbbrevContext::Always),
        Abbreviation::new("M.", "monsieur", AbbrevContext::BeforeCapital),
        Abbreviation::new("MM.", "messieurs", AbbrevContext::BeforeCapital),
        Abbreviation::new("Mme", "madame", AbbrevContext::Always),
        Abbreviation::new("Mmes", "mesdames", AbbrevContext::Always),
        Abbreviation::new("Mlle", "mademoiselle", AbbrevContext::Always),
        Abbreviation::new("Mlles", "mesdemoiselles", AbbrevContext::Always),
        Abbreviation::new("Dr", "docteur", AbbrevContext::BeforeCapital),
        Abbreviation::new("Dr.", "docteur", AbbrevContext::BeforeCapital),
        Abbreviation::new("Pr", "professeur", AbbrevContext::BeforeCapital),
        Abbreviation::new("Pr.", "professeur", AbbrevContext::BeforeCapital),
        Abbreviation::new("Me", "maître", AbbrevContext::BeforeCapital),
        Abbreviation::new("Mgr", "monseigneur", AbbrevContext::BeforeCapital),
        Abbreviation::new("St", "saint", AbbrevContext::BeforeCapital),
        Abbreviation::new("Ste", "sainte", AbbrevContext::BeforeCapital),
        Abbreviation::new("St-", "saint-", AbbrevContext::Always),
        Abbreviation::new("Ste-", "sainte-", AbbrevContext::Always),
        Abbreviation::new("etc.", "et cetera", AbbrevContext::Always),
        Abbreviation::new("cf.", "confer", AbbrevContext::Always),
        Abbreviation::new("p. ex.", "par exemple", AbbrevContext::Always),
        Abbreviation::new("par ex.", "par exemple", AbbrevContext::Always),
        Abbreviation::new("c.-à-d.", "c'est-à-dire", AbbrevContext::Always),
        Abbreviation::new("c-à-d", "c'est-à-dire", AbbrevContext::Always),
        Abbreviation::new("av. J.-C.", "avant Jésus-Christ", AbbrevContext::Always),
        Abbreviation::new("apr. J.-C.", "après Jésus-Christ", AbbrevContext::Always),
        Abbreviation::new("J.-C.", "Jésus-Christ", AbbrevContext::Always),
        Abbreviation::new("env.", "environ", AbbrevContext::Always),
        Abbreviation::new("n°", "numéro", AbbrevContext::BeforeNumber),
        Abbreviation::new("no", "numéro", AbbrevContext::BeforeNumber),
        Abbreviation::new("nos", "numéros", AbbrevContext::BeforeNumber),
        Abbreviation::new("p.", "page", AbbrevContext::BeforeNumber),
        Abbreviation::new("pp.", "pages", AbbrevContext::BeforeNumber),
        Abbreviation::new("chap.", "chapitre", AbbrevContext::Always),
        Abbreviation::new("janv.", "janvier", AbbrevContext::BeforeNumber),
        Abbreviation::new("févr.", "février", AbbrevContext::BeforeNumber),
        Abbreviation::new("avr.", "avril", AbbrevContext::BeforeNumber),
        Abbreviation::new("juil.", "juillet", AbbrevContext::BeforeNumber),
        Abbreviation::new("sept.", "septembre", AbbrevContext::BeforeNumber),
        Abbreviation::new("oct.", "octobre", AbbrevContext::BeforeNumber),
        Abbreviation::new("nov.", "novembre", AbbrevContext::BeforeNumber),
        Abbreviation::new("déc.", "décembre", AbbrevContext::BeforeNumber),
        Abbreviation::new("vol.", "volume", AbbrevContext::Always),
        Abbreviation::new("éd.", "édition", AbbrevContext::Always),
        Abbreviation::new("hab.", "habitants", AbbrevContext::Always),
        Abbreviation::new("min", "minutes", AbbrevContext::AfterNumber),
        Abbreviation::new(
            "l/100 km",
            "litres aux cent kilomètres",
            AbbrevContext::AfterNumber,
        ),
        Abbreviation::new(
            "L/100 km",
            "litres aux cent kilomètres",
            AbbrevContext::AfterNumber,
        ),
        Abbreviation::new("tr/min", "tours par minute", AbbrevContext::AfterNumber),
        Abbreviation::new("ch", "chevaux", AbbrevContext::AfterNumber),
        Abbreviation::new("mmHg", "millimètres de mercure", AbbrevContext::AfterNumber),
        Abbreviation::new("atm", "atmosphères", AbbrevContext::AfterNumber),
        Abbreviation::new(
            "tep",
            "tonnes d'équivalent pétrole",
            AbbrevContext::AfterNumber,
        ),
        Abbreviation::new("m/s", "mètres par seconde", AbbrevContext::AfterNumber),
        Abbreviation::new("ha", "hectares", AbbrevContext::AfterNumber),
        Abbreviation::new("kWh", "kilowattheures", AbbrevContext::AfterNumber),
        Abbreviation::new("MWh", "mégawattheures", AbbrevContext::AfterNumber),
        Abbreviation::new("GWh", "gigawattheures", AbbrevContext::AfterNumber),
        Abbreviation::new("kW", "kilowatts", AbbrevContext::AfterNumber),
        Abbreviation::new("MW", "mégawatts", AbbrevContext::AfterNumber),
        Abbreviation::new("GW", "gigawatts", AbbrevContext::AfterNumber),
        Abbreviation::new("t", "tonnes", AbbrevContext::AfterNumber),
        Abbreviation::new("mg", "milligrammes", AbbrevContext::AfterNumber),
        Abbreviation::new("ml", "millilitres", AbbrevContext::AfterNumber),
        Abbreviation::new("cl", "centilitres", AbbrevContext::AfterNumber),
        Abbreviation::new("L", "litres", AbbrevContext::AfterNumber),
        Abbreviation::new("°F", "degrés Fahrenheit", AbbrevContext::AfterNumber),
        Abbreviation::new("Mbit/s", "mégabits par seconde", AbbrevContext::AfterNumber),
        Abbreviation::new("km/h", "kilomètres heure", AbbrevContext::AfterNumber),
        Abbreviation::new("km", "kilomètres", AbbrevContext::AfterNumber),
        Abbreviation::new("kg", "kilos", AbbrevContext::AfterNumber),
        Abbreviation::new("cm", "centimètres", AbbrevContext::AfterNumber),
        Abbreviation::new("mm", "millimètres", AbbrevContext::AfterNumber),
        Abbreviation::new("m", "mètres", AbbrevContext::AfterNumber),
        Abbreviation::new("g", "grammes", AbbrevContext::AfterNumber),
        Abbreviation::new("l", "litres", AbbrevContext::AfterNumber),
        Abbreviation::new("Go", "gigaoctets", AbbrevContext::AfterNumber),
        Abbreviation::new("Mo", "mégaoctets", AbbrevContext::AfterNumber),
        Abbreviation::new("Ko", "kilooctets", AbbrevContext::AfterNumber),
        Abbreviation::new("To", "téraoctets", AbbrevContext::AfterNumber),
        Abbreviation::new("Mds", "milliards", AbbrevContext::AfterNumber),
        Abbreviation::new("Md", "milliards", AbbrevContext::AfterNumber),
        Abbreviation::new("Mrd", "milliards", AbbrevContext::AfterNumber),
        Abbreviation::new("°C", "degrés Celsius", AbbrevContext::AfterNumber),
        Abbreviation::new("°", "degrés", AbbrevContext::AfterNumber),
    ],
    sentence_abbreviations: &[
        "M.", "MM.", "Mme.", "Dr.", "Pr.", "St.", "Ste.", "cf.", "ex.", "p.", "pp.", "env.",
        "chap.", "vol.", "éd.", "hab.", "av.", "apr.", "J.-C.", "c.-à-d.", "n°.", "art.", "fig.",
        "vs.", "min.", "max.", "tél.", "coll.", "dir.", "trad.", "éds.", "janv.", "févr.", "avr.",
        "juil.", "sept.", "oct.", "nov.", "déc.",
    ],
    syllables: super::acronyms::Syllables {
        onsets: &[
            "BL", "BR", "CL", "CR", "DR", "FL", "FR", "GL", "GR", "PL", "PR", "TR", "VR", "CH",
            "PH", "TH", "GN", "SC", "SP", "ST", "SK", "SL", "SM", "SN", "SCR", "SPR", "STR", "PS",
            "PN",
        ],
        codas: &[
            "RS", "RT", "RD", "RC", "RN", "RL", "RM", "RG", "RF", "RP", "LT", "LS", "LM", "LF",
            "LP", "LC", "ST", "SK", "SC", "SP", "CT", "PT", "PS", "NT", "ND", "NS", "NC", "MP",
            "MS", "KS", "TS",
        ],
        letter_then_syllable: false,
    },
    acronyms_as_words: &[
        "OTAN", "ONU", "UNESCO", "UNICEF", "NASA", "OPEP", "SIDA", "OVNI", "CAPES", "ENA", "INSEE",
        "INSERM", "CNIL", "ASEAN", "FIFA", "UEFA", "CAC", "SMIC", "ZAD", "ADN", "ARN", "BAC",
        "PACS", "RADAR", "LASER", "COVID", "OPEC", "NATO", "INRIA", "CERN", "ESA", "IFOP", "BRICS",
        "RAM", "ROM", "FNAC", "CAF", "CROUS", "UNEF", "ONU", "COP", "GIEC",
    ],
    acronyms_spelled: &[
        "OCDE", "UMP", "PMU", "SDF", "TVA", "AFP", "RTL", "PCF", "LFI", "OMS", "HCR", "IA", "UE",
        "USA", "BBC", "SNCF", "FBI", "CIA", "PDG", "PME", "RATP", "EDF", "TVA", "PIB", "ONG",
        "CNRS", "RSA", "CDI", "CDD", "HLM", "TGV", "SMS", "PC", "TV", "RER", "URSS", "GPU", "CPU",
        "API", "LLM", "IBM", "HTML", "URL", "USB", "PDF", "SUV", "OGM",
    ],
    letter_names: [
        "a",
        "bé",
        "cé",
        "dé",
        "eu",
        "effe",
        "gé",
        "hache",
        "i",
        "ji",
        "ka",
        "elle",
        "emme",
        "enne",
        "o",
        "pé",
        "ku",
        "erre",
        "esse",
        "té",
        "u",
        "vé",
        "double vé",
        "ixe",
        "i grec",
        "zède",
    ],
    technical: Technical {
        version: "version",
        point: "point",
        or_later: "ou ultérieure",
        tilde: "tilde",
        slash: "barre oblique",
    },
    symbols: &[
        ("&", "et"),
        ("+", "plus"),
        ("=", "égale"),
        ("§", "paragraphe"),
        ("@", "arobase"),
        ("±", "plus ou moins"),
        ("×", "fois"),
        ("→", ""),
        ("•", ""),
        ("*", ""),
        ("#", ""),
        ("~", "environ"),
    ],
    currencies: &[
        ("€", "euro", "euros", "d'euros"),
        ("$", "dollar", "dollars", "de dollars"),
        ("£", "livre", "livres", "de livres"),
        ("¥", "yen", "yens", "de yens"),
        ("CHF", "franc suisse", "francs suisses", "de francs suisses"),
    ],
    scale_suffixes: &[
        ("Md", "milliards"),
        ("Mds", "milliards"),
        ("M", "millions"),
        ("k", "mille"),
        ("K", "mille"),
    ],
    roman_cardinal_context: &[
        "chapitre",
        "Chapitre",
        "tome",
        "Tome",
        "acte",
        "Acte",
        "scène",
        "Scène",
        "partie",
        "Partie",
        "livre",
        "Livre",
        "volume",
        "Volume",
        "article",
        "Article",
        "titre",
        "Titre",
        "annexe",
        "Annexe",
        "République",
        "Guerre",
        "Vatican",
        "phase",
        "Phase",
        "type",
        "Type",
    ],
    roman_ordinal_following: &["siècle", "siècles", "millénaire", "arrondissement", "Reich"],
    regnal_names: &[
        "Louis",
        "Henri",
        "Charles",
        "François",
        "Napoléon",
        "Philippe",
        "Jean",
        "Pierre",
        "Paul",
        "Jean-Paul",
        "Benoît",
        "Léon",
        "Pie",
        "Grégoire",
        "Élisabeth",
        "Elizabeth",
        "Victoria",
        "Guillaume",
        "Frédéric",
        "Nicolas",
        "Alexandre",
        "Catherine",
        "Édouard",
        "Richard",
        "Georges",
        "Jacques",
        "Ferdinand",
        "Clément",
        "Innocent",
        "Urbain",
        "Alphonse",
        "Juan",
        "Carlos",
        "Felipe",
        "Constantin",
        "Othon",
        "Rodolphe",
        "Sixte",
    ],
    regnal: |n| {
        if n == 1 {
            "premier".into()
        } else {
            cardinal(n)
        }
    },
    roman_ordinal_suffixes: &[
        "e", "è", "ème", "eme", "er", "re", "ère", "ere", "es", "èmes",
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cardinals() {
        let table: &[(u64, &str)] = &[
            (0, "zéro"),
            (1, "un"),
            (16, "seize"),
            (17, "dix-sept"),
            (21, "vingt et un"),
            (22, "vingt-deux"),
            (70, "soixante-dix"),
            (71, "soixante et onze"),
            (77, "soixante-dix-sept"),
            (80, "quatre-vingts"),
            (81, "quatre-vingt-un"),
            (91, "quatre-vingt-onze"),
            (99, "quatre-vingt-dix-neuf"),
            (100, "cent"),
            (101, "cent un"),
            (200, "deux cents"),
            (201, "deux cent un"),
            (1000, "mille"),
            (1500, "mille cinq cents"),
            (1945, "mille neuf cent quarante-cinq"),
            (2026, "deux mille vingt-six"),
            (80_000, "quatre-vingt mille"),
            (200_000, "deux cent mille"),
            (1_000_000, "un million"),
            (2_500_000, "deux millions cinq cent mille"),
            (80_000_000, "quatre-vingts millions"),
            (1_000_000_000, "un milliard"),
        ];
        for &(n, words) in table {
            assert_eq!(cardinal(n), words, "{n}");
        }
    }

    #[test]
    fn ordinals() {
        let table: &[(u64, &str)] = &[
            (1, "premier"),
            (2, "deuxième"),
            (4, "quatrième"),
            (5, "cinquième"),
            (9, "neuvième"),
            (11, "onzième"),
            (19, "dix-neuvième"),
            (21, "vingt et unième"),
            (80, "quatre-vingtième"),
            (100, "centième"),
            (200, "deux centième"),
            (1000, "millième"),
            (1_000_000, "un millionième"),
        ];
        for &(n, words) in table {
            assert_eq!(ordinal(n, false), words, "{n}");
        }
        assert_eq!(ordinal(1, true), "première");
    }

    #[test]
    fn decimals() {
        assert_eq!(decimal(2, "5"), "deux virgule cinq");
        assert_eq!(decimal(3, "14"), "trois virgule quatorze");
        assert_eq!(decimal(2, "05"), "deux virgule zéro cinq");
    }
}
