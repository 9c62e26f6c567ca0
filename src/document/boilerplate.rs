//! Boilerplate in scraped text: the page's menus, sign-in and subscription prompts,
//! player controls and legal lines that a copy of a whole page carries before, inside
//! and after its article. Classified the way jusText does, from each paragraph's shape
//! and then its neighbours, since plain text has no markup left to go by:
//!
//! 1. Each paragraph (headings are judged by the empty-heading rule once their body is
//!    known) is **bad** (a call to action, a legal line, a player time or a bare number:
//!    see [`is_call_to_action`]), **good** (ten words or more ending like a sentence, or
//!    twenty-five words or more), **near-good** (three words or more ending like a
//!    sentence) or **short** (the rest).
//! 2. Before the first good paragraph and after the last, only near-good paragraphs
//!    touching the article (nothing short or bad between them and a good one; headings
//!    do not part them) are kept: a scrape's leading and trailing furniture goes,
//!    "Thanks for reading." and a closing section of short sentences stay. Before the
//!    article, the title and the headline are kept too.
//! 3. Between good paragraphs, a run of three or more short lines (headings included)
//!    of at most six words each is a menu and goes; one or two short lines (a section
//!    heading, a dateline, a quoted name) stay.
//!
//! A text without any good paragraph is left alone: nothing tells article from menu.

use std::sync::LazyLock;

use regex::RegexSet;

use super::{ends_sentence, is_sentence, word_count, Block, BlockKind};

/// What a paragraph of scraped text looks like on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Page furniture whatever its neighbours.
    Bad,
    /// Article prose.
    Good,
    /// A short sentence: article next to article, furniture next to furniture.
    NearGood,
    /// A short line without a sentence in it.
    Short,
}

/// Why a paragraph was found to be boilerplate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A call to action, a legal line, a player time or a bare number.
    CallToAction,
    /// Before the article's first paragraph.
    Leading,
    /// After the article's last paragraph.
    Trailing,
    /// A run of short lines inside the article: a menu or a list of links.
    MenuRun,
}

/// Words a paragraph needs to be prose when it ends like a sentence.
const GOOD_WORDS: usize = 10;
/// Words that make a paragraph prose whatever its ending.
const LONG_WORDS: usize = 25;
/// Longest line of a menu run, in words.
const MENU_LINE_WORDS: usize = 6;
/// Shortest menu run, in lines.
const MENU_RUN: usize = 3;
/// Longest call-to-action line, in words: a sentence of the article that mentions
/// subscribing is longer.
const CALL_WORDS: usize = 14;

static CALLS: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        // English
        r"(?i)\b(subscribe|sign (in|up)|log ?in|log out|register|create an account|newsletter|cookies?|privacy (policy|notice|settings)|terms (of (use|service)|and conditions)|all rights reserved|advertisement|skip to (main )?content|read more|related (articles|stories|content)|recommended for you|most (read|popular)|follow us|download (the|our) app|play live radio|next up|listen live|please (register|log in|sign in) to comment|comments? (are closed|policy)|leave a comment|share (this|on)|click here|sponsored|you may also like|trending now|back to top|view comments|reprints?|contact us|about us|site ?map|accessibility)\b",
        // French
        r"(?i)(\bs'abonner\b|\babonnez-vous\b|\babonnement\b|\bse connecter\b|\bconnexion\b|\bnewsletter\b|\btous droits réservés\b|\bpublicité\b|\bà lire aussi\b|\blire aussi\b|\blire la suite\b|\bmentions légales\b|\bpolitique de confidentialité\b|\bconditions générales\b|\bsuivez-nous\b|\bretour en haut\b|\bréagir\b|\bcommentaires?\b|\bcontactez-nous\b|\bdéjà abonné|\bécouter le direct\b|\ben direct\b|\bplan du site\b)",
        // German
        r"(?i)\b(anmelden|abonnieren|abo|newsletter|alle rechte vorbehalten|werbung|anzeige|impressum|datenschutz(erklärung)?|mehr lesen|weiterlesen|auch interessant|kommentare?|folgen sie uns|nach oben|kontakt)\b",
        // Spanish
        r"(?i)\b(suscríbete|suscribirse|iniciar sesión|regístrate|boletín|todos los derechos reservados|publicidad|leer más|lee también|te puede interesar|aviso legal|política de privacidad|síguenos|comentarios?|volver arriba|contacto)\b",
    ])
    .expect("valid call-to-action patterns")
});

/// Whether a short paragraph is a call to action, a legal line, a player time or a
/// bare number.
pub fn is_call_to_action(text: &str) -> bool {
    let text = text.trim();
    if LEGAL.is_match(text) {
        return true;
    }
    let words = word_count(text);
    words <= CALL_WORDS && !is_sentence(text) && CALLS.is_match(text)
}

/// Legal lines, player times and bare numbers: furniture even as a full sentence.
static LEGAL: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        r"(?i)^(©|\(c\)|copyright\b)",
        r"(?i)\b(all rights reserved|tous droits réservés|alle rechte vorbehalten|todos los derechos reservados)\b",
        r"^\d{1,2}:\d{2}(:\d{2})?(\s*/\s*\d{1,2}:\d{2}(:\d{2})?)?$",
        r"^[\d\s.,:/%+-]+$",
        // Cookie notices, a sentence long.
        r"(?i)\b(this (web)?site uses cookies|we use cookies|by (continuing to (use|browse)|using) (this|our) (web)?site|accept (all )?cookies|cookie (policy|settings|preferences))\b",
        r"(?i)(\ben poursuivant votre navigation\b|\bvous acceptez l['’]utilisation de (cookies|traceurs)|\bce site utilise des cookies|\bnous utilisons des cookies|\baccepter (les|tous les) cookies|\bgérer (mes|vos|ces) (cookies|paramètres|préférences)\b)",
        r"(?i)\b(diese (webseite|website|seite) (verwendet|nutzt) cookies|wir (verwenden|nutzen) cookies|cookies akzeptieren|cookie-einstellungen)\b",
        r"(?i)\b(este (sitio( web)?|web) utiliza cookies|utilizamos cookies|aceptar (las |todas las )?cookies|política de cookies)\b",
        // An alphabetical index: "Index : A B C D … Z".
        r"(\b\p{Lu}\b[\s▪|·,-]*){10,}$",
    ])
    .expect("valid legal patterns")
});

/// The shape of one paragraph.
pub fn shape(text: &str) -> Shape {
    let words = word_count(text);
    if is_call_to_action(text) {
        Shape::Bad
    } else if words >= LONG_WORDS || (words >= GOOD_WORDS && ends_sentence(text)) {
        Shape::Good
    } else if words >= 3 && ends_sentence(text) {
        Shape::NearGood
    } else {
        Shape::Short
    }
}

/// The verdict on each block (`None`: keep), for the blocks still kept (`keep`).
pub fn classify(blocks: &[Block], keep: &[bool]) -> Vec<Option<Verdict>> {
    let mut verdicts = vec![None; blocks.len()];
    let live: Vec<usize> = (0..blocks.len())
        .filter(|&i| keep[i] && blocks[i].kind != BlockKind::Code)
        .collect();
    for &i in &live {
        if is_call_to_action(&blocks[i].text) {
            verdicts[i] = Some(Verdict::CallToAction);
        }
    }
    // Paragraphs only, in order, with their shapes.
    let paragraphs: Vec<(usize, Shape)> = live
        .iter()
        .filter(|&&i| !blocks[i].kind.is_heading())
        .map(|&i| (i, shape(&blocks[i].text)))
        .collect();
    let Some(first) = paragraphs.iter().position(|p| p.1 == Shape::Good) else {
        return verdicts;
    };
    let last = paragraphs
        .iter()
        .rposition(|p| p.1 == Shape::Good)
        .unwrap_or(first);
    let (first_block, last_block) = (paragraphs[first].0, paragraphs[last].0);
    // Leading region, walked back from the article: near-good lines touching it stay,
    // and so do the heading nearest above it (the headline) and the first line (the
    // title). A heading in the way does not part a near-good line from the article.
    let mut touching = true;
    let mut headline_seen = false;
    for &i in live.iter().filter(|&&i| i < first_block).rev() {
        if blocks[i].kind.is_heading() {
            if headline_seen && i != live[0] && verdicts[i].is_none() {
                verdicts[i] = Some(Verdict::Leading);
            }
            headline_seen = true;
            continue;
        }
        touching &= shape(&blocks[i].text) == Shape::NearGood;
        if !touching && verdicts[i].is_none() {
            verdicts[i] = Some(Verdict::Leading);
        }
    }
    // Trailing region: near-good lines still touching the article stay, across
    // headings (a closing section of short sentences); headings are left to the
    // empty-heading rule, which drops them once what was under them is gone.
    let mut touching = true;
    for &i in live.iter().filter(|&&i| i > last_block) {
        if blocks[i].kind.is_heading() {
            continue;
        }
        touching &= shape(&blocks[i].text) == Shape::NearGood;
        if !touching && verdicts[i].is_none() {
            verdicts[i] = Some(Verdict::Trailing);
        }
    }
    // Menu runs inside the article: headings count, as plain text makes a heading of
    // any short line without a full stop (one heading is a section, three in a row are
    // a menu).
    let inside = live
        .iter()
        .filter(|&&i| i > first_block && i < last_block)
        .map(|&i| {
            let s = if blocks[i].kind.is_heading() {
                Shape::Short
            } else {
                shape(&blocks[i].text)
            };
            (i, s)
        });
    let mut run: Vec<usize> = Vec::new();
    let flush = |run: &mut Vec<usize>, verdicts: &mut Vec<Option<Verdict>>| {
        if run.len() >= MENU_RUN {
            for &i in run.iter() {
                verdicts[i].get_or_insert(Verdict::MenuRun);
            }
        }
        run.clear();
    };
    for (i, s) in inside {
        if s == Shape::Short && word_count(&blocks[i].text) <= MENU_LINE_WORDS {
            run.push(i);
        } else if s != Shape::Bad {
            flush(&mut run, &mut verdicts);
        }
    }
    flush(&mut run, &mut verdicts);
    verdicts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        for (text, expected) in [
            ("Subscribe Sign In", Shape::Bad),
            ("Play Live Radio", Shape::Bad),
            ("Next Up:", Shape::Bad),
            ("0:00", Shape::Bad),
            ("3:12 / 45:00", Shape::Bad),
            ("© 2019 Hearst Communications, Inc.", Shape::Bad),
            ("Please register to comment", Shape::Bad),
            ("Abonnez-vous à notre newsletter", Shape::Bad),
            ("Alle Rechte vorbehalten", Shape::Bad),
            ("Todos los derechos reservados", Shape::Bad),
            (
                "En poursuivant votre navigation sur ce site, vous acceptez l’utilisation de \
                 cookies pour vous proposer des contenus et services adaptés à vos centres \
                 d’intérêts. En savoir plus et gérer ces paramètres.",
                Shape::Bad,
            ),
            (
                "This website uses cookies to improve your experience. We'll assume you're ok \
                 with this, but you can opt-out if you wish.",
                Shape::Bad,
            ),
            (
                "Diese Website verwendet Cookies, um Ihnen das beste Erlebnis zu bieten.",
                Shape::Bad,
            ),
            (
                "Este sitio web utiliza cookies para mejorar su experiencia de navegación.",
                Shape::Bad,
            ),
            (
                "Index actualité : A B C D E F G H I J K L M N O P Q R S T U V W X Y Z",
                Shape::Bad,
            ),
            ("Déjà abonné au", Shape::Bad),
            (
                "The council said cookies and cakes would be sold at the fair to raise money.",
                Shape::Good,
            ),
            ("42", Shape::Bad),
            (
                "The council voted on Tuesday to close the road to cars for good.",
                Shape::Good,
            ),
            ("Thanks for reading.", Shape::NearGood),
            ("James Freeman", Shape::Short),
            (
                "Readers who subscribe to the paper's newsletter were the first to know, the editor said.",
                Shape::Good,
            ),
        ] {
            assert_eq!(shape(text), expected, "{text}");
        }
    }
}
