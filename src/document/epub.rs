//! EPUB books: chapters in spine order become chapters of one episode, metadata comes
//! from the package document (OPF).
//!
//! An EPUB is a ZIP archive, so it is read defensively: the archive, the number of
//! entries, each entry's size and the total read are capped, a suspicious compression
//! ratio (a "zip bomb") is refused, sizes are enforced on the bytes actually read (not
//! on what headers claim), and references that climb out of the archive (`../`) are
//! refused. Nothing is ever extracted to disk.

use std::io::{Cursor, Read};
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::{html, Block, BlockKind, Document, IngestError, Meta};

/// Most entries an EPUB may have.
pub const MAX_ENTRIES: usize = 10_000;
/// Largest entry read, uncompressed.
pub const MAX_ENTRY_BYTES: u64 = 32 * 1024 * 1024;
/// Most bytes read from one EPUB, uncompressed.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// Highest compression ratio accepted for an entry larger than 1 MB.
pub const MAX_RATIO: u64 = 200;

fn bad(path: &Path, message: impl Into<String>) -> IngestError {
    IngestError::Epub {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Reads entries from the archive with the limits enforced.
struct Archive<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    path: &'a Path,
    total: u64,
}

impl<'a> Archive<'a> {
    fn open(bytes: &'a [u8], path: &'a Path) -> Result<Archive<'a>, IngestError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| bad(path, format!("not a valid EPUB (ZIP) archive: {e}")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(bad(
                path,
                format!(
                    "{} entries, more than the {MAX_ENTRIES} accepted",
                    zip.len()
                ),
            ));
        }
        Ok(Archive {
            zip,
            path,
            total: 0,
        })
    }

    /// The entry at `name`, as bytes.
    fn read(&mut self, name: &str) -> Result<Vec<u8>, IngestError> {
        let path = self.path;
        let mut entry = self.zip.by_name(name).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(why)
                if why == zip::result::ZipError::PASSWORD_REQUIRED =>
            {
                bad(
                    path,
                    "the book is encrypted (password-protected); articast reads only unencrypted EPUBs",
                )
            }
            zip::result::ZipError::FileNotFound => bad(path, format!("missing entry {name}")),
            other => bad(path, format!("cannot read entry {name}: {other}")),
        })?;
        let (size, compressed) = (entry.size(), entry.compressed_size().max(1));
        if size > MAX_ENTRY_BYTES {
            return Err(bad(
                path,
                format!("entry {name} is {size} bytes uncompressed, more than {MAX_ENTRY_BYTES}"),
            ));
        }
        if size > 1024 * 1024 && size / compressed > MAX_RATIO {
            return Err(bad(
                path,
                format!(
                    "entry {name} expands {}x (a zip bomb?); refused",
                    size / compressed
                ),
            ));
        }
        let budget = (MAX_ENTRY_BYTES + 1).min(MAX_TOTAL_BYTES - self.total + 1);
        let mut out = Vec::new();
        (&mut entry)
            .take(budget)
            .read_to_end(&mut out)
            .map_err(|e| bad(path, format!("cannot read {name}: {e}")))?;
        self.total += out.len() as u64;
        if out.len() as u64 > MAX_ENTRY_BYTES || self.total > MAX_TOTAL_BYTES {
            return Err(bad(path, format!("entry {name} is larger than its header says, or the book exceeds {MAX_TOTAL_BYTES} bytes")));
        }
        Ok(out)
    }
}

/// Resolves `href` relative to the folder of `base`, refusing to climb out of the archive.
fn resolve(base: &str, href: &str, path: &Path) -> Result<String, IngestError> {
    let href = href.split('#').next().unwrap_or("");
    let href = percent_decode(href);
    let mut parts: Vec<&str> = base
        .rsplit_once('/')
        .map_or(Vec::new(), |(dir, _)| dir.split('/').collect());
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(bad(
                        path,
                        format!("reference {href} points outside the book; refused"),
                    ));
                }
            }
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The parts of the package document articast uses.
#[derive(Debug, Default)]
struct Package {
    title: Option<String>,
    creator: Option<String>,
    language: Option<String>,
    date: Option<String>,
    description: Option<String>,
    /// (id, href, media type, properties)
    manifest: Vec<(String, String, String, String)>,
    /// (idref, linear)
    spine: Vec<(String, bool)>,
}

fn local_name(name: &[u8]) -> String {
    let name = String::from_utf8_lossy(name);
    name.rsplit(':').next().unwrap_or("").to_ascii_lowercase()
}

fn attrs(e: &quick_xml::events::BytesStart) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .map(|a| {
            (
                local_name(a.key.as_ref()),
                a.unescape_value()
                    .map(|v| v.into_owned())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

fn attr(list: &[(String, String)], name: &str) -> String {
    list.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn parse_package(xml: &str, path: &Path) -> Result<Package, IngestError> {
    let mut reader = Reader::from_str(xml);
    let mut package = Package::default();
    let mut text_of: Option<String> = None;
    let mut text = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = local_name(e.name().as_ref());
                if matches!(
                    name.as_str(),
                    "title" | "creator" | "language" | "date" | "description"
                ) {
                    text_of = Some(name);
                    text.clear();
                }
            }
            Ok(Event::Empty(e)) => {
                let name = local_name(e.name().as_ref());
                let a = attrs(&e);
                match name.as_str() {
                    "item" => package.manifest.push((
                        attr(&a, "id"),
                        attr(&a, "href"),
                        attr(&a, "media-type"),
                        attr(&a, "properties"),
                    )),
                    "itemref" => package
                        .spine
                        .push((attr(&a, "idref"), attr(&a, "linear") != "no")),
                    _ => {}
                }
            }
            Ok(Event::Text(t)) if text_of.is_some() => {
                text.push_str(&t.unescape().map(|v| v.into_owned()).unwrap_or_default());
            }
            Ok(Event::End(_)) => {
                if let Some(field) = text_of.take() {
                    let value = Some(super::fold_whitespace(&text)).filter(|v| !v.is_empty());
                    let slot = match field.as_str() {
                        "title" => &mut package.title,
                        "creator" => &mut package.creator,
                        "language" => &mut package.language,
                        "date" => &mut package.date,
                        _ => &mut package.description,
                    };
                    if slot.is_none() {
                        *slot = value;
                    }
                }
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(bad(path, format!("invalid package document: {e}"))),
            _ => {}
        }
    }
    Ok(package)
}

fn rootfile(container: &str, path: &Path) -> Result<String, IngestError> {
    let mut reader = Reader::from_str(container);
    loop {
        match reader.read_event() {
            Ok(Event::Empty(e)) | Ok(Event::Start(e))
                if local_name(e.name().as_ref()) == "rootfile" =>
            {
                let full = attr(&attrs(&e), "full-path");
                if !full.is_empty() {
                    return Ok(full);
                }
            }
            Ok(Event::Eof) => {
                return Err(bad(
                    path,
                    "META-INF/container.xml names no package document",
                ))
            }
            Err(e) => return Err(bad(path, format!("invalid META-INF/container.xml: {e}"))),
            _ => {}
        }
    }
}

/// Refuses a book whose chapters are encrypted (publisher DRM lists them in
/// `META-INF/encryption.xml`); obfuscated fonts, which the same file lists, are harmless.
fn refuse_drm(archive: &mut Archive, path: &Path) -> Result<(), IngestError> {
    let Ok(listing) = archive.read("META-INF/encryption.xml") else {
        return Ok(());
    };
    let listing = String::from_utf8_lossy(&listing).to_lowercase();
    let encrypted_text = listing
        .split("<cipherreference")
        .skip(1)
        .filter_map(|r| r.split("uri=").nth(1))
        .filter_map(|u| u.trim_start_matches(['"', '\'']).split(['"', '\'']).next())
        .any(|uri| {
            [".xhtml", ".html", ".htm", ".xml"]
                .iter()
                .any(|e| uri.ends_with(e))
        });
    if encrypted_text {
        return Err(bad(
            path,
            "the book is protected by DRM (its chapters are encrypted); articast reads only DRM-free EPUBs",
        ));
    }
    Ok(())
}

/// Reads an EPUB into a document: one chapter (a level-2 heading) per spine document.
pub fn parse(bytes: &[u8], path: &Path) -> Result<Document, IngestError> {
    let mut archive = Archive::open(bytes, path)?;
    let container = String::from_utf8_lossy(&archive.read("META-INF/container.xml")?).into_owned();
    refuse_drm(&mut archive, path)?;
    let opf_path = resolve("", &rootfile(&container, path)?, path)?;
    let opf = String::from_utf8_lossy(&archive.read(&opf_path)?).into_owned();
    let package = parse_package(&opf, path)?;
    let mut doc = Document {
        meta: Meta {
            title: package.title.clone(),
            author: package.creator.clone(),
            date: package.date.clone(),
            language: package.language.clone(),
            description: package.description.clone(),
            ..Meta::default()
        },
        blocks: Vec::new(),
    };
    let mut chapter = 0;
    for (idref, linear) in &package.spine {
        let Some((_, href, media, props)) = package.manifest.iter().find(|(id, ..)| id == idref)
        else {
            continue;
        };
        if !linear
            || props.split_whitespace().any(|p| p == "nav")
            || !(media.contains("html") || media.is_empty())
        {
            continue;
        }
        let name = resolve(&opf_path, href, path)?;
        let xhtml = String::from_utf8_lossy(&archive.read(&name)?).into_owned();
        let blocks = html::body_blocks(&xhtml);
        if blocks.iter().all(|(kind, _)| *kind == BlockKind::Code) {
            continue;
        }
        chapter += 1;
        // Every spine document is a chapter: it opens with a heading, its own or a
        // numbered one, and its headings sit below the book's title.
        if !blocks.first().is_some_and(|(kind, _)| kind.is_heading()) {
            let word = chapter_word(doc.meta.language.as_deref().unwrap_or(""));
            let title = format!("{word} {chapter}");
            doc.blocks
                .push(block(BlockKind::Heading { level: 2 }, title, chapter));
        }
        // The document's first heading is its chapter title, whatever its level (books
        // head chapters with <h1> or <h2> alike); the others keep their depth below it.
        let first_level = blocks.iter().find_map(|(kind, _)| match kind {
            BlockKind::Heading { level } => Some(*level),
            _ => None,
        });
        for (kind, text) in blocks {
            let kind = match (kind, first_level) {
                (BlockKind::Heading { level }, Some(first)) => BlockKind::Heading {
                    level: (2 + level.saturating_sub(first)).clamp(2, 6),
                },
                (other, _) => other,
            };
            doc.blocks.push(block(kind, text, chapter));
        }
    }
    if let Some(title) = &doc.meta.title {
        doc.blocks
            .insert(0, block(BlockKind::Heading { level: 1 }, title.clone(), 0));
    }
    Ok(doc)
}

/// A block; EPUB text has no single source line, so the chapter number stands in.
fn block(kind: BlockKind, text: String, chapter: usize) -> Block {
    Block {
        kind,
        text,
        span: 0..0,
        line: chapter,
    }
}

/// "Chapter" in the book's language (its BCP 47 tag, as the package declares it), for
/// spine documents without a heading of their own.
fn chapter_word(tag: &str) -> &'static str {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match primary.as_str() {
        "fr" => "Chapitre",
        "de" => "Kapitel",
        "es" => "Capítulo",
        _ => "Chapter",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    pub(crate) fn build_epub(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            let options = zip::write::SimpleFileOptions::default();
            for (name, data) in files {
                zip.start_file(*name, options).unwrap();
                zip.write_all(data).unwrap();
            }
            zip.finish().unwrap();
        }
        buf.into_inner()
    }

    const CONTAINER: &[u8] = br#"<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container" version="1.0"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#;

    fn opf(spine_href: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Le Livre</dc:title><dc:creator>Ana Auteur</dc:creator><dc:language>fr</dc:language><dc:date>2026-01-02</dc:date></metadata><manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/><item id="c1" href="{spine_href}" media-type="application/xhtml+xml"/><item id="c2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="nav"/><itemref idref="c1"/><itemref idref="c2"/></spine></package>"#
        )
        .into_bytes()
    }

    #[test]
    fn chapters_in_spine_order_with_metadata() {
        let epub = build_epub(&[
            ("mimetype", b"application/epub+zip"),
            ("META-INF/container.xml", CONTAINER),
            ("OEBPS/content.opf", &opf("text/ch1.xhtml")),
            ("OEBPS/nav.xhtml", b"<html><body><nav><ol><li>Table</li></ol></nav></body></html>"),
            ("OEBPS/text/ch1.xhtml", "<html><body><h1>Premier chapitre</h1><p>Il était une fois un texte.</p></body></html>".as_bytes()),
            ("OEBPS/text/ch2.xhtml", "<html><body><p>Un chapitre sans titre.</p></body></html>".as_bytes()),
        ]);
        let doc = parse(&epub, Path::new("b.epub")).unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("Le Livre"));
        assert_eq!(doc.meta.author.as_deref(), Some("Ana Auteur"));
        assert_eq!(doc.meta.language.as_deref(), Some("fr"));
        let blocks: Vec<(BlockKind, &str)> = doc
            .blocks
            .iter()
            .map(|b| (b.kind, b.text.as_str()))
            .collect();
        assert_eq!(
            blocks,
            vec![
                (BlockKind::Heading { level: 1 }, "Le Livre"),
                (BlockKind::Heading { level: 2 }, "Premier chapitre"),
                (BlockKind::Paragraph, "Il était une fois un texte."),
                (BlockKind::Heading { level: 2 }, "Chapitre 2"),
                (BlockKind::Paragraph, "Un chapitre sans titre."),
            ]
        );
    }

    #[test]
    fn chapters_headed_with_h2_are_chapters_and_keep_their_sections() {
        let epub = build_epub(&[
            ("META-INF/container.xml", CONTAINER),
            ("OEBPS/content.opf", &opf("text/ch1.xhtml")),
            ("OEBPS/text/ch1.xhtml", "<html><body><h2>One</h2><p>Il était une fois.</p><h3>Part</h3><p>Suite du texte.</p></body></html>".as_bytes()),
            ("OEBPS/text/ch2.xhtml", "<html><body><h2>Two</h2><p>Et puis la fin.</p></body></html>".as_bytes()),
        ]);
        let doc = parse(&epub, Path::new("b.epub")).unwrap();
        let headings: Vec<(BlockKind, &str)> = doc
            .blocks
            .iter()
            .filter(|b| b.kind.is_heading())
            .map(|b| (b.kind, b.text.as_str()))
            .collect();
        assert_eq!(
            headings,
            vec![
                (BlockKind::Heading { level: 1 }, "Le Livre"),
                (BlockKind::Heading { level: 2 }, "One"),
                (BlockKind::Heading { level: 3 }, "Part"),
                (BlockKind::Heading { level: 2 }, "Two"),
            ]
        );
    }

    /// Marks every entry of a ZIP as encrypted, as a password-protected archive is.
    fn mark_encrypted(mut zip: Vec<u8>) -> Vec<u8> {
        let mut i = 0;
        while i + 8 < zip.len() {
            match &zip[i..i + 4] {
                [0x50, 0x4b, 0x03, 0x04] => zip[i + 6] |= 1,
                [0x50, 0x4b, 0x01, 0x02] => zip[i + 8] |= 1,
                _ => {}
            }
            i += 1;
        }
        zip
    }

    #[test]
    fn encrypted_and_drm_books_are_named_so() {
        let plain = build_epub(&[
            ("META-INF/container.xml", CONTAINER),
            ("OEBPS/content.opf", &opf("text/ch1.xhtml")),
            (
                "OEBPS/text/ch1.xhtml",
                b"<html><body><p>Texte.</p></body></html>",
            ),
        ]);
        let err = parse(&mark_encrypted(plain), Path::new("b.epub"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("encrypted (password-protected)"), "{err}");
        let drm = build_epub(&[
            ("META-INF/container.xml", CONTAINER),
            ("META-INF/encryption.xml", br#"<encryption><EncryptedData><CipherData><CipherReference URI="OEBPS/text/ch1.xhtml"/></CipherData></EncryptedData></encryption>"#),
            ("OEBPS/content.opf", &opf("text/ch1.xhtml")),
            ("OEBPS/text/ch1.xhtml", b"\x8f\x01garbage"),
        ]);
        let err = parse(&drm, Path::new("b.epub")).unwrap_err().to_string();
        assert!(err.contains("protected by DRM"), "{err}");
        let fonts_only = build_epub(&[
            ("META-INF/container.xml", CONTAINER),
            ("META-INF/encryption.xml", br#"<encryption><EncryptedData><CipherData><CipherReference URI="OEBPS/fonts/a.otf"/></CipherData></EncryptedData></encryption>"#),
            ("OEBPS/content.opf", &opf("text/ch1.xhtml")),
            ("OEBPS/text/ch1.xhtml", b"<html><body><p>Texte lisible.</p></body></html>"),
            ("OEBPS/text/ch2.xhtml", b"<html><body><p>Suite.</p></body></html>"),
        ]);
        assert!(parse(&fonts_only, Path::new("b.epub")).is_ok());
    }

    #[test]
    fn path_traversal_is_refused() {
        let epub = build_epub(&[
            ("META-INF/container.xml", CONTAINER),
            ("OEBPS/content.opf", &opf("../../../etc/passwd")),
        ]);
        let err = parse(&epub, Path::new("b.epub")).unwrap_err().to_string();
        assert!(err.contains("outside the book"), "{err}");
    }

    #[test]
    fn zip_bombs_and_garbage_are_refused() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let mut buf = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            let deflate = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("META-INF/container.xml", deflate).unwrap();
            zip.write_all(CONTAINER).unwrap();
            zip.start_file("OEBPS/content.opf", deflate).unwrap();
            zip.write_all(&zeros).unwrap();
            zip.finish().unwrap();
        }
        let err = parse(&buf.into_inner(), Path::new("bomb.epub"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("zip bomb"), "{err}");
        let err = parse(b"not a zip at all", Path::new("x.epub"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a valid EPUB"), "{err}");
    }

    #[test]
    fn resolving_hrefs() {
        let p = Path::new("b.epub");
        assert_eq!(
            resolve("OEBPS/content.opf", "text/ch%201.xhtml#top", p).unwrap(),
            "OEBPS/text/ch 1.xhtml"
        );
        assert_eq!(
            resolve("OEBPS/content.opf", "../img/a.png", p).unwrap(),
            "img/a.png"
        );
        assert!(resolve("content.opf", "../x", p).is_err());
        assert_eq!(resolve("", "é%C3%A9%zz", p).unwrap(), "éé%zz");
    }
}
