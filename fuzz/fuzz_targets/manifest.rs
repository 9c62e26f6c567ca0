//! Fuzzes the manifest reader: a part another machine wrote (or a damaged one) must read
//! back or give an error naming the file, never a panic.
#![no_main]

use std::path::Path;

use articast::batch::manifest::Manifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Manifest::parse(text, Path::new("part-01-of-01.json"));
    }
});
