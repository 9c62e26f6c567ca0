//! Page furniture in plain-text scrapes, measured on real scrapes nobody on the team
//! wrote: the full visible text of the 181 ScrapingHub benchmark pages as the `html-text`
//! library dumps them (`benches/pages/scrapinghub/scrapes.json`), every line marked by
//! the benchmark's human-annotated article bodies: a line whose words run inside the
//! page's annotated body is article, any other line is furniture (menus, sign-in and
//! subscription prompts, share bars, footers, related links, cookie notices).
//!
//! The scrapes are read as plain text by articast (`document::text` then `clean`) and
//! scored per line: precision (of the lines dropped, the share that was furniture) and
//! recall (of the furniture lines, the share dropped), also weighted by words; the
//! share of article lines kept; and the word 4-gram shingle F1 of what is left against
//! the annotated body (the extraction benchmark's metric), next to the scrape read
//! with no cleaning at all.
//!
//! It also scores the full-page text of the 94 Readability test pages
//! (`benches/pages/readability/scrapes.json`, lines marked by Readability.js's output),
//! their French pages alone, the same French pages with their lines marked by hand
//! (`french-marks.json`), and the pages of sites with three pages or more read one by
//! one and as a batch per site (the batch's recurring-line signal).
//!
//! Run with `cargo bench --bench scrapes`; `ARTICAST_BENCH_SHOW=N` prints the first N
//! wrong calls of each kind. Figures are printed, never asserted.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use std::sync::Arc;

use articast::document::recurring::{self, RecurringLines};
use articast::document::{clean, text};
use articast::language::{detect, Language};

mod shingles;
use shingles::{matching, page_f1, scores, tokens};

#[derive(serde::Deserialize)]
struct Body {
    #[serde(rename = "articleBody")]
    article_body: String,
}

#[derive(serde::Deserialize)]
struct Wrapped {
    output: HashMap<String, Body>,
}

/// One scrape line with its mark.
struct Line<'a> {
    text: &'a str,
    words: usize,
    article: bool,
}

/// Marks the lines of `scrape` against the annotated `body` by aligning them in order:
/// a line is article when its words occur in the body after the previous article line
/// (short lines, under four words, only within a few words of it: "health" or "2" occur
/// somewhere in most bodies, but a one-word line of the article continues it).
fn mark<'a>(scrape: &'a str, body: &str) -> Vec<Line<'a>> {
    let reference = tokens(body);
    let mut at = 0;
    scrape
        .lines()
        .map(|line| {
            let words = tokens(line);
            let found = if words.is_empty() {
                None
            } else {
                let reach = if words.len() < 4 {
                    (at + words.len() + 8).min(reference.len())
                } else {
                    reference.len()
                };
                (at..reach.saturating_sub(words.len() - 1))
                    .find(|&i| reference[i..].starts_with(&words))
            };
            if let Some(i) = found {
                at = i + words.len();
            }
            Line {
                text: line,
                words: words.len(),
                article: found.is_some(),
            }
        })
        .collect()
}

/// For each line of `scrape`, whether articast's plain-text reader keeps it.
fn kept_lines(scrape: &str, options: &clean::CleanOptions) -> Vec<bool> {
    let mut doc = text::parse(scrape);
    clean::clean_scrape(&mut doc, options);
    let mut kept = vec![false; scrape.lines().count()];
    let starts: Vec<usize> = scrape
        .split_inclusive('\n')
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len();
            Some(start)
        })
        .collect();
    for block in &doc.blocks {
        for (i, &start) in starts.iter().enumerate() {
            if start >= block.span.start && start < block.span.end.max(block.span.start + 1) {
                kept[i] = true;
            }
        }
    }
    kept
}

#[derive(Default)]
struct Tally {
    dropped: usize,
    dropped_furniture: usize,
    furniture: usize,
    dropped_words: usize,
    dropped_furniture_words: usize,
    furniture_words: usize,
    article: usize,
    article_kept: usize,
}

/// One real scrape with its reference article text and the site it comes from.
struct Page {
    scrape: String,
    body: String,
    site: String,
    /// Article lines marked by hand (1-based), instead of by alignment with `body`.
    hand: Option<Vec<usize>>,
}

/// "72,76-146" as the line numbers it names.
fn line_ranges(spec: &str) -> Vec<usize> {
    spec.split(',')
        .flat_map(|part| {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let (a, b): (usize, usize) = (a.trim().parse().unwrap(), b.trim().parse().unwrap());
            a..=b
        })
        .collect()
}

/// A way of reading a scrape: no cleaning, or the cleaner with these options for a page.
type Variant<'a> = (&'a str, Option<&'a dyn Fn(&Page) -> clean::CleanOptions>);

/// Scores each variant on `pages` and prints a table; returns each variant's per-page
/// matches.
fn evaluate(title: &str, pages: &[Page], variants: &[Variant], show: usize) {
    println!("\n{title}");
    println!(
        "{:<34} {:>9} {:>7} {:>9} {:>7} {:>8} {:>7} {:>9}",
        "reader", "precision", "recall", "P words", "R words", "art.kept", "F1", "ms/page"
    );
    let mut per_variant: Vec<Vec<(f64, f64, f64)>> = Vec::new();
    for (name, options) in variants {
        let mut tally = Tally::default();
        let mut matches = Vec::new();
        let (mut shown_fp, mut shown_fn) = (0, 0);
        let mut secs = 0.0;
        for page in pages {
            let (scrape, body) = (&page.scrape, &page.body);
            let mut lines = mark(scrape, body);
            if let Some(hand) = &page.hand {
                for (i, line) in lines.iter_mut().enumerate() {
                    line.article = hand.contains(&(i + 1));
                }
            }
            let t = Instant::now();
            let kept = match options {
                Some(o) => kept_lines(scrape, &o(page)),
                None => vec![true; lines.len()],
            };
            secs += t.elapsed().as_secs_f64();
            let mut left = String::new();
            for (line, &keep) in lines.iter().zip(&kept) {
                if line.words == 0 {
                    continue;
                }
                if keep {
                    left.push_str(line.text);
                    left.push('\n');
                }
                if line.article {
                    tally.article += 1;
                    tally.article_kept += usize::from(keep);
                    if !keep && shown_fp < show {
                        shown_fp += 1;
                        println!("  article line dropped: {}", line.text);
                    }
                } else {
                    tally.furniture += 1;
                    tally.furniture_words += line.words;
                    if keep && shown_fn < show {
                        shown_fn += 1;
                        println!("  furniture kept: {}", line.text);
                    }
                }
                if !keep {
                    tally.dropped += 1;
                    tally.dropped_words += line.words;
                    if !line.article {
                        tally.dropped_furniture += 1;
                        tally.dropped_furniture_words += line.words;
                    }
                }
            }
            matches.push(matching(body, &left));
        }
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let (f1, _, _) = scores(&matches);
        println!(
            "{name:<34} {:>9.3} {:>7.3} {:>9.3} {:>7.3} {:>8.3} {:>7.3} {:>9.2}",
            ratio(tally.dropped_furniture, tally.dropped),
            ratio(tally.dropped_furniture, tally.furniture),
            ratio(tally.dropped_furniture_words, tally.dropped_words),
            ratio(tally.dropped_furniture_words, tally.furniture_words),
            ratio(tally.article_kept, tally.article),
            f1,
            secs * 1000.0 / pages.len().max(1) as f64
        );
        per_variant.push(matches);
    }
    let (raw, cleaned) = (&per_variant[0], &per_variant[1]);
    let worse = raw
        .iter()
        .zip(cleaned)
        .filter(|(r, c)| page_f1(**c) + 0.01 < page_f1(**r))
        .count();
    let better = raw
        .iter()
        .zip(cleaned)
        .filter(|(r, c)| page_f1(**c) > page_f1(**r) + 0.01)
        .count();
    println!("cleaning raised the page's F1 on {better} scrapes and lowered it on {worse}");
}

/// The pages of one set: `truth` (ground-truth or expected) and `scrapes` files.
fn load(dir: &str, truth: &str) -> Vec<(String, Page)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/pages")
        .join(dir);
    let read = |name: &str| std::fs::read_to_string(root.join(name)).expect("benchmark file");
    let truth: HashMap<String, Body> = serde_json::from_str(&read(truth)).expect("valid reference");
    let scrapes: Wrapped = serde_json::from_str(&read("scrapes.json")).expect("valid scrapes");
    let mut names: Vec<&String> = truth.keys().collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|name| {
            let scrape = scrapes.output.get(name)?.article_body.clone();
            // "nytimes-3" is a page of the site "nytimes".
            let site = match name.rsplit_once('-') {
                Some((site, n)) if n.chars().all(|c| c.is_ascii_digit()) => site,
                _ => name,
            };
            Some((
                name.clone(),
                Page {
                    scrape,
                    body: truth[name].article_body.clone(),
                    site: site.to_string(),
                    hand: None,
                },
            ))
        })
        .collect()
}

fn main() {
    let show: usize = std::env::var("ARTICAST_BENCH_SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let default = |_: &Page| clean::CleanOptions::default();
    let cleaner: Variant = ("articast cleaner", Some(&default));
    let plain: Variant = ("no cleaning", None);

    let scrapinghub: Vec<Page> = load("scrapinghub", "ground-truth.json")
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    evaluate(
        &format!(
            "{} real scrapes: html-text full-page text of the ScrapingHub pages, lines marked \
             by their human-annotated bodies",
            scrapinghub.len()
        ),
        &scrapinghub,
        &[plain, cleaner],
        show,
    );

    let readability = load("readability", "expected.json");
    let pages: Vec<Page> = readability.into_iter().map(|(_, p)| p).collect();
    // A batch of one site's pages learns what recurs on them (sites with 3 pages or more).
    let mut by_site: HashMap<&str, Vec<&str>> = HashMap::new();
    for page in &pages {
        by_site.entry(&page.site).or_default().push(&page.scrape);
    }
    let learned: HashMap<&str, Arc<RecurringLines>> = by_site
        .iter()
        .map(|(site, texts)| {
            (
                *site,
                Arc::new(RecurringLines::learn(texts.iter().copied())),
            )
        })
        .collect();
    let in_batch = |page: &Page| clean::CleanOptions {
        recurring: learned.get(page.site.as_str()).cloned(),
        ..clean::CleanOptions::default()
    };
    let batch: Variant = ("articast cleaner in a batch by site", Some(&in_batch));
    let batched: Vec<Page> = pages
        .iter()
        .filter(|p| by_site[p.site.as_str()].len() >= recurring::MIN_ARTICLES)
        .map(|p| Page {
            scrape: p.scrape.clone(),
            body: p.body.clone(),
            site: p.site.clone(),
            hand: None,
        })
        .collect();
    let sites = batched
        .iter()
        .map(|p| p.site.as_str())
        .collect::<std::collections::BTreeSet<_>>();
    evaluate(
        &format!(
            "{} real scrapes: html-text full-page text of the Readability test pages, lines \
             marked by Readability.js's output",
            pages.len()
        ),
        &pages,
        &[plain, cleaner, batch],
        show,
    );
    evaluate(
        &format!(
            "{} of them from sites with 3 pages or more ({}), read one by one and as a batch \
             per site",
            batched.len(),
            sites.into_iter().collect::<Vec<_>>().join(", ")
        ),
        &batched,
        &[plain, cleaner, batch],
        show,
    );
    let french: Vec<Page> = pages
        .into_iter()
        .filter(|p| detect::detect_text(&p.body) == Some(Language::French))
        .collect();
    evaluate(
        &format!("{} of them in French", french.len()),
        &french,
        &[plain, cleaner],
        show,
    );
    // The same French scrapes, their lines marked by hand (french-marks.json).
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/pages/readability");
    let marks: HashMap<String, String> = serde_json::from_str(
        &std::fs::read_to_string(root.join("french-marks.json")).expect("french marks"),
    )
    .expect("valid marks");
    let hand: Vec<Page> = load("readability", "expected.json")
        .into_iter()
        .filter_map(|(name, page)| {
            let spec = marks.get(&name)?;
            Some(Page {
                hand: Some(line_ranges(spec)),
                ..page
            })
        })
        .collect();
    evaluate(
        &format!("{} French scrapes, their lines marked by hand", hand.len()),
        &hand,
        &[plain, cleaner],
        show,
    );
}
