//! The render stage: every chunk of a script becomes a clip, in parallel, in order,
//! asking the cache first.
//!
//! Parallelism is the caller's rayon pool, sized by `--jobs` and capped by what the
//! backend says it can take ([`Limits::max_parallel`](crate::synth::Limits)); a batch
//! shares one pool between the chunks of several articles. Results keep chunk order
//! whatever order they finish in. A [`Cancel`] token is checked before every chunk. Each clip is handed to a sink as soon as it exists
//! (the assembler's clip store, which trims, resamples and spills it to disk), so memory
//! holds one clip per worker, not the whole episode. The first failing chunk stops the
//! render and is named in the error with its source line.

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::cache::{ClipCache, ClipKey};
use crate::cancel::{Cancel, Cancelled};
use crate::script::{Chunk, Role, Script};
use crate::synth::{Backend, Clip, SpeechRequest, SynthError};

/// How to render.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Checked before each chunk: once cancelled, no further chunk starts.
    pub cancel: Cancel,
}

/// What the sink made of every chunk's clip, with how the clips were obtained.
#[derive(Debug, Clone)]
pub struct Rendered<T> {
    /// One sink result per chunk, in chunk order.
    pub clips: Vec<T>,
    /// How many came from the cache.
    pub cache_hits: usize,
    /// How many were synthesized.
    pub synthesized: usize,
    /// Worker threads used.
    pub threads: usize,
}

/// A chunk that could not be made, named as the user finds it: its index, its source
/// line and the start of its text.
#[derive(Debug, thiserror::Error)]
#[error("chunk {index} (line {line}: \"{excerpt}\")")]
pub struct ChunkError {
    /// The chunk's index.
    pub index: usize,
    /// Its source line.
    pub line: usize,
    /// The start of its text.
    pub excerpt: String,
    /// What went wrong: the backend's error, or the sink's.
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

impl ChunkError {
    /// `chunk` failed because of `source`.
    pub fn new(chunk: &Chunk, source: Box<dyn std::error::Error + Send + Sync>) -> ChunkError {
        ChunkError {
            index: chunk.index,
            line: chunk.line,
            excerpt: chunk.written.chars().take(40).collect(),
            source,
        }
    }
}

/// Why the render stopped.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A chunk could not be synthesized.
    #[error(transparent)]
    Chunk(#[from] ChunkError),
    /// The render was cancelled (an interrupt).
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Narrator => "narrator",
        Role::Heading => "heading",
        Role::Quote => "quote",
    }
}

/// The threads for `jobs` (0: one per core), at most `limit` (the most a backend can
/// serve at once).
pub fn thread_count(jobs: usize, limit: usize) -> usize {
    let wanted = if jobs == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        jobs
    };
    wanted.min(limit.max(1)).max(1)
}

/// A pool of `threads` synthesis threads.
pub fn thread_pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("articast-synth-{i}"))
        .build()
        .expect("a thread pool of a few threads can be built")
}

/// The clip of one chunk: from the cache when it holds it (then `true`), else
/// synthesized by `backend` and stored. The backend's cache key holds its engine and
/// every setting that changes the audio. Shared by the render and the preview, so
/// that what one synthesized the other reuses.
pub fn clip_for(
    chunk: &Chunk,
    language: crate::language::Language,
    backend: &dyn Backend,
    cache: Option<&ClipCache>,
) -> Result<(Clip, bool), SynthError> {
    let key = ClipKey {
        backend: backend.id().cache_key.as_str(),
        language: language.code(),
        role: role_name(chunk.role),
        text: &chunk.spoken,
    };
    if let Some(clip) = cache.and_then(|c| c.get(&key)) {
        return Ok((clip, true));
    }
    let clip = backend.synthesize(&SpeechRequest {
        text: &chunk.spoken,
        language,
        role: chunk.role,
    })?;
    if let Some(cache) = cache {
        // A cache that cannot be written only costs speed next time.
        let _ = cache.put(&key, &clip);
    }
    Ok((clip, false))
}

/// Renders every chunk of `script` with `backend` on `pool`, handing each clip to `sink`
/// (from worker threads) and collecting what it returns. `on_done` is called once per
/// finished chunk to drive a progress display.
pub fn render<T, E>(
    script: &Script,
    backend: &dyn Backend,
    cache: Option<&ClipCache>,
    options: &RenderOptions,
    pool: &rayon::ThreadPool,
    sink: &(dyn Fn(&Chunk, Clip) -> Result<T, E> + Sync),
    on_done: &(dyn Fn(usize) + Sync),
) -> Result<Rendered<T>, RenderError>
where
    T: Send,
    E: std::error::Error + Send + Sync + 'static,
{
    let threads = pool.current_num_threads();
    let hits = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let fail = |chunk: &Chunk, source: Box<dyn std::error::Error + Send + Sync>| {
        // A chunk that fails because the run is being stopped (a worker process that got
        // the terminal's interrupt too) is reported as the interruption it is.
        if options.cancel.is_cancelled() {
            return RenderError::Cancelled(Cancelled);
        }
        RenderError::Chunk(ChunkError::new(chunk, source))
    };
    let clips: Result<Vec<T>, RenderError> = pool.install(|| {
        script
            .chunks
            .par_iter()
            .map(|chunk| {
                options.cancel.check()?;
                let (clip, hit) = clip_for(chunk, script.language, backend, cache)
                    .map_err(|e| fail(chunk, Box::new(e)))?;
                if hit {
                    hits.fetch_add(1, Ordering::Relaxed);
                }
                let result = sink(chunk, clip).map_err(|e| fail(chunk, Box::new(e)))?;
                on_done(done.fetch_add(1, Ordering::Relaxed) + 1);
                Ok(result)
            })
            .collect()
    });
    let clips = clips?;
    let cache_hits = hits.into_inner();
    Ok(Rendered {
        synthesized: clips.len() - cache_hits,
        clips,
        cache_hits,
        threads,
    })
}
