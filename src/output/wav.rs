//! WAV output: 16-bit PCM through `hound`, plus a RIFF `LIST/INFO` chunk with the title,
//! artist, date, comment, genre and software, which media players and tag editors read.
//!
//! hound writes the `fmt ` and `data` chunks; the INFO list is appended after `data` and
//! the RIFF size patched, a layout every RIFF reader accepts (chunks are found by id).

use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use super::atomic::write_atomic;
use super::OutputError;
use crate::assemble::Episode;

/// RIFF INFO fields, by four-character id.
pub fn info_fields(episode: &Episode) -> Vec<([u8; 4], String)> {
    let m = &episode.meta;
    let mut fields = Vec::new();
    if let Some(t) = &m.title {
        fields.push((*b"INAM", t.clone()));
    }
    if let Some(a) = &m.author {
        fields.push((*b"IART", a.clone()));
    }
    if let Some(d) = &m.date {
        fields.push((*b"ICRD", d.clone()));
    }
    let comment = match &m.description {
        Some(d) => format!("{d} (read by {})", m.voice),
        None => format!("Read by {}", m.voice),
    };
    fields.push((*b"ICMT", comment));
    fields.push((*b"IGNR", "Podcast".to_string()));
    fields.push((*b"ILNG", m.language.clone()));
    fields.push((*b"ISFT", format!("articast {}", env!("CARGO_PKG_VERSION"))));
    fields
}

/// The bytes of a `LIST/INFO` chunk holding `fields`.
pub fn info_chunk(fields: &[([u8; 4], String)]) -> Vec<u8> {
    let mut body = b"INFO".to_vec();
    for (id, value) in fields {
        let mut data = value.replace('\0', " ").into_bytes();
        data.push(0);
        body.extend_from_slice(id);
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(&data);
        if data.len() % 2 == 1 {
            body.push(0);
        }
    }
    let mut chunk = b"LIST".to_vec();
    chunk.extend_from_slice(&(body.len() as u32).to_le_bytes());
    chunk.extend_from_slice(&body);
    chunk
}

/// Converts a float sample to 16-bit PCM with rounding and clipping.
pub fn to_i16(s: f32) -> i16 {
    (s * 32767.0).round().clamp(-32768.0, 32767.0) as i16
}

/// Writes the episode as a 16-bit mono WAV file with INFO tags, atomically.
pub fn write_wav(episode: &Episode, path: &Path) -> Result<(), OutputError> {
    // A RIFF file cannot exceed 4 GiB; 16-bit mono hits that after about 27 hours at
    // 22 kHz. Refuse before writing rather than wrap the size fields.
    let bytes = episode.total_samples() * 2;
    if bytes > u32::MAX as u64 - 64 * 1024 {
        return Err(OutputError {
            path: path.to_path_buf(),
            source: std::io::Error::other(format!(
                "the episode needs {bytes} bytes of audio, more than a WAV file can hold (4 GiB); split the article"
            )),
        });
    }
    write_atomic(path, |file| {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: episode.sample_rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        {
            let mut writer =
                hound::WavWriter::new(&mut *file, spec).map_err(std::io::Error::other)?;
            {
                let mut w16 = writer.get_i16_writer(episode.total_samples() as u32);
                for s in episode.samples() {
                    w16.write_sample(to_i16(s));
                }
                w16.flush().map_err(std::io::Error::other)?;
            }
            writer.finalize().map_err(std::io::Error::other)?;
        }
        let chunk = info_chunk(&info_fields(episode));
        let end = file.seek(SeekFrom::End(0))?;
        file.write_all(&chunk)?;
        let riff_size = (end + chunk.len() as u64 - 8) as u32;
        file.seek(SeekFrom::Start(4))?;
        file.write_all(&riff_size.to_le_bytes())?;
        file.seek(SeekFrom::End(0))?;
        Ok(())
    })
}
