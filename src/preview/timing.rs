//! Where each sentence falls in time, as far as it is known: the chunks already played
//! have their exact length; the others are estimated from their text, at the pace
//! measured on the known ones (or a usual reading pace before any is known).

use crate::script::Script;

/// Characters per second of a usual reading voice at speed 1 (eSpeak NG at 170 words
/// per minute reads French at about this pace), before anything is measured.
pub const USUAL_CHARS_PER_SEC: f64 = 14.0;

/// A usual pause after a sentence, seconds, before anything is measured.
const USUAL_PAUSE_SECS: f64 = 0.4;

/// Measured characters needed before the measured pace replaces the usual one.
const TRUSTED_CHARS: usize = 200;

/// Lengths of the chunks of a script, known or estimated.
#[derive(Debug, Clone)]
pub struct Timing {
    chars: Vec<usize>,
    known: Vec<Option<u64>>,
    known_chars: usize,
    known_frames: u64,
    rate: u32,
    speed: f32,
}

impl Timing {
    /// Nothing known yet about `script` played at `rate` and `speed`.
    pub fn new(script: &Script, rate: u32, speed: f32) -> Timing {
        Timing {
            chars: script
                .chunks
                .iter()
                .map(|c| c.spoken.chars().count())
                .collect(),
            known: vec![None; script.chunks.len()],
            known_chars: 0,
            known_frames: 0,
            rate: rate.max(1),
            speed: speed.max(0.1),
        }
    }

    /// Chunk `index` takes `frames` (speech and its pause).
    pub fn set(&mut self, index: usize, frames: u64) {
        if let Some(slot) = self.known.get_mut(index) {
            if let Some(old) = slot.replace(frames) {
                self.known_frames -= old;
                self.known_chars -= self.chars[index];
            }
            self.known_frames += frames;
            self.known_chars += self.chars[index];
        }
    }

    /// A new speed: what was known is scaled to it (an estimate until each chunk is
    /// played again).
    pub fn set_speed(&mut self, speed: f32) {
        let speed = speed.max(0.1);
        let factor = self.speed as f64 / speed as f64;
        self.speed = speed;
        self.known.iter_mut().for_each(|k| *k = None);
        self.known_frames = (self.known_frames as f64 * factor).round() as u64;
    }

    /// Seconds chunk `index` takes, known or estimated.
    pub fn secs(&self, index: usize) -> f64 {
        if let Some(frames) = self.known[index] {
            return frames as f64 / self.rate as f64;
        }
        let chars = self.chars[index] as f64;
        if self.known_chars >= TRUSTED_CHARS {
            chars * self.known_frames as f64 / self.known_chars as f64 / self.rate as f64
        } else {
            chars / (USUAL_CHARS_PER_SEC * self.speed as f64) + USUAL_PAUSE_SECS / self.speed as f64
        }
    }

    /// When chunk `index` starts, seconds from the article's start.
    pub fn start_secs(&self, index: usize) -> f64 {
        (0..index.min(self.chars.len())).map(|i| self.secs(i)).sum()
    }

    /// The article's length, seconds, and whether it is an estimate.
    pub fn total_secs(&self) -> (f64, bool) {
        let total = (0..self.chars.len()).map(|i| self.secs(i)).sum();
        (total, self.known.iter().any(Option::is_none))
    }

    /// The chunk playing at `secs` from the start (the last one past the end).
    pub fn chunk_at(&self, secs: f64) -> usize {
        let mut at = 0.0;
        for i in 0..self.chars.len() {
            at += self.secs(i);
            if at > secs {
                return i;
            }
        }
        self.chars.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{parse_bytes, CleanOptions, InputFormat};
    use crate::language::{detect::LanguageSource, Language};
    use crate::script::{build, ScriptOptions};

    fn script() -> Script {
        let text = "Une phrase assez longue pour compter dans la mesure du débit. \
            Une autre phrase un peu plus longue que la première, avec des virgules et du sens. \
            Et enfin une troisième phrase qui termine ce petit texte de test sans rien dire.";
        let (doc, _) = parse_bytes(
            text.as_bytes(),
            std::path::Path::new("a.txt"),
            InputFormat::Text,
            &CleanOptions::default(),
        )
        .unwrap();
        build(
            &doc,
            Language::French,
            LanguageSource::Flag,
            &ScriptOptions::default(),
        )
    }

    #[test]
    fn estimates_then_measures() {
        let script = script();
        let n = script.chunks.len();
        assert_eq!(n, 3);
        assert!(script.chunks.iter().map(|c| c.spoken.len()).sum::<usize>() >= TRUSTED_CHARS);
        let mut t = Timing::new(&script, 1000, 1.0);
        let chars = script.chunks[0].spoken.chars().count() as f64;
        assert!((t.secs(0) - (chars / USUAL_CHARS_PER_SEC + USUAL_PAUSE_SECS)).abs() < 1e-9);
        assert!(t.total_secs().1);
        // Twice as fast: half the time.
        let fast = Timing::new(&script, 1000, 2.0);
        assert!((fast.secs(1) * 2.0 - t.secs(1)).abs() < 1e-9);
        for i in 0..n {
            t.set(i, 1000 * (i as u64 + 1));
        }
        assert_eq!(t.total_secs(), (6.0, false));
        assert_eq!(t.start_secs(2), 3.0);
        assert_eq!(t.chunk_at(0.5), 0);
        assert_eq!(t.chunk_at(2.5), 1);
        assert_eq!(t.chunk_at(99.0), 2);
        // A new speed makes everything an estimate again, at the measured pace scaled.
        t.set_speed(2.0);
        let (total, estimated) = t.total_secs();
        assert!(estimated);
        assert!((total - 3.0).abs() < 0.01, "{total}");
    }
}
