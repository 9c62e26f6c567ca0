//! Piper voices to download: the public catalog, and the voices installed from it.
//!
//! The catalog is the `voices.json` at the root of the Piper voice repository (by
//! default `https://huggingface.co/rhasspy/piper-voices/resolve/main`; the settings
//! file's `voice_catalog` or `$ARTICAST_VOICE_CATALOG` change it). It lists every voice
//! with its files, their sizes and MD5 digests. [`install`] downloads a voice's model,
//! config and model card into `<data dir>/voices/piper/<name>/`, resuming partial
//! downloads, retrying transient failures, and verifying every file before the voice
//! appears in its folder (it is staged beside it and renamed into place).

pub mod download;
pub mod runtime;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::synth::piper::ModelFiles;

pub use download::{DownloadError, Progress};

/// The Piper voice repository articast downloads from by default.
pub const DEFAULT_CATALOG: &str = "https://huggingface.co/rhasspy/piper-voices/resolve/main";

/// One voice of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogVoice {
    /// The voice's name (`fr_FR-siwis-medium`).
    pub key: String,
    /// The speaker's or dataset's name (`siwis`).
    #[serde(default)]
    pub name: String,
    /// Its language.
    pub language: CatalogLanguage,
    /// `x_low`, `low`, `medium` or `high`.
    #[serde(default)]
    pub quality: String,
    /// Speakers in the model.
    #[serde(default = "one")]
    pub num_speakers: u32,
    /// Its files, by path relative to the catalog root.
    pub files: BTreeMap<String, CatalogFile>,
}

fn one() -> u32 {
    1
}

/// A catalog voice's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogLanguage {
    /// `fr_FR`.
    pub code: String,
    /// `fr`.
    pub family: String,
    /// `French`.
    #[serde(default)]
    pub name_english: String,
    /// `France`.
    #[serde(default)]
    pub country_english: String,
}

/// One file of a catalog voice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogFile {
    /// Its size.
    pub size_bytes: u64,
    /// Its MD5 digest, in hexadecimal.
    pub md5_digest: String,
}

/// The catalog: voices by name.
pub type Catalog = BTreeMap<String, CatalogVoice>;

/// Rank of a quality name, best last.
pub fn quality_rank(quality: &str) -> u8 {
    match quality {
        "x_low" => 0,
        "low" => 1,
        "medium" => 2,
        "high" => 3,
        _ => 1,
    }
}

/// The catalog's base address: `$ARTICAST_VOICE_CATALOG`, the settings file's
/// `voice_catalog`, else [`DEFAULT_CATALOG`].
pub fn catalog_base(configured: Option<&str>) -> String {
    std::env::var("ARTICAST_VOICE_CATALOG")
        .ok()
        .or_else(|| configured.map(str::to_string))
        .unwrap_or_else(|| DEFAULT_CATALOG.to_string())
        .trim_end_matches('/')
        .to_string()
}

/// Fetches and parses the catalog at `base`.
pub fn fetch_catalog(base: &str) -> Result<Catalog, DownloadError> {
    let url = format!("{base}/voices.json");
    let bytes = download::fetch_small(&url)?;
    parse_catalog(&bytes, &url)
}

/// Parses a catalog's `voices.json`; `url` names it in errors.
pub fn parse_catalog(bytes: &[u8], url: &str) -> Result<Catalog, DownloadError> {
    serde_json::from_slice(bytes).map_err(|e| DownloadError::Catalog {
        url: url.to_string(),
        message: e.to_string(),
    })
}

/// Catalog voices for a language (`fr`, `fr_FR`, or everything for `None`), best quality
/// first within each language.
pub fn available<'a>(catalog: &'a Catalog, lang: Option<&str>) -> Vec<&'a CatalogVoice> {
    let lang = lang.map(|l| l.replace('-', "_").to_lowercase());
    let mut voices: Vec<&CatalogVoice> = catalog
        .values()
        .filter(|v| {
            lang.as_deref().is_none_or(|l| {
                v.language.family.to_lowercase() == l || v.language.code.to_lowercase() == l
            })
        })
        .collect();
    voices.sort_by(|a, b| {
        (
            &a.language.code,
            std::cmp::Reverse(quality_rank(&a.quality)),
            &a.key,
        )
            .cmp(&(
                &b.language.code,
                std::cmp::Reverse(quality_rank(&b.quality)),
                &b.key,
            ))
    });
    voices
}

/// Where installed Piper voices live: `<data dir>/voices/piper`.
pub fn voices_dir() -> PathBuf {
    crate::dirs::data_dir().join("voices").join("piper")
}

/// An installed voice's files, by name.
pub fn installed_model(name: &str) -> Option<ModelFiles> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return None;
    }
    let files = ModelFiles::at(&voices_dir().join(name).join(format!("{name}.onnx")));
    (files.onnx.is_file() && files.config.is_file()).then_some(files)
}

/// The names of the installed voices, sorted.
pub fn installed() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(voices_dir())
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.') && installed_model(n).is_some())
        .collect();
    names.sort();
    names
}

/// Why a voice could not be installed or removed.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    /// The catalog has no such voice.
    #[error("the catalog at {base} has no voice '{name}'{suggestion}")]
    Unknown {
        /// The catalog.
        base: String,
        /// The name asked for.
        name: String,
        /// ", did you mean …?" or nothing.
        suggestion: String,
    },
    /// A download failed.
    #[error(transparent)]
    Download(#[from] DownloadError),
    /// The voice folder could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No installed voice by that name.
    #[error("no installed Piper voice '{0}' (see `articast voices`)")]
    NotInstalled(String),
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> InstallError + '_ {
    move |source| InstallError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Downloads voice `name` from the catalog at `base` into [`voices_dir`]; `progress`
/// hears about every file. Returns the installed model's files. An installed voice is
/// downloaded again only when `force` is set.
pub fn install(
    base: &str,
    catalog: &Catalog,
    name: &str,
    force: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<ModelFiles, InstallError> {
    let voice = catalog.get(name).ok_or_else(|| {
        let close: Vec<&str> = catalog
            .keys()
            .filter(|k| {
                let stem = name.split('-').nth(1).unwrap_or(name);
                k.contains(stem) || name.split('-').next().is_some_and(|l| k.starts_with(l))
            })
            .take(5)
            .map(String::as_str)
            .collect();
        InstallError::Unknown {
            base: base.to_string(),
            name: name.to_string(),
            suggestion: if close.is_empty() {
                String::new()
            } else {
                format!("; similar: {}", close.join(", "))
            },
        }
    })?;
    if !force {
        if let Some(files) = installed_model(name) {
            return Ok(files);
        }
    }
    let root = voices_dir();
    std::fs::create_dir_all(&root).map_err(io(&root))?;
    let partial = root.join(".partial").join(name);
    std::fs::create_dir_all(&partial).map_err(io(&partial))?;
    let staging = tempfile::Builder::new()
        .prefix(&format!(".staging-{name}-"))
        .tempdir_in(&root)
        .map_err(io(&root))?;
    for (rel, file) in &voice.files {
        let Some(base_name) = rel
            .rsplit('/')
            .next()
            .filter(|n| !n.is_empty() && !n.starts_with('.'))
        else {
            continue;
        };
        let wanted = base_name.ends_with(".onnx")
            || base_name.ends_with(".onnx.json")
            || base_name == "MODEL_CARD";
        if !wanted {
            continue;
        }
        let url = format!("{base}/{rel}");
        let part = partial.join(format!("{base_name}.part"));
        download::fetch_verified(
            &url,
            &part,
            download::Expected {
                size: file.size_bytes,
                digest: download::Digest::Md5(&file.md5_digest),
            },
            progress,
        )?;
        std::fs::rename(&part, staging.path().join(base_name)).map_err(io(&part))?;
    }
    let files = ModelFiles::at(&staging.path().join(format!("{name}.onnx")));
    if !files.onnx.is_file() || !files.config.is_file() {
        return Err(InstallError::Download(DownloadError::Catalog {
            url: format!("{base}/voices.json"),
            message: format!("voice '{name}' lists no {name}.onnx and {name}.onnx.json"),
        }));
    }
    if let Err(e) = crate::synth::piper::config::PiperConfig::load(&files.config) {
        return Err(InstallError::Download(DownloadError::Catalog {
            url: format!("{base}/{name}.onnx.json"),
            message: e.to_string(),
        }));
    }
    let dest = root.join(name);
    if dest.exists() {
        std::fs::remove_dir_all(&dest).map_err(io(&dest))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, &dest).map_err(io(&dest))?;
    let _ = std::fs::remove_dir(&partial);
    Ok(ModelFiles::at(&dest.join(format!("{name}.onnx"))))
}

/// Removes installed voice `name`.
pub fn remove(name: &str) -> Result<PathBuf, InstallError> {
    if installed_model(name).is_none() {
        return Err(InstallError::NotInstalled(name.to_string()));
    }
    let dir = voices_dir().join(name);
    std::fs::remove_dir_all(&dir).map_err(io(&dir))?;
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = r#"{
      "fr_FR-siwis-low": {"key": "fr_FR-siwis-low", "name": "siwis", "quality": "low",
        "language": {"code": "fr_FR", "family": "fr", "name_english": "French", "country_english": "France"},
        "num_speakers": 1, "files": {"fr/fr_FR/siwis/low/fr_FR-siwis-low.onnx": {"size_bytes": 3, "md5_digest": "x"}}},
      "fr_FR-siwis-medium": {"key": "fr_FR-siwis-medium", "name": "siwis", "quality": "medium",
        "language": {"code": "fr_FR", "family": "fr"}, "files": {}},
      "en_US-joe-medium": {"key": "en_US-joe-medium", "name": "joe", "quality": "medium",
        "language": {"code": "en_US", "family": "en"}, "files": {}}
    }"#;

    #[test]
    fn available_filters_by_language_best_quality_first() {
        let catalog: Catalog = serde_json::from_str(CATALOG).unwrap();
        let fr: Vec<&str> = available(&catalog, Some("fr"))
            .iter()
            .map(|v| v.key.as_str())
            .collect();
        assert_eq!(fr, ["fr_FR-siwis-medium", "fr_FR-siwis-low"]);
        assert_eq!(available(&catalog, Some("en-US")).len(), 1);
        assert_eq!(available(&catalog, None).len(), 3);
    }

    #[test]
    fn installed_names_cannot_escape_the_voice_folder() {
        assert!(installed_model("../etc").is_none());
        assert!(installed_model(".partial").is_none());
        assert!(installed_model("").is_none());
    }
}
