//! Preview: hear an article within a moment and move through it.
//!
//! The starting sentence is prepared first and played as soon as it exists; the next
//! ones are prepared ahead on the pool while it plays, at most a few at a time
//! ([`prefetch`]). Each clip comes from the clip cache or the backend exactly as in a
//! render ([`speech`]), so what a preview synthesized a render reuses, and the other
//! way round. Loudness is a gain toward the target from what was measured so far, then
//! the episode's compressor and true-peak limiter ([`chain`]); pauses are the
//! episode's. [`player::play`] runs the schedule against an [`output::AudioOut`]: the
//! sound device ([`device`], with the `preview` feature), a WAV file, or a recorder in
//! tests.

pub mod chain;
#[cfg(feature = "preview")]
pub mod device;
pub mod episode;
pub mod music;
pub mod output;
pub mod player;
pub mod prefetch;
pub mod speech;
pub mod timing;
pub mod web;

use std::sync::Arc;

use crate::script::Script;

pub use player::{play, Control, Event, Outcome, PlayerSettings};

/// Why a preview stopped.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    /// A chunk could not be prepared (the backend's or the assembler's error).
    #[error(transparent)]
    Chunk(#[from] crate::render::ChunkError),
    /// A chunk failed on the pool (the same error, shared with the look-ahead).
    #[error(transparent)]
    Shared(Arc<PreviewError>),
    /// The audio output failed.
    #[error("audio output: {0}")]
    Output(#[source] std::io::Error),
}

/// Where a preview starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Start {
    /// At the start.
    Beginning,
    /// At chapter N (1-based).
    Chapter(usize),
    /// At the sentence heard about this many seconds in (estimated from the text).
    At(f64),
    /// At sentence N (1-based).
    Sentence(usize),
}

/// Why a start does not exist.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum StartError {
    /// No such chapter.
    #[error("the article has {count} chapter(s); --chapter {asked} does not exist")]
    Chapter {
        /// Asked for.
        asked: usize,
        /// How many there are.
        count: usize,
    },
    /// No such sentence.
    #[error("the article has {count} sentence(s); --sentence {asked} does not exist")]
    Sentence {
        /// Asked for.
        asked: usize,
        /// How many there are.
        count: usize,
    },
}

/// The chunks a start plays, `[first, end)`: a chapter alone when `chapter_only`,
/// else from the start to the end of the script.
pub fn span_of(
    script: &Script,
    start: Start,
    speed: f32,
    chapter_only: bool,
) -> Result<(usize, usize), StartError> {
    let n = script.chunks.len();
    match start {
        Start::Beginning => Ok((0, n)),
        Start::Chapter(k) => {
            let count = script.chapters.len();
            if k == 0 || k > count {
                return Err(StartError::Chapter { asked: k, count });
            }
            let first = script.chapters[k - 1].first_chunk;
            let end = if chapter_only {
                script.chapters.get(k).map_or(n, |c| c.first_chunk)
            } else {
                n
            };
            Ok((first, end))
        }
        Start::Sentence(k) => {
            if k == 0 || k > n {
                return Err(StartError::Sentence { asked: k, count: n });
            }
            Ok((k - 1, n))
        }
        Start::At(secs) => {
            let timing = timing::Timing::new(script, 1, speed);
            Ok((timing.chunk_at(secs.max(0.0)).min(n), n))
        }
    }
}
