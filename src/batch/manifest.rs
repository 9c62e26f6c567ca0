//! The manifest: the record, kept in the output folder, of what was rendered from what.
//! Each article has an entry: where it came from and the hash of its bytes, the hash of
//! the settings that shaped its episode, the episode's report, the HTTP validators of
//! its page, and why it failed if it did. A rerun compares hashes to skip what has not
//! changed.
//!
//! Each shard writes its own part (`.articast/part-03-of-08.json`); readers merge the
//! parts, keeping for each article the entry written last. Files are written to a
//! temporary name and renamed, so a part is always whole, and no lock is ever held: a
//! killed process leaves nothing that blocks the next.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::episode::EpisodeReport;
use crate::fetch::Validators;

/// The manifest format's version.
pub const VERSION: u32 = 1;

/// The folder of manifest parts inside an output folder.
pub fn dir_of(out: &Path) -> PathBuf {
    out.join(".articast")
}

/// One shard's record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`VERSION`].
    pub version: u32,
    /// The articles, by identity.
    pub entries: BTreeMap<String, Entry>,
}

/// Whether an article's last render succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Its episode is up to date.
    Ok,
    /// The last attempt failed; `report` is the last good episode, if any.
    Failed,
}

/// What is known of one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Its identity: the path relative to the archive, or its address.
    pub identity: String,
    /// Where it was read from, as given.
    pub source: String,
    /// BLAKE3 of its bytes.
    pub source_hash: Option<String>,
    /// BLAKE3 of the settings that shaped its episode.
    pub settings_hash: Option<String>,
    /// HTTP validators of its page.
    #[serde(default)]
    pub validators: Validators,
    /// Its title, as the feed shows it.
    pub title: Option<String>,
    /// Its author.
    pub author: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// When it was published (RFC 2822), from its metadata or its feed item, else the
    /// file's time.
    pub published: Option<String>,
    /// Its language code.
    pub language: Option<String>,
    /// The outcome of the last attempt.
    pub status: Status,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// The episode (paths relative to the output folder): the last good one.
    pub report: Option<EpisodeReport>,
    /// When this entry was written (RFC 3339, UTC): the newest wins when parts merge.
    pub written_at: String,
}

/// Why a manifest could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// A part could not be read.
    #[error("cannot read manifest {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A part is not a manifest.
    #[error("{path} is not an articast manifest ({message}); move it away to start afresh")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// A part could not be written.
    #[error(transparent)]
    Write(#[from] crate::output::OutputError),
}

impl Manifest {
    /// Reads one part; an absent file is an empty manifest.
    pub fn read(path: &Path) -> Result<Manifest, ManifestError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Manifest::new()),
            Err(source) => {
                return Err(ManifestError::Read {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        Manifest::parse(&text, path)
    }

    /// Reads one part's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Manifest, ManifestError> {
        let m: Manifest = serde_json::from_str(text).map_err(|e| ManifestError::Invalid {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        if m.version != VERSION {
            return Err(ManifestError::Invalid {
                path: path.to_path_buf(),
                message: format!("version {}, this articast reads {VERSION}", m.version),
            });
        }
        Ok(m)
    }

    /// An empty manifest.
    pub fn new() -> Manifest {
        Manifest {
            version: VERSION,
            entries: BTreeMap::new(),
        }
    }

    /// Writes the part atomically.
    pub fn write(&self, path: &Path) -> Result<(), ManifestError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| crate::output::OutputError {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let json = serde_json::to_vec_pretty(self).expect("manifests serialize");
        crate::atomic::write_atomic(path, |w| {
            use std::io::Write;
            w.write_all(&json)?;
            w.write_all(b"\n")
        })?;
        Ok(())
    }

    /// Every part in the output folder `out`, merged: for each article, the entry
    /// written last.
    pub fn merged(out: &Path) -> Result<Manifest, ManifestError> {
        let dir = dir_of(out);
        let mut parts: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("part-") && n.ends_with(".json"))
            })
            .collect();
        parts.sort();
        let mut merged = Manifest::new();
        for part in parts {
            for (id, entry) in Manifest::read(&part)?.entries {
                match merged.entries.get(&id) {
                    Some(have) if have.written_at >= entry.written_at => {}
                    _ => {
                        merged.entries.insert(id, entry);
                    }
                }
            }
        }
        Ok(merged)
    }
}

/// Now, as manifests write it (RFC 3339, UTC, to the millisecond).
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, at: &str, title: &str) -> Entry {
        Entry {
            identity: id.into(),
            source: id.into(),
            source_hash: Some("h".into()),
            settings_hash: Some("s".into()),
            validators: Validators::default(),
            title: Some(title.into()),
            author: None,
            description: None,
            published: None,
            language: Some("fr".into()),
            status: Status::Ok,
            error: None,
            report: None,
            written_at: at.into(),
        }
    }

    #[test]
    fn parts_merge_by_newest_entry() {
        let out = tempfile::tempdir().unwrap();
        let mut a = Manifest::new();
        a.entries
            .insert("x".into(), entry("x", "2026-01-01T00:00:00.000Z", "old"));
        a.entries
            .insert("y".into(), entry("y", "2026-01-01T00:00:00.000Z", "y"));
        let mut b = Manifest::new();
        b.entries
            .insert("x".into(), entry("x", "2026-02-01T00:00:00.000Z", "new"));
        a.write(&dir_of(out.path()).join("part-1-of-2.json"))
            .unwrap();
        b.write(&dir_of(out.path()).join("part-2-of-2.json"))
            .unwrap();
        let m = Manifest::merged(out.path()).unwrap();
        assert_eq!(m.entries.len(), 2);
        assert_eq!(m.entries["x"].title.as_deref(), Some("new"));
        assert_eq!(
            Manifest::merged(&out.path().join("none")).unwrap(),
            Manifest::new()
        );
    }

    #[test]
    fn a_broken_part_is_named() {
        let out = tempfile::tempdir().unwrap();
        let path = dir_of(out.path()).join("part-1-of-1.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "{ not json").unwrap();
        let err = Manifest::merged(out.path()).unwrap_err().to_string();
        assert!(err.contains("part-1-of-1.json"), "{err}");
    }
}
