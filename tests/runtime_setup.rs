//! End-to-end: `articast voices setup` fetches ONNX Runtime from a package index, here a
//! local HTTP server (tiny_http on 127.0.0.1) that serves the JSON API's metadata and
//! the bytes of a real `onnxruntime` wheel (`ARTICAST_TEST_ORT_WHEEL`; CI downloads it
//! from PyPI before the tests, the tests download nothing). The library unpacked is the
//! wheel's, byte for byte (read back by Python's `zipfile`); a Piper voice then speaks
//! with no `ORT_DYLIB_PATH` and no Python package; a wrong checksum installs nothing; an
//! interrupted download resumes with a range request; without a terminal and without
//! `--yes`, nothing is fetched.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::Env;
use predicates::prelude::*;
use sha2::{Digest, Sha256};

struct Index {
    url: String,
    ranges: Arc<Mutex<Vec<Option<String>>>>,
    server: Arc<tiny_http::Server>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Index {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn wheel() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var_os("ARTICAST_TEST_ORT_WHEEL")?);
    path.is_file().then_some(path)
}

/// An index serving `wheel`, announcing `sha256` as its digest.
fn index(wheel: &Path, sha256: Option<&str>) -> Index {
    let bytes = Arc::new(std::fs::read(wheel).unwrap());
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    let digest = sha256.map(str::to_string).unwrap_or_else(|| {
        Sha256::digest(bytes.as_slice())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    });
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
    let url = format!("http://{}", server.server_addr().to_ip().unwrap());
    let ranges = Arc::new(Mutex::new(Vec::new()));
    // The JSON API's shape, with a source archive and another platform's wheel beside.
    let metadata = serde_json::json!({
        "info": {"name": "onnxruntime", "version": "1.32.0"},
        "urls": [
            {"filename": "onnxruntime-1.32.0.tar.gz", "url": format!("{url}/files/src.tar.gz"),
             "size": 10, "digests": {"sha256": "00"}, "packagetype": "sdist"},
            {"filename": "onnxruntime-1.32.0-cp311-cp311-win_amd64.whl", "url": format!("{url}/files/win.whl"),
             "size": 10, "digests": {"sha256": "00"}, "packagetype": "bdist_wheel"},
            {"filename": name, "url": format!("{url}/files/{name}"), "size": bytes.len(),
             "digests": {"sha256": digest}, "packagetype": "bdist_wheel"}
        ]
    })
    .to_string();
    let handle = {
        let (server, ranges, bytes) =
            (Arc::clone(&server), Arc::clone(&ranges), Arc::clone(&bytes));
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                let path = request.url().to_string();
                if path == "/pypi/onnxruntime/1.32.0/json" {
                    let _ = request.respond(
                        tiny_http::Response::from_string(metadata.clone()).with_header(
                            tiny_http::Header::from_bytes("Content-Type", "application/json")
                                .unwrap(),
                        ),
                    );
                    continue;
                }
                if path.starts_with("/files/") && path.ends_with(".whl") && !path.contains("win") {
                    let range = request
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("Range"))
                        .map(|h| h.value.to_string());
                    ranges.lock().unwrap().push(range.clone());
                    let from = range
                        .as_deref()
                        .and_then(|r| r.strip_prefix("bytes="))
                        .and_then(|r| r.strip_suffix('-'))
                        .and_then(|n| n.parse::<usize>().ok());
                    let response = match from {
                        Some(from) => tiny_http::Response::from_data(bytes[from..].to_vec())
                            .with_status_code(206)
                            .with_header(
                                tiny_http::Header::from_bytes(
                                    "Content-Range",
                                    format!("bytes {from}-{}/{}", bytes.len() - 1, bytes.len()),
                                )
                                .unwrap(),
                            ),
                        None => tiny_http::Response::from_data(bytes.to_vec()),
                    };
                    let _ = request.respond(response);
                    continue;
                }
                let _ =
                    request.respond(tiny_http::Response::from_string("no").with_status_code(404));
            }
        })
    };
    Index {
        url,
        ranges,
        server,
        handle: Some(handle),
    }
}

fn setup(env: &Env, index: &Index, args: &[&str]) -> assert_cmd::assert::Assert {
    env.cmd()
        .env("ARTICAST_PYPI_URL", &index.url)
        .env("ARTICAST_RETRY_MS", "20")
        .env_remove("ORT_DYLIB_PATH")
        .args(["voices", "setup"])
        .args(args)
        .assert()
}

/// The library inside `wheel`, as Python's zipfile reads it.
fn library_in_wheel(wheel: &Path) -> (String, Vec<u8>) {
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nn = [x for x in z.namelist() if x.startswith('onnxruntime/capi/libonnxruntime.so')][0]\nsys.stderr.write(n)\nsys.stdout.buffer.write(z.read(n))";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(wheel)
        .output()
        .expect("python3 runs");
    assert!(out.status.success());
    (String::from_utf8(out.stderr).unwrap(), out.stdout)
}

fn installed(env: &Env) -> Vec<PathBuf> {
    let dir = env.path("data").join("onnxruntime");
    let mut found = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                found.push(e.path());
            }
        }
    }
    found
}

#[test]
fn setup_fetches_the_runtime_once_and_a_neural_voice_speaks_with_it() {
    let Some(wheel) = wheel() else {
        eprintln!("skipped: needs ARTICAST_TEST_ORT_WHEEL (.ci/run sets it)");
        return;
    };
    let env = Env::new();
    let index = index(&wheel, None);
    // --force: fetched even if this machine has another ONNX Runtime somewhere.
    setup(&env, &index, &["--yes", "--force"])
        .success()
        .stderr(predicate::str::contains("ONNX Runtime installed"));
    let files = installed(&env);
    assert_eq!(files.len(), 1, "only the library is kept: {files:?}");
    let (name, want) = library_in_wheel(&wheel);
    let got = std::fs::read(&files[0]).unwrap();
    assert!(got == want, "the library is the wheel's ({name})");
    assert!(files[0].ends_with(Path::new("1.32.0").join(name.rsplit('/').next().unwrap())));
    // Found from then on, with nothing else: no second download.
    setup(&env, &index, &["--yes"])
        .success()
        .stderr(predicate::str::contains("articast's data folder"));
    assert_eq!(index.ranges.lock().unwrap().len(), 1);
    // A neural voice speaks with it.
    if let Some(model) = common::test_piper_voice() {
        let out = env.path("neural.wav");
        let assert = env
            .cmd()
            .env_remove("ORT_DYLIB_PATH")
            .args(["render", "--json", "--voice"])
            .arg(&model)
            .arg("-o")
            .arg(&out)
            .arg(common::manifest_dir().join("examples/open-source-sound.md"))
            .assert()
            .success();
        let summary: serde_json::Value =
            serde_json::from_slice(&assert.get_output().stdout).unwrap();
        assert!(
            summary["engine"].as_str().unwrap().starts_with("Piper"),
            "{summary}"
        );
    }
}

#[test]
fn a_wrong_checksum_installs_nothing() {
    let Some(wheel) = wheel() else {
        eprintln!("skipped: needs ARTICAST_TEST_ORT_WHEEL");
        return;
    };
    let env = Env::new();
    let index = index(&wheel, Some(&"ab".repeat(32)));
    setup(&env, &index, &["--yes", "--force"]).code(1).stderr(
        predicate::str::contains("SHA-256 digest is")
            .and(predicate::str::contains("nothing was installed")),
    );
    assert!(installed(&env).is_empty(), "{:?}", installed(&env));
}

#[test]
fn an_interrupted_download_resumes_where_it_stopped() {
    let Some(wheel) = wheel() else {
        eprintln!("skipped: needs ARTICAST_TEST_ORT_WHEEL");
        return;
    };
    let env = Env::new();
    let index = index(&wheel, None);
    let bytes = std::fs::read(&wheel).unwrap();
    let half = bytes.len() / 2;
    let dir = env.path("data").join("onnxruntime");
    std::fs::create_dir_all(&dir).unwrap();
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::write(dir.join(format!("{name}.part")), &bytes[..half]).unwrap();
    setup(&env, &index, &["--yes", "--force"]).success();
    assert_eq!(
        index.ranges.lock().unwrap().as_slice(),
        [Some(format!("bytes={half}-"))]
    );
    let (_, want) = library_in_wheel(&wheel);
    let files = installed(&env);
    assert_eq!(files.len(), 1);
    let mut got = Vec::new();
    std::fs::File::open(&files[0])
        .unwrap()
        .read_to_end(&mut got)
        .unwrap();
    assert!(got == want);
}

#[test]
fn without_a_terminal_nothing_is_fetched_without_yes() {
    let Some(wheel) = wheel() else {
        eprintln!("skipped: needs ARTICAST_TEST_ORT_WHEEL");
        return;
    };
    let env = Env::new();
    let index = index(&wheel, None);
    setup(&env, &index, &["--force"])
        .success()
        .stderr(predicate::str::contains("voices setup --yes"));
    assert!(index.ranges.lock().unwrap().is_empty());
    assert!(installed(&env).is_empty());
}
