//! A snapshot of where the heap's memory is.

/// Where the heap's bytes are. Always
/// `region_bytes == free_bytes + slab_bytes + large_in_use_bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeapStats {
    /// Bytes handed to the heap with `add_region` (after trimming each
    /// region's ends to 16-byte boundaries).
    pub region_bytes: usize,
    /// Bytes in the general free list: what large requests and new slabs
    /// can be carved from.
    pub free_bytes: usize,
    /// Number of blocks in the free list. When nothing is allocated this is
    /// the number of separate (non-adjacent) regions; more means fragmentation.
    pub free_blocks: usize,
    /// Bytes held by slabs, including their free objects and headers.
    pub slab_bytes: usize,
    /// Bytes of slab objects in use, counted at their class size.
    pub small_in_use_bytes: usize,
    /// Bytes of large allocations in use, counted at their block size (the
    /// request rounded up to 16 bytes).
    pub large_in_use_bytes: usize,
}

impl HeapStats {
    /// Bytes handed out to callers, counting the rounding each allocation got.
    pub fn in_use_bytes(&self) -> usize {
        self.small_in_use_bytes + self.large_in_use_bytes
    }
}
