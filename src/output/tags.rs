//! ID3v2.4 tags for MP3 episodes, with the frames podcast apps and players read: title,
//! artist, album (the show), date, language, comment, genre, encoder, length, cover art,
//! and chapters (a CTOC table of contents and one CHAP frame per chapter, with its title
//! and exact start and end in milliseconds).

use id3::frame::{Chapter, Comment, Picture, PictureType, TableOfContents};
use id3::{Frame, Tag, TagLike, Timestamp, Version};

use super::cover::Cover;
use crate::assemble::Episode;

/// ISO 639-2 code for a BCP 47 primary subtag, as TLAN and COMM require.
fn iso639_2(code: &str) -> &'static str {
    match code {
        "fr" => "fra",
        "en" => "eng",
        "de" => "deu",
        "es" => "spa",
        "it" => "ita",
        _ => "und",
    }
}

/// Milliseconds of a frame position, saturating at what ID3 holds.
fn millis(episode: &Episode, frame: u64) -> u32 {
    (episode.seconds(frame) * 1000.0)
        .round()
        .min(u32::MAX as f64 - 1.0) as u32
}

/// Builds the tag for `episode`.
pub fn id3_tag(episode: &Episode, cover: Option<&Cover>, encoder: &str) -> Tag {
    let m = &episode.meta;
    let mut tag = Tag::new();
    if let Some(t) = &m.title {
        tag.set_title(t.as_str());
    }
    if let Some(a) = &m.author {
        tag.set_artist(a.as_str());
        tag.set_album_artist(a.as_str());
    }
    if let Some(s) = &m.show {
        tag.set_album(s.as_str());
    }
    if let Some(d) = m
        .date
        .as_deref()
        .and_then(|d| d.trim().parse::<Timestamp>().ok())
    {
        tag.set_date_recorded(d);
        tag.set_date_released(d);
    }
    tag.set_genre("Podcast");
    if let Some((number, total)) = m.track {
        tag.set_track(number);
        tag.set_total_tracks(total);
    }
    tag.add_frame(Frame::text("TLAN", iso639_2(&m.language)));
    tag.add_frame(Frame::text("TSSE", encoder));
    tag.add_frame(Frame::text(
        "TLEN",
        millis(episode, episode.frames).to_string(),
    ));
    let comment = match &m.description {
        Some(d) => format!("{d}\n\nRead by {}.", m.voice),
        None => format!("Read by {}.", m.voice),
    };
    tag.add_frame(Comment {
        lang: iso639_2(&m.language).to_string(),
        description: String::new(),
        text: comment,
    });
    if let Some(cover) = cover {
        tag.add_frame(Picture {
            mime_type: cover.mime.to_string(),
            picture_type: PictureType::CoverFront,
            description: "Cover".to_string(),
            data: cover.data.clone(),
        });
    }
    let ids: Vec<String> = (0..episode.chapters.len())
        .map(|i| format!("chp{i}"))
        .collect();
    if !ids.is_empty() {
        tag.add_frame(TableOfContents {
            element_id: "toc".to_string(),
            top_level: true,
            ordered: true,
            elements: ids.clone(),
            frames: vec![Frame::text("TIT2", "Chapters")],
        });
    }
    for (id, chapter) in ids.into_iter().zip(&episode.chapters) {
        tag.add_frame(Chapter {
            element_id: id,
            start_time: millis(episode, chapter.start),
            end_time: millis(episode, chapter.end),
            start_offset: u32::MAX,
            end_offset: u32::MAX,
            frames: vec![Frame::text("TIT2", chapter.title.as_str())],
        });
    }
    tag
}

/// The tag's bytes, ID3v2.4.
pub fn id3_bytes(tag: &Tag) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    tag.write_to(&mut bytes, Version::Id3v24)
        .map_err(std::io::Error::other)?;
    Ok(bytes)
}
