//! The one place that lists the backends: [`BackendSettings`] has one variant per
//! backend, holding that backend's own settings type (a voice file's table of the
//! same name), and every operation that depends on which backend it is dispatches here:
//! reading the table, checking it, a speed change, the cache key, building the backend.
//! Adding a backend is its module plus one arm in each match below.

use serde::Serialize;

use super::command::CommandSettings;
use super::espeak_settings::EspeakSettings;
use super::openai::OpenAiSettings;
use super::piper::{ModelFiles, PiperSettings};
use super::{Backend, BackendOptions, SynthError};
use crate::language::Language;

/// A backend and its settings, as a voice names them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendSettings {
    /// eSpeak NG: the system engine when installed, else the built-in one.
    Espeak(EspeakSettings),
    /// A Piper neural voice, run by ONNX Runtime.
    Piper(PiperSettings),
    /// Any program that turns text into a WAV file.
    Command(CommandSettings),
    /// Any server that speaks OpenAI's `/v1/audio/speech`.
    Openai(OpenAiSettings),
}

/// What building a backend needs besides its settings.
pub struct BuildContext<'a> {
    /// The voice's language, when articast reads it.
    pub language: Option<Language>,
    /// Engine choices and thread counts from the command line and the settings file.
    pub options: &'a BackendOptions,
    /// Finds a model's files by the name or path a voice gives (installed voices are
    /// the catalog's, which the caller consults).
    pub find_model: &'a dyn Fn(&str) -> Option<ModelFiles>,
}

/// Why a backend's table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// No backend by that name.
    #[error("backend \"{0}\" is not one articast has; use one of {names}", names = BackendSettings::NAMES.join(", "))]
    Unknown(String),
    /// The backend's table is missing.
    #[error("backend \"{0}\" needs a [{0}] table with at least `{1}`")]
    Missing(&'static str, &'static str),
    /// The table is not valid.
    #[error(transparent)]
    Invalid(#[from] toml::de::Error),
    /// A value is out of range.
    #[error("{0}")]
    Range(String),
}

impl BackendSettings {
    /// Every backend's name: the value of a voice's `backend` and its table's name.
    pub const NAMES: &'static [&'static str] = &["espeak", "piper", "command", "openai"];

    /// This backend's name.
    pub fn name(&self) -> &'static str {
        match self {
            BackendSettings::Espeak(_) => "espeak",
            BackendSettings::Piper(_) => "piper",
            BackendSettings::Command(_) => "command",
            BackendSettings::Openai(_) => "openai",
        }
    }

    /// Reads backend `name`'s table (`None` when the voice file has none), and checks it.
    pub fn from_table(
        name: &str,
        table: Option<toml::de::ValueDeserializer<'_>>,
    ) -> Result<BackendSettings, SettingsError> {
        use serde::Deserialize;
        let Some(&known) = Self::NAMES.iter().find(|n| **n == name) else {
            return Err(SettingsError::Unknown(name.to_string()));
        };
        let required = match known {
            "espeak" => "voice",
            "piper" => "model",
            "command" => "program",
            "openai" => "model",
            _ => unreachable!("NAMES and this match list the same backends"),
        };
        let table = table.ok_or(SettingsError::Missing(known, required))?;
        let settings = match known {
            "espeak" => BackendSettings::Espeak(EspeakSettings::deserialize(table)?),
            "piper" => BackendSettings::Piper(PiperSettings::deserialize(table)?),
            "command" => BackendSettings::Command(CommandSettings::deserialize(table)?),
            "openai" => BackendSettings::Openai(OpenAiSettings::deserialize(table)?),
            _ => unreachable!("NAMES and this match list the same backends"),
        };
        settings.check().map_err(SettingsError::Range)?;
        Ok(settings)
    }

    /// Refuses values the backend cannot take, naming the table and the field.
    pub fn check(&self) -> Result<(), String> {
        match self {
            BackendSettings::Espeak(e) => e.check(),
            BackendSettings::Piper(_) => Ok(()),
            BackendSettings::Command(c) => c.check(),
            BackendSettings::Openai(o) => o.check(),
        }
    }

    /// The same settings `speed` times as fast, by the engine's own rate (eSpeak NG's
    /// words per minute, Piper's `length_scale`), not by resampling.
    pub fn at_speed(&self, speed: f32) -> BackendSettings {
        if (speed - 1.0).abs() < 1e-3 {
            return self.clone();
        }
        match self {
            BackendSettings::Espeak(e) => BackendSettings::Espeak(e.at_speed(speed)),
            BackendSettings::Piper(p) => BackendSettings::Piper(p.at_speed(speed)),
            BackendSettings::Command(c) => BackendSettings::Command(c.at_speed(speed)),
            BackendSettings::Openai(o) => BackendSettings::Openai(o.at_speed(speed)),
        }
    }

    /// Every setting that changes the audio, in a stable serialization: the backend
    /// puts it in its [`BackendId::cache_key`](super::BackendId) beside the engine's.
    pub fn audio_key(&self) -> String {
        let settings = match self {
            BackendSettings::Espeak(e) => e.audio_key(),
            BackendSettings::Piper(p) => p.audio_key(),
            BackendSettings::Command(c) => c.audio_key(),
            BackendSettings::Openai(o) => o.audio_key(),
        };
        format!("{}:{settings}", self.name())
    }

    /// The eSpeak NG settings, for an `espeak` voice.
    pub fn espeak(&self) -> Option<&EspeakSettings> {
        match self {
            BackendSettings::Espeak(e) => Some(e),
            _ => None,
        }
    }

    /// The Piper settings, for a `piper` voice.
    pub fn piper(&self) -> Option<&PiperSettings> {
        match self {
            BackendSettings::Piper(p) => Some(p),
            _ => None,
        }
    }

    /// Builds the backend.
    pub fn build(&self, context: &BuildContext) -> Result<Box<dyn Backend>, SynthError> {
        let options = context.options;
        match self {
            BackendSettings::Espeak(settings) => {
                let preference = options.espeak_engine.unwrap_or(settings.engine);
                Ok(Box::new(super::espeak::EspeakBackend::new(
                    settings.clone(),
                    context.language,
                    preference,
                    options.espeak_worker.as_deref(),
                )?))
            }
            BackendSettings::Piper(settings) => {
                let files = (context.find_model)(&settings.model).ok_or_else(|| SynthError::Unavailable {
                    engine: "Piper".into(),
                    hint: format!(
                        "no Piper voice '{}' (install it with `articast voices install {}`, or give the path to its .onnx file with its .onnx.json beside it)",
                        settings.model, settings.model
                    ),
                })?;
                piper_backend(settings, &files, options)
            }
            BackendSettings::Command(settings) => {
                Ok(Box::new(super::command::CommandBackend::new(settings)?))
            }
            BackendSettings::Openai(settings) => {
                Ok(Box::new(super::openai::OpenAiBackend::new(settings)?))
            }
        }
    }

    /// The settings a `--voice BACKEND:...` quick form names, when `spec` is one:
    /// `openai:MODEL:VOICE`. `None` when `spec` is not a quick form.
    pub fn quick(spec: &str) -> Option<Result<BackendSettings, String>> {
        let (name, rest) = spec.split_once(':')?;
        match name {
            "openai" => Some(match rest.split_once(':') {
                Some((model, voice)) if !model.is_empty() && !voice.is_empty() => {
                    let settings = OpenAiSettings::quick(model, voice);
                    settings.check().map(|_| BackendSettings::Openai(settings))
                }
                _ => Err(format!(
                    "--voice {spec}: the quick form is openai:MODEL:VOICE (for example openai:tts-1:alloy)"
                )),
            }),
            _ => None,
        }
    }
}

#[cfg(feature = "piper")]
fn piper_backend(
    settings: &PiperSettings,
    files: &ModelFiles,
    options: &BackendOptions,
) -> Result<Box<dyn Backend>, SynthError> {
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        options.threads
    };
    Ok(Box::new(super::piper::PiperBackend::new(
        settings,
        files,
        threads,
        options.onnxruntime.as_deref(),
    )?))
}

#[cfg(not(feature = "piper"))]
fn piper_backend(
    _settings: &PiperSettings,
    _files: &ModelFiles,
    _options: &BackendOptions,
) -> Result<Box<dyn Backend>, SynthError> {
    Err(SynthError::Unavailable {
        engine: "Piper".into(),
        hint: "this articast was built without the `piper` feature; rebuild with default features"
            .into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, table: &str) -> Result<BackendSettings, SettingsError> {
        let value = toml::de::ValueDeserializer::parse(table).unwrap();
        BackendSettings::from_table(name, Some(value))
    }

    #[test]
    fn every_name_reads_its_table_and_names_itself() {
        let espeak = read("espeak", "{ voice = 'fr', rate = 180 }").unwrap();
        let piper = read("piper", "{ model = 'fr_FR-siwis-medium' }").unwrap();
        for s in [&espeak, &piper] {
            assert!(BackendSettings::NAMES.contains(&s.name()));
        }
        let command = read(
            "command",
            "{ program = 'espeak-ng', args = ['-w', '{out_wav}'] }",
        )
        .unwrap();
        assert!(BackendSettings::NAMES.contains(&command.name()));
        let openai = read("openai", "{ model = 'tts-1', voice = 'alloy' }").unwrap();
        assert!(BackendSettings::NAMES.contains(&openai.name()));
        assert!(matches!(
            BackendSettings::quick("openai:tts-1:alloy"),
            Some(Ok(BackendSettings::Openai(_)))
        ));
        assert!(matches!(
            BackendSettings::quick("openai:tts-1"),
            Some(Err(_))
        ));
        assert!(BackendSettings::quick("fr").is_none());
        assert_eq!(
            BackendSettings::NAMES.len(),
            4,
            "a new backend joins NAMES, the enum and every match here"
        );
        assert!(matches!(
            read("openal", "{}"),
            Err(SettingsError::Unknown(_))
        ));
        assert!(matches!(
            BackendSettings::from_table("piper", None),
            Err(SettingsError::Missing("piper", "model"))
        ));
        let range = read("espeak", "{ voice = 'fr', rate = 9000 }").unwrap_err();
        assert!(range.to_string().contains("rate = 9000"), "{range}");
        let unknown = read("espeak", "{ voice = 'fr', speed = 2 }").unwrap_err();
        assert!(unknown.to_string().contains("speed"), "{unknown}");
    }

    #[test]
    fn the_audio_key_is_stable_and_changes_with_what_changes_the_audio() {
        let a = read("espeak", "{ voice = 'fr', rate = 180 }").unwrap();
        let same = read("espeak", "{ rate = 180, voice = 'fr', engine = 'builtin' }").unwrap();
        let faster = a.at_speed(1.5);
        assert_eq!(
            a.audio_key(),
            same.audio_key(),
            "order and engine preference do not count"
        );
        assert_ne!(a.audio_key(), faster.audio_key());
        assert_eq!(
            a.audio_key(),
            r#"espeak:{"voice":"fr","rate":180,"pitch":50,"range":50,"volume":100,"engine":"auto","heading":null,"quote":null}"#,
            "a changed serialization would empty every user's cache: change it on purpose"
        );
        let p = read("piper", "{ model = 'x' }").unwrap();
        let moved = read("piper", "{ model = '/elsewhere/x.onnx' }").unwrap();
        assert_eq!(
            p.audio_key(),
            moved.audio_key(),
            "the model is keyed by its files"
        );
        assert_ne!(p.audio_key(), p.at_speed(0.8).audio_key());
    }
}
