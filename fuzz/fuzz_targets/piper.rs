//! Piper voice configs, voice catalogs and phoneme-id building on arbitrary input: no
//! panic, and ids always start with BOS and end with EOS.
#![no_main]

use std::path::Path;

use articast::catalog::parse_catalog;
use articast::synth::piper::config::PiperConfig;
use articast::synth::piper::phonemes::{phoneme_ids, sentences, Clause};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_catalog(data, "fuzz://voices.json");
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = PiperConfig::parse(text, Path::new("fuzz.onnx.json")) {
        let _ = config.speaker_id(Some("1"));
        let clauses = [Clause {
            phonemes: text.to_string(),
            terminator: ",",
            ends_sentence: true,
        }];
        for sentence in sentences(&clauses, &config.vowel_clusters) {
            let (ids, _) = phoneme_ids(&sentence, &config.phoneme_id_map);
            assert_eq!(ids.first(), config.phoneme_id_map["^"].first());
        }
    }
    // Phoneme strings straight from the input, with the default-like map of one symbol.
    let clauses = [Clause {
        phonemes: text.to_string(),
        terminator: "?",
        ends_sentence: false,
    }];
    let _ = sentences(&clauses, &[vec!["a".into(), "ɪ".into()]]);
});
