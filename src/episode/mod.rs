//! The episode pipeline as one library piece: a script, a speaker and settings in;
//! audio, transcripts and chapters out, with an [`EpisodeReport`] of what was made.
//!
//! It strings the stages together (render the clips, assemble the timeline, master and
//! encode, write the sidecars) and owns nothing of them. The speaker (a backend built
//! once per voice), the thread pool and the media are the caller's, so that a batch of
//! hundreds of articles builds each backend once and keeps one pool busy with chunks of
//! several articles at a time. `render`, `batch` and `preview` are thin commands over
//! it; progress is reported through an [`Observer`] and cancellation honoured between
//! chunks and blocks.

pub mod media;
pub mod report;
pub mod settings;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::assemble::music::{self, MusicError, MusicTrack};
use crate::assemble::store::ClipStore;
use crate::assemble::{self, AssembleError, AssembleOptions, BedSettings, EpisodeMeta, MusicPlan};
use crate::cache::ClipCache;
use crate::cancel::{Cancel, Cancelled};
use crate::master::{self, MasterSettings};
use crate::output::cover::Cover;
use crate::output::paths::Sidecar;
use crate::output::{chapters, transcript, OutputError};
use crate::render::{self, RenderError, RenderOptions};
use crate::script::Script;
use crate::synth::Backend;
use crate::voice::Voice;

pub use media::{Media, MediaPaths};
pub use report::{ChapterReport, EpisodeReport};
pub use settings::{AudioSettings, SettingsError};

/// Who speaks: a backend built for a voice, and the clip cache it shares.
#[derive(Clone, Copy)]
pub struct Speaker<'a> {
    /// The backend.
    pub backend: &'a dyn Backend,
    /// The voice it was built for (its pauses and settings).
    pub voice: &'a Voice,
    /// The clip cache, unless disabled.
    pub cache: Option<&'a ClipCache>,
}

/// Descriptive tags for one episode.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tags {
    /// Episode title.
    pub title: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// The show (album).
    pub show: Option<String>,
    /// Publication date as written.
    pub date: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Track number and count (a book split by chapter).
    pub track: Option<(u32, u32)>,
}

/// One episode to make.
pub struct EpisodePlan<'a> {
    /// What to speak.
    pub script: &'a Script,
    /// The audio file to write.
    pub output: PathBuf,
    /// How it sounds and is encoded (validated).
    pub settings: &'a AudioSettings,
    /// Cover and music.
    pub media: &'a Media,
    /// A cover for this episode when the media have none (the article's own).
    pub cover: Option<&'a Cover>,
    /// Its tags.
    pub tags: Tags,
    /// Whether to write transcripts and chapters beside the audio.
    pub sidecars: bool,
    /// Blocks the cleaner dropped from the article, for the report.
    pub dropped_blocks: usize,
}

impl EpisodePlan<'_> {
    /// Every file the plan writes: the audio, then its sidecars.
    pub fn outputs(&self) -> Vec<PathBuf> {
        outputs_of(&self.output, self.sidecars)
    }
}

/// The files an episode at `audio` writes: the audio and, with `sidecars`, its
/// transcripts and chapters.
pub fn outputs_of(audio: &Path, sidecars: bool) -> Vec<PathBuf> {
    let mut files = vec![audio.to_path_buf()];
    if sidecars {
        files.extend(Sidecar::ALL.iter().map(|s| s.path_for(audio)));
    }
    files
}

/// Hears about progress. Called from worker threads; every method has a default that
/// ignores it.
pub trait Observer: Sync {
    /// Synthesis starts for `chunks` chunks spoken by `engine`.
    fn synthesis_started(&self, _chunks: usize, _engine: &str) {}
    /// `done` chunks of the episode are ready.
    fn chunk_done(&self, _done: usize) {}
    /// Mastering starts; `frames` is one pass over the episode at `rate`.
    fn mastering_started(&self, _frames: u64, _rate: u32) {}
    /// `frames` more frames were processed (passes add up: a pass is `frames` again).
    fn mastered(&self, _frames: u64) {}
    /// The episode is written.
    fn finished(&self, _report: &EpisodeReport) {}
}

/// An observer that ignores everything.
pub struct Quiet;

impl Observer for Quiet {}

/// Why an episode could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EpisodeError {
    /// A setting does not fit this episode (a bit rate too low for stereo, say).
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// A chunk could not be synthesized.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The clips could not be placed.
    #[error(transparent)]
    Assemble(#[from] AssembleError),
    /// Music could not be prepared.
    #[error(transparent)]
    Music(#[from] MusicError),
    /// A file could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The work was cancelled.
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
}

impl EpisodeError {
    /// Whether the episode failed because it was cancelled.
    pub fn is_cancelled(&self) -> bool {
        matches!(
            self,
            EpisodeError::Cancelled(_) | EpisodeError::Render(RenderError::Cancelled(_))
        ) || matches!(self, EpisodeError::Output(e) if e.source.kind() == std::io::ErrorKind::Interrupted)
    }
}

/// Renders one episode on `pool`.
pub fn render(
    plan: &EpisodePlan,
    speaker: Speaker,
    pool: &rayon::ThreadPool,
    observer: &dyn Observer,
    cancel: &Cancel,
) -> Result<EpisodeReport, EpisodeError> {
    let started = Instant::now();
    let (script, media, backend, voice) = (plan.script, plan.media, speaker.backend, speaker.voice);
    let channels = media.channels();
    let resolved =
        plan.settings
            .resolve(channels, backend.limits().sample_rate, media.has_music())?;
    let rate = resolved.sample_rate;
    let store = ClipStore::new(rate)?;
    let spill =
        |d: &Option<music::Decoded>, name: &str| -> Result<Option<MusicTrack>, MusicError> {
            d.as_ref()
                .map(|d| music::spill(d, &store, channels, name))
                .transpose()
        };
    let music_plan = MusicPlan {
        intro: spill(&media.intro, "intro.f32")?,
        outro: spill(&media.outro, "outro.f32")?,
        bed: spill(&media.bed, "bed.f32")?.map(|track| BedSettings {
            track,
            level_db: plan.settings.bed_level(),
            duck_db: plan.settings.duck(),
        }),
    };
    let options = RenderOptions {
        cancel: cancel.clone(),
    };
    observer.synthesis_started(script.chunks.len(), &backend.id().engine);
    let synthesis_started = Instant::now();
    let rendered = render::render(
        script,
        backend,
        speaker.cache,
        &options,
        pool,
        &|chunk, clip| store.prepare(chunk.index, &clip),
        &|done| observer.chunk_done(done),
    )?;
    let tags = &plan.tags;
    let meta = EpisodeMeta {
        title: tags.title.clone(),
        author: tags.author.clone(),
        show: tags.show.clone(),
        track: tags.track,
        date: tags.date.clone(),
        language: script.language.code().to_string(),
        description: tags.description.clone(),
        voice: format!("{}, voice {}", backend.id().engine, voice.name),
    };
    let assemble_options = AssembleOptions {
        pauses: voice.pauses.scaled(plan.settings.pause_scale),
        ..AssembleOptions::default()
    };
    let episode = assemble::assemble(
        script,
        rendered.clips,
        music_plan,
        meta,
        rate,
        &assemble_options,
    )?;
    let synthesis_secs = synthesis_started.elapsed().as_secs_f64();

    cancel.check()?;
    let master_settings = MasterSettings {
        format: plan.settings.format,
        loudness: resolved.target,
        ceiling_dbtp: plan.settings.true_peak,
        mp3: resolved.mp3,
        cover: media.cover.clone().or_else(|| plan.cover.cloned()),
    };
    observer.mastering_started(episode.frames, rate);
    let mastering_started = Instant::now();
    let frames = |n: u64| observer.mastered(n);
    let progress = master::Progress {
        frames: &frames,
        cancel,
    };
    let loudness =
        master::write_episode(&episode, &plan.output, &master_settings, &progress, pool)?;
    let mastering_secs = mastering_started.elapsed().as_secs_f64();

    let mut sidecars = Vec::new();
    if plan.sidecars {
        for kind in Sidecar::ALL {
            let text = match kind {
                Sidecar::Vtt => transcript::vtt(&episode),
                Sidecar::Srt => transcript::srt(&episode),
                Sidecar::Transcript => transcript::plain_text(&episode),
                Sidecar::Chapters => {
                    serde_json::to_string_pretty(&chapters::chapters_json(&episode))
                        .expect("chapters serialize")
                }
            };
            let path = kind.path_for(&plan.output);
            transcript::write_text(&path, &text)?;
            sidecars.push(path);
        }
    }
    let bytes = std::fs::metadata(&plan.output)
        .map(|m| m.len())
        .unwrap_or(0);
    let elapsed = started.elapsed().as_secs_f64();
    let duration = episode.duration_secs();
    let report = EpisodeReport {
        output: plan.output.clone(),
        format: plan.settings.format,
        sidecars,
        bytes,
        duration_secs: duration,
        sample_rate: episode.sample_rate,
        channels: episode.channels,
        chunks: script.chunks.len(),
        chapters: episode
            .chapters
            .iter()
            .map(|c| ChapterReport {
                title: c.title.clone(),
                start_secs: episode.seconds(c.start),
            })
            .collect(),
        language: script.language.code().to_string(),
        language_source: script.language_source,
        voice: voice.name.clone(),
        engine: backend.id().engine.clone(),
        threads: rendered.threads,
        synthesized: rendered.synthesized,
        cache_hits: rendered.cache_hits,
        dropped_blocks: plan.dropped_blocks,
        loudness,
        peak_rss_bytes: report::peak_rss_bytes(),
        elapsed_secs: elapsed,
        synthesis_secs,
        mastering_secs,
        realtime_factor: duration / elapsed.max(1e-9),
    };
    observer.finished(&report);
    Ok(report)
}
