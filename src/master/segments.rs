//! The episode cut into stretches that can be mastered on their own, and the mastering
//! of one stretch: gain, compressor, limiter, and the meters, with the result measured,
//! written as 16-bit PCM into the WAV file at its place, or spilled for the encoder.
//!
//! Speech clips are separated by pauses of silence, long enough for every filter and
//! envelope to come to rest, so each clip is a stretch: clips are mastered on all cores
//! at once, and the episode's loudness is the sum of their bins. An intro or an outro is
//! a stretch of its own, levelled against the speech. A bed runs under everything and
//! joins the clips together, so an episode with a bed is one stretch, mastered through
//! the mixer in order.

use std::fs::File;
use std::path::PathBuf;

use super::dynamics::{Compressor, Limiter};
use super::truepeak::TruePeak;
use crate::assemble::mix::{fade_gain, MixLevels, Mixer, BLOCK_FRAMES};
use crate::assemble::store::RawReader;
use crate::assemble::Episode;
use crate::cancel::ScratchDir;
use crate::meter::{BinMeter, EnergyBins};
use crate::output::sink::Dither;

/// Frames of look-ahead the limiter holds back.
const LOOKAHEAD_MS: f64 = 5.0;

/// A stretch of the episode mastered on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// Speech clip `n` (mono, in the centre of a stereo episode).
    Clip(usize),
    /// Intro or outro `n`.
    Music(usize),
    /// The whole episode through the mixer (when a bed joins everything).
    Whole,
}

impl Segment {
    /// The stretches of `episode`: every clip and every music track, or the whole
    /// episode when it has a bed.
    pub fn plan(episode: &Episode) -> Vec<Segment> {
        if episode.bed.is_some() {
            return vec![Segment::Whole];
        }
        (0..episode.speech.len())
            .map(Segment::Clip)
            .chain((0..episode.music.len()).map(Segment::Music))
            .collect()
    }

    /// Its first frame on the timeline, and its length.
    pub fn span(self, episode: &Episode) -> (u64, u64) {
        match self {
            Segment::Clip(i) => (episode.speech[i].start, episode.speech[i].clip.frames),
            Segment::Music(i) => (episode.music[i].start, episode.music[i].track.frames),
            Segment::Whole => (0, episode.frames),
        }
    }

    /// Whether it is speech (clips are what the loudness target is about).
    pub fn is_speech(self) -> bool {
        matches!(self, Segment::Clip(_))
    }
}

/// How loud each source is made, and where the peaks stop.
#[derive(Debug, Clone, PartialEq)]
pub struct Levels {
    /// Gain on speech, dB.
    pub speech_db: f64,
    /// Gain on each intro or outro, dB.
    pub music_db: Vec<f64>,
    /// Gain on the bed on top of its relative level, dB.
    pub bed_db: f64,
    /// The sample ceiling the limiter holds, dBFS.
    pub ceiling_db: f64,
    /// Whether the compressor works on speech (it does when loudness is normalized).
    pub compress: bool,
    /// Gain only, no compressor or limiter: measuring the audio as it is.
    pub bypass: bool,
}

/// What mastering a stretch measured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// K-weighted energy, in bins of the timeline.
    pub bins: EnergyBins,
    /// True peak, linear.
    pub true_peak: f32,
    /// The compressor's deepest reduction, as a gain.
    pub compressor_min: f32,
    /// The limiter's deepest reduction, as a gain.
    pub limiter_min: f32,
    /// Frames where the limiter took more than 1 dB.
    pub limited_frames: u64,
    /// Frames mastered.
    pub frames: u64,
}

/// The file mastered stretches are spilled into for the encoder, each stretch at a
/// place of its own (interleaved `f32` at the episode's channels), so that stretches
/// mastered on different threads are written side by side, and no file is made for
/// each.
pub struct Spill {
    path: PathBuf,
    file: File,
    /// Where each stretch begins, in samples.
    offsets: Vec<u64>,
    /// The private folder that holds the file, removed (after the file is closed) when
    /// the spill is dropped.
    _dir: ScratchDir,
}

impl Spill {
    /// A spill file, in a private temporary folder, for `stretches` of `episode`.
    pub fn create(episode: &Episode, stretches: &[Segment]) -> std::io::Result<Spill> {
        let dir = ScratchDir::new()?;
        let path = dir.path().join("mastered.f32");
        let file = File::create(&path)?;
        let channels = episode.channels as u64;
        let offsets = stretches
            .iter()
            .scan(0u64, |at, s| {
                let offset = *at;
                *at += s.span(episode).1 * channels;
                Some(offset)
            })
            .collect();
        Ok(Spill {
            path,
            file,
            offsets,
            _dir: dir,
        })
    }

    /// A reader of stretch `index`'s `samples` samples.
    pub fn reader(&self, index: usize, samples: u64) -> std::io::Result<RawReader> {
        RawReader::span(&self.path, self.offsets[index], samples)
    }
}

/// Where a mastered stretch goes.
pub enum Destination<'a> {
    /// Nowhere: only measured.
    Measure,
    /// Interleaved `f32` in the spill file, at stretch `index`'s place, for the encoder.
    Spill {
        /// The spill file.
        spill: &'a Spill,
        /// The stretch's index among those the file was made for.
        index: usize,
    },
    /// 16-bit PCM written into a WAV file's data, at the stretch's place.
    Pcm16 {
        /// The WAV file.
        file: &'a File,
        /// Where its sample data begins, in bytes.
        data_offset: u64,
    },
}

/// Reads a stretch's frames (interleaved at the episode's channels, or mono for
/// clips), with its level applied.
enum Source<'a> {
    Clip {
        reader: RawReader,
        gain: f32,
        left: u64,
    },
    Music {
        reader: RawReader,
        gain: f32,
        at: u64,
        len: u64,
        fade_in: u64,
        fade_out: u64,
        channels: usize,
    },
    Whole(Box<Mixer<'a>>),
}

fn gain(db: f64) -> f32 {
    10f64.powf(db / 20.0) as f32
}

impl<'a> Source<'a> {
    fn open(
        episode: &'a Episode,
        segment: Segment,
        levels: &Levels,
    ) -> std::io::Result<Source<'a>> {
        Ok(match segment {
            Segment::Clip(i) => {
                let clip = &episode.speech[i].clip;
                Source::Clip {
                    reader: clip.reader()?,
                    gain: gain(levels.speech_db),
                    left: clip.frames,
                }
            }
            Segment::Music(i) => {
                let placed = &episode.music[i];
                Source::Music {
                    reader: RawReader::open(&placed.track.path)?,
                    gain: gain(levels.music_db.get(i).copied().unwrap_or(0.0)),
                    at: 0,
                    len: placed.track.frames,
                    fade_in: placed.fade_in,
                    fade_out: placed.fade_out,
                    channels: episode.channels as usize,
                }
            }
            Segment::Whole => Source::Whole(Box::new(Mixer::with_levels(
                episode,
                MixLevels {
                    speech: gain(levels.speech_db),
                    music: levels.music_db.iter().map(|&d| gain(d)).collect(),
                    bed: gain(levels.bed_db),
                },
            ))),
        })
    }

    /// Fills `out` with the next block; empty at the end.
    fn next(&mut self, out: &mut Vec<f32>) -> std::io::Result<()> {
        match self {
            Source::Clip { reader, gain, left } => {
                let n = (*left).min(BLOCK_FRAMES as u64) as usize;
                out.resize(n, 0.0);
                let got = reader.read(out)?;
                out.truncate(got);
                *left -= got as u64;
                for s in out.iter_mut() {
                    *s *= *gain;
                }
            }
            Source::Music {
                reader,
                gain,
                at,
                len,
                fade_in,
                fade_out,
                channels,
            } => {
                let n = (*len - *at).min(BLOCK_FRAMES as u64) as usize;
                out.resize(n * *channels, 0.0);
                let got = reader.read(out)? / *channels;
                out.truncate(got * *channels);
                for (f, frame) in out.chunks_exact_mut(*channels).enumerate() {
                    let g = *gain * fade_gain(*at + f as u64, *len, *fade_in, *fade_out);
                    for s in frame {
                        *s *= g;
                    }
                }
                *at += got as u64;
            }
            Source::Whole(mixer) => {
                mixer
                    .next_block(out)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
            }
        }
        Ok(())
    }
}

/// Writes what a stretch produces to its destination.
enum Sink<'a> {
    Measure,
    Spill {
        file: &'a File,
        at: u64,
        bytes: Vec<u8>,
    },
    Pcm16 {
        file: &'a File,
        at: u64,
        dither: Dither,
        bytes: Vec<u8>,
    },
}

impl Sink<'_> {
    /// `frames` interleaved at `channels`; `mono` when a mono clip goes to `channels`.
    fn write(&mut self, block: &[f32], mono: bool, channels: usize) -> std::io::Result<()> {
        let copies = if mono { channels } else { 1 };
        match self {
            Sink::Measure => Ok(()),
            Sink::Spill { file, at, bytes } => {
                bytes.clear();
                for &s in block {
                    for _ in 0..copies {
                        bytes.extend_from_slice(&s.to_le_bytes());
                    }
                }
                write_at(file, bytes, *at)?;
                *at += bytes.len() as u64;
                Ok(())
            }
            Sink::Pcm16 {
                file,
                at,
                dither,
                bytes,
            } => {
                bytes.clear();
                // Both channels of centred speech get the same dithered value.
                dither.quantize(block, copies, bytes);
                write_at(file, bytes, *at)?;
                *at += bytes.len() as u64;
                Ok(())
            }
        }
    }
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

/// Masters one stretch of `episode` at `levels` into `destination`, measuring it.
pub fn master(
    episode: &Episode,
    segment: Segment,
    levels: &Levels,
    destination: Destination,
) -> std::io::Result<Outcome> {
    let channels = episode.channels as usize;
    let rate = episode.sample_rate;
    let (start, frames) = segment.span(episode);
    // Mono clips are processed as mono and spread over the channels at the end.
    let mono = matches!(segment, Segment::Clip(_));
    let work_channels = if mono { 1 } else { episode.channels };
    let mut source = Source::open(episode, segment, levels)?;
    let mut compressor =
        (levels.compress && !levels.bypass && !matches!(segment, Segment::Music(_)))
            .then(|| Compressor::new(work_channels, rate, levels.ceiling_db));
    // Bypassed, the "limiter" only delays: its ceiling is out of reach.
    let ceiling = if levels.bypass {
        60.0
    } else {
        levels.ceiling_db
    };
    let mut limiter = Limiter::new(work_channels, rate, 0.0, ceiling, LOOKAHEAD_MS);
    let mut meter = BinMeter::new(episode.channels, rate, start);
    let mut peaks: Vec<TruePeak> = (0..work_channels)
        .filter(|_| !levels.bypass)
        .map(|_| TruePeak::new(rate))
        .collect();
    let mut sink = match destination {
        Destination::Measure => Sink::Measure,
        Destination::Spill { spill, index } => Sink::Spill {
            file: &spill.file,
            at: spill.offsets[index] * 4,
            bytes: Vec::new(),
        },
        Destination::Pcm16 { file, data_offset } => Sink::Pcm16 {
            file,
            at: data_offset + start * channels as u64 * 2,
            // Seeded by the stretch's place: the same episode dithers the same way
            // whatever thread masters which stretch.
            dither: Dither::seeded(start),
            bytes: Vec::new(),
        },
    };
    let mut block = Vec::with_capacity(BLOCK_FRAMES * channels);
    let mut out = Vec::with_capacity(BLOCK_FRAMES * channels + 1024);
    let mut channel = Vec::new();
    loop {
        source.next(&mut block)?;
        let done = block.is_empty();
        if let Some(c) = compressor.as_mut() {
            c.process(&mut block);
        }
        out.clear();
        if done {
            limiter.finish(&mut out);
        } else {
            limiter.process(&block, &mut out);
        }
        if mono {
            meter.add_mono(&out);
        } else {
            meter.add(&out);
        }
        for (c, peak) in peaks.iter_mut().enumerate() {
            if work_channels == 1 {
                peak.add(&out);
                continue;
            }
            channel.clear();
            channel.extend(out.iter().skip(c).step_by(work_channels as usize));
            peak.add(&channel);
        }
        sink.write(&out, mono, channels)?;
        if done {
            break;
        }
    }
    // The filters ring for a few milliseconds into the pause that follows.
    meter.ring_out((rate / 20) as usize);
    Ok(Outcome {
        bins: meter.finish(),
        true_peak: peaks.into_iter().map(TruePeak::finish).fold(0.0, f32::max),
        compressor_min: compressor.map_or(1.0, |c| c.min_gain),
        limiter_min: limiter.min_gain,
        limited_frames: limiter.frames_over_1db,
        frames,
    })
}
