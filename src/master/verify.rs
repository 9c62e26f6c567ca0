//! What a listener's player will make of an MP3: its frames decoded by symphonia, not by
//! the encoder, so that the file is judged by what plays.

/// Decodes MP3 frames (symphonia, not the encoder), handing each decoded buffer,
/// interleaved, to `each`: every sample the frames hold, delays included. A damaged
/// frame is skipped, as players do.
pub fn decode_mp3(bytes: &[u8], each: &mut dyn FnMut(&[f32])) -> Result<(), String> {
    if bytes.is_empty() {
        return Ok(());
    }
    crate::decode::for_each_block(
        Box::new(std::io::Cursor::new(bytes.to_vec())),
        Some("mp3"),
        |block, _, _| {
            each(block);
            Ok(())
        },
        |message| message,
    )
}
