//! The user's settings file: `config.toml` in articast's config folder
//! (`$ARTICAST_CONFIG`, else e.g. `~/.config/articast/config.toml` on Linux).
//!
//! ```toml
//! # Where ONNX Runtime is, when it is not found by itself (neural voices).
//! onnxruntime = "/opt/onnxruntime/lib/libonnxruntime.so"
//! # Where Piper voice catalogs are fetched from.
//! voice_catalog = "https://huggingface.co/rhasspy/piper-voices/resolve/main"
//!
//! # The voice to use per language when --voice is not given.
//! [voices]
//! fr = "fr_FR-siwis-medium"
//! ```
//!
//! A missing file is an empty configuration; a file that does not parse is an error that
//! names it and the line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The user's settings.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    /// Path to the ONNX Runtime shared library.
    #[serde(default)]
    pub onnxruntime: Option<PathBuf>,
    /// Base address of the Piper voice catalog.
    #[serde(default)]
    pub voice_catalog: Option<String>,
    /// Pinned voice per language code (`fr`, `en`).
    #[serde(default)]
    pub voices: BTreeMap<String, String>,
}

/// Why the settings file could not be used.
#[derive(Debug, thiserror::Error)]
#[error("invalid settings file {path}: {message}")]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

impl UserConfig {
    /// Reads the settings file; a missing one is the default configuration.
    pub fn load() -> Result<UserConfig, ConfigError> {
        match crate::dirs::config_file() {
            Some(path) => Self::load_from(&path),
            None => Ok(UserConfig::default()),
        }
    }

    /// Reads settings from `path`; a missing file is the default configuration.
    pub fn load_from(path: &Path) -> Result<UserConfig, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(UserConfig::default()),
            Err(e) => {
                return Err(ConfigError {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                })
            }
        };
        toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|s| format!("line {}: ", crate::document::line_of(&text, s.start)))
                .unwrap_or_default();
            ConfigError {
                path: path.to_path_buf(),
                message: format!("{line}{}", e.message()),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_empty_and_errors_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            UserConfig::load_from(&dir.path().join("none.toml")).unwrap(),
            UserConfig::default()
        );
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[voices]\nfr = \"fr_FR-siwis-medium\"\n").unwrap();
        let c = UserConfig::load_from(&path).unwrap();
        assert_eq!(c.voices["fr"], "fr_FR-siwis-medium");
        std::fs::write(&path, "onnxruntime = \"x\"\nvoice = 3\n").unwrap();
        let err = UserConfig::load_from(&path).unwrap_err().to_string();
        assert!(
            err.contains("config.toml") && err.contains("line 2"),
            "{err}"
        );
    }
}
