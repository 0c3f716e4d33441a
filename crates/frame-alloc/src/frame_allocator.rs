//! The frame allocator: the three-state bookkeeping described in the crate
//! documentation, and the searches that hand frames out.

use core::ops::Range;

use crate::bitmap::{word_masks, words_for, Bitmap};
use crate::span::FrameSpan;
use crate::{ContiguousError, FreeError, InitError, OutOfMemory, FRAME_SIZE};

/// Allocates 4 KiB physical frames from a span described by two bitmaps.
///
/// Invariants, checked by the tests after every operation:
/// - every `free` bit is also a `managed` bit;
/// - `free_frames` and `managed_frames` are the bitmaps' population counts.
pub struct FrameAllocator<'a> {
    span: FrameSpan,
    /// Set: the frame is RAM this allocator owns, whether free or in use.
    managed: Bitmap<'a>,
    /// Set: the frame can be allocated.
    free: Bitmap<'a>,
    managed_frames: usize,
    free_frames: usize,
    /// Word of `free` where the next single-frame search starts. Starting
    /// where the last one succeeded (next fit) skips the run of full words
    /// that a first-fit search would rescan on every call.
    next_fit_word: usize,
}

impl<'a> FrameAllocator<'a> {
    /// Words of storage [`new`](Self::new) needs for the span
    /// `[span_start, span_end)`, which is rounded outward to whole frames.
    pub fn words_needed(span_start: u64, span_end: u64) -> Result<usize, InitError> {
        let span = FrameSpan::covering(span_start, span_end)?;
        // Two bitmaps: `managed` and `free`.
        Ok(2 * words_for(span.frame_count()))
    }

    /// An allocator for the physical span `[span_start, span_end)` (rounded
    /// outward to whole frames) whose bitmaps live in `storage`. Every frame
    /// starts absent: nothing can be allocated until ranges are added.
    ///
    /// Storage beyond [`words_needed`](Self::words_needed) is left untouched.
    pub fn new(storage: &'a mut [u64], span_start: u64, span_end: u64) -> Result<Self, InitError> {
        let span = FrameSpan::covering(span_start, span_end)?;
        let words = words_for(span.frame_count());
        if storage.len() < 2 * words {
            return Err(InitError::StorageTooSmall { needed_words: 2 * words });
        }
        let (managed, free) = storage.split_at_mut(words);
        Ok(Self {
            span,
            managed: Bitmap::cleared(managed, span.frame_count()),
            free: Bitmap::cleared(free, span.frame_count()),
            managed_frames: 0,
            free_frames: 0,
            next_fit_word: 0,
        })
    }

    /// Physical address of the first frame of the span.
    pub fn span_start(&self) -> u64 {
        self.span.start_address()
    }

    /// Physical address one past the last frame of the span (saturated at
    /// `u64::MAX` if the span reaches the top of the address space).
    pub fn span_end(&self) -> u64 {
        self.span.end_address()
    }

    /// Frames that can be allocated now.
    pub fn free_frames(&self) -> usize {
        self.free_frames
    }

    /// Frames this allocator owns: free, allocated or reserved.
    pub fn total_frames(&self) -> usize {
        self.managed_frames
    }

    /// Hands the RAM in `[start, end)` to the allocator. The range is rounded
    /// *inward* to whole frames (a partial frame may be shared with something
    /// else) and clamped to the span.
    ///
    /// Only absent frames become free: adding a range again, or one that
    /// overlaps a reservation or an allocation, never frees a frame in use.
    /// This makes overlapping firmware map entries harmless and lets
    /// reservations be made before or after the free ranges are added.
    pub fn add_free_range(&mut self, start: u64, end: u64) {
        let frames = self.span.frames_inside(start, end);
        for (word, mask) in word_masks(frames) {
            let newly_added = mask & !self.managed.word(word);
            self.managed.write_masked(word, newly_added, u64::MAX);
            self.free.write_masked(word, newly_added, u64::MAX);
            let count = newly_added.count_ones() as usize;
            self.managed_frames += count;
            self.free_frames += count;
        }
    }

    /// Marks `[start, end)` in use: for the kernel image, boot modules and the
    /// bitmap storage itself. The range is rounded *outward* to whole frames
    /// (a partly used frame must not be handed out) and clamped to the span.
    ///
    /// Reserved frames become owned by the allocator even if they were absent,
    /// so a later [`add_free_range`](Self::add_free_range) cannot free them
    /// and a later [`free`](Self::free) can give them back. Reserve only RAM.
    pub fn reserve_range(&mut self, start: u64, end: u64) {
        let frames = self.span.frames_touching(start, end);
        for (word, mask) in word_masks(frames) {
            let were_free = self.free.word(word) & mask;
            let were_absent = mask & !self.managed.word(word);
            self.free.write_masked(word, mask, 0);
            self.managed.write_masked(word, mask, u64::MAX);
            self.free_frames -= were_free.count_ones() as usize;
            self.managed_frames += were_absent.count_ones() as usize;
        }
    }

    /// Allocates one frame and returns its physical address.
    pub fn alloc(&mut self) -> Result<u64, OutOfMemory> {
        if self.free_frames == 0 {
            return Err(OutOfMemory);
        }
        let words = self.free.word_count();
        let start = self.next_fit_word.min(words);
        let found = (start..words).chain(0..start).find(|&word| self.free.word(word) != 0).ok_or(OutOfMemory)?;
        let index = found * u64::BITS as usize + self.free.word(found).trailing_zeros() as usize;
        self.next_fit_word = found;
        self.take(index..index + 1);
        Ok(self.span.address_of(index))
    }

    /// Allocates one frame lying wholly below physical address `limit` (for
    /// devices or boot protocols that can only reach low memory).
    ///
    /// Takes the *highest* such frame, so that memory below tighter limits
    /// (the first megabyte, say) is used last.
    pub fn alloc_below(&mut self, limit: u64) -> Result<u64, OutOfMemory> {
        let index = self.free.last_set_in(self.span.frames_below(limit)).ok_or(OutOfMemory)?;
        self.take(index..index + 1);
        Ok(self.span.address_of(index))
    }

    /// Allocates `frames` physically contiguous frames whose first physical
    /// address is a multiple of `align_frames * FRAME_SIZE`, and returns that
    /// address. `align_frames` must be a power of two. For DMA buffers and
    /// huge pages.
    pub fn alloc_contiguous(&mut self, frames: usize, align_frames: usize) -> Result<u64, ContiguousError> {
        self.alloc_contiguous_below(frames, align_frames, u64::MAX)
    }

    /// Like [`alloc_contiguous`](Self::alloc_contiguous), with every frame
    /// lying wholly below physical address `limit` (DMA for devices that
    /// address only 32 or 24 bits).
    pub fn alloc_contiguous_below(
        &mut self,
        frames: usize,
        align_frames: usize,
        limit: u64,
    ) -> Result<u64, ContiguousError> {
        if frames == 0 {
            return Err(ContiguousError::ZeroFrames);
        }
        if !align_frames.is_power_of_two() {
            return Err(ContiguousError::BadAlignment);
        }
        let run = self
            .find_run(self.span.frames_below(limit), frames, align_frames as u64)
            .ok_or(ContiguousError::OutOfMemory)?;
        let address = self.span.address_of(run.start);
        self.take(run);
        Ok(address)
    }

    /// Returns the frame at `addr` to the pool.
    pub fn free(&mut self, addr: u64) -> Result<(), FreeError> {
        self.free_contiguous(addr, 1)
    }

    /// Returns `frames` contiguous frames starting at `addr` to the pool.
    ///
    /// All or nothing: if the address is misaligned, or any frame is outside
    /// the span, absent or already free, nothing changes and the error says
    /// which (checked in that order, over the whole run). Freeing zero frames
    /// at an aligned address succeeds and does nothing.
    pub fn free_contiguous(&mut self, addr: u64, frames: usize) -> Result<(), FreeError> {
        if !addr.is_multiple_of(FRAME_SIZE) {
            return Err(FreeError::Misaligned);
        }
        if frames == 0 {
            return Ok(());
        }
        let first = self.span.index_of(addr).ok_or(FreeError::OutOfRange)?;
        let end =
            first.checked_add(frames).filter(|&end| end <= self.span.frame_count()).ok_or(FreeError::OutOfRange)?;
        // Absent frames are the worse mistake (the caller's address is not
        // RAM we own), so they are reported even if some frame is also free.
        if word_masks(first..end).any(|(word, mask)| self.managed.word(word) & mask != mask) {
            return Err(FreeError::NotManaged);
        }
        if word_masks(first..end).any(|(word, mask)| self.free.word(word) & mask != 0) {
            return Err(FreeError::NotAllocated);
        }
        for (word, mask) in word_masks(first..end) {
            self.free.write_masked(word, mask, u64::MAX);
        }
        self.free_frames += frames;
        Ok(())
    }

    /// The lowest run of `frames` free frames inside `within` whose first
    /// frame number is a multiple of `align_frames`.
    fn find_run(&self, within: Range<usize>, frames: usize, align_frames: u64) -> Option<Range<usize>> {
        let mut candidate = within.start;
        loop {
            let first_free = self.free.first_set_in(candidate..within.end)?;
            let start = self.span.align_index_up(first_free, align_frames)?;
            let end = start.checked_add(frames)?;
            if end > within.end {
                return None;
            }
            match self.free.first_clear_in(start..end) {
                None => return Some(start..end),
                // Every run starting at or before `in_use` contains it, so
                // the next possible run starts just after it.
                Some(in_use) => candidate = in_use + 1,
            }
        }
    }

    /// Marks the free frames of `frames` in use.
    fn take(&mut self, frames: Range<usize>) {
        for (word, mask) in word_masks(frames.clone()) {
            debug_assert_eq!(self.free.word(word) & mask, mask, "taking a frame that is not free");
            self.free.write_masked(word, mask, 0);
        }
        self.free_frames -= frames.len();
    }

    /// Panics unless the struct invariants hold (tests only: it is O(span)).
    #[cfg(test)]
    pub(crate) fn assert_consistent(&self) {
        let mut managed = 0;
        let mut free = 0;
        for word in 0..self.free.word_count() {
            let (m, f) = (self.managed.word(word), self.free.word(word));
            assert_eq!(f & !m, 0, "free frame that is not managed in word {word}");
            managed += m.count_ones() as usize;
            free += f.count_ones() as usize;
        }
        assert_eq!(managed, self.managed_frames, "managed count");
        assert_eq!(free, self.free_frames, "free count");
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod model_tests;
