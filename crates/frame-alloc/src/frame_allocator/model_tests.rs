//! Property test: random operation sequences against a naive model that keeps
//! one state per frame in a map and answers every query by brute force.

use std::collections::BTreeMap;
use std::vec;
use std::vec::Vec;

use proptest::prelude::*;

use super::FrameAllocator;
use crate::{ContiguousError, FreeError, OutOfMemory, FRAME_SIZE};

const F: u64 = FRAME_SIZE;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Free,
    InUse,
}

/// Frame number -> state; frames not in the map are absent.
struct Model {
    span: core::ops::Range<u64>,
    frames: BTreeMap<u64, State>,
}

impl Model {
    fn count(&self, state: State) -> usize {
        self.frames.values().filter(|&&s| s == state).count()
    }

    fn add(&mut self, start: u64, end: u64) {
        let first = start.div_ceil(F).max(self.span.start);
        let last = (end / F).min(self.span.end);
        for frame in first..last {
            self.frames.entry(frame).or_insert(State::Free);
        }
    }

    fn reserve(&mut self, start: u64, end: u64) {
        let first = (start / F).max(self.span.start);
        let last = end.div_ceil(F).min(self.span.end);
        for frame in first..last {
            self.frames.insert(frame, State::InUse);
        }
    }

    /// Address of the lowest aligned run of free frames wholly below `limit`.
    fn lowest_run(&self, frames: u64, align: u64, limit: u64) -> Option<u64> {
        let limit_frame = (limit / F).min(self.span.end);
        (self.span.start..limit_frame)
            .filter(|frame| frame % align == 0)
            .take_while(|frame| frame + frames <= limit_frame)
            .find(|&frame| (frame..frame + frames).all(|f| self.frames.get(&f) == Some(&State::Free)))
            .map(|frame| frame * F)
    }

    fn free_result(&self, addr: u64, frames: u64) -> Result<(), FreeError> {
        if !addr.is_multiple_of(F) {
            return Err(FreeError::Misaligned);
        }
        if frames == 0 {
            return Ok(());
        }
        let first = addr / F;
        if first < self.span.start || first + frames > self.span.end {
            return Err(FreeError::OutOfRange);
        }
        let states: Vec<Option<&State>> = (first..first + frames).map(|f| self.frames.get(&f)).collect();
        if states.contains(&None) {
            Err(FreeError::NotManaged)
        } else if states.contains(&Some(&State::Free)) {
            Err(FreeError::NotAllocated)
        } else {
            Ok(())
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    Add(u64, u64),
    Reserve(u64, u64),
    Alloc,
    AllocBelow(u64),
    AllocContiguous {
        frames: usize,
        align_log2: u32,
        limit: u64,
    },
    /// Free one of the addresses handed out so far (by index), or a wild one.
    FreeHandedOut(usize),
    FreeWild(u64, usize),
}

/// Addresses around a span of frames `[lo, hi)`, often on a frame boundary.
fn address(lo: u64, hi: u64) -> impl Strategy<Value = u64> {
    (lo.saturating_sub(3)..hi + 3, prop_oneof![3 => Just(0u64), 1 => 1..F])
        .prop_map(|(frame, offset)| frame * F + offset)
}

fn op(lo: u64, hi: u64) -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (address(lo, hi), address(lo, hi)).prop_map(|(a, b)| Op::Add(a, b)),
        1 => (address(lo, hi), address(lo, hi)).prop_map(|(a, b)| Op::Reserve(a, b)),
        6 => Just(Op::Alloc),
        2 => address(lo, hi).prop_map(Op::AllocBelow),
        2 => (0usize..12, 0u32..5, prop_oneof![Just(u64::MAX), address(lo, hi)])
            .prop_map(|(frames, align_log2, limit)| Op::AllocContiguous { frames, align_log2, limit }),
        5 => any::<usize>().prop_map(Op::FreeHandedOut),
        1 => (address(lo, hi), 0usize..6).prop_map(|(a, n)| Op::FreeWild(a, n)),
    ]
}

fn scenario() -> impl Strategy<Value = (u64, u64, Vec<Op>)> {
    (0u64..100, 0u64..300)
        .prop_flat_map(|(lo, len)| (Just(lo), Just(lo + len), proptest::collection::vec(op(lo, lo + len), 1..200)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn allocator_matches_model((lo, hi, ops) in scenario()) {
        let mut storage = vec![0; FrameAllocator::words_needed(lo * F, hi * F).unwrap()];
        let mut allocator = FrameAllocator::new(&mut storage, lo * F, hi * F).unwrap();
        let mut model = Model { span: lo..hi, frames: BTreeMap::new() };
        // Runs handed out: (address, frames).
        let mut handed_out: Vec<(u64, usize)> = Vec::new();

        for op in ops {
            match op {
                Op::Add(a, b) => {
                    allocator.add_free_range(a, b);
                    model.add(a, b);
                }
                Op::Reserve(a, b) => {
                    allocator.reserve_range(a, b);
                    model.reserve(a, b);
                }
                Op::Alloc => match allocator.alloc() {
                    Ok(addr) => {
                        prop_assert_eq!(addr % F, 0);
                        prop_assert_eq!(model.frames.get(&(addr / F)), Some(&State::Free));
                        model.frames.insert(addr / F, State::InUse);
                        handed_out.push((addr, 1));
                    }
                    Err(OutOfMemory) => prop_assert_eq!(model.count(State::Free), 0),
                },
                Op::AllocBelow(limit) => {
                    let expected = model
                        .frames
                        .range(..limit / F)
                        .rev()
                        .find(|(_, &s)| s == State::Free)
                        .map(|(&frame, _)| frame * F);
                    prop_assert_eq!(allocator.alloc_below(limit).ok(), expected);
                    if let Some(addr) = expected {
                        model.frames.insert(addr / F, State::InUse);
                        handed_out.push((addr, 1));
                    }
                }
                Op::AllocContiguous { frames, align_log2, limit } => {
                    let align = 1usize << align_log2;
                    let result = allocator.alloc_contiguous_below(frames, align, limit);
                    if frames == 0 {
                        prop_assert_eq!(result, Err(ContiguousError::ZeroFrames));
                        continue;
                    }
                    let expected = model.lowest_run(frames as u64, align as u64, limit);
                    prop_assert_eq!(result.ok(), expected);
                    if let Some(addr) = expected {
                        for frame in addr / F..addr / F + frames as u64 {
                            model.frames.insert(frame, State::InUse);
                        }
                        handed_out.push((addr, frames));
                    }
                }
                Op::FreeHandedOut(pick) => {
                    if handed_out.is_empty() {
                        continue;
                    }
                    let (addr, frames) = handed_out.swap_remove(pick % handed_out.len());
                    // Frames handed out may since have been freed wildly, so
                    // the model decides; usually this succeeds.
                    let expected = model.free_result(addr, frames as u64);
                    prop_assert_eq!(allocator.free_contiguous(addr, frames), expected);
                    if expected.is_ok() {
                        for frame in addr / F..addr / F + frames as u64 {
                            model.frames.insert(frame, State::Free);
                        }
                    }
                }
                Op::FreeWild(addr, frames) => {
                    let expected = model.free_result(addr, frames as u64);
                    let result = if frames == 1 {
                        allocator.free(addr)
                    } else {
                        allocator.free_contiguous(addr, frames)
                    };
                    prop_assert_eq!(result, expected);
                    if expected.is_ok() {
                        for frame in addr / F..addr / F + frames as u64 {
                            model.frames.insert(frame, State::Free);
                        }
                    }
                }
            }
            allocator.assert_consistent();
            prop_assert_eq!(allocator.free_frames(), model.count(State::Free));
            prop_assert_eq!(allocator.total_frames(), model.frames.len());
        }

        // Whatever happened, every free frame can still be allocated exactly once.
        let free = allocator.free_frames();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..free {
            let addr = allocator.alloc().unwrap();
            prop_assert_eq!(model.frames.get(&(addr / F)), Some(&State::Free));
            prop_assert!(seen.insert(addr));
        }
        prop_assert_eq!(allocator.alloc(), Err(OutOfMemory));
    }
}
