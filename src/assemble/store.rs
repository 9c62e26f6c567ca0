//! The clip store: speech clips prepared for the mix (trimmed, resampled to the episode
//! rate) and spilled to disk, so that an episode of any length is assembled and encoded
//! with memory bounded by one block, not by its duration.
//!
//! Files are raw little-endian `f32` samples, interleaved when there are several
//! channels, in a private temporary folder removed when the store is dropped. Speech
//! clips all go into one file, each at the place it reserved as it was prepared: a file
//! per clip cost a tenth of a warm render in creating and deleting them.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{resample, trim, AssembleError};
use crate::clip::Clip;

/// A temporary folder of prepared audio.
#[derive(Debug)]
pub struct ClipStore {
    dir: crate::cancel::ScratchDir,
    sample_rate: u32,
    /// The file every speech clip goes into, its path, and the samples reserved in it.
    clips: File,
    clips_path: PathBuf,
    reserved: AtomicU64,
}

/// A prepared speech clip on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredClip {
    /// The raw `f32` file that holds it.
    pub path: PathBuf,
    /// Where in that file it begins, in samples.
    pub offset: u64,
    /// Its length in frames (mono samples).
    pub frames: u64,
}

impl StoredClip {
    /// A clip that is a whole file of its own.
    pub fn whole_file(path: PathBuf, frames: u64) -> StoredClip {
        StoredClip {
            path,
            offset: 0,
            frames,
        }
    }

    /// A reader of its samples, and of nothing past them.
    pub fn reader(&self) -> std::io::Result<RawReader> {
        RawReader::span(&self.path, self.offset, self.frames)
    }
}

impl ClipStore {
    /// A new store for clips at `sample_rate`, in the system temporary folder.
    pub fn new(sample_rate: u32) -> Result<ClipStore, AssembleError> {
        let dir = crate::cancel::ScratchDir::new().map_err(|source| AssembleError::Spill {
            path: std::env::temp_dir(),
            source,
        })?;
        let clips_path = dir.path().join("clips.f32");
        let clips = File::create(&clips_path).map_err(|source| AssembleError::Spill {
            path: clips_path.clone(),
            source,
        })?;
        Ok(ClipStore {
            dir,
            sample_rate,
            clips,
            clips_path,
            reserved: AtomicU64::new(0),
        })
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
        let frames = audio.len() as u64;
        // Each clip reserves its stretch of the file, so threads write side by side.
        let offset = self.reserved.fetch_add(frames, Ordering::Relaxed);
        let bytes: Vec<u8> = audio.iter().flat_map(|s| s.to_le_bytes()).collect();
        write_at(&self.clips, &bytes, offset * 4).map_err(|source| AssembleError::Spill {
            path: self.clips_path.clone(),
            source,
        })?;
        Ok(StoredClip {
            path: self.clips_path.clone(),
            offset,
            frames,
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

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.write_all_at(bytes, offset)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        let n = file.seek_write(bytes, offset)?;
        bytes = &bytes[n..];
        offset += n as u64;
    }
    Ok(())
}

/// Sequential reader of a raw `f32` file, or of a stretch of one.
#[derive(Debug)]
pub struct RawReader {
    // Reads come in blocks of thousands of samples: a buffer in between would only add
    // a copy.
    inner: File,
    path: PathBuf,
    bytes: Vec<u8>,
    /// The first sample of the stretch read, and the samples after it not yet read.
    start: u64,
    left: u64,
}

impl RawReader {
    /// Opens `path` for reading, to its end.
    pub fn open(path: &Path) -> std::io::Result<RawReader> {
        RawReader::span(path, 0, u64::MAX)
    }

    /// Opens the `samples` samples of `path` from sample `offset` on.
    pub fn span(path: &Path, offset: u64, samples: u64) -> std::io::Result<RawReader> {
        let mut inner = File::open(path)?;
        if offset > 0 {
            inner.seek(SeekFrom::Start(offset * 4))?;
        }
        Ok(RawReader {
            inner,
            path: path.to_path_buf(),
            bytes: Vec::new(),
            start: offset,
            left: samples,
        })
    }

    /// Fills `out` with the next samples; fewer only at the end of the stretch.
    pub fn read(&mut self, out: &mut [f32]) -> std::io::Result<usize> {
        let wanted = (out.len() as u64).min(self.left) as usize;
        let out = &mut out[..wanted];
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
        self.left -= samples as u64;
        Ok(samples)
    }

    /// Moves to sample `index` of the file (only for a reader of a whole file: a
    /// stretch's end stays where it was).
    pub fn seek_sample(&mut self, index: u64) -> std::io::Result<()> {
        self.inner
            .seek(SeekFrom::Start((self.start + index) * 4))
            .map(|_| ())
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
        let mut reader = stored.reader().unwrap();
        let mut buf = vec![0.0; stored.frames as usize + 10];
        assert_eq!(reader.read(&mut buf).unwrap() as u64, stored.frames);
    }

    #[test]
    fn clips_prepared_side_by_side_read_back_apart() {
        let store = ClipStore::new(8000).unwrap();
        let tone = |amp: f32| Clip {
            samples: (0..4000).map(|i| (i as f32 * 0.1).sin() * amp).collect(),
            sample_rate: 8000,
        };
        let clips: Vec<(f32, StoredClip)> = [0.1f32, 0.2, 0.4]
            .iter()
            .enumerate()
            .map(|(i, &amp)| (amp, store.prepare(i, &tone(amp)).unwrap()))
            .collect();
        assert!(clips.iter().all(|(_, c)| c.path == clips[0].1.path));
        for (amp, clip) in &clips {
            let mut buf = vec![0.0; clip.frames as usize + 100];
            let got = clip.reader().unwrap().read(&mut buf).unwrap();
            assert_eq!(got as u64, clip.frames, "no more than the clip");
            let peak = buf[..got].iter().fold(0f32, |m, s| m.max(s.abs()));
            assert!((peak - amp).abs() < 0.01, "{peak} for {amp}");
        }
    }
}
