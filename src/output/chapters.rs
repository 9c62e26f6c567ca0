//! Chapters as Podcasting 2.0 JSON chapters (`version`, `chapters[{startTime, title}]`),
//! the format podcast apps fetch from a feed's `<podcast:chapters>` tag.

use serde::Serialize;

use crate::assemble::Episode;

/// The JSON chapters document.
#[derive(Debug, Serialize)]
pub struct ChaptersJson {
    /// Format version.
    pub version: &'static str,
    /// The chapters in order.
    pub chapters: Vec<ChapterJson>,
}

/// One chapter.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChapterJson {
    /// Start, in seconds.
    pub start_time: f64,
    /// End, in seconds.
    pub end_time: f64,
    /// Title.
    pub title: String,
}

/// Builds the chapters document for `episode`; times are rounded to the millisecond.
pub fn chapters_json(episode: &Episode) -> ChaptersJson {
    let secs = |s: u64| (episode.seconds(s) * 1000.0).round() / 1000.0;
    ChaptersJson {
        version: "1.2.0",
        chapters: episode
            .chapters
            .iter()
            .map(|c| ChapterJson {
                start_time: secs(c.start),
                end_time: secs(c.end),
                title: c.title.clone(),
            })
            .collect(),
    }
}
