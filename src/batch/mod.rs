//! Archives: a folder, a list, addresses or a site's feed become a folder of episodes
//! and a manifest, incrementally and, across machines, one shard at a time.
//!
//! A run lists its articles ([`inputs`]), keeps those of its shard ([`shard`]), and
//! renders each whose text or settings changed since the manifest ([`manifest`]) last
//! saw it; an unchanged archive does no synthesis and no encoding. Several articles are
//! in flight at once on one thread pool, so that short articles keep every core busy;
//! each voice's backend is built once for the whole run ([`crate::speakers`]). An
//! article that cannot be read, fetched or spoken fails alone: its reason goes to the
//! manifest and the report, and its last good episode stays. Episodes are named after
//! their titles and what shaped their audio ([`names`]); when the audio changes, so does
//! the name, and the old file is removed. The feed is written from the manifest alone
//! ([`crate::feed`]).

pub mod inputs;
pub mod manifest;
pub mod names;
pub mod recurring;
pub mod shard;
pub mod show;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::cache::ClipCache;
use crate::cancel::Cancel;
use crate::document::{self, CleanOptions, InputFormat};
use crate::episode::{self, AudioSettings, EpisodePlan, EpisodeReport, Media, Speaker, Tags};
use crate::fetch::{self, Fetched};
use crate::language::{detect, Language};
use crate::script::ScriptOptions;
use crate::speakers::{self, Speakers};
use inputs::{Origin, Source};
use manifest::{Entry, Manifest, Status};
use shard::Shard;

/// Bumped when a change to articast changes the audio it makes for the same input and
/// settings, so that reruns render again.
const PIPELINE_VERSION: u32 = 1;

/// How articles are read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The language of every article, instead of declared or detected ones.
    pub lang: Option<Language>,
    /// The format of every article, instead of its extension or media type.
    pub format: Option<InputFormat>,
    /// The voice for every article (a name or a file).
    pub voice: Option<String>,
    /// The cleaning rules (repeated paragraphs, page furniture).
    pub clean: CleanOptions,
    /// Lexicons for every article.
    pub lexicons: Vec<PathBuf>,
}

/// A batch to run.
pub struct BatchPlan<'a> {
    /// The articles (all of them; the shard picks its own).
    pub sources: Vec<Source>,
    /// The output folder.
    pub out: PathBuf,
    /// The show, when there is one.
    pub show: Option<&'a show::Show>,
    /// How episodes sound (validated).
    pub settings: AudioSettings,
    /// Cover and music, loaded once.
    pub media: &'a Media,
    /// Identity of the media files' contents, for the settings hash.
    pub media_hash: String,
    /// How articles are read.
    pub read: ReadOptions,
    /// This run's slice.
    pub shard: Shard,
    /// The clip cache, unless disabled.
    pub cache: Option<ClipCache>,
    /// Render every article, changed or not.
    pub force: bool,
    /// Write transcripts and chapters beside the episodes.
    pub sidecars: bool,
}

/// Hears about a batch's progress (from worker threads).
pub trait BatchObserver: Sync {
    /// `total` articles are this shard's.
    fn started(&self, _total: usize) {}
    /// An article is done (rendered, unchanged or failed): its entry.
    fn finished(&self, _entry: &Entry, _rendered: bool) {}
    /// Something worth saying.
    fn note(&self, _message: &str) {}
    /// A page came over the network.
    fn downloaded(&self) {}
}

/// What a run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BatchReport {
    /// This shard's articles.
    pub articles: usize,
    /// Rendered in this run.
    pub rendered: usize,
    /// Unchanged since the last run.
    pub unchanged: usize,
    /// Pages downloaded in this run (unchanged pages are not).
    pub downloaded: usize,
    /// Failed.
    pub failed: usize,
    /// Removed: gone from the archive since the last run.
    pub removed: usize,
    /// Chunks synthesized.
    pub synthesized_chunks: usize,
    /// Chunks reused from the clip cache.
    pub reused_chunks: usize,
    /// Seconds of audio made in this run.
    pub audio_secs: f64,
    /// Wall time.
    pub elapsed_secs: f64,
    /// Each failure: identity and reason.
    pub failures: Vec<Failure>,
    /// Whether the run was interrupted before the end.
    pub interrupted: bool,
    /// The manifest part written.
    pub manifest: PathBuf,
    /// This process's peak resident memory (Linux only; eSpeak NG worker processes not
    /// included).
    pub peak_rss_bytes: Option<u64>,
    /// The lines learned as recurring boilerplate, over every shard's plain-text files.
    pub recurring: recurring::RecurringSummary,
    /// Seconds spent reading the plain-text files to learn them.
    pub recurring_secs: f64,
}

/// One article that failed.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// Its identity.
    pub identity: String,
    /// Why.
    pub reason: String,
}

/// Why a batch could not run at all (an article's failure is not one).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The output folder is unusable.
    #[error("cannot use output folder {path}: {source}")]
    Out {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The manifest is unreadable or cannot be written.
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
}

/// Forwards to an observer, counting downloads for the report.
struct Counting<'a> {
    inner: &'a dyn BatchObserver,
    downloads: AtomicUsize,
}

impl BatchObserver for Counting<'_> {
    fn started(&self, total: usize) {
        self.inner.started(total)
    }
    fn finished(&self, entry: &Entry, rendered: bool) {
        self.inner.finished(entry, rendered)
    }
    fn note(&self, message: &str) {
        self.inner.note(message)
    }
    fn downloaded(&self) {
        self.downloads.fetch_add(1, Ordering::SeqCst);
        self.inner.downloaded()
    }
}

/// What one article came to.
enum Outcome {
    Rendered(Box<Entry>, Box<EpisodeReport>),
    Unchanged(Box<Entry>),
    Failed(Box<Entry>),
    Cancelled,
}

/// The article's bytes, and what the previous run knew that still holds.
struct Read {
    bytes: Vec<u8>,
    validators: fetch::Validators,
    media_type: Option<String>,
    charset: Option<String>,
    /// The file's modification time, for a publication date.
    modified: Option<std::time::SystemTime>,
    /// Whether it came over the network in this run.
    downloaded: bool,
}

/// Runs a batch on `pool`, with `speakers` shared by every article.
pub fn run(
    plan: &BatchPlan,
    speakers: &Speakers,
    pool: &rayon::ThreadPool,
    observer: &dyn BatchObserver,
    cancel: &Cancel,
) -> Result<BatchReport, BatchError> {
    let started = Instant::now();
    std::fs::create_dir_all(&plan.out).map_err(|source| BatchError::Out {
        path: plan.out.clone(),
        source,
    })?;
    let part = manifest::dir_of(&plan.out).join(format!("{}.json", plan.shard.part_name()));
    let previous = Manifest::read(&part)?;
    // What other parts know (a run with another shard count), for articles new to this
    // part: their last good episodes are kept, not rendered again for nothing.
    let known = Manifest::merged(&plan.out)?;
    let mine: Vec<&Source> = plan
        .sources
        .iter()
        .filter(|s| plan.shard.owns(&s.identity))
        .collect();
    // Lines recurring across the plain-text scrapes of a folder are boilerplate.
    let learning = Instant::now();
    let recurring = if plan.read.clean.keep_furniture {
        recurring::RecurringByFolder::default()
    } else {
        recurring::RecurringByFolder::learn(&plan.sources, plan.read.format)
    };
    let recurring_secs = learning.elapsed().as_secs_f64();
    observer.started(mine.len());
    let state = Mutex::new(previous.clone());
    let report = Mutex::new(BatchReport {
        articles: mine.len(),
        manifest: part.clone(),
        recurring: recurring.summary(),
        recurring_secs,
        ..BatchReport::default()
    });
    let next = AtomicUsize::new(0);
    let last_save = Mutex::new(Instant::now());
    let counting = Counting {
        inner: observer,
        downloads: AtomicUsize::new(0),
    };
    let observer: &dyn BatchObserver = &counting;
    // Articles in flight: enough that short ones keep every core busy, few enough that
    // memory stays that of a handful of episodes.
    let workers = (pool.current_num_threads() + 1)
        .clamp(2, 8)
        .min(mine.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                if cancel.is_cancelled() {
                    break;
                }
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(source) = mine.get(i) else {
                    break;
                };
                let before = state
                    .lock()
                    .map(|m| m.entries.get(&source.identity).cloned())
                    .ok()
                    .flatten()
                    .or_else(|| known.entries.get(&source.identity).cloned());
                let outcome = article(
                    plan,
                    speakers,
                    pool,
                    ArticleJob {
                        source,
                        before: before.as_ref(),
                        recurring: recurring.for_source(source),
                    },
                    observer,
                    cancel,
                );
                let (entry, rendered) = match outcome {
                    Outcome::Cancelled => break,
                    Outcome::Rendered(entry, episode) => {
                        if let Ok(mut r) = report.lock() {
                            r.rendered += 1;
                            r.synthesized_chunks += episode.synthesized;
                            r.reused_chunks += episode.cache_hits;
                            r.audio_secs += episode.duration_secs;
                        }
                        remove_replaced(&plan.out, before.as_ref(), &entry);
                        (*entry, true)
                    }
                    Outcome::Unchanged(entry) => {
                        if let Ok(mut r) = report.lock() {
                            r.unchanged += 1;
                        }
                        (*entry, false)
                    }
                    Outcome::Failed(entry) => {
                        if let Ok(mut r) = report.lock() {
                            r.failed += 1;
                            r.failures.push(Failure {
                                identity: entry.identity.clone(),
                                reason: entry.error.clone().unwrap_or_default(),
                            });
                        }
                        (*entry, false)
                    }
                };
                observer.finished(&entry, rendered);
                if let Ok(mut m) = state.lock() {
                    m.entries.insert(entry.identity.clone(), entry);
                    // The part is saved every few seconds, so an interruption loses little.
                    let mut last = last_save.lock().unwrap_or_else(|p| p.into_inner());
                    if last.elapsed() > Duration::from_secs(2) {
                        let _ = m.write(&part);
                        *last = Instant::now();
                    }
                }
            });
        }
    });
    let mut manifest = state.into_inner().unwrap_or_else(|p| p.into_inner());
    let mut report = report.into_inner().unwrap_or_else(|p| p.into_inner());
    report.interrupted = cancel.is_cancelled();
    report.downloaded = counting.downloads.load(Ordering::SeqCst);
    if !report.interrupted {
        // Articles of this shard gone from the archive leave the feed, and their files go.
        let current: std::collections::HashSet<&str> =
            mine.iter().map(|s| s.identity.as_str()).collect();
        let gone: Vec<String> = manifest
            .entries
            .keys()
            .filter(|id| !current.contains(id.as_str()) && plan.shard.owns(id))
            .cloned()
            .collect();
        for id in gone {
            if let Some(entry) = manifest.entries.remove(&id) {
                remove_files(&plan.out, entry.report.as_ref());
                report.removed += 1;
            }
        }
    }
    report.failures.sort_by(|a, b| a.identity.cmp(&b.identity));
    manifest.write(&part)?;
    report.elapsed_secs = started.elapsed().as_secs_f64();
    report.peak_rss_bytes = crate::episode::report::peak_rss_bytes();
    Ok(report)
}

/// The files an episode's report names, relative to `out`.
fn episode_files(report: &EpisodeReport) -> Vec<PathBuf> {
    std::iter::once(report.output.clone())
        .chain(report.sidecars.iter().cloned())
        .collect()
}

fn remove_files(out: &Path, report: Option<&EpisodeReport>) {
    for file in report.map(episode_files).unwrap_or_default() {
        let _ = std::fs::remove_file(out.join(file));
    }
}

/// Removes the files of the episode `entry` replaced, if it has other names.
fn remove_replaced(out: &Path, before: Option<&Entry>, entry: &Entry) {
    let (Some(old), Some(new)) = (
        before.and_then(|b| b.report.as_ref()),
        entry.report.as_ref(),
    ) else {
        return;
    };
    let keep = episode_files(new);
    for file in episode_files(old) {
        if !keep.contains(&file) {
            let _ = std::fs::remove_file(out.join(file));
        }
    }
}

/// A hex BLAKE3 of `parts`, length-prefixed so that no two tuples collide.
fn hash_of(parts: &[&[u8]]) -> String {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().to_hex().to_string()
}

/// Where fetched pages are kept by content, so that a page the server says is unchanged
/// (304) can be read again without downloading it.
fn page_cache(hash: &str) -> PathBuf {
    crate::dirs::cache_root()
        .join("pages")
        .join(format!("{hash}.page"))
}

fn keep_page(bytes: &[u8]) {
    let path = page_cache(&hash_of(&[bytes]));
    if path.is_file() {
        return;
    }
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    // A cache that cannot be written only costs a download next time.
    let _ = crate::atomic::write_atomic(&path, |w| {
        use std::io::Write;
        w.write_all(bytes)
    });
}

/// Reads the article's bytes: a file, a page (asking only for changes since the
/// validators the previous run kept, and reading an unchanged page from the page
/// cache), or a feed item's own content.
fn read_source(source: &Source, before: Option<&Entry>, revalidate: bool) -> Result<Read, String> {
    match &source.origin {
        Origin::File(path) => {
            let meta = std::fs::metadata(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            if meta.len() > document::MAX_INPUT_BYTES {
                return Err(format!(
                    "{} is larger than {} bytes",
                    path.display(),
                    document::MAX_INPUT_BYTES
                ));
            }
            let bytes =
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Ok(Read {
                bytes,
                validators: Default::default(),
                media_type: None,
                charset: None,
                modified: meta.modified().ok(),
                downloaded: false,
            })
        }
        Origin::Url(url) => {
            let cached = before
                .filter(|_| revalidate)
                .and_then(|b| Some((b.source_hash.clone()?, b)))
                .and_then(|(hash, b)| Some((std::fs::read(page_cache(&hash)).ok()?, b)));
            let known = cached
                .as_ref()
                .map(|(_, b)| b.validators.clone())
                .unwrap_or_default();
            match fetch::get(url, &known).map_err(|e| e.to_string())? {
                Fetched::NotModified => {
                    let (bytes, b) = cached.expect("validators are sent only with a kept page");
                    Ok(Read {
                        bytes,
                        validators: b.validators.clone(),
                        media_type: b.report.as_ref().map(|_| "text/html".to_string()),
                        charset: None,
                        modified: None,
                        downloaded: false,
                    })
                }
                Fetched::Body(page) => {
                    keep_page(&page.body);
                    Ok(Read {
                        bytes: page.body,
                        validators: page.validators,
                        media_type: page.media_type,
                        charset: page.charset,
                        modified: None,
                        downloaded: true,
                    })
                }
            }
        }
        Origin::FeedContent { html, .. } => Ok(Read {
            bytes: html.clone().into_bytes(),
            validators: Default::default(),
            media_type: Some("text/html".into()),
            charset: None,
            modified: None,
            downloaded: false,
        }),
    }
}

/// A publication date in RFC 2822 from what an article or its feed says, else its
/// file's time, else what was recorded before, else now (kept from then on).
fn publication_date(
    declared: Option<&str>,
    item: Option<&str>,
    modified: Option<std::time::SystemTime>,
    before: Option<&Entry>,
) -> String {
    let parsed = declared
        .and_then(parse_date)
        .or_else(|| item.and_then(parse_date));
    if let Some(d) = parsed {
        return rfc2822(&d);
    }
    if let Some(previous) = before.and_then(|b| b.published.clone()) {
        return previous;
    }
    let time = modified
        .map(chrono::DateTime::<chrono::Utc>::from)
        .unwrap_or_else(chrono::Utc::now);
    rfc2822(&time.fixed_offset())
}

/// A date as RSS writes it (RFC 2822, two-digit day): `Tue, 01 Dec 2026 08:00:00 +0000`.
pub fn rfc2822(d: &chrono::DateTime<chrono::FixedOffset>) -> String {
    d.format("%a, %d %b %Y %H:%M:%S %z").to_string()
}

/// A description for an episode when the article has none: its first paragraph, cut
/// at a sentence end near 400 characters.
fn first_paragraph(doc: &document::Document) -> Option<String> {
    let text = &doc
        .blocks
        .iter()
        .find(|b| b.kind == document::BlockKind::Paragraph)?
        .text;
    if text.chars().count() <= 400 {
        return Some(text.clone());
    }
    let cut: String = text.chars().take(400).collect();
    Some(match cut.rfind(". ") {
        Some(end) if end > 100 => cut[..=end].to_string(),
        _ => format!("{}…", cut.trim_end()),
    })
}

/// Dates as articles write them: RFC 3339, RFC 2822, `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let t = text.trim();
    chrono::DateTime::parse_from_rfc3339(t)
        .or_else(|_| chrono::DateTime::parse_from_rfc2822(t))
        .ok()
        .or_else(|| {
            let day = chrono::NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok()?;
            Some(day.and_hms_opt(8, 0, 0)?.and_utc().fixed_offset())
        })
}

/// Renders (or skips) one article.
/// One article of a batch: where it comes from, what the last run made of it, and the
/// lines recurring in its folder.
struct ArticleJob<'a> {
    source: &'a Source,
    before: Option<&'a Entry>,
    recurring: Option<std::sync::Arc<document::recurring::RecurringLines>>,
}

fn article(
    plan: &BatchPlan,
    speakers: &Speakers,
    pool: &rayon::ThreadPool,
    job: ArticleJob,
    observer: &dyn BatchObserver,
    cancel: &Cancel,
) -> Outcome {
    let ArticleJob {
        source,
        before,
        recurring,
    } = job;
    let failed = |reason: String| {
        // The last good episode stays, with the reason beside it.
        let mut entry = before.cloned().unwrap_or_else(|| Entry {
            identity: source.identity.clone(),
            source: source.display(),
            source_hash: None,
            settings_hash: None,
            validators: Default::default(),
            title: source.item.title.clone(),
            author: source.item.author.clone(),
            description: source.item.description.clone(),
            published: source.item.published.clone(),
            language: None,
            status: Status::Failed,
            error: None,
            report: None,
            written_at: manifest::now(),
        });
        entry.status = Status::Failed;
        entry.error = Some(reason);
        entry.written_at = manifest::now();
        Outcome::Failed(Box::new(entry))
    };
    // The episode as recorded: its file there with its size, and its sidecars there.
    let episode_exists = |e: &Entry| {
        e.report.as_ref().is_some_and(|r| {
            std::fs::metadata(plan.out.join(&r.output)).is_ok_and(|m| m.len() == r.bytes)
                && r.sidecars.iter().all(|s| plan.out.join(s).is_file())
        })
    };
    let reusable =
        before.is_some_and(|b| b.status == Status::Ok && episode_exists(b) && !plan.force);
    let read = match read_source(source, before, reusable) {
        Ok(read) => read,
        Err(reason) => return failed(reason),
    };
    if read.downloaded {
        observer.downloaded();
    }
    let source_hash = hash_of(&[&read.bytes]);
    let clean = CleanOptions {
        recurring,
        ..plan.read.clean.clone()
    };
    let name = source.display();
    let parsed = match &source.origin {
        Origin::File(path) => document::parse_bytes(
            &read.bytes,
            path,
            plan.read
                .format
                .unwrap_or_else(|| guess_format(path, &read.bytes)),
            &clean,
        ),
        Origin::Url(url) | Origin::FeedContent { url, .. } => document::parse_page(
            &fetch::Page {
                url: url.clone(),
                body: read.bytes.clone(),
                media_type: read.media_type.clone(),
                charset: read.charset.clone(),
                validators: read.validators.clone(),
            },
            plan.read.format,
            &clean,
        ),
    };
    let (mut doc, load) = match parsed {
        Ok(d) => d,
        Err(e) => return failed(e.to_string()),
    };
    let recurring_dropped: String = load
        .clean
        .dropped
        .iter()
        .filter(|d| d.reason == document::clean::DropReason::Recurring)
        .map(|d| format!("{}\n", d.text))
        .collect();
    for warning in &load.warnings {
        observer.note(&format!("warning: {warning}"));
    }
    // What the feed said of the item fills what the page did not.
    if doc.meta.title.is_none() {
        doc.meta.title = source.item.title.clone();
    }
    if doc.meta.author.is_none() {
        doc.meta.author = source.item.author.clone();
    }
    let (language, language_source) = match detect::decide(&doc, plan.read.lang) {
        Ok(l) => l,
        Err(e) => return failed(e.to_string()),
    };
    let spec = plan
        .read
        .voice
        .as_deref()
        .or_else(|| plan.show.and_then(|s| s.voice_for(language)));
    let voice = match speakers.resolve(spec, language) {
        Ok(v) => v,
        Err(e) => return failed(e.to_string()),
    };
    let article_path = match &source.origin {
        Origin::File(p) => Some(p.as_path()),
        _ => None,
    };
    let (lexicon, lexicon_files) =
        match speakers::lexicon_for(&voice, article_path, &plan.read.lexicons) {
            Ok(l) => l,
            Err(e) => return failed(e.to_string()),
        };
    let speaking = match speakers.speaking(voice) {
        Ok(s) => s,
        Err(e) => return failed(e.to_string()),
    };
    let lexicon_bytes: Vec<u8> = lexicon_files
        .iter()
        .flat_map(|(_, p)| std::fs::read(p).unwrap_or_default())
        .collect();
    let tags = Tags {
        title: doc.meta.title.clone(),
        author: doc
            .meta
            .author
            .clone()
            .or_else(|| plan.show.and_then(|s| s.show.author.clone())),
        show: plan.show.and_then(|s| s.show.title.clone()),
        date: doc.meta.date.clone(),
        description: doc
            .meta
            .description
            .clone()
            .or_else(|| source.item.description.clone())
            .or_else(|| first_paragraph(&doc)),
        track: None,
    };
    let settings_hash = hash_of(&[
        &PIPELINE_VERSION.to_le_bytes(),
        serde_json::to_string(&plan.settings)
            .unwrap_or_default()
            .as_bytes(),
        plan.media_hash.as_bytes(),
        serde_json::to_string(&speaking.voice.voice)
            .unwrap_or_default()
            .as_bytes(),
        speaking.backend.id().cache_key.as_bytes(),
        &lexicon_bytes,
        format!(
            "{:?}|{:?}|{:?}|{}",
            tags.title, tags.author, tags.show, plan.sidecars
        )
        .as_bytes(),
        format!(
            "{:?}|{}|{}",
            plan.read.lang, plan.read.clean.keep_duplicates, plan.read.clean.keep_furniture
        )
        .as_bytes(),
        // Which recurring lines this article lost: a new article in the folder that
        // changes them renders it again.
        recurring_dropped.as_bytes(),
    ]);
    let published = publication_date(
        doc.meta.date.as_deref(),
        source.item.published.as_deref(),
        read.modified,
        before,
    );
    let unchanged = reusable
        && before.is_some_and(|b| {
            b.source_hash.as_deref() == Some(&source_hash)
                && b.settings_hash.as_deref() == Some(&settings_hash)
        });
    if unchanged {
        let mut entry = before.expect("checked").clone();
        // Validators may have changed with the same body.
        entry.validators = read.validators;
        return Outcome::Unchanged(Box::new(entry));
    }
    let script = crate::script::build(
        &doc,
        language,
        language_source,
        &ScriptOptions {
            max_chars: speaking.backend.limits().max_chars,
            lexicon,
        },
    );
    if script.chunks.is_empty() {
        return failed(format!("{name} has nothing to read aloud"));
    }
    let audio_key = hash_of(&[source_hash.as_bytes(), settings_hash.as_bytes()]);
    let title = doc
        .meta
        .title
        .clone()
        .unwrap_or_else(|| source.identity.clone());
    let file = names::episode_file(&title, &audio_key, plan.settings.format.extension());
    let plan_one = EpisodePlan {
        script: &script,
        output: plan.out.join(&file),
        settings: &plan.settings,
        media: plan.media,
        cover: None,
        tags: tags.clone(),
        sidecars: plan.sidecars,
        dropped_blocks: load.clean.dropped.len(),
    };
    let speaker = Speaker {
        backend: speaking.backend.as_ref(),
        voice: &speaking.voice.voice,
        cache: plan.cache.as_ref(),
    };
    match episode::render(&plan_one, speaker, pool, &episode::Quiet, cancel) {
        Ok(mut report) => {
            // Paths in the manifest are the output folder's.
            report.output = PathBuf::from(&file);
            report.sidecars = report
                .sidecars
                .iter()
                .filter_map(|p| p.file_name().map(PathBuf::from))
                .collect();
            report.peak_rss_bytes = None;
            let entry = Entry {
                identity: source.identity.clone(),
                source: source.display(),
                source_hash: Some(source_hash),
                settings_hash: Some(settings_hash),
                validators: read.validators,
                title: doc.meta.title.clone(),
                author: tags.author,
                description: tags.description,
                published: Some(published),
                language: Some(language.code().to_string()),
                status: Status::Ok,
                error: None,
                report: Some(report.clone()),
                written_at: manifest::now(),
            };
            Outcome::Rendered(Box::new(entry), Box::new(report))
        }
        Err(e) if e.is_cancelled() => Outcome::Cancelled,
        Err(e) => failed(format!("{name}: {e}")),
    }
}

/// A file's format from its name, else its content.
fn guess_format(path: &Path, bytes: &[u8]) -> InputFormat {
    match InputFormat::from_path(path) {
        _ if bytes.starts_with(b"PK\x03\x04") => InputFormat::Epub,
        InputFormat::Text => InputFormat::sniff(&String::from_utf8_lossy(
            &bytes[..bytes.len().min(64 * 1024)],
        )),
        known => known,
    }
}
