//! Terminal playback for `articast preview` (the `preview` feature): the sound device,
//! and what the listener sees and presses.
//!
//! On a terminal, the keys drive the player in raw mode (restored on exit, on Ctrl-C
//! and on panic) and one status line shows the chapter, the sentence being spoken as
//! written, the time and the speed. Without a terminal (piped, CI) the article plays
//! straight through and each sentence is printed as a line when it starts.

use std::sync::Arc;

use anyhow::Result;
use articast::preview::player::ChunkSource;
use articast::preview::{Outcome, PlayerSettings};

use super::Ui;

/// Plays on the default sound device.
#[cfg(feature = "preview")]
pub fn play(
    speech: &Arc<dyn ChunkSource>,
    pool: Arc<rayon::ThreadPool>,
    settings: &PlayerSettings,
    ui: &Ui,
    rate: u32,
    json: bool,
    name: &str,
) -> Result<Outcome> {
    use std::io::IsTerminal;

    use anyhow::Context;

    use articast::preview::device::DeviceOut;

    let mut out = DeviceOut::open(rate).map_err(|e| {
        anyhow::anyhow!(
            "{e}; check that a sound device is connected and not used by another program (ALSA: `aplay -l` lists them), or write what would play with --out preview.wav"
        )
    })?;
    let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if interactive && !ui.is_quiet() {
        keys::run(speech, pool, &mut out, settings).with_context(|| name.to_string())
    } else {
        let (_controls, rx) = std::sync::mpsc::channel();
        let script = speech.script();
        let mut say = |e: &articast::preview::Event| {
            if let articast::preview::Event::Speaking { chunk } = e {
                if ui.is_quiet() {
                    return;
                }
                let text = &script.chunks[*chunk].written;
                // Lines go to stdout, unless it carries the JSON summary.
                if json {
                    eprintln!("{text}");
                } else {
                    println!("{text}");
                }
            }
        };
        articast::preview::play(
            speech.clone(),
            pool,
            &mut out,
            settings,
            &rx,
            &mut say,
            super::cancel(),
        )
        .with_context(|| name.to_string())
    }
}

/// Without the `preview` feature there is no sound device: the command refuses before
/// reading the article (see [`super::preview::NO_PLAYBACK`]).
#[cfg(not(feature = "preview"))]
pub fn play(
    _speech: &Arc<dyn ChunkSource>,
    _pool: Arc<rayon::ThreadPool>,
    _settings: &PlayerSettings,
    _ui: &Ui,
    _rate: u32,
    _json: bool,
    _name: &str,
) -> Result<Outcome> {
    anyhow::bail!(super::preview::NO_PLAYBACK)
}

#[cfg(feature = "preview")]
mod keys {
    //! Raw-mode keys and the status line.

    use std::io::Write;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc::Sender;
    use std::sync::Arc;
    use std::time::Duration;

    use anyhow::Result;
    use articast::preview::device::DeviceOut;
    use articast::preview::player::ChunkSource;
    use articast::preview::{Control, Event, Outcome, PlayerSettings};
    use crossterm::event::{self, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
    use crossterm::terminal;

    use crate::commands::clock;

    const HELP: &str = "space pause · ←/→ sentence · ↑/↓ chapter · +/- speed · q quit";

    /// Raw mode for as long as it lives; restored on drop and on panic.
    struct RawMode;

    impl RawMode {
        fn enter() -> Result<RawMode> {
            terminal::enable_raw_mode()?;
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                let _ = terminal::disable_raw_mode();
                eprintln!();
                previous(info);
            }));
            Ok(RawMode)
        }
    }

    impl Drop for RawMode {
        fn drop(&mut self) {
            let _ = terminal::disable_raw_mode();
            eprintln!();
        }
    }

    /// What a key asks, if anything; Ctrl-C also marks the run interrupted.
    fn control_of(key: KeyEvent, interrupted: &AtomicBool) -> Option<Control> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        Some(match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                interrupted.store(true, Ordering::SeqCst);
                Control::Quit
            }
            KeyCode::Char(' ') | KeyCode::Char('p') => Control::TogglePause,
            KeyCode::Right => Control::NextSentence,
            KeyCode::Left => Control::PreviousSentence,
            KeyCode::Down => Control::NextChapter,
            KeyCode::Up => Control::PreviousChapter,
            KeyCode::Char('+') | KeyCode::Char('=') => Control::Faster,
            KeyCode::Char('-') | KeyCode::Char('_') => Control::Slower,
            KeyCode::Char('q') | KeyCode::Esc => Control::Quit,
            _ => return None,
        })
    }

    /// Reads keys until `done`, sending what they ask.
    fn read_keys(tx: Sender<Control>, done: Arc<AtomicBool>, interrupted: Arc<AtomicBool>) {
        while !done.load(Ordering::SeqCst) {
            match event::poll(Duration::from_millis(100)) {
                Ok(true) => {
                    if let Ok(event::Event::Key(key)) = event::read() {
                        if let Some(c) = control_of(key, &interrupted) {
                            if tx.send(c).is_err() {
                                return;
                            }
                        }
                    }
                }
                Ok(false) => {}
                Err(_) => return,
            }
        }
    }

    /// The status line's state.
    struct Status<'a> {
        speech: &'a dyn ChunkSource,
        chunk: Option<usize>,
        elapsed: f64,
        total: f64,
        estimated: bool,
        paused: bool,
        speed: f32,
        waiting: bool,
    }

    impl Status<'_> {
        fn draw(&self) {
            let script = self.speech.script();
            // A terminal that does not say its size gets 80 columns.
            let width = match terminal::size() {
                Ok((w, _)) if w >= 20 => w as usize,
                _ => 80,
            };
            let (chapter, text) = match self.chunk.and_then(|c| script.chunks.get(c)) {
                Some(c) => {
                    let title = script
                        .chapters
                        .get(c.chapter)
                        .map_or(String::new(), |ch| ch.title.clone());
                    (
                        format!("{}/{} {title}", c.chapter + 1, script.chapters.len()),
                        c.written.clone(),
                    )
                }
                None => (String::new(), String::new()),
            };
            let state = if self.paused {
                "paused"
            } else if self.waiting {
                "…"
            } else {
                "▶"
            };
            let line = format!(
                "{state} {} / {}{} ×{:.1} [{chapter}] {text}",
                clock(self.elapsed),
                if self.estimated { "~" } else { "" },
                clock(self.total),
                self.speed
            );
            let shown: String = line.chars().take(width - 1).collect();
            let mut err = std::io::stderr();
            let _ = write!(err, "\r\x1b[2K{shown}");
            let _ = err.flush();
        }
    }

    /// Plays with keys and a status line.
    pub fn run(
        speech: &Arc<dyn ChunkSource>,
        pool: Arc<rayon::ThreadPool>,
        out: &mut DeviceOut,
        settings: &PlayerSettings,
    ) -> Result<Outcome> {
        eprintln!("{HELP}");
        let raw = RawMode::enter()?;
        let (tx, rx) = std::sync::mpsc::channel();
        let done = Arc::new(AtomicBool::new(false));
        let interrupted = Arc::new(AtomicBool::new(false));
        let reader = {
            let (done, interrupted) = (Arc::clone(&done), Arc::clone(&interrupted));
            std::thread::spawn(move || read_keys(tx, done, interrupted))
        };
        let mut status = Status {
            speech: speech.as_ref(),
            chunk: None,
            elapsed: 0.0,
            total: 0.0,
            estimated: true,
            paused: false,
            speed: settings.speed,
            waiting: false,
        };
        let outcome = articast::preview::play(
            speech.clone(),
            pool,
            out,
            settings,
            &rx,
            &mut |e| {
                match e {
                    Event::Speaking { chunk } => {
                        status.chunk = Some(*chunk);
                        status.waiting = false;
                    }
                    Event::Position {
                        elapsed_secs,
                        total_secs,
                        estimated,
                        ..
                    } => {
                        status.elapsed = *elapsed_secs;
                        status.total = *total_secs;
                        status.estimated = *estimated;
                    }
                    Event::Paused(p) => status.paused = *p,
                    Event::Speed(s) => status.speed = *s,
                    Event::Waiting => status.waiting = true,
                    Event::Finished => {}
                }
                status.draw();
            },
            crate::commands::cancel(),
        );
        done.store(true, Ordering::SeqCst);
        let _ = reader.join();
        drop(raw);
        if interrupted.load(Ordering::SeqCst) {
            crate::commands::cancel().cancel();
        }
        Ok(outcome?)
    }
}
