//! MP3 output through LAME (crate `mp3lame-encoder`, built from bundled sources with only
//! a C compiler), preceded by an ID3v2.4 tag, with LAME's Info/Xing frame written last so
//! that players know the exact duration and the encoder delay (gapless playback).

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};

use mp3lame_encoder::{Bitrate, Builder, FlushNoGap, InterleavedPcm, MonoPcm, Quality, VbrMode};
use serde::Serialize;

use super::sink::AudioSink;

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

/// Streams audio through LAME into a file that already holds the ID3 tag.
pub struct Mp3Sink<'a> {
    encoder: mp3lame_encoder::Encoder,
    file: &'a mut BufWriter<File>,
    channels: u16,
    buffer: Vec<u8>,
    /// Where the first MP3 frame (LAME's Info frame placeholder) starts.
    audio_start: u64,
}

fn lame_err(e: impl std::fmt::Debug) -> std::io::Error {
    std::io::Error::other(format!("LAME: {e:?}"))
}

impl<'a> Mp3Sink<'a> {
    /// Writes `id3` to `file` and prepares LAME for `channels` at `rate`.
    pub fn new(
        file: &'a mut BufWriter<File>,
        id3: &[u8],
        channels: u16,
        rate: u32,
        mode: Mp3Mode,
    ) -> std::io::Result<Mp3Sink<'a>> {
        let mut builder =
            Builder::new().ok_or_else(|| std::io::Error::other("LAME could not be initialized"))?;
        builder.set_num_channels(channels as u8).map_err(lame_err)?;
        builder.set_sample_rate(rate).map_err(lame_err)?;
        builder
            .set_output_sample_rate(std::num::NonZeroU32::new(rate))
            .map_err(lame_err)?;
        builder.set_quality(Quality::NearBest).map_err(lame_err)?;
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
        builder.set_to_write_vbr_tag(true).map_err(lame_err)?;
        let encoder = builder.build().map_err(lame_err)?;
        file.write_all(id3)?;
        let audio_start = file.stream_position()?;
        Ok(Mp3Sink {
            encoder,
            file,
            channels,
            buffer: Vec::new(),
            audio_start,
        })
    }
}

impl AudioSink for Mp3Sink<'_> {
    fn write(&mut self, interleaved: &[f32]) -> std::io::Result<()> {
        self.buffer.clear();
        self.buffer
            .reserve(mp3lame_encoder::max_required_buffer_size(
                interleaved.len() / self.channels as usize,
            ));
        if self.channels == 1 {
            self.encoder
                .encode_to_vec(MonoPcm(interleaved), &mut self.buffer)
                .map_err(lame_err)?;
        } else {
            self.encoder
                .encode_to_vec(InterleavedPcm(interleaved), &mut self.buffer)
                .map_err(lame_err)?;
        }
        self.file.write_all(&self.buffer)
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.buffer.clear();
        self.buffer.reserve(7200);
        self.encoder
            .flush_to_vec::<FlushNoGap>(&mut self.buffer)
            .map_err(lame_err)?;
        self.file.write_all(&self.buffer)?;
        // LAME reserved the first frame for its Info tag; now that the stream is complete,
        // write the real one over it.
        let mut tag = Vec::with_capacity(self.encoder.lame_tag_size());
        if self.encoder.lame_tag_encode_to_vec(&mut tag).is_some() {
            let end = self.file.stream_position()?;
            self.file.seek(SeekFrom::Start(self.audio_start))?;
            self.file.write_all(&tag)?;
            self.file.seek(SeekFrom::Start(end))?;
        }
        Ok(())
    }
}
