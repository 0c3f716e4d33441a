//! Test support: an aligned buffer from the host allocator to hand to the
//! heap as a region, freed when dropped.

use core::ptr::NonNull;
use std::alloc::{alloc_zeroed, dealloc, Layout};

pub(crate) struct TestMemory {
    start: NonNull<u8>,
    layout: Layout,
}

impl TestMemory {
    /// `len` zeroed bytes aligned to `align`.
    pub(crate) fn new(len: usize, align: usize) -> Self {
        let layout = Layout::from_size_align(len, align).unwrap();
        assert!(len > 0);
        // SAFETY: the layout has a non-zero size.
        let start = NonNull::new(unsafe { alloc_zeroed(layout) }).expect("host out of memory");
        Self { start, layout }
    }

    pub(crate) fn addr(&self) -> usize {
        self.start.addr().get()
    }

    pub(crate) fn len(&self) -> usize {
        self.layout.size()
    }

    /// Pointer `offset` bytes into the buffer (with its provenance).
    pub(crate) fn at(&self, offset: usize) -> NonNull<u8> {
        assert!(offset <= self.len());
        self.start.map_addr(|addr| addr.saturating_add(offset))
    }
}

impl Drop for TestMemory {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout, freed only here.
        unsafe { dealloc(self.start.as_ptr(), self.layout) }
    }
}
