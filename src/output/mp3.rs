//! MP3 output through LAME (crate `mp3lame-encoder`, built from bundled sources with only
//! a C compiler), preceded by an ID3v2.4 tag, with LAME's Info/Xing frame written last so
//! that players know the exact duration and the encoder delay (gapless playback).

use mp3lame_encoder::{Bitrate, Builder, FlushGap, InterleavedPcm, MonoPcm, Quality, VbrMode};
use serde::Serialize;

/// Sample rates MP3 can carry.
pub const MP3_RATES: [u32; 9] = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000];

/// How the MP3 is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum Mp3Mode {
    /// Constant bit rate, in kbit/s.
    Cbr {
        /// kbit/s.
        kbps: u16,
    },
    /// Variable bit rate, quality 0 (best) to 9.
    Vbr {
        /// LAME's `-V` quality.
        quality: u8,
    },
}

/// The bit rates LAME accepts for CBR.
pub const CBR_RATES: [u16; 16] = [
    8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
];

/// Why a constant bit rate and a sample rate do not make an MP3 articast writes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Mp3PairError {
    /// Not one of the bit rates the encoder offers.
    #[error("{kbps} kbit/s is not an MP3 bit rate; use one of {}", list(&CBR_RATES))]
    NotABitRate {
        /// The bit rate asked for.
        kbps: u16,
    },
    /// The MPEG version that carries this sample rate has no such bit rate.
    #[error("MP3 at {rate} Hz has no {kbps} kbit/s; at {rate} Hz use one of {}", list(&allowed_at(*rate)))]
    NotAtThisRate {
        /// The bit rate.
        kbps: u16,
        /// The sample rate.
        rate: u32,
    },
    /// Frames are too small to hold the LAME Info frame (exact duration, gapless data).
    #[error("{kbps} kbit/s at {rate} Hz makes frames too small for the Info frame players need for the exact duration; use at least {min} kbit/s at {rate} Hz, or a lower --rate")]
    NoInfoFrame {
        /// The bit rate.
        kbps: u16,
        /// The sample rate.
        rate: u32,
        /// The lowest bit rate that works at this rate.
        min: u16,
    },
    /// No sample rate gives frames that hold the Info frame at this bit rate.
    #[error("{kbps} kbit/s is too low for an MP3 with an Info frame at any sample rate; use at least {min} kbit/s")]
    TooLow {
        /// The bit rate.
        kbps: u16,
        /// The lowest bit rate that works at some rate.
        min: u16,
    },
}

fn list(v: &[u16]) -> String {
    v.iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// MPEG-1 carries 32-48 kHz, MPEG-2 16-24 kHz, MPEG-2.5 8-12 kHz.
fn is_mpeg1(rate: u32) -> bool {
    rate >= 32000
}

/// The CBR bit rates of the MPEG version that carries `rate`, among the encoder's.
pub fn allowed_at(rate: u32) -> Vec<u16> {
    CBR_RATES
        .iter()
        .copied()
        .filter(|&k| if is_mpeg1(rate) { k >= 32 } else { k <= 160 })
        .collect()
}

/// Whether a CBR frame at `kbps` and `rate` holds LAME's Info frame: LAME writes it
/// only when the frame has room for the side information and the 156 bytes of the
/// Xing/LAME header (`InitVbrTag` in LAME's VbrTag.c), and silently leaves it out
/// otherwise.
pub fn info_frame_fits(kbps: u16, rate: u32, channels: u16) -> bool {
    let mpeg1 = is_mpeg1(rate);
    let frame = if mpeg1 { 144_000 } else { 72_000 } * kbps as u64 / rate.max(1) as u64;
    let side = match (mpeg1, channels) {
        (true, 1) => 17,
        (true, _) => 32,
        (false, 1) => 9,
        (false, _) => 17,
    };
    frame >= 4 + side + 156
}

/// Checks that `kbps` at `rate` makes an MP3 with its Info frame.
pub fn check_pair(kbps: u16, rate: u32, channels: u16) -> Result<(), Mp3PairError> {
    if !CBR_RATES.contains(&kbps) {
        return Err(Mp3PairError::NotABitRate { kbps });
    }
    if !allowed_at(rate).contains(&kbps) {
        return Err(Mp3PairError::NotAtThisRate { kbps, rate });
    }
    if !info_frame_fits(kbps, rate, channels) {
        let min = allowed_at(rate)
            .into_iter()
            .find(|&k| info_frame_fits(k, rate, channels))
            .unwrap_or(320);
        return Err(Mp3PairError::NoInfoFrame { kbps, rate, min });
    }
    Ok(())
}

/// The highest sample rate, at most `preferred`, at which `kbps` makes an MP3 with its
/// Info frame.
pub fn rate_for_bitrate(kbps: u16, channels: u16, preferred: u32) -> Result<u32, Mp3PairError> {
    if !CBR_RATES.contains(&kbps) {
        return Err(Mp3PairError::NotABitRate { kbps });
    }
    let mut rates = MP3_RATES;
    rates.sort_unstable_by(|a, b| b.cmp(a));
    rates
        .iter()
        .copied()
        .filter(|&r| r <= preferred)
        .find(|&r| check_pair(kbps, r, channels).is_ok())
        .ok_or_else(|| Mp3PairError::TooLow {
            kbps,
            min: CBR_RATES
                .iter()
                .copied()
                .find(|&k| {
                    MP3_RATES
                        .iter()
                        .any(|&r| check_pair(k, r, channels).is_ok())
                })
                .unwrap_or(320),
        })
}

fn bitrate(kbps: u16) -> Option<Bitrate> {
    Some(match kbps {
        8 => Bitrate::Kbps8,
        16 => Bitrate::Kbps16,
        24 => Bitrate::Kbps24,
        32 => Bitrate::Kbps32,
        40 => Bitrate::Kbps40,
        48 => Bitrate::Kbps48,
        64 => Bitrate::Kbps64,
        80 => Bitrate::Kbps80,
        96 => Bitrate::Kbps96,
        112 => Bitrate::Kbps112,
        128 => Bitrate::Kbps128,
        160 => Bitrate::Kbps160,
        192 => Bitrate::Kbps192,
        224 => Bitrate::Kbps224,
        256 => Bitrate::Kbps256,
        320 => Bitrate::Kbps320,
        _ => return None,
    })
}

fn quality(q: u8) -> Quality {
    match q {
        0 => Quality::Best,
        1 => Quality::SecondBest,
        2 => Quality::NearBest,
        3 => Quality::VeryNice,
        4 => Quality::Nice,
        5 => Quality::Good,
        6 => Quality::Decent,
        7 => Quality::Ok,
        8 => Quality::SecondWorst,
        _ => Quality::Worst,
    }
}

/// The LAME version, for the encoder tag.
pub fn lame_version() -> String {
    mp3lame_encoder::mp3lame_version().to_string()
}

fn lame_err(e: impl std::fmt::Debug) -> std::io::Error {
    std::io::Error::other(format!("LAME: {e:?}"))
}

/// LAME with articast's settings: PCM in, MP3 frames out.
pub struct Mp3Encoder {
    encoder: mp3lame_encoder::Encoder,
    channels: u16,
}

impl Mp3Encoder {
    /// LAME for `channels` at `rate` (no resampling), at LAME's default quality (3: its
    /// noise shaping and psychoacoustics in full, without the slow exhaustive searches of
    /// 0 to 2). With `info_frame`, the stream starts with a placeholder frame for the
    /// Info/Xing tag that [`Mp3Encoder::info_frame`] gives once the stream is complete.
    pub fn new(
        channels: u16,
        rate: u32,
        mode: Mp3Mode,
        info_frame: bool,
    ) -> std::io::Result<Mp3Encoder> {
        let mut builder =
            Builder::new().ok_or_else(|| std::io::Error::other("LAME could not be initialized"))?;
        builder.set_num_channels(channels as u8).map_err(lame_err)?;
        builder.set_sample_rate(rate).map_err(lame_err)?;
        builder
            .set_output_sample_rate(std::num::NonZeroU32::new(rate))
            .map_err(lame_err)?;
        builder.set_quality(Quality::VeryNice).map_err(lame_err)?;
        builder
            .set_mode(if channels == 1 {
                mp3lame_encoder::Mode::Mono
            } else {
                mp3lame_encoder::Mode::JointStereo
            })
            .map_err(lame_err)?;
        match mode {
            Mp3Mode::Cbr { kbps } => {
                builder.set_vbr_mode(VbrMode::Off).map_err(lame_err)?;
                let rate = bitrate(kbps).ok_or_else(|| {
                    std::io::Error::other(format!("{kbps} kbit/s is not an MP3 bit rate"))
                })?;
                builder.set_brate(rate).map_err(lame_err)?;
            }
            Mp3Mode::Vbr { quality: q } => {
                builder.set_vbr_mode(VbrMode::Mtrh).map_err(lame_err)?;
                builder.set_vbr_quality(quality(q)).map_err(lame_err)?;
            }
        }
        builder.set_to_write_vbr_tag(info_frame).map_err(lame_err)?;
        // LAME's flush appends an ID3v1 tag by default; the ID3v2 tag before the frames
        // is articast's, and a stream of pieces must be frames only.
        // SAFETY: the pointer is the builder's live LAME handle, used on this thread
        // before `lame_init_params`, as LAME's API requires of its setters.
        unsafe { mp3lame_encoder::ffi::lame_set_write_id3tag_automatic(builder.as_ptr(), 0) };
        let encoder = builder.build().map_err(lame_err)?;
        Ok(Mp3Encoder { encoder, channels })
    }

    /// Encodes interleaved samples, appending whatever frames are complete to `out`.
    pub fn encode(&mut self, interleaved: &[f32], out: &mut Vec<u8>) -> std::io::Result<()> {
        out.reserve(mp3lame_encoder::max_required_buffer_size(
            interleaved.len() / self.channels as usize,
        ));
        if self.channels == 1 {
            self.encoder
                .encode_to_vec(MonoPcm(interleaved), out)
                .map_err(lame_err)?;
        } else {
            self.encoder
                .encode_to_vec(InterleavedPcm(interleaved), out)
                .map_err(lame_err)?;
        }
        Ok(())
    }

    /// Encodes what LAME still holds, padded with silence to whole frames (LAME's
    /// ordinary flush, which also records the padding for the Info tag).
    pub fn finish(&mut self, out: &mut Vec<u8>) -> std::io::Result<()> {
        out.reserve(7200);
        self.encoder
            .flush_to_vec::<FlushGap>(out)
            .map_err(lame_err)?;
        Ok(())
    }

    /// The Info/Xing frame for the stream encoded so far (after [`Mp3Encoder::finish`]),
    /// to be written over the placeholder; `None` without one.
    pub fn info_frame(&self) -> Option<Vec<u8>> {
        let mut tag = Vec::with_capacity(self.encoder.lame_tag_size());
        self.encoder.lame_tag_encode_to_vec(&mut tag).map(|_| tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Encodes a second of tone and reports whether LAME wrote its Info frame.
    fn lame_writes_info(kbps: u16, rate: u32, channels: u16) -> bool {
        let mut encoder = Mp3Encoder::new(channels, rate, Mp3Mode::Cbr { kbps }, true).unwrap();
        let tone: Vec<f32> = (0..rate as usize * channels as usize)
            .map(|i| (i as f32 * 0.05).sin() * 0.3)
            .collect();
        let mut bytes = Vec::new();
        encoder.encode(&tone, &mut bytes).unwrap();
        encoder.finish(&mut bytes).unwrap();
        let tag = encoder.info_frame().unwrap_or_default();
        let head = &tag[..tag.len().min(400)];
        head.windows(4).any(|w| w == b"Info" || w == b"Xing")
    }

    #[test]
    fn the_info_frame_rule_matches_what_lame_writes() {
        for &rate in &MP3_RATES {
            for &kbps in &allowed_at(rate) {
                for channels in [1, 2] {
                    assert_eq!(
                        info_frame_fits(kbps, rate, channels),
                        lame_writes_info(kbps, rate, channels),
                        "{kbps} kbit/s at {rate} Hz, {channels} channels"
                    );
                }
            }
        }
    }

    #[test]
    fn low_bit_rates_get_a_rate_that_carries_them_or_a_clear_refusal() {
        assert_eq!(rate_for_bitrate(64, 1, 44100), Ok(44100));
        assert_eq!(rate_for_bitrate(32, 1, 44100), Ok(12000));
        assert_eq!(rate_for_bitrate(48, 1, 44100), Ok(32000));
        assert_eq!(rate_for_bitrate(64, 1, 22050), Ok(22050));
        assert!(matches!(
            rate_for_bitrate(8, 1, 44100),
            Err(Mp3PairError::TooLow { min: 24, .. })
        ));
        let err = check_pair(32, 44100, 1).unwrap_err().to_string();
        assert!(err.contains("at least 64 kbit/s at 44100 Hz"), "{err}");
        let err = check_pair(8, 44100, 1).unwrap_err().to_string();
        assert!(err.contains("has no 8 kbit/s"), "{err}");
    }
}
