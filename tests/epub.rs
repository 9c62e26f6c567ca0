//! End-to-end: an EPUB book becomes one episode, a chapter per spine document, tagged
//! from the package metadata.

mod common;

use std::io::Write;

use common::Env;
use predicates::prelude::*;

fn epub(path: &std::path::Path) {
    epub_with(path, "h1", &[]);
}

/// A two-chapter book whose chapter titles use `tag`, plus `extra` chapters (title, text).
fn epub_with(path: &std::path::Path, tag: &str, extra: &[(&str, &str)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut manifest = String::from(
        r#"<item id="a" href="one.xhtml" media-type="application/xhtml+xml"/><item id="b" href="two.xhtml" media-type="application/xhtml+xml"/>"#,
    );
    let mut spine = String::from(r#"<itemref idref="a"/><itemref idref="b"/>"#);
    for i in 0..extra.len() {
        manifest.push_str(&format!(
            r#"<item id="x{i}" href="x{i}.xhtml" media-type="application/xhtml+xml"/>"#
        ));
        spine.push_str(&format!(r#"<itemref idref="x{i}"/>"#));
    }
    let mut files: Vec<(String, String)> = [
        ("mimetype", "application/epub+zip".into()),
        ("META-INF/container.xml", r#"<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OPS/book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"#.into()),
        ("OPS/book.opf", r#"<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:x</dc:identifier><dc:title>Short Stories of Sound</dc:title><dc:creator>Lee Writer</dc:creator><dc:language>en</dc:language><dc:date>2025-05-06</dc:date></metadata><manifest>{manifest}</manifest><spine>{spine}</spine></package>"#.replace("{manifest}", &manifest).replace("{spine}", &spine)),
        ("OPS/one.xhtml", format!("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><{tag}>The First Story</{tag}><p>It was a quiet morning when the radio began to speak on its own.</p></body></html>")),
        ("OPS/two.xhtml", format!("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><{tag}>The Second Story</{tag}><p>Nobody in the village knew who had written the voices.</p></body></html>")),
    ]
    .into_iter()
    .map(|(n, d): (&str, String)| (n.to_string(), d))
    .collect();
    for (i, (title, text)) in extra.iter().enumerate() {
        files.push((format!("OPS/x{i}.xhtml"), format!("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><{tag}>{title}</{tag}><p>{text}</p></body></html>")));
    }
    for (name, data) in files {
        zip.start_file(name, stored).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn epub_to_mp3_with_chapters_and_metadata() {
    let env = Env::new();
    let book = env.path("book.epub");
    epub(&book);
    let out = env.path("book.mp3");
    let summary = env.render(&book, &out, &[]);
    assert_eq!(summary["language"], "en");
    let titles = common::chapter_titles(&summary);
    assert_eq!(
        titles,
        vec![
            "Short Stories of Sound",
            "The First Story",
            "The Second Story"
        ]
    );
    use id3::TagLike;
    let tag = id3::Tag::read_from_path(&out).unwrap();
    assert_eq!(tag.title(), Some("Short Stories of Sound"));
    assert_eq!(tag.artist(), Some("Lee Writer"));
    assert_eq!(tag.date_recorded().map(|d| d.year), Some(2025));
    assert_eq!(tag.chapters().count(), 3);
}

#[test]
fn a_corrupt_epub_is_refused_clearly() {
    let env = Env::new();
    let book = env.path("broken.epub");
    std::fs::write(&book, b"PK\x03\x04 this is not really a zip").unwrap();
    env.cmd()
        .args(["render", "--engine", "builtin", "-o"])
        .arg(env.path("x.mp3"))
        .arg(&book)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "broken.epub: not a valid EPUB (ZIP) archive",
        ));
    assert!(!env.path("x.mp3").exists());
}

#[test]
fn split_chapters_gives_one_episode_per_chapter() {
    let env = Env::new();
    let book = env.path("book.epub");
    epub(&book);
    let out = env.path("book.mp3");
    let assert = env
        .cmd()
        .args([
            "render",
            "--engine",
            "builtin",
            "--json",
            "--split-chapters",
            "-o",
        ])
        .arg(&out)
        .arg(&book)
        .assert()
        .success();
    let summaries: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    // One episode per real chapter: the book's title is not an episode of its own.
    assert_eq!(summaries.as_array().unwrap().len(), 2);
    use id3::TagLike;
    let first = id3::Tag::read_from_path(env.path("book-01.mp3")).unwrap();
    assert_eq!(first.title(), Some("The First Story"));
    assert_eq!(first.album(), Some("Short Stories of Sound"));
    assert_eq!((first.track(), first.total_tracks()), (Some(1), Some(2)));
    assert!(env.path("book-02.vtt").exists());
    assert!(!env.path("book-03.mp3").exists());
    assert!(!out.exists(), "no unsplit episode");
    // The book's title is spoken at the start of the first episode only.
    let opening = std::fs::read_to_string(env.path("book-01.transcript.txt")).unwrap();
    assert!(opening.starts_with("Short Stories of Sound"), "{opening}");
    let second = std::fs::read_to_string(env.path("book-02.transcript.txt")).unwrap();
    assert!(second.starts_with("The Second Story"), "{second}");
}

#[test]
fn h2_chapters_split_and_a_short_closing_chapter_is_kept() {
    let env = Env::new();
    let book = env.path("book.epub");
    epub_with(&book, "h2", &[("The End", "Thanks for reading. Bye.")]);
    let out = env.path("book.mp3");
    let summary = env.render(&book, &out, &[]);
    assert_eq!(
        common::chapter_titles(&summary),
        vec![
            "Short Stories of Sound",
            "The First Story",
            "The Second Story",
            "The End"
        ]
    );
    let assert = env
        .cmd()
        .args([
            "render",
            "--engine",
            "builtin",
            "--json",
            "--split-chapters",
        ])
        .args(["--title", "Sound Stories", "-o"])
        .arg(&out)
        .arg(&book)
        .assert()
        .success();
    let summaries: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(summaries.as_array().unwrap().len(), 3);
    use id3::TagLike;
    let last = id3::Tag::read_from_path(env.path("book-03.mp3")).unwrap();
    assert_eq!(last.title(), Some("The End"));
    assert_eq!(
        last.album(),
        Some("Sound Stories"),
        "--title names the book"
    );
}
