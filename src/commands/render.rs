//! `articast render`: article in, episode out (audio, transcripts, chapters).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use super::{check_output_path, clock, prepare, Prepared, Ui, UsageError};
use crate::cli::RenderArgs;
use articast::assemble::loudness::{LoudnessTarget, PEAK_RANGE_DBTP, TARGET_RANGE_LUFS};
use articast::assemble::music::{self, MusicTrack};
use articast::assemble::store::ClipStore;
use articast::assemble::{self, AssembleOptions, BedSettings, EpisodeMeta, MusicPlan};
use articast::cache::ClipCache;
use articast::output::cover::Cover;
use articast::output::master::{self, AudioFormat, MasterReport, MasterSettings};
use articast::output::mp3::{Mp3Mode, CBR_RATES, MP3_RATES};
use articast::output::paths::{self, Sidecar};
use articast::output::{chapters, transcript};
use articast::render::{self, RenderOptions};
use articast::script::{split_by_chapter, Script};

/// Everything checked before any synthesis: a bad option or file fails in a moment.
struct Checked {
    format: AudioFormat,
    loudness: Option<LoudnessTarget>,
    cover: Option<Cover>,
    intro: Option<music::Decoded>,
    outro: Option<music::Decoded>,
    bed: Option<music::Decoded>,
}

fn check(args: &RenderArgs) -> Result<Checked> {
    let ext = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    let format = match (args.format, AudioFormat::from_extension(ext)) {
        (Some(f), _) | (None, Some(f)) => f,
        (None, None) if ext.is_empty() => bail!(
            "{} has no extension; name it .mp3 or .wav, or pass --format",
            args.output.display()
        ),
        (None, None) => {
            bail!("cannot write .{ext} files; name the output .mp3 or .wav, or pass --format")
        }
    };
    if !TARGET_RANGE_LUFS.contains(&args.loudness) {
        bail!(
            "loudness target {} LUFS is outside {:?}; podcasts use -16",
            args.loudness,
            TARGET_RANGE_LUFS
        );
    }
    if !PEAK_RANGE_DBTP.contains(&args.true_peak) {
        bail!(
            "true-peak ceiling {} dBTP is outside {:?}; -1 is usual",
            args.true_peak,
            PEAK_RANGE_DBTP
        );
    }
    if let Some(kbps) = args.bitrate {
        if !CBR_RATES.contains(&kbps) {
            bail!("{kbps} kbit/s is not an MP3 bit rate; use one of {CBR_RATES:?}");
        }
    }
    if let (AudioFormat::Mp3, Some(rate)) = (format, args.rate) {
        if !MP3_RATES.contains(&rate) {
            bail!("MP3 cannot carry {rate} Hz; use one of {MP3_RATES:?}");
        }
    }
    Ok(Checked {
        format,
        loudness: (!args.no_normalize).then_some(LoudnessTarget {
            integrated_lufs: args.loudness,
            true_peak_dbtp: args.true_peak,
        }),
        cover: None,
        intro: None,
        outro: None,
        bed: None,
    })
}

/// Loads the cover and decodes the music named on the command line (after the outputs
/// are known not to overwrite them).
fn load_media(args: &RenderArgs, ui: &Ui, checked: &mut Checked) -> Result<()> {
    let cover = args.cover.as_deref().map(Cover::load).transpose()?;
    if let Some(advice) = cover.as_ref().and_then(Cover::advice) {
        ui.say(format!("note: {advice}"));
    }
    if cover.is_some() && checked.format == AudioFormat::Wav {
        ui.say("note: WAV files carry no cover art; it is used for MP3 only");
    }
    let decode = |p: &Option<PathBuf>| p.as_deref().map(music::decode).transpose();
    checked.cover = cover;
    checked.intro = decode(&args.intro)?;
    checked.outro = decode(&args.outro)?;
    checked.bed = decode(&args.bed)?;
    Ok(())
}

/// This process's peak resident memory, from `/proc/self/status` (Linux only).
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[derive(Serialize)]
struct Summary {
    output: PathBuf,
    format: AudioFormat,
    sidecars: Vec<PathBuf>,
    duration_secs: f64,
    sample_rate: u32,
    channels: u16,
    chunks: usize,
    chapters: Vec<ChapterSummary>,
    language: &'static str,
    language_source: articast::language::detect::LanguageSource,
    voice: String,
    engine: String,
    threads: usize,
    synthesized: usize,
    cache_hits: usize,
    dropped_blocks: usize,
    loudness: MasterReport,
    /// Peak resident memory of this process (Linux; absent elsewhere).
    #[serde(skip_serializing_if = "Option::is_none")]
    peak_rss_bytes: Option<u64>,
    elapsed_secs: f64,
    /// Synthesis (and clip preparation) alone, in seconds.
    synthesis_secs: f64,
    /// Mixing, loudness passes and encoding, in seconds.
    mastering_secs: f64,
    realtime_factor: f64,
}

#[derive(Serialize)]
struct ChapterSummary {
    title: String,
    start_secs: f64,
}

/// The cover the article declares (Markdown front matter `cover:` or `image:`), when it is
/// a local file that loads; a remote or broken one is a note, not a failure, since the
/// user did not ask for it on the command line.
fn declared_cover(script: &Script, input: &Path, ui: &Ui) -> Option<Cover> {
    let declared = script.meta.cover.as_ref()?;
    let text = declared.to_string_lossy();
    if text.contains("://") {
        ui.say(format!(
            "note: the article's cover {text} is remote; pass --cover FILE to embed one"
        ));
        return None;
    }
    let path = declared_cover_path(script, input)?;
    match Cover::load(&path) {
        Ok(cover) => Some(cover),
        Err(e) => {
            ui.say(format!("note: the article's cover is not used: {e}"));
            None
        }
    }
}

/// Where the article's declared cover is, when it is a local file.
fn declared_cover_path(script: &Script, input: &Path) -> Option<PathBuf> {
    let declared = script.meta.cover.as_ref()?;
    if declared.to_string_lossy().contains("://") {
        return None;
    }
    Some(if declared.is_absolute() {
        declared.clone()
    } else {
        input.parent().unwrap_or(Path::new(".")).join(declared)
    })
}

/// `book.mp3` as the `number`th of `total` files: `book-01.mp3`.
fn numbered(output: &Path, number: usize, total: usize) -> PathBuf {
    let width = total.to_string().len().max(2);
    let stem = output
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("episode");
    let name = match output.extension().and_then(|e| e.to_str()) {
        Some(ext) => format!("{stem}-{number:0width$}.{ext}"),
        None => format!("{stem}-{number:0width$}"),
    };
    output.with_file_name(name)
}

/// One episode to make: its script, its file, and its track number and count.
type Part = (Script, PathBuf, Option<(u32, u32)>);

pub fn run(args: &RenderArgs, ui: &Ui) -> Result<()> {
    check_output_path(&args.output, &args.read.input)?;
    let mut checked = check(args)?;
    let prepared = prepare(&args.read, ui, args.jobs)?;
    let parts: Vec<Part> = if args.split_chapters {
        let scripts = split_by_chapter(&prepared.script);
        let total = scripts.len();
        scripts
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    s,
                    numbered(&args.output, i + 1, total),
                    Some((i as u32 + 1, total as u32)),
                )
            })
            .collect()
    } else {
        vec![(prepared.script.clone(), args.output.clone(), None)]
    };
    let declared = declared_cover_path(&prepared.script, &args.read.input);
    check_inputs_survive(args, &prepared, declared.as_deref(), &parts)?;
    load_media(args, ui, &mut checked)?;
    if checked.cover.is_none() && checked.format == AudioFormat::Mp3 {
        checked.cover = declared_cover(&prepared.script, &args.read.input, ui);
    }
    let mut summaries = Vec::new();
    for (script, output, track) in &parts {
        summaries.push(render_episode(
            args, ui, &checked, &prepared, script, output, *track,
        )?);
    }
    if args.json {
        let json = if args.split_chapters {
            serde_json::to_string_pretty(&summaries)?
        } else {
            serde_json::to_string_pretty(&summaries[0])?
        };
        println!("{json}");
    }
    Ok(())
}

/// Refuses, before any synthesis, a run whose outputs (every episode and its sidecars)
/// would overwrite one of its inputs, or each other.
fn check_inputs_survive(
    args: &RenderArgs,
    prepared: &Prepared,
    declared_cover: Option<&Path>,
    parts: &[Part],
) -> Result<()> {
    let mut inputs: Vec<(&str, &Path)> = vec![("article", args.read.input.as_path())];
    let music = [
        ("intro music", &args.intro),
        ("outro music", &args.outro),
        ("music bed", &args.bed),
    ];
    inputs.extend(
        music
            .iter()
            .filter_map(|(r, p)| p.as_deref().map(|p| (*r, p))),
    );
    inputs.extend(args.cover.as_deref().map(|p| ("cover", p)));
    inputs.extend(declared_cover.map(|p| ("article's cover", p)));
    inputs.extend(prepared.inputs.iter().map(|(r, p)| (*r, p.as_path())));
    let mut outputs = Vec::new();
    for (_, audio, _) in parts {
        outputs.push(audio.clone());
        if !args.no_sidecars {
            outputs.extend(Sidecar::ALL.iter().map(|s| s.path_for(audio)));
        }
    }
    paths::check_outputs(&inputs, &outputs).map_err(|e| UsageError(e.to_string()).into())
}

/// Renders one script into one episode at `output`.
fn render_episode(
    args: &RenderArgs,
    ui: &Ui,
    checked: &Checked,
    prepared: &Prepared,
    script: &Script,
    output: &Path,
    track: Option<(u32, u32)>,
) -> Result<Summary> {
    let started = Instant::now();
    let backend = prepared.backend.as_ref();
    let voice = &prepared.voice.voice;

    let has_music = checked.intro.is_some() || checked.outro.is_some() || checked.bed.is_some();
    let rate = args
        .rate
        .unwrap_or(if checked.format == AudioFormat::Mp3 || has_music {
            44100
        } else {
            backend.limits().sample_rate
        });
    let store = ClipStore::new(rate)?;
    let channels = [&checked.intro, &checked.outro, &checked.bed]
        .iter()
        .filter_map(|d| d.as_ref().map(|d| d.channels()))
        .max()
        .unwrap_or(1);
    let spill = |d: &Option<music::Decoded>, name: &str| -> Result<Option<MusicTrack>> {
        Ok(d.as_ref()
            .map(|d| music::spill(d, &store, channels, name))
            .transpose()?)
    };
    let music_plan = MusicPlan {
        intro: spill(&checked.intro, "intro.f32")?,
        outro: spill(&checked.outro, "outro.f32")?,
        bed: spill(&checked.bed, "bed.f32")?.map(|track| BedSettings {
            track,
            level_db: args.bed_level,
            duck_db: args.duck,
        }),
    };
    let cache = (!args.no_cache).then(ClipCache::default_location);
    let options = RenderOptions {
        jobs: args.jobs,
        voice_key: serde_json::to_string(&voice.espeak)?,
        cancel: super::cancel().clone(),
    };
    let bar = ui.progress(script.chunks.len() as u64, "speaking");
    bar.set_message(backend.id().engine.clone());
    let synthesis_started = Instant::now();
    let rendered = render::render(
        script,
        backend,
        cache.as_ref(),
        &options,
        &|chunk, clip| store.prepare(chunk.index, &clip),
        &|_| bar.inc(1),
    )
    .with_context(|| articast::document::display_path(&args.read.input))?;
    bar.finish_and_clear();

    // A book split into chapters: each episode is titled by its chapter, and the book is
    // the show unless one is named.
    let book = track.and(
        args.title
            .clone()
            .or_else(|| prepared.script.meta.title.clone()),
    );
    let meta = EpisodeMeta {
        title: if track.is_some() {
            script.meta.title.clone()
        } else {
            args.title.clone().or_else(|| script.meta.title.clone())
        },
        author: args.author.clone().or_else(|| script.meta.author.clone()),
        show: args.show.clone().or(book),
        track,
        date: script.meta.date.clone(),
        language: script.language.code().to_string(),
        description: script.meta.description.clone(),
        voice: format!("{}, voice {}", backend.id().engine, voice.name),
    };
    let assemble_options = AssembleOptions {
        pauses: voice.pauses.scaled(args.pause_scale),
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

    let settings = MasterSettings {
        format: checked.format,
        loudness: checked.loudness,
        ceiling_dbtp: args.true_peak,
        mp3: match (args.vbr, args.bitrate) {
            (Some(quality), _) => Mp3Mode::Vbr { quality },
            (None, Some(kbps)) => Mp3Mode::Cbr { kbps },
            (None, None) => Mp3Mode::Cbr {
                kbps: if episode.channels == 1 { 64 } else { 128 },
            },
        },
        cover: checked.cover.clone(),
    };
    let synthesis_secs = synthesis_started.elapsed().as_secs_f64();
    let bar = ui.progress(episode.frames * 2, "mastering");
    let mastering_started = Instant::now();
    let frames = |frames: u64| {
        if bar.position() + frames > bar.length().unwrap_or(0) {
            bar.inc_length(episode.frames);
        }
        bar.inc(frames)
    };
    let progress = master::Progress {
        frames: &frames,
        cancel: super::cancel(),
    };
    let report = master::write_episode(&episode, output, &settings, &progress)?;
    bar.finish_and_clear();
    let mastering_secs = mastering_started.elapsed().as_secs_f64();
    if !report.on_target {
        ui.say(format!(
            "warning: loudness landed at {:.1} LUFS, true peak {:.1} dBTP after {} passes",
            report.output.integrated_lufs, report.output.true_peak_dbtp, report.passes
        ));
    }

    let mut sidecars = Vec::new();
    if !args.no_sidecars {
        for kind in Sidecar::ALL {
            let text = match kind {
                Sidecar::Vtt => transcript::vtt(&episode),
                Sidecar::Srt => transcript::srt(&episode),
                Sidecar::Transcript => transcript::plain_text(&episode),
                Sidecar::Chapters => {
                    serde_json::to_string_pretty(&chapters::chapters_json(&episode))?
                }
            };
            let path = kind.path_for(output);
            transcript::write_text(&path, &text)?;
            sidecars.push(path);
        }
    }

    let elapsed = started.elapsed().as_secs_f64();
    let duration = episode.duration_secs();
    ui.say(format!(
        "wrote {} ({}, {} chunks, {} chapters) in {:.1} s, {:.0}x real time",
        output.display(),
        clock(duration),
        script.chunks.len(),
        episode.chapters.len(),
        elapsed,
        duration / elapsed.max(1e-9)
    ));
    ui.say(format!(
        "voice {} spoke with {} in {}: {} chunks synthesized, {} from cache, {} threads",
        voice.name,
        backend.id().engine,
        script.language.name(),
        rendered.synthesized,
        rendered.cache_hits,
        rendered.threads
    ));
    let was = report
        .input_lufs
        .map(|l| format!(" (was {l:.1}, gain {:+.1} dB)", report.gain_db))
        .unwrap_or_default();
    ui.say(format!(
        "loudness {:.1} LUFS{was}, true peak {:.1} dBTP",
        report.output.integrated_lufs, report.output.true_peak_dbtp
    ));
    Ok(Summary {
        output: output.to_path_buf(),
        format: checked.format,
        sidecars,
        duration_secs: duration,
        sample_rate: episode.sample_rate,
        channels: episode.channels,
        chunks: script.chunks.len(),
        chapters: episode
            .chapters
            .iter()
            .map(|c| ChapterSummary {
                title: c.title.clone(),
                start_secs: episode.seconds(c.start),
            })
            .collect(),
        language: script.language.code(),
        language_source: script.language_source,
        voice: voice.name.clone(),
        engine: backend.id().engine.clone(),
        threads: rendered.threads,
        synthesized: rendered.synthesized,
        cache_hits: rendered.cache_hits,
        dropped_blocks: prepared.report.clean.dropped.len(),
        loudness: report,
        peak_rss_bytes: peak_rss_bytes(),
        elapsed_secs: elapsed,
        synthesis_secs,
        mastering_secs,
        realtime_factor: duration / elapsed.max(1e-9),
    })
}
