//! Fuzzes the show file reader and its checks: any text must give a show, or an error
//! naming the field or line, never a panic.
#![no_main]

use std::path::Path;

use articast::batch::show::Show;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(show) = Show::parse(text, Path::new("show.toml")) {
            let _ = show.check_for_feed();
            let _ = show.audio_settings(None);
        }
    }
});
