//! Test support: a heap wrapper that checks every allocation against the
//! promises the heap makes, and owns the host memory behind its regions.

use core::alloc::Layout;
use core::ptr::NonNull;
use std::collections::BTreeMap;
use std::vec::Vec;

use crate::test_memory::TestMemory;
use crate::{AllocError, Heap, HeapStats};

/// A live allocation: its layout and the byte it was filled with.
struct Live {
    ptr: NonNull<u8>,
    layout: Layout,
    fill: u8,
}

pub(crate) struct CheckedHeap {
    pub(crate) heap: Heap,
    /// Host buffers and the (offset, len) of each region carved from them.
    memory: Vec<TestMemory>,
    regions: Vec<(usize, usize)>,
    /// Live non-empty allocations by start address.
    live: BTreeMap<usize, Live>,
    next_fill: u8,
}

impl CheckedHeap {
    pub(crate) fn new() -> Self {
        Self { heap: Heap::new(), memory: Vec::new(), regions: Vec::new(), live: BTreeMap::new(), next_fill: 1 }
    }

    /// A heap with one page-aligned region of `len` bytes.
    pub(crate) fn with_region(len: usize) -> Self {
        let mut heap = Self::new();
        heap.add_buffer(len, 4096, &[(0, len)]);
        heap
    }

    /// Allocates a host buffer and adds the given `(offset, len)` pieces of
    /// it as regions, in the order given.
    pub(crate) fn add_buffer(&mut self, len: usize, align: usize, pieces: &[(usize, usize)]) {
        let buffer = TestMemory::new(len, align);
        for &(offset, piece) in pieces {
            assert!(offset + piece <= len);
            let start = buffer.at(offset);
            // SAFETY: each piece is inside `buffer`, which the wrapper keeps
            // alive as long as the heap, and the pieces do not overlap.
            unsafe { self.heap.add_region(start.as_ptr(), piece) };
            self.regions.push((start.addr().get(), piece));
        }
        self.memory.push(buffer);
    }

    /// Allocates, and checks alignment, containment and non-overlap; fills
    /// the memory with a pattern that [`free`](Self::free) checks.
    pub(crate) fn alloc(&mut self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        let ptr = self.heap.alloc(layout)?;
        let addr = ptr.addr().get();
        assert_eq!(addr % layout.align(), 0, "{layout:?} got misaligned {ptr:p}");
        if layout.size() == 0 {
            return Ok(ptr);
        }
        let end = addr + layout.size();
        assert!(
            self.regions.iter().any(|&(start, len)| start <= addr && end <= start + len)
                || self.spans_adjacent_regions(addr, end),
            "{layout:?} at {ptr:p} is outside every region"
        );
        if let Some((&before, live)) = self.live.range(..=addr).next_back() {
            assert!(before + live.layout.size() <= addr, "{ptr:p} overlaps allocation at {before:#x}");
        }
        if let Some((&after, _)) = self.live.range(addr..).next() {
            assert!(end <= after, "{ptr:p}+{} overlaps allocation at {after:#x}", layout.size());
        }
        let fill = self.next_fill;
        self.next_fill = self.next_fill.wrapping_add(1).max(1);
        // SAFETY: the heap just gave us these `layout.size()` bytes.
        unsafe { ptr.as_ptr().write_bytes(fill, layout.size()) };
        self.live.insert(addr, Live { ptr, layout, fill });
        Ok(ptr)
    }

    /// Whether `[addr, end)` is covered by regions that touch each other
    /// (the heap merges adjacent regions).
    fn spans_adjacent_regions(&self, addr: usize, end: usize) -> bool {
        let mut sorted = self.regions.clone();
        sorted.sort_unstable();
        let mut covered_to = addr;
        for (start, len) in sorted {
            if start <= covered_to && start + len > covered_to {
                covered_to = start + len;
            }
        }
        covered_to >= end
    }

    /// Frees the live allocation at `addr`, checking its contents first.
    pub(crate) fn free(&mut self, addr: usize) {
        let live = self.live.remove(&addr).expect("freeing an address that is not live");
        // SAFETY: the allocation is live, so its bytes are ours to read.
        let bytes = unsafe { core::slice::from_raw_parts(live.ptr.as_ptr(), live.layout.size()) };
        assert!(bytes.iter().all(|&b| b == live.fill), "allocation at {addr:#x} ({:?}) was overwritten", live.layout);
        // SAFETY: allocated by this heap with this layout, freed once.
        unsafe { self.heap.dealloc(live.ptr, live.layout) };
    }

    /// Frees every live allocation, in address order or its reverse.
    pub(crate) fn free_all(&mut self, reverse: bool) {
        let mut addrs: Vec<usize> = self.live.keys().copied().collect();
        if reverse {
            addrs.reverse();
        }
        for addr in addrs {
            self.free(addr);
        }
    }

    pub(crate) fn live_addrs(&self) -> Vec<usize> {
        self.live.keys().copied().collect()
    }

    pub(crate) fn live_count(&self) -> usize {
        self.live.len()
    }

    /// Checks the accounting identities and returns the stats.
    pub(crate) fn checked_stats(&self) -> HeapStats {
        let stats = self.heap.stats();
        assert_eq!(
            stats.region_bytes,
            stats.free_bytes + stats.slab_bytes + stats.large_in_use_bytes,
            "bytes unaccounted for: {stats:?}"
        );
        let requested: usize = self.live.values().map(|live| live.layout.size()).sum();
        assert!(stats.in_use_bytes() >= requested, "{stats:?} < {requested} requested");
        assert!(stats.small_in_use_bytes <= stats.slab_bytes, "{stats:?}");
        if self.live.is_empty() {
            assert_eq!(stats.in_use_bytes(), 0, "{stats:?}");
        }
        stats
    }
}
