//! The content-addressed clip cache.
//!
//! A clip's key hashes everything that changes its audio: the backend's cache key
//! (engine, version), the voice settings, the language, the role and the spoken text.
//! An edited paragraph therefore re-synthesizes only its own chunks, and a re-run
//! costs almost nothing. Clips are stored as 32-bit float WAV files (readable by any
//! audio tool, exact), written to a temporary file and renamed into place, so a crash
//! never leaves a half-written clip under a valid key. An unreadable entry is a miss.

use std::path::{Path, PathBuf};

use crate::synth::Clip;

/// The root of articast's caches: `$ARTICAST_CACHE_DIR`, else the platform cache folder
/// (`~/.cache/articast` on Linux), else `.articast-cache` in the working directory.
pub fn cache_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("ARTICAST_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    directories::ProjectDirs::from("", "", "articast")
        .map(|d| d.cache_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".articast-cache"))
}

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
    /// The voice settings, serialized.
    pub voice: &'a str,
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
        for part in [
            self.backend,
            self.voice,
            self.language,
            self.role,
            self.text,
        ] {
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
        ClipCache::at(cache_root().join("clips"))
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
        self.dir.join(&digest[..2]).join(format!("{digest}.wav"))
    }

    /// The cached clip for `key`, if present and readable.
    pub fn get(&self, key: &ClipKey) -> Option<Clip> {
        let path = self.path_of(&key.digest());
        let mut reader = hound::WavReader::open(&path).ok()?;
        let spec = reader.spec();
        if spec.channels != 1 || spec.sample_format != hound::SampleFormat::Float {
            return None;
        }
        let samples: Result<Vec<f32>, _> = reader.samples::<f32>().collect();
        match samples {
            Ok(samples) => Some(Clip {
                samples,
                sample_rate: spec.sample_rate,
            }),
            Err(_) => {
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
        let tmp = tempfile::Builder::new()
            .prefix(".clip-")
            .suffix(".wav")
            .tempfile_in(parent)?;
        {
            let spec = hound::WavSpec {
                channels: 1,
                sample_rate: clip.sample_rate,
                bits_per_sample: 32,
                sample_format: hound::SampleFormat::Float,
            };
            let file = std::io::BufWriter::new(tmp.as_file());
            let mut writer = hound::WavWriter::new(file, spec).map_err(std::io::Error::other)?;
            for &s in &clip.samples {
                writer.write_sample(s).map_err(std::io::Error::other)?;
            }
            writer.finalize().map_err(std::io::Error::other)?;
        }
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> ClipKey<'_> {
        ClipKey {
            backend: "b",
            voice: "v",
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
    fn corrupt_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ClipCache::at(dir.path());
        let path = cache.path_of(&key("a").digest());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"RIFF garbage").unwrap();
        assert!(cache.get(&key("a")).is_none());
    }

    #[test]
    fn keys_separate_fields() {
        let a = ClipKey {
            backend: "ab",
            voice: "c",
            ..key("t")
        }
        .digest();
        let b = ClipKey {
            backend: "a",
            voice: "bc",
            ..key("t")
        }
        .digest();
        assert_ne!(a, b);
    }
}
