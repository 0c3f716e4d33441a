//! The sequence lock over the vvar page: one writer (the kernel, under its
//! own lock), any number of readers that never write and never block it.
//!
//! The writer makes three stores, in this order: the counter, now odd; the
//! fields; the counter, now even and different from before. A reader loads
//! the counter, the fields, and the counter again, and keeps the fields
//! only if both counter loads are equal and even: then no store of a
//! publication fell between them, so the fields are one publication's
//! whole, never a mix of two (the model test in `tests/seqlock_model.rs`
//! tries every interleaving it can think of).
//!
//! Ordering: on x86-64 stores are seen in program order and loads are not
//! reordered with each other, so the writer only needs compiler fences
//! between its stores and the reader volatile loads. An architecture with a
//! weaker memory model needs real fences on both sides.

use crate::VvarData;

/// Where a reader's loads go: the mapped vvar page in the vDSO, a model of
/// memory with a concurrent writer in the tests.
pub trait VvarSource {
    /// The 64-bit word at index `word` of the page, loaded once.
    fn load(&mut self, word: usize) -> u64;
    /// Called when the writer was caught mid-publication (a pause hint; on
    /// one CPU this cannot happen, the kernel writes with interrupts off).
    fn relax(&mut self) {}
}

/// A consistent snapshot of the page; `seq` is the (even) counter it was
/// published under.
#[inline]
pub fn read<S: VvarSource>(src: &mut S) -> VvarData {
    loop {
        let seq = src.load(VvarData::SEQ);
        if seq & 1 == 0 {
            let data = VvarData {
                seq,
                flags: src.load(VvarData::FLAGS),
                ns_per_tick_fp: src.load(VvarData::NS_PER_TICK_FP),
                realtime_offset_ns: src.load(VvarData::REALTIME_OFFSET_NS),
                resolution_ns: src.load(VvarData::RESOLUTION_NS),
            };
            if src.load(VvarData::SEQ) == seq {
                return data;
            }
        }
        src.relax();
    }
}

/// The stores that publish one new version of the page: `begin` to the
/// counter, then `body` to the words from [`VvarData::BODY`] on (in any
/// order), then `end` to the counter, each after the one before is visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Publication {
    pub begin: u64,
    pub body: [u64; VvarData::BODY_WORDS],
    pub end: u64,
}

impl Publication {
    /// The publication of `data` (its `seq` is ignored) after the one that
    /// left the counter at `previous`; the writer keeps `end` for next time.
    pub fn new(previous: u64, data: &VvarData) -> Publication {
        let begin = previous.wrapping_add(1) | 1;
        let end = begin.wrapping_add(1);
        let words = data.to_words();
        let mut body = [0u64; VvarData::BODY_WORDS];
        if let Some(fields) = words.get(VvarData::BODY..) {
            body.copy_from_slice(fields);
        }
        Publication { begin, body, end }
    }

    /// The snapshot a reader gets once this publication is complete.
    pub fn result(&self, data: &VvarData) -> VvarData {
        VvarData { seq: self.end, ..*data }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_odd_then_even_and_new() {
        let d = VvarData::default();
        let p = Publication::new(0, &d);
        assert_eq!((p.begin, p.end), (1, 2));
        let q = Publication::new(p.end, &d);
        assert_eq!((q.begin, q.end), (3, 4));
        let wrap = Publication::new(u64::MAX - 1, &d);
        assert_eq!((wrap.begin, wrap.end), (u64::MAX, 0));
        // Even a corrupt (odd) previous counter gives an odd begin.
        assert_eq!(Publication::new(5, &d).begin, 7);
    }

    #[test]
    fn body_is_everything_but_the_counter() {
        let d = VvarData { seq: 77, flags: 1, ns_per_tick_fp: 2, realtime_offset_ns: 3, resolution_ns: 4 };
        let p = Publication::new(0, &d);
        assert_eq!(p.body, [1, 2, 3, 4]);
        assert_eq!(p.result(&d), VvarData { seq: 2, ..d });
    }
}
