//! `articast feed`: (re)writes `feed.xml` from what an output folder's manifest parts
//! record, or with `--check` reports what Apple Podcasts' rules would reject.

use anyhow::Result;
use articast::batch::show::Show;

use super::{plural, Ui};
use crate::cli::FeedArgs;

pub fn run(args: &FeedArgs, ui: &Ui) -> Result<()> {
    let show = Show::load(&args.show)?;
    if args.check {
        let problems = articast::feed::check(&show, &args.out);
        if args.json {
            println!("{}", serde_json::to_string_pretty(&problems)?);
        } else {
            for p in &problems {
                println!("{p}");
            }
        }
        if problems.is_empty() {
            ui.say("the show and its episodes meet Apple Podcasts' rules");
            return Ok(());
        }
        anyhow::bail!(
            "{} Apple Podcasts would reject",
            plural(problems.len(), "problem", "problems")
        );
    }
    let report = articast::feed::write(&show, &args.out)?;
    ui.say(format!(
        "wrote {} with {}",
        report.path.display(),
        plural(report.items, "episode", "episodes")
    ));
    for id in &report.left_out {
        ui.say(format!("note: {id} is left out (no episode file)"));
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    }
    Ok(())
}
