//! The `command` backend: any program that turns text into a WAV file.
//!
//! A voice file's `[command]` table names the program and its arguments, with
//! placeholders filled for each chunk: `{text_file}` (a file holding the chunk's text),
//! `{out_wav}` (where the program writes its WAV), `{lang}` (the chunk's language code),
//! `{voice}` and `{rate}` (the table's own values; `preview --speed` scales `rate`). The
//! program runs directly, never through a shell, and the text is never an argument: an
//! article cannot inject a command or an option. Text goes in on standard input or in
//! the file; audio comes out on standard output or in the file. Each chunk has a time
//! limit; what the program writes on standard error is shown when it fails. A non-zero
//! exit, a hang, or output that is not WAV fails the chunk with the program's words.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{Backend, BackendId, Clip, Limits, SpeechRequest, SynthError};

/// Longest standard error kept for a message, in bytes (the end is kept).
const STDERR_KEPT: usize = 2000;

/// How the text reaches the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextInput {
    /// On standard input (UTF-8), closed after the text.
    #[default]
    Stdin,
    /// In the file `{text_file}` names (UTF-8); standard input is empty.
    File,
}

/// Where the program puts its audio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AudioOutput {
    /// A WAV file on standard output.
    Stdout,
    /// The WAV file `{out_wav}` names.
    File,
}

/// Settings of the `command` backend, as a voice file's `[command]` table writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandSettings {
    /// The program: a name found on `PATH`, or a path.
    pub program: String,
    /// Its arguments, with placeholders: `{text_file}`, `{out_wav}`, `{lang}`,
    /// `{voice}`, `{rate}`.
    #[serde(default)]
    pub args: Vec<String>,
    /// How the text goes in (default: standard input).
    #[serde(default)]
    pub input: TextInput,
    /// How the audio comes out (default: the file when an argument holds `{out_wav}`,
    /// else standard output).
    #[serde(default)]
    pub output: Option<AudioOutput>,
    /// The value of `{voice}`.
    #[serde(default)]
    pub voice: Option<String>,
    /// The value of `{rate}` (a number; `preview --speed` multiplies it).
    #[serde(default)]
    pub rate: Option<f64>,
    /// Longest chunk sent, in characters (default 1000).
    #[serde(default = "default_max_chars")]
    pub max_chars: usize,
    /// Programs run at once at most (default: one per core).
    #[serde(default)]
    pub parallel: Option<usize>,
    /// Time limit per chunk, in seconds (default 120).
    #[serde(default = "default_timeout")]
    pub timeout_secs: f64,
}

fn default_max_chars() -> usize {
    1000
}

fn default_timeout() -> f64 {
    120.0
}

const PLACEHOLDERS: [&str; 5] = ["{text_file}", "{out_wav}", "{lang}", "{voice}", "{rate}"];

impl CommandSettings {
    /// Refuses settings that cannot work: no program, an unknown placeholder, a file
    /// input without `{text_file}`, a file output without `{out_wav}`, a placeholder
    /// without its value, limits out of range.
    pub fn check(&self) -> Result<(), String> {
        if self.program.trim().is_empty() {
            return Err("[command] program is empty; name the program to run".into());
        }
        for arg in &self.args {
            let mut rest = arg.as_str();
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').map(|c| open + c + 1);
                let Some(close) = close else { break };
                let name = &rest[open..close];
                if !PLACEHOLDERS.contains(&name) {
                    return Err(format!(
                        "[command] args: unknown placeholder {name} in \"{arg}\"; use {}",
                        PLACEHOLDERS.join(", ")
                    ));
                }
                rest = &rest[close..];
            }
        }
        let uses = |p: &str| self.args.iter().any(|a| a.contains(p));
        if self.input == TextInput::File && !uses("{text_file}") {
            return Err("[command] input = \"file\" needs {text_file} in args".into());
        }
        if self.output() == AudioOutput::File && !uses("{out_wav}") {
            return Err("[command] output = \"file\" needs {out_wav} in args".into());
        }
        if uses("{voice}") && self.voice.is_none() {
            return Err("[command] args use {voice}: set voice = \"...\"".into());
        }
        if uses("{rate}") && self.rate.is_none() {
            return Err("[command] args use {rate}: set rate = ...".into());
        }
        if self.max_chars < 20 {
            return Err(format!(
                "[command] max_chars = {} is too small (at least 20)",
                self.max_chars
            ));
        }
        if !(self.timeout_secs > 0.0 && self.timeout_secs <= 3600.0) {
            return Err(format!(
                "[command] timeout_secs = {} is outside 0-3600",
                self.timeout_secs
            ));
        }
        if self.parallel == Some(0) {
            return Err("[command] parallel = 0: at least 1".into());
        }
        Ok(())
    }

    /// Where the audio comes out.
    pub fn output(&self) -> AudioOutput {
        self.output
            .unwrap_or(if self.args.iter().any(|a| a.contains("{out_wav}")) {
                AudioOutput::File
            } else {
                AudioOutput::Stdout
            })
    }

    /// The same settings `speed` times as fast: `rate` multiplied.
    pub fn at_speed(&self, speed: f32) -> CommandSettings {
        CommandSettings {
            rate: self.rate.map(|r| r * speed as f64),
            ..self.clone()
        }
    }

    /// Every setting that changes the audio, in a stable serialization (the limits and
    /// the time limit do not change it).
    pub fn audio_key(&self) -> String {
        #[derive(Serialize)]
        struct Key<'a> {
            args: &'a [String],
            input: TextInput,
            output: AudioOutput,
            voice: &'a Option<String>,
            rate: &'a Option<f64>,
        }
        serde_json::to_string(&Key {
            args: &self.args,
            input: self.input,
            output: self.output(),
            voice: &self.voice,
            rate: &self.rate,
        })
        .expect("settings serialize")
    }
}

/// `name` found on `PATH` (or as given, when it is a path).
fn find_program(name: &str) -> Option<PathBuf> {
    let path = Path::new(name);
    if path.components().count() > 1 {
        return path.is_file().then(|| path.to_path_buf());
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// The command backend for one voice.
pub struct CommandBackend {
    id: BackendId,
    settings: CommandSettings,
    program: PathBuf,
}

impl CommandBackend {
    /// The backend running `settings.program`, which must exist.
    pub fn new(settings: &CommandSettings) -> Result<CommandBackend, SynthError> {
        let program = find_program(&settings.program).ok_or_else(|| SynthError::Unavailable {
            engine: format!("command {}", settings.program),
            hint: format!(
                "no program '{}' {}; install it, or give its full path in the voice file's [command] program",
                settings.program,
                if Path::new(&settings.program).components().count() > 1 {
                    "at that path"
                } else {
                    "on PATH"
                }
            ),
        })?;
        // The program's identity: its place, size and modification time, so that an
        // updated program does not reuse the old one's clips.
        let meta = std::fs::metadata(&program).ok();
        let stamp = meta.as_ref().map_or(String::new(), |m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_secs());
            format!("{}:{modified}", m.len())
        });
        let name = program.file_name().map_or(settings.program.clone(), |n| {
            n.to_string_lossy().into_owned()
        });
        Ok(CommandBackend {
            id: BackendId {
                backend: "command".into(),
                engine: format!("{name} (command)"),
                cache_key: format!(
                    "command/{}/{stamp}/{}",
                    program.display(),
                    settings.audio_key()
                ),
            },
            settings: settings.clone(),
            program,
        })
    }

    fn io(&self, what: impl Into<String>) -> impl FnOnce(std::io::Error) -> SynthError + '_ {
        let what = what.into();
        move |source| SynthError::Io {
            engine: self.id.engine.clone(),
            what,
            source,
        }
    }

    /// The arguments for one chunk.
    fn args(&self, text_file: &Path, out_wav: &Path, lang: &str) -> Vec<String> {
        let rate = self.settings.rate.map(|r| {
            // Whole numbers as integers: most programs want `-s 170`, not `170.0`.
            if (r - r.round()).abs() < 1e-9 {
                format!("{}", r.round() as i64)
            } else {
                format!("{r:.3}")
            }
        });
        self.settings
            .args
            .iter()
            .map(|a| {
                a.replace("{text_file}", &text_file.to_string_lossy())
                    .replace("{out_wav}", &out_wav.to_string_lossy())
                    .replace("{lang}", lang)
                    .replace("{voice}", self.settings.voice.as_deref().unwrap_or(""))
                    .replace("{rate}", rate.as_deref().unwrap_or(""))
            })
            .collect()
    }
}

/// The end of `bytes` as text, at most [`STDERR_KEPT`] bytes.
fn tail(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    if text.len() <= STDERR_KEPT {
        return text.to_string();
    }
    let mut start = text.len() - STDERR_KEPT;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    format!("...{}", &text[start..])
}

impl Backend for CommandBackend {
    fn id(&self) -> &BackendId {
        &self.id
    }

    fn limits(&self) -> Limits {
        Limits {
            max_chars: self.settings.max_chars,
            max_parallel: self
                .settings
                .parallel
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
            // The program's WAV says its rate; clips are resampled downstream.
            sample_rate: 22_050,
        }
    }

    fn synthesize(&self, request: &SpeechRequest) -> Result<Clip, SynthError> {
        // A program reads text: words the lexicon gives in IPA are read as written.
        let spoken = crate::language::ipa::written_only(request.text);
        SynthError::check_length(&self.id.engine, &spoken, self.settings.max_chars)?;
        let dir = tempfile::Builder::new()
            .prefix(".articast-command-")
            .tempdir()
            .map_err(self.io("cannot create a temporary folder"))?;
        let text_file = dir.path().join("text.txt");
        let out_wav = dir.path().join("out.wav");
        if self.settings.input == TextInput::File {
            std::fs::write(&text_file, spoken.as_bytes())
                .map_err(self.io("cannot write the text file"))?;
        }
        let mut child = Command::new(&self.program)
            .args(self.args(&text_file, &out_wav, request.language.code()))
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(self.io(format!("cannot run {}", self.program.display())))?;
        let mut stdin = child.stdin.take().expect("piped");
        let text = (self.settings.input == TextInput::Stdin).then(|| spoken.to_string());
        // Text in, audio and messages out, each on its own thread: a program that
        // writes before it has read everything never deadlocks with us.
        let writer = std::thread::spawn(move || -> std::io::Result<()> {
            if let Some(text) = text {
                stdin.write_all(text.as_bytes())?;
            }
            Ok(())
        });
        let mut stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            stdout.read_to_end(&mut bytes).map(|_| bytes)
        });
        let mut stderr = child.stderr.take().expect("piped");
        let errors = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stderr.read_to_end(&mut bytes);
            bytes
        });
        let limit = Duration::from_secs_f64(self.settings.timeout_secs);
        let started = Instant::now();
        let status = loop {
            match child
                .try_wait()
                .map_err(self.io("waiting for the program"))?
            {
                Some(status) => break status,
                None if started.elapsed() > limit => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(SynthError::Timeout {
                        engine: self.id.engine.clone(),
                        after: limit,
                    });
                }
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        };
        // A program that exits without reading its input closes the pipe: not an error
        // in itself (its exit status and output say how it went).
        let _ = writer.join();
        let stdout = reader
            .join()
            .unwrap_or_else(|_| Ok(Vec::new()))
            .map_err(self.io("reading the program's output"))?;
        let stderr = tail(&errors.join().unwrap_or_default());
        if !status.success() {
            return Err(SynthError::Engine {
                engine: self.id.engine.clone(),
                message: if stderr.is_empty() {
                    format!("{status}")
                } else {
                    format!("{status}: {stderr}")
                },
            });
        }
        let bytes = match self.settings.output() {
            AudioOutput::Stdout => stdout,
            AudioOutput::File => std::fs::read(&out_wav).map_err(self.io(format!(
                "the program wrote no {{out_wav}} file{}",
                if stderr.is_empty() {
                    String::new()
                } else {
                    format!(" (it said: {stderr})")
                }
            )))?,
        };
        super::wav::clip_from_wav(&bytes).map_err(|source| SynthError::Audio {
            engine: self.id.engine.clone(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(toml_text: &str) -> CommandSettings {
        toml::from_str(toml_text).unwrap()
    }

    #[test]
    fn checks_name_the_field_and_what_to_do() {
        let bad = [
            ("program = ''", "program is empty"),
            (
                "program = 'x'\nargs = ['{text}']",
                "unknown placeholder {text}",
            ),
            ("program = 'x'\ninput = 'file'", "needs {text_file}"),
            ("program = 'x'\noutput = 'file'", "needs {out_wav}"),
            ("program = 'x'\nargs = ['-v', '{voice}']", "set voice"),
            ("program = 'x'\nargs = ['{rate}']", "set rate"),
            ("program = 'x'\ntimeout_secs = 0", "timeout_secs"),
            ("program = 'x'\nparallel = 0", "parallel"),
        ];
        for (text, want) in bad {
            let err = settings(text).check().unwrap_err();
            assert!(err.contains(want), "{text}: {err}");
        }
        let good = settings("program = 'x'\nargs = ['-w', '{out_wav}', '--stdin']");
        assert!(good.check().is_ok());
        assert_eq!(good.output(), AudioOutput::File);
        assert_eq!(settings("program = 'x'").output(), AudioOutput::Stdout);
    }

    #[test]
    fn placeholders_are_filled_and_the_speed_scales_the_rate() {
        let s = settings(
            "program = 'sh'\nargs = ['-v', '{voice}', '-s', '{rate}', '--out={out_wav}', '{lang}']\nvoice = 'fr'\nrate = 170",
        );
        let b = CommandBackend::new(&s).unwrap();
        let args = b.args(Path::new("/t/text.txt"), Path::new("/t/out.wav"), "fr");
        assert_eq!(args, ["-v", "fr", "-s", "170", "--out=/t/out.wav", "fr"]);
        let faster = CommandBackend::new(&s.at_speed(1.5)).unwrap();
        assert_eq!(faster.args(Path::new("a"), Path::new("b"), "fr")[3], "255");
        assert_ne!(b.id().cache_key, faster.id().cache_key);
        let missing = CommandBackend::new(&settings("program = 'no-such-program-articast'"));
        assert!(matches!(missing, Err(SynthError::Unavailable { .. })));
    }
}
