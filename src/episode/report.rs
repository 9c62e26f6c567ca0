//! What rendering an episode made and measured: the record `render --json` prints, and
//! that a batch's manifest keeps for every article.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::language::detect::LanguageSource;
use crate::master::{AudioFormat, MasterReport};

/// One rendered episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpisodeReport {
    /// The audio file.
    pub output: PathBuf,
    /// Its format.
    pub format: AudioFormat,
    /// Files written beside it (transcripts, chapters).
    pub sidecars: Vec<PathBuf>,
    /// Size of the audio file in bytes.
    pub bytes: u64,
    /// Length in seconds.
    pub duration_secs: f64,
    /// Sample rate in Hz.
    pub sample_rate: u32,
    /// 1 (mono) or 2 (stereo, with stereo music).
    pub channels: u16,
    /// Chunks spoken.
    pub chunks: usize,
    /// Chapters, with their start times.
    pub chapters: Vec<ChapterReport>,
    /// Language code.
    pub language: String,
    /// How the language was decided.
    pub language_source: LanguageSource,
    /// The voice's name.
    pub voice: String,
    /// The engine that spoke.
    pub engine: String,
    /// Synthesis threads.
    pub threads: usize,
    /// Chunks synthesized in this run.
    pub synthesized: usize,
    /// Chunks reused from the clip cache.
    pub cache_hits: usize,
    /// Blocks the cleaner dropped from the article.
    pub dropped_blocks: usize,
    /// Loudness figures.
    pub loudness: MasterReport,
    /// Peak resident memory of the process so far (Linux; absent elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_rss_bytes: Option<u64>,
    /// Wall time for the whole episode, seconds.
    pub elapsed_secs: f64,
    /// Synthesis (and clip preparation) alone, seconds.
    pub synthesis_secs: f64,
    /// Mixing, loudness passes and encoding, seconds.
    pub mastering_secs: f64,
    /// Seconds of audio per second of wall time.
    pub realtime_factor: f64,
}

/// A chapter of a rendered episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChapterReport {
    /// Its title.
    pub title: String,
    /// Where it starts, seconds.
    pub start_secs: f64,
}

/// This process's peak resident memory, from `/proc/self/status` (Linux only).
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
