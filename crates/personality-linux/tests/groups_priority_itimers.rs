//! Supplementary groups, nice values and interval timers against the fake
//! core: argument decoding and errno rules.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{Error, IntervalTimer, PriorityTarget};

fn errno(result: u64) -> i64 {
    -(result as i64)
}

const EINVAL: i64 = 22;
const EFAULT: i64 = 14;
const EPERM: i64 = 1;
const ESRCH: i64 = 3;

const GETGROUPS: u64 = 115;
const SETGROUPS: u64 = 116;
const GETPRIORITY: u64 = 140;
const SETPRIORITY: u64 = 141;
const GETITIMER: u64 = 36;
const SETITIMER: u64 = 38;
const ALARM: u64 = 37;

fn root() -> FakeCore {
    let mut k = FakeCore::new();
    // A set-user-ID-root program: effective uid 0 with its privileges.
    k.creds = kernel_ops::Credentials { euid: 0, fsuid: 0, privileges: kernel_ops::Privileges::ALL, ..k.creds };
    k
}

fn put_u32s(k: &mut FakeCore, values: &[u32]) -> u64 {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    k.put(MEM_BASE, &bytes);
    MEM_BASE
}

// ---- groups ----

#[test]
fn setgroups_then_getgroups_gives_them_back_sorted() {
    let mut k = root();
    let list = put_u32s(&mut k, &[30, 10, 20]);
    assert_eq!(k.syscall(SETGROUPS, [3, list, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(GETGROUPS, [0, 0, 0, 0, 0, 0]), 3, "size 0 asks only how many");
    let out = MEM_BASE + 0x100;
    assert_eq!(k.syscall(GETGROUPS, [8, out, 0, 0, 0, 0]), 3);
    assert_eq!(k.get(out, 12), [10u32, 20, 30].iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>());
    assert_eq!(errno(k.syscall(GETGROUPS, [2, out, 0, 0, 0, 0])), EINVAL, "a list too small");
    assert_eq!(errno(k.syscall(GETGROUPS, [(-1i64) as u64, out, 0, 0, 0, 0])), EINVAL, "a negative size");
    assert_eq!(errno(k.syscall(GETGROUPS, [3, 0xdead_0000, 0, 0, 0, 0])), EFAULT);
    assert_eq!(k.syscall(SETGROUPS, [0, 0, 0, 0, 0, 0]), 0, "an empty list needs no memory");
    assert_eq!(k.syscall(GETGROUPS, [0, 0, 0, 0, 0, 0]), 0);
}

#[test]
fn setgroups_checks_privilege_first_then_the_size() {
    let mut k = FakeCore::new();
    let list = put_u32s(&mut k, &[1]);
    assert_eq!(errno(k.syscall(SETGROUPS, [1, list, 0, 0, 0, 0])), EPERM, "not root");
    assert_eq!(errno(k.syscall(SETGROUPS, [70000, list, 0, 0, 0, 0])), EPERM, "not root, whatever the size");
    let mut k = root();
    assert_eq!(errno(k.syscall(SETGROUPS, [65537, list, 0, 0, 0, 0])), EINVAL, "more than NGROUPS_MAX");
    assert_eq!(errno(k.syscall(SETGROUPS, [(-1i64) as u64, list, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(SETGROUPS, [1, 0xdead_0000, 0, 0, 0, 0])), EFAULT);
    let bad = put_u32s(&mut k, &[5, u32::MAX]);
    assert_eq!(errno(k.syscall(SETGROUPS, [2, bad, 0, 0, 0, 0])), EINVAL, "-1 is no group");
    assert!(k.groups.is_empty(), "nothing was set");
}

// ---- nice values ----

#[test]
fn getpriority_returns_twenty_minus_nice() {
    let mut k = FakeCore::new();
    k.nice_answer = Ok(-5);
    assert_eq!(k.syscall(GETPRIORITY, [0, 0, 0, 0, 0, 0]), 25);
    k.nice_answer = Ok(19);
    assert_eq!(k.syscall(GETPRIORITY, [1, 42, 0, 0, 0, 0]), 1);
    k.nice_answer = Err(Error::NoSuchProcess);
    assert_eq!(errno(k.syscall(GETPRIORITY, [2, 1000, 0, 0, 0, 0])), ESRCH);
    assert_eq!(
        k.nice_calls,
        vec![
            (PriorityTarget::Process(0), None),
            (PriorityTarget::ProcessGroup(42), None),
            (PriorityTarget::User(1000), None)
        ]
    );
    assert_eq!(errno(k.syscall(GETPRIORITY, [3, 0, 0, 0, 0, 0])), EINVAL, "an unknown `which`");
}

#[test]
fn setpriority_clamps_the_value() {
    let mut k = FakeCore::new();
    for (asked, set) in [(5i64, 5), (-100, -20), (100, 19), (-20, -20), (19, 19), (20, 19)] {
        assert_eq!(k.syscall(SETPRIORITY, [0, 7, asked as u64, 0, 0, 0]), 0);
        assert_eq!(k.nice_calls.last(), Some(&(PriorityTarget::Process(7), Some(set))), "setpriority {asked}");
    }
    assert_eq!(errno(k.syscall(SETPRIORITY, [(-1i64) as u64, 0, 0, 0, 0, 0])), EINVAL);
}

// ---- interval timers ----

fn put_itimerval(k: &mut FakeCore, interval_us: u64, value_us: u64) -> u64 {
    let mut b = Vec::new();
    for us in [interval_us, value_us] {
        b.extend_from_slice(&(us / 1_000_000).to_le_bytes());
        b.extend_from_slice(&(us % 1_000_000).to_le_bytes());
    }
    k.put(MEM_BASE, &b);
    MEM_BASE
}

#[test]
fn setitimer_reaches_all_three_timers() {
    let mut k = FakeCore::new();
    let v = put_itimerval(&mut k, 200_000, 300_000);
    for (which, timer) in [(0u64, IntervalTimer::Real), (1, IntervalTimer::Virtual), (2, IntervalTimer::Profiling)] {
        assert_eq!(k.syscall(SETITIMER, [which, v, 0, 0, 0, 0]), 0);
        assert_eq!(k.interval_timers.last(), Some(&(timer, 300_000_000, 200_000_000)));
    }
    let old = MEM_BASE + 0x100;
    assert_eq!(k.syscall(GETITIMER, [1, old, 0, 0, 0, 0]), 0);
    let words: Vec<u64> = k.get(old, 32).chunks(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect();
    assert_eq!(words, vec![0, 200_000, 0, 300_000], "interval then value, as timevals");
    assert_eq!(k.syscall(SETITIMER, [2, 0, old, 0, 0, 0]), 0, "a null new value disarms");
    assert_eq!(k.interval_timers.last(), Some(&(IntervalTimer::Profiling, 0, 0)));
    assert_eq!(errno(k.syscall(SETITIMER, [3, v, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(GETITIMER, [(-1i64) as u64, old, 0, 0, 0, 0])), EINVAL);
}

#[test]
fn setitimer_refuses_bad_microseconds_and_alarm_uses_the_real_timer() {
    let mut k = FakeCore::new();
    let v = put_itimerval(&mut k, 0, 0);
    k.put(MEM_BASE + 24, &1_000_000u64.to_le_bytes());
    assert_eq!(errno(k.syscall(SETITIMER, [1, v, 0, 0, 0, 0])), EINVAL, "tv_usec of a million");
    assert!(k.interval_timers.is_empty());
    assert_eq!(k.syscall(ALARM, [3, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.interval_timers, vec![(IntervalTimer::Real, 3_000_000_000, 0)]);
}
