//! The assemble stage: clips and structure become an [`Episode`], a timeline of audio
//! and silences with a timed cue per chunk and the start of every chapter.
//!
//! Each clip is trimmed of the engine's own leading and trailing silence
//! ([`trim`]), resampled to the output rate ([`resample`]), and followed by the pause
//! its chunk's structure calls for. Cue and chapter times are counted in samples from
//! the real clip lengths, so transcripts line up with the audio to the sample.

pub mod resample;
pub mod trim;

use serde::Serialize;

use crate::script::{Pause, Script};
use crate::synth::Clip;
use crate::voice::PauseSettings;

/// Settings for assembly.
#[derive(Debug, Clone)]
pub struct AssembleOptions {
    /// Output sample rate; `None` keeps the backend's.
    pub sample_rate: Option<u32>,
    /// Pause lengths.
    pub pauses: PauseSettings,
    /// Silence before the first word, in milliseconds.
    pub lead_in_ms: u32,
    /// Silence after the last word, in milliseconds.
    pub tail_ms: u32,
}

impl Default for AssembleOptions {
    fn default() -> Self {
        AssembleOptions {
            sample_rate: None,
            pauses: PauseSettings::default(),
            lead_in_ms: 300,
            tail_ms: 1000,
        }
    }
}

/// A piece of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// Speech samples.
    Audio(Vec<f32>),
    /// This many samples of silence.
    Silence(u64),
}

impl Segment {
    /// Length in samples.
    pub fn len(&self) -> u64 {
        match self {
            Segment::Audio(s) => s.len() as u64,
            Segment::Silence(n) => *n,
        }
    }

    /// Whether the segment holds no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One timed line of the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cue {
    /// First sample of the speech.
    pub start: u64,
    /// One past the last sample of the speech.
    pub end: u64,
    /// The text as written.
    pub text: String,
    /// The chunk it comes from.
    pub chunk: usize,
}

/// Where a chapter starts and ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChapterMark {
    /// The chapter's title.
    pub title: String,
    /// First sample.
    pub start: u64,
    /// One past the last sample.
    pub end: u64,
}

/// Descriptive metadata carried into tags and feeds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EpisodeMeta {
    /// Episode title.
    pub title: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Publication date as written in the source.
    pub date: Option<String>,
    /// Language code.
    pub language: String,
    /// Description.
    pub description: Option<String>,
    /// Who spoke it ("eSpeak NG 1.51 (system), voice fr").
    pub voice: String,
}

/// The assembled episode.
#[derive(Debug, Clone)]
pub struct Episode {
    /// Samples per second.
    pub sample_rate: u32,
    /// The timeline, in order.
    pub segments: Vec<Segment>,
    /// One cue per chunk, in order.
    pub cues: Vec<Cue>,
    /// Chapters, in order, covering the whole episode.
    pub chapters: Vec<ChapterMark>,
    /// Metadata.
    pub meta: EpisodeMeta,
}

impl Episode {
    /// Total length in samples.
    pub fn total_samples(&self) -> u64 {
        self.segments.iter().map(Segment::len).sum()
    }

    /// Total length in seconds.
    pub fn duration_secs(&self) -> f64 {
        self.total_samples() as f64 / self.sample_rate as f64
    }

    /// Converts a sample position to seconds.
    pub fn seconds(&self, sample: u64) -> f64 {
        sample as f64 / self.sample_rate as f64
    }

    /// Every sample of the episode, in order, without materializing silences.
    pub fn samples(&self) -> impl Iterator<Item = f32> + '_ {
        self.segments
            .iter()
            .flat_map(|seg| -> Box<dyn Iterator<Item = f32> + '_> {
                match seg {
                    Segment::Audio(s) => Box::new(s.iter().copied()),
                    Segment::Silence(n) => Box::new(std::iter::repeat_n(0.0, *n as usize)),
                }
            })
    }
}

/// Why clips could not be assembled.
#[derive(Debug, thiserror::Error)]
pub enum AssembleError {
    /// The number of clips does not match the number of chunks.
    #[error("{clips} clips for {chunks} chunks")]
    Mismatch {
        /// Clips given.
        clips: usize,
        /// Chunks in the script.
        chunks: usize,
    },
    /// A sample rate of zero or beyond what audio formats hold.
    #[error("unsupported sample rate {0} Hz (use 8000 to 192000)")]
    SampleRate(u32),
    /// Resampling failed.
    #[error("cannot resample chunk {chunk} from {from} Hz to {to} Hz: {message}")]
    Resample {
        /// The chunk.
        chunk: usize,
        /// Source rate.
        from: u32,
        /// Target rate.
        to: u32,
        /// What the resampler said.
        message: String,
    },
}

/// Assembles `clips` (one per chunk of `script`) into an episode.
pub fn assemble(
    script: &Script,
    clips: Vec<Clip>,
    meta: EpisodeMeta,
    options: &AssembleOptions,
) -> Result<Episode, AssembleError> {
    if clips.len() != script.chunks.len() {
        return Err(AssembleError::Mismatch {
            clips: clips.len(),
            chunks: script.chunks.len(),
        });
    }
    let rate = options
        .sample_rate
        .or_else(|| clips.first().map(|c| c.sample_rate))
        .unwrap_or(22050);
    if !(8000..=192_000).contains(&rate) {
        return Err(AssembleError::SampleRate(rate));
    }
    let ms = |ms: u32| (ms as u64 * rate as u64).div_ceil(1000);
    let mut segments = vec![Segment::Silence(ms(options.lead_in_ms))];
    let mut position = ms(options.lead_in_ms);
    let mut cues = Vec::with_capacity(clips.len());
    let mut chunk_starts = Vec::with_capacity(clips.len());
    for (chunk, clip) in script.chunks.iter().zip(clips) {
        let from = clip.sample_rate;
        let trimmed = trim::trim_silence(&clip.samples, from);
        let audio =
            resample::resample(trimmed, from, rate).map_err(|message| AssembleError::Resample {
                chunk: chunk.index,
                from,
                to: rate,
                message,
            })?;
        let start = position;
        position += audio.len() as u64;
        chunk_starts.push(start);
        cues.push(Cue {
            start,
            end: position,
            text: chunk.written.clone(),
            chunk: chunk.index,
        });
        segments.push(Segment::Audio(audio));
        let pause = match chunk.pause_after {
            Pause::Clause => options.pauses.clause_ms,
            Pause::Sentence => options.pauses.sentence_ms,
            Pause::Paragraph => options.pauses.paragraph_ms,
            Pause::Heading => options.pauses.heading_ms,
            Pause::Chapter => options.pauses.chapter_ms,
            Pause::End => options.tail_ms,
        };
        segments.push(Segment::Silence(ms(pause)));
        position += ms(pause);
    }
    let total = position;
    let mut chapters: Vec<ChapterMark> = script
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| ChapterMark {
            title: c.title.clone(),
            // The first chapter opens the episode, lead-in included.
            start: if i == 0 {
                0
            } else {
                chunk_starts.get(c.first_chunk).copied().unwrap_or(total)
            },
            end: total,
        })
        .collect();
    for i in 1..chapters.len() {
        chapters[i - 1].end = chapters[i].start;
    }
    Ok(Episode {
        sample_rate: rate,
        segments,
        cues,
        chapters,
        meta,
    })
}
