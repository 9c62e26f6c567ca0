//! Mastering: the episode is mixed, brought to its loudness target, limited and encoded,
//! streaming, in as many passes as it takes.
//!
//! Pass one measures the raw mix. Then gain passes (mix, gain, limiter, meter; nothing
//! written) find by secant steps the gain that lands the limited mix within 0.2 LU of
//! the target. The encoding pass writes a temporary file beside the destination and
//! measures what it produced (for MP3 by decoding the file with symphonia, since the
//! codec shifts loudness and peaks); if that is within ±0.3 LU of the target with true
//! peaks under the ceiling, the file is renamed into place, otherwise the aim is
//! corrected by the codec's offset and the ceiling by the overshoot, and it runs again
//! (at most three encodes). Memory stays at one block throughout.

use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

use serde::Serialize;

use super::atomic::AtomicFile;
use super::cover::Cover;
use super::mp3::{Mp3Mode, Mp3Sink};
use super::sink::AudioSink;
use super::wav::{append_trailer, WavSink};
use super::{tags, OutputError};
use crate::assemble::loudness::{Loudness, LoudnessTarget, Meter, Processor};
use crate::assemble::mix::Mixer;
use crate::assemble::{AssembleError, Episode};
use crate::cancel::{Cancel, Cancelled};

/// Audio formats articast writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum AudioFormat {
    /// 16-bit PCM WAV with RIFF INFO tags.
    Wav,
    /// MP3 (LAME) with ID3v2.4 tags and chapters.
    Mp3,
}

impl AudioFormat {
    /// Its name for people.
    pub fn name(self) -> &'static str {
        match self {
            AudioFormat::Wav => "WAV",
            AudioFormat::Mp3 => "MP3",
        }
    }

    /// Its file extension.
    pub fn extension(self) -> &'static str {
        match self {
            AudioFormat::Wav => "wav",
            AudioFormat::Mp3 => "mp3",
        }
    }

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
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct MasterReport {
    /// Integrated loudness of the raw mix, LUFS (measured only when normalizing).
    pub input_lufs: Option<f64>,
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

/// Streams the episode through the mixer and, when given, gain and limiter on a producer
/// thread; each processed block goes to `meter` on a second thread and to `consume`
/// (the encoder) on this one. Mixing and limiting, metering and encoding thus run side by
/// side. Returns the limiter's smallest gain and the meter.
fn stream(
    episode: &Episode,
    processor: Option<Processor>,
    mut meter: Meter,
    path: &Path,
    progress: &Progress,
    mut consume: impl FnMut(&[f32]) -> Result<(), OutputError>,
) -> Result<(f32, Meter), OutputError> {
    type Block = Arc<Vec<f32>>;
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<Result<(Block, usize), AssembleError>>(8);
        let (meter_tx, meter_rx) = sync_channel::<Block>(8);
        let producer = scope.spawn(move || {
            let mut processor = processor;
            let mut mixer = Mixer::new(episode);
            let mut block = Vec::new();
            loop {
                let n = match mixer.next_block(&mut block) {
                    Ok(n) => n,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                };
                let mut out = Vec::with_capacity(block.len() + 1024);
                match processor.as_mut() {
                    Some(p) if n == 0 => p.finish(&mut out),
                    Some(p) => p.process(&block, &mut out),
                    None => out.extend_from_slice(&block),
                }
                let out = Arc::new(out);
                // A closed channel means a consumer failed and stopped listening.
                if meter_tx.send(Arc::clone(&out)).is_err()
                    || tx.send(Ok((out, n))).is_err()
                    || n == 0
                {
                    break;
                }
            }
            processor.map_or(1.0, |p| p.min_gain)
        });
        let metering = scope.spawn(move || {
            for block in meter_rx {
                meter.add(&block);
            }
            meter
        });
        let mut result = Ok(());
        for message in rx {
            if progress.cancel.is_cancelled() {
                result = Err(OutputError {
                    path: path.to_path_buf(),
                    source: std::io::Error::new(std::io::ErrorKind::Interrupted, Cancelled),
                });
                break;
            }
            let step = message
                .map_err(|e| spill(e, path))
                .and_then(|(block, frames)| {
                    consume(&block)?;
                    (progress.frames)(frames as u64);
                    Ok(())
                });
            if step.is_err() {
                result = step;
                break;
            }
        }
        let min_gain = producer.join().unwrap_or(1.0);
        let meter = metering.join().map_err(|_| OutputError {
            path: path.to_path_buf(),
            source: std::io::Error::other("the loudness meter thread panicked"),
        })?;
        result.map(|()| (min_gain, meter))
    })
}

/// The gain and look-ahead limiter every pass applies (5 ms of look-ahead).
fn limiter(episode: &Episode, gain_db: f64, ceiling_db: f64) -> Processor {
    Processor::new(
        episode.channels,
        episode.sample_rate,
        gain_db,
        ceiling_db,
        5.0,
    )
}

/// Measures the raw mix's integrated loudness.
fn measure(episode: &Episode, path: &Path, progress: &Progress) -> Result<f64, OutputError> {
    let meter = Meter::integrated_only(episode.channels, episode.sample_rate);
    let (_, meter) = stream(episode, None, meter, path, progress, |_| Ok(()))?;
    Ok(meter.loudness().integrated_lufs)
}

/// One encoding pass into `file`; returns the loudness of what was encoded and the
/// deepest limiter gain.
fn encode_pass(
    episode: &Episode,
    file: &mut AtomicFile,
    settings: &MasterSettings,
    gain_db: f64,
    ceiling_db: f64,
    progress: &Progress,
) -> Result<(Loudness, f32), OutputError> {
    let path = file.path().to_path_buf();
    let io = |source: std::io::Error| OutputError {
        path: path.clone(),
        source,
    };
    let processor = limiter(episode, gain_db, ceiling_db);
    // For MP3 the decoded file is measured afterwards; only WAV needs true peak here.
    let meter = match settings.format {
        AudioFormat::Wav => Meter::new(episode.channels, episode.sample_rate),
        AudioFormat::Mp3 => Meter::integrated_only(episode.channels, episode.sample_rate),
    };
    let mut measured = None;
    let run = |sink: &mut dyn AudioSink| -> Result<(), OutputError> {
        let (min_gain, meter) =
            stream(episode, Some(processor), meter, &path, progress, |block| {
                sink.write(block).map_err(io)
            })?;
        measured = Some((meter.loudness(), min_gain));
        sink.finish().map_err(io)
    };
    match settings.format {
        AudioFormat::Wav => {
            let info = {
                let mut sink = WavSink::new(file.writer(), episode).map_err(io)?;
                run(&mut sink)?;
                sink.trailer().to_vec()
            };
            append_trailer(file.writer(), &info).map_err(io)?;
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
    measured.ok_or_else(|| OutputError {
        path: path.clone(),
        source: std::io::Error::other("the encoder produced nothing"),
    })
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
    path: &Path,
    progress: &Progress,
) -> Result<f64, OutputError> {
    let processor = limiter(episode, gain_db, ceiling_db);
    let meter = Meter::integrated_only(episode.channels, episode.sample_rate);
    let (_, meter) = stream(episode, Some(processor), meter, path, progress, |_| Ok(()))?;
    Ok(meter.loudness().integrated_lufs)
}

/// Finds the static gain that lands the limited mix on `target` (within 0.2 LU), by
/// secant steps from the raw loudness: limiting makes loudness grow more slowly than
/// gain, and the steps learn by how much. Returns the gain and the last slope (LU per dB).
fn converge_gain(
    episode: &Episode,
    target: f64,
    raw_lufs: f64,
    ceiling_db: f64,
    path: &Path,
    progress: &Progress,
) -> Result<(f64, f64), OutputError> {
    let (mut gain, mut loudness, mut slope) = (0.0, raw_lufs, 1.0);
    for _ in 0..4 {
        let next = gain + (target - loudness) / slope;
        let measured = process_pass(episode, next, ceiling_db, path, progress)?;
        if (next - gain).abs() > 1e-6 {
            slope = ((measured - loudness) / (next - gain)).clamp(0.2, 1.0);
        }
        gain = next;
        loudness = measured;
        // Within 0.2 LU: the encoding pass measures the result exactly anyway.
        if (loudness - target).abs() <= 0.2 {
            break;
        }
    }
    Ok((gain, slope))
}

/// Progress reporting and cancellation for mastering.
pub struct Progress<'a> {
    /// Called with frames done, once per block, across all passes (each pass covers
    /// every frame once).
    pub frames: &'a (dyn Fn(u64) + Sync),
    /// Checked once per block: once cancelled, mastering stops and writes nothing.
    pub cancel: &'a Cancel,
}

/// Masters `episode` into `path`, reporting to and checking `progress` once per block.
pub fn write_episode(
    episode: &Episode,
    path: &Path,
    settings: &MasterSettings,
    progress: &Progress,
) -> Result<MasterReport, OutputError> {
    // Without a loudness target the raw level is not needed: one pass saved.
    let input = match settings.loudness {
        Some(_) => Some(measure(episode, path, progress)?),
        None => None,
    };
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
    let silent = input.is_some_and(|l| l <= -70.0);
    // LAME's low-pass at podcast bit rates takes about 0.3 LU off speech (it removes
    // sibilance that K-weighting counts): aim that much higher before encoding, so that the
    // first encode usually lands. What decodes from the file is still measured and
    // corrected, so a different offset only costs one more encode.
    let codec_allowance = match settings.format {
        AudioFormat::Wav => 0.0,
        AudioFormat::Mp3 => 0.3,
    };
    let (mut gain_db, mut slope) = match (settings.loudness, input) {
        (Some(t), Some(raw)) if !silent => converge_gain(
            episode,
            t.integrated_lufs + codec_allowance,
            raw,
            ceiling_db,
            path,
            progress,
        )?,
        _ => (0.0, 1.0),
    };
    let mut passes = 0;
    let mut last_encode: Option<(f64, f64)> = None;
    loop {
        passes += 1;
        let mut file = AtomicFile::create(path)?;
        let (mut output, min_gain) =
            encode_pass(episode, &mut file, settings, gain_db, ceiling_db, progress)?;
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
                input_lufs: input,
                output,
                gain_db,
                limiter_db: 20.0 * (min_gain.max(1e-6) as f64).log10(),
                passes,
                on_target: loudness_ok && peak_ok,
            });
        }
        // Correct the gain by what the encode missed (mostly the codec's own offset), and
        // lower the ceiling by the overshoot.
        if let (Some(t), false) = (settings.loudness, silent) {
            // Secant over the encodes once there are two of them.
            if let Some((g, l)) = last_encode {
                if (gain_db - g).abs() > 1e-6 {
                    slope = ((output.integrated_lufs - l) / (gain_db - g)).clamp(0.2, 1.0);
                }
            }
            last_encode = Some((gain_db, output.integrated_lufs));
            gain_db += (t.integrated_lufs - output.integrated_lufs) / slope;
        }
        if !peak_ok {
            ceiling_db -= output.true_peak_dbtp - target_peak + 0.1;
        }
    }
}
