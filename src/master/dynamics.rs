//! Dynamics: the compressor that evens out speech's loudest moments, and the look-ahead
//! limiter that holds what is left under the ceiling.
//!
//! eSpeak NG's waveform is peaky: its peaks stand 20 dB and more above its loudness, so
//! reaching a podcast loudness under a −1 dBTP ceiling with a limiter alone takes up to
//! 9 dB off plosives, which flattens them audibly. The compressor comes first: a fast
//! peak detector (1 ms attack, 40 ms release, slower than a glottal period so it does not
//! follow the waveform) and a 4:1 ratio above a threshold 6 dB under the ceiling, with a
//! soft knee. The limiter then only catches what is left, a few dB at most, and it
//! limits true peaks: near the ceiling it looks between samples with the standard's 4x
//! interpolator, so that a heavily limited signal does not overshoot when a player
//! reconstructs it. Both start at
//! rest, so a clip that follows a pause is processed the same whether it is processed
//! alone or in the stream.

use std::collections::VecDeque;

/// Attack of the compressor's peak detector, seconds.
const ATTACK_SECS: f64 = 0.001;
/// Release of the compressor's peak detector, seconds.
const RELEASE_SECS: f64 = 0.040;
/// Compression ratio above the threshold.
const RATIO: f64 = 4.0;
/// Threshold under the limiter's ceiling, dB.
pub const THRESHOLD_UNDER_CEILING_DB: f64 = 6.0;
/// Width of the soft knee, dB.
const KNEE_DB: f64 = 6.0;
/// Frames between gain computations (the gain is interpolated in between).
const CONTROL_FRAMES: usize = 8;

/// A feed-forward peak compressor over interleaved frames.
#[derive(Debug, Clone)]
pub struct Compressor {
    channels: usize,
    attack: f32,
    release: f32,
    envelope: f32,
    /// Below this envelope nothing is reduced (the knee's start), linear.
    knee_start: f32,
    threshold_db: f64,
    /// The gain applied to the last frame, and the target it moves to.
    gain: f32,
    target: f32,
    step: f32,
    countdown: usize,
    /// The deepest reduction, as a gain (1.0: never acted).
    pub min_gain: f32,
}

impl Compressor {
    /// A compressor at rest whose threshold sits [`THRESHOLD_UNDER_CEILING_DB`] under
    /// `ceiling_db` (a sample ceiling, dBFS).
    pub fn new(channels: u16, rate: u32, ceiling_db: f64) -> Compressor {
        let coeff = |secs: f64| (-1.0 / (secs * rate as f64)).exp() as f32;
        let threshold_db = ceiling_db - THRESHOLD_UNDER_CEILING_DB;
        Compressor {
            channels: channels.max(1) as usize,
            attack: coeff(ATTACK_SECS),
            release: coeff(RELEASE_SECS),
            envelope: 0.0,
            knee_start: 10f64.powf((threshold_db - KNEE_DB / 2.0) / 20.0) as f32,
            threshold_db,
            gain: 1.0,
            target: 1.0,
            step: 0.0,
            countdown: 0,
            min_gain: 1.0,
        }
    }

    /// The gain the static curve asks for at envelope `e`.
    fn curve(&self, e: f32) -> f32 {
        if e <= self.knee_start {
            return 1.0;
        }
        let over = 20.0 * (e as f64).log10() - self.threshold_db;
        let slope = 1.0 - 1.0 / RATIO;
        let reduction_db = if over >= KNEE_DB / 2.0 {
            over * slope
        } else {
            slope * (over + KNEE_DB / 2.0).powi(2) / (2.0 * KNEE_DB)
        };
        10f64.powf(-reduction_db / 20.0) as f32
    }

    /// Compresses interleaved frames in place.
    pub fn process(&mut self, frames: &mut [f32]) {
        // Quiet stretches, where neither the signal nor the envelope reach the knee,
        // only move the envelope.
        let block_peak = frames.iter().fold(0f32, |m, s| m.max(s.abs()));
        if block_peak <= self.knee_start && self.envelope <= self.knee_start && self.gain >= 1.0 {
            let mut envelope = self.envelope;
            let (attack, release) = (self.attack, self.release);
            for frame in frames.chunks_exact(self.channels) {
                envelope = follow(envelope, frame, attack, release);
            }
            self.envelope = envelope;
            self.countdown = 0;
            self.target = 1.0;
            self.step = 0.0;
            return;
        }
        // The state in locals, so that it stays in registers through the loop.
        let (mut envelope, mut gain, mut target, mut step, mut countdown) = (
            self.envelope,
            self.gain,
            self.target,
            self.step,
            self.countdown,
        );
        let mut min_gain = self.min_gain;
        // In registers, so that picking one is a compare and a blend, not a load.
        let (attack, release) = (self.attack, self.release);
        for frame in frames.chunks_exact_mut(self.channels) {
            envelope = follow(envelope, frame, attack, release);
            if countdown == 0 {
                // A new target every few frames, reached by equal steps (no zipper).
                target = self.curve(envelope);
                step = (target - gain) / CONTROL_FRAMES as f32;
                countdown = CONTROL_FRAMES;
            }
            countdown -= 1;
            gain += step;
            if gain >= 1.0 && target >= 1.0 {
                gain = 1.0;
                continue;
            }
            min_gain = min_gain.min(gain);
            for s in frame.iter_mut() {
                *s *= gain;
            }
        }
        (
            self.envelope,
            self.gain,
            self.target,
            self.step,
            self.countdown,
        ) = (envelope, gain, target, step, countdown);
        self.min_gain = min_gain;
    }
}

/// The peak detector's envelope after `frame`: the one-pole step toward the frame's
/// peak, with the `attack` coefficient when the peak is above the envelope and `release`
/// otherwise. Written `peak + c·(envelope − peak)` so that the chain from one frame's
/// envelope to the next is a subtraction, a product and a sum (the choice of coefficient
/// runs beside the subtraction).
#[inline(always)]
fn follow(envelope: f32, frame: &[f32], attack: f32, release: f32) -> f32 {
    let peak = frame.iter().fold(0f32, |m, s| m.max(s.abs()));
    let c = if peak > envelope { attack } else { release };
    peak + c * (envelope - peak)
}

/// Static gain then look-ahead limiting, over interleaved blocks. Output is delayed by
/// the look-ahead internally; [`Limiter::finish`] drains it, so the total number of
/// frames out equals the number in.
pub struct Limiter {
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
    /// `pushed` modulo `lookahead`: the ring slot the next frame goes to, kept as it
    /// turns (a division per frame was a tenth of the limiter's time).
    ring_at: usize,
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
    /// Frames output with more than 1 dB taken off.
    pub frames_over_1db: u64,
    /// Interpolates between samples, so that the ceiling holds for true peaks.
    interpolator: crate::master::truepeak::Interpolator,
    /// The last gained samples of each channel, a ring written twice (slots `i` and
    /// `i + TAPS`), so that the last `TAPS` samples are always one contiguous window,
    /// `recent[c][recent_at..recent_at + TAPS]`, oldest first.
    recent: Vec<[f32; 2 * crate::master::truepeak::INTERPOLATION_TAPS]>,
    recent_at: usize,
    /// Frames left during which a loud sample is in `recent`.
    hot: usize,
    /// Scratch for [`Limiter::pass_run`]: the delay line in time order, then the run.
    line: Vec<f32>,
}

/// Frames the limiter looks at together for a run that passes untouched: short enough
/// that speech's quiet stretches between peaks are mostly made of such runs.
const RUN_FRAMES: usize = 128;

/// A gain 1 dB under unity.
const MINUS_ONE_DB: f32 = 0.891_250_9;

/// How long the limiter takes to recover after a reduction: longer than a glottal period
/// (so the gain does not follow the waveform), short enough not to dull the syllables
/// around a peak. Longer releases cost loudness that more gain, and more limiting, must
/// then make up.
const RELEASE_MS: f64 = 20.0;

impl Limiter {
    /// `gain_db` of static gain, then peaks held under `ceiling_db` (sample peak) with
    /// `lookahead_ms` of look-ahead.
    pub fn new(
        channels: u16,
        rate: u32,
        gain_db: f64,
        ceiling_db: f64,
        lookahead_ms: f64,
    ) -> Limiter {
        let lookahead = ((lookahead_ms / 1000.0 * rate as f64).round() as usize).max(1);
        Limiter {
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
            ring_at: 0,
            real: 0,
            emitted: 0,
            release: (1.0 - (-1.0 / (RELEASE_MS / 1000.0 * rate as f64)).exp()) as f32,
            last_gain: 1.0,
            min_gain: 1.0,
            frames_over_1db: 0,
            interpolator: crate::master::truepeak::Interpolator::new(rate),
            recent: vec![[0.0; 2 * crate::master::truepeak::INTERPOLATION_TAPS]; channels as usize],
            recent_at: 0,
            hot: 0,
            line: Vec::new(),
        }
    }

    /// The true peak (sample and between samples) near the frame just seen, of which
    /// `gained` is the channels scaled by the static gain.
    fn true_peak_of(&mut self, gained: &[f32], sample_peak: f32) -> f32 {
        let taps = crate::master::truepeak::INTERPOLATION_TAPS;
        let at = self.recent_at;
        for (c, &v) in gained.iter().enumerate() {
            // A ring: slot `at` holds the oldest sample, which this one replaces.
            self.recent[c][at] = v;
            self.recent[c][at + taps] = v;
        }
        self.recent_at = if at + 1 == taps { 0 } else { at + 1 };
        // Between samples a value can exceed its neighbours only by the filter's gain:
        // only while a sample that could lead there is among the last ones is anything
        // interpolated.
        if sample_peak * self.interpolator.gain > self.ceiling {
            self.hot = taps;
        }
        if self.hot == 0 {
            return sample_peak;
        }
        self.hot -= 1;
        let start = self.recent_at;
        let mut peak = sample_peak;
        for ring in &self.recent {
            let window: &[f32; crate::master::truepeak::INTERPOLATION_TAPS] = ring
                [start..start + taps]
                .try_into()
                .expect("a window of TAPS samples");
            peak = peak.max(self.interpolator.peak_of_window(window));
        }
        peak
    }

    /// Queues one frame (already scaled) needing at most `required` gain, and emits the
    /// frame whose look-ahead window is now complete.
    fn push(&mut self, frame: impl Iterator<Item = f32>, required: f32, out: &mut Vec<f32>) {
        let n = self.pushed;
        self.pushed += 1;
        // The delay line is a ring of `lookahead` frames: frame n overwrites frame n - L,
        // which was emitted one push earlier.
        let slot = self.ring_at * self.channels;
        // Frame n + 1 - L, emitted below, sits in the next slot (n + 1 ≡ n + 1 - L).
        let next = self.turn_ring();
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
            let w = next;
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
            if g > 0.9995 && self.window_below == 0 {
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
            self.frames_over_1db += u64::from(g < MINUS_ONE_DB);
            self.emitted += 1;
        }
        if emit {
            let slot = next * self.channels;
            for &s in &self.delay[slot..slot + self.channels] {
                // The clamp only catches rounding in the running sum.
                out.push((s * g).clamp(-self.ceiling, self.ceiling));
            }
        }
    }

    /// Moves the delay line's slot on by one frame and returns the new slot.
    fn turn_ring(&mut self) -> usize {
        self.ring_at = if self.ring_at + 1 == self.lookahead {
            0
        } else {
            self.ring_at + 1
        };
        self.ring_at
    }

    /// Whether nothing is being limited or recovering: frames under the ceiling then
    /// only pass through the delay line.
    fn at_rest(&self) -> bool {
        self.minima.is_empty()
            && self.window_below == 0
            && self.last_gain == 1.0
            && self.pushed >= self.lookahead as u64
    }

    /// Processes interleaved `input`, appending whatever is ready to `out`.
    pub fn process(&mut self, input: &[f32], out: &mut Vec<f32>) {
        out.reserve(input.len());
        for run in input.chunks(RUN_FRAMES * self.channels) {
            if !self.pass_run(run, out) {
                self.process_frames(run, out);
            }
        }
    }

    /// Passes a run of frames through the delay line at once when the limiter is at
    /// rest and nothing in the run, even between samples, can reach the ceiling:
    /// exactly what [`Limiter::process_frames`] does with such frames, without its
    /// per-frame bookkeeping. Returns whether it did.
    fn pass_run(&mut self, run: &[f32], out: &mut Vec<f32>) -> bool {
        if !self.at_rest() || self.hot != 0 {
            return false;
        }
        let peak = run.iter().fold(0f32, |m, s| m.max(s.abs())) * self.gain;
        if peak > self.ceiling || peak * self.interpolator.gain > self.ceiling {
            return false;
        }
        let (ch, lookahead, gain) = (self.channels, self.lookahead, self.gain);
        let frames = run.len() / ch;
        // The delay line oldest first (the oldest frame sits in the slot the next frame
        // takes), then the run: the first frame is already out, the next `frames` go.
        let at = self.ring_at * ch;
        self.line.clear();
        self.line.extend_from_slice(&self.delay[at..]);
        self.line.extend_from_slice(&self.delay[..at]);
        self.line.extend(run.iter().map(|s| s * gain));
        out.extend_from_slice(&self.line[ch..(1 + frames) * ch]);
        // The last `lookahead` frames stay, the oldest in the slot the next frame takes.
        let ring_at = (self.ring_at + frames) % lookahead;
        let tail = &self.line[frames * ch..];
        let split = (lookahead - ring_at) * ch;
        self.delay[ring_at * ch..].copy_from_slice(&tail[..split]);
        self.delay[..ring_at * ch].copy_from_slice(&tail[split..]);
        // The interpolator's window: the run's last samples.
        let taps = crate::master::truepeak::INTERPOLATION_TAPS;
        for j in frames.saturating_sub(taps)..frames {
            let slot = (self.recent_at + j) % taps;
            for (c, ring) in self.recent.iter_mut().enumerate() {
                let v = run[j * ch + c] * gain;
                ring[slot] = v;
                ring[slot + taps] = v;
            }
        }
        self.recent_at = (self.recent_at + frames) % taps;
        self.ring_at = ring_at;
        let n = frames as u64;
        self.pushed += n;
        self.real += n;
        self.emitted += n;
        true
    }

    /// Processes interleaved `input` frame by frame.
    fn process_frames(&mut self, input: &[f32], out: &mut Vec<f32>) {
        let (gain, ceiling, channels) = (self.gain, self.ceiling, self.channels);
        let lookahead = self.lookahead as u64;
        let mut gained = [0f32; 8];
        for frame in input.chunks_exact(channels) {
            let sample_peak = frame.iter().fold(0f32, |m, s| m.max(s.abs())) * gain;
            for (g, s) in gained.iter_mut().zip(frame) {
                *g = s * gain;
            }
            let peak = self.true_peak_of(&gained[..channels.min(8)], sample_peak);
            self.real += 1;
            if peak <= ceiling && self.at_rest() {
                // The common case: store the frame, emit the one a look-ahead older.
                let n = self.pushed;
                self.pushed += 1;
                let slot = self.ring_at * channels;
                for (dst, s) in self.delay[slot..slot + channels].iter_mut().zip(frame) {
                    *dst = s * gain;
                }
                self.turn_ring();
                let k = n + 1 - lookahead;
                if k < self.real {
                    self.emitted += 1;
                    let slot = self.ring_at * channels;
                    out.extend_from_slice(&self.delay[slot..slot + channels]);
                }
                continue;
            }
            let required = if peak > ceiling { ceiling / peak } else { 1.0 };
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
    fn limiter_keeps_frame_count_and_ceiling() {
        let input = tone(0.9, 8000, 1.0);
        let mut p = Limiter::new(1, 8000, 6.0, -6.0, 5.0);
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

    /// Bursts of a loud tone between quiet noise, so that the limiter goes from rest to
    /// work and back many times.
    fn bursts(channels: usize, rate: u32) -> Vec<f32> {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let frames = rate as usize * 2;
        let mut out = Vec::with_capacity(frames * channels);
        for i in 0..frames {
            let loud = (i / 700) % 5 == 2;
            for c in 0..channels {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let noise = (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
                let tone = (i as f32 * (0.21 + c as f32 * 0.05)).sin();
                out.push(if loud { 0.95 * tone } else { 0.05 * noise });
            }
        }
        out
    }

    #[test]
    fn runs_at_rest_pass_exactly_as_frame_by_frame() {
        for channels in [1usize, 2] {
            let input = bursts(channels, 22050);
            let limiter = || Limiter::new(channels as u16, 22050, 3.0, -3.0, 5.0);
            let (mut fast, mut slow) = (limiter(), limiter());
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for block in input.chunks(1000 * channels) {
                fast.process(block, &mut a);
                slow.process_frames(block, &mut b);
            }
            fast.finish(&mut a);
            slow.finish(&mut b);
            assert_eq!(a.len(), input.len());
            assert!(a == b, "{channels} channels: the runs changed the output");
            assert_eq!(
                (fast.min_gain, fast.frames_over_1db),
                (slow.min_gain, slow.frames_over_1db)
            );
            assert!(fast.frames_over_1db > 0, "the bursts are limited");
        }
    }

    #[test]
    fn quiet_audio_passes_with_gain_only() {
        let input = tone(0.1, 8000, 0.5);
        let mut p = Limiter::new(1, 8000, 6.0206, -1.0, 5.0);
        let mut out = Vec::new();
        p.process(&input, &mut out);
        p.finish(&mut out);
        assert_eq!(out.len(), input.len());
        for (a, b) in input.iter().zip(&out) {
            assert!((a * 2.0 - b).abs() < 1e-4);
        }
    }

    #[test]
    fn the_compressor_leaves_quiet_audio_alone_and_tames_loud_peaks() {
        let rate = 22050;
        let mut quiet = tone(0.2, rate, 0.5);
        let before = quiet.clone();
        let mut c = Compressor::new(1, rate, -1.0);
        c.process(&mut quiet);
        assert_eq!(quiet, before, "0.2 is far under the threshold at -7 dBFS");
        assert_eq!(c.min_gain, 1.0);
        let mut loud = tone(1.0, rate, 0.5);
        let mut c = Compressor::new(1, rate, -1.0);
        c.process(&mut loud);
        // 7 dB over the threshold at 4:1 leaves about 1.75 dB over it: about 5 dB off.
        let reduction = -20.0 * (c.min_gain as f64).log10();
        assert!((4.0..6.5).contains(&reduction), "{reduction}");
        let settled = loud[rate as usize / 4..]
            .iter()
            .fold(0f32, |m, s| m.max(s.abs()));
        assert!(settled < 0.6, "{settled}");
    }
}
