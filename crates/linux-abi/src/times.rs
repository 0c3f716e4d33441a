//! `struct tms`, filled in by `times(2)`.
//!
//! The values are in clock ticks of `USER_HZ` (100 on x86_64, the value the
//! kernel also reports as `AT_CLKTCK`), whatever the kernel's own tick rate.

use crate::wire::{get_i64, prefix, put_i64};

/// Clock ticks per second in everything user space sees (`times`,
/// `/proc/*/stat`, `AT_CLKTCK`, `si_utime`/`si_stime`).
pub const USER_HZ: i64 = 100;

/// Process and children CPU times, in [`USER_HZ`] ticks (`clock_t` is `long`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tms {
    pub tms_utime: i64,
    pub tms_stime: i64,
    pub tms_cutime: i64,
    pub tms_cstime: i64,
}

impl Tms {
    pub const SIZE: usize = 32;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_i64(&mut b, 0, self.tms_utime);
        put_i64(&mut b, 8, self.tms_stime);
        put_i64(&mut b, 16, self.tms_cutime);
        put_i64(&mut b, 24, self.tms_cstime);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self {
            tms_utime: get_i64(b, 0),
            tms_stime: get_i64(b, 8),
            tms_cutime: get_i64(b, 16),
            tms_cstime: get_i64(b, 24),
        })
    }
}

/// Converts nanoseconds of CPU time to `clock_t` ticks, truncating as Linux's
/// `nsec_to_clock_t` does.
pub const fn nanos_to_clock_t(ns: u64) -> i64 {
    (ns / (1_000_000_000 / USER_HZ as u64)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ticks() {
        assert_eq!(nanos_to_clock_t(0), 0);
        assert_eq!(nanos_to_clock_t(9_999_999), 0);
        assert_eq!(nanos_to_clock_t(10_000_000), 1);
        assert_eq!(nanos_to_clock_t(2_000_000_000), 200);
    }

    proptest! {
        #[test]
        fn round_trip(a: i64, b: i64, c: i64, d: i64) {
            let t = Tms { tms_utime: a, tms_stime: b, tms_cutime: c, tms_cstime: d };
            let bytes = t.to_bytes();
            prop_assert_eq!(&bytes[16..24], &c.to_le_bytes());
            prop_assert_eq!(Tms::from_bytes(&bytes), Some(t));
        }
    }
}
