//! The podcast feed: RSS 2.0 with the iTunes and Podcasting 2.0 namespaces, written from
//! the manifest alone (never from the audio), so that it is the same bytes whatever
//! machines rendered the episodes, in whatever order. Written with the `rss` crate and
//! renamed into place; [`check`] reports what Apple Podcasts' rules would reject.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rss::extension::itunes::{
    ITunesCategory, ITunesChannelExtension, ITunesItemExtension, ITunesOwner,
};
use rss::extension::Extension;
use rss::{Channel, Enclosure, Guid, Item};

use crate::batch::manifest::{Entry, Manifest};
use crate::batch::names;
use crate::batch::show::{apple_category, Show};
use crate::master::AudioFormat;

/// The feed's file name in the output folder.
pub const FEED_FILE: &str = "feed.xml";

/// The Podcasting 2.0 namespace.
pub const PODCAST_NS: &str = "https://podcastindex.org/namespace/1.0";

/// Apple's limit on a description, in bytes.
pub const MAX_DESCRIPTION_BYTES: usize = 4000;

/// Why a feed could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The show lacks what a feed needs.
    #[error(transparent)]
    Show(#[from] crate::batch::show::ShowError),
    /// The manifest could not be read.
    #[error(transparent)]
    Manifest(#[from] crate::batch::manifest::ManifestError),
    /// The feed could not be written.
    #[error(transparent)]
    Write(#[from] crate::output::OutputError),
    /// Nothing is rendered yet.
    #[error("{0} holds no rendered episode yet; run `articast batch` first")]
    Empty(PathBuf),
}

/// What went into a feed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FeedReport {
    /// The feed file.
    pub path: PathBuf,
    /// Its items.
    pub items: usize,
    /// Articles left out (failed without a good episode, or their file is missing).
    pub left_out: Vec<String>,
}

/// `itunes:duration` in seconds, as Apple prefers.
fn duration(secs: f64) -> String {
    format!("{}", secs.round() as u64)
}

fn ext(name: &str, value: Option<String>, attrs: &[(&str, &str)]) -> Extension {
    Extension {
        name: name.to_string(),
        value,
        attrs: attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        children: BTreeMap::new(),
    }
}

/// Adds podcast-namespace elements to an extension map.
fn podcast_exts(exts: Vec<Extension>) -> rss::extension::ExtensionMap {
    let mut by_name: BTreeMap<String, Vec<Extension>> = BTreeMap::new();
    for e in exts {
        by_name.entry(e.name.clone()).or_default().push(e);
    }
    let mut map = rss::extension::ExtensionMap::new();
    map.insert("podcast".into(), by_name);
    map
}

/// An episode's place in the feed: entries with a good episode whose file is there
/// (and the identities of those left out).
pub(crate) fn usable<'a>(
    out: &Path,
    entries: impl Iterator<Item = &'a Entry>,
) -> (Vec<&'a Entry>, Vec<String>) {
    let (mut ok, mut left) = (Vec::new(), Vec::new());
    for e in entries {
        match &e.report {
            Some(r) if out.join(&r.output).is_file() => ok.push(e),
            _ => left.push(e.identity.clone()),
        }
    }
    (ok, left)
}

/// Publication time of an entry, for ordering (missing dates sort oldest).
pub(crate) fn when(e: &Entry) -> i64 {
    e.published
        .as_deref()
        .and_then(crate::batch::parse_date)
        .map_or(i64::MIN, |d| d.timestamp())
}

/// Builds the channel for the episodes recorded under `out`.
pub fn channel(
    show: &Show,
    manifest: &Manifest,
    out: &Path,
) -> Result<(Channel, Vec<String>), FeedError> {
    show.check_for_feed()?;
    let c = &show.show;
    let base = c.base_url.clone().unwrap_or_default();
    let base = if base.ends_with('/') {
        base
    } else {
        format!("{base}/")
    };
    let feed_url = format!("{base}{FEED_FILE}");
    let show_guid = match &c.guid {
        Some(g) => uuid::Uuid::parse_str(g).unwrap_or_else(|_| names::podcast_guid(g)),
        None => names::podcast_guid(&feed_url),
    };
    let (mut entries, left_out) = usable(out, manifest.entries.values());
    // Oldest first to number the episodes, newest first in the feed; ties by identity,
    // so that the order never depends on how the manifest was made.
    entries.sort_by(|a, b| {
        when(a)
            .cmp(&when(b))
            .then_with(|| a.identity.cmp(&b.identity))
    });
    let mut items: Vec<Item> = entries
        .iter()
        .enumerate()
        .map(|(n, e)| item(e, n + 1, &base, &show_guid, c.explicit.unwrap_or(false)))
        .collect();
    items.reverse();
    let categories = c
        .categories
        .iter()
        .filter_map(|spec| apple_category(spec).ok())
        .fold(Vec::<ITunesCategory>::new(), |mut cats, (top, sub)| {
            match cats.iter_mut().find(|x| x.text == top) {
                Some(existing) if existing.subcategory.is_none() => {
                    existing.subcategory = sub.map(|s| {
                        Box::new(ITunesCategory {
                            text: s.into(),
                            subcategory: None,
                        })
                    });
                }
                Some(_) => {}
                None => cats.push(ITunesCategory {
                    text: top.into(),
                    subcategory: sub.map(|s| {
                        Box::new(ITunesCategory {
                            text: s.into(),
                            subcategory: None,
                        })
                    }),
                }),
            }
            cats
        });
    let cover_url = c.cover.as_ref().map(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("{base}{name}")
    });
    let mut namespaces = BTreeMap::new();
    namespaces.insert("podcast".to_string(), PODCAST_NS.to_string());
    let channel = Channel {
        title: c.title.clone().unwrap_or_default(),
        link: c.link.clone().unwrap_or_else(|| base.clone()),
        description: c.description.clone().unwrap_or_default(),
        language: c.language.clone(),
        copyright: c.copyright.clone(),
        generator: Some(format!("articast {}", env!("CARGO_PKG_VERSION"))),
        image: cover_url.as_ref().map(|url| rss::Image {
            url: url.clone(),
            title: c.title.clone().unwrap_or_default(),
            link: c.link.clone().unwrap_or_else(|| base.clone()),
            ..Default::default()
        }),
        items,
        itunes_ext: Some(ITunesChannelExtension {
            author: c.author.clone(),
            categories,
            image: cover_url,
            explicit: Some(
                if c.explicit.unwrap_or(false) {
                    "true"
                } else {
                    "false"
                }
                .into(),
            ),
            owner: c.owner.as_ref().map(|o| ITunesOwner {
                name: o.name.clone(),
                email: o.email.clone(),
            }),
            summary: c.description.clone(),
            r#type: Some("episodic".into()),
            ..Default::default()
        }),
        extensions: podcast_exts(vec![
            ext("podcast:guid", Some(show_guid.to_string()), &[]),
            ext(
                "podcast:locked",
                Some(
                    if c.locked.unwrap_or(true) {
                        "yes"
                    } else {
                        "no"
                    }
                    .into(),
                ),
                &[],
            ),
        ]),
        namespaces,
        ..Default::default()
    };
    Ok((channel, left_out))
}

/// One item.
fn item(e: &Entry, number: usize, base: &str, show_guid: &uuid::Uuid, explicit: bool) -> Item {
    let report = e.report.as_ref().expect("usable entries have a report");
    let file = report.output.to_string_lossy().replace('\\', "/");
    let mime = match report.format {
        AudioFormat::Mp3 => "audio/mpeg",
        AudioFormat::Wav => "audio/wav",
    };
    let sidecar = |ext: &str| {
        report
            .sidecars
            .iter()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .find(|p| p.ends_with(ext))
            .map(|p| format!("{base}{p}"))
    };
    let mut exts = Vec::new();
    if let Some(url) = sidecar(".vtt") {
        exts.push(ext(
            "podcast:transcript",
            None,
            &[("url", &url), ("type", "text/vtt")],
        ));
    }
    if let Some(url) = sidecar(".srt") {
        exts.push(ext(
            "podcast:transcript",
            None,
            &[("url", &url), ("type", "application/x-subrip")],
        ));
    }
    if let Some(url) = sidecar(".chapters.json") {
        exts.push(ext(
            "podcast:chapters",
            None,
            &[("url", &url), ("type", "application/json+chapters")],
        ));
    }
    let description = e
        .description
        .clone()
        .or_else(|| e.title.clone())
        .map(|d| truncate_bytes(&d, MAX_DESCRIPTION_BYTES));
    Item {
        title: e.title.clone().or_else(|| Some(e.identity.clone())),
        description,
        guid: Some(Guid {
            value: names::item_guid(show_guid, &e.identity).to_string(),
            permalink: false,
        }),
        pub_date: e.published.clone(),
        enclosure: Some(Enclosure {
            url: format!("{base}{file}"),
            length: report.bytes.to_string(),
            mime_type: mime.into(),
        }),
        itunes_ext: Some(ITunesItemExtension {
            author: e.author.clone(),
            duration: Some(duration(report.duration_secs)),
            episode: Some(number.to_string()),
            explicit: Some(if explicit { "true" } else { "false" }.into()),
            episode_type: Some("full".into()),
            ..Default::default()
        }),
        extensions: podcast_exts(exts),
        ..Default::default()
    }
}

fn truncate_bytes(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max.saturating_sub(3);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// Writes `out/feed.xml` from the merged manifest, atomically.
pub fn write(show: &Show, out: &Path) -> Result<FeedReport, FeedError> {
    let manifest = Manifest::merged(out)?;
    let (channel, left_out) = channel(show, &manifest, out)?;
    if channel.items.is_empty() {
        return Err(FeedError::Empty(out.to_path_buf()));
    }
    // The show's cover is served beside the feed.
    if let Some(cover) = &show.show.cover {
        let from = show.resolve(cover);
        if let Some(name) = from.file_name() {
            let to = out.join(name);
            if !crate::output::paths::same_file(&from, &to) {
                let bytes = std::fs::read(&from).map_err(|source| crate::output::OutputError {
                    path: from.clone(),
                    source,
                })?;
                crate::atomic::write_atomic(&to, |w| {
                    use std::io::Write;
                    w.write_all(&bytes)
                })?;
            }
        }
    }
    let path = out.join(FEED_FILE);
    let items = channel.items.len();
    crate::atomic::write_atomic(&path, |w| {
        channel
            .pretty_write_to(w, b' ', 2)
            .map(|_| ())
            .map_err(|e| std::io::Error::other(e.to_string()))
    })?;
    Ok(FeedReport {
        path,
        items,
        left_out,
    })
}

/// What Apple Podcasts' rules would reject in a show and its feed: each a message
/// naming the field.
pub fn check(show: &Show, out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    if let Err(e) = show.check_for_feed() {
        problems.push(e.to_string());
    }
    let c = &show.show;
    if let Some(cover) = &c.cover {
        match crate::output::cover::Cover::load(&show.resolve(cover)) {
            Ok(img) => {
                let (w, h) = img.size;
                if w != h || !(1400..=3000).contains(&w) {
                    problems.push(format!(
                        "show.cover: {}x{} pixels; Apple Podcasts requires a square image of 1400 to 3000 pixels",
                        w, h
                    ));
                }
            }
            Err(e) => problems.push(format!("show.cover: {e}")),
        }
    }
    if let Some(d) = &c.description {
        if d.len() > MAX_DESCRIPTION_BYTES {
            problems.push(format!(
                "show.description: {} bytes; Apple Podcasts takes at most {MAX_DESCRIPTION_BYTES}",
                d.len()
            ));
        }
    }
    if c.owner.as_ref().and_then(|o| o.email.as_ref()).is_none() {
        problems.push(
            "show.owner.email: missing; Apple Podcasts uses it to confirm you own the feed".into(),
        );
    }
    match Manifest::merged(out) {
        Ok(m) => {
            let (ok, left) = usable(out, m.entries.values());
            if ok.is_empty() {
                problems.push(format!("{}: no episode is rendered yet", out.display()));
            }
            for id in left {
                problems.push(format!("{id}: no episode file; it is left out of the feed"));
            }
            for e in ok {
                if e.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
                    problems.push(format!("{}: an episode needs a title", e.identity));
                }
            }
        }
        Err(e) => problems.push(e.to_string()),
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_descriptions_are_cut_on_a_character() {
        let long = "é".repeat(3000);
        let cut = truncate_bytes(&long, 4000);
        assert!(cut.len() <= 4000 && cut.ends_with("..."));
        assert_eq!(duration(61.6), "62");
    }
}
