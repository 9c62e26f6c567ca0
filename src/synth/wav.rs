//! Reading what engines answer into a [`Clip`]: compressed audio through
//! [`crate::decode`], and the WAV files engines write (a program's output file or
//! standard output, a server's answer): 8, 16, 24 or 32-bit integers or 32-bit floats,
//! one channel, or several folded to one. A file whose header announces more data than
//! it holds (streamed WAV with a placeholder length) is read up to what is there.

use super::error::AudioError;
use crate::clip::Clip;

/// `bytes` with the RIFF and data lengths set to what is there, when the header
/// announces more (servers that stream WAV write a placeholder, often `0xFFFFFFFF`).
fn with_real_lengths(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let u32_at = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    if bytes.get(0..4) != Some(b"RIFF") || bytes.get(8..12) != Some(b"WAVE") {
        return bytes.into();
    }
    let mut at = 12;
    let mut block_align = 1;
    while let (Some(id), Some(size)) = (bytes.get(at..at + 4), u32_at(at + 4)) {
        let body = at + 8;
        if id == b"fmt " {
            block_align = bytes
                .get(body + 12..body + 14)
                .map_or(1, |b| u16::from_le_bytes([b[0], b[1]]).max(1) as usize);
        }
        if id == b"data" {
            let there = bytes.len() - body;
            if size <= there {
                return bytes.into();
            }
            let fixed = there - there % block_align;
            let mut owned = bytes.to_vec();
            owned[at + 4..at + 8].copy_from_slice(&(fixed as u32).to_le_bytes());
            owned[4..8].copy_from_slice(&((body + fixed - 8) as u32).to_le_bytes());
            owned.truncate(body + fixed);
            return owned.into();
        }
        at = body + size + size % 2;
    }
    bytes.into()
}

/// A sample as the rest of articast may take it: finite, within [-1, 1] (a float WAV
/// can hold anything, NaN included, and one NaN would silence a whole master).
pub fn sane(s: f32) -> f32 {
    if s.is_finite() {
        s.clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

/// The clip a WAV file's bytes hold.
pub fn clip_from_wav(bytes: &[u8]) -> Result<Clip, AudioError> {
    let bytes = with_real_lengths(bytes);
    let mut reader = hound::WavReader::new(std::io::Cursor::new(&bytes[..]))?;
    let spec = reader.spec();
    if !(8000..=192_000).contains(&spec.sample_rate) {
        return Err(AudioError::Shape(format!(
            "a sample rate of {} Hz (8000-192000 are read)",
            spec.sample_rate
        )));
    }
    let channels = spec.channels.max(1) as usize;
    let scale = match spec.sample_format {
        hound::SampleFormat::Int => 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32,
        hound::SampleFormat::Float => 1.0,
    };
    let mut interleaved = Vec::new();
    let mut take = |r: Result<f32, hound::Error>| -> Result<bool, AudioError> {
        match r {
            Ok(v) => {
                interleaved.push(v);
                Ok(true)
            }
            // Streamed files (the length fields left at their maximum) end early.
            Err(hound::Error::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    };
    match spec.sample_format {
        hound::SampleFormat::Int => {
            for s in reader.samples::<i32>() {
                if !take(s.map(|v| v as f32 * scale))? {
                    break;
                }
            }
        }
        hound::SampleFormat::Float => {
            for s in reader.samples::<f32>() {
                if !take(s)? {
                    break;
                }
            }
        }
    }
    let samples: Vec<f32> = interleaved
        .chunks_exact(channels)
        .map(|frame| sane(frame.iter().sum::<f32>() / channels as f32))
        .collect();
    if samples.is_empty() {
        return Err(AudioError::Empty);
    }
    Ok(Clip {
        samples,
        sample_rate: spec.sample_rate,
    })
}

/// The clip compressed audio holds (`format`: `mp3`, `flac`, `aac`...), channels
/// folded to one.
pub fn clip_from_encoded(bytes: &[u8], format: &str) -> Result<Clip, AudioError> {
    let mut samples = Vec::new();
    let mut sample_rate = 0;
    crate::decode::for_each_block(
        Box::new(std::io::Cursor::new(bytes.to_vec())),
        Some(format),
        |block, channels, rate| {
            sample_rate = rate;
            samples.extend(
                block
                    .chunks_exact(channels)
                    .map(|f| sane(f.iter().sum::<f32>() / channels as f32)),
            );
            Ok(())
        },
        AudioError::Decode,
    )?;
    if samples.is_empty() || sample_rate == 0 {
        return Err(AudioError::Empty);
    }
    Ok(Clip {
        samples,
        sample_rate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav(spec: hound::WavSpec, frames: usize) -> Vec<u8> {
        let mut bytes = std::io::Cursor::new(Vec::new());
        let mut w = hound::WavWriter::new(&mut bytes, spec).unwrap();
        for i in 0..frames * spec.channels as usize {
            match (spec.sample_format, spec.bits_per_sample) {
                (hound::SampleFormat::Float, _) => w.write_sample(0.25f32).unwrap(),
                (_, 16) => w
                    .write_sample(if i % 2 == 0 { 8192i16 } else { -8192 })
                    .unwrap(),
                (_, 24) => w
                    .write_sample(if i % 2 == 0 { 2_097_152i32 } else { -2_097_152 })
                    .unwrap(),
                _ => w.write_sample(0i32).unwrap(),
            }
        }
        w.finalize().unwrap();
        bytes.into_inner()
    }

    fn spec(channels: u16, bits: u16, format: hound::SampleFormat) -> hound::WavSpec {
        hound::WavSpec {
            channels,
            sample_rate: 24_000,
            bits_per_sample: bits,
            sample_format: format,
        }
    }

    #[test]
    fn integer_and_float_files_at_their_scale() {
        let c = clip_from_wav(&wav(spec(1, 16, hound::SampleFormat::Int), 100)).unwrap();
        assert_eq!((c.samples.len(), c.sample_rate), (100, 24_000));
        assert_eq!(c.samples[0], 0.25);
        let c = clip_from_wav(&wav(spec(1, 24, hound::SampleFormat::Int), 10)).unwrap();
        assert_eq!(c.samples[0], 0.25);
        let c = clip_from_wav(&wav(spec(1, 32, hound::SampleFormat::Float), 10)).unwrap();
        assert_eq!(c.samples[0], 0.25);
        // Stereo folds to one channel (here +/- cancel out).
        let c = clip_from_wav(&wav(spec(2, 16, hound::SampleFormat::Int), 10)).unwrap();
        assert_eq!(c.samples.len(), 10);
        assert_eq!(c.samples[0], 0.0);
    }

    #[test]
    fn streamed_truncated_and_garbage_files() {
        // A streamed file: the header says "as long as it gets", the data is shorter.
        let mut streamed = wav(spec(1, 16, hound::SampleFormat::Int), 50);
        streamed[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        streamed[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(clip_from_wav(&streamed).unwrap().samples.len(), 50);
        // Float files may hold anything: what comes out is finite and within [-1, 1].
        let mut bytes = std::io::Cursor::new(Vec::new());
        let mut w =
            hound::WavWriter::new(&mut bytes, spec(1, 32, hound::SampleFormat::Float)).unwrap();
        for v in [f32::NAN, f32::INFINITY, 7.5, -0.5] {
            w.write_sample(v).unwrap();
        }
        w.finalize().unwrap();
        assert_eq!(
            clip_from_wav(&bytes.into_inner()).unwrap().samples,
            [0.0, 0.0, 1.0, -0.5]
        );
        // Cut mid-sample: the whole samples are read.
        let cut = &wav(spec(1, 16, hound::SampleFormat::Int), 50)[..44 + 61];
        assert_eq!(clip_from_wav(cut).unwrap().samples.len(), 30);
        assert!(matches!(
            clip_from_wav(b"not a wav at all"),
            Err(AudioError::Wav(_))
        ));
        assert!(matches!(clip_from_wav(b""), Err(AudioError::Wav(_))));
        let empty = wav(spec(1, 16, hound::SampleFormat::Int), 0);
        assert!(matches!(clip_from_wav(&empty), Err(AudioError::Empty)));
    }
}
