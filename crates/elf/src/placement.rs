//! Where a loader may put an image: every loadable segment, moved by the
//! image's bias, inside the addresses a process may use.
//!
//! [`ElfFile::load_plan`] checks the segments against each other and the
//! file; this checks them against the address space once the bias is
//! known. A loader that has both answers maps each segment with plain
//! arithmetic: none of `p_vaddr + bias`, `+ p_memsz`, the page rounding of
//! either, or `p_offset - (address % page)` can overflow or wrap. Linux
//! finds such segments only while mapping them, past exec's point of no
//! return, and kills the process; a loader using this refuses them while
//! the old program can still go on.

use crate::program_header::ProgramHeader;
use crate::{ElfFile, Error, LoadPlan};

/// The range of addresses a loaded image may occupy, and the page size its
/// segments are mapped in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressRange {
    /// The lowest address a non-empty segment's first page may start at.
    pub min: u64,
    /// No segment may end above it (a multiple of `page`).
    pub limit: u64,
    /// A power of two.
    pub page: u64,
}

/// A segment that does not fit, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Misplaced {
    pub segment: ProgramHeader,
    /// [`Error::SegmentOutsideAddressRange`] or [`Error::SegmentBeforeItsPage`].
    pub reason: Error,
}

impl AddressRange {
    fn page_down(&self, address: u64) -> u64 {
        address & !self.page.wrapping_sub(1)
    }
}

impl ElfFile<'_> {
    /// Checks every `PT_LOAD` segment moved by `bias` (wrapping addition is
    /// refused, not wrapped) against `range`:
    ///
    /// - a segment with bytes in memory starts, rounded down to its page, at
    ///   or above `range.min` and ends at or below `range.limit`;
    /// - an empty one (`p_memsz` 0) still lies at or below `range.limit`:
    ///   it counts for the end of the image, where the program break starts;
    /// - a segment with file bytes can be mapped from the start of its first
    ///   page: `p_offset` is at least the address's offset in that page (with
    ///   `p_align` 0 or 1 the two need not agree otherwise).
    ///
    /// Then `plan.highest_vaddr_end + bias <= range.limit` as well, for the
    /// plan of this file.
    pub fn check_placement(&self, bias: u64, range: AddressRange) -> core::result::Result<(), Misplaced> {
        for segment in self.load_segments() {
            let outside = Misplaced { segment, reason: Error::SegmentOutsideAddressRange };
            let start = segment.vaddr.checked_add(bias).ok_or(outside)?;
            let end = start.checked_add(segment.memsz).ok_or(outside)?;
            if end > range.limit || (segment.memsz != 0 && range.page_down(start) < range.min) {
                return Err(outside);
            }
            let in_page = start & range.page.wrapping_sub(1);
            if segment.filesz != 0 && segment.offset < in_page {
                return Err(Misplaced { segment, reason: Error::SegmentBeforeItsPage });
            }
        }
        Ok(())
    }
}

impl LoadPlan {
    /// The bias that puts a movable image's lowest page at the first
    /// address at or above `base` that is a multiple of its alignment (at
    /// least `page`); `None` if there is no such address.
    pub fn bias_at_or_above(&self, base: u64, page: u64) -> Option<u64> {
        let align = self.max_align.max(page);
        let lowest = self.lowest_vaddr & !page.wrapping_sub(1);
        let aligned_base = base.checked_next_multiple_of(align)?;
        Some(aligned_base.wrapping_sub(lowest))
    }

    /// How much free address space guarantees room for the image at some
    /// aligned base inside it: its span in whole pages plus its alignment
    /// (at least `page`). `None` if that overflows.
    pub fn room_needed(&self, page: u64) -> Option<u64> {
        let align = self.max_align.max(page);
        self.span().checked_next_multiple_of(page)?.checked_add(align)
    }
}
