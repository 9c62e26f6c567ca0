//! The ingest stage: reads an article file into a [`Document`] of metadata and blocks.
//!
//! This module owns decoding bytes into text ([`decode`]), parsing each input format
//! ([`text`], [`markdown`]) and cleaning scrape residue ([`clean`]). It knows nothing
//! about languages, speech or audio: its output is what the article *says*, in order.

pub mod boilerplate;
pub mod clean;
pub mod decode;
pub mod epub;
pub mod furniture;
pub mod html;
pub mod markdown;
pub mod recurring;
pub mod text;

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use clean::{CleanOptions, CleanReport, Dropped};

/// Largest input articast reads, in bytes. Larger files are refused rather than
/// half-processed: a 64 MiB article is hours of audio and almost certainly a mistake.
pub const MAX_INPUT_BYTES: u64 = crate::fetch::MAX_BODY_BYTES;

/// An article as read from its source: metadata plus an ordered list of blocks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Document {
    /// What is known about the article besides its text.
    pub meta: Meta,
    /// The article's content, in reading order.
    pub blocks: Vec<Block>,
}

/// Article metadata, filled from the source where the format carries it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Meta {
    /// The article's title: front matter, else the first heading or title-like line.
    pub title: Option<String>,
    /// Author, from front matter.
    pub author: Option<String>,
    /// Publication date as written in the source.
    pub date: Option<String>,
    /// Language as declared by the source (BCP 47), before any detection.
    pub language: Option<String>,
    /// Short description or summary.
    pub description: Option<String>,
    /// Cover image path, as declared by the source.
    pub cover: Option<PathBuf>,
    /// Where the article was read from (`-` for standard input).
    pub source: PathBuf,
}

impl Meta {
    /// The source as messages name it: its path, or "standard input".
    pub fn display_source(&self) -> String {
        display_path(&self.source)
    }
}

/// A path as messages name it: "standard input" for `-`.
pub fn display_path(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        path.display().to_string()
    }
}

/// One structural unit of the article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    /// What kind of block this is.
    pub kind: BlockKind,
    /// The block's text, as written, with inline markup removed and whitespace folded.
    pub text: String,
    /// Byte range of the block in the decoded source text; empty for formats whose blocks
    /// do not map to one range of the source (HTML after extraction, EPUB).
    pub span: Range<usize>,
    /// 1-based line of the block's start in the source, for error messages and reports
    /// (HTML: where its first words appear in the page; EPUB: the chapter number).
    pub line: usize,
}

/// The kinds of block a document is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum BlockKind {
    /// A heading; level 1 is the title level.
    Heading {
        /// 1 for the title, 2 and up for sections.
        level: u8,
    },
    /// A paragraph of running text.
    Paragraph,
    /// A quoted passage.
    Quote,
    /// One item of a list.
    ListItem,
    /// Source code or preformatted text; not spoken.
    Code,
}

impl BlockKind {
    /// Whether this block is a heading of any level.
    pub fn is_heading(self) -> bool {
        matches!(self, BlockKind::Heading { .. })
    }
}

/// The input formats articast reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// Plain text: one paragraph per line or per blank-line-separated group.
    Text,
    /// CommonMark with optional YAML (`---`) or TOML (`+++`) front matter.
    Markdown,
    /// An HTML page: the article is extracted from its clutter.
    Html,
    /// An EPUB book: chapters in spine order.
    Epub,
}

impl InputFormat {
    /// Guesses the format from a file name's extension; unknown extensions read as text.
    pub fn from_path(path: &Path) -> InputFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("md" | "markdown" | "mdown" | "mkd") => InputFormat::Markdown,
            Some("html" | "htm" | "xhtml") => InputFormat::Html,
            Some("epub") => InputFormat::Epub,
            _ => InputFormat::Text,
        }
    }

    /// Guesses the format from the content: an HTML doctype or `<html>` near the start,
    /// front matter, or Markdown headings; text otherwise. Used for standard input and
    /// files whose extension says nothing.
    pub fn sniff(text: &str) -> InputFormat {
        let head: String = text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .take(512)
            .collect::<String>()
            .to_ascii_lowercase();
        if head.starts_with("<!doctype html")
            || head.starts_with("<html")
            || head.contains("<body")
            || (head.starts_with('<') && head.contains("<head"))
        {
            InputFormat::Html
        } else if head.starts_with("---\n")
            || head.starts_with("+++\n")
            || text
                .lines()
                .any(|l| l.starts_with("# ") || l.starts_with("## "))
        {
            InputFormat::Markdown
        } else {
            InputFormat::Text
        }
    }
}

/// Why an article could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file at fault.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// The path names a directory.
    #[error("{path} is a directory; give an article file")]
    IsDirectory {
        /// The directory given.
        path: PathBuf,
    },
    /// The file is larger than [`MAX_INPUT_BYTES`].
    #[error("{path} is {size} bytes, more than the {max} bytes articast reads; split the article")]
    TooLarge {
        /// The file at fault.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The file holds binary data rather than text.
    #[error("{path} looks like a binary file ({reason}); give a text, Markdown or HTML article")]
    Binary {
        /// The file at fault.
        path: PathBuf,
        /// What gave it away.
        reason: String,
    },
    /// Nothing speakable is left after parsing and cleaning.
    #[error("{path} has no text to read{hint}")]
    Empty {
        /// The file at fault.
        path: PathBuf,
        /// Extra advice, starting with "; " when present.
        hint: String,
    },
    /// An EPUB that cannot be read safely.
    #[error("{path}: {message}")]
    Epub {
        /// The book.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A page could not be fetched.
    #[error(transparent)]
    Fetch(#[from] crate::fetch::FetchError),
    /// Front matter that could not be parsed.
    #[error("{path}:{line}: invalid front matter: {message}")]
    FrontMatter {
        /// The file at fault.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What the parser said.
        message: String,
    },
}

/// What [`load`] returns besides the document: warnings and the cleaning report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LoadReport {
    /// Non-fatal problems worth telling the user (e.g. a legacy encoding was assumed).
    pub warnings: Vec<String>,
    /// What cleaning removed.
    pub clean: CleanReport,
}

/// Reads, parses and cleans an article file (or standard input when `path` is `-`).
pub fn load(
    path: &Path,
    format: Option<InputFormat>,
    options: &CleanOptions,
) -> Result<(Document, LoadReport), IngestError> {
    if let Some(url) = path.to_str().filter(|p| crate::fetch::is_url(p)) {
        return load_url(url, format, options);
    }
    let bytes = read_source(path).map_err(|e| e.named(path))?;
    let format = format.unwrap_or_else(|| match InputFormat::from_path(path) {
        // A ZIP signature with the EPUB mimetype entry first, whatever the name.
        _ if bytes.starts_with(b"PK\x03\x04")
            && bytes.get(30..58) == Some(b"mimetypeapplication/epub+zip") =>
        {
            InputFormat::Epub
        }
        // An extension that says nothing (or standard input): look at the content.
        InputFormat::Text => InputFormat::sniff(&String::from_utf8_lossy(
            &bytes[..bytes.len().min(64 * 1024)],
        )),
        known => known,
    });
    parse_bytes(&bytes, path, format, options)
}

/// Fetches a page and reads it: its format from `format`, else the server's media type,
/// else its address and content; its charset from the server when the page does not
/// declare one.
pub fn load_url(
    url: &str,
    format: Option<InputFormat>,
    options: &CleanOptions,
) -> Result<(Document, LoadReport), IngestError> {
    let page = match crate::fetch::get(url, &Default::default())? {
        crate::fetch::Fetched::Body(page) => page,
        // No validators were sent: a 304 is the server's mistake.
        crate::fetch::Fetched::NotModified => {
            return Err(crate::fetch::FetchError::status(url, 304).into())
        }
    };
    parse_page(&page, format, options)
}

/// Reads a fetched page (see [`load_url`]).
pub fn parse_page(
    page: &crate::fetch::Page,
    format: Option<InputFormat>,
    options: &CleanOptions,
) -> Result<(Document, LoadReport), IngestError> {
    let source = Path::new(&page.url);
    let by_type = page.media_type.as_deref().and_then(|m| match m {
        "text/html" | "application/xhtml+xml" => Some(InputFormat::Html),
        "text/markdown" | "text/x-markdown" => Some(InputFormat::Markdown),
        "application/epub+zip" => Some(InputFormat::Epub),
        _ => None,
    });
    let format = format.or(by_type).unwrap_or_else(|| {
        InputFormat::sniff(&String::from_utf8_lossy(
            &page.body[..page.body.len().min(64 * 1024)],
        ))
    });
    // A charset the server names applies when the bytes are not UTF-8 already.
    let transcoded = match page.charset.as_deref() {
        Some(label) if std::str::from_utf8(&page.body).is_err() && format != InputFormat::Epub => {
            encoding_rs::Encoding::for_label(label.as_bytes())
                .map(|enc| enc.decode(&page.body).0.into_owned().into_bytes())
        }
        _ => None,
    };
    let bytes = transcoded.as_deref().unwrap_or(&page.body);
    parse_bytes(bytes, source, format, options)
}

impl IngestError {
    /// The same error with standard input (`-`) called by its name in the message.
    fn named(mut self, source: &Path) -> IngestError {
        if source.as_os_str() == "-" {
            let named = PathBuf::from("standard input");
            match &mut self {
                IngestError::Read { path, .. }
                | IngestError::IsDirectory { path }
                | IngestError::TooLarge { path, .. }
                | IngestError::Binary { path, .. }
                | IngestError::Empty { path, .. }
                | IngestError::Epub { path, .. }
                | IngestError::FrontMatter { path, .. } => *path = named,
                IngestError::Fetch(_) => {}
            }
        }
        self
    }
}

/// Parses and cleans an article already in memory; `source` names it in errors.
pub fn parse_bytes(
    bytes: &[u8],
    source: &Path,
    format: InputFormat,
    options: &CleanOptions,
) -> Result<(Document, LoadReport), IngestError> {
    parse_named(bytes, source, format, options).map_err(|e| e.named(source))
}

fn parse_named(
    bytes: &[u8],
    source: &Path,
    format: InputFormat,
    options: &CleanOptions,
) -> Result<(Document, LoadReport), IngestError> {
    if format == InputFormat::Epub {
        let mut doc = epub::parse(bytes, source)?;
        doc.meta.source = source.to_path_buf();
        let report = LoadReport {
            clean: clean::clean(&mut doc, options),
            ..LoadReport::default()
        };
        return finish(doc, report, source);
    }
    let decoded = decode::decode(bytes, source)?;
    let mut report = LoadReport::default();
    report
        .warnings
        .extend(decoded.warning.map(|w| match w.strip_prefix("-:") {
            Some(rest) if source.as_os_str() == "-" => format!("standard input:{rest}"),
            _ => w,
        }));
    let mut doc = match format {
        InputFormat::Text => text::parse(&decoded.text),
        InputFormat::Markdown => markdown::parse(&decoded.text, source)?,
        InputFormat::Html => {
            let (doc, warnings) = html::parse_with_warnings(&decoded.text);
            let name = display_path(source);
            report
                .warnings
                .extend(warnings.into_iter().map(|w| format!("{name}: {w}")));
            doc
        }
        InputFormat::Epub => unreachable!("handled above"),
    };
    doc.meta.source = source.to_path_buf();
    report.clean = if format == InputFormat::Text {
        clean::clean_scrape(&mut doc, options)
    } else {
        clean::clean(&mut doc, options)
    };
    finish(doc, report, source)
}

/// Fills the title from the first heading and refuses a document with nothing to read.
fn finish(
    mut doc: Document,
    report: LoadReport,
    source: &Path,
) -> Result<(Document, LoadReport), IngestError> {
    if doc.meta.title.is_none() {
        doc.meta.title = doc
            .blocks
            .iter()
            .find(|b| b.kind.is_heading())
            .map(|b| b.text.clone());
    }
    if !doc.blocks.iter().any(|b| b.kind != BlockKind::Code) {
        let dropped = &report.clean.dropped;
        let only = |reason| !dropped.is_empty() && dropped.iter().all(|d| d.reason == reason);
        let hint = if dropped.is_empty() {
            "; the file is empty, only whitespace, or holds no readable text".to_string()
        } else if only(clean::DropReason::EmptyHeading) {
            "; it holds headings but no text under them".to_string()
        } else if dropped
            .iter()
            .any(|d| d.reason == clean::DropReason::Duplicate)
        {
            "; everything in it was dropped as repeats, residue or headings without body (--keep-duplicates reads repeats)"
                .to_string()
        } else {
            "; everything in it was dropped as navigation residue or headings without body"
                .to_string()
        };
        return Err(IngestError::Empty {
            path: source.to_path_buf(),
            hint,
        });
    }
    Ok((doc, report))
}

fn read_source(path: &Path) -> Result<Vec<u8>, IngestError> {
    use std::io::Read;
    let read_err = |source| IngestError::Read {
        path: path.to_path_buf(),
        source,
    };
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read_err)?;
        check_size(path, bytes.len() as u64)?;
        return Ok(bytes);
    }
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.is_dir() {
        return Err(IngestError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    check_size(path, meta.len())?;
    std::fs::read(path).map_err(read_err)
}

fn check_size(path: &Path, size: u64) -> Result<(), IngestError> {
    if size > MAX_INPUT_BYTES {
        return Err(IngestError::TooLarge {
            path: path.to_path_buf(),
            size,
            max: MAX_INPUT_BYTES,
        });
    }
    Ok(())
}

/// Folds runs of whitespace (including no-break spaces and line breaks) into single
/// spaces and trims the ends. Shared by the parsers so block text compares reliably.
pub fn fold_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() && !is_number_space(c)) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// No-break spaces are kept as they are: French typography uses them inside numbers
/// (`1 500`) and before punctuation, and the normalizer reads them.
fn is_number_space(c: char) -> bool {
    matches!(c, '\u{00A0}' | '\u{202F}')
}

/// Words in `text`, for the length rules of the readers and the cleaner. Scripts
/// written without spaces (Chinese, Japanese) count one word per two characters, about
/// what a word is in them, so that their paragraphs are not taken for menu lines.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .map(|token| {
            let unspaced = token.chars().filter(|&c| is_unspaced_script(c)).count();
            if unspaced == 0 {
                1
            } else {
                unspaced.div_ceil(2)
            }
        })
        .sum()
}

/// Whether `c` is written in a script without spaces between words (Han, kana).
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// Characters that end a sentence, in the scripts articast may meet in a page.
pub const SENTENCE_ENDS: &[char] = &['.', '!', '?', '…', '。', '！', '？'];

/// Whether `text` ends like a sentence, closing quotes and brackets aside.
pub fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .trim_end_matches(['"', '”', '»', ')', '’', '\''])
        .ends_with(SENTENCE_ENDS)
}

/// Whether `text` is a whole sentence: more than six words ending like one. The
/// furniture and boilerplate rules never take a sentence for a button or a prompt.
pub fn is_sentence(text: &str) -> bool {
    word_count(text) > 6 && ends_sentence(text)
}

/// 1-based line number of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
