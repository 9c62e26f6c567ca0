//! Synthesis backends: where voices plug in.
//!
//! A [`Backend`] turns one chunk of already-normalized text into a [`Clip`]. It knows
//! nothing about documents, scripts or episodes. Backends say in [`Limits`] how long an
//! input may be and how many calls may run at once, and the renderer adapts.

pub mod command;
pub mod error;
pub mod espeak;
pub mod espeak_data;
pub mod espeak_isolated;
pub mod espeak_lib;
pub mod espeak_settings;
pub mod espeak_worker;
pub mod openai;
pub mod piper;
pub mod settings;
pub mod tone;
pub mod wav;

use serde::Serialize;

use crate::language::Language;
use crate::script::Role;
use espeak_settings::EnginePreference;
pub use settings::{BackendSettings, BuildContext};

pub use crate::clip::Clip;

/// A backend's stable identity: part of every cache key, shown to users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackendId {
    /// Backend name (`espeak`).
    pub backend: String,
    /// The engine that speaks, for people ("eSpeak NG 1.51 (system)").
    pub engine: String,
    /// Everything that changes the audio for the same input: engine, version, data.
    pub cache_key: String,
}

/// What a backend accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Longest input, in characters.
    pub max_chars: usize,
    /// How many `synthesize` calls may run at once in this process.
    pub max_parallel: usize,
    /// The sample rate of the clips it returns.
    pub sample_rate: u32,
}

/// One request: normalized text and the role it is spoken in.
#[derive(Debug, Clone, Copy)]
pub struct SpeechRequest<'a> {
    /// The text to speak, already normalized.
    pub text: &'a str,
    /// Its language.
    pub language: Language,
    /// Its voice role.
    pub role: Role,
}

pub use error::{AudioError, SynthError};

/// Turns text into audio.
pub trait Backend: Send + Sync {
    /// Stable identity, part of every cache key.
    fn id(&self) -> &BackendId;
    /// What this backend accepts.
    fn limits(&self) -> Limits;
    /// Synthesizes one chunk of already-normalized text.
    fn synthesize(&self, request: &SpeechRequest) -> Result<Clip, SynthError>;
}

/// Options that pick between engines of a backend.
#[derive(Debug, Clone, Default)]
pub struct BackendOptions {
    /// Overrides the voice's eSpeak NG engine preference.
    pub espeak_engine: Option<EnginePreference>,
    /// A program that answers `espeak-worker` (the articast binary): the system eSpeak NG
    /// then runs in worker processes instead of one process per chunk.
    pub espeak_worker: Option<std::path::PathBuf>,
    /// Synthesis threads the backend will serve (0: one per core).
    pub threads: usize,
    /// ONNX Runtime named in the settings file, for Piper voices.
    pub onnxruntime: Option<std::path::PathBuf>,
}
