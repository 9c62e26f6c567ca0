//! What a batch reads: folders (walked recursively), globs, list files, addresses, and
//! sites' RSS or Atom feeds, each item of which is an article. Every article gets an
//! identity that does not change from run to run or machine to machine: its path
//! relative to the folder it was found in, the path as given, or its address.

use std::path::{Path, PathBuf};

use crate::fetch::{self, FetchError, Fetched, Validators};

/// Extensions of the files a folder's walk picks up.
const ARTICLE_EXTENSIONS: &[&str] = &["md", "markdown", "txt", "html", "htm", "xhtml", "epub"];

/// Words above which a feed item's own content is the article (its page is not fetched).
const FULL_CONTENT_WORDS: usize = 150;

/// Where an article comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// A local file.
    File(PathBuf),
    /// A page on the web.
    Url(String),
    /// An item of a feed whose own content is the article.
    FeedContent {
        /// The item's address.
        url: String,
        /// Its HTML.
        html: String,
    },
}

/// What a feed says of an item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemMeta {
    /// Title.
    pub title: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Publication date (RFC 2822).
    pub published: Option<String>,
    /// Summary.
    pub description: Option<String>,
}

/// One article of the batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// Its stable identity.
    pub identity: String,
    /// Where it comes from.
    pub origin: Origin,
    /// What its feed said of it.
    pub item: ItemMeta,
}

impl Source {
    /// How messages name it.
    pub fn display(&self) -> String {
        match &self.origin {
            Origin::File(p) => p.display().to_string(),
            Origin::Url(u) | Origin::FeedContent { url: u, .. } => u.clone(),
        }
    }
}

/// Why the inputs could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A path that is neither a file nor a folder, nor a pattern that matches.
    #[error("{0}: no such file or folder, and no file matches it as a pattern")]
    Missing(String),
    /// A folder or list could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A pattern that is not one.
    #[error("{pattern}: not a valid pattern ({message})")]
    Pattern {
        /// The pattern.
        pattern: String,
        /// What is wrong.
        message: String,
    },
    /// A feed could not be fetched.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// A feed could not be parsed.
    #[error("{url}: not an RSS or Atom feed ({message})")]
    Feed {
        /// The address.
        url: String,
        /// What the parser said.
        message: String,
    },
    /// Nothing to read.
    #[error("no article found in {0}; give Markdown, text, HTML or EPUB files, folders of them, or addresses")]
    Empty(String),
}

/// `path` with forward slashes, as identities are written.
fn slashed(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            std::path::Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn is_article_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with('.')
        || matches!(name, "show.toml" | "lexicon.toml")
        || name.ends_with(".transcript.txt")
    {
        return false;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Walks `dir` in name order, skipping hidden entries and `skip` (the output folder).
fn walk(dir: &Path, skip: Option<&Path>, found: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let read = |source| InputError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(read)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden || skip.is_some_and(|s| crate::output::paths::same_file(&path, s)) {
            continue;
        }
        if path.is_dir() {
            walk(&path, skip, found)?;
        } else if is_article_file(&path) {
            found.push(path);
        }
    }
    Ok(())
}

/// The articles `inputs` name (folders, globs, files, addresses), then those of the
/// list files, each once, in the order given. `out` is skipped when inside a folder.
pub fn expand(inputs: &[String], lists: &[PathBuf], out: &Path) -> Result<Vec<Source>, InputError> {
    let mut specs: Vec<String> = inputs.to_vec();
    for list in lists {
        let text = std::fs::read_to_string(list).map_err(|source| InputError::Read {
            path: list.clone(),
            source,
        })?;
        let base = list.parent().unwrap_or(Path::new(""));
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            specs.push(if fetch::is_url(line) || Path::new(line).is_absolute() {
                line.to_string()
            } else {
                base.join(line).to_string_lossy().into_owned()
            });
        }
    }
    let mut sources: Vec<Source> = Vec::new();
    let push = |s: Source, sources: &mut Vec<Source>| {
        if !sources.iter().any(|have| have.identity == s.identity) {
            sources.push(s);
        }
    };
    for spec in &specs {
        if fetch::is_url(spec) {
            for s in expand_url(spec)? {
                push(s, &mut sources);
            }
            continue;
        }
        let path = Path::new(spec);
        if path.is_dir() {
            let mut found = Vec::new();
            walk(path, Some(out), &mut found)?;
            for file in found {
                let relative = file.strip_prefix(path).unwrap_or(&file);
                push(
                    Source {
                        identity: slashed(relative),
                        origin: Origin::File(file.clone()),
                        item: ItemMeta::default(),
                    },
                    &mut sources,
                );
            }
        } else if path.is_file() {
            push(
                Source {
                    identity: slashed(path),
                    origin: Origin::File(path.to_path_buf()),
                    item: ItemMeta::default(),
                },
                &mut sources,
            );
        } else if spec.contains(['*', '?', '[']) {
            let matches = glob::glob(spec).map_err(|e| InputError::Pattern {
                pattern: spec.clone(),
                message: e.to_string(),
            })?;
            let mut files: Vec<PathBuf> =
                matches.flatten().filter(|p| is_article_file(p)).collect();
            files.sort();
            if files.is_empty() {
                return Err(InputError::Missing(spec.clone()));
            }
            for file in files {
                push(
                    Source {
                        identity: slashed(&file),
                        origin: Origin::File(file.clone()),
                        item: ItemMeta::default(),
                    },
                    &mut sources,
                );
            }
        } else {
            return Err(InputError::Missing(spec.clone()));
        }
    }
    if sources.is_empty() {
        return Err(InputError::Empty(specs.join(", ")));
    }
    Ok(sources)
}

/// Whether a fetched body is a feed rather than a page.
fn looks_like_feed(page: &fetch::Page) -> bool {
    let by_type = page.media_type.as_deref().is_some_and(|m| {
        m.contains("rss") || m.contains("atom") || m == "application/xml" || m == "text/xml"
    });
    let head: String =
        String::from_utf8_lossy(&page.body[..page.body.len().min(1024)]).to_ascii_lowercase();
    by_type
        || (head.trim_start().starts_with("<?xml")
            && (head.contains("<rss") || head.contains("<feed")))
}

/// An address: a page (one article) or a feed (one article per item).
fn expand_url(url: &str) -> Result<Vec<Source>, InputError> {
    let page = match fetch::get(url, &Validators::default())? {
        Fetched::Body(page) => page,
        Fetched::NotModified => unreachable!("no validators were sent"),
    };
    if !looks_like_feed(&page) {
        return Ok(vec![Source {
            identity: without_fragment(url),
            origin: Origin::Url(url.to_string()),
            item: ItemMeta::default(),
        }]);
    }
    feed_items(&page.body, &page.url)
}

fn without_fragment(url: &str) -> String {
    url.split('#').next().unwrap_or(url).to_string()
}

/// The articles of a feed's items: their pages, or their own content when the feed
/// carries the whole article.
pub fn feed_items(bytes: &[u8], feed_url: &str) -> Result<Vec<Source>, InputError> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| InputError::Feed {
        url: feed_url.to_string(),
        message: e.to_string(),
    })?;
    let mut sources = Vec::new();
    for entry in feed.entries {
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| resolve_url(feed_url, &l.href));
        let identity = match &link {
            Some(l) => without_fragment(l),
            None if !entry.id.is_empty() => entry.id.clone(),
            None => continue,
        };
        let content = entry
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|html| words_in_html(html) >= FULL_CONTENT_WORDS);
        let origin = match (content, &link) {
            (Some(html), _) => Origin::FeedContent {
                url: identity.clone(),
                html,
            },
            (None, Some(l)) => Origin::Url(l.clone()),
            (None, None) => continue,
        };
        let item = ItemMeta {
            title: entry
                .title
                .map(|t| crate::document::fold_whitespace(&t.content)),
            author: entry.authors.first().map(|a| a.name.clone()),
            published: entry
                .published
                .or(entry.updated)
                .map(|d| super::rfc2822(&d.fixed_offset())),
            description: entry
                .summary
                .map(|s| crate::document::fold_whitespace(&strip_tags(&s.content))),
        };
        sources.push(Source {
            identity,
            origin,
            item,
        });
    }
    Ok(sources)
}

/// Resolves `href` against `base` (feeds may give relative links).
fn resolve_url(base: &str, href: &str) -> String {
    if fetch::is_url(href) {
        return href.to_string();
    }
    let Some((scheme, rest)) = base.split_once("://") else {
        return href.to_string();
    };
    let host = rest.split('/').next().unwrap_or(rest);
    if let Some(absolute) = href.strip_prefix('/') {
        return format!("{scheme}://{host}/{absolute}");
    }
    let dir = base.rsplit_once('/').map_or(base, |(d, _)| d);
    format!("{dir}/{href}")
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn words_in_html(html: &str) -> usize {
    strip_tags(html).split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_lists_and_patterns() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("posts/2026")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("public")).unwrap();
        for f in [
            "a.md",
            "posts/b.txt",
            "posts/2026/c.html",
            ".git/x.md",
            "public/d.md",
            "show.toml",
            "notes.pdf",
            "a.transcript.txt",
        ] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        let folder = root.to_string_lossy().into_owned();
        let found = expand(&[folder], &[], &root.join("public")).unwrap();
        let ids: Vec<&str> = found.iter().map(|s| s.identity.as_str()).collect();
        assert_eq!(ids, vec!["a.md", "posts/2026/c.html", "posts/b.txt"]);
        let list = root.join("list.txt");
        std::fs::write(&list, "# my list\na.md\n\nposts/b.txt\n").unwrap();
        let from_list = expand(&[], &[list], &root.join("public")).unwrap();
        assert_eq!(from_list.len(), 2);
        let pattern = format!("{}/posts/*.txt", root.display());
        assert_eq!(
            expand(&[pattern], &[], &root.join("public")).unwrap().len(),
            1
        );
        assert!(matches!(
            expand(&[format!("{}/nope.md", root.display())], &[], root),
            Err(InputError::Missing(_))
        ));
    }

    #[test]
    fn feed_items_become_pages_or_their_own_content() {
        let long = "<p>".to_string() + &"Un mot de plus dans un long article. ".repeat(40) + "</p>";
        let rss = format!(
            r#"<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><link>https://example.org/</link><description>d</description>
<item><title>Court</title><link>/2026/court.html</link><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate><description>Résumé</description></item>
<item><title>Long</title><link>https://example.org/2026/long.html#top</link><content:encoded><![CDATA[{long}]]></content:encoded></item>
</channel></rss>"#
        );
        let items = feed_items(rss.as_bytes(), "https://example.org/feed.xml").unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0].origin,
            Origin::Url("https://example.org/2026/court.html".into())
        );
        assert_eq!(items[0].item.title.as_deref(), Some("Court"));
        assert!(items[0]
            .item
            .published
            .as_deref()
            .unwrap()
            .starts_with("Tue, 24 Nov 2026"));
        assert_eq!(items[1].identity, "https://example.org/2026/long.html");
        assert!(matches!(items[1].origin, Origin::FeedContent { .. }));
        assert!(feed_items(b"not xml", "https://x/feed").is_err());
    }
}
