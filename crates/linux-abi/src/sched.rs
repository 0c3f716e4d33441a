//! Scheduling policies and `struct sched_attr` (`linux/sched.h`,
//! `linux/sched/types.h`), I/O priorities (`linux/ioprio.h`) and kcmp's
//! object types (`linux/kcmp.h`).

use crate::wire::{get_i32, get_u32, get_u64, put_i32, put_u32, put_u64};

pub const SCHED_NORMAL: u32 = 0;
pub const SCHED_FIFO: u32 = 1;
pub const SCHED_RR: u32 = 2;
pub const SCHED_BATCH: u32 = 3;
pub const SCHED_IDLE: u32 = 5;
pub const SCHED_DEADLINE: u32 = 6;
/// Or-ed into a policy (sched_setscheduler): children start over with
/// SCHED_NORMAL and a non-negative nice value.
pub const SCHED_RESET_ON_FORK: u32 = 0x4000_0000;

pub const SCHED_FLAG_RESET_ON_FORK: u64 = 0x01;
pub const SCHED_FLAG_RECLAIM: u64 = 0x02;
pub const SCHED_FLAG_DL_OVERRUN: u64 = 0x04;
pub const SCHED_FLAG_KEEP_POLICY: u64 = 0x08;
pub const SCHED_FLAG_KEEP_PARAMS: u64 = 0x10;
pub const SCHED_FLAG_UTIL_CLAMP_MIN: u64 = 0x20;
pub const SCHED_FLAG_UTIL_CLAMP_MAX: u64 = 0x40;
/// Every flag sched_setattr accepts.
pub const SCHED_FLAG_ALL: u64 = 0x7f;

/// The real-time priorities of SCHED_FIFO and SCHED_RR.
pub const MIN_RT_PRIO: u32 = 1;
pub const MAX_RT_PRIO: u32 = 99;
/// The SCHED_RR time slice Linux reports (`sched_rr_timeslice_ms`).
pub const RR_TIMESLICE_NS: u64 = 100_000_000;

/// The first `struct sched_attr` (Linux 3.14) and the one with utilization
/// clamps (5.3); a larger one is accepted when its tail is zero.
pub const SCHED_ATTR_SIZE_VER0: u32 = 48;
pub const SCHED_ATTR_SIZE_VER1: u32 = 56;

/// `struct sched_attr` as of `SCHED_ATTR_SIZE_VER1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SchedAttr {
    pub size: u32,
    pub policy: u32,
    pub flags: u64,
    pub nice: i32,
    pub priority: u32,
    pub runtime: u64,
    pub deadline: u64,
    pub period: u64,
    pub util_min: u32,
    pub util_max: u32,
}

impl SchedAttr {
    pub const SIZE: usize = SCHED_ATTR_SIZE_VER1 as usize;
    pub const OFF_SIZE: usize = 0;

    /// Reads the first `SIZE` bytes (a shorter buffer is zero-extended, as
    /// Linux reads a VER0 structure).
    pub fn from_bytes(b: &[u8]) -> SchedAttr {
        let mut full = [0u8; Self::SIZE];
        let n = b.len().min(Self::SIZE);
        full[..n].copy_from_slice(&b[..n]);
        let b = &full;
        SchedAttr {
            size: get_u32(b, 0),
            policy: get_u32(b, 4),
            flags: get_u64(b, 8),
            nice: get_i32(b, 16),
            priority: get_u32(b, 20),
            runtime: get_u64(b, 24),
            deadline: get_u64(b, 32),
            period: get_u64(b, 40),
            util_min: get_u32(b, 48),
            util_max: get_u32(b, 52),
        }
    }

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u32(&mut b, 0, self.size);
        put_u32(&mut b, 4, self.policy);
        put_u64(&mut b, 8, self.flags);
        put_i32(&mut b, 16, self.nice);
        put_u32(&mut b, 20, self.priority);
        put_u64(&mut b, 24, self.runtime);
        put_u64(&mut b, 32, self.deadline);
        put_u64(&mut b, 40, self.period);
        put_u32(&mut b, 48, self.util_min);
        put_u32(&mut b, 52, self.util_max);
        b
    }
}

pub const IOPRIO_CLASS_SHIFT: u32 = 13;
pub const IOPRIO_CLASS_NONE: u32 = 0;
pub const IOPRIO_CLASS_RT: u32 = 1;
pub const IOPRIO_CLASS_BE: u32 = 2;
pub const IOPRIO_CLASS_IDLE: u32 = 3;
pub const IOPRIO_NR_LEVELS: u32 = 8;
pub const IOPRIO_WHO_PROCESS: u32 = 1;
pub const IOPRIO_WHO_PGRP: u32 = 2;
pub const IOPRIO_WHO_USER: u32 = 3;

pub const KCMP_FILE: u32 = 0;
pub const KCMP_VM: u32 = 1;
pub const KCMP_FILES: u32 = 2;
pub const KCMP_FS: u32 = 3;
pub const KCMP_SIGHAND: u32 = 4;
pub const KCMP_IO: u32 = 5;
pub const KCMP_SYSVSEM: u32 = 6;
pub const KCMP_EPOLL_TFD: u32 = 7;
pub const KCMP_TYPES: u32 = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sched_attr_round_trips_and_zero_extends() {
        let a = SchedAttr {
            size: 56,
            policy: SCHED_DEADLINE,
            flags: 1,
            nice: -3,
            priority: 0,
            runtime: 10,
            deadline: 20,
            period: 30,
            util_min: 1,
            util_max: 2,
        };
        assert_eq!(SchedAttr::from_bytes(&a.to_bytes()), a);
        let short = SchedAttr::from_bytes(&a.to_bytes()[..48]);
        assert_eq!((short.period, short.util_min, short.util_max), (30, 0, 0));
    }
}
