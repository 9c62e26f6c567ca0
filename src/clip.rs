//! The clip: mono audio for one chunk, as a backend returns it and the cache keeps it.
//! A leaf, so that the cache, the assembler and the backends share it without importing
//! each other.

/// Mono audio for one chunk, straight from a backend.
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    /// Samples in [-1, 1].
    pub samples: Vec<f32>,
    /// Samples per second.
    pub sample_rate: u32,
}

impl Clip {
    /// Length in seconds.
    pub fn duration_secs(&self) -> f64 {
        self.samples.len() as f64 / self.sample_rate.max(1) as f64
    }
}
