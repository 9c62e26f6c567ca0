//! Mastering: the episode is mixed, brought to its loudness target, limited and encoded,
//! streaming, in as many passes as it takes.
//!
//! Pass one measures the raw mix. Then gain passes (mix, gain, limiter, meter; nothing
//! written) find by secant steps the gain that lands the limited mix within 0.1 LU of
//! the target. The encoding pass writes a temporary file beside the destination and
//! measures what it produced (for MP3 by decoding the file with symphonia, since the
//! codec shifts loudness and peaks); if that is within ±0.3 LU of the target with true
//! peaks under the ceiling, the file is renamed into place, otherwise the aim is
//! corrected by the codec's offset and the ceiling by the overshoot, and it runs again
//! (at most three encodes). Memory stays at one block throughout.

use std::path::Path;

use serde::Serialize;

use super::atomic::AtomicFile;
use super::cover::Cover;
use super::mp3::{Mp3Mode, Mp3Sink};
use super::sink::AudioSink;
use super::wav::{append_info, WavSink};
use super::{tags, OutputError};
use crate::assemble::loudness::{Loudness, LoudnessTarget, Meter, Processor};
use crate::assemble::mix::Mixer;
use crate::assemble::{AssembleError, Episode};

/// Audio formats articast writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum AudioFormat {
    /// 16-bit PCM WAV with RIFF INFO tags.
    Wav,
    /// MP3 (LAME) with ID3v2.4 tags and chapters.
    Mp3,
}

impl AudioFormat {
    /// The format an output file name asks for.
    pub fn from_extension(ext: &str) -> Option<AudioFormat> {
        match ext.to_ascii_lowercase().as_str() {
            "wav" | "wave" => Some(AudioFormat::Wav),
            "mp3" => Some(AudioFormat::Mp3),
            _ => None,
        }
    }
}

/// How to master and encode.
#[derive(Debug, Clone)]
pub struct MasterSettings {
    /// The container and codec.
    pub format: AudioFormat,
    /// The loudness target; `None` leaves levels as they are (peaks still limited).
    pub loudness: Option<LoudnessTarget>,
    /// The true-peak ceiling when `loudness` is `None`, in dBTP.
    pub ceiling_dbtp: f64,
    /// MP3 encoding.
    pub mp3: Mp3Mode,
    /// Cover art for the tags.
    pub cover: Option<Cover>,
}

/// What mastering measured and did.
#[derive(Debug, Clone, Serialize)]
pub struct MasterReport {
    /// The raw mix.
    pub input: Loudness,
    /// The final episode (for MP3, as decoded from the file).
    pub output: Loudness,
    /// Static gain applied, dB.
    pub gain_db: f64,
    /// The deepest limiting, dB (0: the limiter never acted).
    pub limiter_db: f64,
    /// Encoding passes run (gain passes not counted).
    pub passes: u32,
    /// Whether the target was met within ±0.3 LU and under the ceiling.
    pub on_target: bool,
}

fn spill(e: AssembleError, path: &Path) -> OutputError {
    OutputError {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Measures the raw mix.
fn measure(episode: &Episode, progress: &dyn Fn(u64)) -> Result<Loudness, AssembleError> {
    let mut meter = Meter::new(episode.channels, episode.sample_rate);
    let mut mixer = Mixer::new(episode);
    let mut block = Vec::new();
    loop {
        let n = mixer.next_block(&mut block)?;
        if n == 0 {
            break;
        }
        meter.add(&block);
        progress(n as u64);
    }
    Ok(meter.loudness())
}

/// One encoding pass into `file`; returns the loudness of what was encoded and the
/// deepest limiter gain.
fn encode_pass(
    episode: &Episode,
    file: &mut AtomicFile,
    settings: &MasterSettings,
    gain_db: f64,
    ceiling_db: f64,
    progress: &dyn Fn(u64),
) -> Result<(Loudness, f32), OutputError> {
    let path = file.path().to_path_buf();
    let io = |source: std::io::Error| OutputError {
        path: path.clone(),
        source,
    };
    let mut processor = Processor::new(
        episode.channels,
        episode.sample_rate,
        gain_db,
        ceiling_db,
        5.0,
    );
    let mut meter = Meter::new(episode.channels, episode.sample_rate);
    let mut mixer = Mixer::new(episode);
    let mut block = Vec::new();
    let mut processed = Vec::new();
    let mut run = |sink: &mut dyn AudioSink| -> Result<(), OutputError> {
        loop {
            let n = mixer.next_block(&mut block).map_err(|e| spill(e, &path))?;
            processed.clear();
            if n == 0 {
                processor.finish(&mut processed);
            } else {
                processor.process(&block, &mut processed);
            }
            meter.add(&processed);
            sink.write(&processed).map_err(io)?;
            progress(n as u64);
            if n == 0 {
                break;
            }
        }
        sink.finish().map_err(io)
    };
    match settings.format {
        AudioFormat::Wav => {
            let info = {
                let mut sink = WavSink::new(file.writer(), episode).map_err(io)?;
                run(&mut sink)?;
                sink.info().to_vec()
            };
            append_info(file.writer(), &info).map_err(io)?;
        }
        AudioFormat::Mp3 => {
            let encoder = format!(
                "articast {} (LAME {})",
                env!("CARGO_PKG_VERSION"),
                super::mp3::lame_version()
            );
            let tag = tags::id3_tag(episode, settings.cover.as_ref(), &encoder);
            let id3 = tags::id3_bytes(&tag).map_err(io)?;
            let mut sink = Mp3Sink::new(
                file.writer(),
                &id3,
                episode.channels,
                episode.sample_rate,
                settings.mp3,
            )
            .map_err(io)?;
            run(&mut sink)?;
        }
    }
    Ok((meter.loudness(), processor.min_gain))
}

/// Decodes an encoded file (with symphonia, not the encoder) and measures it: what a
/// listener's player will actually play.
fn measure_encoded(
    path: &Path,
    channels: u16,
    rate: u32,
    dest: &Path,
) -> Result<Loudness, OutputError> {
    let mut meter = Meter::new(channels, rate);
    crate::assemble::music::for_each_block(path, |block, _, _| {
        meter.add(block);
        Ok(())
    })
    .map_err(|e| OutputError {
        path: dest.to_path_buf(),
        source: std::io::Error::other(format!("reading back the encoded audio: {e}")),
    })?;
    Ok(meter.loudness())
}

/// Runs the mix through gain and limiter without encoding, and measures the result.
fn process_pass(
    episode: &Episode,
    gain_db: f64,
    ceiling_db: f64,
    progress: &dyn Fn(u64),
) -> Result<Loudness, AssembleError> {
    let mut processor = Processor::new(
        episode.channels,
        episode.sample_rate,
        gain_db,
        ceiling_db,
        5.0,
    );
    let mut meter = Meter::new(episode.channels, episode.sample_rate);
    let mut mixer = Mixer::new(episode);
    let (mut block, mut processed) = (Vec::new(), Vec::new());
    loop {
        let n = mixer.next_block(&mut block)?;
        processed.clear();
        if n == 0 {
            processor.finish(&mut processed);
        } else {
            processor.process(&block, &mut processed);
        }
        meter.add(&processed);
        progress(n as u64);
        if n == 0 {
            return Ok(meter.loudness());
        }
    }
}

/// Finds the static gain that lands the limited mix on `target` (within 0.1 LU), by
/// secant steps: limiting makes loudness grow more slowly than gain.
fn converge_gain(
    episode: &Episode,
    target: f64,
    start: (f64, f64),
    ceiling_db: f64,
    progress: &dyn Fn(u64),
) -> Result<f64, AssembleError> {
    let (mut gain, mut loudness) = start;
    let mut slope = 1.0;
    for _ in 0..4 {
        let next = gain + (target - loudness) / slope;
        let measured = process_pass(episode, next, ceiling_db, progress)?.integrated_lufs;
        if (next - gain).abs() > 1e-6 {
            slope = ((measured - loudness) / (next - gain)).clamp(0.2, 1.0);
        }
        gain = next;
        loudness = measured;
        if (loudness - target).abs() <= 0.1 {
            break;
        }
    }
    Ok(gain)
}

/// Masters `episode` into `path`. `progress` is called with frames done, once per block,
/// across all passes (each pass covers every frame once).
pub fn write_episode(
    episode: &Episode,
    path: &Path,
    settings: &MasterSettings,
    progress: &dyn Fn(u64),
) -> Result<MasterReport, OutputError> {
    let input = measure(episode, progress).map_err(|e| spill(e, path))?;
    let target_peak = settings
        .loudness
        .map_or(settings.ceiling_dbtp, |t| t.true_peak_dbtp);
    // Sample peaks stay under the true-peak ceiling with room for inter-sample peaks,
    // and for MP3 for the codec's overshoot.
    let margin = match settings.format {
        AudioFormat::Wav => 0.3,
        AudioFormat::Mp3 => 0.8,
    };
    let mut ceiling_db = target_peak - margin;
    let silent = input.integrated_lufs <= -70.0;
    let mut gain_db = 0.0;
    let mut passes = 0;
    // What the pre-encoding mix aims at: the target, shifted by the codec's offset once
    // an encode has shown it.
    let mut aim = settings.loudness.map(|t| t.integrated_lufs);
    loop {
        if let (Some(aim), false) = (aim, silent) {
            let start = if passes == 0 {
                (0.0, input.integrated_lufs)
            } else {
                (
                    gain_db,
                    process_pass(episode, gain_db, ceiling_db, progress)
                        .map_err(|e| spill(e, path))?
                        .integrated_lufs,
                )
            };
            gain_db = converge_gain(episode, aim, start, ceiling_db, progress)
                .map_err(|e| spill(e, path))?;
        }
        passes += 1;
        let mut file = AtomicFile::create(path)?;
        let (mut output, min_gain) =
            encode_pass(episode, &mut file, settings, gain_db, ceiling_db, progress)?;
        let mut codec_offset = 0.0;
        if settings.format == AudioFormat::Mp3 {
            // A lossy codec changes loudness (its low-pass removes sibilance) and peaks;
            // judge the file by what decodes from it.
            file.flush().map_err(|source| OutputError {
                path: path.to_path_buf(),
                source,
            })?;
            let decoded = measure_encoded(
                file.temp_path(),
                episode.channels,
                episode.sample_rate,
                path,
            )?;
            codec_offset = decoded.integrated_lufs - output.integrated_lufs;
            output = decoded;
        }
        let loudness_ok = silent
            || settings
                .loudness
                .is_none_or(|t| (output.integrated_lufs - t.integrated_lufs).abs() <= 0.3);
        let peak_ok = output.true_peak_dbtp <= target_peak + 0.05;
        if (loudness_ok && peak_ok) || passes >= 3 {
            file.commit()?;
            return Ok(MasterReport {
                input,
                output,
                gain_db,
                limiter_db: 20.0 * (min_gain.max(1e-6) as f64).log10(),
                passes,
                on_target: loudness_ok && peak_ok,
            });
        }
        // Aim the next pass past the codec's offset, and lower the ceiling by the overshoot.
        if let Some(t) = settings.loudness {
            aim = Some(t.integrated_lufs - codec_offset);
        }
        if !peak_ok {
            ceiling_db -= output.true_peak_dbtp - target_peak + 0.1;
        }
    }
}
