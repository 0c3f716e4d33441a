//! The usable-RAM map: the loader's raw entries, checked and cleaned.
//!
//! Rules, in the order they are applied:
//! 1. Entries of size 0 are skipped. Entries whose end does not fit in 64 bits
//!    are skipped if RAM, and taken to reach the top of memory otherwise.
//! 2. Each RAM entry is trimmed inward to page boundaries on its own (what is
//!    left of a partial page is not usable, even if another RAM entry holds
//!    the rest of that page), then merged with others where they overlap or
//!    touch.
//! 3. Every non-RAM entry (any kind other than [`MemoryKind::Ram`], unknown
//!    kinds included), widened outward to page boundaries, is cut out of the
//!    RAM: reserved always wins, whatever the entries' order.
//!
//! Every odd thing is reported as a [`Diagnostic`], in the order found: all
//! RAM entries first, then all others. Nothing is ever fatal.

use crate::memory_region::{MemoryKind, RawMemoryRegion};
use crate::range_list::RangeList;
use crate::PAGE_SIZE;

/// Page-aligned `[start, end)` of usable RAM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UsableRange {
    pub start: u64,
    pub end: u64,
}

impl UsableRange {
    pub const fn len(self) -> u64 {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start >= self.end
    }
}

/// Something in the loader's memory map worth a log line. `index` is the
/// entry's position in the loader's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Diagnostic {
    /// Size 0: ignored.
    ZeroSize { index: usize, region: RawMemoryRegion },
    /// `addr + size` overflows 64 bits: ignored if RAM, else reserved to the
    /// top of memory.
    Wraps { index: usize, region: RawMemoryRegion },
    /// RAM whose start or end is not page aligned: trimmed inward.
    UnalignedRam { index: usize, region: RawMemoryRegion },
    /// RAM that holds no whole page: ignored.
    RamTooSmall { index: usize, region: RawMemoryRegion },
    /// RAM overlapping RAM from an earlier entry: merged.
    OverlappingRam { index: usize, region: RawMemoryRegion },
    /// A non-RAM entry covering (part of) RAM: that part is not usable.
    ReservedOverlapsRam { index: usize, region: RawMemoryRegion },
    /// The map is full: this usable range was left out (always the smallest
    /// one, so the least memory is lost).
    CapacityExceeded { dropped: UsableRange },
}

/// At most `N` usable RAM ranges: sorted, disjoint, never touching (touching
/// ranges are merged), page aligned and non-empty.
pub struct MemoryMap<const N: usize> {
    ranges: RangeList<N>,
}

impl<const N: usize> Default for MemoryMap<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> MemoryMap<N> {
    /// A map with no usable memory.
    pub const fn new() -> Self {
        Self { ranges: RangeList::new() }
    }

    /// Builds the map from raw entries. The iterator is walked twice (RAM,
    /// then the rest), which is why it must be `Clone`; a slice's
    /// `iter().copied()` is.
    pub fn from_regions<I, F>(regions: I, mut report: F) -> Self
    where
        I: IntoIterator<Item = RawMemoryRegion>,
        I::IntoIter: Clone,
        F: FnMut(Diagnostic),
    {
        let mut map = Self::new();
        let regions = regions.into_iter();
        for (index, region) in regions.clone().enumerate() {
            if region.kind == MemoryKind::Ram {
                map.add_ram(index, region, &mut report);
            }
        }
        for (index, region) in regions.enumerate() {
            if region.kind != MemoryKind::Ram {
                map.cut_out_reserved(index, region, &mut report);
            }
        }
        map
    }

    /// The usable ranges, in ascending order.
    pub fn ranges(&self) -> &[UsableRange] {
        self.ranges.as_slice()
    }

    /// Total usable bytes.
    pub fn usable_bytes(&self) -> u64 {
        // Disjoint ranges inside 2^64 cannot sum past 2^64 - 1.
        self.ranges().iter().map(|r| r.len()).sum()
    }

    /// Whether the page holding `addr` is usable.
    pub fn contains(&self, addr: u64) -> bool {
        self.ranges().iter().any(|r| r.start <= addr && addr < r.end)
    }

    /// Carves `[start, end)` out, widened to whole pages: the kernel image,
    /// boot modules, the start-info page, anything already in use. An empty or
    /// inverted range removes nothing.
    ///
    /// Returns the range that had to be dropped if splitting a range needed a
    /// slot the full map did not have (the smallest range goes; see
    /// [`Diagnostic::CapacityExceeded`]).
    #[must_use = "a dropped range should be logged"]
    pub fn remove(&mut self, start: u64, end: u64) -> Option<UsableRange> {
        let mut dropped = None;
        self.ranges.remove(align_down(start), align_up_saturating(end), &mut |range| dropped = Some(range));
        dropped
    }

    fn add_ram(&mut self, index: usize, region: RawMemoryRegion, report: &mut impl FnMut(Diagnostic)) {
        let Some(end) = checked_end(index, region, report) else {
            return;
        };
        let start = match region.addr.checked_add(PAGE_SIZE - 1) {
            Some(bumped) => align_down(bumped),
            None => {
                report(Diagnostic::RamTooSmall { index, region });
                return;
            }
        };
        let end_aligned = align_down(end);
        if start >= end_aligned {
            report(Diagnostic::RamTooSmall { index, region });
            return;
        }
        if start != region.addr || end_aligned != end {
            report(Diagnostic::UnalignedRam { index, region });
        }
        let range = UsableRange { start, end: end_aligned };
        let overlapped = self.ranges.insert(range, &mut |dropped| report(Diagnostic::CapacityExceeded { dropped }));
        if overlapped {
            report(Diagnostic::OverlappingRam { index, region });
        }
    }

    fn cut_out_reserved(&mut self, index: usize, region: RawMemoryRegion, report: &mut impl FnMut(Diagnostic)) {
        if region.size == 0 {
            report(Diagnostic::ZeroSize { index, region });
            return;
        }
        let end = match region.addr.checked_add(region.size) {
            Some(end) => end,
            None => {
                // Conservative: a wrapping reservation claims everything above its start.
                report(Diagnostic::Wraps { index, region });
                u64::MAX
            }
        };
        let start = align_down(region.addr);
        let removed = self
            .ranges
            .remove(start, align_up_saturating(end), &mut |dropped| report(Diagnostic::CapacityExceeded { dropped }));
        if removed {
            report(Diagnostic::ReservedOverlapsRam { index, region });
        }
    }
}

/// The exclusive end of a region, or `None` (reported) if it is empty or wraps.
fn checked_end(index: usize, region: RawMemoryRegion, report: &mut impl FnMut(Diagnostic)) -> Option<u64> {
    if region.size == 0 {
        report(Diagnostic::ZeroSize { index, region });
        return None;
    }
    let end = region.addr.checked_add(region.size);
    if end.is_none() {
        report(Diagnostic::Wraps { index, region });
    }
    end
}

const fn align_down(addr: u64) -> u64 {
    addr & !(PAGE_SIZE - 1)
}

/// Rounds up to a page boundary; past the last boundary, returns `u64::MAX`,
/// which as an exclusive end still covers every page a range can hold.
const fn align_up_saturating(addr: u64) -> u64 {
    match addr.checked_add(PAGE_SIZE - 1) {
        Some(bumped) => align_down(bumped),
        None => u64::MAX,
    }
}
