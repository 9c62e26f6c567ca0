//! Sample-rate conversion with a real band-limited resampler (rubato's FFT resampler),
//! compensating its delay so that output length and timing match the input exactly.

use rubato::{FftFixedIn, Resampler};

/// Input frames per resampler call.
const CHUNK: usize = 1024;

/// Resamples mono `samples` from `from` Hz to `to` Hz. The output has
/// `round(len * to / from)` samples, aligned with the input.
pub fn resample(samples: &[f32], from: u32, to: u32) -> Result<Vec<f32>, String> {
    if from == to || samples.is_empty() {
        return Ok(samples.to_vec());
    }
    let mut resampler = FftFixedIn::<f32>::new(from as usize, to as usize, CHUNK, 2, 1)
        .map_err(|e| e.to_string())?;
    let expected = (samples.len() as u64 * to as u64 + from as u64 / 2) / from as u64;
    let delay = resampler.output_delay();
    let mut out = Vec::with_capacity(expected as usize + delay + CHUNK);
    let mut pos = 0;
    while pos + CHUNK <= samples.len() {
        let frames = resampler
            .process(&[&samples[pos..pos + CHUNK]], None)
            .map_err(|e| e.to_string())?;
        out.extend_from_slice(&frames[0]);
        pos += CHUNK;
    }
    // The tail (rubato refuses an empty slice: none means "no more input"), then silence
    // until the delayed output has all come out.
    let tail = &samples[pos..];
    if !tail.is_empty() {
        let frames = resampler
            .process_partial(Some(&[tail]), None)
            .map_err(|e| e.to_string())?;
        out.extend_from_slice(&frames[0]);
    }
    while out.len() < expected as usize + delay {
        let frames = resampler
            .process_partial::<&[f32]>(None, None)
            .map_err(|e| e.to_string())?;
        if frames[0].is_empty() {
            break;
        }
        out.extend_from_slice(&frames[0]);
    }
    let end = (delay + expected as usize).min(out.len());
    let mut result = out[delay.min(end)..end].to_vec();
    result.resize(expected as usize, 0.0);
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f32, rate: u32, n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin() * 0.5)
            .collect()
    }

    #[test]
    fn length_and_frequency_survive() {
        let input = sine(440.0, 22050, 22050);
        let out = resample(&input, 22050, 44100).unwrap();
        assert_eq!(out.len(), 44100);
        // Count zero crossings in the middle second: a 440 Hz tone crosses 880 times.
        let crossings = out[4410..39690]
            .windows(2)
            .filter(|w| w[0] <= 0.0 && w[1] > 0.0)
            .count();
        let expected = 440.0 * (39690 - 4410) as f64 / 44100.0;
        assert!(
            (crossings as f64 - expected).abs() <= 2.0,
            "{crossings} vs {expected}"
        );
        let peak = out[4410..39690].iter().fold(0f32, |m, s| m.max(s.abs()));
        assert!((peak - 0.5).abs() < 0.02, "amplitude kept: {peak}");
    }

    #[test]
    fn aligned_not_delayed() {
        // A click at 0.5 s stays at 0.5 s.
        let mut input = vec![0.0f32; 22050];
        input[11025] = 1.0;
        let out = resample(&input, 22050, 48000).unwrap();
        let peak_at = out
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .unwrap()
            .0;
        assert!((peak_at as i64 - 24000).abs() <= 2, "{peak_at}");
    }

    #[test]
    fn any_length_resamples() {
        // Exact multiples of the resampler's chunk, and lengths below one chunk.
        for len in [1, 7, 1023, 1024, 2048, 4096, 5000] {
            let input = sine(300.0, 22050, len);
            let out = resample(&input, 22050, 44100).unwrap();
            assert_eq!(out.len(), len * 2, "{len}");
        }
    }

    #[test]
    fn same_rate_is_identity() {
        assert_eq!(resample(&[0.1, 0.2], 8000, 8000).unwrap(), vec![0.1, 0.2]);
    }
}
