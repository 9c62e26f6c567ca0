//! Interrupts: the first SIGINT, SIGTERM or SIGHUP cancels the work in progress, which
//! then unwinds and removes its temporary files; a second one removes the scratch
//! folders and exits at once. Either way the exit status is 128 plus the signal number
//! (130 for Ctrl-C), as shells report a process killed by that signal.

use std::sync::atomic::{AtomicI32, Ordering};

use articast::cancel::Cancel;

/// The first interrupting signal received, 0 if none.
static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// The exit code for an interrupted run, when a signal arrived.
pub fn interrupted_exit_code() -> Option<u8> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        n => Some(u8::try_from(128 + n).unwrap_or(130)),
    }
}

/// Starts watching for interrupts on a background thread; `cancel` is set on the first.
#[cfg(unix)]
pub fn install(cancel: &Cancel) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let cancel = cancel.clone();
    std::thread::Builder::new()
        .name("articast-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                if RECEIVED
                    .compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
                {
                    cancel.cancel();
                    continue;
                }
                // Asked twice: do not wait for the work to unwind.
                articast::cancel::remove_all_scratch();
                eprintln!("error: interrupted");
                std::process::exit(interrupted_exit_code().map_or(130, i32::from));
            }
        })
        .ok();
}

/// Starts watching for interrupts; `cancel` is set on the first.
#[cfg(not(unix))]
pub fn install(cancel: &Cancel) {
    use signal_hook::consts::{SIGINT, SIGTERM};
    for signal in [SIGINT, SIGTERM] {
        let _ = signal_hook::flag::register(signal, cancel.flag());
    }
}

/// Makes this process ignore interrupts (for worker processes, which stop when their
/// parent closes their input).
pub fn ignore_interrupts() {
    use signal_hook::consts::SIGINT;
    let ignored = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let _ = signal_hook::flag::register(SIGINT, ignored);
}
