//! Where mastered audio goes: an encoder behind a small trait, fed interleaved blocks.

/// An encoder being fed the episode.
pub trait AudioSink {
    /// Encodes interleaved samples in [-1, 1].
    fn write(&mut self, interleaved: &[f32]) -> std::io::Result<()>;
    /// Flushes the encoder and completes the file's structure.
    fn finish(&mut self) -> std::io::Result<()>;
}

/// Independent generators the dither cycles through, sample by sample: four chains of
/// xorshift steps that a core runs side by side, where one chain would make every sample
/// wait for the previous one's noise.
const LANES: usize = 4;

/// Triangular (TPDF) dither for 16-bit output, from fixed-seed generators so that the
/// same episode always encodes to the same bytes. Sample `k` of a stream takes its noise
/// from generator `k % 4`, so the bytes do not depend on how the stream is cut in blocks
/// or whether it is quantized one sample ([`Dither::to_i16`]) or one block
/// ([`Dither::quantize`]) at a time.
#[derive(Debug, Clone)]
pub struct Dither {
    lanes: [u64; LANES],
    /// The generator the next sample takes its noise from.
    next: usize,
}

impl Default for Dither {
    fn default() -> Self {
        Dither::new()
    }
}

/// splitmix64's output for `z`: neighbouring seeds give unrelated states.
fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One xorshift64 step of `state`, as a uniform value in [−0.5, 0.5) LSB.
#[inline(always)]
fn uniform(state: &mut u64) -> f32 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    // 24 bits through i32, which converts to f32 in one instruction (u64 does not).
    ((*state >> 40) as i32) as f32 * (1.0 / (1u32 << 24) as f32) - 0.5
}

/// `s` (full scale ±1) as a 16-bit sample with `noise` (LSB) added, rounded to the
/// nearest and saturated (a NaN becomes −32768 rather than a panic).
#[inline(always)]
// `max` then `min`, not `clamp`: they turn a NaN into a bound, `clamp` passes it on.
#[allow(clippy::manual_clamp)]
fn quantized(s: f32, noise: f32) -> i16 {
    let v = (s * 32767.0 + noise).max(-32768.0).min(32767.0) + 32768.0;
    // Rounding by adding 2^23, where a float's step is 1: the integer lands in the low
    // mantissa bits. No conversion instruction and no saturation branch, so four
    // samples round in one vector operation.
    const MAGIC: f32 = 8_388_608.0;
    ((v + MAGIC).to_bits() as i32 - MAGIC.to_bits() as i32 - 32768) as i16
}

impl Dither {
    /// A dither generator with the fixed seed.
    pub fn new() -> Dither {
        Dither::seeded(0)
    }

    /// A dither generator whose sequence depends on `seed` (a stretch's first frame),
    /// so that stretches written on different threads dither the same way every time.
    pub fn seeded(seed: u64) -> Dither {
        let base = seed.wrapping_mul(LANES as u64);
        Dither {
            // `| 1`: xorshift never leaves an all-zero state, so no lane may start there.
            lanes: std::array::from_fn(|lane| {
                splitmix(
                    base.wrapping_add(lane as u64)
                        .wrapping_add(0x9E37_79B9_7F4A_7C15),
                ) | 1
            }),
            next: 0,
        }
    }

    /// The next sample's noise: the sum of two uniform values, triangular in ±1 LSB.
    #[inline(always)]
    fn noise(&mut self) -> f32 {
        let lane = &mut self.lanes[self.next];
        self.next = (self.next + 1) % LANES;
        uniform(lane) + uniform(lane)
    }

    /// Quantizes one sample to 16 bits with ±1 LSB triangular dither.
    pub fn to_i16(&mut self, s: f32) -> i16 {
        let noise = self.noise();
        quantized(s, noise)
    }

    /// Quantizes `block` to 16-bit little-endian samples appended to `bytes`, each
    /// written `copies` times (a mono block spread over the channels of a stereo file:
    /// every channel gets the same dithered value). The same bytes as [`Dither::to_i16`]
    /// on each sample in turn.
    pub fn quantize(&mut self, block: &[f32], copies: usize, bytes: &mut Vec<u8>) {
        let start = bytes.len();
        bytes.resize(start + block.len() * 2 * copies, 0);
        let out = &mut bytes[start..];
        // Up to the first generator one by one, then four samples at a time.
        let head = ((LANES - self.next) % LANES).min(block.len());
        let (first, rest) = block.split_at(head);
        let (first_out, rest_out) = out.split_at_mut(head * 2 * copies);
        self.one_by_one(first, first_out, copies);
        let whole = rest.len() / LANES * LANES;
        let (groups, tail) = rest.split_at(whole);
        let (groups_out, tail_out) = rest_out.split_at_mut(whole * 2 * copies);
        match copies {
            1 => self.quantize_groups::<1>(groups, groups_out),
            2 => self.quantize_groups::<2>(groups, groups_out),
            _ => self.one_by_one(groups, groups_out, copies),
        }
        self.one_by_one(tail, tail_out, copies);
    }

    /// Quantizes `samples` one at a time into `out`, each written `copies` times.
    fn one_by_one(&mut self, samples: &[f32], out: &mut [u8], copies: usize) {
        for (&s, slots) in samples.iter().zip(out.chunks_exact_mut(2 * copies)) {
            put(self.to_i16(s), slots);
        }
    }

    /// [`Dither::quantize`] over whole groups of four samples, starting at the first
    /// generator, each written `COPIES` times: a fixed count, so the writes unroll.
    fn quantize_groups<const COPIES: usize>(&mut self, samples: &[f32], out: &mut [u8]) {
        for (group, slots) in samples
            .chunks_exact(LANES)
            .zip(out.chunks_exact_mut(LANES * 2 * COPIES))
        {
            for ((&s, lane), slots) in group
                .iter()
                .zip(self.lanes.iter_mut())
                .zip(slots.chunks_exact_mut(2 * COPIES))
            {
                let noise = uniform(lane) + uniform(lane);
                put(quantized(s, noise), slots);
            }
        }
    }
}

/// Writes `v` little-endian into every two-byte slot of `slots`.
#[inline(always)]
fn put(v: i16, slots: &mut [u8]) {
    for slot in slots.chunks_exact_mut(2) {
        slot.copy_from_slice(&v.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dither_is_small_and_repeatable() {
        let mut a = Dither::new();
        let mut b = Dither::new();
        for i in 0..1000 {
            let s = (i as f32 / 1000.0) - 0.5;
            let q = a.to_i16(s);
            assert_eq!(q, b.to_i16(s));
            assert!((q as f32 - s * 32767.0).abs() <= 1.5);
        }
        assert_eq!(Dither::new().to_i16(2.0), 32767);
        assert_eq!(Dither::new().to_i16(-2.0), -32768);
        assert_eq!(Dither::new().to_i16(f32::NAN), -32768);
    }

    #[test]
    fn a_block_quantizes_as_its_samples_one_by_one_whatever_the_cuts() {
        let samples: Vec<f32> = (0..1003).map(|i| ((i as f32) * 0.37).sin() * 0.8).collect();
        // Every copy count: mono (1), mono over stereo (2), and the general path (3).
        for copies in 1..=3 {
            let mut one = Dither::seeded(42);
            let single: Vec<u8> = samples
                .iter()
                .flat_map(|&s| one.to_i16(s).to_le_bytes().repeat(copies))
                .collect();
            for cuts in [
                vec![1003],
                vec![1, 2, 3, 997],
                vec![5, 998],
                vec![0, 7, 996],
            ] {
                let mut d = Dither::seeded(42);
                let mut bytes = Vec::new();
                let mut at = 0;
                for n in cuts {
                    d.quantize(&samples[at..at + n], copies, &mut bytes);
                    at += n;
                }
                assert_eq!(bytes, single, "{copies} copies");
            }
        }
    }

    #[test]
    fn dither_noise_is_triangular_and_unbiased() {
        // Zero in, so the output is the rounded noise: −1, 0 or 1 with chances 1/8, 3/4,
        // 1/8 for a triangular ±1 LSB noise rounded to the nearest.
        let mut d = Dither::seeded(7);
        let mut bytes = Vec::new();
        d.quantize(&[0.0; 80_000], 1, &mut bytes);
        let mut counts = [0usize; 3];
        for pair in bytes.chunks_exact(2) {
            let v = i16::from_le_bytes([pair[0], pair[1]]);
            assert!((-1..=1).contains(&v), "{v}");
            counts[(v + 1) as usize] += 1;
        }
        let share = |n: usize| n as f64 / 80_000.0;
        assert!((share(counts[0]) - 0.125).abs() < 0.01, "{counts:?}");
        assert!((share(counts[1]) - 0.75).abs() < 0.01, "{counts:?}");
        assert!((share(counts[2]) - 0.125).abs() < 0.01, "{counts:?}");
        // Different seeds give different noise.
        let mut other = Vec::new();
        Dither::seeded(8).quantize(&[0.0; 1000], 1, &mut other);
        assert_ne!(other, bytes[..2000]);
    }
}
