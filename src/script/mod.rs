//! The script stage: a cleaned [`Document`] becomes a [`Script`] of chapters and chunks,
//! each chunk holding the text as written (for transcripts) and the text to speak.
//!
//! It owns sentence splitting ([`sentences`]), fitting to the backend's input limit
//! ([`chunk`]) and the structure of pauses. It calls the normalizer but knows nothing
//! of voices or audio.

pub mod chunk;
pub mod sentences;

use serde::Serialize;

use crate::document::{BlockKind, Document, Meta};
use crate::language::detect::LanguageSource;
use crate::language::lexicon::Lexicon;
use crate::language::Language;

/// Headings at this level or above (numerically at most) start a chapter.
pub const CHAPTER_MAX_LEVEL: u8 = 2;

/// What will be spoken, in order, grouped into chapters.
#[derive(Debug, Clone, Serialize)]
pub struct Script {
    /// The article's metadata.
    pub meta: Meta,
    /// The language everything is read in.
    pub language: Language,
    /// How the language was decided.
    pub language_source: LanguageSource,
    /// Chapters, in order; every chunk belongs to one.
    pub chapters: Vec<Chapter>,
    /// The units of synthesis, in reading order.
    pub chunks: Vec<Chunk>,
}

/// A chapter: a title and the chunks under it.
#[derive(Debug, Clone, Serialize)]
pub struct Chapter {
    /// The chapter's title, as written.
    pub title: String,
    /// Index of the chapter's first chunk.
    pub first_chunk: usize,
    /// 1-based source line of the heading that opened it.
    pub line: usize,
}

/// The unit of synthesis.
#[derive(Debug, Clone, Serialize)]
pub struct Chunk {
    /// Position in [`Script::chunks`].
    pub index: usize,
    /// Index of the chapter it belongs to.
    pub chapter: usize,
    /// Who speaks it.
    pub role: Role,
    /// The text as written, for transcripts.
    pub written: String,
    /// The text to speak.
    pub spoken: String,
    /// Normalization rules that changed this chunk's text.
    pub rules: Vec<&'static str>,
    /// The pause that follows it.
    pub pause_after: Pause,
    /// 1-based line of its block in the source.
    pub line: usize,
}

/// The voice role of a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Running text.
    Narrator,
    /// A title or heading.
    Heading,
    /// A quoted passage.
    Quote,
}

/// Pauses by structure, shortest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pause {
    /// Inside a sentence cut to fit the backend.
    Clause,
    /// Between sentences of a paragraph.
    Sentence,
    /// Between paragraphs.
    Paragraph,
    /// After a heading.
    Heading,
    /// Before a new chapter.
    Chapter,
    /// After the last chunk.
    End,
}

/// Settings for building a script.
#[derive(Debug, Clone)]
pub struct ScriptOptions {
    /// Longest spoken text per chunk, in characters (the backend's limit).
    pub max_chars: usize,
    /// The user's pronunciations, applied before the built-in rules.
    pub lexicon: Lexicon,
}

impl Default for ScriptOptions {
    fn default() -> Self {
        ScriptOptions {
            max_chars: 400,
            lexicon: Lexicon::default(),
        }
    }
}

/// Builds the script of `doc`, read in `language`.
pub fn build(
    doc: &Document,
    language: Language,
    language_source: LanguageSource,
    options: &ScriptOptions,
) -> Script {
    let mut builder = Builder {
        language,
        lexicon: (!options.lexicon.is_empty()).then_some(&options.lexicon),
        max_chars: options.max_chars,
        chapters: Vec::new(),
        chunks: Vec::new(),
    };
    let first_heading_is_title = doc.blocks.first().is_some_and(|b| {
        b.kind.is_heading()
            && doc
                .meta
                .title
                .as_deref()
                .is_none_or(|t| same_text(t, &b.text))
    });
    if !first_heading_is_title {
        let title = doc
            .meta
            .title
            .clone()
            .unwrap_or_else(|| fallback_title(doc));
        builder.open_chapter(&title, 1);
        if doc.meta.title.is_some() {
            builder.push_block(&title, Role::Heading, 1, Pause::Heading);
        }
    }
    for block in &doc.blocks {
        match block.kind {
            BlockKind::Code => {}
            BlockKind::Heading { level } => {
                if level <= CHAPTER_MAX_LEVEL {
                    builder.mark_chapter_end();
                    builder.open_chapter(&block.text, block.line);
                }
                builder.push_block(&block.text, Role::Heading, block.line, Pause::Heading);
            }
            BlockKind::Quote => {
                builder.push_block(&block.text, Role::Quote, block.line, Pause::Paragraph)
            }
            BlockKind::Paragraph | BlockKind::ListItem => {
                builder.push_block(&block.text, Role::Narrator, block.line, Pause::Paragraph)
            }
        }
    }
    if let Some(last) = builder.chunks.last_mut() {
        last.pause_after = Pause::End;
    }
    // A chapter left without chunks (a heading with nothing speakable) is dropped.
    builder
        .chapters
        .retain(|c| c.first_chunk < builder.chunks.len());
    let mut meta = doc.meta.clone();
    if meta.title.is_none() {
        meta.title = builder.chapters.first().map(|c| c.title.clone());
    }
    Script {
        meta,
        language,
        language_source,
        chapters: builder.chapters,
        chunks: builder.chunks,
    }
}

/// One script per chapter (for one episode per chapter): each keeps the language and
/// metadata, takes its chapter's title as its title, and renumbers its chunks from 0.
///
/// A chapter that holds nothing but headings (a book's title above its first chapter)
/// is not an episode of its own: it is spoken at the start of the next chapter's.
pub fn split_by_chapter(script: &Script) -> Vec<Script> {
    let only_headings = |ci: usize| {
        script
            .chunks
            .iter()
            .filter(|c| c.chapter == ci)
            .all(|c| c.role == Role::Heading)
    };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut pending = Vec::new();
    for ci in 0..script.chapters.len() {
        pending.push(ci);
        if !only_headings(ci) || ci + 1 == script.chapters.len() {
            groups.push(std::mem::take(&mut pending));
        }
    }
    groups
        .into_iter()
        .map(|group| {
            let chapter = &script.chapters[*group.last().expect("groups are not empty")];
            let mut chunks: Vec<Chunk> = script
                .chunks
                .iter()
                .filter(|c| group.contains(&c.chapter))
                .cloned()
                .enumerate()
                .map(|(i, mut c)| {
                    c.index = i;
                    c.chapter = 0;
                    c
                })
                .collect();
            if let Some(last) = chunks.last_mut() {
                last.pause_after = Pause::End;
            }
            let mut meta = script.meta.clone();
            meta.title = Some(chapter.title.clone());
            Script {
                meta,
                language: script.language,
                language_source: script.language_source,
                chapters: vec![Chapter {
                    title: chapter.title.clone(),
                    first_chunk: 0,
                    line: chapter.line,
                }],
                chunks,
            }
        })
        .collect()
}

/// Whether a title and a heading say the same thing: letters and digits compared, so
/// that apostrophe styles, emoji (`🚀 Installation`) and punctuation do not make a second
/// chapter of the same name.
fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    norm(a) == norm(b)
}

fn fallback_title(doc: &Document) -> String {
    doc.meta
        .source
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| *s != "-" && !s.is_empty())
        .unwrap_or("Article")
        .to_string()
}

struct Builder<'a> {
    language: Language,
    lexicon: Option<&'a Lexicon>,
    max_chars: usize,
    chapters: Vec<Chapter>,
    chunks: Vec<Chunk>,
}

impl Builder<'_> {
    fn open_chapter(&mut self, title: &str, line: usize) {
        // Two headings in a row: the later one names the chapter that was just opened.
        if let Some(last) = self.chapters.last_mut() {
            if last.first_chunk == self.chunks.len() {
                last.title = title.to_string();
                last.line = line;
                return;
            }
        }
        self.chapters.push(Chapter {
            title: title.to_string(),
            first_chunk: self.chunks.len(),
            line,
        });
    }

    fn mark_chapter_end(&mut self) {
        if let Some(last) = self.chunks.last_mut() {
            last.pause_after = Pause::Chapter;
        }
    }

    /// Adds one block: its sentences, each fitted to the limit, with pauses by structure.
    fn push_block(&mut self, text: &str, role: Role, line: usize, end_pause: Pause) {
        let chapter = self.chapters.len().saturating_sub(1);
        let sentences = sentences::split_sentences(text, self.language);
        let n_sentences = sentences.len();
        for (si, range) in sentences.into_iter().enumerate() {
            let sentence = &text[range];
            let reading = chunk::Reading {
                language: self.language,
                lexicon: self.lexicon,
            };
            let pieces = chunk::fit_with(sentence, reading, self.max_chars);
            let n_pieces = pieces.len();
            for (pi, piece) in pieces.into_iter().enumerate() {
                let pause_after = match (pi + 1 == n_pieces, si + 1 == n_sentences) {
                    (false, _) => Pause::Clause,
                    (true, false) => Pause::Sentence,
                    (true, true) => end_pause,
                };
                let mut spoken = piece.normalized.spoken;
                // Headings are spoken as statements, with a falling end.
                if role == Role::Heading && !spoken.ends_with(['.', '!', '?']) {
                    spoken.push('.');
                }
                self.chunks.push(Chunk {
                    index: self.chunks.len(),
                    chapter,
                    role,
                    written: sentence[piece.range].to_string(),
                    spoken,
                    rules: piece.normalized.rules,
                    pause_after,
                    line,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{parse_bytes, CleanOptions, InputFormat};
    use std::path::Path;

    fn script_of(text: &str, format: InputFormat) -> Script {
        let (doc, _) = parse_bytes(
            text.as_bytes(),
            Path::new("a.txt"),
            format,
            &CleanOptions::default(),
        )
        .unwrap();
        build(
            &doc,
            Language::French,
            LanguageSource::Flag,
            &ScriptOptions::default(),
        )
    }

    #[test]
    fn chapters_from_title_and_headings() {
        let s = script_of(
            "Le titre\nPremière phrase du corps. Deuxième phrase.\nUne section\nCorps de la section, enfin complet.\n",
            InputFormat::Text,
        );
        let titles: Vec<_> = s.chapters.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, vec!["Le titre", "Une section"]);
        let pauses: Vec<_> = s.chunks.iter().map(|c| c.pause_after).collect();
        assert_eq!(
            pauses,
            vec![
                Pause::Heading,
                Pause::Sentence,
                Pause::Chapter,
                Pause::Heading,
                Pause::End
            ]
        );
        assert_eq!(s.chunks[3].role, Role::Heading);
        assert_eq!(s.chunks[3].chapter, 1);
        assert_eq!(s.chunks[0].spoken, "Le titre.");
    }

    #[test]
    fn front_matter_title_is_spoken_first() {
        let s = script_of(
            "---\ntitle: Mon titre\n---\n\nUn paragraphe assez long pour compter.\n",
            InputFormat::Markdown,
        );
        assert_eq!(s.chapters[0].title, "Mon titre");
        assert_eq!(s.chunks[0].written, "Mon titre");
        assert_eq!(s.chunks[0].role, Role::Heading);
    }

    #[test]
    fn split_by_chapter_renumbers() {
        let s = script_of(
            "Le titre\nPremière phrase du corps. Deuxième phrase.\nUne section\nCorps de la section, enfin complet.\n",
            InputFormat::Text,
        );
        let parts = split_by_chapter(&s);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].meta.title.as_deref(), Some("Une section"));
        assert_eq!(parts[1].chunks[0].index, 0);
        assert!(parts
            .iter()
            .all(|p| p.chunks.iter().all(|c| c.chapter == 0)));
        assert_eq!(parts[0].chunks.last().unwrap().pause_after, Pause::End);
        assert_eq!(
            parts.iter().map(|p| p.chunks.len()).sum::<usize>(),
            s.chunks.len()
        );
    }

    #[test]
    fn a_title_alone_is_spoken_with_the_first_chapter_not_as_an_episode() {
        let s = script_of(
            "# Le livre\n\n## Un\n\nPremière phrase du premier chapitre.\n\n## Deux\n\nEt la seconde, enfin.\n",
            InputFormat::Markdown,
        );
        assert_eq!(s.chapters.len(), 3);
        let parts = split_by_chapter(&s);
        let titles: Vec<_> = parts
            .iter()
            .map(|p| p.meta.title.clone().unwrap())
            .collect();
        assert_eq!(titles, vec!["Un", "Deux"]);
        let first: Vec<_> = parts[0].chunks.iter().map(|c| c.written.as_str()).collect();
        assert_eq!(first[..2], ["Le livre", "Un"]);
        assert_eq!(parts[0].chapters.len(), 1);
        assert_eq!(
            parts.iter().map(|p| p.chunks.len()).sum::<usize>(),
            s.chunks.len()
        );
    }

    #[test]
    fn a_title_and_its_heading_with_an_emoji_are_one_chapter() {
        let s = script_of(
            "<html><head><title>🚀 Installation</title></head><body><h1>Installation</h1><p>Run the installer and edit the file to add it today, it works well.</p><p>Then call it with a file name and wait a second or two for it.</p></body></html>",
            InputFormat::Html,
        );
        let titles: Vec<&str> = s.chapters.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, vec!["Installation"]);
        let s = script_of(
            "My Tool\n\nA small tool that does one thing well for everyone.\n\n🚀 Installation\n\nRun the installer and edit the file to add it.\n",
            InputFormat::Text,
        );
        let titles: Vec<&str> = s.chapters.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles, vec!["My Tool", "🚀 Installation"]);
    }

    #[test]
    fn code_blocks_are_not_spoken() {
        let s = script_of(
            "# T\n\nTexte.\n\n```\nlet x = 1;\n```\n",
            InputFormat::Markdown,
        );
        assert!(s.chunks.iter().all(|c| !c.written.contains("let x")));
    }
}
