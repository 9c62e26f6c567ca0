//! Previewing a rendered episode (`articast preview episode.mp3`): its audio, moved
//! through by the cues of its WebVTT transcript and the chapters of its chapters JSON
//! (the sidecars a render writes beside it), with the same player and keys as an
//! article.
//!
//! The file is decoded once, in a background thread, into a scratch file (mono, at the
//! file's rate: memory stays flat whatever the episode's length); each cue is a chunk
//! that runs to the next cue's start, so the pauses and music between cues play as in
//! the file, and a chunk is ready as soon as the decoder has passed its end. Playback
//! starts with the first cue while the rest is decoded. Without a transcript, the
//! episode is cut into 30-second steps; without chapters, it is one chapter.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

use serde::Deserialize;

use super::player::ChunkSource;
use super::speech::Prepared;
use super::PreviewError;
use crate::assemble::store::RawReader;
use crate::cancel::ScratchDir;
use crate::document::Meta;
use crate::language::{detect::LanguageSource, Language};
use crate::meter::EnergyBins;
use crate::script::{Chapter, Chunk, Pause, Role, Script};

/// Length of a step when the episode has no transcript, seconds.
const STEP_SECS: f64 = 30.0;

/// One timed line of a WebVTT file.
#[derive(Debug, Clone, PartialEq)]
pub struct VttCue {
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// Its text, lines joined by spaces.
    pub text: String,
}

/// `HH:MM:SS.mmm` or `MM:SS.mmm` as seconds.
fn vtt_time(t: &str) -> Option<f64> {
    let parts: Vec<&str> = t.trim().split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    let mut secs = 0.0;
    for (i, p) in parts.iter().enumerate() {
        let v: f64 = p.parse().ok()?;
        if !v.is_finite() || v < 0.0 || (i > 0 && v >= 60.0) {
            return None;
        }
        secs = secs * 60.0 + v;
    }
    Some(secs)
}

/// The cues of a WebVTT file, in order of start; lines that are not cues (the header,
/// notes, styles, identifiers, cue settings) are skipped, and so are cues whose times
/// do not parse.
pub fn parse_vtt(text: &str) -> Vec<VttCue> {
    let mut cues = Vec::new();
    for block in text.replace("\r\n", "\n").split("\n\n") {
        let mut lines = block.lines().skip_while(|l| !l.contains("-->"));
        let Some(timing) = lines.next() else {
            continue;
        };
        let Some((a, b)) = timing.split_once("-->") else {
            continue;
        };
        let b = b.split_whitespace().next().unwrap_or("");
        let (Some(start), Some(end)) = (vtt_time(a), vtt_time(b)) else {
            continue;
        };
        let text = lines
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if end >= start {
            cues.push(VttCue { start, end, text });
        }
    }
    cues.sort_by(|x, y| x.start.total_cmp(&y.start));
    cues
}

#[derive(Deserialize)]
struct ChaptersFile {
    chapters: Vec<ChapterEntry>,
}

#[derive(Deserialize)]
struct ChapterEntry {
    #[serde(rename = "startTime")]
    start_time: f64,
    #[serde(default)]
    title: Option<String>,
}

/// Chapters of a Podcasting 2.0 chapters file: (start seconds, title).
pub fn parse_chapters(text: &str) -> Result<Vec<(f64, String)>, serde_json::Error> {
    let file: ChaptersFile = serde_json::from_str(text)?;
    let mut chapters: Vec<(f64, String)> = file
        .chapters
        .into_iter()
        .filter(|c| c.start_time.is_finite() && c.start_time >= 0.0)
        .enumerate()
        .map(|(i, c)| {
            (
                c.start_time,
                c.title.unwrap_or_else(|| format!("Chapter {}", i + 1)),
            )
        })
        .collect();
    chapters.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(chapters)
}

/// What the decoder has done.
#[derive(Debug, Default)]
struct Decoding {
    frames: u64,
    done: bool,
    error: Option<String>,
}

/// A rendered episode as a chunk source.
pub struct EpisodeSource {
    script: Script,
    /// First frame of each chunk, and the episode's end (set once decoded).
    starts: Vec<u64>,
    rate: u32,
    spill: PathBuf,
    decoding: Arc<(Mutex<Decoding>, Condvar)>,
    _scratch: ScratchDir,
}

/// Why an episode cannot be previewed.
#[derive(Debug, thiserror::Error)]
pub enum EpisodeError {
    /// The audio could not be read.
    #[error("{path}: {message}")]
    Audio {
        /// The episode.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A sidecar could not be read.
    #[error("{path}: {message}; move it away to preview without it")]
    Sidecar {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// The transcript and chapters written beside `audio`, when they are there.
pub fn sidecars(audio: &Path) -> (PathBuf, PathBuf) {
    use crate::output::paths::Sidecar;
    (
        Sidecar::Vtt.path_for(audio),
        Sidecar::Chapters.path_for(audio),
    )
}

impl EpisodeSource {
    /// Opens `audio` with its sidecars, and starts decoding it.
    pub fn open(audio: &Path) -> Result<EpisodeSource, EpisodeError> {
        let audio_err = |message: String| EpisodeError::Audio {
            path: audio.to_path_buf(),
            message,
        };
        // The rate and the first block tell that the file is audio before anything else.
        let (rate, _) = probe(audio).map_err(audio_err)?;
        let (vtt_path, chapters_path) = sidecars(audio);
        let sidecar_err = |path: &Path, message: String| EpisodeError::Sidecar {
            path: path.to_path_buf(),
            message,
        };
        let cues = match std::fs::read_to_string(&vtt_path) {
            Ok(text) => parse_vtt(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(sidecar_err(&vtt_path, e.to_string())),
        };
        let chapters = match std::fs::read_to_string(&chapters_path) {
            Ok(text) => {
                parse_chapters(&text).map_err(|e| sidecar_err(&chapters_path, e.to_string()))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(sidecar_err(&chapters_path, e.to_string())),
        };
        let scratch = ScratchDir::new().map_err(|e| audio_err(e.to_string()))?;
        let spill = scratch.path().join("episode.f32");
        let decoding = Arc::new((Mutex::new(Decoding::default()), Condvar::new()));
        spawn_decoder(audio.to_path_buf(), spill.clone(), Arc::clone(&decoding));
        let name = audio
            .file_stem()
            .map_or("episode".into(), |s| s.to_string_lossy().into_owned());
        let (script, starts) = script_of(&cues, &chapters, rate, &name, || {
            wait_until(&decoding, u64::MAX).frames
        });
        Ok(EpisodeSource {
            script,
            starts,
            rate,
            spill,
            decoding,
            _scratch: scratch,
        })
    }

    /// The chunk playing at `secs` from the start.
    pub fn chunk_at(&self, secs: f64) -> usize {
        let frame = (secs.max(0.0) * self.rate as f64) as u64;
        self.starts.iter().rposition(|&s| s <= frame).unwrap_or(0)
    }

    /// The episode's sample rate.
    pub fn sample_rate(&self) -> u32 {
        self.rate
    }
}

/// The chunks and chapters of an episode from its cues and chapters; `length` gives the
/// episode's frames when there are no cues to step by (it waits for the decoder).
fn script_of(
    cues: &[VttCue],
    chapters: &[(f64, String)],
    rate: u32,
    name: &str,
    length: impl FnOnce() -> u64,
) -> (Script, Vec<u64>) {
    let frame = |secs: f64| (secs * rate as f64).round() as u64;
    let mut spans: Vec<(u64, String)> = cues
        .iter()
        .map(|c| (frame(c.start), c.text.clone()))
        .collect();
    if spans.is_empty() {
        let total = length();
        let step = frame(STEP_SECS).max(1);
        spans = (0..total.div_ceil(step).max(1))
            .map(|i| {
                let (a, b) = (i * step, ((i + 1) * step).min(total));
                (a, format!("{} to {}", clock(a, rate), clock(b, rate)))
            })
            .collect();
    }
    // The first chunk also plays what comes before the first cue (an intro).
    spans[0].0 = 0;
    let chapter_starts: Vec<(u64, String)> = if chapters.is_empty() {
        vec![(0, name.to_string())]
    } else {
        chapters
            .iter()
            .map(|(s, t)| (frame(*s), t.clone()))
            .collect()
    };
    let chapter_of = |at: u64| {
        chapter_starts
            .iter()
            .rposition(|(s, _)| *s <= at + rate as u64 / 10)
            .unwrap_or(0)
    };
    let chunks: Vec<Chunk> = spans
        .iter()
        .enumerate()
        .map(|(i, (at, text))| Chunk {
            index: i,
            chapter: chapter_of(*at),
            role: Role::Narrator,
            written: text.clone(),
            spoken: text.clone(),
            rules: Vec::new(),
            pause_after: Pause::Sentence,
            line: i + 1,
        })
        .collect();
    let mut script_chapters: Vec<Chapter> = Vec::new();
    for (c, (_, title)) in chapter_starts.iter().enumerate() {
        if let Some(first) = chunks.iter().position(|k| k.chapter == c) {
            script_chapters.push(Chapter {
                title: title.clone(),
                first_chunk: first,
                line: first + 1,
            });
        }
    }
    // Chapters without a cue of their own are folded into the one before.
    let mut chunks = chunks;
    for chunk in &mut chunks {
        chunk.chapter = script_chapters
            .iter()
            .rposition(|c| c.first_chunk <= chunk.index)
            .unwrap_or(0);
    }
    let starts = spans.iter().map(|(s, _)| *s).collect();
    let script = Script {
        meta: Meta {
            title: Some(name.to_string()),
            ..Meta::default()
        },
        language: Language::English,
        language_source: LanguageSource::Flag,
        chapters: script_chapters,
        chunks,
    };
    (script, starts)
}

fn clock(frames: u64, rate: u32) -> String {
    let s = frames / rate.max(1) as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

/// The rate of `audio`'s first block.
fn probe(audio: &Path) -> Result<(u32, usize), String> {
    let mut found = None;
    let stop = "probed";
    let result = crate::assemble::music::for_each_block(audio, |_, channels, rate| {
        found = Some((rate, channels));
        Err(crate::assemble::music::MusicError::Unusable {
            path: audio.to_path_buf(),
            message: stop.into(),
        })
    });
    match (found, result) {
        (Some(f), _) => Ok(f),
        (None, Err(e)) => Err(e.to_string()),
        (None, Ok(())) => Err("it holds no audio".into()),
    }
}

/// Decodes `audio` to mono `f32` samples in `spill`, telling `decoding` as it goes.
fn spawn_decoder(audio: PathBuf, spill: PathBuf, decoding: Arc<(Mutex<Decoding>, Condvar)>) {
    std::thread::spawn(move || {
        use std::io::Write;
        let publish = |f: &dyn Fn(&mut Decoding)| {
            let (lock, changed) = &*decoding;
            f(&mut lock.lock().unwrap_or_else(|p| p.into_inner()));
            changed.notify_all();
        };
        let file = match std::fs::File::create(&spill) {
            Ok(f) => f,
            Err(e) => return publish(&|d| d.error = Some(e.to_string())),
        };
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        let mut frames = 0u64;
        let mut bytes = Vec::new();
        let result = crate::assemble::music::for_each_block(&audio, |block, channels, _| {
            bytes.clear();
            for frame in block.chunks_exact(channels.max(1)) {
                let mono = frame.iter().sum::<f32>() / frame.len() as f32;
                bytes.extend_from_slice(&mono.to_le_bytes());
            }
            out.write_all(&bytes)
                .and_then(|_| out.flush())
                .map_err(|e| crate::assemble::music::MusicError::Read {
                    path: spill.clone(),
                    source: e,
                })?;
            frames += (block.len() / channels.max(1)) as u64;
            let now = frames;
            publish(&|d| d.frames = now);
            Ok(())
        });
        publish(&|d| {
            d.done = true;
            if let Err(e) = &result {
                d.error = Some(e.to_string());
            }
        });
    });
}

/// Waits until `frames` are decoded or decoding ended; returns the state then.
fn wait_until(decoding: &(Mutex<Decoding>, Condvar), frames: u64) -> Decoding {
    let (lock, changed) = decoding;
    let mut d = lock.lock().unwrap_or_else(|p| p.into_inner());
    while d.frames < frames && !d.done {
        d = changed.wait(d).unwrap_or_else(|p| p.into_inner());
    }
    Decoding {
        frames: d.frames,
        done: d.done,
        error: d.error.clone(),
    }
}

impl ChunkSource for EpisodeSource {
    fn script(&self) -> &Script {
        &self.script
    }

    fn prepare(&self, index: usize, _generation: u64) -> Result<Prepared, PreviewError> {
        let start = self.starts[index];
        let end = self.starts.get(index + 1).copied().unwrap_or(u64::MAX);
        let state = wait_until(&self.decoding, end);
        let fail = |message: String| {
            PreviewError::Chunk(crate::render::ChunkError::new(
                &self.script.chunks[index],
                message.into(),
            ))
        };
        if let Some(e) = state.error {
            return Err(fail(e));
        }
        let end = end.min(state.frames);
        let mut samples = vec![0.0; end.saturating_sub(start) as usize];
        let mut reader = RawReader::open(&self.spill).map_err(|e| fail(e.to_string()))?;
        reader.seek_sample(start).map_err(|e| fail(e.to_string()))?;
        let mut at = 0;
        while at < samples.len() {
            let n = reader
                .read(&mut samples[at..])
                .map_err(|e| fail(e.to_string()))?;
            if n == 0 {
                break;
            }
            at += n;
        }
        samples.truncate(at);
        Ok(Prepared {
            samples,
            bins: EnergyBins::default(),
            cached: true,
        })
    }

    fn set_speed(&self, _speed: f32) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_from_webvtt() {
        let text = "WEBVTT\n\nNOTE a note\n\n1\n00:00:00.300 --> 00:00:02.500 align:start\nHello\nworld\n\n\
                    00:01.000 --> 00:03.000\nSecond\n\nbroken --> x\nno\n\n00:00:04.000 --> 00:00:03.000\nbackwards\n";
        let cues = parse_vtt(text);
        assert_eq!(
            cues,
            vec![
                VttCue {
                    start: 0.3,
                    end: 2.5,
                    text: "Hello world".into()
                },
                VttCue {
                    start: 1.0,
                    end: 3.0,
                    text: "Second".into()
                },
            ]
        );
        assert!(parse_vtt("").is_empty());
        assert!(parse_vtt("WEBVTT\n\n99:99.000 --> 00:01.000\nx").is_empty());
    }

    #[test]
    fn chunks_run_from_cue_to_cue_and_chapters_follow_their_times() {
        let cues = vec![
            VttCue {
                start: 1.0,
                end: 2.0,
                text: "Title".into(),
            },
            VttCue {
                start: 3.0,
                end: 4.0,
                text: "One".into(),
            },
            VttCue {
                start: 10.0,
                end: 11.0,
                text: "Two".into(),
            },
        ];
        let chapters = vec![
            (0.0, "Intro".to_string()),
            (9.5, "Part".to_string()),
            (50.0, "Empty".to_string()),
        ];
        let (script, starts) = script_of(&cues, &chapters, 100, "ep", || unreachable!());
        assert_eq!(starts, vec![0, 300, 1000]);
        let titles: Vec<&str> = script.chapters.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, vec!["Intro", "Part"]);
        assert_eq!(script.chunks[2].chapter, 1);
        assert_eq!(script.chapters[1].first_chunk, 2);
        // No transcript: thirty-second steps over the whole length.
        let (script, starts) = script_of(&[], &[], 10, "ep", || 650);
        assert_eq!(starts, vec![0, 300, 600]);
        assert_eq!(script.chunks[2].written, "1:00 to 1:05");
        assert_eq!(script.chapters.len(), 1);
    }

    #[test]
    fn chapters_json_is_read_and_sorted() {
        let c = parse_chapters(
            r#"{"version":"1.2.0","chapters":[{"startTime":5,"title":"B"},{"startTime":0}]}"#,
        )
        .unwrap();
        assert_eq!(
            c,
            vec![(0.0, "Chapter 2".to_string()), (5.0, "B".to_string())]
        );
        assert!(parse_chapters("{}").is_err());
    }
}
