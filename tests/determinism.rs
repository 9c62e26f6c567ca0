//! Same input, same settings, same samples: whatever the thread count, whichever worker
//! speaks which chunk, and whatever it spoke before.

mod common;

use std::path::Path;

use articast::synth::espeak::Prosody;
use articast::synth::espeak_worker::WorkerPool;
use common::Env;

fn prosody(rate: u32) -> Prosody {
    Prosody {
        voice: "fr".into(),
        rate,
        pitch: 50,
        range: 50,
        volume: 100,
    }
}

#[test]
fn a_system_worker_speaks_a_chunk_alike_whatever_it_spoke_before() {
    let Ok(pool) = WorkerPool::start(Path::new(env!("CARGO_BIN_EXE_articast"))) else {
        assert!(
            !common::system_espeak_installed() || std::env::var_os("CI").is_none(),
            "CI installs libespeak-ng"
        );
        eprintln!("libespeak-ng not installed; skipped (CI installs it)");
        return;
    };
    let text = "Depuis 2015, près de mille communes ont réduit la vitesse.";
    let alone = pool.synthesize(&prosody(170), text).unwrap();
    let twice = pool.synthesize(&prosody(170), text).unwrap();
    pool.synthesize(&prosody(130), "Un titre lent, et une question ?")
        .unwrap();
    let after_another = pool.synthesize(&prosody(170), text).unwrap();
    assert_eq!(alone.1.len(), twice.1.len(), "same chunk twice");
    assert!(alone == twice && alone == after_another, "samples differ");
}

fn render_samples(env: &Env, input: &Path, engine: &str, jobs: &str) -> Vec<i16> {
    let out = env.path(&format!("{engine}-{jobs}.wav"));
    env.cmd()
        .args([
            "render",
            "--engine",
            engine,
            "--no-cache",
            "-q",
            "--no-sidecars",
        ])
        .args(["-j", jobs, "-o"])
        .arg(&out)
        .arg(input)
        .assert()
        .success();
    common::Wav::read(&out).samples
}

#[test]
fn an_episode_is_the_same_at_every_thread_count() {
    let env = Env::new();
    let input = env.path("article.txt");
    std::fs::copy(
        common::manifest_dir().join("examples/la-ville-lente.txt"),
        &input,
    )
    .unwrap();
    let mut engines = vec!["builtin"];
    if common::system_espeak_installed() {
        engines.push("system");
    }
    for engine in engines {
        let one = render_samples(&env, &input, engine, "1");
        for jobs in ["2", "4"] {
            let other = render_samples(&env, &input, engine, jobs);
            assert_eq!(one.len(), other.len(), "{engine} at -j {jobs}: length");
            assert!(one == other, "{engine} at -j {jobs}: samples differ");
        }
    }
}
