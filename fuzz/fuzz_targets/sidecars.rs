//! Fuzzes the readers of an episode's sidecars for `preview episode.mp3`: WebVTT cues
//! and Podcasting 2.0 chapters. Any text: no panic, cues in order with end >= start.
#![no_main]

use articast::preview::episode::{parse_chapters, parse_vtt};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cues = parse_vtt(&text);
    for pair in cues.windows(2) {
        assert!(pair[0].start <= pair[1].start);
    }
    for cue in &cues {
        assert!(cue.end >= cue.start && cue.start >= 0.0);
    }
    if let Ok(chapters) = parse_chapters(&text) {
        for pair in chapters.windows(2) {
            assert!(pair[0].0 <= pair[1].0);
        }
    }
});
