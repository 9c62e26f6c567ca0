//! Loudness: measurement to ITU-R BS.1770 / EBU R128 (crate `ebur128`: integrated
//! loudness and true peak), and the processing that lands an episode on a target: a
//! static gain followed by a look-ahead peak limiter.
//!
//! The limiter computes, for every frame, the gain that keeps it under the ceiling, takes
//! the minimum over a look-ahead window, and smooths that with a moving average of the
//! same length. Because every window that the average covers contains the peak, the
//! smoothed gain at a peak is never above what the peak needs: no overshoot, no clicks.
//! After a reduction the gain recovers with a 20 ms release, so that the limiter does
//! not follow the voice's individual glottal pulses (which would distort it).

use std::collections::VecDeque;

use ebur128::{EbuR128, Mode};
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

/// Sane targets: quieter than −40 LUFS is inaudible next to other shows, louder than
/// −5 LUFS is destroyed by limiting.
pub const TARGET_RANGE_LUFS: std::ops::RangeInclusive<f64> = -40.0..=-5.0;
/// Sane true-peak ceilings.
pub const PEAK_RANGE_DBTP: std::ops::RangeInclusive<f64> = -9.0..=0.0;

/// Measured loudness.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Loudness {
    /// Integrated loudness, LUFS (−70 for silence).
    pub integrated_lufs: f64,
    /// True peak, dBTP.
    pub true_peak_dbtp: f64,
}

/// A loudness meter over interleaved blocks.
pub struct Meter {
    inner: EbuR128,
    channels: u32,
}

impl Meter {
    /// A meter of integrated loudness and true peak for `channels` at `rate`.
    pub fn new(channels: u16, rate: u32) -> Meter {
        Meter::with_mode(channels, rate, Mode::I | Mode::TRUE_PEAK)
    }

    /// A meter of integrated loudness only: true-peak scanning oversamples four times and
    /// costs most of the meter's time, so passes that only steer the gain skip it.
    pub fn integrated_only(channels: u16, rate: u32) -> Meter {
        Meter::with_mode(channels, rate, Mode::I)
    }

    fn with_mode(channels: u16, rate: u32, mode: Mode) -> Meter {
        Meter {
            inner: EbuR128::new(channels as u32, rate, mode)
                .expect("1 or 2 channels at 8-192 kHz are supported"),
            channels: channels as u32,
        }
    }

    /// Adds interleaved frames.
    pub fn add(&mut self, interleaved: &[f32]) {
        // Only fails on a length that is not a multiple of the channel count.
        let _ = self.inner.add_frames_f32(interleaved);
    }

    /// The loudness of everything added.
    pub fn loudness(&self) -> Loudness {
        let integrated = self.inner.loudness_global().unwrap_or(f64::NEG_INFINITY);
        let peak = (0..self.channels)
            .filter_map(|c| self.inner.true_peak(c).ok())
            .fold(0.0f64, f64::max);
        Loudness {
            integrated_lufs: if integrated.is_finite() {
                integrated
            } else {
                -70.0
            },
            true_peak_dbtp: if peak > 0.0 {
                20.0 * peak.log10()
            } else {
                -120.0
            },
        }
    }
}

/// Static gain then look-ahead limiting, over interleaved blocks. Output is delayed by
/// the look-ahead internally; [`Processor::finish`] drains it, so the total number of
/// frames out equals the number in.
pub struct Processor {
    channels: usize,
    gain: f32,
    ceiling: f32,
    lookahead: usize,
    /// Frames waiting for their gain (already multiplied by `gain`), a ring of
    /// `lookahead` frames.
    delay: Vec<f32>,
    /// Sliding minimum of required gains: (frame number, gain).
    minima: VecDeque<(u64, f32)>,
    /// The last `lookahead` windowed minima (a ring), their sum, and how many are below 1.
    window: Vec<f32>,
    window_sum: f64,
    window_below: usize,
    /// Frames pushed, real and padding.
    pushed: u64,
    /// Real frames pushed.
    real: u64,
    /// Frames output.
    emitted: u64,
    /// Per-frame recovery factor after a reduction (the release).
    release: f32,
    /// The gain applied to the previous frame.
    last_gain: f32,
    /// The smallest gain the limiter applied (1.0: it never acted).
    pub min_gain: f32,
}

/// How long the limiter takes to recover after a reduction: longer than a glottal period
/// (so the gain does not follow the waveform), short enough not to dull the syllables
/// around a peak. Longer releases cost loudness that more gain, and more limiting, must
/// then make up.
const RELEASE_MS: f64 = 20.0;

impl Processor {
    /// `gain_db` of static gain, then peaks held under `ceiling_db` (sample peak) with
    /// `lookahead_ms` of look-ahead.
    pub fn new(
        channels: u16,
        rate: u32,
        gain_db: f64,
        ceiling_db: f64,
        lookahead_ms: f64,
    ) -> Processor {
        let lookahead = ((lookahead_ms / 1000.0 * rate as f64).round() as usize).max(1);
        Processor {
            channels: channels as usize,
            gain: 10f64.powf(gain_db / 20.0) as f32,
            ceiling: 10f64.powf(ceiling_db / 20.0) as f32,
            lookahead,
            delay: vec![0.0; lookahead * channels as usize],
            minima: VecDeque::new(),
            window: vec![1.0; lookahead],
            window_sum: lookahead as f64,
            window_below: 0,
            pushed: 0,
            real: 0,
            emitted: 0,
            release: (1.0 - (-1.0 / (RELEASE_MS / 1000.0 * rate as f64)).exp()) as f32,
            last_gain: 1.0,
            min_gain: 1.0,
        }
    }

    /// Queues one frame (already scaled) needing at most `required` gain, and emits the
    /// frame whose look-ahead window is now complete.
    fn push(&mut self, frame: impl Iterator<Item = f32>, required: f32, out: &mut Vec<f32>) {
        let n = self.pushed;
        self.pushed += 1;
        // The delay line is a ring of `lookahead` frames: frame n overwrites frame n - L,
        // which was emitted one push earlier.
        let slot = (n % self.lookahead as u64) as usize * self.channels;
        for (dst, v) in self.delay[slot..slot + self.channels].iter_mut().zip(frame) {
            *dst = v;
        }
        // Only reductions are tracked: a window with none has minimum 1. Most frames
        // need none, which keeps this loop cheap.
        if required < 1.0 {
            while self.minima.back().is_some_and(|&(_, g)| g >= required) {
                self.minima.pop_back();
            }
            self.minima.push_back((n, required));
        }
        if n + 1 < self.lookahead as u64 {
            return;
        }
        // Frame k = n + 1 - L now has its whole window [k, n]: e[k] is its minimum.
        let k = n + 1 - self.lookahead as u64;
        while self.minima.front().is_some_and(|&(i, _)| i < k) {
            self.minima.pop_front();
        }
        let e = self.minima.front().map_or(1.0, |&(_, g)| g);
        let g = if e == 1.0 && self.window_below == 0 && self.last_gain == 1.0 {
            // Nothing to limit anywhere in sight: the window holds only ones, and
            // rotating it would change nothing.
            1.0
        } else {
            // The window is a ring too: e[k] replaces e[k - L] in the same slot.
            let w = (k % self.lookahead as u64) as usize;
            let old = self.window[w];
            self.window_below -= usize::from(old < 1.0);
            self.window_below += usize::from(e < 1.0);
            self.window_sum += e as f64 - old as f64;
            self.window[w] = e;
            // The mean of e[k-L+1..=k]: every one of those windows contains frame k.
            let averaged = ((self.window_sum / self.lookahead as f64) as f32).clamp(0.0, 1.0);
            // Down at once (the look-ahead already smoothed the attack), up slowly; never
            // above what the look-ahead allows, so the ceiling still holds.
            let recovered = self.last_gain + (1.0 - self.last_gain) * self.release;
            let g = averaged.min(recovered);
            // Snap the tail of the release, so the fast path resumes.
            if g > 0.99999 && self.window_below == 0 {
                self.window_sum = self.lookahead as f64;
                1.0
            } else {
                g
            }
        };
        self.last_gain = g;
        let emit = k < self.real;
        if emit {
            self.min_gain = self.min_gain.min(g);
            self.emitted += 1;
        }
        if emit {
            let slot = (k % self.lookahead as u64) as usize * self.channels;
            for &s in &self.delay[slot..slot + self.channels] {
                // The clamp only catches rounding in the running sum.
                out.push((s * g).clamp(-self.ceiling, self.ceiling));
            }
        }
    }

    /// Processes interleaved `input`, appending whatever is ready to `out`.
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) {
        out.reserve(input.len());
        for frame in input.chunks_exact(self.channels) {
            let gain = self.gain;
            let peak = frame.iter().fold(0f32, |m, s| m.max((s * gain).abs()));
            let required = if peak > self.ceiling {
                self.ceiling / peak
            } else {
                1.0
            };
            self.real += 1;
            self.push(frame.iter().map(|s| s * gain), required, out);
        }
    }

    /// Drains the look-ahead: silence (needing no reduction) pushes the last frames out.
    pub fn finish(&mut self, out: &mut Vec<f32>) {
        while self.emitted < self.real {
            let channels = self.channels;
            self.push(std::iter::repeat_n(0.0, channels), 1.0, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(amp: f32, rate: u32, secs: f32) -> Vec<f32> {
        (0..(rate as f32 * secs) as usize)
            .map(|i| (2.0 * std::f32::consts::PI * 997.0 * i as f32 / rate as f32).sin() * amp)
            .collect()
    }

    #[test]
    fn meter_reads_a_reference_tone() {
        // A full-scale 997 Hz sine in one channel measures −3.01 LUFS.
        let mut m = Meter::new(1, 48000);
        m.add(&tone(1.0, 48000, 5.0));
        let l = m.loudness();
        assert!(
            (l.integrated_lufs + 3.01).abs() < 0.05,
            "{}",
            l.integrated_lufs
        );
        assert!(l.true_peak_dbtp.abs() < 0.1, "{}", l.true_peak_dbtp);
    }

    #[test]
    fn limiter_keeps_frame_count_and_ceiling() {
        let input = tone(0.9, 8000, 1.0);
        let mut p = Processor::new(1, 8000, 6.0, -6.0, 5.0);
        let mut out = Vec::new();
        for block in input.chunks(333) {
            p.process(block, &mut out);
        }
        p.finish(&mut out);
        assert_eq!(out.len(), input.len());
        let ceiling = 10f32.powf(-6.0 / 20.0);
        assert!(
            out.iter().all(|s| s.abs() <= ceiling + 1e-4),
            "peak {}",
            out.iter().fold(0f32, |m, s| m.max(s.abs()))
        );
        // Still loud: the limiter only shaves peaks.
        let rms = (out.iter().map(|s| s * s).sum::<f32>() / out.len() as f32).sqrt();
        assert!(rms > 0.3, "{rms}");
    }

    #[test]
    fn quiet_audio_passes_with_gain_only() {
        let input = tone(0.1, 8000, 0.5);
        let mut p = Processor::new(1, 8000, 6.0206, -1.0, 5.0);
        let mut out = Vec::new();
        p.process(&input, &mut out);
        p.finish(&mut out);
        assert_eq!(out.len(), input.len());
        for (a, b) in input.iter().zip(&out) {
            assert!((a * 2.0 - b).abs() < 1e-4);
        }
    }
}
