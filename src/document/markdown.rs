//! Markdown articles: CommonMark (via `pulldown-cmark`) plus YAML or TOML front matter.
//!
//! Headings become heading blocks (their `#` level kept), paragraphs, block quotes and
//! list items keep their kind, emphasis and links are read as their text, inline code
//! as its text, images not at all (alt text describes a picture the listener cannot
//! see), tables row by row with cells separated by commas. Fenced and indented code
//! blocks become [`BlockKind::Code`] blocks, which the script stage does not speak:
//! reading code aloud helps nobody, and a spoken notice for every snippet is noise.

use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{fold_whitespace, line_of, Block, BlockKind, Document, IngestError, Meta};

/// Parses Markdown text, with optional front matter, into a document.
pub fn parse(text: &str, source: &Path) -> Result<Document, IngestError> {
    let (meta, body_start) = front_matter(text, source)?;
    let mut doc = Document {
        meta,
        blocks: Vec::new(),
    };
    let mut builder = BlockBuilder::default();
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let body = &text[body_start..];
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        builder.event(event, range, text, &mut doc.blocks);
    }
    Ok(doc)
}

/// Turns the event stream into blocks, tracking which container each block is in.
#[derive(Default)]
struct BlockBuilder {
    /// Open containers: quotes and list items.
    containers: Vec<Container>,
    /// The block being collected: its kind, start offset and text so far.
    open: Option<(BlockKind, usize, String)>,
    /// Depth inside elements whose text is not read (images, footnote definitions).
    skip_depth: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Container {
    Quote,
    Item,
}

impl BlockBuilder {
    fn event(
        &mut self,
        event: Event,
        range: std::ops::Range<usize>,
        src: &str,
        out: &mut Vec<Block>,
    ) {
        match event {
            Event::Start(
                Tag::Image { .. } | Tag::FootnoteDefinition(_) | Tag::MetadataBlock(_),
            ) => self.skip_depth += 1,
            Event::End(TagEnd::Image | TagEnd::FootnoteDefinition | TagEnd::MetadataBlock(_)) => {
                self.skip_depth = self.skip_depth.saturating_sub(1)
            }
            _ if self.skip_depth > 0 => {}
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush(src, out);
                self.open = Some((
                    BlockKind::Heading { level: level as u8 },
                    range.start,
                    String::new(),
                ));
            }
            Event::Start(Tag::Paragraph) => {
                self.flush(src, out);
                let kind = match self.containers.last() {
                    Some(Container::Quote) => BlockKind::Quote,
                    Some(Container::Item) => BlockKind::ListItem,
                    None => BlockKind::Paragraph,
                };
                self.open = Some((kind, range.start, String::new()));
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.flush(src, out);
                self.open = Some((BlockKind::Code, range.start, String::new()));
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush(src, out);
                self.containers.push(Container::Quote);
            }
            Event::Start(Tag::Item) => {
                self.flush(src, out);
                self.containers.push(Container::Item);
                self.open = Some((BlockKind::ListItem, range.start, String::new()));
            }
            Event::Start(Tag::List(_))
            | Event::Start(Tag::TableRow)
            | Event::Start(Tag::TableHead) => {
                self.flush(src, out);
                if !matches!(event, Event::Start(Tag::List(_))) {
                    self.open = Some((BlockKind::Paragraph, range.start, String::new()));
                }
            }
            Event::End(TagEnd::TableCell) => self.push_text(", "),
            Event::End(TagEnd::BlockQuote(_) | TagEnd::Item) => {
                self.flush_at(src, out, range.end);
                self.containers.pop();
            }
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead,
            ) => self.flush_at(src, out, range.end),
            Event::Text(t) | Event::Code(t) => self.push_text(&t),
            Event::SoftBreak | Event::HardBreak => self.push_text(" "),
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some((_, _, buf)) = self.open.as_mut() {
            buf.push_str(text);
        }
    }

    fn flush(&mut self, src: &str, out: &mut Vec<Block>) {
        if let Some((_, start, _)) = &self.open {
            let end = *start;
            self.flush_at(src, out, end);
        }
    }

    fn flush_at(&mut self, src: &str, out: &mut Vec<Block>, end: usize) {
        let Some((kind, start, raw)) = self.open.take() else {
            return;
        };
        let text = if kind == BlockKind::Code {
            raw.trim_end().to_string()
        } else {
            let folded = fold_whitespace(&raw);
            folded.trim_end_matches([',', ' ']).to_string()
        };
        if text.is_empty() {
            return;
        }
        out.push(Block {
            kind,
            line: line_of(src, start),
            span: start..end.max(start),
            text,
        });
    }
}

/// Reads YAML (`---`) or TOML (`+++`) front matter at the very start of the text.
/// Returns the metadata found and the byte offset where the Markdown body starts.
fn front_matter(text: &str, source: &Path) -> Result<(Meta, usize), IngestError> {
    let fence = if text.starts_with("---\n") {
        "---"
    } else if text.starts_with("+++\n") {
        "+++"
    } else {
        return Ok((Meta::default(), 0));
    };
    let after_open = fence.len() + 1;
    let Some(close) = find_closing_fence(&text[after_open..], fence) else {
        // An unclosed `---` is a thematic break, not front matter.
        return Ok((Meta::default(), 0));
    };
    let inner = &text[after_open..after_open + close];
    let body_start = (after_open + close + fence.len()).min(text.len());
    let body_start = text[body_start..]
        .find('\n')
        .map_or(text.len(), |i| body_start + i + 1);
    let fields = if fence == "+++" {
        toml_fields(inner, source)?
    } else {
        yaml_fields(inner, source)?
    };
    let mut meta = Meta::default();
    for (key, value) in fields {
        let value = Some(value).filter(|v| !v.is_empty());
        match key.to_ascii_lowercase().as_str() {
            "title" => meta.title = value,
            "author" | "authors" | "by" => meta.author = value,
            "date" | "published" | "pubdate" => meta.date = value,
            "lang" | "language" | "locale" => meta.language = value,
            "description" | "summary" | "excerpt" => meta.description = value,
            "cover" | "image" => meta.cover = value.map(Into::into),
            _ => {}
        }
    }
    Ok((meta, body_start))
}

/// Offset of the line holding only `fence`, within `text`.
fn find_closing_fence(text: &str, fence: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == fence {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

fn toml_fields(inner: &str, source: &Path) -> Result<Vec<(String, String)>, IngestError> {
    let table: toml::Table =
        inner
            .parse()
            .map_err(|e: toml::de::Error| IngestError::FrontMatter {
                path: source.to_path_buf(),
                line: 1 + e.span().map_or(0, |s| line_of(inner, s.start)),
                message: e.message().to_string(),
            })?;
    Ok(table
        .into_iter()
        .filter_map(|(k, v)| {
            let s = match v {
                toml::Value::String(s) => s,
                toml::Value::Array(a) => a.first()?.as_str()?.to_string(),
                toml::Value::Datetime(d) => d.to_string(),
                other => other.to_string(),
            };
            Some((k, s))
        })
        .collect())
}

/// The top-level fields of a YAML front matter block, as strings: scalars as written, the
/// first item of a list (`authors: [A, B]`), the `name` of a map (`author: {name: A}`).
fn yaml_fields(inner: &str, source: &Path) -> Result<Vec<(String, String)>, IngestError> {
    use yaml_rust2::{Yaml, YamlLoader};
    let docs = YamlLoader::load_from_str(inner).map_err(|e| IngestError::FrontMatter {
        path: source.to_path_buf(),
        line: e.marker().line() + 1,
        message: e.info().to_string(),
    })?;
    fn scalar(value: &Yaml) -> Option<String> {
        match value {
            Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
            Yaml::Integer(i) => Some(i.to_string()),
            Yaml::Array(items) => items.iter().find_map(scalar),
            Yaml::Hash(map) => map.get(&Yaml::String("name".into())).and_then(scalar),
            _ => None,
        }
    }
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return Ok(Vec::new());
    };
    Ok(map
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), scalar(v)?)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> Document {
        parse(text, Path::new("t.md")).unwrap()
    }

    #[test]
    fn headings_paragraphs_lists_quotes_code() {
        let doc = md("# Title\n\nSome *emphasis* and a [link](http://x.y).\n\n## Part\n\n- one item\n- two `code`\n\n> quoted text\n\n```\nfn main() {}\n```\n");
        let kinds: Vec<_> = doc
            .blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (BlockKind::Heading { level: 1 }, "Title"),
                (BlockKind::Paragraph, "Some emphasis and a link."),
                (BlockKind::Heading { level: 2 }, "Part"),
                (BlockKind::ListItem, "one item"),
                (BlockKind::ListItem, "two code"),
                (BlockKind::Quote, "quoted text"),
                (BlockKind::Code, "fn main() {}"),
            ]
        );
        assert_eq!(doc.blocks[2].line, 5);
    }

    #[test]
    fn images_are_not_read_and_tables_read_by_row() {
        let doc = md("Text ![a chart](c.png) here.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        let texts: Vec<_> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, vec!["Text here.", "a, b", "1, 2"]);
    }

    #[test]
    fn yaml_front_matter() {
        let doc = md("---\ntitle: \"Un titre\"\nauthor:\n  - Ana\nlang: fr\ndate: 2026-11-24\n---\n\nCorps.\n");
        assert_eq!(doc.meta.title.as_deref(), Some("Un titre"));
        assert_eq!(doc.meta.author.as_deref(), Some("Ana"));
        assert_eq!(doc.meta.language.as_deref(), Some("fr"));
        assert_eq!(doc.meta.date.as_deref(), Some("2026-11-24"));
        assert_eq!(doc.blocks.len(), 1);
        assert_eq!(doc.blocks[0].line, 9);
    }

    #[test]
    fn yaml_lists_maps_and_errors() {
        let doc = md("---\ntitle: 'Quoted: with colon'\nauthors: [Ana, Bo]\ndescription: >\n  Folded\n  text\n---\nBody.\n");
        assert_eq!(doc.meta.title.as_deref(), Some("Quoted: with colon"));
        assert_eq!(doc.meta.author.as_deref(), Some("Ana"));
        assert_eq!(doc.meta.description.as_deref(), Some("Folded text\n"));
        let doc = md("---\nauthor:\n  name: Cy\n  email: cy@example.org\n---\nBody.\n");
        assert_eq!(doc.meta.author.as_deref(), Some("Cy"));
        let err = parse("---\ntitle: [unclosed\n---\nBody.\n", Path::new("t.md")).unwrap_err();
        assert!(err.to_string().starts_with("t.md:"), "{err}");
    }

    #[test]
    fn toml_front_matter_and_errors() {
        let doc = md("+++\ntitle = \"T\"\nlang = \"en\"\n+++\nBody.\n");
        assert_eq!(doc.meta.title.as_deref(), Some("T"));
        assert_eq!(doc.meta.language.as_deref(), Some("en"));
        let err = parse("+++\ntitle = \n+++\nBody.\n", Path::new("t.md")).unwrap_err();
        assert!(err.to_string().starts_with("t.md:"), "{err}");
    }

    #[test]
    fn unclosed_fence_is_a_rule() {
        let doc = md("---\nNot front matter.\n");
        assert_eq!(doc.blocks[0].text, "Not front matter.");
    }
}
