//! The batch's pre-pass over its plain-text files: what recurs across the scrapes of one
//! folder (see [`crate::document::recurring`]), learned before any article is read, so
//! that every shard of a batch drops the same lines.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::inputs::{Origin, Source};
use crate::document::recurring::{RecurringLearner, RecurringLines};
use crate::document::{decode, InputFormat, MAX_INPUT_BYTES};

/// Recurring lines by folder, for the folders whose plain-text files teach some.
#[derive(Debug, Default)]
pub struct RecurringByFolder(HashMap<PathBuf, Arc<RecurringLines>>);

impl RecurringByFolder {
    /// Reads the plain-text files among `sources` (every shard's, not only one's) and
    /// learns, folder by folder, which blocks recur. Files that cannot be read are left
    /// to the article step, which reports them. Each file is read, counted and let go:
    /// memory holds block counts, not the archive.
    pub fn learn(sources: &[Source], format: Option<InputFormat>) -> Self {
        let mut learners: HashMap<PathBuf, RecurringLearner> = HashMap::new();
        for source in sources {
            let Origin::File(path) = &source.origin else {
                continue;
            };
            let Some(text) = plain_text(path, format) else {
                continue;
            };
            let folder = path.parent().unwrap_or(Path::new("")).to_path_buf();
            learners.entry(folder).or_default().add(&text);
        }
        RecurringByFolder(
            learners
                .into_iter()
                .map(|(folder, learner)| (folder, learner.finish()))
                .filter(|(_, lines)| !lines.is_empty())
                .map(|(folder, lines)| (folder, Arc::new(lines)))
                .collect(),
        )
    }

    /// What was learned, for the run's report.
    pub fn summary(&self) -> RecurringSummary {
        RecurringSummary {
            folders: self.0.len(),
            articles: self.0.values().map(|l| l.articles()).sum(),
            lines: self.0.values().map(|l| l.len()).sum(),
        }
    }

    /// The recurring lines for the article `source`, when its folder has some.
    pub fn for_source(&self, source: &Source) -> Option<Arc<RecurringLines>> {
        let Origin::File(path) = &source.origin else {
            return None;
        };
        self.0.get(path.parent().unwrap_or(Path::new(""))).cloned()
    }
}

/// The boilerplate a batch learned from its folders of plain-text scrapes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RecurringSummary {
    /// Folders with recurring lines.
    pub folders: usize,
    /// Plain-text articles in those folders, read to learn them.
    pub articles: usize,
    /// Distinct recurring lines, summed over the folders.
    pub lines: usize,
}

/// The decoded text of `path` when it is a plain-text article.
fn plain_text(path: &Path, format: Option<InputFormat>) -> Option<String> {
    // A name that says Markdown, HTML or EPUB is not read at all: only a name that says
    // text (or none) can hold a plain-text scrape.
    let named = format.unwrap_or_else(|| InputFormat::from_path(path));
    if named != InputFormat::Text {
        return None;
    }
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
