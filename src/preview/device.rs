//! The sound device, through rodio (the `preview` feature; on Linux, ALSA).
//!
//! The player's samples go to a shared queue that a rodio source drains in small
//! blocks on the device's thread; the source plays silence when the queue is empty or
//! paused, so the device never stops and a seek is heard within one block. What it has
//! taken from the queue is what [`AudioOut::played`] counts.

use std::collections::VecDeque;
use std::num::NonZero;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::output::AudioOut;

/// Samples the device's source takes from the queue at a time (about 12 ms at 22 kHz).
const BLOCK: usize = 256;

struct Shared {
    queue: Mutex<VecDeque<f32>>,
    played: AtomicU64,
    paused: AtomicBool,
}

/// The rodio source: the queue, block by block, silence when there is none.
struct Feed {
    shared: Arc<Shared>,
    rate: NonZero<u32>,
    block: Vec<f32>,
    at: usize,
}

impl Iterator for Feed {
    type Item = rodio::Sample;

    fn next(&mut self) -> Option<rodio::Sample> {
        if self.at >= self.block.len() {
            self.block.clear();
            self.at = 0;
            if !self.shared.paused.load(Ordering::Relaxed) {
                let mut queue = self.shared.queue.lock().unwrap_or_else(|p| p.into_inner());
                let n = queue.len().min(BLOCK);
                self.block.extend(queue.drain(..n));
                self.shared.played.fetch_add(n as u64, Ordering::Relaxed);
            }
            if self.block.is_empty() {
                self.block.resize(BLOCK, 0.0);
            }
        }
        let s = self.block[self.at];
        self.at += 1;
        Some(s as rodio::Sample)
    }
}

impl rodio::Source for Feed {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> rodio::ChannelCount {
        NonZero::new(1).expect("one is not zero")
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        self.rate
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

/// The default sound device.
pub struct DeviceOut {
    shared: Arc<Shared>,
    rate: u32,
    _sink: rodio::MixerDeviceSink,
}

/// Why the sound device could not be opened.
#[derive(Debug, thiserror::Error)]
#[error("no sound device could be opened: {source}")]
pub struct NoDevice {
    /// rodio's reason.
    #[source]
    pub source: rodio::DeviceSinkError,
}

impl DeviceOut {
    /// Opens the default device; samples will be queued at `rate` (rodio converts to
    /// the device's rate).
    pub fn open(rate: u32) -> Result<DeviceOut, NoDevice> {
        let mut sink =
            rodio::DeviceSinkBuilder::open_default_sink().map_err(|source| NoDevice { source })?;
        sink.log_on_drop(false);
        let shared = Arc::new(Shared {
            queue: Mutex::new(VecDeque::new()),
            played: AtomicU64::new(0),
            paused: AtomicBool::new(false),
        });
        sink.mixer().add(Feed {
            shared: Arc::clone(&shared),
            rate: NonZero::new(rate.max(1)).expect("a positive rate"),
            block: Vec::new(),
            at: 0,
        });
        Ok(DeviceOut {
            shared,
            rate,
            _sink: sink,
        })
    }

    fn queue_len(&self) -> usize {
        self.shared
            .queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .len()
    }
}

impl AudioOut for DeviceOut {
    fn sample_rate(&self) -> u32 {
        self.rate
    }

    fn queue(&mut self, samples: &[f32]) -> std::io::Result<()> {
        self.shared
            .queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(samples.iter().copied());
        Ok(())
    }

    fn pending(&self) -> u64 {
        self.queue_len() as u64
    }

    fn played(&self) -> u64 {
        self.shared.played.load(Ordering::Relaxed)
    }

    fn clear(&mut self) {
        self.shared
            .queue
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    fn set_paused(&mut self, paused: bool) {
        self.shared.paused.store(paused, Ordering::Relaxed);
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.set_paused(false);
        while self.queue_len() > 0 {
            std::thread::sleep(Duration::from_millis(10));
        }
        // What the device buffers after the queue (rodio's default is 100 ms).
        std::thread::sleep(Duration::from_millis(150));
        Ok(())
    }
}
