//! Scheduling calls and memory locking: what the personality checks
//! itself (EINVAL, E2BIG, rounding) before the core sees a request.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use linux_abi::errno::*;
use linux_abi::sched::*;

fn errno(result: u64) -> i32 {
    -(result as i64) as i32
}

const SETPARAM: u64 = 142;
const SETSCHEDULER: u64 = 144;
const GETSCHEDULER: u64 = 145;
const PRIO_MAX: u64 = 146;
const PRIO_MIN: u64 = 147;
const RR_INTERVAL: u64 = 148;
const MLOCK: u64 = 149;
const MLOCKALL: u64 = 151;
const MINCORE: u64 = 27;
const SETATTR: u64 = 314;
const GETATTR: u64 = 315;
const MLOCK2: u64 = 325;

#[test]
fn priority_ranges_are_linuxs() {
    let mut k = FakeCore::new();
    for (policy, max, min) in [
        (SCHED_FIFO, 99, 1),
        (SCHED_RR, 99, 1),
        (SCHED_NORMAL, 0, 0),
        (SCHED_BATCH, 0, 0),
        (SCHED_IDLE, 0, 0),
        (SCHED_DEADLINE, 0, 0),
    ] {
        assert_eq!(k.syscall(PRIO_MAX, [u64::from(policy), 0, 0, 0, 0, 0]), max);
        assert_eq!(k.syscall(PRIO_MIN, [u64::from(policy), 0, 0, 0, 0, 0]), min);
    }
    for bad in [4u64, 7, (-1i64) as u64] {
        assert_eq!(errno(k.syscall(PRIO_MAX, [bad, 0, 0, 0, 0, 0])), EINVAL);
        assert_eq!(errno(k.syscall(PRIO_MIN, [bad, 0, 0, 0, 0, 0])), EINVAL);
    }
}

#[test]
fn setscheduler_checks_in_linuxs_order() {
    let mut k = FakeCore::new();
    k.put(MEM_BASE, &50i32.to_le_bytes());
    // A thread that does not exist is ESRCH before a bad policy is EINVAL.
    assert_eq!(errno(k.syscall(SETSCHEDULER, [99, 42, MEM_BASE, 0, 0, 0])), ESRCH);
    assert_eq!(errno(k.syscall(SETSCHEDULER, [0, 42, MEM_BASE, 0, 0, 0])), EINVAL);
    assert_eq!(
        errno(k.syscall(SETSCHEDULER, [(-1i64) as u64, u64::from(SCHED_FIFO), MEM_BASE, 0, 0, 0])),
        EINVAL,
        "negative pid"
    );
    assert_eq!(errno(k.syscall(SETSCHEDULER, [0, u64::from(SCHED_FIFO), 0, 0, 0, 0])), EINVAL, "NULL param");
    assert_eq!(
        errno(k.syscall(SETSCHEDULER, [0, u64::from(SCHED_NORMAL), MEM_BASE, 0, 0, 0])),
        EINVAL,
        "priority 50 for SCHED_OTHER"
    );
    assert!(k.log.is_empty(), "nothing reached the core: {:?}", k.log);
    assert_eq!(k.syscall(SETSCHEDULER, [7, u64::from(SCHED_FIFO | SCHED_RESET_ON_FORK), MEM_BASE, 0, 0, 0]), 0);
    assert!(
        k.log[0].contains("set_scheduling 7")
            && k.log[0].contains("Fifo")
            && k.log[0].contains("priority: 50")
            && k.log[0].contains("reset_on_fork: true"),
        "{:?}",
        k.log
    );
    k.put(MEM_BASE, &100i32.to_le_bytes());
    assert_eq!(errno(k.syscall(SETPARAM, [0, MEM_BASE, 0, 0, 0, 0])), EINVAL, "priority 100");
    assert_eq!(k.syscall(GETSCHEDULER, [0, 0, 0, 0, 0, 0]), u64::from(SCHED_NORMAL));
    assert_eq!(errno(k.syscall(GETSCHEDULER, [5, 0, 0, 0, 0, 0])), ESRCH);
}

#[test]
fn sched_attr_sizes_follow_linux() {
    let mut k = FakeCore::new();
    let attr = SchedAttr { size: 200, policy: SCHED_NORMAL, ..SchedAttr::default() };
    k.put(MEM_BASE, &attr.to_bytes());
    k.put(MEM_BASE + 56, &[0u8; 144]);
    assert_eq!(k.syscall(SETATTR, [0, MEM_BASE, 0, 0, 0, 0]), 0, "a larger structure with a zero tail");
    k.put(MEM_BASE + 100, &[1]);
    assert_eq!(errno(k.syscall(SETATTR, [0, MEM_BASE, 0, 0, 0, 0])), E2BIG, "a non-zero tail");
    assert_eq!(k.get(MEM_BASE, 4), &56u32.to_le_bytes(), "the size Linux knows written back");
    let small = SchedAttr { size: 40, ..SchedAttr::default() };
    k.put(MEM_BASE, &small.to_bytes());
    assert_eq!(errno(k.syscall(SETATTR, [0, MEM_BASE, 0, 0, 0, 0])), E2BIG);
    let deadline = SchedAttr {
        size: 48,
        policy: SCHED_DEADLINE,
        runtime: 10_000_000,
        deadline: 30_000_000,
        period: 30_000_000,
        ..SchedAttr::default()
    };
    k.put(MEM_BASE, &deadline.to_bytes());
    assert_eq!(errno(k.syscall(SETATTR, [0, MEM_BASE, 1000, 0, 0, 0])), EINVAL, "flags");
    assert_eq!(errno(k.syscall(SETATTR, [0, 0, 0, 0, 0, 0])), EINVAL, "NULL");
    assert_eq!(k.syscall(SETATTR, [0, MEM_BASE, 0, 0, 0, 0]), 0);
    let bad = SchedAttr { runtime: 40_000_000, ..deadline };
    k.put(MEM_BASE, &bad.to_bytes());
    assert_eq!(errno(k.syscall(SETATTR, [0, MEM_BASE, 0, 0, 0, 0])), EINVAL, "runtime beyond the deadline");
    assert_eq!(errno(k.syscall(GETATTR, [0, MEM_BASE, 47, 0, 0, 0])), EINVAL, "smaller than VER0");
    assert_eq!(errno(k.syscall(GETATTR, [0, MEM_BASE, 56, 1, 0, 0])), EINVAL, "flags");
    assert_eq!(errno(k.syscall(GETATTR, [9, MEM_BASE, 56, 0, 0, 0])), ESRCH);
    k.put(MEM_BASE, &[0xaa; 64]);
    assert_eq!(k.syscall(GETATTR, [0, MEM_BASE, 64, 0, 0, 0]), 0);
    let got = SchedAttr::from_bytes(k.get(MEM_BASE, 56));
    assert_eq!((got.size, got.policy), (56, SCHED_NORMAL));
    assert_eq!(k.get(MEM_BASE + 56, 8), &[0u8; 8], "the tail of a larger structure is cleared");
}

#[test]
fn rr_interval_of_a_normal_thread_is_the_tick() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(RR_INTERVAL, [0, MEM_BASE, 0, 0, 0, 0]), 0);
    assert_eq!(k.get(MEM_BASE, 16), &[&0u64.to_le_bytes()[..], &10_000_000u64.to_le_bytes()[..]].concat()[..]);
    assert_eq!(errno(k.syscall(RR_INTERVAL, [(-1i64) as u64, MEM_BASE, 0, 0, 0, 0])), EINVAL);
}

#[test]
fn locking_rounds_to_pages_and_checks_flags() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(MLOCK, [0x1_0100, 0x1000, 0, 0, 0, 0]), 0);
    assert_eq!(k.log.last().unwrap(), "lock_memory 0x10000 0x2000 false");
    assert_eq!(k.syscall(MLOCK, [0x1_0100, 0, 0, 0, 0, 0]), 0, "an empty range");
    assert_eq!(errno(k.syscall(MLOCK, [0xffff_ffff_ffff_f000, 0x2000, 0, 0, 0, 0])), EINVAL, "wraps around");
    assert_eq!(errno(k.syscall(MLOCK2, [0x1_0000, 0x1000, 2, 0, 0, 0])), EINVAL);
    assert_eq!(k.syscall(MLOCK2, [0x1_0000, 0x1000, 1, 0, 0, 0]), 0);
    assert_eq!(k.log.last().unwrap(), "lock_memory 0x10000 0x1000 true");
    for bad in [0u64, 4, 8, 4 | 8] {
        assert_eq!(errno(k.syscall(MLOCKALL, [bad, 0, 0, 0, 0, 0])), EINVAL, "flags {bad}");
    }
    assert_eq!(k.syscall(MLOCKALL, [2 | 4, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.log.last().unwrap(), "lock_all_memory false true true");
}

#[test]
fn mincore_checks_alignment_and_the_vector() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(MINCORE, [0x1_0001, 0x1000, MEM_BASE, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(MINCORE, [0x7fff_ffff_e000, 0x3000, MEM_BASE, 0, 0, 0])), ENOMEM, "beyond user space");
    assert_eq!(errno(k.syscall(MINCORE, [0x1_0000, 0x3000, 0x7fff_ffff_effe, 0, 0, 0])), EFAULT);
    assert_eq!(k.syscall(MINCORE, [0x1_0000, 0x2001, MEM_BASE, 0, 0, 0]), 0);
    assert_eq!(k.get(MEM_BASE, 3), &[1, 0, 1], "three pages for a partial last one");
}
