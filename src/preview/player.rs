//! The preview's scheduler: sentences are prepared ahead on the pool (bounded), queued
//! to the audio output in order with their pauses as soon as each exists, and the
//! controls (pause, sentence and chapter steps, speed) act on what is heard, not on
//! what is queued.
//!
//! The output is kept only a little ahead ([`BUFFER_SECS`]), so a seek or a speed
//! change is heard at once: the queued audio is dropped, the look-ahead moves, and the
//! sentence asked for is the first one prepared. Events say what is being heard, for
//! a display; they come from the thread that runs the player.

use std::collections::VecDeque;
use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::assemble::AssembleOptions;
use crate::cancel::Cancel;

use super::chain::Chain;
use super::music::PreviewMusic;
use super::output::AudioOut;
use super::prefetch::{Fetched, Prefetcher};
use super::speech::{Prepared, Speech};
use super::timing::Timing;
use super::PreviewError;

/// Audio kept queued in the output ahead of what is heard, seconds.
pub const BUFFER_SECS: f64 = 0.4;

/// Slowest and fastest speed.
pub const SPEEDS: std::ops::RangeInclusive<f32> = 0.5..=2.0;

/// One step of `+` or `-`.
pub const SPEED_STEP: f32 = 0.1;

/// What the listener asks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Control {
    /// Pause, or resume.
    TogglePause,
    /// The next sentence.
    NextSentence,
    /// The previous sentence.
    PreviousSentence,
    /// The next chapter.
    NextChapter,
    /// The start of this chapter, or the previous one when already at its start.
    PreviousChapter,
    /// Faster by one step.
    Faster,
    /// Slower by one step.
    Slower,
    /// Play from this chunk.
    Seek(usize),
    /// Stop.
    Quit,
}

/// What the player tells a display.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A chunk is heard now.
    Speaking {
        /// The chunk.
        chunk: usize,
    },
    /// Where playback is (about five times a second while playing).
    Position {
        /// The chunk heard.
        chunk: usize,
        /// Time from the article's start to what is heard, seconds.
        elapsed_secs: f64,
        /// The article's length, seconds.
        total_secs: f64,
        /// Whether `total_secs` is an estimate (not every chunk is known yet).
        estimated: bool,
    },
    /// Paused (true) or playing again.
    Paused(bool),
    /// The speed changed.
    Speed(f32),
    /// The next sentence is not ready and nothing is playing.
    Waiting,
    /// Everything asked for was played.
    Finished,
}

/// What the player plays: a script's chunks, each prepared when asked (on the pool).
pub trait ChunkSource: Send + Sync {
    /// The script: chapters and chunks.
    fn script(&self) -> &crate::script::Script;
    /// Chunk `index` as of generation `generation` (one per speed).
    fn prepare(&self, index: usize, generation: u64) -> Result<Prepared, PreviewError>;
    /// Starts the next generation at `speed`; `false` when the source cannot change
    /// speed (a rendered episode: its speech is already made).
    fn set_speed(&self, speed: f32) -> bool;
}

impl ChunkSource for Speech {
    fn script(&self) -> &crate::script::Script {
        Speech::script(self)
    }

    fn prepare(&self, index: usize, generation: u64) -> Result<Prepared, PreviewError> {
        Speech::prepare(self, index, generation)
    }

    fn set_speed(&self, speed: f32) -> bool {
        self.push_speed(speed);
        true
    }
}

/// How the player runs.
#[derive(Debug, Clone)]
pub struct PlayerSettings {
    /// Loudness target, LUFS (none: no gain, no compressor).
    pub target_lufs: Option<f64>,
    /// True-peak ceiling, dBTP.
    pub ceiling_dbtp: f64,
    /// Pause lengths at speed 1.
    pub pauses: AssembleOptions,
    /// The speed the preview starts at.
    pub speed: f32,
    /// Chunks prepared ahead at most.
    pub ahead: usize,
    /// First chunk played.
    pub start: usize,
    /// One past the last chunk played.
    pub end: usize,
    /// Intro, outro and bed, as in the episode.
    pub music: Arc<PreviewMusic>,
}

/// What a preview did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// When the first sample was handed to the output.
    pub first_sound: Option<Instant>,
    /// Chunks queued to the output (a chunk heard twice counts twice).
    pub chunks_played: usize,
    /// Of the chunks prepared and played, how many came from the cache.
    pub from_cache: usize,
    /// The most chunks prepared or in work at once.
    pub most_ahead: usize,
    /// Whether the listener quit (or the run was cancelled) before the end.
    pub stopped: bool,
    /// The speed at the end.
    pub speed: f32,
    /// The gain the loudness estimate settled on, dB (when it did).
    pub gain_db: Option<f64>,
}

/// A chunk in the output's queue: its place in the output's frame count.
#[derive(Debug, Clone, Copy)]
struct Queued {
    chunk: usize,
    start: u64,
    end: u64,
}

/// Plays `speech` into `out` from `settings.start`, obeying `controls` and telling
/// `on_event`, until the end, `Quit` or `cancel`.
pub fn play(
    speech: Arc<dyn ChunkSource>,
    pool: Arc<rayon::ThreadPool>,
    out: &mut dyn AudioOut,
    settings: &PlayerSettings,
    controls: &Receiver<Control>,
    on_event: &mut dyn FnMut(&Event),
    cancel: &Cancel,
) -> Result<Outcome, PreviewError> {
    let rate = out.sample_rate();
    let end = settings.end.min(speech.script().chunks.len());
    let source = Arc::clone(&speech);
    let prefetch: Prefetcher<Prepared, PreviewError> = Prefetcher::new(
        end,
        settings.ahead,
        pool,
        Box::new(move |index, generation| source.prepare(index, generation)),
    );
    let mut chain = Chain::new(rate, settings.target_lufs, settings.ceiling_dbtp)
        .with_bed(settings.music.bed.clone());
    // The intro opens a preview that starts at the beginning; the outro closes one
    // that reaches the article's end.
    let mut intro = settings
        .music
        .intro
        .as_deref()
        .filter(|_| settings.start == 0);
    let mut timing = Timing::new(speech.script(), rate, settings.speed);
    let mut speed = settings.speed;
    let mut outcome = Outcome {
        speed,
        ..Outcome::default()
    };
    let mut next = settings.start.min(end);
    let mut queue: VecDeque<Queued> = VecDeque::new();
    let mut inbox: VecDeque<Control> = VecDeque::new();
    let mut queued_to = out.played() + out.pending();
    let mut heard: Option<usize> = None;
    let mut paused = false;
    let mut waiting = false;
    let mut last_position = Instant::now() - Duration::from_secs(1);
    let buffer = (BUFFER_SECS * rate as f64) as u64;
    let script = speech.script();
    prefetch.focus(next);

    loop {
        // What the listener asked since the last turn.
        while let Ok(c) = controls.try_recv() {
            inbox.push_back(c);
        }
        while let Some(control) = inbox.pop_front() {
            let at = heard.unwrap_or(next);
            let target = match control {
                Control::Quit => {
                    out.clear();
                    outcome.stopped = true;
                    return Ok(finish(outcome, &prefetch, &chain));
                }
                Control::TogglePause => {
                    paused = !paused;
                    out.set_paused(paused);
                    on_event(&Event::Paused(paused));
                    None
                }
                Control::NextSentence => Some((at + 1).min(end.saturating_sub(1))),
                Control::PreviousSentence => Some(at.saturating_sub(1).max(settings.start)),
                Control::NextChapter => {
                    let chapter = script.chunks.get(at).map_or(0, |c| c.chapter);
                    script
                        .chapters
                        .get(chapter + 1)
                        .map(|c| c.first_chunk)
                        .filter(|&first| first < end)
                }
                Control::PreviousChapter => {
                    let chapter = script.chunks.get(at).map_or(0, |c| c.chapter);
                    let first = script.chapters.get(chapter).map_or(0, |c| c.first_chunk);
                    let target = if at > first || chapter == 0 {
                        first
                    } else {
                        script.chapters[chapter - 1].first_chunk
                    };
                    Some(target.max(settings.start))
                }
                Control::Faster | Control::Slower => {
                    let step = if control == Control::Faster {
                        SPEED_STEP
                    } else {
                        -SPEED_STEP
                    };
                    let wanted = ((speed + step) * 10.0).round() / 10.0;
                    let wanted = wanted.clamp(*SPEEDS.start(), *SPEEDS.end());
                    if (wanted - speed).abs() < 1e-3 || !speech.set_speed(wanted) {
                        None
                    } else {
                        speed = wanted;
                        outcome.speed = speed;
                        timing.set_speed(speed);
                        prefetch.restart(at);
                        on_event(&Event::Speed(speed));
                        // The sentence heard starts again at the new speed.
                        Some(at)
                    }
                }
                Control::Seek(chunk) => Some(chunk.clamp(settings.start, end.saturating_sub(1))),
            };
            if let Some(target) = target {
                if end == 0 {
                    continue;
                }
                out.clear();
                queue.clear();
                queued_to = out.played() + out.pending();
                chain.reset();
                next = target;
                heard = None;
                prefetch.focus(next);
            }
        }
        if cancel.is_cancelled() {
            out.clear();
            outcome.stopped = true;
            return Ok(finish(outcome, &prefetch, &chain));
        }

        // What is heard now.
        let played = out.played();
        while queue.len() > 1 && queue[1].start <= played {
            queue.pop_front();
        }
        if let Some(front) = queue.front().copied() {
            if front.start <= played && heard != Some(front.chunk) {
                heard = Some(front.chunk);
                on_event(&Event::Speaking { chunk: front.chunk });
            }
            if last_position.elapsed() >= Duration::from_millis(200) && !paused {
                last_position = Instant::now();
                let into = played
                    .saturating_sub(front.start)
                    .min(front.end - front.start);
                let (total, estimated) = timing.total_secs();
                on_event(&Event::Position {
                    chunk: front.chunk,
                    elapsed_secs: timing.start_secs(front.chunk) + into as f64 / rate as f64,
                    total_secs: total,
                    estimated,
                });
            }
        }
        if next >= end && queue.back().is_none_or(|q| q.end <= played) {
            let tail = chain.finish();
            out.queue(&tail).map_err(PreviewError::Output)?;
            out.finish().map_err(PreviewError::Output)?;
            on_event(&Event::Finished);
            return Ok(finish(outcome, &prefetch, &chain));
        }

        // Keep the output a little ahead.
        if paused || next >= end || out.pending() >= buffer {
            let wait = Duration::from_millis(if paused { 100 } else { 15 });
            if let Ok(c) = controls.recv_timeout(wait) {
                inbox.push_back(c);
            }
            continue;
        }
        match prefetch.wait(next, Duration::from_millis(15)) {
            Fetched::Ready(p) => {
                waiting = false;
                let pause = pause_frames(settings, script, next, speed, rate);
                let last = next + 1 == script.chunks.len();
                let mut samples = match intro.take() {
                    Some(music) if next == 0 => chain.music(music),
                    _ => Vec::new(),
                };
                samples.extend(chain.process(&p, pause, last));
                if let Some(outro) = settings.music.outro.as_deref().filter(|_| last) {
                    samples.extend(chain.music(outro));
                }
                if outcome.first_sound.is_none() {
                    outcome.first_sound = Some(Instant::now());
                }
                out.queue(&samples).map_err(PreviewError::Output)?;
                timing.set(next, samples.len() as u64);
                queue.push_back(Queued {
                    chunk: next,
                    start: queued_to,
                    end: queued_to + samples.len() as u64,
                });
                queued_to += samples.len() as u64;
                outcome.chunks_played += 1;
                outcome.from_cache += usize::from(p.cached);
                next += 1;
                prefetch.focus(next);
            }
            Fetched::Failed(e) => return Err(PreviewError::Shared(e)),
            Fetched::NotYet => {
                if !waiting && out.pending() == 0 {
                    waiting = true;
                    on_event(&Event::Waiting);
                }
            }
        }
    }
}

/// The pause after chunk `index` at `speed`, frames at `rate`.
fn pause_frames(
    settings: &PlayerSettings,
    script: &crate::script::Script,
    index: usize,
    speed: f32,
    rate: u32,
) -> u64 {
    let ms = settings.pauses.pause_ms(script.chunks[index].pause_after) as f64 / speed as f64;
    (ms * rate as f64 / 1000.0).round() as u64
}

fn finish(
    mut outcome: Outcome,
    prefetch: &Prefetcher<Prepared, PreviewError>,
    chain: &Chain,
) -> Outcome {
    outcome.most_ahead = prefetch.most_pending();
    outcome.gain_db = chain.current_gain_db();
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assemble::store::trimmed_at;
    use crate::document::{parse_bytes, CleanOptions, InputFormat};
    use crate::language::{detect::LanguageSource, Language};
    use crate::preview::output::Recorder;
    use crate::script::{build, Script, ScriptOptions};
    use crate::synth::tone::{ToneBackend, TONE_RATE};
    use crate::synth::{Backend, SpeechRequest};
    use crate::voice::Voice;
    use std::cell::Cell;
    use std::sync::mpsc::{channel, Sender};

    const ARTICLE: &str =
        "# Le titre\n\nUne phrase assez longue pour un son. Une autre phrase ici.\n\n\
        ## Deuxième partie\n\nLa deuxième partie commence. Elle continue encore un peu.\n\n\
        ## Troisième partie\n\nEnfin la fin arrive. Tout se termine bien.\n";

    fn script() -> Arc<Script> {
        let (doc, _) = parse_bytes(
            ARTICLE.as_bytes(),
            std::path::Path::new("a.md"),
            InputFormat::Markdown,
            &CleanOptions::default(),
        )
        .unwrap();
        Arc::new(build(
            &doc,
            Language::French,
            LanguageSource::Flag,
            &ScriptOptions::default(),
        ))
    }

    /// The French voice at 170 words per minute, the tone backend's pace at speed 1.
    fn voice() -> Voice {
        let mut voice = crate::voice::builtin_voices()
            .into_iter()
            .find(|v| v.voice.name == "fr")
            .unwrap()
            .voice;
        if let crate::synth::BackendSettings::Espeak(e) = &mut voice.backend {
            e.rate = 170;
        }
        voice
    }

    /// Speech by tones: 170 words per minute at speed 1, like the eSpeak NG voice.
    fn speech(script: &Arc<Script>) -> Arc<Speech> {
        Arc::new(Speech::new(
            Arc::clone(script),
            voice(),
            1.0,
            Arc::new(ToneBackend::new(170)),
            Arc::new(|v: &Voice| {
                let wpm = v.backend.espeak().map_or(170, |e| e.rate);
                Ok(Box::new(ToneBackend::new(wpm)) as Box<dyn Backend>)
            }),
            None,
            TONE_RATE,
        ))
    }

    fn settings(script: &Script) -> PlayerSettings {
        PlayerSettings {
            target_lufs: Some(-19.0),
            ceiling_dbtp: -1.0,
            pauses: AssembleOptions::default(),
            speed: 1.0,
            ahead: 3,
            start: 0,
            end: script.chunks.len(),
            music: Arc::new(PreviewMusic::default()),
        }
    }

    fn pool() -> Arc<rayon::ThreadPool> {
        Arc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .build()
                .unwrap(),
        )
    }

    /// The frames chunk `i` takes at `wpm` with its pause: computed apart from the player.
    fn expected_frames(script: &Script, i: usize, wpm: u32, speed: f32) -> u64 {
        let clip = ToneBackend::new(wpm)
            .synthesize(&SpeechRequest {
                text: &script.chunks[i].spoken,
                language: script.language,
                role: script.chunks[i].role,
            })
            .unwrap();
        let speech = trimmed_at(i, &clip, TONE_RATE).unwrap().len() as u64;
        let ms =
            AssembleOptions::default().pause_ms(script.chunks[i].pause_after) as f64 / speed as f64;
        speech + (ms * TONE_RATE as f64 / 1000.0).round() as u64
    }

    /// A recorder that plays `per_poll` frames each time the player asks what was
    /// played (once a turn): a clock that moves only with the player, so runs are exact.
    struct Clocked {
        inner: Recorder,
        per_poll: u64,
        polls: Cell<u64>,
    }

    impl AudioOut for Clocked {
        fn sample_rate(&self) -> u32 {
            self.inner.rate
        }
        fn queue(&mut self, samples: &[f32]) -> std::io::Result<()> {
            self.inner.queue(samples)
        }
        fn pending(&self) -> u64 {
            self.inner.samples.len() as u64 - self.heard()
        }
        fn played(&self) -> u64 {
            // The player looks once a turn: the clock moves then.
            self.polls.set(self.polls.get() + 1);
            self.heard()
        }
        fn clear(&mut self) {
            let played = self.played();
            self.inner.samples.truncate(played as usize);
            self.inner.played_frames = played;
            self.inner.calls.push("clear".into());
        }
        fn set_paused(&mut self, paused: bool) {
            self.inner.set_paused(paused);
        }
        fn finish(&mut self) -> std::io::Result<()> {
            self.inner.calls.push("finish".into());
            Ok(())
        }
    }

    impl Clocked {
        fn heard(&self) -> u64 {
            let played = (self.polls.get() * self.per_poll).min(self.inner.samples.len() as u64);
            played.max(self.inner.played_frames)
        }
    }

    fn clocked(per_poll: u64) -> Clocked {
        Clocked {
            inner: Recorder {
                rate: TONE_RATE,
                ..Recorder::default()
            },
            per_poll,
            polls: Cell::new(0),
        }
    }

    fn run(
        script: &Arc<Script>,
        out: &mut dyn AudioOut,
        settings: &PlayerSettings,
        mut react: impl FnMut(&Event, &Sender<Control>),
    ) -> (Outcome, Vec<Event>) {
        let (tx, rx) = channel();
        let mut events = Vec::new();
        let outcome = play(
            speech(script),
            pool(),
            out,
            settings,
            &rx,
            &mut |e: &Event| {
                if !matches!(e, Event::Position { .. } | Event::Waiting) {
                    events.push(e.clone());
                }
                react(e, &tx);
            },
            &Cancel::new(),
        )
        .unwrap();
        (outcome, events)
    }

    fn spoken(events: &[Event]) -> Vec<usize> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Speaking { chunk } => Some(*chunk),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn plays_every_chunk_in_order_with_its_pause_and_a_bounded_look_ahead() {
        let script = script();
        let n = script.chunks.len();
        assert!(n >= 7, "{n}");
        let mut out = Recorder::instant(TONE_RATE);
        let (outcome, events) = run(&script, &mut out, &settings(&script), |_, _| {});
        assert_eq!(spoken(&events), (0..n).collect::<Vec<_>>());
        assert_eq!(events.last(), Some(&Event::Finished));
        let want: u64 = (0..n).map(|i| expected_frames(&script, i, 170, 1.0)).sum();
        assert_eq!(out.samples.len() as u64, want);
        assert_eq!(outcome.chunks_played, n);
        assert!(outcome.most_ahead <= 3, "{}", outcome.most_ahead);
        assert!(outcome.first_sound.is_some());
        assert!(!outcome.stopped);
        // True peaks stay under the ceiling; the gain brought the tones up or down.
        let peak = out.samples.iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!(peak <= 10f32.powf(-1.0 / 20.0), "{peak}");
        assert!(peak > 0.05, "{peak}");
    }

    #[test]
    fn music_opens_closes_and_runs_under_the_speech_as_in_the_episode() {
        use crate::preview::music::{tests::tone, MusicFiles};
        let script = script();
        let n = script.chunks.len();
        let dir = tempfile::tempdir().unwrap();
        let (intro, outro, bed) = (
            tone(dir.path(), "intro.wav", 1.0, 0.5, 2),
            tone(dir.path(), "outro.wav", 1.5, 0.5, 1),
            tone(dir.path(), "bed.wav", 0.7, 0.5, 1),
        );
        let music = PreviewMusic::new(
            &MusicFiles {
                intro: Some(&intro),
                outro: Some(&outro),
                bed: Some(&bed),
                bed_level_db: -18.0,
                duck_db: 12.0,
            },
            TONE_RATE,
            Some(-19.0),
        )
        .unwrap();
        let (intro_frames, outro_frames) = (
            music.intro.as_ref().unwrap().len() as u64,
            music.outro.as_ref().unwrap().len() as u64,
        );
        let with_music = PlayerSettings {
            music: Arc::new(music),
            ..settings(&script)
        };
        let speech: u64 = (0..n).map(|i| expected_frames(&script, i, 170, 1.0)).sum();
        let silent = |samples: &[f32]| samples.iter().filter(|s| **s == 0.0).count();

        // From the start to the end: intro, every sentence, outro, with the bed under.
        let mut out = Recorder::instant(TONE_RATE);
        let (_, events) = run(&script, &mut out, &with_music, |_, _| {});
        assert_eq!(spoken(&events), (0..n).collect::<Vec<_>>());
        assert_eq!(
            out.samples.len() as u64,
            intro_frames + speech + outro_frames
        );
        let opening = &out.samples[..intro_frames as usize];
        assert!(
            opening.iter().any(|s| s.abs() > 0.01),
            "the intro is heard first"
        );
        let speech_part = &out.samples[intro_frames as usize..(intro_frames + speech) as usize];
        let mut plain = Recorder::instant(TONE_RATE);
        run(&script, &mut plain, &settings(&script), |_, _| {});
        assert!(
            silent(speech_part) * 10 < silent(&plain.samples),
            "the bed fills the pauses: {} silent samples, {} without it",
            silent(speech_part),
            silent(&plain.samples)
        );
        let peak = out.samples.iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!(peak <= 10f32.powf(-1.0 / 20.0), "{peak}");

        // A chapter alone in the middle: neither intro nor outro.
        let (first, end) =
            super::super::span_of(&script, super::super::Start::Chapter(2), 1.0, true).unwrap();
        assert!(end < n);
        let mut out = Recorder::instant(TONE_RATE);
        run(
            &script,
            &mut out,
            &PlayerSettings {
                start: first,
                end,
                ..with_music.clone()
            },
            |_, _| {},
        );
        let want: u64 = (first..end)
            .map(|i| expected_frames(&script, i, 170, 1.0))
            .sum();
        assert_eq!(out.samples.len() as u64, want);
    }

    #[test]
    fn a_chapter_alone_and_a_start_in_the_middle() {
        let script = script();
        let (first, end) =
            super::super::span_of(&script, super::super::Start::Chapter(2), 1.0, true).unwrap();
        assert_eq!(first, script.chapters[1].first_chunk);
        assert_eq!(end, script.chapters[2].first_chunk);
        let mut out = Recorder::instant(TONE_RATE);
        let s = PlayerSettings {
            start: first,
            end,
            ..settings(&script)
        };
        let (_, events) = run(&script, &mut out, &s, |_, _| {});
        assert_eq!(spoken(&events), (first..end).collect::<Vec<_>>());
        let want: u64 = (first..end)
            .map(|i| expected_frames(&script, i, 170, 1.0))
            .sum();
        assert_eq!(out.samples.len() as u64, want);
        assert!(
            super::super::span_of(&script, super::super::Start::Chapter(9), 1.0, true).is_err()
        );
        assert!(
            super::super::span_of(&script, super::super::Start::Sentence(0), 1.0, true).is_err()
        );
    }

    #[test]
    fn steps_act_on_what_is_heard() {
        let script = script();
        let chapter2 = script.chapters[1].first_chunk;
        let chapter3 = script.chapters[2].first_chunk;
        // 5 ms of audio per look: the player is always ahead of the listener.
        let mut out = clocked(110);
        let mut sent = Vec::new();
        let (outcome, events) = run(&script, &mut out, &settings(&script), |e, tx| {
            if let Event::Speaking { chunk } = e {
                let control = match (*chunk, sent.len()) {
                    (1, 0) => Some(Control::NextChapter),
                    (c, 1) if c == chapter2 => Some(Control::PreviousSentence),
                    (c, 2) if c == chapter2 - 1 => Some(Control::NextChapter),
                    (c, 3) if c == chapter2 => Some(Control::NextChapter),
                    (c, 4) if c == chapter3 => Some(Control::Quit),
                    _ => None,
                };
                if let Some(c) = control {
                    sent.push(c);
                    tx.send(c).unwrap();
                }
            }
        });
        assert_eq!(sent.len(), 5);
        assert_eq!(
            spoken(&events),
            vec![0, 1, chapter2, chapter2 - 1, chapter2, chapter3]
        );
        assert!(outcome.stopped);
        assert!(out.inner.calls.iter().filter(|c| *c == "clear").count() >= 4);
    }

    #[test]
    fn a_speed_change_restarts_the_sentence_at_the_engines_own_rate() {
        let script = script();
        let mut out = Recorder::instant(TONE_RATE);
        let mut asked = false;
        let s = PlayerSettings {
            end: 3,
            ..settings(&script)
        };
        let (outcome, events) = run(&script, &mut out, &s, |e, tx| {
            if matches!(e, Event::Speaking { chunk: 1 }) && !asked {
                asked = true;
                tx.send(Control::Faster).unwrap();
                tx.send(Control::Faster).unwrap();
            }
        });
        assert!((outcome.speed - 1.2).abs() < 1e-6, "{}", outcome.speed);
        assert!(events.contains(&Event::Speed(1.2)));
        // The engine's own rate: 170 words per minute become 204, the pauses shorten.
        let at = |i, wpm, speed| expected_frames(&script, i, wpm, speed);
        assert!(at(1, 204, 1.2) < at(1, 170, 1.0));
        // Instant output: chunk 1 (and maybe 2) played before the change was heard, then
        // chunk 1 again at the new speed, and on.
        let total = out.samples.len() as u64;
        let before = at(0, 170, 1.0) + at(1, 170, 1.0);
        let after = at(1, 204, 1.2) + at(2, 204, 1.2);
        // The limiter's 5 ms look-ahead held at the seek is dropped with it.
        let held = (super::super::chain::LOOKAHEAD_MS * TONE_RATE as f64 / 1000.0).round() as u64;
        let either = [before + after, before + at(2, 170, 1.0) + after];
        assert!(
            either.iter().any(|&e| e.abs_diff(total + held) <= 1),
            "{total} + {held} vs {either:?}: {:?}",
            out.calls
        );
        let heard = spoken(&events);
        assert_eq!(heard.first(), Some(&0));
        assert_eq!(heard.last(), Some(&2));
    }

    #[test]
    fn pause_resume_and_cancel() {
        let script = script();
        let cancel = Cancel::new();
        let (tx, rx) = channel();
        let mut out = clocked(50);
        let mut events = Vec::new();
        let stop = cancel.clone();
        let outcome = play(
            speech(&script),
            pool(),
            &mut out,
            &settings(&script),
            &rx,
            &mut |e: &Event| {
                events.push(e.clone());
                match e {
                    Event::Speaking { chunk: 1 } => tx.send(Control::TogglePause).unwrap(),
                    Event::Paused(true) => tx.send(Control::TogglePause).unwrap(),
                    Event::Speaking { chunk: 2 } => stop.cancel(),
                    _ => {}
                }
            },
            &cancel,
        )
        .unwrap();
        assert!(outcome.stopped);
        assert!(events.contains(&Event::Paused(true)));
        assert!(events.contains(&Event::Paused(false)));
        assert_eq!(out.inner.calls.iter().filter(|c| *c == "pause").count(), 1);
        assert!(!events.contains(&Event::Finished));
    }

    #[test]
    fn a_failing_chunk_is_named() {
        let script = script();
        let broken = Arc::new(Speech::new(
            Arc::clone(&script),
            voice(),
            1.0,
            Arc::new(ToneBackend::new(170).failing_on("deuxième")),
            Arc::new(|_: &Voice| Ok(Box::new(ToneBackend::new(170)) as Box<dyn Backend>)),
            None,
            TONE_RATE,
        ));
        let (_tx, rx) = channel();
        let mut out = Recorder::instant(TONE_RATE);
        let err = play(
            broken,
            pool(),
            &mut out,
            &settings(&script),
            &rx,
            &mut |_: &Event| {},
            &Cancel::new(),
        )
        .unwrap_err();
        let text = format!("{err}");
        assert!(text.contains("line"), "{text}");
        assert!(std::error::Error::source(&err).is_some());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 24,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Any controls at any moment: heard chunks stay in the span, a seek is heard
        /// where it asked, the look-ahead stays bounded, and the run ends (finished, or
        /// stopped when it quit).
        #[test]
        fn any_controls_keep_the_player_in_bounds(
            steps in proptest::collection::vec((0u8..8, 0usize..20), 0..10),
            per_poll in 50u64..4000,
            start in 0usize..4,
        ) {
            let script = script();
            let n = script.chunks.len();
            let s = PlayerSettings {
                start: start.min(n - 1),
                ..settings(&script)
            };
            let mut out = clocked(per_poll);
            let mut next_step = 0;
            let mut sought: Option<usize> = None;
            let mut violations = Vec::new();
            let mut quit = false;
            let (outcome, events) = run(&script, &mut out, &s, |e, tx| {
                let Event::Speaking { chunk } = e else { return };
                if *chunk < s.start || *chunk >= n {
                    violations.push(format!("heard {chunk} outside {}..{n}", s.start));
                }
                if let Some(want) = sought.take() {
                    if *chunk != want {
                        violations.push(format!("asked for {want}, heard {chunk}"));
                    }
                }
                let Some(&(kind, arg)) = steps.get(next_step) else { return };
                next_step += 1;
                let controls: Vec<Control> = match kind {
                    0 => vec![Control::TogglePause, Control::TogglePause],
                    1 => vec![Control::NextSentence],
                    2 => vec![Control::PreviousSentence],
                    3 => vec![Control::NextChapter],
                    4 => vec![Control::PreviousChapter],
                    5 => vec![Control::Faster],
                    6 => {
                        sought = Some(arg.clamp(s.start, n - 1));
                        vec![Control::Seek(arg)]
                    }
                    _ => {
                        quit = true;
                        vec![Control::Quit]
                    }
                };
                for c in controls {
                    tx.send(c).unwrap();
                }
            });
            proptest::prop_assert!(violations.is_empty(), "{:?}", violations);
            proptest::prop_assert!(outcome.most_ahead <= s.ahead);
            if quit {
                proptest::prop_assert!(outcome.stopped);
            } else {
                proptest::prop_assert_eq!(events.last(), Some(&Event::Finished));
            }
        }
    }
}
