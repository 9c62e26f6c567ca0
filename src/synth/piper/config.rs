//! A Piper voice's configuration: the `.onnx.json` file beside each model.
//!
//! Only the fields synthesis needs are read; unknown ones are ignored, as the reference
//! implementation does, so voices exported by newer Piper versions still load.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The reference implementation's defaults for a config without `inference`.
const DEFAULT_NOISE_SCALE: f32 = 0.667;
const DEFAULT_LENGTH_SCALE: f32 = 1.0;
const DEFAULT_NOISE_W: f32 = 0.8;

/// How a voice turns text into symbols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhonemeType {
    /// eSpeak NG IPA phonemes (nearly every published voice).
    Espeak,
    /// Unicode code points of the text itself.
    Text,
    /// Any other phonemizer (pinyin, hebrew, japanese, thai): articast has none of them.
    #[serde(other)]
    Unsupported,
}

/// `length_scale`, `noise_scale` and `noise_w`: speed and variation of the voice.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct InferenceSettings {
    /// Variation of the generated audio.
    #[serde(default = "default_noise_scale")]
    pub noise_scale: f32,
    /// Phoneme durations (> 1 is slower).
    #[serde(default = "default_length_scale")]
    pub length_scale: f32,
    /// Variation of phoneme durations.
    #[serde(default = "default_noise_w")]
    pub noise_w: f32,
}

fn default_noise_scale() -> f32 {
    DEFAULT_NOISE_SCALE
}
fn default_length_scale() -> f32 {
    DEFAULT_LENGTH_SCALE
}
fn default_noise_w() -> f32 {
    DEFAULT_NOISE_W
}

impl Default for InferenceSettings {
    fn default() -> Self {
        InferenceSettings {
            noise_scale: DEFAULT_NOISE_SCALE,
            length_scale: DEFAULT_LENGTH_SCALE,
            noise_w: DEFAULT_NOISE_W,
        }
    }
}

#[derive(Debug, Deserialize)]
struct RawConfig {
    audio: RawAudio,
    #[serde(default)]
    espeak: Option<RawEspeak>,
    #[serde(default)]
    language: Option<RawLanguage>,
    #[serde(default)]
    inference: Option<InferenceSettings>,
    #[serde(default = "default_phoneme_type")]
    phoneme_type: PhonemeType,
    phoneme_id_map: HashMap<String, Vec<i64>>,
    #[serde(default)]
    num_speakers: Option<u32>,
    #[serde(default)]
    speaker_id_map: HashMap<String, i64>,
    #[serde(default)]
    default_speaker_id: Option<i64>,
    #[serde(default)]
    vowel_clusters: Vec<Vec<String>>,
    #[serde(default)]
    dataset: Option<String>,
}

fn default_phoneme_type() -> PhonemeType {
    PhonemeType::Espeak
}

#[derive(Debug, Deserialize)]
struct RawAudio {
    sample_rate: u32,
    #[serde(default)]
    quality: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawEspeak {
    voice: String,
}

#[derive(Debug, Deserialize)]
struct RawLanguage {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    family: Option<String>,
}

/// A Piper voice's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct PiperConfig {
    /// Output sample rate.
    pub sample_rate: u32,
    /// `x_low`, `low`, `medium` or `high`, when the config says.
    pub quality: Option<String>,
    /// The eSpeak NG voice that phonemizes (`en-us`, `fr`).
    pub espeak_voice: String,
    /// The voice's language code (`en_US`), else its eSpeak voice.
    pub language: String,
    /// How text becomes symbols.
    pub phoneme_type: PhonemeType,
    /// Symbol to model input ids.
    pub phoneme_id_map: HashMap<String, Vec<i64>>,
    /// Speakers in the model (1 for most voices).
    pub num_speakers: u32,
    /// Speaker names to ids, for multi-speaker voices.
    pub speaker_id_map: HashMap<String, i64>,
    /// The speaker used when none is named.
    pub default_speaker_id: i64,
    /// Speed and variation, from the voice's `inference` table.
    pub inference: InferenceSettings,
    /// Runs of phonemes the model reads as one symbol (`a` + `ɪ` → `aɪ`).
    pub vowel_clusters: Vec<Vec<String>>,
    /// The voice's name in its training data, if given.
    pub dataset: Option<String>,
}

/// Why a Piper voice config could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read Piper voice config {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a Piper voice config.
    #[error("invalid Piper voice config {path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, with line and column.
        message: String,
    },
}

impl PiperConfig {
    /// Reads a voice's `.onnx.json`.
    pub fn load(path: &Path) -> Result<PiperConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses a config's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<PiperConfig, ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let raw: RawConfig = serde_json::from_str(text)
            .map_err(|e| invalid(format!("line {} column {}: {e}", e.line(), e.column())))?;
        let espeak_voice = match (&raw.espeak, raw.phoneme_type) {
            (Some(e), _) => e.voice.clone(),
            (None, PhonemeType::Espeak) => {
                return Err(invalid("no \"espeak\": {\"voice\": ...} entry".into()))
            }
            (None, _) => String::new(),
        };
        if raw.phoneme_type == PhonemeType::Unsupported {
            return Err(invalid(
                "this voice needs a phonemizer articast does not have (only \"espeak\" and \"text\" voices are supported)".into(),
            ));
        }
        for symbol in ["^", "$", "_"] {
            if !raw.phoneme_id_map.contains_key(symbol) {
                return Err(invalid(format!("phoneme_id_map has no \"{symbol}\"")));
            }
        }
        if raw.audio.sample_rate == 0 || raw.audio.sample_rate > 192_000 {
            return Err(invalid(format!(
                "sample rate {} is not plausible",
                raw.audio.sample_rate
            )));
        }
        let language = raw
            .language
            .as_ref()
            .and_then(|l| l.code.clone().or_else(|| l.family.clone()))
            .unwrap_or_else(|| espeak_voice.clone());
        Ok(PiperConfig {
            sample_rate: raw.audio.sample_rate,
            quality: raw.audio.quality,
            espeak_voice,
            language,
            phoneme_type: raw.phoneme_type,
            phoneme_id_map: raw.phoneme_id_map,
            num_speakers: raw.num_speakers.unwrap_or(1).max(1),
            speaker_id_map: raw.speaker_id_map,
            default_speaker_id: raw.default_speaker_id.unwrap_or(0),
            inference: raw.inference.unwrap_or_default(),
            vowel_clusters: raw.vowel_clusters,
            dataset: raw.dataset,
        })
    }

    /// The speaker id for `speaker` (a name or a number), or the default one. `None` for
    /// single-speaker voices, which take no speaker input.
    pub fn speaker_id(&self, speaker: Option<&str>) -> Result<Option<i64>, String> {
        if self.num_speakers <= 1 {
            return Ok(None);
        }
        let Some(speaker) = speaker else {
            return Ok(Some(self.default_speaker_id));
        };
        if let Some(id) = self.speaker_id_map.get(speaker) {
            return Ok(Some(*id));
        }
        match speaker.parse::<i64>() {
            Ok(id) if (0..self.num_speakers as i64).contains(&id) => Ok(Some(id)),
            _ => {
                let mut names: Vec<&str> = self.speaker_id_map.keys().map(|s| s.as_str()).collect();
                names.sort();
                names.truncate(12);
                Err(format!(
                    "no speaker '{speaker}' in this voice ({} speakers; names include {})",
                    self.num_speakers,
                    names.join(", ")
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"audio": {"sample_rate": 22050, "quality": "medium"},
        "espeak": {"voice": "fr"}, "phoneme_id_map": {"^": [1], "$": [2], "_": [0], "a": [14]},
        "language": {"code": "fr_FR", "family": "fr"}}"#;

    #[test]
    fn reads_a_minimal_config_with_the_reference_defaults() {
        let c = PiperConfig::parse(MINIMAL, Path::new("v.onnx.json")).unwrap();
        assert_eq!(c.sample_rate, 22050);
        assert_eq!(c.espeak_voice, "fr");
        assert_eq!(c.language, "fr_FR");
        assert_eq!(c.inference, InferenceSettings::default());
        assert_eq!(c.speaker_id(Some("x")).unwrap(), None);
    }

    #[test]
    fn names_what_is_wrong() {
        let err = PiperConfig::parse("{\"audio\": 3}", Path::new("v.onnx.json")).unwrap_err();
        assert!(err.to_string().contains("v.onnx.json"), "{err}");
        assert!(err.to_string().contains("line 1"), "{err}");
        let no_pad = MINIMAL.replace("\"_\": [0], ", "");
        let err = PiperConfig::parse(&no_pad, Path::new("v.onnx.json")).unwrap_err();
        assert!(err.to_string().contains("\"_\""), "{err}");
        let pinyin = MINIMAL.replace(
            "\"espeak\": {\"voice\": \"fr\"},",
            "\"phoneme_type\": \"pinyin\",",
        );
        let err = PiperConfig::parse(&pinyin, Path::new("v.onnx.json")).unwrap_err();
        assert!(err.to_string().contains("phonemizer"), "{err}");
    }

    #[test]
    fn multi_speaker_voices_take_names_or_numbers() {
        let multi = MINIMAL.replace(
            "\"language\"",
            "\"num_speakers\": 3, \"speaker_id_map\": {\"ana\": 0, \"bo\": 2}, \"default_speaker_id\": 2, \"language\"",
        );
        let c = PiperConfig::parse(&multi, Path::new("v.onnx.json")).unwrap();
        assert_eq!(c.speaker_id(None).unwrap(), Some(2));
        assert_eq!(c.speaker_id(Some("ana")).unwrap(), Some(0));
        assert_eq!(c.speaker_id(Some("1")).unwrap(), Some(1));
        let err = c.speaker_id(Some("zed")).unwrap_err();
        assert!(err.contains("ana, bo"), "{err}");
    }
}
