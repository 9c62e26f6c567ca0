//! The batch's pre-pass over its plain-text files: what recurs across the scrapes of one
//! folder (see [`crate::document::recurring`]), learned before any article is read, so
//! that every shard of a batch drops the same lines.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::inputs::{Origin, Source};
use crate::document::recurring::RecurringLines;
use crate::document::{decode, InputFormat, MAX_INPUT_BYTES};

/// Recurring lines by folder, for the folders whose plain-text files teach some.
#[derive(Debug, Default)]
pub struct RecurringByFolder(HashMap<PathBuf, Arc<RecurringLines>>);

impl RecurringByFolder {
    /// Reads the plain-text files among `sources` (every shard's, not only one's) and
    /// learns, folder by folder, which blocks recur. Files that cannot be read are left
    /// to the article step, which reports them.
    pub fn learn(sources: &[Source], format: Option<InputFormat>) -> Self {
        let mut texts: HashMap<PathBuf, Vec<String>> = HashMap::new();
        for source in sources {
            let Origin::File(path) = &source.origin else {
                continue;
            };
            let Some(text) = plain_text(path, format) else {
                continue;
            };
            let folder = path.parent().unwrap_or(Path::new("")).to_path_buf();
            texts.entry(folder).or_default().push(text);
        }
        RecurringByFolder(
            texts
                .into_iter()
                .map(|(folder, texts)| {
                    (
                        folder,
                        RecurringLines::learn(texts.iter().map(String::as_str)),
                    )
                })
                .filter(|(_, lines)| !lines.is_empty())
                .map(|(folder, lines)| (folder, Arc::new(lines)))
                .collect(),
        )
    }

    /// The recurring lines for the article `source`, when its folder has some.
    pub fn for_source(&self, source: &Source) -> Option<Arc<RecurringLines>> {
        let Origin::File(path) = &source.origin else {
            return None;
        };
        self.0.get(path.parent().unwrap_or(Path::new(""))).cloned()
    }
}

/// The decoded text of `path` when it is a plain-text article.
fn plain_text(path: &Path, format: Option<InputFormat>) -> Option<String> {
    let size = std::fs::metadata(path).ok()?.len();
    if size > MAX_INPUT_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let format = format.unwrap_or_else(|| super::guess_format(path, &bytes));
    if format != InputFormat::Text {
        return None;
    }
    decode::decode(&bytes, path).ok().map(|d| d.text)
}
