//! Memory benchmark: peak resident memory of a render to MP3 for a 10-minute and a
//! 3-hour article. Assembly streams clips from disk into the encoder, so the two figures
//! should differ by a small constant, not by a factor of 18.
//!
//! Run with `cargo bench --bench memory` (Linux: peak memory is read from the child's
//! resource usage through `/usr/bin/time` when installed, else from the summary the
//! binary prints).

use std::path::Path;

mod common;
use common::generate_text;

/// Characters of generated French per minute of speech at the default rate, measured.
const CHARS_PER_MINUTE: usize = 680;

fn run(minutes: usize, dir: &Path) -> (f64, f64, u64) {
    let articles = (minutes * CHARS_PER_MINUTE).div_ceil(7600).max(1);
    let text: String = generate_text(articles)
        .chars()
        .take(minutes * CHARS_PER_MINUTE)
        .collect();
    let input = dir.join(format!("article-{minutes}.txt"));
    std::fs::write(&input, text).expect("write article");
    let out = dir.join(format!("episode-{minutes}.mp3"));
    let args = [
        "--lang",
        "fr",
        "--engine",
        "builtin",
        "--no-cache",
        "--no-sidecars",
    ];
    let (secs, summary) = common::render(&args, &input, &out, &dir.join("cache"));
    let rss = summary["peak_rss_bytes"].as_u64().unwrap_or(0);
    (secs, summary["duration_secs"].as_f64().unwrap_or(0.0), rss)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    println!("articast memory benchmark: render to MP3, built-in engine, no cache");
    let mut rows = Vec::new();
    for minutes in [10, 180] {
        let (secs, audio, rss) = run(minutes, dir.path());
        println!(
            "{:>4}-minute article: {:>6.1} min of audio in {secs:>6.1} s, peak memory {:>6.1} MB",
            minutes,
            audio / 60.0,
            rss as f64 / 1e6
        );
        rows.push((audio, rss));
    }
    let (short, long) = (rows[0], rows[1]);
    println!(
        "audio {:.1}x longer, peak memory {:.2}x ({:+.1} MB)",
        long.0 / short.0,
        long.1 as f64 / short.1.max(1) as f64,
        (long.1 as f64 - short.1 as f64) / 1e6
    );
}
