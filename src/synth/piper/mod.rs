//! The `piper` backend: Piper neural voices (VITS models exported to ONNX).
//!
//! A voice is a model (`.onnx`) with its config (`.onnx.json`). Text becomes phoneme
//! ids as the reference implementation builds them ([`phonemes`], from clauses that
//! [`clauses`] gets from eSpeak NG), and ONNX Runtime, loaded at run time
//! ([`runtime`]), turns them into audio ([`session`]). A chunk that eSpeak NG splits into
//! several sentences is synthesized sentence by sentence, as the reference does, with
//! the voice's `sentence_silence_ms` between them.

pub mod clauses;
pub mod config;
pub mod phonemes;
pub mod runtime;
#[cfg(feature = "piper")]
pub mod session;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use self::config::{InferenceSettings, PiperConfig};
use crate::synth::espeak_settings::EnginePreference;

/// Settings of the `piper` backend, as written in a voice file's `[piper]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PiperSettings {
    /// An installed voice's name (`en_US-joe-medium`) or a path to its `.onnx` file.
    pub model: String,
    /// Speaker name or number, for multi-speaker voices.
    #[serde(default)]
    pub speaker: Option<String>,
    /// Overrides the voice config's `length_scale` (> 1 is slower).
    #[serde(default)]
    pub length_scale: Option<f32>,
    /// Speaking speed, a factor on every role's pace (divides `length_scale`): what
    /// `preview --speed` changes; 1 by default.
    #[serde(default = "unit_speed", skip_serializing_if = "is_unit_speed")]
    pub speed: f32,
    /// Overrides the voice config's `noise_scale`.
    #[serde(default)]
    pub noise_scale: Option<f32>,
    /// Overrides the voice config's `noise_w`.
    #[serde(default)]
    pub noise_w: Option<f32>,
    /// Silence between sentences inside one chunk, in milliseconds (the reference's
    /// `--sentence-silence`, 0 by default).
    #[serde(default)]
    pub sentence_silence_ms: u32,
    /// Which eSpeak NG phonemizes: the system library when installed (`auto`), or one.
    #[serde(default)]
    pub phonemizer: EnginePreference,
    /// Overrides for headings (`[piper.heading]`), e.g. a slower `length_scale`.
    #[serde(default)]
    pub heading: Option<ScaleOverride>,
    /// Overrides for quotes (`[piper.quote]`).
    #[serde(default)]
    pub quote: Option<ScaleOverride>,
}

fn unit_speed() -> f32 {
    1.0
}

fn is_unit_speed(speed: &f32) -> bool {
    (*speed - 1.0).abs() < 1e-6
}

/// Speed and variation for one voice role; unset values are the narrator's.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleOverride {
    /// Phoneme durations (> 1 is slower).
    #[serde(default)]
    pub length_scale: Option<f32>,
    /// Variation of the generated audio.
    #[serde(default)]
    pub noise_scale: Option<f32>,
    /// Variation of phoneme durations.
    #[serde(default)]
    pub noise_w: Option<f32>,
}

/// Speed and variation per voice role.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoleScales {
    /// Narration.
    pub narrator: InferenceSettings,
    /// Headings.
    pub heading: InferenceSettings,
    /// Quotes.
    pub quote: InferenceSettings,
}

impl RoleScales {
    /// The settings for `role`.
    pub fn get(&self, role: crate::script::Role) -> InferenceSettings {
        match role {
            crate::script::Role::Narrator => self.narrator,
            crate::script::Role::Heading => self.heading,
            crate::script::Role::Quote => self.quote,
        }
    }
}

impl PiperSettings {
    /// The same settings `speed` times as fast (`speed` multiplies, `length_scale`
    /// is divided by it at synthesis).
    pub fn at_speed(&self, speed: f32) -> PiperSettings {
        PiperSettings {
            speed: self.speed * speed,
            ..self.clone()
        }
    }

    /// Every setting that changes the audio, in a stable serialization (JSON of the
    /// fields in declaration order); the model is left out (its files are keyed by the
    /// backend: name, size, config hash) and so is the phonemizer preference (the
    /// phonemizer that runs is keyed too).
    pub fn audio_key(&self) -> String {
        let normalized = PiperSettings {
            model: String::new(),
            phonemizer: EnginePreference::Auto,
            speed: self.speed,
            ..self.clone()
        };
        serde_json::to_string(&normalized).expect("settings serialize")
    }

    /// Settings that use `model` with everything else from its config.
    pub fn for_model(model: &str) -> PiperSettings {
        PiperSettings {
            model: model.to_string(),
            speaker: None,
            length_scale: None,
            speed: 1.0,
            noise_scale: None,
            noise_w: None,
            sentence_silence_ms: 0,
            phonemizer: EnginePreference::Auto,
            heading: None,
            quote: None,
        }
    }

    /// The speed and variation to synthesize with, per role: the config's, overridden by
    /// these settings, overridden for headings and quotes by their tables.
    pub fn scales(&self, config: &PiperConfig) -> RoleScales {
        // The top-level fields repeat ScaleOverride's because serde cannot flatten a
        // struct into one that denies unknown fields.
        let own = ScaleOverride {
            length_scale: self.length_scale,
            noise_scale: self.noise_scale,
            noise_w: self.noise_w,
        };
        let narrator = own.over(config.inference);
        let paced = |mut s: InferenceSettings| {
            if self.speed > 0.0 {
                s.length_scale /= self.speed;
            }
            s
        };
        RoleScales {
            narrator: paced(narrator),
            heading: paced(self.heading.unwrap_or_default().over(narrator)),
            quote: paced(self.quote.unwrap_or_default().over(narrator)),
        }
    }
}

impl ScaleOverride {
    /// `base` with the values set here replacing its own.
    pub fn over(self, base: InferenceSettings) -> InferenceSettings {
        InferenceSettings {
            noise_scale: self.noise_scale.unwrap_or(base.noise_scale),
            length_scale: self.length_scale.unwrap_or(base.length_scale),
            noise_w: self.noise_w.unwrap_or(base.noise_w),
        }
    }
}

/// A Piper model on disk: its `.onnx` file and `.onnx.json` config.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFiles {
    /// The model.
    pub onnx: PathBuf,
    /// Its config.
    pub config: PathBuf,
}

impl ModelFiles {
    /// The files of the model at `onnx` (config beside it, as `<model>.onnx.json`).
    pub fn at(onnx: &Path) -> ModelFiles {
        let mut config = onnx.as_os_str().to_owned();
        config.push(".json");
        ModelFiles {
            onnx: onnx.to_path_buf(),
            config: PathBuf::from(config),
        }
    }

    /// `model` as a path to an `.onnx` file (with its config beside it), when it is
    /// one and both files are there; `None` for a name (installed voices are the
    /// catalog's to find).
    pub fn at_path(model: &str) -> Option<ModelFiles> {
        let path = Path::new(model);
        if model.ends_with(".onnx") || path.components().count() > 1 {
            let files = ModelFiles::at(path);
            return (files.onnx.is_file() && files.config.is_file()).then_some(files);
        }
        None
    }

    /// Whether `model` names a file rather than an installed voice.
    pub fn is_path(model: &str) -> bool {
        model.ends_with(".onnx") || Path::new(model).components().count() > 1
    }
}

/// The model input for `text`: one id sequence per sentence. `phonemizer` is the voice's
/// eSpeak NG (`None` for `text` voices, whose symbols are the text's code points).
pub fn text_to_ids(
    text: &str,
    config: &PiperConfig,
    phonemizer: Option<&clauses::ClauseSource>,
) -> Result<Vec<Vec<i64>>, crate::synth::SynthError> {
    let symbols = match phonemizer {
        Some(p) => phonemes::sentences(&p.clauses_with_spans(text)?, &config.vowel_clusters),
        None => vec![phonemes::text_symbols(&crate::language::ipa::written_only(
            text,
        ))],
    };
    Ok(symbols
        .iter()
        .map(|s| phonemes::phoneme_ids(s, &config.phoneme_id_map).0)
        .collect())
}

/// Synthesis of a Piper voice: present when articast is built with the `piper` feature.
#[cfg(feature = "piper")]
mod backend {
    use super::*;
    use crate::synth::{Backend, BackendId, Clip, Limits, SpeechRequest, SynthError};

    use super::clauses::ClauseSource;
    use super::session::{PoolShape, SessionPool};

    /// Longest chunk sent to a Piper voice, in characters: long sentences cost attention
    /// time that grows faster than their length.
    const MAX_CHARS: usize = 400;

    /// The Piper backend for one voice.
    pub struct PiperBackend {
        id: BackendId,
        config: PiperConfig,
        phonemizer: Option<ClauseSource>,
        pool: SessionPool,
        scales: RoleScales,
        speaker: Option<i64>,
        silence: usize,
    }

    impl PiperBackend {
        /// Loads the model `files` with `settings`, for `threads` synthesis threads.
        pub fn new(
            settings: &PiperSettings,
            files: &ModelFiles,
            threads: usize,
            onnxruntime: Option<&Path>,
        ) -> Result<PiperBackend, SynthError> {
            let unavailable = |hint: String| SynthError::Unavailable {
                engine: "Piper".into(),
                hint,
            };
            let config_text = std::fs::read_to_string(&files.config)
                .map_err(|e| unavailable(format!("cannot read {}: {e}", files.config.display())))?;
            let config = PiperConfig::parse(&config_text, &files.config)
                .map_err(|e| unavailable(e.to_string()))?;
            let speaker = config
                .speaker_id(settings.speaker.as_deref())
                .map_err(unavailable)?;
            let phonemizer = match config.phoneme_type {
                config::PhonemeType::Espeak => Some(ClauseSource::new(
                    &config.espeak_voice,
                    settings.phonemizer,
                )?),
                _ => None,
            };
            let runtime = super::runtime::runtime(onnxruntime).map_err(unavailable)?;
            let shape = PoolShape::for_threads(threads);
            let pool = SessionPool::load(&runtime.env, &files.onnx, shape).map_err(unavailable)?;
            let scales = settings.scales(&config);
            let name = files
                .onnx
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| settings.model.clone());
            let phonemes_by = phonemizer
                .as_ref()
                .map_or("text".to_string(), |p| p.description.clone());
            let config_hash = blake3::hash(config_text.as_bytes()).to_hex()[..16].to_string();
            let model_size = std::fs::metadata(&files.onnx).map(|m| m.len()).unwrap_or(0);
            Ok(PiperBackend {
                id: BackendId {
                    backend: "piper".into(),
                    engine: format!("Piper {name} (neural, phonemes by {phonemes_by})"),
                    cache_key: format!(
                        "piper/{name}/{model_size}/{config_hash}/{phonemes_by}/{}",
                        settings.audio_key()
                    ),
                },
                silence: (config.sample_rate as u64 * settings.sentence_silence_ms as u64 / 1000)
                    as usize,
                config,
                phonemizer,
                pool,
                scales,
                speaker,
            })
        }

        /// The model's phoneme-id sequences for `text`, one per sentence.
        pub fn phoneme_ids(&self, text: &str) -> Result<Vec<Vec<i64>>, SynthError> {
            text_to_ids(text, &self.config, self.phonemizer.as_ref())
        }
    }

    impl Backend for PiperBackend {
        fn id(&self) -> &BackendId {
            &self.id
        }

        fn limits(&self) -> Limits {
            Limits {
                max_chars: MAX_CHARS,
                max_parallel: self.pool.shape.sessions,
                sample_rate: self.config.sample_rate,
            }
        }

        fn synthesize(&self, request: &SpeechRequest) -> Result<Clip, SynthError> {
            let mut samples = Vec::new();
            for (i, ids) in self.phoneme_ids(request.text)?.iter().enumerate() {
                if i > 0 {
                    samples.resize(samples.len() + self.silence, 0.0);
                }
                let audio = self
                    .pool
                    .infer(ids, self.scales.get(request.role), self.speaker)
                    .map_err(|message| SynthError::Engine {
                        engine: self.id.engine.clone(),
                        message,
                    })?;
                samples.extend_from_slice(&audio);
            }
            Ok(Clip {
                samples,
                sample_rate: self.config.sample_rate,
            })
        }
    }
}

#[cfg(feature = "piper")]
pub use backend::PiperBackend;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_voices_read_code_points_and_espeak_voices_merge_their_vowel_clusters() {
        let text_voice = config::PiperConfig::parse(
            r#"{"audio": {"sample_rate": 16000}, "phoneme_type": "text",
                "phoneme_id_map": {"^": [1], "$": [2], "_": [0], "e": [5], "\u0301": [6], "t": [7]}}"#,
            Path::new("t.onnx.json"),
        )
        .unwrap();
        // "été" decomposes to e + acute accent: both are symbols of a text voice.
        assert_eq!(
            text_to_ids("été", &text_voice, None).unwrap(),
            [vec![1, 0, 5, 0, 6, 0, 7, 0, 5, 0, 6, 0, 2]]
        );

        let espeak_voice = config::PiperConfig::parse(
            r#"{"audio": {"sample_rate": 22050}, "espeak": {"voice": "en-us"},
                "phoneme_id_map": {"^": [1], "$": [2], "_": [0], " ": [3], "aɪ": [161], "a": [14], "ɪ": [74]},
                "vowel_clusters": [["a", "ɪ"]]}"#,
            Path::new("e.onnx.json"),
        )
        .unwrap();
        let builtin = clauses::ClauseSource::new("en-us", EnginePreference::Builtin)
            .expect("built-in eSpeak NG");
        let ids = text_to_ids("I fly. Why?", &espeak_voice, Some(&builtin)).unwrap();
        assert_eq!(ids.len(), 2, "two sentences: {ids:?}");
        for sentence in &ids {
            assert!(
                sentence.contains(&161),
                "the cluster aɪ is one symbol: {sentence:?}"
            );
            assert!(!sentence.contains(&14), "no lone a: {sentence:?}");
            assert_eq!((sentence[0], sentence[sentence.len() - 1]), (1, 2));
        }
    }

    #[test]
    fn role_tables_override_the_voice_which_overrides_its_config() {
        let config = config::PiperConfig::parse(
            r#"{"audio": {"sample_rate": 22050}, "espeak": {"voice": "en-us"},
                "inference": {"noise_scale": 0.5, "length_scale": 1.0, "noise_w": 0.7},
                "phoneme_id_map": {"^": [1], "$": [2], "_": [0]}}"#,
            Path::new("v.onnx.json"),
        )
        .unwrap();
        let settings: PiperSettings = toml::from_str(
            "model = \"v\"\nlength_scale = 1.1\n[heading]\nlength_scale = 1.3\n[quote]\nnoise_scale = 0.2\n",
        )
        .unwrap();
        let scales = settings.scales(&config);
        assert_eq!(scales.narrator.length_scale, 1.1);
        assert_eq!(scales.narrator.noise_scale, 0.5);
        assert_eq!(scales.heading.length_scale, 1.3);
        assert_eq!(scales.heading.noise_w, 0.7);
        assert_eq!(scales.quote.length_scale, 1.1);
        assert_eq!(scales.quote.noise_scale, 0.2);
    }
}
