//! Fuzzes the EPUB reader: hostile archives must give an error, never a panic, a hang
//! or an unbounded allocation.
#![no_main]

use std::path::Path;

use articast::document::{parse_bytes, CleanOptions, InputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_bytes(data, Path::new("fuzz.epub"), InputFormat::Epub, &CleanOptions::default());
});
