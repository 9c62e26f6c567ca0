//! The clip store: speech clips prepared for the mix (trimmed, resampled to the episode
//! rate) and spilled to disk, so that an episode of any length is assembled and encoded
//! with memory bounded by one block, not by its duration.
//!
//! Files are raw little-endian `f32` samples, interleaved when there are several
//! channels, in a private temporary folder removed when the store is dropped.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::{resample, trim, AssembleError};
use crate::clip::Clip;

/// A temporary folder of prepared audio.
#[derive(Debug)]
pub struct ClipStore {
    dir: crate::cancel::ScratchDir,
    sample_rate: u32,
}

/// A prepared speech clip on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredClip {
    /// The raw `f32` file.
    pub path: PathBuf,
    /// Its length in frames (mono samples).
    pub frames: u64,
}

impl ClipStore {
    /// A new store for clips at `sample_rate`, in the system temporary folder.
    pub fn new(sample_rate: u32) -> Result<ClipStore, AssembleError> {
        let dir = crate::cancel::ScratchDir::new().map_err(|source| AssembleError::Spill {
            path: std::env::temp_dir(),
            source,
        })?;
        Ok(ClipStore { dir, sample_rate })
    }

    /// The episode sample rate clips are prepared for.
    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    /// The store's folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Trims the engine's silence from `clip`, resamples it to the store's rate and
    /// writes it to disk. Safe to call from several threads at once.
    pub fn prepare(&self, index: usize, clip: &Clip) -> Result<StoredClip, AssembleError> {
        let audio = trimmed_at(index, clip, self.sample_rate)?;
        let path = self.dir.path().join(format!("clip-{index:06}.f32"));
        write_raw(&path, &audio)?;
        Ok(StoredClip {
            path,
            frames: audio.len() as u64,
        })
    }

    /// A path for another spilled file (decoded music), inside the store.
    pub fn spill_path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

/// Chunk `index`'s clip as the episode places it: the engine's silence trimmed,
/// resampled to `rate`. The preview plays exactly this too.
pub fn trimmed_at(index: usize, clip: &Clip, rate: u32) -> Result<Vec<f32>, AssembleError> {
    let trimmed = trim::trim_silence(&clip.samples, clip.sample_rate);
    resample::resample(trimmed, clip.sample_rate, rate).map_err(|message| AssembleError::Resample {
        chunk: index,
        from: clip.sample_rate,
        to: rate,
        message,
    })
}

/// Writes samples as raw little-endian `f32`.
pub fn write_raw(path: &Path, samples: &[f32]) -> Result<(), AssembleError> {
    let spill = |source| AssembleError::Spill {
        path: path.to_path_buf(),
        source,
    };
    let mut w = BufWriter::new(File::create(path).map_err(spill)?);
    for s in samples {
        w.write_all(&s.to_le_bytes()).map_err(spill)?;
    }
    w.flush().map_err(spill)
}

/// Sequential reader of a raw `f32` file.
#[derive(Debug)]
pub struct RawReader {
    // Reads come in blocks of thousands of samples: a buffer in between would only add
    // a copy.
    inner: File,
    path: PathBuf,
    bytes: Vec<u8>,
}

impl RawReader {
    /// Opens `path` for reading.
    pub fn open(path: &Path) -> std::io::Result<RawReader> {
        Ok(RawReader {
            inner: File::open(path)?,
            path: path.to_path_buf(),
            bytes: Vec::new(),
        })
    }

    /// Fills `out` with the next samples; fewer only at the end of the file.
    pub fn read(&mut self, out: &mut [f32]) -> std::io::Result<usize> {
        self.bytes.resize(out.len() * 4, 0);
        let mut filled = 0;
        while filled < self.bytes.len() {
            let n = self.inner.read(&mut self.bytes[filled..])?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        let samples = filled / 4;
        for (o, b) in out
            .iter_mut()
            .zip(self.bytes[..samples * 4].chunks_exact(4))
        {
            *o = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        Ok(samples)
    }

    /// Moves to sample `index`.
    pub fn seek_sample(&mut self, index: u64) -> std::io::Result<()> {
        self.inner.seek(SeekFrom::Start(index * 4)).map(|_| ())
    }

    /// The file read.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_trims_resamples_and_reads_back() {
        let store = ClipStore::new(44100).unwrap();
        let mut samples = vec![0.0f32; 2205];
        samples.extend((0..22050).map(|i| (i as f32 * 0.05).sin() * 0.5));
        samples.extend(vec![0.0f32; 2205]);
        let stored = store
            .prepare(
                3,
                &Clip {
                    samples,
                    sample_rate: 22050,
                },
            )
            .unwrap();
        // One second of sound plus two 15 ms margins, at twice the rate.
        assert!(
            (stored.frames as i64 - (44100 + 2 * 662)).abs() <= 20,
            "{}",
            stored.frames
        );
        let mut reader = RawReader::open(&stored.path).unwrap();
        let mut buf = vec![0.0; stored.frames as usize + 10];
        assert_eq!(reader.read(&mut buf).unwrap() as u64, stored.frames);
    }
}
