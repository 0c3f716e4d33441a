//! Time values and clocks (`linux/time.h`, `linux/time_types.h`).
//!
//! On x86_64 every time structure is built from 64-bit fields, so there is
//! one layout per structure: the y2038 `_time64` variants of 32-bit ABIs do
//! not exist here.

use crate::wire::{get_i32, get_i64, prefix, put_i32, put_i64};

pub const CLOCK_REALTIME: i32 = 0;
pub const CLOCK_MONOTONIC: i32 = 1;
pub const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
pub const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
pub const CLOCK_MONOTONIC_RAW: i32 = 4;
pub const CLOCK_REALTIME_COARSE: i32 = 5;
pub const CLOCK_MONOTONIC_COARSE: i32 = 6;
pub const CLOCK_BOOTTIME: i32 = 7;
pub const CLOCK_REALTIME_ALARM: i32 = 8;
pub const CLOCK_BOOTTIME_ALARM: i32 = 9;
/// Retired (SGI hardware); the number stays reserved.
pub const CLOCK_SGI_CYCLE: i32 = 10;
pub const CLOCK_TAI: i32 = 11;
/// Clock ids at or above this are invalid; negative ids name per-process or
/// per-thread CPU clocks and dynamic (fd-based) clocks.
pub const MAX_CLOCKS: i32 = 16;

/// `clock_nanosleep`/`timer_settime` flag: the time is absolute, not relative.
pub const TIMER_ABSTIME: u32 = 1;

/// `setitimer`/`getitimer` timer selectors.
pub const ITIMER_REAL: u32 = 0;
pub const ITIMER_VIRTUAL: u32 = 1;
pub const ITIMER_PROF: u32 = 2;

/// `utimensat` `tv_nsec` values: set this time to now / leave it unchanged.
pub const UTIME_NOW: i64 = (1 << 30) - 1;
pub const UTIME_OMIT: i64 = (1 << 30) - 2;

pub const NSEC_PER_SEC: i64 = 1_000_000_000;
pub const USEC_PER_SEC: i64 = 1_000_000;

/// `struct timespec` (`__kernel_timespec`): seconds and nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timespec {
    pub tv_sec: i64,
    pub tv_nsec: i64,
}

impl Timespec {
    pub const SIZE: usize = 16;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_i64(&mut b, 0, self.tv_sec);
        put_i64(&mut b, 8, self.tv_nsec);
        b
    }

    /// Decodes a user-supplied timespec; range checking is [`Self::is_valid`]'s
    /// job because some callers (utimensat) accept special `tv_nsec` values.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { tv_sec: get_i64(b, 0), tv_nsec: get_i64(b, 8) })
    }

    /// What the kernel's `timespec64_valid` accepts: non-negative seconds and
    /// nanoseconds below one second. Anything else is EINVAL.
    pub fn is_valid(&self) -> bool {
        self.tv_sec >= 0 && (0..NSEC_PER_SEC).contains(&self.tv_nsec)
    }

    pub fn from_nanos(ns: u64) -> Self {
        Self { tv_sec: (ns / NSEC_PER_SEC as u64) as i64, tv_nsec: (ns % NSEC_PER_SEC as u64) as i64 }
    }

    /// Total nanoseconds, or `None` if negative or beyond `u64`.
    pub fn to_nanos(&self) -> Option<u64> {
        if !self.is_valid() {
            return None;
        }
        (self.tv_sec as u64).checked_mul(NSEC_PER_SEC as u64)?.checked_add(self.tv_nsec as u64)
    }
}

/// `struct timeval` (`__kernel_old_timeval`): seconds and microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timeval {
    pub tv_sec: i64,
    pub tv_usec: i64,
}

impl Timeval {
    pub const SIZE: usize = 16;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_i64(&mut b, 0, self.tv_sec);
        put_i64(&mut b, 8, self.tv_usec);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { tv_sec: get_i64(b, 0), tv_usec: get_i64(b, 8) })
    }

    pub fn is_valid(&self) -> bool {
        self.tv_sec >= 0 && (0..USEC_PER_SEC).contains(&self.tv_usec)
    }

    pub fn from_nanos(ns: u64) -> Self {
        Self { tv_sec: (ns / NSEC_PER_SEC as u64) as i64, tv_usec: ((ns % NSEC_PER_SEC as u64) / 1000) as i64 }
    }
}

/// `struct timezone` of `gettimeofday`/`settimeofday`: obsolete but still
/// filled in (Linux reports the value last set, normally zeros).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timezone {
    pub tz_minuteswest: i32,
    pub tz_dsttime: i32,
}

impl Timezone {
    pub const SIZE: usize = 8;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_i32(&mut b, 0, self.tz_minuteswest);
        put_i32(&mut b, 4, self.tz_dsttime);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { tz_minuteswest: get_i32(b, 0), tz_dsttime: get_i32(b, 4) })
    }
}

/// `struct itimerval` of `setitimer`/`getitimer`: period, then time to the
/// next expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Itimerval {
    pub it_interval: Timeval,
    pub it_value: Timeval,
}

impl Itimerval {
    pub const SIZE: usize = 32;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        b[..16].copy_from_slice(&self.it_interval.to_bytes());
        b[16..].copy_from_slice(&self.it_value.to_bytes());
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { it_interval: Timeval::from_bytes(&b[..16])?, it_value: Timeval::from_bytes(&b[16..])? })
    }
}

/// `struct itimerspec` of `timer_settime` and `timerfd_settime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Itimerspec {
    pub it_interval: Timespec,
    pub it_value: Timespec,
}

impl Itimerspec {
    pub const SIZE: usize = 32;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        b[..16].copy_from_slice(&self.it_interval.to_bytes());
        b[16..].copy_from_slice(&self.it_value.to_bytes());
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { it_interval: Timespec::from_bytes(&b[..16])?, it_value: Timespec::from_bytes(&b[16..])? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn layouts() {
        let ts = Timespec { tv_sec: 0x0102030405060708, tv_nsec: 999_999_999 };
        let b = ts.to_bytes();
        assert_eq!(&b[..8], &0x0102030405060708i64.to_le_bytes());
        assert_eq!(&b[8..], &999_999_999i64.to_le_bytes());
        assert_eq!(Timespec::from_bytes(&b[..15]), None);
        let iv =
            Itimerval { it_interval: Timeval { tv_sec: 1, tv_usec: 2 }, it_value: Timeval { tv_sec: 3, tv_usec: 4 } };
        let b = iv.to_bytes();
        assert_eq!(b[0], 1);
        assert_eq!(b[8], 2);
        assert_eq!(b[16], 3);
        assert_eq!(b[24], 4);
    }

    #[test]
    fn validity_and_conversions() {
        assert!(Timespec { tv_sec: 0, tv_nsec: 0 }.is_valid());
        assert!(!Timespec { tv_sec: 0, tv_nsec: NSEC_PER_SEC }.is_valid());
        assert!(!Timespec { tv_sec: -1, tv_nsec: 0 }.is_valid());
        assert_eq!(Timespec::from_nanos(1_500_000_000), Timespec { tv_sec: 1, tv_nsec: 500_000_000 });
        assert_eq!(Timespec { tv_sec: 2, tv_nsec: 5 }.to_nanos(), Some(2_000_000_005));
        assert_eq!(Timeval::from_nanos(1_000_001_999), Timeval { tv_sec: 1, tv_usec: 1 });
        assert!(!Timeval { tv_sec: 0, tv_usec: USEC_PER_SEC }.is_valid());
    }

    proptest! {
        #[test]
        fn round_trips(a: i64, b: i64, c: i64, d: i64, z1: i32, z2: i32) {
            let ts = Timespec { tv_sec: a, tv_nsec: b };
            prop_assert_eq!(Timespec::from_bytes(&ts.to_bytes()), Some(ts));
            let tv = Timeval { tv_sec: a, tv_usec: b };
            prop_assert_eq!(Timeval::from_bytes(&tv.to_bytes()), Some(tv));
            let tz = Timezone { tz_minuteswest: z1, tz_dsttime: z2 };
            prop_assert_eq!(Timezone::from_bytes(&tz.to_bytes()), Some(tz));
            let iv = Itimerval { it_interval: tv, it_value: Timeval { tv_sec: c, tv_usec: d } };
            prop_assert_eq!(Itimerval::from_bytes(&iv.to_bytes()), Some(iv));
            let its = Itimerspec { it_interval: ts, it_value: Timespec { tv_sec: c, tv_nsec: d } };
            prop_assert_eq!(Itimerspec::from_bytes(&its.to_bytes()), Some(its));
        }

        #[test]
        fn nanos_round_trip(ns in 0u64..u64::MAX / 2) {
            prop_assert_eq!(Timespec::from_nanos(ns).to_nanos(), Some(ns));
        }
    }
}
