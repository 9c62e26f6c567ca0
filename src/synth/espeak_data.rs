//! The built-in engine's data folder: the eSpeak NG data compiled into articast,
//! unpacked once into the cache folder and kept to what the bundled languages speak.
//!
//! The `espeak-ng` crate reads every voice file under `lang/` several times for each
//! utterance (to find the voice's dictionary, phoneme table and options). Its full set
//! is 151 files for about a hundred languages, of which the built-in engine can speak
//! only the four whose dictionaries are bundled; reading the others was half the CPU
//! time of a built-in render. So the unpacked folder keeps only the voice files of the
//! bundled languages (15 files), which changes no sample of what is spoken.

use std::path::{Path, PathBuf};

use super::espeak::BUNDLED_LANGUAGES;
use super::SynthError;

/// The file whose presence says the folder is complete.
const COMPLETE_MARKER: &str = ".articast-complete";

/// Where the built-in engine's data is unpacked: named by the crate's version and the
/// bundled languages, so that a folder unpacked differently is never taken for it.
pub fn builtin_data_dir() -> PathBuf {
    crate::dirs::cache_root().join(format!(
        "espeak-ng-data-{}-{}",
        espeak_ng::EspeakNg::version(),
        BUNDLED_LANGUAGES.join("-")
    ))
}

/// Unpacks the bundled eSpeak NG data once; concurrent first runs are safe because the
/// data is written to a private folder and renamed into place.
pub fn ensure_builtin_data() -> Result<PathBuf, SynthError> {
    let dir = builtin_data_dir();
    let marker = dir.join(COMPLETE_MARKER);
    if marker.exists() {
        return Ok(dir);
    }
    let setup = |source: std::io::Error| SynthError::Setup {
        what: "the built-in eSpeak NG data".into(),
        path: dir.clone(),
        source,
    };
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(setup)?;
    let staging = tempfile::Builder::new()
        .prefix(".espeak-data-")
        .tempdir_in(parent)
        .map_err(setup)?;
    espeak_ng::install_bundled_languages(staging.path(), BUNDLED_LANGUAGES).map_err(setup)?;
    keep_bundled_voices(staging.path()).map_err(setup)?;
    std::fs::write(staging.path().join(COMPLETE_MARKER), b"ok\n").map_err(setup)?;
    let staged = staging.keep();
    if std::fs::rename(&staged, &dir).is_err() {
        // Another process finished first, or a stale incomplete folder is in the way.
        if !marker.exists() {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::rename(&staged, &dir).map_err(setup)?;
        } else {
            let _ = std::fs::remove_dir_all(&staged);
        }
    }
    Ok(dir)
}

/// Whether a voice file with these `language` lines (code, priority) speaks one of the
/// bundled languages, by primary subtag: `en-GB-scotland` is English.
fn speaks_bundled_language(languages: &[(String, u8)]) -> bool {
    languages.iter().any(|(code, _)| {
        let primary = code.split(['-', '_']).next().unwrap_or(code);
        BUNDLED_LANGUAGES
            .iter()
            .any(|bundled| bundled.eq_ignore_ascii_case(primary))
    })
}

/// Removes from `data`'s `lang/` folder the voice files of languages whose dictionary
/// is not bundled, then the folders left empty.
fn keep_bundled_voices(data: &Path) -> std::io::Result<()> {
    let lang = data.join("lang");
    for voice in espeak_ng::voices::list_voices(data) {
        if !speaks_bundled_language(&voice.languages) {
            std::fs::remove_file(lang.join(&voice.file))?;
        }
    }
    remove_empty_dirs(&lang)?;
    Ok(())
}

/// Removes the empty folders under `dir` (not `dir` itself), deepest first.
fn remove_empty_dirs(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            remove_empty_dirs(&path)?;
            if std::fs::read_dir(&path)?.next().is_none() {
                std::fs::remove_dir(&path)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacked_data_keeps_the_voices_of_every_bundled_language_and_no_other() {
        let data = tempfile::tempdir().unwrap();
        espeak_ng::install_bundled_languages(data.path(), BUNDLED_LANGUAGES).unwrap();
        let before = espeak_ng::voices::list_voices(data.path());
        keep_bundled_voices(data.path()).unwrap();
        let after = espeak_ng::voices::list_voices(data.path());

        assert!(
            after.len() < before.len() / 4,
            "{} of {}",
            after.len(),
            before.len()
        );
        assert!(after.iter().all(|v| speaks_bundled_language(&v.languages)));
        // Every voice of a bundled language is still there, regional ones included.
        let kept: Vec<&str> = after.iter().map(|v| v.file.as_str()).collect();
        for voice in before
            .iter()
            .filter(|v| speaks_bundled_language(&v.languages))
        {
            assert!(
                kept.contains(&voice.file.as_str()),
                "{} was removed",
                voice.file
            );
        }
        for language in BUNDLED_LANGUAGES {
            let speaks = |v: &espeak_ng::voices::VoiceEntry| {
                v.languages.iter().any(|(code, _)| code == language)
            };
            assert!(after.iter().any(speaks), "{language}");
        }
        assert!(kept.contains(&"gmw/en-GB-scotland"), "{kept:?}");
        // No folder is left empty.
        for entry in walk(&data.path().join("lang")) {
            if entry.is_dir() {
                assert!(
                    std::fs::read_dir(&entry).unwrap().next().is_some(),
                    "{entry:?}"
                );
            }
        }
    }

    #[test]
    fn a_voice_speaks_a_bundled_language_by_any_of_its_language_lines() {
        let voice = |languages: &[&str]| -> Vec<(String, u8)> {
            languages.iter().map(|l| (l.to_string(), 5)).collect()
        };
        assert!(speaks_bundled_language(&voice(&["fr-BE"])));
        assert!(speaks_bundled_language(&voice(&["en_US"])));
        assert!(speaks_bundled_language(&voice(&["nl", "de"])));
        assert!(!speaks_bundled_language(&voice(&["it"])));
        assert!(!speaks_bundled_language(&voice(&["fro"])));
        assert!(!speaks_bundled_language(&voice(&[])));
    }

    /// Every path under `dir`.
    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(walk(&path));
            }
            out.push(path);
        }
        out
    }
}
