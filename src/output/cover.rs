//! Cover art: a JPEG or PNG file, checked before any work is done.

use std::path::{Path, PathBuf};

/// Largest cover accepted, in bytes. Podcast directories ask for at most a few
/// megabytes; a larger file is almost certainly not a cover.
pub const MAX_COVER_BYTES: u64 = 10 * 1024 * 1024;

/// A validated cover image.
#[derive(Debug, Clone)]
pub struct Cover {
    /// The file it came from.
    pub path: PathBuf,
    /// `image/jpeg` or `image/png`.
    pub mime: &'static str,
    /// The bytes.
    pub data: Vec<u8>,
    /// Width and height in pixels.
    pub size: (usize, usize),
}

/// Why a cover cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CoverError {
    /// It could not be read.
    #[error("cannot read cover {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// It is too big.
    #[error("cover {path} is {size} bytes, more than the {max} bytes accepted; resize it (3000x3000 JPEG is plenty)")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The image stops before its end (an interrupted download or copy).
    #[error("cover {path} is a truncated {kind} file (it stops before the image ends); copy or download it again")]
    Truncated {
        /// The file.
        path: PathBuf,
        /// JPEG or PNG.
        kind: &'static str,
    },
    /// It is not a JPEG or PNG image.
    #[error("cover {path} is not a JPEG or PNG image ({found}); convert it to JPEG or PNG")]
    NotAnImage {
        /// The file.
        path: PathBuf,
        /// What it looks like.
        found: String,
    },
}

/// Whether an image's data runs to its end marker: JPEG's end-of-image marker (players
/// show a grey band or nothing for a cut file; some encoders leave a few bytes after it),
/// PNG's `IEND` chunk.
fn is_complete(data: &[u8], mime: &str) -> bool {
    let tail = &data[data.len().saturating_sub(4096)..];
    match mime {
        "image/png" => tail.windows(4).any(|w| w == b"IEND"),
        _ => tail.windows(2).any(|w| w == [0xFF, 0xD9]),
    }
}

impl Cover {
    /// Reads and checks a cover file.
    pub fn load(path: &Path) -> Result<Cover, CoverError> {
        let read = |source| CoverError::Read {
            path: path.to_path_buf(),
            source,
        };
        let size = std::fs::metadata(path).map_err(read)?.len();
        if size > MAX_COVER_BYTES {
            return Err(CoverError::TooLarge {
                path: path.to_path_buf(),
                size,
                max: MAX_COVER_BYTES,
            });
        }
        let data = std::fs::read(path).map_err(read)?;
        let not_image = |found: String| CoverError::NotAnImage {
            path: path.to_path_buf(),
            found,
        };
        let mime = match imagesize::image_type(&data) {
            Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
            Ok(imagesize::ImageType::Png) => "image/png",
            Ok(other) => return Err(not_image(format!("{other:?}"))),
            Err(_) => return Err(not_image("not an image".into())),
        };
        let dims = imagesize::blob_size(&data)
            .map_err(|e| not_image(format!("unreadable header: {e}")))?;
        if dims.width == 0 || dims.height == 0 {
            return Err(not_image("zero-sized image".into()));
        }
        if !is_complete(&data, mime) {
            return Err(CoverError::Truncated {
                path: path.to_path_buf(),
                kind: if mime == "image/png" { "PNG" } else { "JPEG" },
            });
        }
        Ok(Cover {
            path: path.to_path_buf(),
            mime,
            data,
            size: (dims.width, dims.height),
        })
    }

    /// Advice when the image is not what podcast directories ask for (square, 1400 to
    /// 3000 pixels); `None` when it is.
    pub fn advice(&self) -> Option<String> {
        let (w, h) = self.size;
        if w != h || !(1400..=3000).contains(&w) {
            Some(format!(
                "cover {} is {w}x{h}; podcast directories ask for a square image of 1400 to 3000 pixels",
                self.path.display()
            ))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_image_is_refused_and_a_whole_one_loads() {
        let dir = tempfile::tempdir().unwrap();
        let png =
            std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cover.png"))
                .unwrap();
        let whole = dir.path().join("whole.png");
        std::fs::write(&whole, &png).unwrap();
        assert!(Cover::load(&whole).is_ok());
        let cut = dir.path().join("cut.png");
        std::fs::write(&cut, &png[..png.len() * 2 / 3]).unwrap();
        let err = Cover::load(&cut).unwrap_err().to_string();
        assert!(err.contains("truncated PNG"), "{err}");
        // A JPEG header without its end.
        let mut jpeg = vec![
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0,
            0,
        ];
        jpeg.extend_from_slice(&[
            0xFF, 0xC0, 0x00, 0x11, 0x08, 0x05, 0x78, 0x05, 0x78, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3,
            0x11, 1,
        ]);
        jpeg.extend(std::iter::repeat_n(0x55, 2000));
        let cut = dir.path().join("cut.jpg");
        std::fs::write(&cut, &jpeg).unwrap();
        let err = Cover::load(&cut).unwrap_err().to_string();
        assert!(err.contains("truncated JPEG"), "{err}");
        jpeg.extend_from_slice(&[0xFF, 0xD9]);
        std::fs::write(&cut, &jpeg).unwrap();
        assert!(Cover::load(&cut).is_ok());
    }
}
