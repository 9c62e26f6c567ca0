//! End-to-end: the real binary renders articles, and the outputs are read back with
//! independent readers (hound and a RIFF walker for the WAV, a WebVTT parser, serde_json).

mod common;

use common::{info_fields, parse_vtt, riff_chunks, Env, Wav};

/// Renders the seed article and checks everything a listener and a player would see.
fn render_seed(engine: &str) {
    let Some(seed) = common::seed_article() else {
        return;
    };
    let env = Env::new();
    let out = env.path("episode.wav");
    let assert = env
        .cmd()
        .args(["render", "--engine", engine, "--json", "-o"])
        .arg(&out)
        .arg(&seed)
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("dropped 7 repeated paragraphs"), "{stderr}");
    assert_eq!(summary["language"], "fr");
    assert!(summary["engine"]
        .as_str()
        .unwrap()
        .contains(if engine == "builtin" {
            "built-in"
        } else {
            "system"
        }));

    // The audio, read back by hound.
    let wav = Wav::read(&out);
    assert_eq!(wav.spec.channels, 1);
    assert_eq!(wav.spec.bits_per_sample, 16);
    assert_eq!(wav.spec.sample_rate, 22050);
    assert!(
        wav.duration() > 120.0 && wav.duration() < 600.0,
        "{}",
        wav.duration()
    );
    assert!((wav.duration() - summary["duration_secs"].as_f64().unwrap()).abs() < 0.001);

    // RIFF INFO tags, read by walking the chunks.
    let bytes = std::fs::read(&out).unwrap();
    let chunks = riff_chunks(&bytes);
    let list = chunks
        .iter()
        .find(|(id, _)| id == "LIST")
        .expect("LIST chunk");
    let info = info_fields(&list.1);
    let get = |k: &str| info.iter().find(|(id, _)| id == k).map(|(_, v)| v.clone());
    assert_eq!(
        get("INAM").as_deref(),
        Some("La guerre froide de l’IA : quand l’open source devient une arme")
    );
    assert_eq!(get("ILNG").as_deref(), Some("fr"));
    assert!(get("ICMT").unwrap().contains("eSpeak NG"));

    // Chapters as cue points with labels, read by walking the chunks.
    let cue = &chunks
        .iter()
        .find(|(id, _)| id == "cue ")
        .expect("cue chunk")
        .1;
    let n_points = u32::from_le_bytes(cue[0..4].try_into().unwrap()) as usize;
    assert_eq!(n_points, 2);
    let second_offset = u32::from_le_bytes(cue[4 + 24 + 20..4 + 24 + 24].try_into().unwrap());
    let adtl = chunks
        .iter()
        .find(|(id, body)| id == "LIST" && body.starts_with(b"adtl"))
        .expect("adtl list");
    let labels = String::from_utf8_lossy(&adtl.1);
    assert!(
        labels.contains("La Chine n’a pas besoin de gagner"),
        "{labels}"
    );

    // The transcript: monotonic cues inside the audio, speech inside cues, silence between.
    let vtt = std::fs::read_to_string(env.path("episode.vtt")).unwrap();
    let cues = parse_vtt(&vtt);
    assert_eq!(cues.len() as u64, summary["chunks"].as_u64().unwrap());
    for pair in cues.windows(2) {
        assert!(pair[0].start < pair[0].end, "{:?}", pair[0]);
        assert!(
            pair[0].end <= pair[1].start,
            "{:?} then {:?}",
            pair[0],
            pair[1]
        );
    }
    let last = cues.last().unwrap();
    assert!(last.end <= wav.duration() + 0.001);
    for (i, cue) in cues.iter().enumerate() {
        let speech = wav.rms(cue.start, cue.end);
        assert!(speech > 0.01, "cue {i} is audible: rms {speech}");
        if let Some(next) = cues.get(i + 1) {
            // The pause between cues, away from the 15 ms margins, is silent.
            let gap = wav.rms(cue.end + 0.02, next.start - 0.02);
            assert!(gap < 0.002, "pause after cue {i} is silent: rms {gap}");
        }
    }

    // Every paragraph is spoken exactly once, and the residue never.
    let source = std::fs::read_to_string(&seed).unwrap();
    let spoken: String = cues
        .iter()
        .map(|c| c.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let mut paragraphs: Vec<&str> = source
        .lines()
        .filter(|l| l.split_whitespace().count() > 20)
        .collect();
    paragraphs.dedup();
    paragraphs.sort();
    paragraphs.dedup();
    assert_eq!(paragraphs.len(), 9, "the seed has nine distinct paragraphs");
    for p in paragraphs {
        let first_sentence = p.split(". ").next().unwrap();
        assert_eq!(
            spoken.matches(first_sentence).count(),
            1,
            "spoken once: {first_sentence}"
        );
    }
    assert!(!spoken.contains("L'accueil") && !spoken.contains("podcast :"));

    // Chapters: the title and the heading, starting where their cues start.
    let chapters: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("episode.chapters.json")).unwrap())
            .unwrap();
    let list = chapters["chapters"].as_array().unwrap();
    assert_eq!(chapters["version"], "1.2.0");
    assert_eq!(list.len(), 2);
    assert_eq!(
        list[0]["title"],
        "La guerre froide de l’IA : quand l’open source devient une arme"
    );
    assert_eq!(list[0]["startTime"], 0.0);
    assert_eq!(
        list[1]["title"],
        "La Chine n’a pas besoin de gagner : il lui suffit d’inonder le monde"
    );
    let heading_cue = cues
        .iter()
        .find(|c| c.text.starts_with("La Chine n’a pas besoin"))
        .unwrap();
    assert!((list[1]["startTime"].as_f64().unwrap() - heading_cue.start).abs() < 0.002);
    assert!(
        (second_offset as f64 / 22050.0 - heading_cue.start).abs() < 0.002,
        "cue point at the heading"
    );

    // SRT agrees with VTT.
    let srt = std::fs::read_to_string(env.path("episode.srt")).unwrap();
    assert_eq!(srt.matches(" --> ").count(), cues.len());
    assert_eq!(
        env.files(),
        vec![
            "episode.chapters.json",
            "episode.srt",
            "episode.transcript.txt",
            "episode.vtt",
            "episode.wav"
        ]
    );
}

#[test]
fn seed_article_with_the_builtin_engine() {
    render_seed("builtin");
}

#[test]
fn seed_article_with_the_system_engine() {
    if !common::system_espeak_installed() {
        eprintln!("skipped: system espeak-ng not installed (CI installs it)");
        return;
    }
    render_seed("system");
}

#[test]
fn english_markdown_example() {
    let env = Env::new();
    let out = env.path("en.wav");
    let summary = env.render(
        &common::manifest_dir().join("examples/open-source-sound.md"),
        &out,
        &[],
    );
    assert_eq!(summary["language"], "en");
    assert_eq!(summary["language_source"], "document");
    let titles = common::chapter_titles(&summary);
    assert_eq!(
        titles,
        vec![
            "The Quiet Revolution of Open-Source Sound",
            "From the lab to the living room",
            "What comes next"
        ]
    );
    let bytes = std::fs::read(&out).unwrap();
    let info = info_fields(
        &riff_chunks(&bytes)
            .into_iter()
            .find(|(id, _)| id == "LIST")
            .unwrap()
            .1,
    );
    assert!(info.contains(&("IART".into(), "Articast Examples".into())));
    assert!(info.contains(&("ICRD".into(), "2026-11-24".into())));
    let vtt = std::fs::read_to_string(env.path("en.vtt")).unwrap();
    assert!(!vtt.contains("This code block is not read aloud"));
}

#[test]
fn french_example_at_another_rate_and_from_cache() {
    let env = Env::new();
    let out = env.path("fr.wav");
    let input = common::manifest_dir().join("examples/la-ville-lente.txt");
    let run = |extra: &[&str]| -> serde_json::Value {
        let assert = env
            .cmd()
            .args([
                "render", "--engine", "builtin", "--json", "--rate", "44100", "-o",
            ])
            .arg(&out)
            .arg(&input)
            .args(extra)
            .assert()
            .success();
        serde_json::from_slice(&assert.get_output().stdout).unwrap()
    };
    let first = run(&[]);
    let wav = Wav::read(&out);
    assert_eq!(wav.spec.sample_rate, 44100);
    assert!((wav.duration() - first["duration_secs"].as_f64().unwrap()).abs() < 0.001);
    assert_eq!(first["cache_hits"], 0);
    // A second run reuses every clip and gives the same audio, byte for byte.
    let before = std::fs::read(&out).unwrap();
    let second = run(&[]);
    assert_eq!(second["synthesized"], 0);
    assert_eq!(second["cache_hits"], first["chunks"]);
    assert_eq!(std::fs::read(&out).unwrap(), before);
    // Halved pauses make a shorter episode with the same speech.
    let third = run(&["--pause-scale", "0.5", "--no-cache"]);
    assert!(
        third["duration_secs"].as_f64().unwrap() < first["duration_secs"].as_f64().unwrap() - 2.0
    );
}

#[test]
fn standard_input_with_a_language() {
    let env = Env::new();
    let out = env.path("stdin.wav");
    env.cmd()
        .args([
            "render", "-", "--lang", "en", "--engine", "builtin", "-q", "-o",
        ])
        .arg(&out)
        .write_stdin("A Title\n\nA first sentence that is long enough. And a second one.\n")
        .assert()
        .success()
        .stderr("");
    assert!(Wav::read(&out).duration() > 2.0);
}
