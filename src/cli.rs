//! Command-line definitions (clap). Every flag is documented here once; `--help` and the
//! README's option table come from these doc comments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use articast::document::InputFormat;
use articast::language::{parse_language_arg, Language};
use articast::master::AudioFormat;
use articast::voice::EnginePreference;

/// Turn written articles into podcast episodes.
#[derive(Debug, Parser)]
#[command(name = "articast", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Print nothing on stderr but errors; no progress bar.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render an article into an episode (audio, transcripts, chapters).
    Render(Box<RenderArgs>),
    /// Show what would be spoken, chunk by chunk, without synthesizing.
    Script(ScriptArgs),
    /// List the voices, where they come from and whether they can speak here.
    Voices(VoicesArgs),
    /// Render an archive (folders, lists, addresses, a site's feed) into episodes and a feed.
    Batch(Box<BatchArgs>),
    /// Write the podcast feed (feed.xml) of a batch output folder.
    Feed(FeedArgs),
    /// Show or prune the clip cache.
    Cache(CacheArgs),
    /// Hear an article at once: speaks from the first sentence while the rest is made,
    /// with keys to move through it (terminal playback needs the `preview` feature).
    /// Also plays a rendered episode, or a batch output folder in the web page.
    Preview(Box<PreviewArgs>),
    /// Internal: serve eSpeak NG synthesis requests on stdin (started by articast itself).
    #[command(hide = true)]
    EspeakWorker,
}

/// How an article is read: shared by `render` and `script`.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// The article: a text, Markdown, HTML or EPUB file, an http(s) address, or `-` for
    /// standard input.
    pub input: PathBuf,
    /// How it is read.
    #[command(flatten)]
    pub flags: ReadFlags,
}

/// How articles are read: shared by `render`, `script` and `batch`.
#[derive(Debug, Args)]
pub struct ReadFlags {
    /// Language of the article (fr, en, de, es); default: declared by the article, else
    /// detected.
    #[arg(long, value_parser = parse_language_arg)]
    pub lang: Option<Language>,
    /// Input format; default: from the extension (.md, .html, .epub) or the server's
    /// media type, else sniffed.
    #[arg(long, value_enum)]
    pub format_in: Option<InputFormat>,
    /// Voice name (see `articast voices`), a voice file (.toml), a Piper model (.onnx),
    /// or `openai:MODEL:VOICE` for a speech server (OPENAI_BASE_URL, OPENAI_API_KEY).
    #[arg(long)]
    pub voice: Option<String>,
    /// eSpeak NG engine: the system one, the built-in one, or the system one when installed.
    #[arg(long, value_enum)]
    pub engine: Option<EnginePreference>,
    /// Read paragraphs that repeat an earlier one word for word (dropped by default).
    #[arg(long)]
    pub keep_duplicates: bool,
    /// Read lines of page furniture: share buttons, image credits and gallery
    /// controls, timestamps, and in plain-text scrapes menus, prompts and (in a batch)
    /// lines recurring across a folder's articles (dropped by default, each reported
    /// with its line).
    #[arg(long)]
    pub keep_furniture: bool,
    /// A pronunciation lexicon (TOML), applied before the built-in rules; repeatable.
    /// A `lexicon.toml` beside the article is read too.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Vec<PathBuf>,
}

impl ReadFlags {
    /// The cleaning rules these flags ask for.
    pub fn clean_options(&self) -> articast::document::clean::CleanOptions {
        articast::document::clean::CleanOptions {
            keep_duplicates: self.keep_duplicates,
            keep_furniture: self.keep_furniture,
            recurring: None,
        }
    }
}

/// Pauses and loudness: shared by `render`, `batch` and `preview`.
#[derive(Debug, Args)]
pub struct LevelArgs {
    /// Multiply every structural pause by this factor (0.5 = half as long).
    #[arg(long, value_parser = parse_pause_scale)]
    pub pause_scale: Option<f32>,
    /// Integrated loudness target, LUFS (EBU R128), -36 to -10; default -16 for stereo
    /// episodes and -19 for mono ones (AES TD1004).
    #[arg(long, allow_negative_numbers = true)]
    pub loudness: Option<f64>,
    /// True-peak ceiling, dBTP, -9 to 0 (default -1); at least 12 dB above the loudness target.
    #[arg(long, allow_negative_numbers = true)]
    pub true_peak: Option<f64>,
    /// Keep the voice's own level instead of normalizing loudness (peaks are still limited).
    #[arg(long)]
    pub no_normalize: bool,
}

/// Music around and under the speech: shared by `render`, `batch` and `preview`.
#[derive(Debug, Args)]
pub struct MusicArgs {
    /// Music played before the speech (WAV, MP3, FLAC, Ogg Vorbis, AAC), 3 LU under it.
    #[arg(long)]
    pub intro: Option<PathBuf>,
    /// Music played after the speech, 3 LU under it.
    #[arg(long)]
    pub outro: Option<PathBuf>,
    /// Music looped under the speech.
    #[arg(long)]
    pub bed: Option<PathBuf>,
    /// Level of the bed relative to the speech, LU (default -18; needs --bed).
    #[arg(long, allow_negative_numbers = true)]
    pub bed_level: Option<f32>,
    /// How much the bed is lowered while someone speaks, dB (default 12; needs --bed).
    #[arg(long)]
    pub duck: Option<f32>,
}

/// How episodes sound and are encoded: shared by `render` and `batch`.
#[derive(Debug, Args)]
pub struct SoundArgs {
    /// Audio format; default: from the output's extension (render), MP3 (batch).
    #[arg(long, value_enum)]
    pub format: Option<AudioFormat>,
    /// Output sample rate in Hz; default: 44100 for MP3 or with music, else the voice's
    /// (MP3 bit rates too low for 44100 get the highest rate they carry).
    #[arg(long, value_parser = clap::value_parser!(u32).range(8000..=192000))]
    pub rate: Option<u32>,
    /// Pauses and levels.
    #[command(flatten)]
    pub levels: LevelArgs,
    /// MP3 constant bit rate in kbit/s; default 64 (mono) or 128 (stereo).
    #[arg(long, conflicts_with = "vbr")]
    pub bitrate: Option<u16>,
    /// MP3 variable bit rate instead, quality 0 (best) to 9.
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=9))]
    pub vbr: Option<u8>,
    /// Intro, outro and bed.
    #[command(flatten)]
    pub music: MusicArgs,
    /// Synthesis threads; default: one per core.
    #[arg(short, long, default_value_t = 0)]
    pub jobs: usize,
    /// Synthesize every chunk again instead of reusing cached clips.
    #[arg(long)]
    pub no_cache: bool,
    /// Write only the audio, no transcripts or chapters.
    #[arg(long)]
    pub no_sidecars: bool,
}

/// `articast render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    /// How the article is read.
    pub read: ReadArgs,
    /// The episode to write (.mp3 or .wav; `-` for standard output, with --format).
    /// Transcripts (.vtt, .srt, .transcript.txt) and chapters (.chapters.json) are
    /// written beside it with the same stem; none may be an input of the run.
    #[arg(short, long)]
    pub output: PathBuf,
    /// How it sounds.
    #[command(flatten)]
    pub sound: SoundArgs,
    /// Episode title; default: the article's. With --split-chapters each episode is
    /// titled by its chapter, and this is the book's title (the album tag, unless --show
    /// names the show).
    #[arg(long)]
    pub title: Option<String>,
    /// Show name (the album tag).
    #[arg(long)]
    pub show: Option<String>,
    /// Author (the artist tag); default: the article's.
    #[arg(long)]
    pub author: Option<String>,
    /// Cover art, JPEG or PNG, at most 10 MB.
    #[arg(long)]
    pub cover: Option<PathBuf>,
    /// One episode per chapter (`book-01.mp3`, `book-02.mp3`, ...), the book as the show.
    #[arg(long)]
    pub split_chapters: bool,
    /// Print a machine-readable summary on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `articast preview`.
#[derive(Debug, Args)]
pub struct PreviewArgs {
    #[command(flatten)]
    /// How the article is read (or: an episode file, or a batch output folder, which
    /// opens in the web page).
    pub read: ReadArgs,
    /// Start at chapter N (1 is the first); with --out, write that chapter alone.
    #[arg(long, value_name = "N", conflicts_with_all = ["from", "sentence"])]
    pub chapter: Option<usize>,
    /// Start near this time (1:30, 90, 1:02:03), estimated from the text.
    #[arg(long, value_name = "TIME", value_parser = parse_clock, conflicts_with = "sentence")]
    pub from: Option<f64>,
    /// Start at sentence N (as `articast script` numbers them, from 1).
    #[arg(long, value_name = "N")]
    pub sentence: Option<usize>,
    /// Speaking speed, 0.5 to 2, by the engine's own rate (the pitch does not change).
    #[arg(long, default_value_t = 1.0, value_parser = parse_speed)]
    pub speed: f32,
    /// Write exactly what would have played to this WAV file instead of playing it.
    #[arg(long, value_name = "FILE", conflicts_with = "web")]
    pub out: Option<PathBuf>,
    /// Serve a page on 127.0.0.1 that plays the article with its transcript, and
    /// fixes pronunciations (the default without terminal playback).
    #[arg(long)]
    pub web: bool,
    /// With the web preview: do not open a browser, only print the address.
    #[arg(long)]
    pub no_open: bool,
    /// Stop after this many sentences.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Pauses and levels.
    #[command(flatten)]
    pub levels: LevelArgs,
    /// Music as in the episode (terminal and --out; the web page plays the speech).
    #[command(flatten)]
    pub music: MusicArgs,
    /// Synthesis threads; default: one per core.
    #[arg(short, long, default_value_t = 0)]
    pub jobs: usize,
    /// Synthesize every chunk again instead of reusing cached clips.
    #[arg(long)]
    pub no_cache: bool,
    /// Print a machine-readable summary on stdout at the end.
    #[arg(long)]
    pub json: bool,
}

/// `articast batch`.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Articles: folders (walked recursively), files, patterns (`'posts/*.md'`), http(s)
    /// addresses of pages or of a site's RSS or Atom feed.
    pub inputs: Vec<String>,
    /// A file listing articles, one path or address per line (`#` comments); repeatable.
    #[arg(long, value_name = "FILE")]
    pub list: Vec<PathBuf>,
    /// The output folder: episodes, transcripts, chapters, the manifest and feed.xml.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The show file (show.toml): the feed's channel and render defaults.
    #[arg(long, value_name = "FILE")]
    pub show: Option<PathBuf>,
    /// This task's slice, K of N (`--shard 3/8`); default: from a job array's
    /// environment (JOB_COMPLETION_INDEX with --shards, or SLURM_ARRAY_TASK_ID).
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// The number of shards when a job array gives only the index (or ARTICAST_SHARDS).
    #[arg(long, value_name = "N")]
    pub shards: Option<u32>,
    /// Render every article, changed or not.
    #[arg(long)]
    pub force: bool,
    /// Do not write feed.xml at the end.
    #[arg(long)]
    pub no_feed: bool,
    /// How articles are read.
    #[command(flatten)]
    pub read: ReadFlags,
    /// How episodes sound.
    #[command(flatten)]
    pub sound: SoundArgs,
    /// Print a machine-readable summary on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `articast feed`.
#[derive(Debug, Args)]
pub struct FeedArgs {
    /// The output folder of `articast batch` (one or several shards).
    pub out: PathBuf,
    /// The show file.
    #[arg(long, value_name = "FILE")]
    pub show: PathBuf,
    /// Only report what Apple Podcasts' rules would reject; write nothing.
    #[arg(long)]
    pub check: bool,
    /// Print a machine-readable summary on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `articast cache`.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: CacheAction,
    /// Print the result as JSON on stdout.
    #[arg(long, global = true)]
    pub json: bool,
}

/// `articast cache …` actions.
#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// How many clips the cache holds and how much room they take.
    Stats,
    /// Remove clips not used for a while, or the least recently used beyond a size.
    Prune {
        /// Remove clips unused for this long (`30d`, `12h`, `90m`).
        #[arg(long, value_parser = parse_age)]
        older_than: Option<std::time::Duration>,
        /// Keep the cache under this size (`5G`, `500M`), least recently used first.
        #[arg(long, value_parser = parse_size)]
        max_size: Option<u64>,
    },
}

/// `articast script`.
#[derive(Debug, Args)]
pub struct ScriptArgs {
    #[command(flatten)]
    /// How the article is read.
    pub read: ReadArgs,
    /// Print the script as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `articast voices`.
#[derive(Debug, Args)]
pub struct VoicesArgs {
    /// What to do; without one, list the voices that can speak here.
    #[command(subcommand)]
    pub action: Option<VoicesAction>,
    /// Print the list as JSON on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// Also report what neural voices need: ONNX Runtime and the phonemizer found.
    #[arg(long)]
    pub check: bool,
}

/// `articast voices …` actions.
#[derive(Debug, Subcommand)]
pub enum VoicesAction {
    /// List voices: the ones here, or with --available the Piper voices to install.
    List {
        /// List the Piper voice catalog instead of the voices here.
        #[arg(long)]
        available: bool,
        /// Only voices of this language (fr, en, fr_FR).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Download Piper voices from the catalog (checksums verified, downloads resumed).
    Install {
        /// Voice names, as `voices list --available` shows them (en_US-joe-medium).
        #[arg(required = true)]
        names: Vec<String>,
        /// Download again even when installed.
        #[arg(long)]
        force: bool,
        /// Fetch ONNX Runtime, when it is missing, without asking.
        #[arg(long, short = 'y', conflicts_with = "no_runtime")]
        yes: bool,
        /// Do not fetch ONNX Runtime even when it is missing.
        #[arg(long)]
        no_runtime: bool,
    },
    /// Fetch ONNX Runtime for neural voices (the official build from the Python package
    /// index, checksum verified; only its library is kept, in articast's data folder).
    Setup {
        /// Do not ask first.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Fetch it even when one is found.
        #[arg(long)]
        force: bool,
    },
    /// Remove installed Piper voices.
    Remove {
        /// Voice names.
        #[arg(required = true)]
        names: Vec<String>,
    },
}

fn parse_speed(s: &str) -> Result<f32, String> {
    let v: f32 = s.parse().map_err(|_| format!("'{s}' is not a number"))?;
    if (0.5..=2.0).contains(&v) {
        Ok(v)
    } else {
        Err("use a speed from 0.5 to 2".into())
    }
}

/// `90`, `1:30` or `1:02:03` as seconds.
fn parse_clock(s: &str) -> Result<f64, String> {
    let bad = || format!("'{s}' is not a time; write seconds (90), m:ss (1:30) or h:mm:ss");
    let parts: Vec<&str> = s.trim().split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(bad());
    }
    let mut secs = 0.0;
    for (i, part) in parts.iter().enumerate() {
        let v: f64 = part.parse().map_err(|_| bad())?;
        if v < 0.0 || !v.is_finite() || (i > 0 && v >= 60.0) {
            return Err(bad());
        }
        secs = secs * 60.0 + v;
    }
    Ok(secs)
}

fn parse_pause_scale(s: &str) -> Result<f32, String> {
    let v: f32 = s.parse().map_err(|_| format!("'{s}' is not a number"))?;
    if (0.0..=10.0).contains(&v) {
        Ok(v)
    } else {
        Err("use a factor from 0 to 10".into())
    }
}

fn parse_age(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("'{s}': give a number and d, h or m (30d)"))?;
    let secs = match unit {
        "d" => 86400,
        "h" => 3600,
        "m" => 60,
        "s" | "" => 1,
        _ => return Err(format!("'{s}': use d, h or m (30d, 12h, 90m)")),
    };
    Ok(std::time::Duration::from_secs(n * secs))
}

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: f64 = n
        .parse()
        .map_err(|_| format!("'{s}': give a size such as 5G or 500M"))?;
    let factor = match unit.to_ascii_uppercase().trim_end_matches('B') {
        "" => 1.0,
        "K" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        _ => return Err(format!("'{s}': use K, M, G or T (5G)")),
    };
    Ok((n * factor) as u64)
}
