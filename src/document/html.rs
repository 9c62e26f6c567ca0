//! HTML articles: a saved web page, reduced to its article with a readability-grade
//! extractor (crate `dom_smoothie`, a port of Firefox's Reader View), then walked into
//! blocks.
//!
//! Metadata comes from the page: `<title>` / `og:title`, the author
//! (`author`, `article:author`, bylines), `article:published_time`, `<html lang>`,
//! `og:image`, and the description. Headings `h1`–`h6` keep their levels; paragraphs,
//! list items and quotes keep their kinds; tables are read row by row with cells
//! separated by commas (short data tables read well that way; a reader skipping them
//! loses content); `pre` blocks are code and not spoken unless they hold prose. Scripts,
//! styles, navigation, footers, forms, cookie banners, share bars, captions, comment
//! sections and related-article lists are never read: the extractor drops most, and the
//! walker skips what is left by tag and by class or id as the page wrote them. When the
//! extractor finds no article, the steps of [`Extraction`] are tried in order.

use dom_query::{Document as Dom, NodeRef};

use super::{fold_whitespace, line_of, word_count, Block, BlockKind, Document, Meta};

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
    "caption",
    "credit",
    "gallery",
    "slideshow",
    "carousel",
    "lightbox",
];

/// Class or id fragments that name the article itself: a word holding one is never
/// furniture, whatever else it says.
const CONTENT_MARKS: &[&str] = &[
    "article", "body", "content", "main", "story", "entry", "post-",
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
    blocks.iter().map(|(_, t)| word_count(t)).sum()
}

/// Words a reading must hold to be taken as the article (fewer: the next step is tried).
const MIN_ARTICLE_WORDS: usize = 30;

/// Where the text read from a page came from: the steps tried in order, from the most
/// selective to the least, until one holds an article's worth of words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extraction {
    /// The readability extractor on the page as it is, furniture skipped in what it kept.
    Extractor,
    /// The page's own schema.org `articleBody` markup.
    SchemaArticleBody,
    /// The extractor again on the page with its furniture removed first.
    ExtractorWithoutFurniture,
    /// The page's `<main>` or `<article>` element, furniture skipped.
    MainElement,
    /// Every text block of the page's body, furniture skipped.
    BodyText,
}

impl Extraction {
    /// What a user is told when a fallback step was needed; `None` for the usual steps.
    pub fn note(self) -> Option<&'static str> {
        match self {
            Extraction::Extractor | Extraction::SchemaArticleBody => None,
            Extraction::ExtractorWithoutFurniture => Some(
                "the extractor found no article in the page as it is; read what it found once the page's menus, share bars and banners were removed",
            ),
            Extraction::MainElement => {
                Some("the extractor found no article; read the page's main element")
            }
            Extraction::BodyText => Some(
                "the extractor found no article; read every text block of the page (menus and banners skipped)",
            ),
        }
    }
}

/// Parses an HTML page into a document, with warnings for the user: when a fallback
/// step had to be used, and when what was read is a small part of the page's text.
pub fn parse_with_warnings(html: &str) -> (Document, Vec<String>) {
    let (doc, step, mut warnings) = extract(html);
    if let Some(note) = step.note() {
        warnings.insert(0, note.to_string());
    }
    (doc, warnings)
}

/// Reads a page through the steps of [`Extraction`]; returns the document, the step
/// whose text was read, and warnings.
pub fn extract(html: &str) -> (Document, Extraction, Vec<String>) {
    let page = Dom::from(html);
    let mut meta = page_meta(&page);
    // The extractor reads the page as it is: the class names and ids it scores by are
    // kept in what it returns, so the walker skips share bars and bylines inside it.
    let article = readability(html);
    if let Some(article) = &article {
        fill_meta(&mut meta, article);
    }
    let from_article = |article: Option<&dom_smoothie::Article>| {
        let mut blocks = Vec::new();
        if let Some(article) = article {
            let content = Dom::from(article.content.to_string());
            walk(&content.root(), Context::default(), &mut blocks);
        }
        blocks
    };
    // Then the page's own word for where its article is (schema.org `articleBody`):
    // layout wrappers named like furniture (`layout-with-sidebar`) can make the
    // extractor throw the article away. (Tried first, it reads too much or too little
    // on real pages more often than it saves one.)
    let chosen = [
        Extraction::Extractor,
        Extraction::SchemaArticleBody,
        Extraction::ExtractorWithoutFurniture,
        Extraction::MainElement,
    ]
    .into_iter()
    .find_map(|step| {
        let blocks = match step {
            Extraction::SchemaArticleBody => schema_article_body(&page),
            Extraction::Extractor => {
                let mut blocks = from_article(article.as_ref());
                // The extractor renames and unwraps elements, and their classes go
                // with them: text that sat in furniture in the page as written
                // (a byline, a promotion box) is furniture in what it returns too.
                let furniture = furniture_texts(&page, words_of(&blocks));
                blocks.retain(|(_, text)| !furniture.contains(text));
                blocks
            }
            Extraction::ExtractorWithoutFurniture => {
                let cleaned = without_clutter(Dom::from(html), html);
                from_article(readability(&cleaned).as_ref())
            }
            Extraction::MainElement | Extraction::BodyText => main_element(&page),
        };
        (words_of(&blocks) >= MIN_ARTICLE_WORDS).then_some((step, blocks))
    });
    // The walker skips furniture itself: the page's body walked is what is left of it.
    let body = dom_blocks(&page);
    let page_words = words_of(&body);
    let mut warnings = Vec::new();
    let (step, blocks) = match chosen {
        Some((step, blocks)) => {
            let read = words_of(&blocks);
            if page_words >= 300 && read * 10 < page_words {
                warnings.push(format!(
                    "only {read} of the page's {page_words} words were read as its article; if the article is missing, save it as text or Markdown"
                ));
            }
            (step, blocks)
        }
        None => (Extraction::BodyText, body),
    };
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
    (doc, step, warnings)
}

/// The text blocks of the page's furniture elements, each smaller than a quarter of an
/// article of `article_words` (a wrapper named like furniture that holds the story is
/// not furniture).
fn furniture_texts(dom: &Dom, article_words: usize) -> std::collections::HashSet<String> {
    let mut texts = std::collections::HashSet::new();
    let body = dom.select("body");
    let Some(body) = body.nodes().first().cloned() else {
        return texts;
    };
    for node in body
        .descendants_it()
        .filter(|n| n.is_element() && is_clutter(n))
    {
        let mut blocks = Vec::new();
        let text = node.text();
        if word_count(&text) * 4 > article_words {
            continue;
        }
        walk(&node, Context::default(), &mut blocks);
        texts.extend(blocks.into_iter().map(|(_, t)| t));
        texts.insert(fold_whitespace(&text));
    }
    texts
}

/// The readability extractor's article, class names kept.
fn readability(html: &str) -> Option<dom_smoothie::Article> {
    let config = dom_smoothie::Config {
        keep_classes: true,
        ..dom_smoothie::Config::default()
    };
    dom_smoothie::Readability::new(html, None, Some(config))
        .ok()
        .and_then(|mut r| r.parse().ok())
}

/// Fills what the page's tags left out from what the extractor found.
fn fill_meta(meta: &mut Meta, article: &dom_smoothie::Article) {
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

/// The blocks of the element matching `selector` that hold the most words.
fn richest(dom: &Dom, selector: &str) -> Vec<(BlockKind, String)> {
    dom.select(selector)
        .nodes()
        .iter()
        .map(|node| {
            let mut blocks = Vec::new();
            walk(node, Context::default(), &mut blocks);
            blocks
        })
        .max_by_key(|b| words_of(b))
        .unwrap_or_default()
}

/// The blocks of the page's `<main>`, `[role=main]` or `<article>` element holding the
/// most words.
fn main_element(dom: &Dom) -> Vec<(BlockKind, String)> {
    richest(dom, r#"main, [role="main"], article"#)
}

/// The blocks of the page's schema.org `articleBody` (microdata), when it holds enough
/// text to be the article; empty otherwise.
fn schema_article_body(dom: &Dom) -> Vec<(BlockKind, String)> {
    let best = richest(dom, r#"[itemprop="articleBody"], [property="articleBody"]"#);
    if words_of(&best) >= MIN_ARTICLE_WORDS {
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
    dom_blocks(&Dom::from(html))
}

/// The blocks of a parsed page's body, furniture skipped.
fn dom_blocks(page: &Dom) -> Vec<(BlockKind, String)> {
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

/// Page furniture: by tag, by being hidden, by ARIA role, or by a class or id that
/// names furniture (unless it also names content and holds an article's worth of words:
/// `entry-content-read-more` wrapping the whole story is the story).
fn is_clutter(node: &NodeRef) -> bool {
    is_furniture_element(node) || (has_furniture_class(node) && !is_content_wrapper(node))
}

fn is_furniture_element(node: &NodeRef) -> bool {
    let name = tag(node);
    if SKIPPED_TAGS.contains(&name.as_str()) {
        return true;
    }
    if node.attr("hidden").is_some() || node.attr("aria-hidden").is_some_and(|v| &*v == "true") {
        return true;
    }
    matches!(
        node.attr("role").as_deref(),
        Some("navigation" | "banner" | "complementary" | "contentinfo" | "dialog")
    )
}

/// The lower-cased words of a node's class and id.
fn marks(node: &NodeRef) -> String {
    format!(
        "{} {}",
        node.attr("class")
            .map(|c| c.to_ascii_lowercase())
            .unwrap_or_default(),
        node.id_attr()
            .map(|c| c.to_ascii_lowercase())
            .unwrap_or_default()
    )
}

fn has_furniture_class(node: &NodeRef) -> bool {
    // Class names are words separated by spaces, dashes or underscores.
    marks(node).split_whitespace().any(|word| {
        CLUTTER
            .iter()
            .any(|clutter| word == *clutter || word.starts_with(clutter) || word.ends_with(clutter))
    })
}

/// Words a content-named wrapper must hold to be taken for the article itself.
const WRAPPER_WORDS: usize = 100;

fn is_content_wrapper(node: &NodeRef) -> bool {
    marks(node)
        .split_whitespace()
        .any(|word| CONTENT_MARKS.iter().any(|m| word.contains(m)))
        && word_count(&node.text()) >= WRAPPER_WORDS
}

/// Whether preformatted text is prose set in a fixed font (an RFC, a plain-text
/// letter) rather than code: enough words, and almost none of code's punctuation.
fn is_prose(text: &str) -> bool {
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    let code_marks = text
        .chars()
        .filter(|c| {
            matches!(
                c,
                '{' | '}' | ';' | '=' | '<' | '>' | '$' | '#' | '|' | '\\' | '`' | '_'
            )
        })
        .count();
    word_count(text) >= 40 && visible > 0 && code_marks * 100 < visible
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
            "pre" => {
                let text = child.text();
                let kind = if is_prose(&text) {
                    ctx.prose_kind()
                } else {
                    BlockKind::Code
                };
                push(out, kind, &text);
            }
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

    /// The fixture pages' expected extraction (`tests/fixtures/pages/expectations.toml`).
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
        let (_, warnings) = parse_with_warnings(
            "<html><body><nav>Menu</nav><div>Un texte court mais réel.</div></body></html>",
        );
        assert_eq!(
            warnings,
            vec![Extraction::BodyText.note().unwrap().to_string()],
            "the user is told which step read the page"
        );
    }

    /// Thirty-odd words of prose, enough to be an article.
    const PROSE: &str = "Le conseil municipal a voté mardi soir le nouveau plan de circulation du centre-ville, après trois heures de débat et une longue série d'amendements déposés par l'opposition sur les horaires des livraisons.";

    #[test]
    fn each_step_of_the_ladder_is_named() {
        let (_, step, _) = extract(&format!(
            "<html><body><nav>Accueil</nav><article><p>{PROSE}</p><p>{PROSE}</p></article></body></html>"
        ));
        assert_eq!(step, Extraction::Extractor);
        // A wrapper named like furniture hides the article from the extractor's first
        // look; the page's articleBody markup holds it.
        let (doc, step, _) = extract(&format!(
            r#"<html><body><div class="share-layout"><div itemprop="articleBody"><p>{PROSE}</p></div></div></body></html>"#
        ));
        assert_eq!(step, Extraction::SchemaArticleBody);
        assert_eq!(doc.blocks.len(), 1);
        for step in [
            Extraction::ExtractorWithoutFurniture,
            Extraction::MainElement,
            Extraction::BodyText,
        ] {
            assert!(step.note().is_some_and(|n| n.contains("found no article")));
        }
    }

    #[test]
    fn prose_in_pre_is_read_and_code_is_not() {
        let rfc = format!("<pre>{PROSE}\n   {PROSE}</pre>");
        let code =
            "<pre>fn main() {\n    let x = vec![1, 2, 3];\n    println!(\"{x:?}\");\n}</pre>";
        let page =
            format!("<html><body><article><p>{PROSE}</p>{rfc}{code}</article></body></html>");
        let doc = parse(&page);
        let kinds: Vec<BlockKind> = doc.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            vec![BlockKind::Paragraph, BlockKind::Paragraph, BlockKind::Code],
            "{:?}",
            doc.blocks
        );
    }

    #[test]
    fn chinese_paragraphs_count_as_words() {
        let para = "记者从有关部门获悉，今年以来全国铁路发送旅客人数持续增长，各地车站加强运输组织，确保旅客出行安全有序。";
        assert!(word_count(para) >= 20, "{}", word_count(para));
        let page =
            format!("<html><body><article><p>{para}</p><p>{para}</p></article></body></html>");
        let (_, step, _) = extract(&page);
        assert_eq!(step, Extraction::Extractor);
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
