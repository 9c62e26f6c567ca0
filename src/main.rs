//! The `articast` binary: parses arguments, runs one command, maps errors to exit codes
//! (0 success, 1 failure, 2 usage error, 128 + the signal when interrupted). Everything else is library code.

mod cli;
mod commands;
mod signals;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    commands::process_started();
    let cli = cli::Cli::parse();
    signals::install(commands::cancel());
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) if commands::cancel().is_cancelled() => {
            // Whatever failed, it failed because the run was being stopped.
            eprintln!("error: interrupted; no half-written file was left");
            ExitCode::from(signals::interrupted_exit_code().unwrap_or(130))
        }
        Err(err) => {
            eprintln!("error: {}", describe(&err));
            if err.downcast_ref::<commands::UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// The error and its causes on one line, each said once: library errors often name
/// their cause in their own message already ("cannot read x: No such file"), and
/// repeating it ("...: No such file: No such file") helps nobody.
fn describe(err: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if text.is_empty() || message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}
