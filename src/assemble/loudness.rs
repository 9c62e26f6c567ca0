//! Loudness figures: the target an episode is mastered to and what was measured. The
//! meters and the dynamics that get there are in [`crate::master`].

use serde::{Deserialize, Serialize};

/// Where an episode's loudness should land.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LoudnessTarget {
    /// Integrated loudness, LUFS (podcast default −16).
    pub integrated_lufs: f64,
    /// Highest true peak, dBTP (default −1).
    pub true_peak_dbtp: f64,
}

impl Default for LoudnessTarget {
    fn default() -> Self {
        LoudnessTarget {
            integrated_lufs: -16.0,
            true_peak_dbtp: -1.0,
        }
    }
}

/// Measured loudness.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Loudness {
    /// Integrated loudness, LUFS (−70 for silence).
    pub integrated_lufs: f64,
    /// True peak, dBTP.
    pub true_peak_dbtp: f64,
}
