//! Fuzzes the whole text path: decoding, Markdown or plain-text parsing, cleaning,
//! sentence splitting, normalization and chunking, in every language.
#![no_main]

use std::path::Path;

use articast::document::{parse_bytes, CleanOptions, InputFormat};
use articast::language::detect::LanguageSource;
use articast::language::Language;
use articast::script::{build, ScriptOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let format = if selector & 1 == 0 { InputFormat::Text } else { InputFormat::Markdown };
    let language = Language::ALL[(selector as usize >> 1) % Language::ALL.len()];
    if let Ok((doc, _)) = parse_bytes(rest, Path::new("fuzz.txt"), format, &CleanOptions::default()) {
        let options = ScriptOptions { max_chars: 60, ..Default::default() };
        let script = build(&doc, language, LanguageSource::Flag, &options);
        for chunk in &script.chunks {
            assert!(chunk.spoken.chars().count() <= 61, "chunk over the limit: {:?}", chunk.spoken);
        }
    }
});
