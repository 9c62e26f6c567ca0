//! End-to-end: archives become folders of episodes and podcast feeds, incrementally, one
//! shard at a time or all at once. Feeds are read back with parsers other than the
//! writer's (`feed-rs`, and `roxmltree` for the namespaced elements), episodes with
//! symphonia; pages and feeds come from a real HTTP server on 127.0.0.1.

mod common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::Env;
use predicates::prelude::*;

const FR: &[&str] = &[
    "La ville lente gagne du terrain. Les rues se vident de voitures le dimanche.",
    "Le conseil a voté le budget. Il augmente de trois pour cent cette année.",
    "Les écoles ouvrent plus tôt. Les parents saluent une décision attendue.",
];
const EN: &[&str] = &[
    "The library reopened today. Readers queued around the block before dawn.",
    "A new bridge spans the river. It took four years and two budgets to build.",
];

/// A show folder: articles (French and English, in subfolders), show.toml, a cover.
fn archive(env: &Env) -> (PathBuf, PathBuf) {
    let articles = env.path("articles");
    std::fs::create_dir_all(articles.join("en")).unwrap();
    for (i, text) in FR.iter().enumerate() {
        std::fs::write(
            articles.join(format!("fr-{i}.md")),
            format!(
                "---\ntitle: Article {i}\ndate: 2026-11-0{}\n---\n\n{text}\n",
                i + 1
            ),
        )
        .unwrap();
    }
    for (i, text) in EN.iter().enumerate() {
        std::fs::write(
            articles.join(format!("en/story-{i}.md")),
            format!("# Story {i}\n\n{text}\n"),
        )
        .unwrap();
    }
    let show = env.path("show.toml");
    std::fs::copy(
        common::manifest_dir().join("tests/fixtures/cover.png"),
        env.path("cover.png"),
    )
    .unwrap();
    std::fs::write(
        &show,
        r#"[show]
title = "Le Fil"
author = "Rédaction"
description = "Articles read aloud."
language = "fr"
cover = "cover.png"
categories = ["News/Daily News"]
explicit = false
owner = { name = "Rédaction", email = "podcast@example.org" }
base_url = "https://example.org/podcast/"

[render]
voices = { en = "en-us" }
"#,
    )
    .unwrap();
    (articles, show)
}

fn batch(env: &Env, args: &[&str]) -> (serde_json::Value, assert_cmd::assert::Assert) {
    let assert = env
        .cmd()
        .args(["batch", "--engine", "builtin", "--json", "-q"])
        .args(args)
        .assert();
    let json =
        serde_json::from_slice(&assert.get_output().stdout).unwrap_or(serde_json::Value::Null);
    (json, assert)
}

/// Runs `articast batch ARTICLES --out OUT --show SHOW EXTRA...` (see [`batch`]).
fn batch_to(
    env: &Env,
    articles: &Path,
    out: &Path,
    show: &Path,
    extra: &[&str],
) -> (serde_json::Value, assert_cmd::assert::Assert) {
    let mut args = vec![
        articles.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--show",
        show.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    batch(env, &args)
}

/// The feed's items as an independent parser reads them.
fn parse_feed(path: &Path) -> feed_rs::model::Feed {
    feed_rs::parser::parse(std::fs::read(path).unwrap().as_slice()).expect("feed-rs reads the feed")
}

fn decoded_secs(path: &Path) -> f64 {
    let mut frames = 0usize;
    let mut rate = 1;
    articast::assemble::music::for_each_block(path, |block, channels, r| {
        frames += block.len() / channels;
        rate = r;
        Ok(())
    })
    .unwrap();
    frames as f64 / rate as f64
}

#[test]
fn an_archive_becomes_a_feed_and_reruns_do_only_what_changed() {
    let env = Env::new();
    let (articles, show) = archive(&env);
    let out = env.path("public");
    let args = [
        articles.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--show",
        show.to_str().unwrap(),
    ];
    let (first, assert) = batch(&env, &args);
    assert.success();
    assert_eq!(first["rendered"], 5, "{first}");
    let feed_path = out.join("feed.xml");
    let feed = parse_feed(&feed_path);
    assert_eq!(feed.entries.len(), 5);
    assert_eq!(feed.title.as_ref().unwrap().content, "Le Fil");
    // Newest first: the dated French articles after the undated (file-time) English ones.
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert!(
        titles.iter().position(|t| t == "Article 2") < titles.iter().position(|t| t == "Article 0"),
        "{titles:?}"
    );

    // Enclosures: exact byte lengths, durations as decoded, transcripts and chapters there.
    let xml = std::fs::read_to_string(&feed_path).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
    let podcast = "https://podcastindex.org/namespace/1.0";
    let channel = doc
        .descendants()
        .find(|n| n.has_tag_name("channel"))
        .unwrap();
    assert!(channel
        .children()
        .any(|n| n.has_tag_name((podcast, "guid"))));
    assert!(channel
        .children()
        .any(|n| n.has_tag_name((itunes, "category"))));
    let mut guids = std::collections::HashSet::new();
    for item in doc.descendants().filter(|n| n.has_tag_name("item")) {
        let enclosure = item
            .children()
            .find(|n| n.has_tag_name("enclosure"))
            .unwrap();
        let url = enclosure.attribute("url").unwrap();
        let file = out.join(url.strip_prefix("https://example.org/podcast/").unwrap());
        assert_eq!(
            enclosure
                .attribute("length")
                .unwrap()
                .parse::<u64>()
                .unwrap(),
            std::fs::metadata(&file).unwrap().len()
        );
        assert_eq!(enclosure.attribute("type"), Some("audio/mpeg"));
        let duration: f64 = item
            .children()
            .find(|n| n.has_tag_name((itunes, "duration")))
            .and_then(|n| n.text())
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            (duration - decoded_secs(&file)).abs() <= 0.6,
            "{duration} vs {}",
            decoded_secs(&file)
        );
        for link in item.children().filter(|n| {
            n.has_tag_name((podcast, "transcript")) || n.has_tag_name((podcast, "chapters"))
        }) {
            let url = link.attribute("url").unwrap();
            assert!(out.join(url.rsplit('/').next().unwrap()).is_file(), "{url}");
        }
        assert_eq!(
            item.children()
                .filter(|n| n.has_tag_name((podcast, "transcript")))
                .count(),
            2
        );
        let guid = item.children().find(|n| n.has_tag_name("guid")).unwrap();
        assert_eq!(guid.attribute("isPermaLink"), Some("false"));
        assert!(guids.insert(guid.text().unwrap().to_string()));
        let pub_date = item
            .children()
            .find(|n| n.has_tag_name("pubDate"))
            .unwrap()
            .text()
            .unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc2822(pub_date).is_ok(),
            "{pub_date}"
        );
    }

    // A rerun over an unchanged archive synthesizes and encodes nothing.
    let (second, assert) = batch(&env, &args);
    assert.success();
    assert_eq!(
        (second["rendered"].as_u64(), second["unchanged"].as_u64()),
        (Some(0), Some(5))
    );
    assert_eq!(second["synthesized_chunks"], 0);
    assert_eq!(
        std::fs::read_to_string(&feed_path).unwrap(),
        xml,
        "the same feed"
    );

    // One edited sentence: only that article, and only its changed sentence, again.
    let edited = articles.join("fr-1.md");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replace("trois pour cent", "quatre pour cent")).unwrap();
    let old_files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let (third, assert) = batch(&env, &args);
    assert.success();
    assert_eq!(third["rendered"], 1, "{third}");
    assert_eq!(
        third["synthesized_chunks"], 1,
        "one sentence changed: {third}"
    );
    assert!(third["reused_chunks"].as_u64().unwrap() >= 2, "{third}");
    let new_files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let replaced: Vec<&String> = old_files
        .iter()
        .filter(|f| !new_files.contains(f))
        .collect();
    assert_eq!(
        replaced.len(),
        5,
        "the old episode and its four sidecars are gone: {replaced:?}"
    );
    assert!(replaced.iter().all(|f| f.starts_with("article-1-")));
    let feed = parse_feed(&feed_path);
    assert_eq!(feed.entries.len(), 5);
    let guids_after: std::collections::HashSet<String> =
        feed.entries.iter().map(|e| e.id.clone()).collect();
    assert_eq!(
        guids_after, guids,
        "GUIDs follow the article, not its audio"
    );

    // A damaged episode (cut short by hand, a full disk elsewhere) is made again, from
    // the clip cache.
    let damaged = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("article-2-")
                && p.extension().is_some_and(|e| e == "mp3")
        })
        .unwrap();
    let len = std::fs::metadata(&damaged).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&damaged)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    let (fourth, assert) = batch(&env, &args);
    assert.success();
    assert_eq!(fourth["rendered"], 1, "{fourth}");
    assert_eq!(fourth["synthesized_chunks"], 0, "{fourth}");
    assert_eq!(std::fs::metadata(&damaged).unwrap().len(), len);
}

#[test]
fn a_broken_article_fails_alone_and_names_its_reason() {
    let env = Env::new();
    let (articles, show) = archive(&env);
    std::fs::write(
        articles.join("broken.md"),
        [0u8, 159, 146, 150, 0, 0, 1, 2, 3],
    )
    .unwrap();
    std::fs::write(articles.join("empty.txt"), "   \n").unwrap();
    let out = env.path("public");
    let (report, assert) = batch_to(&env, &articles, &out, &show, &[]);
    assert
        .code(1)
        .stderr(predicate::str::contains("2 articles failed"));
    assert_eq!(report["rendered"], 5);
    assert_eq!(report["failed"], 2);
    let failures = report["failures"].as_array().unwrap();
    assert!(
        failures
            .iter()
            .any(|f| f["identity"] == "broken.md"
                && f["reason"].as_str().unwrap().contains("binary")),
        "{failures:?}"
    );
    assert!(
        failures
            .iter()
            .any(|f| f["identity"] == "empty.txt"
                && f["reason"].as_str().unwrap().contains("no text")),
        "{failures:?}"
    );
    assert_eq!(parse_feed(&out.join("feed.xml")).entries.len(), 5);
}

#[test]
fn unsafe_titles_make_harmless_names_inside_the_folder() {
    let env = Env::new();
    let articles = env.path("articles");
    std::fs::create_dir_all(&articles).unwrap();
    for (i, title) in ["../../etc/passwd", "CON", "Café « à la une » ?"]
        .iter()
        .enumerate()
    {
        std::fs::write(
            articles.join(format!("{i}.md")),
            format!("---\ntitle: \"{title}\"\n---\n\nUne phrase pour commencer la lecture.\n"),
        )
        .unwrap();
    }
    let out = env.path("public");
    let (_, assert) = batch(
        &env,
        &[
            articles.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--lang",
            "fr",
        ],
    );
    assert.success();
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".mp3"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names[0].starts_with("cafe-a-la-une-"), "{names:?}");
    assert!(names[1].starts_with("ep-con-"), "{names:?}");
    assert!(names[2].starts_with("etc-passwd-"), "{names:?}");
    assert!(!env.path("etc").exists());
}

/// Everything of a manifest entry but what depends on timing and the cache.
fn stable(entry: &serde_json::Value) -> serde_json::Value {
    let mut e = entry.clone();
    let obj = e.as_object_mut().unwrap();
    obj.remove("written_at");
    if let Some(report) = obj.get_mut("report").and_then(|r| r.as_object_mut()) {
        for k in [
            "elapsed_secs",
            "synthesis_secs",
            "mastering_secs",
            "realtime_factor",
            "threads",
            "synthesized",
            "cache_hits",
        ] {
            report.remove(k);
        }
    }
    e
}

fn merged_manifest(out: &Path) -> serde_json::Value {
    let m = articast::batch::manifest::Manifest::merged(out).unwrap();
    let mut entries = serde_json::Map::new();
    for (id, e) in m.entries {
        entries.insert(id, stable(&serde_json::to_value(e).unwrap()));
    }
    serde_json::Value::Object(entries)
}

#[test]
fn four_shards_as_four_processes_make_the_same_manifest_and_feed_as_one_run() {
    let env = Env::new();
    let (articles, show) = archive(&env);
    let one = env.path("one");
    let (_, assert) = batch_to(&env, &articles, &one, &show, &["--no-cache"]);
    assert.success();
    let sharded = env.path("sharded");
    // Four processes at once, sharing the output folder (and the clip cache).
    let children: Vec<std::process::Child> = (1..=4)
        .map(|k| {
            let cmd = env.cmd();
            std::process::Command::new(cmd.get_program())
                .envs(cmd.get_envs().filter_map(|(a, b)| b.map(|b| (a, b))))
                .args(["batch", "--engine", "builtin", "-q"])
                .arg(&articles)
                .args([
                    "--out",
                    sharded.to_str().unwrap(),
                    "--show",
                    show.to_str().unwrap(),
                ])
                .arg("--shard")
                .arg(format!("{k}/4"))
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let parts = std::fs::read_dir(sharded.join(".articast"))
        .unwrap()
        .count();
    assert_eq!(parts, 4);
    assert!(
        !sharded.join("feed.xml").exists(),
        "shards leave the feed to `articast feed`"
    );
    env.cmd()
        .args(["feed"])
        .arg(&sharded)
        .args(["--show", show.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(merged_manifest(&sharded), merged_manifest(&one));
    assert_eq!(
        std::fs::read(sharded.join("feed.xml")).unwrap(),
        std::fs::read(one.join("feed.xml")).unwrap(),
        "byte-identical feeds"
    );
    // A Kubernetes Indexed Job gives the index in the environment.
    let k8s = env.path("k8s");
    env.cmd()
        .env("JOB_COMPLETION_INDEX", "0")
        .env("ARTICAST_SHARDS", "2")
        .args(["batch", "--engine", "builtin", "-q"])
        .arg(&articles)
        .args(["--out", k8s.to_str().unwrap()])
        .assert()
        .success();
    assert!(k8s.join(".articast/part-01-of-02.json").is_file());
}

#[test]
fn show_files_name_the_field_podcast_apps_need() {
    let env = Env::new();
    let (articles, show) = archive(&env);
    let text = std::fs::read_to_string(&show).unwrap();
    std::fs::write(
        &show,
        text.replace(
            "categories = [\"News/Daily News\"]\n",
            "categories = [\"Newz\"]\n",
        ),
    )
    .unwrap();
    env.cmd()
        .args(["batch", "--engine", "builtin"])
        .arg(&articles)
        .args([
            "--out",
            env.path("o").to_str().unwrap(),
            "--show",
            show.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("show.categories"))
        .stderr(predicate::str::contains("not an Apple Podcasts category"));
    std::fs::write(
        &show,
        text.replace("description = \"Articles read aloud.\"\n", ""),
    )
    .unwrap();
    let out = env.path("o2");
    env.cmd()
        .args(["batch", "--engine", "builtin", "-q"])
        .arg(&articles)
        .args([
            "--out",
            out.to_str().unwrap(),
            "--show",
            show.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("show.description: missing"))
        .stderr(predicate::str::contains("--no-feed"));
    assert!(
        !out.exists(),
        "nothing rendered for a feed that cannot be written"
    );
    env.cmd()
        .args(["batch", "--engine", "builtin", "-q", "--no-feed"])
        .arg(&articles)
        .args([
            "--out",
            out.to_str().unwrap(),
            "--show",
            show.to_str().unwrap(),
        ])
        .assert()
        .success();
    env.cmd()
        .args(["feed", "--check"])
        .arg(&out)
        .args(["--show", show.to_str().unwrap()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("show.description"));
}

/// A web server on 127.0.0.1 serving `pages` (path → (content type, body)), answering
/// conditional requests with 304, and counting what it sent in full.
struct Site {
    base: String,
    full_answers: Arc<Mutex<Vec<String>>>,
}

fn site(pages: Vec<(&'static str, &'static str, String)>) -> Site {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let full_answers = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&full_answers);
    let base_for_pages = base.clone();
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let path = request.url().to_string();
            let Some((_, kind, body)) = pages.iter().find(|(p, _, _)| *p == path) else {
                let _ =
                    request.respond(tiny_http::Response::from_string("gone").with_status_code(404));
                continue;
            };
            let body = body.replace("{base}", &base_for_pages);
            let etag = format!("\"{}\"", blake3::hash(body.as_bytes()).to_hex());
            let asked = request
                .headers()
                .iter()
                .find(|h| h.field.equiv("If-None-Match"))
                .map(|h| h.value.to_string());
            if asked.as_deref() == Some(etag.as_str()) {
                let _ = request.respond(tiny_http::Response::empty(304));
                continue;
            }
            log.lock().unwrap().push(path);
            // Pages labelled Latin-1 are sent as Latin-1 bytes.
            let bytes: Vec<u8> = if kind.contains("iso-8859-1") {
                body.chars()
                    .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                    .collect()
            } else {
                body.into_bytes()
            };
            let response = tiny_http::Response::from_data(bytes)
                .with_header(tiny_http::Header::from_bytes("Content-Type", *kind).unwrap())
                .with_header(tiny_http::Header::from_bytes("ETag", etag.as_bytes()).unwrap());
            let _ = request.respond(response);
        }
    });
    Site { base, full_answers }
}

fn page(title: &str, text: &str) -> String {
    format!("<!doctype html><html lang=\"en\"><head><title>{title}</title></head><body><nav><a href=\"/\">Home</a> <a href=\"/about\">About</a></nav><article><h1>{title}</h1><p>{text}</p><p>{text}</p></article><footer>Copyright</footer></body></html>")
}

#[test]
fn a_site_s_feed_becomes_episodes_and_a_rerun_downloads_nothing_new() {
    let long: String =
        "Open source voices are getting better every year, and people use them daily. ".repeat(20);
    let rss = format!(
        r#"<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Site</title><link>{{base}}/</link><description>d</description>
<item><title>First story</title><link>{{base}}/2026/first.html</link><pubDate>Mon, 23 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Second story</title><link>{{base}}/2026/second.html</link><pubDate>Tue, 24 Nov 2026 08:00:00 GMT</pubDate><author>desk@example.org (The Desk)</author></item>
<item><title>Full story</title><link>{{base}}/2026/full.html</link><pubDate>Wed, 25 Nov 2026 08:00:00 GMT</pubDate><content:encoded><![CDATA[<p>{long}</p>]]></content:encoded></item>
<item><title>Gone story</title><link>{{base}}/2026/gone.html</link></item>
</channel></rss>"#
    );
    let site = site(vec![
        ("/feed.xml", "application/rss+xml", rss),
        (
            "/2026/first.html",
            "text/html; charset=utf-8",
            page(
                "First story",
                "The harbour lights were fixed last night by a team of volunteers.",
            ),
        ),
        (
            "/2026/second.html",
            "text/html; charset=utf-8",
            page(
                "Second story",
                "A small bakery won the regional prize for its rye bread this week.",
            ),
        ),
    ]);
    let env = Env::new();
    let out = env.path("public");
    let feed_url = format!("{}/feed.xml", site.base);
    let args = [
        feed_url.as_str(),
        "--out",
        out.to_str().unwrap(),
        "--voice",
        "en-us",
    ];
    let (first, assert) = batch(&env, &args);
    assert
        .code(1)
        .stderr(predicate::str::contains("1 article failed"));
    assert_eq!(first["rendered"], 3, "{first}");
    let failure = &first["failures"][0];
    assert!(failure["identity"]
        .as_str()
        .unwrap()
        .ends_with("/2026/gone.html"));
    assert!(
        failure["reason"].as_str().unwrap().contains("404"),
        "{failure}"
    );
    // The full-content item's page was never fetched.
    let fetched = site.full_answers.lock().unwrap().clone();
    assert!(
        !fetched.iter().any(|p| p == "/2026/full.html"),
        "{fetched:?}"
    );
    let m = articast::batch::manifest::Manifest::merged(&out).unwrap();
    let second = m
        .entries
        .values()
        .find(|e| e.title.as_deref() == Some("Second story"))
        .unwrap();
    assert!(second
        .published
        .as_deref()
        .unwrap()
        .starts_with("Tue, 24 Nov 2026"));
    assert!(second.validators.etag.is_some());
    let transcript = transcript_of(&out, second);
    assert!(
        transcript.contains("rye bread")
            && !transcript.contains("About")
            && !transcript.contains("Copyright"),
        "{transcript}"
    );

    site.full_answers.lock().unwrap().clear();
    let (again, _) = batch(&env, &args);
    assert_eq!(again["rendered"], 0, "{again}");
    assert_eq!(again["downloaded"], 0, "{again}");
    let fetched = site.full_answers.lock().unwrap().clone();
    assert_eq!(
        fetched,
        vec!["/feed.xml".to_string()],
        "only the feed itself is read again"
    );
}

#[test]
fn one_page_straight_from_the_web() {
    let site = site(vec![(
        "/2026/11/article.html",
        "text/html; charset=iso-8859-1",
        page(
            "Caf\u{e9} news",
            "The caf\u{e9} on the corner now opens at six every morning.",
        ),
    )]);
    let env = Env::new();
    let out = env.path("ep.wav");
    let summary = env.render(
        Path::new(&format!("{}/2026/11/article.html", site.base)),
        &out,
        &["--lang", "en"],
    );
    assert_eq!(common::chapter_titles(&summary)[0], "Café news");
    let transcript = std::fs::read_to_string(env.path("ep.transcript.txt")).unwrap();
    assert!(transcript.contains("opens at six"), "{transcript}");
    env.cmd()
        .args(["render", "--engine", "builtin", "-o"])
        .arg(env.path("x.wav"))
        .arg(format!("{}/missing.html", site.base))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("404"));
}

/// A folder of plain-text scrapes of one site: each page carries the site's own lines
/// (a tagline and a footer sentence that read like prose, so no per-article rule can
/// tell them from the article) around a story of its own.
fn scrapes(env: &Env, n: usize) -> PathBuf {
    let dir = env.path("scrapes");
    std::fs::create_dir_all(&dir).unwrap();
    let stories = [
        "The harbor reopened to fishing boats this week after the storm damage was repaired.",
        "A new ferry schedule starts on Monday, with crossings every forty minutes at peak times.",
        "The city council approved the budget for the coastal path after a long debate.",
        "Volunteers planted two thousand trees along the river over the weekend.",
        "The lighthouse museum will stay open late on Fridays through the summer.",
    ];
    for (i, story) in stories.iter().take(n).enumerate() {
        std::fs::write(
            dir.join(format!("story-{i}.txt")),
            format!(
                "Harbor City Public Media\n\nStory number {i}\n\n{story} Residents said they \
                 welcomed the news.\n\nHarbor City Public Media is a member station serving \
                 the coast since 1974.\n"
            ),
        )
        .unwrap();
    }
    dir
}

/// The transcript of a manifest entry's episode in `out`.
fn transcript_of(out: &Path, entry: &articast::batch::manifest::Entry) -> String {
    let name = entry
        .report
        .as_ref()
        .unwrap()
        .sidecars
        .iter()
        .find(|s| s.to_string_lossy().ends_with(".transcript.txt"))
        .unwrap();
    std::fs::read_to_string(out.join(name)).unwrap()
}

/// The transcripts of every episode in `out`.
fn transcripts(out: &Path) -> Vec<String> {
    let m = articast::batch::manifest::Manifest::merged(out).unwrap();
    m.entries.values().map(|e| transcript_of(out, e)).collect()
}

#[test]
fn lines_recurring_across_a_folder_of_scrapes_are_not_read() {
    let env = Env::new();
    let dir = scrapes(&env, 4);
    let out = env.path("out");
    let (report, assert) = batch(&env, &[s(&dir), "--out", s(&out)]);
    assert.success();
    assert_eq!(report["rendered"], 4, "{report}");
    let learned = &report["recurring"];
    assert_eq!(learned["folders"], 1, "{report}");
    assert_eq!(learned["articles"], 4, "{report}");
    // The station's name above each story and its tagline below.
    assert_eq!(learned["lines"], 2, "{report}");
    let texts = transcripts(&out);
    assert_eq!(texts.len(), 4);
    for text in &texts {
        assert!(text.contains("Residents said"), "{text}");
        assert!(!text.contains("member station"), "{text}");
        assert!(!text.contains("Harbor City Public Media"), "{text}");
    }

    // A fifth page changes nothing the others lost: they are not rendered again.
    scrapes(&env, 5);
    let (again, _) = batch(&env, &[s(&dir), "--out", s(&out)]);
    assert_eq!(again["rendered"], 1, "{again}");
    assert_eq!(again["unchanged"], 4, "{again}");

    // --keep-furniture keeps them.
    let kept = env.path("kept");
    let (report, _) = batch(&env, &[s(&dir), "--out", s(&kept), "--keep-furniture"]);
    assert_eq!(report["rendered"], 5, "{report}");
    assert_eq!(report["recurring"]["lines"], 0, "{report}");
    assert!(transcripts(&kept)
        .iter()
        .all(|t| t.contains("member station")));

    // The summary on stderr says what was learned (nothing is rendered again here).
    let said = env
        .cmd()
        .args(["batch", "--engine", "builtin", s(&dir), "--out", s(&out)])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&said.get_output().stderr).to_string();
    assert!(
        stderr.contains("boilerplate: 2 lines recurring in 1 folder of 5 plain-text articles"),
        "{stderr}"
    );
}

#[test]
fn two_scrapes_are_too_few_to_say_what_recurs() {
    let env = Env::new();
    let dir = scrapes(&env, 2);
    let out = env.path("out");
    let (report, _) = batch(&env, &[s(&dir), "--out", s(&out)]);
    assert_eq!(report["rendered"], 2, "{report}");
    assert_eq!(report["recurring"]["lines"], 0, "{report}");
    assert!(transcripts(&out)
        .iter()
        .all(|t| t.contains("member station")));
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}
