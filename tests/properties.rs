//! Property tests: the segmenter and normalizer on arbitrary input never panic, never
//! lose or reorder text, and always respect the backend's limit.

use std::path::Path;

use articast::document::{parse_bytes, CleanOptions, InputFormat};
use articast::language::detect::LanguageSource;
use articast::language::normalize::normalize;
use articast::language::Language;
use articast::script::{build, chunk, sentences, ScriptOptions};
use proptest::prelude::*;

fn language() -> impl Strategy<Value = Language> {
    prop_oneof![Just(Language::French), Just(Language::English)]
}

/// Text that looks like articles: words, numbers, numerals, abbreviations, punctuation.
fn article_like() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        "[a-zA-Zéèàçœ]{1,12}",
        "[0-9]{1,7}",
        "[0-9]{1,3}([  ,.][0-9]{3}){0,3}",
        Just("XIXe".to_string()),
        Just("Louis XIV".to_string()),
        Just("M.".to_string()),
        Just("etc.".to_string()),
        Just("l’IA".to_string()),
        Just("12 M€".to_string()),
        Just("30 %".to_string()),
        Just("BBC".to_string()),
        Just("—".to_string()),
        "[.,;:!?…«»“”()\\-]",
        Just("\n".to_string()),
        Just("\n\n".to_string()),
    ];
    prop::collection::vec(token, 0..80).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn normalize_never_panics_on_any_unicode(text in "\\PC{0,300}", lang in language()) {
        let n = normalize(&text, lang);
        prop_assert!(!n.spoken.contains('’'));
        prop_assert!(!n.spoken.contains("  "));
    }

    #[test]
    fn normalize_reads_every_digit(text in article_like(), lang in language()) {
        let n = normalize(&text, lang);
        // Digits survive only glued to letters (names like "MP3"), never on their own.
        for word in n.spoken.split_whitespace() {
            if word.chars().any(|c| c.is_ascii_digit()) {
                prop_assert!(word.chars().any(|c| c.is_alphabetic()), "bare number left: {word:?} in {:?}", n.spoken);
            }
        }
    }

    #[test]
    fn sentences_cover_the_text_in_order(text in "\\PC{0,300}", lang in language()) {
        let ranges = sentences::split_sentences(&text, lang);
        let mut last_end = 0;
        for r in &ranges {
            prop_assert!(r.start >= last_end && r.start < r.end);
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            prop_assert!(text[last_end..r.start].trim().is_empty(), "nothing skipped");
            last_end = r.end;
        }
        prop_assert!(text[last_end..].trim().is_empty());
    }

    #[test]
    fn chunks_fit_and_keep_order(text in article_like(), lang in language(), max in 50usize..400) {
        let flat = text.replace('\n', " ");
        let pieces = chunk::fit(&flat, lang, max);
        let mut last_end = 0;
        for p in &pieces {
            prop_assert!(p.normalized.spoken.chars().count() <= max);
            prop_assert!(p.range.start >= last_end);
            last_end = p.range.end;
        }
    }

    #[test]
    fn documents_parse_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400), md in any::<bool>()) {
        let format = if md { InputFormat::Markdown } else { InputFormat::Text };
        let _ = parse_bytes(&bytes, Path::new("fuzz"), format, &CleanOptions::default());
    }

    #[test]
    fn scripts_follow_source_order(text in article_like(), md in any::<bool>(), lang in language()) {
        let format = if md { InputFormat::Markdown } else { InputFormat::Text };
        if let Ok((doc, _)) = parse_bytes(text.as_bytes(), Path::new("p.txt"), format, &CleanOptions::default()) {
            let script = build(&doc, lang, LanguageSource::Flag, &ScriptOptions { max_chars: 120, ..Default::default() });
            let mut last_line = 0;
            for (i, c) in script.chunks.iter().enumerate() {
                prop_assert_eq!(c.index, i);
                prop_assert!(c.line >= last_line, "chunk {} goes back in the source", i);
                prop_assert!(c.spoken.chars().count() <= 121, "heading period aside, the limit holds");
                prop_assert!(c.chapter < script.chapters.len());
                last_line = c.line;
            }
        }
    }
}

/// Whether `word` (or `word.`) is an abbreviation expanded in every context, in any language.
fn is_abbreviation(word: &str) -> bool {
    use articast::language::normalize::{rules_for, AbbrevContext};
    Language::ALL.iter().any(|&lang| {
        rules_for(lang)
            .abbreviations
            .iter()
            .any(|a| a.context == AbbrevContext::Always && a.written.trim_end_matches('.') == word)
    })
}

/// Sentences of plain lowercase words with punctuation: nothing there is a number,
/// symbol, acronym or abbreviation, so every word must be spoken as written.
fn plain_words() -> impl Strategy<Value = (Vec<String>, String)> {
    // Words the tables expand wherever they stand ("vs", "cf." "etc.") are not plain.
    let word = "[a-zéèàùç]{2,10}".prop_filter("an abbreviation", |w: &String| !is_abbreviation(w));
    prop::collection::vec(
        (
            word,
            prop_oneof![Just(" "), Just(", "), Just(". "), Just(" ; "), Just("! ")],
        ),
        1..60,
    )
    .prop_map(|pairs| {
        let words: Vec<String> = pairs.iter().map(|(w, _)| w.clone()).collect();
        let text: String = pairs.iter().map(|(w, sep)| format!("{w}{sep}")).collect();
        (words, text)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_plain_word_is_spoken_once_in_order((words, text) in plain_words(), lang in language()) {
        let pieces = chunk::fit(&text, lang, 80);
        let spoken: Vec<String> = pieces
            .iter()
            .flat_map(|p| p.normalized.spoken.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).map(str::to_string).collect::<Vec<_>>())
            .collect();
        // Sentences can be cut anywhere between words, but no word is lost, added or moved.
        let joined_sentences: Vec<String> = sentences::split_sentences(&text, lang)
            .into_iter()
            .flat_map(|r| chunk::fit(&text[r], lang, 80))
            .flat_map(|p| p.normalized.spoken.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).map(str::to_string).collect::<Vec<_>>())
            .collect();
        prop_assert_eq!(&spoken, &words);
        prop_assert_eq!(&joined_sentences, &words);
    }
}

/// Strings drawn from IPA's letters and marks, with a few characters that are not IPA.
fn ipa_like() -> impl Strategy<Value = String> {
    let symbol = prop_oneof![
        8 => "[a-z]",
        8 => "[ɑɐæəɜɚɒɔɛɪʊʌʏøœɨʉɯɤɵŋɲθðʃʒçχɣβʝɥɫʎɬɾɹʁʔɟ]",
        1 => Just("\u{0303}".to_string()),
        1 => Just("t͡ʃ".to_string()),
        3 => "[ˈˌː.ʰ ']",
        // Not IPA: refused, or trimmed at the ends (slashes and brackets).
        1 => "[A-Z0-9|⟦⟧/\\[\\]]",
    ];
    prop::collection::vec(symbol, 0..16).prop_map(|s| s.concat())
}

fn any_language() -> impl Strategy<Value = Language> {
    prop_oneof![
        Just(Language::French),
        Just(Language::English),
        Just(Language::German),
        Just(Language::Spanish),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// What the lexicon accepts as IPA is stable, becomes eSpeak NG mnemonics made of
    /// ASCII only (nothing that closes `[[…]]` early), and travels in a span that gives
    /// back the word and the IPA.
    #[test]
    fn ipa_is_cleaned_once_and_travels_whole(
        ipa in ipa_like(),
        word in "[\\PC]{1,20}",
        lang in any_language(),
    ) {
        use articast::language::ipa;
        if let Ok(clean) = ipa::clean(&ipa) {
            prop_assert_eq!(ipa::clean(&clean), Ok(clean.clone()));
            let mnemonics = ipa::espeak_mnemonics(&clean, lang);
            prop_assert!(mnemonics.chars().all(|c| c.is_ascii_graphic() || c == ' '), "{}", mnemonics);
            prop_assert!(!mnemonics.contains(']') && !mnemonics.contains('['), "{}", mnemonics);
            let span = ipa::span(&word, &clean);
            prop_assert!(!span.chars().any(char::is_whitespace));
            let expected_word: String = word
                .replace('‿', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .replace(['⟦', '⟧', '|'], "");
            let text = format!("a {span} b");
            prop_assert_eq!(
                ipa::pieces(&text),
                vec![
                    ipa::Piece::Text("a "),
                    ipa::Piece::Phonemes { written: expected_word.clone(), ipa: clean.clone() },
                    ipa::Piece::Text(" b"),
                ]
            );
            prop_assert_eq!(ipa::written_only(&text), format!("a {expected_word} b"));
        }
    }
}
