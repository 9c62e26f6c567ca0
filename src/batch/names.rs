//! Stable names: episode files named after their titles (safe everywhere, unique, never
//! outside the output folder) and GUIDs that follow an article's identity, not its title
//! or its audio.

use uuid::Uuid;

/// The Podcasting 2.0 namespace's UUID for `podcast:guid` (UUIDv5 of the feed's
/// address, scheme and trailing slashes removed).
pub const PODCAST_NAMESPACE: Uuid = Uuid::from_u128(0xead4c236_bf58_58c6_a2c6_a6b28d128cb6);

/// Longest slug, in characters.
const MAX_SLUG: usize = 60;

/// Names Windows refuses for files, whatever the extension.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A file-name-safe slug of `title`: ASCII (accents and other scripts transliterated),
/// lower case, words joined by `-`, at most 60 characters, never empty, never a name a
/// system reserves. `../../etc/passwd` becomes `etc-passwd`.
pub fn slug(title: &str) -> String {
    // "n°" (numéro) is no "ndeg", nor "21°C" a "21degc".
    let ascii = deunicode::deunicode(&title.replace('°', " ")).to_ascii_lowercase();
    let mut out = String::new();
    for word in ascii.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let extra = if out.is_empty() {
            word.len()
        } else {
            word.len() + 1
        };
        if out.len() + extra > MAX_SLUG {
            if out.is_empty() {
                out.push_str(&word[..MAX_SLUG]);
            }
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() {
        out.push_str("episode");
    }
    if RESERVED.contains(&out.as_str()) {
        out.insert_str(0, "ep-");
    }
    out
}

/// An episode's file name: the title's slug and eight hex digits of what shaped its
/// audio, so that new audio gets a new name (podcast apps ignore a re-used enclosure
/// address) and two articles of the same title never collide.
pub fn episode_file(title: &str, audio_key: &str, extension: &str) -> String {
    let short: String = audio_key
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .take(8)
        .collect();
    format!("{}-{short}.{extension}", slug(title))
}

/// The feed's `podcast:guid` for its address.
pub fn podcast_guid(feed_url: &str) -> Uuid {
    let trimmed = feed_url
        .trim()
        .split_once("://")
        .map_or(feed_url.trim(), |(_, rest)| rest)
        .trim_end_matches('/');
    Uuid::new_v5(&PODCAST_NAMESPACE, trimmed.as_bytes())
}

/// An item's GUID: UUIDv5 of the article's identity in the show's namespace, the same
/// whatever the title, the settings or the audio.
pub fn item_guid(show: &Uuid, identity: &str) -> Uuid {
    Uuid::new_v5(show, identity.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe() {
        assert_eq!(
            slug("La ville lente : ce que le XXIe siècle doit aux rues"),
            "la-ville-lente-ce-que-le-xxie-siecle-doit-aux-rues"
        );
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("CON"), "ep-con");
        assert_eq!(slug("Article n° 12 : 21°C"), "article-n-12-21-c");
        assert_eq!(slug("!?!"), "episode");
        assert_eq!(slug("🚀"), "rocket");
        assert_eq!(slug("Привет, мир"), "privet-mir");
        let long = slug(&"mot ".repeat(40));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
        assert!(
            !slug("a/b\\c:d*e?f\"g<h>i|j").contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|'])
        );
        assert_eq!(
            episode_file("Titre", "3fa1b2c4d5e6", "mp3"),
            "titre-3fa1b2c4.mp3"
        );
    }

    #[test]
    fn guids_follow_the_spec_and_the_identity() {
        // The example of the Podcasting 2.0 namespace: podcastindex.org/namespace/1.0.
        assert_eq!(
            podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml").to_string(),
            "917393e3-1b1e-5cef-ace4-edaa54e1f810"
        );
        assert_eq!(
            podcast_guid("http://example.org/feed.xml/"),
            podcast_guid("https://example.org/feed.xml")
        );
        let show = podcast_guid("https://example.org/feed.xml");
        assert_eq!(
            item_guid(&show, "posts/a.md"),
            item_guid(&show, "posts/a.md")
        );
        assert_ne!(
            item_guid(&show, "posts/a.md"),
            item_guid(&show, "posts/b.md")
        );
    }
}
