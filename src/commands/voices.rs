//! `articast voices`: the voices here and whether they can speak, what neural voices
//! need (`--check`), and installing Piper voices from the public catalog.

use anyhow::{Context, Result};
use serde::Serialize;

use super::{Ui, UsageError};
use crate::cli::{VoicesAction, VoicesArgs};
use articast::catalog;
use articast::config::UserConfig;
use articast::synth;
use articast::synth::BackendSettings;
use articast::voice::{self, VoiceEntry, VoiceOrigin};

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
    let settings = UserConfig::load()?;
    match &args.action {
        None => list_here(args, ui, &settings, None),
        Some(VoicesAction::List {
            available: false,
            lang,
        }) => list_here(args, ui, &settings, lang.as_deref()),
        Some(VoicesAction::List {
            available: true,
            lang,
        }) => list_available(args, &settings, lang.as_deref()),
        Some(VoicesAction::Install {
            names,
            force,
            yes,
            no_runtime,
        }) => {
            install(args, ui, &settings, names, *force)?;
            if *no_runtime {
                return Ok(());
            }
            ensure_runtime(ui, &settings, *yes, false)
        }
        Some(VoicesAction::Setup { yes, force }) => ensure_runtime(ui, &settings, *yes, *force),
        Some(VoicesAction::Remove { names }) => {
            for name in names {
                let dir = catalog::remove(name)?;
                ui.say(format!("removed {name} ({})", dir.display()));
            }
            Ok(())
        }
    }
}

fn list_here(args: &VoicesArgs, ui: &Ui, settings: &UserConfig, lang: Option<&str>) -> Result<()> {
    let (mut voices, errors) = voice::all_voices();
    for e in &errors {
        ui.say(format!("warning: {e}"));
    }
    if let Some(lang) = lang {
        // `fr`, `fr-FR` and `fr_FR` all mean the voices that speak French.
        let family: String = lang
            .to_lowercase()
            .chars()
            .take_while(|c| c.is_alphabetic())
            .collect();
        voices.retain(|v| v.voice.language.to_lowercase() == family);
    }
    let options = super::backend_options(None, 1, settings);
    let neural_ok = voices.iter().any(|v| v.voice.backend.piper().is_some())
        && super::neural_voices_usable(settings);
    let rows: Vec<VoiceRow> = voices.iter().map(|v| row(v, &options, neural_ok)).collect();
    if args.json && !args.check {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    if !args.json {
        print_rows(&rows);
        if let Some(dir) = articast::dirs::user_voice_dir() {
            ui.say(format!("\nUser voices are read from {}", dir.display()));
        }
        ui.say(format!(
            "Piper voices are installed in {}",
            catalog::voices_dir().display()
        ));
        if synth::espeak::system_espeak().is_none() {
            ui.say("The system eSpeak NG is not installed; voices use the built-in engine (install espeak-ng for a clearer voice).");
        }
    }
    if args.check {
        check(args, settings)?;
    }
    Ok(())
}

/// A voice's row. Piper voices are not loaded (that takes a moment per voice): they are
/// usable when their model is on disk and ONNX Runtime was found.
fn row(v: &VoiceEntry, options: &synth::BackendOptions, neural_ok: bool) -> VoiceRow {
    // A neural voice is checked without loading its model; the others are built.
    let (usable, engine, problem) = match &v.voice.backend {
        BackendSettings::Piper(p) => {
            let model = p.model.as_str();
            match (voice::find_model(model), neural_ok) {
                (Some(_), true) => (true, Some("Piper (neural)".to_string()), None),
                (None, _) => (
                    false,
                    None,
                    Some(format!("model '{model}' is not installed")),
                ),
                (Some(_), false) => (
                    false,
                    None,
                    Some("ONNX Runtime not found (see --check)".to_string()),
                ),
            }
        }
        _ => match voice::backend_for(v, options) {
            Ok(b) => (true, Some(b.id().engine.clone()), None),
            Err(e) => (false, None, Some(e.to_string())),
        },
    };
    VoiceRow {
        name: v.voice.name.clone(),
        language: v.voice.language.clone(),
        backend: v.voice.backend.name().to_string(),
        description: v.voice.description.clone(),
        origin: v.origin.clone(),
        usable,
        engine,
        problem,
    }
}

fn print_rows(rows: &[VoiceRow]) {
    println!(
        "{:<20} {:<5} {:<7} {:<32} {:<10} DESCRIPTION",
        "NAME", "LANG", "BACKEND", "SPEAKS WITH", "FROM"
    );
    for r in rows {
        let speaks = match (&r.engine, &r.problem) {
            (Some(e), _) => e.clone(),
            (None, Some(p)) => format!("unusable: {p}"),
            (None, None) => "unusable".into(),
        };
        let from = match &r.origin {
            VoiceOrigin::Builtin => "built-in".to_string(),
            VoiceOrigin::Piper(_) => "installed".to_string(),
            other => other.to_string(),
        };
        println!(
            "{:<20} {:<5} {:<7} {:<32} {:<10} {}",
            r.name,
            r.language,
            r.backend,
            speaks,
            from,
            r.description.as_deref().unwrap_or("")
        );
    }
}

#[derive(Serialize)]
struct CheckReport {
    piper_built: bool,
    onnxruntime: Option<synth::piper::runtime::Found>,
    onnxruntime_problem: Option<String>,
    phonemizer: Option<String>,
    phonemizer_problem: Option<String>,
    installed_piper_voices: Vec<String>,
    voices_dir: std::path::PathBuf,
    /// Each speech-server voice: what its server offers.
    servers: Vec<ServerCheck>,
}

#[derive(Serialize)]
struct ServerCheck {
    voice: String,
    model: String,
    model_offered: Option<bool>,
    speaker: String,
    speaker_offered: Option<bool>,
    #[serde(flatten)]
    offer: synth::openai::Offer,
}

/// What the servers of the speech-server voices offer.
fn check_servers() -> Vec<ServerCheck> {
    let (voices, _) = voice::all_voices();
    voices
        .iter()
        .filter_map(|v| match &v.voice.backend {
            BackendSettings::Openai(s) => Some((v, s)),
            _ => None,
        })
        .map(|(v, s)| {
            let offer = match synth::openai::OpenAiBackend::new(s) {
                Ok(backend) => backend.offer(),
                Err(e) => synth::openai::Offer {
                    problem: Some(e.to_string()),
                    ..Default::default()
                },
            };
            ServerCheck {
                voice: v.voice.name.clone(),
                model: s.model.clone(),
                model_offered: offer.models.as_ref().map(|m| m.contains(&s.model)),
                speaker: s.voice.clone(),
                speaker_offered: offer.voices.as_ref().map(|m| m.contains(&s.voice)),
                offer,
            }
        })
        .collect()
}

/// Reports what neural voices need, and whether it was found.
fn check(args: &VoicesArgs, settings: &UserConfig) -> Result<()> {
    let ort = synth::piper::runtime::find(settings.onnxruntime.as_deref());
    let phonemizer =
        synth::piper::clauses::ClauseSource::new("en-us", articast::voice::EnginePreference::Auto);
    let report = CheckReport {
        piper_built: cfg!(feature = "piper"),
        onnxruntime: ort.as_ref().ok().cloned(),
        // This is the check the advice points to: do not point to it again.
        onnxruntime_problem: ort.as_ref().err().map(|e| {
            e.replace(synth::piper::runtime::CHECK_HINT, "")
                .trim_end_matches("; ")
                .to_string()
        }),
        phonemizer: phonemizer.as_ref().ok().map(|p| p.description.clone()),
        phonemizer_problem: phonemizer.as_ref().err().map(|e| e.to_string()),
        installed_piper_voices: catalog::installed(),
        voices_dir: catalog::voices_dir(),
        servers: check_servers(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!();
    println!("Neural (Piper) voices:");
    println!(
        "  built with Piper support: {}",
        if report.piper_built {
            "yes"
        } else {
            "no (rebuild with default features)"
        }
    );
    match (&report.onnxruntime, &report.onnxruntime_problem) {
        (Some(f), _) => println!("  ONNX Runtime: {} (found by {})", f.path.display(), f.how),
        (None, Some(p)) => println!("  ONNX Runtime: missing: {p}"),
        _ => {}
    }
    match (&report.phonemizer, &report.phonemizer_problem) {
        (Some(p), _) => println!("  phonemizer: {p}"),
        (None, Some(p)) => println!("  phonemizer: unusable: {p}"),
        _ => {}
    }
    println!(
        "  installed voices: {} (in {})",
        if report.installed_piper_voices.is_empty() {
            "none; `articast voices list --available --lang fr` lists what can be installed"
                .to_string()
        } else {
            report.installed_piper_voices.join(", ")
        },
        report.voices_dir.display()
    );
    if !report.servers.is_empty() {
        println!();
        println!("Speech servers:");
    }
    let yes_no = |known: Option<bool>| match known {
        Some(true) => "offered",
        Some(false) => "NOT offered",
        None => "not listed by the server",
    };
    for s in &report.servers {
        match &s.offer.problem {
            Some(p) => println!("  {} ({}): cannot ask: {p}", s.voice, s.offer.url),
            None => {
                println!(
                    "  {} ({}): model {} {}, voice {} {}",
                    s.voice,
                    s.offer.url,
                    s.model,
                    yes_no(s.model_offered),
                    s.speaker,
                    yes_no(s.speaker_offered)
                );
                for (what, list) in [("models", &s.offer.models), ("voices", &s.offer.voices)] {
                    if let Some(list) = list {
                        println!("    {what}: {}", list.join(", "));
                    }
                }
            }
        }
    }
    Ok(())
}

fn list_available(args: &VoicesArgs, settings: &UserConfig, lang: Option<&str>) -> Result<()> {
    let base = catalog::catalog_base(settings.voice_catalog.as_deref());
    let cat = catalog::fetch_catalog(&base)?;
    let voices = catalog::available(&cat, lang);
    let installed = catalog::installed();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&voices)?);
        return Ok(());
    }
    println!(
        "{:<32} {:<8} {:<8} {:>9}  LANGUAGE",
        "NAME", "QUALITY", "SPEAKERS", "SIZE"
    );
    for v in voices {
        let size: u64 = v.files.values().map(|f| f.size_bytes).sum();
        println!(
            "{:<32} {:<8} {:<8} {:>9}  {} ({}){}",
            v.key,
            v.quality,
            v.num_speakers,
            human_size(size),
            v.language.name_english,
            v.language.country_english,
            if installed.contains(&v.key) {
                "  [installed]"
            } else {
                ""
            }
        );
    }
    Ok(())
}

fn install(
    args: &VoicesArgs,
    ui: &Ui,
    settings: &UserConfig,
    names: &[String],
    force: bool,
) -> Result<()> {
    if names
        .iter()
        .any(|n| n.contains(['/', '\\']) || n.starts_with('.'))
    {
        return Err(
            UsageError("voice names have no slashes (e.g. en_US-joe-medium)".into()).into(),
        );
    }
    let base = catalog::catalog_base(settings.voice_catalog.as_deref());
    let cat = catalog::fetch_catalog(&base)?;
    let mut installed = Vec::new();
    for name in names {
        let total: u64 = cat
            .get(name)
            .map(|v| v.files.values().map(|f| f.size_bytes).sum())
            .unwrap_or(0);
        let bar = ui.progress(total, "download");
        let mut done_before = 0u64;
        let mut current = String::new();
        let mut file_done = 0u64;
        let files = catalog::install(&base, &cat, name, force, &mut |p| {
            if p.file != current {
                done_before += file_done;
                current = p.file.clone();
            }
            file_done = p.done;
            bar.set_position(done_before + p.done);
            bar.set_message(p.file.clone());
        })
        .with_context(|| format!("installing voice '{name}'"))?;
        bar.finish_and_clear();
        ui.say(format!("installed {name} ({})", files.onnx.display()));
        installed
            .push(serde_json::json!({"name": name, "model": files.onnx, "config": files.config}));
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&installed)?);
    }
    Ok(())
}

/// Makes sure neural voices have ONNX Runtime: when none is found (or `force`), fetch
/// it, asking first on a terminal unless `yes`; without a terminal and without `yes`,
/// say how instead.
fn ensure_runtime(ui: &Ui, settings: &UserConfig, yes: bool, force: bool) -> Result<()> {
    use std::io::IsTerminal;
    if let (Ok(found), false) = (
        synth::piper::runtime::find(settings.onnxruntime.as_deref()),
        force,
    ) {
        ui.say(format!(
            "ONNX Runtime: {} (from the {})",
            found.path.display(),
            found.how
        ));
        return Ok(());
    }
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !yes && !terminal {
        // Nothing is fetched without a yes: say how.
        ui.always(format!(
            "note: neural voices need ONNX Runtime, which was not found; `articast voices setup --yes` fetches ONNX Runtime {} (checksum verified), or set ORT_DYLIB_PATH",
            catalog::runtime::VERSION
        ));
        return Ok(());
    }
    let index = catalog::runtime::index();
    let (wheel, size, _) =
        catalog::runtime::plan().with_context(|| format!("looking up ONNX Runtime on {index}"))?;
    let dir = articast::dirs::runtimes_dir();
    let what = format!(
        "neural voices need ONNX Runtime {}: download {wheel} ({}) from {index}, check its SHA-256, and keep only its library in {}",
        catalog::runtime::VERSION,
        human_size(size),
        dir.display()
    );
    if !yes {
        eprint!("{what}? [Y/n] ");
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(
            answer.trim().to_ascii_lowercase().as_str(),
            "" | "y" | "yes"
        ) {
            ui.say("not downloaded; `articast voices setup` does it later");
            return Ok(());
        }
    }
    let bar = ui.progress(size, "download");
    let library = catalog::runtime::install(&mut |p| {
        bar.set_position(p.done);
        bar.set_message(p.file.clone());
    })
    .context("installing ONNX Runtime")?;
    bar.finish_and_clear();
    ui.say(format!("ONNX Runtime installed: {}", library.display()));
    Ok(())
}

/// A download size as people read it: `820 KB`, `63 MB`, `1.2 GB`.
fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1_000 => format!("{b} B"),
        b if b < 1_000_000 => format!("{} KB", b.div_ceil(1_000)),
        b if b < 1_000_000_000 => format!("{} MB", (b + 500_000) / 1_000_000),
        b => format!("{:.1} GB", b as f64 / 1e9),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_are_never_zero_megabytes() {
        assert_eq!(super::human_size(200_000), "200 KB");
        assert_eq!(super::human_size(63_201_294), "63 MB");
        assert_eq!(super::human_size(999), "999 B");
        assert_eq!(super::human_size(1_500_000_000), "1.5 GB");
    }
}
