//! Example-based tests of the heap's promises.

use core::alloc::Layout;
use std::vec::Vec;

use super::checked_heap::CheckedHeap;
use crate::test_memory::TestMemory;
use crate::{AllocError, Heap};

fn layout(size: usize, align: usize) -> Layout {
    Layout::from_size_align(size, align).unwrap()
}

#[test]
fn empty_heap_fails_cleanly() {
    let mut heap = Heap::new();
    assert_eq!(heap.alloc(layout(1, 1)), Err(AllocError));
    assert_eq!(heap.alloc(layout(100_000, 4096)), Err(AllocError));
    assert_eq!(heap.stats(), Default::default());
}

#[test]
fn zero_size_allocations_are_aligned_and_own_nothing() {
    let mut heap = CheckedHeap::with_region(64 * 1024);
    let before = heap.checked_stats();
    for shift in 0..20 {
        let zero = layout(0, 1 << shift);
        let ptr = heap.alloc(zero).unwrap();
        assert_eq!(ptr.addr().get(), 1 << shift);
        // SAFETY: zero-size allocations own no memory; freeing is a no-op.
        unsafe { heap.heap.dealloc(ptr, zero) };
    }
    assert_eq!(heap.checked_stats(), before);
    // A zero-size allocation works even on an empty heap.
    assert!(Heap::new().alloc(layout(0, 8)).is_ok());
}

#[test]
fn alignment_is_honoured_for_many_sizes_and_alignments() {
    let mut heap = CheckedHeap::with_region(8 << 20);
    let sizes = [
        1, 7, 8, 15, 16, 17, 31, 33, 47, 48, 63, 65, 100, 255, 256, 257, 1000, 1536, 2047, 2048, 2049, 4095, 4096,
        4097, 10_000, 65_536,
    ];
    for &size in &sizes {
        for shift in 0..=13 {
            heap.alloc(layout(size, 1 << shift)).unwrap();
        }
    }
    heap.checked_stats();
    heap.free_all(false);
    heap.checked_stats();
}

#[test]
fn many_small_objects_do_not_overlap_and_keep_their_contents() {
    let mut heap = CheckedHeap::with_region(16 << 20);
    for round in 0..3 {
        for i in 0..3000 {
            heap.alloc(layout(1 + (i * 37 + round) % 2048, 8)).unwrap();
        }
        // Free every other allocation, then allocate again into the holes.
        for (i, addr) in heap.live_addrs().into_iter().enumerate() {
            if i % 2 == 0 {
                heap.free(addr);
            }
        }
        heap.checked_stats();
    }
    heap.free_all(true);
    heap.checked_stats();
}

#[test]
fn freeing_everything_makes_the_whole_region_allocatable_again() {
    const LEN: usize = 1 << 20;
    let mut heap = CheckedHeap::with_region(LEN);
    let mut i = 0;
    // Mixed sizes until the heap is exhausted.
    while heap.alloc(layout([24, 200, 1500, 3000, 9000][i % 5], [8, 16, 64, 4096][i % 4])).is_ok() {
        i += 1;
    }
    assert!(heap.live_count() > 100);
    let live = heap.live_addrs();
    // Free odd-indexed ones first, then the rest: a worst case for merging.
    for addr in live.iter().skip(1).step_by(2).chain(live.iter().step_by(2)) {
        heap.free(*addr);
    }
    let stats = heap.checked_stats();
    assert_eq!(stats.in_use_bytes(), 0);
    // Empty slabs may be cached as spares; a whole-region request reclaims them.
    let everything = heap.alloc(layout(LEN, 16)).expect("the region is whole again");
    assert_eq!(heap.checked_stats().free_bytes, 0);
    assert_eq!(heap.checked_stats().slab_bytes, 0);
    heap.free(everything.addr().get());
    let stats = heap.checked_stats();
    assert_eq!((stats.free_bytes, stats.free_blocks), (LEN, 1));
}

#[test]
fn release_empty_slabs_returns_every_slab() {
    let mut heap = CheckedHeap::with_region(1 << 20);
    for size in (16..=2048).step_by(16) {
        heap.alloc(layout(size, 1)).unwrap();
    }
    assert!(heap.checked_stats().slab_bytes > 0);
    heap.free_all(false);
    heap.heap.release_empty_slabs();
    let stats = heap.checked_stats();
    assert_eq!(stats.slab_bytes, 0);
    assert_eq!((stats.free_bytes, stats.free_blocks), (1 << 20, 1));
    assert_eq!(heap.heap.largest_free_block(), 1 << 20);
}

#[test]
fn out_of_memory_is_an_error_and_the_heap_still_works() {
    let mut heap = CheckedHeap::with_region(64 * 1024);
    assert_eq!(heap.alloc(layout(64 * 1024 + 1, 1)), Err(AllocError));
    let mut count = 0;
    while heap.alloc(layout(1000, 8)).is_ok() {
        count += 1;
    }
    assert!(count >= 40, "only {count} allocations of 1000 bytes fit in 64 KiB");
    assert_eq!(heap.alloc(layout(1000, 8)), Err(AllocError), "stays exhausted");
    assert_eq!(heap.alloc(layout(32 * 1024, 8)), Err(AllocError));
    heap.checked_stats();
    // Free one allocation: exactly that much becomes available again.
    let victim = heap.live_addrs()[3];
    heap.free(victim);
    assert_eq!(heap.alloc(layout(1000, 8)).map(|p| p.addr().get()), Ok(victim));
    heap.free_all(false);
    assert!(heap.alloc(layout(60 * 1024, 16)).is_ok());
}

#[test]
fn absurd_requests_fail_without_panicking() {
    let mut heap = CheckedHeap::with_region(64 * 1024);
    assert_eq!(heap.alloc(layout(isize::MAX as usize - 4095, 4096)), Err(AllocError));
    assert_eq!(heap.alloc(layout(1, 1 << 40)), Err(AllocError));
    assert_eq!(heap.alloc(layout(1, 1 << 62)), Err(AllocError));
    heap.checked_stats();
    assert!(heap.alloc(layout(64, 8)).is_ok());
}

#[test]
fn multiple_regions_serve_requests_that_fit_each() {
    let mut heap = CheckedHeap::new();
    heap.add_buffer(64 * 1024, 4096, &[(0, 64 * 1024)]);
    heap.add_buffer(128 * 1024, 4096, &[(0, 128 * 1024)]);
    assert_eq!(heap.checked_stats().region_bytes, 192 * 1024);
    // Two separate host buffers are (almost surely) not adjacent.
    assert!(heap.checked_stats().free_blocks <= 2);
    let big = heap.alloc(layout(100 * 1024, 16)).unwrap();
    let medium = heap.alloc(layout(60 * 1024, 16)).unwrap();
    assert_ne!(big, medium);
    heap.free_all(false);
    heap.checked_stats();
}

#[test]
fn adjacent_regions_merge_in_either_order() {
    for pieces in [[(0, 32 * 1024), (32 * 1024, 32 * 1024)], [(32 * 1024, 32 * 1024), (0, 32 * 1024)]] {
        let mut heap = CheckedHeap::new();
        heap.add_buffer(64 * 1024, 4096, &pieces);
        let stats = heap.checked_stats();
        assert_eq!((stats.region_bytes, stats.free_blocks), (64 * 1024, 1));
        let whole = heap.alloc(layout(64 * 1024, 4096)).expect("spans both regions");
        heap.free(whole.addr().get());
    }
}

#[test]
fn region_edges_are_trimmed_to_granules() {
    let mut heap = CheckedHeap::new();
    // Starts 3 bytes into a page, so the first 13 bytes are lost; the end
    // lands 5 bytes past a granule boundary, so 5 more are.
    heap.add_buffer(8192, 4096, &[(3, 4096 + 2)]);
    assert_eq!(heap.checked_stats().region_bytes, 4096 + 2 - 13 - 5);
    // Regions too small to hold a granule, and null regions, are ignored.
    heap.add_buffer(4096, 4096, &[(1, 15), (16, 0), (33, 14)]);
    // SAFETY: a null region is documented to be ignored.
    unsafe { heap.heap.add_region(core::ptr::null_mut(), 4096) };
    assert_eq!(heap.checked_stats().region_bytes, 4096 + 2 - 13 - 5);
    assert_eq!(heap.checked_stats().free_blocks, 1);
}

#[test]
fn bytes_needed_for_is_enough_at_the_worst_region_start() {
    let layouts = [
        layout(1, 1),
        layout(48, 16),
        layout(2048, 2048),
        layout(2048, 4096),
        layout(3000, 8),
        layout(5000, 4096),
        layout(100, 8192),
        layout(1 << 20, 64),
    ];
    for wanted in layouts {
        let needed = Heap::bytes_needed_for(wanted);
        // Start the region 16 bytes past a boundary of every alignment the
        // request could need: the largest possible alignment gap.
        let buffer = TestMemory::new(needed + (1 << 16), 1 << 16);
        let mut heap = Heap::new();
        // SAFETY: the region is inside `buffer`, which outlives `heap`.
        unsafe { heap.add_region(buffer.at(16).as_ptr(), needed) };
        assert!(heap.alloc(wanted).is_ok(), "{wanted:?} with {needed} bytes");
    }
    assert_eq!(Heap::bytes_needed_for(layout(0, 4096)), 0);
}

#[test]
fn growing_on_demand_like_the_kernel_works() {
    // The kernel's loop: on failure, add a region of bytes_needed_for and retry.
    let mut buffers: Vec<TestMemory> = Vec::new();
    let mut heap = Heap::new();
    let mut live = Vec::new();
    for i in 0..200usize {
        let wanted = layout(1 + (i * 997) % 20_000, 1 << (i % 13));
        let ptr = match heap.alloc(wanted) {
            Ok(ptr) => ptr,
            Err(AllocError) => {
                let needed = Heap::bytes_needed_for(wanted).next_multiple_of(4096);
                let buffer = TestMemory::new(needed, 4096);
                // SAFETY: the region is `buffer`, kept alive in `buffers`.
                unsafe { heap.add_region(buffer.at(0).as_ptr(), needed) };
                buffers.push(buffer);
                heap.alloc(wanted).expect("a region of bytes_needed_for suffices")
            }
        };
        live.push((ptr, wanted));
    }
    for (ptr, wanted) in live {
        // SAFETY: each allocation is freed once with its layout.
        unsafe { heap.dealloc(ptr, wanted) };
    }
    assert_eq!(heap.stats().in_use_bytes(), 0);
}

#[test]
#[should_panic(expected = "freed twice")]
fn double_free_of_a_large_block_panics() {
    let mut heap = CheckedHeap::with_region(64 * 1024);
    let wanted = layout(10_000, 8);
    let ptr = heap.alloc(wanted).unwrap();
    // SAFETY: deliberately wrong, to see the check fire; the memory stays
    // valid throughout.
    unsafe {
        heap.heap.dealloc(ptr, wanted);
        heap.heap.dealloc(ptr, wanted);
    }
}

#[test]
fn heap_can_sit_in_a_static_behind_a_lock() {
    // What the kernel does with its spinlock; this needs `Heap: Send` and a
    // `const fn new`.
    static HEAP: std::sync::Mutex<Heap> = std::sync::Mutex::new(Heap::new());
    let buffer = TestMemory::new(64 * 1024, 4096);
    let mut heap = HEAP.lock().unwrap();
    // SAFETY: the region is `buffer`, which outlives every use of it below
    // (the heap is emptied again before `buffer` is dropped... and the static
    // is never used elsewhere).
    unsafe { heap.add_region(buffer.at(0).as_ptr(), buffer.len()) };
    let wanted = layout(100, 8);
    let ptr = heap.alloc(wanted).unwrap();
    // SAFETY: allocated just above with this layout.
    unsafe { heap.dealloc(ptr, wanted) };
    *heap = Heap::new();
}
