//! The physical span an allocator covers, and conversions between physical
//! addresses and bit indices within it.
//!
//! Everything here works in frame numbers (address / 4096) rather than
//! addresses, so rounding an address near `u64::MAX` up to a frame boundary
//! can never overflow.

use core::ops::Range;

use crate::{InitError, FRAME_SIZE};

/// A run of whole frames: bit `i` of the bitmaps is frame `first_frame + i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FrameSpan {
    first_frame: u64,
    frame_count: usize,
}

/// Frame number of the frame containing `addr`.
const fn frame_down(addr: u64) -> u64 {
    addr / FRAME_SIZE
}

/// Frame number of the first frame boundary at or above `addr`.
const fn frame_up(addr: u64) -> u64 {
    addr / FRAME_SIZE + !addr.is_multiple_of(FRAME_SIZE) as u64
}

impl FrameSpan {
    /// The smallest run of whole frames that covers `[start, end)`.
    pub(crate) fn covering(start: u64, end: u64) -> Result<Self, InitError> {
        if start > end {
            return Err(InitError::InvalidSpan);
        }
        let first_frame = frame_down(start);
        let frame_count = usize::try_from(frame_up(end) - first_frame).map_err(|_| InitError::InvalidSpan)?;
        Ok(Self { first_frame, frame_count })
    }

    pub(crate) fn frame_count(&self) -> usize {
        self.frame_count
    }

    /// Physical address of the span's first frame.
    pub(crate) fn start_address(&self) -> u64 {
        self.first_frame * FRAME_SIZE
    }

    /// Physical address one past the span's last frame, saturated at
    /// `u64::MAX` for a span that reaches the top of the address space.
    pub(crate) fn end_address(&self) -> u64 {
        (self.first_frame + self.frame_count as u64).saturating_mul(FRAME_SIZE)
    }

    /// Physical address of the frame at bit `index`.
    pub(crate) fn address_of(&self, index: usize) -> u64 {
        (self.first_frame + index as u64) * FRAME_SIZE
    }

    /// Bit index of frame number `frame`, if the span contains it.
    fn index_of_frame(&self, frame: u64) -> Option<usize> {
        let index = usize::try_from(frame.checked_sub(self.first_frame)?).ok()?;
        (index < self.frame_count).then_some(index)
    }

    /// Bit index of the frame starting at `addr`; `None` if `addr` is outside
    /// the span. The caller checks alignment first.
    pub(crate) fn index_of(&self, addr: u64) -> Option<usize> {
        self.index_of_frame(frame_down(addr))
    }

    /// Bit indices of the frames `[start_frame, end_frame)` clamped to the span.
    fn clamp(&self, start_frame: u64, end_frame: u64) -> Range<usize> {
        let span_end = self.first_frame + self.frame_count as u64;
        let start = start_frame.clamp(self.first_frame, span_end);
        let end = end_frame.clamp(start, span_end);
        // Both are within the span, so both differences fit in a usize.
        (start - self.first_frame) as usize..(end - self.first_frame) as usize
    }

    /// Frames lying wholly inside `[start, end)`, clamped to the span: used for
    /// free memory, where a partial frame must not be handed out.
    pub(crate) fn frames_inside(&self, start: u64, end: u64) -> Range<usize> {
        self.clamp(frame_up(start), frame_down(end))
    }

    /// Frames touching `[start, end)`, clamped to the span: used for
    /// reservations, where a partly used frame must not be handed out either.
    pub(crate) fn frames_touching(&self, start: u64, end: u64) -> Range<usize> {
        self.clamp(frame_down(start), frame_up(end))
    }

    /// Bit indices of the frames that end at or below `limit`.
    pub(crate) fn frames_below(&self, limit: u64) -> Range<usize> {
        self.clamp(self.first_frame, frame_down(limit))
    }

    /// The first bit index at or after `index` whose frame number is a
    /// multiple of `align_frames` (a power of two). `None` on overflow.
    pub(crate) fn align_index_up(&self, index: usize, align_frames: u64) -> Option<usize> {
        let frame = self.first_frame + index as u64;
        let aligned = frame.checked_next_multiple_of(align_frames)?;
        usize::try_from(aligned - self.first_frame).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: u64 = FRAME_SIZE;

    #[test]
    fn covering_rounds_outward() {
        let span = FrameSpan::covering(F + 1, 3 * F - 1).unwrap();
        assert_eq!(span.start_address(), F);
        assert_eq!(span.end_address(), 3 * F);
        assert_eq!(span.frame_count(), 2);
    }

    #[test]
    fn covering_accepts_empty_and_rejects_inverted() {
        assert_eq!(FrameSpan::covering(5 * F, 5 * F).unwrap().frame_count(), 0);
        assert_eq!(FrameSpan::covering(5 * F, 4 * F), Err(InitError::InvalidSpan));
    }

    #[test]
    fn covering_the_top_of_the_address_space_does_not_overflow() {
        let span = FrameSpan::covering(u64::MAX - 1, u64::MAX).unwrap();
        assert_eq!(span.frame_count(), 1);
        assert_eq!(span.start_address(), u64::MAX - (F - 1));
        assert_eq!(span.end_address(), u64::MAX);
    }

    #[test]
    fn index_of_respects_both_edges() {
        let span = FrameSpan::covering(4 * F, 8 * F).unwrap();
        assert_eq!(span.index_of(4 * F - 1), None);
        assert_eq!(span.index_of(4 * F), Some(0));
        assert_eq!(span.index_of(8 * F - 1), Some(3));
        assert_eq!(span.index_of(8 * F), None);
        assert_eq!(span.address_of(3), 7 * F);
    }

    #[test]
    fn inside_rounds_inward_and_touching_rounds_outward() {
        let span = FrameSpan::covering(0, 16 * F).unwrap();
        assert_eq!(span.frames_inside(F + 1, 4 * F - 1), 2..3);
        assert_eq!(span.frames_touching(F + 1, 4 * F - 1), 1..4);
        // A range inside one frame covers no whole frame but touches one.
        assert_eq!(span.frames_inside(F + 1, F + 2).len(), 0);
        assert_eq!(span.frames_touching(F + 1, F + 2), 1..2);
        // Inverted ranges are empty either way.
        assert_eq!(span.frames_inside(4 * F, F).len(), 0);
        assert_eq!(span.frames_touching(4 * F, F).len(), 0);
    }

    #[test]
    fn ranges_are_clamped_to_the_span() {
        let span = FrameSpan::covering(4 * F, 8 * F).unwrap();
        assert_eq!(span.frames_inside(0, u64::MAX), 0..4);
        assert_eq!(span.frames_touching(0, 5 * F), 0..1);
        assert_eq!(span.frames_touching(7 * F, u64::MAX), 3..4);
        assert_eq!(span.frames_inside(0, 2 * F).len(), 0);
        assert_eq!(span.frames_inside(9 * F, 12 * F).len(), 0);
    }

    #[test]
    fn frames_below_counts_only_whole_frames() {
        let span = FrameSpan::covering(4 * F, 8 * F).unwrap();
        assert_eq!(span.frames_below(6 * F), 0..2);
        assert_eq!(span.frames_below(6 * F + 1), 0..2);
        assert_eq!(span.frames_below(F).len(), 0);
        assert_eq!(span.frames_below(u64::MAX), 0..4);
    }

    #[test]
    fn alignment_is_by_physical_frame_number() {
        // The span starts at frame 3, so frame 4 (index 1) is 4-aligned.
        let span = FrameSpan::covering(3 * F, 64 * F).unwrap();
        assert_eq!(span.align_index_up(0, 4), Some(1));
        assert_eq!(span.align_index_up(1, 4), Some(1));
        assert_eq!(span.align_index_up(2, 4), Some(5));
        assert_eq!(span.align_index_up(0, 1), Some(0));
    }
}
