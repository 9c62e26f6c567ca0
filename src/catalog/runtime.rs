//! ONNX Runtime for neural voices, fetched in one step: the official `onnxruntime`
//! wheel for this platform from the Python package index (its published SHA-256
//! checked, the download resumed when interrupted), of which only the shared library is
//! unpacked, into articast's data folder, where runtime discovery finds it from then on.
//! No Python is needed; nothing else of the wheel is kept.
//!
//! The index is `https://pypi.org` unless `$ARTICAST_PYPI_URL` names another (a
//! mirror, or the tests' local server); its JSON API
//! (`/pypi/onnxruntime/VERSION/json`) lists the wheels with their sizes and digests.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::download::{self, Digest, DownloadError, Expected, Progress};

/// The ONNX Runtime release installed (the one CI tests articast with).
pub const VERSION: &str = "1.32.0";

/// The package index used when `$ARTICAST_PYPI_URL` is not set.
pub const DEFAULT_INDEX: &str = "https://pypi.org";

/// Why ONNX Runtime could not be installed.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// The index or the download failed.
    #[error(transparent)]
    Download(#[from] DownloadError),
    /// The index's answer is not what its JSON API gives.
    #[error("{url}: not the package index's JSON for onnxruntime: {message}")]
    Index {
        /// The address.
        url: String,
        /// Why.
        message: String,
    },
    /// No wheel for this platform.
    #[error("onnxruntime {version} has no wheel for {platform} on {url}; install ONNX Runtime yourself and set ORT_DYLIB_PATH")]
    NoWheel {
        /// The version.
        version: String,
        /// This platform.
        platform: String,
        /// The index.
        url: String,
    },
    /// The wheel holds no library where the official wheels keep it.
    #[error("{wheel}: no ONNX Runtime library in onnxruntime/capi/; nothing was installed")]
    NoLibrary {
        /// The wheel.
        wheel: String,
    },
    /// The wheel is not a readable zip file.
    #[error("{wheel}: {message}; nothing was installed")]
    Wheel {
        /// The wheel.
        wheel: String,
        /// Why.
        message: String,
    },
    /// A local file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

#[derive(Debug, Deserialize)]
struct Release {
    urls: Vec<File>,
}

#[derive(Debug, Deserialize)]
struct File {
    filename: String,
    url: String,
    size: u64,
    digests: Digests,
    packagetype: String,
}

#[derive(Debug, Deserialize)]
struct Digests {
    sha256: String,
}

/// The package index in use.
pub fn index() -> String {
    std::env::var("ARTICAST_PYPI_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| DEFAULT_INDEX.to_string())
        .trim_end_matches('/')
        .to_string()
}

/// The platform tags a wheel for this machine carries in its name.
fn platform_tags() -> (
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
) {
    // (operating-system marks, architecture marks, a name for messages)
    if cfg!(target_os = "linux") {
        if cfg!(target_arch = "aarch64") {
            (&["manylinux"], &["aarch64"], "Linux aarch64")
        } else {
            (&["manylinux"], &["x86_64"], "Linux x86_64")
        }
    } else if cfg!(target_os = "macos") {
        if cfg!(target_arch = "aarch64") {
            (&["macosx"], &["arm64", "universal2"], "macOS arm64")
        } else {
            (&["macosx"], &["x86_64", "universal2"], "macOS x86_64")
        }
    } else if cfg!(target_os = "windows") {
        (&["win"], &["amd64"], "Windows x64")
    } else {
        (&["none"], &["none"], std::env::consts::OS)
    }
}

/// The wheel for this platform among `files` (any Python version: the library is the
/// same in each; the newest Python's is taken).
fn pick(files: &[File]) -> Option<usize> {
    let (os, arch, _) = platform_tags();
    files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.packagetype == "bdist_wheel" && f.filename.ends_with(".whl"))
        .filter(|(_, f)| {
            let platform = f.filename.rsplit('-').next().unwrap_or("");
            os.iter().any(|o| platform.contains(o)) && arch.iter().any(|a| platform.contains(a))
        })
        .max_by(|(_, a), (_, b)| a.filename.cmp(&b.filename))
        .map(|(i, _)| i)
}

/// Whether `name` (a path inside the wheel) is the runtime's shared library.
fn is_library(name: &str) -> bool {
    let Some(file) = name.strip_prefix("onnxruntime/capi/") else {
        return false;
    };
    !file.contains('/')
        && (file.starts_with("libonnxruntime.so")
            || (file.starts_with("libonnxruntime") && file.ends_with(".dylib"))
            || file == "onnxruntime.dll")
}

/// What an install would download: the wheel's name and size.
pub fn plan() -> Result<(String, u64, String), RuntimeError> {
    let (file, _) = release_file()?;
    Ok((file.filename, file.size, file.url))
}

fn release_file() -> Result<(File, String), RuntimeError> {
    let index = index();
    let url = format!("{index}/pypi/onnxruntime/{VERSION}/json");
    let bytes = download::fetch_small(&url)?;
    let release: Release = serde_json::from_slice(&bytes).map_err(|e| RuntimeError::Index {
        url: url.clone(),
        message: e.to_string(),
    })?;
    let mut urls = release.urls;
    let chosen = pick(&urls).ok_or_else(|| RuntimeError::NoWheel {
        version: VERSION.into(),
        platform: platform_tags().2.into(),
        url: url.clone(),
    })?;
    Ok((urls.swap_remove(chosen), index))
}

/// Downloads, checks and unpacks ONNX Runtime; returns the library's path.
pub fn install(progress: &mut dyn FnMut(Progress)) -> Result<PathBuf, RuntimeError> {
    let (file, _) = release_file()?;
    let root = crate::dirs::runtimes_dir();
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RuntimeError::Io { path, source }
    };
    std::fs::create_dir_all(&root).map_err(io(&root))?;
    // The wheel is downloaded beside the runtimes (resumable), then removed.
    let part = root.join(format!("{}.part", file.filename));
    download::fetch_verified(
        &file.url,
        &part,
        Expected {
            size: file.size,
            digest: Digest::Sha256(&file.digests.sha256),
        },
        progress,
    )?;
    let wheel_err = |message: String| RuntimeError::Wheel {
        wheel: file.filename.clone(),
        message,
    };
    let zip_file = std::fs::File::open(&part).map_err(io(&part))?;
    let mut archive = zip::ZipArchive::new(zip_file).map_err(|e| wheel_err(e.to_string()))?;
    let name = (0..archive.len())
        .filter_map(|i| archive.by_index(i).ok().map(|f| f.name().to_string()))
        .find(|n| is_library(n))
        .ok_or_else(|| RuntimeError::NoLibrary {
            wheel: file.filename.clone(),
        })?;
    let mut entry = archive
        .by_name(&name)
        .map_err(|e| wheel_err(e.to_string()))?;
    let mut bytes = Vec::with_capacity(entry.size() as usize);
    entry
        .read_to_end(&mut bytes)
        .map_err(|e| wheel_err(format!("{name}: {e}")))?;
    drop(entry);
    let dir = root.join(VERSION);
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let library = dir.join(name.rsplit('/').next().unwrap_or("libonnxruntime.so"));
    crate::atomic::write_atomic(&library, |w| {
        use std::io::Write;
        w.write_all(&bytes)
    })
    .map_err(|e| RuntimeError::Io {
        path: library.clone(),
        source: e.source,
    })?;
    let _ = std::fs::remove_file(&part);
    Ok(library)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str) -> File {
        File {
            filename: name.into(),
            url: format!("https://files/{name}"),
            size: 1,
            digests: Digests {
                sha256: "00".into(),
            },
            packagetype: "bdist_wheel".into(),
        }
    }

    #[test]
    fn the_wheel_for_this_platform_and_the_library_in_it() {
        let files = vec![
            file("onnxruntime-1.32.0-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl"),
            file("onnxruntime-1.32.0-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl"),
            file(
                "onnxruntime-1.32.0-cp312-cp312-manylinux_2_27_aarch64.manylinux_2_28_aarch64.whl",
            ),
            file("onnxruntime-1.32.0-cp312-cp312-macosx_13_0_universal2.whl"),
            file("onnxruntime-1.32.0-cp312-cp312-win_amd64.whl"),
        ];
        let chosen = pick(&files).map(|i| files[i].filename.as_str());
        if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
            assert_eq!(
                chosen,
                Some("onnxruntime-1.32.0-cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl")
            );
        }
        assert!(is_library("onnxruntime/capi/libonnxruntime.so.1.32.0"));
        assert!(is_library("onnxruntime/capi/libonnxruntime.1.32.0.dylib"));
        assert!(is_library("onnxruntime/capi/onnxruntime.dll"));
        assert!(!is_library(
            "onnxruntime/capi/libonnxruntime_providers_shared.so"
        ));
        assert!(!is_library("onnxruntime/capi/sub/libonnxruntime.so"));
        assert!(!is_library("other/libonnxruntime.so"));
    }
}
