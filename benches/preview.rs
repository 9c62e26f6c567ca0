//! Time to first sound: from process start to the first sample handed to the audio
//! output, as `articast preview --json` reports it (`first_sound_ms`, measured from the
//! first line of `main`), on a cold clip cache (`--no-cache`), at the start of the seed
//! article and after `--chapter 2`; for the built-in engine, the system eSpeak NG and,
//! when `ARTICAST_TEST_PIPER_VOICE` and `ORT_DYLIB_PATH` are set, a Piper voice. The
//! output is a WAV file (`--out`), which takes samples as the sound device does.
//!
//! Next to it, in the same run: the wall time of the whole process (a lower bound on
//! what a user waits, start-up included), one `espeak-ng` process speaking the first
//! sentence into a file, and a full `render` of the article (what a user waited for the
//! first sound before preview existed).
//!
//!     cargo bench --bench preview
//!
//! Figures are printed, never asserted (the machine is shared and noisy).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

// Only the runner of the shared helpers is used here.
#[allow(dead_code)]
mod common;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/guerre-froide-ia.txt");
    let (input, lang) = if seed.is_file() {
        (seed, "fr")
    } else {
        (
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/la-ville-lente.txt"),
            "fr",
        )
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = dir.path().join("cache");
    let wav = dir.path().join("first.wav");
    let runs = 5;
    println!(
        "time to first sound, {} ({runs} runs each, median), cold clip cache",
        input.display()
    );

    let mut voices: Vec<(String, Vec<String>)> = vec![(
        "built-in eSpeak NG".into(),
        vec!["--engine".into(), "builtin".into()],
    )];
    if Command::new("espeak-ng").arg("--version").output().is_ok() {
        voices.push((
            "system eSpeak NG".into(),
            vec!["--engine".into(), "system".into()],
        ));
    }
    if let (Some(voice), Ok(_)) = (
        std::env::var_os("ARTICAST_TEST_PIPER_VOICE").map(PathBuf::from),
        std::env::var("ORT_DYLIB_PATH"),
    ) {
        voices.push((
            "Piper (joe, neural)".into(),
            vec![
                "--voice".into(),
                voice.display().to_string(),
                "--lang".into(),
                "en".into(),
            ],
        ));
    } else {
        println!("(no Piper voice: set ARTICAST_TEST_PIPER_VOICE and ORT_DYLIB_PATH, see .ci/run)");
    }
    println!(
        "{:<22} {:<12} {:>12} {:>12}",
        "voice", "where", "first sound", "process"
    );
    for (name, flags) in &voices {
        // Data unpacking and the first load are paid once, outside the timings.
        let mut args: Vec<std::ffi::OsString> =
            vec!["preview".into(), "--json".into(), "-q".into()];
        args.extend(flags.iter().map(Into::into));
        args.extend([
            "--no-cache".into(),
            "--limit".into(),
            "1".into(),
            "--out".into(),
        ]);
        args.push(wav.clone().into());
        args.push(input.clone().into());
        let refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        common::articast_json(&refs, &cache);
        for (label, extra) in [("start", vec![]), ("--chapter 2", vec!["--chapter", "2"])] {
            let mut with: Vec<&std::ffi::OsStr> = refs.clone();
            with.extend(extra.iter().map(std::ffi::OsStr::new));
            let mut first = Vec::new();
            let mut wall = Vec::new();
            for _ in 0..runs {
                let (w, summary) = common::articast_json(&with, &cache);
                first.push(summary["first_sound_ms"].as_f64().unwrap_or(f64::NAN));
                wall.push(w * 1000.0);
            }
            println!(
                "{name:<22} {label:<12} {:>9.0} ms {:>9.0} ms",
                median(first),
                median(wall)
            );
        }
    }

    // Baselines in the same run.
    let script = Command::new(env!("CARGO_BIN_EXE_articast"))
        .args(["script", "--json", "--lang", lang])
        .arg(&input)
        .output()
        .expect("articast script");
    let script: serde_json::Value = serde_json::from_slice(&script.stdout).expect("script JSON");
    let first_sentence = script["chunks"][0]["spoken"]
        .as_str()
        .unwrap_or("")
        .to_string();
    if Command::new("espeak-ng").arg("--version").output().is_ok() {
        let mut times = Vec::new();
        for _ in 0..runs {
            let started = Instant::now();
            let ok = Command::new("espeak-ng")
                .args(["-v", lang, "-w"])
                .arg(dir.path().join("espeak.wav"))
                .arg(&first_sentence)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "espeak-ng runs");
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        println!(
            "{:<35} {:>9.0} ms",
            "baseline: espeak-ng, first sentence",
            median(times)
        );
    }
    let render_args: Vec<std::ffi::OsString> = vec![
        "render".into(),
        "--json".into(),
        "-q".into(),
        "--no-cache".into(),
        "-o".into(),
        dir.path().join("full.wav").into(),
        input.clone().into(),
    ];
    let refs: Vec<&std::ffi::OsStr> = render_args.iter().map(|a| a.as_os_str()).collect();
    let (wall, summary) = common::articast_json(&refs, &cache);
    println!(
        "{:<35} {:>9.0} ms  ({:.0} s of audio: a listener waited this long for the first word)",
        "before preview: a full render",
        wall * 1000.0,
        summary["duration_secs"].as_f64().unwrap_or(0.0)
    );
}
