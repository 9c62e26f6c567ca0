//! Pronunciation lexicons: words the user wants read their own way ("Kubernetes",
//! a guest's name, a brand), applied before every built-in rule.
//!
//! A lexicon is a TOML file:
//!
//! ```toml
//! [words]                 # whole words, case-sensitive
//! Kubernetes = "kou-beur-nè-tiss"
//! SQL = "sequel"
//!
//! [[entry]]               # the long form, for case-insensitive entries
//! written = "gif"
//! spoken = "jif"
//! ignore_case = true
//! ```
//!
//! Lexicons come from the voice file (`[lexicon]` table), from `lexicon.toml` in the
//! article's folder (the show's), and from `--lexicon FILE`; later ones override earlier
//! ones for the same word.

use std::path::{Path, PathBuf};

use regex::Regex;
use serde::Deserialize;

/// One entry: what is written, what to say.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The word or phrase as written.
    pub written: String,
    /// What to say instead.
    pub spoken: String,
    /// Match regardless of case.
    #[serde(default)]
    pub ignore_case: bool,
}

/// The file format.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(default)]
    words: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    entry: Vec<Entry>,
}

/// Why a lexicon could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The file could not be read.
    #[error("cannot read lexicon {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a valid lexicon.
    #[error("invalid lexicon {path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, with its line.
        message: String,
    },
}

/// A set of entries, compiled for replacement.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    entries: Vec<Entry>,
    pattern: Option<Regex>,
}

impl Lexicon {
    /// A lexicon of `entries` (later entries override earlier ones for the same word).
    pub fn new(entries: impl IntoIterator<Item = Entry>) -> Lexicon {
        let mut list: Vec<Entry> = Vec::new();
        for e in entries {
            if e.written.trim().is_empty() {
                continue;
            }
            list.retain(|old| {
                !(old.written == e.written
                    || (e.ignore_case && old.written.eq_ignore_ascii_case(&e.written)))
            });
            list.push(e);
        }
        // Longest first, so that "New York Times" wins over "New York".
        list.sort_by_key(|e| std::cmp::Reverse(e.written.chars().count()));
        let alternatives: Vec<String> = list
            .iter()
            .map(|e| {
                let escaped = regex::escape(&e.written);
                let start = if e.written.starts_with(|c: char| c.is_alphanumeric()) {
                    r"\b"
                } else {
                    ""
                };
                let end = if e.written.ends_with(|c: char| c.is_alphanumeric()) {
                    r"\b"
                } else {
                    ""
                };
                let flags = if e.ignore_case { "(?i)" } else { "" };
                format!("(?:{flags}{start}{escaped}{end})")
            })
            .collect();
        let pattern = (!alternatives.is_empty()).then(|| {
            Regex::new(&alternatives.join("|")).expect("escaped entries form a valid pattern")
        });
        Lexicon {
            entries: list,
            pattern,
        }
    }

    /// Entries from a TOML table of `word = "spoken"` pairs (a voice file's `[lexicon]`).
    pub fn from_words(words: &std::collections::BTreeMap<String, String>) -> Vec<Entry> {
        words
            .iter()
            .map(|(w, s)| Entry {
                written: w.clone(),
                spoken: s.clone(),
                ignore_case: false,
            })
            .collect()
    }

    /// Reads a lexicon file's entries.
    pub fn read_file(path: &Path) -> Result<Vec<Entry>, LexiconError> {
        let text = std::fs::read_to_string(path).map_err(|source| LexiconError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let file: LexiconFile = toml::from_str(&text).map_err(|e| LexiconError::Invalid {
            path: path.to_path_buf(),
            message: match e.span() {
                Some(span) => format!(
                    "line {}: {}",
                    crate::document::line_of(&text, span.start),
                    e.message()
                ),
                None => e.message().to_string(),
            },
        })?;
        let mut entries = Lexicon::from_words(&file.words);
        entries.extend(file.entry);
        Ok(entries)
    }

    /// Saves `written = "spoken"` in the `[words]` table of the lexicon file at `path`
    /// (created when missing), keeping everything else in it as it was (comments,
    /// order, other tables); an entry for the same word is replaced. The file is
    /// written to a temporary file and renamed into place.
    pub fn save_word(path: &Path, written: &str, spoken: &str) -> Result<(), LexiconError> {
        let invalid = |message: String| LexiconError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let (written, spoken) = (written.trim(), spoken.trim());
        if written.is_empty() || spoken.is_empty() {
            return Err(invalid("a word and what to say are both needed".into()));
        }
        if written.contains('\n') || spoken.contains('\n') || written.chars().count() > 100 {
            return Err(invalid(
                "a word is one line of at most 100 characters".into(),
            ));
        }
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(LexiconError::Read {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let mut doc: toml_edit::DocumentMut = text
            .parse()
            .map_err(|e: toml_edit::TomlError| invalid(e.to_string()))?;
        let words = doc
            .entry("words")
            .or_insert(toml_edit::table())
            .as_table_mut()
            .ok_or_else(|| invalid("`words` is not a table".into()))?;
        words.insert(written, toml_edit::value(spoken));
        let updated = doc.to_string();
        // Checked as any lexicon is read, before it replaces the file.
        toml::from_str::<LexiconFile>(&updated).map_err(|e| invalid(e.message().to_string()))?;
        crate::atomic::write_atomic(path, |w| std::io::Write::write_all(w, updated.as_bytes()))
            .map_err(|e| LexiconError::Read {
                path: path.to_path_buf(),
                source: e.source,
            })
    }

    /// Whether the lexicon has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Replaces every entry in `text`; returns the text and whether anything changed.
    pub fn apply(&self, text: &str) -> (String, bool) {
        let Some(pattern) = &self.pattern else {
            return (text.to_string(), false);
        };
        let mut changed = false;
        let out = pattern.replace_all(text, |caps: &regex::Captures| {
            let found = &caps[0];
            changed = true;
            self.entries
                .iter()
                .find(|e| {
                    e.written == found
                        || (e.ignore_case && e.written.to_lowercase() == found.to_lowercase())
                })
                .map_or_else(|| found.to_string(), |e| e.spoken.clone())
        });
        (out.into_owned(), changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_word_keeps_the_rest_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lexicon.toml");
        Lexicon::save_word(&path, "Kubernetes", "kou-beur-nè-tiss").unwrap();
        let entries = Lexicon::read_file(&path).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].spoken, "kou-beur-nè-tiss");
        std::fs::write(
            &path,
            "# my words\n[words]\nSQL = \"sequel\" # keep\n\n[[entry]]\nwritten = \"gif\"\nspoken = \"jif\"\nignore_case = true\n",
        )
        .unwrap();
        Lexicon::save_word(&path, "SQL", "ess-cue-ell").unwrap();
        Lexicon::save_word(&path, "Linux", "li-nux").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# my words\n"), "{text}");
        assert!(text.contains("ignore_case = true"), "{text}");
        let entries = Lexicon::read_file(&path).unwrap();
        let say = |w: &str| {
            entries
                .iter()
                .find(|e| e.written == w)
                .map(|e| e.spoken.clone())
        };
        assert_eq!(say("SQL").as_deref(), Some("ess-cue-ell"));
        assert_eq!(say("Linux").as_deref(), Some("li-nux"));
        assert_eq!(say("gif").as_deref(), Some("jif"));
        assert!(Lexicon::save_word(&path, " ", "x").is_err());
        assert!(Lexicon::save_word(&path, "a\nb", "x").is_err());
        std::fs::write(&path, "words = 3\n").unwrap();
        assert!(Lexicon::save_word(&path, "a", "b").is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "words = 3\n");
    }

    fn entry(w: &str, s: &str, ignore_case: bool) -> Entry {
        Entry {
            written: w.into(),
            spoken: s.into(),
            ignore_case,
        }
    }

    #[test]
    fn whole_words_longest_first_and_case() {
        let lex = Lexicon::new([
            entry("New York", "Nouillorque", false),
            entry("New York Times", "le Times", false),
            entry("gif", "jif", true),
        ]);
        assert_eq!(
            lex.apply("le New York Times de New York").0,
            "le le Times de Nouillorque"
        );
        assert_eq!(lex.apply("un GIF et des gifs").0, "un jif et des gifs");
        assert!(!lex.apply("rien").1);
    }

    #[test]
    fn later_entries_override() {
        let lex = Lexicon::new([
            entry("SQL", "esse ku elle", false),
            entry("SQL", "sequel", false),
        ]);
        assert_eq!(lex.apply("SQL").0, "sequel");
    }

    #[test]
    fn files_parse_with_errors_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("lex.toml");
        std::fs::write(&p, "[words]\nKubernetes = \"kou-beur-nè-tiss\"\n[[entry]]\nwritten = \"gif\"\nspoken = \"jif\"\nignore_case = true\n").unwrap();
        assert_eq!(Lexicon::read_file(&p).unwrap().len(), 2);
        std::fs::write(&p, "[words]\nKubernetes = 3\n").unwrap();
        let err = Lexicon::read_file(&p).unwrap_err().to_string();
        assert!(err.contains("lex.toml") && err.contains("line 2"), "{err}");
    }
}
