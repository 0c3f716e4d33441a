//! The identity calls against the fake core: process, group and session
//! ids, the user and group id families (-1 keeps an id; who may change
//! what), the file-system ids, and capget/capset's header and data words
//! (crates/personality-linux/src/sys/ids.rs, sys/capability.rs).

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{Credentials, PrivilegeSet};

const GETPID: u64 = 39;
const GETUID: u64 = 102;
const GETGID: u64 = 104;
const SETUID: u64 = 105;
const SETGID: u64 = 106;
const GETEUID: u64 = 107;
const GETEGID: u64 = 108;
const SETPGID: u64 = 109;
const GETPPID: u64 = 110;
const GETPGRP: u64 = 111;
const SETSID: u64 = 112;
const SETREUID: u64 = 113;
const SETREGID: u64 = 114;
const SETRESUID: u64 = 117;
const GETRESUID: u64 = 118;
const SETRESGID: u64 = 119;
const GETRESGID: u64 = 120;
const GETPGID: u64 = 121;
const SETFSUID: u64 = 122;
const SETFSGID: u64 = 123;
const GETSID: u64 = 124;
const CAPGET: u64 = 125;
const CAPSET: u64 = 126;
const GETTID: u64 = 186;

const EPERM: i64 = 1;
const ESRCH: i64 = 3;
const EFAULT: i64 = 14;
const EINVAL: i64 = 22;
const KEEP: u64 = 0xffff_ffff; // (uid_t)-1
const A: u64 = MEM_BASE;
const B: u64 = MEM_BASE + 0x10;
const C: u64 = MEM_BASE + 0x20;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn u32_at(k: &FakeCore, addr: u64) -> u32 {
    u32::from_le_bytes(k.get(addr, 4).try_into().unwrap())
}

fn creds(uid: [u32; 3], gid: [u32; 3]) -> Credentials {
    let mut c = Credentials::user(1000, 100);
    [c.uid, c.euid, c.suid] = uid;
    [c.gid, c.egid, c.sgid] = gid;
    c.fsuid = uid[1];
    c.fsgid = gid[1];
    c
}

#[test]
fn pid_tid_parent_group_and_session_ids() {
    let mut k = FakeCore::new();
    k.proc_state.parent = 42;
    k.proc_state.pgid = 9;
    k.proc_state.sid = 3;
    assert_eq!(k.syscall(GETPID, [0; 6]), 7);
    assert_eq!(k.syscall(GETTID, [0; 6]), 7);
    assert_eq!(k.syscall(GETPPID, [0; 6]), 42);
    assert_eq!(k.syscall(GETPGRP, [0; 6]), 9);
    assert_eq!(k.syscall(GETPGID, [0, 0, 0, 0, 0, 0]), 9, "pid 0 is the caller");
    assert_eq!(k.syscall(GETPGID, [100, 0, 0, 0, 0, 0]), 9);
    assert_eq!(errno(k.syscall(GETPGID, [55, 0, 0, 0, 0, 0])), ESRCH);
    assert_eq!(k.syscall(GETSID, [0, 0, 0, 0, 0, 0]), 3);
    assert_eq!(errno(k.syscall(GETSID, [55, 0, 0, 0, 0, 0])), ESRCH);
}

#[test]
fn setpgid_passes_both_ids_and_refuses_a_negative_group() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(SETPGID, [100, 100, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(SETPGID, [0, 0, 0, 0, 0, 0]), 0, "0, 0: the caller into its own group");
    // pgid is an int: -1 (in any width) is EINVAL before the core is asked.
    assert_eq!(errno(k.syscall(SETPGID, [0, (-1i64) as u64, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(SETPGID, [0, 0xffff_ffff, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(SETPGID, [55, 0, 0, 0, 0, 0])), ESRCH);
    assert_eq!(k.proc_state.setpgids, vec![(100, 100), (0, 0)]);
}

#[test]
fn setsid_returns_the_new_session_or_eperm_for_a_group_leader() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(SETSID, [0; 6])), EPERM, "the fake caller leads group 7");
    k.proc_state.pgid = 9;
    assert_eq!(k.syscall(SETSID, [0; 6]), 7);
    assert_eq!((k.proc_state.pgid, k.proc_state.sid), (7, 7));
}

#[test]
fn get_ids_answer_real_and_effective_ids_separately() {
    let mut k = FakeCore::new();
    k.creds = creds([1000, 1001, 1002], [100, 101, 102]);
    assert_eq!(k.syscall(GETUID, [0; 6]), 1000);
    assert_eq!(k.syscall(GETEUID, [0; 6]), 1001);
    assert_eq!(k.syscall(GETGID, [0; 6]), 100);
    assert_eq!(k.syscall(GETEGID, [0; 6]), 101);
    assert_eq!(k.syscall(GETRESUID, [A, B, C, 0, 0, 0]), 0);
    assert_eq!([u32_at(&k, A), u32_at(&k, B), u32_at(&k, C)], [1000, 1001, 1002]);
    assert_eq!(k.syscall(GETRESGID, [A, B, C, 0, 0, 0]), 0);
    assert_eq!([u32_at(&k, A), u32_at(&k, B), u32_at(&k, C)], [100, 101, 102]);
    assert_eq!(errno(k.syscall(GETRESUID, [A, B, 8, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(GETRESGID, [0, B, C, 0, 0, 0])), EFAULT);
}

#[test]
fn setuid_and_setgid_unprivileged_change_only_the_effective_id() {
    let mut k = FakeCore::new();
    k.creds = creds([1000, 1001, 1002], [100, 101, 102]);
    assert_eq!(k.syscall(SETUID, [1002, 0, 0, 0, 0, 0]), 0, "back to the saved uid");
    assert_eq!((k.creds.uid, k.creds.euid, k.creds.suid, k.creds.fsuid), (1000, 1002, 1002, 1002));
    assert_eq!(errno(k.syscall(SETUID, [0, 0, 0, 0, 0, 0])), EPERM, "root is not held");
    assert_eq!(errno(k.syscall(SETUID, [KEEP, 0, 0, 0, 0, 0])), EINVAL, "-1 is not a uid");
    assert_eq!(k.syscall(SETGID, [100, 0, 0, 0, 0, 0]), 0);
    assert_eq!((k.creds.gid, k.creds.egid, k.creds.sgid, k.creds.fsgid), (100, 100, 102, 100));
    assert_eq!(errno(k.syscall(SETGID, [5, 0, 0, 0, 0, 0])), EPERM);
    assert_eq!(errno(k.syscall(SETGID, [KEEP, 0, 0, 0, 0, 0])), EINVAL);
}

#[test]
fn setuid_and_setgid_as_root_change_all_four_ids() {
    let mut k = FakeCore::new();
    k.creds = Credentials::user(0, 0);
    assert_eq!(k.syscall(SETGID, [50, 0, 0, 0, 0, 0]), 0);
    assert_eq!((k.creds.gid, k.creds.egid, k.creds.sgid, k.creds.fsgid), (50, 50, 50, 50));
    assert_eq!(k.syscall(SETUID, [500, 0, 0, 0, 0, 0]), 0);
    assert_eq!((k.creds.uid, k.creds.euid, k.creds.suid, k.creds.fsuid), (500, 500, 500, 500));
    assert_eq!(errno(k.syscall(SETUID, [0, 0, 0, 0, 0, 0])), EPERM, "no way back");
}

#[test]
fn setreuid_and_setregid_keep_minus_one_and_move_the_saved_id() {
    let mut k = FakeCore::new();
    k.creds = creds([1000, 1001, 1002], [100, 101, 102]);
    // Swap real and effective: the saved id follows the new effective one.
    assert_eq!(k.syscall(SETREUID, [1001, 1000, 0, 0, 0, 0]), 0);
    assert_eq!((k.creds.uid, k.creds.euid, k.creds.suid, k.creds.fsuid), (1001, 1000, 1000, 1000));
    // Only the effective id, to the real one: the saved id stays.
    assert_eq!(k.syscall(SETREUID, [KEEP, 1001, 0, 0, 0, 0]), 0);
    assert_eq!((k.creds.uid, k.creds.euid, k.creds.suid), (1001, 1001, 1000));
    assert_eq!(errno(k.syscall(SETREUID, [7, KEEP, 0, 0, 0, 0])), EPERM);
    // A 64-bit -1 is (gid_t)-1 as well.
    assert_eq!(k.syscall(SETREGID, [u64::MAX, 102, 0, 0, 0, 0]), 0);
    assert_eq!((k.creds.gid, k.creds.egid, k.creds.sgid, k.creds.fsgid), (100, 102, 102, 102));
    assert_eq!(errno(k.syscall(SETREGID, [KEEP, 9, 0, 0, 0, 0])), EPERM);
}

#[test]
fn setresuid_and_setresgid_set_each_id_or_keep_it() {
    let mut k = FakeCore::new();
    k.creds = creds([1000, 1001, 1002], [100, 101, 102]);
    assert_eq!(k.syscall(SETRESUID, [1002, KEEP, 1000, 0, 0, 0]), 0);
    assert_eq!((k.creds.uid, k.creds.euid, k.creds.suid, k.creds.fsuid), (1002, 1001, 1000, 1001));
    assert_eq!(errno(k.syscall(SETRESUID, [KEEP, 0, KEEP, 0, 0, 0])), EPERM);
    assert_eq!(k.syscall(SETRESGID, [KEEP, 100, 101, 0, 0, 0]), 0);
    assert_eq!((k.creds.gid, k.creds.egid, k.creds.sgid, k.creds.fsgid), (100, 100, 101, 100));
    assert_eq!(errno(k.syscall(SETRESGID, [KEEP, KEEP, 0, 0, 0, 0])), EPERM);
    assert_eq!(k.creds.sgid, 101, "nothing changed");
}

#[test]
fn setfsuid_and_setfsgid_return_the_old_id_and_never_fail() {
    let mut k = FakeCore::new();
    k.creds = creds([1000, 1001, 1002], [100, 101, 102]);
    assert_eq!(k.syscall(SETFSUID, [1002, 0, 0, 0, 0, 0]), 1001, "the old fsuid");
    assert_eq!(k.creds.fsuid, 1002);
    assert_eq!(k.syscall(SETFSUID, [5, 0, 0, 0, 0, 0]), 1002, "not permitted: the old id, unchanged");
    assert_eq!(k.creds.fsuid, 1002);
    assert_eq!(k.syscall(SETFSUID, [KEEP, 0, 0, 0, 0, 0]), 1002, "-1 only asks");
    assert_eq!(k.syscall(SETFSGID, [100, 0, 0, 0, 0, 0]), 101);
    assert_eq!(k.creds.fsgid, 100);
    assert_eq!(k.syscall(SETFSGID, [5, 0, 0, 0, 0, 0]), 100);
    assert_eq!(k.creds.fsgid, 100);
    k.creds = Credentials::user(0, 0);
    assert_eq!(k.syscall(SETFSUID, [33, 0, 0, 0, 0, 0]), 0);
    assert_eq!((k.creds.uid, k.creds.fsuid), (0, 33));
}

const V3: u32 = 0x2008_0522;
const V1: u32 = 0x1998_0330;

fn header(k: &mut FakeCore, version: u32, pid: i32) {
    k.put(A, &version.to_le_bytes());
    k.put(A + 4, &pid.to_le_bytes());
}

#[test]
fn capget_writes_version_3s_two_words_of_each_set() {
    let mut k = FakeCore::new();
    k.creds = Credentials::user(0, 0);
    header(&mut k, V3, 0);
    let data = MEM_BASE + 0x100;
    k.put(data, &[0xee; 24]);
    assert_eq!(k.syscall(CAPGET, [A, data, 0, 0, 0, 0]), 0);
    let full = PrivilegeSet::FULL.0;
    let words: Vec<u32> = (0..6).map(|i| u32_at(&k, data + 4 * i)).collect();
    // {effective, permitted, inheritable} for bits 0-31, then for 32-63.
    assert_eq!(words, vec![full as u32, full as u32, 0, (full >> 32) as u32, (full >> 32) as u32, 0]);
    // Version 1 has one word of each: nothing past 12 bytes is written.
    k.put(data, &[0xee; 24]);
    header(&mut k, V1, 7);
    assert_eq!(k.syscall(CAPGET, [A, data, 0, 0, 0, 0]), 0);
    assert_eq!(u32_at(&k, data), full as u32);
    assert_eq!(k.get(data + 12, 12), &[0xee; 12]);
    // An unprivileged process has nothing.
    k.creds = Credentials::user(1000, 100);
    header(&mut k, V3, 0);
    assert_eq!(k.syscall(CAPGET, [A, data, 0, 0, 0, 0]), 0);
    assert_eq!(k.get(data, 24), &[0; 24]);
}

#[test]
fn capget_probes_and_errors() {
    let mut k = FakeCore::new();
    header(&mut k, 0x1234, 0);
    let data = MEM_BASE + 0x100;
    // An unknown version: EINVAL, and the preferred one written back.
    assert_eq!(errno(k.syscall(CAPGET, [A, data, 0, 0, 0, 0])), EINVAL);
    assert_eq!(u32_at(&k, A), V3);
    // A known version without data is a successful probe.
    assert_eq!(k.syscall(CAPGET, [A, 0, 0, 0, 0, 0]), 0);
    header(&mut k, V3, -1);
    assert_eq!(errno(k.syscall(CAPGET, [A, data, 0, 0, 0, 0])), EINVAL, "negative pid");
    header(&mut k, V3, 55);
    assert_eq!(errno(k.syscall(CAPGET, [A, data, 0, 0, 0, 0])), ESRCH);
    assert_eq!(errno(k.syscall(CAPGET, [8, data, 0, 0, 0, 0])), EFAULT, "header unreadable");
}

#[test]
fn capset_decodes_the_three_sets_and_refuses_another_pid() {
    let mut k = FakeCore::new();
    k.creds = Credentials::user(0, 0);
    let data = MEM_BASE + 0x100;
    // effective {CAP_SYS_TIME (25)}, permitted {25, 33}, inheritable {}.
    let words: [u32; 6] = [1 << 25, 1 << 25, 0, 0, 1 << 1, 0];
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    k.put(data, &bytes);
    header(&mut k, V3, 55);
    assert_eq!(errno(k.syscall(CAPSET, [A, data, 0, 0, 0, 0])), EPERM, "another process");
    header(&mut k, V3, 7);
    assert_eq!(k.syscall(CAPSET, [A, data, 0, 0, 0, 0]), 0, "its own pid");
    let p = k.creds.privileges;
    assert_eq!(p.effective, PrivilegeSet(1 << 25));
    assert_eq!(p.permitted, PrivilegeSet(1 << 25 | 1 << 33));
    assert_eq!(p.inheritable, PrivilegeSet(0));
    // Growing permitted again is refused by the core.
    let words: [u32; 6] = [0, 0xffff_ffff, 0, 0, 0, 0];
    k.put(data, &words.iter().flat_map(|w| w.to_le_bytes()).collect::<Vec<u8>>());
    header(&mut k, V3, 0);
    assert_eq!(errno(k.syscall(CAPSET, [A, data, 0, 0, 0, 0])), EPERM);
    assert_eq!(errno(k.syscall(CAPSET, [A, 8, 0, 0, 0, 0])), EFAULT, "data unreadable");
}
