//! True peak as BS.1770-4 Annex 2 measures it: the signal upsampled four times with a
//! windowed-sinc interpolator (49 taps) and its largest magnitude taken, so that the
//! peaks a player's reconstruction filter makes between samples are counted.
//!
//! Most of a mastered episode is far below its ceiling, and an interpolated value can
//! exceed the samples around it at most by the filter's gain (the sum of its taps'
//! magnitudes). So a stretch whose samples, times that gain, cannot beat the largest
//! peak found so far is skipped without interpolating: the measurement is exact, and
//! several times cheaper than interpolating everything.

/// Oversampling factor for rates under 96 kHz (the standard's 4x); 2x up to 192 kHz.
fn factor_for(rate: u32) -> usize {
    if rate < 96_000 {
        4
    } else {
        2
    }
}

/// Taps per phase.
const TAPS_PER_PHASE: usize = 12;
/// Samples examined per stretch when deciding whether to interpolate.
const STRETCH: usize = 64;

/// The 4x interpolator of the standard, for limiters that look at true peaks.
#[derive(Debug, Clone)]
pub struct Interpolator {
    phases: Vec<[f32; TAPS_PER_PHASE]>,
    /// The most an interpolated value can exceed the largest of the samples it is made
    /// of.
    pub gain: f32,
}

/// Samples an interpolated point is made of.
pub const INTERPOLATION_TAPS: usize = TAPS_PER_PHASE;

impl Interpolator {
    /// The interpolator for audio at `rate`.
    pub fn new(rate: u32) -> Interpolator {
        let m = TruePeak::new(rate);
        Interpolator {
            phases: m.phases,
            gain: m.gain,
        }
    }

    /// The largest magnitude between the middle samples of `window`, the last
    /// [`INTERPOLATION_TAPS`] samples, oldest first.
    pub fn peak_of_window(&self, window: &[f32; INTERPOLATION_TAPS]) -> f32 {
        window_peak(&self.phases, window)
    }
}

/// The largest magnitude the sub-filters `phases` make from `window`, the last
/// [`TAPS_PER_PHASE`] samples: of fixed length, with four running sums per phase, so
/// that the compiler turns it into vector multiplies.
fn window_peak(phases: &[[f32; TAPS_PER_PHASE]], window: &[f32; TAPS_PER_PHASE]) -> f32 {
    let mut peak = 0f32;
    for sub in phases {
        let mut lanes = [0f32; 4];
        for (taps, samples) in sub.chunks_exact(4).zip(window.chunks_exact(4)) {
            for j in 0..4 {
                lanes[j] += taps[j] * samples[j];
            }
        }
        let y = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
        peak = peak.max(y.abs());
    }
    peak
}

/// A true-peak meter for one channel.
#[derive(Debug, Clone)]
pub struct TruePeak {
    /// `phases[p][k]`: tap `k` of the sub-filter for the `p`-th point between samples.
    phases: Vec<[f32; TAPS_PER_PHASE]>,
    /// The most an interpolated value can exceed the largest sample under the filter.
    gain: f32,
    history: Vec<f32>,
    peak: f32,
}

impl TruePeak {
    /// A meter for audio at `rate`.
    pub fn new(rate: u32) -> TruePeak {
        let factor = factor_for(rate);
        let len = TAPS_PER_PHASE * factor + 1;
        let centre = (len - 1) as f64 / 2.0;
        let taps: Vec<f64> = (0..len)
            .map(|n| {
                let x = (n as f64 - centre) / factor as f64;
                let sinc = if x == 0.0 {
                    1.0
                } else {
                    (std::f64::consts::PI * x).sin() / (std::f64::consts::PI * x)
                };
                let window =
                    0.5 * (1.0 - (2.0 * std::f64::consts::PI * n as f64 / (len - 1) as f64).cos());
                sinc * window
            })
            .collect();
        // Phase 0 is the samples themselves (the sinc's zeros fall on them); phases 1..
        // are the points between, each a sub-filter of every `factor`-th tap.
        let phases: Vec<[f32; TAPS_PER_PHASE]> = (1..factor)
            .map(|p| {
                let mut sub = [0f32; TAPS_PER_PHASE];
                for (k, tap) in sub.iter_mut().enumerate() {
                    *tap = taps.get(p + k * factor).copied().unwrap_or(0.0) as f32;
                }
                sub
            })
            .collect();
        let gain = phases
            .iter()
            .map(|sub| sub.iter().map(|t| t.abs()).sum::<f32>())
            .fold(1.0f32, f32::max);
        TruePeak {
            phases,
            gain,
            history: vec![0.0; TAPS_PER_PHASE],
            peak: 0.0,
        }
    }

    /// Adds consecutive samples of the channel.
    pub fn add(&mut self, samples: &[f32]) {
        for stretch in samples.chunks(STRETCH) {
            let sample_peak = stretch.iter().fold(0f32, |m, s| m.max(s.abs()));
            let recent = self.history.iter().fold(0f32, |m, s| m.max(s.abs()));
            self.peak = self.peak.max(sample_peak);
            if sample_peak.max(recent) * self.gain <= self.peak {
                // Nothing here can beat the peak found: keep the history and move on.
                self.push_history(stretch);
                continue;
            }
            // The history then the stretch, in one buffer: the window ending at each
            // sample is a slice of it, with nothing shifted per sample.
            let mut buf = [0f32; TAPS_PER_PHASE + STRETCH];
            buf[..TAPS_PER_PHASE].copy_from_slice(&self.history);
            buf[TAPS_PER_PHASE..TAPS_PER_PHASE + stretch.len()].copy_from_slice(stretch);
            for end in 1..=stretch.len() {
                let window: &[f32; TAPS_PER_PHASE] = buf[end..end + TAPS_PER_PHASE]
                    .try_into()
                    .expect("a window of TAPS samples");
                self.peak = self.peak.max(window_peak(&self.phases, window));
            }
            self.push_history(stretch);
        }
    }

    fn push_history(&mut self, stretch: &[f32]) {
        let n = stretch.len().min(TAPS_PER_PHASE);
        self.history.rotate_left(n);
        let keep = TAPS_PER_PHASE - n;
        self.history[keep..].copy_from_slice(&stretch[stretch.len() - n..]);
    }

    /// Lets the interpolator run over the samples after the last (silence), where the
    /// last peaks still ring.
    pub fn finish(mut self) -> f32 {
        self.add(&[0.0; TAPS_PER_PHASE]);
        self.peak
    }

    /// The true peak so far, linear.
    pub fn peak(&self) -> f32 {
        self.peak
    }
}

/// Converts a linear peak to dBTP (−120 for silence).
pub fn to_dbtp(peak: f32) -> f64 {
    if peak > 0.0 {
        20.0 * (peak as f64).log10()
    } else {
        -120.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(samples: &[f32], rate: u32) -> f64 {
        let mut m = ebur128::EbuR128::new(1, rate, ebur128::Mode::TRUE_PEAK).unwrap();
        m.add_frames_f32(samples).unwrap();
        to_dbtp(m.true_peak(0).unwrap() as f32)
    }

    fn noisy_speechlike(rate: u32, n: usize, seed: u64) -> Vec<f32> {
        let mut state = seed;
        (0..n)
            .map(|i| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let noise = (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
                let env = ((i as f32 / rate as f32) * 3.0).sin().abs();
                let tone = (i as f32 * 2.0 * std::f32::consts::PI * 3100.0 / rate as f32).sin();
                (noise * 0.6 + tone * 0.5) * env * 0.9
            })
            .collect()
    }

    #[test]
    fn agrees_with_an_independent_meter() {
        for rate in [22050, 44100, 48000] {
            let audio = noisy_speechlike(rate, rate as usize * 5, 5);
            let mut ours = TruePeak::new(rate);
            ours.add(&audio);
            let (ours, theirs) = (to_dbtp(ours.finish()), reference(&audio, rate));
            assert!((ours - theirs).abs() < 0.1, "{rate}: {ours} vs {theirs}");
        }
    }

    #[test]
    fn the_window_interpolator_is_the_plain_convolution() {
        let interpolator = Interpolator::new(22050);
        let samples = noisy_speechlike(22050, 4000, 7);
        for window in samples.windows(INTERPOLATION_TAPS).step_by(37) {
            let plain = interpolator
                .phases
                .iter()
                .map(|sub| {
                    let y: f64 = sub.iter().zip(window).map(|(t, h)| (t * h) as f64).sum();
                    y.abs()
                })
                .fold(0.0, f64::max);
            let fast = interpolator.peak_of_window(window.try_into().unwrap()) as f64;
            assert!((plain - fast).abs() < 1e-5, "{plain} vs {fast}");
        }
    }

    #[test]
    fn inter_sample_peaks_are_found() {
        // A quarter-rate sine sampled at 45° phase: samples at 0.707, true peak 1.0.
        let rate = 44100;
        let audio: Vec<f32> = (0..4000)
            .map(|i| (std::f32::consts::FRAC_PI_2 * i as f32 + std::f32::consts::FRAC_PI_4).sin())
            .collect();
        let mut m = TruePeak::new(rate);
        m.add(&audio);
        let sample_peak = audio.iter().fold(0f32, |a, s| a.max(s.abs()));
        let tp = m.finish();
        assert!(sample_peak < 0.71, "{sample_peak}");
        assert!((tp - 1.0).abs() < 0.02, "{tp}");
    }
}
