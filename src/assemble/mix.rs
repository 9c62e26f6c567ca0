//! The mixer: streams an [`Episode`] as interleaved blocks of frames, reading speech
//! clips and music from the clip store as it goes, so that only one block is in memory.
//!
//! Speech is mono and sits in the centre of a stereo mix. Intro and outro fade in and
//! out; the bed loops under the speech at its level, fades in and out, and is ducked
//! while speech plays (fast attack, slow release, so that it does not pump between
//! sentences).

use super::store::RawReader;
use super::{AssembleError, Episode};

/// Frames per block.
pub const BLOCK_FRAMES: usize = 4096;
/// Ducking attack and release, in seconds.
pub(crate) const DUCK_ATTACK_SECS: f32 = 0.05;
pub(crate) const DUCK_RELEASE_SECS: f32 = 0.6;

/// Streams an episode's samples.
pub struct Mixer<'a> {
    episode: &'a Episode,
    pos: u64,
    next_clip: usize,
    clip_reader: Option<RawReader>,
    music_readers: Vec<Option<RawReader>>,
    bed_reader: Option<(RawReader, u64)>,
    duck_env: f32,
    attack: f32,
    release: f32,
    speech: Vec<f32>,
    active: Vec<bool>,
    scratch: Vec<f32>,
    levels: MixLevels,
}

/// Gains the mixer applies to each source, linear: mastering levels speech and music
/// against each other before the dynamics see the sum.
#[derive(Debug, Clone, PartialEq)]
pub struct MixLevels {
    /// Speech.
    pub speech: f32,
    /// Each intro or outro, in the episode's order.
    pub music: Vec<f32>,
    /// The bed (on top of its own relative level).
    pub bed: f32,
}

impl MixLevels {
    /// Every source as it is.
    pub fn unity(episode: &Episode) -> MixLevels {
        MixLevels {
            speech: 1.0,
            music: vec![1.0; episode.music.len()],
            bed: 1.0,
        }
    }
}

fn spill_err(path: &std::path::Path, source: std::io::Error) -> AssembleError {
    AssembleError::Spill {
        path: path.to_path_buf(),
        source,
    }
}

/// A gain ramp: 0 to 1 over `fade_in` frames from the start, 1 to 0 over `fade_out`
/// frames before `len`.
pub fn fade_gain(i: u64, len: u64, fade_in: u64, fade_out: u64) -> f32 {
    let mut g = 1.0;
    if fade_in > 0 && i < fade_in {
        g *= i as f32 / fade_in as f32;
    }
    if fade_out > 0 && i + fade_out > len {
        g *= len.saturating_sub(i) as f32 / fade_out as f32;
    }
    g
}

impl<'a> Mixer<'a> {
    /// A mixer at the start of `episode`, every source at its own level.
    pub fn new(episode: &'a Episode) -> Mixer<'a> {
        Mixer::with_levels(episode, MixLevels::unity(episode))
    }

    /// A mixer at the start of `episode`, with `levels` applied to its sources.
    pub fn with_levels(episode: &'a Episode, levels: MixLevels) -> Mixer<'a> {
        let coeff = |secs: f32| 1.0 - (-1.0 / (secs * episode.sample_rate as f32)).exp();
        Mixer {
            episode,
            pos: 0,
            next_clip: 0,
            clip_reader: None,
            music_readers: episode.music.iter().map(|_| None).collect(),
            bed_reader: None,
            duck_env: 1.0,
            attack: coeff(DUCK_ATTACK_SECS),
            release: coeff(DUCK_RELEASE_SECS),
            speech: Vec::new(),
            active: Vec::new(),
            scratch: Vec::new(),
            levels,
        }
    }

    /// Fills `out` with the next block, interleaved; returns the number of frames, 0 at
    /// the end of the episode.
    pub fn next_block(&mut self, out: &mut Vec<f32>) -> Result<usize, AssembleError> {
        let ep = self.episode;
        let channels = ep.channels as usize;
        let n = (ep.frames - self.pos).min(BLOCK_FRAMES as u64) as usize;
        out.clear();
        if n == 0 {
            return Ok(0);
        }
        out.resize(n * channels, 0.0);
        self.speech.clear();
        self.speech.resize(n, 0.0);
        self.active.clear();
        self.active.resize(n, false);
        self.mix_speech(n)?;
        let speech_gain = self.levels.speech;
        for (i, s) in self.speech.iter().enumerate() {
            for c in 0..channels {
                out[i * channels + c] = *s * speech_gain;
            }
        }
        self.mix_music(n, out)?;
        self.mix_bed(n, out)?;
        self.pos += n as u64;
        Ok(n)
    }

    fn mix_speech(&mut self, n: usize) -> Result<(), AssembleError> {
        let (p, end) = (self.pos, self.pos + n as u64);
        while let Some(placed) = self.episode.speech.get(self.next_clip) {
            let (c_start, c_end) = (placed.start, placed.start + placed.clip.frames);
            if c_start >= end {
                break;
            }
            let from = c_start.max(p);
            let to = c_end.min(end);
            if from < to {
                if self.clip_reader.is_none() {
                    let reader = placed
                        .clip
                        .reader()
                        .map_err(|e| spill_err(&placed.clip.path, e))?;
                    self.clip_reader = Some(reader);
                }
                let reader = self.clip_reader.as_mut().expect("opened above");
                let dst = &mut self.speech[(from - p) as usize..(to - p) as usize];
                reader
                    .read(dst)
                    .map_err(|e| spill_err(&placed.clip.path, e))?;
                self.active[(from - p) as usize..(to - p) as usize].fill(true);
            }
            if c_end <= end {
                self.next_clip += 1;
                self.clip_reader = None;
            } else {
                break;
            }
        }
        Ok(())
    }

    fn mix_music(&mut self, n: usize, out: &mut [f32]) -> Result<(), AssembleError> {
        let channels = self.episode.channels as usize;
        let (p, end) = (self.pos, self.pos + n as u64);
        for (k, placed) in self.episode.music.iter().enumerate() {
            let (m_start, m_end) = (placed.start, placed.start + placed.track.frames);
            let from = m_start.max(p);
            let to = m_end.min(end);
            if from >= to {
                continue;
            }
            if self.music_readers[k].is_none() {
                let reader = RawReader::open(&placed.track.path)
                    .map_err(|e| spill_err(&placed.track.path, e))?;
                self.music_readers[k] = Some(reader);
            }
            let reader = self.music_readers[k].as_mut().expect("opened above");
            let frames = (to - from) as usize;
            self.scratch.resize(frames * channels, 0.0);
            reader
                .read(&mut self.scratch)
                .map_err(|e| spill_err(&placed.track.path, e))?;
            let level = self.levels.music.get(k).copied().unwrap_or(1.0);
            for f in 0..frames {
                let i = from - m_start + f as u64;
                let g = level * fade_gain(i, placed.track.frames, placed.fade_in, placed.fade_out);
                let o = (from - p) as usize + f;
                for c in 0..channels {
                    out[o * channels + c] += self.scratch[f * channels + c] * g;
                }
            }
        }
        Ok(())
    }

    fn mix_bed(&mut self, n: usize, out: &mut [f32]) -> Result<(), AssembleError> {
        let Some(bed) = &self.episode.bed else {
            return Ok(());
        };
        let channels = self.episode.channels as usize;
        let p = self.pos;
        if bed.track.frames == 0 {
            return Ok(());
        }
        // The bed's frames for this block, read in as few runs as the loop allows.
        let from = bed.start.max(p).min(p + n as u64);
        let to = bed.end.min(p + n as u64).max(from);
        self.read_bed_frames((to - from) as usize)?;
        for i in 0..n {
            let frame = p + i as u64;
            // The envelope follows speech everywhere, so it is settled when the bed starts.
            let target = if self.active[i] { bed.duck } else { 1.0 };
            let coeff = if target < self.duck_env {
                self.attack
            } else {
                self.release
            };
            self.duck_env += coeff * (target - self.duck_env);
            if frame < from || frame >= to {
                continue;
            }
            let g = bed.level
                * self.levels.bed
                * self.duck_env
                * fade_gain(frame - bed.start, bed.end - bed.start, bed.fade, bed.fade);
            let b = (frame - from) as usize * channels;
            for c in 0..channels {
                out[i * channels + c] += self.scratch[b + c] * g;
            }
        }
        Ok(())
    }

    /// Reads the next `frames` frames of the looping bed into `scratch`.
    fn read_bed_frames(&mut self, frames: usize) -> Result<(), AssembleError> {
        let Some(bed) = &self.episode.bed else {
            return Ok(());
        };
        let channels = self.episode.channels as usize;
        let err = |e| spill_err(&bed.track.path, e);
        self.scratch.clear();
        self.scratch.resize(frames * channels, 0.0);
        if frames == 0 {
            return Ok(());
        }
        if self.bed_reader.is_none() {
            self.bed_reader = Some((RawReader::open(&bed.track.path).map_err(err)?, 0));
        }
        let (reader, offset) = self.bed_reader.as_mut().expect("opened above");
        let mut done = 0;
        while done < frames {
            if *offset == bed.track.frames {
                reader.seek_sample(0).map_err(err)?;
                *offset = 0;
            }
            let run = (frames - done).min((bed.track.frames - *offset) as usize);
            reader
                .read(&mut self.scratch[done * channels..(done + run) * channels])
                .map_err(err)?;
            *offset += run as u64;
            done += run;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::store::{write_raw, ClipStore, StoredClip};
    use super::super::{music::MusicTrack, Episode, EpisodeMeta, PlacedBed, PlacedClip};
    use super::*;

    fn episode(store: &ClipStore, bed: bool) -> Episode {
        let clip_path = store.spill_path("c.f32");
        write_raw(&clip_path, &vec![0.5; 1000]).unwrap();
        let bed_path = store.spill_path("b.f32");
        write_raw(&bed_path, &vec![0.25; 300]).unwrap();
        Episode {
            sample_rate: 8000,
            channels: 1,
            frames: 10_000,
            speech: vec![PlacedClip {
                start: 5000,
                clip: StoredClip::whole_file(clip_path, 1000),
            }],
            music: vec![],
            bed: bed.then(|| PlacedBed {
                start: 0,
                end: 10_000,
                track: MusicTrack {
                    source: "b".into(),
                    path: bed_path,
                    frames: 300,
                    channels: 1,
                    lufs: -20.0,
                },
                level: 1.0,
                duck: 0.1,
                fade: 0,
            }),
            cues: vec![],
            chapters: vec![],
            meta: EpisodeMeta::default(),
        }
    }

    fn all_samples(ep: &Episode) -> Vec<f32> {
        let mut mixer = Mixer::new(ep);
        let mut out = Vec::new();
        let mut block = Vec::new();
        while mixer.next_block(&mut block).unwrap() > 0 {
            out.extend_from_slice(&block);
        }
        out
    }

    #[test]
    fn speech_lands_at_its_frame() {
        let store = ClipStore::new(8000).unwrap();
        let s = all_samples(&episode(&store, false));
        assert_eq!(s.len(), 10_000);
        assert_eq!(s[4999], 0.0);
        assert_eq!(s[5000], 0.5);
        assert_eq!(s[5999], 0.5);
        assert_eq!(s[6000], 0.0);
    }

    #[test]
    fn bed_loops_and_ducks_under_speech() {
        let store = ClipStore::new(8000).unwrap();
        let s = all_samples(&episode(&store, true));
        // Before speech, the bed at full level (it loops past its 300 frames).
        assert!((s[4000] - 0.25).abs() < 1e-6, "{}", s[4000]);
        // 110 ms into the speech (attack 50 ms), ducked most of the way to a tenth.
        assert!(
            s[5900] > 0.5 + 0.025 && s[5900] < 0.5 + 0.25 * 0.25,
            "{}",
            s[5900]
        );
        // Released slowly afterwards: still below full level 100 ms later.
        assert!(s[6800] < 0.24 && s[6800] > 0.025, "{}", s[6800]);
    }
}
