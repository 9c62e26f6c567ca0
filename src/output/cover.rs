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
    /// It is not a JPEG or PNG image.
    #[error("cover {path} is not a JPEG or PNG image ({found}); convert it to JPEG or PNG")]
    NotAnImage {
        /// The file.
        path: PathBuf,
        /// What it looks like.
        found: String,
    },
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
