//! Render benchmark: a long French text (twenty articles' worth by default) rendered by
//! the real binary on the default path (loudness normalized, true-peak limited), for each
//! engine at one thread and at every core, to WAV and to MP3, on a cold cache
//! (`--no-cache`) and a warm one; each line gives the whole command, the synthesis and
//! the mastering stage (from `--json`), next to the baselines measured in the same run:
//! one `espeak-ng -v fr -f text -w out.wav` process, and for MP3 that process piped into
//! ffmpeg's LAME encoder (neither measures nor corrects loudness).
//!
//! Run with `cargo bench --bench render`. `ARTICAST_BENCH_ARTICLES` sets the size.
//! Figures are printed, never asserted: the machine is shared and noisy, so compare the
//! ratios measured within one run.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use articast::synth;

mod common;
use common::generate_text;

/// One timed render.
struct Run {
    wall: f64,
    audio: f64,
    synthesis: f64,
    mastering: f64,
}

/// Renders `text` to `out` (its extension picks the format) with `engine` on `jobs`
/// threads; `cache` is the clip cache folder, or `None` for a cold run.
fn render_once(text: &Path, engine: &str, jobs: usize, out: &Path, cache: Option<&Path>) -> Run {
    let jobs = jobs.to_string();
    let mut args = vec![
        "--lang",
        "fr",
        "--no-sidecars",
        "--engine",
        engine,
        "--jobs",
        &jobs,
    ];
    let scratch = out.with_extension("cache");
    let cache = match cache {
        Some(c) => c,
        None => {
            args.push("--no-cache");
            &scratch
        }
    };
    let (wall, summary) = common::render(&args, text, out, cache);
    let get = |k: &str| summary[k].as_f64().unwrap_or(0.0);
    Run {
        wall,
        audio: get("duration_secs"),
        synthesis: get("synthesis_secs"),
        mastering: get("mastering_secs"),
    }
}

/// Times a shell pipeline; `None` when it fails (a tool missing).
fn time_shell(script: &str) -> Option<f64> {
    let started = Instant::now();
    let status = Command::new("sh")
        .args(["-c", script])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    status.success().then(|| started.elapsed().as_secs_f64())
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

    let system = synth::espeak::system_espeak().is_some();
    let quoted = |p: &Path| format!("'{}'", p.display());
    let (wav_base, mp3_base) = if system {
        let wav = time_shell(&format!(
            "espeak-ng -v fr -f {} -w {}",
            quoted(&text_path),
            quoted(&dir.path().join("espeak.wav"))
        ));
        let mp3 = time_shell(&format!(
            "espeak-ng -v fr -f {} --stdout | ffmpeg -v error -y -i - -ar 44100 -c:a libmp3lame -b:a 64k {}",
            quoted(&text_path),
            quoted(&dir.path().join("espeak.mp3"))
        ));
        (wav, mp3)
    } else {
        (None, None)
    };
    match wav_base {
        Some(s) => println!(
            "{:<50} {s:>7.2} s",
            "baseline: espeak-ng -v fr -f text -w out.wav"
        ),
        None => println!("espeak-ng not installed: no single-process baseline"),
    }
    if let Some(s) = mp3_base {
        println!(
            "{:<50} {s:>7.2} s",
            "baseline: espeak-ng --stdout | ffmpeg libmp3lame 64k"
        );
    }
    println!(
        "{:<34} {:>7} {:>7} {:>7} {:>6} {:>7} {:>8}",
        "articast (normalized)", "wall", "synth", "master", "m/s", "vs 1 th", "vs base"
    );

    // Data unpacking and first-run costs are paid here, not inside a timed run; this
    // also fills the cache the warm runs read.
    let cache = dir.path().join("cache");
    let mut engines = vec!["builtin"];
    if system {
        engines.push("system");
    }
    for engine in &engines {
        render_once(
            &text_path,
            engine,
            cores,
            &dir.path().join("w.wav"),
            Some(&cache),
        );
    }
    for engine in &engines {
        for format in ["wav", "mp3"] {
            let base = if format == "wav" { wav_base } else { mp3_base };
            let out = dir.path().join(format!("out.{format}"));
            let mut one = None;
            for (jobs, warm) in [(1, false), (cores, false), (cores, true)] {
                let run = render_once(
                    &text_path,
                    engine,
                    jobs,
                    &out,
                    warm.then_some(cache.as_path()),
                );
                let label = format!(
                    "{engine} {format} {jobs} thread(s) {}",
                    if warm { "warm" } else { "cold" }
                );
                let vs_one = match (one, warm) {
                    (Some(w), false) => format!("{:.2}x", w / run.wall),
                    _ => String::new(),
                };
                if jobs == 1 {
                    one = Some(run.wall);
                }
                let vs_base = base.map_or(String::new(), |b| format!("{:.2}x", b / run.wall));
                let share = if warm {
                    "-".to_string()
                } else {
                    format!("{:.0}%", 100.0 * run.mastering / run.synthesis.max(1e-9))
                };
                println!(
                    "{label:<34} {:>6.2}s {:>6.2}s {:>6.2}s {share:>6} {vs_one:>7} {vs_base:>8}   ({:.0} min of audio)",
                    run.wall, run.synthesis, run.mastering, run.audio / 60.0
                );
            }
        }
    }
    println!(
        "m/s: mastering time as a share of synthesis time; vs base > 1 means articast is faster"
    );
}
