//! What an episode carries besides speech: cover art and music (intro, outro, bed),
//! read and decoded once per run, before any synthesis, and shared by every episode of
//! the run (a book split by chapter, an archive).

use std::path::{Path, PathBuf};

use crate::assemble::music::{self, Decoded, MusicError};
use crate::output::cover::{Cover, CoverError};

/// Where the media files are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaPaths {
    /// Cover art (JPEG or PNG).
    pub cover: Option<PathBuf>,
    /// Music before the speech.
    pub intro: Option<PathBuf>,
    /// Music after the speech.
    pub outro: Option<PathBuf>,
    /// Music looped under the speech.
    pub bed: Option<PathBuf>,
}

impl MediaPaths {
    /// Every file with what it is, for the rule that no output overwrites an input.
    pub fn inputs(&self) -> Vec<(&'static str, &Path)> {
        [
            ("cover", &self.cover),
            ("intro music", &self.intro),
            ("outro music", &self.outro),
            ("music bed", &self.bed),
        ]
        .into_iter()
        .filter_map(|(role, p)| p.as_deref().map(|p| (role, p)))
        .collect()
    }
}

/// The media, loaded.
#[derive(Default)]
pub struct Media {
    /// Cover art.
    pub cover: Option<Cover>,
    /// Intro music, decoded.
    pub intro: Option<Decoded>,
    /// Outro music, decoded.
    pub outro: Option<Decoded>,
    /// Bed music, decoded.
    pub bed: Option<Decoded>,
}

/// Why a media file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The cover.
    #[error(transparent)]
    Cover(#[from] CoverError),
    /// A music file.
    #[error(transparent)]
    Music(#[from] MusicError),
}

impl Media {
    /// Loads the cover and decodes the music.
    pub fn load(paths: &MediaPaths) -> Result<Media, MediaError> {
        let decode = |p: &Option<PathBuf>| p.as_deref().map(music::decode).transpose();
        Ok(Media {
            cover: paths.cover.as_deref().map(Cover::load).transpose()?,
            intro: decode(&paths.intro)?,
            outro: decode(&paths.outro)?,
            bed: decode(&paths.bed)?,
        })
    }

    /// Whether any music is mixed in.
    pub fn has_music(&self) -> bool {
        self.intro.is_some() || self.outro.is_some() || self.bed.is_some()
    }

    /// The episode's channels: 2 when any music is stereo, else 1.
    pub fn channels(&self) -> u16 {
        [&self.intro, &self.outro, &self.bed]
            .iter()
            .filter_map(|d| d.as_ref().map(|d| d.channels()))
            .max()
            .unwrap_or(1)
    }
}
