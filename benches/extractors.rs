//! Article extraction, measured on real pages nobody on the team wrote
//! (`benches/pages/`, see its SOURCES.md): the 181 pages of the ScrapingHub article
//! extraction benchmark with their human-annotated article bodies, and the real pages
//! of Mozilla Readability's test suite with Readability.js's output as the reference.
//!
//! Every extractor gets the same decoded page and is scored the way the ScrapingHub
//! benchmark scores (its `evaluate.py`): word 4-gram shingles of the extracted text
//! against the reference's, true and false positives and negatives normalized per page,
//! precision and recall averaged over pages, F1 from the two averages. Also printed:
//! pages where the extractor returned nothing, and the time per page.
//!
//! Extractors: articast's reader (the whole reading path a user gets: furniture removal,
//! extraction, fallbacks, residue clean-up), `dom_smoothie` alone (the Readability.js
//! port articast builds on), the `readability` crate, the `trafilatura` crate (a port of
//! go-trafilatura) and `rs-trafilatura`; and Python's trafilatura, the best-known
//! general-purpose extractor, when `python3 -c "import trafilatura"` works (`pip install
//! trafilatura`), run over the same pages in the same run.
//!
//! Run with `cargo bench --bench extractors`; `ARTICAST_BENCH_WORST=N` lists articast's
//! N worst pages per set. Figures are printed, never asserted.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use articast::document::{self, BlockKind, InputFormat};

mod shingles;
use shingles::{matching, page_f1, precision, recall, scores, tokens};

/// One page with its reference article text.
struct Page {
    set: &'static str,
    name: String,
    path: PathBuf,
    html: String,
    reference: String,
}

/// An extractor: page HTML in, article text out (empty when it gives up).
type Extractor = fn(&str) -> String;

/// The reference file of a set: `{ name: { "articleBody": text, ... } }`.
#[derive(serde::Deserialize)]
struct Reference {
    #[serde(rename = "articleBody")]
    article_body: String,
}

fn load_set(root: &Path, set: &'static str, reference_file: &str) -> Vec<Page> {
    let dir = root.join(set);
    let refs: HashMap<String, Reference> = serde_json::from_str(
        &std::fs::read_to_string(dir.join(reference_file)).expect("reference file"),
    )
    .expect("valid reference JSON");
    let mut names: Vec<&String> = refs.keys().collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let path = dir.join("html").join(format!("{name}.html.gz"));
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("page file"))
                .read_to_end(&mut bytes)
                .expect("gzip page");
            let html = document::decode::decode(&bytes, &path)
                .expect("page is text")
                .text;
            Page {
                set,
                name: name.clone(),
                path,
                html,
                reference: refs[name].article_body.clone(),
            }
        })
        .collect()
}

fn articast(html: &str) -> String {
    let options = document::clean::CleanOptions::default();
    match document::parse_bytes(
        html.as_bytes(),
        Path::new("page.html"),
        InputFormat::Html,
        &options,
    ) {
        Ok((doc, _)) => doc
            .blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Code)
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        Err(_) => String::new(),
    }
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

fn trafilatura_crate(html: &str) -> String {
    trafilatura::extract(html, &trafilatura::Options::default())
        .map(|r| r.content_text)
        .unwrap_or_default()
}

fn rs_trafilatura(html: &str) -> String {
    rs_trafilatura::extract(html)
        .map(|r| r.content_text)
        .unwrap_or_default()
}

/// Python trafilatura over every page in one process, or `None` when it is not
/// installed. The page files are read by the script itself (gzip, UTF-8).
fn python_trafilatura(pages: &[Page]) -> Option<(Vec<String>, f64)> {
    let probe = Command::new("python3")
        .args(["-c", "import trafilatura; print(trafilatura.__version__)"])
        .output()
        .ok()?;
    if !probe.status.success() {
        return None;
    }
    let script = r#"
import gzip, json, sys, time, trafilatura
paths = json.load(sys.stdin)
out, start = [], time.perf_counter()
for p in paths:
    html = gzip.open(p, "rt", encoding="utf-8", errors="replace").read()
    out.append(trafilatura.extract(html) or "")
json.dump({"texts": out, "secs": time.perf_counter() - start}, sys.stdout)
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let paths: Vec<&Path> = pages.iter().map(|p| p.path.as_path()).collect();
    let input = serde_json::to_vec(&paths).ok()?;
    let mut stdin = child.stdin.take()?;
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &input));
    let output = child.wait_with_output().ok()?;
    writer.join().ok()?.ok()?;
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    let texts = answer["texts"]
        .as_array()?
        .iter()
        .map(|t| t.as_str().unwrap_or_default().to_string())
        .collect();
    let version = String::from_utf8_lossy(&probe.stdout).trim().to_string();
    println!("(Python trafilatura {version} found; run over the same pages)");
    Some((texts, answer["secs"].as_f64()?))
}

/// Prints one extractor's line for each set and for all pages together; returns its
/// per-page matches.
fn report(name: &str, pages: &[Page], texts: &[String], secs: f64) -> Vec<(f64, f64, f64)> {
    let results: Vec<(f64, f64, f64)> = pages
        .iter()
        .zip(texts)
        .map(|(page, text)| matching(&page.reference, text))
        .collect();
    for set in ["scrapinghub", "readability", "all"] {
        let chosen: Vec<usize> = (0..pages.len())
            .filter(|&i| set == "all" || pages[i].set == set)
            .collect();
        let picked: Vec<_> = chosen.iter().map(|&i| results[i]).collect();
        let (f1, p, r) = scores(&picked);
        let empty = chosen
            .iter()
            .filter(|&&i| tokens(&texts[i]).is_empty())
            .count();
        println!(
            "{name:<30} {set:<12} {:>5} {f1:>7.3} {p:>9.3} {r:>7.3} {empty:>6}",
            chosen.len()
        );
    }
    println!(
        "{name:<30} {:<12} {:>5.1} ms per page",
        "time",
        secs * 1000.0 / pages.len() as f64
    );
    results
}

/// Writes each page's extracted text to `dir/EXTRACTOR/SET/PAGE.txt`, and the
/// reference beside them once, to read what an extractor got wrong.
fn dump(dir: &Path, extractor: &str, pages: &[Page], texts: &[String]) {
    let slug: String = extractor
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    for (page, text) in pages.iter().zip(texts) {
        for (who, body) in [(slug.as_str(), text), ("reference", &page.reference)] {
            let folder = dir.join(who).join(page.set);
            std::fs::create_dir_all(&folder).expect("dump folder");
            std::fs::write(folder.join(format!("{}.txt", page.name)), body).expect("dump");
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/pages");
    let mut pages = load_set(&root, "scrapinghub", "ground-truth.json");
    pages.extend(load_set(&root, "readability", "expected.json"));
    let extractors: [(&str, Extractor); 5] = [
        ("articast", articast),
        ("dom_smoothie 0.19 alone", dom_smoothie_alone),
        ("readability 0.3", readability_crate),
        ("trafilatura 0.6 (crate)", trafilatura_crate),
        ("rs-trafilatura 0.2", rs_trafilatura),
    ];
    println!(
        "{:<30} {:<12} {:>5} {:>7} {:>9} {:>7} {:>6}",
        "extractor", "set", "pages", "F1", "precision", "recall", "empty"
    );
    let mut articast_results = Vec::new();
    let mut articast_texts = Vec::new();
    // Per page, the best F1 another extractor reached, and which.
    let mut best_other = vec![(0.0f64, ""); pages.len()];
    let mut keep_best = |name: &'static str, results: &[(f64, f64, f64)]| {
        for (best, &r) in best_other.iter_mut().zip(results) {
            if page_f1(r) > best.0 {
                *best = (page_f1(r), name);
            }
        }
    };
    for (name, extract) in extractors {
        let started = Instant::now();
        let texts: Vec<String> = pages.iter().map(|p| extract(&p.html)).collect();
        let secs = started.elapsed().as_secs_f64();
        if let Some(dir) = std::env::var_os("ARTICAST_BENCH_DUMP") {
            dump(Path::new(&dir), name, &pages, &texts);
        }
        let results = report(name, &pages, &texts, secs);
        if name == "articast" {
            articast_results = results;
            articast_texts = texts;
        } else {
            keep_best(name, &results);
        }
    }
    // Which step of articast's ladder read each page.
    let mut steps: Vec<(String, usize)> = Vec::new();
    for page in &pages {
        let (_, step, _) = document::html::extract(&page.html);
        let name = format!("{step:?}");
        match steps.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => steps.push((name, 1)),
        }
    }
    let steps: Vec<String> = steps.iter().map(|(n, c)| format!("{n} {c}")).collect();
    println!("articast's reading steps: {}", steps.join(", "));
    if let Some((texts, secs)) = python_trafilatura(&pages) {
        let results = report("trafilatura (Python)", &pages, &texts, secs);
        keep_best("trafilatura (Python)", &results);
    }
    let worst: usize = std::env::var("ARTICAST_BENCH_WORST")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if worst > 0 {
        // Worst first by how far articast trails the best other extractor on the page.
        let gap = |i: usize| best_other[i].0 - page_f1(articast_results[i]);
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_by(|&a, &b| gap(b).total_cmp(&gap(a)));
        println!("\narticast's worst pages against the best other extractor on each:");
        for &i in order.iter().take(worst) {
            let r = articast_results[i];
            println!(
                "{:<12} {:<28} F1 {:.2} P {:.2} R {:.2} words {:>5} / {:<5} best {:.2} {}",
                pages[i].set,
                &pages[i].name[..pages[i].name.len().min(28)],
                page_f1(r),
                precision(r),
                recall(r),
                tokens(&articast_texts[i]).len(),
                tokens(&pages[i].reference).len(),
                best_other[i].0,
                best_other[i].1,
            );
        }
    }
}
