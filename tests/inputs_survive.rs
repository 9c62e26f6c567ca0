//! Nothing a render is given is ever modified: no output (audio or sidecar) may land on
//! an input of the same run, however the two paths are spelled or linked.

mod common;

use std::path::Path;

use common::Env;
use predicates::prelude::*;

const ARTICLE: &str = "La ville lente\n\nDepuis 2015, près de 1 500 communes ont réduit la vitesse dans leurs centres.\n";

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// Expects `render` with `args` to be refused as a usage error naming `role`, and every
/// file in `untouched` to keep its bytes.
fn refused(env: &Env, args: &[&str], role: &str, untouched: &[&Path]) {
    let before: Vec<Vec<u8>> = untouched
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    env.cmd()
        .current_dir(env.dir.path())
        .args(["render", "--engine", "builtin", "--lang", "fr"])
        .args(args)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(role))
        .stderr(predicate::str::contains("Choose another output name"));
    for (p, bytes) in untouched.iter().zip(before) {
        assert_eq!(std::fs::read(p).unwrap(), bytes, "{} changed", p.display());
    }
}

#[test]
fn the_natural_command_keeps_the_article_and_names_the_transcript_apart() {
    let env = Env::new();
    let article = env.path("la-ville-lente.txt");
    std::fs::copy(
        common::manifest_dir().join("examples/la-ville-lente.txt"),
        &article,
    )
    .unwrap();
    let original = std::fs::read(&article).unwrap();
    env.cmd()
        .current_dir(env.dir.path())
        .args([
            "render",
            "--engine",
            "builtin",
            "la-ville-lente.txt",
            "-o",
            "la-ville-lente.wav",
        ])
        .assert()
        .success();
    assert_eq!(std::fs::read(&article).unwrap(), original, "article intact");
    let transcript = std::fs::read_to_string(env.path("la-ville-lente.transcript.txt")).unwrap();
    assert!(transcript.starts_with("La ville lente"), "{transcript}");
    for f in [
        "la-ville-lente.vtt",
        "la-ville-lente.srt",
        "la-ville-lente.chapters.json",
    ] {
        assert!(env.path(f).is_file(), "{f}");
    }
}

#[test]
fn music_lexicons_covers_and_voice_files_are_never_outputs() {
    let env = Env::new();
    std::fs::create_dir(env.path("o")).unwrap();
    let article = env.path("a.txt");
    write(&article, ARTICLE);
    let jingle = env.path("o/jingle.wav");
    write(&jingle, "not really a wav, but it must survive");
    refused(
        &env,
        &["a.txt", "-o", "o/jingle.wav", "--intro", "o/jingle.wav"],
        "intro music",
        &[&jingle],
    );
    // The lexicon shares a sidecar's name (spelled differently).
    let lexicon = env.path("o/ep.vtt");
    write(&lexicon, "[words]\nLyon = \"Lion\"\n");
    refused(
        &env,
        &["a.txt", "-o", "./o/../o/ep.mp3", "--lexicon", "o/ep.vtt"],
        "lexicon",
        &[&lexicon],
    );
    // A lexicon named like the old plain-transcript sidecar is no longer in the way.
    let old_name = env.path("o/ep.txt");
    write(&old_name, "[words]\nLyon = \"Lion\"\n");
    env.cmd()
        .current_dir(env.dir.path())
        .args(["render", "--engine", "builtin", "a.txt", "-o", "o/ep.wav"])
        .args(["--lexicon", "o/ep.txt", "-q"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&old_name).unwrap(),
        "[words]\nLyon = \"Lion\"\n"
    );
    // The show's lexicon beside the article, and a voice file.
    let show = env.path("lexicon.toml");
    write(&show, "[words]\nLyon = \"Lion\"\n");
    #[cfg(unix)]
    {
        std::fs::hard_link(&show, env.path("show.vtt")).unwrap();
        refused(&env, &["a.txt", "-o", "show.wav"], "show lexicon", &[&show]);
    }
    std::fs::remove_file(&show).unwrap();
    let voice = env.path("o/v.srt");
    write(
        &voice,
        "name = \"v\"\nlanguage = \"fr\"\nbackend = \"espeak\"\n[espeak]\nvoice = \"fr\"\n",
    );
    refused(
        &env,
        &["a.txt", "-o", "o/v.wav", "--voice", "o/v.srt"],
        "voice file",
        &[&voice],
    );
    // A cover, by a symbolic link.
    #[cfg(unix)]
    {
        let cover = env.path("cover.png");
        std::fs::copy(
            common::manifest_dir().join("tests/fixtures/cover.png"),
            &cover,
        )
        .unwrap();
        std::os::unix::fs::symlink(&cover, env.path("o/c.chapters.json")).unwrap();
        refused(
            &env,
            &["a.txt", "-o", "o/c.mp3", "--cover", "cover.png"],
            "cover",
            &[&cover],
        );
    }
}

#[cfg(unix)]
#[test]
fn a_hard_link_to_the_article_is_caught() {
    let env = Env::new();
    let article = env.path("story.txt");
    write(&article, ARTICLE);
    std::fs::hard_link(&article, env.path("ep.srt")).unwrap();
    refused(&env, &["story.txt", "-o", "ep.wav"], "article", &[&article]);
    assert!(!env.path("ep.wav").exists(), "nothing written");
}
