//! The vvar page: the one page of data the kernel shares, read-only, with
//! the Linux vDSO (`user/linux-vdso`) in every Linux process, so that
//! `clock_gettime` and friends can answer without a system call.
//!
//! Both sides compile this crate: the kernel writes the page
//! (`kernel/src/mm/vdso.rs`), the vDSO reads it. Everything they must agree
//! on is here and nowhere else:
//!
//! - [`VvarData`]: the `#[repr(C)]` layout of the page's start;
//! - [`seqlock`]: how the kernel publishes a new version and how a reader
//!   gets a consistent snapshot without a lock (a sequence counter that is
//!   odd while the kernel writes);
//! - [`clock`]: the arithmetic from a TSC reading to nanoseconds, the very
//!   function the kernel's own `clock_gettime` uses, so a program that mixes
//!   vDSO and system-call results never sees time go backwards.
#![no_std]
#![forbid(unsafe_code)]

pub mod clock;
pub mod seqlock;

pub use clock::{ns_from_tsc, ns_per_tick_fp, realtime_ns, served_clock, split_ns, ServedClock, NS_PER_SEC};
pub use seqlock::{read, Publication, VvarSource};

use core::mem::{offset_of, size_of};

/// The x86_64 segment selector whose limit is the CPU's number (bits 0-11)
/// and NUMA node (from bit 12): the vDSO's getcpu reads it with `lsl`; the
/// kernel puts that segment in every CPU's descriptor table.
pub const CPU_NUMBER_SELECTOR: u64 = 0x3b;

/// `flags` bit: the clock fields are valid (the TSC is calibrated), so the
/// vDSO may compute time itself. Without it the vDSO makes the real system
/// call, which is always right.
pub const FLAG_CLOCKS_USABLE: u64 = 1 << 0;

/// The start of the vvar page, as both sides see it: 64-bit little-endian
/// words and nothing else, so the kernel writes each field with one atomic
/// store and the vDSO reads each with one load; its words are exactly
/// [`to_words`].
///
/// [`to_words`]: VvarData::to_words
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VvarData {
    /// The sequence counter: odd while the kernel is writing the fields
    /// below, and changed by every publication (see [`seqlock`]).
    pub seq: u64,
    /// [`FLAG_CLOCKS_USABLE`] and nothing else yet.
    pub flags: u64,
    /// Nanoseconds per TSC tick, 32.32 fixed point (see [`ns_from_tsc`]).
    pub ns_per_tick_fp: u64,
    /// Wall-clock time at TSC zero, in nanoseconds since the Unix epoch.
    pub realtime_offset_ns: u64,
    /// What `clock_getres` reports for every clock the vDSO serves.
    pub resolution_ns: u64,
}

impl VvarData {
    /// 64-bit words of the page the layout occupies.
    pub const WORDS: usize = size_of::<VvarData>() / 8;
    /// Word index of each field (its byte offset / 8).
    pub const SEQ: usize = offset_of!(VvarData, seq) / 8;
    pub const FLAGS: usize = offset_of!(VvarData, flags) / 8;
    pub const NS_PER_TICK_FP: usize = offset_of!(VvarData, ns_per_tick_fp) / 8;
    pub const REALTIME_OFFSET_NS: usize = offset_of!(VvarData, realtime_offset_ns) / 8;
    pub const RESOLUTION_NS: usize = offset_of!(VvarData, resolution_ns) / 8;
    /// The fields the sequence counter guards: every word after it.
    pub const BODY: usize = Self::SEQ + 1;
    pub const BODY_WORDS: usize = Self::WORDS - Self::BODY;

    /// The page words of this value, in the order of the `repr(C)` layout.
    pub fn to_words(&self) -> [u64; Self::WORDS] {
        let mut out = [0u64; Self::WORDS];
        for (index, value) in [
            (Self::SEQ, self.seq),
            (Self::FLAGS, self.flags),
            (Self::NS_PER_TICK_FP, self.ns_per_tick_fp),
            (Self::REALTIME_OFFSET_NS, self.realtime_offset_ns),
            (Self::RESOLUTION_NS, self.resolution_ns),
        ] {
            if let Some(slot) = out.get_mut(index) {
                *slot = value;
            }
        }
        out
    }

    /// Whether the vDSO may compute time from this snapshot.
    #[inline]
    pub fn clocks_usable(&self) -> bool {
        self.flags & FLAG_CLOCKS_USABLE != 0 && self.ns_per_tick_fp != 0
    }

    /// The time of `clock` at TSC reading `tsc`, computed exactly as the
    /// kernel's `clock_gettime` computes it (`kernel/src/time.rs`).
    #[inline]
    pub fn clock_ns(&self, clock: ServedClock, tsc: u64) -> u64 {
        let monotonic = ns_from_tsc(tsc, self.ns_per_tick_fp);
        match clock {
            ServedClock::Monotonic => monotonic,
            ServedClock::Realtime => realtime_ns(self.realtime_offset_ns, monotonic),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_five_words_with_the_counter_first() {
        assert_eq!(size_of::<VvarData>(), 5 * 8);
        assert_eq!(VvarData::WORDS, 5);
        assert_eq!(
            (
                VvarData::SEQ,
                VvarData::FLAGS,
                VvarData::NS_PER_TICK_FP,
                VvarData::REALTIME_OFFSET_NS,
                VvarData::RESOLUTION_NS
            ),
            (0, 1, 2, 3, 4)
        );
        assert_eq!((VvarData::BODY, VvarData::BODY_WORDS), (1, 4));
        assert_eq!(core::mem::align_of::<VvarData>(), 8);
    }

    #[test]
    fn words_are_the_fields_in_layout_order() {
        let d = VvarData {
            seq: 6,
            flags: 1,
            ns_per_tick_fp: 0x1122_3344_5566_7788,
            realtime_offset_ns: 9,
            resolution_ns: 2,
        };
        assert_eq!(d.to_words(), [6, 1, 0x1122_3344_5566_7788, 9, 2]);
    }

    #[test]
    fn unusable_without_the_flag_or_a_factor() {
        let mut d = VvarData { flags: FLAG_CLOCKS_USABLE, ns_per_tick_fp: 1 << 32, ..VvarData::default() };
        assert!(d.clocks_usable());
        d.flags = 0;
        assert!(!d.clocks_usable());
        d.flags = FLAG_CLOCKS_USABLE;
        d.ns_per_tick_fp = 0;
        assert!(!d.clocks_usable());
    }
}
