//! Article extraction, compared on the fixture pages: articast's reader (furniture removed,
//! then `dom_smoothie`), `dom_smoothie` alone, and the `readability` crate. For each page
//! it prints whether the extracted text starts at the article's first paragraph and ends
//! at its last, how many known clutter strings leaked in, and the time per page.
//!
//! This is the evaluation behind the choice of extractor; run with
//! `cargo bench --bench extractors`. Figures are printed, not asserted.

use std::path::Path;
use std::time::Instant;

/// A fixture page and what a correct extraction looks like.
struct Case {
    file: &'static str,
    first: &'static str,
    last: &'static str,
    clutter: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        file: "fr-article.html",
        first: "Depuis 2015",
        last: "pas encore celle des usages.",
        clutter: &[
            "cookies",
            "Politique",
            "Rechercher",
            "Facebook",
            "Lire aussi",
            "newsletter",
            "commentaires",
            "Jean-Pierre",
            "plus lus",
            "Publicité",
            "même sujet",
            "droits réservés",
            "Urbanisme",
            "Publié le",
        ],
    },
    Case {
        file: "en-article.html",
        first: "In 1995",
        last: "who is allowed to use them?",
        clutter: &[
            "privacy",
            "Subscribe",
            "Share this",
            "Comments",
            "Great read",
            "Recommended",
            "Copyright",
            "correspondent",
        ],
    },
];

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
    for case in CASES {
        let html = std::fs::read_to_string(pages.join(case.file)).expect("fixture page");
        for (name, extract) in extractors {
            let text = extract(&html);
            let runs = 20;
            let started = Instant::now();
            for _ in 0..runs {
                std::hint::black_box(extract(&html));
            }
            let per_page = started.elapsed().as_secs_f64() / runs as f64;
            let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let starts = folded.starts_with(case.first);
            let ends = folded.ends_with(case.last);
            let leaks = case.clutter.iter().filter(|c| folded.contains(*c)).count();
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
