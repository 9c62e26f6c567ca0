//! Finding and loading ONNX Runtime, which runs Piper models.
//!
//! articast links no ONNX Runtime at build time: the shared library is loaded when a
//! neural voice is first used, from the first of these that exists:
//! 1. `$ORT_DYLIB_PATH`;
//! 2. `onnxruntime = "…"` in articast's settings file;
//! 3. the one `articast voices setup` (or `voices install`) put in articast's data
//!    folder (`<data>/onnxruntime/<version>/`), newest version first;
//! 4. the platform's library folders (`/usr/lib`, `/usr/local/lib`, Homebrew's, …);
//! 5. an installed Python `onnxruntime` package (`pip install onnxruntime`), whose wheel
//!    carries the library in `onnxruntime/capi/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Where a library was found, and how.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Found {
    /// The library file.
    pub path: PathBuf,
    /// How it was found ("ORT_DYLIB_PATH", "settings file", "system library folder",
    /// "Python package").
    pub how: String,
}

/// Where to look for more, ending [`HOW_TO_GET_IT`].
pub const CHECK_HINT: &str = "`articast voices --check` shows what was found";

/// The advice printed when ONNX Runtime is missing.
pub const HOW_TO_GET_IT: &str =
    "neural (Piper) voices need ONNX Runtime: `articast voices setup` fetches it (about 15 MB, \
checksum verified), or `pip install onnxruntime` (articast finds it in the Python package), \
or install your system's onnxruntime package, \
or set ORT_DYLIB_PATH to libonnxruntime.so / .dylib / onnxruntime.dll; \
`articast voices --check` shows what was found";

#[cfg(target_os = "windows")]
const NAMES: &[&str] = &["onnxruntime.dll"];
#[cfg(target_os = "macos")]
const NAMES: &[&str] = &["libonnxruntime.dylib"];
#[cfg(not(any(target_os = "windows", target_os = "macos")))]
const NAMES: &[&str] = &["libonnxruntime.so", "libonnxruntime.so.1"];

const SYSTEM_DIRS: &[&str] = &[
    "/usr/lib",
    "/usr/lib64",
    "/usr/local/lib",
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/opt/homebrew/lib",
    "/opt/onnxruntime/lib",
];

/// The library file in `dir`: a plain name, else a versioned one
/// (`libonnxruntime.so.1.32.0`), newest first.
fn library_in(dir: &Path) -> Option<PathBuf> {
    for name in NAMES {
        let p = dir.join(name);
        if p.is_file() {
            return Some(p);
        }
    }
    let mut versioned: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("libonnxruntime.so.")
                    || (n.starts_with("libonnxruntime.") && n.ends_with(".dylib"))
            })
        })
        .collect();
    versioned.sort();
    versioned.pop()
}

/// The `onnxruntime/capi` folders of Python packages: site-packages folders under the
/// user's and the system's Python installations, then whatever `python3` reports.
fn python_capi_dirs() -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    if let Some(home) = std::env::var_os("HOME") {
        roots.push(PathBuf::from(home).join(".local/lib"));
    }
    roots.push(PathBuf::from("/usr/lib"));
    roots.push(PathBuf::from("/usr/local/lib"));
    let mut dirs = Vec::new();
    for root in roots {
        for entry in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with("python3") {
                for sub in ["site-packages", "dist-packages"] {
                    dirs.push(entry.path().join(sub).join("onnxruntime/capi"));
                }
            }
        }
    }
    if let Some(venv) = std::env::var_os("VIRTUAL_ENV") {
        for entry in std::fs::read_dir(Path::new(&venv).join("lib"))
            .into_iter()
            .flatten()
            .flatten()
        {
            dirs.push(entry.path().join("site-packages/onnxruntime/capi"));
        }
    }
    dirs
}

/// Asks `python3` where its `onnxruntime` package is (slow: only as a last resort).
fn python_reported_dir() -> Option<PathBuf> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import importlib.util as u, os; s = u.find_spec('onnxruntime'); print(os.path.join(os.path.dirname(s.origin), 'capi') if s and s.origin else '')",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (!text.is_empty()).then(|| PathBuf::from(text))
}

/// The version folders of runtimes articast installed, newest first.
fn installed_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(crate::dirs::runtimes_dir())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    // Versions compare as numbers (1.9 before 1.32).
    dirs.sort_by_key(|p| {
        p.file_name()
            .and_then(|n| n.to_str())
            .map(|n| {
                n.split('.')
                    .map(|x| x.parse::<u32>().unwrap_or(0))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    dirs.reverse();
    dirs
}

/// Where to look, in order of precedence.
struct Places<'a> {
    /// `$ORT_DYLIB_PATH`.
    env: Option<PathBuf>,
    /// The settings file's `onnxruntime`.
    configured: Option<&'a Path>,
    /// Versions installed by articast, newest first.
    installed: Vec<PathBuf>,
    /// System library folders.
    system: Vec<PathBuf>,
    /// Python packages' `onnxruntime/capi` folders, computed only when needed (asking
    /// `python3` takes a moment).
    python: &'a dyn Fn() -> Vec<PathBuf>,
}

fn find_in(places: &Places) -> Result<Found, String> {
    let found = |path: PathBuf, how: &str| Found {
        path,
        how: how.to_string(),
    };
    let named = |p: &Path, how: &str, what: &str| {
        if p.is_file() {
            Ok(found(p.to_path_buf(), how))
        } else {
            Err(format!(
                "{what} {} but no such file exists; {HOW_TO_GET_IT}",
                p.display()
            ))
        }
    };
    if let Some(p) = &places.env {
        return named(p, "ORT_DYLIB_PATH", "ORT_DYLIB_PATH is");
    }
    if let Some(p) = places.configured {
        return named(
            p,
            "settings file",
            "the settings file names ONNX Runtime at",
        );
    }
    if let Some(p) = places.installed.iter().find_map(|d| library_in(d)) {
        return Ok(found(p, "articast's data folder"));
    }
    if let Some(p) = places.system.iter().find_map(|d| library_in(d)) {
        return Ok(found(p, "system library folder"));
    }
    if let Some(p) = (places.python)().iter().find_map(|d| library_in(d)) {
        return Ok(found(p, "Python package"));
    }
    Err(format!("ONNX Runtime was not found; {HOW_TO_GET_IT}"))
}

/// Finds ONNX Runtime; `configured` is the settings file's `onnxruntime` entry. The
/// answer is remembered for the process: choosing the default voice and loading the
/// backend both ask, and the last resort runs `python3`.
pub fn find(configured: Option<&Path>) -> Result<Found, String> {
    type Key = (Option<std::ffi::OsString>, Option<PathBuf>, Vec<PathBuf>);
    static FOUND: std::sync::Mutex<Vec<(Key, Result<Found, String>)>> =
        std::sync::Mutex::new(Vec::new());
    let key: Key = (
        std::env::var_os("ORT_DYLIB_PATH"),
        configured.map(Path::to_path_buf),
        installed_dirs(),
    );
    if let Some((_, answer)) = FOUND
        .lock()
        .ok()
        .and_then(|f| f.iter().find(|(k, _)| *k == key).cloned())
    {
        return answer;
    }
    let python = || {
        let mut dirs = python_capi_dirs();
        dirs.extend(python_reported_dir());
        dirs
    };
    let answer = find_in(&Places {
        env: key.0.clone().map(PathBuf::from),
        configured,
        installed: key.2.clone(),
        system: SYSTEM_DIRS.iter().map(PathBuf::from).collect(),
        python: &python,
    });
    if let Ok(mut f) = FOUND.lock() {
        f.push((key, answer.clone()));
    }
    answer
}

#[cfg(feature = "piper")]
mod load {
    use std::sync::OnceLock;

    use super::Found;

    /// The loaded runtime, once per process.
    pub struct Runtime {
        /// The environment sessions are created in.
        pub env: ort::environment::Environment,
        /// Where the library came from.
        pub found: Found,
    }

    static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

    /// Loads ONNX Runtime once per process (the library cannot be swapped afterwards).
    pub fn runtime(configured: Option<&std::path::Path>) -> Result<&'static Runtime, String> {
        RUNTIME
            .get_or_init(|| {
                let found = super::find(configured)?;
                let env = ort::init_from(&found.path)
                    .map_err(|e| {
                        format!(
                            "cannot load ONNX Runtime from {}: {e}",
                            found.path.display()
                        )
                    })?
                    .with_name("articast")
                    .build()
                    .map_err(|e| {
                        format!(
                            "ONNX Runtime at {} failed to start: {e}",
                            found.path.display()
                        )
                    })?;
                Ok(Runtime { env, found })
            })
            .as_ref()
            .map_err(Clone::clone)
    }
}

#[cfg(feature = "piper")]
pub use load::{runtime, Runtime};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versioned_library_names_are_found() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(library_in(dir.path()), None);
        if cfg!(target_os = "linux") {
            std::fs::write(dir.path().join("libonnxruntime.so.1.20.0"), b"").unwrap();
            std::fs::write(dir.path().join("libonnxruntime.so.1.32.0"), b"").unwrap();
            assert_eq!(
                library_in(dir.path()).unwrap().file_name().unwrap(),
                "libonnxruntime.so.1.32.0"
            );
        }
    }

    #[test]
    fn places_are_searched_in_order_and_python_only_when_needed() {
        let dir = tempfile::tempdir().unwrap();
        let (system, python_dir) = (dir.path().join("system"), dir.path().join("capi"));
        std::fs::create_dir_all(&system).unwrap();
        std::fs::create_dir_all(&python_dir).unwrap();
        let lib_name = NAMES[0];
        std::fs::write(python_dir.join(lib_name), b"").unwrap();
        let asked = std::cell::Cell::new(0);
        let python = || {
            asked.set(asked.get() + 1);
            vec![python_dir.clone()]
        };
        let places = |env: Option<PathBuf>, configured: Option<&'static Path>| Places {
            env,
            configured,
            installed: vec![],
            system: vec![system.clone()],
            python: &python,
        };
        // Only the Python package has it.
        let f = find_in(&places(None, None)).unwrap();
        assert_eq!((f.how.as_str(), asked.get()), ("Python package", 1));
        // A system library wins, and Python is not asked.
        std::fs::write(system.join(lib_name), b"").unwrap();
        let f = find_in(&places(None, None)).unwrap();
        assert_eq!((f.how.as_str(), asked.get()), ("system library folder", 1));
        // The settings file wins over both; the environment over everything.
        let configured: &'static Path = Box::leak(python_dir.join(lib_name).into_boxed_path());
        let f = find_in(&places(None, Some(configured))).unwrap();
        assert_eq!(f.how, "settings file");
        let f = find_in(&places(Some(system.join(lib_name)), Some(configured))).unwrap();
        assert_eq!(f.how, "ORT_DYLIB_PATH");
        // Named but missing: an error that says how to get it, not a fallback.
        let err = find_in(&places(Some(dir.path().join("nope.so")), None)).unwrap_err();
        assert!(
            err.contains("nope.so") && err.contains("pip install onnxruntime"),
            "{err}"
        );
        // Nothing anywhere.
        std::fs::remove_file(system.join(lib_name)).unwrap();
        std::fs::remove_file(python_dir.join(lib_name)).unwrap();
        assert!(find_in(&places(None, None))
            .unwrap_err()
            .contains("not found"));
    }

    #[test]
    fn a_configured_path_that_does_not_exist_is_named() {
        if std::env::var_os("ORT_DYLIB_PATH").is_some() {
            return;
        }
        let err = find(Some(Path::new("/nonexistent/libonnxruntime.so"))).unwrap_err();
        assert!(err.contains("/nonexistent/libonnxruntime.so"), "{err}");
    }
}
