//! What the preview plays of one chunk, prepared on the pool: the clip from the cache or
//! the backend (the same lookup as the render, so each reuses what the other made),
//! trimmed and resampled exactly as the episode places it, and its K-weighted energy
//! for the running loudness estimate. Each speed has its own backend, built on first
//! use from the voice at that speed (the engine's own rate, never resampling).

use std::sync::{Arc, Mutex};

use crate::assemble::store::trimmed_at;
use crate::cache::ClipCache;
use crate::meter::{BinMeter, EnergyBins};
use crate::render::clip_for;
use crate::script::Script;
use crate::synth::{Backend, SynthError};
use crate::voice::Voice;

use super::PreviewError;

/// Builds the backend of a voice at another speed.
pub type BuildBackend = dyn Fn(&Voice) -> Result<Box<dyn Backend>, SynthError> + Send + Sync;

/// Backends by speed (per mille).
type BySpeed = Vec<(u32, Arc<dyn Backend>)>;

/// One chunk ready to play.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The speech, at the preview rate, mono, before gain.
    pub samples: Vec<f32>,
    /// Its K-weighted energy, metered from frame 0.
    pub bins: EnergyBins,
    /// Whether the clip came from the cache.
    pub cached: bool,
}

/// The speech source of a preview.
pub struct Speech {
    script: Arc<Script>,
    voice: Voice,
    build: Arc<BuildBackend>,
    /// Backends by speed (per mille), the first the voice's own (speed 1); shared with
    /// the speech of a revised script.
    backends: Arc<Mutex<BySpeed>>,
    /// The speed of each generation of the prefetcher.
    speeds: Mutex<Vec<f32>>,
    cache: Option<Arc<ClipCache>>,
    rate: u32,
}

fn per_mille(speed: f32) -> u32 {
    (speed * 1000.0).round() as u32
}

impl Speech {
    /// Speech for `script` by `voice` (as its file says), whose backend at speed 1 is
    /// `backend`, starting at `speed`; other speeds get backends built with `build`
    /// from [`Voice::at_speed`]. Clips are shaped to `rate`.
    pub fn new(
        script: Arc<Script>,
        voice: Voice,
        speed: f32,
        backend: Arc<dyn Backend>,
        build: Arc<BuildBackend>,
        cache: Option<Arc<ClipCache>>,
        rate: u32,
    ) -> Speech {
        Speech {
            script,
            voice,
            build,
            backends: Arc::new(Mutex::new(vec![(per_mille(1.0), backend)])),
            speeds: Mutex::new(vec![speed]),
            cache,
            rate,
        }
    }

    /// The same voice, backends and cache speaking `script` (a revised one), from
    /// `speed`.
    pub fn with_script(&self, script: Arc<Script>, speed: f32) -> Speech {
        Speech {
            script,
            voice: self.voice.clone(),
            build: Arc::clone(&self.build),
            backends: Arc::clone(&self.backends),
            speeds: Mutex::new(vec![speed]),
            cache: self.cache.clone(),
            rate: self.rate,
        }
    }

    /// The sample rate of what it prepares.
    pub fn sample_rate(&self) -> u32 {
        self.rate
    }

    /// The script spoken.
    pub fn script(&self) -> &Script {
        &self.script
    }

    /// Starts a new generation at `speed`; returns its number.
    pub fn push_speed(&self, speed: f32) -> u64 {
        let mut speeds = self.speeds.lock().unwrap_or_else(|p| p.into_inner());
        speeds.push(speed);
        (speeds.len() - 1) as u64
    }

    /// The speed of `generation`.
    pub fn speed_of(&self, generation: u64) -> f32 {
        let speeds = self.speeds.lock().unwrap_or_else(|p| p.into_inner());
        speeds
            .get(generation as usize)
            .or(speeds.last())
            .copied()
            .unwrap_or(1.0)
    }

    fn backend_at(&self, speed: f32) -> Result<Arc<dyn Backend>, SynthError> {
        let key = per_mille(speed);
        let mut backends = self.backends.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, b)) = backends.iter().find(|(k, _)| *k == key) {
            return Ok(Arc::clone(b));
        }
        // Built under the lock: the chunks of a new speed wait for one backend. The
        // voice at this speed is made only here, not for every chunk.
        let backend: Arc<dyn Backend> = Arc::from((self.build)(&self.voice.at_speed(speed))?);
        backends.push((key, Arc::clone(&backend)));
        Ok(backend)
    }

    /// Prepares chunk `index` at the speed of `generation`.
    pub fn prepare(&self, index: usize, generation: u64) -> Result<Prepared, PreviewError> {
        let chunk = &self.script.chunks[index];
        let fail = |source: Box<dyn std::error::Error + Send + Sync>| {
            PreviewError::Chunk(crate::render::ChunkError::new(chunk, source))
        };
        let speed = self.speed_of(generation);
        let backend = self.backend_at(speed).map_err(|e| fail(Box::new(e)))?;
        let (clip, cached) = clip_for(
            chunk,
            self.script.language,
            backend.as_ref(),
            self.cache.as_deref(),
        )
        .map_err(|e| fail(Box::new(e)))?;
        let samples = trimmed_at(index, &clip, self.rate).map_err(|e| fail(Box::new(e)))?;
        let mut meter = BinMeter::new(1, self.rate, 0);
        meter.add(&samples);
        Ok(Prepared {
            bins: meter.finish(),
            samples,
            cached,
        })
    }
}
