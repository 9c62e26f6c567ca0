//! Decoding compressed audio with symphonia (MP3, FLAC, Ogg Vorbis, AAC/MP4, WAV): block
//! by block, interleaved, from any readable source. A leaf: music files (the
//! assembler), encoded episodes (the checks) and speech servers' answers (the `openai`
//! backend) all decode here.

use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;

/// Decodes `source` block by block: `visit` gets interleaved samples, the channel count
/// and the sample rate, and may stop the decoding with its own error. `extension`
/// (`mp3`, `flac`...) helps the probe. Errors of the decoder are its message.
pub fn for_each_block<E>(
    source: Box<dyn MediaSource>,
    extension: Option<&str>,
    mut visit: impl FnMut(&[f32], usize, u32) -> Result<(), E>,
    decode_error: impl Fn(String) -> E,
) -> Result<(), E> {
    let source = after_id3v2(source).map_err(|e| decode_error(e.to_string()))?;
    let mss = MediaSourceStream::new(source, Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = extension {
        hint.with_extension(ext);
    }
    // Gapless decoding (on by default) trims encoder delay and padding.
    let mut format = symphonia::default::get_probe()
        .probe(
            &hint,
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(|e| decode_error(e.to_string()))?;
    let track = format
        .default_track(TrackType::Audio)
        .ok_or_else(|| decode_error("no audio track".into()))?;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| decode_error("no audio codec parameters".into()))?
        .clone();
    let track_id = track.id;
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(|e| decode_error(e.to_string()))?;
    let mut interleaved: Vec<f32> = Vec::new();
    loop {
        let packet = match format.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => return Err(decode_error(e.to_string())),
        };
        if packet.track_id != track_id {
            continue;
        }
        let buf = match decoder.decode(&packet) {
            Ok(buf) => buf,
            // A damaged frame is skipped, as players do.
            Err(symphonia::core::errors::Error::DecodeError(_)) => continue,
            Err(e) => return Err(decode_error(e.to_string())),
        };
        let n_channels = buf.spec().channels().count().max(1);
        let rate = buf.spec().rate();
        interleaved.resize(buf.samples_interleaved(), 0.0);
        buf.copy_to_slice_interleaved(&mut interleaved);
        visit(&interleaved, n_channels, rate)?;
    }
    Ok(())
}

/// Skips a leading ID3v2 tag: the probe then sees the audio frames first. symphonia's
/// probe can lose its way inside a tag it does not read to the end (an episode's tag
/// with chapter frames, whose "no byte offset" fields are 0xFFFFFFFF, looks like MPEG
/// frame sync to a byte scan) and then refuses the file as an unsupported codec.
/// Nothing is skipped from a source that is not seekable or has no tag.
fn after_id3v2(mut source: Box<dyn MediaSource>) -> std::io::Result<Box<dyn MediaSource>> {
    use std::io::{Read, Seek, SeekFrom};
    if !source.is_seekable() {
        return Ok(source);
    }
    let mut header = [0u8; 10];
    let mut got = 0;
    while got < header.len() {
        match source.read(&mut header[got..])? {
            0 => break,
            n => got += n,
        }
    }
    let syncsafe = header[6..10].iter().all(|b| b & 0x80 == 0);
    if got < header.len() || &header[..3] != b"ID3" || header[3] > 4 || !syncsafe {
        source.seek(SeekFrom::Start(0))?;
        return Ok(source);
    }
    let size = header[6..10]
        .iter()
        .fold(0u64, |n, &b| (n << 7) | u64::from(b & 0x7f));
    let footer = if header[5] & 0x10 != 0 { 10 } else { 0 };
    let start = 10 + size + footer;
    if source.byte_len().is_some_and(|len| start >= len) {
        source.seek(SeekFrom::Start(0))?;
        return Ok(source);
    }
    source.seek(SeekFrom::Start(start))?;
    Ok(Box::new(Offset {
        inner: source,
        start,
    }))
}

/// A source read from `start` on, as if it began there.
struct Offset {
    inner: Box<dyn MediaSource>,
    start: u64,
}

impl std::io::Read for Offset {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl std::io::Seek for Offset {
    fn seek(&mut self, pos: std::io::SeekFrom) -> std::io::Result<u64> {
        use std::io::SeekFrom;
        let inner = match pos {
            SeekFrom::Start(n) => SeekFrom::Start(self.start + n),
            other => other,
        };
        let at = self.inner.seek(inner)?;
        if at < self.start {
            self.inner.seek(SeekFrom::Start(self.start))?;
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "seek before the start of the audio",
            ));
        }
        Ok(at - self.start)
    }
}

impl MediaSource for Offset {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        self.inner.byte_len().map(|n| n.saturating_sub(self.start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read, Seek, SeekFrom};

    fn tagged(tag_body: &[u8], audio: &[u8]) -> Vec<u8> {
        let n = tag_body.len() as u32;
        let size = [
            (n >> 21) & 0x7f,
            (n >> 14) & 0x7f,
            (n >> 7) & 0x7f,
            n & 0x7f,
        ];
        let mut bytes = b"ID3\x04\x00\x00".to_vec();
        bytes.extend(size.iter().map(|&b| b as u8));
        bytes.extend_from_slice(tag_body);
        bytes.extend_from_slice(audio);
        bytes
    }

    #[test]
    fn a_leading_tag_is_skipped_and_positions_start_after_it() {
        let bytes = tagged(&[0xff; 300], b"AUDIO");
        let mut source = after_id3v2(Box::new(Cursor::new(bytes))).unwrap();
        assert_eq!(source.byte_len(), Some(5));
        let mut rest = String::new();
        source.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "AUDIO");
        assert_eq!(source.seek(SeekFrom::Start(2)).unwrap(), 2);
        assert_eq!(source.seek(SeekFrom::End(-1)).unwrap(), 4);
        assert!(source.seek(SeekFrom::Current(-10)).is_err());
    }

    #[test]
    fn no_tag_or_a_tag_running_past_the_end_leaves_the_source_whole() {
        let mut plain = after_id3v2(Box::new(Cursor::new(b"RIFF....".to_vec()))).unwrap();
        let mut all = Vec::new();
        plain.read_to_end(&mut all).unwrap();
        assert_eq!(all, b"RIFF....");
        let mut broken = tagged(&[0; 4], b"");
        broken[9] = 0x7f;
        let mut source = after_id3v2(Box::new(Cursor::new(broken.clone()))).unwrap();
        let mut all = Vec::new();
        source.read_to_end(&mut all).unwrap();
        assert_eq!(all, broken);
    }
}
