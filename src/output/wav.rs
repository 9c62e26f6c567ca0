//! WAV output: 16-bit PCM through `hound`, with triangular dither, plus a RIFF
//! `LIST/INFO` chunk with the title, artist, album, date, comment, genre, language and
//! software, which media players and tag editors read, and the chapters as cue points:
//! a `cue ` chunk with one point per chapter and a `LIST/adtl` chunk labelling each with
//! the chapter's title (the markers Audacity, Reaper and most editors show).
//!
//! hound writes the `fmt ` and `data` chunks as the audio streams in; the trailer chunks
//! are appended after `data` and the RIFF size patched, a layout every RIFF reader
//! accepts (chunks are found by id).

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};

use super::sink::{AudioSink, Dither};
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
    if let Some(s) = &m.show {
        fields.push((*b"IPRD", s.clone()));
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

/// The `cue ` chunk and its `LIST/adtl` labels: one cue point per chapter.
pub fn cue_chunks(episode: &Episode) -> Vec<u8> {
    if episode.chapters.is_empty() {
        return Vec::new();
    }
    let mut cue = b"cue ".to_vec();
    cue.extend_from_slice(&(4 + 24 * episode.chapters.len() as u32).to_le_bytes());
    cue.extend_from_slice(&(episode.chapters.len() as u32).to_le_bytes());
    let mut labels = b"adtl".to_vec();
    for (i, chapter) in episode.chapters.iter().enumerate() {
        let id = i as u32 + 1;
        let frame = u32::try_from(chapter.start).unwrap_or(u32::MAX);
        cue.extend_from_slice(&id.to_le_bytes());
        cue.extend_from_slice(&frame.to_le_bytes()); // position in play order
        cue.extend_from_slice(b"data");
        cue.extend_from_slice(&0u32.to_le_bytes()); // chunk start
        cue.extend_from_slice(&0u32.to_le_bytes()); // block start
        cue.extend_from_slice(&frame.to_le_bytes()); // sample offset
        let mut text = chapter.title.replace('\0', " ").into_bytes();
        text.push(0);
        labels.extend_from_slice(b"labl");
        labels.extend_from_slice(&(4 + text.len() as u32).to_le_bytes());
        labels.extend_from_slice(&id.to_le_bytes());
        labels.extend_from_slice(&text);
        if text.len() % 2 == 1 {
            labels.push(0);
        }
    }
    let mut out = cue;
    out.extend_from_slice(b"LIST");
    out.extend_from_slice(&(labels.len() as u32).to_le_bytes());
    out.extend_from_slice(&labels);
    out
}

/// The 44-byte header of a 16-bit PCM WAV file whose `data` holds `data_bytes` and is
/// followed by `trailer_bytes` of further chunks (tags, cue points). Mastering writes
/// the samples straight into the file at their places, so the header is known first.
pub fn pcm16_header(
    channels: u16,
    rate: u32,
    data_bytes: u64,
    trailer_bytes: u64,
) -> std::io::Result<Vec<u8>> {
    let too_big = || std::io::Error::other("WAV larger than 4 GiB; use MP3 or a lower --rate");
    let riff =
        u32::try_from(36 + data_bytes + data_bytes % 2 + trailer_bytes).map_err(|_| too_big())?;
    let data = u32::try_from(data_bytes).map_err(|_| too_big())?;
    let block_align = channels * 2;
    let mut h = Vec::with_capacity(44);
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&riff.to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes()); // PCM
    h.extend_from_slice(&channels.to_le_bytes());
    h.extend_from_slice(&rate.to_le_bytes());
    h.extend_from_slice(&(rate * block_align as u32).to_le_bytes());
    h.extend_from_slice(&block_align.to_le_bytes());
    h.extend_from_slice(&16u16.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&data.to_le_bytes());
    Ok(h)
}

/// The chunks written after the samples: RIFF INFO tags and chapter cue points.
pub fn trailer(episode: &Episode) -> Vec<u8> {
    [info_chunk(&info_fields(episode)), cue_chunks(episode)].concat()
}

/// Streams 16-bit PCM into a WAV file; tags and cue points go in a trailer at the end.
pub struct WavSink<'a> {
    writer: Option<hound::WavWriter<&'a mut BufWriter<File>>>,
    trailer: Vec<u8>,
    dither: Dither,
}

impl<'a> WavSink<'a> {
    /// Starts a WAV file for `episode` in `file`.
    pub fn new(file: &'a mut BufWriter<File>, episode: &Episode) -> std::io::Result<WavSink<'a>> {
        let spec = hound::WavSpec {
            channels: episode.channels,
            sample_rate: episode.sample_rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        Ok(WavSink {
            writer: Some(hound::WavWriter::new(file, spec).map_err(std::io::Error::other)?),
            trailer: [info_chunk(&info_fields(episode)), cue_chunks(episode)].concat(),
            dither: Dither::new(),
        })
    }
}

impl AudioSink for WavSink<'_> {
    fn write(&mut self, interleaved: &[f32]) -> std::io::Result<()> {
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| std::io::Error::other("WAV already finished"))?;
        // hound's buffered 16-bit writer: one write per block instead of per sample.
        let mut block = writer.get_i16_writer(interleaved.len() as u32);
        for &s in interleaved {
            block.write_sample(self.dither.to_i16(s));
        }
        block.flush().map_err(std::io::Error::other)
    }

    fn finish(&mut self) -> std::io::Result<()> {
        let Some(writer) = self.writer.take() else {
            return Ok(());
        };
        writer.finalize().map_err(std::io::Error::other)
    }
}

/// Appends the trailer chunks after `data` and patches the RIFF size.
pub fn append_trailer(file: &mut BufWriter<File>, trailer: &[u8]) -> std::io::Result<()> {
    let end = file.seek(SeekFrom::End(0))?;
    file.write_all(trailer)?;
    let riff_size = end + trailer.len() as u64 - 8;
    let riff_size =
        u32::try_from(riff_size).map_err(|_| std::io::Error::other("WAV larger than 4 GiB"))?;
    file.seek(SeekFrom::Start(4))?;
    file.write_all(&riff_size.to_le_bytes())?;
    file.seek(SeekFrom::End(0))?;
    Ok(())
}

impl WavSink<'_> {
    /// The chunks to append once the sink is finished.
    pub fn trailer(&self) -> &[u8] {
        &self.trailer
    }
}
