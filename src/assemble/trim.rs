//! Trimming the silence engines put around each utterance, so that pauses between
//! chunks are the ones the structure asks for, not the engine's.

/// Samples quieter than this (about −50 dBFS) count as silence.
const THRESHOLD: f32 = 0.003;
/// Kept around the speech so that soft onsets and releases are not clipped.
const MARGIN_MS: u64 = 15;

/// The part of `samples` from just before the first audible sample to just after the
/// last one. Silence-only input gives an empty slice.
pub fn trim_silence(samples: &[f32], sample_rate: u32) -> &[f32] {
    let margin = (MARGIN_MS * sample_rate as u64 / 1000) as usize;
    let Some(first) = samples.iter().position(|s| s.abs() > THRESHOLD) else {
        return &samples[..0];
    };
    let last = samples
        .iter()
        .rposition(|s| s.abs() > THRESHOLD)
        .unwrap_or(first);
    let start = first.saturating_sub(margin);
    let end = (last + 1 + margin).min(samples.len());
    &samples[start..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_both_ends_with_margin() {
        let mut s = vec![0.0; 1000];
        s.extend(vec![0.5; 100]);
        s.extend(vec![0.0; 1000]);
        let t = trim_silence(&s, 1000); // 15 samples of margin at 1 kHz
        assert_eq!(t.len(), 130);
        assert_eq!(t[15], 0.5);
    }

    #[test]
    fn all_silence_is_empty() {
        assert!(trim_silence(&[0.0; 10], 1000).is_empty());
        assert!(trim_silence(&[], 1000).is_empty());
    }
}
