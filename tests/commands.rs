//! End-to-end: `script` and `voices`.

mod common;

use common::Env;
use predicates::prelude::*;

#[test]
fn script_json_of_the_seed() {
    let Some(seed) = common::seed_article() else {
        return;
    };
    let env = Env::new();
    let assert = env
        .cmd()
        .args(["script", "--json", "--engine", "builtin"])
        .arg(&seed)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("dix-neuvième siècle"));
    assert!(
        !stdout.contains("accueil"),
        "navigation residue is not in the script"
    );
    let script: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(script["language"], "fr");
    let chunks = script["chunks"].as_array().unwrap();
    let max = script["max_chars"].as_u64().unwrap() as usize;
    for c in chunks {
        assert!(c["spoken"].as_str().unwrap().chars().count() <= max);
        // The built-in engine mispronounces typographic apostrophes: none reach it.
        assert!(!c["spoken"].as_str().unwrap().contains('’'));
    }
    let heading = chunks
        .iter()
        .find(|c| c["written"].as_str().unwrap().starts_with("La Chine"))
        .unwrap();
    assert_eq!(heading["role"], "heading");
    assert_eq!(heading["chapter"], 1);
    assert!(chunks.iter().any(|c| c["rules"]
        .as_array()
        .unwrap()
        .contains(&"roman_ordinal".into())));
    let dropped = script["dropped"].as_array().unwrap();
    assert_eq!(
        dropped
            .iter()
            .filter(|d| d["reason"] == "duplicate")
            .count(),
        7
    );
}

#[test]
fn script_text_output_and_keep_duplicates() {
    let env = Env::new();
    let input = env.path("dup.txt");
    let p = "Un paragraphe de plusieurs mots qui se répète sans cesse.";
    std::fs::write(&input, format!("Titre\n{p}\n{p}\n")).unwrap();
    env.cmd()
        .args(["script", "--engine", "builtin"])
        .arg(&input)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "dropped 1 repeated paragraph (line 3)",
        ))
        .stdout(predicate::str::contains("chapter 1: Titre"));
    let assert = env
        .cmd()
        .args([
            "script",
            "--json",
            "--keep-duplicates",
            "--engine",
            "builtin",
        ])
        .arg(&input)
        .assert()
        .success();
    let script: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(script["chunks"].as_array().unwrap().len(), 3);
}

/// A user voice "lent": French, slow, built-in engine, with a one-word lexicon.
fn write_slow_voice(env: &Env) {
    std::fs::create_dir_all(env.path("voices")).unwrap();
    std::fs::write(
        env.path("voices/lent.toml"),
        "name = \"lent\"\nlanguage = \"fr\"\nbackend = \"espeak\"\n[espeak]\nvoice = \"fr\"\nrate = 120\nengine = \"builtin\"\n[lexicon]\nNguyen = \"Nouyène\"\n",
    )
    .unwrap();
}

#[test]
fn voices_lists_builtin_and_user_voices() {
    let env = Env::new();
    write_slow_voice(&env);
    let assert = env.cmd().args(["voices", "--json"]).assert().success();
    let voices: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let names: Vec<&str> = voices
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    for n in ["fr", "en", "en-us", "lent"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    let lent = voices
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "lent")
        .unwrap();
    assert_eq!(lent["origin"]["kind"], "user");
    assert_eq!(lent["usable"], true);
    assert!(lent["engine"].as_str().unwrap().contains("built-in"));
    env.cmd()
        .arg("voices")
        .assert()
        .success()
        .stdout(predicate::str::contains("NAME"));
}

#[test]
fn user_voice_is_used_by_name() {
    let env = Env::new();
    write_slow_voice(&env);
    let input = env.path("a.txt");
    std::fs::write(
        &input,
        "Titre\nUn paragraphe assez long pour compter vraiment.\n",
    )
    .unwrap();
    let render = |voice: &str| -> f64 {
        let out = env.path(&format!("{voice}.wav"));
        let a = env
            .cmd()
            .args([
                "render", "--json", "--engine", "builtin", "--voice", voice, "-o",
            ])
            .arg(&out)
            .arg(&input)
            .assert()
            .success();
        let s: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
        assert_eq!(s["voice"], voice);
        s["duration_secs"].as_f64().unwrap()
    };
    let slow = render("lent");
    let normal = render("fr");
    assert!(slow > normal, "rate 120 is slower: {slow} vs {normal}");
}

#[test]
fn only_a_voice_named_after_the_language_or_a_pinned_one_changes_the_default() {
    let env = Env::new();
    write_slow_voice(&env);
    std::fs::write(
        env.path("voices/aa-fr.toml"),
        "name = \"aa-fr\"\nlanguage = \"fr\"\nbackend = \"espeak\"\n[espeak]\nvoice = \"fr\"\nrate = 300\n",
    )
    .unwrap();
    let input = env.path("a.txt");
    std::fs::write(
        &input,
        "Titre\nUn paragraphe assez long pour compter vraiment.\n",
    )
    .unwrap();
    let voice = || {
        let a = env
            .cmd()
            .args(["script", "--json"])
            .arg(&input)
            .assert()
            .success();
        let s: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
        s["voice"].as_str().unwrap().to_string()
    };
    assert_eq!(
        voice(),
        "fr",
        "lent.toml and aa-fr.toml are only used by name"
    );
    // The user's own fr.toml overrides the built-in voice of that name.
    std::fs::write(
        env.path("voices/fr.toml"),
        "name = \"fr\"\nlanguage = \"fr\"\ndescription = \"mine\"\nbackend = \"espeak\"\n[espeak]\nvoice = \"fr\"\nrate = 150\n",
    )
    .unwrap();
    let a = env.cmd().args(["voices", "--json"]).assert().success();
    let voices: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    let fr = voices
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "fr")
        .unwrap();
    assert_eq!(fr["origin"]["kind"], "user");
    assert_eq!(voice(), "fr");
    // The settings file pins another.
    std::fs::write(env.path("config.toml"), "[voices]\nfr = \"lent\"\n").unwrap();
    assert_eq!(voice(), "lent");
}

#[test]
fn lexicons_from_the_show_folder_and_the_command_line() {
    let env = Env::new();
    let input = env.path("a.txt");
    std::fs::write(
        &input,
        "Titre\nKubernetes et SQL tournent sur un GIF animé, dit Nguyen.\n",
    )
    .unwrap();
    std::fs::write(
        env.path("lexicon.toml"),
        "[words]\nKubernetes = \"kou-beur-nè-tiss\"\nSQL = \"esse ku elle\"\n",
    )
    .unwrap();
    let extra = env.path("extra.toml");
    std::fs::write(&extra, "[words]\nSQL = \"sequel\"\n[[entry]]\nwritten = \"gif\"\nspoken = \"jif\"\nignore_case = true\n").unwrap();
    let assert = env
        .cmd()
        .args(["script", "--json", "--engine", "builtin", "--lexicon"])
        .arg(&extra)
        .arg(&input)
        .assert()
        .success();
    let script: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let chunk = &script["chunks"][1];
    assert_eq!(
        chunk["spoken"],
        "kou-beur-nè-tiss et sequel tournent sur un jif animé, dit Nguyen."
    );
    assert!(chunk["rules"]
        .as_array()
        .unwrap()
        .contains(&"lexicon".into()));
    std::fs::write(&extra, "[words]\nSQL = 3\n").unwrap();
    env.cmd()
        .args(["script", "--engine", "builtin", "--lexicon"])
        .arg(&extra)
        .arg(&input)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("invalid lexicon").and(predicate::str::contains("line 2")),
        );
}

#[test]
fn words_given_in_ipa_are_said_as_given_by_every_espeak_engine() {
    let env = Env::new();
    let input = env.path("a.txt");
    std::fs::write(&input, "Titre\nOK OK OK, dit SQL.\n").unwrap();
    let lexicon = env.path("lexicon.toml");
    let say_ok = |ipa: &str| {
        std::fs::write(
            &lexicon,
            format!("[ipa]\nOK = \"{ipa}\"\nSQL = \"/ˈsiːkwəl/\"\n"),
        )
        .unwrap()
    };
    say_ok("ɲ");
    let assert = env
        .cmd()
        .args(["script", "--json", "--engine", "builtin"])
        .arg(&input)
        .assert()
        .success();
    let script: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(
        script["chunks"][1]["spoken"],
        "⟦OK|ɲ⟧ ⟦OK|ɲ⟧ ⟦OK|ɲ⟧, dit ⟦SQL|ˈsiːkwəl⟧."
    );
    let render = |engine: &str, out: &str| {
        env.cmd()
            .args(["render", "-q", "--no-sidecars", "--engine", engine, "-o"])
            .arg(env.path(out))
            .arg(&input)
            .assert()
            .success();
        common::Wav::read(&env.path(out)).samples
    };
    // `ɲ` and `n` are `[[n^]]` and `[[n]]` to eSpeak NG: read as text (phoneme input
    // off), both would be the letter name "ène", the same audio.
    let mut engines = vec!["builtin"];
    if common::system_espeak_installed() {
        engines.push("system");
    }
    for engine in engines {
        say_ok("ɲ");
        let palatal = render(engine, "palatal.wav");
        say_ok("n");
        let alveolar = render(engine, "alveolar.wav");
        assert_ne!(palatal, alveolar, "{engine}: ɲ and n sound the same");
    }
    // IPA that is not IPA: the file, the line and the character.
    std::fs::write(&lexicon, "[ipa]\nOK = \"k\"\nSQL = \"SQL\"\n").unwrap();
    env.cmd()
        .args(["script", "--engine", "builtin"])
        .arg(&input)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("lexicon.toml")
                .and(predicate::str::contains("line 3"))
                .and(predicate::str::contains("'S'")),
        );
}

#[test]
fn a_voice_file_lexicon_applies_when_that_voice_speaks() {
    let env = Env::new();
    write_slow_voice(&env);
    let input = env.path("a.txt");
    std::fs::write(
        &input,
        "Titre\nUn texte assez long lu par Nguyen ce matin.\n",
    )
    .unwrap();
    let spoken = |voice: &str| -> String {
        let assert = env
            .cmd()
            .args(["script", "--json", "--voice", voice])
            .arg(&input)
            .assert()
            .success();
        let script: serde_json::Value =
            serde_json::from_slice(&assert.get_output().stdout).unwrap();
        script["chunks"][1]["spoken"].as_str().unwrap().to_string()
    };
    assert_eq!(
        spoken("lent"),
        "Un texte assez long lu par Nouyène ce matin."
    );
    assert_eq!(spoken("fr"), "Un texte assez long lu par Nguyen ce matin.");
}

#[test]
fn voices_list_filters_by_language_however_it_is_written() {
    let env = Env::new();
    let names = |lang: &str| -> Vec<String> {
        let out = env
            .cmd()
            .args(["voices", "list", "--json", "--lang", lang])
            .assert()
            .success();
        let voices: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        voices
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("fr_FR"), ["fr"]);
    assert_eq!(names("EN-us"), ["en", "en-us"]);
    // A language articast does not know lists nothing (and never panics on its bytes).
    assert!(names("é").is_empty());
}
