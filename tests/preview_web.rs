//! End-to-end: the web preview's server, through real HTTP on 127.0.0.1. The binary
//! prints its address as JSON; the test talks to it with ureq (an HTTP client that is
//! not the server), reads clips back with hound, checks ranges, the token, methods,
//! and a pronunciation fix (the lexicon file, the sentences made again, the others from
//! the cache). `web_preview_in_a_browser` drives the page in Debian's chromium through
//! playwright-core when both are installed (CI installs them).

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::Env;

/// A running `articast preview --web`, stopped with SIGINT when dropped.
struct Served {
    child: Child,
    url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn serve(env: &Env, article: &Path) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_articast"))
        .env("ARTICAST_CACHE_DIR", env.path("cache"))
        .env("ARTICAST_VOICES_DIR", env.path("voices"))
        .env("ARTICAST_DATA_DIR", env.path("data"))
        .env("ARTICAST_CONFIG", env.path("config.toml"))
        .env_remove("ARTICAST_ESPEAK_NG")
        .args([
            "preview",
            "--web",
            "--no-open",
            "--json",
            "--engine",
            "builtin",
        ])
        .arg(article)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("articast starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("the address on stdout");
    let summary: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
    let url = summary["url"].as_str().expect("url").to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    Served { child, url }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// (status, headers as lowercase name → value, body)
fn get(url: &str, range: Option<&str>) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut request = agent().get(url);
    if let Some(r) = range {
        request = request.header("Range", r);
    }
    let mut response = request.call().expect("the server answers");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_lowercase(),
                v.to_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let body = response.body_mut().read_to_vec().expect("a body");
    (status, headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn article(env: &Env) -> PathBuf {
    let path = env.path("article.md");
    std::fs::copy(
        common::manifest_dir().join("examples/open-source-sound.md"),
        &path,
    )
    .unwrap();
    path
}

#[test]
fn serves_the_page_the_script_and_clips_with_ranges_behind_a_token() {
    let env = Env::new();
    let served = serve(&env, &article(&env));
    let url = &served.url;

    let (status, headers, body) = get(url, None);
    assert_eq!(status, 200);
    assert!(header(&headers, "content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(header(&headers, "content-security-policy")
        .unwrap()
        .contains("default-src 'self'"));
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("app.js") && !html.contains("http"),
        "no external request"
    );
    for asset in ["app.js", "style.css"] {
        assert_eq!(get(&format!("{url}{asset}"), None).0, 200);
    }

    let (status, _, body) = get(&format!("{url}script.json"), None);
    assert_eq!(status, 200);
    let script: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let sentences = script["sentences"].as_array().unwrap();
    assert!(sentences.len() > 5);
    assert_eq!(
        sentences[0]["written"],
        "The Quiet Revolution of Open-Source Sound"
    );
    assert!(script["chapters"].as_array().unwrap().len() >= 3);

    // A sentence as a WAV clip, read back by hound.
    let clip = format!("{url}clip/1.wav");
    let (status, headers, wav) = get(&clip, None);
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "accept-ranges"), Some("bytes"));
    let reader = hound::WavReader::new(std::io::Cursor::new(&wav)).unwrap();
    assert_eq!(reader.spec().channels, 1);
    let secs = reader.duration() as f64 / reader.spec().sample_rate as f64;
    assert!(secs > 1.0 && secs < 30.0, "{secs}");
    // Ranges: a part is 206 with its place, past the end is 416.
    let (status, headers, part) = get(&clip, Some("bytes=10-109"));
    assert_eq!(status, 206);
    assert_eq!(part, wav[10..110]);
    assert_eq!(
        header(&headers, "content-range"),
        Some(format!("bytes 10-109/{}", wav.len()).as_str())
    );
    let (status, _, tail) = get(&clip, Some("bytes=-44"));
    assert_eq!((status, tail.as_slice()), (206, &wav[wav.len() - 44..]));
    let (status, headers, _) = get(&clip, Some(&format!("bytes={}-", wav.len() + 10)));
    assert_eq!(status, 416);
    assert_eq!(
        header(&headers, "content-range"),
        Some(format!("bytes */{}", wav.len()).as_str())
    );
    assert_eq!(get(&clip, Some("lines=1-2")).0, 416);
    // A faster clip is shorter.
    let (_, _, fast) = get(&format!("{url}clip/1.wav?speed=1.5"), None);
    assert!(
        fast.len() < wav.len() * 9 / 10,
        "{} vs {}",
        fast.len(),
        wav.len()
    );

    // Refusals.
    let base = url
        .trim_end_matches('/')
        .rsplit_once('/')
        .unwrap()
        .0
        .to_string();
    assert_eq!(get(&format!("{base}/"), None).0, 403);
    assert_eq!(
        get(&format!("{base}/not-the-token/script.json"), None).0,
        403
    );
    assert_eq!(get(&format!("{url}clip/9999.wav"), None).0, 404);
    assert_eq!(get(&format!("{url}clip/x.wav"), None).0, 404);
    assert_eq!(get(&format!("{url}clip/1.wav?speed=9"), None).0, 400);
    assert_eq!(get(&format!("{url}nothing"), None).0, 404);
    let delete = agent().delete(&format!("{url}script.json")).call().unwrap();
    assert_eq!(delete.status().as_u16(), 405);
    let get_fix = get(&format!("{url}lexicon"), None);
    assert_eq!(get_fix.0, 405);
    let bad = agent()
        .post(&format!("{url}lexicon"))
        .send("not json")
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
}

#[test]
fn a_fix_is_saved_and_only_its_sentences_are_made_again() {
    let env = Env::new();
    let article = article(&env);
    let served = serve(&env, &article);
    let url = &served.url;
    let (_, _, body) = get(&format!("{url}script.json"), None);
    let script: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let sentences = script["sentences"].as_array().unwrap();
    let with_word: Vec<usize> = sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| s["spoken"].as_str().unwrap().contains("Moreno"))
        .map(|(i, _)| i)
        .collect();
    assert!(!with_word.is_empty(), "the example names Moreno");
    // Every clip once: then all are cached.
    for i in 0..sentences.len() {
        assert_eq!(get(&format!("{url}clip/{i}.wav"), None).0, 200);
    }
    let stats = |url: &str| -> serde_json::Value {
        serde_json::from_slice(&get(&format!("{url}stats.json"), None).2).unwrap()
    };
    let before = stats(url)["synthesized"].as_u64().unwrap();

    let fix = agent()
        .post(&format!("{url}lexicon"))
        .header("Content-Type", "application/json")
        .send(r#"{"word": "Moreno", "say": "Mo ray no"}"#)
        .unwrap();
    assert_eq!(fix.status().as_u16(), 200);
    let report: serde_json::Value =
        serde_json::from_slice(&fix.into_body().read_to_vec().unwrap()).unwrap();
    assert_eq!(report["revision"], 1);
    let changed: Vec<usize> = report["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(changed, with_word);
    // Saved beside the article, where every render of it reads it.
    let lexicon = std::fs::read_to_string(env.path("lexicon.toml")).unwrap();
    assert!(lexicon.contains("Moreno = \"Mo ray no\""), "{lexicon}");
    let (_, _, body) = get(&format!("{url}script.json"), None);
    let script: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(script["revision"], 1);
    assert!(script["sentences"][with_word[0]]["spoken"]
        .as_str()
        .unwrap()
        .contains("Mo ray no"));
    // Hearing the whole article again synthesizes only the changed sentences.
    for i in 0..sentences.len() {
        assert_eq!(get(&format!("{url}clip/{i}.wav"), None).0, 200);
    }
    let after = stats(url)["synthesized"].as_u64().unwrap();
    assert_eq!(after - before, with_word.len() as u64);
    // A render of the article reads the fix and reuses every clip the preview made.
    let render = env.render(&article, &env.path("episode.wav"), &[]);
    assert_eq!(render["synthesized"], 0, "{render}");
    // The same word in IPA: it moves to the `[ipa]` table and is spoken as a phoneme
    // span; only its sentences are made again.
    let before = stats(url)["synthesized"].as_u64().unwrap();
    let fix = agent()
        .post(&format!("{url}lexicon"))
        .header("Content-Type", "application/json")
        .send(r#"{"word": "Moreno", "say": "/moˈɾeno/", "form": "ipa"}"#)
        .unwrap();
    assert_eq!(fix.status().as_u16(), 200);
    let lexicon = std::fs::read_to_string(env.path("lexicon.toml")).unwrap();
    assert!(
        lexicon.contains("[ipa]\nMoreno = \"moˈɾeno\"") && !lexicon.contains("Mo ray no"),
        "{lexicon}"
    );
    let (_, _, body) = get(&format!("{url}script.json"), None);
    let script: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(script["sentences"][with_word[0]]["spoken"]
        .as_str()
        .unwrap()
        .contains("⟦Moreno|moˈɾeno⟧"));
    for i in 0..sentences.len() {
        assert_eq!(get(&format!("{url}clip/{i}.wav"), None).0, 200);
    }
    let after = stats(url)["synthesized"].as_u64().unwrap();
    assert_eq!(after - before, with_word.len() as u64);
    // IPA that is not IPA is refused with the character named.
    let bad = agent()
        .post(&format!("{url}lexicon"))
        .send(r#"{"word": "Moreno", "say": "MORENO", "form": "ipa"}"#)
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    let message = bad.into_body().read_to_string().unwrap();
    assert!(message.contains("'M'"), "{message}");
    // A fix that is not one line is refused, and the file is unchanged.
    let bad = agent()
        .post(&format!("{url}lexicon"))
        .send(r#"{"word": "a\nb", "say": "x"}"#)
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    assert_eq!(
        std::fs::read_to_string(env.path("lexicon.toml")).unwrap(),
        lexicon
    );
}

#[test]
fn stops_cleanly_on_ctrl_c() {
    let env = Env::new();
    let mut served = serve(&env, &article(&env));
    Command::new("kill")
        .args(["-INT", &served.child.id().to_string()])
        .status()
        .unwrap();
    let status = served.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

/// Chromium and a node_modules with playwright-core, when both are here.
fn browser() -> Option<(&'static str, PathBuf)> {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let modules = std::env::var_os("ARTICAST_PLAYWRIGHT_MODULES").map(PathBuf::from);
    let found = chromium.zip(modules);
    if found.is_none() {
        eprintln!("skipped: needs chromium and ARTICAST_PLAYWRIGHT_MODULES (a node_modules with playwright-core); .ci/run sets both");
    }
    found
}

/// A batch output folder of two episodes (the two example articles), rendered by the
/// built-in engine.
fn show_folder(env: &Env) -> PathBuf {
    let articles = env.path("articles");
    std::fs::create_dir_all(&articles).unwrap();
    for name in ["open-source-sound.md", "la-ville-lente.txt"] {
        std::fs::copy(
            common::manifest_dir().join("examples").join(name),
            articles.join(name),
        )
        .unwrap();
    }
    let public = env.path("public");
    env.cmd()
        .args(["batch", "--engine", "builtin", "--quiet", "--out"])
        .arg(&public)
        .arg(&articles)
        .assert()
        .success();
    public
}

#[test]
fn a_batch_output_folder_is_served_with_its_episodes_transcripts_and_ranges() {
    let env = Env::new();
    let public = show_folder(&env);
    let served = serve(&env, &public);
    let (status, _, body) = get(&format!("{}show.json", served.url), None);
    assert_eq!(status, 200);
    let list: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let episodes = list["episodes"].as_array().unwrap();
    assert_eq!(episodes.len(), 2, "{list}");
    for (n, episode) in episodes.iter().enumerate() {
        let file = public.join(episode["file"].as_str().unwrap());
        let on_disk = std::fs::read(&file).unwrap();
        // The whole file, and a range of it, byte for byte.
        let (status, headers, whole) = get(&format!("{}audio/{n}", served.url), None);
        assert_eq!(status, 200);
        assert_eq!(header(&headers, "content-type"), Some("audio/mpeg"));
        assert_eq!(whole, on_disk);
        let (status, headers, part) =
            get(&format!("{}audio/{n}", served.url), Some("bytes=1000-1999"));
        assert_eq!(status, 206);
        assert_eq!(part, &on_disk[1000..2000]);
        assert_eq!(
            header(&headers, "content-range"),
            Some(format!("bytes 1000-1999/{}", on_disk.len()).as_str())
        );
        // Its cues are the transcript's, read by the test's own VTT reader.
        let (status, _, body) = get(&format!("{}episode/{n}.json", served.url), None);
        assert_eq!(status, 200);
        let view: serde_json::Value = serde_json::from_slice(&body).unwrap();
        let vtt = common::parse_vtt(&std::fs::read_to_string(file.with_extension("vtt")).unwrap());
        let cues = view["cues"].as_array().unwrap();
        assert_eq!(cues.len(), vtt.len());
        assert_eq!(cues[1]["text"].as_str().unwrap(), vtt[1].text);
        assert!(!view["chapters"].as_array().unwrap().is_empty());
    }
    assert_eq!(get(&format!("{}audio/9", served.url), None).0, 404);
    let origin = served.url.split('/').take(3).collect::<Vec<_>>().join("/");
    assert_eq!(get(&format!("{origin}/show.json"), None).0, 403);
}

#[test]
fn a_folder_refuses_flags_meant_for_one_article() {
    let env = Env::new();
    let public = show_folder(&env);
    env.cmd()
        .args(["preview", "--web", "--no-open", "--chapter", "2"])
        .arg(&public)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is a folder"));
    let empty = env.path("empty");
    std::fs::create_dir_all(&empty).unwrap();
    env.cmd()
        .args(["preview", "--web", "--no-open"])
        .arg(&empty)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("articast batch"));
}

/// The show page in a real browser (see tests/web/show.mjs).
#[test]
fn show_preview_in_a_browser() {
    let Some((chromium, modules)) = browser() else {
        return;
    };
    let env = Env::new();
    let public = show_folder(&env);
    let served = serve(&env, &public);
    run_in_browser(
        "show.mjs",
        &served.url,
        (chromium, &modules),
        "2",
        "show-preview.png",
    );
}

/// Runs `tests/web/SCRIPT URL CHROMIUM ARG SCREENSHOT` in node and expects it to pass
/// and to leave its screenshot in `target/`.
fn run_in_browser(
    script: &str,
    url: &str,
    (chromium, modules): (&str, &Path),
    arg: impl AsRef<std::ffi::OsStr>,
    screenshot: &str,
) {
    let screenshot = common::manifest_dir().join("target").join(screenshot);
    let status = Command::new("node")
        .arg(common::manifest_dir().join("tests/web").join(script))
        .arg(url)
        .arg(chromium)
        .arg(arg)
        .arg(&screenshot)
        .env("NODE_PATH", modules)
        .status()
        .expect("node runs");
    assert!(status.success(), "the browser test {script} failed");
    assert!(screenshot.is_file());
}

/// The page in a real browser: Debian's chromium driven by playwright-core (never a
/// downloaded browser). Skipped with a message when either is missing; CI has both.
#[test]
fn web_preview_in_a_browser() {
    let Some((chromium, modules)) = browser() else {
        return;
    };
    let env = Env::new();
    let article = article(&env);
    let served = serve(&env, &article);
    run_in_browser(
        "preview.mjs",
        &served.url,
        (chromium, &modules),
        env.path("lexicon.toml"),
        "web-preview.png",
    );
}
