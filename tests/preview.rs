//! End-to-end: `articast preview` through the real binary. What it writes with `--out`
//! is read back with hound and measured with the `ebur128` crate; it is compared with a
//! render of the same article (the same clips, the same pauses, so the same length to
//! the sample); the clip cache is shared both ways. With the `preview` feature, it
//! plays through ALSA's null device (a configuration written by the test).

mod common;

use std::path::{Path, PathBuf};

use common::{Env, Wav};
use predicates::prelude::*;

fn example() -> PathBuf {
    common::manifest_dir().join("examples/open-source-sound.md")
}

/// Runs `articast preview --engine builtin --json ARGS...`, expects success, returns the
/// JSON summary.
fn preview_json(env: &Env, args: &[&str]) -> serde_json::Value {
    let assert = env
        .cmd()
        .args(["preview", "--engine", "builtin", "--json"])
        .args(args)
        .assert()
        .success();
    serde_json::from_slice(&assert.get_output().stdout).expect("a JSON summary")
}

fn loudness(path: &Path) -> f64 {
    let wav = Wav::read(path);
    let mut meter =
        ebur128::EbuR128::new(1, wav.spec.sample_rate, ebur128::Mode::I).expect("meter");
    let samples: Vec<f32> = wav.samples.iter().map(|&s| s as f32 / 32768.0).collect();
    meter.add_frames_f32(&samples).unwrap();
    meter.loudness_global().unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_chapter_alone_is_the_renders_chapter_to_the_sample_and_shares_its_cache() {
    let env = Env::new();
    let input = example();
    let episode = env.path("episode.wav");
    let render = env.render(&input, &episode, &[]);
    let chapters = render["chapters"].as_array().unwrap();
    assert!(chapters.len() >= 3, "{render}");
    let rate = render["sample_rate"].as_f64().unwrap();
    let start = |i: usize| (chapters[i]["start_secs"].as_f64().unwrap() * rate).round() as i64;

    let out = env.path("chapter2.wav");
    let summary = preview_json(&env, &["--chapter", "2", "--out", s(&out), s(&input)]);
    // Everything came from the clip cache the render filled.
    assert_eq!(summary["from_cache"], summary["chunks_played"]);
    assert!(summary["chunks_played"].as_u64().unwrap() >= 2);
    let wav = Wav::read(&out);
    assert_eq!(wav.spec.sample_rate as f64, rate);
    assert_eq!(wav.spec.channels, 1);
    // Chapter 2's clips and pauses: exactly the render's span from chapter 2 to 3.
    assert_eq!(wav.samples.len() as i64, start(2) - start(1));
    // Loudness toward the target from what was measured as it played.
    let lufs = loudness(&out);
    assert!((lufs + 19.0).abs() < 1.0, "{lufs} LUFS");
    let peak = wav.samples.iter().map(|&s| (s as i32).abs()).max().unwrap();
    assert!((peak as f64 / 32768.0) < 10f64.powf(-1.0 / 20.0), "{peak}");
}

/// The share of the energy of `wav` between `from` and `to` seconds that is at `freq`
/// (Goertzel), from 0 to 1.
fn tone_share(wav: &Wav, from: f64, to: f64, freq: f64) -> f64 {
    let rate = wav.spec.sample_rate as f64;
    let part: Vec<f64> = wav.samples[(from * rate) as usize..(to * rate) as usize]
        .iter()
        .map(|&s| s as f64 / 32768.0)
        .collect();
    let w = 2.0 * std::f64::consts::PI * freq / rate;
    let (mut s1, mut s2) = (0.0, 0.0);
    for x in &part {
        let s0 = x + 2.0 * w.cos() * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    let power = s1 * s1 + s2 * s2 - 2.0 * w.cos() * s1 * s2;
    let energy: f64 = part.iter().map(|x| x * x).sum();
    // A sine's Goertzel power is its energy times N/2.
    (power / (energy * part.len() as f64 / 2.0)).min(1.0)
}

#[test]
fn music_plays_as_in_the_episode_intro_first_bed_under_outro_last() {
    let env = Env::new();
    let input = example();
    let (intro, outro, bed) = (
        env.path("intro.wav"),
        env.path("outro.wav"),
        env.path("bed.wav"),
    );
    common::wav_tone(&intro, 2.0, 2, 440.0);
    common::wav_tone(&outro, 3.0, 1, 330.0);
    common::wav_tone(&bed, 0.5, 1, 220.0);
    let plain = env.path("plain.wav");
    preview_json(&env, &["--out", s(&plain), s(&input)]);
    let with = env.path("music.wav");
    preview_json(
        &env,
        &[
            "--intro",
            s(&intro),
            "--outro",
            s(&outro),
            "--bed",
            s(&bed),
            "--out",
            s(&with),
            s(&input),
        ],
    );
    let (plain, with) = (Wav::read(&plain), Wav::read(&with));
    let rate = with.spec.sample_rate as f64;
    // Intro and outro around the same speech (resampled lengths, to a sample).
    let extra = with.duration() - plain.duration();
    assert!(
        (extra - 5.0).abs() < 2.0 / rate,
        "{extra} s more than the speech alone"
    );
    // The intro is what is heard first: its 440 Hz tone carries the opening's energy.
    let share = tone_share(&with, 0.2, 1.5, 440.0);
    assert!(
        with.rms(0.2, 1.5) > 0.02 && share > 0.9,
        "440 Hz share {share}"
    );
    assert!(tone_share(&plain, 0.2, 1.5, 440.0) < 0.2);
    // The bed plays where the speech alone pauses: the stretch after the title.
    let words = |w: &Wav, from: f64| w.rms(from, from + 0.05);
    let gaps = (0..(plain.duration() * 20.0) as usize)
        .map(|i| i as f64 / 20.0)
        .filter(|&t| words(&plain, t) < 1e-4)
        .collect::<Vec<_>>();
    assert!(gaps.len() > 5, "the speech has pauses");
    let filled = gaps
        .iter()
        .filter(|&&t| words(&with, t + 2.0) > 1e-3)
        .count();
    assert!(
        filled * 10 >= gaps.len() * 8,
        "{filled} of {} pauses hold the bed",
        gaps.len()
    );
    // The ending is the outro's 330 Hz tone.
    let end = with.duration();
    assert!(tone_share(&with, end - 2.5, end - 1.5, 330.0) > 0.9);
    // Music for a rendered episode is refused: it has its own.
    let episode = env.path("episode.wav");
    env.render(&input, &episode, &[]);
    env.cmd()
        .args([
            "preview",
            "--out",
            s(&env.path("e.wav")),
            "--bed",
            s(&bed),
            s(&episode),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already has its music"));
}

#[test]
fn what_preview_synthesized_a_render_reuses() {
    let env = Env::new();
    let input = example();
    let summary = preview_json(
        &env,
        &["--limit", "3", "--out", s(&env.path("p.wav")), s(&input)],
    );
    assert_eq!(summary["chunks_played"], 3);
    assert_eq!(summary["from_cache"], 0);
    let first_sound = summary["first_sound_ms"].as_f64().unwrap();
    assert!(first_sound > 0.0);
    let render = env.render(&input, &env.path("e.wav"), &[]);
    assert_eq!(render["cache_hits"], 3);
}

#[test]
fn a_faster_speed_is_shorter_at_the_same_pitch() {
    let env = Env::new();
    let input = example();
    let (normal, fast) = (env.path("normal.wav"), env.path("fast.wav"));
    preview_json(&env, &["--limit", "4", "--out", s(&normal), s(&input)]);
    let summary = preview_json(
        &env,
        &[
            "--limit",
            "4",
            "--speed",
            "1.5",
            "--out",
            s(&fast),
            s(&input),
        ],
    );
    assert_eq!(summary["speed"], 1.5);
    let (a, b) = (Wav::read(&normal), Wav::read(&fast));
    let ratio = a.samples.len() as f64 / b.samples.len() as f64;
    assert!(ratio > 1.25 && ratio < 1.75, "{ratio}");
    // The engine's own rate, not resampling: the voice's pitch (zero crossings per
    // second of speech) stays where it was.
    let crossings = |w: &Wav| {
        let voiced: Vec<i16> = w
            .samples
            .iter()
            .copied()
            .filter(|s| s.abs() > 300)
            .collect();
        let n = voiced
            .windows(2)
            .filter(|p| (p[0] < 0) != (p[1] < 0))
            .count();
        n as f64 / voiced.len() as f64
    };
    let (ca, cb) = (crossings(&a), crossings(&b));
    assert!((ca / cb - 1.0).abs() < 0.2, "{ca} vs {cb}");
}

#[test]
fn where_to_start_and_what_is_refused() {
    let env = Env::new();
    let input = example();
    let out = env.path("p.wav");
    // A sentence number and a time both start where asked.
    let summary = preview_json(
        &env,
        &[
            "--sentence",
            "3",
            "--limit",
            "1",
            "--out",
            s(&out),
            s(&input),
        ],
    );
    assert_eq!(summary["first_chunk"], 2);
    let summary = preview_json(
        &env,
        &[
            "--from",
            "0:20",
            "--limit",
            "1",
            "--out",
            s(&out),
            s(&input),
        ],
    );
    assert!(summary["first_chunk"].as_u64().unwrap() > 1, "{summary}");

    let usage = |args: &[&str], says: &str| {
        env.cmd()
            .args(["preview", "--engine", "builtin"])
            .args(args)
            .arg(&input)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    };
    usage(
        &["--chapter", "40", "--out", s(&out)],
        "--chapter 40 does not exist",
    );
    usage(&["--sentence", "9999", "--out", s(&out)], "--sentence 9999");
    usage(&["--speed", "3", "--out", s(&out)], "0.5 to 2");
    usage(&["--from", "1:75", "--out", s(&out)], "not a time");
    usage(&["--out", s(&env.path("p.mp3"))], "the preview writes WAV");
    usage(&["--loudness", "-5", "--out", s(&out)], "--loudness");
    env.cmd()
        .args(["preview", "--web", "--no-open", "-"])
        .write_stdin("Une phrase.")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "standard input can be read only once",
        ));

    // Never over an input.
    let copy = env.path("article.wav");
    std::fs::copy(&input, &copy).unwrap();
    env.cmd()
        .args([
            "preview",
            "--engine",
            "builtin",
            "--format-in",
            "markdown",
            "--out",
        ])
        .arg(&copy)
        .arg(&copy)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("article"));
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        std::fs::read(&input).unwrap()
    );
}

/// Without terminal playback, `preview` serves the web preview and says how to get
/// playback in the terminal.
#[cfg(not(feature = "preview"))]
#[test]
fn without_the_feature_it_opens_the_web_preview_and_says_how_to_get_playback() {
    use std::io::BufRead;
    let env = Env::new();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_articast"))
        .env("ARTICAST_CACHE_DIR", env.path("cache"))
        .env("ARTICAST_CONFIG", env.path("config.toml"))
        .args(["preview", "--engine", "builtin", "--no-open", "--json"])
        .arg(example())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let served: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert!(served["url"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for says in ["--features preview", "libasound2-dev", "web preview"] {
        assert!(stderr.contains(says), "{stderr}");
    }
}

/// An ALSA configuration whose default device is the null device.
#[cfg(feature = "preview")]
fn null_device(env: &Env) -> PathBuf {
    let conf = env.path("asound-null.conf");
    std::fs::write(&conf, "pcm.!default {\n  type null\n}\n").unwrap();
    conf
}

#[cfg(feature = "preview")]
#[test]
fn plays_through_the_sound_device_printing_each_sentence() {
    let env = Env::new();
    let input = example();
    let assert = env
        .cmd()
        .env("ALSA_CONFIG_PATH", null_device(&env))
        .args(["preview", "--engine", "builtin", "--limit", "3"])
        .arg(&input)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(lines[0], "The Quiet Revolution of Open-Source Sound");
    assert!(lines[1].starts_with("In 1995"), "{stdout}");
}

#[cfg(feature = "preview")]
#[test]
fn no_sound_device_is_a_clear_error() {
    let env = Env::new();
    let conf = env.path("asound-none.conf");
    std::fs::write(&conf, "# no devices\n").unwrap();
    env.cmd()
        .env("ALSA_CONFIG_PATH", &conf)
        .args(["preview", "--engine", "builtin"])
        .arg(example())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no sound device"))
        .stderr(predicate::str::contains("--out preview.wav"));
}

#[test]
fn a_rendered_episode_by_its_chapters_and_cues() {
    let env = Env::new();
    let episode = env.path("episode.mp3");
    env.render(&example(), &episode, &[]);
    // The chapters file beside the episode, which preview reads (times in milliseconds).
    let sidecar: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.path("episode.chapters.json")).unwrap()).unwrap();
    let chapters = sidecar["chapters"].as_array().unwrap();
    let at = |i: usize| chapters[i]["startTime"].as_f64().unwrap();
    let out = env.path("chapter2.wav");
    let summary = preview_json(&env, &["--chapter", "2", "--out", s(&out), s(&episode)]);
    assert!(summary["chunks_played"].as_u64().unwrap() >= 2, "{summary}");
    let wav = Wav::read(&out);
    assert_eq!(wav.spec.sample_rate, 44100);
    // Exactly the chapter's span of the file, as its chapters say.
    let want = ((at(2) - at(1)) * 44100.0).round() as i64;
    assert!(
        (wav.samples.len() as i64 - want).abs() <= 2,
        "{} vs {want}",
        wav.samples.len()
    );
    assert!(wav.rms(0.0, wav.duration()) > 0.01);
    // Its speed is its own.
    env.cmd()
        .args(["preview", "--speed", "1.5", "--out", s(&out)])
        .arg(&episode)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("its own speed"));
    // Without its sidecars: thirty-second steps, one chapter, and a note saying so.
    std::fs::remove_file(env.path("episode.vtt")).unwrap();
    std::fs::remove_file(env.path("episode.chapters.json")).unwrap();
    let assert = env
        .cmd()
        .args([
            "preview",
            "--json",
            "--sentence",
            "2",
            "--limit",
            "1",
            "--out",
            s(&out),
        ])
        .arg(&episode)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("no transcript"), "{stderr}");
    assert!((Wav::read(&out).duration() - 30.0).abs() < 0.01);
}
