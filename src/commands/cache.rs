//! `articast cache`: what the clip cache holds, and pruning it by age or size.

use anyhow::Result;
use articast::cache::ClipCache;

use super::Ui;
use crate::cli::{CacheAction, CacheArgs};

/// Bytes as people read them.
fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1_000_000 => format!("{} KB", b.div_ceil(1000)),
        b if b < 1_000_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b => format!("{:.2} GB", b as f64 / 1e9),
    }
}

pub fn run(args: &CacheArgs, ui: &Ui) -> Result<()> {
    let cache = ClipCache::default_location();
    match &args.action {
        CacheAction::Stats => {
            let stats = cache.stats();
            if args.json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                println!(
                    "{}: {} clips, {}{}",
                    stats.dir.display(),
                    stats.clips,
                    size(stats.bytes),
                    stats
                        .oldest_use
                        .map(|o| format!(", least recently used {o}"))
                        .unwrap_or_default()
                );
            }
        }
        CacheAction::Prune {
            older_than,
            max_size,
        } => {
            if older_than.is_none() && max_size.is_none() {
                return Err(super::UsageError(
                    "say what to prune: --older-than 30d, --max-size 5G, or both".into(),
                )
                .into());
            }
            let report = cache.prune(*older_than, *max_size);
            if args.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                ui.say(format!(
                    "removed {} clips ({}); {} left",
                    report.clips,
                    size(report.bytes),
                    size(report.remaining_bytes)
                ));
            }
        }
    }
    Ok(())
}
