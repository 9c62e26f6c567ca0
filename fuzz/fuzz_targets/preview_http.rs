//! Fuzzes the web preview's request handling: any method, path, query, Range header
//! and body against a session speaking a small article with the tone backend. No
//! request may panic; every answer has a status the routes define, a 206 says which
//! bytes it holds, and nothing is served without the token.
#![no_main]

use std::path::Path;
use std::sync::{Arc, OnceLock};

use articast::assemble::AssembleOptions;
use articast::document::{parse_bytes, CleanOptions, InputFormat};
use articast::language::detect::LanguageSource;
use articast::language::Language;
use articast::preview::speech::Speech;
use articast::preview::web::http::{route, Ask};
use articast::preview::web::{WebPreview, WebSettings};
use articast::script::{build, ScriptOptions};
use articast::synth::tone::{ToneBackend, TONE_RATE};
use articast::synth::Backend;
use libfuzzer_sys::fuzz_target;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

fn session() -> &'static WebPreview {
    static SESSION: OnceLock<WebPreview> = OnceLock::new();
    SESSION.get_or_init(|| {
        let text = "# Titre\n\nUne phrase. Une autre phrase.\n\n## Suite\n\nLa fin.\n";
        let (doc, _) = parse_bytes(text.as_bytes(), Path::new("a.md"), InputFormat::Markdown, &CleanOptions::default()).unwrap();
        let script = Arc::new(build(&doc, Language::French, LanguageSource::Flag, &ScriptOptions::default()));
        let voice = articast::voice::builtin_voices().into_iter().find(|v| v.voice.name == "fr").unwrap().voice;
        let speech = Arc::new(Speech::new(
            Arc::clone(&script),
            voice,
            1.0,
            Arc::new(ToneBackend::new(400)),
            Arc::new(|v: &articast::voice::Voice| {
                Ok(Box::new(ToneBackend::new(v.backend.espeak().map_or(400, |e| e.rate))) as Box<dyn Backend>)
            }),
            None,
            TONE_RATE,
        ));
        let dir = std::env::temp_dir().join(format!("articast-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let rebuilt = Arc::clone(&script);
        WebPreview::new(speech, WebSettings {
            pool: Arc::new(rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap()),
            target_lufs: Some(-19.0),
            ceiling_dbtp: -1.0,
            pauses: AssembleOptions::default(),
            ahead: 2,
            lexicon: dir.join("lexicon.toml"),
            rebuild: Box::new(move || Ok((*rebuilt).clone())),
            name: "fuzz".into(),
        })
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(4, '\n');
    let method = parts.next().unwrap_or("GET");
    let path = parts.next().unwrap_or("");
    let range = parts.next();
    let body = parts.next().unwrap_or("").as_bytes();
    // Half the inputs carry the token, so the routes behind it are reached.
    let url = if data.first().is_some_and(|b| b & 1 == 0) {
        format!("/{TOKEN}/{path}")
    } else {
        path.to_string()
    };
    let reply = route(session(), TOKEN, Ask { method, url: &url, range: range.filter(|r| !r.is_empty()), body });
    assert!(
        [200, 206, 308, 400, 403, 404, 405, 413, 416, 500].contains(&reply.status),
        "status {}",
        reply.status
    );
    if !url.starts_with(&format!("/{TOKEN}")) {
        assert_eq!(reply.status, 403, "served without the token: {url:?}");
    }
    if reply.status == 206 {
        assert!(reply.headers.iter().any(|(k, v)| *k == "Content-Range" && v.starts_with("bytes ")));
    }
});
