//! One file per subcommand; this module holds what they share: reading an article into
//! a script with its voice and backend, and terminal manners (progress, messages).

mod batch;
mod cache;
mod feed;
mod preview;
mod preview_device;
mod preview_web;
mod progress;
mod render;
mod script;
mod voices;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Result;
use articast::document::{self, LoadReport};
use articast::language::detect;
use articast::script::{Script, ScriptOptions};
use articast::speakers::{self, Speakers};
use articast::synth::{Backend, BackendOptions};
use articast::voice::VoiceEntry;
use std::sync::Arc;

use crate::cli::{Cli, Command, ReadArgs};

/// The process's cancellation token: set by SIGINT, SIGTERM or SIGHUP (see
/// [`crate::signals`]) and passed to every long piece of work.
pub fn cancel() -> &'static articast::cancel::Cancel {
    static CANCEL: std::sync::OnceLock<articast::cancel::Cancel> = std::sync::OnceLock::new();
    CANCEL.get_or_init(articast::cancel::Cancel::new)
}

/// When the process started (as near as `main` knows): time to first sound is
/// measured from here.
pub fn process_started() -> std::time::Instant {
    static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    *STARTED.get_or_init(std::time::Instant::now)
}

/// An error in how articast was called (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Runs the command `cli` names.
pub fn run(cli: Cli) -> Result<()> {
    let ui = Ui::new(cli.quiet);
    match cli.command {
        Command::Render(args) => render::run(&args, &ui),
        Command::Script(args) => script::run(&args, &ui),
        Command::Voices(args) => voices::run(&args, &ui),
        Command::Batch(args) => batch::run(&args, &ui),
        Command::Feed(args) => feed::run(&args, &ui),
        Command::Cache(args) => cache::run(&args, &ui),
        Command::Preview(args) => preview::run(&args, &ui),
        Command::EspeakWorker => {
            // The parent decides when to stop; a terminal's Ctrl-C reaches the whole
            // process group, and a worker dying mid-chunk would only blur the message.
            crate::signals::ignore_interrupts();
            Ok(articast::synth::espeak_worker::serve()?)
        }
    }
}

/// Terminal manners: messages and progress on stderr, only when wanted.
pub struct Ui {
    quiet: bool,
    interactive: bool,
}

impl Ui {
    fn new(quiet: bool) -> Ui {
        Ui {
            quiet,
            interactive: std::io::stderr().is_terminal(),
        }
    }

    /// Whether `--quiet` was given.
    #[cfg_attr(not(feature = "preview"), allow(dead_code))]
    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Whether progress bars are hidden (quiet, or stderr is not a terminal).
    pub fn quiet_or_hidden(&self) -> bool {
        self.quiet || !self.interactive
    }

    /// Prints a message on stderr unless `--quiet`.
    pub fn say(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", message.as_ref());
        }
    }

    /// Prints a message on stderr even with `--quiet`: what the user cannot do
    /// without (the address of a page being served).
    pub fn always(&self, message: impl AsRef<str>) {
        eprintln!("{}", message.as_ref());
    }

    /// Prints a warning on stderr, even with `--quiet`: something the user asked for
    /// did not happen, or will not.
    pub fn warn(&self, message: impl AsRef<str>) {
        eprintln!("warning: {}", message.as_ref());
    }

    /// A progress bar on stderr for `len` steps, hidden when quiet or not on a terminal.
    pub fn progress(&self, len: u64, what: &str) -> indicatif::ProgressBar {
        self.progress_with(len, what, "{pos}/{len} {msg}")
    }

    /// A progress bar whose counts are shown by `counts` (an indicatif template part).
    pub fn progress_with(&self, len: u64, what: &str, counts: &str) -> indicatif::ProgressBar {
        if self.quiet || !self.interactive {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(len);
        let style = indicatif::ProgressStyle::with_template(&format!(
            "{{prefix:>10}} [{{bar:30}}] {counts} ({{elapsed}}, eta {{eta}})"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(what.to_string());
        bar
    }
}

/// An article read all the way to its script, with the voice and backend that will
/// speak it.
pub struct Prepared {
    pub script: Script,
    pub voice: VoiceEntry,
    pub backend: Box<dyn Backend>,
    pub report: LoadReport,
    /// Every file this run reads besides the article and the music: lexicons and voice
    /// files, each with what it is (no output may overwrite one of them).
    pub inputs: Vec<(&'static str, PathBuf)>,
}

/// Reads, cleans and scripts the article named in `args`, printing warnings and what
/// cleaning dropped.
pub fn prepare(args: &ReadArgs, ui: &Ui, threads: usize) -> Result<Prepared> {
    let clean = args.flags.clean_options();
    let (doc, report) = document::load(&args.input, args.flags.format_in, &clean)?;
    say_load_report(ui, &report, &document::display_path(&args.input));
    let (language, language_source) = detect::decide(&doc, args.flags.lang)?;
    say_language(ui, &doc, language, language_source);
    let settings = articast::config::UserConfig::load()?;
    let options = backend_options(args.flags.engine, threads, &settings);
    let speakers = Speakers::new(options, settings);
    let voice = speakers.resolve(args.flags.voice.as_deref(), language)?;
    if args.flags.voice.is_none()
        && !speakers.config().voices.contains_key(language.code())
        && voice.voice.backend.piper().is_none()
    {
        note_unused_neural_voice(ui, language, speakers.config());
    }
    if voice.language() != Some(language) {
        ui.say(format!(
            "warning: voice '{}' speaks {}, the article is {}",
            voice.voice.name,
            voice.voice.language,
            language.code()
        ));
    }
    let article = (args.input.as_os_str() != "-"
        && !articast::fetch::is_url(&args.input.to_string_lossy()))
    .then_some(args.input.as_path());
    let (lexicon, mut inputs) = speakers::lexicon_for(&voice, article, &args.flags.lexicon)?;
    inputs.extend(
        speakers::voice_files(&voice)
            .into_iter()
            .map(|p| ("voice file", p)),
    );
    let speaking = speakers.speaking(voice)?;
    let options = ScriptOptions {
        max_chars: speaking.backend.limits().max_chars,
        lexicon,
    };
    let script = articast::script::build(&doc, language, language_source, &options);
    if script.chunks.is_empty() {
        anyhow::bail!(
            "{} has nothing to say: its text is only symbols, emoji or markup that is not read aloud",
            doc.meta.display_source()
        );
    }
    // The run's registry holds the other reference.
    drop(speakers);
    let speaking =
        Arc::try_unwrap(speaking).map_err(|_| anyhow::anyhow!("the speaker is still shared"))?;
    Ok(Prepared {
        script,
        voice: speaking.voice,
        backend: speaking.backend,
        report,
        inputs,
    })
}

/// Prints what reading an article warned about and what cleaning dropped.
pub fn say_load_report(ui: &Ui, report: &LoadReport, name: &str) {
    for warning in &report.warnings {
        ui.say(format!("warning: {warning}"));
    }
    for line in report.clean.summary_lines() {
        ui.say(format!("{name}: {line}"));
    }
}

/// Says when a text was too short to tell its language.
pub fn say_language(
    ui: &Ui,
    doc: &articast::document::Document,
    language: articast::language::Language,
    source: detect::LanguageSource,
) {
    if source.is_uncertain() {
        let why = match source {
            detect::LanguageSource::Locale => "the system locale's language",
            _ => "the likeliest guess",
        };
        ui.say(format!(
            "note: {} is too short to tell its language; reading it as {} ({why}); pass --lang to choose",
            doc.meta.display_source(),
            language.name()
        ));
    }
}

/// Backend options for this process: the engine asked for, and this very binary as the
/// eSpeak NG worker program.
pub fn backend_options(
    engine: Option<articast::voice::EnginePreference>,
    threads: usize,
    settings: &articast::config::UserConfig,
) -> BackendOptions {
    BackendOptions {
        espeak_engine: engine,
        espeak_worker: std::env::current_exe().ok(),
        threads,
        onnxruntime: settings.onnxruntime.clone(),
    }
}

/// Says why an installed neural voice for `language` is not speaking (no ONNX Runtime,
/// or a build without Piper), and how to enable it, as the README promises.
fn note_unused_neural_voice(
    ui: &Ui,
    language: articast::language::Language,
    settings: &articast::config::UserConfig,
) {
    let Some(neural) = articast::voice::installed_piper_voices()
        .into_iter()
        .find(|v| v.language() == Some(language))
    else {
        return;
    };
    let why = if !cfg!(feature = "piper") {
        "this articast was built without the `piper` feature".to_string()
    } else {
        match articast::synth::piper::runtime::find(settings.onnxruntime.as_deref()) {
            Ok(_) => return,
            Err(e) => e.to_string(),
        }
    };
    ui.say(format!(
        "note: the installed neural voice {} is not used: {why}; speaking with eSpeak NG",
        neural.voice.name
    ));
}

/// Whether a neural voice could speak here (built with Piper, ONNX Runtime found): when
/// not, the default voice is an eSpeak NG one and installed neural voices are skipped.
pub fn neural_voices_usable(settings: &articast::config::UserConfig) -> bool {
    cfg!(feature = "piper")
        && articast::synth::piper::runtime::find(settings.onnxruntime.as_deref()).is_ok()
}

/// Refuses an output path that cannot be written, before any work is done.
pub fn check_output_path(output: &Path, input: &Path) -> Result<()> {
    if output.is_dir() {
        return Err(UsageError(format!(
            "{} is a directory; give a file name such as episode.wav",
            output.display()
        ))
        .into());
    }
    if let (Ok(a), Ok(b)) = (output.canonicalize(), input.canonicalize()) {
        if a == b {
            return Err(UsageError(format!(
                "{} is the input; choose another output file",
                output.display()
            ))
            .into());
        }
    }
    let dir = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        anyhow::bail!(
            "cannot write {}: folder {} does not exist; create it first",
            output.display(),
            dir.display()
        );
    }
    tempfile::tempfile_in(dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot write {}: {e}; choose a writable folder",
            output.display()
        )
    })?;
    Ok(())
}

/// The clip cache, or `None` with a warning when its folder cannot be written.
pub fn usable_cache(ui: &Ui) -> Option<articast::cache::ClipCache> {
    let cache = articast::cache::ClipCache::default_location();
    match cache.check_writable() {
        Ok(()) => Some(cache),
        Err(e) => {
            ui.say(format!(
                "warning: the clip cache {} cannot be written ({e}); caching is off for this run (set ARTICAST_CACHE_DIR to a writable folder)",
                cache.dir().display()
            ));
            None
        }
    }
}

/// `1 chunk`, `2 chunks`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Formats seconds as `M:SS` or `H:MM:SS`.
pub fn clock(secs: f64) -> String {
    let total = secs.round() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}
