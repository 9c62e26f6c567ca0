//! The mastered episode read back in order for an encoder: each stretch's spilled audio
//! at its place, silence between, block by block, so that memory holds one block.

use super::segments::{Segment, Spill};
use crate::assemble::mix::BLOCK_FRAMES;
use crate::assemble::store::RawReader;
use crate::assemble::Episode;

/// Streams the mastered stretches of an episode as one interleaved signal.
pub struct MasteredTimeline<'a> {
    episode: &'a Episode,
    /// (first frame, frames, index in the spill) of each stretch, in timeline order.
    order: Vec<(u64, u64, usize)>,
    next: usize,
    reader: Option<RawReader>,
    position: u64,
    end: u64,
    spill: &'a Spill,
}

impl<'a> MasteredTimeline<'a> {
    /// The frames `from..to` of the timeline of `segments` (mastered into `spill`, by
    /// their index in `segments`). No stretch may straddle `from` or `to`: windows are
    /// cut in silence.
    pub fn window(
        episode: &'a Episode,
        segments: &[Segment],
        spill: &'a Spill,
        from: u64,
        to: u64,
    ) -> Self {
        let mut order: Vec<(u64, u64, usize)> = segments
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (start, frames) = s.span(episode);
                (start, frames, i)
            })
            .filter(|&(start, frames, _)| frames > 0 && start < to && start + frames > from)
            .collect();
        order.sort_by_key(|&(start, _, i)| (start, i));
        MasteredTimeline {
            episode,
            order,
            next: 0,
            reader: None,
            position: from,
            end: to.min(episode.frames),
            spill,
        }
    }

    /// Fills `out` with the next block (interleaved); returns its frames, 0 at the end.
    pub fn next_block(&mut self, out: &mut Vec<f32>) -> std::io::Result<usize> {
        let channels = self.episode.channels as usize;
        let n = self
            .end
            .saturating_sub(self.position)
            .min(BLOCK_FRAMES as u64) as usize;
        out.clear();
        out.resize(n * channels, 0.0);
        let (from, to) = (self.position, self.position + n as u64);
        let mut scratch = Vec::new();
        while let Some(&(start, frames, index)) = self.order.get(self.next) {
            let end = start + frames;
            if start >= to {
                break;
            }
            let (a, b) = (start.max(from), end.min(to));
            if a < b {
                if self.reader.is_none() {
                    self.reader = Some(self.spill.reader(index, frames * channels as u64)?);
                }
                let reader = self.reader.as_mut().expect("opened above");
                scratch.resize((b - a) as usize * channels, 0.0);
                let got = reader.read(&mut scratch)?;
                // Stretches do not overlap but for a bed-less fade, so they add.
                let at = (a - from) as usize * channels;
                for (dst, s) in out[at..at + got].iter_mut().zip(&scratch[..got]) {
                    *dst += s;
                }
            }
            if end <= to {
                self.next += 1;
                self.reader = None;
            } else {
                break;
            }
        }
        self.position = to;
        Ok(n)
    }
}
