//! Bytes to text: byte-order marks, UTF-8, a Windows-1252 fallback, and binary refusal.
//!
//! Scraped articles arrive in whatever encoding the page had. UTF-8 (with or without a
//! BOM) and UTF-16 with a BOM are decoded as they are. Bytes that are not valid UTF-8
//! but look like text are decoded as Windows-1252 (the superset of Latin-1 that
//! Western European pages used for decades) with a warning naming the file, since
//! refusing them would leave the user nothing to do but convert by hand. Data that is
//! clearly not text (NUL bytes, many control characters) is refused.

use std::path::Path;

use super::IngestError;

/// Text decoded from a source, with a warning when an encoding had to be assumed.
#[derive(Debug)]
pub struct Decoded {
    /// The decoded text, without any byte-order mark, with `\r\n` folded to `\n`.
    pub text: String,
    /// Set when the text was not UTF-8 and an encoding was assumed.
    pub warning: Option<String>,
}

/// Decodes `bytes` read from `path` into text, or explains why it is not text.
pub fn decode(bytes: &[u8], path: &Path) -> Result<Decoded, IngestError> {
    let (encoding, bom_len) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, len)) => (Some(enc), len),
        None => (None, 0),
    };
    let body = &bytes[bom_len..];
    let (text, warning) = match encoding {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            let (text, _, had_errors) = enc.decode(bytes);
            let warning = had_errors.then(|| {
                format!(
                    "{}: some {} sequences were invalid and replaced",
                    path.display(),
                    enc.name()
                )
            });
            (text.into_owned(), warning)
        }
        _ => match std::str::from_utf8(body) {
            Ok(text) => (text.to_string(), None),
            Err(err) => {
                check_not_binary(body, path)?;
                match declared_charset(body) {
                    Some(enc) => {
                        let (text, had_errors) = enc.decode_without_bom_handling(body);
                        let warning = had_errors.then(|| {
                                format!(
                                    "{}: some bytes are not valid {} as the page declares; they were replaced",
                                    path.display(),
                                    enc.name()
                                )
                            });
                        (text.into_owned(), warning)
                    }
                    None => {
                        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(body);
                        let line = super::line_of(
                            &String::from_utf8_lossy(&body[..err.valid_up_to()]),
                            err.valid_up_to(),
                        );
                        let warning = format!(
                                "{}:{line}: not valid UTF-8; read as Windows-1252 (convert the file to UTF-8 if words look wrong)",
                                path.display()
                            );
                        (text.into_owned(), Some(warning))
                    }
                }
            }
        },
    };
    check_text_is_not_binary(&text, path)?;
    Ok(Decoded {
        text: text.replace("\r\n", "\n").replace('\r', "\n"),
        warning,
    })
}

/// The encoding an HTML page or XML file declares in its first kilobytes
/// (`<meta charset="...">`, `http-equiv` content type, `<?xml encoding="..."?>`).
pub fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    for key in ["charset=", "encoding="] {
        let mut rest = head.as_str();
        while let Some(pos) = rest.find(key) {
            let value = rest[pos + key.len()..].trim_start_matches(['"', '\'', ' ']);
            let label: String = value
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                .collect();
            if let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) {
                return Some(enc);
            }
            rest = &rest[pos + key.len()..];
        }
    }
    None
}

fn check_not_binary(bytes: &[u8], path: &Path) -> Result<(), IngestError> {
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        return Err(IngestError::Binary {
            path: path.to_path_buf(),
            reason: format!("NUL byte at offset {pos}"),
        });
    }
    Ok(())
}

/// Text with NULs or a high share of control characters is binary data decoded by
/// accident (an image, an archive, a compiled file).
fn check_text_is_not_binary(text: &str, path: &Path) -> Result<(), IngestError> {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(64 * 1024) {
        total += 1;
        if c == '\0' {
            return Err(IngestError::Binary {
                path: path.to_path_buf(),
                reason: "it contains NUL characters".into(),
            });
        }
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}') {
            control += 1;
        }
    }
    if total > 0 && control * 20 > total {
        return Err(IngestError::Binary {
            path: path.to_path_buf(),
            reason: format!("{control} of its first {total} characters are control characters"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> Result<Decoded, IngestError> {
        decode(bytes, Path::new("a.txt"))
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(dec("été".as_bytes()).unwrap().text, "été");
        assert_eq!(dec(b"\xEF\xBB\xBFabc").unwrap().text, "abc");
        assert!(dec("été".as_bytes()).unwrap().warning.is_none());
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Hé".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(dec(&bytes).unwrap().text, "Hé");
    }

    #[test]
    fn windows_1252_fallback_warns() {
        let d = dec(b"caf\xE9 \x93cr\xE8me\x94").unwrap();
        assert_eq!(d.text, "café “crème”");
        assert!(d.warning.unwrap().contains("Windows-1252"));
    }

    #[test]
    fn declared_charset_is_used() {
        let page =
            b"<html><head><meta charset=\"iso-8859-15\"></head><body>\xa4 caf\xe9</body></html>";
        let d = dec(page).unwrap();
        assert!(d.text.contains("€ café"), "{}", d.text);
        assert!(d.warning.is_none());
        let xml = b"<?xml version='1.0' encoding='windows-1251'?><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>";
        assert!(dec(xml).unwrap().text.contains("Привет"));
    }

    #[test]
    fn binary_is_refused() {
        assert!(matches!(
            dec(b"PK\x03\x04\x00\x00\xff\xfe"),
            Err(IngestError::Binary { .. })
        ));
        assert!(matches!(
            dec(&[1u8, 2, 3, 4, 5, 6, 7, 8, b'a']),
            Err(IngestError::Binary { .. })
        ));
    }

    #[test]
    fn crlf_is_folded() {
        assert_eq!(dec(b"a\r\nb\rc").unwrap().text, "a\nb\nc");
    }
}
