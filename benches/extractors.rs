//! Article extraction, compared on the fixture pages: articast's reader (furniture removed,
//! then `dom_smoothie`), `dom_smoothie` alone, and the `readability` crate. For each page
//! it prints whether the extracted text starts at the article's first paragraph and ends
//! at its last, how many known clutter strings leaked in, and the time per page.
//!
//! This is the evaluation behind the choice of extractor; run with
//! `cargo bench --bench extractors`. Figures are printed, not asserted.

use std::path::Path;
use std::time::Instant;

/// What a correct extraction of a fixture page looks like (from
/// `tests/fixtures/pages/expectations.toml`, shared with the reader's tests).
#[derive(serde::Deserialize)]
struct Case {
    file: String,
    first: String,
    last: String,
    clutter: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Expectations {
    page: Vec<Case>,
}

/// An extractor: page HTML in, article text out.
type Extractor = fn(&str) -> String;

fn articast(html: &str) -> String {
    let doc = articast::document::html::parse(html);
    doc.blocks
        .iter()
        .filter(|b| !b.kind.is_heading())
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn dom_smoothie_alone(html: &str) -> String {
    dom_smoothie::Readability::new(html, None, None)
        .ok()
        .and_then(|mut r| r.parse().ok())
        .map(|a| a.text_content.to_string())
        .unwrap_or_default()
}

fn readability_crate(html: &str) -> String {
    let url = url::Url::parse("https://example.org/article").expect("valid URL");
    readability::extractor::extract(&mut html.as_bytes(), &url)
        .map(|p| p.text)
        .unwrap_or_default()
}

fn main() {
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let extractors: [(&str, Extractor); 3] = [
        ("articast (clean + dom_smoothie)", articast),
        ("dom_smoothie alone", dom_smoothie_alone),
        ("readability 0.3", readability_crate),
    ];
    println!(
        "{:<34} {:<16} {:>6} {:>5} {:>8} {:>10}",
        "extractor", "page", "first", "last", "clutter", "time"
    );
    let expectations: Expectations = toml::from_str(
        &std::fs::read_to_string(pages.join("expectations.toml")).expect("expectations file"),
    )
    .expect("valid expectations");
    for case in &expectations.page {
        let html = std::fs::read_to_string(pages.join(&case.file)).expect("fixture page");
        for (name, extract) in extractors {
            let text = extract(&html);
            let runs = 20;
            let started = Instant::now();
            for _ in 0..runs {
                std::hint::black_box(extract(&html));
            }
            let per_page = started.elapsed().as_secs_f64() / runs as f64;
            let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let starts = folded.starts_with(&case.first);
            let ends = folded.ends_with(&case.last);
            let leaks = case
                .clutter
                .iter()
                .filter(|c| folded.contains(c.as_str()))
                .count();
            println!(
                "{name:<34} {:<16} {:>6} {:>5} {:>4}/{:<3} {:>8.2} ms",
                case.file,
                if starts { "yes" } else { "no" },
                if ends { "yes" } else { "no" },
                leaks,
                case.clutter.len(),
                per_page * 1000.0
            );
        }
    }
}
