//! Voices: small TOML files naming a language, a backend and that backend's settings.
//!
//! Four places hold voices, later ones overriding earlier ones by name:
//! 1. the voices shipped in the repository's `voices/` folder, compiled into the binary;
//! 2. the Piper voices installed with `articast voices install` (named after the model);
//! 3. the user's voice folder (`$ARTICAST_VOICES_DIR`, else the platform config folder,
//!    e.g. `~/.config/articast/voices/` on Linux);
//! 4. a file named directly with `--voice path/to/voice.toml`, or a Piper model with
//!    `--voice path/to/model.onnx`.
//!
//! A voice never holds secrets: a backend that needs a key names the environment
//! variable that holds it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::language::Language;
pub use crate::synth::espeak_settings::{EnginePreference, EspeakSettings, ProsodyOverride};
use crate::synth::piper::ModelFiles;
use crate::synth::{Backend, BackendOptions, BackendSettings, BuildContext, SynthError};

/// The voices shipped with articast: (file name, contents).
pub const BUILTIN_VOICE_FILES: &[(&str, &str)] = &[
    ("fr.toml", include_str!("../../voices/fr.toml")),
    ("en.toml", include_str!("../../voices/en.toml")),
    ("en-us.toml", include_str!("../../voices/en-us.toml")),
    ("de.toml", include_str!("../../voices/de.toml")),
    ("es.toml", include_str!("../../voices/es.toml")),
];

/// A voice definition: what its TOML file says (`backend = "espeak"` and an
/// `[espeak]` table, or another backend and its table).
#[derive(Debug, Clone, PartialEq)]
pub struct Voice {
    /// The name users pass to `--voice`.
    pub name: String,
    /// The language it speaks (BCP 47).
    pub language: String,
    /// One line for `articast voices`.
    pub description: Option<String>,
    /// Which backend speaks it, with that backend's settings.
    pub backend: BackendSettings,
    /// Pause lengths by structure.
    pub pauses: PauseSettings,
    /// Pronunciations for this voice: whole words, case-sensitive, to what to say.
    pub lexicon: std::collections::BTreeMap<String, String>,
}

/// The fields of a voice file that are not the backend's, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VoiceFields {
    name: String,
    language: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    pauses: PauseSettings,
    #[serde(default)]
    lexicon: std::collections::BTreeMap<String, String>,
}

/// A voice as its file writes it, for `--json` listings.
#[derive(Serialize)]
struct VoiceOut<'a> {
    name: &'a str,
    language: &'a str,
    description: &'a Option<String>,
    backend: &'static str,
    #[serde(flatten)]
    settings: &'a BackendSettings,
    pauses: &'a PauseSettings,
    lexicon: &'a std::collections::BTreeMap<String, String>,
}

impl Serialize for Voice {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        VoiceOut {
            name: &self.name,
            language: &self.language,
            description: &self.description,
            backend: self.backend.name(),
            settings: &self.backend,
            pauses: &self.pauses,
            lexicon: &self.lexicon,
        }
        .serialize(serializer)
    }
}

impl Voice {
    /// The same voice speaking `speed` times as fast, by the engine's own rate (see
    /// [`BackendSettings::at_speed`]), not by resampling, which would shift the pitch.
    /// Pauses are the caller's to scale.
    pub fn at_speed(&self, speed: f32) -> Voice {
        Voice {
            backend: self.backend.at_speed(speed),
            ..self.clone()
        }
    }
}

/// Pause lengths after chunks, by structure, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PauseSettings {
    /// Inside a sentence that was cut to fit the backend.
    pub clause_ms: u32,
    /// Between sentences.
    pub sentence_ms: u32,
    /// Between paragraphs.
    pub paragraph_ms: u32,
    /// After a heading.
    pub heading_ms: u32,
    /// Before a new chapter.
    pub chapter_ms: u32,
}

impl Default for PauseSettings {
    fn default() -> Self {
        PauseSettings {
            clause_ms: 150,
            sentence_ms: 350,
            paragraph_ms: 700,
            heading_ms: 900,
            chapter_ms: 1500,
        }
    }
}

impl PauseSettings {
    /// Multiplies every pause by `factor` (the `--pause-scale` flag).
    pub fn scaled(self, factor: f32) -> PauseSettings {
        let s = |ms: u32| (ms as f32 * factor).round().max(0.0) as u32;
        PauseSettings {
            clause_ms: s(self.clause_ms),
            sentence_ms: s(self.sentence_ms),
            paragraph_ms: s(self.paragraph_ms),
            heading_ms: s(self.heading_ms),
            chapter_ms: s(self.chapter_ms),
        }
    }
}

/// Where a voice definition came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "path", rename_all = "snake_case")]
pub enum VoiceOrigin {
    /// Shipped inside the binary.
    Builtin,
    /// The user's voice folder.
    User(PathBuf),
    /// A file named on the command line.
    File(PathBuf),
    /// A Piper voice installed with `articast voices install`, or a model file.
    Piper(PathBuf),
    /// A quick form given to `--voice` (`openai:tts-1:alloy`).
    Flag(String),
}

impl std::fmt::Display for VoiceOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VoiceOrigin::Builtin => f.write_str("built-in"),
            VoiceOrigin::User(p) | VoiceOrigin::File(p) | VoiceOrigin::Piper(p) => {
                write!(f, "{}", p.display())
            }
            VoiceOrigin::Flag(spec) => write!(f, "--voice {spec}"),
        }
    }
}

/// A voice and where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct VoiceEntry {
    /// The definition.
    pub voice: Voice,
    /// Its origin.
    pub origin: VoiceOrigin,
}

impl VoiceEntry {
    /// The voice's language, if articast reads it.
    pub fn language(&self) -> Option<Language> {
        Language::from_tag(&self.voice.language)
    }
}

/// Why a voice could not be found or read.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    /// No voice by that name.
    #[error("no voice named '{name}'; known voices: {known} (run `articast voices`)")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names that exist.
        known: String,
    },
    /// No voice for the article's language.
    #[error("no voice speaks {language}; add one to {dir} or pass --voice")]
    NoneForLanguage {
        /// The language.
        language: String,
        /// The user voice folder.
        dir: String,
    },
    /// A voice file could not be read.
    #[error("cannot read voice file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A voice file is not valid.
    #[error("invalid voice file {path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, with line and column.
        message: String,
    },
}

/// Parses a voice file's contents; `path` names it in errors. The backend's table is
/// read by the backend's own settings type; errors give the line they are on.
pub fn parse_voice(text: &str, path: &Path) -> Result<Voice, VoiceError> {
    use toml::de::{DeTable, DeValue, ValueDeserializer};
    let invalid = |message: String| VoiceError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let at = |span: Option<std::ops::Range<usize>>, message: &str| {
        let line = span
            .map(|s| format!("line {}: ", crate::document::line_of(text, s.start)))
            .unwrap_or_default();
        invalid(format!("{line}{message}"))
    };
    let root = DeTable::parse(text).map_err(|e| at(e.span(), e.message()))?;
    let whole = root.span();
    // The backend's name, its table, and the rest of the file.
    let mut backend: Option<(String, std::ops::Range<usize>)> = None;
    let mut tables = Vec::new();
    let mut rest = DeTable::new();
    for (key, value) in root.into_inner() {
        let name = key.get_ref().to_string();
        if name == "backend" {
            let span = value.span();
            match value.into_inner() {
                DeValue::String(s) => backend = Some((s.to_string(), span)),
                _ => {
                    return Err(at(
                        Some(span),
                        "`backend` is a string: \"espeak\" or \"piper\"",
                    ))
                }
            }
        } else if BackendSettings::NAMES.contains(&name.as_str()) {
            tables.push((name, key.span(), value));
        } else {
            rest.insert(key, value);
        }
    }
    let fields = VoiceFields::deserialize(ValueDeserializer::from(toml::Spanned::new(
        whole.clone(),
        DeValue::Table(rest),
    )))
    .map_err(|e| at(e.span(), e.message()))?;
    let Some((name, name_span)) = backend else {
        return Err(at(
            None,
            &format!(
                "missing `backend` (one of {})",
                BackendSettings::NAMES.join(", ")
            ),
        ));
    };
    let mut table = None;
    for (table_name, span, value) in tables {
        if table_name == name {
            table = Some((span, value));
        } else {
            return Err(at(
                Some(span),
                &format!("[{table_name}] is the {table_name} backend's table, but this voice's backend is \"{name}\""),
            ));
        }
    }
    let table_span = table.as_ref().map(|(s, _)| s.clone());
    let settings =
        BackendSettings::from_table(&name, table.map(|(_, v)| ValueDeserializer::from(v)))
            .map_err(|e| {
                use crate::synth::settings::SettingsError;
                match e {
                    SettingsError::Invalid(inner) => {
                        at(inner.span(), &format!("[{name}] {}", inner.message()))
                    }
                    SettingsError::Unknown(_) => at(Some(name_span.clone()), &e.to_string()),
                    SettingsError::Missing(..) => at(None, &e.to_string()),
                    SettingsError::Range(_) => at(table_span.clone(), &e.to_string()),
                }
            })?;
    let voice = Voice {
        name: fields.name,
        language: fields.language,
        description: fields.description,
        backend: settings,
        pauses: fields.pauses,
        lexicon: fields.lexicon,
    };
    if Language::from_tag(&voice.language).is_none() {
        return Err(invalid(format!(
            "language '{}' is not one articast reads (fr, en, de, es)",
            voice.language
        )));
    }
    Ok(voice)
}

/// Finds a Piper model's files: a path to an `.onnx` file, else an installed voice's
/// name (from the catalog).
pub fn find_model(model: &str) -> Option<ModelFiles> {
    if ModelFiles::is_path(model) {
        ModelFiles::at_path(model)
    } else {
        crate::catalog::installed_model(model)
    }
}

/// Builds the backend a voice names, with its model files found here.
pub fn backend_for(
    voice: &VoiceEntry,
    options: &BackendOptions,
) -> Result<Box<dyn Backend>, SynthError> {
    voice.voice.backend.build(&BuildContext {
        language: voice.language(),
        options,
        find_model: &find_model,
    })
}

/// The voices shipped with articast.
pub fn builtin_voices() -> Vec<VoiceEntry> {
    BUILTIN_VOICE_FILES
        .iter()
        .map(|(name, text)| VoiceEntry {
            voice: parse_voice(text, Path::new(name)).expect("shipped voices are valid (tested)"),
            origin: VoiceOrigin::Builtin,
        })
        .collect()
}

/// Every voice: built-in ones, installed Piper voices, then the user's, which override
/// the others of the same name. Unreadable user files are returned as errors beside the
/// voices that did load.
pub fn all_voices() -> (Vec<VoiceEntry>, Vec<VoiceError>) {
    let mut voices = builtin_voices();
    for piper in installed_piper_voices() {
        voices.retain(|v| v.voice.name != piper.voice.name);
        voices.push(piper);
    }
    let mut errors = Vec::new();
    if let Some(dir) = crate::dirs::user_voice_dir() {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for path in paths {
            match load_voice_file(&path) {
                Ok(voice) => {
                    voices.retain(|v| v.voice.name != voice.name);
                    voices.push(VoiceEntry {
                        voice,
                        origin: VoiceOrigin::User(path),
                    });
                }
                Err(e) => errors.push(e),
            }
        }
    }
    (voices, errors)
}

/// Reads and parses a voice file.
pub fn load_voice_file(path: &Path) -> Result<Voice, VoiceError> {
    let text = std::fs::read_to_string(path).map_err(|source| VoiceError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_voice(&text, path)
}

/// A voice for a Piper model: its name, language and description come from the model's
/// config. `None` when the config cannot be read or names a language articast does not
/// read.
pub fn piper_voice(files: &crate::synth::piper::ModelFiles, model: &str) -> Option<VoiceEntry> {
    let config = crate::synth::piper::config::PiperConfig::load(&files.config).ok()?;
    let name = files.onnx.file_stem()?.to_string_lossy().into_owned();
    let language = Language::from_tag(&config.language.replace('_', "-"))
        .or_else(|| Language::from_tag(&config.espeak_voice))?;
    // Configs of older voices lack `audio.quality`; their names end with it
    // (`fr_FR-siwis-medium`).
    let quality = config
        .quality
        .clone()
        .or_else(|| {
            ["x_low", "low", "medium", "high"]
                .iter()
                .find(|q| name.ends_with(&format!("-{q}")))
                .map(|q| q.to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    Some(VoiceEntry {
        voice: Voice {
            name: name.clone(),
            language: language.code().to_string(),
            description: Some(format!(
                "Piper neural voice {name} ({}, {quality} quality)",
                config.language
            )),
            backend: BackendSettings::Piper(crate::synth::piper::PiperSettings::for_model(model)),
            pauses: PauseSettings::default(),
            lexicon: Default::default(),
        },
        origin: VoiceOrigin::Piper(files.onnx.clone()),
    })
}

/// The Piper voices installed with `articast voices install`.
pub fn installed_piper_voices() -> Vec<VoiceEntry> {
    crate::catalog::installed()
        .iter()
        .filter_map(|name| piper_voice(&crate::catalog::installed_model(name)?, name))
        .collect()
}

/// How a voice is ranked when none is named: neural (Piper) voices first, best quality
/// first; then the eSpeak NG voice named after the language.
fn default_rank(v: &VoiceEntry) -> (bool, u8) {
    let quality = v
        .voice
        .description
        .as_deref()
        .map(|d| {
            ["high", "medium", "low", "x_low"]
                .iter()
                .position(|q| d.contains(&format!("{q} quality")))
                .map_or(4, |p| p as u8)
        })
        .unwrap_or(4);
    (v.voice.backend.piper().is_none(), quality)
}

/// Finds the voice to use: a path or name given with `--voice`, else `pinned` (the
/// settings file's voice for the language), else the best voice installed for
/// `language`: a neural (Piper) voice when `neural_ok()` (asked only when such a voice is
/// installed: finding ONNX Runtime can take a moment), else the eSpeak NG voice named
/// after the language (the built-in one, or the user's file of that name).
pub fn resolve_with(
    spec: Option<&str>,
    language: Language,
    pinned: Option<&str>,
    neural_ok: &dyn Fn() -> bool,
) -> Result<VoiceEntry, VoiceError> {
    let (voices, _) = all_voices();
    if let Some(spec) = spec.or(pinned) {
        if let Some(quick) = BackendSettings::quick(spec) {
            let backend = quick.map_err(|message| VoiceError::Invalid {
                path: PathBuf::from("--voice"),
                message,
            })?;
            return Ok(VoiceEntry {
                voice: Voice {
                    name: spec.to_string(),
                    language: language.code().to_string(),
                    description: Some(format!("{spec}, given on the command line")),
                    backend,
                    pauses: PauseSettings::default(),
                    lexicon: Default::default(),
                },
                origin: VoiceOrigin::Flag(spec.to_string()),
            });
        }
        let as_path = Path::new(spec);
        if spec.ends_with(".onnx") {
            let files = crate::synth::piper::ModelFiles::at(as_path);
            if !files.config.is_file() {
                return Err(VoiceError::Read {
                    path: files.config.clone(),
                    source: std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "a Piper model needs its config beside it (<model>.onnx.json)",
                    ),
                });
            }
            return piper_voice(&files, spec).ok_or_else(|| VoiceError::Invalid {
                path: files.config.clone(),
                message: "not a Piper voice config in a language articast reads (fr, en, de, es)"
                    .into(),
            });
        }
        if spec.ends_with(".toml") || spec.contains(std::path::MAIN_SEPARATOR) {
            return Ok(VoiceEntry {
                voice: load_voice_file(as_path)?,
                origin: VoiceOrigin::File(as_path.to_path_buf()),
            });
        }
        return voices
            .iter()
            .find(|v| v.voice.name == spec)
            .cloned()
            .ok_or_else(|| VoiceError::Unknown {
                name: spec.to_string(),
                known: voices
                    .iter()
                    .map(|v| v.voice.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
    }
    let installed_neural = |v: &VoiceEntry| {
        v.voice
            .backend
            .piper()
            .is_some_and(|p| find_model(&p.model).is_some())
    };
    let in_language: Vec<&VoiceEntry> = voices
        .iter()
        .filter(|v| v.language() == Some(language))
        .collect();
    let neural = in_language.iter().any(|v| installed_neural(v)) && neural_ok();
    // Other voices of the language (a user's `fr-lent.toml`) are there to be named;
    // only a voice file named after the language (`fr.toml`, which overrides the
    // built-in one) or the settings file changes the default.
    let mut candidates: Vec<&VoiceEntry> = in_language
        .into_iter()
        .filter(|v| match v.voice.backend {
            BackendSettings::Piper(_) => neural && installed_neural(v),
            _ => v.voice.name == language.code(),
        })
        .collect();
    candidates.sort_by_key(|v| default_rank(v));
    candidates
        .first()
        .map(|v| (*v).clone())
        .ok_or_else(|| VoiceError::NoneForLanguage {
            language: language.name().to_string(),
            dir: crate::dirs::user_voice_dir()
                .map_or("the voice folder".into(), |d| d.display().to_string()),
        })
}

/// Finds the voice to use, ignoring neural voices unless named: see [`resolve_with`].
pub fn resolve(spec: Option<&str>, language: Language) -> Result<VoiceEntry, VoiceError> {
    resolve_with(spec, language, None, &|| false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_in_voices_is_embedded_and_valid() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("voices");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = BUILTIN_VOICE_FILES
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        embedded.sort();
        assert_eq!(
            on_disk, embedded,
            "add new voices/ files to BUILTIN_VOICE_FILES"
        );
        assert_eq!(builtin_voices().len(), BUILTIN_VOICE_FILES.len());
    }

    #[test]
    fn invalid_files_name_the_problem() {
        let err = parse_voice(
            "name = \"x\"\nlanguage = \"fr\"\nbackend = \"espeak\"\nrat = 3\n",
            Path::new("v.toml"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("v.toml"), "{err}");
        let err = parse_voice(
            "name = \"x\"\nlanguage = \"fr\"\nbackend = \"espeak\"\n",
            Path::new("v.toml"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("[espeak]"), "{err}");
        let err = parse_voice(
            "name = \"x\"\nlanguage = \"kl\"\nbackend = \"espeak\"\n[espeak]\nvoice=\"kl\"\n",
            Path::new("v.toml"),
        )
        .unwrap_err();
        assert!(err.to_string().contains("'kl'"), "{err}");
    }

    #[test]
    fn out_of_range_engine_settings_are_refused() {
        for (extra, needle) in [
            ("rate = 9000", "[espeak] rate = 9000 is outside 80-450"),
            ("pitch = 300", "[espeak] pitch = 300 is outside 0-100"),
            ("volume = 201", "volume = 201"),
            ("[espeak.heading]\nrate = 20", "[espeak.heading] rate = 20"),
        ] {
            let text = format!(
                "name = \"x\"\nlanguage = \"fr\"\nbackend = \"espeak\"\n[espeak]\nvoice = \"fr\"\n{extra}\n"
            );
            let err = parse_voice(&text, Path::new("v.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(needle), "{err}");
            assert!(err.contains("v.toml"), "{err}");
        }
    }

    #[test]
    fn default_voice_per_language() {
        assert_eq!(resolve(None, Language::French).unwrap().voice.name, "fr");
        assert_eq!(resolve(None, Language::English).unwrap().voice.name, "en");
        assert!(matches!(
            resolve(Some("nope"), Language::French),
            Err(VoiceError::Unknown { .. })
        ));
    }
}
