//! Process calls against the fake core: fork and vfork's clone requests,
//! execve/execveat's path, argv and envp, exit's code, wait4's targets,
//! options, status word and rusage, waitid's id types and siginfo, and
//! the smaller thread calls (set_tid_address, robust lists, unshare,
//! sched_yield, pause, personality, kcmp, process_vm_*, ptrace).

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::*;

const SCHED_YIELD: u64 = 24;
const PAUSE: u64 = 34;
const FORK: u64 = 57;
const VFORK: u64 = 58;
const EXECVE: u64 = 59;
const EXIT: u64 = 60;
const WAIT4: u64 = 61;
const PTRACE: u64 = 101;
const PERSONALITY: u64 = 135;
const SET_TID_ADDRESS: u64 = 218;
const WAITID: u64 = 247;
const UNSHARE: u64 = 272;
const SET_ROBUST_LIST: u64 = 273;
const GET_ROBUST_LIST: u64 = 274;
const PROCESS_VM_READV: u64 = 310;
const PROCESS_VM_WRITEV: u64 = 311;
const KCMP: u64 = 312;
const EXECVEAT: u64 = 322;

const EPERM: i64 = 1;
const ENOENT: i64 = 2;
const ESRCH: i64 = 3;
const EINTR: i64 = 4;
const EIO: i64 = 5;
const EFAULT: i64 = 14;
const EINVAL: i64 = 22;
const ENOSYS: i64 = 38;
const EOPNOTSUPP: i64 = 95;

const S: u64 = MEM_BASE; // status / siginfo
const R: u64 = MEM_BASE + 0x200; // rusage
const STRS: u64 = MEM_BASE + 0x400;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn i32_at(k: &FakeCore, addr: u64) -> i32 {
    i32::from_le_bytes(k.get(addr, 4).try_into().unwrap())
}

fn i64_at(k: &FakeCore, addr: u64) -> i64 {
    i64::from_le_bytes(k.get(addr, 8).try_into().unwrap())
}

#[test]
fn fork_and_vfork_ask_for_a_process_that_signals_sigchld() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(FORK, [0; 6]), 100, "the child's pid");
    assert_eq!(k.syscall(VFORK, [0; 6]), 100);
    let (f, v) = (k.clones[0], k.clones[1]);
    assert_eq!(f.exit_signal, Some(Signal::CHLD));
    assert!(!f.share_memory && !f.vfork && !f.thread && !f.share_files && f.new_stack.is_none());
    assert_eq!(v.exit_signal, Some(Signal::CHLD));
    assert!(v.share_memory && v.vfork && !v.thread && !v.share_files);
}

/// Puts NUL-terminated strings and a NULL-terminated pointer array at
/// `at`; returns the array's address.
fn strings(k: &mut FakeCore, at: u64, list: &[&[u8]]) -> u64 {
    let mut text = at;
    let array = at + 0x100;
    for (i, s) in list.iter().enumerate() {
        k.put(text, s);
        k.put(text + s.len() as u64, &[0]);
        k.put(array + 8 * i as u64, &text.to_le_bytes());
        text += s.len() as u64 + 1;
    }
    k.put(array + 8 * list.len() as u64, &0u64.to_le_bytes());
    array
}

#[test]
fn execve_reads_path_argv_and_envp() {
    let mut k = FakeCore::new();
    k.put(STRS, b"/bin/sh\0");
    let argv = strings(&mut k, STRS + 0x100, &[b"sh", b"-c", b"true"]);
    let envp = strings(&mut k, STRS + 0x400, &[b"A=1"]);
    assert_eq!(errno(k.syscall(EXECVE, [STRS, argv, envp, 0, 0, 0])), ENOENT, "the fake's answer comes back");
    let (dir, path, follow, a, e) = k.proc_state.execs[0].clone();
    assert_eq!((dir, path.as_slice(), follow), (None, &b"/bin/sh"[..], true));
    assert_eq!(a, vec![b"sh".to_vec(), b"-c".to_vec(), b"true".to_vec()]);
    assert_eq!(e, vec![b"A=1".to_vec()]);
    // NULL argv and envp are empty lists (Linux allows it).
    assert_eq!(errno(k.syscall(EXECVE, [STRS, 0, 0, 0, 0, 0])), ENOENT);
    assert!(k.proc_state.execs[1].3.is_empty() && k.proc_state.execs[1].4.is_empty());
    assert_eq!(errno(k.syscall(EXECVE, [0, argv, envp, 0, 0, 0])), EFAULT, "NULL path");
    assert_eq!(errno(k.syscall(EXECVE, [STRS, 8, envp, 0, 0, 0])), EFAULT, "argv unreadable");
    k.put(argv + 8, &8u64.to_le_bytes());
    assert_eq!(errno(k.syscall(EXECVE, [STRS, argv, envp, 0, 0, 0])), EFAULT, "an argument unreadable");
    assert_eq!(k.proc_state.execs.len(), 2, "no exec after a fault");
}

#[test]
fn execveat_dirfd_flags_and_empty_path() {
    const AT_FDCWD: u64 = (-100i64) as u64;
    const AT_SYMLINK_NOFOLLOW: u64 = 0x100;
    const AT_EMPTY_PATH: u64 = 0x1000;
    let mut k = FakeCore::new();
    k.put(STRS, b"prog\0");
    k.put(STRS + 0x10, b"/abs\0");
    k.put(STRS + 0x20, b"\0");
    let argv = strings(&mut k, STRS + 0x100, &[b"prog"]);
    assert_eq!(errno(k.syscall(EXECVEAT, [5, STRS, argv, 0, AT_SYMLINK_NOFOLLOW, 0])), ENOENT);
    assert_eq!(errno(k.syscall(EXECVEAT, [AT_FDCWD, STRS, argv, 0, 0, 0])), ENOENT);
    assert_eq!(errno(k.syscall(EXECVEAT, [5, STRS + 0x10, 0, 0, 0, 0])), ENOENT);
    assert_eq!(errno(k.syscall(EXECVEAT, [6, STRS + 0x20, argv, 0, AT_EMPTY_PATH, 0])), ENOENT);
    let got: Vec<_> = k.proc_state.execs.iter().map(|e| (e.0, e.1.clone(), e.2, e.3.len())).collect();
    assert_eq!(
        got,
        vec![
            (Some(DirFd::Fd(5)), b"prog".to_vec(), false, 1),
            (Some(DirFd::Cwd), b"prog".to_vec(), true, 1),
            (Some(DirFd::Cwd), b"/abs".to_vec(), true, 0),
            (Some(DirFd::Fd(6)), Vec::new(), true, 1),
        ]
    );
    // An empty path without AT_EMPTY_PATH is ENOENT, unknown flags EINVAL,
    // neither reaching the core.
    assert_eq!(errno(k.syscall(EXECVEAT, [6, STRS + 0x20, argv, 0, 0, 0])), ENOENT);
    assert_eq!(errno(k.syscall(EXECVEAT, [5, STRS, argv, 0, 0x2, 0])), EINVAL);
    assert_eq!(k.proc_state.execs.len(), 4);
}

#[test]
fn exit_passes_the_low_byte_for_the_thread_only() {
    let mut k = FakeCore::new();
    k.syscall(EXIT, [0x1_2345, 0, 0, 0, 0, 0]);
    assert_eq!(k.exited, Some((0x45, false)));
}

fn child(status: ChildStatus) -> WaitResult {
    WaitResult {
        pid: 100,
        uid: 1000,
        status,
        usage: ResourceUsage {
            user_ns: 1_500_000_000,
            system_ns: 250_000,
            max_rss_bytes: 4 << 20,
            minor_faults: 11,
            major_faults: 2,
            voluntary_switches: 5,
            involuntary_switches: 6,
        },
    }
}

#[test]
fn wait4_targets_and_options() {
    const WNOHANG: u64 = 1;
    const WUNTRACED: u64 = 2;
    const WCONTINUED: u64 = 8;
    const WALL: u64 = 0x4000_0000;
    let mut k = FakeCore::new();
    k.proc_state.pgid = 9;
    assert_eq!(k.syscall(WAIT4, [(-1i64) as u64, 0, WNOHANG, 0, 0, 0]), 0, "no child changed");
    assert_eq!(k.syscall(WAIT4, [0, 0, WUNTRACED | WALL, 0, 0, 0]), 0);
    assert_eq!(k.syscall(WAIT4, [(-5i64) as u64, 0, WCONTINUED, 0, 0, 0]), 0);
    assert_eq!(k.syscall(WAIT4, [100, 0, 0, 0, 0, 0]), 0);
    let targets: Vec<_> = k.proc_state.waits.iter().map(|w| w.0).collect();
    assert_eq!(
        targets,
        vec![WaitTarget::Any, WaitTarget::ProcessGroup(9), WaitTarget::ProcessGroup(5), WaitTarget::Pid(100)]
    );
    let o: Vec<_> = k.proc_state.waits.iter().map(|w| w.1).collect();
    assert!(o[0].no_hang && !o[0].stopped && !o[0].continued && o[0].exited && !o[0].no_reap);
    assert!(!o[1].no_hang && o[1].stopped && !o[1].continued);
    assert!(o[2].continued && !o[2].stopped);
    assert_eq!(errno(k.syscall(WAIT4, [(-1i64) as u64, 0, 0x10, 0, 0, 0])), EINVAL, "WEXITED is not wait4's");
    assert_eq!(errno(k.syscall(WAIT4, [i32::MIN as u32 as u64, 0, 0, 0, 0, 0])), ESRCH, "-INT_MIN");
    assert_eq!(k.proc_state.waits.len(), 4);
}

#[test]
fn wait4_encodes_status_words_and_rusage() {
    let mut k = FakeCore::new();
    let cases = [
        (ChildStatus::Exited(3), 0x0300),
        (ChildStatus::Signaled { signal: Signal::new(11).unwrap(), core_dumped: true }, 0x8b),
        (ChildStatus::Signaled { signal: Signal::KILL, core_dumped: false }, 0x09),
        (ChildStatus::Stopped(Signal::STOP), 0x137f),
        (ChildStatus::Continued, 0xffff),
    ];
    for (status, word) in cases {
        k.proc_state.wait_answer = Ok(Some(child(status)));
        assert_eq!(k.syscall(WAIT4, [(-1i64) as u64, S, 0, R, 0, 0]), 100);
        assert_eq!(i32_at(&k, S), word, "{status:?}");
    }
    // struct rusage: timevals, then longs; ru_maxrss in KiB.
    assert_eq!((i64_at(&k, R), i64_at(&k, R + 8)), (1, 500_000), "ru_utime");
    assert_eq!((i64_at(&k, R + 16), i64_at(&k, R + 24)), (0, 250), "ru_stime");
    assert_eq!(i64_at(&k, R + 32), 4096, "ru_maxrss");
    assert_eq!((i64_at(&k, R + 64), i64_at(&k, R + 72)), (11, 2), "ru_minflt, ru_majflt");
    assert_eq!((i64_at(&k, R + 128), i64_at(&k, R + 136)), (5, 6), "ru_nvcsw, ru_nivcsw");
    // Nothing to report: 0, and the status word is left alone.
    k.proc_state.wait_answer = Ok(None);
    k.put(S, &0x77i32.to_le_bytes());
    assert_eq!(k.syscall(WAIT4, [(-1i64) as u64, S, 1, 0, 0, 0]), 0);
    assert_eq!(i32_at(&k, S), 0x77);
    k.proc_state.wait_answer = Err(Error::NoChild);
    assert_eq!(errno(k.syscall(WAIT4, [(-1i64) as u64, S, 0, 0, 0, 0])), 10, "ECHILD");
    k.proc_state.wait_answer = Ok(Some(child(ChildStatus::Exited(0))));
    assert_eq!(errno(k.syscall(WAIT4, [(-1i64) as u64, 8, 0, 0, 0, 0])), EFAULT);
}

#[test]
fn waitid_id_types_and_options() {
    const WNOHANG: u64 = 1;
    const WSTOPPED: u64 = 2;
    const WEXITED: u64 = 4;
    const WCONTINUED: u64 = 8;
    const WNOWAIT: u64 = 0x100_0000;
    let mut k = FakeCore::new();
    k.proc_state.pgid = 9;
    assert_eq!(k.syscall(WAITID, [0, 0, S, WEXITED | WNOHANG, 0, 0]), 0);
    assert_eq!(k.syscall(WAITID, [1, 100, S, WSTOPPED | WNOWAIT, 0, 0]), 0);
    assert_eq!(k.syscall(WAITID, [2, 0, S, WCONTINUED, 0, 0]), 0);
    assert_eq!(k.syscall(WAITID, [2, 12, S, WEXITED, 0, 0]), 0);
    let targets: Vec<_> = k.proc_state.waits.iter().map(|w| w.0).collect();
    assert_eq!(
        targets,
        vec![WaitTarget::Any, WaitTarget::Pid(100), WaitTarget::ProcessGroup(9), WaitTarget::ProcessGroup(12)]
    );
    let o: Vec<_> = k.proc_state.waits.iter().map(|w| w.1).collect();
    assert!(o[0].no_hang && o[0].exited && !o[0].stopped && !o[0].no_reap);
    assert!(!o[1].exited && o[1].stopped && o[1].no_reap && !o[1].no_hang);
    assert!(o[2].continued && !o[2].exited);
    // Linux's order: unknown options, no event asked, then the id type.
    assert_eq!(errno(k.syscall(WAITID, [0, 0, S, WEXITED | 0x40, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(WAITID, [0, 0, S, WNOHANG, 0, 0])), EINVAL, "no event");
    assert_eq!(errno(k.syscall(WAITID, [7, 0, S, WEXITED, 0, 0])), EINVAL, "id type");
    // P_PID needs a positive pid, P_PGID a non-negative group (kernel_waitid).
    assert_eq!(errno(k.syscall(WAITID, [1, 0, S, WEXITED, 0, 0])), EINVAL, "P_PID 0");
    assert_eq!(errno(k.syscall(WAITID, [1, (-3i64) as u64, S, WEXITED, 0, 0])), EINVAL, "P_PID -3");
    assert_eq!(errno(k.syscall(WAITID, [2, (-3i64) as u64, S, WEXITED, 0, 0])), EINVAL, "P_PGID -3");
    assert_eq!(k.proc_state.waits.len(), 4);
}

#[test]
fn waitid_writes_a_sigchld_siginfo() {
    const WEXITED: u64 = 4;
    let mut k = FakeCore::new();
    let cases = [
        (ChildStatus::Exited(3), 1, 3),                                             // CLD_EXITED
        (ChildStatus::Signaled { signal: Signal::KILL, core_dumped: false }, 2, 9), // CLD_KILLED
        (ChildStatus::Signaled { signal: Signal::new(11).unwrap(), core_dumped: true }, 3, 11), // CLD_DUMPED
        (ChildStatus::Stopped(Signal::STOP), 5, 19),                                // CLD_STOPPED
        (ChildStatus::Continued, 6, 18),                                            // CLD_CONTINUED
    ];
    for (status, code, value) in cases {
        k.put(S, &[0xee; 128]);
        k.proc_state.wait_answer = Ok(Some(child(status)));
        assert_eq!(k.syscall(WAITID, [0, 0, S, WEXITED | 2 | 8, R, 0]), 0, "waitid answers 0, not the pid");
        assert_eq!(i32_at(&k, S), 17, "si_signo SIGCHLD");
        assert_eq!(i32_at(&k, S + 4), 0, "si_errno");
        assert_eq!(i32_at(&k, S + 8), code, "si_code for {status:?}");
        assert_eq!((i32_at(&k, S + 16), i32_at(&k, S + 20)), (100, 1000), "si_pid, si_uid");
        assert_eq!(i32_at(&k, S + 24), value, "si_status");
    }
    assert_eq!(i64_at(&k, S + 32), 150, "si_utime in clock ticks");
    assert_eq!(i64_at(&k, S + 40), 0, "si_stime");
    assert_eq!(i64_at(&k, R + 32), 4096, "the rusage too");
    // WNOHANG with nothing to report: a zeroed siginfo (si_pid 0).
    k.put(S, &[0xee; 128]);
    k.proc_state.wait_answer = Ok(None);
    assert_eq!(k.syscall(WAITID, [0, 0, S, WEXITED | 1, 0, 0]), 0);
    assert_eq!((i32_at(&k, S), i32_at(&k, S + 16)), (0, 0));
    k.proc_state.wait_answer = Ok(Some(child(ChildStatus::Exited(0))));
    assert_eq!(errno(k.syscall(WAITID, [0, 0, 8, WEXITED, 0, 0])), EFAULT);
}

#[test]
fn set_tid_address_records_the_address_and_returns_the_tid() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(SET_TID_ADDRESS, [0x4000_1230, 0, 0, 0, 0, 0]), 7);
    assert_eq!(k.proc_state.clear_child_tid, Some(0x4000_1230));
}

#[test]
fn robust_lists_take_only_the_heads_size_and_report_it() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(SET_ROBUST_LIST, [0x4000_2000, 16, 0, 0, 0, 0])), EINVAL);
    assert_eq!(k.proc_state.robust_list, (0, 0));
    assert_eq!(k.syscall(SET_ROBUST_LIST, [0x4000_2000, 24, 0, 0, 0, 0]), 0);
    assert_eq!(k.proc_state.robust_list, (0x4000_2000, 24));
    assert_eq!(k.syscall(GET_ROBUST_LIST, [0, S, S + 8, 0, 0, 0]), 0);
    assert_eq!((i64_at(&k, S), i64_at(&k, S + 8)), (0x4000_2000, 24));
    assert_eq!(errno(k.syscall(GET_ROBUST_LIST, [(-1i64) as u64, S, S + 8, 0, 0, 0])), ESRCH);
    assert_eq!(errno(k.syscall(GET_ROBUST_LIST, [55, S, S + 8, 0, 0, 0])), ESRCH);
    assert_eq!(errno(k.syscall(GET_ROBUST_LIST, [7, 8, S + 8, 0, 0, 0])), EFAULT);
}

#[test]
fn unshare_flags() {
    const CLONE_VM: u64 = 0x100;
    const CLONE_FS: u64 = 0x200;
    const CLONE_FILES: u64 = 0x400;
    const CLONE_NEWNS: u64 = 0x2_0000;
    const CLONE_SYSVSEM: u64 = 0x4_0000;
    const CLONE_VFORK: u64 = 0x4000;
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(UNSHARE, [CLONE_FILES | CLONE_FS, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(UNSHARE, [CLONE_FILES, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(UNSHARE, [CLONE_SYSVSEM | CLONE_VM, 0, 0, 0, 0, 0]), 0, "single-threaded");
    assert_eq!(k.proc_state.unshares, vec![(true, true), (true, false), (false, false)]);
    assert_eq!(errno(k.syscall(UNSHARE, [CLONE_VFORK, 0, 0, 0, 0, 0])), EINVAL, "not an unshare flag");
    assert_eq!(errno(k.syscall(UNSHARE, [CLONE_NEWNS, 0, 0, 0, 0, 0])), EPERM, "a namespace, unprivileged");
    k.proc_state.threads = 2;
    assert_eq!(errno(k.syscall(UNSHARE, [CLONE_VM, 0, 0, 0, 0, 0])), EINVAL, "threads share the memory");
    k.creds = Credentials::user(0, 0);
    assert_eq!(errno(k.syscall(UNSHARE, [CLONE_NEWNS, 0, 0, 0, 0, 0])), EINVAL, "no namespaces");
    assert_eq!(k.proc_state.unshares.len(), 3);
}

#[test]
fn sched_yield_yields_and_pause_suspends_with_the_current_mask() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(SCHED_YIELD, [0; 6]), 0);
    assert_eq!(k.proc_state.yields, 1);
    k.signal_mask = SignalSet(1 << 9);
    assert_eq!(errno(k.syscall(PAUSE, [0; 6])), EINTR);
    assert_eq!(k.suspended_with, vec![SignalSet(1 << 9)]);
    assert_eq!(k.signal_mask, SignalSet(1 << 9), "the mask is unchanged");
}

#[test]
fn personality_returns_the_old_value_and_0xffffffff_only_asks() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(PERSONALITY, [0x0002_0000, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(PERSONALITY, [0xffff_ffff, 0, 0, 0, 0, 0]), 0x0002_0000);
    assert_eq!(k.syscall(PERSONALITY, [0x1_0000_0008, 0, 0, 0, 0, 0]), 0x0002_0000, "an unsigned int");
    assert_eq!(k.syscall(PERSONALITY, [0xffff_ffff, 0, 0, 0, 0, 0]), 8);
}

#[test]
fn kcmp_checks_pids_and_type_before_the_core() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(KCMP, [7, 7, 1, 0, 0, 0])), ENOSYS, "KCMP_VM reaches the core (the fake has none)");
    assert_eq!(errno(k.syscall(KCMP, [7, 7, 8, 0, 0, 0])), EINVAL, "type 8");
    assert_eq!(errno(k.syscall(KCMP, [7, 7, 7, 0, 0, 0])), EOPNOTSUPP, "KCMP_EPOLL_TFD");
    assert_eq!(errno(k.syscall(KCMP, [0, 7, 1, 0, 0, 0])), ESRCH);
    assert_eq!(errno(k.syscall(KCMP, [7, (-1i64) as u64, 0, 3, 4, 0])), ESRCH);
    // Linux finds both tasks before it looks at the type.
    assert_eq!(errno(k.syscall(KCMP, [0, 7, 8, 0, 0, 0])), ESRCH, "no task, bad type");
}

#[test]
fn process_vm_calls_check_flags_vectors_and_pid() {
    let mut k = FakeCore::new();
    let iov = MEM_BASE + 0x300;
    k.put(iov, &(MEM_BASE + 0x800).to_le_bytes());
    k.put(iov + 8, &16u64.to_le_bytes());
    for nr in [PROCESS_VM_READV, PROCESS_VM_WRITEV] {
        assert_eq!(errno(k.syscall(nr, [7, iov, 1, iov, 1, 1])), EINVAL, "flags must be 0");
        assert_eq!(errno(k.syscall(nr, [7, iov, 1025, iov, 1, 0])), EINVAL, "over UIO_MAXIOV");
        assert_eq!(errno(k.syscall(nr, [7, iov, 1, 8, 1, 0])), EFAULT, "remote vector unreadable");
        assert_eq!(errno(k.syscall(nr, [0, iov, 1, iov, 1, 0])), ESRCH);
        assert_eq!(errno(k.syscall(nr, [7, iov, 1, iov, 1, 0])), ENOSYS, "the fake core cannot inspect");
        assert_eq!(k.syscall(nr, [7, iov, 0, iov, 0, 0]), 0, "nothing to move");
    }
    // A length past SSIZE_MAX is EINVAL.
    k.put(iov + 8, &u64::MAX.to_le_bytes());
    assert_eq!(errno(k.syscall(PROCESS_VM_READV, [7, iov, 1, iov, 1, 0])), EINVAL);
}

#[test]
fn ptrace_requests_decode_pid_signal_and_options() {
    const PTRACE_CONT: u64 = 7;
    const PTRACE_ATTACH: u64 = 16;
    const PTRACE_SETOPTIONS: u64 = 0x4200;
    const PTRACE_SEIZE: u64 = 0x4206;
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(PTRACE, [0, 0, 0, 0, 0, 0])), ENOSYS, "TRACEME reaches the core");
    assert_eq!(errno(k.syscall(PTRACE, [PTRACE_ATTACH, 0, 0, 0, 0, 0])), ESRCH, "pid 0");
    assert_eq!(errno(k.syscall(PTRACE, [PTRACE_ATTACH, (-4i64) as u64, 0, 0, 0, 0])), ESRCH);
    assert_eq!(errno(k.syscall(PTRACE, [PTRACE_ATTACH, 100, 0, 0, 0, 0])), ENOSYS);
    assert_eq!(errno(k.syscall(PTRACE, [PTRACE_SEIZE, 100, 8, 0, 0, 0])), EIO, "SEIZE with an address");
    assert_eq!(errno(k.syscall(PTRACE, [PTRACE_SEIZE, 100, 0, 1 << 30, 0, 0])), EIO, "SEIZE, bad options");
    assert_eq!(errno(k.syscall(PTRACE, [PTRACE_SETOPTIONS, 100, 0, 1 << 30, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(PTRACE, [PTRACE_CONT, 100, 0, 65, 0, 0])), EIO, "signal 65");
    assert_eq!(errno(k.syscall(PTRACE, [PTRACE_CONT, 100, 0, 9, 0, 0])), ENOSYS);
}
