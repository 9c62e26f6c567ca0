//! HTML articles: a saved web page, reduced to its article with a readability-grade
//! extractor (crate `dom_smoothie`, a port of Firefox's Reader View), then walked into
//! blocks.
//!
//! Metadata comes from the page: `<title>` / `og:title`, the author
//! (`author`, `article:author`, bylines), `article:published_time`, `<html lang>`,
//! `og:image`, and the description. Headings `h1`–`h6` keep their levels; paragraphs,
//! list items and quotes keep their kinds; tables are read row by row with cells
//! separated by commas (short data tables read well that way; a reader skipping them
//! loses content); `pre` blocks are code and not spoken. Scripts, styles, navigation,
//! footers, forms, cookie banners, share bars, comment sections and related-article
//! lists are never read: the extractor drops most, and the walker skips what is left by
//! tag and by class or id. When the extractor finds no article, the whole body is
//! walked with the same skipping.

use dom_query::{Document as Dom, NodeRef};

use super::{fold_whitespace, line_of, Block, BlockKind, Document, Meta};

/// Tags never read.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button",
    "select", "input", "textarea", "svg", "canvas", "iframe", "object", "video", "audio", "img",
    "picture", "figure", "menu", "dialog", "head", "title", "meta", "link",
];

/// Class or id fragments of page furniture.
const CLUTTER: &[&str] = &[
    "cookie",
    "consent",
    "gdpr",
    "share",
    "social",
    "comment",
    "related",
    "newsletter",
    "subscribe",
    "promo",
    "advert",
    "ad-",
    "ads",
    "sponsor",
    "banner",
    "breadcrumb",
    "navbar",
    "menu",
    "sidebar",
    "popup",
    "modal",
    "paywall",
    "outbrain",
    "taboola",
    "read-more",
    "recommend",
    "toolbar",
    "footer",
    "byline",
    "dateline",
    "tags",
    "most-read",
    "inline-related",
];

/// Inline tags whose text joins the surrounding paragraph.
const INLINE_TAGS: &[&str] = &[
    "a", "span", "em", "strong", "b", "i", "u", "small", "code", "abbr", "time", "mark", "q",
    "cite", "s", "del", "ins", "sub", "kbd", "var", "dfn", "bdi", "bdo", "font", "label", "data",
];

/// Parses an HTML page into a document.
pub fn parse(html: &str) -> Document {
    parse_with_warnings(html).0
}

/// The words of a list of blocks.
fn words_of(blocks: &[(BlockKind, String)]) -> usize {
    blocks
        .iter()
        .map(|(_, t)| t.split_whitespace().count())
        .sum()
}

/// Parses an HTML page into a document, with warnings for the user: when what was read
/// as the article is a small part of the page's text, the extraction may have missed it.
pub fn parse_with_warnings(html: &str) -> (Document, Vec<String>) {
    // One parse of the page serves the metadata and the clean-up. Furniture goes before
    // extraction: the extractor strips the classes and ids that tell a share bar or a
    // byline from prose.
    let page = Dom::from(html);
    let mut meta = page_meta(&page);
    // The page's own word for where its article is (schema.org `articleBody`) comes
    // first, looked up before any clean-up: layout wrappers named like furniture
    // (`layout-with-sidebar`) make both the clean-up and the extractor throw the article
    // away, and then a menu of links is all that is left to read.
    let mut blocks = schema_article_body(&page);
    let cleaned = without_clutter(page, html);
    let article = dom_smoothie::Readability::new(cleaned.as_str(), None, None)
        .ok()
        .and_then(|mut r| r.parse().ok());
    if let Some(article) = &article {
        if blocks.is_empty() {
            let content = Dom::from(article.content.to_string());
            walk(&content.root(), Context::default(), &mut blocks);
        }
        if meta.title.is_none() && !article.title.trim().is_empty() {
            meta.title = Some(fold_whitespace(&article.title));
        }
        if meta.author.is_none() {
            meta.author = article
                .byline
                .as_deref()
                .map(clean_byline)
                .filter(|b| !b.is_empty() && !looks_like_url(b));
        }
        if meta.language.is_none() {
            meta.language = article.lang.clone();
        }
        if meta.date.is_none() {
            meta.date = article.published_time.clone();
        }
        if meta.description.is_none() {
            meta.description = article.excerpt.as_deref().map(fold_whitespace);
        }
    }
    // Too little text means the extractor missed the article: walk the whole body.
    let body = body_blocks(&cleaned);
    let mut warnings = Vec::new();
    let (read, page_words) = (words_of(&blocks), words_of(&body));
    if read < 30 {
        blocks = body;
    } else if page_words >= 300 && read * 10 < page_words {
        warnings.push(format!(
            "only {read} of the page's {page_words} words were read as its article; if the article is missing, save it as text or Markdown"
        ));
    }
    let doc = Document {
        meta,
        blocks: blocks
            .into_iter()
            .map(|(kind, text)| Block {
                line: source_line(html, &text),
                span: 0..0,
                kind,
                text,
            })
            .collect(),
    };
    (doc, warnings)
}

/// The blocks of the page's schema.org `articleBody` (microdata), when it holds enough
/// text to be the article; empty otherwise.
fn schema_article_body(dom: &Dom) -> Vec<(BlockKind, String)> {
    let found = dom.select(r#"[itemprop="articleBody"], [property="articleBody"]"#);
    let best = found
        .nodes()
        .iter()
        .map(|node| {
            let mut blocks = Vec::new();
            walk(node, Context::default(), &mut blocks);
            blocks
        })
        .max_by_key(|b| words_of(b))
        .unwrap_or_default();
    if words_of(&best) >= 30 {
        best
    } else {
        Vec::new()
    }
}

/// An author field that holds a link to the author's page, not a name.
fn looks_like_url(value: &str) -> bool {
    let v = value.trim();
    v.starts_with("http://")
        || v.starts_with("https://")
        || v.starts_with("www.")
        || v.starts_with('/')
}

/// The blocks of an XHTML document read as it is, without article extraction (an EPUB
/// chapter is all content): its body walked with the same skipping of furniture.
pub fn body_blocks(html: &str) -> Vec<(BlockKind, String)> {
    let page = Dom::from(html);
    let mut blocks = Vec::new();
    let body = page.select("body");
    match body.nodes().first() {
        Some(node) => walk(node, Context::default(), &mut blocks),
        None => walk(&page.root(), Context::default(), &mut blocks),
    }
    blocks
}

/// The page (parsed from `html`) with every clutter element of its body removed.
fn without_clutter(dom: Dom, html: &str) -> String {
    let body = dom.select("body");
    let Some(body) = body.nodes().first().cloned() else {
        return html.to_string();
    };
    let doomed: Vec<NodeRef> = body
        .descendants_it()
        .filter(|n| n.is_element() && is_clutter(n))
        .collect();
    for node in doomed {
        node.remove_from_parent();
    }
    dom.html().to_string()
}

/// "By Jane Doe" and "Par Jean Dupont" are bylines; the name is what a tag wants.
fn clean_byline(byline: &str) -> String {
    let b = fold_whitespace(byline);
    for prefix in ["By ", "by ", "Par ", "par ", "Von ", "Por "] {
        if let Some(rest) = b.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    b
}

/// Best-effort source line of a block: where its first words appear in the page.
fn source_line(html: &str, text: &str) -> usize {
    let probe: String = text.chars().take(24).collect();
    html.find(probe.as_str())
        .map_or(1, |offset| line_of(html, offset))
}

/// Metadata from `<html lang>`, `<title>` and `<meta>` tags.
fn page_meta(dom: &Dom) -> Meta {
    let meta_content = |selectors: &[&str]| -> Option<String> {
        selectors.iter().find_map(|sel| {
            let s = dom.select(sel);
            s.nodes()
                .first()
                .and_then(|n| n.attr("content"))
                .map(|c| fold_whitespace(&c))
                .filter(|c| !c.is_empty())
        })
    };
    let title = meta_content(&[
        r#"meta[property="og:title"]"#,
        r#"meta[name="twitter:title"]"#,
    ])
    .or_else(|| {
        dom.select("title")
            .nodes()
            .first()
            .map(|n| fold_whitespace(&n.text()))
            .filter(|t| !t.is_empty())
    });
    Meta {
        title,
        // `article:author` is often the author's page: a link is not a name.
        author: [
            r#"meta[name="author"]"#,
            r#"meta[property="article:author"]"#,
            r#"meta[name="byl"]"#,
        ]
        .iter()
        .filter_map(|sel| meta_content(&[sel]))
        .find(|a| !looks_like_url(a)),
        date: meta_content(&[
            r#"meta[property="article:published_time"]"#,
            r#"meta[name="date"]"#,
            r#"meta[name="pubdate"]"#,
            r#"meta[itemprop="datePublished"]"#,
        ]),
        language: dom
            .select("html")
            .nodes()
            .first()
            .and_then(|n| n.attr("lang"))
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty()),
        description: meta_content(&[
            r#"meta[name="description"]"#,
            r#"meta[property="og:description"]"#,
        ]),
        // Pages that escape their markup twice leave `&amp;` in the address, which no
        // URL means literally.
        cover: meta_content(&[r#"meta[property="og:image"]"#])
            .map(|url| url.replace("&amp;", "&"))
            .map(Into::into),
        source: Default::default(),
    }
}

/// Where the walker is: inside a quote, inside a list item.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    in_quote: bool,
    in_item: bool,
}

impl Context {
    fn prose_kind(self) -> BlockKind {
        if self.in_quote {
            BlockKind::Quote
        } else if self.in_item {
            BlockKind::ListItem
        } else {
            BlockKind::Paragraph
        }
    }
}

fn tag(node: &NodeRef) -> String {
    node.node_name()
        .map(|n| n.to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_clutter(node: &NodeRef) -> bool {
    let name = tag(node);
    if SKIPPED_TAGS.contains(&name.as_str()) {
        return true;
    }
    if node.attr("hidden").is_some() || node.attr("aria-hidden").is_some_and(|v| &*v == "true") {
        return true;
    }
    if matches!(
        node.attr("role").as_deref(),
        Some("navigation" | "banner" | "complementary" | "contentinfo" | "dialog")
    ) {
        return true;
    }
    let marks = format!(
        "{} {}",
        node.attr("class")
            .map(|c| c.to_ascii_lowercase())
            .unwrap_or_default(),
        node.id_attr()
            .map(|c| c.to_ascii_lowercase())
            .unwrap_or_default()
    );
    // Class names are words separated by spaces, dashes or underscores.
    marks.split(|c: char| c.is_whitespace()).any(|word| {
        CLUTTER
            .iter()
            .any(|clutter| word == *clutter || word.starts_with(clutter) || word.ends_with(clutter))
    })
}

/// Inline text of a node, skipping clutter and footnote references inside it.
fn inline_text(node: &NodeRef, out: &mut String) {
    if node.is_text() {
        out.push_str(&node.text());
        return;
    }
    if !node.is_element() && !node.is_document() && !node.is_fragment() {
        return;
    }
    let name = tag(node);
    if name == "br" {
        out.push(' ');
        return;
    }
    if is_clutter(node) {
        return;
    }
    // "<sup>12</sup>" footnote markers are not read.
    if name == "sup" {
        let t = node.text();
        if t.trim()
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '[' | ']' | '*'))
        {
            return;
        }
    }
    for child in node.children_it(false) {
        inline_text(&child, out);
    }
}

fn has_block_child(node: &NodeRef) -> bool {
    node.children_it(false).any(|c| {
        c.is_element()
            && !INLINE_TAGS.contains(&tag(&c).as_str())
            && !matches!(tag(&c).as_str(), "br" | "sup" | "img")
    })
}

fn push(out: &mut Vec<(BlockKind, String)>, kind: BlockKind, text: &str) {
    let text = fold_whitespace(text);
    if !text.is_empty() {
        out.push((kind, text));
    }
}

/// A quote or list item: walked when it holds blocks of its own, else one block.
fn container(node: &NodeRef, inner: Context, out: &mut Vec<(BlockKind, String)>) {
    if has_block_child(node) {
        walk(node, inner, out);
    } else {
        let mut text = String::new();
        inline_text(node, &mut text);
        push(out, inner.prose_kind(), &text);
    }
}

/// Walks block-level structure, emitting one block per paragraph, heading, item, row.
fn walk(node: &NodeRef, ctx: Context, out: &mut Vec<(BlockKind, String)>) {
    let mut run = String::new();
    for child in node.children_it(false) {
        if child.is_text() {
            run.push_str(&child.text());
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let name = tag(&child);
        if INLINE_TAGS.contains(&name.as_str()) || name == "br" || name == "sup" {
            inline_text(&child, &mut run);
            continue;
        }
        push(out, ctx.prose_kind(), &std::mem::take(&mut run));
        if is_clutter(&child) {
            continue;
        }
        match name.as_str() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse().unwrap_or(2);
                let mut text = String::new();
                inline_text(&child, &mut text);
                push(out, BlockKind::Heading { level }, &text);
            }
            "pre" => push(out, BlockKind::Code, &child.text()),
            "table" => {
                for row in child
                    .descendants_it()
                    .filter(|n| n.is_element() && tag(n) == "tr")
                {
                    let cells: Vec<String> = row
                        .children_it(false)
                        .filter(|c| matches!(tag(c).as_str(), "td" | "th"))
                        .map(|c| {
                            let mut t = String::new();
                            inline_text(&c, &mut t);
                            fold_whitespace(&t)
                        })
                        .filter(|t| !t.is_empty())
                        .collect();
                    push(out, BlockKind::Paragraph, &cells.join(", "));
                }
            }
            "blockquote" => container(
                &child,
                Context {
                    in_quote: true,
                    ..ctx
                },
                out,
            ),
            "li" | "dd" | "dt" => container(
                &child,
                Context {
                    in_item: true,
                    ..ctx
                },
                out,
            ),
            "p" | "figcaption" | "summary" | "address" => {
                let mut text = String::new();
                inline_text(&child, &mut text);
                push(out, ctx.prose_kind(), &text);
            }
            _ => walk(&child, ctx, out),
        }
    }
    push(out, ctx.prose_kind(), &run);
}

#[cfg(test)]
mod tests {
    use super::*;

    const FR: &str = include_str!("../../tests/fixtures/pages/fr-article.html");
    const EN: &str = include_str!("../../tests/fixtures/pages/en-article.html");

    /// The fixture pages' expected extraction, shared with the extractor benchmark.
    #[derive(serde::Deserialize)]
    struct Expectations {
        page: Vec<Expected>,
    }

    #[derive(serde::Deserialize)]
    struct Expected {
        file: String,
        first: String,
        last: String,
        clutter: Vec<String>,
    }

    /// Checks `doc` (parsed from fixture `file`) against the shared expectations.
    fn check_expectations(file: &str, doc: &Document) {
        let all: Expectations =
            toml::from_str(include_str!("../../tests/fixtures/pages/expectations.toml")).unwrap();
        let expected = all
            .page
            .iter()
            .find(|p| p.file == file)
            .expect("expectations for the page");
        let text = all_text(doc);
        for clutter in &expected.clutter {
            assert!(!text.contains(clutter.as_str()), "{clutter} in {text}");
        }
        let prose: Vec<&str> = doc
            .blocks
            .iter()
            .filter(|b| !b.kind.is_heading())
            .map(|b| b.text.as_str())
            .collect();
        assert!(
            prose.first().unwrap().starts_with(&expected.first),
            "{text}"
        );
        assert!(prose.last().unwrap().ends_with(&expected.last), "{text}");
    }

    fn all_text(doc: &Document) -> String {
        doc.blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    }

    #[test]
    fn a_schema_article_body_wins_over_menus_and_layout_names() {
        let page = include_str!("../../tests/fixtures/pages/fr-schema-article-body.html");
        let doc = parse(page);
        check_expectations("fr-schema-article-body.html", &doc);
        assert_eq!(
            doc.meta.author, None,
            "a link to the author's page is no name"
        );
    }

    #[test]
    fn french_page_reads_only_the_article() {
        let doc = parse(FR);
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("La ville lente : ce que le XXIe siècle doit aux rues sans voitures")
        );
        assert_eq!(doc.meta.author.as_deref(), Some("Claire Dubois"));
        assert_eq!(doc.meta.language.as_deref(), Some("fr-FR"));
        assert_eq!(doc.meta.date.as_deref(), Some("2026-11-20T07:30:00+01:00"));
        let all = all_text(&doc);
        let prose: Vec<&Block> = doc.blocks.iter().filter(|b| !b.kind.is_heading()).collect();
        assert!(
            prose.first().unwrap().text.starts_with("Depuis 2015"),
            "{all}"
        );
        assert!(
            prose
                .last()
                .unwrap()
                .text
                .starts_with("Trois siècles après"),
            "{all}"
        );
        check_expectations("fr-article.html", &doc);
        let kinds: Vec<BlockKind> = doc.blocks.iter().map(|b| b.kind).collect();
        assert!(
            kinds.contains(&BlockKind::Heading { level: 2 }),
            "{kinds:?}"
        );
        assert!(kinds.contains(&BlockKind::ListItem), "{kinds:?}");
        assert!(kinds.contains(&BlockKind::Quote), "{kinds:?}");
    }

    #[test]
    fn english_page_reads_only_the_article() {
        let doc = parse(EN);
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("Why open-source voices matter")
        );
        assert_eq!(doc.meta.author.as_deref(), Some("Sam Patel"));
        assert_eq!(doc.meta.language.as_deref(), Some("en-GB"));
        let all = all_text(&doc);
        let prose: Vec<&Block> = doc.blocks.iter().filter(|b| !b.kind.is_heading()).collect();
        assert!(prose.first().unwrap().text.starts_with("In 1995"), "{all}");
        assert!(
            prose
                .last()
                .unwrap()
                .text
                .starts_with("The challenge for the 21st century"),
            "{all}"
        );
        check_expectations("en-article.html", &doc);
        assert!(all.contains("2026, 120"), "tables read row by row: {all}");
    }

    #[test]
    fn pages_without_an_article_fall_back_to_the_body() {
        let doc =
            parse("<html><body><nav>Menu</nav><div>Un texte court mais réel.</div></body></html>");
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, vec!["Un texte court mais réel."]);
    }

    #[test]
    fn hostile_markup_does_not_panic() {
        for html in [
            "",
            "<",
            "<html><body><p>",
            "<table><tr><td><table><tr><td>x",
            "<<<>>>&&&;",
        ] {
            let _ = parse(html);
        }
    }
}
