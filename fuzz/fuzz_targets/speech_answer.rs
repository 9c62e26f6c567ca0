//! Fuzzes what speech engines and servers answer: any bytes read as WAV (with the
//! streamed-length repair) and as compressed audio (MP3, FLAC, AAC). No input may
//! panic, and whatever is accepted is mono audio at a real rate, every sample finite
//! and within [-1, 1].
#![no_main]

use articast::synth::wav::{clip_from_encoded, clip_from_wav};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let format = ["mp3", "flac", "aac"][data.first().map_or(0, |b| *b as usize % 3)];
    for clip in [clip_from_wav(data), clip_from_encoded(data, format)].into_iter().flatten() {
        assert!(!clip.samples.is_empty());
        assert!(clip.sample_rate > 0);
        assert!(clip.samples.iter().all(|s| s.is_finite() && s.abs() <= 1.0));
    }
});
