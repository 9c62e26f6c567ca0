//! Pages and feeds from the web: one HTTP client (rustls, no system library) with the
//! manners a crawler owes the sites it reads: a `User-Agent`, timeouts, a limit on
//! redirects and on size, retries with growing pauses on the failures that pass
//! (connection errors, 429, 5xx, honouring `Retry-After`), and conditional requests
//! (`If-None-Match`, `If-Modified-Since`) so that a rerun over a feed downloads nothing
//! that has not changed.
//!
//! This module imports nothing of the pipeline's stages; the catalog of Piper voices
//! shares its client and retry rules.

use std::io::Read;
use std::time::Duration;

/// Largest body accepted, in bytes: as large as an article file may be (the document
/// stage's `MAX_INPUT_BYTES` is this value).
pub const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// Attempts per request.
pub const ATTEMPTS: u32 = 4;

/// Redirects followed at most.
const MAX_REDIRECTS: u32 = 5;

/// The client every request goes through.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_per_read(Some(Duration::from_secs(60)))
        .max_redirects(MAX_REDIRECTS)
        .http_status_as_error(false)
        .user_agent(concat!(
            "articast/",
            env!("CARGO_PKG_VERSION"),
            " (article to podcast; +https://github.com/articast)"
        ))
        .build()
        .into()
}

/// The pause before retry `attempt` (1-based): 0.5 s, 1 s, 2 s… (`$ARTICAST_RETRY_MS`
/// sets the first pause; tests make it short).
pub fn backoff(attempt: u32) -> Duration {
    let first = std::env::var("ARTICAST_RETRY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(500);
    Duration::from_millis(first.saturating_mul(1 << (attempt - 1).min(6)))
}

/// Whether a status is worth retrying: server errors and "too many requests".
pub fn retryable(status: u16) -> bool {
    status >= 500 || status == 429
}

/// The pause a server asks for with `Retry-After` (in seconds; at most a minute), which
/// replaces articast's own when it is longer.
pub fn retry_after<B>(resp: &ureq::http::Response<B>) -> Option<Duration> {
    let secs: u64 = resp
        .headers()
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(secs.min(60)))
}

/// Validators of an earlier answer, sent back so that an unchanged page costs nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    /// The `ETag` the server gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The `Last-Modified` the server gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// What a request brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// The resource, new or changed.
    Body(Page),
    /// Unchanged since the validators were given (304).
    NotModified,
}

/// A fetched resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The address after redirects.
    pub url: String,
    /// The bytes.
    pub body: Vec<u8>,
    /// The media type (`text/html`), lower case, without parameters.
    pub media_type: Option<String>,
    /// The charset the `Content-Type` names.
    pub charset: Option<String>,
    /// Validators for the next request.
    pub validators: Validators,
}

/// Why a resource could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The server answered with an error that retrying does not mend.
    #[error("{url}: the server answered {status}{advice}")]
    Status {
        /// The address.
        url: String,
        /// The HTTP status.
        status: u16,
        /// What it means.
        advice: &'static str,
    },
    /// The transfer kept failing.
    #[error("{url}: {message} (tried {attempts} times); check the address and the connection")]
    Transfer {
        /// The address.
        url: String,
        /// The last failure.
        message: String,
        /// Attempts made.
        attempts: u32,
    },
    /// The body is larger than [`MAX_BODY_BYTES`].
    #[error("{url}: larger than {max} bytes; not an article")]
    TooLarge {
        /// The address.
        url: String,
        /// The limit.
        max: u64,
    },
}

impl FetchError {
    /// What a status means for the user.
    pub fn status(url: &str, status: u16) -> FetchError {
        FetchError::Status {
            url: url.to_string(),
            status,
            advice: match status {
                404 | 410 => " (not found: check the address)",
                401 | 403 => " (access refused: the page may need a login)",
                _ => "",
            },
        }
    }
}

/// Whether `s` is an address articast fetches (`http://` or `https://`).
pub fn is_url(s: &str) -> bool {
    let lower = s.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn header(resp: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    resp.headers()
        .get(name)?
        .to_str()
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Splits a `Content-Type` into its media type and charset.
pub fn parse_content_type(value: &str) -> (Option<String>, Option<String>) {
    let mut parts = value.split(';');
    let media = parts
        .next()
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty());
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches('"').to_ascii_lowercase())
    });
    (media, charset)
}

/// Fetches `url`, sending `known` validators; retries what passes.
pub fn get(url: &str, known: &Validators) -> Result<Fetched, FetchError> {
    let agent = agent();
    let mut last = String::new();
    let mut asked = None;
    for attempt in 1..=ATTEMPTS {
        if attempt > 1 {
            std::thread::sleep(backoff(attempt - 1).max(asked.take().unwrap_or_default()));
        }
        let mut request = agent.get(url);
        if let Some(etag) = &known.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(modified) = &known.last_modified {
            request = request.header("If-Modified-Since", modified);
        }
        let resp = match request.call() {
            Ok(resp) => resp,
            Err(e) => {
                last = e.to_string();
                continue;
            }
        };
        let status = resp.status().as_u16();
        if status == 304 {
            return Ok(Fetched::NotModified);
        }
        if retryable(status) {
            asked = retry_after(&resp);
            last = format!("the server answered {status}");
            continue;
        }
        if !resp.status().is_success() {
            return Err(FetchError::status(url, status));
        }
        // Where the redirects led: relative links and feed items resolve against it.
        let final_url = {
            use ureq::ResponseExt;
            resp.get_uri().to_string()
        };
        let (media_type, charset) = header(&resp, "content-type")
            .map(|v| parse_content_type(&v))
            .unwrap_or((None, None));
        let validators = Validators {
            etag: header(&resp, "etag"),
            last_modified: header(&resp, "last-modified"),
        };
        let mut body = Vec::new();
        let read = resp
            .into_body()
            .into_with_config()
            .limit(MAX_BODY_BYTES + 1)
            .reader()
            .take(MAX_BODY_BYTES + 1)
            .read_to_end(&mut body);
        match read {
            Ok(_) if body.len() as u64 > MAX_BODY_BYTES => {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    max: MAX_BODY_BYTES,
                })
            }
            Ok(_) => {
                return Ok(Fetched::Body(Page {
                    url: final_url,
                    body,
                    media_type,
                    charset,
                    validators,
                }))
            }
            Err(e) if e.to_string().contains("limit") => {
                return Err(FetchError::TooLarge {
                    url: url.to_string(),
                    max: MAX_BODY_BYTES,
                })
            }
            Err(e) => last = format!("the body broke off: {e}"),
        }
    }
    Err(FetchError::Transfer {
        url: url.to_string(),
        message: last,
        attempts: ATTEMPTS,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_and_addresses() {
        assert_eq!(
            parse_content_type("text/HTML; charset=\"ISO-8859-1\""),
            (Some("text/html".into()), Some("iso-8859-1".into()))
        );
        assert_eq!(
            parse_content_type("application/rss+xml"),
            (Some("application/rss+xml".into()), None)
        );
        assert!(is_url("https://example.org/a"));
        assert!(is_url("HTTP://x"));
        assert!(!is_url("./https-notes.md"));
    }
}
