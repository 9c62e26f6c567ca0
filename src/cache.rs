//! The content-addressed clip cache.
//!
//! A clip's key hashes everything that changes its audio: the backend's cache key
//! (engine, version and every voice setting that changes the audio), the language, the
//! role and the spoken text.
//! An edited paragraph therefore re-synthesizes only its own chunks, and a re-run
//! costs almost nothing. Clips are stored as 32-bit float WAV files (readable by any
//! audio tool, exact), written to a temporary file and renamed into place, so a crash
//! never leaves a half-written clip under a valid key. An unreadable entry is a miss.

use std::path::{Path, PathBuf};

use crate::clip::Clip;

/// A folder of clips addressed by content.
#[derive(Debug, Clone)]
pub struct ClipCache {
    dir: PathBuf,
}

/// The inputs that decide a clip's audio.
#[derive(Debug, Clone, Copy)]
pub struct ClipKey<'a> {
    /// The backend's cache key.
    pub backend: &'a str,
    /// Language code.
    pub language: &'a str,
    /// Voice role.
    pub role: &'a str,
    /// The spoken text.
    pub text: &'a str,
}

impl ClipKey<'_> {
    /// The hex digest naming the clip.
    pub fn digest(&self) -> String {
        let mut h = blake3::Hasher::new();
        for part in [self.backend, self.language, self.role, self.text] {
            // Length-prefixed, so that no two different tuples hash the same bytes.
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
        h.finalize().to_hex().to_string()
    }
}

impl ClipCache {
    /// The clip cache under [`cache_root`].
    pub fn default_location() -> ClipCache {
        ClipCache::at(crate::dirs::cache_root().join("clips"))
    }

    /// A clip cache in `dir` (created on first write).
    pub fn at(dir: impl Into<PathBuf>) -> ClipCache {
        ClipCache { dir: dir.into() }
    }

    /// Checks that clips can be stored: the folder can be created and written. A cache
    /// that cannot be written only costs speed, but the user should hear of it once.
    pub fn check_writable(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        tempfile::Builder::new()
            .prefix(".probe-")
            .tempfile_in(&self.dir)
            .map(drop)
    }

    /// The cache folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path_of(&self, digest: &str) -> PathBuf {
        self.dir.join(&digest[..2]).join(format!("{digest}.clip"))
    }

    /// The cached clip for `key`, if present and whole. An entry whose checksum does not
    /// match its samples (a disk error, a copy cut short) is removed and missed, never
    /// played. A hit marks the entry as recently used, for [`ClipCache::prune`].
    pub fn get(&self, key: &ClipKey) -> Option<Clip> {
        let path = self.path_of(&key.digest());
        let bytes = std::fs::read(&path).ok()?;
        match decode(&bytes) {
            Some(clip) => {
                touch(&path);
                Some(clip)
            }
            None => {
                let _ = std::fs::remove_file(&path);
                None
            }
        }
    }

    /// Stores `clip` under `key`. Failures are returned; callers treat the cache as an
    /// optimisation and carry on.
    pub fn put(&self, key: &ClipKey, clip: &Clip) -> std::io::Result<()> {
        let path = self.path_of(&key.digest());
        let parent = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".clip-")
            .suffix(".part")
            .tempfile_in(parent)?;
        use std::io::Write;
        tmp.write_all(&encode(clip))?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Every entry: (path, size, last use).
    fn entries(&self) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
        let mut out = Vec::new();
        for shard in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            for file in std::fs::read_dir(shard.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let path = file.path();
                let Ok(meta) = file.metadata() else { continue };
                if meta.is_file() {
                    let used = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
                    out.push((path, meta.len(), used));
                }
            }
        }
        out
    }

    /// How many clips the cache holds and how much room they take.
    pub fn stats(&self) -> CacheStats {
        let entries = self.entries();
        CacheStats {
            dir: self.dir.clone(),
            clips: entries.len(),
            bytes: entries.iter().map(|e| e.1).sum(),
            oldest_use: entries.iter().map(|e| e.2).min().map(to_rfc3339),
            newest_use: entries.iter().map(|e| e.2).max().map(to_rfc3339),
        }
    }

    /// Removes the clips not used for `older_than`, then the least recently used until
    /// the cache is at most `max_bytes`. Returns what was removed.
    pub fn prune(
        &self,
        older_than: Option<std::time::Duration>,
        max_bytes: Option<u64>,
    ) -> PruneReport {
        let mut entries = self.entries();
        entries.sort_by_key(|e| e.2);
        let now = std::time::SystemTime::now();
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        let mut report = PruneReport::default();
        for (path, size, used) in entries {
            let stale =
                older_than.is_some_and(|age| now.duration_since(used).unwrap_or_default() > age);
            let over = max_bytes.is_some_and(|max| total > max);
            if (stale || over) && std::fs::remove_file(&path).is_ok() {
                total -= size;
                report.clips += 1;
                report.bytes += size;
            }
        }
        report.remaining_bytes = total;
        report
    }
}

/// What the cache holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CacheStats {
    /// The folder.
    pub dir: PathBuf,
    /// Clips.
    pub clips: usize,
    /// Their size, bytes.
    pub bytes: u64,
    /// When the least recently used clip was last used (RFC 3339).
    pub oldest_use: Option<String>,
    /// When the most recently used clip was last used.
    pub newest_use: Option<String>,
}

/// What a prune removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PruneReport {
    /// Clips removed.
    pub clips: usize,
    /// Bytes freed.
    pub bytes: u64,
    /// Bytes left.
    pub remaining_bytes: u64,
}

fn to_rfc3339(t: std::time::SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Marks an entry as just used (its modification time), for pruning by last use.
fn touch(path: &Path) {
    if let Ok(file) = std::fs::File::options().append(true).open(path) {
        let _ = file.set_modified(std::time::SystemTime::now());
    }
}

/// The file format: a magic, the format's version, the rate, the sample count, the
/// BLAKE3 of the samples, then the samples as little-endian `f32`.
const MAGIC: &[u8; 8] = b"ACLIP\0\0\x01";
const HEADER: usize = 8 + 4 + 8 + 32;

fn encode(clip: &Clip) -> Vec<u8> {
    let mut data = Vec::with_capacity(clip.samples.len() * 4);
    for s in &clip.samples {
        data.extend_from_slice(&s.to_le_bytes());
    }
    let mut out = Vec::with_capacity(HEADER + data.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&clip.sample_rate.to_le_bytes());
    out.extend_from_slice(&(clip.samples.len() as u64).to_le_bytes());
    out.extend_from_slice(blake3::hash(&data).as_bytes());
    out.extend_from_slice(&data);
    out
}

fn decode(bytes: &[u8]) -> Option<Clip> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return None;
    }
    let rate = u32::from_le_bytes(bytes[8..12].try_into().ok()?);
    let count = u64::from_le_bytes(bytes[12..20].try_into().ok()?) as usize;
    let data = &bytes[HEADER..];
    if data.len() != count.checked_mul(4)?
        || blake3::hash(data).as_bytes() != &bytes[20..52]
        || rate == 0
    {
        return None;
    }
    Some(Clip {
        samples: data
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
        sample_rate: rate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> ClipKey<'_> {
        ClipKey {
            backend: "b",
            language: "fr",
            role: "narrator",
            text,
        }
    }

    #[test]
    fn round_trip_and_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ClipCache::at(dir.path());
        let clip = Clip {
            samples: vec![0.0, 0.5, -0.25],
            sample_rate: 22050,
        };
        assert!(cache.get(&key("a")).is_none());
        cache.put(&key("a"), &clip).unwrap();
        assert_eq!(cache.get(&key("a")), Some(clip));
        assert!(cache.get(&key("b")).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn an_unwritable_folder_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("not-a-folder");
        std::fs::write(&file, "x").unwrap();
        assert!(ClipCache::at(file.join("clips")).check_writable().is_err());
        assert!(ClipCache::at(dir.path().join("clips"))
            .check_writable()
            .is_ok());
    }

    #[test]
    fn corrupt_entries_are_misses_and_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ClipCache::at(dir.path());
        let clip = Clip {
            samples: (0..1000).map(|i| i as f32 / 1000.0).collect(),
            sample_rate: 22050,
        };
        cache.put(&key("a"), &clip).unwrap();
        let path = cache.path_of(&key("a").digest());
        // One flipped bit in the samples, then a file cut short, then garbage.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[HEADER + 40] ^= 0x10;
        std::fs::write(&path, &bytes).unwrap();
        assert!(cache.get(&key("a")).is_none());
        assert!(!path.exists(), "a corrupt entry is removed");
        cache.put(&key("a"), &clip).unwrap();
        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() - 10]).unwrap();
        assert!(cache.get(&key("a")).is_none());
        std::fs::write(&path, b"RIFF garbage").unwrap();
        assert!(cache.get(&key("a")).is_none());
        cache.put(&key("a"), &clip).unwrap();
        assert_eq!(cache.get(&key("a")), Some(clip));
    }

    #[test]
    fn stats_and_pruning_by_age_and_size() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ClipCache::at(dir.path());
        let clip = Clip {
            samples: vec![0.25; 250],
            sample_rate: 8000,
        };
        for t in ["a", "b", "c", "d"] {
            cache.put(&key(t), &clip).unwrap();
        }
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(40 * 86400);
        for t in ["a", "b"] {
            let f = std::fs::File::options()
                .append(true)
                .open(cache.path_of(&key(t).digest()))
                .unwrap();
            f.set_modified(old).unwrap();
        }
        let stats = cache.stats();
        assert_eq!(stats.clips, 4);
        let each = stats.bytes / 4;
        let pruned = cache.prune(Some(std::time::Duration::from_secs(30 * 86400)), None);
        assert_eq!(pruned.clips, 2);
        assert!(cache.get(&key("c")).is_some() && cache.get(&key("a")).is_none());
        let capped = cache.prune(None, Some(each));
        assert_eq!((capped.clips, capped.remaining_bytes), (1, each));
    }

    #[test]
    fn keys_separate_fields() {
        let a = ClipKey {
            backend: "ab",
            language: "c",
            ..key("t")
        }
        .digest();
        let b = ClipKey {
            backend: "a",
            language: "bc",
            ..key("t")
        }
        .digest();
        assert_ne!(a, b);
    }
}
