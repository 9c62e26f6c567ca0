//! The web preview: a page on 127.0.0.1 that plays the article sentence by sentence
//! with its transcript, and fixes a pronunciation from the page.
//!
//! The server ([`http`], on `tiny_http`) listens on the loopback only, on a free port,
//! and every path starts with a random token (`/TOKEN/...`): other local users cannot
//! reach it. The page (HTML, CSS and JavaScript embedded in the binary: no external
//! request) asks for the script, then for sentences as WAV clips in order, a few ahead,
//! and schedules them back to back with the Web Audio API, so playback starts with the
//! first sentence and a click on any sentence plays from there. Clips are prepared on
//! the pool through the same look-ahead and clip cache as the terminal preview, and
//! each is mastered alone with its pause (the shared [`LoudnessEstimate`] sets the
//! gain). A pronunciation fix saves the word to the lexicon file, rebuilds the script
//! (a new revision) and reports which sentences changed: only those are synthesized
//! again, the others come from the cache.

pub mod http;
pub mod show;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::chain::{process_alone, LoudnessEstimate};
use super::prefetch::{Fetched, Prefetcher};
use super::speech::{Prepared, Speech};
use super::PreviewError;
use crate::assemble::AssembleOptions;
use crate::language::lexicon::{Lexicon, LexiconError, Say};
use crate::script::Script;

/// Longest wait for one sentence before the request fails.
const CLIP_TIMEOUT: Duration = Duration::from_secs(120);

/// Rebuilds the script after the lexicon changed.
pub type Rebuild = dyn Fn() -> Result<Script, String> + Send + Sync;

/// What a web preview needs.
pub struct WebSettings {
    /// The pool sentences are prepared on.
    pub pool: Arc<rayon::ThreadPool>,
    /// Loudness target, LUFS (none: no gain, no compressor).
    pub target_lufs: Option<f64>,
    /// True-peak ceiling, dBTP.
    pub ceiling_dbtp: f64,
    /// Pause lengths at speed 1.
    pub pauses: AssembleOptions,
    /// Sentences prepared ahead at most.
    pub ahead: usize,
    /// Where pronunciation fixes are saved.
    pub lexicon: PathBuf,
    /// Makes the script again (with the lexicon as it now is).
    pub rebuild: Box<Rebuild>,
    /// The article's name, for the page.
    pub name: String,
}

/// One version of the script: a fix makes a new one.
struct Revision {
    number: u64,
    speech: Arc<Speech>,
    prefetch: Prefetcher<Prepared, PreviewError>,
    /// Speeds asked for, per mille, by prefetch generation.
    speeds: Mutex<Vec<u32>>,
}

/// A web preview session.
pub struct WebPreview {
    settings: WebSettings,
    revision: Mutex<Arc<Revision>>,
    estimate: Mutex<LoudnessEstimate>,
    synthesized: Arc<AtomicUsize>,
    served: AtomicUsize,
}

/// Why a request could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such sentence in this revision.
    #[error("no sentence {0} in this revision of the script")]
    NoSentence(usize),
    /// A speed outside 0.5-2.
    #[error("speed {0} is outside 0.5-2")]
    Speed(f32),
    /// A sentence could not be prepared.
    #[error(transparent)]
    Preview(#[from] PreviewError),
    /// It took too long.
    #[error("sentence {0} was not ready within {CLIP_TIMEOUT:?}")]
    Timeout(usize),
    /// The fix could not be saved.
    #[error(transparent)]
    Lexicon(#[from] LexiconError),
    /// The script could not be made again.
    #[error("the script could not be rebuilt: {0}")]
    Rebuild(String),
    /// The engine could not say how it reads a word.
    #[error("cannot find how eSpeak NG says it")]
    Ipa(#[source] crate::synth::SynthError),
}

/// A sentence, for the page.
#[derive(Debug, Serialize)]
pub struct SentenceView<'a> {
    /// As written.
    pub written: &'a str,
    /// As spoken (after the lexicon and the rules).
    pub spoken: &'a str,
    /// Its chapter.
    pub chapter: usize,
    /// Its source line.
    pub line: usize,
    /// Whether it is a heading.
    pub heading: bool,
}

/// A chapter, for the page.
#[derive(Debug, Serialize)]
pub struct ChapterView<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its first sentence.
    pub first: usize,
}

/// The script as the page reads it.
#[derive(Debug, Serialize)]
pub struct ScriptView<'a> {
    /// The article's name.
    pub name: &'a str,
    /// The revision (changes with each fix).
    pub revision: u64,
    /// The language.
    pub language: &'a str,
    /// Chapters.
    pub chapters: Vec<ChapterView<'a>>,
    /// Sentences.
    pub sentences: Vec<SentenceView<'a>>,
    /// Where fixes are saved.
    pub lexicon: String,
}

/// What a fix did.
#[derive(Debug, Serialize)]
pub struct FixReport {
    /// The new revision.
    pub revision: u64,
    /// Sentences whose spoken text changed.
    pub changed: Vec<usize>,
    /// Where the word was saved.
    pub lexicon: String,
}

/// Counters, for tests and the curious.
#[derive(Debug, Serialize)]
pub struct Stats {
    /// The current revision.
    pub revision: u64,
    /// Sentences synthesized (not from the cache) since the start.
    pub synthesized: usize,
    /// Clips served.
    pub served: usize,
}

fn per_mille(speed: f32) -> u32 {
    (speed * 1000.0).round() as u32
}

impl WebPreview {
    /// A session speaking `speech`'s script.
    pub fn new(speech: Arc<Speech>, settings: WebSettings) -> WebPreview {
        let synthesized = Arc::new(AtomicUsize::new(0));
        let rate = speech.sample_rate();
        let revision = Arc::new(Self::revision(0, speech, &settings, &synthesized));
        WebPreview {
            estimate: Mutex::new(LoudnessEstimate::new(rate, settings.target_lufs)),
            settings,
            revision: Mutex::new(revision),
            synthesized,
            served: AtomicUsize::new(0),
        }
    }

    fn revision(
        number: u64,
        speech: Arc<Speech>,
        settings: &WebSettings,
        synthesized: &Arc<AtomicUsize>,
    ) -> Revision {
        let source = Arc::clone(&speech);
        let count = Arc::clone(synthesized);
        let prefetch = Prefetcher::new(
            speech.script().chunks.len(),
            settings.ahead,
            Arc::clone(&settings.pool),
            Box::new(move |index, generation| {
                let prepared = source.prepare(index, generation)?;
                if !prepared.cached {
                    count.fetch_add(1, Ordering::Relaxed);
                }
                Ok(prepared)
            }),
        );
        Revision {
            number,
            speeds: Mutex::new(vec![per_mille(speech.speed_of(0))]),
            speech,
            prefetch,
        }
    }

    fn current(&self) -> Arc<Revision> {
        Arc::clone(&self.revision.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// The script as the page shows it.
    pub fn script_json(&self) -> String {
        let revision = self.current();
        let script = revision.speech.script();
        let view = ScriptView {
            name: &self.settings.name,
            revision: revision.number,
            language: script.language.code(),
            chapters: script
                .chapters
                .iter()
                .map(|c| ChapterView {
                    title: &c.title,
                    first: c.first_chunk,
                })
                .collect(),
            sentences: script
                .chunks
                .iter()
                .map(|c| SentenceView {
                    written: &c.written,
                    spoken: &c.spoken,
                    chapter: c.chapter,
                    line: c.line,
                    heading: c.role == crate::script::Role::Heading,
                })
                .collect(),
            lexicon: self.settings.lexicon.display().to_string(),
        };
        serde_json::to_string(&view).expect("the script view serializes")
    }

    /// Sentence `index` at `speed` with its pause, as a 16-bit mono WAV.
    pub fn clip_wav(&self, index: usize, speed: f32) -> Result<Vec<u8>, WebError> {
        if !(0.5..=2.0).contains(&speed) {
            return Err(WebError::Speed(speed));
        }
        let revision = self.current();
        let script = revision.speech.script();
        let Some(chunk) = script.chunks.get(index) else {
            return Err(WebError::NoSentence(index));
        };
        let generation = {
            let mut speeds = revision.speeds.lock().unwrap_or_else(|p| p.into_inner());
            match speeds.iter().position(|&s| s == per_mille(speed)) {
                Some(g) => g as u64,
                None => {
                    // A new speed becomes the one prepared ahead.
                    speeds.push(per_mille(speed));
                    let g = revision.speech.push_speed(speed);
                    revision.prefetch.restart(index);
                    g
                }
            }
        };
        let prepared = if generation == revision.prefetch.generation() {
            revision.prefetch.reach(index);
            let deadline = Instant::now() + CLIP_TIMEOUT;
            loop {
                match revision.prefetch.wait(index, Duration::from_millis(200)) {
                    Fetched::Ready(p) => break p,
                    Fetched::Failed(e) => return Err(PreviewError::Shared(e).into()),
                    Fetched::NotYet if Instant::now() > deadline => {
                        return Err(WebError::Timeout(index))
                    }
                    Fetched::NotYet => {}
                }
            }
        } else {
            let p = revision.speech.prepare(index, generation)?;
            if !p.cached {
                self.synthesized.fetch_add(1, Ordering::Relaxed);
            }
            Arc::new(p)
        };
        let rate = revision.speech.sample_rate();
        let pause_ms = self.settings.pauses.pause_ms(chunk.pause_after) as f64 / speed as f64;
        let pause = (pause_ms * rate as f64 / 1000.0).round() as u64;
        let samples = {
            let mut estimate = self.estimate.lock().unwrap_or_else(|p| p.into_inner());
            process_alone(&mut estimate, &prepared, pause, self.settings.ceiling_dbtp)
        };
        self.served.fetch_add(1, Ordering::Relaxed);
        Ok(wav_bytes(&samples, rate))
    }

    /// Saves `word` said as `say` (other words, or IPA) to the lexicon, rebuilds the
    /// script, and says which sentences now sound different.
    pub fn fix(&self, word: &str, say: &Say) -> Result<FixReport, WebError> {
        Lexicon::save_word(&self.settings.lexicon, word, say)?;
        let script = (self.settings.rebuild)().map_err(WebError::Rebuild)?;
        let mut slot = self.revision.lock().unwrap_or_else(|p| p.into_inner());
        let old = slot.speech.script();
        let changed = script
            .chunks
            .iter()
            .enumerate()
            .filter(|(i, c)| old.chunks.get(*i).is_none_or(|o| o.spoken != c.spoken))
            .map(|(i, _)| i)
            .collect();
        let speed = slot.speech.speed_of(u64::MAX);
        let speech = Arc::new(slot.speech.with_script(Arc::new(script), speed));
        let number = slot.number + 1;
        *slot = Arc::new(Self::revision(
            number,
            speech,
            &self.settings,
            &self.synthesized,
        ));
        Ok(FixReport {
            revision: number,
            changed,
            lexicon: self.settings.lexicon.display().to_string(),
        })
    }

    /// How the built-in eSpeak NG says `word` in the article's language, in IPA: what
    /// the page puts in the field when a fix is to be written in IPA.
    pub fn ipa_of(&self, word: &str) -> Result<String, WebError> {
        let language = self.current().speech.script().language;
        crate::synth::espeak::builtin_ipa(word, language).map_err(WebError::Ipa)
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        Stats {
            revision: self.current().number,
            synthesized: self.synthesized.load(Ordering::Relaxed),
            served: self.served.load(Ordering::Relaxed),
        }
    }
}

/// Mono samples as a 16-bit WAV file in memory (dithered as the episode is).
pub fn wav_bytes(samples: &[f32], rate: u32) -> Vec<u8> {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut bytes = std::io::Cursor::new(Vec::with_capacity(44 + samples.len() * 2));
    {
        let mut writer = hound::WavWriter::new(&mut bytes, spec).expect("a WAV header in memory");
        let mut dither = crate::output::sink::Dither::new();
        let mut block = writer.get_i16_writer(samples.len() as u32);
        for &s in samples {
            block.write_sample(dither.to_i16(s));
        }
        block.flush().expect("writing to memory");
        writer.finalize().expect("writing to memory");
    }
    bytes.into_inner()
}
