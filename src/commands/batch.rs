//! `articast batch`: an archive into a folder of episodes, a manifest and a feed. A thin
//! shell over [`articast::batch`]: it merges flags over the show file, finds the shard,
//! shows one progress bar, and reports.

use std::sync::Mutex;

use anyhow::{Context, Result};
use articast::batch::manifest::{Entry, Status};
use articast::batch::shard::Shard;
use articast::batch::show::Show;
use articast::batch::{self, BatchObserver, BatchPlan, ReadOptions};
use articast::episode::{Media, MediaPaths};
use articast::master::AudioFormat;
use articast::speakers::Speakers;
use indicatif::ProgressBar;
use serde::Serialize;

use super::render::sound_settings;
use super::{backend_options, clock, plural, Ui, UsageError};
use crate::cli::BatchArgs;

/// One bar for the run, a line per article.
struct BatchProgress<'a> {
    ui: &'a Ui,
    bar: ProgressBar,
    audio_secs: Mutex<f64>,
}

impl BatchObserver for BatchProgress<'_> {
    fn started(&self, total: usize) {
        self.bar.set_length(total as u64);
    }

    fn finished(&self, entry: &Entry, rendered: bool) {
        let line = match (entry.status, rendered) {
            (Status::Failed, _) => format!(
                "failed  {}: {}",
                entry.identity,
                entry.error.as_deref().unwrap_or("unknown error")
            ),
            (Status::Ok, true) => {
                let r = entry.report.as_ref();
                let secs = r.map_or(0.0, |r| r.duration_secs);
                if let Ok(mut total) = self.audio_secs.lock() {
                    *total += secs;
                    self.bar
                        .set_message(format!("{:.1} h of audio made", *total / 3600.0));
                }
                format!(
                    "wrote   {} ({}) from {}",
                    r.map(|r| r.output.display().to_string())
                        .unwrap_or_default(),
                    clock(secs),
                    entry.identity
                )
            }
            (Status::Ok, false) => format!("same    {}", entry.identity),
        };
        if self.ui.quiet_or_hidden() {
            self.ui.say(line);
        } else {
            self.bar.println(line);
        }
        self.bar.inc(1);
    }

    fn note(&self, message: &str) {
        self.bar.suspend(|| self.ui.say(message));
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    #[serde(flatten)]
    batch: &'a batch::BatchReport,
    shard: String,
    feed: Option<articast::feed::FeedReport>,
}

pub fn run(args: &BatchArgs, ui: &Ui) -> Result<()> {
    if args.inputs.is_empty() && args.list.is_empty() {
        return Err(UsageError(
            "give articles: folders, files, patterns, addresses, or --list FILE".into(),
        )
        .into());
    }
    let show = args.show.as_deref().map(Show::load).transpose()?;
    let shard = match &args.shard {
        Some(spec) => Shard::parse(spec).map_err(|e| UsageError(e.to_string()))?,
        None => Shard::from_environment(args.shards, &|v| std::env::var(v).ok())
            .map_err(|e| UsageError(e.to_string()))?
            .unwrap_or(Shard::ALL),
    };
    let format = args
        .sound
        .format
        .or(show.as_ref().and_then(|s| s.render.format))
        .unwrap_or(AudioFormat::Mp3);
    let base = show.as_ref().map(|s| s.audio_settings(Some(format)));
    let settings = sound_settings(&args.sound, format, base);
    let from_show = |p: &Option<std::path::PathBuf>| {
        p.as_ref()
            .map(|p| show.as_ref().map_or(p.clone(), |s| s.resolve(p)))
    };
    let render = show.as_ref().map(|s| &s.render);
    let media_paths = MediaPaths {
        cover: show
            .as_ref()
            .and_then(|s| s.show.cover.as_ref().map(|c| s.resolve(c))),
        intro: args
            .sound
            .music
            .intro
            .clone()
            .or_else(|| from_show(&render.and_then(|r| r.intro.clone()))),
        outro: args
            .sound
            .music
            .outro
            .clone()
            .or_else(|| from_show(&render.and_then(|r| r.outro.clone()))),
        bed: args
            .sound
            .music
            .bed
            .clone()
            .or_else(|| from_show(&render.and_then(|r| r.bed.clone()))),
    };
    settings
        .validate(media_paths.bed.is_some())
        .map_err(|e| UsageError(format!("--{e}")))?;
    // A feed the run cannot write is found out before hours of rendering, not after.
    if let Some(s) = &show {
        if let Err(e) = s.check_for_feed() {
            if shard.count == 1 && !args.no_feed {
                return Err(anyhow::Error::new(e)
                    .context("the show cannot make a feed (fix it, or pass --no-feed)"));
            }
            ui.warn(format!(
                "{e}; `articast feed` will refuse it until it is fixed"
            ));
        }
    }
    let sources = batch::inputs::expand(&args.inputs, &args.list, &args.out)?;
    let media = Media::load(&media_paths)?;
    let media_hash = {
        let mut h = blake3::Hasher::new();
        for (_, p) in media_paths.inputs() {
            h.update(&std::fs::read(p).unwrap_or_default());
        }
        h.finalize().to_hex().to_string()
    };
    let mut lexicons = args.read.lexicon.clone();
    if let Some(s) = &show {
        lexicons.extend(s.render.lexicons.iter().map(|l| s.resolve(l)));
    }
    let config = articast::config::UserConfig::load()?;
    let speakers = Speakers::new(
        backend_options(args.read.engine, args.sound.jobs, &config),
        config,
    );
    let threads = articast::render::thread_count(args.sound.jobs, usize::MAX);
    let pool = articast::render::thread_pool(threads);
    let cache = (!args.sound.no_cache)
        .then(|| super::usable_cache(ui))
        .flatten();
    let plan = BatchPlan {
        sources,
        out: args.out.clone(),
        show: show.as_ref(),
        settings,
        media: &media,
        media_hash,
        read: ReadOptions {
            lang: args.read.lang,
            format: args.read.format_in,
            voice: args.read.voice.clone(),
            clean: args.read.clean_options(),
            lexicons,
        },
        shard,
        cache,
        force: args.force,
        sidecars: !args.sound.no_sidecars,
    };
    let bar = ui.progress(0, "articles");
    let progress = BatchProgress {
        ui,
        bar,
        audio_secs: Mutex::new(0.0),
    };
    let report = batch::run(&plan, &speakers, &pool, &progress, super::cancel())
        .with_context(|| format!("batch into {}", args.out.display()))?;
    progress.bar.finish_and_clear();
    let mut feed = None;
    if !report.interrupted && !args.no_feed {
        match (&show, shard.count) {
            (Some(s), 1) => match articast::feed::write(s, &args.out) {
                Ok(f) => {
                    ui.say(format!(
                        "feed {} with {}",
                        f.path.display(),
                        plural(f.items, "episode", "episodes")
                    ));
                    feed = Some(f);
                }
                Err(e) => ui.warn(format!("no feed written: {e}")),
            },
            (Some(_), _) => ui.say(format!(
                "note: shard {}/{} done; once every shard is, `articast feed {} --show ...` writes the feed",
                shard.index,
                shard.count,
                args.out.display()
            )),
            (None, _) => ui.say("note: no --show, so no feed; give a show.toml to write feed.xml"),
        }
    }
    ui.say(format!(
        "{}: {} rendered, {} unchanged, {} failed, {} removed; {} synthesized, {} from cache; {} of audio in {:.1} s",
        plural(report.articles, "article", "articles"),
        report.rendered,
        report.unchanged,
        report.failed,
        report.removed,
        plural(report.synthesized_chunks, "chunk", "chunks"),
        report.reused_chunks,
        clock(report.audio_secs),
        report.elapsed_secs
    ));
    let learned = report.recurring;
    if learned.lines > 0 {
        ui.say(format!(
            "boilerplate: {} recurring in {} of {} (read in {:.2} s); --keep-furniture keeps them",
            plural(learned.lines, "line", "lines"),
            plural(learned.folders, "folder", "folders"),
            plural(
                learned.articles,
                "plain-text article",
                "plain-text articles"
            ),
            report.recurring_secs
        ));
    }
    if args.json {
        let summary = Summary {
            batch: &report,
            shard: format!("{}/{}", shard.index, shard.count),
            feed,
        };
        println!("{}", serde_json::to_string_pretty(&summary)?);
    }
    if report.interrupted {
        ui.warn(format!(
            "stopped after {} of {}; the manifest is saved, and the same command resumes",
            report.rendered + report.unchanged + report.failed,
            plural(report.articles, "article", "articles"),
        ));
        return Err(articast::cancel::Cancelled.into());
    }
    if report.failed > 0 {
        anyhow::bail!(
            "{} failed (the reasons are above and in {})",
            plural(report.failed, "article", "articles"),
            report.manifest.display()
        );
    }
    Ok(())
}
