//! The heap: routes each request to a size class or to the free list, and
//! keeps the accounting.

use core::alloc::Layout;
use core::ptr::NonNull;

use crate::free_list::FreeList;
use crate::granule::{block_align, block_size, GRANULE};
use crate::size_class::{SizeClass, CLASS_COUNT};
use crate::slab_cache::SlabCache;
use crate::{AllocError, HeapStats};

/// The kernel heap. Not thread safe by itself: the kernel puts it behind a
/// lock to make its global allocator.
///
/// Requests of up to 2048 bytes (with an alignment some class has) are served
/// from slabs of fixed-size objects; larger or more aligned ones come from
/// the free list directly. Slabs themselves are blocks of the free list.
pub struct Heap {
    free_list: FreeList,
    caches: [SlabCache; CLASS_COUNT],
    region_bytes: usize,
    small_in_use_bytes: usize,
    large_in_use_bytes: usize,
}

// SAFETY: the heap's raw pointers all point into regions it was given
// exclusively; nothing about them is tied to the thread that added them, so
// the heap may move to (and be used from, one at a time) another thread.
unsafe impl Send for Heap {}

impl Default for Heap {
    fn default() -> Self {
        Self::new()
    }
}

impl Heap {
    /// An empty heap; usable in a `static` initialiser.
    pub const fn new() -> Self {
        let mut caches = [const { SlabCache::new(SizeClass::from_index(0)) }; CLASS_COUNT];
        let mut index = 1;
        while index < CLASS_COUNT {
            caches[index] = SlabCache::new(SizeClass::from_index(index));
            index += 1;
        }
        Self { free_list: FreeList::new(), caches, region_bytes: 0, small_in_use_bytes: 0, large_in_use_bytes: 0 }
    }

    /// Gives the heap `len` bytes of memory at `start`. The ends are trimmed
    /// inward to 16-byte boundaries; a region left empty by that, or a null
    /// `start`, is ignored. A region adjacent to an earlier one merges with it.
    ///
    /// # Panics
    /// If the region overlaps free memory the heap already has.
    ///
    /// # Safety
    /// The memory must be valid for reads and writes, must stay so for as
    /// long as the heap is used, must not be used by anything else, and must
    /// not overlap memory given to the heap before; `start + len` must not
    /// wrap around the address space.
    pub unsafe fn add_region(&mut self, start: *mut u8, len: usize) {
        let Some(start) = NonNull::new(start) else {
            return;
        };
        let addr = start.addr().get();
        let Some(first) = addr.checked_next_multiple_of(GRANULE) else {
            return;
        };
        let Some(end) = addr.checked_add(len) else {
            return;
        };
        let end = end - end % GRANULE;
        if end <= first {
            return;
        }
        let block = start.map_addr(|a| a.saturating_add(first - addr));
        // SAFETY: the caller hands over [start, start + len); the block is the
        // granule-aligned part of it, non-empty and a granule multiple.
        unsafe { self.free_list.give(block, end - first) };
        self.region_bytes += end - first;
    }

    /// Allocates memory for `layout`. Any power-of-two alignment is honoured.
    /// A zero-size layout gets a dangling, suitably aligned pointer that
    /// owns no memory (and that [`dealloc`](Self::dealloc) accepts).
    ///
    /// On `Err` the heap is intact: add a region of
    /// [`bytes_needed_for`](Self::bytes_needed_for) bytes and retry.
    pub fn alloc(&mut self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        if layout.size() == 0 {
            return Ok(layout.dangling_ptr());
        }
        match SizeClass::for_layout(layout) {
            Some(class) => self.alloc_small(class),
            None => self.alloc_large(layout),
        }
    }

    /// Frees memory from [`alloc`](Self::alloc).
    ///
    /// # Panics
    /// On some double frees, detected cheaply, rather than corrupt the heap.
    ///
    /// # Safety
    /// `ptr` must have come from `alloc` on this heap with this same
    /// `layout` (the block's size is recomputed from it) and not been freed
    /// since. The caller must not use the memory afterwards.
    pub unsafe fn dealloc(&mut self, ptr: NonNull<u8>, layout: Layout) {
        if layout.size() == 0 {
            return;
        }
        match SizeClass::for_layout(layout) {
            Some(class) => {
                // SAFETY: the same layout selects the same class, so the
                // caller's promise makes `ptr` a live object of this cache.
                let emptied = unsafe { self.caches[class.index()].dealloc(ptr) };
                self.small_in_use_bytes -= class.object_size();
                if let Some(slab) = emptied {
                    // SAFETY: the cache gave the slab up; it is a slab-sized,
                    // slab-aligned block that came from the free list.
                    unsafe { self.free_list.give(slab, class.slab_size()) };
                }
            }
            None => {
                let size = block_size(layout);
                // SAFETY: the caller's promise makes this the block `alloc`
                // took from the free list for this layout.
                unsafe { self.free_list.give(ptr, size) };
                // After `give`, which panics on a detected double free.
                self.large_in_use_bytes -= size;
            }
        }
    }

    /// Bytes in a new region that guarantee an allocation of `layout`
    /// succeeds, even if the heap has nothing else free and the region starts
    /// at any 16-byte boundary. Includes room for a whole slab for small
    /// layouts, and for the worst alignment gap. Zero for zero-size layouts.
    pub fn bytes_needed_for(layout: Layout) -> usize {
        if layout.size() == 0 {
            return 0;
        }
        let (size, align) = match SizeClass::for_layout(layout) {
            Some(class) => (class.slab_size(), class.slab_size()),
            None => (block_size(layout), block_align(layout)),
        };
        // Both are at most 2^63 for a valid `Layout`, so this cannot
        // saturate on a 64-bit machine; saturating keeps it total anyway.
        size.saturating_add(align - GRANULE)
    }

    /// Gives the empty slabs cached by the size classes back to the free
    /// list. [`alloc`](Self::alloc) does this by itself before failing, so
    /// calling it is only needed to make the free memory contiguous for
    /// inspection or to measure it.
    pub fn release_empty_slabs(&mut self) {
        for cache in &mut self.caches {
            if let Some(slab) = cache.release_spare() {
                let size = cache.class().slab_size();
                // SAFETY: the cache gave the slab up; it is a block of `size`
                // bytes that came from the free list.
                unsafe { self.free_list.give(slab, size) };
            }
        }
    }

    /// Where the heap's memory is.
    pub fn stats(&self) -> HeapStats {
        HeapStats {
            region_bytes: self.region_bytes,
            free_bytes: self.free_list.free_bytes(),
            free_blocks: self.free_list.block_count(),
            slab_bytes: self.caches.iter().map(SlabCache::slab_bytes).sum(),
            small_in_use_bytes: self.small_in_use_bytes,
            large_in_use_bytes: self.large_in_use_bytes,
        }
    }

    /// Size of the largest block in the free list: the largest request with
    /// 16-byte alignment that can succeed without releasing empty slabs. It
    /// walks the free list.
    pub fn largest_free_block(&self) -> usize {
        self.free_list.largest_block()
    }

    fn alloc_small(&mut self, class: SizeClass) -> Result<NonNull<u8>, AllocError> {
        let object = match self.caches[class.index()].alloc() {
            Some(object) => object,
            None => {
                let slab = self.take_block(class.slab_size(), class.slab_size())?;
                // SAFETY: the block came from the free list, so it is ours to
                // hand over; it is slab-sized and slab-aligned.
                unsafe { self.caches[class.index()].alloc_from_new_slab(slab) }
            }
        };
        self.small_in_use_bytes += class.object_size();
        Ok(object)
    }

    fn alloc_large(&mut self, layout: Layout) -> Result<NonNull<u8>, AllocError> {
        let size = block_size(layout);
        let block = self.take_block(size, block_align(layout))?;
        self.large_in_use_bytes += size;
        Ok(block)
    }

    /// A block from the free list, releasing the cached empty slabs and
    /// trying again before giving up.
    fn take_block(&mut self, size: usize, align: usize) -> Result<NonNull<u8>, AllocError> {
        if let Some(block) = self.free_list.take(size, align) {
            return Ok(block);
        }
        self.release_empty_slabs();
        self.free_list.take(size, align).ok_or(AllocError)
    }
}

#[cfg(test)]
mod checked_heap;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod model_tests;
