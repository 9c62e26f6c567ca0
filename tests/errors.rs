//! Bad input gets a one-line error naming the file and what to do, the right exit code
//! (1 failure, 2 usage), and never an output file.

mod common;

use common::Env;
use predicates::prelude::*;

/// Runs `render` on `input` into the scratch folder and checks the failure.
fn render_fails(env: &Env, input: &std::path::Path, extra: &[&str], code: i32, message: &str) {
    let out = env.path("out.wav");
    let assert = env
        .cmd()
        .arg("render")
        .arg(input)
        .arg("-o")
        .arg(&out)
        .args(["--engine", "builtin"])
        .args(extra)
        .assert()
        .code(code)
        .stderr(predicate::str::contains(message));
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "no output file after a failure");
    assert!(
        env.files().iter().all(|f| !f.starts_with("out.")),
        "{:?}",
        env.files()
    );
}

fn write(env: &Env, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = env.path(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn missing_file() {
    let env = Env::new();
    render_fails(&env, &env.path("nope.txt"), &[], 1, "cannot read");
    render_fails(&env, &env.path("nope.txt"), &[], 1, "nope.txt");
}

#[test]
fn directory_instead_of_file() {
    let env = Env::new();
    std::fs::create_dir(env.path("folder")).unwrap();
    render_fails(&env, &env.path("folder"), &[], 1, "is a directory");
}

#[test]
fn empty_and_whitespace_only() {
    let env = Env::new();
    let empty = write(&env, "empty.txt", b"");
    render_fails(
        &env,
        &empty,
        &["--lang", "fr"],
        1,
        "empty.txt has no text to read",
    );
    let blank = write(&env, "blank.txt", b"  \n\t\n   \n");
    render_fails(
        &env,
        &blank,
        &["--lang", "fr"],
        1,
        "blank.txt has no text to read",
    );
}

#[test]
fn emoji_only_input_is_refused_not_rendered_empty() {
    let env = Env::new();
    let emoji = write(&env, "emoji.txt", "🚀 🎉 😀\n\n✨ 👍\n".as_bytes());
    render_fails(
        &env,
        &emoji,
        &["--lang", "en"],
        1,
        "emoji.txt has nothing to say",
    );
}

#[test]
fn binary_input() {
    let env = Env::new();
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend(std::iter::repeat_n(0u8, 64));
    let bin = write(&env, "image.txt", &png);
    render_fails(&env, &bin, &[], 1, "looks like a binary file");
}

#[test]
fn latin1_input_is_read_with_a_warning() {
    let env = Env::new();
    let input = write(
        &env,
        "latin1.txt",
        b"Un titre\nCe texte a \xe9t\xe9 \xe9crit en Latin-1, il y a longtemps.\n",
    );
    let out = env.path("latin1.wav");
    env.cmd()
        .args(["render", "--engine", "builtin", "--lang", "fr", "-o"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "latin1.txt:2: not valid UTF-8; read as Windows-1252",
        ));
    assert!(out.exists());
}

#[test]
fn unknown_language_is_a_usage_error() {
    let env = Env::new();
    let input = write(&env, "a.txt", b"Titre\nUn paragraphe.\n");
    render_fails(
        &env,
        &input,
        &["--lang", "klingon"],
        2,
        "unsupported language 'klingon'",
    );
}

#[test]
fn undetectable_language_says_what_to_do() {
    let env = Env::new();
    let input = write(
        &env,
        "it.txt",
        "Un titolo\nDa due anni l'intelligenza artificiale è diventata un teatro geopolitico a tutti gli effetti, e nessuno sa come finirà.\n".as_bytes(),
    );
    render_fails(&env, &input, &[], 1, "pass --lang fr, en, de or es");
}

#[test]
fn unknown_voice() {
    let env = Env::new();
    let input = write(
        &env,
        "a.txt",
        b"Titre\nUn paragraphe assez long pour compter.\n",
    );
    render_fails(
        &env,
        &input,
        &["--voice", "marvin"],
        1,
        "no voice named 'marvin'",
    );
}

#[test]
fn an_espeak_voice_of_another_language_or_none_is_refused_before_speaking() {
    let env = Env::new();
    let input = write(
        &env,
        "a.txt",
        b"Titre\nUn paragraphe assez long pour compter.\n",
    );
    let engines: &[&str] = if common::system_espeak_installed() {
        &["system", "builtin"]
    } else {
        &["builtin"]
    };
    for engine in engines {
        for (name, message) in [
            ("klingonz", "no voice 'klingonz'"),
            ("de", "speaks 'de', not French"),
        ] {
            let voice = write(
                &env,
                "v.toml",
                format!("name = \"v\"\nlanguage = \"fr\"\nbackend = \"espeak\"\n[espeak]\nvoice = \"{name}\"\n").as_bytes(),
            );
            let out = env.path("v.wav");
            env.cmd()
                .args(["render", "--engine", engine, "--voice"])
                .arg(&voice)
                .arg(&input)
                .arg("-o")
                .arg(&out)
                .assert()
                .code(1)
                .stderr(predicate::str::contains(message));
            assert!(!out.exists());
        }
    }
    if common::system_espeak_installed() {
        // eSpeak NG's own Klingon voice speaks Klingon, not the French the file says.
        let voice = write(&env, "k.toml", b"name = \"k\"\nlanguage = \"fr\"\nbackend = \"espeak\"\n[espeak]\nvoice = \"klingon\"\n");
        env.cmd()
            .args(["render", "--engine", "system", "--voice"])
            .arg(&voice)
            .arg(&input)
            .arg("-o")
            .arg(env.path("k.wav"))
            .assert()
            .code(1)
            .stderr(predicate::str::contains("speaks 'piqd', not French"));
    }
}

#[test]
fn invalid_voice_file_names_its_line() {
    let env = Env::new();
    let input = write(
        &env,
        "a.txt",
        b"Titre\nUn paragraphe assez long pour compter.\n",
    );
    let voice = write(&env, "bad.toml", b"name = \"bad\"\nlanguage = \"fr\"\nbackend = \"espeak\"\n[espeak]\nvoice = \"fr\"\nrate = \"fast\"\n");
    let voice = voice.to_str().unwrap().to_string();
    render_fails(&env, &input, &["--voice", &voice], 1, "line 6");
}

#[test]
fn unwritable_output_folder() {
    let env = Env::new();
    let input = write(
        &env,
        "a.txt",
        b"Titre\nUn paragraphe assez long pour compter.\n",
    );
    env.cmd()
        .args([
            "render",
            "--engine",
            "builtin",
            "-o",
            "/nonexistent-folder/out.wav",
        ])
        .arg(&input)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "folder /nonexistent-folder does not exist",
        ));
}

#[test]
fn unsupported_output_extension() {
    let env = Env::new();
    let input = write(
        &env,
        "a.txt",
        b"Titre\nUn paragraphe assez long pour compter.\n",
    );
    let out = env.path("out.flac");
    env.cmd()
        .arg("render")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot write .flac files; name the output .mp3 or .wav",
        ));
    assert!(!out.exists());
}

#[test]
fn missing_arguments_are_usage_errors() {
    let env = Env::new();
    env.cmd().arg("render").assert().code(2);
    env.cmd().arg("frobnicate").assert().code(2);
    env.cmd()
        .args(["render", "a.txt", "-o", "x.wav", "--rate", "12"])
        .assert()
        .code(2);
}

#[test]
fn output_equal_to_input_is_refused() {
    let env = Env::new();
    let input = write(
        &env,
        "a.wav",
        b"Titre\nUn paragraphe assez long pour compter.\n",
    );
    env.cmd()
        .arg("render")
        .arg(&input)
        .arg("-o")
        .arg(&input)
        .args(["--lang", "fr"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is the input"));
    assert_eq!(
        std::fs::read(&input).unwrap(),
        b"Titre\nUn paragraphe assez long pour compter.\n"
    );
}

/// Neural voices on a machine without ONNX Runtime or without a model's config: clear
/// errors and advice, never a panic (these run everywhere, unlike `tests/piper.rs`).
#[test]
fn neural_voices_without_their_parts_say_what_to_do() {
    let env = Env::new();
    let input = env.path("a.md");
    std::fs::write(
        &input,
        "# Title\n\nThe quick brown fox jumps over the lazy dog.\n",
    )
    .unwrap();
    // A model without its .onnx.json beside it.
    let model = env.path("lonely.onnx");
    std::fs::write(&model, b"not a model").unwrap();
    let out = env
        .cmd()
        .args(["render", "-o"])
        .arg(env.path("x.wav"))
        .arg(&input)
        .arg("--voice")
        .arg(&model)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("lonely.onnx.json"), "{err}");
    assert!(!env.path("x.wav").exists());

    // voices --check names what is missing and how to get it.
    let out = env
        .cmd()
        .env("ORT_DYLIB_PATH", env.path("missing/libonnxruntime.so"))
        .args(["voices", "--check", "--json"])
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(report["onnxruntime"].is_null(), "{report}");
    let problem = report["onnxruntime_problem"].as_str().unwrap();
    assert!(problem.contains("pip install onnxruntime"), "{problem}");
}

#[test]
fn audio_on_standard_output() {
    let env = Env::new();
    let input = write(
        &env,
        "a.txt",
        b"Titre\nUn paragraphe assez long pour compter.\n",
    );
    let out = env
        .cmd()
        .args([
            "render", "--engine", "builtin", "-q", "--format", "wav", "-o", "-",
        ])
        .arg(&input)
        .assert()
        .success();
    let bytes = out.get_output().stdout.clone();
    let reader = hound::WavReader::new(std::io::Cursor::new(bytes)).expect("a WAV on stdout");
    assert!(reader.duration() > 22050, "{}", reader.duration());
    assert_eq!(env.files(), vec!["a.txt"], "no file named '-', no sidecars");
    env.cmd()
        .args(["render", "--engine", "builtin", "-o", "-"])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--format mp3 or --format wav"));
    env.cmd()
        .args([
            "render", "--engine", "builtin", "--json", "--format", "mp3", "-o", "-",
        ])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot go with --json"));
}

#[test]
fn a_missing_file_is_named_once_with_its_cause_said_once() {
    let env = Env::new();
    let input = write(
        &env,
        "a.txt",
        b"Titre\nUn paragraphe assez long pour compter.\n",
    );
    let missing = env.path("missing.file");
    let missing = missing.to_str().unwrap();
    for flag in ["--cover", "--intro", "--lexicon", "--voice"] {
        let voice_path;
        let value = if flag == "--voice" {
            voice_path = format!("{missing}.toml");
            voice_path.as_str()
        } else {
            missing
        };
        let out = env
            .cmd()
            .args(["render", "--engine", "builtin", flag, value, "-o"])
            .arg(env.path("out.mp3"))
            .arg(&input)
            .assert()
            .code(1);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(stderr.contains("missing.file"), "{flag}: {stderr}");
        assert_eq!(stderr.matches("os error 2").count(), 1, "{flag}: {stderr}");
    }
    let out = env
        .cmd()
        .args(["render", "--engine", "builtin", "-o"])
        .arg(env.path("out.mp3"))
        .arg(env.path("nope.txt"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert_eq!(stderr.matches("os error 2").count(), 1, "{stderr}");
}

#[test]
fn an_installed_neural_voice_that_cannot_speak_is_named_with_the_way_to_enable_it() {
    let env = Env::new();
    let dir = env.path("data/voices/piper/fr_FR-test-medium");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("fr_FR-test-medium.onnx"), b"not a real model").unwrap();
    std::fs::write(
        dir.join("fr_FR-test-medium.onnx.json"),
        r#"{"audio": {"sample_rate": 22050, "quality": "medium"}, "language": {"code": "fr_FR"},
            "espeak": {"voice": "fr"}, "phoneme_id_map": {"^": [1], "$": [2], "_": [0], "a": [14]},
            "num_speakers": 1, "inference": {"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8}}"#,
    )
    .unwrap();
    let input = write(
        &env,
        "a.txt",
        b"Titre\nUn paragraphe assez long pour compter.\n",
    );
    let out = env
        .cmd()
        .env("ORT_DYLIB_PATH", env.path("missing/libonnxruntime.so"))
        .args(["render", "--engine", "builtin", "-o"])
        .arg(env.path("out.wav"))
        .arg(&input)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("the installed neural voice fr_FR-test-medium is not used"),
        "{stderr}"
    );
    assert!(stderr.contains("eSpeak NG"), "{stderr}");
}
