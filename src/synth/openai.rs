//! The `openai` backend: any server that speaks OpenAI's `/v1/audio/speech` protocol,
//! the hosted API and local servers alike (Kokoro-FastAPI, openedai-speech, LocalAI,
//! Speaches...).
//!
//! A voice file's `[openai]` table gives the server, the model and the voice, the
//! audio format to ask for (WAV by default, so nothing is lossy on the way; PCM, FLAC,
//! MP3 and AAC are decoded too), speed, instructions, extra JSON fields passed through,
//! and the *name* of the environment variable that holds the API key, never the key.
//! The key is read when the backend is built and is never printed: not in errors (a
//! server's message is scrubbed of it), not in the engine's name, not in the cache key,
//! not in `Debug`.
//!
//! Each chunk is one POST. Connection failures, resets, time limits, 408, 429 and 5xx
//! answers are retried with exponential backoff and jitter, honouring `Retry-After`;
//! other 4xx fail at once with the server's message (401 and 403 name the variable the
//! key came from). A body shorter than its `Content-Length`, or a 200 that is not audio,
//! is an error naming what came back.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::error::AudioError;
use super::{Backend, BackendId, Clip, Limits, SpeechRequest, SynthError};

/// The address used when neither the voice file nor `$OPENAI_BASE_URL` gives one.
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";

/// Largest answer read, in bytes (an hour of 24 kHz WAV is 170 MB).
const MAX_ANSWER_BYTES: u64 = 512 * 1024 * 1024;

/// Longest error message kept from a server, in characters.
const MAX_MESSAGE_CHARS: usize = 400;

/// The audio format asked of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResponseFormat {
    /// WAV: lossless, read as it comes.
    #[default]
    Wav,
    /// Raw 16-bit little-endian mono PCM at `pcm_rate`.
    Pcm,
    /// FLAC.
    Flac,
    /// MP3 (lossy).
    Mp3,
    /// AAC (lossy).
    Aac,
    /// Opus: articast has no decoder for it, so it is refused with what to ask instead.
    Opus,
}

impl ResponseFormat {
    fn name(self) -> &'static str {
        match self {
            ResponseFormat::Wav => "wav",
            ResponseFormat::Pcm => "pcm",
            ResponseFormat::Flac => "flac",
            ResponseFormat::Mp3 => "mp3",
            ResponseFormat::Aac => "aac",
            ResponseFormat::Opus => "opus",
        }
    }
}

/// Settings of the `openai` backend, as a voice file's `[openai]` table writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenAiSettings {
    /// The server, up to its `/v1` (`http://127.0.0.1:8880/v1`); default
    /// `$OPENAI_BASE_URL`, else OpenAI's.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The model (`tts-1`, `gpt-4o-mini-tts`, `kokoro`).
    pub model: String,
    /// The voice (`alloy`, `af_bella`).
    pub voice: String,
    /// The audio format asked for (default `wav`).
    #[serde(default)]
    pub response_format: ResponseFormat,
    /// Speaking speed, 0.25 to 4 (the server's default when unset).
    #[serde(default)]
    pub speed: Option<f32>,
    /// How to speak, for models that take instructions.
    #[serde(default)]
    pub instructions: Option<String>,
    /// More fields sent as they are in the request's JSON (`lang_code`, `stream`...).
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The environment variable that holds the API key (default `OPENAI_API_KEY`); a
    /// local server may need none.
    #[serde(default = "default_key_env")]
    pub api_key_env: String,
    /// Longest chunk sent, in characters (default 4096, OpenAI's limit).
    #[serde(default = "default_max_chars")]
    pub max_chars: usize,
    /// Requests in flight at most (default 3), whatever the number of cores.
    #[serde(default = "default_parallel")]
    pub parallel: usize,
    /// Time to connect, seconds (default 10).
    #[serde(default = "default_connect")]
    pub connect_timeout_secs: f64,
    /// Time for the answer, seconds (default 300: some servers send the headers only
    /// once the whole chunk is generated).
    #[serde(default = "default_timeout")]
    pub timeout_secs: f64,
    /// Retries of a chunk after a transient failure (default 5).
    #[serde(default = "default_retries")]
    pub retries: u32,
    /// The rate of `pcm` answers, Hz (default 24000, OpenAI's).
    #[serde(default = "default_pcm_rate")]
    pub pcm_rate: u32,
}

fn default_key_env() -> String {
    "OPENAI_API_KEY".into()
}
fn default_max_chars() -> usize {
    4096
}
fn default_parallel() -> usize {
    3
}
fn default_connect() -> f64 {
    10.0
}
fn default_timeout() -> f64 {
    300.0
}
fn default_retries() -> u32 {
    5
}
fn default_pcm_rate() -> u32 {
    24_000
}

impl OpenAiSettings {
    /// The settings of the quick form `openai:MODEL:VOICE` (everything else default).
    pub fn quick(model: &str, voice: &str) -> OpenAiSettings {
        OpenAiSettings {
            base_url: None,
            model: model.into(),
            voice: voice.into(),
            response_format: ResponseFormat::default(),
            speed: None,
            instructions: None,
            extra: BTreeMap::new(),
            api_key_env: default_key_env(),
            max_chars: default_max_chars(),
            parallel: default_parallel(),
            connect_timeout_secs: default_connect(),
            timeout_secs: default_timeout(),
            retries: default_retries(),
            pcm_rate: default_pcm_rate(),
        }
    }

    /// Refuses settings that cannot work, naming the field.
    pub fn check(&self) -> Result<(), String> {
        if self.model.trim().is_empty() || self.voice.trim().is_empty() {
            return Err("[openai] model and voice must not be empty".into());
        }
        if self.response_format == ResponseFormat::Opus {
            return Err("[openai] response_format = \"opus\": articast cannot decode Opus; ask for \"wav\" (lossless), \"pcm\", \"flac\", \"mp3\" or \"aac\"".into());
        }
        if let Some(url) = &self.base_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(format!(
                    "[openai] base_url = \"{}\" is not an http(s) address",
                    display_url(url)
                ));
            }
        }
        if let Some(speed) = self.speed {
            if !(0.25..=4.0).contains(&speed) {
                return Err(format!("[openai] speed = {speed} is outside 0.25-4"));
            }
        }
        if self.max_chars < 20 {
            return Err(format!(
                "[openai] max_chars = {} is too small",
                self.max_chars
            ));
        }
        if !(1..=64).contains(&self.parallel) {
            return Err(format!(
                "[openai] parallel = {} is outside 1-64",
                self.parallel
            ));
        }
        if !(self.connect_timeout_secs > 0.0 && self.timeout_secs > 0.0) {
            return Err("[openai] timeouts must be positive".into());
        }
        if !(8000..=192_000).contains(&self.pcm_rate) {
            return Err(format!(
                "[openai] pcm_rate = {} is outside 8000-192000",
                self.pcm_rate
            ));
        }
        if self.api_key_env.trim().is_empty() || self.api_key_env.starts_with("sk-") {
            return Err("[openai] api_key_env names an environment variable (OPENAI_API_KEY), never the key itself".into());
        }
        Ok(())
    }

    /// The same settings `speed` times as fast (within 0.25-4).
    pub fn at_speed(&self, speed: f32) -> OpenAiSettings {
        OpenAiSettings {
            speed: Some((self.speed.unwrap_or(1.0) * speed).clamp(0.25, 4.0)),
            ..self.clone()
        }
    }

    /// Every setting that changes the audio, in a stable serialization (the server's
    /// address is the backend's part of the key; limits, time limits, retries and the
    /// key's variable are left out).
    pub fn audio_key(&self) -> String {
        #[derive(Serialize)]
        struct Key<'a> {
            model: &'a str,
            voice: &'a str,
            response_format: ResponseFormat,
            speed: Option<f32>,
            instructions: &'a Option<String>,
            extra: &'a BTreeMap<String, serde_json::Value>,
            pcm_rate: u32,
        }
        serde_json::to_string(&Key {
            model: &self.model,
            voice: &self.voice,
            response_format: self.response_format,
            speed: self.speed,
            instructions: &self.instructions,
            extra: &self.extra,
            pcm_rate: self.pcm_rate,
        })
        .expect("settings serialize")
    }
}

/// `url` without the user and password it may carry (`http://u:p@host/` → `http://host/`).
pub fn display_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// An API key: printed as `***` whatever prints it.
#[derive(Clone)]
struct ApiKey(String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

/// The `openai` backend for one voice.
pub struct OpenAiBackend {
    id: BackendId,
    settings: OpenAiSettings,
    /// `.../audio/speech`.
    endpoint: String,
    key: Option<ApiKey>,
    agent: ureq::Agent,
}

impl std::fmt::Debug for OpenAiBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiBackend")
            .field("id", &self.id)
            .field("endpoint", &display_url(&self.endpoint))
            .field("key", &self.key)
            .finish()
    }
}

/// `text` with every occurrence of `key` (and of anything shaped like an OpenAI key)
/// replaced by `***`.
fn scrub(text: &str, key: Option<&ApiKey>) -> String {
    let mut text = text.to_string();
    if let Some(k) = key.filter(|k| k.0.len() >= 4) {
        text = text.replace(&k.0, "***");
    }
    // Servers echo keys, in part ("Incorrect API key provided: sk-ab***yz").
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("sk-") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 3..];
        let end = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '*'))
            .unwrap_or(tail.len());
        out.push_str("sk-***");
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The server's message in an error answer: OpenAI's `{"error": {"message"}}`,
/// FastAPI's `{"detail"}`, or the text itself.
fn server_message(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let parsed: Option<serde_json::Value> = serde_json::from_str(&text).ok();
    let message = parsed
        .as_ref()
        .and_then(|v| {
            v.pointer("/error/message")
                .or_else(|| v.get("detail"))
                .or_else(|| v.get("message"))
                .or_else(|| v.get("error"))
        })
        .map(|m| match m {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .unwrap_or_else(|| text.trim().to_string());
    let mut message: String = message.chars().take(MAX_MESSAGE_CHARS).collect();
    if message.is_empty() {
        message = "(no message)".into();
    }
    message
}

/// A jittered pause before retry `attempt`: articast's backoff times 0.5 to 1.5.
fn jittered(attempt: u32) -> Duration {
    let base = crate::fetch::backoff(attempt);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    // A cheap mix of the clock's nanoseconds: enough to spread retries apart.
    let mixed = (nanos as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    base.mul_f64(0.5 + (mixed % 1000) as f64 / 1000.0)
}

impl OpenAiBackend {
    /// The backend for `settings`, with the key read from its variable now.
    pub fn new(settings: &OpenAiSettings) -> Result<OpenAiBackend, SynthError> {
        let base = settings
            .base_url
            .clone()
            .or_else(|| {
                std::env::var("OPENAI_BASE_URL")
                    .ok()
                    .filter(|u| !u.is_empty())
            })
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
        let shown = display_url(&base);
        let unavailable = |hint: String| SynthError::Unavailable {
            engine: format!("{} at {shown}", settings.model),
            hint,
        };
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(unavailable(format!(
                "the server address '{shown}' is not http(s); set base_url or OPENAI_BASE_URL"
            )));
        }
        let key = std::env::var(&settings.api_key_env)
            .ok()
            .filter(|k| !k.trim().is_empty())
            .map(|k| ApiKey(k.trim().to_string()));
        if key.is_none() && base.trim_end_matches('/') == DEFAULT_BASE_URL {
            return Err(unavailable(format!(
                "OpenAI's API needs a key: set the environment variable {} (or point base_url at a local server)",
                settings.api_key_env
            )));
        }
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs_f64(settings.connect_timeout_secs)))
            .timeout_recv_response(Some(Duration::from_secs_f64(settings.timeout_secs)))
            .timeout_recv_body(Some(Duration::from_secs_f64(settings.timeout_secs)))
            .http_status_as_error(false)
            .user_agent(concat!("articast/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        let endpoint = format!("{}/audio/speech", base.trim_end_matches('/'));
        Ok(OpenAiBackend {
            id: BackendId {
                backend: "openai".into(),
                engine: format!("{} {} at {shown}", settings.model, settings.voice),
                cache_key: format!("openai/{shown}/{}", settings.audio_key()),
            },
            settings: settings.clone(),
            endpoint,
            key,
            agent,
        })
    }

    fn io(&self, what: &str, source: std::io::Error) -> SynthError {
        SynthError::Io {
            engine: self.id.engine.clone(),
            what: format!("{what} {}", display_url(&self.endpoint)),
            source,
        }
    }

    fn error_of(&self, e: ureq::Error) -> SynthError {
        use std::io::{Error, ErrorKind};
        match e {
            ureq::Error::Io(e) => self.io("POST", e),
            ureq::Error::Timeout(_) => SynthError::Timeout {
                engine: self.id.engine.clone(),
                after: Duration::from_secs_f64(self.settings.timeout_secs),
            },
            ureq::Error::ConnectionFailed => {
                self.io("POST", Error::from(ErrorKind::ConnectionRefused))
            }
            ureq::Error::HostNotFound => self.io("POST", Error::other("host not found")),
            ureq::Error::Protocol(p) => {
                self.io("POST", Error::new(ErrorKind::UnexpectedEof, p.to_string()))
            }
            ureq::Error::BodyStalled => {
                self.io("reading the answer of", Error::from(ErrorKind::TimedOut))
            }
            other => SynthError::Engine {
                engine: self.id.engine.clone(),
                message: scrub(&other.to_string(), self.key.as_ref()),
            },
        }
    }

    /// One request, no retry.
    fn request(&self, text: &str) -> Result<Clip, SynthError> {
        let s = &self.settings;
        let mut body = serde_json::Map::new();
        for (k, v) in &s.extra {
            body.insert(k.clone(), v.clone());
        }
        body.insert("model".into(), s.model.clone().into());
        body.insert("input".into(), text.into());
        body.insert("voice".into(), s.voice.clone().into());
        body.insert("response_format".into(), s.response_format.name().into());
        if let Some(speed) = s.speed {
            body.insert("speed".into(), serde_json::json!(speed));
        }
        if let Some(i) = &s.instructions {
            body.insert("instructions".into(), i.clone().into());
        }
        let json = serde_json::Value::Object(body).to_string();
        let mut request = self
            .agent
            .post(&self.endpoint)
            .header("Content-Type", "application/json");
        if let Some(key) = &self.key {
            request = request.header("Authorization", format!("Bearer {}", key.0));
        }
        let mut response = request
            .send(json.as_bytes())
            .map_err(|e| self.error_of(e))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let retry_after = crate::fetch::retry_after(&response);
        let bytes = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
            .map_err(|e| self.error_of(e));
        if status != 200 {
            let message = bytes
                .as_deref()
                .map_or_else(|e| e.to_string(), server_message);
            let message = scrub(&message, self.key.as_ref());
            let message = match status {
                401 | 403 if self.key.is_some() => format!(
                    "the server refused the API key in ${} ({message})",
                    s.api_key_env
                ),
                401 | 403 => format!(
                    "the server wants an API key: set ${} ({message})",
                    s.api_key_env
                ),
                _ => message,
            };
            return Err(SynthError::Http {
                engine: self.id.engine.clone(),
                status,
                message,
                retry_after,
            });
        }
        let bytes = bytes?;
        if content_type.starts_with("application/json") || content_type.starts_with("text/") {
            let excerpt = scrub(&server_message(&bytes), self.key.as_ref());
            return Err(SynthError::Audio {
                engine: self.id.engine.clone(),
                source: AudioError::Decode(format!(
                    "the server answered {content_type}, not audio: {excerpt}"
                )),
            });
        }
        self.decode(&bytes).map_err(|source| SynthError::Audio {
            engine: self.id.engine.clone(),
            source,
        })
    }

    fn decode(&self, bytes: &[u8]) -> Result<Clip, AudioError> {
        match self.settings.response_format {
            ResponseFormat::Wav => super::wav::clip_from_wav(bytes),
            ResponseFormat::Pcm => {
                if bytes.len() < 2 {
                    return Err(AudioError::Empty);
                }
                Ok(Clip {
                    samples: bytes
                        .chunks_exact(2)
                        .map(|b| i16::from_le_bytes([b[0], b[1]]) as f32 / 32768.0)
                        .collect(),
                    sample_rate: self.settings.pcm_rate,
                })
            }
            format => super::wav::clip_from_encoded(bytes, format.name()),
        }
    }
}

/// What a server says it offers, for `articast voices --check`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Offer {
    /// The server, without credentials.
    pub url: String,
    /// Models `GET /models` lists (none: the server does not list them).
    pub models: Option<Vec<String>>,
    /// Voices `GET /audio/voices` lists, where servers offer that (Kokoro-FastAPI,
    /// Speaches...).
    pub voices: Option<Vec<String>>,
    /// Why the server could not be asked.
    pub problem: Option<String>,
}

/// Names in a listing: `{"data": [{"id": ...}]}` (OpenAI), `{"voices": [...]}`, or a
/// bare array, of strings or of objects with an `id` or a `name`.
fn names_in(value: &serde_json::Value) -> Option<Vec<String>> {
    let list = value
        .get("data")
        .or_else(|| value.get("voices"))
        .or_else(|| value.get("models"))
        .unwrap_or(value)
        .as_array()?;
    Some(
        list.iter()
            .filter_map(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                other => other
                    .get("id")
                    .or_else(|| other.get("name"))
                    .and_then(|n| n.as_str())
                    .map(str::to_string),
            })
            .collect(),
    )
}

impl OpenAiBackend {
    /// Asks the server which models and voices it offers (one attempt each: this is a
    /// check, not a render).
    pub fn offer(&self) -> Offer {
        let base = self.endpoint.trim_end_matches("/audio/speech").to_string();
        let mut offer = Offer {
            url: display_url(&base),
            ..Offer::default()
        };
        let get = |path: &str| -> Result<Option<Vec<String>>, String> {
            let mut request = self.agent.get(format!("{base}{path}"));
            if let Some(key) = &self.key {
                request = request.header("Authorization", format!("Bearer {}", key.0));
            }
            let mut response = request.call().map_err(|e| self.error_of(e).to_string())?;
            let status = response.status().as_u16();
            let body = response
                .body_mut()
                .with_config()
                .limit(1 << 20)
                .read_to_vec()
                .map_err(|e| self.error_of(e).to_string())?;
            match status {
                200 => Ok(serde_json::from_slice(&body)
                    .ok()
                    .and_then(|v| names_in(&v))),
                404 | 405 => Ok(None),
                401 | 403 => Err(format!(
                    "the server refused the API key in ${} ({})",
                    self.settings.api_key_env,
                    server_message(&body)
                )),
                s => Err(format!(
                    "{path}: the server answered {s}: {}",
                    server_message(&body)
                )),
            }
        };
        match get("/models") {
            Ok(models) => offer.models = models,
            Err(e) => offer.problem = Some(scrub(&e, self.key.as_ref())),
        }
        if offer.problem.is_none() {
            match get("/audio/voices") {
                Ok(voices) => offer.voices = voices,
                Err(e) => offer.problem = Some(scrub(&e, self.key.as_ref())),
            }
        }
        offer
    }
}

impl Backend for OpenAiBackend {
    fn id(&self) -> &BackendId {
        &self.id
    }

    fn limits(&self) -> Limits {
        Limits {
            max_chars: self.settings.max_chars,
            max_parallel: self.settings.parallel,
            sample_rate: 24_000,
        }
    }

    fn synthesize(&self, request: &SpeechRequest) -> Result<Clip, SynthError> {
        // The service reads text: words the lexicon gives in IPA are read as written.
        let text = crate::language::ipa::written_only(request.text);
        SynthError::check_length(&self.id.engine, &text, self.settings.max_chars)?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.request(&text) {
                Ok(clip) => return Ok(clip),
                Err(e) if e.is_retryable() && attempt <= self.settings.retries => {
                    let wait = jittered(attempt).max(e.retry_after().unwrap_or_default());
                    std::thread::sleep(wait);
                }
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_scrubbed_and_never_debug_printed() {
        let key = ApiKey("sk-proj-abcdefghijklmnop".into());
        assert_eq!(
            scrub("bad key sk-proj-abcdefghijklmnop here", Some(&key)),
            "bad key *** here"
        );
        assert_eq!(
            scrub("Incorrect API key provided: sk-ab***op. See", None),
            "Incorrect API key provided: sk-***. See"
        );
        let local = ApiKey("local-secret-value".into());
        assert_eq!(scrub("echo local-secret-value", Some(&local)), "echo ***");
        assert_eq!(format!("{key:?}"), "ApiKey(***)");
        assert_eq!(
            display_url("http://user:pass@127.0.0.1:8880/v1"),
            "http://127.0.0.1:8880/v1"
        );
        assert_eq!(
            display_url("https://api.openai.com/v1"),
            "https://api.openai.com/v1"
        );
    }

    #[test]
    fn listings_of_models_and_voices() {
        let openai = serde_json::json!({"object": "list", "data": [{"id": "tts-1"}, {"id": "gpt-4o-mini-tts"}]});
        assert_eq!(names_in(&openai).unwrap(), ["tts-1", "gpt-4o-mini-tts"]);
        let kokoro = serde_json::json!({"voices": ["af_bella", "ff_siwis"]});
        assert_eq!(names_in(&kokoro).unwrap(), ["af_bella", "ff_siwis"]);
        let named = serde_json::json!([{"name": "alloy"}, "echo"]);
        assert_eq!(names_in(&named).unwrap(), ["alloy", "echo"]);
        assert!(names_in(&serde_json::json!({"detail": "x"})).is_none());
    }

    #[test]
    fn server_messages_from_openai_fastapi_and_text() {
        assert_eq!(
            server_message(br#"{"error": {"message": "Rate limit reached", "type": "x"}}"#),
            "Rate limit reached"
        );
        assert_eq!(
            server_message(br#"{"detail": "Voice not found"}"#),
            "Voice not found"
        );
        assert_eq!(server_message(b"  Bad Gateway \n"), "Bad Gateway");
        assert_eq!(server_message(b""), "(no message)");
    }

    #[test]
    fn checks_and_keys() {
        let s = OpenAiSettings::quick("tts-1", "alloy");
        assert!(s.check().is_ok());
        let opus = OpenAiSettings {
            response_format: ResponseFormat::Opus,
            ..s.clone()
        };
        assert!(opus.check().unwrap_err().contains("Opus"));
        let leaked = OpenAiSettings {
            api_key_env: "sk-abc".into(),
            ..s.clone()
        };
        assert!(leaked.check().unwrap_err().contains("never the key"));
        assert_ne!(s.audio_key(), s.at_speed(1.2).audio_key());
        let elsewhere = OpenAiSettings {
            api_key_env: "OTHER_KEY".into(),
            retries: 1,
            ..s.clone()
        };
        assert_eq!(s.audio_key(), elsewhere.audio_key());
    }
}
