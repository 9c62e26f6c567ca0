//! `articast voices`: every voice, where it comes from, and whether it can speak here.

use anyhow::Result;
use serde::Serialize;

use super::Ui;
use crate::cli::VoicesArgs;
use articast::synth;
use articast::voice::{self, VoiceOrigin};

#[derive(Serialize)]
struct VoiceRow {
    name: String,
    language: String,
    backend: String,
    description: Option<String>,
    origin: VoiceOrigin,
    usable: bool,
    engine: Option<String>,
    problem: Option<String>,
}

pub fn run(args: &VoicesArgs, ui: &Ui) -> Result<()> {
    let (voices, errors) = voice::all_voices();
    for e in &errors {
        ui.say(format!("warning: {e}"));
    }
    let rows: Vec<VoiceRow> = voices
        .iter()
        .map(|v| {
            let backend = synth::backend_for(v, &super::backend_options(None));
            VoiceRow {
                name: v.voice.name.clone(),
                language: v.voice.language.clone(),
                backend: format!("{:?}", v.voice.backend).to_lowercase(),
                description: v.voice.description.clone(),
                origin: v.origin.clone(),
                usable: backend.is_ok(),
                engine: backend.as_ref().ok().map(|b| b.id().engine.clone()),
                problem: backend.err().map(|e| e.to_string()),
            }
        })
        .collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    println!(
        "{:<10} {:<5} {:<8} {:<32} {:<10} DESCRIPTION",
        "NAME", "LANG", "BACKEND", "SPEAKS WITH", "FROM"
    );
    for r in &rows {
        let speaks = match (&r.engine, &r.problem) {
            (Some(e), _) => e.clone(),
            (None, Some(p)) => format!("unusable: {p}"),
            (None, None) => "unusable".into(),
        };
        let from = match &r.origin {
            VoiceOrigin::Builtin => "built-in".to_string(),
            other => other.to_string(),
        };
        println!(
            "{:<10} {:<5} {:<8} {:<32} {:<10} {}",
            r.name,
            r.language,
            r.backend,
            speaks,
            from,
            r.description.as_deref().unwrap_or("")
        );
    }
    if let Some(dir) = voice::user_voice_dir() {
        ui.say(format!("\nUser voices are read from {}", dir.display()));
    }
    if synth::espeak::system_espeak().is_none() {
        ui.say("The system eSpeak NG is not installed; voices use the built-in engine (install espeak-ng for a clearer voice).");
    }
    Ok(())
}
