//! Music in a preview, as in the episode: the intro before the first sentence, the
//! outro after the last, the bed looped under the speech and lowered while someone
//! speaks, with the episode's fades, its ducking attack and release, and its levels
//! (intro and outro [`MUSIC_UNDER_SPEECH_LU`] under the speech, the bed at its level
//! relative to it), all before the compressor and limiter see the sum.
//!
//! The preview plays one channel, so music is folded to mono here; it is resampled to
//! the preview's rate once, when the preview starts. The speech level music is set
//! against is the loudness target (the preview's speech is brought to it), or, without
//! normalization, a nominal [`NOMINAL_SPEECH_LUFS`].

use crate::assemble::mix::{fade_gain, DUCK_ATTACK_SECS, DUCK_RELEASE_SECS};
use crate::assemble::music::{Decoded, MusicError};
use crate::assemble::{BED_FADE_SECS, INTRO_FADE_OUT_SECS, MUSIC_FADE_IN_MS, OUTRO_FADE_OUT_SECS};
use crate::master::MUSIC_UNDER_SPEECH_LU;
use crate::meter::{integrated_lufs, BinMeter};

/// Speech level assumed when loudness is not normalized (the mono target), LUFS.
pub const NOMINAL_SPEECH_LUFS: f64 = -19.0;

/// After a seek the bed comes back in over this long, seconds.
const SEEK_FADE_SECS: f64 = 0.3;

/// The music files of a preview, decoded.
#[derive(Default)]
pub struct MusicFiles<'a> {
    /// Before the speech.
    pub intro: Option<&'a Decoded>,
    /// After the speech.
    pub outro: Option<&'a Decoded>,
    /// Under the speech.
    pub bed: Option<&'a Decoded>,
    /// The bed's level relative to the speech, LU (negative).
    pub bed_level_db: f32,
    /// How much further the bed is lowered while someone speaks, dB.
    pub duck_db: f32,
}

/// Music ready to play at the preview's rate: levelled, faded, mono.
#[derive(Clone, Default)]
pub struct PreviewMusic {
    /// The intro, played when the preview starts at the beginning.
    pub intro: Option<Vec<f32>>,
    /// The outro, played when the preview reaches the end of the article.
    pub outro: Option<Vec<f32>>,
    /// The bed.
    pub bed: Option<Bed>,
}

impl std::fmt::Debug for PreviewMusic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let frames = |m: &Option<Vec<f32>>| m.as_ref().map(Vec::len);
        f.debug_struct("PreviewMusic")
            .field("intro_frames", &frames(&self.intro))
            .field("outro_frames", &frames(&self.outro))
            .field("bed_frames", &self.bed.as_ref().map(|b| b.samples.len()))
            .finish()
    }
}

/// Integrated loudness of mono `samples` at `rate`, LUFS (−70 when silent).
fn loudness(samples: &[f32], rate: u32) -> f64 {
    let mut meter = BinMeter::new(1, rate, 0);
    meter.add(samples);
    integrated_lufs(&meter.finish(), rate)
}

/// The gain that puts `samples` at `level` LUFS (none for silence), linear.
fn gain_to(samples: &[f32], rate: u32, level: f64) -> f32 {
    let lufs = loudness(samples, rate);
    if lufs <= -70.0 {
        return 1.0;
    }
    10f64.powf((level - lufs).clamp(-40.0, 24.0) / 20.0) as f32
}

/// `decoded` at `rate`, at `level` LUFS, faded in and out as the episode fades it.
fn placed(
    decoded: &Decoded,
    rate: u32,
    level: f64,
    fade_out_secs: f64,
) -> Result<Vec<f32>, MusicError> {
    let mut samples = decoded.mono_at(rate)?;
    let gain = gain_to(&samples, rate, level);
    let len = samples.len() as u64;
    let fade_in = (MUSIC_FADE_IN_MS as u64 * rate as u64)
        .div_ceil(1000)
        .min(len / 4);
    let fade_out = ((fade_out_secs * rate as f64) as u64).min(len / 3);
    for (i, s) in samples.iter_mut().enumerate() {
        *s *= gain * fade_gain(i as u64, len, fade_in, fade_out);
    }
    Ok(samples)
}

impl PreviewMusic {
    /// The music of `files` at `rate`, set against speech at `speech_lufs` (the
    /// loudness target; none: [`NOMINAL_SPEECH_LUFS`]).
    pub fn new(
        files: &MusicFiles,
        rate: u32,
        speech_lufs: Option<f64>,
    ) -> Result<PreviewMusic, MusicError> {
        let speech = speech_lufs.unwrap_or(NOMINAL_SPEECH_LUFS);
        let under = speech - MUSIC_UNDER_SPEECH_LU;
        Ok(PreviewMusic {
            intro: files
                .intro
                .map(|d| placed(d, rate, under, INTRO_FADE_OUT_SECS))
                .transpose()?,
            outro: files
                .outro
                .map(|d| placed(d, rate, under, OUTRO_FADE_OUT_SECS))
                .transpose()?,
            bed: files
                .bed
                .map(|d| Bed::new(d, rate, speech + files.bed_level_db as f64, files.duck_db))
                .transpose()?,
        })
    }

    /// Whether there is any music.
    pub fn is_empty(&self) -> bool {
        self.intro.is_none() && self.outro.is_none() && self.bed.is_none()
    }
}

/// The bed, looping, with its ducking envelope.
#[derive(Clone)]
pub struct Bed {
    samples: Vec<f32>,
    rate: u32,
    pos: usize,
    duck: f32,
    env: f32,
    attack: f32,
    release: f32,
    /// Frames of the current fade-in, and how far into it the bed is.
    fade: u64,
    faded: u64,
}

impl Bed {
    /// `decoded` at `rate`, looped at `level` LUFS, lowered by `duck_db` under speech.
    fn new(decoded: &Decoded, rate: u32, level: f64, duck_db: f32) -> Result<Bed, MusicError> {
        let mut samples = decoded.mono_at(rate)?;
        let gain = gain_to(&samples, rate, level);
        samples.iter_mut().for_each(|s| *s *= gain);
        let coeff = |secs: f32| 1.0 - (-1.0 / (secs * rate as f32)).exp();
        Ok(Bed {
            samples,
            rate,
            pos: 0,
            duck: 10f32.powf(-duck_db.abs() / 20.0),
            // Settled on speech, as the episode's envelope is when its bed starts.
            env: 10f32.powf(-duck_db.abs() / 20.0),
            attack: coeff(DUCK_ATTACK_SECS),
            release: coeff(DUCK_RELEASE_SECS),
            fade: (BED_FADE_SECS * rate as f64) as u64,
            faded: 0,
        })
    }

    /// Mixes the next `block.len()` frames of the bed into `block`, whose first
    /// `speech` frames are speech and the rest a pause; with `last`, the bed fades out
    /// by the end of the block (the end of the article).
    pub fn mix(&mut self, block: &mut [f32], speech: usize, last: bool) {
        if self.samples.is_empty() {
            return;
        }
        let len = block.len() as u64;
        let fade_out = if last {
            ((BED_FADE_SECS * self.rate as f64) as u64).min(len)
        } else {
            0
        };
        for (i, s) in block.iter_mut().enumerate() {
            let target = if i < speech { self.duck } else { 1.0 };
            let coeff = if target < self.env {
                self.attack
            } else {
                self.release
            };
            self.env += coeff * (target - self.env);
            let fade_in = if self.faded < self.fade {
                self.faded += 1;
                self.faded as f32 / self.fade as f32
            } else {
                1.0
            };
            let g = self.env * fade_in * fade_gain(i as u64, len, 0, fade_out);
            *s += self.samples[self.pos] * g;
            self.pos = (self.pos + 1) % self.samples.len();
        }
    }

    /// After a seek: the bed comes back in over a short fade.
    pub fn restart(&mut self) {
        self.fade = (SEEK_FADE_SECS * self.rate as f64) as u64;
        self.faded = 0;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const RATE: u32 = 16_000;

    /// A music file written as WAV and decoded as the episode decodes it.
    pub(crate) fn tone(
        dir: &std::path::Path,
        name: &str,
        secs: f64,
        amplitude: f32,
        channels: u16,
    ) -> Decoded {
        let path = dir.join(name);
        let spec = hound::WavSpec {
            channels,
            sample_rate: 22_050,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        for i in 0..(secs * 22_050.0) as usize {
            let s = (i as f32 * 440.0 * std::f32::consts::TAU / 22_050.0).sin() * amplitude;
            for _ in 0..channels {
                w.write_sample((s * 32767.0) as i16).unwrap();
            }
        }
        w.finalize().unwrap();
        crate::assemble::music::decode(&path).unwrap()
    }

    #[test]
    fn intro_and_outro_sit_three_lu_under_the_speech_with_their_fades() {
        let dir = tempfile::tempdir().unwrap();
        let intro = tone(dir.path(), "intro.wav", 4.0, 0.05, 2);
        let outro = tone(dir.path(), "outro.wav", 5.0, 0.9, 1);
        let music = PreviewMusic::new(
            &MusicFiles {
                intro: Some(&intro),
                outro: Some(&outro),
                ..MusicFiles::default()
            },
            RATE,
            Some(-19.0),
        )
        .unwrap();
        let intro = music.intro.unwrap();
        let outro = music.outro.unwrap();
        assert_eq!(intro.len(), 4 * RATE as usize);
        // Measured away from the fades, both come out 3 LU under the speech.
        for m in [
            &intro[RATE as usize / 2..2 * RATE as usize],
            &outro[RATE as usize / 2..2 * RATE as usize],
        ] {
            let lufs = loudness(m, RATE);
            assert!((lufs - -22.0).abs() < 0.3, "{lufs}");
        }
        assert_eq!(intro[0], 0.0, "faded in");
        assert!(intro.last().unwrap().abs() < 1e-3, "faded out");
        assert!(music.bed.is_none());
    }

    #[test]
    fn the_bed_loops_under_the_speech_ducked_while_it_speaks() {
        let dir = tempfile::tempdir().unwrap();
        let bed = tone(dir.path(), "bed.wav", 0.5, 0.5, 1);
        let music = PreviewMusic::new(
            &MusicFiles {
                bed: Some(&bed),
                bed_level_db: -18.0,
                duck_db: 12.0,
                ..MusicFiles::default()
            },
            RATE,
            Some(-19.0),
        )
        .unwrap();
        let mut bed = music.bed.unwrap();
        let rms = |s: &[f32]| (s.iter().map(|x| x * x).sum::<f32>() / s.len() as f32).sqrt();
        // Past the fade-in: a second of speech (silent here), then four of pause.
        let r = RATE as usize;
        let mut warm = vec![0.0; 3 * r];
        bed.mix(&mut warm, 3 * r, false);
        let mut block = vec![0.0; 5 * r];
        bed.mix(&mut block, r, false);
        let under = rms(&block[r / 2..r]);
        let free = rms(&block[4 * r..]);
        let ducked_db = 20.0 * (under / free).log10();
        assert!((ducked_db - -12.0).abs() < 0.5, "{ducked_db}");
        // Free of speech, it sits at its level: -19 - 18 = -37 LUFS.
        let lufs = loudness(&block[4 * r..], RATE);
        assert!((lufs - -37.0).abs() < 0.7, "{lufs}");
        // It loops: a block many times its length has no silent stretch.
        assert!(block.chunks(RATE as usize / 10).all(|c| rms(c) > 0.0));
        // The last block fades out to nothing.
        let mut end = vec![0.0; 3 * RATE as usize];
        bed.mix(&mut end, 0, true);
        assert!(end.last().unwrap().abs() < 1e-4);
        // A seek brings it back in from silence.
        bed.restart();
        let mut again = vec![0.0; 100];
        bed.mix(&mut again, 0, false);
        assert!(again[0].abs() < 1e-3);
    }
}
