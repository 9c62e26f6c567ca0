//! What a listener's player will make of an MP3, measured while it is being encoded: the
//! encoder's bytes are decoded on another thread (symphonia, not the encoder) as they
//! come, and metered, so judging the file costs no pass of its own.

use std::io::Read;
use std::sync::mpsc::{Receiver, SyncSender};

use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::{MediaSourceStream, ReadOnlySource};
use symphonia::core::meta::MetadataOptions;

use super::kweight::{integrated_lufs, BinMeter};
use super::truepeak::{to_dbtp, TruePeak};
use crate::assemble::loudness::Loudness;

/// Encoded bytes arriving over a channel, read as a stream.
struct ChannelReader {
    // A decoder's source must be `Sync`; only this thread ever reads it.
    rx: std::sync::Mutex<Receiver<Vec<u8>>>,
    current: Vec<u8>,
    at: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at >= self.current.len() {
            let next = match self.rx.lock() {
                Ok(rx) => rx.recv(),
                Err(_) => return Ok(0),
            };
            match next {
                Ok(next) => {
                    self.current = next;
                    self.at = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len() - self.at);
        buf[..n].copy_from_slice(&self.current[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A decoder fed by the encoder.
pub struct StreamVerifier {
    tx: Option<SyncSender<Vec<u8>>>,
    handle: Option<std::thread::JoinHandle<Result<Loudness, String>>>,
}

impl StreamVerifier {
    /// Starts decoding an MP3 stream of `channels` at `rate` on its own thread.
    pub fn start(channels: u16, rate: u32) -> StreamVerifier {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(64);
        let handle = std::thread::Builder::new()
            .name("articast-verify".into())
            .spawn(move || measure(rx, channels, rate))
            .ok();
        StreamVerifier {
            tx: Some(tx),
            handle,
        }
    }

    /// Hands over the next encoded bytes.
    pub fn feed(&self, bytes: &[u8]) {
        if let Some(tx) = &self.tx {
            // A decoder that gave up (an error, reported at the end) takes nothing more.
            let _ = tx.send(bytes.to_vec());
        }
    }

    /// The loudness of everything fed, once decoded.
    pub fn finish(mut self) -> Result<Loudness, String> {
        self.tx = None;
        match self.handle.take() {
            Some(h) => h
                .join()
                .map_err(|_| "the verifying decoder panicked".to_string())?,
            None => Err("the verifying decoder could not start".into()),
        }
    }
}

fn measure(rx: Receiver<Vec<u8>>, channels: u16, rate: u32) -> Result<Loudness, String> {
    let reader = ChannelReader {
        rx: std::sync::Mutex::new(rx),
        current: Vec::new(),
        at: 0,
    };
    let mss = MediaSourceStream::new(Box::new(ReadOnlySource::new(reader)), Default::default());
    let mut hint = Hint::new();
    hint.with_extension("mp3");
    let mut format = symphonia::default::get_probe()
        .probe(
            &hint,
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| e.to_string())?;
    let track = format
        .default_track(TrackType::Audio)
        .ok_or("no audio track")?;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or("no audio parameters")?
        .clone();
    let track_id = track.id;
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(|e| e.to_string())?;
    let mut meter = BinMeter::new(channels, rate, 0);
    let mut peaks: Vec<TruePeak> = (0..channels).map(|_| TruePeak::new(rate)).collect();
    let mut interleaved = Vec::new();
    let mut channel = Vec::new();
    loop {
        let packet = match format.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => return Err(e.to_string()),
        };
        if packet.track_id != track_id {
            continue;
        }
        let buf = match decoder.decode(&packet) {
            Ok(buf) => buf,
            Err(symphonia::core::errors::Error::DecodeError(_)) => continue,
            Err(e) => return Err(e.to_string()),
        };
        interleaved.resize(buf.samples_interleaved(), 0.0f32);
        buf.copy_to_slice_interleaved(&mut interleaved);
        meter.add(&interleaved);
        for (c, peak) in peaks.iter_mut().enumerate() {
            channel.clear();
            channel.extend(interleaved.iter().skip(c).step_by(channels as usize));
            peak.add(&channel);
        }
    }
    let peak = peaks.into_iter().map(TruePeak::finish).fold(0.0, f32::max);
    Ok(Loudness {
        integrated_lufs: integrated_lufs(&meter.finish(), rate),
        true_peak_dbtp: to_dbtp(peak),
    })
}
