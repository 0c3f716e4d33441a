//! Example-based tests of the frame allocator's public behaviour.

use std::collections::HashSet;
use std::vec;
use std::vec::Vec;

use super::FrameAllocator;
use crate::{ContiguousError, FreeError, InitError, OutOfMemory, FRAME_SIZE};

const F: u64 = FRAME_SIZE;

/// Storage sized for `[start, end)`.
fn storage_for(start: u64, end: u64) -> Vec<u64> {
    vec![0; FrameAllocator::words_needed(start, end).unwrap()]
}

/// Allocates until exhaustion, checking that no address repeats.
fn drain(allocator: &mut FrameAllocator<'_>) -> Vec<u64> {
    let mut seen = HashSet::new();
    while let Ok(frame) = allocator.alloc() {
        assert_eq!(frame % F, 0, "misaligned frame {frame:#x}");
        assert!(seen.insert(frame), "frame {frame:#x} handed out twice");
    }
    allocator.assert_consistent();
    let mut frames: Vec<u64> = seen.into_iter().collect();
    frames.sort_unstable();
    frames
}

#[test]
fn words_needed_covers_two_bitmaps() {
    assert_eq!(FrameAllocator::words_needed(0, 0), Ok(0));
    assert_eq!(FrameAllocator::words_needed(0, F), Ok(2));
    assert_eq!(FrameAllocator::words_needed(0, 64 * F), Ok(2));
    assert_eq!(FrameAllocator::words_needed(0, 65 * F), Ok(4));
    // An unaligned span is rounded outward: [F-1, F+1) touches two frames.
    assert_eq!(FrameAllocator::words_needed(F - 1, F + 1), Ok(2));
    assert_eq!(FrameAllocator::words_needed(2 * F, F), Err(InitError::InvalidSpan));
}

#[test]
fn new_rejects_short_storage_and_inverted_span() {
    let mut storage = [0u64; 3];
    assert_eq!(
        FrameAllocator::new(&mut storage, 0, 65 * F).err(),
        Some(InitError::StorageTooSmall { needed_words: 4 })
    );
    assert_eq!(FrameAllocator::new(&mut storage, F, 0).err(), Some(InitError::InvalidSpan));
}

#[test]
fn new_accepts_dirty_and_oversized_storage() {
    let mut storage = vec![u64::MAX; 10];
    let mut allocator = FrameAllocator::new(&mut storage, 0, 64 * F).unwrap();
    assert_eq!(allocator.free_frames(), 0, "stale storage must not look free");
    assert_eq!(allocator.alloc(), Err(OutOfMemory));
    allocator.assert_consistent();
    assert_eq!(&storage[2..], &[u64::MAX; 8], "storage past the bitmaps is untouched");
}

#[test]
fn everything_starts_unavailable() {
    let mut storage = storage_for(0, 1 << 20);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 1 << 20).unwrap();
    assert_eq!(allocator.free_frames(), 0);
    assert_eq!(allocator.total_frames(), 0);
    assert_eq!(allocator.alloc(), Err(OutOfMemory));
    assert_eq!(allocator.alloc_below(u64::MAX), Err(OutOfMemory));
    assert_eq!(allocator.alloc_contiguous(1, 1), Err(ContiguousError::OutOfMemory));
    assert_eq!(allocator.free(0), Err(FreeError::NotManaged));
}

#[test]
fn empty_span_allocates_nothing_and_rejects_every_free() {
    let mut storage: [u64; 0] = [];
    let mut allocator = FrameAllocator::new(&mut storage, 8 * F, 8 * F).unwrap();
    allocator.add_free_range(0, u64::MAX);
    allocator.reserve_range(0, u64::MAX);
    assert_eq!(allocator.total_frames(), 0);
    assert_eq!(allocator.alloc(), Err(OutOfMemory));
    assert_eq!(allocator.free(8 * F), Err(FreeError::OutOfRange));
    assert_eq!(allocator.span_start(), allocator.span_end());
}

#[test]
fn exhaustion_returns_every_frame_once_then_err() {
    let (start, end) = (0x10_0000, 0x10_0000 + 200 * F);
    let mut storage = storage_for(start, end);
    let mut allocator = FrameAllocator::new(&mut storage, start, end).unwrap();
    allocator.add_free_range(start, end);
    assert_eq!(allocator.total_frames(), 200);
    let frames = drain(&mut allocator);
    let expected: Vec<u64> = (0..200).map(|i| start + i * F).collect();
    assert_eq!(frames, expected);
    assert_eq!(allocator.free_frames(), 0);
    assert_eq!(allocator.alloc(), Err(OutOfMemory));
    assert_eq!(allocator.alloc(), Err(OutOfMemory), "exhaustion is stable");
}

#[test]
fn freed_frames_are_reused_after_exhaustion() {
    let mut storage = storage_for(0, 130 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 130 * F).unwrap();
    allocator.add_free_range(0, 130 * F);
    drain(&mut allocator);
    // Free one frame behind the next-fit hint and one ahead of it.
    allocator.free(3 * F).unwrap();
    allocator.free(129 * F).unwrap();
    let mut again = [allocator.alloc().unwrap(), allocator.alloc().unwrap()];
    again.sort_unstable();
    assert_eq!(again, [3 * F, 129 * F]);
    assert_eq!(allocator.alloc(), Err(OutOfMemory));
}

#[test]
fn add_free_range_rounds_inward() {
    let mut storage = storage_for(0, 16 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 16 * F).unwrap();
    allocator.add_free_range(F + 1, 4 * F - 1); // only frame 2 is whole
    assert_eq!(allocator.total_frames(), 1);
    assert_eq!(drain(&mut allocator), vec![2 * F]);
    allocator.add_free_range(5 * F + 10, 5 * F + 20); // no whole frame
    assert_eq!(allocator.total_frames(), 1);
}

#[test]
fn reserve_range_rounds_outward() {
    let mut storage = storage_for(0, 16 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 16 * F).unwrap();
    allocator.add_free_range(0, 16 * F);
    allocator.reserve_range(F + 1, 4 * F - 1); // touches frames 1, 2, 3
    assert_eq!(allocator.free_frames(), 13);
    assert_eq!(allocator.total_frames(), 16);
    let frames = drain(&mut allocator);
    assert!(!frames.contains(&F) && !frames.contains(&(2 * F)) && !frames.contains(&(3 * F)));
    allocator.reserve_range(5 * F + 10, 5 * F + 11); // inside one frame: reserves it
    assert_eq!(allocator.free(5 * F), Ok(()), "an allocated frame stays freeable");
}

#[test]
fn ranges_are_clamped_at_both_span_edges() {
    let (start, end) = (64 * F, 128 * F);
    let mut storage = storage_for(start, end);
    let mut allocator = FrameAllocator::new(&mut storage, start, end).unwrap();
    allocator.add_free_range(0, u64::MAX);
    assert_eq!(allocator.total_frames(), 64);
    let frames = drain(&mut allocator);
    assert_eq!(frames.first(), Some(&start));
    assert_eq!(frames.last(), Some(&(end - F)));
    assert_eq!(allocator.free(start - F), Err(FreeError::OutOfRange));
    assert_eq!(allocator.free(end), Err(FreeError::OutOfRange));
    assert_eq!(allocator.free(start), Ok(()));
    assert_eq!(allocator.free(end - F), Ok(()));
}

#[test]
fn span_reaching_the_top_of_memory_works() {
    let start = u64::MAX - 64 * F + 1; // the last 64 frames
    let mut storage = storage_for(start, u64::MAX);
    let mut allocator = FrameAllocator::new(&mut storage, start, u64::MAX).unwrap();
    allocator.add_free_range(start, u64::MAX);
    // u64::MAX is not a frame boundary, so the last frame is not whole.
    assert_eq!(allocator.total_frames(), 63);
    allocator.reserve_range(u64::MAX - 1, u64::MAX);
    assert_eq!(allocator.total_frames(), 64);
    let frames = drain(&mut allocator);
    assert_eq!(frames.len(), 63);
    assert_eq!(allocator.span_end(), u64::MAX);
    assert_eq!(allocator.free(u64::MAX - (F - 1)), Ok(()), "the reserved top frame can be freed");
}

#[test]
fn reserve_before_add_still_wins() {
    let mut storage = storage_for(0, 8 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 8 * F).unwrap();
    allocator.reserve_range(2 * F, 4 * F);
    allocator.add_free_range(0, 8 * F);
    assert_eq!(allocator.total_frames(), 8);
    assert_eq!(allocator.free_frames(), 6);
    let frames = drain(&mut allocator);
    assert_eq!(frames, vec![0, F, 4 * F, 5 * F, 6 * F, 7 * F]);
}

#[test]
fn adding_again_never_frees_frames_in_use() {
    let mut storage = storage_for(0, 8 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 8 * F).unwrap();
    allocator.add_free_range(0, 8 * F);
    let taken = allocator.alloc().unwrap();
    allocator.add_free_range(0, 8 * F);
    assert_eq!(allocator.free_frames(), 7);
    assert!(!drain(&mut allocator).contains(&taken));
}

#[test]
fn free_detects_misuse_and_changes_nothing() {
    let mut storage = storage_for(0, 8 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 8 * F).unwrap();
    allocator.add_free_range(0, 4 * F); // frames 4..8 stay absent
    let frame = allocator.alloc().unwrap();
    assert_eq!(allocator.free(frame + 1), Err(FreeError::Misaligned));
    assert_eq!(allocator.free(8 * F), Err(FreeError::OutOfRange));
    assert_eq!(allocator.free(u64::MAX - (F - 1)), Err(FreeError::OutOfRange));
    assert_eq!(allocator.free(5 * F), Err(FreeError::NotManaged));
    assert_eq!(allocator.free_frames(), 3);
    assert_eq!(allocator.free(frame), Ok(()));
    assert_eq!(allocator.free(frame), Err(FreeError::NotAllocated), "double free");
    assert_eq!(allocator.free_frames(), 4);
    allocator.assert_consistent();
}

#[test]
fn free_contiguous_is_all_or_nothing() {
    let mut storage = storage_for(0, 16 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 16 * F).unwrap();
    allocator.add_free_range(0, 12 * F); // frames 12..16 absent
    let run = allocator.alloc_contiguous(8, 1).unwrap();
    assert_eq!(run, 0);
    allocator.free(5 * F).unwrap(); // a hole in the run
    assert_eq!(allocator.free_contiguous(0, 8), Err(FreeError::NotAllocated));
    assert_eq!(allocator.free_frames(), 5, "nothing was freed");
    assert_eq!(allocator.free_contiguous(0, 5), Ok(()));
    assert_eq!(allocator.free_frames(), 10);
    // Runs leaving the managed area or the span are refused whole.
    allocator.reserve_range(8 * F, 12 * F);
    let tail = 8 * F;
    assert_eq!(allocator.free_contiguous(tail, 5), Err(FreeError::NotManaged));
    assert_eq!(allocator.free_contiguous(tail, 100), Err(FreeError::OutOfRange));
    assert_eq!(allocator.free_contiguous(tail, usize::MAX), Err(FreeError::OutOfRange));
    assert_eq!(allocator.free_contiguous(tail + 1, 1), Err(FreeError::Misaligned));
    assert_eq!(allocator.free_contiguous(tail, 0), Ok(()));
    assert_eq!(allocator.free_frames(), 6);
    assert_eq!(allocator.free_contiguous(tail, 4), Ok(()));
    assert_eq!(allocator.free_frames(), 10);
    allocator.assert_consistent();
}

#[test]
fn alloc_contiguous_honours_length_and_alignment() {
    // The span starts at an odd frame so alignment must use physical numbers.
    let (start, end) = (3 * F, 3 * F + 1024 * F);
    let mut storage = storage_for(start, end);
    let mut allocator = FrameAllocator::new(&mut storage, start, end).unwrap();
    allocator.add_free_range(start, end);
    let mut runs = Vec::new();
    for (frames, align) in [(1, 1), (3, 4), (16, 16), (5, 64), (512, 512), (2, 2)] {
        let addr = allocator.alloc_contiguous(frames, align).unwrap();
        assert_eq!(addr % (align as u64 * F), 0, "{frames} frames aligned {align}");
        assert!(addr >= start && addr + frames as u64 * F <= end);
        runs.push((addr, frames as u64 * F));
    }
    runs.sort_unstable();
    for pair in runs.windows(2) {
        assert!(pair[0].0 + pair[0].1 <= pair[1].0, "runs overlap: {pair:?}");
    }
    allocator.assert_consistent();
    assert_eq!(allocator.free_frames(), 1024 - (1 + 3 + 16 + 5 + 512 + 2));
}

#[test]
fn alloc_contiguous_skips_fragmented_space() {
    let mut storage = storage_for(0, 200 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 200 * F).unwrap();
    allocator.add_free_range(0, 200 * F);
    // Reserve every 10th frame up to 150: the longest free run there is 9.
    for frame in (0..=150).step_by(10) {
        allocator.reserve_range(frame * F, frame * F + 1);
    }
    assert_eq!(allocator.alloc_contiguous(9, 1), Ok(F));
    assert_eq!(allocator.alloc_contiguous(10, 1), Ok(151 * F));
    // Aligned candidates 16 and 24 hold reserved frames 20 and 30.
    assert_eq!(allocator.alloc_contiguous(8, 8), Ok(32 * F));
    assert_eq!(allocator.alloc_contiguous(200, 1), Err(ContiguousError::OutOfMemory));
    allocator.assert_consistent();
}

#[test]
fn alloc_contiguous_rejects_bad_requests() {
    let mut storage = storage_for(0, 64 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 64 * F).unwrap();
    allocator.add_free_range(0, 64 * F);
    assert_eq!(allocator.alloc_contiguous(0, 1), Err(ContiguousError::ZeroFrames));
    assert_eq!(allocator.alloc_contiguous(1, 0), Err(ContiguousError::BadAlignment));
    assert_eq!(allocator.alloc_contiguous(1, 3), Err(ContiguousError::BadAlignment));
    assert_eq!(allocator.alloc_contiguous(65, 1), Err(ContiguousError::OutOfMemory));
    assert_eq!(allocator.alloc_contiguous(usize::MAX, 1), Err(ContiguousError::OutOfMemory));
    // Frame 0 is aligned to everything; with it taken, huge alignments fail.
    allocator.reserve_range(0, 1);
    assert_eq!(allocator.alloc_contiguous(1, 1 << 62), Err(ContiguousError::OutOfMemory));
    assert_eq!(allocator.alloc_contiguous(1, 1 << 63), Err(ContiguousError::OutOfMemory));
    allocator.free(0).unwrap();
    assert_eq!(allocator.alloc_contiguous(64, 64), Ok(0), "whole span at frame 0");
    assert_eq!(allocator.free_frames(), 0);
}

#[test]
fn alloc_below_takes_the_highest_frame_under_the_limit() {
    let mut storage = storage_for(0, 512 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 512 * F).unwrap();
    allocator.add_free_range(F, 512 * F);
    assert_eq!(allocator.alloc_below(256 * F), Ok(255 * F));
    assert_eq!(allocator.alloc_below(256 * F + 100), Ok(254 * F), "limit inside a frame");
    assert_eq!(allocator.alloc_below(2 * F), Ok(F));
    assert_eq!(allocator.alloc_below(2 * F), Err(OutOfMemory));
    assert_eq!(allocator.alloc_below(0), Err(OutOfMemory));
    assert_eq!(allocator.alloc_below(u64::MAX), Ok(511 * F));
    allocator.assert_consistent();
}

#[test]
fn alloc_contiguous_below_respects_the_limit() {
    let mut storage = storage_for(0, 256 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 256 * F).unwrap();
    allocator.add_free_range(0, 256 * F);
    allocator.reserve_range(0, 100 * F);
    assert_eq!(
        allocator.alloc_contiguous_below(16, 16, 128 * F),
        Ok(112 * F),
        "the only 16-aligned run of 16 ending at or below frame 128"
    );
    assert_eq!(allocator.alloc_contiguous_below(16, 16, 128 * F), Err(ContiguousError::OutOfMemory));
    assert_eq!(allocator.alloc_contiguous_below(12, 1, 112 * F), Ok(100 * F));
}

#[test]
fn reserved_frames_can_be_given_back() {
    let mut storage = storage_for(0, 32 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 32 * F).unwrap();
    allocator.add_free_range(0, 32 * F);
    allocator.reserve_range(8 * F, 16 * F); // an initrd, say
    assert_eq!(allocator.free_frames(), 24);
    allocator.free_contiguous(8 * F, 8).unwrap();
    assert_eq!(allocator.free_frames(), 32);
    assert_eq!(drain(&mut allocator).len(), 32);
}

#[test]
fn next_fit_continues_past_full_words() {
    let mut storage = storage_for(0, 4096 * F);
    let mut allocator = FrameAllocator::new(&mut storage, 0, 4096 * F).unwrap();
    allocator.add_free_range(0, 4096 * F);
    // Addresses come out in order: the hint moves forward instead of
    // rescanning from the start.
    for i in 0..4096 {
        assert_eq!(allocator.alloc(), Ok(i * F));
    }
    assert_eq!(allocator.alloc(), Err(OutOfMemory));
}
