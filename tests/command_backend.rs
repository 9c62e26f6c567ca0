//! End-to-end: the `command` backend through the real binary. An article rendered by
//! the real `espeak-ng` program is as long as the `espeak` backend's render with the
//! system engine at the same settings, and a rerun comes from the cache; programs that misbehave (hang, exit
//! 1, write garbage, write nothing) fail the render with the chunk and the program's
//! words, leave no episode behind, and article text never reaches a program's
//! arguments. The voice files shipped in `examples/voices/` all parse.

#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::{Env, Wav};
use predicates::prelude::*;

fn example() -> PathBuf {
    common::manifest_dir().join("examples/la-ville-lente.txt")
}

/// An executable shell script in the test folder.
fn program(env: &Env, name: &str, body: &str) -> PathBuf {
    let path = env.path(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A voice file for `program` with extra `[command]` lines.
fn voice(env: &Env, program: &Path, extra: &str) -> PathBuf {
    let path = env.path("voice.toml");
    std::fs::write(
        &path,
        format!(
            "name = \"t\"\nlanguage = \"fr\"\nbackend = \"command\"\n[command]\nprogram = \"{}\"\n{extra}\n",
            program.display()
        ),
    )
    .unwrap();
    path
}

#[test]
fn the_shipped_voice_files_parse() {
    let dir = common::manifest_dir().join("examples/voices");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        articast::voice::load_voice_file(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        n += 1;
    }
    assert!(n >= 5, "{n} voice files");
}

#[test]
fn the_espeak_ng_program_renders_an_article_as_the_espeak_backend_does() {
    if !common::system_espeak_installed() {
        eprintln!("skipped: needs the espeak-ng program (.ci/run installs it)");
        return;
    }
    let env = Env::new();
    let voice = common::manifest_dir().join("examples/voices/espeak-ng.toml");
    let out = env.path("command.wav");
    let summary = env.render(&example(), &out, &["--voice", voice.to_str().unwrap()]);
    assert_eq!(summary["engine"], "espeak-ng (command)");
    let chunks = summary["chunks"].as_u64().unwrap();
    assert_eq!(summary["synthesized"].as_u64(), Some(chunks));
    // The same engine, voice and rate through the `espeak` backend.
    let reference = env.path("reference.wav");
    let fr = env.path("fr.toml");
    std::fs::write(
        &fr,
        "name = \"fr-ref\"\nlanguage = \"fr\"\nbackend = \"espeak\"\n[espeak]\nvoice = \"fr\"\nrate = 165\nengine = \"system\"\n",
    )
    .unwrap();
    env.cmd()
        .args(["render", "--quiet", "--engine", "system", "--voice"])
        .arg(&fr)
        .arg("-o")
        .arg(&reference)
        .arg(example())
        .assert()
        .success();
    // The same engine at the same settings: the same length within half a percent
    // (the backend drives the library, which also applies the pitch range the program's
    // command line cannot set).
    let (a, b) = (Wav::read(&out), Wav::read(&reference));
    assert!(
        (a.duration() / b.duration() - 1.0).abs() < 0.005,
        "{} s against {} s",
        a.duration(),
        b.duration()
    );
    // A rerun asks the program for nothing.
    let again = env.render(
        &example(),
        &env.path("again.wav"),
        &["--voice", voice.to_str().unwrap()],
    );
    assert_eq!(again["synthesized"], 0);
    assert_eq!(again["cache_hits"].as_u64(), Some(chunks));
}

#[test]
fn misbehaving_programs_fail_the_chunk_with_their_words_and_leave_nothing() {
    let env = Env::new();
    let cases = [
        (
            "hangs",
            "sleep 30",
            "timeout_secs = 1",
            "did not finish within 1s",
        ),
        (
            "fails",
            "cat > /dev/null; echo 'voice fr-XX not found' >&2; exit 3",
            "",
            "voice fr-XX not found",
        ),
        (
            "garbage",
            "cat > /dev/null; echo 'not audio'",
            "",
            "audio articast cannot use",
        ),
        (
            "nothing",
            "cat > /dev/null",
            "args = [\"{out_wav}\"]",
            "no {out_wav} file",
        ),
        ("silent", "cat > /dev/null", "", "audio articast cannot use"),
    ];
    for (name, body, extra, want) in cases {
        let program = program(&env, name, body);
        let voice = voice(&env, &program, extra);
        let out = env.path(&format!("{name}.mp3"));
        env.cmd()
            .args(["render", "--quiet", "--voice"])
            .arg(&voice)
            .arg("-o")
            .arg(&out)
            .arg(example())
            .assert()
            .code(1)
            .stderr(predicate::str::contains(want).and(predicate::str::contains("chunk ")));
        assert!(!out.exists(), "{name}: no episode is written");
    }
}

#[test]
fn article_text_never_reaches_the_programs_arguments() {
    if !common::system_espeak_installed() {
        eprintln!("skipped: needs the espeak-ng program");
        return;
    }
    let env = Env::new();
    let article = env.path("tricky.txt");
    std::fs::write(
        &article,
        "Un titre\n\n--help -rf $(touch pwned) ; rm -rf / `id` et puis la fin.\n",
    )
    .unwrap();
    let log = env.path("args.log");
    let recorder = program(
        &env,
        "recorder",
        &format!(
            "printf '%s\\n' \"$@\" >> '{}'\nexec espeak-ng -v fr -w \"$1\" --stdin",
            log.display()
        ),
    );
    let voice = voice(&env, &recorder, "args = [\"{out_wav}\"]");
    let out = env.path("tricky.wav");
    env.render(&article, &out, &["--voice", voice.to_str().unwrap()]);
    let args = std::fs::read_to_string(&log).unwrap();
    assert!(
        !args.contains("help") && !args.contains("touch") && !args.contains("rm"),
        "{args}"
    );
    assert!(args.lines().all(|l| l.ends_with("out.wav")), "{args}");
    assert!(!env.path("pwned").exists() && !Path::new("pwned").exists());
    assert!(Wav::read(&out).duration() > 1.0);
}
