//! Lines that recur across the articles of one source: in a batch of scrapes from one
//! site, the menu, the station line and the newsletter prompt are on every page, while
//! the article's own sentences are on one. A block found in enough articles of the same
//! batch is boilerplate, whatever it says.

use std::collections::{HashMap, HashSet};

use super::clean::duplicate_key;
use super::{text, BlockKind};

/// A block recurs when it is in at least this many articles...
pub const MIN_ARTICLES: usize = 3;
/// ...and in at least this share of them (one in four).
pub const MIN_SHARE: f64 = 0.25;

/// The blocks that recur across a set of plain-text articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecurringLines {
    keys: HashSet<String>,
    articles: usize,
}

impl RecurringLines {
    /// Learns the recurring blocks of `articles`, each an article's whole text, read as
    /// the plain-text reader reads it. Fewer than [`MIN_ARTICLES`] articles teach nothing.
    pub fn learn<'a>(articles: impl IntoIterator<Item = &'a str>) -> Self {
        let mut learner = RecurringLearner::default();
        for article in articles {
            learner.add(article);
        }
        learner.finish()
    }

    /// Whether the block `text` recurs.
    pub fn contains(&self, text: &str) -> bool {
        !self.keys.is_empty() && self.keys.contains(&duplicate_key(text))
    }

    /// How many blocks recur.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no block recurs.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// How many articles it learned from.
    pub fn articles(&self) -> usize {
        self.articles
    }
}

/// Learns recurring blocks one article at a time: only the counts of blocks are kept,
/// not the articles, so that a folder of thousands of scrapes is learned in little
/// memory.
#[derive(Debug, Default)]
pub struct RecurringLearner {
    counts: HashMap<String, usize>,
    articles: usize,
}

impl RecurringLearner {
    /// Counts the blocks of one article's whole text (a block repeated within the
    /// article counts once).
    pub fn add(&mut self, article: &str) {
        self.articles += 1;
        let doc = text::parse(article);
        let keys: HashSet<String> = doc
            .blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Code)
            .map(|b| duplicate_key(&b.text))
            .filter(|k| k.chars().any(char::is_alphanumeric))
            .collect();
        for key in keys {
            *self.counts.entry(key).or_default() += 1;
        }
    }

    /// The blocks found in [`MIN_ARTICLES`] articles and [`MIN_SHARE`] of them.
    pub fn finish(self) -> RecurringLines {
        let needed = MIN_ARTICLES.max((self.articles as f64 * MIN_SHARE).ceil() as usize);
        RecurringLines {
            keys: self
                .counts
                .into_iter()
                .filter(|&(_, n)| n >= needed)
                .map(|(k, _)| k)
                .collect(),
            articles: self.articles,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        format!("Play Live Radio\n\nNext Up:\n\n{body}\n\n© 2026 Station Radio\n")
    }

    #[test]
    fn lines_on_every_page_recur_and_the_articles_do_not() {
        let pages: Vec<String> = (0..4)
            .map(|i| page(&format!("Article {i} says something of its own today.")))
            .collect();
        let lines = RecurringLines::learn(pages.iter().map(String::as_str));
        assert_eq!(lines.articles(), 4);
        assert!(lines.contains("Play Live Radio"));
        assert!(
            lines.contains("©  2026 Station Radio"),
            "spacing does not matter"
        );
        assert!(!lines.contains("Article 1 says something of its own today."));
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn two_articles_teach_nothing() {
        let pages = [page("One."), page("Two.")];
        assert!(RecurringLines::learn(pages.iter().map(String::as_str)).is_empty());
    }

    #[test]
    fn a_line_in_a_few_of_many_articles_is_not_boilerplate() {
        // A quote shared by 3 of 20 articles is under one in four.
        let mut pages: Vec<String> = (0..20).map(|i| format!("Story {i} alone.")).collect();
        for p in pages.iter_mut().take(3) {
            p.push_str("\n\nA shared quotation from the minister.");
        }
        let lines = RecurringLines::learn(pages.iter().map(String::as_str));
        assert!(!lines.contains("A shared quotation from the minister."));
    }
}
