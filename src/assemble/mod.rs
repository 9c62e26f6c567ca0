//! The assemble stage: clips, structure and music become an [`Episode`], a timeline of
//! speech clips and music placed at exact frame positions, with a timed cue per chunk
//! and the start of every chapter.
//!
//! Each clip is trimmed of the engine's own silence ([`trim`]), resampled to the episode
//! rate ([`resample`]) and spilled to a [`store::ClipStore`] as soon as it is
//! synthesized; the episode holds only handles. The [`mix::Mixer`] streams the timeline
//! block by block, and [`loudness`] measures and normalizes it, so memory does not grow
//! with episode length. Cue and chapter times are counted in frames from the real clip
//! lengths and the intro, so transcripts line up with the audio to the sample.

pub mod loudness;
pub mod mix;
pub mod music;
pub mod resample;
pub mod store;
pub mod trim;

use serde::Serialize;

use crate::script::{Pause, Script};
use crate::voice::PauseSettings;
use music::MusicTrack;
use store::StoredClip;

/// Settings for assembly.
#[derive(Debug, Clone)]
pub struct AssembleOptions {
    /// Pause lengths.
    pub pauses: PauseSettings,
    /// Silence before the first word (after the intro), in milliseconds.
    pub lead_in_ms: u32,
    /// Silence after the last word (before the outro), in milliseconds.
    pub tail_ms: u32,
}

impl Default for AssembleOptions {
    fn default() -> Self {
        AssembleOptions {
            pauses: PauseSettings::default(),
            lead_in_ms: 300,
            tail_ms: 1000,
        }
    }
}

impl AssembleOptions {
    /// How long `pause` lasts, in milliseconds (the end's is the tail).
    pub fn pause_ms(&self, pause: Pause) -> u32 {
        match pause {
            Pause::Clause => self.pauses.clause_ms,
            Pause::Sentence => self.pauses.sentence_ms,
            Pause::Paragraph => self.pauses.paragraph_ms,
            Pause::Heading => self.pauses.heading_ms,
            Pause::Chapter => self.pauses.chapter_ms,
            Pause::End => self.tail_ms,
        }
    }
}

/// Intro and outro fade in over this long, milliseconds.
pub const MUSIC_FADE_IN_MS: u32 = 20;
/// The intro fades out over its last second (at most a third of it).
pub const INTRO_FADE_OUT_SECS: f64 = 1.0;
/// The outro fades out over its last two seconds (at most a third of it).
pub const OUTRO_FADE_OUT_SECS: f64 = 2.0;
/// The bed fades in and out over this long (at most a quarter of the speech).
pub const BED_FADE_SECS: f64 = 2.0;

/// Music around and under the speech.
#[derive(Debug, Clone, Default)]
pub struct MusicPlan {
    /// Played before the speech.
    pub intro: Option<MusicTrack>,
    /// Played after the speech.
    pub outro: Option<MusicTrack>,
    /// Looped under the speech.
    pub bed: Option<BedSettings>,
}

/// A music bed and how it sits under the speech.
#[derive(Debug, Clone)]
pub struct BedSettings {
    /// The music.
    pub track: MusicTrack,
    /// Its level relative to the file, in dB (negative).
    pub level_db: f32,
    /// How much further it is lowered while someone speaks, in dB (positive).
    pub duck_db: f32,
}

/// A speech clip at its place in the episode.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedClip {
    /// First frame.
    pub start: u64,
    /// The prepared clip.
    pub clip: StoredClip,
}

/// A music track at its place in the episode.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedMusic {
    /// First frame.
    pub start: u64,
    /// The track.
    pub track: MusicTrack,
    /// Fade-in length in frames.
    pub fade_in: u64,
    /// Fade-out length in frames.
    pub fade_out: u64,
}

/// The bed's span and levels.
#[derive(Debug, Clone)]
pub struct PlacedBed {
    /// First frame of the bed.
    pub start: u64,
    /// One past its last frame.
    pub end: u64,
    /// The looped track.
    pub track: MusicTrack,
    /// Linear gain of the bed.
    pub level: f32,
    /// Linear gain applied on top while speech plays.
    pub duck: f32,
    /// Fade-in and fade-out length in frames.
    pub fade: u64,
}

/// One timed line of the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cue {
    /// First frame of the speech.
    pub start: u64,
    /// One past the last frame of the speech.
    pub end: u64,
    /// The text as written.
    pub text: String,
    /// The chunk it comes from.
    pub chunk: usize,
    /// The pause that follows, which tells paragraph breaks in plain transcripts.
    #[serde(skip)]
    pub pause_after: Pause,
}

/// Where a chapter starts and ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChapterMark {
    /// The chapter's title.
    pub title: String,
    /// First frame.
    pub start: u64,
    /// One past the last frame.
    pub end: u64,
}

/// Descriptive metadata carried into tags and feeds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EpisodeMeta {
    /// Episode title.
    pub title: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// The show (album).
    pub show: Option<String>,
    /// Publication date as written in the source.
    pub date: Option<String>,
    /// Language code.
    pub language: String,
    /// Description.
    pub description: Option<String>,
    /// Who spoke it ("eSpeak NG 1.51 (system), voice fr").
    pub voice: String,
    /// Track number and count, when a book is split into one episode per chapter.
    pub track: Option<(u32, u32)>,
}

/// The assembled episode: where everything goes, not the samples themselves.
#[derive(Debug, Clone)]
pub struct Episode {
    /// Frames per second.
    pub sample_rate: u32,
    /// 1 (speech only or mono music) or 2 (stereo music).
    pub channels: u16,
    /// Total length in frames.
    pub frames: u64,
    /// Speech clips in order, not overlapping.
    pub speech: Vec<PlacedClip>,
    /// Intro and outro.
    pub music: Vec<PlacedMusic>,
    /// The bed under the speech.
    pub bed: Option<PlacedBed>,
    /// One cue per chunk, in order.
    pub cues: Vec<Cue>,
    /// Chapters, in order, covering the whole episode.
    pub chapters: Vec<ChapterMark>,
    /// Metadata.
    pub meta: EpisodeMeta,
}

impl Episode {
    /// Total length in seconds.
    pub fn duration_secs(&self) -> f64 {
        self.seconds(self.frames)
    }

    /// Converts a frame position to seconds.
    pub fn seconds(&self, frame: u64) -> f64 {
        frame as f64 / self.sample_rate as f64
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
    /// The temporary audio folder could not be written or read.
    #[error("cannot use temporary audio file {path}: {source}; check free space in the temporary folder")]
    Spill {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Places `clips` (one per chunk of `script`, prepared at `sample_rate`) and `music` on
/// a timeline.
pub fn assemble(
    script: &Script,
    clips: Vec<StoredClip>,
    music: MusicPlan,
    meta: EpisodeMeta,
    sample_rate: u32,
    options: &AssembleOptions,
) -> Result<Episode, AssembleError> {
    if clips.len() != script.chunks.len() {
        return Err(AssembleError::Mismatch {
            clips: clips.len(),
            chunks: script.chunks.len(),
        });
    }
    if !(8000..=192_000).contains(&sample_rate) {
        return Err(AssembleError::SampleRate(sample_rate));
    }
    let ms = |ms: u32| (ms as u64 * sample_rate as u64).div_ceil(1000);
    let secs = |s: f64| (s * sample_rate as f64) as u64;
    let channels = [
        music.intro.as_ref(),
        music.outro.as_ref(),
        music.bed.as_ref().map(|b| &b.track),
    ]
    .into_iter()
    .flatten()
    .map(|t| t.channels)
    .max()
    .unwrap_or(1);

    let mut placed_music = Vec::new();
    let mut position = 0;
    if let Some(intro) = music.intro {
        let frames = intro.frames;
        placed_music.push(PlacedMusic {
            start: 0,
            fade_in: ms(MUSIC_FADE_IN_MS).min(frames / 4),
            fade_out: secs(INTRO_FADE_OUT_SECS).min(frames / 3),
            track: intro,
        });
        position += frames;
    }
    let speech_start = position;
    position += ms(options.lead_in_ms);
    let mut speech = Vec::with_capacity(clips.len());
    let mut cues = Vec::with_capacity(clips.len());
    let mut chunk_starts = Vec::with_capacity(clips.len());
    for (chunk, clip) in script.chunks.iter().zip(clips) {
        let start = position;
        position += clip.frames;
        chunk_starts.push(start);
        cues.push(Cue {
            start,
            end: position,
            text: chunk.written.clone(),
            chunk: chunk.index,
            pause_after: chunk.pause_after,
        });
        speech.push(PlacedClip { start, clip });
        position += ms(options.pause_ms(chunk.pause_after));
    }
    let speech_end = position;
    let bed = music.bed.map(|b| PlacedBed {
        start: speech_start,
        end: speech_end,
        level: db_to_gain(b.level_db),
        duck: db_to_gain(-b.duck_db.abs()),
        fade: secs(BED_FADE_SECS).min((speech_end - speech_start) / 4),
        track: b.track,
    });
    if let Some(outro) = music.outro {
        let frames = outro.frames;
        placed_music.push(PlacedMusic {
            start: position,
            fade_in: ms(MUSIC_FADE_IN_MS).min(frames / 4),
            fade_out: secs(OUTRO_FADE_OUT_SECS).min(frames / 3),
            track: outro,
        });
        position += frames;
    }
    let frames = position;
    let mut chapters: Vec<ChapterMark> = script
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| ChapterMark {
            title: c.title.clone(),
            // The first chapter opens the episode, intro and lead-in included.
            start: if i == 0 {
                0
            } else {
                chunk_starts.get(c.first_chunk).copied().unwrap_or(frames)
            },
            end: frames,
        })
        .collect();
    for i in 1..chapters.len() {
        chapters[i - 1].end = chapters[i].start;
    }
    Ok(Episode {
        sample_rate,
        channels,
        frames,
        speech,
        music: placed_music,
        bed,
        cues,
        chapters,
        meta,
    })
}

/// Converts decibels to a linear gain.
pub fn db_to_gain(db: f32) -> f32 {
    10f32.powf(db / 20.0)
}
