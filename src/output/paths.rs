//! Which files a render writes, and the rule that none of them is one of its inputs.
//!
//! An episode comes with sidecars named after it (`episode.vtt`, `episode.srt`,
//! `episode.transcript.txt`, `episode.chapters.json`). Before anything is written, every
//! output is compared with every input of the same run (article, music, cover, lexicons,
//! voice files): by canonical path, and on Unix by device and inode too, so that a hard
//! link or a symbolic link to an input is caught as well as the same name. The transcript
//! is `.transcript.txt`, not `.txt`, so that `article.txt` rendered to `article.mp3` can
//! never be replaced by its own transcript.

use std::path::{Path, PathBuf};

/// The kinds of file written beside an episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sidecar {
    /// WebVTT cues, one per sentence.
    Vtt,
    /// SubRip cues.
    Srt,
    /// The plain transcript.
    Transcript,
    /// Podcasting 2.0 chapters JSON.
    Chapters,
}

impl Sidecar {
    /// Every sidecar, in the order they are written.
    pub const ALL: [Sidecar; 4] = [
        Sidecar::Vtt,
        Sidecar::Srt,
        Sidecar::Transcript,
        Sidecar::Chapters,
    ];

    /// The extension that replaces the audio file's.
    pub fn extension(self) -> &'static str {
        match self {
            Sidecar::Vtt => "vtt",
            Sidecar::Srt => "srt",
            Sidecar::Transcript => "transcript.txt",
            Sidecar::Chapters => "chapters.json",
        }
    }

    /// The sidecar's path beside `audio`: same folder and stem.
    pub fn path_for(self, audio: &Path) -> PathBuf {
        audio.with_extension(self.extension())
    }
}

/// An output that would overwrite an input of the same run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{output} is the {role} ({input}); writing it would destroy it. Choose another output name"
)]
pub struct Clash {
    /// The output path.
    pub output: PathBuf,
    /// What the input is ("article", "intro music", ...).
    pub role: String,
    /// The input path as given.
    pub input: PathBuf,
}

/// A file's identity: its canonical path, and on Unix its device and inode.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    canonical: Option<PathBuf>,
    inode: Option<(u64, u64)>,
}

impl Identity {
    /// The identity of `path`, which may not exist yet: then its folder is canonicalized
    /// and its name joined, so that `./a.txt` and `a.txt` still compare equal.
    fn of(path: &Path) -> Identity {
        let canonical = path.canonicalize().ok().or_else(|| {
            let name = path.file_name()?;
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            Some(parent.canonicalize().ok()?.join(name))
        });
        Identity {
            canonical,
            inode: inode(path),
        }
    }

    fn same(&self, other: &Identity) -> bool {
        (self.canonical.is_some() && self.canonical == other.canonical)
            || (self.inode.is_some() && self.inode == other.inode)
    }
}

#[cfg(unix)]
fn inode(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn inode(_path: &Path) -> Option<(u64, u64)> {
    None
}

/// Whether `a` and `b` name the same file (or would, once written).
pub fn same_file(a: &Path, b: &Path) -> bool {
    Identity::of(a).same(&Identity::of(b))
}

/// Refuses the run when any of `outputs` is one of `inputs` (role, path), or when two
/// outputs are the same file. Standard input (`-`) is never a clash.
pub fn check_outputs(inputs: &[(&str, &Path)], outputs: &[PathBuf]) -> Result<(), Clash> {
    let inputs: Vec<(&str, &Path, Identity)> = inputs
        .iter()
        .filter(|(_, p)| p.as_os_str() != "-")
        .map(|&(role, p)| (role, p, Identity::of(p)))
        .collect();
    let mut seen: Vec<(&PathBuf, Identity)> = Vec::new();
    for output in outputs {
        let id = Identity::of(output);
        if let Some((role, input, _)) = inputs.iter().find(|(_, _, i)| i.same(&id)) {
            return Err(Clash {
                output: output.clone(),
                role: role.to_string(),
                input: input.to_path_buf(),
            });
        }
        if let Some((first, _)) = seen.iter().find(|(_, i)| i.same(&id)) {
            return Err(Clash {
                output: output.clone(),
                role: "another output of this run".into(),
                input: first.to_path_buf(),
            });
        }
        seen.push((output, id));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecars_never_take_the_article_name() {
        let audio = Path::new("dir/la-ville-lente.mp3");
        let names: Vec<PathBuf> = Sidecar::ALL.iter().map(|s| s.path_for(audio)).collect();
        assert!(!names.contains(&PathBuf::from("dir/la-ville-lente.txt")));
        assert!(names.contains(&PathBuf::from("dir/la-ville-lente.transcript.txt")));
        assert_eq!(
            Sidecar::Chapters.path_for(Path::new("a.b.wav")),
            PathBuf::from("a.b.chapters.json")
        );
    }

    #[test]
    fn same_name_relative_or_not_is_a_clash() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("ep.vtt");
        std::fs::write(&input, "x").unwrap();
        let dotted = dir.path().join(".").join("ep.vtt");
        let err = check_outputs(&[("lexicon", &input)], &[dotted]).unwrap_err();
        assert_eq!(err.role, "lexicon");
        assert!(
            err.to_string().contains("Choose another output name"),
            "{err}"
        );
        // An output that does not exist yet still compares by its folder.
        let fresh = dir.path().join("new.wav");
        assert!(same_file(&fresh, &dir.path().join(".").join("new.wav")));
    }

    #[cfg(unix)]
    #[test]
    fn hard_and_symbolic_links_are_clashes() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("article.txt");
        std::fs::write(&input, "x").unwrap();
        let hard = dir.path().join("hard.srt");
        std::fs::hard_link(&input, &hard).unwrap();
        let soft = dir.path().join("soft.vtt");
        std::os::unix::fs::symlink(&input, &soft).unwrap();
        for out in [hard, soft] {
            let err = check_outputs(&[("article", &input)], std::slice::from_ref(&out));
            assert!(err.is_err(), "{}", out.display());
        }
        let other = dir.path().join("other.vtt");
        assert!(check_outputs(&[("article", &input)], &[other]).is_ok());
    }

    #[test]
    fn two_outputs_on_one_file_and_standard_input() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.wav");
        let err = check_outputs(&[], &[a.clone(), a.clone()]).unwrap_err();
        assert!(err.role.contains("another output"));
        assert!(check_outputs(&[("article", Path::new("-"))], &[a]).is_ok());
    }
}
