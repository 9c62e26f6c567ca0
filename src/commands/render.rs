//! `articast render`: article in, episode out (audio, transcripts, chapters). A thin
//! shell over [`articast::episode`]: it turns flags into settings, checks everything a
//! user can get wrong before any synthesis, and reports.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::progress::EpisodeProgress;
use super::{check_output_path, clock, plural, prepare, Prepared, Ui, UsageError};
use crate::cli::RenderArgs;
use articast::cancel::ScratchDir;
use articast::episode::{self, AudioSettings, EpisodePlan, EpisodeReport, Media, MediaPaths};
use articast::episode::{Speaker, Tags};
use articast::master::AudioFormat;
use articast::output::cover::Cover;
use articast::output::paths;
use articast::render;
use articast::script::{split_by_chapter, Script};

/// Where the audio goes.
enum Destination {
    /// The file `-o` names (and its sidecars).
    File,
    /// Standard output: rendered to a scratch file, then copied.
    Stdout,
}

/// The format the output asks for: `--format`, else its extension; a mismatch between
/// the two, or neither, is a usage error.
fn output_format(args: &RenderArgs, stdout: bool) -> Result<AudioFormat, UsageError> {
    let ext = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    let by_name = AudioFormat::from_extension(ext);
    match (args.sound.format, by_name) {
        (Some(f), Some(n)) if f != n => Err(UsageError(format!(
            "{} is named like {} but --format says {}; name it .{} or drop --format",
            args.output.display(),
            n.name(),
            f.name(),
            f.extension()
        ))),
        (Some(f), _) | (None, Some(f)) => Ok(f),
        (None, None) if stdout => Err(UsageError(
            "with -o - (standard output), say the format with --format mp3 or --format wav".into(),
        )),
        (None, None) if ext.is_empty() => Err(UsageError(format!(
            "{} has no extension; name it .mp3 or .wav, or pass --format",
            args.output.display()
        ))),
        (None, None) => Err(UsageError(format!(
            "cannot write .{ext} files; name the output .mp3 or .wav, or pass --format"
        ))),
    }
}

/// The audio settings the flags ask for, checked.
fn audio_settings(args: &RenderArgs, format: AudioFormat) -> Result<AudioSettings, UsageError> {
    let settings = sound_settings(&args.sound, format, None);
    settings
        .validate(args.sound.music.bed.is_some())
        .map_err(|e| UsageError(format!("--{e}")))?;
    for (flag, value) in [
        ("title", &args.title),
        ("author", &args.author),
        ("show", &args.show),
    ] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return Err(UsageError(format!(
                "--{flag} is empty; give a {flag} or leave the flag out"
            )));
        }
    }
    Ok(settings)
}

/// The settings the sound flags ask for, over `base` (a show's defaults) when given.
pub fn sound_settings(
    sound: &crate::cli::SoundArgs,
    format: AudioFormat,
    base: Option<AudioSettings>,
) -> AudioSettings {
    let base = base.unwrap_or_default();
    AudioSettings {
        format,
        sample_rate: sound.rate.or(base.sample_rate),
        bitrate: sound.bitrate.or(base.bitrate),
        vbr: sound.vbr.or(base.vbr),
        loudness: sound.levels.loudness.or(base.loudness),
        true_peak: sound.levels.true_peak.unwrap_or(base.true_peak),
        normalize: !sound.levels.no_normalize && base.normalize,
        pause_scale: sound.levels.pause_scale.unwrap_or(base.pause_scale),
        bed_level_db: sound.music.bed_level.or(base.bed_level_db),
        duck_db: sound.music.duck.or(base.duck_db),
    }
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

/// The cover the article declares (front matter `cover:` or `image:`), when it is a
/// local file that loads; a remote or broken one is a note, not a failure, since the
/// user did not ask for it on the command line.
fn declared_cover(script: &Script, input: &Path, ui: &Ui) -> Option<Cover> {
    let declared = script.meta.cover.as_ref()?;
    if declared.to_string_lossy().contains("://") {
        ui.say(format!(
            "note: the article's cover {} is remote; pass --cover FILE to embed one",
            declared.display()
        ));
        return None;
    }
    match Cover::load(&declared_cover_path(script, input)?) {
        Ok(cover) => Some(cover),
        Err(e) => {
            ui.say(format!("note: the article's cover is not used: {e}"));
            None
        }
    }
}

/// One episode to make: its script, its file, and its tags.
struct Part {
    script: Script,
    output: PathBuf,
    tags: Tags,
}

/// The episodes the command makes: one, or one per chapter.
fn parts(args: &RenderArgs, prepared: &Prepared, audio: &Path) -> Vec<Part> {
    let meta = &prepared.script.meta;
    let author = args.author.clone().or_else(|| meta.author.clone());
    if !args.split_chapters {
        return vec![Part {
            script: prepared.script.clone(),
            output: audio.to_path_buf(),
            tags: Tags {
                title: args.title.clone().or_else(|| meta.title.clone()),
                author,
                show: args.show.clone(),
                date: meta.date.clone(),
                description: meta.description.clone(),
                track: None,
            },
        }];
    }
    // A book split into chapters: each episode is titled by its chapter, and the book
    // (named by --title, else its own title) is the show unless one is named.
    let book = args.title.clone().or_else(|| meta.title.clone());
    let scripts = split_by_chapter(&prepared.script);
    let total = scripts.len();
    scripts
        .into_iter()
        .enumerate()
        .map(|(i, script)| Part {
            output: numbered(audio, i + 1, total),
            tags: Tags {
                title: script.meta.title.clone(),
                author: author.clone(),
                show: args.show.clone().or_else(|| book.clone()),
                date: meta.date.clone(),
                description: meta.description.clone(),
                track: Some((i as u32 + 1, total as u32)),
            },
            script,
        })
        .collect()
}

/// Refuses, before any synthesis, a run whose outputs (every episode and its sidecars)
/// would overwrite one of its inputs, or each other.
fn check_inputs_survive(
    args: &RenderArgs,
    prepared: &Prepared,
    media: &MediaPaths,
    declared_cover: Option<&Path>,
    parts: &[Part],
    sidecars: bool,
) -> Result<(), UsageError> {
    let mut inputs: Vec<(&str, &Path)> = vec![("article", args.read.input.as_path())];
    inputs.extend(media.inputs());
    inputs.extend(declared_cover.map(|p| ("article's cover", p)));
    inputs.extend(prepared.inputs.iter().map(|(r, p)| (*r, p.as_path())));
    let outputs: Vec<PathBuf> = parts
        .iter()
        .flat_map(|p| episode::outputs_of(&p.output, sidecars))
        .collect();
    paths::check_outputs(&inputs, &outputs).map_err(|e| UsageError(e.to_string()))
}

pub fn run(args: &RenderArgs, ui: &Ui) -> Result<()> {
    let to_stdout = args.output.as_os_str() == "-";
    let format = output_format(args, to_stdout)?;
    let settings = audio_settings(args, format)?;
    let destination = if to_stdout {
        if std::io::stdout().is_terminal() {
            return Err(UsageError(
                "standard output is a terminal; redirect -o - to a file or a player".into(),
            )
            .into());
        }
        if args.json || args.split_chapters {
            return Err(UsageError(
                "-o - (audio on standard output) cannot go with --json or --split-chapters".into(),
            )
            .into());
        }
        Destination::Stdout
    } else {
        check_output_path(&args.output, &args.read.input)?;
        Destination::File
    };
    let sidecars = !args.sound.no_sidecars && matches!(destination, Destination::File);
    if to_stdout && !args.sound.no_sidecars {
        ui.say("note: with -o - only the audio is written (no transcripts or chapters)");
    }
    let prepared = prepare(&args.read, ui, args.sound.jobs)?;
    let media_paths = MediaPaths {
        cover: args.cover.clone(),
        intro: args.sound.music.intro.clone(),
        outro: args.sound.music.outro.clone(),
        bed: args.sound.music.bed.clone(),
    };
    // Audio for standard output is written to a scratch file first (WAV headers and
    // the MP3 Info frame are completed last), then copied.
    let scratch = match destination {
        Destination::Stdout => Some(ScratchDir::new().context("cannot create a temporary folder")?),
        Destination::File => None,
    };
    let audio = match (&destination, &scratch) {
        (Destination::Stdout, Some(dir)) => {
            dir.path().join(format!("episode.{}", format.extension()))
        }
        _ => args.output.clone(),
    };
    let parts = parts(args, &prepared, &audio);
    let declared = declared_cover_path(&prepared.script, &args.read.input);
    check_inputs_survive(
        args,
        &prepared,
        &media_paths,
        declared.as_deref(),
        &parts,
        sidecars,
    )?;

    let media = Media::load(&media_paths)?;
    if let Some(cover) = &media.cover {
        if let Some(advice) = cover.advice() {
            ui.say(format!("note: {advice}"));
        }
        if format == AudioFormat::Wav {
            ui.say("note: WAV files carry no cover art; it is used for MP3 only");
        }
    }
    let article_cover = (media.cover.is_none() && format == AudioFormat::Mp3)
        .then(|| declared_cover(&prepared.script, &args.read.input, ui))
        .flatten();
    let backend = prepared.backend.as_ref();
    // Settings that depend on the music (a bit rate too low for stereo) fail here, not
    // after synthesis.
    let resolved = settings
        .resolve(
            media.channels(),
            backend.limits().sample_rate,
            media.has_music(),
        )
        .map_err(|e| UsageError(format!("--{e}")))?;
    if let Some(why) = resolved.rate_note {
        ui.say(format!(
            "note: writing at {} Hz: {why}",
            resolved.sample_rate
        ));
    }

    let cache = if args.sound.no_cache {
        None
    } else {
        super::usable_cache(ui)
    };
    let speaker = Speaker {
        backend,
        voice: &prepared.voice.voice,
        cache: cache.as_ref(),
    };
    let limit = backend.limits().max_parallel;
    let threads = render::thread_count(args.sound.jobs, limit);
    let pool = render::thread_pool(threads);
    let mut reports = Vec::new();
    for part in &parts {
        let plan = EpisodePlan {
            script: &part.script,
            output: part.output.clone(),
            settings: &settings,
            media: &media,
            cover: article_cover.as_ref(),
            tags: part.tags.clone(),
            sidecars,
            dropped_blocks: prepared.report.clean.dropped.len(),
        };
        let progress = EpisodeProgress::new(ui);
        let report = episode::render(&plan, speaker, &pool, &progress, super::cancel())
            .with_context(|| articast::document::display_path(&args.read.input))?;
        progress.clear();
        let shown = match destination {
            Destination::Stdout => "standard output".to_string(),
            Destination::File => report.output.display().to_string(),
        };
        say_summary(ui, &report, &shown, &prepared, args.sound.jobs, limit);
        reports.push(report);
    }
    if let Destination::Stdout = destination {
        let mut file = std::fs::File::open(&audio)
            .with_context(|| format!("cannot read back {}", audio.display()))?;
        let mut out = std::io::stdout().lock();
        std::io::copy(&mut file, &mut out).context("cannot write to standard output")?;
    }
    if args.json {
        let json = if args.split_chapters {
            serde_json::to_string_pretty(&reports)?
        } else {
            serde_json::to_string_pretty(&reports[0])?
        };
        println!("{json}");
    }
    Ok(())
}

/// The human summary of one episode, on stderr.
fn say_summary(
    ui: &Ui,
    r: &EpisodeReport,
    shown: &str,
    prepared: &Prepared,
    jobs: usize,
    limit: usize,
) {
    ui.say(format!(
        "wrote {shown} ({}, {}, {}) in {:.1} s, {:.0}x real time",
        clock(r.duration_secs),
        plural(r.chunks, "chunk", "chunks"),
        plural(r.chapters.len(), "chapter", "chapters"),
        r.elapsed_secs,
        r.realtime_factor
    ));
    let threads = if jobs > r.threads {
        format!(
            "{} (of {jobs} asked: {} runs at most {limit} at once here)",
            plural(r.threads, "thread", "threads"),
            r.engine
        )
    } else {
        plural(r.threads, "thread", "threads")
    };
    ui.say(format!(
        "voice {} spoke with {} in {}: {} synthesized, {} from cache, {threads}",
        r.voice,
        r.engine,
        prepared.script.language.name(),
        plural(r.synthesized, "chunk", "chunks"),
        r.cache_hits,
    ));
    let l = &r.loudness;
    let was = l
        .input_lufs
        .map(|input| format!(" (was {input:.1}, gain {:+.1} dB)", l.gain_db))
        .unwrap_or_default();
    ui.say(format!(
        "loudness {:.1} LUFS{was}, true peak {:.1} dBTP; compressor up to {:.1} dB, limiter up to {:.1} dB",
        l.output.integrated_lufs, l.output.true_peak_dbtp, l.compressor_db, l.limiter_db
    ));
    if l.limiter_db > 6.0 || l.limited_percent > 5.0 {
        ui.say(format!(
            "warning: reaching {:.1} LUFS took {:.1} dB of limiting ({:.1} % of the time over 1 dB); the speech sounds squeezed: a lower --loudness sounds better",
            l.speech_lufs.unwrap_or(l.output.integrated_lufs),
            l.limiter_db,
            l.limited_percent
        ));
    }
    if !l.on_target {
        ui.say(format!(
            "warning: loudness landed at {:.1} LUFS, true peak {:.1} dBTP after {} passes",
            l.output.integrated_lufs, l.output.true_peak_dbtp, l.passes
        ));
    }
}
