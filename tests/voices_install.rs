//! `articast voices install / list --available / remove` against a real HTTP server on
//! 127.0.0.1 that serves a Piper catalog and voice files, with the failures a real
//! server has: errors, truncated bodies, wrong bytes. No other address is contacted: the
//! catalog base is the local server's.
//!
//! The voice served is the real `en_US-joe-medium` when `$ARTICAST_TEST_PIPER_VOICE`
//! names it (CI), else a small generated model file with a valid config.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};

use common::Env;
use md5::{Digest, Md5};

const NAME: &str = "en_US-joe-medium";

/// What the server does with a request for a path, in order; the last one repeats.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Behaviour {
    Serve,
    Error500,
    /// 429 with `Retry-After: 1`.
    TooMany,
    /// Sends the headers for the whole file, half of it, then closes.
    Truncate,
    /// Serves other bytes of the right length.
    Corrupt,
}

/// Requests seen: path and the start of the range asked for.
type RequestLog = Arc<Mutex<Vec<(String, Option<String>)>>>;

struct Server {
    port: u16,
    requests: RequestLog,
}

type Files = Arc<HashMap<String, Vec<u8>>>;
type Plan = Arc<Mutex<HashMap<String, Vec<Behaviour>>>>;

fn serve(files: Files, plan: Plan) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let log = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (files, plan, log) = (files.clone(), plan.clone(), log.clone());
            std::thread::spawn(move || {
                let _ = handle(stream, &files, &plan, &log);
            });
        }
    });
    Server { port, requests }
}

fn handle(
    mut stream: TcpStream,
    files: &Files,
    plan: &Plan,
    log: &Mutex<Vec<(String, Option<String>)>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut range = None;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("range: bytes=") {
            range = v.trim().trim_end_matches('-').parse::<usize>().ok();
        }
    }
    log.lock()
        .unwrap()
        .push((path.clone(), range.map(|r| r.to_string())));
    let behaviour = {
        let mut plan = plan.lock().unwrap();
        match plan.get_mut(&path) {
            Some(list) if list.len() > 1 => list.remove(0),
            Some(list) => list[0],
            None => Behaviour::Serve,
        }
    };
    let Some(body) = files.get(&path) else {
        return stream.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    };
    match behaviour {
        Behaviour::Error500 => stream.write_all(
            b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ),
        Behaviour::TooMany => stream.write_all(
            b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ),
        Behaviour::Truncate => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(&body[..body.len() / 2])?;
            stream.flush()
        }
        Behaviour::Corrupt => {
            let wrong: Vec<u8> = body.iter().map(|b| b ^ 0x55).collect();
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                wrong.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(&wrong)
        }
        Behaviour::Serve => {
            let start = range.unwrap_or(0).min(body.len());
            let head = if range.is_some() {
                format!(
                    "HTTP/1.1 206 Partial Content\r\nContent-Length: {}\r\nContent-Range: bytes {}-{}/{}\r\nConnection: close\r\n\r\n",
                    body.len() - start,
                    start,
                    body.len().saturating_sub(1),
                    body.len()
                )
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
            };
            stream.write_all(head.as_bytes())?;
            stream.write_all(&body[start..])
        }
    }
}

fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The voice's files (real or generated) and the catalog that lists them.
fn voice_files() -> Files {
    let (model, config) = match common::test_piper_voice() {
        Some(p) => (
            std::fs::read(&p).unwrap(),
            std::fs::read(format!("{}.json", p.display())).unwrap(),
        ),
        None => {
            let model: Vec<u8> = (0..300_000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect();
            let config = br#"{"audio": {"sample_rate": 22050, "quality": "medium"}, "espeak": {"voice": "en-us"},
                "language": {"code": "en_US", "family": "en"}, "phoneme_type": "espeak",
                "phoneme_id_map": {"^": [1], "$": [2], "_": [0], " ": [3], "a": [14]}, "num_speakers": 1}"#
                .to_vec();
            (model, config)
        }
    };
    let card =
        b"# Model card for joe (medium)\nLicense: see the Piper voice repository.\n".to_vec();
    let dir = "en/en_US/joe/medium";
    let mut files = HashMap::new();
    let mut listed = serde_json::Map::new();
    for (name, bytes) in [
        (format!("{NAME}.onnx"), model),
        (format!("{NAME}.onnx.json"), config),
        ("MODEL_CARD".to_string(), card),
    ] {
        listed.insert(
            format!("{dir}/{name}"),
            serde_json::json!({"size_bytes": bytes.len(), "md5_digest": md5_hex(&bytes)}),
        );
        files.insert(format!("/{dir}/{name}"), bytes);
    }
    let catalog = serde_json::json!({
        NAME: {"key": NAME, "name": "joe", "quality": "medium", "num_speakers": 1,
               "language": {"code": "en_US", "family": "en", "name_english": "English", "country_english": "United States"},
               "files": listed, "aliases": []},
        "fr_FR-siwis-medium": {"key": "fr_FR-siwis-medium", "name": "siwis", "quality": "medium",
               "language": {"code": "fr_FR", "family": "fr", "name_english": "French", "country_english": "France"},
               "files": {}}
    });
    files.insert(
        "/voices.json".to_string(),
        serde_json::to_vec(&catalog).unwrap(),
    );
    Arc::new(files)
}

struct Setup {
    env: Env,
    server: Server,
    plan: Plan,
    files: Files,
}

fn setup() -> Setup {
    let files = voice_files();
    let plan: Plan = Arc::new(Mutex::new(HashMap::new()));
    let server = serve(files.clone(), plan.clone());
    Setup {
        env: Env::new(),
        server,
        plan,
        files,
    }
}

impl Setup {
    fn cmd(&self) -> assert_cmd::Command {
        let mut cmd = self.env.cmd();
        cmd.env(
            "ARTICAST_VOICE_CATALOG",
            format!("http://127.0.0.1:{}", self.server.port),
        )
        .env("ARTICAST_RETRY_MS", "5")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY");
        cmd
    }

    /// Runs `articast ARGS`, expects exit code 1, returns stderr.
    fn fails(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().code(1);
        String::from_utf8_lossy(&out.get_output().stderr).to_string()
    }

    fn model_path(&self) -> String {
        "/en/en_US/joe/medium/en_US-joe-medium.onnx".to_string()
    }

    fn installed_dir(&self) -> std::path::PathBuf {
        self.env.path("data").join("voices/piper").join(NAME)
    }

    fn set(&self, path: &str, behaviours: &[Behaviour]) {
        self.plan
            .lock()
            .unwrap()
            .insert(path.to_string(), behaviours.to_vec());
    }

    fn requests_for(&self, path: &str) -> Vec<Option<String>> {
        self.server
            .requests
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, r)| r.clone())
            .collect()
    }
}

fn same_bytes(a: &Path, b: &[u8]) -> bool {
    std::fs::read(a).map(|x| x == b).unwrap_or(false)
}

#[test]
fn lists_the_catalog_by_language_and_installs_a_voice_with_verified_files() {
    let s = setup();
    let out = s
        .cmd()
        .args(["voices", "list", "--available", "--lang", "en"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains(NAME) && !text.contains("siwis"), "{text}");
    let out = s
        .cmd()
        .args(["voices", "list", "--available", "--lang", "fr_FR", "--json"])
        .assert()
        .success();
    let listed: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let keys: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["fr_FR-siwis-medium"]);

    s.cmd().args(["voices", "install", NAME]).assert().success();
    let dir = s.installed_dir();
    assert!(same_bytes(
        &dir.join(format!("{NAME}.onnx")),
        &s.files[&s.model_path()]
    ));
    assert!(dir.join(format!("{NAME}.onnx.json")).is_file());
    assert!(dir.join("MODEL_CARD").is_file());

    // It is now a voice articast knows; installing again downloads nothing.
    let out = s.cmd().args(["voices", "--json"]).assert().success();
    let voices: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let joe = voices
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == NAME)
        .expect("listed");
    assert_eq!(joe["backend"], "piper");
    assert_eq!(joe["language"], "en");
    let before = s.requests_for(&s.model_path()).len();
    s.cmd().args(["voices", "install", NAME]).assert().success();
    assert_eq!(s.requests_for(&s.model_path()).len(), before);

    s.cmd().args(["voices", "remove", NAME]).assert().success();
    assert!(!dir.exists());
    s.cmd().args(["voices", "remove", NAME]).assert().code(1);
}

#[test]
fn a_checksum_mismatch_is_refused_and_leaves_nothing_installed() {
    let s = setup();
    s.set(&s.model_path(), &[Behaviour::Corrupt]);
    let err = s.fails(&["voices", "install", NAME]);
    assert!(
        err.contains("MD5") && err.contains("nothing was installed"),
        "{err}"
    );
    assert!(!s.installed_dir().exists());
    let partial = s.env.path("data").join("voices/piper/.partial").join(NAME);
    let leftovers: Vec<_> = std::fs::read_dir(&partial)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        !leftovers
            .iter()
            .any(|n| n.to_string_lossy().contains(".onnx.part")),
        "{leftovers:?}"
    );
}

#[test]
fn server_errors_are_retried_and_a_truncated_download_resumes() {
    let s = setup();
    s.set(
        &s.model_path(),
        &[Behaviour::Error500, Behaviour::Truncate, Behaviour::Serve],
    );
    s.cmd().args(["voices", "install", NAME]).assert().success();
    assert!(same_bytes(
        &s.installed_dir().join(format!("{NAME}.onnx")),
        &s.files[&s.model_path()]
    ));
    let ranges = s.requests_for(&s.model_path());
    assert_eq!(ranges.len(), 3, "{ranges:?}");
    // The third request asks only for what the truncated one did not deliver.
    let half = s.files[&s.model_path()].len() / 2;
    assert_eq!(
        ranges[2].as_deref(),
        Some(half.to_string().as_str()),
        "{ranges:?}"
    );
}

#[test]
fn a_server_that_asks_to_wait_is_waited_for() {
    let s = setup();
    s.set(&s.model_path(), &[Behaviour::TooMany, Behaviour::Serve]);
    let started = std::time::Instant::now();
    s.cmd().args(["voices", "install", NAME]).assert().success();
    // ARTICAST_RETRY_MS is 5 ms here: only the server's Retry-After explains a second.
    assert!(started.elapsed() >= std::time::Duration::from_millis(950));
    assert_eq!(s.requests_for(&s.model_path()).len(), 2);
}

#[test]
fn a_server_that_keeps_failing_gives_a_clear_error() {
    let s = setup();
    s.set(&s.model_path(), &[Behaviour::Error500]);
    let err = s.fails(&["voices", "install", NAME]);
    assert!(
        err.contains("500") && err.contains("tried 4 times") && err.contains(NAME),
        "{err}"
    );
    assert!(!s.installed_dir().exists());

    let err = s.fails(&["voices", "install", "xx_XX-nobody-low"]);
    assert!(err.contains("no voice 'xx_XX-nobody-low'"), "{err}");
}

#[test]
fn a_catalog_that_is_not_one_is_named() {
    let s = setup();
    let mut files: HashMap<String, Vec<u8>> = (*s.files).clone();
    files.insert("/voices.json".into(), b"<html>maintenance</html>".to_vec());
    let server = serve(Arc::new(files), Arc::new(Mutex::new(HashMap::new())));
    let out = s
        .cmd()
        .env(
            "ARTICAST_VOICE_CATALOG",
            format!("http://127.0.0.1:{}", server.port),
        )
        .args(["voices", "install", NAME])
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("voices.json") && err.contains("not a Piper voice catalog"),
        "{err}"
    );
}

#[test]
fn install_offers_onnx_runtime_when_missing_unless_told_not_to() {
    let s = setup();
    // Without a terminal and without --yes nothing is fetched: the command says how
    // (or where the runtime it found is, on a machine that has one).
    let said = s
        .cmd()
        .env_remove("ORT_DYLIB_PATH")
        .env("ARTICAST_PYPI_URL", "http://127.0.0.1:9/nowhere")
        .args(["voices", "install", NAME])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&said.get_output().stderr).into_owned();
    assert!(
        stderr.contains("voices setup --yes") || stderr.contains("ONNX Runtime: "),
        "{stderr}"
    );
    // --no-runtime: not a word about it.
    let quiet = s
        .cmd()
        .env_remove("ORT_DYLIB_PATH")
        .args(["voices", "install", "--force", "--no-runtime", NAME])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&quiet.get_output().stderr).into_owned();
    assert!(!stderr.contains("ONNX Runtime"), "{stderr}");
}
