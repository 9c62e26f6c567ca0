//! Settings of the `espeak` backend, as a voice file's `[espeak]` table writes them:
//! which eSpeak NG voice, its rate, pitch, range and volume, per-role overrides, and
//! which engine (the system one or the built-in one). The backend owns them: their
//! checks, their speed change and their part of the cache key live here.

use serde::{Deserialize, Serialize};

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

/// `rate` words per minute `speed` times as fast, within eSpeak NG's 80-450.
fn faster(rate: u32, speed: f32) -> u32 {
    ((rate as f32 * speed).round() as u32).clamp(80, 450)
}

impl EspeakSettings {
    /// Refuses values outside eSpeak NG's ranges (see [`check_ranges`]).
    pub fn check(&self) -> Result<(), String> {
        check_ranges(self)
    }

    /// The same settings `speed` times as fast, by words per minute (kept within
    /// 80-450), headings and quotes too.
    pub fn at_speed(&self, speed: f32) -> EspeakSettings {
        let mut e = self.clone();
        e.rate = faster(self.rate, speed);
        for role in [e.heading.as_mut(), e.quote.as_mut()].into_iter().flatten() {
            role.rate = role.rate.map(|rate| faster(rate, speed));
        }
        e
    }

    /// Every setting that changes the audio, in a stable serialization (JSON of the
    /// fields in declaration order); the engine preference is left out, since the
    /// engine that actually speaks is part of the backend's own key.
    pub fn audio_key(&self) -> String {
        let normalized = EspeakSettings {
            engine: EnginePreference::Auto,
            ..self.clone()
        };
        serde_json::to_string(&normalized).expect("settings serialize")
    }
}

/// eSpeak NG's ranges: values outside them are not clamped in silence but refused, so
/// that a typo (`rate = 9000`) is caught where it was made.
fn check_ranges(e: &EspeakSettings) -> Result<(), String> {
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
