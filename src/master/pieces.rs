//! MP3 on every core. LAME is sequential, so one encoder for a three-hour episode is
//! the longest step of a render; but an episode is mostly clips with silence between
//! them, and silence can be cut. The mastered timeline is cut in pauses, on the MP3
//! frame grid, into pieces of a few minutes; each piece is encoded by its own LAME,
//! then decoded back (symphonia) and measured, on the pool; the pieces' frames are
//! joined in order behind one Info frame written for the whole stream.
//!
//! The joins are exact. LAME puts 576 samples of delay before a piece and pads its end
//! to whole frames with at least 576 samples, so a piece of `N` samples takes
//! `576 + N + padding` samples of frames. A piece that must fill `L` samples of
//! timeline (a multiple of the frame length `F`) is therefore fed its first
//! `L - 576 - F` samples only: LAME's padding and the next piece's delay stand in for
//! the silence left out, the next piece's audio lands exactly where it was, and the
//! decoded stream, trimmed by the Info frame's delay and padding as players do, has
//! the episode's length to the sample. The silence left out is checked to be silence:
//! cuts are made only where no stretch of audio lies within reach.

use std::io::{Seek, SeekFrom, Write};

use rayon::prelude::*;

use super::segments::{Segment, Spill};
use super::timeline::MasteredTimeline;
use super::truepeak::TruePeak;
use crate::assemble::Episode;
use crate::meter::{BinMeter, EnergyBins};
use crate::output::mp3::{Mp3Encoder, Mp3Mode};
use crate::output::mp3_info::{
    self, crc16, frame_header, frame_lengths, lame_end_padding, StreamFacts, DECODER_DELAY,
    ENCODER_DELAY,
};

/// Aim for pieces of about this long, seconds: long enough that joins are rare,
/// short enough that a core's piece of MP3 bytes stays small in memory.
const PIECE_SECS: u64 = 150;

/// Silence kept clear on both sides of what is left out at a cut, samples: LAME's
/// analysis and the decoder's overlap reach this far beyond a frame.
const MARGIN: u64 = 576;

/// One piece: the timeline frames it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// First frame on the timeline (a multiple of the MP3 frame length).
    pub start: u64,
    /// End of what it covers (the next piece's start, or the episode's end).
    pub end: u64,
    /// End of what the encoder is fed: `end` less the delay and padding that stand in
    /// for the silence before the next piece; `end` for the last piece.
    pub fed_end: u64,
}

/// Samples per channel in a frame at `rate`: 1152 for MPEG-1 rates, 576 below.
pub fn frame_samples(rate: u32) -> u64 {
    if rate >= 32000 {
        1152
    } else {
        576
    }
}

/// What is left out before each cut: LAME's delay and one frame of padding.
fn left_out(frame: u64) -> u64 {
    ENCODER_DELAY + frame
}

/// The pieces of a timeline of `frames` whose audio lies in `spans` (start, length),
/// aiming at pieces of `target` frames, with MP3 frames of `frame` samples.
pub fn plan(frames: u64, spans: &[(u64, u64)], frame: u64, target: u64) -> Vec<Piece> {
    let mut covered: Vec<(u64, u64)> = spans
        .iter()
        .filter(|&&(_, n)| n > 0)
        .map(|&(s, n)| (s, s + n))
        .collect();
    covered.sort_unstable();
    // The silences: what no span covers.
    let mut gaps = Vec::new();
    let mut at = 0;
    for (s, e) in covered {
        if s > at {
            gaps.push((at, s));
        }
        at = at.max(e);
    }
    let mut cuts = vec![0u64];
    for (g0, g1) in gaps {
        let last = *cuts.last().expect("starts with 0");
        if g0 < last + target {
            continue;
        }
        // The first cut on the frame grid with the silence it needs before and after.
        let earliest = g0 + left_out(frame) + MARGIN;
        let cut = earliest.div_ceil(frame) * frame;
        if cut + MARGIN <= g1 && cut + MARGIN <= frames {
            cuts.push(cut);
        }
    }
    cuts.iter()
        .enumerate()
        .map(|(i, &start)| match cuts.get(i + 1) {
            Some(&next) => Piece {
                start,
                end: next,
                fed_end: next - left_out(frame),
            },
            None => Piece {
                start,
                end: frames,
                fed_end: frames,
            },
        })
        .collect()
}

/// A piece encoded and measured.
struct Encoded {
    /// Its frames (for the first piece, the Info placeholder first).
    bytes: Vec<u8>,
    /// For the first piece: LAME's Info frame for it.
    info: Option<Vec<u8>>,
    /// The decoded piece's K-weighted energy, on the timeline.
    bins: EnergyBins,
    /// The decoded piece's true peak (linear).
    peak: f32,
}

/// How a stream of pieces is encoded.
pub struct Encoding<'a> {
    /// The episode.
    pub episode: &'a Episode,
    /// The mastered stretches, in the order of their spill files.
    pub stretches: &'a [Segment],
    /// Where the stretches were spilled.
    pub spill: &'a Spill,
    /// The MP3 settings.
    pub mode: Mp3Mode,
}

impl Encoding<'_> {
    fn encode(&self, piece: Piece, first: bool) -> std::io::Result<Encoded> {
        let e = self.episode;
        let channels = e.channels as usize;
        let mut encoder = Mp3Encoder::new(e.channels, e.sample_rate, self.mode, first)?;
        let mut timeline =
            MasteredTimeline::window(e, self.stretches, self.spill, piece.start, piece.fed_end);
        let mut block = Vec::new();
        let mut bytes = Vec::new();
        loop {
            let n = timeline.next_block(&mut block)?;
            if n == 0 {
                break;
            }
            encoder.encode(&block[..n * channels], &mut bytes)?;
        }
        encoder.finish(&mut bytes)?;
        let info = if first { encoder.info_frame() } else { None };
        // The placeholder is no audio: decode what follows it.
        let audio_from = match &info {
            Some(_) => frame_header(&bytes).map_or(0, |h| h.len),
            None => 0,
        };
        let (bins, peak) = self.measure(&bytes[audio_from..], piece)?;
        Ok(Encoded {
            bytes,
            info,
            bins,
            peak,
        })
    }

    /// Decodes a piece's frames and meters them where they play on the timeline.
    fn measure(&self, audio: &[u8], piece: Piece) -> std::io::Result<(EnergyBins, f32)> {
        let e = self.episode;
        let channels = e.channels as usize;
        let mut meter = BinMeter::new(e.channels, e.sample_rate, piece.start);
        let mut peaks: Vec<TruePeak> = (0..channels)
            .map(|_| TruePeak::new(e.sample_rate))
            .collect();
        // The piece's first decoded samples are the encoder's and decoder's delay.
        let mut skip = ((ENCODER_DELAY + DECODER_DELAY) as usize) * channels;
        let mut channel = Vec::new();
        super::verify::decode_mp3(audio, &mut |interleaved: &[f32]| {
            let from = skip.min(interleaved.len());
            skip -= from;
            let samples = &interleaved[from..];
            if samples.is_empty() {
                return;
            }
            meter.add(samples);
            for (c, peak) in peaks.iter_mut().enumerate() {
                channel.clear();
                channel.extend(samples.iter().skip(c).step_by(channels));
                peak.add(&channel);
            }
        })
        .map_err(|m| std::io::Error::other(format!("decoding the encoded audio: {m}")))?;
        let peak = peaks.into_iter().map(TruePeak::finish).fold(0.0, f32::max);
        Ok((meter.finish(), peak))
    }
}

/// What writing the stream found.
pub struct Written {
    /// The decoded stream's K-weighted energy on the timeline.
    pub bins: EnergyBins,
    /// The decoded stream's true peak (linear).
    pub peak: f32,
    /// How many pieces were encoded side by side.
    pub pieces: usize,
}

/// Encodes the mastered timeline into `out` (positioned after the ID3 tag) on `pool`,
/// in pieces of about two and a half minutes, a few in flight at once, and writes the
/// Info frame for the whole stream. `done` is told the frames of each piece encoded;
/// `stop` is asked between pieces.
pub fn encode<W: Write + Seek>(
    encoding: &Encoding,
    out: &mut W,
    pool: &rayon::ThreadPool,
    done: &(dyn Fn(u64) + Sync),
    stop: &(dyn Fn() -> bool + Sync),
) -> std::io::Result<Written> {
    let e = encoding.episode;
    let frame = frame_samples(e.sample_rate);
    let spans: Vec<(u64, u64)> = encoding.stretches.iter().map(|s| s.span(e)).collect();
    let pieces = plan(
        e.frames,
        &spans,
        frame,
        PIECE_SECS * u64::from(e.sample_rate),
    );
    let audio_start = out.stream_position()?;
    let in_flight = (pool.current_num_threads() * 2).max(2);
    let mut info: Option<Vec<u8>> = None;
    let mut lengths: Vec<u16> = Vec::new();
    let mut crc = 0u16;
    let mut bins = EnergyBins::default();
    let mut peak = 0f32;
    for (window, group) in pieces.chunks(in_flight).enumerate() {
        if stop() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                crate::cancel::Cancelled,
            ));
        }
        let encoded: Vec<std::io::Result<Encoded>> = pool.install(|| {
            group
                .par_iter()
                .enumerate()
                .map(|(i, &piece)| {
                    let encoded = encoding.encode(piece, window == 0 && i == 0);
                    done(piece.end - piece.start);
                    encoded
                })
                .collect()
        });
        for piece in encoded {
            let piece = piece?;
            // The first piece starts with the placeholder for the Info frame, written
            // over at the end.
            let (placeholder, audio) = match piece.info {
                Some(tag) => {
                    let len = frame_header(&piece.bytes).map_or(0, |h| h.len);
                    info = Some(tag);
                    piece.bytes.split_at(len)
                }
                None => piece.bytes.split_at(0),
            };
            out.write_all(placeholder)?;
            let frames = frame_lengths(audio).map_err(std::io::Error::other)?;
            lengths.extend(frames.iter().map(|&l| l as u16));
            crc = crc16(crc, audio);
            out.write_all(audio)?;
            bins.add(&piece.bins);
            peak = peak.max(piece.peak);
        }
    }
    if let (Some(mut tag), Some(last)) = (info, pieces.last()) {
        let padding = lame_end_padding(last.fed_end - last.start, frame);
        let lengths: Vec<usize> = lengths.iter().map(|&l| usize::from(l)).collect();
        let facts = StreamFacts::new(tag.len(), &lengths, crc, padding as u16);
        mp3_info::rewrite_info_frame(&mut tag, &facts).map_err(std::io::Error::other)?;
        let end = out.stream_position()?;
        out.seek(SeekFrom::Start(audio_start))?;
        out.write_all(&tag)?;
        out.seek(SeekFrom::Start(end))?;
    }
    Ok(Written {
        bins,
        peak,
        pieces: pieces.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_fall_in_silence_on_the_frame_grid() {
        // Ten seconds of clips at 44.1 kHz, each 1 s of audio then 0.3 s of pause.
        let rate = 44100u64;
        let spans: Vec<(u64, u64)> = (0..10).map(|i| (i * 57330, rate)).collect();
        let frames = 10 * 57330;
        let pieces = plan(frames, &spans, 1152, 2 * rate);
        assert!(pieces.len() >= 3, "{pieces:?}");
        assert_eq!(pieces[0].start, 0);
        assert_eq!(pieces.last().unwrap().end, frames);
        for w in pieces.windows(2) {
            let (a, b) = (w[0], w[1]);
            assert_eq!(a.end, b.start);
            assert_eq!(b.start % 1152, 0);
            assert_eq!(a.fed_end, a.end - 576 - 1152);
            // Nothing audible between what a piece is fed and the next piece's start.
            for &(s, n) in &spans {
                let overlap = s < b.start + MARGIN && s + n > a.fed_end - MARGIN;
                assert!(!overlap, "a cut at {} meets the clip at {s}", b.start);
            }
        }
        // Pauses too short for a cut give one piece.
        let tight: Vec<(u64, u64)> = (0..10).map(|i| (i * 45000, 44000)).collect();
        assert_eq!(plan(450_000, &tight, 1152, rate).len(), 1);
        assert_eq!(plan(0, &[], 1152, rate).len(), 1);
    }
}
