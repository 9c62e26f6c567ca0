//! Spanish: number words (with "y" from 31, "veintiún"), ordinals to "décimo", regnal and
//! century readings, and the tables the normalizer reads Spanish with.

use super::{AbbrevContext, Abbreviation, LanguageRules, Technical};

const UNITS: [&str; 30] = [
    "cero",
    "uno",
    "dos",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "trece",
    "catorce",
    "quince",
    "dieciséis",
    "diecisiete",
    "dieciocho",
    "diecinueve",
    "veinte",
    "veintiuno",
    "veintidós",
    "veintitrés",
    "veinticuatro",
    "veinticinco",
    "veintiséis",
    "veintisiete",
    "veintiocho",
    "veintinueve",
];
const TENS: [&str; 10] = [
    "",
    "",
    "veinte",
    "treinta",
    "cuarenta",
    "cincuenta",
    "sesenta",
    "setenta",
    "ochenta",
    "noventa",
];
const HUNDREDS: [&str; 10] = [
    "",
    "ciento",
    "doscientos",
    "trescientos",
    "cuatrocientos",
    "quinientos",
    "seiscientos",
    "setecientos",
    "ochocientos",
    "novecientos",
];

fn below_hundred(n: u64) -> String {
    match n {
        0..=29 => UNITS[n as usize].to_string(),
        _ if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_string(),
        _ => format!("{} y {}", TENS[(n / 10) as usize], UNITS[(n % 10) as usize]),
    }
}

fn below_thousand(n: u64) -> String {
    let (h, rest) = (n / 100, n % 100);
    match (h, rest) {
        (0, _) => below_hundred(rest),
        (1, 0) => "cien".into(),
        (_, 0) => HUNDREDS[h as usize].to_string(),
        _ => format!("{} {}", HUNDREDS[h as usize], below_hundred(rest)),
    }
}

/// "uno" becomes "un" before "mil" and "millones".
fn apocope(words: String) -> String {
    if words == "uno" {
        return "un".into();
    }
    match words.strip_suffix("uno") {
        Some(stem) if stem.ends_with("veinti") => format!("{stem}ún"),
        Some(stem) => format!("{stem}un"),
        None => words,
    }
}

fn below_million(n: u64) -> String {
    let (th, rest) = (n / 1000, n % 1000);
    let thousands = match th {
        0 => String::new(),
        1 => "mil".into(),
        _ => format!("{} mil", apocope(below_thousand(th))),
    };
    match (th, rest) {
        (0, _) => below_thousand(rest),
        (_, 0) => thousands,
        _ => format!("{thousands} {}", below_thousand(rest)),
    }
}

/// Spanish cardinal words for `n`.
pub fn cardinal(n: u64) -> String {
    if n == 0 {
        return "cero".into();
    }
    // Beyond the scale words (a quadrillion and up), digits are read one by one.
    if n >= super::DIGITS_FROM {
        return super::spell_each_digit(n, cardinal);
    }
    let mut parts = Vec::new();
    let (billions, n) = (n / 1_000_000_000_000, n % 1_000_000_000_000);
    if billions > 0 {
        parts.push(if billions == 1 {
            "un billón".to_string()
        } else {
            format!("{} billones", apocope(below_million(billions)))
        });
    }
    let (millions, rest) = (n / 1_000_000, n % 1_000_000);
    if millions > 0 {
        parts.push(if millions == 1 {
            "un millón".to_string()
        } else {
            format!("{} millones", apocope(below_million(millions)))
        });
    }
    if rest > 0 {
        parts.push(below_million(rest));
    }
    parts.join(" ")
}

/// Spanish ordinals to "décimo"; larger ones are read as cardinals, as people do.
pub fn ordinal(n: u64) -> String {
    const ORDINALS: [&str; 11] = [
        "", "primero", "segundo", "tercero", "cuarto", "quinto", "sexto", "séptimo", "octavo",
        "noveno", "décimo",
    ];
    match n {
        1..=10 => ORDINALS[n as usize].to_string(),
        _ => cardinal(n),
    }
}

/// Decimal: "dos coma cinco".
pub fn decimal(int: u64, frac: &str) -> String {
    let mut out = format!("{} coma", cardinal(int));
    for d in frac.chars().filter_map(|c| c.to_digit(10)) {
        out.push(' ');
        out.push_str(UNITS[d as usize]);
    }
    out
}

/// Years are cardinals in Spanish.
pub fn year(n: u64) -> String {
    cardinal(n)
}

/// A clock time: "catorce y treinta" (the article, "a las", is usually written).
pub fn time(hours: u64, minutes: u64) -> String {
    let h = if hours == 1 {
        "una".to_string()
    } else {
        cardinal(hours)
    };
    match minutes {
        0 => h,
        m => format!("{h} y {}", cardinal(m)),
    }
}

/// A date: "veinticuatro de noviembre de dos mil veintiséis".
pub fn date(day: u64, month: usize, year_number: Option<u64>) -> String {
    const MONTHS: [&str; 12] = [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ];
    let day = if day == 1 {
        "primero".to_string()
    } else {
        cardinal(day)
    };
    let mut out = format!("{day} de {}", MONTHS[month.clamp(1, 12) - 1]);
    if let Some(y) = year_number {
        out.push_str(" de ");
        out.push_str(&cardinal(y));
    }
    out
}

/// Fractions: "un medio", "tres cuartos", "dos tercios".
pub fn fraction(num: u64, den: u64) -> String {
    let n = if num == 1 {
        "un".to_string()
    } else {
        cardinal(num)
    };
    let plural = num != 1;
    let d = match den {
        2 => "medio",
        3 => "tercio",
        4 => "cuarto",
        10 => "décimo",
        _ => return format!("{} entre {}", cardinal(num), cardinal(den)),
    };
    format!("{n} {d}{}", if plural { "s" } else { "" })
}

/// The Spanish rules.
/// Feminine nouns: "una", "veintiuna", "doscientas" before them.
const FEMININE: &[&str] = &[
    "hora",
    "persona",
    "semana",
    "vez",
    "veces",
    "casa",
    "mujer",
    "mujeres",
    "página",
    "tonelada",
    "libra",
    "ciudad",
    "ciudades",
    "empresa",
    "noche",
    "región",
    "regiones",
    "familia",
    "niña",
    "cosa",
    "parte",
    "escuela",
    "edición",
    "ediciones",
    "temporada",
    "etapa",
    "víctima",
    "vivienda",
    "hectárea",
    "milla",
    "vida",
    "guerra",
    "ley",
    "leyes",
    "lengua",
    "imagen",
    "imágenes",
    "foto",
    "carta",
    "línea",
    "letra",
    "calle",
    "mesa",
];

/// Masculine nouns: "un", "veintiún" before them ("uno" stays before anything else:
/// "1 de ellos" is "uno de ellos").
const MASCULINE: &[&str] = &[
    "año",
    "día",
    "mes",
    "meses",
    "hombre",
    "hombres",
    "niño",
    "minuto",
    "segundo",
    "euro",
    "dólar",
    "dólares",
    "kilómetro",
    "metro",
    "grado",
    "punto",
    "país",
    "países",
    "caso",
    "partido",
    "equipo",
    "gol",
    "goles",
    "libro",
    "siglo",
    "millón",
    "kilo",
    "litro",
    "voto",
    "habitante",
    "habitantes",
    "estudiante",
    "estudiantes",
    "jugador",
    "jugadores",
    "kilovatio",
    "megavatio",
    "gigavatio",
    "gramo",
    "miligramo",
    "mililitro",
    "centímetro",
    "milímetro",
    "gigabyte",
    "megabyte",
    "kilogramo",
];

fn is_in(list: &[&str], noun: &str) -> bool {
    let noun = noun.to_lowercase();
    let singular = noun.strip_suffix('s').unwrap_or(&noun);
    list.contains(&noun.as_str()) || list.contains(&singular)
}

/// Whether `noun` is feminine: in the table, or by its ending ("-a", "-ción", "-dad"),
/// except the masculine nouns in "-a" ("día", "problema", "tesla").
fn is_feminine(noun: &str) -> bool {
    if is_in(FEMININE, noun) {
        return true;
    }
    if is_in(MASCULINE, noun) || noun.chars().count() < 4 || noun.starts_with(char::is_uppercase) {
        return false;
    }
    let lower = noun.to_lowercase();
    let singular = lower.strip_suffix('s').unwrap_or(&lower);
    ["ción", "sión", "dad", "tad", "tud", "umbre"]
        .iter()
        .any(|e| lower.ends_with(e))
        || (singular.ends_with('a') && !MASCULINE_IN_A.contains(&singular))
}

/// Masculine nouns ending in "-a": "el problema", "el día", "el tesla".
const MASCULINE_IN_A: &[&str] = &[
    "problema",
    "sistema",
    "tema",
    "programa",
    "clima",
    "idioma",
    "esquema",
    "dilema",
    "poema",
    "drama",
    "planeta",
    "cometa",
    "mapa",
    "día",
    "sofá",
    "tesla",
    "panorama",
    "diagrama",
    "teorema",
    "lema",
    "síntoma",
    "fantasma",
    "dogma",
    "enigma",
    "trauma",
    "aroma",
    "prisma",
    "carisma",
    "telegrama",
    "crucigrama",
    "pijama",
    "gorila",
];

/// Whether `noun` is masculine: in the table, or ending in "-o" ("kilómetro", "vatio").
fn is_masculine(noun: &str) -> bool {
    if is_in(MASCULINE, noun) {
        return true;
    }
    let lower = noun.to_lowercase();
    let singular = lower.strip_suffix('s').unwrap_or(&lower);
    MASCULINE_IN_A.contains(&singular)
        || (noun.chars().count() >= 4
            && !noun.starts_with(char::is_uppercase)
            && singular.ends_with('o'))
}

/// "uno" and the hundreds agree with the noun after them.
fn agree(words: &str, noun: &str, _before: &str) -> Option<String> {
    if is_feminine(noun) {
        let w = words.replace("ientos", "ientas");
        let w = match w.strip_suffix("uno") {
            Some(stem) => format!("{stem}una"),
            None => w,
        };
        (w != words).then_some(w)
    } else if is_masculine(noun) {
        match words {
            "uno" => Some("un".to_string()),
            "veintiuno" => Some("veintiún".to_string()),
            _ => words.strip_suffix(" uno").map(|stem| format!("{stem} un")),
        }
    } else {
        None
    }
}

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
    ordinal_suffixes: &[
        ("º", false),
        ("ª", false),
        (".º", false),
        (".ª", false),
        ("o", false),
    ],
    dot_word: "punto",
    at_word: "arroba",
    minus: "menos",
    plus: "más",
    acronym_plural_s: true,
    unit_power: |spoken, power| {
        super::units::power_after(
            spoken,
            power,
            ["cuadrados", "cuadrado", "cúbicos", "cúbico"],
        )
    },
    unit_singular: |spoken| super::units::singular_by_s(spoken, &["r", "l", "n", "d"]),
    agree,
    range_word: "a",
    percent: "por ciento",
    per_mille: "por mil",
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
            ("m", "mili"),
            ("µ", "micro"),
            ("n", "nano"),
            ("p", "pico"),
        ],
        units: &[
            ("m", "metros"),
            ("g", "gramos"),
            ("s", "segundos"),
            ("l", "litros"),
            ("L", "litros"),
            ("A", "amperios"),
            ("V", "voltios"),
            ("W", "vatios"),
            ("Wh", "vatios hora"),
            ("VA", "voltamperios"),
            ("Ah", "amperios hora"),
            ("Hz", "hercios"),
            ("Pa", "pascales"),
            ("bar", "bares"),
            ("J", "julios"),
            ("N", "newtons"),
            ("Ω", "ohmios"),
            ("F", "faradios"),
            ("H", "henrios"),
            ("C", "culombios"),
            ("T", "teslas"),
            ("K", "kelvins"),
            ("eV", "electronvoltios"),
            ("Gy", "grays"),
            ("Sv", "sieverts"),
            ("Bq", "becquerelios"),
            ("mol", "moles"),
            ("cd", "candelas"),
            ("lm", "lúmenes"),
            ("lx", "lux"),
            ("cal", "calorías"),
            ("t", "toneladas"),
            ("dB", "decibelios"),
            ("B", "bytes"),
            ("bit", "bits"),
            ("bps", "bits por segundo"),
        ],
        per_only: &[
            ("h", "hora"),
            ("hora", "hora"),
            ("d", "día"),
            ("día", "día"),
            ("semana", "semana"),
            ("mes", "mes"),
            ("año", "año"),
            ("noche", "noche"),
            ("hab.", "habitante"),
            ("habitante", "habitante"),
            ("persona", "persona"),
            ("cabeza", "cabeza"),
        ],
        per: "por",
        // The metre takes the stress on the prefix: "kilómetros", "centímetros".
        compose: |prefix, unit| {
            if !unit.starts_with("metro") {
                return format!("{prefix}{unit}");
            }
            let stressed: String = match prefix
                .char_indices()
                .rev()
                .find(|(_, c)| "aeio".contains(*c))
            {
                Some((i, c)) => {
                    let accented = match c {
                        'a' => 'á',
                        'e' => 'é',
                        'i' => 'í',
                        _ => 'ó',
                    };
                    format!("{}{accented}{}", &prefix[..i], &prefix[i + c.len_utf8()..])
                }
                None => prefix.to_string(),
            };
            format!("{stressed}{unit}")
        },
    },
    abbreviations: &[
        Abbreviation::new("Sr.", "señor", AbbrevContext::BeforeCapital),
        Abbreviation::new("Sra.", "señora", AbbrevContext::BeforeCapital),
        Abbreviation::new("Srta.", "señorita", AbbrevContext::BeforeCapital),
        Abbreviation::new("Dr.", "doctor", AbbrevContext::BeforeCapital),
        Abbreviation::new("Dra.", "doctora", AbbrevContext::BeforeCapital),
        Abbreviation::new("Ud.", "usted", AbbrevContext::Always),
        Abbreviation::new("Uds.", "ustedes", AbbrevContext::Always),
        Abbreviation::new("etc.", "etcétera", AbbrevContext::Always),
        Abbreviation::new("p. ej.", "por ejemplo", AbbrevContext::Always),
        Abbreviation::new("EE. UU.", "Estados Unidos", AbbrevContext::Always),
        Abbreviation::new("EE.UU.", "Estados Unidos", AbbrevContext::Always),
        Abbreviation::new("núm.", "número", AbbrevContext::BeforeNumber),
        Abbreviation::new("pág.", "página", AbbrevContext::BeforeNumber),
        Abbreviation::new(
            "l/100 km",
            "litros cada cien kilómetros",
            AbbrevContext::AfterNumber,
        ),
        Abbreviation::new(
            "L/100 km",
            "litros cada cien kilómetros",
            AbbrevContext::AfterNumber,
        ),
        Abbreviation::new("CV", "caballos", AbbrevContext::AfterNumber),
        Abbreviation::new("rpm", "revoluciones por minuto", AbbrevContext::AfterNumber),
        Abbreviation::new("kn", "nudos", AbbrevContext::AfterNumber),
        Abbreviation::new("atm", "atmósferas", AbbrevContext::AfterNumber),
        Abbreviation::new("mmHg", "milímetros de mercurio", AbbrevContext::AfterNumber),
        Abbreviation::new("m/s", "metros por segundo", AbbrevContext::AfterNumber),
        Abbreviation::new("m", "metros", AbbrevContext::AfterNumber),
        Abbreviation::new("cm", "centímetros", AbbrevContext::AfterNumber),
        Abbreviation::new("mm", "milímetros", AbbrevContext::AfterNumber),
        Abbreviation::new("g", "gramos", AbbrevContext::AfterNumber),
        Abbreviation::new("mg", "miligramos", AbbrevContext::AfterNumber),
        Abbreviation::new("t", "toneladas", AbbrevContext::AfterNumber),
        Abbreviation::new("l", "litros", AbbrevContext::AfterNumber),
        Abbreviation::new("L", "litros", AbbrevContext::AfterNumber),
        Abbreviation::new("ml", "mililitros", AbbrevContext::AfterNumber),
        Abbreviation::new("ha", "hectáreas", AbbrevContext::AfterNumber),
        Abbreviation::new("kWh", "kilovatios hora", AbbrevContext::AfterNumber),
        Abbreviation::new("MWh", "megavatios hora", AbbrevContext::AfterNumber),
        Abbreviation::new("kW", "kilovatios", AbbrevContext::AfterNumber),
        Abbreviation::new("MW", "megavatios", AbbrevContext::AfterNumber),
        Abbreviation::new("GW", "gigavatios", AbbrevContext::AfterNumber),
        Abbreviation::new("GB", "gigabytes", AbbrevContext::AfterNumber),
        Abbreviation::new("MB", "megabytes", AbbrevContext::AfterNumber),
        Abbreviation::new("°F", "grados Fahrenheit", AbbrevContext::AfterNumber),
        Abbreviation::new("km/h", "kilómetros por hora", AbbrevContext::AfterNumber),
        Abbreviation::new("km", "kilómetros", AbbrevContext::AfterNumber),
        Abbreviation::new("kg", "kilos", AbbrevContext::AfterNumber),
        Abbreviation::new("min", "minutos", AbbrevContext::AfterNumber),
        Abbreviation::new("°C", "grados centígrados", AbbrevContext::AfterNumber),
        Abbreviation::new("°", "grados", AbbrevContext::AfterNumber),
    ],
    sentence_abbreviations: &[
        "Sr.", "Sra.", "Srta.", "Dr.", "Dra.", "Ud.", "Uds.", "p.", "ej.", "EE.", "UU.", "núm.",
        "pág.", "aprox.", "Av.", "c.",
    ],
    syllables: super::acronyms::Syllables {
        onsets: &[
            "BL", "BR", "CL", "CR", "DR", "FL", "FR", "GL", "GR", "PL", "PR", "TR", "CH", "LL",
            "RR",
        ],
        codas: &["NS", "BS", "RS"],
        letter_then_syllable: false,
    },
    acronyms_as_words: &[
        "OTAN", "ONU", "UNESCO", "NASA", "OVNI", "SIDA", "PSOE", "RENFE", "FIFA", "UEFA", "OPEP",
        "COVID", "RAM", "ROM", "IVA", "ESO", "ETA", "ONCE", "OCU",
    ],
    acronyms_spelled: &[
        "UE", "PIB", "IA", "PP", "OCDE", "CSIC", "DNI", "BBC", "FBI", "CIA", "PC", "TV", "PDF",
        "URL", "USA",
    ],
    letter_names: [
        "a",
        "be",
        "ce",
        "de",
        "e",
        "efe",
        "ge",
        "hache",
        "i",
        "jota",
        "ka",
        "ele",
        "eme",
        "ene",
        "o",
        "pe",
        "cu",
        "erre",
        "ese",
        "te",
        "u",
        "uve",
        "uve doble",
        "equis",
        "i griega",
        "zeta",
    ],
    technical: Technical {
        version: "versión",
        point: "punto",
        or_later: "o posterior",
        tilde: "tilde",
        slash: "barra",
    },
    symbols: &[
        ("&", "y"),
        ("+", "más"),
        ("=", "igual a"),
        ("§", "párrafo"),
        ("@", "arroba"),
        ("±", "más o menos"),
        ("×", "por"),
        ("→", ""),
        ("•", ""),
        ("*", ""),
        ("#", ""),
        ("~", "aproximadamente"),
    ],
    currencies: &[
        ("€", "euro", "euros", "de euros"),
        ("$", "dólar", "dólares", "de dólares"),
        ("£", "libra", "libras", "de libras"),
    ],
    scale_suffixes: &[("M", "millones"), ("mill.", "millones"), ("k", "mil")],
    roman_cardinal_context: &[
        "siglo",
        "siglos",
        "capítulo",
        "Capítulo",
        "tomo",
        "parte",
        "acto",
        "Guerra",
        "Juegos",
    ],
    roman_ordinal_following: &[],
    regnal_names: &[
        "Felipe",
        "Carlos",
        "Alfonso",
        "Fernando",
        "Juan",
        "Pablo",
        "Isabel",
        "Luis",
        "Enrique",
        "Benedicto",
        "Pío",
        "León",
        "Gregorio",
        "Pedro",
        "Jaime",
        "Sancho",
        "Juan Pablo",
    ],
    regnal: ordinal,
    roman_ordinal_suffixes: &[],
};
