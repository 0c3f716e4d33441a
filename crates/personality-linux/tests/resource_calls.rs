//! Resource, machine and scheduling calls against the fake core: rlimit
//! numbers and RLIM_INFINITY, struct tms and clock ticks, struct sysinfo,
//! getrandom's flags, host and domain names, reboot's magic numbers, I/O
//! priority words, sched_getparam and sched_setaffinity's mask
//! (crates/personality-linux/src/sys/info.rs, sys/ioprio.rs, sys/sched.rs).

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{Credentials, IoClass, IoPriority, Limit, PriorityTarget, Resource, SystemInfo, UNLIMITED};

const GETRLIMIT: u64 = 97;
const SYSINFO: u64 = 99;
const TIMES: u64 = 100;
const SCHED_GETPARAM: u64 = 143;
const SETRLIMIT: u64 = 160;
const REBOOT: u64 = 169;
const SETHOSTNAME: u64 = 170;
const SETDOMAINNAME: u64 = 171;
const SCHED_SETAFFINITY: u64 = 203;
const IOPRIO_SET: u64 = 251;
const IOPRIO_GET: u64 = 252;
const PRLIMIT64: u64 = 302;
const GETRANDOM: u64 = 318;

const EPERM: i64 = 1;
const ESRCH: i64 = 3;
const EFAULT: i64 = 14;
const EINVAL: i64 = 22;
const INF: u64 = u64::MAX; // RLIM_INFINITY
const A: u64 = MEM_BASE;
const B: u64 = MEM_BASE + 0x100;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn u64_at(k: &FakeCore, addr: u64) -> u64 {
    u64::from_le_bytes(k.get(addr, 8).try_into().unwrap())
}

fn rlimit(k: &FakeCore, addr: u64) -> (u64, u64) {
    (u64_at(k, addr), u64_at(k, addr + 8))
}

fn put_rlimit(k: &mut FakeCore, addr: u64, cur: u64, max: u64) {
    k.put(addr, &cur.to_le_bytes());
    k.put(addr + 8, &max.to_le_bytes());
}

#[test]
fn getrlimit_and_setrlimit_number_resources_as_linux() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(GETRLIMIT, [7, A, 0, 0, 0, 0]), 0, "RLIMIT_NOFILE");
    assert_eq!(rlimit(&k, A), (1024, INF), "the core's unlimited is RLIM_INFINITY");
    put_rlimit(&mut k, B, 8 << 20, INF);
    assert_eq!(k.syscall(SETRLIMIT, [3, B, 0, 0, 0, 0]), 0, "RLIMIT_STACK");
    put_rlimit(&mut k, B, 64, 128);
    assert_eq!(k.syscall(SETRLIMIT, [8, B, 0, 0, 0, 0]), 0, "RLIMIT_MEMLOCK");
    put_rlimit(&mut k, B, 5, 6);
    assert_eq!(k.syscall(SETRLIMIT, [15, B, 0, 0, 0, 0]), 0, "RLIMIT_RTTIME");
    assert_eq!(
        k.proc_state.limits,
        vec![
            (Resource::Stack, Limit { soft: 8 << 20, hard: UNLIMITED }),
            (Resource::LockedMemory, Limit { soft: 64, hard: 128 }),
            (Resource::RealtimeTime, Limit { soft: 5, hard: 6 }),
        ]
    );
    assert_eq!(k.syscall(GETRLIMIT, [8, A, 0, 0, 0, 0]), 0);
    assert_eq!(rlimit(&k, A), (64, 128));
    assert_eq!(errno(k.syscall(GETRLIMIT, [16, A, 0, 0, 0, 0])), EINVAL, "RLIM_NLIMITS");
    assert_eq!(errno(k.syscall(SETRLIMIT, [16, B, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(GETRLIMIT, [7, 8, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(SETRLIMIT, [7, 8, 0, 0, 0, 0])), EFAULT);
    put_rlimit(&mut k, B, 10, 5);
    assert_eq!(errno(k.syscall(SETRLIMIT, [7, B, 0, 0, 0, 0])), EINVAL, "soft above hard");
    put_rlimit(&mut k, B, 10, 200);
    assert_eq!(errno(k.syscall(SETRLIMIT, [8, B, 0, 0, 0, 0])), EPERM, "raising hard, unprivileged");
    assert_eq!(k.proc_state.limits.len(), 3);
}

#[test]
fn prlimit64_sets_new_and_returns_old() {
    let mut k = FakeCore::new();
    put_rlimit(&mut k, A, 100, 200);
    assert_eq!(k.syscall(PRLIMIT64, [0, 7, A, B, 0, 0]), 0);
    assert_eq!(rlimit(&k, B), (1024, INF), "the old limit");
    assert_eq!(k.proc_state.limits, vec![(Resource::OpenFiles, Limit { soft: 100, hard: 200 })]);
    assert_eq!(k.syscall(PRLIMIT64, [7, 7, 0, B, 0, 0]), 0, "its own pid; only asks");
    assert_eq!(rlimit(&k, B), (100, 200));
    put_rlimit(&mut k, A, INF, INF);
    assert_eq!(errno(k.syscall(PRLIMIT64, [0, 7, A, B, 0, 0])), EPERM, "raising hard");
    assert_eq!(errno(k.syscall(PRLIMIT64, [0, 16, A, B, 0, 0])), EINVAL);
    // Linux checks the resource before it looks for the process.
    assert_eq!(errno(k.syscall(PRLIMIT64, [55, 16, 0, B, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(PRLIMIT64, [0, 7, 8, B, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(PRLIMIT64, [0, 7, 0, 8, 0, 0])), EFAULT);
}

#[test]
fn times_writes_clock_ticks_and_returns_ticks_since_boot() {
    let mut k = FakeCore::new();
    k.proc_state.cpu_times = [(1_239_000_000, 450_000_000), (20_000_000, 9_999_999)];
    assert_eq!(k.syscall(TIMES, [A, 0, 0, 0, 0, 0]), 1_700_000_000_123_456_789 / 10_000_000);
    let tms: Vec<u64> = (0..4).map(|i| u64_at(&k, A + 8 * i)).collect();
    assert_eq!(tms, vec![123, 45, 2, 0], "USER_HZ 100: utime, stime, cutime, cstime");
    assert_eq!(k.syscall(TIMES, [0, 0, 0, 0, 0, 0]), 170_000_000_012, "NULL buffer");
    assert_eq!(errno(k.syscall(TIMES, [8, 0, 0, 0, 0, 0])), EFAULT);
}

#[test]
fn sysinfo_fills_linuxs_struct() {
    let mut k = FakeCore::new();
    k.proc_state.system_info = SystemInfo {
        uptime_ns: 3_700_900_000_000,
        total_ram: 512 << 20,
        free_ram: 100 << 20,
        processes: 12,
        load: [65536, 32768, 3],
    };
    k.put(A, &[0xee; 112]);
    assert_eq!(k.syscall(SYSINFO, [A, 0, 0, 0, 0, 0]), 0);
    assert_eq!(u64_at(&k, A), 3700, "uptime in seconds");
    assert_eq!([u64_at(&k, A + 8), u64_at(&k, A + 16), u64_at(&k, A + 24)], [65536, 32768, 3]);
    assert_eq!((u64_at(&k, A + 32), u64_at(&k, A + 40)), (512 << 20, 100 << 20), "totalram, freeram");
    assert_eq!([u64_at(&k, A + 48), u64_at(&k, A + 56), u64_at(&k, A + 64), u64_at(&k, A + 72)], [0; 4]);
    assert_eq!(k.get(A + 80, 2), &12u16.to_le_bytes(), "procs");
    assert_eq!(k.get(A + 104, 4), &1u32.to_le_bytes(), "mem_unit");
    k.proc_state.system_info.processes = 70_000;
    assert_eq!(k.syscall(SYSINFO, [A, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.get(A + 80, 2), &u16::MAX.to_le_bytes(), "procs saturates");
    assert_eq!(errno(k.syscall(SYSINFO, [8, 0, 0, 0, 0, 0])), EFAULT);
}

#[test]
fn getrandom_fills_the_buffer_and_checks_flags() {
    const GRND_NONBLOCK: u64 = 1;
    const GRND_RANDOM: u64 = 2;
    const GRND_INSECURE: u64 = 4;
    let mut k = FakeCore::new();
    k.put(A, &[0; 301]);
    assert_eq!(k.syscall(GETRANDOM, [A, 300, GRND_NONBLOCK, 0, 0, 0]), 300);
    assert!(k.get(A, 300).iter().all(|&b| b == 0xa5));
    assert_eq!(k.get(A + 300, 1), &[0], "not a byte more");
    assert_eq!(k.syscall(GETRANDOM, [A, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(GETRANDOM, [A, 16, GRND_RANDOM, 0, 0, 0]), 16);
    assert_eq!(k.syscall(GETRANDOM, [A, 16, GRND_INSECURE, 0, 0, 0]), 16);
    assert_eq!(errno(k.syscall(GETRANDOM, [A, 16, 8, 0, 0, 0])), EINVAL, "unknown flag");
    assert_eq!(errno(k.syscall(GETRANDOM, [A, 16, GRND_RANDOM | GRND_INSECURE, 0, 0, 0])), EINVAL, "both");
    assert_eq!(errno(k.syscall(GETRANDOM, [8, 16, 0, 0, 0, 0])), EFAULT);
}

#[test]
fn sethostname_and_setdomainname_privilege_then_length() {
    let mut k = FakeCore::new();
    k.put(A, b"helctic-box");
    for nr in [SETHOSTNAME, SETDOMAINNAME] {
        assert_eq!(errno(k.syscall(nr, [A, 7, 0, 0, 0, 0])), EPERM);
    }
    k.creds = Credentials::user(0, 0);
    assert_eq!(k.syscall(SETHOSTNAME, [A, 7, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(SETDOMAINNAME, [A, 11, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(SETHOSTNAME, [A, 0, 0, 0, 0, 0]), 0, "an empty name");
    assert_eq!(k.proc_state.hostnames, vec![b"helctic".to_vec(), Vec::new()]);
    assert_eq!(k.proc_state.domain_names, vec![b"helctic-box".to_vec()]);
    for nr in [SETHOSTNAME, SETDOMAINNAME] {
        assert_eq!(errno(k.syscall(nr, [A, 65, 0, 0, 0, 0])), EINVAL, "over __NEW_UTS_LEN");
        assert_eq!(errno(k.syscall(nr, [A, (-1i64) as u64, 0, 0, 0, 0])), EINVAL, "negative");
        assert_eq!(errno(k.syscall(nr, [8, 4, 0, 0, 0, 0])), EFAULT);
    }
    assert_eq!(k.syscall(SETHOSTNAME, [A, 64, 0, 0, 0, 0]), 0, "64 bytes fit");
}

#[test]
fn reboot_checks_privilege_then_magic_then_command() {
    const MAGIC1: u64 = 0xfee1_dead;
    const MAGIC2: u64 = 0x2812_1969;
    const MAGIC2C: u64 = 0x2011_2000;
    const POWER_OFF: u64 = 0x4321_fedc;
    const RESTART: u64 = 0x0123_4567;
    const HALT: u64 = 0xcdef_0123;
    const CAD_OFF: u64 = 0;
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(REBOOT, [0, 0, POWER_OFF, 0, 0, 0])), EPERM, "privilege first");
    k.creds = Credentials::user(0, 0);
    assert_eq!(errno(k.syscall(REBOOT, [MAGIC1 + 1, MAGIC2, POWER_OFF, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(REBOOT, [MAGIC1, 1234, POWER_OFF, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(REBOOT, [MAGIC1, MAGIC2, 0x1111, 0, 0, 0])), EINVAL, "unknown command");
    assert_eq!(k.syscall(REBOOT, [MAGIC1, MAGIC2, CAD_OFF, 0, 0, 0]), 0);
    assert!(k.proc_state.power_offs.is_empty());
    assert_eq!(k.syscall(REBOOT, [MAGIC1, MAGIC2, POWER_OFF, 0, 0, 0]), 0);
    assert_eq!(k.syscall(REBOOT, [MAGIC1, MAGIC2C, RESTART, 0, 0, 0]), 0);
    assert_eq!(k.syscall(REBOOT, [MAGIC1, MAGIC2, HALT, 0, 0, 0]), 0);
    assert_eq!(k.proc_state.power_offs, vec![false, true, false]);
}

#[test]
fn ioprio_set_and_get_encode_class_and_level() {
    const WHO_PROCESS: u64 = 1;
    const WHO_PGRP: u64 = 2;
    const WHO_USER: u64 = 3;
    let be4 = 2 << 13 | 4;
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(IOPRIO_GET, [WHO_PROCESS, 0, 0, 0, 0, 0]), 0, "IOPRIO_CLASS_NONE until set");
    assert_eq!(k.syscall(IOPRIO_SET, [WHO_PROCESS, 0, be4, 0, 0, 0]), 0);
    assert_eq!(k.syscall(IOPRIO_SET, [WHO_PGRP, 9, 3 << 13, 0, 0, 0]), 0);
    assert_eq!(k.syscall(IOPRIO_SET, [WHO_USER, 1000, 1 << 13 | 7, 0, 0, 0]), 0);
    assert_eq!(
        k.proc_state.io_priorities,
        vec![
            (PriorityTarget::Process(0), IoPriority { class: IoClass::BestEffort, data: 4 }),
            (PriorityTarget::ProcessGroup(9), IoPriority { class: IoClass::Idle, data: 0 }),
            (PriorityTarget::User(1000), IoPriority { class: IoClass::RealTime, data: 7 }),
        ]
    );
    assert_eq!(k.syscall(IOPRIO_GET, [WHO_PROCESS, 0, 0, 0, 0, 0]), be4);
    assert_eq!(k.syscall(IOPRIO_GET, [WHO_USER, 1000, 0, 0, 0, 0]), 1 << 13 | 7);
    assert_eq!(errno(k.syscall(IOPRIO_SET, [WHO_PROCESS, 0, 3, 0, 0, 0])), EINVAL, "class none with a level");
    assert_eq!(errno(k.syscall(IOPRIO_SET, [WHO_PROCESS, 0, 4 << 13, 0, 0, 0])), EINVAL, "class 4");
    assert_eq!(errno(k.syscall(IOPRIO_SET, [4, 0, be4, 0, 0, 0])), EINVAL, "which 4");
    assert_eq!(errno(k.syscall(IOPRIO_GET, [0, 0, 0, 0, 0, 0])), EINVAL, "which 0");
    assert_eq!(k.proc_state.io_priorities.len(), 3);
}

#[test]
fn sched_getparam_writes_the_priority() {
    let mut k = FakeCore::new();
    k.put(A, &[0xee; 4]);
    assert_eq!(k.syscall(SCHED_GETPARAM, [0, A, 0, 0, 0, 0]), 0);
    assert_eq!(k.get(A, 4), &0u32.to_le_bytes(), "SCHED_OTHER has priority 0");
    assert_eq!(errno(k.syscall(SCHED_GETPARAM, [0, 0, 0, 0, 0, 0])), EINVAL, "NULL param");
    assert_eq!(errno(k.syscall(SCHED_GETPARAM, [(-1i64) as u64, A, 0, 0, 0, 0])), EINVAL, "negative pid");
    assert_eq!(errno(k.syscall(SCHED_GETPARAM, [55, A, 0, 0, 0, 0])), ESRCH);
    assert_eq!(errno(k.syscall(SCHED_GETPARAM, [7, 8, 0, 0, 0, 0])), EFAULT);
}

#[test]
fn sched_setaffinity_reads_the_mask_zero_extended() {
    let mut k = FakeCore::new();
    k.put(A, &[0x03, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    assert_eq!(k.syscall(SCHED_SETAFFINITY, [0, 1, A, 0, 0, 0]), 0, "one byte");
    assert_eq!(k.syscall(SCHED_SETAFFINITY, [7, 128, A, 0, 0, 0]), 0, "a longer mask is cut");
    assert_eq!(k.proc_state.affinity_sets, vec![(0, 0x03), (7, u64::from_le_bytes(k.get(A, 8).try_into().unwrap()))]);
    k.put(B, &[0x02]);
    assert_eq!(errno(k.syscall(SCHED_SETAFFINITY, [0, 1, B, 0, 0, 0])), EINVAL, "no online CPU");
    assert_eq!(errno(k.syscall(SCHED_SETAFFINITY, [0, 8, 8, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(SCHED_SETAFFINITY, [(-1i64) as u64, 8, A, 0, 0, 0])), ESRCH);
    assert_eq!(errno(k.syscall(SCHED_SETAFFINITY, [55, 8, A, 0, 0, 0])), ESRCH);
    assert_eq!(k.proc_state.affinity_sets.len(), 2);
}
