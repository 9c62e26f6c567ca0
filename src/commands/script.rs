//! `articast script`: what would be spoken, chunk by chunk, without synthesizing.

use anyhow::Result;
use serde::Serialize;

use super::{prepare, Ui};
use crate::cli::ScriptArgs;
use articast::document::clean::DropReason;
use articast::script::Script;

#[derive(Serialize)]
struct DroppedJson {
    line: usize,
    reason: DropReason,
}

#[derive(Serialize)]
struct ScriptJson<'a> {
    voice: &'a str,
    engine: &'a str,
    max_chars: usize,
    /// What cleaning removed, by line and reason (the text is on stderr, not here: the
    /// JSON holds only what will be spoken).
    dropped: Vec<DroppedJson>,
    #[serde(flatten)]
    script: &'a Script,
}

pub fn run(args: &ScriptArgs, ui: &Ui) -> Result<()> {
    let prepared = prepare(&args.read, ui, 1)?;
    let script = &prepared.script;
    if args.json {
        let json = ScriptJson {
            voice: &prepared.voice.voice.name,
            engine: &prepared.backend.id().engine,
            max_chars: prepared.backend.limits().max_chars,
            dropped: prepared
                .report
                .clean
                .dropped
                .iter()
                .map(|d| DroppedJson {
                    line: d.line,
                    reason: d.reason,
                })
                .collect(),
            script,
        };
        println!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(());
    }
    println!(
        "title:    {}",
        script.meta.title.as_deref().unwrap_or("(none)")
    );
    println!(
        "language: {} ({:?})",
        script.language, script.language_source
    );
    println!(
        "voice:    {} - {}",
        prepared.voice.voice.name,
        prepared.backend.id().engine
    );
    for (ci, chapter) in script.chapters.iter().enumerate() {
        println!(
            "\n== chapter {}: {} (line {})",
            ci + 1,
            chapter.title,
            chapter.line
        );
        for chunk in script.chunks.iter().filter(|c| c.chapter == ci) {
            println!(
                "[{}] line {} {:?}, pause {:?}",
                chunk.index, chunk.line, chunk.role, chunk.pause_after
            );
            println!("    written: {}", chunk.written);
            if chunk.spoken != chunk.written {
                println!("    spoken:  {}", chunk.spoken);
            }
            if !chunk.rules.is_empty() {
                println!("    rules:   {}", chunk.rules.join(", "));
            }
        }
    }
    Ok(())
}
