//! The kernel heap: `crates/heap-alloc` behind a lock, growing by whole
//! physically contiguous chunks reached through the direct map.
//!
//! Infallible `alloc` users (Box::new, Vec::push) panic on exhaustion, which
//! stops the kernel with a clear message; code that can recover uses the
//! fallible APIs (`Vec::try_reserve`), which see the null return as an error.

use crate::arch::layout::phys_to_virt;
use crate::mm::frames;
use crate::sync::SpinLock;
use core::alloc::{GlobalAlloc, Layout};
use core::ptr::NonNull;
use heap_alloc::Heap;

/// Smallest growth step: fewer, larger regions keep fragmentation down.
const MIN_GROWTH: usize = 256 * 1024;
const FRAME: usize = 4096;

struct KernelHeap {
    heap: SpinLock<Heap>,
}

#[global_allocator]
static HEAP: KernelHeap = KernelHeap { heap: SpinLock::ranked(crate::sync::Rank::Heap, Heap::new()) };

/// Adds `bytes` (rounded up to frames) of fresh memory to the heap.
///
/// A large step first; when free memory has no run that long (user pages
/// taken and given back one by one leave RAM in small pieces: a fuzz
/// campaign with a thousand processes had 120 MiB free and no 256 KiB
/// run), just the frames the request needs, rather than failing an
/// allocation that fits.
fn grow(heap: &mut Heap, bytes: usize) -> bool {
    let needed = bytes.div_ceil(FRAME).max(1);
    let preferred = bytes.max(MIN_GROWTH).div_ceil(FRAME);
    let Some((phys, frames_wanted)) =
        [preferred, needed].into_iter().find_map(|n| frames::alloc_contiguous(n, 1).ok().map(|p| (p, n)))
    else {
        return false;
    };
    // SAFETY: the frames were just taken from the frame allocator, so nothing
    // else uses them; the direct map covers all RAM for the kernel's life, and
    // the region never overlaps an earlier one (distinct frames).
    unsafe { heap.add_region(phys_to_virt(phys) as *mut u8, frames_wanted * FRAME) };
    true
}

// SAFETY: `alloc` returns memory the heap owns exclusively and that fits the
// layout (heap-alloc's contract); `dealloc` only returns pointers obtained
// from `alloc` with the same layout (GlobalAlloc's contract on callers).
unsafe impl GlobalAlloc for KernelHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let mut heap = self.heap.lock();
        if let Ok(p) = heap.alloc(layout) {
            return p.as_ptr();
        }
        if grow(&mut heap, Heap::bytes_needed_for(layout)) {
            if let Ok(p) = heap.alloc(layout) {
                return p.as_ptr();
            }
        }
        core::ptr::null_mut()
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(p) = NonNull::new(ptr) {
            // SAFETY: the caller passes a pointer from `alloc` with its layout.
            unsafe { self.heap.lock().dealloc(p, layout) }
        }
    }
}

pub fn init() {
    let mut heap = HEAP.heap.lock();
    if !grow(&mut heap, MIN_GROWTH) {
        panic!("no memory for the kernel heap");
    }
}

/// (bytes in use, bytes the heap holds): /proc/meminfo and the in-kernel tests.
pub fn stats() -> (usize, usize) {
    let s = HEAP.heap.lock().stats();
    (s.in_use_bytes(), s.region_bytes)
}
