//! End-to-end: saved web pages become episodes that read only the article, titled and
//! tagged from the page's metadata, in the page's language.

mod common;

use common::Env;

#[test]
fn french_page_to_mp3() {
    let env = Env::new();
    let page = common::manifest_dir().join("tests/fixtures/pages/fr-article.html");
    let out = env.path("page.mp3");
    let summary = env.render(&page, &out, &[]);
    assert_eq!(summary["language"], "fr");
    assert_eq!(summary["language_source"], "document");
    let titles = common::chapter_titles(&summary);
    assert_eq!(
        titles,
        vec![
            "La ville lente : ce que le XXIe siècle doit aux rues sans voitures",
            "Les limites d’un modèle"
        ]
    );
    let tag = id3::Tag::read_from_path(&out).unwrap();
    use id3::TagLike;
    assert_eq!(
        tag.title(),
        Some("La ville lente : ce que le XXIe siècle doit aux rues sans voitures")
    );
    assert_eq!(tag.artist(), Some("Claire Dubois"));
    let transcript = std::fs::read_to_string(env.path("page.transcript.txt")).unwrap();
    assert!(transcript.contains("Depuis 2015, près de 1 500 communes"));
    assert!(
        transcript
            .trim_end()
            .ends_with("pas encore celle des usages."),
        "{transcript}"
    );
    for clutter in [
        "cookies",
        "Rechercher",
        "Facebook",
        "newsletter",
        "commentaires",
        "Tous droits",
    ] {
        assert!(!transcript.contains(clutter), "{clutter} read aloud");
    }
}

#[test]
fn html_on_standard_input_is_sniffed() {
    let env = Env::new();
    let page = std::fs::read_to_string(
        common::manifest_dir().join("tests/fixtures/pages/en-article.html"),
    )
    .unwrap();
    let assert = env
        .cmd()
        .args(["script", "-", "--json", "--engine", "builtin"])
        .write_stdin(page)
        .assert()
        .success();
    let script: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(script["language"], "en");
    assert_eq!(script["meta"]["title"], "Why open-source voices matter");
    let first = script["chunks"][1]["written"].as_str().unwrap();
    assert!(first.starts_with("In 1995"), "{first}");
}
