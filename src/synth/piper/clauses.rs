//! Where a Piper voice's clauses come from: eSpeak NG, as a system library or built in.
//!
//! The reference implementation asks libespeak-ng for phonemes one clause at a time
//! (`espeak_TextToPhonemesWithTerminator`). articast does the same with the system
//! libespeak-ng when one is installed: with 1.52 and later the library reports each
//! clause's ending; with older ones the ending is read from the text the clause consumed.
//! Without a system library the built-in pure-Rust eSpeak NG phonemizes, clause by
//! clause as split here by eSpeak NG's punctuation rules; its phonemes differ from the C
//! library's in places (see `docs/design.md`), so the system library is preferred.

use std::sync::{Mutex, OnceLock};

use super::phonemes::{terminator_from_flags, terminator_from_text, Clause};
use crate::language::ipa::{self, Piece};
use crate::synth::espeak::ensure_builtin_data;
use crate::synth::espeak_lib::LibEspeak;
use crate::synth::espeak_settings::EnginePreference;
use crate::synth::SynthError;

/// libespeak-ng keeps global state: one per process, behind a lock (the reference holds
/// a lock around it too). Phonemizing is quick next to neural synthesis.
fn shared_library() -> Option<&'static Mutex<LibEspeak>> {
    static LIB: OnceLock<Option<Mutex<LibEspeak>>> = OnceLock::new();
    LIB.get_or_init(|| {
        LibEspeak::load()
            .ok()
            .filter(LibEspeak::can_phonemize)
            .map(Mutex::new)
    })
    .as_ref()
}

/// A phonemizer of clauses for one eSpeak NG voice.
pub struct ClauseSource {
    voice: String,
    engine: Engine,
    /// Who phonemizes, for people and cache keys ("eSpeak NG 1.51 (system library)").
    pub description: String,
}

enum Engine {
    Library(&'static Mutex<LibEspeak>),
    Builtin(Box<espeak_ng::EspeakNg>),
}

impl ClauseSource {
    /// Opens eSpeak NG for `voice` (`en-us`, `fr`), choosing the engine by `preference`.
    pub fn new(voice: &str, preference: EnginePreference) -> Result<ClauseSource, SynthError> {
        let library = match preference {
            EnginePreference::Builtin => None,
            _ => shared_library(),
        };
        if preference == EnginePreference::System && library.is_none() {
            return Err(SynthError::Unavailable {
                engine: "the system libespeak-ng".into(),
                hint: "install eSpeak NG (apt install libespeak-ng1) or set ARTICAST_LIBESPEAK_NG to its library, or use the built-in phonemizer".into(),
            });
        }
        let source = match library {
            Some(lib) => {
                let guard = lib
                    .lock()
                    .map_err(|_| engine_error("libespeak-ng lock poisoned"))?;
                let how = if guard.reports_terminators() {
                    "system library"
                } else {
                    "system library, endings read from the text"
                };
                let description = format!("eSpeak NG {} ({how})", guard.version);
                drop(guard);
                ClauseSource {
                    voice: voice.to_string(),
                    engine: Engine::Library(lib),
                    description,
                }
            }
            None => {
                let data = ensure_builtin_data()?;
                let engine = espeak_ng::EspeakNg::with_data_dir(voice, &data).map_err(|e| {
                    engine_error(&format!("built-in eSpeak NG has no voice '{voice}': {e}"))
                })?;
                ClauseSource {
                    voice: voice.to_string(),
                    engine: Engine::Builtin(Box::new(engine)),
                    description: crate::synth::espeak::builtin_engine_name(),
                }
            }
        };
        source.clauses("a")?;
        Ok(source)
    }

    /// Phonemizes spoken text that may hold phoneme spans (words the lexicon gives in
    /// IPA): the text around them is phonemized, the spans' IPA is used as given, in the
    /// clause the text around it belongs to.
    pub fn clauses_with_spans(&self, text: &str) -> Result<Vec<Clause>, SynthError> {
        if !ipa::has_spans(text) {
            return self.clauses(text);
        }
        let mut out: Vec<Clause> = Vec::new();
        // Whether the last clause goes on into what follows.
        let mut open = false;
        for piece in ipa::pieces(text) {
            match piece {
                Piece::Text(mut t) => {
                    // Punctuation right after a span ends the span's clause.
                    let lead = t.trim_start();
                    if let (true, Some(last), Some(mark)) = (
                        open,
                        out.last_mut(),
                        lead.chars().next().filter(|c| ".,;:!?…".contains(*c)),
                    ) {
                        (last.terminator, last.ends_sentence) =
                            terminator_from_text(&lead[..mark.len_utf8()]);
                        open = false;
                        t = &lead[mark.len_utf8()..];
                    }
                    if !t.chars().any(char::is_alphanumeric) {
                        continue;
                    }
                    let mut clauses = self.clauses(t)?.into_iter();
                    if open {
                        if let (Some(last), Some(first)) = (out.last_mut(), clauses.next()) {
                            join(&mut last.phonemes, &first.phonemes);
                            last.terminator = first.terminator;
                            last.ends_sentence = first.ends_sentence;
                        }
                    }
                    out.extend(clauses);
                    open = !t.trim_end().ends_with(['.', ',', ';', ':', '!', '?', '…'])
                        && out.last().is_some_and(|c| c.terminator.is_empty());
                }
                Piece::Phonemes { ipa, .. } => {
                    match out.last_mut().filter(|_| open) {
                        Some(last) => join(&mut last.phonemes, &ipa),
                        None => out.push(Clause {
                            phonemes: ipa,
                            terminator: "",
                            ends_sentence: false,
                        }),
                    }
                    open = true;
                }
            }
        }
        Ok(out)
    }

    /// Phonemizes `text`, one clause at a time.
    pub fn clauses(&self, text: &str) -> Result<Vec<Clause>, SynthError> {
        match &self.engine {
            Engine::Library(lib) => {
                let lib = lib
                    .lock()
                    .map_err(|_| engine_error("libespeak-ng lock poisoned"))?;
                let raw = lib
                    .clauses(&self.voice, text)
                    .map_err(|e| engine_error(&e))?;
                Ok(raw
                    .into_iter()
                    .map(|c| {
                        let (terminator, ends_sentence) = match c.terminator {
                            Some(flags) => terminator_from_flags(flags),
                            None => terminator_from_text(without_lookahead(&c.consumed, c.last)),
                        };
                        Clause {
                            phonemes: c.phonemes,
                            terminator,
                            ends_sentence,
                        }
                    })
                    .collect())
            }
            Engine::Builtin(engine) => split_clauses(text)
                .into_iter()
                .map(|part| {
                    let ipa = engine
                        .text_to_phonemes(part)
                        .map_err(|e| engine_error(&e.to_string()))?;
                    let (terminator, ends_sentence) = terminator_from_text(part);
                    Ok(Clause {
                        phonemes: ipa.split_whitespace().collect::<Vec<_>>().join(" "),
                        terminator,
                        ends_sentence,
                    })
                })
                .collect(),
        }
    }
}

/// Appends a word's phonemes to a clause's, a space between.
fn join(phonemes: &mut String, more: &str) {
    let more = more.trim();
    if more.is_empty() {
        return;
    }
    if !phonemes.is_empty() {
        phonemes.push(' ');
    }
    phonemes.push_str(more);
}

fn engine_error(message: &str) -> SynthError {
    SynthError::Engine {
        engine: "eSpeak NG phonemizer".into(),
        message: message.to_string(),
    }
}

/// The text a clause consumed, without the start of the next clause: libespeak-ng reads
/// one character past a clause's end before it returns ("Today, t").
fn without_lookahead(consumed: &str, last: bool) -> &str {
    if last {
        return consumed;
    }
    let mut chars = consumed.char_indices().rev();
    match (chars.next(), chars.next()) {
        (Some((at, c)), Some((_, before))) if !c.is_whitespace() && before.is_whitespace() => {
            &consumed[..at]
        }
        _ => consumed,
    }
}

/// Splits text into clauses where eSpeak NG's clause reader does: after `.` `?` `!` `,`
/// `:` `;` and ellipses followed by a space (or the end), after a dash standing between
/// spaces, and at blank lines. A period followed by a lower-case word does not end a
/// clause (`e.g. this`), as in eSpeak NG.
pub fn split_clauses(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let mut end = None;
        if matches!(c, '.' | '?' | '!' | ',' | ':' | ';' | '…' | '—' | '–') {
            // Look past closing marks to what follows.
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '\'' | ')' | ']' | '»' | '”' | '’')
            {
                j += 1;
            }
            let next = chars.get(j).map(|x| x.1);
            let after_space = chars[j..]
                .iter()
                .map(|x| x.1)
                .find(|ch| !ch.is_whitespace());
            let spaced = next.is_none_or(char::is_whitespace);
            let dash_ok = !matches!(c, '—' | '–') || (i > 0 && chars[i - 1].1.is_whitespace());
            let ellipsis_end = c == '.' && i > 0 && chars[i - 1].1 == '.';
            let lower_follows =
                c == '.' && !ellipsis_end && after_space.is_some_and(char::is_lowercase);
            let ellipsis_inside = c == '.' && next == Some('.');
            if spaced && dash_ok && !lower_follows && !ellipsis_inside {
                end = Some(
                    chars[j..]
                        .iter()
                        .find(|x| !x.1.is_whitespace())
                        .map_or(text.len(), |x| x.0),
                );
            }
        } else if c == '\n' {
            let blank = chars[i + 1..]
                .iter()
                .take_while(|x| x.1 != '\n')
                .all(|x| x.1.is_whitespace())
                && chars[i + 1..].iter().any(|x| x.1 == '\n');
            if blank {
                end = Some(at);
            }
        }
        if let Some(end) = end {
            if text[start..end].trim().chars().any(char::is_alphanumeric) {
                parts.push(&text[start..end]);
                start = end;
            }
        }
        i += 1;
    }
    if text[start..].trim().chars().any(char::is_alphanumeric) {
        parts.push(&text[start..]);
    } else if let Some(last) = parts.last_mut() {
        // Trailing punctuation or spaces belong to the last clause.
        let begin = text.len() - text[start..].len() - last.len();
        *last = &text[begin..];
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_take_their_ipa_into_the_clause_around_them() {
        let source = ClauseSource::new("fr", EnginePreference::Builtin).unwrap();
        let text = "Le ⟦Kubernetes|kybɛʁnɛtɛs⟧, c'est bien. Enfin ⟦K8s|ˈkeɪts⟧ ici ⟦x|iks⟧";
        let got: Vec<(String, &str, bool)> = source
            .clauses_with_spans(text)
            .unwrap()
            .into_iter()
            .map(|c| (c.phonemes, c.terminator, c.ends_sentence))
            .collect();
        let plain = source.clauses("Le, c'est bien. Enfin ici").unwrap();
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].0, format!("{} kybɛʁnɛtɛs", plain[0].phonemes));
        assert_eq!((got[0].1, got[0].2), (",", false));
        assert_eq!(got[1].0, plain[1].phonemes);
        assert!(got[1].2);
        // "Enfin" alone is stressed as the end of a clause; the rest is as phonemized.
        let unstressed = |s: &str| s.replace(['ˈ', 'ˌ'], "");
        let (enfin, ici) = plain[2].phonemes.split_once(' ').unwrap();
        assert_eq!(
            unstressed(&got[2].0),
            unstressed(&format!("{enfin} ˈkeɪts {ici} iks"))
        );
        assert!(got[2].0.contains(" ˈkeɪts "), "{}", got[2].0);
        // Text without spans is phonemized as before.
        let same = source.clauses_with_spans("Le, c'est bien.").unwrap();
        assert_eq!(same, source.clauses("Le, c'est bien.").unwrap());
    }

    #[test]
    fn splits_where_espeak_ends_clauses() {
        assert_eq!(
            split_clauses("x; y: z, w! Dr. Who"),
            ["x; ", "y: ", "z, ", "w! ", "Dr. ", "Who"]
        );
        assert_eq!(split_clauses("Wait... what?"), ["Wait... ", "what?"]);
        assert_eq!(
            split_clauses("a.b.c e.g. this 3.5"),
            ["a.b.c e.g. this 3.5"]
        );
        assert_eq!(
            split_clauses("one - two — three"),
            ["one - two — ", "three"]
        );
        assert_eq!(
            split_clauses("He said \"no.\" Then left."),
            ["He said \"no.\" ", "Then left."]
        );
        assert_eq!(split_clauses("Oui ! »  "), ["Oui ! »  "]);
    }

    #[test]
    fn the_library_lookahead_is_not_part_of_the_ending() {
        assert_eq!(without_lookahead("Today, t", false), "Today, ");
        assert_eq!(without_lookahead("ait... w", false), "ait... ");
        assert_eq!(without_lookahead("e said \"no.\"", false), "e said \"no.\"");
        assert_eq!(without_lookahead("Bonjour, «", false), "Bonjour, ");
        assert_eq!(without_lookahead("-o, -", false), "-o, ");
        assert_eq!(without_lookahead("the end", true), "the end");
    }
}
