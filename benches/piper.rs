//! Neural voice speed: articast's `piper` backend against the reference `piper-tts`
//! command, same English text, same voice, same CPUs (each run pinned with `taskset`
//! to 1, then 2, … CPUs), printing real-time factors and their ratio. Then, at the
//! machine's core count, how ONNX Runtime is best shared: one single-threaded session
//! per synthesis thread (articast's default), one session with intra-op threads, or
//! several multi-threaded sessions.
//!
//! Both read the same sentences, so both make the same speech; articast adds structural
//! pauses (silence, not synthesized). So both real-time factors are the reference's
//! audio length over each wall time, and the ratio is the wall times' ratio. CPU seconds
//! (user + system) are printed too. ONNX Runtime's thread pool sets its own CPU affinity,
//! so pinning alone does not hold the reference to N CPUs: it runs through
//! `scripts/piper_with_threads.py`, which gives its session N intra-op threads.
//!
//! Needs `ARTICAST_TEST_PIPER_VOICE` (the joe voice's .onnx), `ORT_DYLIB_PATH`, and
//! `PIPER_PYTHON`, a Python with `piper-tts` installed (see `.ci/run` for all three).
//!
//!     cargo bench --bench piper

use std::path::{Path, PathBuf};
use std::process::Command;

/// The English text both read: the example article's spoken sentences, one per line,
/// three times (a few minutes of speech).
fn english_text(dir: &Path) -> PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_articast"))
        .args(["script", "--json", "--lang", "en", "--voice", "en"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/open-source-sound.md"))
        .output()
        .expect("articast script runs");
    let script: serde_json::Value = serde_json::from_slice(&out.stdout).expect("script JSON");
    let lines: Vec<String> = script["chunks"]
        .as_array()
        .expect("chunks")
        .iter()
        .map(|c| c["spoken"].as_str().unwrap_or_default().to_string())
        .collect();
    let one = lines.join("\n");
    let path = dir.join("english.txt");
    std::fs::write(&path, format!("{one}\n{one}\n{one}\n")).expect("write text");
    path
}

fn wav_secs(path: &Path) -> f64 {
    let r = hound::WavReader::open(path).expect("a WAV");
    r.duration() as f64 / r.spec().sample_rate as f64
}

fn cpus(n: usize) -> String {
    (0..n).map(|c| c.to_string()).collect::<Vec<_>>().join(",")
}

/// Runs `args` under bash's `time`: (wall seconds, CPU seconds of user and system).
fn time(args: &[String]) -> (f64, f64) {
    let script = format!("TIMEFORMAT='%R %U %S'; time {} > /dev/null", args.join(" "));
    let out = Command::new("bash")
        .args(["-c", &script])
        .output()
        .expect("bash runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let v: Vec<f64> = err
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    (v[0], v[1] + v[2])
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// The reference on `n` CPUs with `n` ONNX Runtime threads (`scripts/piper_with_threads.py`
/// runs `python -m piper` with the thread count set): (wall, CPU seconds).
fn reference(python: &str, model: &Path, text: &Path, out: &Path, n: usize) -> (f64, f64) {
    let wrapper = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/piper_with_threads.py");
    let (cpu_list, threads) = (cpus(n), n.to_string());
    let mut args: Vec<String> = ["taskset", "-c", &cpu_list, python]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend([shown(&wrapper), threads, "-m".into()]);
    args.extend([
        shown(model),
        "-i".into(),
        shown(text),
        "-f".into(),
        shown(out),
    ]);
    time(&args)
}

/// articast on `n` CPUs with `env` set: (wall, CPU seconds).
fn articast(model: &Path, text: &Path, out: &Path, n: usize, env: &[(&str, &str)]) -> (f64, f64) {
    let mut args: Vec<String> = vec!["env".into()];
    args.extend(env.iter().map(|(k, v)| format!("{k}={v}")));
    let jobs = n.to_string();
    let cpu_list = cpus(n);
    let fixed = [
        "taskset",
        "-c",
        &cpu_list,
        env!("CARGO_BIN_EXE_articast"),
        "render",
        "--no-cache",
        "--no-normalize",
        "--keep-duplicates",
        "-q",
        "--format-in",
        "text",
        "--no-sidecars",
        "-j",
        &jobs,
        "--voice",
    ];
    args.extend(fixed.iter().map(|s| s.to_string()));
    args.extend([shown(model), "-o".into(), shown(out), shown(text)]);
    time(&args)
}

fn main() {
    let (Some(model), Ok(_), Ok(python)) = (
        std::env::var_os("ARTICAST_TEST_PIPER_VOICE").map(PathBuf::from),
        std::env::var("ORT_DYLIB_PATH"),
        std::env::var("PIPER_PYTHON"),
    ) else {
        println!("skipped: set ARTICAST_TEST_PIPER_VOICE, ORT_DYLIB_PATH and PIPER_PYTHON (a Python with piper-tts); see .ci/run");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = format!("ARTICAST_CACHE_DIR={}", dir.path().join("cache").display());
    let cache_env = cache.split_once('=').expect("name=value");
    let text = english_text(dir.path());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let lines = std::fs::read_to_string(&text).map_or(0, |t| t.lines().count());
    println!("same text ({lines} lines), same voice (en_US-joe-medium), pinned to N CPUs");
    println!("RTF = speech seconds / wall seconds; ratio = reference wall / articast wall\n");
    println!(
        "{:>4} {:>10} {:>7} {:>8} {:>10} {:>7} {:>8} {:>7} {:>9}",
        "CPUs", "reference", "RTF", "CPU s", "articast", "RTF", "CPU s", "ratio", "CPU ratio"
    );
    // Warm both (file cache, Python imports).
    reference(&python, &model, &text, &dir.path().join("warm.wav"), cores);
    articast(
        &model,
        &text,
        &dir.path().join("warm2.wav"),
        cores,
        &[cache_env],
    );
    for n in 1..=cores {
        let ref_out = dir.path().join(format!("ref{n}.wav"));
        let ours_out = dir.path().join(format!("ours{n}.wav"));
        let (ref_wall, ref_cpu) = reference(&python, &model, &text, &ref_out, n);
        let (wall, cpu) = articast(&model, &text, &ours_out, n, &[cache_env]);
        let speech = wav_secs(&ref_out);
        println!(
            "{n:>4} {ref_wall:>9.2}s {:>6.1}x {ref_cpu:>7.2}s {wall:>9.2}s {:>6.1}x {cpu:>7.2}s {:>6.2}x {:>8.2}x",
            speech / ref_wall,
            speech / wall,
            ref_wall / wall,
            ref_cpu / cpu
        );
    }
    println!("\nsharing ONNX Runtime at {cores} synthesis threads (articast):");
    let cores_s = cores.to_string();
    let shapes: [(&str, &str, &str); 3] = [
        (
            &cores_s,
            "1",
            "one 1-thread session per synthesis thread (default)",
        ),
        ("1", &cores_s, "one session, intra-op threads = cores"),
        (
            &cores_s,
            &cores_s,
            "a session per thread, each with intra-op threads = cores",
        ),
    ];
    let mut base = None;
    for (sessions, intra, what) in shapes {
        let out = dir.path().join("shape.wav");
        let env = [
            cache_env,
            ("ARTICAST_PIPER_SESSIONS", sessions),
            ("ARTICAST_PIPER_INTRA_THREADS", intra),
        ];
        let (wall, cpu) = articast(&model, &text, &out, cores, &env);
        let b = *base.get_or_insert(wall);
        println!(
            "  {wall:>7.2}s (CPU {cpu:>6.2}s) {:>5.2}x vs default   sessions={sessions} intra={intra}: {what}",
            b / wall
        );
    }
}
