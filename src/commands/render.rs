//! `articast render`: article in, episode out (audio, transcripts, chapters).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use serde::Serialize;

use super::{check_output_path, clock, prepare, Ui, UsageError};
use crate::cli::RenderArgs;
use articast::assemble::{self, AssembleOptions, EpisodeMeta};
use articast::cache::ClipCache;
use articast::output::{chapters, transcript, wav};
use articast::render::{self, RenderOptions};

/// Audio formats `render` writes, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AudioFormat {
    Wav,
}

fn audio_format(output: &Path) -> Result<AudioFormat> {
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("wav") => Ok(AudioFormat::Wav),
        Some(other) => Err(UsageError(format!(
            "cannot write .{other} files; give an output ending in .wav"
        ))
        .into()),
        None => Err(UsageError(format!(
            "{} has no extension; give an output ending in .wav",
            output.display()
        ))
        .into()),
    }
}

/// Files written beside the audio: same stem, another extension.
fn sidecar(output: &Path, ext: &str) -> PathBuf {
    output.with_extension(ext)
}

#[derive(Serialize)]
struct Summary<'a> {
    output: &'a Path,
    sidecars: Vec<PathBuf>,
    duration_secs: f64,
    sample_rate: u32,
    chunks: usize,
    chapters: Vec<ChapterSummary<'a>>,
    language: &'a str,
    language_source: articast::language::detect::LanguageSource,
    voice: &'a str,
    engine: &'a str,
    threads: usize,
    synthesized: usize,
    cache_hits: usize,
    dropped_blocks: usize,
    elapsed_secs: f64,
    realtime_factor: f64,
}

#[derive(Serialize)]
struct ChapterSummary<'a> {
    title: &'a str,
    start_secs: f64,
}

pub fn run(args: &RenderArgs, ui: &Ui) -> Result<()> {
    let started = Instant::now();
    let format = audio_format(&args.output)?;
    check_output_path(&args.output, &args.read.input)?;
    let prepared = prepare(&args.read, ui)?;
    let script = &prepared.script;
    let backend = prepared.backend.as_ref();
    let voice = &prepared.voice.voice;

    let cache = (!args.no_cache).then(ClipCache::default_location);
    let options = RenderOptions {
        jobs: args.jobs,
        voice_key: serde_json::to_string(&voice.espeak)?,
    };
    let bar = ui.progress(script.chunks.len() as u64, "speaking");
    bar.set_message(backend.id().engine.clone());
    let rendered = render::render(script, backend, cache.as_ref(), &options, &|_| bar.inc(1))
        .with_context(|| format!("{}", args.read.input.display()))?;
    bar.finish_and_clear();

    let meta = EpisodeMeta {
        title: script.meta.title.clone(),
        author: script.meta.author.clone(),
        date: script.meta.date.clone(),
        language: script.language.code().to_string(),
        description: script.meta.description.clone(),
        voice: format!("{}, voice {}", backend.id().engine, voice.name),
    };
    let assemble_options = AssembleOptions {
        sample_rate: args.rate,
        pauses: voice.pauses.scaled(args.pause_scale),
        ..AssembleOptions::default()
    };
    let episode = assemble::assemble(script, rendered.clips, meta, &assemble_options)?;

    match format {
        AudioFormat::Wav => wav::write_wav(&episode, &args.output)?,
    }
    let mut sidecars = Vec::new();
    if !args.no_sidecars {
        let vtt = sidecar(&args.output, "vtt");
        transcript::write_text(&vtt, &transcript::vtt(&episode))?;
        let srt = sidecar(&args.output, "srt");
        transcript::write_text(&srt, &transcript::srt(&episode))?;
        let json = sidecar(&args.output, "chapters.json");
        transcript::write_text(
            &json,
            &serde_json::to_string_pretty(&chapters::chapters_json(&episode))?,
        )?;
        sidecars = vec![vtt, srt, json];
    }

    let elapsed = started.elapsed().as_secs_f64();
    let duration = episode.duration_secs();
    ui.say(format!(
        "wrote {} ({}, {} chunks, {} chapters) in {:.1} s, {:.0}x real time",
        args.output.display(),
        clock(duration),
        script.chunks.len(),
        episode.chapters.len(),
        elapsed,
        duration / elapsed.max(1e-9)
    ));
    ui.say(format!(
        "voice {} spoke {} in {}: {} chunks synthesized, {} from cache, {} threads",
        voice.name,
        backend.id().engine,
        script.language.name(),
        rendered.synthesized,
        rendered.cache_hits,
        rendered.threads
    ));
    if args.json {
        let summary = Summary {
            output: &args.output,
            sidecars,
            duration_secs: duration,
            sample_rate: episode.sample_rate,
            chunks: script.chunks.len(),
            chapters: episode
                .chapters
                .iter()
                .map(|c| ChapterSummary {
                    title: &c.title,
                    start_secs: episode.seconds(c.start),
                })
                .collect(),
            language: script.language.code(),
            language_source: script.language_source,
            voice: &voice.name,
            engine: &backend.id().engine,
            threads: rendered.threads,
            synthesized: rendered.synthesized,
            cache_hits: rendered.cache_hits,
            dropped_blocks: prepared.report.clean.dropped.len(),
            elapsed_secs: elapsed,
            realtime_factor: duration / elapsed.max(1e-9),
        };
        println!("{}", serde_json::to_string_pretty(&summary)?);
    }
    Ok(())
}
