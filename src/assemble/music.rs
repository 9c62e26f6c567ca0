//! Music for intros, outros and beds: decoded with symphonia (WAV, MP3, FLAC, Ogg Vorbis,
//! AAC/MP4), resampled to the episode rate, and spilled to the clip store so that the
//! mixer can stream it (and loop a bed) without holding it in memory.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::resample;
use super::store::ClipStore;

/// Longest music file articast decodes, in seconds. Music is decoded in memory before it
/// is resampled and spilled, so this bounds memory too (15 minutes of 48 kHz stereo is
/// about 350 MB); intros, outros and beds are a few minutes at most, and a bed loops.
pub const MAX_MUSIC_SECS: f64 = 900.0;

/// Why a music file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum MusicError {
    /// The file could not be read.
    #[error("cannot read music file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not audio symphonia can decode.
    #[error("cannot decode music file {path}: {message}; use WAV, MP3, FLAC, Ogg Vorbis or AAC")]
    Decode {
        /// The file.
        path: PathBuf,
        /// What the decoder said.
        message: String,
    },
    /// The file is too long or empty.
    #[error("music file {path}: {message}")]
    Unusable {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// A music file decoded to the episode's rate, on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct MusicTrack {
    /// The source file, for messages.
    pub source: PathBuf,
    /// Raw interleaved `f32` at the episode rate.
    pub path: PathBuf,
    /// Length in frames.
    pub frames: u64,
    /// Channels in the raw file (1 or 2).
    pub channels: u16,
    /// Its integrated loudness as spilled, LUFS (−70 when silent), so that mastering
    /// can set it against the speech.
    pub lufs: f64,
}

/// A music file decoded in memory: planar channels (one or two) and their rate.
pub struct Decoded {
    source: PathBuf,
    channels: Vec<Vec<f32>>,
    rate: u32,
}

impl Decoded {
    /// Channels after folding: 1 or 2.
    pub fn channels(&self) -> u16 {
        self.channels.len() as u16
    }

    /// The file it came from.
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// Each channel resampled to `rate`.
    fn resampled(&self, rate: u32) -> Result<Vec<Vec<f32>>, MusicError> {
        self.channels
            .iter()
            .map(|c| resample::resample(c, self.rate, rate))
            .collect::<Result<_, _>>()
            .map_err(|message| MusicError::Decode {
                path: self.source.clone(),
                message,
            })
    }

    /// The music as one channel (the channels averaged) at `rate`, in memory.
    pub fn mono_at(&self, rate: u32) -> Result<Vec<f32>, MusicError> {
        let channels = self.resampled(rate)?;
        let n = channels.len() as f32;
        Ok((0..channels[0].len())
            .map(|i| channels.iter().map(|c| c[i]).sum::<f32>() / n)
            .collect())
    }
}

/// Decodes a music file, so that a bad file is refused before any synthesis.
pub fn decode(path: &Path) -> Result<Decoded, MusicError> {
    let mut channels: Vec<Vec<f32>> = Vec::new();
    let mut rate = 0;
    for_each_block(path, |block, n_channels, block_rate| {
        rate = block_rate;
        if channels.is_empty() {
            channels = vec![Vec::new(); n_channels.min(2)];
        }
        for frame in block.chunks_exact(n_channels) {
            // More than two channels are folded into stereo (or mono).
            for (c, out) in channels.iter_mut().enumerate() {
                out.push(frame[c.min(n_channels - 1)]);
            }
        }
        let secs = channels[0].len() as f64 / rate.max(1) as f64;
        if secs > MAX_MUSIC_SECS {
            return Err(MusicError::Unusable {
                path: path.to_path_buf(),
                message: format!(
                    "longer than {} minutes; trim it first",
                    MAX_MUSIC_SECS / 60.0
                ),
            });
        }
        Ok(())
    })?;
    if channels.first().is_none_or(|c| c.is_empty()) || rate == 0 {
        return Err(MusicError::Unusable {
            path: path.to_path_buf(),
            message: "it holds no audio".into(),
        });
    }
    Ok(Decoded {
        source: path.to_path_buf(),
        channels,
        rate,
    })
}

/// Decodes an audio file block by block: `visit` gets interleaved samples, the channel
/// count and the sample rate. Used for music and to measure encoded episodes.
pub fn for_each_block(
    path: &Path,
    visit: impl FnMut(&[f32], usize, u32) -> Result<(), MusicError>,
) -> Result<(), MusicError> {
    let file = File::open(path).map_err(|source| MusicError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    crate::decode::for_each_block(
        Box::new(file),
        path.extension().and_then(|e| e.to_str()),
        visit,
        |message| MusicError::Decode {
            path: path.to_path_buf(),
            message,
        },
    )
}

/// Resamples decoded music to the store's rate, converts it to `channels` and spills it
/// to the store under `name`.
pub fn spill(
    decoded: &Decoded,
    store: &ClipStore,
    channels: u16,
    name: &str,
) -> Result<MusicTrack, MusicError> {
    let resampled = decoded.resampled(store.sample_rate())?;
    let frames = resampled[0].len();
    let out = store.spill_path(name);
    let write_err = |source| MusicError::Read {
        path: out.clone(),
        source,
    };
    let mut w = BufWriter::new(File::create(&out).map_err(write_err)?);
    let mut meter = crate::meter::BinMeter::new(channels, store.sample_rate(), 0);
    let mut frame = Vec::with_capacity(channels as usize);
    for i in 0..frames {
        frame.clear();
        let mono_mix = || resampled.iter().map(|c| c[i]).sum::<f32>() / resampled.len() as f32;
        for c in 0..channels as usize {
            let s = match (channels, resampled.len()) {
                (1, _) => mono_mix(),
                (_, 1) => resampled[0][i],
                _ => resampled[c.min(1)][i],
            };
            w.write_all(&s.to_le_bytes()).map_err(write_err)?;
            frame.push(s);
        }
        meter.add(&frame);
    }
    w.flush().map_err(write_err)?;
    Ok(MusicTrack {
        source: decoded.source.clone(),
        path: out,
        frames: frames as u64,
        channels,
        lufs: crate::meter::integrated_lufs(&meter.finish(), store.sample_rate()),
    })
}
