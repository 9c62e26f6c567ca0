//! Why a chunk could not be synthesized, with typed causes, and whether trying again
//! may help: a refused connection, a reset, a timeout, a 429 or a 5xx answer are worth
//! retrying; a bad voice name, a refused key or audio that is not audio are not.

use std::path::PathBuf;
use std::time::Duration;

/// Why an engine's audio could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// Not a WAV file articast reads (or a truncated one).
    #[error("not a readable WAV file")]
    Wav(#[from] hound::Error),
    /// Not audio symphonia decodes.
    #[error("not audio articast decodes: {0}")]
    Decode(String),
    /// Audio, but nothing in it.
    #[error("no audio in it")]
    Empty,
    /// More than one channel, or a rate outside 8-192 kHz.
    #[error("{0}")]
    Shape(String),
}

/// Why a chunk could not be synthesized.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The engine refused or failed, in its own words (a library's error, a program's
    /// exit status with what it wrote on standard error).
    #[error("{engine} failed: {message}")]
    Engine {
        /// The engine.
        engine: String,
        /// What it said.
        message: String,
    },
    /// The engine the voice asks for is not installed or not configured.
    #[error("{engine} is not available: {hint}")]
    Unavailable {
        /// The engine.
        engine: String,
        /// What to do.
        hint: String,
    },
    /// Setting up the engine's data failed.
    #[error("cannot prepare {what} at {path}: {source}")]
    Setup {
        /// What was being prepared.
        what: String,
        /// Where.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Talking to the engine failed: a program that would not start, a pipe, a file, a
    /// connection.
    #[error("{engine}: {what}: {source}")]
    Io {
        /// The engine.
        engine: String,
        /// What was being done.
        what: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The engine's answer was not audio articast can use.
    #[error("{engine} answered with audio articast cannot use: {source}")]
    Audio {
        /// The engine.
        engine: String,
        /// What is wrong with it.
        #[source]
        source: AudioError,
    },
    /// The engine took longer than allowed.
    #[error("{engine} did not finish within {after:?}")]
    Timeout {
        /// The engine.
        engine: String,
        /// The limit.
        after: Duration,
    },
    /// A speech server answered with an error status.
    #[error("{engine} answered {status}: {message}")]
    Http {
        /// The engine (the server's address, never its key).
        engine: String,
        /// The HTTP status.
        status: u16,
        /// The server's message, or what the status means.
        message: String,
        /// How long the server asked to wait (`Retry-After`).
        retry_after: Option<Duration>,
    },
    /// The text is longer than the engine takes (the script should have cut it).
    #[error("{engine} takes at most {max} characters; this chunk has {chars}")]
    TooLong {
        /// The engine.
        engine: String,
        /// The chunk's length.
        chars: usize,
        /// The limit.
        max: usize,
    },
}

impl SynthError {
    /// Whether trying the same chunk again may succeed: connection failures, resets,
    /// timeouts, 429 and 5xx (500, 502, 503, 504) answers.
    pub fn is_retryable(&self) -> bool {
        use std::io::ErrorKind::*;
        match self {
            SynthError::Timeout { .. } => true,
            SynthError::Http { status, .. } => matches!(status, 408 | 429 | 500 | 502 | 503 | 504),
            SynthError::Io { source, .. } => matches!(
                source.kind(),
                ConnectionRefused
                    | ConnectionReset
                    | ConnectionAborted
                    | BrokenPipe
                    | TimedOut
                    | Interrupted
                    | UnexpectedEof
                    | NotConnected
            ),
            _ => false,
        }
    }

    /// [`SynthError::TooLong`] when `text` has more than `max` characters.
    pub fn check_length(engine: &str, text: &str, max: usize) -> Result<(), SynthError> {
        let chars = text.chars().count();
        if chars > max {
            return Err(SynthError::TooLong {
                engine: engine.to_string(),
                chars,
                max,
            });
        }
        Ok(())
    }

    /// How long the engine asked to wait before a retry, when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SynthError::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16) -> SynthError {
        SynthError::Http {
            engine: "server".into(),
            status,
            message: String::new(),
            retry_after: None,
        }
    }

    #[test]
    fn transient_failures_are_retryable_and_permanent_ones_are_not() {
        for status in [429, 500, 502, 503, 504] {
            assert!(http(status).is_retryable(), "{status}");
        }
        for status in [400, 401, 403, 404, 422] {
            assert!(!http(status).is_retryable(), "{status}");
        }
        let io = |kind| SynthError::Io {
            engine: "e".into(),
            what: "connect".into(),
            source: std::io::Error::from(kind),
        };
        assert!(io(std::io::ErrorKind::ConnectionReset).is_retryable());
        assert!(!io(std::io::ErrorKind::NotFound).is_retryable());
        assert!(SynthError::Timeout {
            engine: "e".into(),
            after: Duration::from_secs(1)
        }
        .is_retryable());
        let bad = SynthError::Audio {
            engine: "e".into(),
            source: AudioError::Empty,
        };
        assert!(!bad.is_retryable());
        // The cause is kept as a typed source.
        let e: &dyn std::error::Error = &bad;
        assert!(e.source().is_some());
    }
}
