//! The web preview from the command line: serves [`articast::preview::web`] (an
//! article, or a folder of rendered episodes) on 127.0.0.1, prints the address (with `--json`, as a JSON line on stdout), opens a
//! browser when the session has one, and serves until Ctrl-C.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

use super::Ui;
use crate::cli::PreviewArgs;
use articast::document::{self, CleanOptions};
use articast::language::Language;
use articast::preview::speech::Speech;
use articast::preview::web::http::{Site, WebServer};
use articast::preview::web::show::ShowPreview;
use articast::preview::web::{WebPreview, WebSettings};
use articast::script::ScriptOptions;
use articast::voice::VoiceEntry;

/// Where fixes go: the last `--lexicon` file, else `lexicon.toml` beside the article
/// (which every render of it reads), else in the current folder.
pub fn lexicon_path(args: &PreviewArgs) -> PathBuf {
    if let Some(last) = args.read.flags.lexicon.last() {
        return last.clone();
    }
    let input = &args.read.input;
    let local = input.as_os_str() != "-" && !articast::fetch::is_url(&input.to_string_lossy());
    match input.parent() {
        Some(dir) if local && !dir.as_os_str().is_empty() => dir.join("lexicon.toml"),
        _ => PathBuf::from("lexicon.toml"),
    }
}

/// What the page needs to know to read the article again after a fix.
pub struct Reread {
    /// The article.
    pub input: PathBuf,
    /// Its format, when forced.
    pub format_in: Option<articast::document::InputFormat>,
    /// The cleaning rules.
    pub clean: CleanOptions,
    /// The language decided at the start.
    pub language: Language,
    /// How it was decided.
    pub language_source: articast::language::detect::LanguageSource,
    /// The voice (its own lexicon).
    pub voice: VoiceEntry,
    /// `--lexicon` files.
    pub lexicons: Vec<PathBuf>,
    /// The backend's input limit.
    pub max_chars: usize,
}

impl Reread {
    /// The script as it is now: the article and every lexicon read again.
    pub fn script(&self) -> Result<articast::script::Script, String> {
        let (doc, _) =
            document::load(&self.input, self.format_in, &self.clean).map_err(|e| e.to_string())?;
        let article = (self.input.as_os_str() != "-"
            && !articast::fetch::is_url(&self.input.to_string_lossy()))
        .then_some(self.input.as_path());
        let (lexicon, _) = articast::speakers::lexicon_for(&self.voice, article, &self.lexicons)
            .map_err(|e| e.to_string())?;
        let options = ScriptOptions {
            max_chars: self.max_chars,
            lexicon,
        };
        Ok(articast::script::build(
            &doc,
            self.language,
            self.language_source,
            &options,
        ))
    }
}

/// Opens `url` in the session's browser, if it has one; says whether it tried.
fn open_browser(url: &str) -> bool {
    let program = if let Some(b) = std::env::var_os("BROWSER") {
        PathBuf::from(b)
    } else if cfg!(target_os = "macos") {
        PathBuf::from("open")
    } else if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
    {
        PathBuf::from("xdg-open")
    } else {
        return false;
    };
    std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

/// Serves the web preview of an article until interrupted.
pub fn serve(
    args: &PreviewArgs,
    ui: &Ui,
    speech: Arc<Speech>,
    settings: WebSettings,
    why: Option<&str>,
) -> Result<()> {
    let lexicon = settings.lexicon.clone();
    let preview = Arc::new(WebPreview::new(speech, settings));
    serve_site(args, ui, preview, Some(&lexicon), why)
}

/// `articast preview FOLDER`: the episodes of an output folder in the web page.
pub fn serve_show(args: &PreviewArgs, ui: &Ui) -> Result<()> {
    let folder = &args.read.input;
    let show = ShowPreview::open(folder)?;
    let count = show.len();
    ui.say(format!(
        "{}: {count} episode(s) from {}",
        show.name(),
        folder.display()
    ));
    serve_site(args, ui, Arc::new(show), None, None)
}

/// Serves `site` until interrupted: prints the address (and a JSON line with
/// `--json`), opens a browser when there is one.
fn serve_site(
    args: &PreviewArgs,
    ui: &Ui,
    site: Arc<dyn Site>,
    lexicon: Option<&Path>,
    why: Option<&str>,
) -> Result<()> {
    let server = WebServer::start(site).context("cannot start the preview server on 127.0.0.1")?;
    let url = server.url().to_string();
    if args.json {
        println!("{}", serde_json::json!({ "url": url, "lexicon": lexicon }));
    }
    if let Some(why) = why {
        ui.say(format!("note: {why}"));
    }
    let fixes = lexicon.map_or(String::new(), |l| {
        format!("fixes are saved to {}; ", display(l))
    });
    ui.always(format!(
        "preview at {url}\n(only this machine can open it; {fixes}Ctrl-C stops)"
    ));
    if !args.no_open && !open_browser(&url) {
        ui.say("no browser to open here: open the address above");
    }
    let cancel = super::cancel();
    while !cancel.is_cancelled() {
        std::thread::sleep(Duration::from_millis(100));
    }
    server.stop();
    // Ctrl-C is how a server is stopped: not a failure (exit 0).
    Ok(())
}

fn display(path: &Path) -> String {
    path.display().to_string()
}
