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

/// The voices shipped with articast: (file name, contents).
pub const BUILTIN_VOICE_FILES: &[(&str, &str)] = &[
    ("fr.toml", include_str!("../../voices/fr.toml")),
    ("en.toml", include_str!("../../voices/en.toml")),
    ("en-us.toml", include_str!("../../voices/en-us.toml")),
    ("de.toml", include_str!("../../voices/de.toml")),
    ("es.toml", include_str!("../../voices/es.toml")),
];

/// A voice definition, as written in its TOML file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Voice {
    /// The name users pass to `--voice`.
    pub name: String,
    /// The language it speaks (BCP 47).
    pub language: String,
    /// One line for `articast voices`.
    #[serde(default)]
    pub description: Option<String>,
    /// Which backend speaks it.
    pub backend: BackendKind,
    /// Settings for the `espeak` backend.
    #[serde(default)]
    pub espeak: Option<EspeakSettings>,
    /// Settings for the `piper` backend.
    #[serde(default)]
    pub piper: Option<crate::synth::piper::PiperSettings>,
    /// Pause lengths by structure.
    #[serde(default)]
    pub pauses: PauseSettings,
    /// Pronunciations for this voice: whole words, case-sensitive, to what to say.
    #[serde(default)]
    pub lexicon: std::collections::BTreeMap<String, String>,
}

impl Voice {
    /// The same voice speaking `speed` times as fast, by the engine's own rate (eSpeak
    /// NG's words per minute, kept within 80-450; Piper's `length_scale` divided, see `PiperSettings::speed`), not
    /// by resampling, which would shift the pitch. Pauses are the caller's to scale.
    pub fn at_speed(&self, speed: f32) -> Voice {
        let mut voice = self.clone();
        if (speed - 1.0).abs() < 1e-3 {
            return voice;
        }
        let wpm = |rate: u32| ((rate as f32 * speed).round() as u32).clamp(80, 450);
        if let Some(e) = voice.espeak.as_mut() {
            e.rate = wpm(e.rate);
            for role in [e.heading.as_mut(), e.quote.as_mut()].into_iter().flatten() {
                role.rate = role.rate.map(wpm);
            }
        }
        if let Some(p) = voice.piper.as_mut() {
            p.speed *= speed;
        }
        voice
    }
}

/// The synthesis backends a voice can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// eSpeak NG: the system engine when installed, else the built-in one.
    Espeak,
    /// A Piper neural voice, run by ONNX Runtime.
    Piper,
}

/// Which eSpeak NG engine to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum EnginePreference {
    /// The system eSpeak NG when installed, else the built-in engine.
    #[default]
    Auto,
    /// The system `espeak-ng` program; an error when it is not installed.
    System,
    /// The pure-Rust engine built into articast.
    Builtin,
}

/// Settings of the `espeak` backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EspeakSettings {
    /// eSpeak NG voice name (`fr`, `en-us`, `en+f3`).
    pub voice: String,
    /// Words per minute, 80 to 450.
    #[serde(default = "default_rate")]
    pub rate: u32,
    /// Base pitch, 0 to 100.
    #[serde(default = "default_fifty")]
    pub pitch: u32,
    /// Pitch range (intonation depth), 0 to 100. The system engine's command line has no
    /// range setting, so only the built-in engine applies it.
    #[serde(default = "default_fifty")]
    pub range: u32,
    /// Volume, 0 to 200.
    #[serde(default = "default_volume")]
    pub volume: u32,
    /// Which engine to use.
    #[serde(default)]
    pub engine: EnginePreference,
    /// Overrides for headings.
    #[serde(default)]
    pub heading: Option<ProsodyOverride>,
    /// Overrides for quotes.
    #[serde(default)]
    pub quote: Option<ProsodyOverride>,
}

/// Rate and pitch for one voice role.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProsodyOverride {
    /// Words per minute.
    pub rate: Option<u32>,
    /// Base pitch.
    pub pitch: Option<u32>,
}

fn default_rate() -> u32 {
    170
}
fn default_fifty() -> u32 {
    50
}
fn default_volume() -> u32 {
    100
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
}

impl std::fmt::Display for VoiceOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VoiceOrigin::Builtin => f.write_str("built-in"),
            VoiceOrigin::User(p) | VoiceOrigin::File(p) | VoiceOrigin::Piper(p) => {
                write!(f, "{}", p.display())
            }
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

/// Parses a voice file's contents; `path` names it in errors.
pub fn parse_voice(text: &str, path: &Path) -> Result<Voice, VoiceError> {
    let invalid = |message: String| VoiceError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let voice: Voice = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| format!("line {}: ", crate::document::line_of(text, s.start)))
            .unwrap_or_default();
        invalid(format!("{line}{}", e.message()))
    })?;
    if Language::from_tag(&voice.language).is_none() {
        return Err(invalid(format!(
            "language '{}' is not one articast reads (fr, en, de, es)",
            voice.language
        )));
    }
    if let Some(e) = &voice.espeak {
        check_espeak_ranges(e).map_err(invalid)?;
    }
    match voice.backend {
        BackendKind::Espeak if voice.espeak.is_none() => {
            return Err(invalid(
                "backend \"espeak\" needs an [espeak] table with at least `voice`".into(),
            ))
        }
        BackendKind::Piper if voice.piper.is_none() => {
            return Err(invalid(
                "backend \"piper\" needs a [piper] table with at least `model`".into(),
            ))
        }
        _ => {}
    }
    Ok(voice)
}

/// eSpeak NG's ranges: values outside them are not clamped in silence but refused, so
/// that a typo (`rate = 9000`) is caught where it was made.
fn check_espeak_ranges(e: &EspeakSettings) -> Result<(), String> {
    let check =
        |table: &str, name: &str, value: u32, range: std::ops::RangeInclusive<u32>, what: &str| {
            if range.contains(&value) {
                Ok(())
            } else {
                Err(format!(
                    "[{table}] {name} = {value} is outside {}-{} ({what})",
                    range.start(),
                    range.end()
                ))
            }
        };
    check("espeak", "rate", e.rate, 80..=450, "words per minute")?;
    check("espeak", "pitch", e.pitch, 0..=100, "base pitch")?;
    check("espeak", "range", e.range, 0..=100, "intonation depth")?;
    check("espeak", "volume", e.volume, 0..=200, "volume")?;
    for (table, role) in [("espeak.heading", &e.heading), ("espeak.quote", &e.quote)] {
        if let Some(o) = role {
            if let Some(rate) = o.rate {
                check(table, "rate", rate, 80..=450, "words per minute")?;
            }
            if let Some(pitch) = o.pitch {
                check(table, "pitch", pitch, 0..=100, "base pitch")?;
            }
        }
    }
    Ok(())
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
            backend: BackendKind::Piper,
            espeak: None,
            piper: Some(crate::synth::piper::PiperSettings::for_model(model)),
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
    (v.voice.backend != BackendKind::Piper, quality)
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
        v.voice.backend == BackendKind::Piper
            && v.voice
                .piper
                .as_ref()
                .is_some_and(|p| crate::synth::piper::ModelFiles::find(&p.model).is_some())
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
            BackendKind::Piper => neural && installed_neural(v),
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
