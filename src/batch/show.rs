//! The show: `show.toml`, what a podcast directory wants to know about a feed (title,
//! author, description, language, cover, categories, explicit, owner, where the episodes
//! are served) and the render defaults every episode of the show shares. Paths in it are
//! relative to the file. A missing or invalid field is an error that names the field and
//! says what podcast apps require.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::episode::AudioSettings;
use crate::language::Language;
use crate::master::AudioFormat;

/// A show file as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Show {
    /// The feed's channel.
    #[serde(default)]
    pub show: Channel,
    /// Render defaults (flags override them).
    #[serde(default)]
    pub render: RenderDefaults,
    /// The folder the file is in, for its relative paths.
    #[serde(skip)]
    pub dir: PathBuf,
    /// The file, for messages.
    #[serde(skip)]
    pub path: PathBuf,
}

/// The `[show]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// The show's name.
    pub title: Option<String>,
    /// Who makes it (`itunes:author`).
    pub author: Option<String>,
    /// What it is about (at most 4000 bytes for Apple).
    pub description: Option<String>,
    /// Its language (BCP 47: `fr`, `en-GB`).
    pub language: Option<String>,
    /// Cover art: a square JPEG or PNG of 1400 to 3000 pixels.
    pub cover: Option<PathBuf>,
    /// Apple Podcasts categories: `"News"` or `"News/Tech News"`.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Whether episodes are explicit.
    pub explicit: Option<bool>,
    /// Who to contact about the feed.
    pub owner: Option<Owner>,
    /// Where the output folder is served, ending in `/` (`https://example.org/podcast/`).
    pub base_url: Option<String>,
    /// The show's website.
    pub link: Option<String>,
    /// The feed's `podcast:guid`; by default derived from the feed's address as the
    /// Podcasting 2.0 namespace says. Set it to keep it when the address moves.
    pub guid: Option<String>,
    /// Copyright line.
    pub copyright: Option<String>,
    /// Whether the feed may not be imported into another host (`podcast:locked`);
    /// default true.
    pub locked: Option<bool>,
}

/// The owner of a feed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// A name.
    pub name: Option<String>,
    /// An e-mail address.
    pub email: Option<String>,
}

/// The `[render]` table: what `articast render` flags say, for every episode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenderDefaults {
    /// `mp3` or `wav`.
    pub format: Option<AudioFormat>,
    /// Sample rate, Hz.
    pub rate: Option<u32>,
    /// MP3 constant bit rate, kbit/s.
    pub bitrate: Option<u16>,
    /// MP3 VBR quality.
    pub vbr: Option<u8>,
    /// Loudness target, LUFS.
    pub loudness: Option<f64>,
    /// True-peak ceiling, dBTP.
    pub true_peak: Option<f64>,
    /// Whether to normalize loudness.
    pub normalize: Option<bool>,
    /// Pause scale.
    pub pause_scale: Option<f32>,
    /// Intro music.
    pub intro: Option<PathBuf>,
    /// Outro music.
    pub outro: Option<PathBuf>,
    /// Bed music.
    pub bed: Option<PathBuf>,
    /// The bed's level relative to the speech, LU.
    pub bed_level: Option<f32>,
    /// The bed's ducking, dB.
    pub duck: Option<f32>,
    /// The voice for every language, unless `voices` names one.
    pub voice: Option<String>,
    /// The voice per language (`fr = "fr_FR-siwis-medium"`).
    #[serde(default)]
    pub voices: BTreeMap<String, String>,
    /// Lexicons for every episode.
    #[serde(default)]
    pub lexicons: Vec<PathBuf>,
}

/// Why a show file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ShowError {
    /// It could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// It is not valid TOML of this shape.
    #[error("{path}: {message}")]
    Syntax {
        /// The file.
        path: PathBuf,
        /// What is wrong, with its line.
        message: String,
    },
    /// A field is missing or invalid.
    #[error("{path}: {field}: {message}")]
    Field {
        /// The file.
        path: PathBuf,
        /// The field (`show.cover`).
        field: String,
        /// What is wrong and what is required.
        message: String,
    },
}

/// Apple Podcasts categories and their subcategories.
pub const APPLE_CATEGORIES: &[(&str, &[&str])] = &[
    (
        "Arts",
        &[
            "Books",
            "Design",
            "Fashion & Beauty",
            "Food",
            "Performing Arts",
            "Visual Arts",
        ],
    ),
    (
        "Business",
        &[
            "Careers",
            "Entrepreneurship",
            "Investing",
            "Management",
            "Marketing",
            "Non-Profit",
        ],
    ),
    ("Comedy", &["Comedy Interviews", "Improv", "Stand-Up"]),
    (
        "Education",
        &["Courses", "How To", "Language Learning", "Self-Improvement"],
    ),
    ("Fiction", &["Comedy Fiction", "Drama", "Science Fiction"]),
    ("Government", &[]),
    ("History", &[]),
    (
        "Health & Fitness",
        &[
            "Alternative Health",
            "Fitness",
            "Medicine",
            "Mental Health",
            "Nutrition",
            "Sexuality",
        ],
    ),
    (
        "Kids & Family",
        &[
            "Education for Kids",
            "Parenting",
            "Pets & Animals",
            "Stories for Kids",
        ],
    ),
    (
        "Leisure",
        &[
            "Animation & Manga",
            "Automotive",
            "Aviation",
            "Crafts",
            "Games",
            "Hobbies",
            "Home & Garden",
            "Video Games",
        ],
    ),
    (
        "Music",
        &["Music Commentary", "Music History", "Music Interviews"],
    ),
    (
        "News",
        &[
            "Business News",
            "Daily News",
            "Entertainment News",
            "News Commentary",
            "Politics",
            "Sports News",
            "Tech News",
        ],
    ),
    (
        "Religion & Spirituality",
        &[
            "Buddhism",
            "Christianity",
            "Hinduism",
            "Islam",
            "Judaism",
            "Religion",
            "Spirituality",
        ],
    ),
    (
        "Science",
        &[
            "Astronomy",
            "Chemistry",
            "Earth Sciences",
            "Life Sciences",
            "Mathematics",
            "Natural Sciences",
            "Nature",
            "Physics",
            "Social Sciences",
        ],
    ),
    (
        "Society & Culture",
        &[
            "Documentary",
            "Personal Journals",
            "Philosophy",
            "Places & Travel",
            "Relationships",
        ],
    ),
    (
        "Sports",
        &[
            "Baseball",
            "Basketball",
            "Cricket",
            "Fantasy Sports",
            "Football",
            "Golf",
            "Hockey",
            "Rugby",
            "Running",
            "Soccer",
            "Swimming",
            "Tennis",
            "Volleyball",
            "Wilderness",
            "Wrestling",
        ],
    ),
    ("Technology", &[]),
    ("True Crime", &[]),
    (
        "TV & Film",
        &[
            "After Shows",
            "Film History",
            "Film Interviews",
            "Film Reviews",
            "TV Reviews",
        ],
    ),
];

/// Splits `"News/Tech News"` into a category and subcategory Apple knows, or says why
/// not.
pub fn apple_category(spec: &str) -> Result<(&'static str, Option<&'static str>), String> {
    let (top, sub) = match spec.split_once('/') {
        Some((t, s)) => (t.trim(), Some(s.trim())),
        None => (spec.trim(), None),
    };
    let Some((name, subs)) = APPLE_CATEGORIES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(top))
    else {
        let names: Vec<&str> = APPLE_CATEGORIES.iter().map(|(n, _)| *n).collect();
        return Err(format!(
            "'{top}' is not an Apple Podcasts category; use one of {}",
            names.join(", ")
        ));
    };
    match sub {
        None => Ok((name, None)),
        Some(s) => match subs.iter().find(|x| x.eq_ignore_ascii_case(s)) {
            Some(found) => Ok((name, Some(found))),
            None if subs.is_empty() => Err(format!("'{name}' has no subcategories")),
            None => Err(format!(
                "'{s}' is not a subcategory of {name}; use one of {}",
                subs.join(", ")
            )),
        },
    }
}

impl Show {
    /// Reads a show file; relative paths in it are resolved against its folder.
    pub fn load(path: &Path) -> Result<Show, ShowError> {
        let text = std::fs::read_to_string(path).map_err(|source| ShowError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Show::parse(&text, path)
    }

    /// Reads a show file's text; `path` names it in errors and anchors its relative
    /// paths.
    pub fn parse(text: &str, path: &Path) -> Result<Show, ShowError> {
        let mut show: Show = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| format!("line {}: ", crate::document::line_of(text, s.start)))
                .unwrap_or_default();
            ShowError::Syntax {
                path: path.to_path_buf(),
                message: format!("{line}{}", e.message()),
            }
        })?;
        show.path = path.to_path_buf();
        show.dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        show.check_basics()?;
        Ok(show)
    }

    fn field(&self, field: &str, message: impl Into<String>) -> ShowError {
        ShowError::Field {
            path: self.path.clone(),
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// A path of the file resolved against its folder.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.dir.join(p)
        }
    }

    /// Checks what every use of the file needs: values that parse and make sense.
    fn check_basics(&self) -> Result<(), ShowError> {
        let c = &self.show;
        if let Some(lang) = &c.language {
            if !valid_language_tag(lang) {
                return Err(self.field(
                    "show.language",
                    format!("'{lang}' is not a language code; podcast apps want ISO 639 (`fr`, `en-GB`)"),
                ));
            }
        }
        for spec in &c.categories {
            apple_category(spec).map_err(|m| self.field("show.categories", m))?;
        }
        if let Some(url) = &c.base_url {
            if !crate::fetch::is_url(url) {
                return Err(self.field(
                    "show.base_url",
                    format!("'{url}' is not an http(s) address; it is where the output folder is served, e.g. https://example.org/podcast/"),
                ));
            }
        }
        if let Some(email) = c.owner.as_ref().and_then(|o| o.email.as_deref()) {
            if !email.contains('@') || email.contains(char::is_whitespace) {
                return Err(self.field(
                    "show.owner.email",
                    format!("'{email}' is not an e-mail address"),
                ));
            }
        }
        for lang in self.render.voices.keys() {
            if Language::from_tag(lang).is_none() {
                return Err(self.field(
                    "render.voices",
                    format!("'{lang}' is not a language articast reads (fr, en, de, es)"),
                ));
            }
        }
        self.audio_settings(None)
            .validate(self.render.bed.is_some())
            .map_err(|e| {
                self.field(
                    &format!("render.{}", e.setting.replace('-', "_")),
                    e.message,
                )
            })?;
        Ok(())
    }

    /// Checks what a feed needs that rendering does not: what podcast directories
    /// require of a channel.
    pub fn check_for_feed(&self) -> Result<(), ShowError> {
        let c = &self.show;
        let required = |v: &Option<String>, field: &str, why: &str| match v {
            Some(s) if !s.trim().is_empty() => Ok(()),
            _ => Err(self.field(field, format!("missing; {why}"))),
        };
        required(
            &c.title,
            "show.title",
            "every podcast app shows the show's title",
        )?;
        required(
            &c.description,
            "show.description",
            "Apple Podcasts and Spotify require a description",
        )?;
        required(
            &c.base_url,
            "show.base_url",
            "episode enclosures need the address where the output folder is served",
        )?;
        if c.language.is_none() {
            return Err(self.field(
                "show.language",
                "missing; podcast directories require the feed's language (`fr`, `en`)",
            ));
        }
        if c.cover.is_none() {
            return Err(self.field(
                "show.cover",
                "missing; Apple Podcasts requires a square JPEG or PNG cover of 1400 to 3000 pixels",
            ));
        }
        if c.categories.is_empty() {
            return Err(self.field(
                "show.categories",
                "missing; Apple Podcasts requires at least one category, e.g. [\"News\"]",
            ));
        }
        if c.explicit.is_none() {
            return Err(self.field(
                "show.explicit",
                "missing; Apple Podcasts requires it: true or false",
            ));
        }
        Ok(())
    }

    /// The audio settings the file gives, for `format` when a flag already says it.
    pub fn audio_settings(&self, format: Option<AudioFormat>) -> AudioSettings {
        let r = &self.render;
        let d = AudioSettings::default();
        AudioSettings {
            format: format.or(r.format).unwrap_or(d.format),
            sample_rate: r.rate,
            bitrate: r.bitrate,
            vbr: r.vbr,
            loudness: r.loudness,
            true_peak: r.true_peak.unwrap_or(d.true_peak),
            normalize: r.normalize.unwrap_or(true),
            pause_scale: r.pause_scale.unwrap_or(d.pause_scale),
            bed_level_db: r.bed_level,
            duck_db: r.duck,
        }
    }

    /// The voice the file names for `language`.
    pub fn voice_for(&self, language: Language) -> Option<&str> {
        self.render
            .voices
            .iter()
            .find(|(l, _)| Language::from_tag(l) == Some(language))
            .map(|(_, v)| v.as_str())
            .or(self.render.voice.as_deref())
    }
}

/// Whether `tag` looks like a BCP 47 language tag: a 2-3 letter language, then subtags
/// of letters and digits.
pub fn valid_language_tag(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Show, ShowError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("show.toml");
        std::fs::write(&path, text).unwrap();
        Show::load(&path)
    }

    const FULL: &str = r#"
[show]
title = "Le Fil"
author = "Rédaction"
description = "Les articles du jour, lus."
language = "fr"
cover = "cover.png"
categories = ["News/Daily News", "Technology"]
explicit = false
owner = { name = "Rédaction", email = "podcast@example.org" }
base_url = "https://example.org/podcast/"

[render]
format = "mp3"
bitrate = 64
voices = { fr = "fr", en = "en-us" }
"#;

    #[test]
    fn a_complete_show_loads_and_is_ready_for_a_feed() {
        let show = load(FULL).unwrap();
        show.check_for_feed().unwrap();
        assert_eq!(show.voice_for(Language::English), Some("en-us"));
        assert_eq!(show.audio_settings(None).bitrate, Some(64));
        assert!(show.resolve(Path::new("cover.png")).ends_with("cover.png"));
    }

    #[test]
    fn bad_fields_are_named_with_what_apps_require() {
        let cases = [
            (
                FULL.replace("\"News/Daily News\"", "\"Newz\""),
                "show.categories",
            ),
            (
                FULL.replace("language = \"fr\"", "language = \"français!\""),
                "show.language",
            ),
            (
                FULL.replace("https://example.org/podcast/", "example.org"),
                "show.base_url",
            ),
            (
                FULL.replace("bitrate = 64", "bitrate = 100"),
                "render.bitrate",
            ),
            (
                FULL.replace("podcast@example.org", "nobody"),
                "show.owner.email",
            ),
            (FULL.replace("fr = \"fr\"", "xx = \"fr\""), "render.voices"),
        ];
        for (text, field) in cases {
            let err = load(&text).unwrap_err().to_string();
            assert!(err.contains(field), "{field}: {err}");
            assert!(err.contains("show.toml"), "{err}");
        }
        let no_cover = load(&FULL.replace("cover = \"cover.png\"\n", "")).unwrap();
        let err = no_cover.check_for_feed().unwrap_err().to_string();
        assert!(
            err.contains("show.cover") && err.contains("1400 to 3000"),
            "{err}"
        );
        let typo = load(&FULL.replace("explicit", "explict"))
            .unwrap_err()
            .to_string();
        assert!(typo.contains("explict"), "{typo}");
    }

    #[test]
    fn categories_are_apple_s() {
        assert_eq!(
            apple_category("news/tech news"),
            Ok(("News", Some("Tech News")))
        );
        assert!(apple_category("Technology/Gadgets").is_err());
    }
}
