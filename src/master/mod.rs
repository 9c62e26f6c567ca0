//! Mastering: an assembled episode brought to its loudness target under its true-peak
//! ceiling, with speech and music levelled against each other, then encoded.
//!
//! The work is done clip by clip on every core ([`segments`]): each speech clip is
//! followed by a pause, so gain, compressor, limiter and meters run on it alone, and the
//! episode's loudness is the sum of the clips' 100 ms energy bins laid on its timeline
//! ([`crate::meter`]), exactly what a meter reading the whole file finds.
//!
//! 1. A probe, a tenth of the clips (at least 60) spread over the episode, is measured
//!    as synthesized: a tenth of a long episode is within a tenth of a LU of the whole.
//! 2. The probe is mastered at the gain that asks for, which shows how much the
//!    compressor and limiter take off; secant steps on the probe find the gain that
//!    lands it on the target.
//! 3. One pass masters every clip: for WAV, straight into the file as dithered 16-bit
//!    samples at their places; for MP3, into spilled blocks that the encoder then reads
//!    in order while a second thread decodes what it writes and measures it.
//! 4. If the result misses the target (rare: ±0.2 LU for WAV, ±0.3 for MP3 as decoded) or
//!    a true peak passes the ceiling, the gain and ceiling are corrected and the pass
//!    runs again, at most three times.
//!
//! Intros and outros are set 3 LU under the speech, and a bed at its level relative to
//! the speech: music levelled against the voice, as podcast producers do, so that the
//! voice meets the target and nothing is louder than it. An episode with a bed is one
//! stretch, mastered in order through the mixer. Memory holds one block per thread.

pub mod dynamics;
pub mod pieces;
pub mod segments;
pub mod timeline;
pub mod truepeak;
pub mod verify;

use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::assemble::loudness::{Loudness, LoudnessTarget};
use crate::assemble::Episode;
use crate::atomic::AtomicFile;
use crate::cancel::{Cancel, Cancelled, ScratchDir};
use crate::meter::{self, integrated_lufs, EnergyBins};
use crate::output::cover::Cover;
use crate::output::mp3::Mp3Mode;
use crate::output::{tags, wav, OutputError};
use segments::{Destination, Levels, Outcome, Segment};
use std::io::Write;

/// A gain that silences a source, dB.
const MUTED_DB: f64 = -200.0;

/// How far intros and outros sit under the speech, LU.
pub const MUSIC_UNDER_SPEECH_LU: f64 = 3.0;

/// Audio formats articast writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
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
    /// The loudness target; `None` leaves the speech's level as it is (peaks are still
    /// limited, and music is still levelled against the speech).
    pub loudness: Option<LoudnessTarget>,
    /// The true-peak ceiling when `loudness` is `None`, in dBTP.
    pub ceiling_dbtp: f64,
    /// MP3 encoding.
    pub mp3: Mp3Mode,
    /// Cover art for the tags.
    pub cover: Option<Cover>,
}

/// What mastering measured and did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MasterReport {
    /// Integrated loudness of the speech as synthesized, LUFS.
    pub input_lufs: Option<f64>,
    /// The final episode (for MP3, as decoded from the file).
    pub output: Loudness,
    /// Integrated loudness of the speech alone in the final episode (before encoding).
    #[serde(default)]
    pub speech_lufs: Option<f64>,
    /// Static gain applied to the speech, dB.
    pub gain_db: f64,
    /// The compressor's deepest reduction, dB (0: it never acted).
    #[serde(default)]
    pub compressor_db: f64,
    /// The limiter's deepest reduction, dB (0: it never acted).
    pub limiter_db: f64,
    /// Share of the episode where the limiter took more than 1 dB, percent.
    #[serde(default)]
    pub limited_percent: f64,
    /// Mastering passes over the whole episode (the probe not counted).
    pub passes: u32,
    /// Stretches in the probe (speech clips, or 1 for an episode with a bed), and how
    /// many times it was mastered to find the gain: the probe's cost, in clips, is
    /// their product.
    #[serde(default)]
    pub probe_stretches: usize,
    /// See [`MasterReport::probe_stretches`].
    #[serde(default)]
    pub probe_passes: u32,
    /// Whether the target was met and the ceiling held.
    pub on_target: bool,
}

/// Progress reporting and cancellation for mastering.
pub struct Progress<'a> {
    /// Called with frames done as stretches finish (each pass covers every frame once).
    pub frames: &'a (dyn Fn(u64) + Sync),
    /// Checked before each stretch: once cancelled, mastering stops and writes nothing.
    pub cancel: &'a Cancel,
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> OutputError + '_ {
    move |source| OutputError {
        path: path.to_path_buf(),
        source,
    }
}

fn cancelled(path: &Path) -> OutputError {
    OutputError {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::Interrupted, Cancelled),
    }
}

/// The clips a probe masters: all of them for short episodes, else a tenth (at least
/// 60) spread evenly over the episode.
fn probe_clips(clips: usize) -> Vec<usize> {
    let count = (clips / 10).max(60);
    if clips <= count {
        return (0..clips).collect();
    }
    (0..count).map(|k| k * clips / count).collect()
}

/// Masters `segments` at `levels` on `pool`, each into the destination `to` gives it.
fn run<'d>(
    episode: &Episode,
    segments: &[(usize, Segment)],
    levels: &Levels,
    to: &(dyn Fn(usize) -> Destination<'d> + Sync),
    pool: &rayon::ThreadPool,
    progress: &Progress,
    path: &Path,
) -> Result<Vec<Outcome>, OutputError> {
    pool.install(|| {
        segments
            .par_iter()
            .map(|&(index, segment)| {
                if progress.cancel.is_cancelled() {
                    return Err(cancelled(path));
                }
                let outcome =
                    segments::master(episode, segment, levels, to(index)).map_err(io_err(path))?;
                (progress.frames)(outcome.frames);
                Ok(outcome)
            })
            .collect()
    })
}

/// What a set of mastered stretches adds up to.
struct Totals {
    whole_lufs: f64,
    speech_lufs: Option<f64>,
    true_peak_dbtp: f64,
    compressor_db: f64,
    limiter_db: f64,
    limited_percent: f64,
}

fn totals(episode: &Episode, segments: &[(usize, Segment)], outcomes: &[Outcome]) -> Totals {
    let rate = episode.sample_rate;
    let (mut whole, mut speech) = (EnergyBins::default(), EnergyBins::default());
    let mut any_speech = false;
    let (mut peak, mut comp, mut lim) = (0f32, 1f32, 1f32);
    let mut limited = 0u64;
    for (&(_, segment), o) in segments.iter().zip(outcomes) {
        whole.add(&o.bins);
        if segment.is_speech() {
            speech.add(&o.bins);
            any_speech = true;
        } else if segment == Segment::Whole {
            // The whole mix: the speech is what lies between the first and last word
            // (with the bed under it, far below).
            speech.add(&speech_span(episode, &o.bins));
            any_speech = !episode.speech.is_empty();
        }
        peak = peak.max(o.true_peak);
        comp = comp.min(o.compressor_min);
        lim = lim.min(o.limiter_min);
        limited += o.limited_frames;
    }
    let db = |g: f32| -20.0 * (g.max(1e-6) as f64).log10();
    Totals {
        whole_lufs: integrated_lufs(&whole, rate),
        speech_lufs: any_speech.then(|| integrated_lufs(&speech, rate)),
        true_peak_dbtp: truepeak::to_dbtp(peak),
        compressor_db: db(comp),
        limiter_db: db(lim),
        limited_percent: 100.0 * limited as f64 / episode.frames.max(1) as f64,
    }
}

/// The bins of `bins` that lie where the episode's speech is.
fn speech_span(episode: &Episode, bins: &EnergyBins) -> EnergyBins {
    let bin = meter::bin_frames(episode.sample_rate);
    let (Some(first), Some(last)) = (episode.speech.first(), episode.speech.last()) else {
        return EnergyBins::default();
    };
    let (from, to) = (
        first.start / bin,
        (last.start + last.clip.frames).div_ceil(bin),
    );
    let sums = (from..to)
        .map(|b| {
            b.checked_sub(bins.first)
                .and_then(|i| bins.sums.get(i as usize))
                .copied()
                .unwrap_or(0.0)
        })
        .collect();
    EnergyBins { first: from, sums }
}

/// Masters `episode` into `path` on `pool`.
pub fn write_episode(
    episode: &Episode,
    path: &Path,
    settings: &MasterSettings,
    progress: &Progress,
    pool: &rayon::ThreadPool,
) -> Result<MasterReport, OutputError> {
    let segments: Vec<(usize, Segment)> = Segment::plan(episode).into_iter().enumerate().collect();
    let target_peak = settings
        .loudness
        .map_or(settings.ceiling_dbtp, |t| t.true_peak_dbtp);
    // The limiter holds true peaks; a little room stays for its approximations, and for
    // MP3 for the codec's overshoot.
    let margin = match settings.format {
        AudioFormat::Wav => 0.1,
        AudioFormat::Mp3 => 0.5,
    };
    let (tolerance, codec_aim) = match settings.format {
        AudioFormat::Wav => (0.2, 0.0),
        // LAME's low-pass at podcast bit rates takes a little off what K-weighting
        // counts; aim that much higher, and let the decoded file correct the rest.
        AudioFormat::Mp3 => (0.3, 0.45),
    };
    let mut levels = Levels {
        speech_db: 0.0,
        music_db: vec![0.0; episode.music.len()],
        bed_db: 0.0,
        ceiling_db: target_peak - margin,
        compress: settings.loudness.is_some(),
        bypass: false,
    };
    let probe = probe_segments(episode, &segments);
    // The speech as synthesized, measured on the probe: a tenth of a long episode is
    // within a tenth of a LU of the whole.
    let raw = {
        // Music muted: with a bed, the probe is the whole mix.
        let raw_levels = Levels {
            bypass: true,
            music_db: vec![MUTED_DB; episode.music.len()],
            bed_db: MUTED_DB,
            ..levels.clone()
        };
        let outcomes = run(
            episode,
            &probe,
            &raw_levels,
            &|_| Destination::Measure,
            pool,
            progress,
            path,
        )?;
        let t = totals(episode, &probe, &outcomes);
        t.speech_lufs.unwrap_or(t.whole_lufs)
    };
    let silent = raw <= -70.0;
    let mut aim = settings.loudness.map(|t| t.integrated_lufs + codec_aim);
    // Music is set against the speech before the probe: with a bed, it is in the mix
    // the probe masters.
    level_music(episode, &mut levels, aim.unwrap_or(raw));
    let mut probe_passes = 0;
    if let (Some(target), false) = (aim, silent) {
        levels.speech_db = target - raw;
        (levels.speech_db, probe_passes) = probe_gain(
            episode,
            &probe,
            levels.clone(),
            target,
            pool,
            progress,
            path,
        )?;
    }

    let mut passes = 0;
    let mut slope = 1.0;
    let mut previous: Option<(f64, f64)> = None;
    loop {
        passes += 1;
        let (report, file) = match settings.format {
            AudioFormat::Wav => {
                let (file, t) = wav_pass(episode, &segments, &levels, pool, progress, path)?;
                let output = Loudness {
                    integrated_lufs: t.whole_lufs,
                    true_peak_dbtp: t.true_peak_dbtp,
                };
                (finish_report(raw, &levels, &t, output, passes), file)
            }
            AudioFormat::Mp3 => {
                let (file, t, decoded) =
                    mp3_pass(episode, &segments, &levels, settings, pool, progress, path)?;
                (finish_report(raw, &levels, &t, decoded, passes), file)
            }
        };
        // The target is the speech's: music sits under it, so the whole file reads a
        // little lower when there is an intro or outro.
        let speech = report.speech_lufs.unwrap_or(report.output.integrated_lufs);
        let loudness_ok = silent
            || settings
                .loudness
                .is_none_or(|t| (speech - t.integrated_lufs).abs() <= tolerance);
        let peak_ok = report.output.true_peak_dbtp <= target_peak + 0.05;
        if (loudness_ok && peak_ok) || passes >= 3 {
            file.commit()?;
            return Ok(MasterReport {
                on_target: loudness_ok && peak_ok,
                probe_stretches: probe.len(),
                probe_passes,
                ..report
            });
        }
        drop(file);
        // Correct the gain by what the pass missed (secant once there are two), and
        // lower the ceiling by any overshoot.
        if let (Some(t), false) = (settings.loudness, silent) {
            let measured = speech;
            if let Some((g, l)) = previous {
                if (levels.speech_db - g).abs() > 1e-6 {
                    slope = ((measured - l) / (levels.speech_db - g)).clamp(0.1, 1.0);
                }
            }
            previous = Some((levels.speech_db, measured));
            let step = (t.integrated_lufs - measured) / slope;
            levels.speech_db += step;
            aim = aim.map(|a| a + step);
            level_music(episode, &mut levels, aim.unwrap_or(raw));
        }
        if !peak_ok {
            levels.ceiling_db -= report.output.true_peak_dbtp - target_peak + 0.1;
        }
    }
}

/// The stretches a probe masters: a tenth of the clips (see [`probe_clips`]), or the
/// whole episode when a bed joins it into one stretch.
fn probe_segments(episode: &Episode, segments: &[(usize, Segment)]) -> Vec<(usize, Segment)> {
    if episode.bed.is_some() {
        return segments.to_vec();
    }
    probe_clips(episode.speech.len())
        .into_iter()
        .map(|i| (i, Segment::Clip(i)))
        .collect()
}

/// The speech gain that lands the mastered probe on `target`, and the passes it took: the compressor and
/// limiter take more off the louder it is pushed, so the gain is found by secant steps
/// on the probe (cheap: a tenth of a long episode), starting from `levels`.
fn probe_gain(
    episode: &Episode,
    probe: &[(usize, Segment)],
    mut levels: Levels,
    target: f64,
    pool: &rayon::ThreadPool,
    progress: &Progress,
    path: &Path,
) -> Result<(f64, u32), OutputError> {
    let mut previous: Option<(f64, f64)> = None;
    let mut passes = 0;
    // Speech gains about 0.8 LU per dB once the compressor works (measured on eSpeak NG
    // and Piper voices); the secant learns the rest.
    let mut slope = 0.8;
    for _ in 0..5 {
        passes += 1;
        let outcomes = run(
            episode,
            probe,
            &levels,
            &|_| Destination::Measure,
            pool,
            progress,
            path,
        )?;
        let Some(measured) = totals(episode, probe, &outcomes).speech_lufs else {
            break;
        };
        if measured <= -70.0 || (measured - target).abs() <= 0.1 {
            break;
        }
        if let Some((g, l)) = previous {
            if (levels.speech_db - g).abs() > 1e-6 {
                slope = ((measured - l) / (levels.speech_db - g)).clamp(0.1, 1.0);
            }
        }
        previous = Some((levels.speech_db, measured));
        levels.speech_db += (target - measured) / slope;
    }
    Ok((levels.speech_db, passes))
}

/// Sets each music track against speech that will sound at `speech_lufs`: intros and
/// outros [`MUSIC_UNDER_SPEECH_LU`] under it, the bed at its own relative level.
fn level_music(episode: &Episode, levels: &mut Levels, speech_lufs: f64) {
    for (gain, placed) in levels.music_db.iter_mut().zip(&episode.music) {
        *gain = if placed.track.lufs > -70.0 {
            (speech_lufs - MUSIC_UNDER_SPEECH_LU - placed.track.lufs).clamp(-40.0, 24.0)
        } else {
            0.0
        };
    }
    if let Some(bed) = &episode.bed {
        levels.bed_db = if bed.track.lufs > -70.0 {
            (speech_lufs - bed.track.lufs).clamp(-40.0, 24.0)
        } else {
            0.0
        };
    }
}

fn finish_report(
    raw: f64,
    levels: &Levels,
    t: &Totals,
    output: Loudness,
    passes: u32,
) -> MasterReport {
    // What the encoder changed in the whole (nothing for WAV) changed the speech too.
    let codec = output.integrated_lufs - t.whole_lufs;
    MasterReport {
        input_lufs: (raw > -70.0).then_some(raw),
        output,
        speech_lufs: t.speech_lufs.map(|s| s + codec),
        gain_db: levels.speech_db,
        compressor_db: t.compressor_db,
        limiter_db: t.limiter_db,
        limited_percent: t.limited_percent,
        passes,
        probe_stretches: 0,
        probe_passes: 0,
        on_target: false,
    }
}

/// One pass that masters every stretch straight into a WAV file.
fn wav_pass(
    episode: &Episode,
    segments: &[(usize, Segment)],
    levels: &Levels,
    pool: &rayon::ThreadPool,
    progress: &Progress,
    path: &Path,
) -> Result<(AtomicFile, Totals), OutputError> {
    let err = io_err(path);
    let file = AtomicFile::create(path)?;
    let data_bytes = episode.frames * episode.channels as u64 * 2;
    let trailer = wav::trailer(episode);
    let header = wav::pcm16_header(
        episode.channels,
        episode.sample_rate,
        data_bytes,
        trailer.len() as u64,
    )
    .map_err(&err)?;
    let f = file.file();
    // Silence is what the file holds until a stretch is written over it.
    f.set_len(0).map_err(&err)?;
    f.set_len(header.len() as u64 + data_bytes).map_err(&err)?;
    let offset = header.len() as u64;
    let outcomes = run(
        episode,
        segments,
        levels,
        &|_| Destination::Pcm16 {
            file: f,
            data_offset: offset,
        },
        pool,
        progress,
        path,
    )?;
    write_all_at(f, &header, 0).map_err(&err)?;
    let end = offset + data_bytes;
    let pad: &[u8] = if data_bytes % 2 == 1 { &[0] } else { &[] };
    write_all_at(f, &[pad, &trailer].concat(), end).map_err(&err)?;
    Ok((file, totals(episode, segments, &outcomes)))
}

#[cfg(unix)]
fn write_all_at(file: &std::fs::File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.write_all_at(bytes, offset)
}

#[cfg(windows)]
fn write_all_at(file: &std::fs::File, mut bytes: &[u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !bytes.is_empty() {
        let n = file.seek_write(bytes, offset)?;
        bytes = &bytes[n..];
        offset += n as u64;
    }
    Ok(())
}

/// One pass that masters every stretch into spills, then encodes the timeline in
/// pieces on every core ([`pieces`]), each decoded back and measured as it is made.
fn mp3_pass(
    episode: &Episode,
    segments: &[(usize, Segment)],
    levels: &Levels,
    settings: &MasterSettings,
    pool: &rayon::ThreadPool,
    progress: &Progress,
    path: &Path,
) -> Result<(AtomicFile, Totals, Loudness), OutputError> {
    let err = io_err(path);
    let scratch = ScratchDir::new().map_err(&err)?;
    let dir = scratch.path().to_path_buf();
    let outcomes = run(
        episode,
        segments,
        levels,
        &|index| Destination::Spill(segments::spill_path(&dir, index)),
        pool,
        progress,
        path,
    )?;
    let totals = totals(episode, segments, &outcomes);
    let mut file = AtomicFile::create(path)?;
    let encoder = format!(
        "articast {} (LAME {})",
        env!("CARGO_PKG_VERSION"),
        crate::output::mp3::lame_version()
    );
    let tag = tags::id3_tag(episode, settings.cover.as_ref(), &encoder);
    let id3 = tags::id3_bytes(&tag).map_err(&err)?;
    let stretches: Vec<Segment> = segments.iter().map(|&(_, s)| s).collect();
    let written = {
        let out = file.writer();
        out.write_all(&id3).map_err(&err)?;
        let encoding = pieces::Encoding {
            episode,
            stretches: &stretches,
            dir: &dir,
            mode: settings.mp3,
        };
        pieces::encode(&encoding, out, pool, progress.frames, &|| {
            progress.cancel.is_cancelled()
        })
        .map_err(|e| {
            if progress.cancel.is_cancelled() {
                cancelled(path)
            } else {
                err(e)
            }
        })?
    };
    let decoded = Loudness {
        integrated_lufs: integrated_lufs(&written.bins, episode.sample_rate),
        true_peak_dbtp: truepeak::to_dbtp(written.peak),
    };
    Ok((file, totals, decoded))
}
