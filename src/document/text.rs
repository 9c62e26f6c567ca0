//! Plain-text articles: paragraphs, title and section headings found from line shapes.
//!
//! Plain text has no markup, so structure is inferred the way a reader infers it:
//! a short line without final punctuation between paragraphs is a heading, the first
//! such line is the title, and a paragraph is either one long line (as scrapes and
//! word processors write them) or a run of hard-wrapped lines.

use super::{fold_whitespace, line_of, Block, BlockKind, Document};

/// Longest line, in characters, that can still be a heading.
const HEADING_MAX_CHARS: usize = 120;
/// Most words a heading can have.
const HEADING_MAX_WORDS: usize = 16;

/// Parses plain text into a document. Never fails: any text is a list of paragraphs.
pub fn parse(text: &str) -> Document {
    let mut doc = Document::default();
    let mut seen_title = false;
    for group in line_groups(text) {
        for (span, raw) in split_group(text, &group) {
            let text_folded = fold_whitespace(&raw);
            if text_folded.is_empty() {
                continue;
            }
            let kind = if looks_like_heading(&text_folded) {
                let level = if seen_title { 2 } else { 1 };
                seen_title = true;
                BlockKind::Heading { level }
            } else {
                BlockKind::Paragraph
            };
            doc.blocks.push(Block {
                kind,
                line: line_of(text, span.start),
                text: text_folded,
                span,
            });
        }
    }
    doc
}

/// A line of the source with its byte range.
#[derive(Debug, Clone)]
struct Line {
    start: usize,
    end: usize,
}

/// Groups of consecutive non-blank lines.
fn line_groups(text: &str) -> Vec<Vec<Line>> {
    let mut groups = Vec::new();
    let mut current = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let end = start + piece.trim_end_matches('\n').len();
        if text[start..end].trim().is_empty() {
            if !current.is_empty() {
                groups.push(std::mem::take(&mut current));
            }
        } else {
            current.push(Line { start, end });
        }
        start += piece.len();
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

/// Splits a group of lines into blocks: hard-wrapped lines are joined, lines that stand
/// alone (one paragraph per line, or a heading) are kept apart.
fn split_group(text: &str, group: &[Line]) -> Vec<(std::ops::Range<usize>, String)> {
    let widths: Vec<usize> = group
        .iter()
        .map(|l| text[l.start..l.end].trim_end().chars().count())
        .collect();
    let max_width = widths.iter().copied().max().unwrap_or(0);
    let wrapped = group.len() >= 2 && max_width <= 100;
    let mut blocks: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (i, line) in group.iter().enumerate() {
        let content = &text[line.start..line.end];
        let continues = i > 0 && {
            let prev = text[group[i - 1].start..group[i - 1].end].trim_end();
            continues_previous(
                prev,
                content.trim_start(),
                wrapped,
                widths[i - 1],
                max_width,
            )
        };
        match blocks.last_mut() {
            Some((span, joined)) if continues => {
                span.end = line.end;
                joined.push(' ');
                joined.push_str(content);
            }
            _ => blocks.push((line.start..line.end, content.to_string())),
        }
    }
    blocks
}

/// Whether `line` continues the paragraph that `prev` belongs to.
fn continues_previous(
    prev: &str,
    line: &str,
    wrapped: bool,
    prev_width: usize,
    max_width: usize,
) -> bool {
    let prev_open = !prev.ends_with(['.', '!', '?', '…', ':', '»', '"', '”']);
    if !prev_open {
        return false;
    }
    let starts_lower = line.chars().next().is_some_and(|c| c.is_lowercase());
    // In hard-wrapped text a line that fills the width runs on into the next one; a
    // short line (a heading, a signature) does not.
    starts_lower || (wrapped && max_width >= 50 && prev_width * 10 >= max_width * 6)
}

/// Whether a line reads as a heading: short, one phrase, no final punctuation, and
/// starting like a title does.
pub fn looks_like_heading(line: &str) -> bool {
    let line = line.trim();
    // Emoji and symbols before a heading's first word (`🚀 Installation`) are decoration.
    let Some(first) = line
        .chars()
        .find(|c| c.is_alphanumeric() || matches!(c, '«' | '"' | '“' | '\''))
    else {
        return false;
    };
    if !(first.is_uppercase() || first.is_numeric() || matches!(first, '«' | '"' | '“' | '\'')) {
        return false;
    }
    if line.chars().count() > HEADING_MAX_CHARS
        || line.split_whitespace().count() > HEADING_MAX_WORDS
    {
        return false;
    }
    if line.ends_with(['.', '!', ':', ';', ',', '…']) && !line.ends_with("...") {
        return false;
    }
    // Two sentences are a paragraph, however short.
    !line.contains(". ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(BlockKind, String)> {
        parse(text)
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    #[test]
    fn one_paragraph_per_line_with_title_and_heading() {
        let text = "Le titre de l'article\nPremier paragraphe assez long pour en être un. Il continue ici.\nUn intertitre\nDeuxième paragraphe, lui aussi complet.\n";
        let k = kinds(text);
        assert_eq!(k[0].0, BlockKind::Heading { level: 1 });
        assert_eq!(k[1].0, BlockKind::Paragraph);
        assert_eq!(
            k[2],
            (BlockKind::Heading { level: 2 }, "Un intertitre".into())
        );
        assert_eq!(k[3].0, BlockKind::Paragraph);
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let text = "Title Here\n\nThis paragraph was wrapped by an editor at seventy-two\ncolumns, as plain-text mail and old articles often are, and\nit goes on for a while before it ends.\n\nA second paragraph starts after a blank line and is also\nwrapped.\n";
        let k = kinds(text);
        assert_eq!(k.len(), 3, "{k:?}");
        assert!(k[1].1.starts_with("This paragraph"));
        assert!(k[1].1.ends_with("before it ends."));
        assert!(k[2].1.ends_with("also wrapped."));
    }

    #[test]
    fn spans_and_lines_point_into_the_source() {
        let text = "Title\n\nBody text here.\n";
        let doc = parse(text);
        assert_eq!(doc.blocks[1].line, 3);
        assert_eq!(&text[doc.blocks[1].span.clone()], "Body text here.");
    }

    #[test]
    fn heading_shapes() {
        assert!(looks_like_heading(
            "La Chine n’a pas besoin de gagner : il lui suffit d’inonder le monde"
        ));
        assert!(!looks_like_heading("A lire ou à écouter en podcast :"));
        assert!(!looks_like_heading("Une phrase. Une autre"));
        assert!(!looks_like_heading("minuscule au début"));
        assert!(!looks_like_heading(""));
        assert!(looks_like_heading("🚀 Installation"));
        assert!(!looks_like_heading("🚀"));
    }
}
