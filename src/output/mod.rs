//! Writers: turn an [`Episode`](crate::assemble::Episode) into files.
//!
//! The audio is mastered and encoded in [`master`] (WAV or MP3 with tags); transcripts
//! and chapters are written beside it. Every writer goes through [`crate::atomic::AtomicFile`]: the file is written next to its
//! destination under a temporary name and renamed into place only when complete, so
//! an interrupted run never leaves a half-written episode at the output path.

pub mod chapters;
pub mod cover;

pub mod mp3;
pub mod mp3_info;
pub mod paths;
pub mod sink;
pub mod tags;
pub mod transcript;
pub mod wav;

pub use crate::atomic::OutputError;

/// Formats a sample position as `HH:MM:SS.mmm` (`sep` is `.` for WebVTT, `,` for SRT).
pub fn timestamp(sample: u64, sample_rate: u32, sep: char) -> String {
    let ms = (sample as u128 * 1000 + sample_rate as u128 / 2) / sample_rate as u128;
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, ms) = (rest / 1000, rest % 1000);
    format!("{h:02}:{m:02}:{s:02}{sep}{ms:03}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(0, 22050, '.'), "00:00:00.000");
        assert_eq!(timestamp(22050 * 3723 + 11025, 22050, ','), "01:02:03,500");
    }
}
