//! Page furniture in the middle of an article: single lines a web page puts between
//! paragraphs that no narrator would read, recognized from their words alone (they
//! survive extraction and copy-and-paste scrapes alike):
//!
//! - **Share buttons**: a line of nothing but sharing and page-control words
//!   ("Whatsapp Facebook Pint Baixar", "Share · Tweet · Email", "Partager").
//! - **Image credits and gallery controls**: "Photo: Hau Dinh, AP", "Crédit photo :
//!   AFP", "Image 1 of 8", "Caption", "Close".
//! - **Timestamps**: a line that only dates the page ("Updated 5:27 am CST, Wednesday,
//!   November 20, 2019", "Mis à jour le 12 mars 2024 à 10h05"), already in the metadata.
//!
//! Each rule is deliberately narrow: a line with a sentence in it is never furniture.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::{is_sentence, word_count};

/// What kind of furniture a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Furniture {
    /// Sharing and page-control buttons.
    ShareButtons,
    /// A photo credit, a caption control or a gallery counter.
    ImageCredit,
    /// The page's own date and time, read from the metadata instead.
    Timestamp,
}

/// Words of share bars and page controls, in the languages articast reads and those of
/// the pages it meets (lower case; a line made only of these is furniture).
const SHARE_WORDS: &[&str] = &[
    "share",
    "shares",
    "tweet",
    "twitter",
    "x",
    "facebook",
    "fb",
    "whatsapp",
    "telegram",
    "pinterest",
    "pin",
    "pint",
    "linkedin",
    "reddit",
    "tumblr",
    "email",
    "e-mail",
    "mail",
    "print",
    "copy",
    "link",
    "sms",
    "messenger",
    "flipboard",
    "pocket",
    "comments",
    "comment",
    "save",
    "bookmark",
    "download",
    "close",
    "caption",
    "expand",
    "gallery",
    "partager",
    "partagez",
    "imprimer",
    "envoyer",
    "copier",
    "le",
    "lien",
    "teilen",
    "drucken",
    "kopieren",
    "compartir",
    "imprimir",
    "enviar",
    "copiar",
    "enlace",
    "baixar",
    "compartilhar",
    "this",
    "article",
    "story",
    "on",
    "sur",
    "auf",
    "en",
    "em",
    "no",
    "via",
    "or",
    "and",
    "&",
    "|",
    "·",
    "•",
    "/",
    "-",
    "–",
    "0",
];

/// Words every share line needs at least one of (so "and or this" is not furniture).
const SHARE_ANCHORS: &[&str] = &[
    "share",
    "tweet",
    "twitter",
    "facebook",
    "whatsapp",
    "telegram",
    "pinterest",
    "pint",
    "linkedin",
    "reddit",
    "email",
    "e-mail",
    "print",
    "partager",
    "teilen",
    "compartir",
    "compartilhar",
    "caption",
    "close",
    "gallery",
    "flipboard",
    "messenger",
];

static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:photo|photograph|picture|image|illustration|video|graphic|foto|fotografía|imagen|bild)s?\s*(?:credits?\b|by\b|de\b|von\b|:)|crédits?(?:\s+photo)?\b|credits?\b|source\s*:|©|\(c\)|getty images\b|reuters\b|afp\b|ap photo\b)",
    )
    .expect("valid credit pattern")
});

static GALLERY_COUNTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:image|photo|picture|slide|foto|bild|imagen)\s+)?\d+\s*(?:of|/|sur|von|de|из)\s*/?\s*\d*$",
    )
    .expect("valid gallery pattern")
});

static TIMESTAMP_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:last\s+)?(?:updated|published|posted|modified|mis à jour|publié|modifié|actualizado|publicado|aktualisiert|veröffentlicht|stand)\b",
    )
    .expect("valid timestamp pattern")
});

/// Date and time words left after the lead: a timestamp line holds nothing else.
static DATE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            \d{1,4}(?:[:./h-]\d{1,4})*(?:h|am|pm|a\.m\.|p\.m\.|er)?
          | am|pm|a\.m\.|p\.m\.|at|on|le|la|à|el|de|del|am|um|the|et|y|und|,|\.|-|–|\||·
          | [a-z]{2,4}t  # time zones: CST, CET, GMT, EDT
          | utc|gmt
          | monday|tuesday|wednesday|thursday|friday|saturday|sunday
          | mon|tue|wed|thu|fri|sat|sun
          | lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche
          | montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag
          | lunes|martes|miércoles|jueves|viernes|sábado|domingo
          | january|february|march|april|may|june|july|august|september|october|november|december
          | jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec
          | janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre
          | januar|februar|märz|juni|juli|oktober|dezember
          | enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre
          | ago|hours?|minutes?|days?|heures?|stunden?|horas?|uhr
        )$",
    )
    .expect("valid date word pattern")
});

/// The furniture `line` is, if it is one.
pub fn classify(line: &str) -> Option<Furniture> {
    let line = line.trim();
    let words = word_count(line);
    if words == 0 || words > 16 {
        return None;
    }
    if is_share_line(line) {
        return Some(Furniture::ShareButtons);
    }
    if GALLERY_COUNTER.is_match(line)
        || (words <= 12 && CREDIT.is_match(line) && !is_sentence(line))
    {
        return Some(Furniture::ImageCredit);
    }
    if is_timestamp(line) {
        return Some(Furniture::Timestamp);
    }
    None
}

fn tokens(line: &str) -> impl Iterator<Item = String> + '_ {
    line.split(|c: char| c.is_whitespace() || matches!(c, ',' | ':'))
        .filter(|t| !t.is_empty())
        .map(|t| t.to_lowercase())
}

fn is_share_line(line: &str) -> bool {
    let mut anchored = false;
    for token in tokens(line) {
        let token = token.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | '.'));
        if token.is_empty() {
            continue;
        }
        if token.chars().all(|c| c.is_ascii_digit()) {
            continue; // share counts
        }
        if !SHARE_WORDS.contains(&token) {
            return false;
        }
        anchored |= SHARE_ANCHORS.contains(&token);
    }
    anchored
}

fn is_timestamp(line: &str) -> bool {
    let Some(lead) = TIMESTAMP_LEAD.find(line) else {
        return false;
    };
    let rest = &line[lead.end()..];
    let rest = rest.trim_start_matches([':', ' ']);
    let mut any_digit = false;
    for token in tokens(rest) {
        let token = token.trim_end_matches([',', '.']);
        if token.is_empty() {
            continue;
        }
        any_digit |= token.chars().any(|c| c.is_ascii_digit());
        if !DATE_WORD.is_match(token) {
            return false;
        }
    }
    any_digit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_lines_from_real_pages() {
        for (line, kind) in [
            (
                "Whatsapp   Facebook   Pint   Baixar",
                Furniture::ShareButtons,
            ),
            ("Share this article", Furniture::ShareButtons),
            ("Share · Tweet · Email", Furniture::ShareButtons),
            (
                "Partager sur Facebook Partager sur Twitter",
                Furniture::ShareButtons,
            ),
            ("Facebook 12 Twitter 3", Furniture::ShareButtons),
            ("Caption", Furniture::ShareButtons),
            ("Close", Furniture::ShareButtons),
            ("Photo: Hau Dinh, AP", Furniture::ImageCredit),
            ("Crédit photo : AFP", Furniture::ImageCredit),
            ("Foto: dpa", Furniture::ImageCredit),
            ("© Getty Images", Furniture::ImageCredit),
            ("Image 1 of / 8", Furniture::ImageCredit),
            ("Image 1 of 8", Furniture::ImageCredit),
            ("3/12", Furniture::ImageCredit),
            (
                "Updated 5:27 am CST, Wednesday, November 20, 2019",
                Furniture::Timestamp,
            ),
            ("Mis à jour le 12 mars 2024 à 10h05", Furniture::Timestamp),
            ("Publié le 3 janvier 2025", Furniture::Timestamp),
            (
                "Aktualisiert am 4. Mai 2024, 12:30 Uhr",
                Furniture::Timestamp,
            ),
            ("Published 2 hours ago", Furniture::Timestamp),
        ] {
            assert_eq!(classify(line), Some(kind), "{line}");
        }
    }

    #[test]
    fn sentences_and_article_lines_are_not_furniture() {
        for line in [
            "Share prices fell by a third on Monday.",
            "Photographs from the archive show the street in 1920, before the tram.",
            "Close to the border, the village waits.",
            "Updated figures show a rise of 3 per cent in March.",
            "Publié en 1857, le recueil fit scandale.",
            "Email remains the main channel for 60 percent of firms.",
            "Le lien entre les deux affaires reste à établir.",
            "Facebook and Twitter removed the accounts on Tuesday.",
            "1 of the 8 hostages was freed",
            "Stand by me",
            "and or this",
        ] {
            assert_eq!(classify(line), None, "{line}");
        }
    }
}
