//! The global allocator: a first-fit free list over a heap that grows, in
//! chunks, through a fixed window of the task's own address space.
//!
//! Memory comes from `mem_alloc` and is mapped with `mem_map` into
//! `abi::ADDRESS_SPACE_SELF_SLOT` right after what is already mapped, so
//! the heap stays one contiguous range starting at [`HEAP_BASE`]. The
//! Memory capability is deleted once mapped (the mapping keeps the pages),
//! so the heap costs no capability slots. Memory is never given back.
//!
//! Free blocks are kept sorted by address, each holding its size and the
//! next block's address in its first 16 bytes; freeing merges a block with
//! its neighbours. Every block address and size is a multiple of [`UNIT`],
//! which is why no block ever needs a header: `dealloc` gets the size back
//! from the layout. Every operation on that list walks it.
//!
//! Small blocks (up to [`SMALL_MAX`] bytes, alignment at most [`UNIT`]) are
//! what servers allocate and free on every request, and a walk over a
//! fragmented list costs far more than the work they do. Freed small
//! blocks therefore go onto a stack per size (at most
//! [`CACHED_PER_SIZE`] each) and the next allocation of that size pops
//! one, without touching the list. Cached blocks are not merged with their
//! neighbours, nor checked for a double free as the list checks; past the
//! bound, a freed block goes back to the list as before.

use crate::lock::SpinLock;
use abi::{ADDRESS_SPACE_SELF_SLOT, PAGE_SIZE, PROT_READ, PROT_WRITE};
use core::alloc::{GlobalAlloc, Layout};
use core::ptr::null_mut;

/// Where the heap starts (the runtime's choice, well clear of the program
/// at 0x400000 and of the thread stacks in `thread.rs`).
pub(crate) const HEAP_BASE: usize = 0x4000_0000_0000;
/// One past the highest heap address.
pub(crate) const HEAP_END: usize = 0x5000_0000_0000;
/// The heap grows by at least this much at a time (64 KiB).
const CHUNK: usize = 16 * PAGE_SIZE as usize;
/// Granularity of blocks: room for a free-list node, and the alignment
/// every allocation gets at least.
const UNIT: usize = core::mem::size_of::<Node>();
/// The largest block kept on a per-size stack.
const SMALL_MAX: usize = 512;
/// Sizes with a stack of their own: UNIT, 2 UNIT, ... SMALL_MAX.
const SIZES: usize = SMALL_MAX / UNIT;
/// Blocks kept per size: 256 blocks of 512 bytes are 128 KiB.
const CACHED_PER_SIZE: u32 = 256;

/// The first bytes of a free block.
#[repr(C)]
#[derive(Clone, Copy)]
struct Node {
    size: usize,
    /// Address of the next free block, 0 at the end of the list.
    next: usize,
}

struct FreeList {
    /// Address of the lowest free block, 0 when there is none.
    head: usize,
    /// One past the last mapped heap byte.
    mapped_end: usize,
    /// Per size (`UNIT` * (index + 1)): the last freed block, 0 for none;
    /// each holds the address of the one freed before it in its first
    /// word.
    cached: [usize; SIZES],
    /// How many blocks each stack holds.
    cached_count: [u32; SIZES],
}

impl FreeList {
    fn node(&self, at: usize) -> Node {
        // SAFETY: `at` is a free block on the list: inside the mapped heap,
        // UNIT-aligned, at least UNIT bytes, and owned by the list (no
        // allocation covers it).
        unsafe { (at as *const Node).read() }
    }

    fn set(&mut self, at: usize, node: Node) {
        // SAFETY: as in `node`; `at` is a block being put on the list,
        // which from now on owns it.
        unsafe { (at as *mut Node).write(node) }
    }

    /// The per-size stack a block of `size` bytes aligned to `align` may
    /// come from or go to.
    fn stack_of(size: usize, align: usize) -> Option<usize> {
        (size <= SMALL_MAX && align <= UNIT).then(|| size / UNIT - 1)
    }

    /// A cached block of exactly `size` bytes, if one waits.
    fn pop_cached(&mut self, size: usize, align: usize) -> Option<usize> {
        let i = Self::stack_of(size, align)?;
        let at = self.cached[i];
        if at == 0 {
            return None;
        }
        // SAFETY: `at` heads stack `i`: a freed block of this size in the
        // mapped heap, UNIT-aligned, owned by the stack, whose first word
        // `push_cached` wrote.
        self.cached[i] = unsafe { (at as *const usize).read() };
        self.cached_count[i] -= 1;
        Some(at)
    }

    /// Keeps a freed block for its size's next allocation; false when it
    /// must go back to the list instead.
    fn push_cached(&mut self, at: usize, size: usize) -> bool {
        let Some(i) = Self::stack_of(size, UNIT) else { return false };
        if self.cached_count[i] >= CACHED_PER_SIZE {
            return false;
        }
        // SAFETY: `at` is a block the allocator handed out, now freed: in
        // the mapped heap, UNIT-aligned, at least UNIT bytes, and from now
        // on owned by the stack.
        unsafe { (at as *mut usize).write(self.cached[i]) };
        self.cached[i] = at;
        self.cached_count[i] += 1;
        true
    }

    /// Takes `size` bytes aligned to `align` from the first block that has
    /// room, returning what is left on either side to the list.
    fn take(&mut self, size: usize, align: usize) -> Option<usize> {
        let mut prev = 0;
        let mut at = self.head;
        while at != 0 {
            let block = self.node(at);
            let end = at + block.size;
            let start = at.checked_next_multiple_of(align)?;
            if start.checked_add(size).is_some_and(|fit| fit <= end) {
                self.unlink(prev, block.next);
                // Both remainders are multiples of UNIT (all of `at`,
                // `start`, `size` and `end` are), so each is empty or
                // large enough to hold a node.
                if start > at {
                    self.put(at, start - at);
                }
                if start + size < end {
                    self.put(start + size, end - (start + size));
                }
                return Some(start);
            }
            prev = at;
            at = block.next;
        }
        None
    }

    fn unlink(&mut self, prev: usize, next: usize) {
        if prev == 0 {
            self.head = next;
        } else {
            let p = self.node(prev);
            self.set(prev, Node { next, ..p });
        }
    }

    /// Returns `[at, at + size)` to the list, merging it with adjacent
    /// free blocks.
    fn put(&mut self, at: usize, size: usize) {
        let mut prev = 0;
        let mut next = self.head;
        while next != 0 && next < at {
            prev = next;
            next = self.node(next).next;
        }
        let (mut size, mut after) = (size, next);
        if next != 0 {
            let n = self.node(next);
            assert!(at + size <= next, "heap: block {at:#x}+{size:#x} overlaps a free block (double free?)");
            if at + size == next {
                size += n.size;
                after = n.next;
            }
        }
        if prev != 0 {
            let p = self.node(prev);
            assert!(prev + p.size <= at, "heap: block {at:#x} overlaps a free block (double free?)");
            if prev + p.size == at {
                self.set(prev, Node { size: p.size + size, next: after });
                return;
            }
            self.set(prev, Node { next: at, ..p });
        } else {
            self.head = at;
        }
        self.set(at, Node { size, next: after });
    }

    /// Maps at least `bytes` more at the end of the heap.
    fn grow(&mut self, bytes: usize) -> bool {
        let Some(bytes) = bytes.max(CHUNK).checked_next_multiple_of(PAGE_SIZE as usize) else {
            return false;
        };
        if self.mapped_end.checked_add(bytes).is_none_or(|end| end > HEAP_END) {
            return false;
        }
        let pages = (bytes / PAGE_SIZE as usize) as u64;
        let Ok(mem) = crate::sys::mem_alloc(pages, 0) else {
            return false;
        };
        let mapped =
            crate::sys::mem_map(ADDRESS_SPACE_SELF_SLOT, mem, self.mapped_end as u64, 0, pages, PROT_READ | PROT_WRITE);
        // The mapping keeps the pages; the slot is not needed any more.
        let _ = crate::sys::cap_delete(mem);
        if mapped.is_err() {
            return false;
        }
        let at = self.mapped_end;
        self.mapped_end += bytes;
        self.put(at, bytes);
        true
    }
}

/// Size and alignment of the block serving `layout`.
fn block_of(layout: Layout) -> Option<(usize, usize)> {
    Some((layout.size().max(UNIT).checked_next_multiple_of(UNIT)?, layout.align().max(UNIT)))
}

pub(crate) struct Heap {
    list: SpinLock<FreeList>,
}

// SAFETY: `alloc` hands out disjoint, mapped, suitably aligned ranges of at
// least the layout's size (taken from the free list, which only holds
// mapped memory no allocation covers) or null; `dealloc` returns exactly the
// block `alloc` made for that layout. The lock serialises threads.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some((size, align)) = block_of(layout) else {
            return null_mut();
        };
        let mut list = self.list.lock();
        if let Some(at) = list.pop_cached(size, align) {
            return at as *mut u8;
        }
        if let Some(at) = list.take(size, align) {
            return at as *mut u8;
        }
        // Enough for the block at any alignment past the current tail.
        match size.checked_add(align) {
            Some(need) if list.grow(need) => list.take(size, align).map_or(null_mut(), |at| at as *mut u8),
            _ => null_mut(),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some((size, _)) = block_of(layout) {
            let mut list = self.list.lock();
            if !list.push_cached(ptr as usize, size) {
                list.put(ptr as usize, size);
            }
        }
    }
}

#[global_allocator]
static HEAP: Heap = Heap {
    list: SpinLock::new(FreeList { head: 0, mapped_end: HEAP_BASE, cached: [0; SIZES], cached_count: [0; SIZES] }),
};
