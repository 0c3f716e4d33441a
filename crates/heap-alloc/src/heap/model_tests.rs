//! Property test: random sequences of allocations and frees, with random
//! sizes, alignments and region layouts, checked by [`CheckedHeap`] after
//! every step, then a check that freeing everything restores each region.

use core::alloc::Layout;
use std::vec::Vec;

use proptest::prelude::*;

use super::checked_heap::CheckedHeap;

#[derive(Debug, Clone)]
enum Op {
    Alloc {
        size: usize,
        align_log2: u32,
    },
    /// Free the live allocation at this index (mod the live count).
    Free(usize),
    ReleaseEmptySlabs,
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        1 => Just(0usize),
        6 => 1usize..=64,
        6 => 1usize..=2048,
        3 => 2049usize..=16_384,
        1 => 16_384usize..=100_000,
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        10 => (size(), prop_oneof![4 => 0u32..=4, 1 => 5u32..=13])
            .prop_map(|(size, align_log2)| Op::Alloc { size, align_log2 }),
        8 => any::<usize>().prop_map(Op::Free),
        1 => Just(Op::ReleaseEmptySlabs),
    ]
}

/// One host buffer, given to the heap as one region or as two adjacent
/// pieces, starting `offset` bytes past a page boundary.
#[derive(Debug, Clone)]
struct RegionPlan {
    len: usize,
    offset: usize,
    split: Option<usize>,
}

fn region_plan() -> impl Strategy<Value = RegionPlan> {
    (16 * 1024usize..=512 * 1024, 0usize..4096, proptest::option::of(0usize..=100)).prop_map(|(len, offset, split)| {
        // Cut on a 16-byte boundary so that the two pieces still touch
        // after the heap trims each one's ends; they must merge.
        let cut = |percent: usize| ((offset + len * percent / 100) & !15).max(offset) - offset;
        RegionPlan { len, offset, split: split.map(cut) }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_workloads_keep_every_promise(
        plans in proptest::collection::vec(region_plan(), 1..=3),
        ops in proptest::collection::vec(op(), 1..600),
    ) {
        let mut heap = CheckedHeap::new();
        for plan in &plans {
            let pieces: Vec<(usize, usize)> = match plan.split {
                None => std::vec![(plan.offset, plan.len)],
                Some(cut) => std::vec![(plan.offset + cut, plan.len - cut), (plan.offset, cut)],
            };
            heap.add_buffer(plan.offset + plan.len, 4096, &pieces);
        }
        let region_bytes = heap.checked_stats().region_bytes;

        for op in ops {
            match op {
                Op::Alloc { size, align_log2 } => {
                    let layout = Layout::from_size_align(size, 1 << align_log2).unwrap();
                    // Out of memory is allowed; everything else CheckedHeap checks.
                    let _ = heap.alloc(layout);
                }
                Op::Free(pick) => {
                    let live = heap.live_addrs();
                    if !live.is_empty() {
                        heap.free(live[pick % live.len()]);
                    }
                }
                Op::ReleaseEmptySlabs => heap.heap.release_empty_slabs(),
            }
            let stats = heap.checked_stats();
            prop_assert_eq!(stats.region_bytes, region_bytes);
        }

        heap.free_all(false);
        heap.heap.release_empty_slabs();
        let stats = heap.checked_stats();
        prop_assert_eq!(stats.free_bytes, region_bytes, "all memory is free again");
        prop_assert_eq!(stats.slab_bytes, 0);
        // Each host buffer coalesced back into one block (separate host
        // buffers are not adjacent, except by chance, when they merge too).
        prop_assert!(stats.free_blocks <= plans.len());
        // Each block is whole again: allocate the largest, then every other.
        let mut blocks = 0;
        while heap.heap.largest_free_block() > 0 {
            let largest = heap.heap.largest_free_block();
            let layout = Layout::from_size_align(largest, 16).unwrap();
            prop_assert!(heap.alloc(layout).is_ok(), "a free block of {} bytes is allocatable", largest);
            blocks += 1;
        }
        prop_assert_eq!(blocks, stats.free_blocks);
    }
}
