//! End-to-end: the `openai` backend against a small OpenAI-compatible speech server run
//! by the test (tiny_http on 127.0.0.1, an ephemeral port). The server answers with
//! real speech, made by articast's built-in eSpeak NG, as WAV, PCM or MP3, and injects
//! faults on demand: 429 with `Retry-After`, 500 and 503, answers that are not HTTP,
//! bodies that stop short and stall, slow bodies, WAV streamed with placeholder lengths, wrong content
//! types, 400 and 401. Renders go through the transient faults with the expected
//! retries, fail clearly on the permanent ones, never print the key, and a rerun sends
//! no request at all.

mod common;

use std::collections::VecDeque;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use articast::synth::{Backend, SpeechRequest};
use common::{Env, Wav};
use predicates::prelude::*;

const KEY: &str = "local-test-key-7d1f0c9e2b";

/// What the server does with the next request.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    /// 429 with `Retry-After: 1`.
    TooMany,
    /// 500.
    Internal,
    /// 503.
    Unavailable,
    /// An answer that is not HTTP.
    Garbled,
    /// The headers promise more bytes than come: the body stops short and stalls (the
    /// client's body time limit ends it).
    Truncated,
    /// The body comes after a pause.
    Slow,
    /// A WAV whose lengths are placeholders (as streaming servers write).
    Streamed,
    /// 200 with a JSON error instead of audio.
    Json,
    /// 400 with OpenAI's error object.
    BadRequest,
    /// 401.
    Unauthorized,
    /// A normal answer (to queue good answers before faults).
    Fine,
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    authorization: Option<String>,
    body: serde_json::Value,
}

struct SpeechServer {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    faults: Arc<Mutex<VecDeque<Fault>>>,
    server: Arc<tiny_http::Server>,
    handle: Option<JoinHandle<()>>,
}

impl Drop for SpeechServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// Real speech for `text`, from articast's built-in eSpeak NG.
fn speech(text: &str) -> articast::synth::Clip {
    static BACKEND: std::sync::OnceLock<Box<dyn Backend>> = std::sync::OnceLock::new();
    let backend = BACKEND.get_or_init(|| {
        let voice = articast::voice::builtin_voices()
            .into_iter()
            .find(|v| v.voice.name == "fr")
            .unwrap();
        let options = articast::synth::BackendOptions {
            espeak_engine: Some(articast::voice::EnginePreference::Builtin),
            ..Default::default()
        };
        articast::voice::backend_for(&voice, &options).unwrap()
    });
    backend
        .synthesize(&SpeechRequest {
            text,
            language: articast::language::Language::French,
            role: articast::script::Role::Narrator,
        })
        .unwrap()
}

fn wav_bytes(clip: &articast::synth::Clip) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: clip.sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut w = hound::WavWriter::new(&mut bytes, spec).unwrap();
    for s in &clip.samples {
        w.write_sample((s * 32767.0) as i16).unwrap();
    }
    w.finalize().unwrap();
    bytes.into_inner()
}

fn mp3_bytes(clip: &articast::synth::Clip) -> Vec<u8> {
    use mp3lame_encoder::{Builder, FlushNoGap, MonoPcm};
    let mut b = Builder::new().unwrap();
    b.set_num_channels(1).unwrap();
    b.set_sample_rate(clip.sample_rate).unwrap();
    b.set_brate(mp3lame_encoder::Bitrate::Kbps64).unwrap();
    let mut enc = b.build().unwrap();
    let pcm: Vec<i16> = clip.samples.iter().map(|s| (s * 32767.0) as i16).collect();
    let mut out = Vec::with_capacity(mp3lame_encoder::max_required_buffer_size(pcm.len()));
    let n = enc.encode(MonoPcm(&pcm), out.spare_capacity_mut()).unwrap();
    unsafe { out.set_len(n) };
    let n = enc.flush::<FlushNoGap>(out.spare_capacity_mut()).unwrap();
    unsafe { out.set_len(out.len() + n) };
    out
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name, value).unwrap()
}

fn answer(request: tiny_http::Request, fault: Option<Fault>, body: &serde_json::Value) {
    let text = body["input"].as_str().unwrap_or("");
    let format = body["response_format"].as_str().unwrap_or("mp3");
    let audio = |clip: &articast::synth::Clip| match format {
        "pcm" => clip
            .samples
            .iter()
            .flat_map(|s| ((s * 32767.0) as i16).to_le_bytes())
            .collect::<Vec<u8>>(),
        "mp3" => mp3_bytes(clip),
        _ => wav_bytes(clip),
    };
    let content_type = match format {
        "pcm" => "audio/pcm",
        "mp3" => "audio/mpeg",
        _ => "audio/wav",
    };
    let error = |status: u16, json: &str| {
        tiny_http::Response::from_string(json)
            .with_status_code(status)
            .with_header(header("Content-Type", "application/json"))
    };
    let _ = match fault {
        Some(Fault::TooMany) => request.respond(
            error(429, r#"{"error": {"message": "Rate limit reached"}}"#)
                .with_header(header("Retry-After", "1")),
        ),
        Some(Fault::Internal) => request.respond(error(500, r#"{"detail": "model crashed"}"#)),
        Some(Fault::Unavailable) => request.respond(error(503, "busy")),
        Some(Fault::Garbled) => {
            let mut raw = request.into_writer();
            let _ = raw.write_all(b"SPEECH/9 maybe\r\n\r\n");
            let _ = raw.flush();
            Ok(())
        }
        Some(Fault::Truncated) => {
            // The length of the whole, half the bytes, and the connection closed.
            let bytes = audio(&speech(text));
            let half = bytes[..bytes.len() / 2].to_vec();
            request.respond(
                tiny_http::Response::new(
                    tiny_http::StatusCode(200),
                    vec![
                        header("Content-Type", content_type),
                        header("Connection", "close"),
                    ],
                    std::io::Cursor::new(half),
                    Some(bytes.len()),
                    None,
                )
                // A Content-Length, not chunks, whatever the size.
                .with_chunked_threshold(usize::MAX),
            )
        }
        Some(Fault::Slow) => {
            let bytes = audio(&speech(text));
            std::thread::sleep(Duration::from_millis(400));
            request.respond(
                tiny_http::Response::from_data(bytes)
                    .with_header(header("Content-Type", content_type)),
            )
        }
        Some(Fault::Streamed) => {
            let mut bytes = wav_bytes(&speech(text));
            bytes[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
            bytes[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
            request.respond(
                tiny_http::Response::from_data(bytes)
                    .with_header(header("Content-Type", "audio/wav")),
            )
        }
        Some(Fault::Json) => request.respond(
            tiny_http::Response::from_string(r#"{"error": "use /v1/audio/speech with a model"}"#)
                .with_header(header("Content-Type", "application/json")),
        ),
        Some(Fault::BadRequest) => request.respond(error(
            400,
            r#"{"error": {"message": "voice 'nope' is not a voice of this model"}}"#,
        )),
        Some(Fault::Unauthorized) => request.respond(error(
            401,
            &format!(r#"{{"error": {{"message": "Incorrect API key provided: {KEY}"}}}}"#),
        )),
        None | Some(Fault::Fine) => request.respond(
            tiny_http::Response::from_data(audio(&speech(text)))
                .with_header(header("Content-Type", content_type)),
        ),
    };
}

impl SpeechServer {
    fn start(faults: &[Fault]) -> SpeechServer {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let faults = Arc::new(Mutex::new(faults.iter().copied().collect::<VecDeque<_>>()));
        let handle = {
            let (server, seen, faults) =
                (Arc::clone(&server), Arc::clone(&seen), Arc::clone(&faults));
            std::thread::spawn(move || {
                while let Ok(mut request) = server.recv() {
                    let listing = match request.url() {
                        "/v1/models" => Some(
                            r#"{"object": "list", "data": [{"id": "kokoro"}, {"id": "tts-1"}]}"#,
                        ),
                        "/v1/audio/voices" => Some(r#"{"voices": ["ff_siwis", "af_bella"]}"#),
                        _ => None,
                    };
                    if let Some(listing) = listing {
                        let _ = request.respond(
                            tiny_http::Response::from_string(listing)
                                .with_header(header("Content-Type", "application/json")),
                        );
                        continue;
                    }
                    if request.url() != "/v1/audio/speech"
                        || request.method() != &tiny_http::Method::Post
                    {
                        let _ = request
                            .respond(tiny_http::Response::from_string("no").with_status_code(404));
                        continue;
                    }
                    let mut body = String::new();
                    let _ = request.as_reader().read_to_string(&mut body);
                    let body: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                    let authorization = request
                        .headers()
                        .iter()
                        .find(|h| h.field.equiv("Authorization"))
                        .map(|h| h.value.to_string());
                    seen.lock().unwrap().push(Seen {
                        authorization,
                        body: body.clone(),
                    });
                    let fault = faults.lock().unwrap().pop_front();
                    // One thread per answer, so that a slow one does not hold the others.
                    std::thread::spawn(move || answer(request, fault, &body));
                }
            })
        };
        SpeechServer {
            url: format!("http://127.0.0.1:{port}/v1"),
            seen,
            faults,
            server,
            handle: Some(handle),
        }
    }

    fn requests(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

fn article(env: &Env) -> PathBuf {
    let path = env.path("article.md");
    std::fs::write(
        &path,
        "# Un titre\n\nUne première phrase. Une deuxième phrase, un peu plus longue.\n\nUn autre paragraphe. Et la fin.\n",
    )
    .unwrap();
    path
}

fn voice(env: &Env, server: &SpeechServer, extra: &str) -> PathBuf {
    let path = env.path("voice.toml");
    std::fs::write(
        &path,
        format!(
            "name = \"server\"\nlanguage = \"fr\"\nbackend = \"openai\"\n[openai]\nbase_url = \"{}\"\nmodel = \"kokoro\"\nvoice = \"ff_siwis\"\napi_key_env = \"TEST_TTS_KEY\"\n{extra}\n",
            server.url
        ),
    )
    .unwrap();
    path
}

/// `articast render` with the key in its environment and short retry pauses.
fn render(env: &Env, voice: &std::path::Path, out: &std::path::Path) -> assert_cmd::assert::Assert {
    env.cmd()
        .env("TEST_TTS_KEY", KEY)
        .env("ARTICAST_RETRY_MS", "20")
        .args(["render", "--json", "--voice"])
        .arg(voice)
        .arg("-o")
        .arg(out)
        .arg(article(env))
        .assert()
}

fn no_key(assert: &assert_cmd::assert::Assert) {
    let out = assert.get_output();
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        assert!(!text.contains(KEY), "the key was printed: {text}");
    }
}

#[test]
fn renders_through_transient_faults_with_retries_and_a_rerun_asks_nothing() {
    let env = Env::new();
    let faults = [
        Fault::TooMany,
        Fault::Internal,
        Fault::Garbled,
        Fault::Truncated,
        Fault::Unavailable,
        Fault::Slow,
        Fault::Streamed,
    ];
    let server = SpeechServer::start(&faults);
    let voice = voice(
        &env,
        &server,
        "parallel = 2\ntimeout_secs = 2\nextra = { lang_code = \"f\" }",
    );
    let out = env.path("episode.wav");
    let assert = render(&env, &voice, &out).success();
    no_key(&assert);
    let summary: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let chunks = summary["chunks"].as_u64().unwrap() as usize;
    assert_eq!(summary["synthesized"].as_u64(), Some(chunks as u64));
    // Every chunk once, plus one more request for each fault that failed its attempt
    // (the slow and the streamed answers succeed as they are).
    assert_eq!(
        server.requests(),
        chunks + faults.len() - 2,
        "{:?}",
        server.seen.lock().unwrap().len()
    );
    assert!(server.faults.lock().unwrap().is_empty());
    let wav = Wav::read(&out);
    assert!(
        wav.duration() > 3.0 && wav.rms(0.5, 2.5) > 0.01,
        "real speech"
    );
    for seen in server.seen.lock().unwrap().iter() {
        assert_eq!(
            seen.authorization.as_deref(),
            Some(format!("Bearer {KEY}").as_str())
        );
        assert_eq!(seen.body["model"], "kokoro");
        assert_eq!(seen.body["voice"], "ff_siwis");
        assert_eq!(seen.body["response_format"], "wav");
        assert_eq!(seen.body["lang_code"], "f", "extra fields pass through");
        assert!(seen.body["input"].as_str().is_some_and(|t| !t.is_empty()));
    }
    // The same render again: everything from the cache, not one request.
    let before = server.requests();
    let again = render(&env, &voice, &env.path("again.wav")).success();
    let summary: serde_json::Value = serde_json::from_slice(&again.get_output().stdout).unwrap();
    assert_eq!(summary["synthesized"], 0);
    assert_eq!(server.requests(), before);
}

#[test]
fn permanent_failures_fail_at_once_with_the_servers_words_and_no_key() {
    let cases = [
        (Fault::Unauthorized, "refused the API key in $TEST_TTS_KEY"),
        (
            Fault::BadRequest,
            "voice 'nope' is not a voice of this model",
        ),
        (Fault::Json, "not audio"),
    ];
    for (fault, want) in cases {
        let env = Env::new();
        // Every request fails the same way.
        let server = SpeechServer::start(&[fault; 40]);
        let voice = voice(&env, &server, "parallel = 1");
        let out = env.path("episode.mp3");
        let assert = render(&env, &voice, &out)
            .code(1)
            .stderr(predicate::str::contains(want).and(predicate::str::contains("chunk ")));
        no_key(&assert);
        assert!(!out.exists());
        // Not retried: one request (a second worker may have started one more).
        assert!(
            server.requests() <= 2,
            "{fault:?}: {} requests",
            server.requests()
        );
    }
}

#[test]
fn retries_give_up_after_their_count_and_say_why() {
    let env = Env::new();
    let server = SpeechServer::start(&[Fault::Internal; 40]);
    let voice = voice(&env, &server, "parallel = 1\nretries = 2");
    let assert = render(&env, &voice, &env.path("e.wav")).code(1).stderr(
        predicate::str::contains("answered 500").and(predicate::str::contains("model crashed")),
    );
    no_key(&assert);
    assert_eq!(server.requests(), 3, "one attempt and two retries");
}

#[test]
fn the_quick_form_uses_the_sdk_variables_and_other_formats_decode() {
    let env = Env::new();
    let server = SpeechServer::start(&[]);
    let out = env.path("quick.wav");
    let assert = env
        .cmd()
        .env("OPENAI_BASE_URL", &server.url)
        .env("OPENAI_API_KEY", KEY)
        .args(["render", "--json", "--voice", "openai:tts-1:alloy", "-o"])
        .arg(&out)
        .arg(article(&env))
        .assert()
        .success();
    no_key(&assert);
    let summary: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert!(
        summary["engine"]
            .as_str()
            .unwrap()
            .contains("tts-1 alloy at http://127.0.0.1"),
        "{summary}"
    );
    assert_eq!(server.seen.lock().unwrap()[0].body["model"], "tts-1");
    let wav_secs = Wav::read(&out).duration();
    for format in ["pcm", "mp3"] {
        let voice = voice(
            &env,
            &server,
            &format!("response_format = \"{format}\"\npcm_rate = 22050"),
        );
        let out = env.path(&format!("{format}.wav"));
        render(&env, &voice, &out).success();
        let secs = Wav::read(&out).duration();
        assert!(
            (secs / wav_secs - 1.0).abs() < 0.05,
            "{format}: {secs} s against {wav_secs} s"
        );
    }
    // Without a key for OpenAI's own API: a clear refusal before any request.
    env.cmd()
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .args(["render", "--voice", "openai:tts-1:alloy", "-o"])
        .arg(env.path("none.wav"))
        .arg(article(&env))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "set the environment variable OPENAI_API_KEY",
        ));
}

#[test]
fn voices_check_asks_the_server_what_it_offers() {
    let env = Env::new();
    let server = SpeechServer::start(&[]);
    let dir = env.path("voices");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, speaker) in [("kokoro-fr", "ff_siwis"), ("kokoro-typo", "ff_sivis")] {
        std::fs::write(
            dir.join(format!("{name}.toml")),
            format!(
                "name = \"{name}\"\nlanguage = \"fr\"\nbackend = \"openai\"\n[openai]\nbase_url = \"{}\"\nmodel = \"kokoro\"\nvoice = \"{speaker}\"\napi_key_env = \"TEST_TTS_KEY\"\n",
                server.url
            ),
        )
        .unwrap();
    }
    let assert = env
        .cmd()
        .env("TEST_TTS_KEY", KEY)
        .args(["voices", "--check"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("kokoro-fr (http://127.0.0.1")
                .and(predicate::str::contains(
                    "model kokoro offered, voice ff_siwis offered",
                ))
                .and(predicate::str::contains("voice ff_sivis NOT offered"))
                .and(predicate::str::contains("voices: ff_siwis, af_bella")),
        );
    no_key(&assert);
    // Listing asks nothing of the speech endpoint.
    assert_eq!(server.requests(), 0);
}

#[test]
fn a_rerun_after_an_outage_asks_only_for_what_is_missing() {
    let env = Env::new();
    // Two answers, then the server is down (503) until the render gives up.
    let server = SpeechServer::start(&[
        Fault::Fine,
        Fault::Fine,
        Fault::Unavailable,
        Fault::Unavailable,
    ]);
    let voice = voice(&env, &server, "parallel = 1\nretries = 1");
    let out = env.path("e.wav");
    let first = render(&env, &voice, &out)
        .code(1)
        .stderr(predicate::str::contains("answered 503"));
    no_key(&first);
    assert_eq!(server.requests(), 4);
    assert!(!out.exists());
    // Back up: the two chunks made before the outage come from the cache.
    let again = render(&env, &voice, &out).success();
    let summary: serde_json::Value = serde_json::from_slice(&again.get_output().stdout).unwrap();
    let chunks = summary["chunks"].as_u64().unwrap() as usize;
    assert_eq!(summary["cache_hits"], 2);
    assert_eq!(server.requests(), 4 + chunks - 2);
}
