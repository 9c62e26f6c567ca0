//! Progress bars for one episode: chunks spoken while synthesizing, then audio time
//! mastered (as `12:34 / 1:05:00`, not raw samples).

use std::sync::Mutex;

use articast::episode::Observer;
use indicatif::ProgressBar;

use super::{clock, Ui};

/// Drives a bar per stage of one episode.
pub struct EpisodeProgress<'a> {
    ui: &'a Ui,
    bar: Mutex<Option<ProgressBar>>,
    /// Frames of one mastering pass and their rate.
    pass: Mutex<(u64, u32)>,
}

impl<'a> EpisodeProgress<'a> {
    /// No bar yet; one appears when a stage starts.
    pub fn new(ui: &'a Ui) -> EpisodeProgress<'a> {
        EpisodeProgress {
            ui,
            bar: Mutex::new(None),
            pass: Mutex::new((0, 1)),
        }
    }

    fn replace(&self, bar: ProgressBar) {
        if let Ok(mut slot) = self.bar.lock() {
            if let Some(old) = slot.replace(bar) {
                old.finish_and_clear();
            }
        }
    }

    fn with_bar(&self, f: impl FnOnce(&ProgressBar)) {
        if let Ok(slot) = self.bar.lock() {
            if let Some(bar) = slot.as_ref() {
                f(bar);
            }
        }
    }

    /// Removes the bar.
    pub fn clear(&self) {
        if let Ok(mut slot) = self.bar.lock() {
            if let Some(bar) = slot.take() {
                bar.finish_and_clear();
            }
        }
    }
}

impl Observer for EpisodeProgress<'_> {
    fn synthesis_started(&self, chunks: usize, engine: &str) {
        let bar = self.ui.progress(chunks as u64, "speaking");
        bar.set_message(engine.to_string());
        self.replace(bar);
    }

    fn chunk_done(&self, done: usize) {
        self.with_bar(|bar| bar.set_position(done as u64));
    }

    fn mastering_started(&self, frames: u64, rate: u32) {
        if let Ok(mut pass) = self.pass.lock() {
            *pass = (frames, rate.max(1));
        }
        self.replace(self.ui.progress_with(frames, "mastering", "{msg}"));
    }

    fn mastered(&self, frames: u64) {
        let (pass, rate) = self.pass.lock().map(|p| *p).unwrap_or((0, 1));
        self.with_bar(|bar| {
            // Each pass covers the whole episode once more.
            if bar.position() + frames > bar.length().unwrap_or(0) {
                bar.inc_length(pass);
            }
            bar.inc(frames);
            let done = bar.position() as f64 / rate as f64;
            let total = bar.length().unwrap_or(0) as f64 / rate as f64;
            bar.set_message(format!("{} / {} of audio", clock(done), clock(total)));
        });
    }
}
