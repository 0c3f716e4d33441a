//! The granule: the unit every heap block is measured in.
//!
//! Every block address and size in the free list is a multiple of
//! [`GRANULE`], and a free-list node fits in one granule. So when a block is
//! split, for alignment or for size, each leftover piece is either empty or
//! big enough to hold its own node: the free list never strands slivers it
//! cannot track, and an allocation never needs to be padded at the back.

use core::alloc::Layout;

/// Size and alignment unit of heap blocks, in bytes.
pub(crate) const GRANULE: usize = 16;

/// Size of the block that serves `layout` from the free list: its size rounded
/// up to whole granules, at least one. (A `Layout`'s size is at most
/// `isize::MAX`, so the rounding cannot overflow.)
pub(crate) fn block_size(layout: Layout) -> usize {
    layout.size().max(1).next_multiple_of(GRANULE)
}

/// Alignment of the block that serves `layout` from the free list.
pub(crate) fn block_align(layout: Layout) -> usize {
    layout.align().max(GRANULE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_size_rounds_up_to_whole_granules() {
        let size = |bytes| block_size(Layout::from_size_align(bytes, 1).unwrap());
        assert_eq!(size(0), GRANULE);
        assert_eq!(size(1), GRANULE);
        assert_eq!(size(16), 16);
        assert_eq!(size(17), 32);
        assert_eq!(size(isize::MAX as usize), 1 << (usize::BITS - 1));
    }

    #[test]
    fn block_align_is_at_least_one_granule() {
        let align = |a| block_align(Layout::from_size_align(1, a).unwrap());
        assert_eq!(align(1), GRANULE);
        assert_eq!(align(16), 16);
        assert_eq!(align(4096), 4096);
    }
}
