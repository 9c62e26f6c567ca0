//! Cleaning: removes what a scrape carries but a listener should not hear.
//!
//! Rules, applied in this order, each recorded in a [`CleanReport`]:
//! 1. **Repeated paragraphs**: a paragraph, quote or list item repeated word for word
//!    (after folding whitespace and apostrophe styles) is read once, where it first
//!    appears. Scrapers often duplicate blocks; `keep_duplicates` turns this off.
//! 2. **Trailing residue**: short lines without final punctuation after the last real
//!    paragraph ("L'accueil", "Partager", "Retour en haut") are navigation, not article.
//! 3. **Dangling lead-ins**: a short line ending with a colon that introduces nothing
//!    (it is followed by a heading or by nothing), such as "A lire ou à écouter en
//!    podcast :" above a title.
//! 4. **Empty headings**: a heading with no body before the next heading of the same or
//!    a higher level, or before the end.
//!
//! Before the residue rules, lines of page furniture anywhere in the article (share
//! buttons, image credits and gallery controls, timestamps: see [`super::furniture`])
//! are dropped; `keep_furniture` turns this off.

use std::collections::HashSet;

use serde::Serialize;

use super::boilerplate::{self, Verdict};
use super::furniture::{self, Furniture};
use super::{ends_sentence, word_count, Block, BlockKind, Document, SENTENCE_ENDS};

/// Switches for the cleaning rules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanOptions {
    /// Keep paragraphs that repeat an earlier one word for word.
    pub keep_duplicates: bool,
    /// Keep lines of page furniture (share buttons, image credits, timestamps).
    pub keep_furniture: bool,
    /// In a batch of plain-text scrapes: the blocks recurring across its articles, dropped
    /// as boilerplate (unless `keep_furniture`).
    pub recurring: Option<std::sync::Arc<super::recurring::RecurringLines>>,
}

/// What cleaning removed, for the user to check.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CleanReport {
    /// Every dropped block, in source order.
    pub dropped: Vec<Dropped>,
}

/// One block cleaning removed, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Dropped {
    /// 1-based source line of the block.
    pub line: usize,
    /// Why it was dropped.
    pub reason: DropReason,
    /// The block's text.
    pub text: String,
}

/// Why a block was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// Repeats an earlier block word for word.
    Duplicate,
    /// Navigation or footer residue after the article's last paragraph.
    TrailingResidue,
    /// A colon-ended lead-in line that introduces nothing.
    DanglingLeadIn,
    /// A heading with no body under it.
    EmptyHeading,
    /// A line of page furniture: share buttons, an image credit, a timestamp.
    Furniture(Furniture),
    /// In a scrape: a call to action, a legal line, a player time or a bare number.
    CallToAction,
    /// In a scrape: page furniture before the article's first paragraph.
    LeadingResidue,
    /// In a scrape: a run of short lines inside the article (a menu, a list of links).
    MenuRun,
    /// In a batch of scrapes: a block found in many of its articles (see
    /// [`super::recurring`]).
    Recurring,
}

impl CleanReport {
    /// How many blocks were dropped for `reason`.
    pub fn count(&self, reason: DropReason) -> usize {
        self.dropped.iter().filter(|d| d.reason == reason).count()
    }

    /// One human line per non-empty rule, e.g. "dropped 2 repeated paragraphs (lines 6, 7)".
    pub fn summary_lines(&self) -> Vec<String> {
        let rules = [
            (
                DropReason::Duplicate,
                "repeated paragraph",
                "repeated paragraphs",
            ),
            (
                DropReason::TrailingResidue,
                "line of trailing navigation residue",
                "lines of trailing navigation residue",
            ),
            (
                DropReason::DanglingLeadIn,
                "dangling lead-in line",
                "dangling lead-in lines",
            ),
            (
                DropReason::EmptyHeading,
                "heading with no body",
                "headings with no body",
            ),
            (
                DropReason::Furniture(Furniture::ShareButtons),
                "line of share buttons",
                "lines of share buttons",
            ),
            (
                DropReason::Furniture(Furniture::ImageCredit),
                "image credit or gallery control",
                "image credits or gallery controls",
            ),
            (
                DropReason::Furniture(Furniture::Timestamp),
                "timestamp line",
                "timestamp lines",
            ),
            (
                DropReason::CallToAction,
                "call-to-action, legal or player line",
                "call-to-action, legal or player lines",
            ),
            (
                DropReason::LeadingResidue,
                "line of page furniture before the article",
                "lines of page furniture before the article",
            ),
            (
                DropReason::MenuRun,
                "menu line inside the article",
                "menu lines inside the article",
            ),
            (
                DropReason::Recurring,
                "line recurring across the batch's articles",
                "lines recurring across the batch's articles",
            ),
        ];
        rules
            .iter()
            .filter_map(|&(reason, one, many)| {
                let lines: Vec<String> = self
                    .dropped
                    .iter()
                    .filter(|d| d.reason == reason)
                    .map(|d| d.line.to_string())
                    .collect();
                match lines.len() {
                    0 => None,
                    1 => Some(format!("dropped 1 {one} (line {})", lines[0])),
                    n => Some(format!("dropped {n} {many} (lines {})", lines.join(", "))),
                }
            })
            .collect()
    }
}

/// Applies the cleaning rules to `doc` in place and reports what went.
pub fn clean(doc: &mut Document, options: &CleanOptions) -> CleanReport {
    clean_with(doc, options, false)
}

/// [`clean`] for plain text, which may be a copy of a whole web page: the boilerplate
/// rules of [`super::boilerplate`] run too (unless `keep_furniture`).
pub fn clean_scrape(doc: &mut Document, options: &CleanOptions) -> CleanReport {
    clean_with(doc, options, true)
}

fn clean_with(doc: &mut Document, options: &CleanOptions, scrape: bool) -> CleanReport {
    let mut report = CleanReport::default();
    let mut keep = vec![true; doc.blocks.len()];
    if !options.keep_duplicates {
        mark_duplicates(&doc.blocks, &mut keep, &mut report);
    }
    if !options.keep_furniture {
        mark_furniture(&doc.blocks, &mut keep, &mut report);
    }
    mark_trailing_residue(&doc.blocks, &mut keep, &mut report);
    mark_dangling_lead_ins(&doc.blocks, &mut keep, &mut report);
    if scrape && !options.keep_furniture {
        if let Some(recurring) = &options.recurring {
            mark_recurring(&doc.blocks, recurring, &mut keep, &mut report);
        }
        mark_boilerplate(&doc.blocks, &mut keep, &mut report);
    }
    mark_empty_headings(&doc.blocks, &mut keep, &mut report, scrape);
    report.dropped.sort_by_key(|d| d.line);
    let mut flags = keep.into_iter();
    doc.blocks.retain(|_| flags.next().unwrap_or(true));
    renumber_title(&mut doc.blocks);
    report
}

fn drop_block(
    blocks: &[Block],
    i: usize,
    keep: &mut [bool],
    report: &mut CleanReport,
    reason: DropReason,
) {
    keep[i] = false;
    report.dropped.push(Dropped {
        line: blocks[i].line,
        reason,
        text: blocks[i].text.clone(),
    });
}

/// The comparison key for duplicates: words only, apostrophe and quote styles folded.
/// A block's text compared across blocks: typographic quotes and spacing folded.
pub(crate) fn duplicate_key(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '’' | '‘' | 'ʼ' => '\'',
            '“' | '”' | '«' | '»' => '"',
            c if c.is_whitespace() => ' ',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn mark_duplicates(blocks: &[Block], keep: &mut [bool], report: &mut CleanReport) {
    let mut seen = HashSet::new();
    for (i, block) in blocks.iter().enumerate() {
        let prose = matches!(
            block.kind,
            BlockKind::Paragraph | BlockKind::Quote | BlockKind::ListItem
        );
        // Short items ("Oui.", "Non.") legitimately repeat; only whole passages count.
        if !prose || word_count(&block.text) < 6 {
            continue;
        }
        if !seen.insert(duplicate_key(&block.text)) {
            drop_block(blocks, i, keep, report, DropReason::Duplicate);
        }
    }
}

fn mark_recurring(
    blocks: &[Block],
    recurring: &super::recurring::RecurringLines,
    keep: &mut [bool],
    report: &mut CleanReport,
) {
    for (i, block) in blocks.iter().enumerate() {
        if keep[i] && recurring.contains(&block.text) {
            drop_block(blocks, i, keep, report, DropReason::Recurring);
        }
    }
}

/// A block that carries the article: words ending like a sentence. Three words are
/// enough ("Thanks for reading."); navigation lines do not end with a full stop.
fn is_real_paragraph(block: &Block) -> bool {
    !block.kind.is_heading()
        && word_count(&block.text) >= 3
        && block.text.trim_end().ends_with(|c: char| {
            SENTENCE_ENDS.contains(&c) || matches!(c, '»' | '"' | '”' | ')' | '」' | '）')
        })
}

fn mark_furniture(blocks: &[Block], keep: &mut [bool], report: &mut CleanReport) {
    for (i, block) in blocks.iter().enumerate() {
        if !keep[i] || block.kind == BlockKind::Code {
            continue;
        }
        if let Some(kind) = furniture::classify(&block.text) {
            drop_block(blocks, i, keep, report, DropReason::Furniture(kind));
        }
    }
}

fn mark_boilerplate(blocks: &[Block], keep: &mut [bool], report: &mut CleanReport) {
    let verdicts = boilerplate::classify(blocks, keep);
    for (i, verdict) in verdicts.into_iter().enumerate() {
        let reason = match verdict {
            None => continue,
            Some(Verdict::CallToAction) => DropReason::CallToAction,
            Some(Verdict::Leading) => DropReason::LeadingResidue,
            Some(Verdict::Trailing) => DropReason::TrailingResidue,
            Some(Verdict::MenuRun) => DropReason::MenuRun,
        };
        drop_block(blocks, i, keep, report, reason);
    }
}

fn mark_trailing_residue(blocks: &[Block], keep: &mut [bool], report: &mut CleanReport) {
    let Some(last_real) = blocks.iter().rposition(is_real_paragraph) else {
        return;
    };
    // Backwards, so that a heading is judged by what follows it once residue is gone:
    // a heading with body text under it is a section, never residue.
    let mut body_follows = false;
    for i in (last_real + 1..blocks.len()).rev() {
        let b = &blocks[i];
        let short = word_count(&b.text) <= 6;
        let unfinished = !ends_sentence(&b.text);
        let residue = keep[i] && short && unfinished && !(b.kind.is_heading() && body_follows);
        if residue {
            drop_block(blocks, i, keep, report, DropReason::TrailingResidue);
        } else if keep[i] {
            body_follows = !b.kind.is_heading();
        }
    }
}

fn next_kept(keep: &[bool], from: usize) -> Option<usize> {
    (from..keep.len()).find(|&j| keep[j])
}

fn mark_dangling_lead_ins(blocks: &[Block], keep: &mut [bool], report: &mut CleanReport) {
    for i in 0..blocks.len() {
        let b = &blocks[i];
        let lead_in =
            !b.kind.is_heading() && b.text.trim_end().ends_with(':') && word_count(&b.text) <= 12;
        if !keep[i] || !lead_in {
            continue;
        }
        let introduces_nothing = match next_kept(keep, i + 1) {
            None => true,
            Some(j) => blocks[j].kind.is_heading(),
        };
        if introduces_nothing {
            drop_block(blocks, i, keep, report, DropReason::DanglingLeadIn);
        }
    }
}

/// Drops headings with nothing under them. In plain text, where heading levels are
/// guessed, a heading right above a heading that has a body is its section's title
/// above a subtitle ("Pour dépasser le tabac" above "Vape Wave (documentaire, 1h28)"),
/// not empty.
fn mark_empty_headings(
    blocks: &[Block],
    keep: &mut [bool],
    report: &mut CleanReport,
    plain_text: bool,
) {
    // Backwards, so that a heading above an emptied heading is judged without it.
    for i in (0..blocks.len()).rev() {
        let BlockKind::Heading { level } = blocks[i].kind else {
            continue;
        };
        if !keep[i] {
            continue;
        }
        let empty = match next_kept(keep, i + 1) {
            None => true,
            Some(j) => {
                let under =
                    matches!(blocks[j].kind, BlockKind::Heading { level: next } if next <= level);
                let subtitle = plain_text
                    && under
                    && next_kept(keep, j + 1).is_some_and(|k| !blocks[k].kind.is_heading())
                    && !is_first_heading(blocks, keep, i);
                under && !subtitle
            }
        };
        if empty {
            drop_block(blocks, i, keep, report, DropReason::EmptyHeading);
        }
    }
}

/// Whether `i` is the first kept heading. The subtitle rule skips it: a page's
/// "Title - Site" line right above the article's own title is not a section title, and
/// dropping it leaves the article's title as the episode's.
fn is_first_heading(blocks: &[Block], keep: &[bool], i: usize) -> bool {
    !(0..i).any(|k| keep[k] && blocks[k].kind.is_heading())
}

/// After cleaning, the first heading is the title: make sure it is the only level 1
/// heading when the source had no explicit levels (plain text).
fn renumber_title(blocks: &mut [Block]) {
    let has_level_one = blocks
        .iter()
        .any(|b| b.kind == BlockKind::Heading { level: 1 });
    if !has_level_one {
        if let Some(first) = blocks.iter_mut().find(|b| b.kind.is_heading()) {
            first.kind = BlockKind::Heading { level: 1 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::text;
    use std::path::Path;

    fn cleaned(src: &str) -> (Vec<String>, CleanReport) {
        let mut doc = text::parse(src);
        let report = clean(&mut doc, &CleanOptions::default());
        (doc.blocks.into_iter().map(|b| b.text).collect(), report)
    }

    #[test]
    fn drops_word_for_word_repeats_and_keeps_the_first() {
        let p = "Un paragraphe de plusieurs mots qui se répète.";
        let src = format!("Titre\n{p}\nAutre paragraphe avec assez de mots ici.\n{p}\n");
        let (texts, report) = cleaned(&src);
        assert_eq!(
            texts,
            vec!["Titre", p, "Autre paragraphe avec assez de mots ici."]
        );
        assert_eq!(report.count(DropReason::Duplicate), 1);
        assert_eq!(report.dropped[0].line, 4);
    }

    #[test]
    fn duplicates_match_across_apostrophe_styles() {
        let src = "Titre\nL’IA est partout dans nos vies désormais.\nL'IA est partout dans nos vies désormais.\n";
        let (texts, _) = cleaned(src);
        assert_eq!(texts.len(), 2);
    }

    /// A copy of a whole news page, shaped like the real ones of the scrape benchmark.
    const PAGE_COPY: &str = "Council closes the old bridge - City News\n\nSkip to main content\nHome\nNews\nSport\nWeather\nSubscribe Sign In\n\nCouncil closes the old bridge\n\nThe council voted on Tuesday to close the old bridge to cars, after engineers found cracks in two of its piers.\n\nWork starts in March and should last a year, the mayor said at a meeting with residents.\n\nMost read\nMarkets\nCars\nHomes\n\nBuses will cross the river on the new bridge until the repairs are done, the transport office said.\n\nThanks for reading.\n\nPlay Live Radio\n0:00\n© 2026 City News. All rights reserved.\nPrivacy Policy\nTerms of Use\n";

    #[test]
    fn a_plain_text_section_title_above_its_subtitle_is_kept() {
        let src = "Sur vos écrans cette semaine\n\nLe film commence par une longue scène dans la neige, et le récit ne ralentit jamais ensuite.\n\nPour dépasser le tabac\n\nVape Wave (documentaire, 1h28, Planète+)\n\nPendant quelques jours, le doute a plané sur la cigarette électronique et sur ce que l'Etat comptait faire.\n";
        let mut doc = text::parse(src);
        let report = clean_scrape(&mut doc, &CleanOptions::default());
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert!(
            texts.contains(&"Pour dépasser le tabac"),
            "{texts:?} {report:?}"
        );
        assert!(
            texts.contains(&"Vape Wave (documentaire, 1h28, Planète+)"),
            "{texts:?}"
        );
    }

    #[test]
    fn a_page_copy_keeps_its_article_and_drops_the_page() {
        let mut doc = text::parse(PAGE_COPY);
        let report = clean_scrape(&mut doc, &CleanOptions::default());
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Council closes the old bridge - City News",
                "Council closes the old bridge",
                "The council voted on Tuesday to close the old bridge to cars, after engineers found cracks in two of its piers.",
                "Work starts in March and should last a year, the mayor said at a meeting with residents.",
                "Buses will cross the river on the new bridge until the repairs are done, the transport office said.",
                "Thanks for reading.",
            ],
            "{report:?}"
        );
        for reason in [DropReason::CallToAction, DropReason::LeadingResidue] {
            assert!(report.count(reason) > 0, "{reason:?}: {report:?}");
        }
        // The same text read as an article (not a scrape) keeps its short lines.
        let mut doc = text::parse(PAGE_COPY);
        let report = clean(&mut doc, &CleanOptions::default());
        assert!(doc.blocks.iter().any(|b| b.text == "0:00"), "{report:?}");
        for reason in [
            DropReason::CallToAction,
            DropReason::LeadingResidue,
            DropReason::MenuRun,
        ] {
            assert_eq!(report.count(reason), 0);
        }
        let mut doc = text::parse(PAGE_COPY);
        let report = clean_scrape(
            &mut doc,
            &CleanOptions {
                keep_furniture: true,
                ..CleanOptions::default()
            },
        );
        assert_eq!(report.count(DropReason::CallToAction), 0);
    }

    #[test]
    fn a_short_article_keeps_its_closing_section() {
        let src = "Un titre\nUne première phrase assez longue pour compter. Une seconde phrase.\nUne section\nLe corps de la section, enfin.\n";
        let mut doc = text::parse(src);
        let report = clean_scrape(&mut doc, &CleanOptions::default());
        assert_eq!(doc.blocks.len(), 4, "{report:?}");
    }

    #[test]
    fn keep_duplicates_opts_out() {
        let p = "Un paragraphe de plusieurs mots qui se répète.";
        let mut doc = text::parse(&format!("Titre\n{p}\n{p}\n"));
        clean(
            &mut doc,
            &CleanOptions {
                keep_duplicates: true,
                ..CleanOptions::default()
            },
        );
        assert_eq!(doc.blocks.len(), 3);
    }

    #[test]
    fn furniture_in_the_middle_is_dropped_and_reported_by_line() {
        let src = "Titre\n\nUn premier paragraphe de l'article, assez long pour compter.\n\nWhatsapp   Facebook   Pint   Baixar\n\nPhoto: Hau Dinh, AP\n\nUpdated 5:27 am CST, Wednesday, November 20, 2019\n\nUn second paragraphe qui termine l'article proprement.\n";
        let (kept, report) = cleaned(src);
        assert_eq!(
            kept,
            vec![
                "Titre",
                "Un premier paragraphe de l'article, assez long pour compter.",
                "Un second paragraphe qui termine l'article proprement."
            ]
        );
        assert_eq!(
            report.summary_lines(),
            vec![
                "dropped 1 line of share buttons (line 5)",
                "dropped 1 image credit or gallery control (line 7)",
                "dropped 1 timestamp line (line 9)",
            ]
        );
        let mut doc = text::parse(src);
        let report = clean(
            &mut doc,
            &CleanOptions {
                keep_furniture: true,
                ..CleanOptions::default()
            },
        );
        assert!(
            !report
                .dropped
                .iter()
                .any(|d| matches!(d.reason, DropReason::Furniture(_))),
            "--keep-furniture: {report:?}"
        );
        assert!(doc.blocks.iter().any(|b| b.text.starts_with("Updated")));
    }

    #[test]
    fn drops_lead_in_residue_and_empty_headings() {
        let src = "A lire ou à écouter en podcast :\nLe titre\nUn paragraphe de corps qui compte bien six mots.\nSection vide\n\n\nL'accueil\n\n";
        let (texts, report) = cleaned(src);
        assert_eq!(
            texts,
            vec![
                "Le titre",
                "Un paragraphe de corps qui compte bien six mots."
            ]
        );
        assert_eq!(report.count(DropReason::DanglingLeadIn), 1);
        assert_eq!(report.count(DropReason::TrailingResidue), 2);
    }

    #[test]
    fn a_closing_section_is_not_residue() {
        let src = "# Title\n\nA paragraph long enough to count as the body of it.\n\n## Conclusion\n\nThanks for reading. Bye.\n";
        let mut doc = crate::document::markdown::parse(src, Path::new("a.md")).unwrap();
        let report = clean(&mut doc, &CleanOptions::default());
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Title",
                "A paragraph long enough to count as the body of it.",
                "Conclusion",
                "Thanks for reading. Bye."
            ],
            "{report:?}"
        );
        // A heading over nothing but navigation is still residue.
        let src = "Titre\nUn paragraphe de corps qui compte bien six mots.\nÀ lire aussi\nPartager\nRetour en haut\n";
        let (texts, report) = cleaned(src);
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert_eq!(report.count(DropReason::TrailingResidue), 2);
        assert_eq!(
            report.count(DropReason::Furniture(Furniture::ShareButtons)),
            1,
            "Partager is a share button wherever it is"
        );
    }

    #[test]
    fn empty_heading_in_the_middle() {
        let src = "Titre\nIntro assez longue pour compter ici.\nVide\nPlein\nCorps de la section pleine, bien sûr.\n";
        let (texts, report) = cleaned(src);
        assert!(!texts.contains(&"Vide".to_string()));
        assert!(texts.contains(&"Plein".to_string()));
        assert_eq!(report.count(DropReason::EmptyHeading), 1);
    }

    #[test]
    fn summary_names_lines() {
        let p = "Un paragraphe de plusieurs mots qui se répète.";
        let (_, report) = cleaned(&format!("Titre\n{p}\n{p}\n{p}\n"));
        assert_eq!(
            report.summary_lines(),
            vec!["dropped 2 repeated paragraphs (lines 3, 4)"]
        );
    }
}
