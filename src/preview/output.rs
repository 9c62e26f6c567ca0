//! Where preview audio goes: a small trait the player feeds, with a WAV file that
//! writes exactly what would have played (`preview --out`) and a recorder for tests.
//! The sound device (rodio) is in [`super::device`], behind the `preview` feature.

use std::path::Path;

use crate::atomic::AtomicFile;
use crate::output::sink::Dither;
use crate::output::OutputError;

/// A destination for mono samples at one rate, played as they are queued.
pub trait AudioOut {
    /// The rate it plays at.
    fn sample_rate(&self) -> u32;
    /// Queues samples to play after what is queued.
    fn queue(&mut self, samples: &[f32]) -> std::io::Result<()>;
    /// Frames queued and not played yet (a file plays them at once: 0).
    fn pending(&self) -> u64;
    /// Frames played since the start (or since the last [`AudioOut::clear`]: the
    /// count goes on, cleared audio is simply never counted).
    fn played(&self) -> u64;
    /// Drops what is queued and not played (a seek).
    fn clear(&mut self);
    /// Pauses or resumes.
    fn set_paused(&mut self, paused: bool);
    /// Plays out what is queued and completes the destination.
    fn finish(&mut self) -> std::io::Result<()>;
}

/// A 16-bit mono WAV of what the preview plays, written to a temporary file and renamed
/// into place by [`WavOut::commit`].
pub struct WavOut {
    writer: Option<hound::WavWriter<std::io::BufWriter<std::fs::File>>>,
    file: Option<AtomicFile>,
    rate: u32,
    written: u64,
    dither: Dither,
}

impl WavOut {
    /// Starts `path` at `rate`.
    pub fn create(path: &Path, rate: u32) -> Result<WavOut, OutputError> {
        let file = AtomicFile::create(path)?;
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let handle = file.file().try_clone().map_err(|source| OutputError {
            path: path.to_path_buf(),
            source,
        })?;
        let writer = hound::WavWriter::new(std::io::BufWriter::new(handle), spec).map_err(|e| {
            OutputError {
                path: path.to_path_buf(),
                source: std::io::Error::other(e),
            }
        })?;
        Ok(WavOut {
            writer: Some(writer),
            file: Some(file),
            rate,
            written: 0,
            dither: Dither::new(),
        })
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.written
    }

    /// Completes the WAV and renames it into place.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let file = self.file.take().expect("committed once");
        let path = file.path().to_path_buf();
        self.finish()
            .map_err(|source| OutputError { path, source })?;
        file.commit()
    }
}

impl AudioOut for WavOut {
    fn sample_rate(&self) -> u32 {
        self.rate
    }

    fn queue(&mut self, samples: &[f32]) -> std::io::Result<()> {
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| std::io::Error::other("the WAV is finished"))?;
        let mut block = writer.get_i16_writer(samples.len() as u32);
        for &s in samples {
            block.write_sample(self.dither.to_i16(s));
        }
        block.flush().map_err(std::io::Error::other)?;
        self.written += samples.len() as u64;
        Ok(())
    }

    fn pending(&self) -> u64 {
        0
    }

    fn played(&self) -> u64 {
        self.written
    }

    fn clear(&mut self) {}

    fn set_paused(&mut self, _paused: bool) {}

    fn finish(&mut self) -> std::io::Result<()> {
        match self.writer.take() {
            Some(w) => w.finalize().map_err(std::io::Error::other),
            None => Ok(()),
        }
    }
}

/// Records what it is given, for tests: every queued block and every call, playing
/// `speed` frames per [`Recorder::tick`] when driven by hand, or at once.
#[derive(Debug, Default)]
pub struct Recorder {
    /// The rate it claims.
    pub rate: u32,
    /// Everything queued and not cleared, in order.
    pub samples: Vec<f32>,
    /// Every call, in order: `queue N`, `clear`, `pause`, `resume`, `finish`.
    pub calls: Vec<String>,
    /// Frames queued, not yet played.
    pub queued: u64,
    /// Frames played.
    pub played_frames: u64,
    /// Whether it plays everything at once (like a file).
    pub instant: bool,
    /// Paused.
    pub paused: bool,
}

impl Recorder {
    /// A recorder at `rate` that plays everything at once.
    pub fn instant(rate: u32) -> Recorder {
        Recorder {
            rate,
            instant: true,
            ..Recorder::default()
        }
    }

    /// Plays `frames` of what is queued (unless paused).
    pub fn tick(&mut self, frames: u64) {
        if !self.paused {
            let n = frames.min(self.queued);
            self.queued -= n;
            self.played_frames += n;
        }
    }
}

impl AudioOut for Recorder {
    fn sample_rate(&self) -> u32 {
        self.rate
    }

    fn queue(&mut self, samples: &[f32]) -> std::io::Result<()> {
        self.calls.push(format!("queue {}", samples.len()));
        self.samples.extend_from_slice(samples);
        if self.instant {
            self.played_frames += samples.len() as u64;
        } else {
            self.queued += samples.len() as u64;
        }
        Ok(())
    }

    fn pending(&self) -> u64 {
        self.queued
    }

    fn played(&self) -> u64 {
        self.played_frames
    }

    fn clear(&mut self) {
        self.calls.push("clear".into());
        let keep = self.samples.len() - self.queued as usize;
        self.samples.truncate(keep);
        self.queued = 0;
    }

    fn set_paused(&mut self, paused: bool) {
        self.calls
            .push(if paused { "pause" } else { "resume" }.to_string());
        self.paused = paused;
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.calls.push("finish".into());
        self.played_frames += self.queued;
        self.queued = 0;
        Ok(())
    }
}
