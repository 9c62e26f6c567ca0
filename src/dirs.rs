//! Where articast keeps things: the cache, downloaded data, the settings file and the
//! user's voices. Each has an environment variable that overrides it (tests and CI set
//! them), else the platform's folder from `directories` (`~/.cache/articast`,
//! `~/.local/share/articast`, `~/.config/articast` on Linux). A leaf: it imports no
//! stage, and every stage that needs a folder asks here.

use std::path::PathBuf;

fn project() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "articast")
}

/// The root of articast's caches: `$ARTICAST_CACHE_DIR`, else the platform cache folder,
/// else `.articast-cache` in the working directory.
pub fn cache_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("ARTICAST_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    project()
        .map(|d| d.cache_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".articast-cache"))
}

/// Where downloaded data (Piper voices) is kept: `$ARTICAST_DATA_DIR`, else the
/// platform data folder, else a folder in the temporary directory.
pub fn data_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("ARTICAST_DATA_DIR") {
        return PathBuf::from(p);
    }
    project()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("articast-data"))
}

/// The settings file: `$ARTICAST_CONFIG`, else `<config dir>/config.toml`.
pub fn config_file() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ARTICAST_CONFIG") {
        return Some(PathBuf::from(p));
    }
    project().map(|d| d.config_dir().join("config.toml"))
}

/// The user's voice folder: `$ARTICAST_VOICES_DIR`, else `<config dir>/voices`.
pub fn user_voice_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ARTICAST_VOICES_DIR") {
        return Some(PathBuf::from(dir));
    }
    project().map(|d| d.config_dir().join("voices"))
}

/// Where ONNX Runtime libraries installed by articast live: `<data>/onnxruntime/<version>/`.
pub fn runtimes_dir() -> PathBuf {
    data_dir().join("onnxruntime")
}
