//! HTTP downloads for the voice catalog: resumable, retried, verified.
//!
//! A file is downloaded to a `.part` file; an interrupted download resumes from where
//! it stopped (an HTTP range request) on the next try or the next run. Connection
//! failures, server errors (5xx), 429 "too many requests" and truncated bodies are
//! retried three times with a growing pause, or the longer pause a server asks for with
//! `Retry-After`; other client errors (4xx) are not retried. A finished file must have
//! the catalog's size and MD5 digest, or it is deleted and the download fails.

use std::io::{Read, Write};
use std::path::Path;
use std::time::Duration;

use md5::Md5;
use sha2::{Digest as _, Sha256};

/// What a downloaded file must be.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// Its size in bytes.
    pub size: u64,
    /// Its digest, in hexadecimal.
    pub digest: Digest<'a>,
}

/// A published digest.
#[derive(Debug, Clone, Copy)]
pub enum Digest<'a> {
    /// MD5 (the Piper voice catalog's).
    Md5(&'a str),
    /// SHA-256 (the Python package index's).
    Sha256(&'a str),
}

impl Digest<'_> {
    fn name(self) -> &'static str {
        match self {
            Digest::Md5(_) => "MD5",
            Digest::Sha256(_) => "SHA-256",
        }
    }

    fn hex(self) -> String {
        match self {
            Digest::Md5(h) | Digest::Sha256(h) => h.trim().to_ascii_lowercase(),
        }
    }

    /// The same kind of digest of `file`.
    fn of(self, file: &mut std::fs::File) -> std::io::Result<String> {
        fn hex(bytes: &[u8]) -> String {
            bytes.iter().map(|b| format!("{b:02x}")).collect()
        }
        Ok(match self {
            Digest::Md5(_) => {
                let mut h = Md5::new();
                std::io::copy(file, &mut h)?;
                hex(&h.finalize())
            }
            Digest::Sha256(_) => {
                let mut h = Sha256::new();
                std::io::copy(file, &mut h)?;
                hex(&h.finalize())
            }
        })
    }
}

/// How far a download is.
#[derive(Debug, Clone)]
pub struct Progress {
    /// The file's name.
    pub file: String,
    /// Bytes on disk.
    pub done: u64,
    /// Bytes in all.
    pub total: u64,
}

/// Why a download failed.
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    /// The server answered with an error status.
    #[error("{url}: the server answered {status}{advice}")]
    Status {
        /// The address.
        url: String,
        /// The HTTP status.
        status: u16,
        /// What to do.
        advice: &'static str,
    },
    /// The transfer failed (after retries).
    #[error("{url}: {message} (tried {attempts} times; run the command again to resume)")]
    Transfer {
        /// The address.
        url: String,
        /// What went wrong last.
        message: String,
        /// How many attempts were made.
        attempts: u32,
    },
    /// The file arrived but is not the catalog's.
    #[error("{url}: {message}; the file was deleted and nothing was installed")]
    Verify {
        /// The address.
        url: String,
        /// What differs.
        message: String,
    },
    /// The catalog could not be read.
    #[error("{url}: not a Piper voice catalog: {message}")]
    Catalog {
        /// The address.
        url: String,
        /// Why.
        message: String,
    },
    /// A local file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

use crate::fetch::{agent, backoff, retry_after, retryable, ATTEMPTS};

fn status_error(url: &str, status: u16) -> DownloadError {
    DownloadError::Status {
        url: url.to_string(),
        status,
        advice: match status {
            404 => " (not found: check the voice name with `articast voices list --available`)",
            401 | 403 => " (access refused)",
            _ => "",
        },
    }
}

/// Fetches a small document (the catalog) whole, with retries.
pub fn fetch_small(url: &str) -> Result<Vec<u8>, DownloadError> {
    let agent = agent();
    let mut last = String::new();
    let mut asked = None;
    for attempt in 1..=ATTEMPTS {
        if attempt > 1 {
            std::thread::sleep(backoff(attempt - 1).max(asked.take().unwrap_or_default()));
        }
        match agent.get(url).call() {
            Ok(resp) if resp.status().is_success() => {
                let mut body = Vec::new();
                match resp
                    .into_body()
                    .into_with_config()
                    .limit(64 << 20)
                    .reader()
                    .read_to_end(&mut body)
                {
                    Ok(_) => return Ok(body),
                    Err(e) => last = e.to_string(),
                }
            }
            Ok(resp) if retryable(resp.status().as_u16()) => {
                asked = retry_after(&resp);
                last = format!("server answered {}", resp.status().as_u16())
            }
            Ok(resp) => return Err(status_error(url, resp.status().as_u16())),
            Err(e) => last = e.to_string(),
        }
    }
    Err(DownloadError::Transfer {
        url: url.to_string(),
        message: last,
        attempts: ATTEMPTS,
    })
}

/// Downloads `url` to `part`, resuming what is already there, until it has `expect`'s
/// size; then checks its digest. On a mismatch `part` is deleted.
pub fn fetch_verified(
    url: &str,
    part: &Path,
    expect: Expected,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), DownloadError> {
    let name = part
        .file_name()
        .map(|n| n.to_string_lossy().trim_end_matches(".part").to_string())
        .unwrap_or_default();
    let io = |source| DownloadError::Io {
        path: part.to_path_buf(),
        source,
    };
    let agent = agent();
    let mut last = String::new();
    let mut attempts = 0;
    let mut asked: Option<Duration> = None;
    loop {
        let have = std::fs::metadata(part).map(|m| m.len()).unwrap_or(0);
        if have > expect.size {
            std::fs::remove_file(part).map_err(io)?;
            continue;
        }
        if have == expect.size {
            break;
        }
        if attempts == ATTEMPTS {
            return Err(DownloadError::Transfer {
                url: url.to_string(),
                message: last,
                attempts,
            });
        }
        attempts += 1;
        if attempts > 1 {
            std::thread::sleep(backoff(attempts - 1).max(asked.take().unwrap_or_default()));
        }
        let mut request = agent.get(url);
        if have > 0 {
            request = request.header("Range", format!("bytes={have}-"));
        }
        let resp = match request.call() {
            Ok(r) => r,
            Err(e) => {
                last = e.to_string();
                continue;
            }
        };
        let status = resp.status().as_u16();
        let append = match status {
            206 => true,
            200 => false,
            416 => {
                // The server has no bytes past ours: start again.
                std::fs::remove_file(part).map_err(io)?;
                last = "the server refused to resume".into();
                continue;
            }
            s if retryable(s) => {
                asked = retry_after(&resp);
                last = format!("server answered {s}");
                continue;
            }
            s => return Err(status_error(url, s)),
        };
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(append)
            .truncate(!append)
            .open(part)
            .map_err(io)?;
        let mut done = if append { have } else { 0 };
        let mut reader = resp.into_body().into_with_config().limit(u64::MAX).reader();
        let mut buf = vec![0u8; 1 << 16];
        let outcome = loop {
            match reader.read(&mut buf) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    file.write_all(&buf[..n]).map_err(io)?;
                    done += n as u64;
                    progress(Progress {
                        file: name.clone(),
                        done,
                        total: expect.size,
                    });
                    if done > expect.size {
                        break Err("the server sent more bytes than the index lists".to_string());
                    }
                }
                Err(e) => break Err(e.to_string()),
            }
        };
        file.flush().map_err(io)?;
        match outcome {
            Ok(()) if done < expect.size => {
                last = format!("the download stopped at {done} of {} bytes", expect.size)
            }
            Ok(()) => {}
            Err(e) => last = e,
        }
    }
    let mut file = std::fs::File::open(part).map_err(io)?;
    let digest = expect.digest.of(&mut file).map_err(io)?;
    if digest != expect.digest.hex() {
        let _ = std::fs::remove_file(part);
        return Err(DownloadError::Verify {
            url: url.to_string(),
            message: format!(
                "{} digest is {digest}, the index says {}",
                expect.digest.name(),
                expect.digest.hex()
            ),
        });
    }
    Ok(())
}
