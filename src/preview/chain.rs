//! Loudness for a stream whose whole is not known yet: a gain toward the target from
//! what has been measured so far, then the episode's compressor and true-peak limiter.
//!
//! The gain ([`LoudnessEstimate`]) is the target minus the integrated loudness
//! (BS.1770, gated) of the speech heard so far, plus what the compressor and limiter
//! were measured to take off it; it is set before each sentence (never inside one) and
//! fixed once [`FREEZE_SECS`] of speech are measured, so the level stops moving within
//! a minute and the first sentence is already close. [`Chain`] runs it with continuous
//! dynamics for the terminal and file preview; [`process_alone`] masters one sentence
//! with its pause on its own (as mastering does clip by clip), for the web preview,
//! which serves sentences one by one.

use crate::master::dynamics::{Compressor, Limiter};
use crate::meter::{bin_frames, integrated_lufs, BinMeter, EnergyBins};

use super::music::Bed;
use super::speech::Prepared;

/// Speech measured after which the gain no longer changes, seconds.
pub const FREEZE_SECS: f64 = 30.0;

/// The limiter's look-ahead, as in mastering.
pub const LOOKAHEAD_MS: f64 = 5.0;

/// Room under the true-peak ceiling for the limiter's approximations, as for WAV.
const MARGIN_DB: f64 = 0.1;

/// The running gain estimate.
#[derive(Debug, Clone)]
pub struct LoudnessEstimate {
    rate: u32,
    target: Option<f64>,
    /// The speech as prepared, at bin-aligned places of a virtual timeline.
    input: EnergyBins,
    /// The same with the gains applied.
    applied: EnergyBins,
    /// The same after the dynamics, as played.
    output: EnergyBins,
    /// Where the next sentence goes on the virtual timeline.
    at: u64,
    measured: u64,
    frozen: Option<f64>,
}

/// Where a sentence was placed on the estimate's timeline, to report its output.
#[derive(Debug, Clone, Copy)]
pub struct Placed {
    at: u64,
    frames: usize,
}

impl LoudnessEstimate {
    /// An estimate at `rate` toward `target` LUFS (none: unity gain).
    pub fn new(rate: u32, target: Option<f64>) -> LoudnessEstimate {
        LoudnessEstimate {
            rate,
            target,
            input: EnergyBins::default(),
            applied: EnergyBins::default(),
            output: EnergyBins::default(),
            at: 0,
            measured: 0,
            frozen: None,
        }
    }

    /// The gain for sentence `p`, dB, after measuring it.
    pub fn gain_db(&mut self, p: &Prepared) -> (f64, Placed) {
        let placed = Placed {
            at: self.at,
            frames: p.samples.len(),
        };
        let Some(target) = self.target else {
            return (0.0, placed);
        };
        if let Some(g) = self.frozen {
            return (g, placed);
        }
        let bin = bin_frames(self.rate);
        let bins = EnergyBins {
            first: self.at / bin,
            sums: p.bins.sums.clone(),
        };
        self.input.add(&bins);
        let input_lufs = integrated_lufs(&self.input, self.rate);
        // What dynamics took off so far: the input with its gains, against the output.
        let loss = if self.output.sums.is_empty() {
            0.0
        } else {
            let gained = integrated_lufs(&self.applied, self.rate);
            let out = integrated_lufs(&self.output, self.rate);
            (gained - out).clamp(0.0, 6.0)
        };
        let gain = (target - input_lufs + loss).clamp(-20.0, 30.0);
        self.applied.add(&bins.scaled(10f64.powf(gain / 10.0)));
        self.at += (p.samples.len() as u64).div_ceil(bin) * bin;
        self.measured += p.samples.len() as u64;
        if self.measured as f64 >= FREEZE_SECS * self.rate as f64 {
            self.frozen = Some(gain);
        }
        (gain, placed)
    }

    /// What the sentence placed at `placed` became after the dynamics (its speech,
    /// from its first frame).
    pub fn observe(&mut self, placed: Placed, out: &[f32]) {
        if self.target.is_none() || self.frozen.is_some() && !self.output.sums.is_empty() {
            return;
        }
        let mut meter = BinMeter::new(1, self.rate, placed.at);
        meter.add(&out[..placed.frames.min(out.len())]);
        self.output.add(&meter.finish());
    }

    /// The gain, once fixed.
    pub fn frozen_gain_db(&self) -> Option<f64> {
        self.frozen
    }

    fn compressor(&self, ceiling_db: f64) -> Option<Compressor> {
        self.target
            .map(|_| Compressor::new(1, self.rate, ceiling_db))
    }
}

/// Gain, compressor and limiter over the sentences played, in order.
pub struct Chain {
    rate: u32,
    ceiling_db: f64,
    estimate: LoudnessEstimate,
    compressor: Option<Compressor>,
    limiter: Limiter,
    bed: Option<Bed>,
}

impl Chain {
    /// A chain at `rate` toward `target` LUFS (none: no gain and no compressor) with
    /// true peaks under `ceiling_dbtp`.
    pub fn new(rate: u32, target: Option<f64>, ceiling_dbtp: f64) -> Chain {
        let ceiling_db = ceiling_dbtp - MARGIN_DB;
        let estimate = LoudnessEstimate::new(rate, target);
        Chain {
            rate,
            ceiling_db,
            compressor: estimate.compressor(ceiling_db),
            estimate,
            limiter: Limiter::new(1, rate, 0.0, ceiling_db, LOOKAHEAD_MS),
            bed: None,
        }
    }

    /// The same chain with `bed` looped under the speech.
    pub fn with_bed(mut self, bed: Option<Bed>) -> Chain {
        self.bed = bed;
        self
    }

    /// The sentence `p` then `pause` frames of silence, as played, with the bed under
    /// them (faded out when the sentence is the `last` of the article).
    pub fn process(&mut self, p: &Prepared, pause: u64, last: bool) -> Vec<f32> {
        let (gain_db, placed) = self.estimate.gain_db(p);
        let gain = 10f64.powf(gain_db / 20.0) as f32;
        let mut block: Vec<f32> = p.samples.iter().map(|&s| s * gain).collect();
        block.resize(block.len() + pause as usize, 0.0);
        if let Some(bed) = self.bed.as_mut() {
            bed.mix(&mut block, p.samples.len(), last);
        }
        let out = self.dynamics(&block);
        self.estimate.observe(placed, &out);
        out
    }

    /// Music already levelled (an intro or an outro) through the same dynamics.
    pub fn music(&mut self, samples: &[f32]) -> Vec<f32> {
        self.dynamics(samples)
    }

    fn dynamics(&mut self, input: &[f32]) -> Vec<f32> {
        let mut block = input.to_vec();
        if let Some(c) = self.compressor.as_mut() {
            c.process(&mut block);
        }
        let mut out = Vec::with_capacity(block.len());
        self.limiter.process(&block, &mut out);
        out
    }

    /// A seek: the dynamics start again at rest (the bed fades back in); the gain
    /// estimate is kept.
    pub fn reset(&mut self) {
        self.compressor = self.estimate.compressor(self.ceiling_db);
        self.limiter = Limiter::new(1, self.rate, 0.0, self.ceiling_db, LOOKAHEAD_MS);
        if let Some(bed) = self.bed.as_mut() {
            bed.restart();
        }
    }

    /// What the limiter still holds, at the end.
    pub fn finish(&mut self) -> Vec<f32> {
        let mut out = Vec::new();
        self.limiter.finish(&mut out);
        out
    }

    /// The gain now applied, dB (once fixed).
    pub fn current_gain_db(&self) -> Option<f64> {
        self.estimate.frozen_gain_db()
    }
}

/// Sentence `p` and `pause` frames of silence mastered on their own, with the gain
/// `estimate` gives, true peaks under `ceiling_dbtp`: exactly as long as its input.
pub fn process_alone(
    estimate: &mut LoudnessEstimate,
    p: &Prepared,
    pause: u64,
    ceiling_dbtp: f64,
) -> Vec<f32> {
    let ceiling_db = ceiling_dbtp - MARGIN_DB;
    let (gain_db, placed) = estimate.gain_db(p);
    let gain = 10f64.powf(gain_db / 20.0) as f32;
    let mut block: Vec<f32> = p.samples.iter().map(|&s| s * gain).collect();
    block.resize(block.len() + pause as usize, 0.0);
    if let Some(mut c) = estimate.compressor(ceiling_db) {
        c.process(&mut block);
    }
    let mut limiter = Limiter::new(1, estimate.rate, 0.0, ceiling_db, LOOKAHEAD_MS);
    let mut out = Vec::with_capacity(block.len());
    limiter.process(&block, &mut out);
    limiter.finish(&mut out);
    estimate.observe(placed, &out);
    out
}
