//! Fuzzes the HTML reader: any bytes, decoded as articast decodes them, must parse
//! without panicking.
#![no_main]

use std::path::Path;

use articast::document::{parse_bytes, CleanOptions, InputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_bytes(data, Path::new("fuzz.html"), InputFormat::Html, &CleanOptions::default());
});
