//! Render benchmark: a long French text (twenty articles' worth by default) rendered by
//! the real binary to WAV, timed for each engine at one thread and at every core with
//! `--no-normalize` (like the baseline, one `espeak-ng -v fr -f text -w out.wav` process
//! on the same text, which does no loudness work), then once on the default path with
//! loudness normalization.
//!
//! Run with `cargo bench --bench render`. `ARTICAST_BENCH_ARTICLES` sets the size.
//! Figures are printed, never asserted: the machine is shared and noisy, so compare the
//! ratios measured within one run.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use articast::synth;

mod common;
use common::generate_text;

/// Runs the real binary on `text` and returns (wall seconds, episode seconds).
fn render_once(
    text: &Path,
    engine: &str,
    jobs: usize,
    out: &Path,
    cache: &Path,
    normalize: bool,
) -> (f64, f64, f64) {
    let jobs = jobs.to_string();
    let mut args = vec![
        "--lang",
        "fr",
        "--no-cache",
        "--no-sidecars",
        "--engine",
        engine,
        "--jobs",
        &jobs,
    ];
    if !normalize {
        args.push("--no-normalize");
    }
    let (secs, summary) = common::render(&args, text, out, cache);
    (
        secs,
        summary["duration_secs"].as_f64().unwrap_or(0.0),
        summary["synthesis_secs"].as_f64().unwrap_or(0.0),
    )
}

fn main() {
    let articles: usize = std::env::var("ARTICAST_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let text = generate_text(articles);
    let dir = tempfile::tempdir().expect("temp dir");
    let text_path = dir.path().join("bench.txt");
    std::fs::write(&text_path, &text).expect("write text");
    println!(
        "articast render benchmark: {articles} articles, {} characters, {cores} cores",
        text.chars().count()
    );

    // Data unpacking and first-run costs are paid here, not inside a timed run.
    let cache = dir.path().join("cache");
    render_once(
        &text_path,
        "builtin",
        cores,
        &dir.path().join("warm.wav"),
        &cache,
        false,
    );

    let baseline = if synth::espeak::system_espeak().is_some() {
        let out = dir.path().join("espeak.wav");
        let started = Instant::now();
        let status = Command::new("espeak-ng")
            .args(["-v", "fr", "-f"])
            .arg(&text_path)
            .arg("-w")
            .arg(&out)
            .status()
            .expect("espeak-ng runs");
        assert!(status.success());
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{:<56} {:>8.2} s",
            "espeak-ng -v fr -f text -w out.wav (1 process)", secs
        );
        Some(secs)
    } else {
        println!("espeak-ng not installed: no single-process baseline");
        None
    };

    let mut engines = vec!["builtin"];
    if baseline.is_some() {
        engines.push("system");
    }
    for engine in engines {
        let (mut one_thread, mut one_thread_synthesis) = (0.0, 0.0);
        for jobs in [1, cores] {
            let (secs, audio, synthesis) = render_once(
                &text_path,
                engine,
                jobs,
                &dir.path().join("out.wav"),
                &cache,
                false,
            );
            if jobs == 1 {
                one_thread = secs;
                one_thread_synthesis = synthesis;
            }
            let mut line = format!(
                "{:<56} {secs:>8.2} s  audio {:.0} min, {:.0}x real time",
                format!("articast, {engine} engine, {jobs} thread(s), --no-normalize"),
                audio / 60.0,
                audio / secs
            );
            if jobs > 1 {
                line.push_str(&format!(", {:.2}x faster than 1 thread", one_thread / secs));
            }
            if let Some(b) = baseline {
                line.push_str(&format!(", {:.2}x vs espeak-ng", b / secs));
            }
            println!("{line}");
            // The synthesis stage alone: the parallel part, without the serial mastering.
            let mut line = format!("{:<56} {synthesis:>8.2} s", "    of which synthesis");
            if jobs > 1 {
                line.push_str(&format!(
                    ", {:.2}x faster than 1 thread",
                    one_thread_synthesis / synthesis
                ));
            }
            if let Some(b) = baseline {
                line.push_str(&format!(", {:.2}x vs espeak-ng", b / synthesis));
            }
            println!("{line}");
        }
    }
    // The whole default path: loudness normalization adds measuring and gain passes.
    let engine = if baseline.is_some() {
        "system"
    } else {
        "builtin"
    };
    let (secs, audio, _) = render_once(
        &text_path,
        engine,
        cores,
        &dir.path().join("norm.wav"),
        &cache,
        true,
    );
    let mut line = format!(
        "{:<56} {secs:>8.2} s  audio {:.0} min, {:.0}x real time",
        format!("articast, {engine} engine, {cores} thread(s), normalized"),
        audio / 60.0,
        audio / secs
    );
    if let Some(b) = baseline {
        line.push_str(&format!(", {:.2}x vs espeak-ng", b / secs));
    }
    println!("{line}");
}
