//! Cancellation and scratch space: what lets an interrupted render leave nothing behind.
//!
//! Long work (synthesis, mastering) checks a [`Cancel`] token between steps and stops
//! with [`Cancelled`], so that the stack unwinds and every temporary file and folder is
//! removed by its owner's `Drop`. The binary flips the token on SIGINT, SIGTERM and
//! SIGHUP. Scratch folders are also listed in a process-wide register, so that a second
//! signal (the user insisting) can remove them before exiting at once, and they carry
//! the process id in their name, so that the folders of a process that was killed
//! outright (SIGKILL, power loss) are recognised and removed by the next run.
//!
//! This module imports nothing of the pipeline's stages.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A shared flag that asks long work to stop.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

/// Work stopped because it was asked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("interrupted")]
pub struct Cancelled;

impl Cancel {
    /// A token that is not cancelled.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Asks the work holding this token (and its clones) to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether stopping was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once stopping was asked for.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }

    /// The flag itself, for signal handlers that set it.
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.0)
    }
}

/// Scratch folders of this process that are still in use.
static SCRATCH: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The name prefix of articast's scratch folders in the temporary folder; the process id
/// and a random part follow.
pub const SCRATCH_PREFIX: &str = "articast-spill-";

/// A private scratch folder in the system temporary folder, removed when dropped, and
/// listed in the register while it lives.
#[derive(Debug)]
pub struct ScratchDir {
    dir: Option<tempfile::TempDir>,
}

impl ScratchDir {
    /// Creates a scratch folder named after this process, after removing the ones left
    /// by articast processes that no longer run.
    pub fn new() -> std::io::Result<ScratchDir> {
        remove_stale_scratch(&std::env::temp_dir());
        let dir = tempfile::Builder::new()
            .prefix(&format!("{SCRATCH_PREFIX}{}-", std::process::id()))
            .tempdir()?;
        if let Ok(mut list) = SCRATCH.lock() {
            list.push(dir.path().to_path_buf());
        }
        Ok(ScratchDir { dir: Some(dir) })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        self.dir.as_ref().expect("present until dropped").path()
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            let path = dir.path().to_path_buf();
            if let Ok(mut list) = SCRATCH.lock() {
                list.retain(|p| p != &path);
            }
            let _ = dir.close();
        }
    }
}

/// Removes every scratch folder this process still has: for a process about to exit
/// without unwinding (a second interrupt).
pub fn remove_all_scratch() {
    let paths = match SCRATCH.lock() {
        Ok(mut list) => std::mem::take(&mut *list),
        Err(_) => return,
    };
    for p in paths {
        let _ = std::fs::remove_dir_all(p);
    }
}

/// Removes, in `temp`, the scratch folders of articast processes that are gone. Folders
/// whose process still runs (or may: another user's) are left alone.
pub fn remove_stale_scratch(temp: &Path) {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(SCRATCH_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && process_is_gone(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether no process with this id exists (`false` when it cannot be told).
#[cfg(unix)]
fn process_is_gone(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    let alive = unsafe { libc::kill(pid, 0) } == 0;
    if !alive {
        return std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH);
    }
    // A killed process that its parent has not reaped yet still answers: on Linux its
    // state tells it is a zombie.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .next()?
                .to_string();
            Some(state == "Z" || state == "X")
        })
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn process_is_gone(_pid: u32) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_is_shared_by_clones() {
        let a = Cancel::new();
        let b = a.clone();
        assert!(b.check().is_ok());
        a.cancel();
        assert_eq!(b.check(), Err(Cancelled));
    }

    #[test]
    fn scratch_is_registered_and_removed() {
        let dir = ScratchDir::new().unwrap();
        let path = dir.path().to_path_buf();
        assert!(path.is_dir());
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        assert!(name.starts_with(&format!("{SCRATCH_PREFIX}{}-", std::process::id())));
        assert!(SCRATCH.lock().unwrap().contains(&path));
        drop(dir);
        assert!(!path.exists());
        assert!(!SCRATCH.lock().unwrap().contains(&path));
    }

    #[cfg(unix)]
    #[test]
    fn stale_folders_of_dead_processes_go_and_live_ones_stay() {
        let temp = tempfile::tempdir().unwrap();
        // A child that has exited and been reaped: its id names no process (unless
        // reused within this test, which would only keep the folder).
        let mut dead = std::process::Command::new("sh")
            .args(["-c", "exit 0"])
            .spawn()
            .unwrap();
        let dead_pid = dead.id();
        dead.wait().unwrap();
        let stale = temp.path().join(format!("{SCRATCH_PREFIX}{dead_pid}-abc"));
        let mine = temp
            .path()
            .join(format!("{SCRATCH_PREFIX}{}-abc", std::process::id()));
        let other = temp.path().join("articast-unrelated");
        for d in [&stale, &mine, &other] {
            std::fs::create_dir(d).unwrap();
            std::fs::write(d.join("clip-000001.f32"), [0u8; 16]).unwrap();
        }
        remove_stale_scratch(temp.path());
        assert!(!stale.exists(), "a dead process's folder is removed");
        assert!(mine.exists(), "this process's folder stays");
        assert!(other.exists(), "other names are not touched");
    }
}
