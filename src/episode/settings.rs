//! How an episode sounds and is encoded, checked before any work: format, sample rate,
//! MP3 mode, loudness, pauses and music levels. Every value has one check here, whether
//! it came from a flag or a show file; a bad one is a [`SettingsError`] naming the
//! setting and what would be accepted.

use serde::{Deserialize, Serialize};

use crate::assemble::loudness::LoudnessTarget;
use crate::master::AudioFormat;
use crate::output::mp3::{self, Mp3Mode, MP3_RATES};

/// Loudness targets articast accepts, LUFS. Louder than −10 LUFS cannot be reached by
/// speech under a true-peak ceiling without crushing it; quieter than −36 LUFS is
/// inaudible next to anything else a listener plays.
pub const LOUDNESS_RANGE_LUFS: std::ops::RangeInclusive<f64> = -36.0..=-10.0;

/// True-peak ceilings articast accepts, dBTP.
pub const TRUE_PEAK_RANGE_DBTP: std::ops::RangeInclusive<f64> = -9.0..=0.0;

/// The default target for stereo episodes, LUFS.
pub const STEREO_TARGET_LUFS: f64 = -16.0;
/// The default target for mono episodes, LUFS.
pub const MONO_TARGET_LUFS: f64 = -19.0;

/// The least room between the loudness target and the peak ceiling that speech needs,
/// in dB: speech peaks sit 12-20 dB above its loudness, and a compressor and limiter can
/// take only a few dB of that away before it sounds squeezed.
pub const MIN_PEAK_TO_LOUDNESS_DB: f64 = 12.0;

/// The settings of one episode's sound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioSettings {
    /// Container and codec.
    pub format: AudioFormat,
    /// Output sample rate in Hz; `None`: 44.1 kHz for MP3 or with music, else the
    /// voice's own (lower for MP3 bit rates too low to carry 44.1 kHz).
    pub sample_rate: Option<u32>,
    /// MP3 constant bit rate, kbit/s; `None`: 64 mono, 128 stereo.
    pub bitrate: Option<u16>,
    /// MP3 variable bit rate quality 0-9 instead.
    pub vbr: Option<u8>,
    /// Integrated loudness target, LUFS; `None`: −16 for stereo episodes, −19 for mono
    /// ones, as AES TD1004 recommends (a mono file plays through both speakers, 3 LU
    /// louder than a stereo file of the same measured loudness).
    pub loudness: Option<f64>,
    /// True-peak ceiling, dBTP.
    pub true_peak: f64,
    /// Whether to bring the episode to `loudness` (peaks are limited either way).
    pub normalize: bool,
    /// Multiplies every structural pause.
    pub pause_scale: f32,
    /// The bed's level relative to its file, dB; `None`: [`DEFAULT_BED_LEVEL_DB`].
    pub bed_level_db: Option<f32>,
    /// How much the bed is lowered under speech, dB; `None`: [`DEFAULT_DUCK_DB`].
    pub duck_db: Option<f32>,
}

/// The bed's level when none is given, dB relative to its file.
pub const DEFAULT_BED_LEVEL_DB: f32 = -18.0;
/// How much the bed is lowered under speech when not said, dB.
pub const DEFAULT_DUCK_DB: f32 = 12.0;

impl Default for AudioSettings {
    fn default() -> Self {
        AudioSettings {
            format: AudioFormat::Mp3,
            sample_rate: None,
            bitrate: None,
            vbr: None,
            loudness: None,
            true_peak: -1.0,
            normalize: true,
            pause_scale: 1.0,
            bed_level_db: None,
            duck_db: None,
        }
    }
}

/// A setting that cannot be used, named as the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{setting}: {message}")]
pub struct SettingsError {
    /// The setting (`loudness`, `bitrate`, ...), as flags and show files name it.
    pub setting: &'static str,
    /// What is wrong and what would do.
    pub message: String,
}

fn bad(setting: &'static str, message: impl Into<String>) -> SettingsError {
    SettingsError {
        setting,
        message: message.into(),
    }
}

/// What the settings come to once the episode's channels and voice are known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolved {
    /// Output sample rate.
    pub sample_rate: u32,
    /// MP3 encoding.
    pub mp3: Mp3Mode,
    /// The loudness target, when normalizing.
    pub target: Option<LoudnessTarget>,
    /// Why the sample rate is not the one asked for or the usual one, for a note.
    pub rate_note: Option<&'static str>,
}

impl AudioSettings {
    /// Checks every setting on its own and against the others. `has_bed` says whether a
    /// bed is given (its level and ducking mean nothing without one).
    pub fn validate(&self, has_bed: bool) -> Result<(), SettingsError> {
        let loudness = self.loudness.unwrap_or(STEREO_TARGET_LUFS);
        if !LOUDNESS_RANGE_LUFS.contains(&loudness) {
            return Err(bad(
                "loudness",
                format!(
                    "{loudness} LUFS is outside {} to {} LUFS; podcasts use -16 (stereo) or -19 (mono)",
                    LOUDNESS_RANGE_LUFS.start(),
                    LOUDNESS_RANGE_LUFS.end()
                ),
            ));
        }
        if !TRUE_PEAK_RANGE_DBTP.contains(&self.true_peak) {
            return Err(bad(
                "true-peak",
                format!(
                    "{} dBTP is outside {} to {} dBTP; -1 is usual",
                    self.true_peak,
                    TRUE_PEAK_RANGE_DBTP.start(),
                    TRUE_PEAK_RANGE_DBTP.end()
                ),
            ));
        }
        if let Some(loudness) = self.loudness {
            self.check_headroom(loudness)?;
        }
        if !(0.0..=10.0).contains(&self.pause_scale) {
            return Err(bad("pause-scale", "use a factor from 0 to 10"));
        }
        if let Some(rate) = self.sample_rate {
            if !(8000..=192_000).contains(&rate) {
                return Err(bad(
                    "rate",
                    format!("{rate} Hz is outside 8000 to 192000 Hz"),
                ));
            }
        }
        match self.format {
            AudioFormat::Wav => {
                if self.bitrate.is_some() || self.vbr.is_some() {
                    let which = if self.vbr.is_some() { "vbr" } else { "bitrate" };
                    return Err(bad(which, "WAV is not compressed; bit rates are for MP3"));
                }
            }
            AudioFormat::Mp3 => self.validate_mp3()?,
        }
        if !has_bed && (self.bed_level_db.is_some() || self.duck_db.is_some()) {
            let which = if self.bed_level_db.is_some() {
                "bed-level"
            } else {
                "duck"
            };
            return Err(bad(which, "it sets the music bed; give one with --bed"));
        }
        if !(-60.0..=0.0).contains(&self.bed_level()) {
            return Err(bad("bed-level", "use -60 to 0 dB"));
        }
        if !(0.0..=40.0).contains(&self.duck()) {
            return Err(bad("duck", "use 0 to 40 dB"));
        }
        Ok(())
    }

    /// Refuses a target too close to the ceiling for speech.
    fn check_headroom(&self, loudness: f64) -> Result<(), SettingsError> {
        if self.normalize && self.true_peak - loudness < MIN_PEAK_TO_LOUDNESS_DB {
            return Err(bad(
                "true-peak",
                format!(
                    "a {} dBTP ceiling leaves {:.0} dB above the {loudness} LUFS target; speech needs at least {MIN_PEAK_TO_LOUDNESS_DB:.0} dB, so lower the target or raise the ceiling",
                    self.true_peak,
                    self.true_peak - loudness,
                ),
            ));
        }
        Ok(())
    }

    /// The bed's level, dB relative to its file.
    pub fn bed_level(&self) -> f32 {
        self.bed_level_db.unwrap_or(DEFAULT_BED_LEVEL_DB)
    }

    /// How much the bed is lowered under speech, dB.
    pub fn duck(&self) -> f32 {
        self.duck_db.unwrap_or(DEFAULT_DUCK_DB)
    }

    fn validate_mp3(&self) -> Result<(), SettingsError> {
        if let (Some(_), Some(_)) = (self.bitrate, self.vbr) {
            return Err(bad("vbr", "choose a constant bit rate or VBR, not both"));
        }
        if let Some(q) = self.vbr {
            if q > 9 {
                return Err(bad("vbr", "quality goes from 0 (best) to 9"));
            }
        }
        if let Some(rate) = self.sample_rate {
            if !MP3_RATES.contains(&rate) {
                let rates: Vec<String> = MP3_RATES.iter().map(|r| r.to_string()).collect();
                return Err(bad(
                    "rate",
                    format!(
                        "MP3 cannot carry {rate} Hz; use one of {}",
                        rates.join(", ")
                    ),
                ));
            }
        }
        if let Some(kbps) = self.bitrate {
            // Channels are not known yet; mono needs the least room, stereo is checked
            // again once the music is known.
            match self.sample_rate {
                Some(rate) => mp3::check_pair(kbps, rate, 1),
                None => mp3::rate_for_bitrate(kbps, 1, 48000).map(|_| ()),
            }
            .map_err(|e| bad("bitrate", e.to_string()))?;
        }
        Ok(())
    }

    /// The sample rate, MP3 mode and target for an episode of `channels` (2 with stereo
    /// music) spoken by a voice at `voice_rate`, `has_music` when there is any.
    pub fn resolve(
        &self,
        channels: u16,
        voice_rate: u32,
        has_music: bool,
    ) -> Result<Resolved, SettingsError> {
        let mp3 = self.format == AudioFormat::Mp3;
        let usual = if mp3 || has_music { 44100 } else { voice_rate };
        let mode = match (self.vbr, self.bitrate) {
            (Some(quality), _) => Mp3Mode::Vbr { quality },
            (None, Some(kbps)) => Mp3Mode::Cbr { kbps },
            (None, None) => Mp3Mode::Cbr {
                kbps: if channels == 1 { 64 } else { 128 },
            },
        };
        let (sample_rate, rate_note) = match (mp3, self.sample_rate, mode) {
            (true, Some(rate), Mp3Mode::Cbr { kbps }) => {
                mp3::check_pair(kbps, rate, channels).map_err(|e| bad("bitrate", e.to_string()))?;
                (rate, None)
            }
            (true, None, Mp3Mode::Cbr { kbps }) => {
                let rate = mp3::rate_for_bitrate(kbps, channels, usual)
                    .map_err(|e| bad("bitrate", e.to_string()))?;
                let note = (rate < usual).then_some(
                    "a bit rate this low carries only a lower sample rate with its Info frame",
                );
                (rate, note)
            }
            (_, Some(rate), _) => (rate, None),
            (_, None, _) => (usual, None),
        };
        let loudness = self.loudness.unwrap_or(if channels >= 2 {
            STEREO_TARGET_LUFS
        } else {
            MONO_TARGET_LUFS
        });
        self.check_headroom(loudness)?;
        Ok(Resolved {
            sample_rate,
            mp3: mode,
            target: self.normalize.then_some(LoudnessTarget {
                integrated_lufs: loudness,
                true_peak_dbtp: self.true_peak,
            }),
            rate_note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mp3() -> AudioSettings {
        AudioSettings::default()
    }

    #[test]
    fn defaults_are_valid_and_resolve_to_podcast_norms() {
        mp3().validate(false).unwrap();
        let r = mp3().resolve(1, 22050, false).unwrap();
        assert_eq!((r.sample_rate, r.mp3), (44100, Mp3Mode::Cbr { kbps: 64 }));
        assert_eq!(r.target.unwrap().integrated_lufs, MONO_TARGET_LUFS);
        let stereo = mp3().resolve(2, 22050, true).unwrap();
        assert_eq!(stereo.target.unwrap().integrated_lufs, STEREO_TARGET_LUFS);
        let wav = AudioSettings {
            format: AudioFormat::Wav,
            ..mp3()
        };
        assert_eq!(wav.resolve(1, 22050, false).unwrap().sample_rate, 22050);
        assert_eq!(wav.resolve(2, 22050, true).unwrap().sample_rate, 44100);
    }

    #[test]
    fn out_of_range_values_name_their_setting() {
        let cases: Vec<(AudioSettings, &str)> = vec![
            (
                AudioSettings {
                    loudness: Some(0.0),
                    ..mp3()
                },
                "loudness",
            ),
            (
                AudioSettings {
                    loudness: Some(-5.0),
                    ..mp3()
                },
                "loudness",
            ),
            (
                AudioSettings {
                    true_peak: 3.0,
                    ..mp3()
                },
                "true-peak",
            ),
            (
                AudioSettings {
                    true_peak: -8.0,
                    loudness: Some(-16.0),
                    ..mp3()
                },
                "true-peak",
            ),
            (
                AudioSettings {
                    bitrate: Some(100),
                    ..mp3()
                },
                "bitrate",
            ),
            (
                AudioSettings {
                    bitrate: Some(8),
                    ..mp3()
                },
                "bitrate",
            ),
            (
                AudioSettings {
                    sample_rate: Some(96000),
                    ..mp3()
                },
                "rate",
            ),
            (
                AudioSettings {
                    format: AudioFormat::Wav,
                    vbr: Some(2),
                    ..mp3()
                },
                "vbr",
            ),
            (
                AudioSettings {
                    format: AudioFormat::Wav,
                    bitrate: Some(64),
                    ..mp3()
                },
                "bitrate",
            ),
            (
                AudioSettings {
                    bed_level_db: Some(-20.0),
                    ..mp3()
                },
                "bed-level",
            ),
            (
                AudioSettings {
                    bitrate: Some(32),
                    sample_rate: Some(44100),
                    ..mp3()
                },
                "bitrate",
            ),
        ];
        for (settings, setting) in cases {
            let err = settings.validate(false).unwrap_err();
            assert_eq!(err.setting, setting, "{err}");
        }
        assert!(AudioSettings {
            bed_level_db: Some(-20.0),
            ..mp3()
        }
        .validate(true)
        .is_ok());
    }

    #[test]
    fn a_low_bit_rate_gets_the_rate_that_carries_it() {
        let low = AudioSettings {
            bitrate: Some(32),
            ..mp3()
        };
        low.validate(false).unwrap();
        let r = low.resolve(1, 22050, false).unwrap();
        assert_eq!(r.sample_rate, 12000);
        assert!(r.rate_note.is_some());
    }
}
