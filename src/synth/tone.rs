//! A deterministic test backend: every word becomes a short tone, every gap between
//! words a short silence. It needs no speech engine, is exact to the sample (the same
//! text always gives the same clip), and its clip lengths follow the text, so the
//! renderer, the cache, the assembler and the preview scheduler can be tested and
//! benchmarked without eSpeak NG. `words_per_minute` plays the part of an engine's own
//! speaking rate.

use super::{Backend, BackendId, Clip, Limits, SpeechRequest, SynthError};

/// Sample rate of the clips.
pub const TONE_RATE: u32 = 22050;

/// The tone backend.
pub struct ToneBackend {
    id: BackendId,
    words_per_minute: u32,
    max_chars: usize,
    fail_on: Option<String>,
}

impl ToneBackend {
    /// A backend speaking `words_per_minute` (each word takes 60/wpm seconds: four
    /// fifths tone, one fifth silence).
    pub fn new(words_per_minute: u32) -> ToneBackend {
        let words_per_minute = words_per_minute.clamp(20, 2000);
        ToneBackend {
            id: BackendId {
                backend: "tone".into(),
                engine: "test tones".into(),
                cache_key: format!("tone-1 wpm={words_per_minute}"),
            },
            words_per_minute,
            max_chars: 500,
            fail_on: None,
        }
    }

    /// The same backend, failing on any text that contains `word` (for error paths).
    pub fn failing_on(mut self, word: &str) -> ToneBackend {
        self.fail_on = Some(word.to_string());
        self
    }

    /// The same backend with another input limit.
    pub fn with_max_chars(mut self, max_chars: usize) -> ToneBackend {
        self.max_chars = max_chars.max(1);
        self
    }

    /// Samples one word takes, tone and silence.
    pub fn word_frames(&self) -> usize {
        (TONE_RATE as usize * 60) / self.words_per_minute as usize
    }
}

/// A pitch from a word, 200-600 Hz, so that different words sound (and hash) apart.
fn pitch_of(word: &str) -> f32 {
    let sum = word
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    200.0 + (sum % 400) as f32
}

impl Backend for ToneBackend {
    fn id(&self) -> &BackendId {
        &self.id
    }

    fn limits(&self) -> Limits {
        Limits {
            max_chars: self.max_chars,
            max_parallel: 64,
            sample_rate: TONE_RATE,
        }
    }

    fn synthesize(&self, request: &SpeechRequest) -> Result<Clip, SynthError> {
        if let Some(word) = &self.fail_on {
            if request.text.contains(word.as_str()) {
                return Err(SynthError::Engine {
                    engine: self.id.engine.clone(),
                    message: format!("asked to fail on '{word}'"),
                });
            }
        }
        // A phoneme span is one word here, as the word it stands for.
        let text = crate::language::ipa::written_only(request.text);
        SynthError::check_length(&self.id.engine, &text, self.max_chars)?;
        let per_word = self.word_frames();
        let tone = per_word * 4 / 5;
        let mut samples = Vec::new();
        for word in text.split_whitespace() {
            let step = std::f32::consts::TAU * pitch_of(word) / TONE_RATE as f32;
            samples.extend((0..tone).map(|i| {
                // 5 ms ramps at both ends: no clicks.
                let ramp = (i.min(tone - 1 - i) as f32 / 110.0).min(1.0);
                0.3 * ramp * (step * i as f32).sin()
            }));
            samples.extend(std::iter::repeat_n(0.0, per_word - tone));
        }
        Ok(Clip {
            samples,
            sample_rate: TONE_RATE,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;
    use crate::script::Role;

    fn say(backend: &ToneBackend, text: &str) -> Result<Clip, SynthError> {
        backend.synthesize(&SpeechRequest {
            text,
            language: Language::English,
            role: Role::Narrator,
        })
    }

    #[test]
    fn a_tone_per_word_deterministic_and_rate_dependent() {
        let slow = ToneBackend::new(120);
        let fast = ToneBackend::new(240);
        let a = say(&slow, "one two three").unwrap();
        assert_eq!(a, say(&slow, "one two three").unwrap());
        assert_eq!(a.samples.len(), 3 * slow.word_frames());
        let quick = say(&fast, "one two three").unwrap();
        assert_eq!(quick.samples.len(), 3 * fast.word_frames());
        assert!((quick.samples.len() * 2).abs_diff(a.samples.len()) <= 6);
        assert!(a.samples.iter().all(|s| s.abs() <= 0.3));
        assert_ne!(a, say(&slow, "one two four").unwrap());
        assert_ne!(slow.id().cache_key, fast.id().cache_key);
    }

    #[test]
    fn errors_and_limits() {
        let b = ToneBackend::new(150).failing_on("boom").with_max_chars(10);
        assert!(say(&b, "a boom").is_err());
        assert!(say(&b, "far too long for it").is_err());
        assert!(say(&b, "fine").is_ok());
    }
}
