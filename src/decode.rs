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
