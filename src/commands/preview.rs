//! `articast preview`: hear an article at once. A thin shell over
//! [`articast::preview`]: it reads the article, picks where to start, chooses the
//! output (a WAV file with `--out`, else the sound device when built with the `preview`
//! feature), and shows what is spoken: a status line with keys on a terminal, one line
//! per sentence otherwise.

use std::path::Path;
use std::sync::mpsc::channel;
use std::sync::Arc;

use anyhow::{Context, Result};

use super::{clock, prepare, preview_web, Ui, UsageError};
use crate::cli::PreviewArgs;
use articast::assemble::AssembleOptions;
use articast::episode::media::{Media, MediaPaths};
use articast::episode::AudioSettings;
use articast::master::AudioFormat;
use articast::output::paths;
use articast::preview::music::{MusicFiles, PreviewMusic};
use articast::preview::output::WavOut;
use articast::preview::speech::Speech;
use articast::preview::web::WebSettings;
use articast::preview::{self, PlayerSettings, Start};
use articast::render;
use articast::synth::Backend;
use articast::voice::VoiceEntry;

/// How to get terminal playback, for builds without it.
#[cfg_attr(feature = "preview", allow(dead_code))]
pub const NO_PLAYBACK: &str = "this articast was built without terminal playback; rebuild it with `cargo install --path . --features preview` (on Linux this needs the ALSA headers: Debian/Ubuntu `libasound2-dev`, Fedora `alsa-lib-devel`), or write what would play with --out preview.wav";

/// Why the web preview opens when terminal playback was asked for.
const NO_PLAYBACK_WEB: &str = "this articast was built without terminal playback, so the web preview opens instead; for playback in the terminal rebuild with `cargo install --path . --features preview` (on Linux with the ALSA headers: Debian/Ubuntu `libasound2-dev`, Fedora `alsa-lib-devel`)";

/// Where the preview starts, from the flags.
fn start_of(args: &PreviewArgs) -> Start {
    match (args.chapter, args.from, args.sentence) {
        (Some(n), _, _) => Start::Chapter(n),
        (_, Some(secs), _) => Start::At(secs),
        (_, _, Some(n)) => Start::Sentence(n),
        _ => Start::Beginning,
    }
}

/// The loudness settings, checked like a render's.
fn audio_settings(args: &PreviewArgs) -> Result<AudioSettings, UsageError> {
    let base = AudioSettings::default();
    let settings = AudioSettings {
        format: AudioFormat::Wav,
        loudness: args.levels.loudness,
        true_peak: args.levels.true_peak.unwrap_or(base.true_peak),
        normalize: !args.levels.no_normalize,
        pause_scale: args.levels.pause_scale.unwrap_or(base.pause_scale),
        bed_level_db: args.music.bed_level,
        duck_db: args.music.duck,
        ..base
    };
    settings
        .validate(args.music.bed.is_some())
        .map_err(|e| UsageError(format!("--{e}")))?;
    Ok(settings)
}

/// `articast preview`.
pub fn run(args: &PreviewArgs, ui: &Ui) -> Result<()> {
    let settings = audio_settings(args)?;
    if let Some(out) = &args.out {
        let ext = out.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !ext.eq_ignore_ascii_case("wav") {
            return Err(UsageError(format!(
                "--out {} : the preview writes WAV; name it .wav",
                out.display()
            ))
            .into());
        }
    }
    if is_episode(&args.read.input) {
        return run_episode(args, ui);
    }
    if args.read.input.is_dir() {
        return run_show(args, ui);
    }
    let web = args.out.is_none() && (args.web || !cfg!(feature = "preview"));
    if web && args.read.input.as_os_str() == "-" {
        return Err(UsageError(
            "the web preview reads the article again after each pronunciation fix, and standard input can be read only once; give it a file, or write what would play with --out p.wav".into(),
        )
        .into());
    }
    let media_paths = MediaPaths {
        cover: None,
        intro: args.music.intro.clone(),
        outro: args.music.outro.clone(),
        bed: args.music.bed.clone(),
    };
    let prepared = prepare(&args.read, ui, args.jobs)?;
    if let Some(out) = &args.out {
        let mut inputs: Vec<(&str, &Path)> = vec![("article", args.read.input.as_path())];
        inputs.extend(prepared.inputs.iter().map(|(r, p)| (*r, p.as_path())));
        inputs.extend(media_paths.inputs());
        paths::check_outputs(&inputs, std::slice::from_ref(out))?;
    }
    // Music is decoded before any synthesis, so a bad file fails at once.
    let media = Media::load(&media_paths)?;
    let script = Arc::new(prepared.script);
    let (first, mut end) = preview::span_of(
        &script,
        start_of(args),
        args.speed,
        args.out.is_some() && args.chapter.is_some(),
    )
    .map_err(|e| UsageError(e.to_string()))?;
    if let Some(limit) = args.limit {
        end = end.min(first.saturating_add(limit as usize));
    }
    let backend: Arc<dyn Backend> = Arc::from(prepared.backend);
    let script_max_chars = backend.limits().max_chars;
    let engine = backend.id().engine.clone();
    let resolved = settings
        .resolve(1, backend.limits().sample_rate, false)
        .map_err(|e| UsageError(format!("--{e}")))?;
    let rate = resolved.sample_rate;
    let cache = if args.no_cache {
        None
    } else {
        super::usable_cache(ui).map(Arc::new)
    };
    let threads = render::thread_count(args.jobs, backend.limits().max_parallel);
    let pool = Arc::new(render::thread_pool(threads));
    let voice = prepared.voice.clone();
    let config = articast::config::UserConfig::load()?;
    let options = super::backend_options(args.read.flags.engine, threads, &config);
    let origin = voice.origin.clone();
    let speech = Arc::new(Speech::new(
        Arc::clone(&script),
        voice.voice.clone(),
        args.speed,
        backend,
        Arc::new(move |v: &articast::voice::Voice| {
            articast::voice::backend_for(
                &VoiceEntry {
                    voice: v.clone(),
                    origin: origin.clone(),
                },
                &options,
            )
        }),
        cache,
        rate,
    ));
    let target_lufs = resolved.target.map(|t| t.integrated_lufs);
    let music = PreviewMusic::new(
        &MusicFiles {
            intro: media.intro.as_ref(),
            outro: media.outro.as_ref(),
            bed: media.bed.as_ref(),
            bed_level_db: settings.bed_level(),
            duck_db: settings.duck(),
        },
        rate,
        target_lufs,
    )?;
    let player = PlayerSettings {
        target_lufs,
        ceiling_dbtp: settings.true_peak,
        pauses: AssembleOptions {
            pauses: voice.voice.pauses.scaled(settings.pause_scale),
            ..AssembleOptions::default()
        },
        speed: args.speed,
        // Enough to keep every thread busy and a few seconds ahead, little enough that
        // a seek wastes almost nothing.
        ahead: (threads * 2).max(4),
        start: first,
        end,
        music: Arc::new(music),
    };
    let web_why = (!cfg!(feature = "preview") && !args.web).then_some(NO_PLAYBACK_WEB);
    if args.out.is_none() && (args.web || web_why.is_some()) {
        if media.has_music() {
            ui.say("note: the web page plays the speech alone; music plays in the terminal preview and with --out");
        }
        let reread = preview_web::Reread {
            input: args.read.input.clone(),
            format_in: args.read.flags.format_in,
            clean: args.read.flags.clean_options(),
            language: script.language,
            language_source: script.language_source,
            voice: voice.clone(),
            lexicons: args.read.flags.lexicon.clone(),
            max_chars: script_max_chars,
        };
        let settings = WebSettings {
            pool,
            target_lufs: player.target_lufs,
            ceiling_dbtp: player.ceiling_dbtp,
            pauses: player.pauses.clone(),
            ahead: player.ahead,
            lexicon: preview_web::lexicon_path(args),
            rebuild: Box::new(move || reread.script()),
            name: script
                .meta
                .title
                .clone()
                .unwrap_or_else(|| articast::document::display_path(&args.read.input)),
        };
        return preview_web::serve(args, ui, speech, settings, web_why);
    }
    let cancel = super::cancel();
    let (outcome, heard) = match &args.out {
        Some(path) => {
            let mut out = WavOut::create(path, rate)?;
            let (_controls, rx) = channel();
            let outcome = preview::play(
                speech.clone(),
                pool,
                &mut out,
                &player,
                &rx,
                &mut |_| {},
                cancel,
            )
            .with_context(|| articast::document::display_path(&args.read.input))?;
            if outcome.stopped {
                anyhow::bail!("interrupted");
            }
            let secs = out.frames() as f64 / rate as f64;
            out.commit()?;
            ui.say(format!(
                "wrote {} ({}, sentences {}-{} of {})",
                path.display(),
                clock(secs),
                first + 1,
                end,
                script.chunks.len()
            ));
            (outcome, secs)
        }
        None => {
            let name = articast::document::display_path(&args.read.input);
            let outcome = super::preview_device::play(
                &(speech.clone() as Arc<dyn articast::preview::player::ChunkSource>),
                pool,
                &player,
                ui,
                rate,
                args.json,
                &name,
            )?;
            (outcome, 0.0)
        }
    };
    if args.json {
        let first_sound_ms = outcome
            .first_sound
            .map(|at| at.duration_since(super::process_started()).as_secs_f64() * 1000.0);
        let summary = serde_json::json!({
            "input": args.read.input,
            "output": args.out,
            "first_chunk": first,
            "end_chunk": end,
            "chunks": script.chunks.len(),
            "chunks_played": outcome.chunks_played,
            "from_cache": outcome.from_cache,
            "most_ahead": outcome.most_ahead,
            "speed": outcome.speed,
            "sample_rate": rate,
            "engine": engine,
            "written_secs": heard,
            "first_sound_ms": first_sound_ms,
            "stopped": outcome.stopped,
        });
        println!("{summary}");
    }
    if outcome.stopped && cancel.is_cancelled() {
        anyhow::bail!("interrupted");
    }
    Ok(())
}

/// The first music flag given, if any.
fn music_flag(args: &PreviewArgs) -> Option<&'static str> {
    let m = &args.music;
    [
        (m.intro.is_some(), "--intro"),
        (m.outro.is_some(), "--outro"),
        (m.bed.is_some(), "--bed"),
        (m.bed_level.is_some(), "--bed-level"),
        (m.duck.is_some(), "--duck"),
    ]
    .into_iter()
    .find_map(|(given, flag)| given.then_some(flag))
}

/// Whether `input` is a rendered episode (an audio file) rather than an article.
fn is_episode(input: &Path) -> bool {
    let ext = input
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    input.is_file() && matches!(ext.as_str(), "mp3" | "wav" | "flac" | "ogg" | "m4a" | "aac")
}

/// `articast preview public/`: a folder of rendered episodes in the web page (in every
/// build: choosing among episodes and reading along is what the page is for).
fn run_show(args: &PreviewArgs, ui: &Ui) -> Result<()> {
    let given = [
        (args.out.is_some(), "--out"),
        (args.chapter.is_some(), "--chapter"),
        (args.from.is_some(), "--from"),
        (args.sentence.is_some(), "--sentence"),
        (args.limit.is_some(), "--limit"),
        ((args.speed - 1.0).abs() > 1e-6, "--speed"),
        (music_flag(args).is_some(), music_flag(args).unwrap_or("")),
    ];
    if let Some((_, flag)) = given.iter().find(|(set, _)| *set) {
        return Err(UsageError(format!(
            "{flag} applies to one article or episode; {} is a folder, which opens in the web page (pick an episode there, or preview one file: articast preview {}/EPISODE.mp3 {flag} ...)",
            args.read.input.display(),
            args.read.input.display().to_string().trim_end_matches('/'),
        ))
        .into());
    }
    preview_web::serve_show(args, ui)
}

/// `articast preview episode.mp3`: the rendered episode, moved through by its
/// transcript's cues and its chapters.
fn run_episode(args: &PreviewArgs, ui: &Ui) -> Result<()> {
    use articast::preview::episode::{sidecars, EpisodeSource};
    if (args.speed - 1.0).abs() > 1e-6 {
        return Err(UsageError(
            "--speed changes how an article is synthesized; a rendered episode plays at its own speed"
                .into(),
        )
        .into());
    }
    if args.web {
        return Err(UsageError(
            "the web preview reads articles; play an episode in the terminal or write it with --out"
                .into(),
        )
        .into());
    }
    if let Some(flag) = music_flag(args) {
        return Err(UsageError(format!(
            "{flag}: a rendered episode already has its music; give music when rendering or previewing the article"
        ))
        .into());
    }
    if args.out.is_none() && !cfg!(feature = "preview") {
        anyhow::bail!(NO_PLAYBACK);
    }
    let input = &args.read.input;
    if let Some(out) = &args.out {
        paths::check_outputs(&[("episode", input.as_path())], std::slice::from_ref(out))?;
    }
    let source = Arc::new(EpisodeSource::open(input)?);
    let (vtt, chapters) = sidecars(input);
    for (path, what) in [(&vtt, "transcript"), (&chapters, "chapters")] {
        if !path.is_file() {
            ui.say(format!(
                "note: no {what} beside the episode ({}); {}",
                path.display(),
                if what == "transcript" {
                    "moving by 30-second steps"
                } else {
                    "one chapter"
                }
            ));
        }
    }
    let script = preview::player::ChunkSource::script(source.as_ref());
    let n = script.chunks.len();
    let (first, mut end) = match (args.from, args.chapter) {
        (Some(secs), _) => (source.chunk_at(secs), n),
        _ => preview::span_of(
            script,
            start_of(args),
            1.0,
            args.out.is_some() && args.chapter.is_some(),
        )
        .map_err(|e| UsageError(e.to_string()))?,
    };
    if let Some(limit) = args.limit {
        end = end.min(first.saturating_add(limit as usize));
    }
    let rate = source.sample_rate();
    let player = PlayerSettings {
        target_lufs: None,
        ceiling_dbtp: 0.0,
        pauses: AssembleOptions {
            pauses: articast::voice::PauseSettings::default().scaled(0.0),
            lead_in_ms: 0,
            tail_ms: 0,
        },
        speed: 1.0,
        ahead: 4,
        start: first,
        end,
        music: Arc::new(PreviewMusic::default()),
    };
    let pool = Arc::new(render::thread_pool(2));
    let source: Arc<dyn preview::player::ChunkSource> = source;
    let name = articast::document::display_path(input);
    let outcome = match &args.out {
        Some(path) => {
            let mut out = WavOut::create(path, rate)?;
            let (_controls, rx) = channel();
            let outcome = preview::play(
                source,
                pool,
                &mut out,
                &player,
                &rx,
                &mut |_| {},
                super::cancel(),
            )
            .with_context(|| name.clone())?;
            if outcome.stopped {
                anyhow::bail!("interrupted");
            }
            let secs = out.frames() as f64 / rate as f64;
            out.commit()?;
            ui.say(format!("wrote {} ({})", path.display(), clock(secs)));
            outcome
        }
        None => super::preview_device::play(&source, pool, &player, ui, rate, args.json, &name)?,
    };
    if args.json {
        println!(
            "{}",
            serde_json::json!({
                "input": input,
                "output": args.out,
                "first_chunk": first,
                "end_chunk": end,
                "chunks": n,
                "chunks_played": outcome.chunks_played,
                "sample_rate": rate,
                "stopped": outcome.stopped,
            })
        );
    }
    if outcome.stopped && super::cancel().is_cancelled() {
        anyhow::bail!("interrupted");
    }
    Ok(())
}
