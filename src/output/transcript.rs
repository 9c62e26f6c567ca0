//! Timed transcripts: WebVTT and SubRip, one cue per chunk (a sentence, or a clause of a
//! sentence too long for the engine), times from the real audio.

use std::path::Path;

use super::{timestamp, OutputError};
use crate::assemble::Episode;
use crate::atomic::write_atomic;

/// Escapes cue text for WebVTT: `&`, `<`, `>` become entities and `-->` cannot appear.
fn vtt_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The WebVTT document for `episode`.
pub fn vtt(episode: &Episode) -> String {
    let mut out = String::from("WEBVTT\n");
    if let Some(lang) = Some(&episode.meta.language).filter(|l| !l.is_empty()) {
        out.push_str(&format!("Language: {lang}\n"));
    }
    for (i, cue) in episode.cues.iter().enumerate() {
        out.push_str(&format!(
            "\n{}\n{} --> {}\n{}\n",
            i + 1,
            timestamp(cue.start, episode.sample_rate, '.'),
            timestamp(cue.end, episode.sample_rate, '.'),
            vtt_escape(&cue.text)
        ));
    }
    out
}

/// The SubRip document for `episode`.
pub fn srt(episode: &Episode) -> String {
    let mut out = String::new();
    for (i, cue) in episode.cues.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!(
            "{}\n{} --> {}\n{}\n",
            i + 1,
            timestamp(cue.start, episode.sample_rate, ','),
            timestamp(cue.end, episode.sample_rate, ','),
            cue.text
        ));
    }
    out
}

/// A plain-text transcript: the title, then the text as written, with a blank line
/// wherever the episode pauses for a paragraph, heading or chapter.
pub fn plain_text(episode: &Episode) -> String {
    use crate::script::Pause;
    let mut out = String::new();
    for cue in &episode.cues {
        out.push_str(&cue.text);
        match cue.pause_after {
            Pause::Clause | Pause::Sentence => out.push(' '),
            _ => out.push_str("\n\n"),
        }
    }
    out.trim_end().to_string() + "\n"
}

/// Writes `text` to `path` atomically.
pub fn write_text(path: &Path, text: &str) -> Result<(), OutputError> {
    write_atomic(path, |w| std::io::Write::write_all(w, text.as_bytes()))
}
