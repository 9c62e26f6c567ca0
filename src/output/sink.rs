//! Where mastered audio goes: an encoder behind a small trait, fed interleaved blocks.

/// An encoder being fed the episode.
pub trait AudioSink {
    /// Encodes interleaved samples in [-1, 1].
    fn write(&mut self, interleaved: &[f32]) -> std::io::Result<()>;
    /// Flushes the encoder and completes the file's structure.
    fn finish(&mut self) -> std::io::Result<()>;
}

/// Triangular (TPDF) dither for 16-bit output, from a fixed-seed generator so that the
/// same episode always encodes to the same bytes.
#[derive(Debug, Clone)]
pub struct Dither {
    state: u64,
}

impl Default for Dither {
    fn default() -> Self {
        Dither::new()
    }
}

impl Dither {
    /// A dither generator with the fixed seed.
    pub fn new() -> Dither {
        Dither {
            state: 0x9E37_79B9_7F4A_7C15,
        }
    }

    /// A dither generator whose sequence depends on `seed` (a stretch's first frame),
    /// so that stretches written on different threads dither the same way every time.
    pub fn seeded(seed: u64) -> Dither {
        // splitmix64 of the seed: never zero, well spread.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Dither {
            state: (z ^ (z >> 31)) | 1,
        }
    }

    fn uniform(&mut self) -> f32 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        (self.state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    }

    /// Quantizes one sample to 16 bits with ±1 LSB triangular dither.
    pub fn to_i16(&mut self, s: f32) -> i16 {
        let noise = self.uniform() + self.uniform();
        // Round half up by flooring an offset value (cheaper than `round`, which is a
        // library call, on every sample).
        let v = (s * 32767.0 + noise).clamp(-32768.0, 32767.0);
        ((v + 32768.5) as i32 - 32768).clamp(-32768, 32767) as i16
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
    }
}
