//! The contract every backend passes, run against each one available here: the tone
//! test backend, eSpeak NG built in and (when installed) the system one, the `command`
//! backend driving the real `espeak-ng` program, and a Piper voice when the tests have
//! one (`ARTICAST_TEST_PIPER_VOICE`, CI sets it).
//!
//! - A chunk as long as the backend's limit is spoken; what the backend returns is mono
//!   audio at a real rate, every sample finite and within [-1, 1].
//! - The render keeps chunk order whatever order the pool finishes in: each clip is the
//!   one its chunk gives alone (for deterministic engines, sample for sample).
//! - A chunk that fails is named: its index, its line, the start of its text, with the
//!   backend's typed error as the cause.
//! - Scripts cut for the backend never exceed its limit.

use std::path::Path;
use std::sync::Arc;

use articast::document::{parse_bytes, CleanOptions, InputFormat};
use articast::language::{detect::LanguageSource, Language};
use articast::render::{self, RenderError, RenderOptions};
use articast::script::{self, Script, ScriptOptions};
use articast::synth::{Backend, BackendId, Clip, Limits, SpeechRequest, SynthError};
use articast::voice::{self, VoiceEntry, VoiceOrigin};

const ARTICLE: &str = "# Le titre\n\nUne première phrase, assez courte. Puis une deuxième, qui suit la première.\n\nUn autre paragraphe arrive ici. Il a trois phrases. Voici la dernière.\n\n## Suite\n\nLa fin du texte, enfin.\n";

/// A backend and whether it gives the same samples for the same text.
struct Subject {
    name: String,
    backend: Arc<dyn Backend>,
    deterministic: bool,
}

fn voice_file(text: &str) -> VoiceEntry {
    VoiceEntry {
        voice: voice::parse_voice(text, Path::new("contract.toml")).expect("a valid voice"),
        origin: VoiceOrigin::File("contract.toml".into()),
    }
}

fn subjects() -> Vec<Subject> {
    let options = articast::synth::BackendOptions::default();
    let espeak = |engine: &str| {
        voice_file(&format!(
            "name = 'c'\nlanguage = 'fr'\nbackend = 'espeak'\n[espeak]\nvoice = 'fr'\nengine = '{engine}'\n"
        ))
    };
    let mut subjects = vec![
        Subject {
            name: "tone".into(),
            backend: Arc::new(articast::synth::tone::ToneBackend::new(170)),
            deterministic: true,
        },
        Subject {
            name: "espeak built-in".into(),
            backend: Arc::from(voice::backend_for(&espeak("builtin"), &options).unwrap()),
            deterministic: true,
        },
    ];
    if articast::synth::espeak::system_espeak().is_some() {
        subjects.push(Subject {
            name: "espeak system".into(),
            backend: Arc::from(voice::backend_for(&espeak("system"), &options).unwrap()),
            deterministic: true,
        });
        let command = voice::load_voice_file(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/voices/espeak-ng.toml"),
        )
        .unwrap();
        subjects.push(Subject {
            name: "command espeak-ng".into(),
            backend: Arc::from(
                voice::backend_for(
                    &VoiceEntry {
                        voice: command,
                        origin: VoiceOrigin::Builtin,
                    },
                    &options,
                )
                .unwrap(),
            ),
            deterministic: true,
        });
    } else {
        eprintln!("note: no system espeak-ng; the system and command backends are not checked here (CI has it)");
    }
    if let Some(model) = std::env::var_os("ARTICAST_TEST_PIPER_VOICE") {
        let piper = voice_file(&format!(
            "name = 'p'\nlanguage = 'en'\nbackend = 'piper'\n[piper]\nmodel = '{}'\n",
            Path::new(&model).display()
        ));
        match voice::backend_for(&piper, &options) {
            Ok(b) => subjects.push(Subject {
                name: "piper".into(),
                backend: Arc::from(b),
                // Piper's noise makes each synthesis a little different.
                deterministic: false,
            }),
            Err(e) => eprintln!("note: Piper voice not usable here: {e}"),
        }
    }
    subjects
}

fn script_for(backend: &dyn Backend) -> Script {
    let (doc, _) = parse_bytes(
        ARTICLE.as_bytes(),
        Path::new("contract.md"),
        InputFormat::Markdown,
        &CleanOptions::default(),
    )
    .unwrap();
    script::build(
        &doc,
        Language::French,
        LanguageSource::Flag,
        &ScriptOptions {
            max_chars: backend.limits().max_chars,
            ..ScriptOptions::default()
        },
    )
}

fn say(backend: &dyn Backend, text: &str) -> Result<Clip, SynthError> {
    backend.synthesize(&SpeechRequest {
        text,
        language: Language::French,
        role: articast::script::Role::Narrator,
    })
}

fn check_audio(name: &str, clip: &Clip) {
    assert!(!clip.samples.is_empty(), "{name}: no audio");
    assert!(
        (8000..=192_000).contains(&clip.sample_rate),
        "{name}: {} Hz",
        clip.sample_rate
    );
    assert!(
        clip.samples.iter().all(|s| s.is_finite() && s.abs() <= 1.0),
        "{name}: samples outside [-1, 1]"
    );
}

#[test]
fn a_chunk_as_long_as_the_limit_is_spoken_as_audio() {
    for s in subjects() {
        let limits = s.backend.limits();
        assert!(
            limits.max_chars >= 20 && limits.max_parallel >= 1,
            "{}",
            s.name
        );
        // Words up to the limit, and not one character more.
        let mut text = String::new();
        while text.chars().count() + 8 <= limits.max_chars.min(400) {
            text.push_str("bonjour ");
        }
        let text = text.trim_end();
        let clip = say(s.backend.as_ref(), text).unwrap_or_else(|e| panic!("{}: {e}", s.name));
        check_audio(&s.name, &clip);
        assert!(!s.backend.id().cache_key.is_empty(), "{}", s.name);
        // Scripts made for it respect its limit.
        let script = script_for(s.backend.as_ref());
        for chunk in &script.chunks {
            assert!(
                chunk.spoken.chars().count() <= limits.max_chars,
                "{}",
                s.name
            );
        }
    }
}

#[test]
fn the_render_keeps_chunk_order_on_any_number_of_threads() {
    for s in subjects() {
        let script = script_for(s.backend.as_ref());
        assert!(script.chunks.len() >= 6);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let rendered = render::render(
            &script,
            s.backend.as_ref(),
            None,
            &RenderOptions::default(),
            &pool,
            &|chunk, clip| Ok::<_, std::io::Error>((chunk.index, clip)),
            &|_| {},
        )
        .unwrap_or_else(|e| panic!("{}: {e}", s.name));
        assert_eq!(rendered.clips.len(), script.chunks.len());
        for (i, (index, clip)) in rendered.clips.iter().enumerate() {
            assert_eq!(*index, i, "{}: out of order", s.name);
            check_audio(&s.name, clip);
            let alone = say(s.backend.as_ref(), &script.chunks[i].spoken).unwrap();
            if s.deterministic {
                assert_eq!(
                    clip, &alone,
                    "{}: chunk {i} differs from itself alone",
                    s.name
                );
            } else {
                let ratio = clip.samples.len() as f64 / alone.samples.len() as f64;
                assert!(
                    (0.8..1.25).contains(&ratio),
                    "{}: chunk {i} {ratio}",
                    s.name
                );
            }
        }
    }
}

/// Wraps a backend and fails on the chunk whose text contains `word`.
struct FailingOn {
    inner: Arc<dyn Backend>,
    word: &'static str,
}

impl Backend for FailingOn {
    fn id(&self) -> &BackendId {
        self.inner.id()
    }
    fn limits(&self) -> Limits {
        self.inner.limits()
    }
    fn synthesize(&self, request: &SpeechRequest) -> Result<Clip, SynthError> {
        if request.text.contains(self.word) {
            return Err(SynthError::Timeout {
                engine: self.inner.id().engine.clone(),
                after: std::time::Duration::from_secs(1),
            });
        }
        self.inner.synthesize(request)
    }
}

#[test]
fn a_failing_chunk_is_named_with_its_typed_cause() {
    for s in subjects() {
        let failing = FailingOn {
            inner: Arc::clone(&s.backend),
            word: "trois",
        };
        let script = script_for(&failing);
        let want = script
            .chunks
            .iter()
            .find(|c| c.spoken.contains("trois"))
            .expect("a chunk with the word");
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let err = render::render(
            &script,
            &failing,
            None,
            &RenderOptions::default(),
            &pool,
            &|_, clip| Ok::<_, std::io::Error>(clip),
            &|_| {},
        )
        .expect_err("the render fails");
        let RenderError::Chunk(chunk) = err else {
            panic!("{}: {err}", s.name)
        };
        assert_eq!(chunk.index, want.index, "{}", s.name);
        assert_eq!(chunk.line, want.line);
        assert!(want.written.starts_with(&chunk.excerpt));
        let cause = chunk
            .source
            .downcast_ref::<SynthError>()
            .expect("the backend's own error");
        assert!(cause.is_retryable(), "a timeout is worth retrying");
    }
}
