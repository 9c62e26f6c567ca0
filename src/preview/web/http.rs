//! The web preview's HTTP side: a `tiny_http` server on 127.0.0.1, a random token that
//! starts every path, and the routes. Routing is a pure function from a request's
//! method, path, headers and body to a [`Reply`], so it is tested without sockets; the
//! server only moves bytes.
//!
//! What is served is a [`Site`]: an article ([`WebPreview`]) or a folder of rendered
//! episodes ([`super::show::ShowPreview`]). The token check, the security headers and
//! `HEAD` are the same for both. An article's routes, all under `/TOKEN/`: the page
//! (`/`), its script and style, the script as JSON (`script.json`), a sentence as WAV
//! (`clip/N.wav?speed=S`, with HTTP ranges: 206 for a satisfiable range, 416
//! otherwise), a pronunciation fix (`POST lexicon`, JSON `{"word": ..., "say": ...}`,
//! with `"form": "ipa"` when `say` is IPA), how the engine says a word now (`POST ipa`,
//! `{"word": ...}`, answered `{"ipa": ...}`: a fix in IPA starts from it)
//! and counters (`stats.json`). A path without the token gets 403, an unknown path 404,
//! another method 405, a body too large 413.

use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;

use serde::Deserialize;

use crate::language::lexicon::Say;

use super::{WebError, WebPreview};

/// The page, its script and its style: embedded, nothing is fetched from elsewhere.
const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
/// The style both pages share.
pub(crate) const STYLE_CSS: &str = include_str!("assets/style.css");

/// Largest request body accepted (a fix is a few words).
const MAX_BODY: usize = 4096;

/// Threads answering requests: clips are prepared on the pool, so these mostly wait.
const HANDLERS: usize = 4;

/// What a reply carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Bytes in memory.
    Bytes(Vec<u8>),
    /// `len` bytes of a file from `start`: an episode is streamed from the disk, never
    /// read whole into memory.
    File {
        /// The file.
        path: PathBuf,
        /// First byte.
        start: u64,
        /// How many bytes.
        len: u64,
    },
}

/// An answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Its media type.
    pub content_type: &'static str,
    /// The body.
    pub body: Body,
    /// More headers.
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// An answer with `body` in memory.
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            content_type,
            body: Body::Bytes(body.into()),
            headers: Vec::new(),
        }
    }

    /// A plain-text answer (a message for whoever reads it).
    pub fn text(status: u16, message: impl Into<String>) -> Reply {
        let mut body = message.into();
        body.push('\n');
        Reply::new(status, "text/plain; charset=utf-8", body)
    }

    /// A JSON answer.
    pub fn json(body: String) -> Reply {
        Reply::new(200, "application/json", body)
    }

    /// The same answer with one more header.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }

    /// The body when it is in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.body {
            Body::Bytes(b) => Some(b),
            Body::File { .. } => None,
        }
    }

    /// The answer for a method a path does not take.
    pub fn not_allowed(method: &str, allow: &'static str) -> Reply {
        Reply::text(405, format!("{method} is not allowed here")).with("Allow", allow)
    }
}

/// Something served under the token: it answers the path after `/TOKEN/`.
pub trait Site: Send + Sync {
    /// The answer to `rest` (the path after `/TOKEN/`, without its query) and `query`.
    fn answer(&self, rest: &str, query: &str, ask: &Ask) -> Reply;
}

/// A request as routing sees it.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    /// `GET`, `HEAD`, `POST`...
    pub method: &'a str,
    /// The path and query.
    pub url: &'a str,
    /// The `Range` header, if any.
    pub range: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FixRequest {
    word: String,
    say: String,
    /// `"words"` (the default) or `"ipa"`.
    #[serde(default)]
    form: FixForm,
}

/// How a fix's `say` is written.
#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum FixForm {
    #[default]
    Words,
    Ipa,
}

/// Whether two strings are equal, in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The value of `name` in a query string.
pub(crate) fn query_value<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The bytes `[start, end]` a Range header asks of `len` bytes: `None` for the whole
/// (no header, or several ranges at once, for which the whole file is a valid answer:
/// RFC 9110, 14.2), or the 416 answer.
fn span(range: Option<&str>, len: u64) -> Result<Option<(u64, u64)>, Reply> {
    let Some(range) = range else {
        return Ok(None);
    };
    match http_range_header::parse_range_header(range).and_then(|r| r.validate(len)) {
        Ok(ranges) => Ok(match ranges.as_slice() {
            [one] => Some((*one.start(), *one.end())),
            _ => None,
        }),
        Err(_) => Err(Reply::text(
            416,
            format!("range '{range}' is not within the {len} bytes"),
        )
        .with("Content-Range", format!("bytes */{len}"))),
    }
}

/// `body` (of `len` bytes) as a whole or partial answer for `span`.
fn spanned(content_type: &'static str, len: u64, span: Option<(u64, u64)>, body: Body) -> Reply {
    let reply = Reply {
        status: if span.is_some() { 206 } else { 200 },
        content_type,
        body,
        headers: Vec::new(),
    }
    .with("Accept-Ranges", "bytes")
    .with("Cache-Control", "no-store");
    match span {
        Some((start, end)) => reply.with("Content-Range", format!("bytes {start}-{end}/{len}")),
        None => reply,
    }
}

/// Audio in memory answered whole or in the range asked.
pub(crate) fn ranged(bytes: Vec<u8>, content_type: &'static str, range: Option<&str>) -> Reply {
    let len = bytes.len() as u64;
    match span(range, len) {
        Err(refused) => refused,
        Ok(None) => spanned(content_type, len, None, Body::Bytes(bytes)),
        Ok(Some((start, end))) => spanned(
            content_type,
            len,
            Some((start, end)),
            Body::Bytes(bytes[start as usize..=end as usize].to_vec()),
        ),
    }
}

/// A file of `len` bytes answered whole or in the range asked, streamed from the disk.
pub(crate) fn ranged_file(
    path: PathBuf,
    len: u64,
    content_type: &'static str,
    range: Option<&str>,
) -> Reply {
    match span(range, len) {
        Err(refused) => refused,
        Ok(None) => spanned(
            content_type,
            len,
            None,
            Body::File {
                path,
                start: 0,
                len,
            },
        ),
        Ok(Some((start, end))) => spanned(
            content_type,
            len,
            Some((start, end)),
            Body::File {
                path,
                start,
                len: end - start + 1,
            },
        ),
    }
}

/// Answers one request for `site`, whose paths start with `/token/`.
pub fn route<S: Site + ?Sized>(site: &S, token: &str, ask: Ask) -> Reply {
    let (path, query) = ask.url.split_once('?').unwrap_or((ask.url, ""));
    // Exactly one slash, then the token: anything else is refused.
    let mut parts = path.strip_prefix('/').unwrap_or("").splitn(2, '/');
    let given = parts.next().unwrap_or("");
    if !same(given, token) {
        return Reply::text(
            403,
            "this preview needs the address articast printed, with its token",
        );
    }
    let Some(rest) = parts.next() else {
        // `/TOKEN` without its slash: the page's relative links need it.
        return Reply::text(308, "the page is one slash further")
            .with("Location", format!("/{token}/"));
    };
    let reply = site.answer(rest, query, &ask);
    let reply = reply
        .with("X-Content-Type-Options", "nosniff")
        .with("Referrer-Policy", "no-referrer")
        .with(
            "Content-Security-Policy",
            "default-src 'self'; media-src 'self' blob:; img-src 'self' data:",
        );
    if ask.method == "HEAD" {
        Reply {
            body: Body::Bytes(Vec::new()),
            ..reply
        }
    } else {
        reply
    }
}

impl Site for WebPreview {
    fn answer(&self, rest: &str, query: &str, ask: &Ask) -> Reply {
        article_routes(self, rest, query, ask)
    }
}

/// An article's routes.
fn article_routes(preview: &WebPreview, rest: &str, query: &str, ask: &Ask) -> Reply {
    let read = matches!(ask.method, "GET" | "HEAD");
    match (rest, ask.method) {
        ("", _) if read => Reply::new(200, "text/html; charset=utf-8", INDEX_HTML),
        ("app.js", _) if read => Reply::new(200, "text/javascript; charset=utf-8", APP_JS),
        ("style.css", _) if read => Reply::new(200, "text/css; charset=utf-8", STYLE_CSS),
        ("script.json", _) if read => Reply::json(preview.script_json()),
        ("stats.json", _) if read => {
            Reply::json(serde_json::to_string(&preview.stats()).expect("stats serialize"))
        }
        ("lexicon", "POST") => fix(preview, ask.body),
        ("ipa", "POST") => ipa_of(preview, ask.body),
        (clip, _) if read && clip.starts_with("clip/") => {
            let number = clip
                .strip_prefix("clip/")
                .and_then(|c| c.strip_suffix(".wav"))
                .and_then(|n| n.parse::<usize>().ok());
            let speed = match query_value(query, "speed") {
                None => Some(1.0),
                Some(s) => s.parse::<f32>().ok().filter(|s| s.is_finite()),
            };
            match (number, speed) {
                (Some(n), Some(speed)) => match preview.clip_wav(n, speed) {
                    Ok(bytes) => ranged(bytes, "audio/wav", ask.range),
                    Err(e @ WebError::NoSentence(_)) => Reply::text(404, e.to_string()),
                    Err(e @ WebError::Speed(_)) => Reply::text(400, e.to_string()),
                    Err(e) => Reply::text(500, error_chain(&e)),
                },
                (None, _) => Reply::text(404, format!("no clip '{clip}'; clips are clip/N.wav")),
                (_, None) => Reply::text(400, "speed must be a number from 0.5 to 2"),
            }
        }
        ("", _) | ("app.js", _) | ("style.css", _) | ("script.json", _) | ("stats.json", _) => {
            Reply::not_allowed(ask.method, "GET, HEAD")
        }
        ("lexicon", _) => Reply::text(405, "send fixes with POST").with("Allow", "POST"),
        ("ipa", _) => Reply::text(405, "ask with POST").with("Allow", "POST"),
        (other, _) => Reply::text(404, format!("nothing at '{other}'")),
    }
}

/// A request's JSON body: 413 when it is too large, 400 (saying what to send,
/// `shape`) when it is not `T`.
fn json_body<T: serde::de::DeserializeOwned>(body: &[u8], shape: &str) -> Result<T, Reply> {
    if body.len() > MAX_BODY {
        return Err(Reply::text(
            413,
            format!("a request is at most {MAX_BODY} bytes"),
        ));
    }
    serde_json::from_slice(body).map_err(|e| Reply::text(400, format!("send {shape} as JSON: {e}")))
}

fn fix(preview: &WebPreview, body: &[u8]) -> Reply {
    let request: FixRequest = match json_body(body, r#"{"word": ..., "say": ...}"#) {
        Ok(r) => r,
        Err(reply) => return reply,
    };
    let say = match request.form {
        FixForm::Words => Say::Text(request.say),
        FixForm::Ipa => Say::Ipa(request.say),
    };
    match preview.fix(&request.word, &say) {
        Ok(report) => Reply::json(serde_json::to_string(&report).expect("report serializes")),
        Err(e @ WebError::Lexicon(crate::language::lexicon::LexiconError::Invalid { .. })) => {
            Reply::text(400, error_chain(&e))
        }
        Err(e) => Reply::text(500, error_chain(&e)),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IpaRequest {
    word: String,
}

/// `POST ipa` `{"word": ...}`: how the engine says the word now, `{"ipa": ...}`.
fn ipa_of(preview: &WebPreview, body: &[u8]) -> Reply {
    let request: IpaRequest = match json_body(body, r#"{"word": ...}"#) {
        Ok(r) => r,
        Err(reply) => return reply,
    };
    if request.word.trim().is_empty() || request.word.contains('\n') {
        return Reply::text(400, "a word is one line of text");
    }
    match preview.ipa_of(&request.word) {
        Ok(ipa) => Reply::json(serde_json::json!({ "ipa": ipa }).to_string()),
        Err(e) => Reply::text(500, error_chain(&e)),
    }
}

/// An error and its causes on one line.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let t = c.to_string();
        if !text.contains(&t) {
            text.push_str(": ");
            text.push_str(&t);
        }
        cause = c.source();
    }
    text
}

/// A running web preview.
pub struct WebServer {
    server: Arc<tiny_http::Server>,
    handlers: Vec<JoinHandle<()>>,
    url: String,
}

impl WebServer {
    /// Serves `preview` on 127.0.0.1, on a free port, under a new random token.
    pub fn start(preview: Arc<dyn Site>) -> std::io::Result<WebServer> {
        let server = tiny_http::Server::http("127.0.0.1:0").map_err(std::io::Error::other)?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| std::io::Error::other("the server has no IP address"))?;
        let token = uuid::Uuid::new_v4().simple().to_string();
        let server = Arc::new(server);
        let handlers = (0..HANDLERS)
            .map(|_| {
                let (server, preview, token) =
                    (Arc::clone(&server), Arc::clone(&preview), token.clone());
                std::thread::spawn(move || serve(&server, &*preview, &token))
            })
            .collect();
        Ok(WebServer {
            server,
            handlers,
            url: format!("http://{addr}/{token}/"),
        })
    }

    /// The page's address, token included.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops answering and waits for the handlers.
    pub fn stop(self) {
        for _ in &self.handlers {
            self.server.unblock();
        }
        for h in self.handlers {
            let _ = h.join();
        }
    }
}

/// One handler thread: requests until the server is unblocked.
fn serve(server: &tiny_http::Server, preview: &dyn Site, token: &str) {
    while let Ok(mut request) = server.recv() {
        let mut body = Vec::new();
        let too_big = request.body_length().is_some_and(|n| n > MAX_BODY);
        if !too_big {
            use std::io::Read;
            let _ = request
                .as_reader()
                .take(MAX_BODY as u64 + 1)
                .read_to_end(&mut body);
        }
        let range = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Range"))
            .map(|h| h.value.as_str().to_string());
        let method = request.method().as_str().to_string();
        let url = request.url().to_string();
        let reply = if too_big {
            Reply::text(413, format!("a request body is at most {MAX_BODY} bytes"))
        } else {
            route(
                preview,
                token,
                Ask {
                    method: &method,
                    url: &url,
                    range: range.as_deref(),
                    body: &body,
                },
            )
        };
        let mut headers = vec![header("Content-Type", reply.content_type)];
        headers.extend(
            reply
                .headers
                .iter()
                .map(|(name, value)| header(name, value)),
        );
        let _ = match reply.body {
            Body::Bytes(bytes) => {
                let mut response =
                    tiny_http::Response::from_data(bytes).with_status_code(reply.status);
                for h in headers {
                    response = response.with_header(h);
                }
                request.respond(response)
            }
            Body::File { path, start, len } => match open_at(&path, start) {
                Ok(file) => {
                    use std::io::Read;
                    request.respond(tiny_http::Response::new(
                        tiny_http::StatusCode(reply.status),
                        headers,
                        file.take(len),
                        Some(len as usize),
                        None,
                    ))
                }
                Err(e) => request.respond(
                    tiny_http::Response::from_string(format!("{}: {e}\n", path.display()))
                        .with_status_code(500),
                ),
            },
        };
    }
}

/// `path` opened and moved to byte `start`.
fn open_at(path: &std::path::Path, start: u64) -> std::io::Result<std::fs::File> {
    use std::io::{Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    Ok(file)
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assemble::AssembleOptions;
    use crate::document::{parse_bytes, CleanOptions, InputFormat};
    use crate::language::{detect::LanguageSource, Language};
    use crate::preview::speech::Speech;
    use crate::preview::web::WebSettings;
    use crate::script::{build, ScriptOptions};
    use crate::synth::tone::{ToneBackend, TONE_RATE};
    use crate::synth::Backend;

    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    fn session(dir: &std::path::Path) -> WebPreview {
        let text = "# Titre\n\nUne phrase. Une autre phrase.\n";
        let (doc, _) = parse_bytes(
            text.as_bytes(),
            std::path::Path::new("a.md"),
            InputFormat::Markdown,
            &CleanOptions::default(),
        )
        .unwrap();
        let script = Arc::new(build(
            &doc,
            Language::French,
            LanguageSource::Flag,
            &ScriptOptions::default(),
        ));
        let voice = crate::voice::builtin_voices()
            .into_iter()
            .find(|v| v.voice.name == "fr")
            .unwrap()
            .voice;
        let speech = Arc::new(Speech::new(
            Arc::clone(&script),
            voice,
            1.0,
            Arc::new(ToneBackend::new(300)),
            Arc::new(|_: &crate::voice::Voice| {
                Ok(Box::new(ToneBackend::new(330)) as Box<dyn Backend>)
            }),
            None,
            TONE_RATE,
        ));
        WebPreview::new(
            speech,
            WebSettings {
                pool: Arc::new(
                    rayon::ThreadPoolBuilder::new()
                        .num_threads(1)
                        .build()
                        .unwrap(),
                ),
                target_lufs: Some(-19.0),
                ceiling_dbtp: -1.0,
                pauses: AssembleOptions::default(),
                ahead: 2,
                lexicon: dir.join("lexicon.toml"),
                rebuild: Box::new(move || Ok((*script).clone())),
                name: "test".into(),
            },
        )
    }

    fn status(preview: &WebPreview, method: &str, url: &str, range: Option<&str>) -> u16 {
        route(
            preview,
            TOKEN,
            Ask {
                method,
                url,
                range,
                body: b"",
            },
        )
        .status
    }

    #[test]
    fn the_token_is_the_first_segment_after_exactly_one_slash() {
        let dir = tempfile::tempdir().unwrap();
        let p = session(dir.path());
        assert_eq!(status(&p, "GET", &format!("/{TOKEN}/"), None), 200);
        assert_eq!(status(&p, "HEAD", &format!("/{TOKEN}/app.js"), None), 200);
        assert_eq!(status(&p, "GET", &format!("/{TOKEN}"), None), 308);
        // Found by fuzzing: two slashes, or none, are not the page.
        assert_eq!(status(&p, "GET", &format!("//{TOKEN}/"), None), 403);
        assert_eq!(status(&p, "GET", TOKEN, None), 403);
        assert_eq!(status(&p, "GET", "/", None), 403);
        assert_eq!(status(&p, "GET", &format!("/{}x/", &TOKEN[1..]), None), 403);
        assert_eq!(
            status(&p, "PUT", &format!("/{TOKEN}/script.json"), None),
            405
        );
        assert_eq!(status(&p, "GET", &format!("/{TOKEN}/lexicon"), None), 405);
        assert_eq!(status(&p, "GET", &format!("/{TOKEN}/ipa"), None), 405);
    }

    #[test]
    fn a_word_is_answered_with_how_the_engine_says_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = session(dir.path());
        let ask = |body: &[u8]| {
            route(
                &p,
                TOKEN,
                Ask {
                    method: "POST",
                    url: &format!("/{TOKEN}/ipa"),
                    range: None,
                    body,
                },
            )
        };
        let reply = ask(br#"{"word": "bonjour"}"#);
        assert_eq!(reply.status, 200);
        let Body::Bytes(bytes) = reply.body else {
            panic!("a JSON body")
        };
        let answer: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let ipa = answer["ipa"].as_str().unwrap();
        assert!(
            crate::language::ipa::clean(ipa).is_ok_and(|c| c == ipa),
            "{ipa}"
        );
        assert_eq!(ask(br#"{"word": ""}"#).status, 400);
        assert_eq!(ask(b"bonjour").status, 400);
        assert_eq!(ask(&vec![b' '; MAX_BODY + 1]).status, 413);
    }

    #[test]
    fn clips_answer_ranges() {
        let dir = tempfile::tempdir().unwrap();
        let p = session(dir.path());
        let clip = format!("/{TOKEN}/clip/1.wav?speed=1.0");
        let whole = route(
            &p,
            TOKEN,
            Ask {
                method: "GET",
                url: &clip,
                range: None,
                body: b"",
            },
        );
        assert_eq!(whole.status, 200);
        let n = whole.bytes().unwrap().len();
        let part = route(
            &p,
            TOKEN,
            Ask {
                method: "GET",
                url: &clip,
                range: Some("bytes=4-7"),
                body: b"",
            },
        );
        assert_eq!(
            (part.status, part.bytes().unwrap()),
            (206, &whole.bytes().unwrap()[4..8])
        );
        assert_eq!(status(&p, "GET", &clip, Some(&format!("bytes={n}-"))), 416);
        assert_eq!(status(&p, "GET", &clip, Some("bytes=5-2")), 416);
        // Several ranges: the whole file.
        assert_eq!(status(&p, "GET", &clip, Some("bytes=0-1,4-5")), 200);
        assert_eq!(
            status(&p, "GET", &format!("/{TOKEN}/clip/1.wav?speed=nan"), None),
            400
        );
        assert_eq!(
            status(&p, "GET", &format!("/{TOKEN}/clip/99.wav"), None),
            404
        );
    }
}
