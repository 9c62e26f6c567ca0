//! MP3 frames as a player reads them, and the Info tag (Xing header with LAME's
//! extension) that tells a player how many frames there are, where to seek, and how
//! many samples of encoder delay and padding to drop for the exact duration.
//!
//! When an episode is encoded in pieces on several cores, each piece's LAME knows only
//! its own frames; the tag for the whole stream is LAME's tag of the first piece with
//! the stream's own figures written in: frame count, byte count, seek table, padding,
//! music length and both CRCs, computed here the way LAME computes them.

/// Bit rates of MPEG-1 Layer III, kbit/s, by the header's index.
const MPEG1_KBPS: [u16; 15] = [
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
];
/// Bit rates of MPEG-2 and 2.5 Layer III, kbit/s, by the header's index.
const MPEG2_KBPS: [u16; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/// The encoder delay LAME adds before the first sample (its `ENCDELAY`), which the Info
/// tag records; decoders add their own 529 samples to it.
pub const ENCODER_DELAY: u64 = 576;
/// The delay a Layer III decoder's filter bank adds.
pub const DECODER_DELAY: u64 = 529;

/// One frame's header, as far as lengths go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    /// Bytes in the frame, header included.
    pub len: usize,
    /// Samples per channel the frame decodes to (1152 for MPEG-1, 576 for MPEG-2/2.5).
    pub samples: u32,
    /// Sample rate, Hz.
    pub rate: u32,
}

/// Reads a Layer III frame header from the first four bytes of `bytes`.
pub fn frame_header(bytes: &[u8]) -> Option<FrameHeader> {
    let h = bytes.get(..4)?;
    if h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
        return None;
    }
    let version = (h[1] >> 3) & 0b11; // 0: 2.5, 2: 2, 3: 1
    let layer = (h[1] >> 1) & 0b11; // 1: Layer III
    if version == 1 || layer != 1 {
        return None;
    }
    let bitrate_index = (h[2] >> 4) as usize;
    let rate_index = ((h[2] >> 2) & 0b11) as usize;
    if bitrate_index == 0 || bitrate_index == 15 || rate_index == 3 {
        return None;
    }
    let padding = usize::from((h[2] >> 1) & 1);
    let base = [44100, 48000, 32000][rate_index];
    let (rate, kbps, samples) = match version {
        3 => (base, MPEG1_KBPS[bitrate_index], 1152),
        2 => (base / 2, MPEG2_KBPS[bitrate_index], 576),
        _ => (base / 4, MPEG2_KBPS[bitrate_index], 576),
    };
    let len = (samples as usize / 8) * usize::from(kbps) * 1000 / rate as usize + padding;
    Some(FrameHeader { len, samples, rate })
}

/// The lengths of the frames of `bytes`, which must hold whole frames only.
pub fn frame_lengths(bytes: &[u8]) -> Result<Vec<usize>, String> {
    let mut lengths = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let header = frame_header(&bytes[at..])
            .ok_or_else(|| format!("no MP3 frame header at byte {at}"))?;
        if at + header.len > bytes.len() {
            return Err(format!("a frame at byte {at} runs past the end"));
        }
        lengths.push(header.len);
        at += header.len;
    }
    Ok(lengths)
}

/// The CRC-16 LAME uses in its tag (polynomial 0x8005, reflected, initial 0).
pub fn crc16(crc: u16, bytes: &[u8]) -> u16 {
    let mut crc = crc;
    for &b in bytes {
        crc ^= u16::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xA001
            } else {
                crc >> 1
            };
        }
    }
    crc
}

/// What the Info tag says of a whole stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamFacts {
    /// Audio frames after the Info frame.
    pub frames: u32,
    /// Bytes of the stream, the Info frame included.
    pub bytes: u32,
    /// Where each percent of the duration starts, as a fraction of `bytes` in 256ths
    /// (the Xing seek table).
    pub toc: [u8; 100],
    /// Samples of padding after the last sample (LAME's end padding).
    pub padding: u16,
    /// CRC-16 of the audio frames after the Info frame.
    pub music_crc: u16,
}

impl StreamFacts {
    /// The facts of a stream whose Info frame is `info_len` bytes, followed by audio
    /// frames of `lengths` whose bytes have the CRC `music_crc`, ending with `padding`
    /// samples of padding.
    pub fn new(info_len: usize, lengths: &[usize], music_crc: u16, padding: u16) -> StreamFacts {
        let frames = lengths.len();
        let bytes = info_len + lengths.iter().sum::<usize>();
        // Entry i: where the frame at i percent of the duration starts.
        let mut starts = Vec::with_capacity(frames + 1);
        let mut at = info_len;
        for &len in lengths {
            starts.push(at);
            at += len;
        }
        let mut toc = [0u8; 100];
        for (i, entry) in toc.iter_mut().enumerate().skip(1) {
            let frame = (i * frames / 100).min(frames.saturating_sub(1));
            let start = starts.get(frame).copied().unwrap_or(0);
            *entry = ((256 * start) / bytes.max(1)).min(255) as u8;
        }
        StreamFacts {
            frames: frames as u32,
            bytes: bytes as u32,
            toc,
            padding,
            music_crc,
        }
    }
}

/// Why an Info frame could not be rewritten.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InfoError {
    /// No `Info` or `Xing` tag with LAME's extension in the frame.
    #[error("the encoder's first frame holds no Info tag with LAME's extension")]
    NoTag,
}

/// Offsets from the start of the `Info`/`Xing` magic.
const FRAMES_AT: usize = 8;
const BYTES_AT: usize = 12;
const TOC_AT: usize = 16;
const DELAY_PADDING_AT: usize = 141;
const MUSIC_LENGTH_AT: usize = 148;
const MUSIC_CRC_AT: usize = 152;
const TAG_CRC_AT: usize = 154;

/// Writes `facts` into LAME's Info frame `frame` (header, side information, Xing part,
/// LAME extension), and the tag's CRC over what precedes it, as LAME does.
pub fn rewrite_info_frame(frame: &mut [u8], facts: &StreamFacts) -> Result<(), InfoError> {
    let tag = frame
        .windows(4)
        .take(64)
        .position(|w| w == b"Info" || w == b"Xing")
        .ok_or(InfoError::NoTag)?;
    if frame.len() < tag + TAG_CRC_AT + 2 || &frame[tag + 120..tag + 124] != b"LAME" {
        return Err(InfoError::NoTag);
    }
    let t = &mut frame[tag..];
    t[FRAMES_AT..FRAMES_AT + 4].copy_from_slice(&facts.frames.to_be_bytes());
    t[BYTES_AT..BYTES_AT + 4].copy_from_slice(&facts.bytes.to_be_bytes());
    t[TOC_AT..TOC_AT + 100].copy_from_slice(&facts.toc);
    // 12 bits of delay (kept), 12 bits of padding.
    let padding = facts.padding.min(0x0FFF);
    t[DELAY_PADDING_AT + 1] = (t[DELAY_PADDING_AT + 1] & 0xF0) | (padding >> 8) as u8;
    t[DELAY_PADDING_AT + 2] = (padding & 0xFF) as u8;
    t[MUSIC_LENGTH_AT..MUSIC_LENGTH_AT + 4].copy_from_slice(&facts.bytes.to_be_bytes());
    t[MUSIC_CRC_AT..MUSIC_CRC_AT + 2].copy_from_slice(&facts.music_crc.to_be_bytes());
    let crc = crc16(0, &frame[..tag + TAG_CRC_AT]);
    frame[tag + TAG_CRC_AT..tag + TAG_CRC_AT + 2].copy_from_slice(&crc.to_be_bytes());
    Ok(())
}

/// The encoder delay and padding an Info frame records.
pub fn delay_and_padding(frame: &[u8]) -> Option<(u16, u16)> {
    let tag = frame
        .windows(4)
        .take(64)
        .position(|w| w == b"Info" || w == b"Xing")?;
    let d = frame.get(tag + DELAY_PADDING_AT..tag + DELAY_PADDING_AT + 3)?;
    let delay = (u16::from(d[0]) << 4) | (u16::from(d[1]) >> 4);
    let padding = (u16::from(d[1] & 0x0F) << 8) | u16::from(d[2]);
    Some((delay, padding))
}

/// The padding LAME's flush adds after `samples` samples per channel, for frames of
/// `frame_samples` (1152 or 576): whole frames, and at least 576 samples so that the
/// last granule decodes completely.
pub fn lame_end_padding(samples: u64, frame_samples: u64) -> u64 {
    let mut padding = frame_samples - (samples + ENCODER_DELAY) % frame_samples;
    if padding < 576 {
        padding += frame_samples;
    }
    padding
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::mp3::{Mp3Encoder, Mp3Mode};

    fn encode(samples: usize, rate: u32, mode: Mp3Mode) -> (Vec<u8>, Vec<u8>) {
        let mut encoder = Mp3Encoder::new(1, rate, mode, true).unwrap();
        let tone: Vec<f32> = (0..samples)
            .map(|i| (i as f32 * 0.031).sin() * 0.4 * ((i / 5000) % 2) as f32)
            .collect();
        let mut bytes = Vec::new();
        for block in tone.chunks(4096) {
            encoder.encode(block, &mut bytes).unwrap();
        }
        encoder.finish(&mut bytes).unwrap();
        (bytes, encoder.info_frame().unwrap())
    }

    #[test]
    fn headers_give_lame_s_frame_lengths() {
        for (rate, mode) in [
            (44100, Mp3Mode::Cbr { kbps: 64 }),
            (22050, Mp3Mode::Cbr { kbps: 64 }),
            (48000, Mp3Mode::Vbr { quality: 4 }),
        ] {
            let (bytes, _) = encode(100_000, rate, mode);
            let lengths = frame_lengths(&bytes).unwrap();
            assert_eq!(lengths.iter().sum::<usize>(), bytes.len());
            assert_eq!(frame_header(&bytes).unwrap().rate, rate);
        }
        assert!(frame_lengths(&[0xFF, 0xFB, 0x50]).is_err());
        assert!(frame_header(b"ID3\x04").is_none());
    }

    /// LAME's own tag for a stream it wrote alone is what the rewrite computes from the
    /// stream's bytes: the figures, the padding, both CRCs (the seek table within one
    /// step of LAME's sampling of it).
    #[test]
    fn the_rewrite_reproduces_lame_s_own_tag() {
        for (samples, rate, mode) in [
            (123_457usize, 44100, Mp3Mode::Cbr { kbps: 64 }),
            (99_999, 22050, Mp3Mode::Cbr { kbps: 64 }),
            (300_001, 44100, Mp3Mode::Vbr { quality: 5 }),
        ] {
            let (bytes, lame_tag) = encode(samples, rate, mode);
            let info_len = frame_header(&bytes).unwrap().len;
            assert_eq!(lame_tag.len(), info_len);
            let audio = &bytes[info_len..];
            let lengths = frame_lengths(audio).unwrap();
            let frame_samples = u64::from(frame_header(audio).unwrap().samples);
            let padding = lame_end_padding(samples as u64, frame_samples);
            assert_eq!(
                delay_and_padding(&lame_tag),
                Some((ENCODER_DELAY as u16, padding as u16)),
                "{samples} at {rate}"
            );
            assert_eq!(
                lengths.len() as u64 * frame_samples,
                ENCODER_DELAY + samples as u64 + padding,
                "frames cover delay, samples and padding"
            );
            let facts = StreamFacts::new(info_len, &lengths, crc16(0, audio), padding as u16);
            let mut ours = lame_tag.clone();
            rewrite_info_frame(&mut ours, &facts).unwrap();
            let tag = ours
                .windows(4)
                .position(|w| w == b"Info" || w == b"Xing")
                .unwrap();
            for (i, (a, b)) in ours.iter().zip(&lame_tag).enumerate() {
                let in_toc = (tag + TOC_AT..tag + TOC_AT + 100).contains(&i);
                if in_toc {
                    assert!(
                        a.abs_diff(*b) <= 3,
                        "TOC byte {} {a} vs {b}",
                        i - tag - TOC_AT
                    );
                } else if !(tag + TAG_CRC_AT..tag + TAG_CRC_AT + 2).contains(&i) {
                    assert_eq!(a, b, "byte {i} of the tag ({samples} at {rate})");
                }
            }
            // With LAME's own seek table, the CRC over the tag is LAME's too.
            let mut same_toc = ours.clone();
            same_toc[tag + TOC_AT..tag + TOC_AT + 100]
                .copy_from_slice(&lame_tag[tag + TOC_AT..tag + TOC_AT + 100]);
            let crc = crc16(0, &same_toc[..tag + TAG_CRC_AT]);
            assert_eq!(
                crc.to_be_bytes(),
                lame_tag[tag + TAG_CRC_AT..tag + TAG_CRC_AT + 2],
                "the tag CRC"
            );
        }
    }
}
