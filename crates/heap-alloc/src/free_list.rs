//! The general allocator: an address-ordered list of free blocks that
//! coalesces neighbours on free.
//!
//! Each free block starts with a [`FreeBlock`] node (its size and the next
//! block). Allocation is first fit: walk the list, take the first block that
//! holds an aligned run of the size wanted, and give the pieces before and
//! after that run back to the list in place. Freeing walks to the block's
//! place in address order and merges it with the blocks either side when
//! they touch, so free memory never stays split at a boundary that no longer
//! exists, and regions handed over next to each other merge too.
//!
//! Both walks are linear in the number of free blocks. That is acceptable
//! here because small requests never reach this list (the slabs serve them),
//! so it holds few blocks: slabs, large buffers, and the gaps between them.

use core::ptr::NonNull;

use crate::granule::GRANULE;

/// The node at the start of every free block.
#[derive(Clone, Copy)]
#[repr(C)]
struct FreeBlock {
    /// Bytes in this block, node included; a multiple of [`GRANULE`].
    size: usize,
    /// The next free block, at a higher address.
    next: Option<NonNull<FreeBlock>>,
}

// A node must fit in the smallest block and be aligned by any block address.
const _: () = assert!(core::mem::size_of::<FreeBlock>() <= GRANULE);
const _: () = assert!(core::mem::align_of::<FreeBlock>() <= GRANULE);

/// Free memory, as an address-ordered singly linked list of blocks.
///
/// Invariants (relied on by every `unsafe` block in this file):
/// - every node in the list is the start of a block of `size` bytes that
///   this list owns exclusively and may read and write;
/// - addresses and sizes are multiples of [`GRANULE`], sizes are non-zero;
/// - blocks are in increasing address order and neither overlap nor touch
///   (touching blocks are always merged);
/// - `free_bytes` and `block_count` are the sum of sizes and the length.
pub(crate) struct FreeList {
    head: Option<NonNull<FreeBlock>>,
    free_bytes: usize,
    block_count: usize,
}

/// `ptr` moved forward by `bytes`. Callers stay inside one block, so the
/// saturation never happens; it only keeps the function total and safe.
fn byte_offset(ptr: NonNull<u8>, bytes: usize) -> NonNull<u8> {
    ptr.map_addr(|addr| addr.saturating_add(bytes))
}

/// Where an aligned run of `size` bytes starts inside a free block at `start`
/// of `block_size` bytes, as an offset from `start`; `None` if it does not fit.
fn fit(start: usize, block_size: usize, size: usize, align: usize) -> Option<usize> {
    let gap = start.checked_next_multiple_of(align)? - start;
    (gap.checked_add(size)? <= block_size).then_some(gap)
}

impl FreeList {
    pub(crate) const fn new() -> Self {
        Self { head: None, free_bytes: 0, block_count: 0 }
    }

    /// Bytes in all free blocks.
    pub(crate) fn free_bytes(&self) -> usize {
        self.free_bytes
    }

    /// Number of free blocks: 1 per region island when nothing is allocated.
    pub(crate) fn block_count(&self) -> usize {
        self.block_count
    }

    /// Size of the largest free block (a walk of the list).
    pub(crate) fn largest_block(&self) -> usize {
        let mut largest = 0;
        let mut cursor = self.head;
        while let Some(block) = cursor {
            // SAFETY: `block` is in the list, so it is a node we own (invariant).
            let node = unsafe { block.as_ptr().read() };
            largest = largest.max(node.size);
            cursor = node.next;
        }
        largest
    }

    /// Takes `size` bytes aligned to `align` from the first block that can
    /// hold them. `size` must be a non-zero multiple of [`GRANULE`] and
    /// `align` a power of two no smaller than [`GRANULE`]; the memory is the
    /// caller's until it is given back with [`give`](Self::give).
    pub(crate) fn take(&mut self, size: usize, align: usize) -> Option<NonNull<u8>> {
        debug_assert!(size != 0 && size.is_multiple_of(GRANULE), "bad block size {size}");
        debug_assert!(align.is_power_of_two() && align >= GRANULE, "bad alignment {align}");
        // The link that points at the block under inspection: the head, then
        // each block's `next` field in turn.
        let mut link: *mut Option<NonNull<FreeBlock>> = &mut self.head;
        // SAFETY: `link` is `self.head` or the `next` field of a node we own.
        while let Some(block) = unsafe { *link } {
            // SAFETY: `block` is in the list, so it is a node we own.
            let node = unsafe { block.as_ptr().read() };
            let Some(gap) = fit(block.addr().get(), node.size, size, align) else {
                // SAFETY: `block` is a node we own; its `next` field is the next link.
                link = unsafe { &raw mut (*block.as_ptr()).next };
                continue;
            };
            let taken = byte_offset(block.cast(), gap);
            let tail_size = node.size - gap - size;
            // The tail, if any, becomes a block of its own, linked where the
            // taken block was. `gap`, `size` and `node.size` are granule
            // multiples, so a non-empty tail can hold its node.
            let after_taken = if tail_size == 0 {
                node.next
            } else {
                let tail = byte_offset(taken, size).cast::<FreeBlock>();
                // SAFETY: the tail lies inside `block`, which we own, after
                // the taken run; it is granule aligned and at least a granule.
                unsafe { tail.as_ptr().write(FreeBlock { size: tail_size, next: node.next }) };
                self.block_count += 1;
                Some(tail)
            };
            if gap == 0 {
                // The block itself is taken: unlink it.
                // SAFETY: `link` is `self.head` or the `next` field of a node we own.
                unsafe { *link = after_taken };
                self.block_count -= 1;
            } else {
                // The block shrinks to the gap before the taken run.
                // SAFETY: `block` is a node we own; its start is not taken.
                unsafe { block.as_ptr().write(FreeBlock { size: gap, next: after_taken }) };
            }
            self.free_bytes -= size;
            return Some(taken);
        }
        None
    }

    /// Gives `[start, start + size)` to the list, merging it with the free
    /// blocks it touches.
    ///
    /// # Panics
    /// If the block overlaps a block already free: a double free or two
    /// overlapping regions. Carrying on would hand the same memory out twice.
    ///
    /// # Safety
    /// The memory must be valid for reads and writes, not in use by anything
    /// else for as long as the list may hand it out, and no longer used by
    /// the caller. `start` must be [`GRANULE`] aligned, `size` a non-zero
    /// multiple of [`GRANULE`], and `start + size` must not overflow.
    pub(crate) unsafe fn give(&mut self, start: NonNull<u8>, size: usize) {
        debug_assert!(size != 0 && size.is_multiple_of(GRANULE), "bad block size {size}");
        debug_assert!(start.addr().get().is_multiple_of(GRANULE), "misaligned block {start:p}");
        let start_addr = start.addr().get();
        let end_addr = start_addr + size;

        // Find the free blocks just before and just after the new one.
        let mut before: Option<(NonNull<FreeBlock>, FreeBlock)> = None;
        let mut after = self.head;
        while let Some(block) = after {
            if block.addr().get() > start_addr {
                break;
            }
            // SAFETY: `block` is in the list, so it is a node we own.
            let node = unsafe { block.as_ptr().read() };
            after = node.next;
            before = Some((block, node));
        }
        // SAFETY: `after` is in the list, so it is a node we own.
        let after = after.map(|block| (block, unsafe { block.as_ptr().read() }));

        let before_end = before.map(|(block, node)| block.addr().get() + node.size);
        assert!(
            before_end.is_none_or(|end| end <= start_addr),
            "heap block {start:p} freed twice or overlapping a free block"
        );
        let after_start = after.map(|(block, _)| block.addr().get());
        assert!(
            after_start.is_none_or(|next| end_addr <= next),
            "heap block {start:p} freed twice or overlapping a free block"
        );

        // Absorb the following block if it touches the new one.
        let (mut size, next) = match after {
            Some((block, node)) if block.addr().get() == end_addr => {
                self.block_count -= 1;
                (size + node.size, node.next)
            }
            _ => (size, after.map(|(block, _)| block)),
        };
        self.free_bytes += end_addr - start_addr;

        match before {
            Some((block, node)) if before_end == Some(start_addr) => {
                // Extend the preceding block over the new one.
                size += node.size;
                // SAFETY: `block` is a node we own.
                unsafe { block.as_ptr().write(FreeBlock { size, next }) };
            }
            _ => {
                let new = start.cast::<FreeBlock>();
                // SAFETY: the caller gave us this memory; it is granule
                // aligned and at least a granule, so the node fits.
                unsafe { new.as_ptr().write(FreeBlock { size, next }) };
                match before {
                    // SAFETY: `block` is a node we own.
                    Some((block, _)) => unsafe { (*block.as_ptr()).next = Some(new) },
                    None => self.head = Some(new),
                }
                self.block_count += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_memory::TestMemory;
    use std::vec::Vec;

    /// The list's blocks as (offset from `base`, size), checking invariants.
    fn blocks(list: &FreeList, base: &TestMemory) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut cursor = list.head;
        while let Some(block) = cursor {
            // SAFETY: test code walking a list whose invariants it checks.
            let node = unsafe { block.as_ptr().read() };
            out.push((block.addr().get() - base.addr(), node.size));
            cursor = node.next;
        }
        for pair in out.windows(2) {
            assert!(pair[0].0 + pair[0].1 < pair[1].0, "blocks touch or overlap: {out:?}");
        }
        assert_eq!(out.len(), list.block_count());
        assert_eq!(out.iter().map(|b| b.1).sum::<usize>(), list.free_bytes());
        out
    }

    fn give(list: &mut FreeList, memory: &TestMemory, offset: usize, size: usize) {
        // SAFETY: the range is inside `memory`, which outlives the list use,
        // and the tests never give the same bytes twice unless they expect a panic.
        unsafe { list.give(memory.at(offset), size) }
    }

    #[test]
    fn fit_accounts_for_alignment_gap() {
        assert_eq!(fit(0x1000, 64, 64, 16), Some(0));
        assert_eq!(fit(0x1010, 64, 32, 32), Some(16));
        assert_eq!(fit(0x1010, 64, 64, 32), None);
        assert_eq!(fit(usize::MAX - 15, 16, 16, 32), None, "aligning overflows");
        assert_eq!(fit(0x1000, usize::MAX, usize::MAX, 32), Some(0));
        assert_eq!(fit(0x1010, usize::MAX, usize::MAX, 32), None, "size overflows");
    }

    #[test]
    fn take_splits_off_gap_and_tail() {
        let memory = TestMemory::new(4096, 4096);
        let mut list = FreeList::new();
        give(&mut list, &memory, 16, 1024);
        let taken = list.take(64, 256).unwrap();
        assert_eq!(taken.addr().get() - memory.addr(), 256);
        assert_eq!(blocks(&list, &memory), [(16, 240), (320, 720)]);
        assert_eq!(list.free_bytes(), 960);
    }

    #[test]
    fn take_exact_fit_unlinks_the_block() {
        let memory = TestMemory::new(4096, 4096);
        let mut list = FreeList::new();
        give(&mut list, &memory, 0, 64);
        give(&mut list, &memory, 128, 32);
        give(&mut list, &memory, 256, 64);
        assert_eq!(list.take(32, 16).unwrap().addr().get() - memory.addr(), 0);
        assert_eq!(list.take(32, 16).unwrap().addr().get() - memory.addr(), 32);
        assert_eq!(list.take(32, 16).unwrap().addr().get() - memory.addr(), 128);
        assert_eq!(blocks(&list, &memory), [(256, 64)]);
        assert_eq!(list.take(128, 16), None);
        assert_eq!(blocks(&list, &memory), [(256, 64)], "a failed take changes nothing");
    }

    #[test]
    fn give_coalesces_with_both_neighbours() {
        let memory = TestMemory::new(4096, 4096);
        let mut list = FreeList::new();
        give(&mut list, &memory, 0, 64);
        give(&mut list, &memory, 128, 64);
        give(&mut list, &memory, 512, 64);
        assert_eq!(blocks(&list, &memory), [(0, 64), (128, 64), (512, 64)]);
        give(&mut list, &memory, 64, 64); // bridges the first two
        assert_eq!(blocks(&list, &memory), [(0, 192), (512, 64)]);
        give(&mut list, &memory, 448, 64); // touches only the block after
        assert_eq!(blocks(&list, &memory), [(0, 192), (448, 128)]);
        give(&mut list, &memory, 192, 32); // touches only the block before
        assert_eq!(blocks(&list, &memory), [(0, 224), (448, 128)]);
        give(&mut list, &memory, 1024, 16); // touches nothing, goes last
        assert_eq!(blocks(&list, &memory), [(0, 224), (448, 128), (1024, 16)]);
        assert_eq!(list.largest_block(), 224);
        give(&mut list, &memory, 224, 224);
        assert_eq!(blocks(&list, &memory), [(0, 576), (1024, 16)]);
    }

    #[test]
    fn everything_given_back_in_any_order_becomes_one_block() {
        let memory = TestMemory::new(4096, 4096);
        let mut list = FreeList::new();
        give(&mut list, &memory, 0, 4096);
        let pieces: Vec<NonNull<u8>> = (0..64).map(|_| list.take(64, 16).unwrap()).collect();
        assert_eq!(list.free_bytes(), 0);
        assert_eq!(list.block_count(), 0);
        // Give back odd pieces descending, then even pieces ascending.
        let order = (0..64).rev().filter(|i| i % 2 == 1).chain((0..64).filter(|i| i % 2 == 0));
        for i in order {
            // SAFETY: each piece was taken from this list and is given back once.
            unsafe { list.give(pieces[i], 64) };
        }
        assert_eq!(blocks(&list, &memory), [(0, 4096)]);
    }

    #[test]
    #[should_panic(expected = "freed twice")]
    fn giving_a_free_block_again_panics() {
        let memory = TestMemory::new(4096, 4096);
        let mut list = FreeList::new();
        give(&mut list, &memory, 0, 256);
        give(&mut list, &memory, 64, 64);
    }

    #[test]
    #[should_panic(expected = "freed twice")]
    fn giving_a_block_overlapping_the_next_panics() {
        let memory = TestMemory::new(4096, 4096);
        let mut list = FreeList::new();
        give(&mut list, &memory, 256, 256);
        give(&mut list, &memory, 0, 272);
    }
}
