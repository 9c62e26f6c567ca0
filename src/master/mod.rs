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
//!    in order while a second thread decodes what it writes and measures it. The probe's
//!    passes write to the same places, so when the file keeps the gain the probe's last
//!    pass landed on, the probe's clips are already done: a short episode, which is its
//!    own probe, is not mastered again.
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
use crate::cancel::{Cancel, Cancelled};
use crate::meter::{self, integrated_lufs, EnergyBins};
use crate::output::cover::Cover;
use crate::output::mp3::Mp3Mode;
use crate::output::{tags, wav, OutputError};
use segments::{Destination, Levels, Outcome, Segment, Spill};
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
    /// Stretches the file took as the probe's last pass mastered them, at the gain it
    /// found, instead of mastering them again (0 when the file pass had to correct).
    #[serde(default)]
    pub reused_stretches: usize,
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
    // Every pass, the probe's too, writes where the file pass would: the probe's last
    // pass, when the file keeps its gain, is then part of the file.
    let store = Store::open(episode, &segments, settings.format, path)?;
    let to = |index| store.destination(index);
    let mut probe_passes = 0;
    let mut landed = None;
    if let (Some(target), false) = (aim, silent) {
        levels.speech_db = target - raw;
        let found = probe_gain(
            episode,
            &probe,
            levels.clone(),
            target,
            (&to, pool, progress, path),
        )?;
        (levels.speech_db, probe_passes, landed) = (found.gain_db, found.passes, found.landed);
    }

    let mut passes = 0;
    let mut slope = 1.0;
    let mut previous: Option<(f64, f64)> = None;
    loop {
        passes += 1;
        // Only the first pass runs at the gain the probe landed on.
        let reused: Vec<(usize, Outcome)> = landed
            .take()
            .map(|outcomes| {
                probe
                    .iter()
                    .map(|&(index, _)| index)
                    .zip(outcomes)
                    .collect()
            })
            .unwrap_or_default();
        let reused_stretches = reused.len();
        let outcomes = master_pass(
            episode,
            &segments,
            &levels,
            reused,
            (&to, pool, progress, path),
        )?;
        let t = totals(episode, &segments, &outcomes);
        let (report, file) = match &store {
            Store::Wav { .. } => {
                let output = Loudness {
                    integrated_lufs: t.whole_lufs,
                    true_peak_dbtp: t.true_peak_dbtp,
                };
                (finish_report(raw, &levels, &t, output, passes), None)
            }
            Store::Mp3 { spill } => {
                let (file, decoded) =
                    mp3_encode(episode, &segments, spill, settings, pool, progress, path)?;
                (finish_report(raw, &levels, &t, decoded, passes), Some(file))
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
            match (file, store) {
                (Some(file), _) => file.commit()?,
                (None, Store::Wav { file, .. }) => file.commit()?,
                (None, Store::Mp3 { .. }) => unreachable!("an MP3 pass makes its file"),
            }
            return Ok(MasterReport {
                on_target: loudness_ok && peak_ok,
                probe_stretches: probe.len(),
                probe_passes,
                reused_stretches,
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

/// What every pass needs besides its stretches and levels: where each stretch goes,
/// the threads, progress and cancellation, and the output's path for errors.
type PassContext<'a, 'd> = (
    &'a (dyn Fn(usize) -> Destination<'d> + Sync),
    &'a rayon::ThreadPool,
    &'a Progress<'a>,
    &'a Path,
);

/// Where passes write: the WAV file itself, each stretch at its place, or the spill
/// folder the MP3 encoder reads in order.
enum Store {
    /// The WAV file, its header and trailer written, its data silent until written.
    Wav {
        /// The file, renamed into place once the last pass is accepted.
        file: AtomicFile,
        /// Where its sample data begins, in bytes.
        data_offset: u64,
    },
    /// The spill file the encoder reads.
    Mp3 {
        /// The spill file.
        spill: Spill,
    },
}

impl Store {
    fn open(
        episode: &Episode,
        segments: &[(usize, Segment)],
        format: AudioFormat,
        path: &Path,
    ) -> Result<Store, OutputError> {
        let err = io_err(path);
        match format {
            AudioFormat::Mp3 => {
                let stretches: Vec<Segment> = segments.iter().map(|&(_, s)| s).collect();
                let spill = Spill::create(episode, &stretches).map_err(&err)?;
                Ok(Store::Mp3 { spill })
            }
            AudioFormat::Wav => {
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
                write_all_at(f, &header, 0).map_err(&err)?;
                let end = header.len() as u64 + data_bytes;
                let pad: &[u8] = if data_bytes % 2 == 1 { &[0] } else { &[] };
                write_all_at(f, &[pad, &trailer].concat(), end).map_err(&err)?;
                Ok(Store::Wav {
                    data_offset: header.len() as u64,
                    file,
                })
            }
        }
    }

    /// Where stretch `index` goes.
    fn destination(&self, index: usize) -> Destination<'_> {
        match self {
            Store::Wav { file, data_offset } => Destination::Pcm16 {
                file: file.file(),
                data_offset: *data_offset,
            },
            Store::Mp3 { spill } => Destination::Spill { spill, index },
        }
    }
}

/// Masters every stretch of `segments` at `levels`, except those `reused` gives by
/// index with their outcomes (already written where [`PassContext`] sends them, at
/// these levels); the outcomes in the order of `segments`.
fn master_pass(
    episode: &Episode,
    segments: &[(usize, Segment)],
    levels: &Levels,
    reused: Vec<(usize, Outcome)>,
    (to, pool, progress, path): PassContext,
) -> Result<Vec<Outcome>, OutputError> {
    let mut done: Vec<Option<Outcome>> = vec![None; segments.len()];
    for (index, outcome) in reused {
        (progress.frames)(outcome.frames);
        done[index] = Some(outcome);
    }
    let todo: Vec<(usize, Segment)> = segments
        .iter()
        .copied()
        .filter(|&(index, _)| done[index].is_none())
        .collect();
    let outcomes = run(episode, &todo, levels, to, pool, progress, path)?;
    for (&(index, _), outcome) in todo.iter().zip(outcomes) {
        done[index] = Some(outcome);
    }
    Ok(done
        .into_iter()
        .map(|o| o.expect("every stretch mastered or reused"))
        .collect())
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

/// What the probe found.
struct ProbeGain {
    /// The speech gain, dB.
    gain_db: f64,
    /// Passes over the probe it took.
    passes: u32,
    /// The outcomes of the last pass, when it ran at `gain_db` and landed on the target:
    /// the probe's stretches are then mastered and written for the file.
    landed: Option<Vec<Outcome>>,
}

/// The speech gain that lands the mastered probe on `target`: the compressor and
/// limiter take more off the louder it is pushed, so the gain is found by secant steps
/// on the probe (cheap: a tenth of a long episode), starting from `levels`. Each pass
/// writes its stretches where `context` sends them.
fn probe_gain(
    episode: &Episode,
    probe: &[(usize, Segment)],
    mut levels: Levels,
    target: f64,
    (to, pool, progress, path): PassContext,
) -> Result<ProbeGain, OutputError> {
    let mut previous: Option<(f64, f64)> = None;
    let mut passes = 0;
    // Speech gains about 0.8 LU per dB once the compressor works (measured on eSpeak NG
    // and Piper voices); the secant learns the rest.
    let mut slope = 0.8;
    for _ in 0..5 {
        passes += 1;
        let outcomes = run(episode, probe, &levels, to, pool, progress, path)?;
        let Some(measured) = totals(episode, probe, &outcomes).speech_lufs else {
            break;
        };
        if measured <= -70.0 {
            break;
        }
        if (measured - target).abs() <= 0.1 {
            return Ok(ProbeGain {
                gain_db: levels.speech_db,
                passes,
                landed: Some(outcomes),
            });
        }
        if let Some((g, l)) = previous {
            if (levels.speech_db - g).abs() > 1e-6 {
                slope = ((measured - l) / (levels.speech_db - g)).clamp(0.1, 1.0);
            }
        }
        previous = Some((levels.speech_db, measured));
        levels.speech_db += (target - measured) / slope;
    }
    Ok(ProbeGain {
        gain_db: levels.speech_db,
        passes,
        landed: None,
    })
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
        reused_stretches: 0,
        on_target: false,
    }
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

/// Encodes the stretches in `spill` into the MP3 file at `path`, in pieces on
/// every core ([`pieces`]), each decoded back and measured as it is made.
fn mp3_encode(
    episode: &Episode,
    segments: &[(usize, Segment)],
    spill: &Spill,
    settings: &MasterSettings,
    pool: &rayon::ThreadPool,
    progress: &Progress,
    path: &Path,
) -> Result<(AtomicFile, Loudness), OutputError> {
    let err = io_err(path);
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
            spill,
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
    Ok((file, decoded))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assemble::store::{write_raw, StoredClip};
    use crate::assemble::{EpisodeMeta, PlacedClip};

    /// `clips` bursts of a noisy tone, louder and quieter in turn, with a pause after
    /// each, at 8 kHz.
    fn episode(dir: &Path, clips: usize) -> Episode {
        let rate = 8000;
        let (length, pause) = (2400u64, 2400u64);
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let speech = (0..clips)
            .map(|i| {
                // Slowly varying, so that the probe (every 2.5th clip) stands for all.
                let amp = 0.2 + 0.15 * (i as f32 / 10.0).sin();
                let samples: Vec<f32> = (0..length)
                    .map(|n| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        let noise = (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
                        // A click now and then, for the compressor and limiter.
                        let click = if n % 500 == 250 { 2.5 } else { 0.0 };
                        amp * ((n as f32 * 0.31).sin() + 0.3 * noise + click)
                    })
                    .collect();
                let path = dir.join(format!("clip-{i}.f32"));
                write_raw(&path, &samples).unwrap();
                PlacedClip {
                    start: i as u64 * (length + pause),
                    clip: StoredClip::whole_file(path, length),
                }
            })
            .collect();
        Episode {
            sample_rate: rate,
            channels: 1,
            frames: clips as u64 * (length + pause),
            speech,
            music: Vec::new(),
            bed: None,
            cues: Vec::new(),
            chapters: Vec::new(),
            meta: EpisodeMeta::default(),
        }
    }

    /// The clips the file pass took from the probe are the bytes a pass mastering every
    /// clip at the gain the probe found writes: the probe's clips and the others are
    /// mastered alike.
    #[test]
    fn clips_reused_from_the_probe_are_what_a_full_pass_writes() {
        let dir = tempfile::tempdir().unwrap();
        let episode = episode(dir.path(), 150);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let cancel = Cancel::new();
        let progress = Progress {
            frames: &|_| {},
            cancel: &cancel,
        };
        let target = LoudnessTarget {
            integrated_lufs: -19.0,
            true_peak_dbtp: -1.0,
        };
        let settings = MasterSettings {
            format: AudioFormat::Wav,
            loudness: Some(target),
            ceiling_dbtp: -1.0,
            mp3: Mp3Mode::Cbr { kbps: 64 },
            cover: None,
        };
        let written = dir.path().join("episode.wav");
        let report = write_episode(&episode, &written, &settings, &progress, &pool).unwrap();
        assert!(report.on_target, "{report:?}");
        assert!(
            report.limiter_db > 0.5,
            "the clicks are limited: {report:?}"
        );
        assert_eq!(
            (report.passes, report.probe_stretches),
            (1, 60),
            "{report:?}"
        );
        assert_eq!(report.reused_stretches, 60, "{report:?}");

        // Every clip mastered once, at the probe's gain, into a second file.
        let reference = dir.path().join("reference.wav");
        let segments: Vec<(usize, Segment)> =
            Segment::plan(&episode).into_iter().enumerate().collect();
        let store = Store::open(&episode, &segments, AudioFormat::Wav, &reference).unwrap();
        let levels = Levels {
            speech_db: report.gain_db,
            music_db: Vec::new(),
            bed_db: 0.0,
            ceiling_db: target.true_peak_dbtp - 0.1,
            compress: true,
            bypass: false,
        };
        let to = |index| store.destination(index);
        master_pass(
            &episode,
            &segments,
            &levels,
            Vec::new(),
            (&to, &pool, &progress, &reference),
        )
        .unwrap();
        let Store::Wav { file, .. } = store else {
            unreachable!("a WAV store")
        };
        file.commit().unwrap();
        let (a, b) = (
            std::fs::read(&written).unwrap(),
            std::fs::read(&reference).unwrap(),
        );
        assert_eq!(a.len(), b.len());
        assert!(a == b, "the reused clips differ from a full pass");
    }
}
