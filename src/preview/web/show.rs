//! The web preview of a folder of rendered episodes (`articast preview public/`): the
//! show's episodes listed as its feed orders them (newest first), each played by the
//! browser's own audio element from the file on disk (streamed in HTTP ranges, so
//! seeking works and a long episode is never read whole into memory), with its
//! transcript's cues highlighted as they are heard and its chapters as a clickable
//! list.
//!
//! Episodes come from the batch manifest (titles, dates, the files it wrote); a folder
//! without one (episodes rendered one by one into it) lists its audio files with their
//! sidecars. The list is read again each time the page asks for it, so a batch that
//! runs meanwhile shows up on a reload. Only files inside the folder are ever served.
//! Routes, under `/TOKEN/`: the page (`/`), `show.js`, `style.css`, `show.json` (the
//! list), `episode/N.json` (cues and chapters) and `audio/N` (the file, with ranges).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

use super::http::{ranged_file, Ask, Reply, Site, STYLE_CSS};
use crate::batch::manifest::{Manifest, ManifestError};
use crate::preview::episode::{parse_chapters, parse_vtt, sidecars};

const SHOW_HTML: &str = include_str!("assets/show.html");
const SHOW_JS: &str = include_str!("assets/show.js");

/// Audio files a folder without a manifest is searched for.
const AUDIO_EXTENSIONS: [&str; 2] = ["mp3", "wav"];

/// One episode of the folder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShowEpisode {
    /// Its title (the article's, else the file's name).
    pub title: String,
    /// When it was published, as the manifest has it.
    pub published: Option<String>,
    /// Length in seconds, when the manifest knows it.
    pub duration_secs: Option<f64>,
    /// The audio file's name inside the folder.
    pub file: String,
    /// Where the article came from.
    pub source: Option<String>,
    /// The audio file.
    #[serde(skip)]
    pub audio: PathBuf,
}

/// A folder of episodes, served as a page.
pub struct ShowPreview {
    folder: PathBuf,
    name: String,
    /// The list as the page last saw it: `audio/N` and `episode/N.json` index it.
    listed: Mutex<Vec<ShowEpisode>>,
}

/// Why a folder cannot be previewed.
#[derive(Debug, thiserror::Error)]
pub enum ShowError {
    /// Its manifest could not be read.
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    /// It has no episode.
    #[error("{} has no episode to play: render some into it with `articast batch ARTICLES -o {}`, or preview an article or an episode file", .0.display(), .0.display())]
    Empty(PathBuf),
    /// It cannot be read.
    #[error("{}: {source}", path.display())]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// Cues and chapters of one episode, for the page.
#[derive(Debug, Serialize)]
struct EpisodeView {
    title: String,
    audio: String,
    duration_secs: Option<f64>,
    chapters: Vec<ChapterAt>,
    cues: Vec<CueView>,
    /// Sidecars that could not be read (the episode still plays).
    notes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ChapterAt {
    start: f64,
    title: String,
}

#[derive(Debug, Serialize)]
struct CueView {
    start: f64,
    end: f64,
    text: String,
}

/// The list, for the page.
#[derive(Debug, Serialize)]
struct ListView<'a> {
    name: &'a str,
    episodes: &'a [ShowEpisode],
}

/// Whether `path` is an audio file a render writes.
fn is_audio(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| AUDIO_EXTENSIONS.iter().any(|a| e.eq_ignore_ascii_case(a)))
}

/// The media type of an episode file.
fn media_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("wav") => "audio/wav",
        _ => "audio/mpeg",
    }
}

/// The show's name: the title of the folder's feed, else the folder's name.
fn show_name(folder: &Path) -> String {
    let from_feed = std::fs::read(folder.join(crate::feed::FEED_FILE))
        .ok()
        .and_then(|bytes| feed_rs::parser::parse(bytes.as_slice()).ok())
        .and_then(|feed| feed.title.map(|t| t.content));
    from_feed.unwrap_or_else(|| {
        std::fs::canonicalize(folder)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| folder.display().to_string())
    })
}

impl ShowPreview {
    /// The folder `folder`, which must hold at least one episode.
    pub fn open(folder: &Path) -> Result<ShowPreview, ShowError> {
        let preview = ShowPreview {
            folder: folder.to_path_buf(),
            name: show_name(folder),
            listed: Mutex::new(Vec::new()),
        };
        let episodes = preview.episodes()?;
        if episodes.is_empty() {
            return Err(ShowError::Empty(folder.to_path_buf()));
        }
        *preview.listed.lock().unwrap_or_else(|p| p.into_inner()) = episodes;
        Ok(preview)
    }

    /// The show's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many episodes the list last read holds.
    pub fn len(&self) -> usize {
        self.listed.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether the list last read is empty (never, after [`ShowPreview::open`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The episodes as they are now on disk, newest first.
    pub fn episodes(&self) -> Result<Vec<ShowEpisode>, ShowError> {
        let manifest = Manifest::merged(&self.folder)?;
        let mut episodes = if manifest.entries.is_empty() {
            self.loose_files()?
        } else {
            let (mut usable, _) = crate::feed::usable(&self.folder, manifest.entries.values());
            usable.sort_by(|a, b| {
                crate::feed::when(b)
                    .cmp(&crate::feed::when(a))
                    .then_with(|| a.identity.cmp(&b.identity))
            });
            usable
                .into_iter()
                .filter_map(|e| {
                    let report = e.report.as_ref()?;
                    let audio = self.folder.join(&report.output);
                    Some(ShowEpisode {
                        title: e.title.clone().unwrap_or_else(|| stem(&audio)),
                        published: e.published.clone(),
                        duration_secs: Some(report.duration_secs),
                        file: report.output.to_string_lossy().replace('\\', "/"),
                        source: Some(e.source.clone()),
                        audio,
                    })
                })
                .collect()
        };
        // Only what is inside the folder is served, whatever a manifest says.
        let root = std::fs::canonicalize(&self.folder).map_err(|source| ShowError::Folder {
            path: self.folder.clone(),
            source,
        })?;
        episodes.retain(|e| std::fs::canonicalize(&e.audio).is_ok_and(|p| p.starts_with(&root)));
        Ok(episodes)
    }

    /// The audio files of a folder without a manifest, by name.
    fn loose_files(&self) -> Result<Vec<ShowEpisode>, ShowError> {
        let entries = std::fs::read_dir(&self.folder).map_err(|source| ShowError::Folder {
            path: self.folder.clone(),
            source,
        })?;
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && is_audio(p))
            .collect();
        files.sort();
        Ok(files
            .into_iter()
            .map(|audio| ShowEpisode {
                title: stem(&audio),
                published: None,
                duration_secs: None,
                file: audio
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                source: None,
                audio,
            })
            .collect())
    }

    /// The list as JSON, read again from disk (and remembered for the other routes).
    fn list_json(&self) -> Result<String, ShowError> {
        let episodes = self.episodes()?;
        let json = serde_json::to_string(&ListView {
            name: &self.name,
            episodes: &episodes,
        })
        .expect("the list serializes");
        *self.listed.lock().unwrap_or_else(|p| p.into_inner()) = episodes;
        Ok(json)
    }

    fn listed(&self, index: usize) -> Option<ShowEpisode> {
        self.listed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(index)
            .cloned()
    }

    /// Episode `index`'s cues and chapters as JSON.
    fn episode_json(&self, index: usize, episode: &ShowEpisode) -> String {
        let (vtt, chapters) = sidecars(&episode.audio);
        let mut notes = Vec::new();
        let cues = match std::fs::read_to_string(&vtt) {
            Ok(text) => parse_vtt(&text),
            Err(e) => {
                notes.push(format!("no transcript: {}: {e}", vtt.display()));
                Vec::new()
            }
        };
        let chapters = match std::fs::read_to_string(&chapters)
            .map_err(|e| e.to_string())
            .and_then(|t| parse_chapters(&t).map_err(|e| e.to_string()))
        {
            Ok(list) => list,
            Err(e) => {
                notes.push(format!("no chapters: {}: {e}", chapters.display()));
                Vec::new()
            }
        };
        let view = EpisodeView {
            title: episode.title.clone(),
            audio: format!("audio/{index}"),
            duration_secs: episode.duration_secs,
            chapters: chapters
                .into_iter()
                .map(|(start, title)| ChapterAt { start, title })
                .collect(),
            cues: cues
                .into_iter()
                .map(|c| CueView {
                    start: c.start,
                    end: c.end,
                    text: c.text,
                })
                .collect(),
            notes,
        };
        serde_json::to_string(&view).expect("the episode view serializes")
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(|| "episode".into(), |s| s.to_string_lossy().into_owned())
}

/// `N` of `prefix N suffix`.
fn numbered(rest: &str, prefix: &str, suffix: &str) -> Option<usize> {
    rest.strip_prefix(prefix)?
        .strip_suffix(suffix)?
        .parse()
        .ok()
}

impl Site for ShowPreview {
    fn answer(&self, rest: &str, _query: &str, ask: &Ask) -> Reply {
        if !matches!(ask.method, "GET" | "HEAD") {
            return Reply::not_allowed(ask.method, "GET, HEAD");
        }
        match rest {
            "" => Reply::new(200, "text/html; charset=utf-8", SHOW_HTML),
            "show.js" => Reply::new(200, "text/javascript; charset=utf-8", SHOW_JS),
            "style.css" => Reply::new(200, "text/css; charset=utf-8", STYLE_CSS),
            "show.json" => match self.list_json() {
                Ok(json) => Reply::json(json),
                Err(e) => Reply::text(500, e.to_string()),
            },
            _ => {
                if let Some(n) = numbered(rest, "episode/", ".json") {
                    return match self.listed(n) {
                        Some(episode) => Reply::json(self.episode_json(n, &episode)),
                        None => Reply::text(404, format!("no episode {n}; see show.json")),
                    };
                }
                if let Some(n) = numbered(rest, "audio/", "") {
                    let Some(episode) = self.listed(n) else {
                        return Reply::text(404, format!("no episode {n}; see show.json"));
                    };
                    return match std::fs::metadata(&episode.audio) {
                        Ok(meta) => ranged_file(
                            episode.audio.clone(),
                            meta.len(),
                            media_type(&episode.audio),
                            ask.range,
                        ),
                        Err(e) => Reply::text(
                            404,
                            format!(
                                "{}: {e}; reload the page for the current list",
                                episode.audio.display()
                            ),
                        ),
                    };
                }
                Reply::text(404, format!("nothing at '{rest}'"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preview::web::http::{route, Body};

    const TOKEN: &str = "0123456789abcdef0123456789abcdef";

    fn get(site: &ShowPreview, path: &str, range: Option<&str>) -> Reply {
        route(
            site,
            TOKEN,
            Ask {
                method: "GET",
                url: &format!("/{TOKEN}/{path}"),
                range,
                body: b"",
            },
        )
    }

    fn wav(path: &Path, frames: usize) {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 8000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for i in 0..frames {
            w.write_sample(((i % 50) as i16 - 25) * 100).unwrap();
        }
        w.finalize().unwrap();
    }

    #[test]
    fn a_folder_without_a_manifest_lists_its_audio_files_with_their_sidecars() {
        let dir = tempfile::tempdir().unwrap();
        wav(&dir.path().join("b-second.wav"), 800);
        wav(&dir.path().join("a-first.wav"), 1600);
        std::fs::write(dir.path().join("notes.txt"), "not audio").unwrap();
        std::fs::write(
            dir.path().join("a-first.vtt"),
            "WEBVTT\n\n00:00.000 --> 00:00.100\nUne phrase.\n\n00:00.100 --> 00:00.200\nDeux.\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("a-first.chapters.json"),
            r#"{"version":"1.2.0","chapters":[{"startTime":0,"title":"Début"}]}"#,
        )
        .unwrap();
        let show = ShowPreview::open(dir.path()).unwrap();
        let list: serde_json::Value =
            serde_json::from_slice(get(&show, "show.json", None).bytes().unwrap()).unwrap();
        let titles: Vec<&str> = list["episodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["a-first", "b-second"]);
        let first: serde_json::Value =
            serde_json::from_slice(get(&show, "episode/0.json", None).bytes().unwrap()).unwrap();
        assert_eq!(first["cues"].as_array().unwrap().len(), 2);
        assert_eq!(first["cues"][1]["text"], "Deux.");
        assert_eq!(first["chapters"][0]["title"], "Début");
        let second: serde_json::Value =
            serde_json::from_slice(get(&show, "episode/1.json", None).bytes().unwrap()).unwrap();
        assert_eq!(second["cues"].as_array().unwrap().len(), 0);
        assert_eq!(second["notes"].as_array().unwrap().len(), 2, "{second}");
    }

    #[test]
    fn audio_is_streamed_from_the_file_in_ranges() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("one.wav");
        wav(&file, 1000);
        let len = std::fs::metadata(&file).unwrap().len();
        let show = ShowPreview::open(dir.path()).unwrap();
        let whole = get(&show, "audio/0", None);
        assert_eq!(whole.status, 200);
        assert_eq!(whole.content_type, "audio/wav");
        assert!(matches!(whole.body, Body::File { start: 0, len: l, .. } if l == len));
        let part = get(&show, "audio/0", Some("bytes=100-199"));
        assert_eq!(part.status, 206);
        assert!(matches!(
            part.body,
            Body::File {
                start: 100,
                len: 100,
                ..
            }
        ));
        assert!(part
            .headers
            .contains(&("Content-Range", format!("bytes 100-199/{len}"))));
        assert_eq!(
            get(&show, "audio/0", Some(&format!("bytes={len}-"))).status,
            416
        );
        assert_eq!(get(&show, "audio/7", None).status, 404);
        assert_eq!(get(&show, "audio/x", None).status, 404);
        assert_eq!(get(&show, "../one.wav", None).status, 404);
        let post = route(
            &show,
            TOKEN,
            Ask {
                method: "POST",
                url: &format!("/{TOKEN}/show.json"),
                range: None,
                body: b"",
            },
        );
        assert_eq!(post.status, 405);
        let outside = route(
            &show,
            "another-token-entirely-0000000000",
            Ask {
                method: "GET",
                url: &format!("/{TOKEN}/audio/0"),
                range: None,
                body: b"",
            },
        );
        assert_eq!(outside.status, 403);
    }

    #[test]
    fn a_folder_without_episodes_says_how_to_make_some() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("readme.txt"), "hello").unwrap();
        let err = ShowPreview::open(dir.path()).err().unwrap();
        assert!(err.to_string().contains("articast batch"), "{err}");
    }

    #[test]
    fn a_manifest_that_points_outside_the_folder_serves_nothing_there() {
        let outside = tempfile::tempdir().unwrap();
        wav(&outside.path().join("secret.wav"), 100);
        let dir = tempfile::tempdir().unwrap();
        let report: crate::episode::EpisodeReport = serde_json::from_value(serde_json::json!({
            "output": outside.path().join("secret.wav"),
            "format": "wav", "sidecars": [], "bytes": 244, "duration_secs": 0.0125,
            "sample_rate": 8000, "channels": 1, "chunks": 1, "chapters": [],
            "language": "fr", "language_source": "flag", "voice": "fr", "engine": "tone",
            "threads": 1, "synthesized": 1, "cache_hits": 0, "dropped_blocks": 0,
            "loudness": {"input_lufs": null, "output": {"integrated_lufs": -16.0, "true_peak_dbtp": -1.0},
                "gain_db": 0.0, "limiter_db": 0.0, "passes": 1, "on_target": true},
            "elapsed_secs": 0.1, "synthesis_secs": 0.1, "mastering_secs": 0.0, "realtime_factor": 1.0
        }))
        .unwrap();
        let mut manifest = Manifest::new();
        manifest.entries.insert(
            "a.md".into(),
            crate::batch::manifest::Entry {
                identity: "a.md".into(),
                source: "a.md".into(),
                source_hash: None,
                settings_hash: None,
                validators: Default::default(),
                title: Some("Secret".into()),
                author: None,
                description: None,
                published: None,
                language: None,
                status: crate::batch::manifest::Status::Ok,
                error: None,
                report: Some(report),
                written_at: crate::batch::manifest::now(),
            },
        );
        let parts = crate::batch::manifest::dir_of(dir.path());
        std::fs::create_dir_all(&parts).unwrap();
        manifest.write(&parts.join("part-01-of-01.json")).unwrap();
        assert!(matches!(
            ShowPreview::open(dir.path()),
            Err(ShowError::Empty(_))
        ));
    }
}
