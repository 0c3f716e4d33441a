//! Resource limits and usage (`asm-generic/resource.h`, `linux/resource.h`).
//!
//! x86_64 uses the generic limit numbers. `getrlimit`, `setrlimit` and
//! `prlimit64` all use the same 16-byte `struct rlimit` here, because `long`
//! is already 64 bits.

use crate::time::Timeval;
use crate::wire::{get_i64, get_u64, prefix, put_i64, put_u64};

pub const RLIMIT_CPU: u32 = 0;
pub const RLIMIT_FSIZE: u32 = 1;
pub const RLIMIT_DATA: u32 = 2;
pub const RLIMIT_STACK: u32 = 3;
pub const RLIMIT_CORE: u32 = 4;
pub const RLIMIT_RSS: u32 = 5;
pub const RLIMIT_NPROC: u32 = 6;
pub const RLIMIT_NOFILE: u32 = 7;
pub const RLIMIT_MEMLOCK: u32 = 8;
pub const RLIMIT_AS: u32 = 9;
pub const RLIMIT_LOCKS: u32 = 10;
pub const RLIMIT_SIGPENDING: u32 = 11;
pub const RLIMIT_MSGQUEUE: u32 = 12;
pub const RLIMIT_NICE: u32 = 13;
pub const RLIMIT_RTPRIO: u32 = 14;
pub const RLIMIT_RTTIME: u32 = 15;
/// Number of limits: a resource at or above this is EINVAL.
pub const RLIM_NLIMITS: u32 = 16;

/// "No limit" (`~0UL`).
pub const RLIM_INFINITY: u64 = u64::MAX;

/// `getrusage` targets.
pub const RUSAGE_SELF: i32 = 0;
pub const RUSAGE_CHILDREN: i32 = -1;
/// Only the kernel uses this one internally (self plus children).
pub const RUSAGE_BOTH: i32 = -2;
pub const RUSAGE_THREAD: i32 = 1;

/// `getpriority`/`setpriority` `which` values.
pub const PRIO_PROCESS: i32 = 0;
pub const PRIO_PGRP: i32 = 1;
pub const PRIO_USER: i32 = 2;
/// Nice values range over `PRIO_MIN..=PRIO_MAX - 1`; the raw
/// `getpriority` syscall returns `20 - nice` so it is never negative.
pub const PRIO_MIN: i32 = -20;
pub const PRIO_MAX: i32 = 20;

/// The `RLIMIT_*` name of a resource number, for traces.
pub fn rlimit_name(resource: u32) -> Option<&'static str> {
    const NAMES: [&str; RLIM_NLIMITS as usize] = [
        "RLIMIT_CPU",
        "RLIMIT_FSIZE",
        "RLIMIT_DATA",
        "RLIMIT_STACK",
        "RLIMIT_CORE",
        "RLIMIT_RSS",
        "RLIMIT_NPROC",
        "RLIMIT_NOFILE",
        "RLIMIT_MEMLOCK",
        "RLIMIT_AS",
        "RLIMIT_LOCKS",
        "RLIMIT_SIGPENDING",
        "RLIMIT_MSGQUEUE",
        "RLIMIT_NICE",
        "RLIMIT_RTPRIO",
        "RLIMIT_RTTIME",
    ];
    NAMES.get(resource as usize).copied()
}

/// `struct rlimit` (and `struct rlimit64`, identical on x86_64).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rlimit {
    pub rlim_cur: u64,
    pub rlim_max: u64,
}

impl Rlimit {
    pub const SIZE: usize = 16;
    pub const INFINITE: Self = Self { rlim_cur: RLIM_INFINITY, rlim_max: RLIM_INFINITY };

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.rlim_cur);
        put_u64(&mut b, 8, self.rlim_max);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { rlim_cur: get_u64(b, 0), rlim_max: get_u64(b, 8) })
    }

    /// `setrlimit` refuses a soft limit above the hard one with EINVAL.
    pub fn is_valid(&self) -> bool {
        self.rlim_cur <= self.rlim_max
    }
}

/// `struct rusage`: two timevals, then fourteen `long` counters (most are
/// always zero on Linux, but the slots exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rusage {
    pub ru_utime: Timeval,
    pub ru_stime: Timeval,
    /// Peak resident set, in kilobytes.
    pub ru_maxrss: i64,
    pub ru_ixrss: i64,
    pub ru_idrss: i64,
    pub ru_isrss: i64,
    pub ru_minflt: i64,
    pub ru_majflt: i64,
    pub ru_nswap: i64,
    pub ru_inblock: i64,
    pub ru_oublock: i64,
    pub ru_msgsnd: i64,
    pub ru_msgrcv: i64,
    pub ru_nsignals: i64,
    pub ru_nvcsw: i64,
    pub ru_nivcsw: i64,
}

impl Rusage {
    pub const SIZE: usize = 144;
    pub const OFF_UTIME: usize = 0;
    pub const OFF_STIME: usize = 16;
    /// The first of the fourteen counters; each is 8 bytes after the last.
    pub const OFF_MAXRSS: usize = 32;

    fn counters(&self) -> [i64; 14] {
        [
            self.ru_maxrss,
            self.ru_ixrss,
            self.ru_idrss,
            self.ru_isrss,
            self.ru_minflt,
            self.ru_majflt,
            self.ru_nswap,
            self.ru_inblock,
            self.ru_oublock,
            self.ru_msgsnd,
            self.ru_msgrcv,
            self.ru_nsignals,
            self.ru_nvcsw,
            self.ru_nivcsw,
        ]
    }

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        b[0..16].copy_from_slice(&self.ru_utime.to_bytes());
        b[16..32].copy_from_slice(&self.ru_stime.to_bytes());
        for (i, c) in self.counters().iter().enumerate() {
            put_i64(&mut b, Self::OFF_MAXRSS + 8 * i, *c);
        }
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        let c = |i: usize| get_i64(b, Self::OFF_MAXRSS + 8 * i);
        Some(Self {
            ru_utime: Timeval::from_bytes(&b[0..16])?,
            ru_stime: Timeval::from_bytes(&b[16..32])?,
            ru_maxrss: c(0),
            ru_ixrss: c(1),
            ru_idrss: c(2),
            ru_isrss: c(3),
            ru_minflt: c(4),
            ru_majflt: c(5),
            ru_nswap: c(6),
            ru_inblock: c(7),
            ru_oublock: c(8),
            ru_msgsnd: c(9),
            ru_msgrcv: c(10),
            ru_nsignals: c(11),
            ru_nvcsw: c(12),
            ru_nivcsw: c(13),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names() {
        assert_eq!(rlimit_name(RLIMIT_NOFILE), Some("RLIMIT_NOFILE"));
        assert_eq!(rlimit_name(RLIMIT_RTTIME), Some("RLIMIT_RTTIME"));
        assert_eq!(rlimit_name(RLIM_NLIMITS), None);
    }

    #[test]
    fn rusage_offsets() {
        let r = Rusage { ru_nivcsw: 7, ru_maxrss: 5, ..Default::default() };
        let b = r.to_bytes();
        assert_eq!(b[32], 5);
        assert_eq!(b[136], 7);
    }

    proptest! {
        #[test]
        fn rlimit_round_trip(a: u64, m: u64) {
            let r = Rlimit { rlim_cur: a, rlim_max: m };
            prop_assert_eq!(Rlimit::from_bytes(&r.to_bytes()), Some(r));
        }

        #[test]
        fn rusage_round_trip(t: [i64; 4], c: [i64; 14]) {
            let r = Rusage {
                ru_utime: Timeval { tv_sec: t[0], tv_usec: t[1] },
                ru_stime: Timeval { tv_sec: t[2], tv_usec: t[3] },
                ru_maxrss: c[0], ru_ixrss: c[1], ru_idrss: c[2], ru_isrss: c[3], ru_minflt: c[4],
                ru_majflt: c[5], ru_nswap: c[6], ru_inblock: c[7], ru_oublock: c[8], ru_msgsnd: c[9],
                ru_msgrcv: c[10], ru_nsignals: c[11], ru_nvcsw: c[12], ru_nivcsw: c[13],
            };
            prop_assert_eq!(Rusage::from_bytes(&r.to_bytes()), Some(r));
        }
    }
}
