//! Loudness as ITU-R BS.1770 defines it, measured in pieces: K-weighting (a high shelf
//! and a high-pass), energy summed in 100 ms bins on the episode's own timeline, and the
//! gated integration over 400 ms blocks with a 100 ms hop.
//!
//! Because the blocks are made of bins laid on the episode's timeline, each clip can be
//! measured on its own thread and the bins added together: the result is the
//! measurement of the whole episode, not an approximation of it. (A meter run per clip
//! would lay its blocks from the clip's start, and blocks straddling a clip's edges would
//! differ.) The filters are the standard's, computed for any sample rate from their
//! analog prototypes.

/// One biquad section, direct form II transposed.
#[derive(Debug, Clone, Copy)]
struct Biquad {
    b0: f64,
    a1: f64,
    a2: f64,
    /// `b1 - a1 * b0` and `b2 - a2 * b0`: the state updated from the previous state
    /// rather than from the output, the same filter with a shorter chain of dependent
    /// operations from one sample to the next (the meter runs at the speed of that
    /// chain: about three times faster than `state[0] = b1 x - a1 y + state[1]`).
    c1: f64,
    c2: f64,
}

impl Biquad {
    /// The section `b[0] + b[1] z⁻¹ + b[2] z⁻² / (1 + a[1] z⁻¹ + a[2] z⁻²)`.
    fn new(b: [f64; 3], a: [f64; 3]) -> Biquad {
        Biquad {
            b0: b[0],
            a1: a[1],
            a2: a[2],
            c1: b[1] - a[1] * b[0],
            c2: b[2] - a[2] * b[0],
        }
    }

    fn run(&self, state: &mut [f64; 2], x: f64) -> f64 {
        let s0 = state[0];
        state[0] = (self.c1 * x + state[1]) - self.a1 * s0;
        state[1] = self.c2 * x - self.a2 * s0;
        self.b0 * x + s0
    }
}

/// The two K-weighting stages for one sample rate.
#[derive(Debug, Clone, Copy)]
pub struct KWeighting {
    shelf: Biquad,
    highpass: Biquad,
}

impl KWeighting {
    /// The filters for `rate` Hz.
    pub fn new(rate: u32) -> KWeighting {
        let fs = rate as f64;
        // Stage 1: the head's acoustic effect, a high shelf of about +4 dB above 1.7 kHz.
        let (f0, gain_db, q) = (1681.974450955533, 3.999843853973347, 0.7071752369554196);
        let k = (std::f64::consts::PI * f0 / fs).tan();
        let vh = 10f64.powf(gain_db / 20.0);
        let vb = vh.powf(0.4996667741545416);
        let a0 = 1.0 + k / q + k * k;
        let shelf = Biquad::new(
            [
                (vh + vb * k / q + k * k) / a0,
                2.0 * (k * k - vh) / a0,
                (vh - vb * k / q + k * k) / a0,
            ],
            [1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0],
        );
        // Stage 2: the RLB weighting, a high-pass at about 38 Hz.
        let (f0, q) = (38.13547087602444, 0.5003270373238773);
        let k = (std::f64::consts::PI * f0 / fs).tan();
        let a0 = 1.0 + k / q + k * k;
        let highpass = Biquad::new(
            [1.0, -2.0, 1.0],
            [1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0],
        );
        KWeighting { shelf, highpass }
    }
}

/// Frames in one 100 ms bin at `rate` (rounded, as meters do for 11025 Hz).
pub fn bin_frames(rate: u32) -> u64 {
    (rate as u64 + 5) / 10
}

/// K-weighted energy of a stretch of audio, summed in 100 ms bins of the timeline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnergyBins {
    /// Index of the first bin.
    pub first: u64,
    /// Sum of squared K-weighted samples (all channels) in each bin from `first`.
    pub sums: Vec<f64>,
}

impl EnergyBins {
    /// Adds `other` into these bins (a timeline's bins from a segment's).
    pub fn add(&mut self, other: &EnergyBins) {
        if other.sums.is_empty() {
            return;
        }
        if self.sums.is_empty() {
            *self = other.clone();
            return;
        }
        let start = self.first.min(other.first);
        let end = (self.first + self.sums.len() as u64).max(other.first + other.sums.len() as u64);
        if start < self.first || end > self.first + self.sums.len() as u64 {
            let mut grown = vec![0.0; (end - start) as usize];
            let at = (self.first - start) as usize;
            grown[at..at + self.sums.len()].copy_from_slice(&self.sums);
            self.sums = grown;
            self.first = start;
        }
        let at = (other.first - self.first) as usize;
        for (dst, v) in self.sums[at..].iter_mut().zip(&other.sums) {
            *dst += v;
        }
    }

    /// These bins with every energy scaled by `factor` (a gain applied afterwards, as
    /// a power ratio).
    pub fn scaled(&self, factor: f64) -> EnergyBins {
        EnergyBins {
            first: self.first,
            sums: self.sums.iter().map(|s| s * factor).collect(),
        }
    }
}

/// Measures interleaved audio placed at a frame of the timeline.
#[derive(Debug, Clone)]
pub struct BinMeter {
    filter: KWeighting,
    channels: usize,
    state: Vec<[[f64; 2]; 2]>,
    bin: u64,
    position: u64,
    bins: EnergyBins,
}

impl BinMeter {
    /// A meter for `channels` at `rate`, whose first frame lies at `start` on the
    /// timeline, with the filters at rest (after silence).
    pub fn new(channels: u16, rate: u32, start: u64) -> BinMeter {
        let bin = bin_frames(rate);
        BinMeter {
            filter: KWeighting::new(rate),
            channels: channels.max(1) as usize,
            state: vec![[[0.0; 2]; 2]; channels.max(1) as usize],
            bin,
            position: start,
            bins: EnergyBins {
                first: start / bin,
                sums: Vec::new(),
            },
        }
    }

    /// Adds interleaved frames.
    pub fn add(&mut self, interleaved: &[f32]) {
        let f = self.filter;
        let channels = self.channels;
        let mut frames = interleaved.chunks_exact(channels);
        let mut left = interleaved.len() / channels;
        while left > 0 {
            // The frames that fall in the current bin, summed before they are stored.
            let run = ((self.bin - self.position % self.bin) as usize).min(left);
            let mut energy = 0.0;
            if channels == 1 {
                // The state in locals, so that it stays in registers through the loop.
                let [mut shelf, mut highpass] = self.state[0];
                for frame in frames.by_ref().take(run) {
                    let y = f
                        .highpass
                        .run(&mut highpass, f.shelf.run(&mut shelf, frame[0] as f64));
                    energy += y * y;
                }
                self.state[0] = [shelf, highpass];
            } else {
                for frame in frames.by_ref().take(run) {
                    for (c, &x) in frame.iter().enumerate() {
                        let [shelf, highpass] = &mut self.state[c];
                        let y = f.highpass.run(highpass, f.shelf.run(shelf, x as f64));
                        energy += y * y;
                    }
                }
            }
            self.store(energy, run);
            left -= run;
        }
    }

    /// Adds the energy of `frames` frames that all fall in the current bin.
    fn store(&mut self, energy: f64, frames: usize) {
        let index = (self.position / self.bin - self.bins.first) as usize;
        if index >= self.bins.sums.len() {
            self.bins.sums.resize(index + 1, 0.0);
        }
        self.bins.sums[index] += energy;
        self.position += frames as u64;
    }

    /// Adds the same mono samples to every channel (speech in the centre of a stereo mix).
    pub fn add_mono(&mut self, mono: &[f32]) {
        if self.channels == 1 {
            return self.add(mono);
        }
        let f = self.filter;
        let channels = self.channels as f64;
        let mut rest = mono;
        while !rest.is_empty() {
            let run = ((self.bin - self.position % self.bin) as usize).min(rest.len());
            let (now, later) = rest.split_at(run);
            let [mut shelf, mut highpass] = self.state[0];
            let mut energy = 0.0;
            for &x in now {
                let y = f
                    .highpass
                    .run(&mut highpass, f.shelf.run(&mut shelf, x as f64));
                energy += y * y;
            }
            self.state[0] = [shelf, highpass];
            self.store(energy * channels, run);
            rest = later;
        }
    }

    /// Lets the filters ring out over `frames` of silence (their tail belongs to the
    /// measurement, and is a few milliseconds long).
    pub fn ring_out(&mut self, frames: usize) {
        let silence = vec![0.0; frames * self.channels];
        self.add(&silence);
    }

    /// The bins measured.
    pub fn finish(self) -> EnergyBins {
        self.bins
    }
}

/// Integrated loudness (LUFS) of a timeline's bins, gated as BS.1770-4 says: 400 ms
/// blocks every 100 ms, an absolute gate at −70 LUFS and a relative gate 10 LU under the
/// loudness of the blocks above it. −70 for silence.
pub fn integrated_lufs(bins: &EnergyBins, rate: u32) -> f64 {
    let block_frames = (bin_frames(rate) * 4) as f64;
    let lufs = |mean_square: f64| -0.691 + 10.0 * mean_square.max(1e-300).log10();
    // Blocks start at bin 0 of the timeline; bins before `first` are silent.
    let blocks: Vec<f64> = (0..bins.first + bins.sums.len() as u64)
        .filter(|&j| j + 3 < bins.first + bins.sums.len() as u64)
        .map(|j| {
            (j..j + 4)
                .map(|b| {
                    b.checked_sub(bins.first)
                        .and_then(|i| bins.sums.get(i as usize))
                        .copied()
                        .unwrap_or(0.0)
                })
                .sum::<f64>()
                / block_frames
        })
        .collect();
    let absolute: Vec<f64> = blocks.into_iter().filter(|&e| lufs(e) > -70.0).collect();
    if absolute.is_empty() {
        return -70.0;
    }
    let relative_gate = lufs(absolute.iter().sum::<f64>() / absolute.len() as f64) - 10.0;
    let gated: Vec<f64> = absolute
        .into_iter()
        .filter(|&e| lufs(e) > relative_gate)
        .collect();
    if gated.is_empty() {
        return -70.0;
    }
    lufs(gated.iter().sum::<f64>() / gated.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Speech-like test audio: noise bursts of varied levels and lengths with silences.
    fn bursts(rate: u32, secs: f64, seed: u64) -> Vec<f32> {
        let mut state = seed;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let n = (rate as f64 * secs) as usize;
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let len = (rate as f64 * (0.2 + next() * 1.5)) as usize;
            let level = 10f64.powf(-(next() * 30.0) / 20.0);
            let tone = 100.0 + next() * 3000.0;
            for i in 0..len {
                let t = i as f64 / rate as f64;
                let v =
                    ((2.0 * std::f64::consts::PI * tone * t).sin() * 0.5 + (next() - 0.5)) * level;
                out.push(v as f32 * 0.5);
            }
            out.extend(std::iter::repeat_n(
                0.0,
                (rate as f64 * next() * 0.5) as usize,
            ));
        }
        out.truncate(n);
        out
    }

    fn reference(samples: &[f32], channels: u16, rate: u32) -> f64 {
        let mut m = ebur128::EbuR128::new(channels as u32, rate, ebur128::Mode::I).unwrap();
        m.add_frames_f32(samples).unwrap();
        m.loudness_global().unwrap()
    }

    #[test]
    fn the_shorter_chain_is_the_textbook_section() {
        // Direct form II transposed as written in the books, against `Biquad::run`.
        let (b, a) = ([0.9, -1.3, 0.5], [1.0, -1.6, 0.7]);
        let section = Biquad::new(b, a);
        let (mut ours, mut textbook) = ([0.0; 2], [0.0f64; 2]);
        for (i, &x) in bursts(22050, 5.0, 3).iter().enumerate() {
            let x = x as f64;
            let y = b[0] * x + textbook[0];
            textbook[0] = b[1] * x - a[1] * y + textbook[1];
            textbook[1] = b[2] * x - a[2] * y;
            let got = section.run(&mut ours, x);
            assert!(
                (got - y).abs() <= 1e-12 * (1.0 + y.abs()),
                "{i}: {got} vs {y}"
            );
        }
    }

    #[test]
    fn agrees_with_an_independent_meter_at_every_rate() {
        for rate in [8000, 11025, 16000, 22050, 44100, 48000] {
            let audio = bursts(rate, 30.0, 7);
            let mut meter = BinMeter::new(1, rate, 0);
            meter.add(&audio);
            let ours = integrated_lufs(&meter.finish(), rate);
            let theirs = reference(&audio, 1, rate);
            assert!(
                (ours - theirs).abs() < 0.02,
                "{rate} Hz: {ours} vs {theirs}"
            );
        }
    }

    #[test]
    fn pieces_measured_apart_add_up_to_the_whole() {
        let rate = 22050;
        let audio = bursts(rate, 40.0, 11);
        // Cut where the audio is silent, as clips are separated by pauses.
        let cuts: Vec<usize> = (1..audio.len() - 2000)
            .filter(|&i| i % 9000 == 0)
            .filter_map(|i| {
                (i..audio.len()).find(|&j| {
                    audio[j..(j + 600).min(audio.len())]
                        .iter()
                        .all(|&s| s == 0.0)
                })
            })
            .collect();
        let mut total = EnergyBins::default();
        let mut start = 0;
        for &cut in cuts.iter().chain(std::iter::once(&audio.len())) {
            if cut <= start {
                continue;
            }
            let mut meter = BinMeter::new(1, rate, start as u64);
            meter.add(&audio[start..cut]);
            total.add(&meter.finish());
            start = cut;
        }
        let whole = reference(&audio, 1, rate);
        let ours = integrated_lufs(&total, rate);
        assert!((ours - whole).abs() < 0.02, "{ours} vs {whole}");
    }

    #[test]
    fn mono_in_the_centre_of_stereo_counts_twice_and_silence_is_minus_70() {
        let rate = 44100;
        let audio = bursts(rate, 10.0, 3);
        let stereo: Vec<f32> = audio.iter().flat_map(|&s| [s, s]).collect();
        let mut meter = BinMeter::new(2, rate, 0);
        meter.add_mono(&audio);
        let ours = integrated_lufs(&meter.finish(), rate);
        assert!((ours - reference(&stereo, 2, rate)).abs() < 0.02);
        let mut quiet = BinMeter::new(1, rate, 0);
        quiet.add(&vec![0.0; 44100]);
        assert_eq!(integrated_lufs(&quiet.finish(), rate), -70.0);
    }
}
