//! End-to-end: the clip cache as a user meets it. A damaged entry is synthesized again,
//! never played (the episode comes out the same); `cache stats` counts what is there;
//! `cache prune` trims by size and age and refuses to guess what to prune.

mod common;

use common::Env;
use predicates::prelude::*;

fn stats(env: &Env) -> serde_json::Value {
    let assert = env
        .cmd()
        .args(["cache", "stats", "--json"])
        .assert()
        .success();
    serde_json::from_slice(&assert.get_output().stdout).unwrap()
}

fn clip_files(env: &Env) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![env.path("cache").join("clips")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn a_damaged_clip_is_made_again_and_prune_trims_the_cache() {
    let env = Env::new();
    let article = env.path("a.txt");
    std::fs::write(
        &article,
        "Titre du jour\n\nUne première phrase. Une deuxième phrase, un peu plus longue. Une troisième.\n",
    )
    .unwrap();
    let first = env.render(&article, &env.path("one.wav"), &["--no-sidecars"]);
    let chunks = first["synthesized"].as_u64().unwrap();
    assert!(chunks >= 4, "{first}");
    let s = stats(&env);
    assert_eq!(s["clips"].as_u64(), Some(chunks), "{s}");
    assert!(s["bytes"].as_u64().unwrap() > 0);

    // Damage one entry in its middle (a disk error, a partial copy).
    let clips = clip_files(&env);
    let victim = &clips[clips.len() / 2];
    let mut bytes = std::fs::read(victim).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 64] {
        *b ^= 0x5a;
    }
    std::fs::write(victim, bytes).unwrap();
    let second = env.render(&article, &env.path("two.wav"), &["--no-sidecars"]);
    assert_eq!(second["synthesized"], 1, "only the damaged clip: {second}");
    assert_eq!(second["cache_hits"].as_u64(), Some(chunks - 1));
    assert_eq!(
        std::fs::read(env.path("one.wav")).unwrap(),
        std::fs::read(env.path("two.wav")).unwrap(),
        "the episode is the same, so nothing damaged was played"
    );

    env.cmd()
        .args(["cache", "prune"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--older-than"));
    env.cmd()
        .args(["cache", "prune", "--older-than", "soon"])
        .assert()
        .code(2);
    // Everything was used a moment ago: an age limit keeps it all.
    let kept = env
        .cmd()
        .args(["cache", "prune", "--older-than", "1d", "--json"])
        .assert()
        .success();
    let kept: serde_json::Value = serde_json::from_slice(&kept.get_output().stdout).unwrap();
    assert_eq!(kept["clips"], 0, "{kept}");
    let size = stats(&env)["bytes"].as_u64().unwrap();
    let half = format!("{}", size / 2);
    let trimmed = env
        .cmd()
        .args(["cache", "prune", "--max-size", &half, "--json"])
        .assert()
        .success();
    let trimmed: serde_json::Value = serde_json::from_slice(&trimmed.get_output().stdout).unwrap();
    assert!(trimmed["clips"].as_u64().unwrap() >= 1, "{trimmed}");
    assert!(
        trimmed["remaining_bytes"].as_u64().unwrap() <= size / 2,
        "{trimmed}"
    );
    assert_eq!(
        stats(&env)["clips"].as_u64().unwrap(),
        chunks - trimmed["clips"].as_u64().unwrap()
    );
}
