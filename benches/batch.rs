//! Batch benchmark: a generated archive (French and English, varied lengths) rendered by
//! one `articast batch` next to the baseline a user has without it, one `articast render`
//! per article, both from an empty clip cache in the same run; then the warm rerun as a
//! fraction of the cold run, one edited paragraph, and peak memory at 20 and at 100
//! articles (it must not grow with the archive).
//!
//! Run with `cargo bench --bench batch`. `ARTICAST_BENCH_ARTICLES` sets the archive's size
//! (default 100), `ARTICAST_BENCH_ENGINE` the eSpeak NG engine (default `auto`: the system
//! one when installed).

use std::path::{Path, PathBuf};
use std::time::Instant;

mod common;

/// Paragraphs per article, cycled: mostly short pieces, some long ones.
const PARAGRAPHS: &[usize] = &[1, 1, 2, 2, 3, 5, 8];

/// English sentences for the English third of the archive.
fn english_paragraph(seed: usize) -> String {
    const OPENINGS: &[&str] = &[
        "The council",
        "A small bakery",
        "The university library",
        "Our reporter",
        "The harbour authority",
        "A group of volunteers",
    ];
    const MIDDLES: &[&str] = &[
        "spent 12,500 dollars on",
        "finally opened",
        "asked residents about",
        "published a report on",
        "voted against",
    ];
    const ENDS: &[&str] = &[
        "the new bridge across the river",
        "its plans for the 2030s",
        "a study of 1,200 households",
        "the old railway station",
        "the budget for next year",
    ];
    (0..5)
        .map(|s| {
            let k = seed * 7 + s * 3;
            format!(
                "{} {} {} on {} March, sentence {s} of part {seed}.",
                OPENINGS[k % OPENINGS.len()],
                MIDDLES[(k / 2) % MIDDLES.len()],
                ENDS[(k / 3) % ENDS.len()],
                1 + k % 28
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes `count` articles into `dir`: two in three French (from the shared generator),
/// one in three English, as Markdown with front matter or as plain text.
fn archive(dir: &Path, count: usize) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).expect("archive folder");
    let french = common::generate_text(count);
    let mut french_paragraphs = french
        .lines()
        .filter(|l| l.split_whitespace().count() > 12)
        .map(str::to_string)
        .cycle();
    (0..count)
        .map(|i| {
            let paragraphs = PARAGRAPHS[i % PARAGRAPHS.len()];
            let (lang, body): (&str, Vec<String>) = if i % 3 == 2 {
                (
                    "en",
                    (0..paragraphs)
                        .map(|p| english_paragraph(i * 10 + p))
                        .collect(),
                )
            } else {
                (
                    "fr",
                    (0..paragraphs)
                        .map(|_| french_paragraphs.next().expect("cycled"))
                        .collect(),
                )
            };
            let path = if i % 2 == 0 {
                let path = dir.join(format!("{i:03}.md"));
                let text = format!(
                    "---\ntitle: \"Article {i}\"\nlang: {lang}\ndate: 2026-11-{:02}\n---\n\n{}\n",
                    1 + i % 28,
                    body.join("\n\n")
                );
                std::fs::write(&path, text).expect("article");
                path
            } else {
                let path = dir.join(format!("{i:03}.txt"));
                std::fs::write(&path, format!("Article {i}\n\n{}\n", body.join("\n\n")))
                    .expect("article");
                path
            };
            path
        })
        .collect()
}

/// Runs `articast batch` over `archive` into `out` with its clip cache in `cache`: wall
/// seconds and the JSON summary.
fn batch(engine: &str, archive: &Path, out: &Path, cache: &Path) -> (f64, serde_json::Value) {
    let args: [&std::ffi::OsStr; 9] = [
        "batch".as_ref(),
        "--engine".as_ref(),
        engine.as_ref(),
        "--json".as_ref(),
        "-q".as_ref(),
        archive.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--no-feed".as_ref(),
    ];
    common::articast_json(&args, cache)
}

fn hours_per_hour(audio_secs: f64, wall_secs: f64) -> f64 {
    audio_secs / wall_secs.max(1e-9)
}

fn main() {
    let count: usize = std::env::var("ARTICAST_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let engine = std::env::var("ARTICAST_BENCH_ENGINE").unwrap_or_else(|_| "auto".into());
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let articles = archive(&root.join("archive"), count);
    println!(
        "articast batch benchmark: {count} generated articles (French and English), MP3, engine {engine}, {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    // The baseline: one `articast render` per article, one after the other.
    let singles = root.join("singles");
    std::fs::create_dir_all(&singles).expect("folder");
    let started = Instant::now();
    let mut single_audio = 0.0;
    for article in &articles {
        let name = article.file_stem().expect("name").to_string_lossy();
        let (_, summary) = common::render(
            &["--engine", &engine],
            article,
            &singles.join(format!("{name}.mp3")),
            &root.join("cache-singles"),
        );
        single_audio += summary["duration_secs"].as_f64().unwrap_or(0.0);
    }
    let single_secs = started.elapsed().as_secs_f64();

    let out = root.join("public");
    let cache = root.join("cache-batch");
    let (cold_secs, cold) = batch(&engine, &root.join("archive"), &out, &cache);
    let audio = cold["audio_secs"].as_f64().unwrap_or(0.0);
    println!(
        "  one render per article: {single_secs:>7.1} s for {:.2} h of audio ({:.0} audio-hours per wall-hour)",
        single_audio / 3600.0,
        hours_per_hour(single_audio, single_secs)
    );
    println!(
        "  batch, cold:            {cold_secs:>7.1} s for {:.2} h of audio ({:.0} audio-hours per wall-hour), {:.2}x the baseline's speed",
        audio / 3600.0,
        hours_per_hour(audio, cold_secs),
        single_secs / cold_secs
    );

    let (warm_secs, warm) = batch(&engine, &root.join("archive"), &out, &cache);
    println!(
        "  batch, rerun:           {warm_secs:>7.2} s, {:.1}% of cold ({} rendered, {} chunks synthesized)",
        100.0 * warm_secs / cold_secs,
        warm["rendered"],
        warm["synthesized_chunks"]
    );

    // One paragraph edited in the longest French article.
    let edited = articles
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 2)
        .max_by_key(|(i, _)| PARAGRAPHS[i % PARAGRAPHS.len()])
        .map(|(_, p)| p.clone())
        .expect("an article");
    let text = std::fs::read_to_string(&edited).expect("read");
    let paragraph = text
        .split("\n\n")
        .find(|p| p.split_whitespace().count() > 12)
        .expect("a paragraph")
        .to_string();
    let rewritten = paragraph.replacen("euros", "francs", 1);
    std::fs::write(&edited, text.replacen(&paragraph, &rewritten, 1)).expect("write");
    let (edit_secs, edit) = batch(&engine, &root.join("archive"), &out, &cache);
    println!(
        "  one paragraph edited:   {edit_secs:>7.2} s, {:.1}% of cold ({} rendered, {} chunk(s) synthesized, {} reused)",
        100.0 * edit_secs / cold_secs,
        edit["rendered"],
        edit["synthesized_chunks"],
        edit["reused_chunks"]
    );

    // Peak memory: the first 20 articles, then all, each cold into its own folder.
    let twenty = root.join("archive-20");
    std::fs::create_dir_all(&twenty).expect("folder");
    for article in articles.iter().take(20) {
        std::fs::copy(article, twenty.join(article.file_name().expect("name"))).expect("copy");
    }
    let mut peaks = Vec::new();
    for (run, (n, folder)) in [(20usize.min(count), twenty), (count, root.join("archive"))]
        .into_iter()
        .enumerate()
    {
        let (secs, summary) = batch(
            &engine,
            &folder,
            &root.join(format!("public-memory-{run}")),
            &root.join(format!("cache-memory-{run}")),
        );
        let peak = summary["peak_rss_bytes"].as_u64().unwrap_or(0) as f64 / 1e6;
        println!("  peak memory, {n:>3} articles: {peak:>6.1} MB ({secs:.1} s)");
        peaks.push(peak);
    }
    println!(
        "  memory at {count} articles is {:.2}x that at {}",
        peaks[1] / peaks[0].max(1e-9),
        20.min(count)
    );
}
