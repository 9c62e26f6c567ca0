//! Loudness for a stream whose whole is not known yet: a gain toward the target from
//! what has been measured so far, then the episode's compressor and true-peak limiter.
//!
//! The gain is the target minus the integrated loudness (BS.1770, gated) of the speech
//! played so far, plus what the compressor and limiter were measured to take off the
//! output so far; it is set before each sentence (never inside one) and fixed once
//! [`FREEZE_SECS`] of speech are measured, so the level stops moving within a minute
//! and the first sentence is already close (one sentence of eSpeak NG is within about
//! 1 LU of a whole article).

use crate::master::dynamics::{Compressor, Limiter};
use crate::master::kweight::{bin_frames, integrated_lufs, BinMeter, EnergyBins};

use super::speech::Prepared;

/// Speech measured after which the gain no longer changes, seconds.
pub const FREEZE_SECS: f64 = 30.0;

/// The limiter's look-ahead, as in mastering.
pub const LOOKAHEAD_MS: f64 = 5.0;

/// Room under the true-peak ceiling for the limiter's approximations, as for WAV.
const MARGIN_DB: f64 = 0.1;

/// Gain, compressor and limiter over the sentences played, in order.
pub struct Chain {
    rate: u32,
    target: Option<f64>,
    ceiling_db: f64,
    /// The speech as prepared, at bin-aligned places of a virtual timeline.
    input: EnergyBins,
    /// The same speech after gain and dynamics, metered as played.
    output: BinMeter,
    /// Where the next sentence goes on the virtual timeline.
    at: u64,
    measured: u64,
    /// Gains applied, per sentence: (bins of its input, dB) to compute the loss.
    applied: EnergyBins,
    frozen: Option<f64>,
    compressor: Option<Compressor>,
    limiter: Limiter,
}

impl Chain {
    /// A chain at `rate` toward `target` LUFS (none: no gain and no compressor) with
    /// true peaks under `ceiling_dbtp`.
    pub fn new(rate: u32, target: Option<f64>, ceiling_dbtp: f64) -> Chain {
        let ceiling_db = ceiling_dbtp - MARGIN_DB;
        Chain {
            rate,
            target,
            ceiling_db,
            input: EnergyBins::default(),
            output: BinMeter::new(1, rate, 0),
            at: 0,
            measured: 0,
            applied: EnergyBins::default(),
            frozen: None,
            compressor: target.map(|_| Compressor::new(1, rate, ceiling_db)),
            limiter: Limiter::new(1, rate, 0.0, ceiling_db, LOOKAHEAD_MS),
        }
    }

    /// The gain for the next sentence `p`, dB, after measuring it.
    fn gain_db(&mut self, p: &Prepared) -> f64 {
        let Some(target) = self.target else {
            return 0.0;
        };
        if let Some(g) = self.frozen {
            return g;
        }
        let bin = bin_frames(self.rate);
        let placed = EnergyBins {
            first: self.at / bin,
            sums: p.bins.sums.clone(),
        };
        self.input.add(&placed);
        let input_lufs = integrated_lufs(&self.input, self.rate);
        // What dynamics took off so far: the input with its gains, against the output.
        let loss = if self.applied.sums.is_empty() {
            0.0
        } else {
            let gained = integrated_lufs(&self.applied, self.rate);
            let out = integrated_lufs(&self.output.clone().finish(), self.rate);
            (gained - out).clamp(0.0, 6.0)
        };
        let gain = (target - input_lufs + loss).clamp(-20.0, 30.0);
        self.applied.add(&placed.scaled(10f64.powf(gain / 10.0)));
        self.at += (p.samples.len() as u64).div_ceil(bin) * bin;
        self.measured += p.samples.len() as u64;
        if self.measured as f64 >= FREEZE_SECS * self.rate as f64 {
            self.frozen = Some(gain);
        }
        gain
    }

    /// The sentence `p` then `pause` frames of silence, as played.
    pub fn process(&mut self, p: &Prepared, pause: u64) -> Vec<f32> {
        let gain = 10f64.powf(self.gain_db(p) / 20.0) as f32;
        let mut block: Vec<f32> = p.samples.iter().map(|&s| s * gain).collect();
        if let Some(c) = self.compressor.as_mut() {
            c.process(&mut block);
        }
        let mut out = Vec::with_capacity(block.len() + pause as usize);
        self.limiter.process(&block, &mut out);
        // The output meter sees the sentence on the same bin-aligned timeline.
        let bin = bin_frames(self.rate) as usize;
        let speech = out.len().min(p.samples.len());
        self.output.add(&out[..speech]);
        let pad = speech.div_ceil(bin) * bin - speech;
        self.output.add(&vec![0.0; pad]);
        let silence = vec![0.0; pause as usize];
        let before = out.len();
        self.limiter.process(&silence, &mut out);
        debug_assert!(out.len() >= before);
        out
    }

    /// A seek: the dynamics start again at rest; the gain estimate is kept.
    pub fn reset(&mut self) {
        self.compressor = self
            .target
            .map(|_| Compressor::new(1, self.rate, self.ceiling_db));
        self.limiter = Limiter::new(1, self.rate, 0.0, self.ceiling_db, LOOKAHEAD_MS);
    }

    /// What the limiter still holds, at the end.
    pub fn finish(&mut self) -> Vec<f32> {
        let mut out = Vec::new();
        self.limiter.finish(&mut out);
        out
    }

    /// The gain now applied, dB (fixed once frozen).
    pub fn current_gain_db(&self) -> Option<f64> {
        self.frozen
    }
}
