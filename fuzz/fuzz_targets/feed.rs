//! Fuzzes what `articast batch` reads from the web: a site's RSS or Atom feed becoming
//! articles, and the `Content-Type` header of an answer. Any bytes must give articles or
//! an error, never a panic.
#![no_main]

use articast::batch::inputs::feed_items;
use articast::fetch::parse_content_type;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(header) = std::str::from_utf8(data) {
        let _ = parse_content_type(header.lines().next().unwrap_or(""));
    }
    if let Ok(items) = feed_items(data, "https://example.org/feed.xml") {
        for item in items {
            assert!(!item.identity.is_empty());
        }
    }
});
