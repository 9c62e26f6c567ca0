//! Who speaks in a run: voices resolved and their backends built once, shared by every
//! article a voice speaks. A batch of five hundred articles starts one eSpeak NG worker
//! pool and loads a Piper model once, not five hundred times.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::config::UserConfig;
use crate::language::lexicon::{Lexicon, LexiconError};
use crate::language::Language;
use crate::synth::{self, Backend, BackendOptions, SynthError};
use crate::voice::{self, VoiceEntry, VoiceError, VoiceOrigin};

/// A voice and the backend that speaks it.
pub struct Speaking {
    /// The voice.
    pub voice: VoiceEntry,
    /// Its backend.
    pub backend: Box<dyn Backend>,
}

/// Why no speaker could be had.
#[derive(Debug, thiserror::Error)]
pub enum SpeakerError {
    /// The voice could not be found or read.
    #[error(transparent)]
    Voice(#[from] VoiceError),
    /// Its backend could not start.
    #[error("voice '{voice}' ({origin}): {source}")]
    Backend {
        /// The voice.
        voice: String,
        /// Where it came from.
        origin: String,
        /// Why.
        #[source]
        source: SynthError,
    },
}

/// The speakers of a run.
pub struct Speakers {
    options: BackendOptions,
    config: UserConfig,
    neural: OnceLock<bool>,
    built: Mutex<Vec<(String, Arc<Speaking>)>>,
}

impl Speakers {
    /// Speakers built with `options`, choosing default voices by `config`.
    pub fn new(options: BackendOptions, config: UserConfig) -> Speakers {
        Speakers {
            options,
            config,
            neural: OnceLock::new(),
            built: Mutex::new(Vec::new()),
        }
    }

    /// The user's settings.
    pub fn config(&self) -> &UserConfig {
        &self.config
    }

    /// Whether a neural voice could speak here (built with Piper, ONNX Runtime found),
    /// asked once per run.
    pub fn neural_usable(&self) -> bool {
        *self.neural.get_or_init(|| {
            cfg!(feature = "piper")
                && synth::piper::runtime::find(self.config.onnxruntime.as_deref()).is_ok()
        })
    }

    /// The voice for `language`: `spec` (a name or a file), else the one the settings
    /// file pins, else the default.
    pub fn resolve(
        &self,
        spec: Option<&str>,
        language: Language,
    ) -> Result<VoiceEntry, VoiceError> {
        let pinned = self.config.voices.get(language.code()).map(String::as_str);
        voice::resolve_with(spec, language, pinned, &|| self.neural_usable())
    }

    /// The speaker of `voice`, built on first use.
    pub fn speaking(&self, voice: VoiceEntry) -> Result<Arc<Speaking>, SpeakerError> {
        let key = format!("{}\u{0}{}", voice.voice.name, voice.origin);
        let mut built = self.built.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, s)) = built.iter().find(|(k, _)| *k == key) {
            return Ok(Arc::clone(s));
        }
        // Built under the lock: two articles of a new language wait for one backend.
        let backend =
            voice::backend_for(&voice, &self.options).map_err(|source| SpeakerError::Backend {
                voice: voice.voice.name.clone(),
                origin: voice.origin.to_string(),
                source,
            })?;
        let speaking = Arc::new(Speaking { voice, backend });
        built.push((key, Arc::clone(&speaking)));
        Ok(speaking)
    }
}

/// The files a voice was read from: its TOML file, or a Piper model and its config.
pub fn voice_files(voice: &VoiceEntry) -> Vec<PathBuf> {
    match &voice.origin {
        VoiceOrigin::Builtin | VoiceOrigin::Flag(_) => Vec::new(),
        VoiceOrigin::User(p) | VoiceOrigin::File(p) => vec![p.clone()],
        VoiceOrigin::Piper(onnx) => {
            let mut config = onnx.as_os_str().to_owned();
            config.push(".json");
            vec![onnx.clone(), PathBuf::from(config)]
        }
    }
}

/// Files read, each with what it is (`"lexicon"`, `"show lexicon"`).
pub type NamedFiles = Vec<(&'static str, PathBuf)>;

/// The lexicon for an article: the voice's `[lexicon]`, then the show's `lexicon.toml`
/// beside the article (`article` is `None` for standard input and pages), then each of
/// `files`, later entries winning. Returns the lexicon and the files read, named.
pub fn lexicon_for(
    voice: &VoiceEntry,
    article: Option<&Path>,
    files: &[PathBuf],
) -> Result<(Lexicon, NamedFiles), LexiconError> {
    let mut entries = Lexicon::from_words(&voice.voice.lexicon);
    let mut read = Vec::new();
    if let Some(article) = article {
        let show = article
            .parent()
            .unwrap_or(Path::new("."))
            .join("lexicon.toml");
        if show.is_file() {
            entries.extend(Lexicon::read_file(&show)?);
            read.push(("show lexicon", show));
        }
    }
    for file in files {
        entries.extend(Lexicon::read_file(file)?);
        read.push(("lexicon", file.clone()));
    }
    Ok((Lexicon::new(entries), read))
}
