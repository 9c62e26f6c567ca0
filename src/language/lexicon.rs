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
//! [ipa]                   # whole words said in IPA (see `language::ipa`)
//! Kubernetes = "ˌkuːbɚˈnɛtiːz"
//!
//! [[entry]]               # the long form, for case-insensitive entries
//! written = "gif"
//! spoken = "jif"          # or ipa = "dʒɪf"
//! ignore_case = true
//! ```
//!
//! A word said in IPA becomes a phoneme span in the spoken text, after every built-in
//! rule has run (so no rule reads its letters); engines that take phonemes say it as
//! given, the others read the word as written.
//!
//! Lexicons come from the voice file (`[lexicon]` table), from `lexicon.toml` in the
//! article's folder (the show's), and from `--lexicon FILE`; later ones override earlier
//! ones for the same word.

use std::path::{Path, PathBuf};

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use super::ipa;

/// One entry: what is written, what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The word or phrase as written.
    pub written: String,
    /// What to say instead.
    pub say: Say,
    /// Match regardless of case.
    pub ignore_case: bool,
}

/// How an entry's word is said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Say {
    /// Other words, read by the rules and the engine like any text.
    Text(String),
    /// IPA, as [`ipa::clean`] leaves it.
    Ipa(String),
}

/// The file format.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(default)]
    words: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    ipa: std::collections::BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    entry: Vec<EntryFile>,
}

/// An `[[entry]]` as written: `spoken` or `ipa`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    written: String,
    #[serde(default)]
    spoken: Option<String>,
    #[serde(default)]
    ipa: Option<Spanned<String>>,
    #[serde(default)]
    ignore_case: bool,
}

/// The first character of the private-use plane that stands for an IPA entry while the
/// rules run (no rule reads it): entry `i` is `IPA_PLACEHOLDER + i`.
const IPA_PLACEHOLDER: u32 = 0xF0000;
/// How many IPA entries a lexicon can hold (the private-use plane's size).
const MAX_IPA_ENTRIES: usize = 0xFFFE;

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
                say: Say::Text(s.clone()),
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
        let line = |at: usize| crate::document::line_of(&text, at);
        let read_ipa = |written: &str, value: &Spanned<String>| {
            ipa::clean(value.get_ref())
                .map(Say::Ipa)
                .map_err(|e| LexiconError::Invalid {
                    path: path.to_path_buf(),
                    message: format!(
                        "line {}: the IPA of \"{written}\": {e}",
                        line(value.span().start)
                    ),
                })
        };
        let mut entries = Lexicon::from_words(&file.words);
        for (written, value) in &file.ipa {
            entries.push(Entry {
                written: written.clone(),
                say: read_ipa(written, value)?,
                ignore_case: false,
            });
        }
        for e in file.entry {
            let say = match (e.spoken, &e.ipa) {
                (Some(spoken), None) => Say::Text(spoken),
                (None, Some(value)) => read_ipa(&e.written, value)?,
                _ => {
                    return Err(LexiconError::Invalid {
                        path: path.to_path_buf(),
                        message: format!(
                            "the [[entry]] for \"{}\" needs one of `spoken` and `ipa`",
                            e.written
                        ),
                    })
                }
            };
            entries.push(Entry {
                written: e.written,
                say,
                ignore_case: e.ignore_case,
            });
        }
        Ok(entries)
    }

    /// Saves `written = "spoken"` in the `[words]` table of the lexicon file at `path`
    /// (`[ipa]` for [`Say::Ipa`], the IPA cleaned and checked first), created when
    /// missing, keeping everything else in it as it was (comments, order, other
    /// tables); an entry for the same word in either table is replaced. The file is
    /// written to a temporary file and renamed into place.
    pub fn save_word(path: &Path, written: &str, say: &Say) -> Result<(), LexiconError> {
        let invalid = |message: String| LexiconError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        let (spoken, table, other) = match say {
            Say::Text(spoken) => (spoken.trim(), "words", "ipa"),
            Say::Ipa(ipa) => (ipa.trim(), "ipa", "words"),
        };
        let written = written.trim();
        if written.is_empty() || spoken.is_empty() {
            return Err(invalid("a word and what to say are both needed".into()));
        }
        if written.contains('\n') || spoken.contains('\n') || written.chars().count() > 100 {
            return Err(invalid(
                "a word is one line of at most 100 characters".into(),
            ));
        }
        let cleaned;
        let spoken = match say {
            Say::Text(_) => spoken,
            Say::Ipa(_) => {
                cleaned = ipa::clean(spoken)
                    .map_err(|e| invalid(format!("the IPA of \"{written}\": {e}")))?;
                cleaned.as_str()
            }
        };
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
        if let Some(other) = doc.get_mut(other).and_then(|t| t.as_table_mut()) {
            other.remove(written);
        }
        let words = doc
            .entry(table)
            .or_insert(toml_edit::table())
            .as_table_mut()
            .ok_or_else(|| invalid(format!("`{table}` is not a table")))?;
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
            let entry = self.entries.iter().enumerate().find(|(_, e)| {
                e.written == found
                    || (e.ignore_case && e.written.to_lowercase() == found.to_lowercase())
            });
            match entry {
                Some((
                    _,
                    Entry {
                        say: Say::Text(spoken),
                        ..
                    },
                )) => spoken.clone(),
                // IPA: the entry's placeholder, which no rule reads.
                Some((i, _)) if i < MAX_IPA_ENTRIES => char::from_u32(IPA_PLACEHOLDER + i as u32)
                    .map_or_else(|| found.to_string(), String::from),
                _ => found.to_string(),
            }
        });
        (out.into_owned(), changed)
    }

    /// Replaces the characters [`Lexicon::apply`] left for IPA entries with their
    /// phoneme spans; run after every rule.
    pub fn expand_ipa(&self, text: String) -> String {
        let entry_of = |c: char| {
            let i = (c as u32).wrapping_sub(IPA_PLACEHOLDER) as usize;
            match self.entries.get(i).filter(|_| i < MAX_IPA_ENTRIES) {
                Some(Entry {
                    written,
                    say: Say::Ipa(ipa),
                    ..
                }) => Some((written, ipa)),
                _ => None,
            }
        };
        // Normalization runs this on every piece it reads: most have nothing to expand.
        if !text.chars().any(|c| entry_of(c).is_some()) {
            return text;
        }
        let mut out = String::with_capacity(text.len() + 32);
        for c in text.chars() {
            match entry_of(c) {
                Some((written, ipa)) => out.push_str(&ipa::span(written, ipa)),
                None => out.push(c),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_word_keeps_the_rest_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lexicon.toml");
        Lexicon::save_word(&path, "Kubernetes", &Say::Text("kou-beur-nè-tiss".into())).unwrap();
        let entries = Lexicon::read_file(&path).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].say, Say::Text("kou-beur-nè-tiss".into()));
        std::fs::write(
            &path,
            "# my words\n[words]\nSQL = \"sequel\" # keep\n\n[[entry]]\nwritten = \"gif\"\nspoken = \"jif\"\nignore_case = true\n",
        )
        .unwrap();
        Lexicon::save_word(&path, "SQL", &Say::Text("ess-cue-ell".into())).unwrap();
        Lexicon::save_word(&path, "Linux", &Say::Text("li-nux".into())).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# my words\n"), "{text}");
        assert!(text.contains("ignore_case = true"), "{text}");
        let entries = Lexicon::read_file(&path).unwrap();
        let say = |w: &str| {
            entries
                .iter()
                .find(|e| e.written == w)
                .map(|e| e.say.clone())
        };
        let text = |s: &str| Some(Say::Text(s.into()));
        assert_eq!(say("SQL"), text("ess-cue-ell"));
        assert_eq!(say("Linux"), text("li-nux"));
        assert_eq!(say("gif"), text("jif"));
        assert!(Lexicon::save_word(&path, " ", &Say::Text("x".into())).is_err());
        assert!(Lexicon::save_word(&path, "a\nb", &Say::Text("x".into())).is_err());
        std::fs::write(&path, "words = 3\n").unwrap();
        assert!(Lexicon::save_word(&path, "a", &Say::Text("b".into())).is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "words = 3\n");
    }

    fn entry(w: &str, s: &str, ignore_case: bool) -> Entry {
        Entry {
            written: w.into(),
            say: Say::Text(s.into()),
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
    fn ipa_entries_are_read_checked_and_saved() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("lexicon.toml");
        std::fs::write(
            &p,
            "[words]\nSQL = \"sequel\"\n[ipa]\nKubernetes = \"/ˌkuːbɚˈnɛtiːz/\"\n[[entry]]\nwritten = \"gif\"\nipa = \"dʒɪf\"\nignore_case = true\n",
        )
        .unwrap();
        let entries = Lexicon::read_file(&p).unwrap();
        let say = |w: &str| entries.iter().find(|e| e.written == w).unwrap().say.clone();
        assert_eq!(say("Kubernetes"), Say::Ipa("ˌkuːbɚˈnɛtiːz".into()));
        assert_eq!(say("gif"), Say::Ipa("dʒɪf".into()));
        assert_eq!(say("SQL"), Say::Text("sequel".into()));

        std::fs::write(&p, "[words]\nA = \"a\"\n\n[ipa]\nKube = \"kuBe\"\n").unwrap();
        let err = Lexicon::read_file(&p).unwrap_err().to_string();
        assert!(
            err.contains("lexicon.toml") && err.contains("line 5") && err.contains("'B'"),
            "{err}"
        );
        std::fs::write(&p, "[[entry]]\nwritten = \"x\"\n").unwrap();
        let err = Lexicon::read_file(&p).unwrap_err().to_string();
        assert!(err.contains("`spoken` and `ipa`"), "{err}");

        std::fs::write(&p, "[words]\nKube = \"kioube\"\n").unwrap();
        Lexicon::save_word(&p, "Kube", &Say::Ipa("[kuːb]".into())).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(
            !text.contains("kioube") && text.contains("Kube = \"kuːb\""),
            "{text}"
        );
        let err = Lexicon::save_word(&p, "Kube", &Say::Ipa("Q!".into())).unwrap_err();
        assert!(err.to_string().contains("'Q'"), "{err}");
        Lexicon::save_word(&p, "Kube", &Say::Text("kioube".into())).unwrap();
        assert_eq!(
            Lexicon::read_file(&p).unwrap(),
            [entry("Kube", "kioube", false)]
        );
    }

    #[test]
    fn ipa_entries_become_spans_after_the_rules() {
        let lex = Lexicon::new([
            Entry {
                written: "SQL".into(),
                say: Say::Ipa("ˈsiːkwəl".into()),
                ignore_case: false,
            },
            entry("Linux", "li-nux", false),
        ]);
        let (applied, changed) = lex.apply("SQL et Linux");
        assert!(changed);
        assert!(!applied.contains("SQL"), "{applied}");
        assert_eq!(lex.expand_ipa(applied), "⟦SQL|ˈsiːkwəl⟧ et li-nux");
        // Through the whole normalization: the acronym rule never sees the letters.
        let n = crate::language::normalize::normalize_with(
            "SQL, 3 fois.",
            crate::language::Language::French,
            Some(&lex),
        );
        assert_eq!(n.spoken, "⟦SQL|ˈsiːkwəl⟧, trois fois.");
        assert!(n.rules.contains(&"lexicon"));
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
