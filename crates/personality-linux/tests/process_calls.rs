//! Argument decoding for the calls programs make while starting up and
//! creating threads: clone and clone3, prctl, membarrier, eventfd,
//! getrusage, getcpu and sched_getaffinity, against the fake core.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{ResourceUsage, Signal, TaskSetting, UsageTarget};
use linux_abi::clone::*;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

const EINVAL: i64 = 22;
const E2BIG: i64 = 7;
const EPERM: i64 = 1;

/// What glibc 2.36's pthread_create passes.
const THREAD_FLAGS: u64 = CLONE_VM
    | CLONE_FS
    | CLONE_FILES
    | CLONE_SIGHAND
    | CLONE_THREAD
    | CLONE_SYSVSEM
    | CLONE_SETTLS
    | CLONE_PARENT_SETTID
    | CLONE_CHILD_CLEARTID;

fn clone3(k: &mut FakeCore, args: &CloneArgs, size: usize) -> u64 {
    let bytes = args.to_bytes();
    let mut buf = vec![0u8; size.max(88)];
    buf[..88].copy_from_slice(&bytes);
    k.put(MEM_BASE, &buf[..size]);
    k.syscall(435, [MEM_BASE, size as u64, 0, 0, 0, 0])
}

#[test]
fn clone3_thread_takes_the_top_of_its_stack_and_every_address() {
    let mut k = FakeCore::new();
    let args = CloneArgs {
        flags: THREAD_FLAGS,
        child_tid: 0x5000,
        parent_tid: 0x6000,
        stack: 0x10_0000,
        stack_size: 0x8000,
        tls: 0x7000,
        ..Default::default()
    };
    assert_eq!(clone3(&mut k, &args, 88), 100, "the child's id");
    let c = k.clones[0];
    assert!(c.thread && c.share_memory && c.share_files && c.share_fs && c.share_signal_handlers && !c.vfork);
    assert_eq!(c.new_stack, Some(0x10_8000), "stack pointer = stack + stack_size");
    assert_eq!(
        (c.tls, c.parent_tid_address, c.child_clear_tid_address, c.child_set_tid_address),
        (Some(0x7000), Some(0x6000), Some(0x5000), None)
    );
    assert_eq!(c.exit_signal, None, "threads signal nobody");
}

#[test]
fn clone3_accepts_every_published_size() {
    for size in [CLONE_ARGS_SIZE_VER0, CLONE_ARGS_SIZE_VER1, CLONE_ARGS_SIZE_VER2, 128] {
        let mut k = FakeCore::new();
        let args = CloneArgs { exit_signal: 17, ..Default::default() };
        assert_eq!(clone3(&mut k, &args, size), 100, "size {size}");
        assert_eq!(k.clones[0].exit_signal, Some(Signal::CHLD));
        assert_eq!(k.clones[0].new_stack, None, "no stack: the child shares the caller's stack pointer");
    }
}

#[test]
fn clone3_size_rules_are_linuxs() {
    let mut k = FakeCore::new();
    let args = CloneArgs { exit_signal: 17, ..Default::default() };
    assert_eq!(errno(clone3(&mut k, &args, 63)), EINVAL, "smaller than version 0");
    assert_eq!(errno(clone3(&mut k, &args, 0)), EINVAL);
    // A bigger struct from a newer program: fine while the tail is zero.
    let mut big = vec![0u8; 200];
    big[..88].copy_from_slice(&args.to_bytes());
    big[150] = 1;
    k.put(MEM_BASE, &big);
    assert_eq!(errno(k.syscall(435, [MEM_BASE, 200, 0, 0, 0, 0])), E2BIG, "non-zero bytes past what the kernel knows");
    assert_eq!(errno(k.syscall(435, [MEM_BASE, 4097, 0, 0, 0, 0])), E2BIG, "more than a page");
    assert_eq!(errno(k.syscall(435, [0xdead_0000, 88, 0, 0, 0, 0])), 14, "EFAULT");
    assert!(k.clones.is_empty());
}

#[test]
fn clone3_refuses_what_clone_args_forbids() {
    let cases: [(&str, CloneArgs); 9] = [
        ("exit signal in the flags' low byte", CloneArgs { flags: 17, ..Default::default() }),
        ("CLONE_DETACHED", CloneArgs { flags: CLONE_DETACHED, ..Default::default() }),
        ("exit signal past 64", CloneArgs { exit_signal: 65, ..Default::default() }),
        ("exit signal with bits past CSIGNAL", CloneArgs { exit_signal: 0x111, ..Default::default() }),
        ("a thread with an exit signal", CloneArgs { flags: THREAD_FLAGS, exit_signal: 17, ..Default::default() }),
        ("stack without size", CloneArgs { stack: 0x1000, ..Default::default() }),
        ("size without stack", CloneArgs { stack_size: 0x1000, ..Default::default() }),
        ("set_tid_size without set_tid", CloneArgs { set_tid_size: 1, ..Default::default() }),
        (
            "CLONE_SIGHAND with CLONE_CLEAR_SIGHAND",
            CloneArgs { flags: CLONE_VM | CLONE_SIGHAND | CLONE_CLEAR_SIGHAND, ..Default::default() },
        ),
    ];
    for (what, args) in cases {
        let mut k = FakeCore::new();
        assert_eq!(errno(clone3(&mut k, &args, 88)), EINVAL, "{what}");
        assert!(k.clones.is_empty(), "{what}");
    }
}

#[test]
fn unsupported_clone_features_are_refused_with_one_log_line() {
    let mut k = FakeCore::new();
    let set_tid = CloneArgs { set_tid: MEM_BASE + 0x200, set_tid_size: 1, exit_signal: 17, ..Default::default() };
    assert_eq!(errno(clone3(&mut k, &set_tid, 88)), EINVAL);
    assert_eq!(k.log.len(), 1);
    assert!(k.log[0].contains("set_tid"), "{:?}", k.log);
    assert!(k.clones.is_empty());
}

#[test]
fn clone_pidfd_reaches_the_core_with_its_address() {
    let mut k = FakeCore::new();
    // clone3: the pidfd field.
    let pidfd = CloneArgs { flags: CLONE_PIDFD, pidfd: MEM_BASE + 0x200, exit_signal: 17, ..Default::default() };
    assert_eq!(clone3(&mut k, &pidfd, 88), 100);
    assert_eq!(k.clones[0].pidfd_address, Some(MEM_BASE + 0x200));
    assert_eq!(k.clones[0].parent_tid_address, None);
    // clone: through the parent_tid pointer, which then is not also a tid.
    assert_eq!(k.syscall(56, [CLONE_PIDFD | 17, 0, MEM_BASE + 0x300, 0, 0, 0]), 100);
    assert_eq!(k.clones[1].pidfd_address, Some(MEM_BASE + 0x300));
    assert_eq!(k.clones[1].parent_tid_address, None);
    assert_eq!(
        errno(k.syscall(56, [CLONE_PIDFD | CLONE_PARENT_SETTID | 17, 0, MEM_BASE, 0, 0, 0])),
        EINVAL,
        "one pointer cannot take both"
    );
    // Not for threads (PIDFD_THREAD is Linux 6.9's) nor detached children.
    assert_eq!(
        errno(k.syscall(56, [CLONE_PIDFD | (THREAD_FLAGS & !CLONE_PARENT_SETTID), 0x10_0000, MEM_BASE, 0, 0, 0])),
        EINVAL,
        "a thread"
    );
    assert_eq!(errno(k.syscall(56, [CLONE_PIDFD | CLONE_DETACHED | 17, 0, MEM_BASE, 0, 0, 0])), EINVAL, "detached");
    // Without the flag nothing is asked for.
    assert_eq!(k.syscall(56, [17, 0, 0, 0, 0, 0]), 100);
    assert_eq!(k.clones[2].pidfd_address, None);
    assert_eq!(k.clones.len(), 3);
    assert!(k.log.is_empty(), "{:?}", k.log);
}

#[test]
fn clone3_clear_sighand_and_vfork_reach_the_core() {
    let mut k = FakeCore::new();
    // What glibc's posix_spawn asks for.
    let spawn = CloneArgs {
        flags: CLONE_VM | CLONE_VFORK | CLONE_CLEAR_SIGHAND,
        exit_signal: 17,
        stack: 0x20_0000,
        stack_size: 0x1_0000,
        ..Default::default()
    };
    assert_eq!(clone3(&mut k, &spawn, 88), 100);
    let c = k.clones[0];
    assert!(c.vfork && c.share_memory && c.clear_signal_handlers && !c.thread);
    assert_eq!(c.new_stack, Some(0x21_0000));
    // The legacy call has no CLONE_CLEAR_SIGHAND (a 64-bit flag).
    assert_eq!(errno(k.syscall(56, [CLONE_CLEAR_SIGHAND | 17, 0, 0, 0, 0, 0])), EINVAL);
}

#[test]
fn legacy_clone_decodes_the_same_way() {
    let mut k = FakeCore::new();
    // x86_64 order: flags, newsp (a top), parent_tid, child_tid, tls.
    assert_eq!(k.syscall(56, [THREAD_FLAGS, 0x10_8000, 0x6000, 0x5000, 0x7000, 0]), 100);
    let c = k.clones[0];
    assert_eq!(
        (c.new_stack, c.tls, c.parent_tid_address, c.child_clear_tid_address),
        (Some(0x10_8000), Some(0x7000), Some(0x6000), Some(0x5000))
    );
    assert_eq!(
        k.syscall(56, [CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | 17, 0, 0, 0x5000, 0, 0]),
        100,
        "glibc's fork"
    );
    let c = k.clones[1];
    assert_eq!((c.new_stack, c.exit_signal, c.child_set_tid_address), (None, Some(Signal::CHLD), Some(0x5000)));
    assert_eq!(
        errno(k.syscall(56, [CLONE_THREAD | CLONE_VM, 0, 0, 0, 0, 0])),
        EINVAL,
        "CLONE_THREAD needs CLONE_SIGHAND"
    );
}

#[test]
fn prctl_records_and_returns_settings() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(157, [1, 10, 0, 0, 0, 0]), 0, "PR_SET_PDEATHSIG SIGUSR1");
    assert_eq!(k.syscall(157, [2, MEM_BASE, 0, 0, 0, 0]), 0, "PR_GET_PDEATHSIG");
    assert_eq!(k.get(MEM_BASE, 4), &10u32.to_le_bytes());
    assert_eq!(errno(k.syscall(157, [1, 65, 0, 0, 0, 0])), EINVAL, "not a signal");
    assert_eq!(k.syscall(157, [4, 0, 0, 0, 0, 0]), 0, "PR_SET_DUMPABLE 0");
    assert_eq!(k.syscall(157, [3, 0, 0, 0, 0, 0]), 0, "PR_GET_DUMPABLE");
    assert_eq!(errno(k.syscall(157, [4, 2, 0, 0, 0, 0])), EINVAL, "SUID_DUMP_ROOT cannot be set");
    assert_eq!(errno(k.syscall(157, [38, 1, 1, 0, 0, 0])), EINVAL, "PR_SET_NO_NEW_PRIVS with a stray argument");
    assert_eq!(k.syscall(157, [38, 1, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(157, [39, 0, 0, 0, 0, 0]), 1, "PR_GET_NO_NEW_PRIVS");
    assert_eq!(k.syscall(157, [36, 7, 0, 0, 0, 0]), 0, "PR_SET_CHILD_SUBREAPER (any non-zero)");
    assert_eq!(k.syscall(157, [37, MEM_BASE, 0, 0, 0, 0]), 0);
    assert_eq!(k.get(MEM_BASE, 4), &1u32.to_le_bytes());
    assert_eq!(k.syscall(157, [29, 123_000, 0, 0, 0, 0]), 0, "PR_SET_TIMERSLACK");
    assert_eq!(k.syscall(157, [30, 0, 0, 0, 0, 0]), 123_000);
    assert_eq!(k.syscall(157, [29, 0, 0, 0, 0, 0]), 0, "0 restores the default");
    assert_eq!(k.syscall(157, [30, 0, 0, 0, 0, 0]), 50_000);
    let set: Vec<TaskSetting> = k.settings.iter().map(|(w, _)| *w).collect();
    assert!(
        set.contains(&TaskSetting::ParentDeathSignal)
            && set.contains(&TaskSetting::ChildSubreaper)
            && set.contains(&TaskSetting::NoNewPrivileges)
    );
}

#[test]
fn prctl_fixed_answers_and_refusals() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(157, [21, 0, 0, 0, 0, 0]), 0, "PR_GET_SECCOMP: disabled");
    assert_eq!(k.syscall(157, [23, 0, 0, 0, 0, 0]), 1, "PR_CAPBSET_READ CAP_CHOWN");
    assert_eq!(k.syscall(157, [23, 40, 0, 0, 0, 0]), 1, "PR_CAPBSET_READ CAP_LAST_CAP");
    assert_eq!(errno(k.syscall(157, [23, 41, 0, 0, 0, 0])), EINVAL, "past CAP_LAST_CAP");
    assert_eq!(errno(k.syscall(157, [0x53564d41, 0, 0x1000, 0x1000, MEM_BASE, 0])), EINVAL, "PR_SET_VMA: not built in");
    assert_eq!(errno(k.syscall(157, [35, 1, 0, 0, 0, 0])), EPERM, "PR_SET_MM");
    assert!(k.log.is_empty(), "known answers are not logged: {:?}", k.log);
    assert_eq!(errno(k.syscall(157, [9999, 0, 0, 0, 0, 0])), EINVAL, "unknown option");
    assert_eq!(k.log, vec!["linux: prctl option 9999".to_string()]);
}

#[test]
fn prctl_names_are_truncated_to_15_bytes() {
    let mut k = FakeCore::new();
    k.put(MEM_BASE, b"a-very-long-thread-name\0");
    assert_eq!(k.syscall(157, [15, MEM_BASE, 0, 0, 0, 0]), 0);
    assert_eq!(&k.thread_name, b"a-very-long-thr\0");
    assert_eq!(k.syscall(157, [16, MEM_BASE + 0x100, 0, 0, 0, 0]), 0);
    assert_eq!(k.get(MEM_BASE + 0x100, 16), b"a-very-long-thr\0");
    assert_eq!(errno(k.syscall(157, [15, 0xdead_0000, 0, 0, 0, 0])), 14, "EFAULT");
}

#[test]
fn membarrier_needs_registration_for_private_barriers() {
    let mut k = FakeCore::new();
    let q = k.syscall(324, [0, 0, 0, 0, 0, 0]);
    assert_eq!(q & 0x18, 0x18, "PRIVATE_EXPEDITED and its REGISTER are offered");
    assert_eq!(q & 0x180, 0, "no RSEQ commands without rseq");
    assert_eq!(errno(k.syscall(324, [8, 0, 0, 0, 0, 0])), EPERM, "PRIVATE_EXPEDITED before registering");
    assert_eq!(k.syscall(324, [16, 0, 0, 0, 0, 0]), 0, "REGISTER_PRIVATE_EXPEDITED");
    assert_eq!(k.syscall(324, [8, 0, 0, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(324, [32, 0, 0, 0, 0, 0])), EPERM, "SYNC_CORE has its own registration");
    assert_eq!(k.syscall(324, [1, 0, 0, 0, 0, 0]), 0, "GLOBAL");
    assert_eq!(errno(k.syscall(324, [8, 1, 0, 0, 0, 0])), EINVAL, "flags must be 0");
    assert_eq!(errno(k.syscall(324, [3, 0, 0, 0, 0, 0])), EINVAL, "two commands at once");
    assert_eq!(errno(k.syscall(324, [1 << 7, 0, 0, 0, 0, 0])), EINVAL, "PRIVATE_EXPEDITED_RSEQ");
}

#[test]
fn rseq_is_enosys_and_logged_once() {
    let mut k = FakeCore::new();
    // glibc 2.35+ registers rseq at start and carries on when it fails.
    for _ in 0..3 {
        assert_eq!(errno(k.syscall(334, [MEM_BASE, 32, 0, 0x53053053, 0, 0])), 38);
    }
    assert!(k.log.len() <= 1, "{:?}", k.log);
}

#[test]
fn eventfd_flags_reach_the_core() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(290, [5, 0o2004001, 0, 0, 0, 0]), 10, "EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK");
    let (initial, f) = k.counters[0];
    assert_eq!(initial, 5);
    assert!(f.semaphore && f.close_on_exec && f.non_blocking);
    assert_eq!(k.syscall(284, [0x1_0000_0007, 0, 0, 0, 0, 0]), 11, "eventfd: initval is an unsigned int");
    assert_eq!(k.counters[1].0, 7);
    assert!(!k.counters[1].1.semaphore && !k.counters[1].1.close_on_exec);
    assert_eq!(errno(k.syscall(290, [0, 2, 0, 0, 0, 0])), EINVAL, "unknown flag");
    assert_eq!(errno(k.syscall(290, [0, 0o2000000 | 0o100, 0, 0, 0, 0])), EINVAL, "O_CREAT is not an eventfd flag");
    assert_eq!(k.counters.len(), 2);
}

#[test]
fn getrusage_encodes_every_counter() {
    let mut k = FakeCore::new();
    k.usage = ResourceUsage {
        user_ns: 1_500_000_000,
        system_ns: 2_000_000,
        max_rss_bytes: 8 << 20,
        minor_faults: 300,
        major_faults: 2,
        voluntary_switches: 40,
        involuntary_switches: 5,
    };
    for (who, target) in
        [(0u64, UsageTarget::Process), (1, UsageTarget::Thread), ((-1i64) as u64, UsageTarget::Children)]
    {
        assert_eq!(k.syscall(98, [who, MEM_BASE, 0, 0, 0, 0]), 0);
        assert_eq!(*k.usage_asked.last().unwrap(), target);
        let ru = linux_abi::resource::Rusage::from_bytes(k.get(MEM_BASE, 144)).unwrap();
        assert_eq!((ru.ru_utime.tv_sec, ru.ru_utime.tv_usec, ru.ru_stime.tv_usec), (1, 500_000, 2_000));
        assert_eq!(ru.ru_maxrss, 8192, "KiB");
        assert_eq!((ru.ru_minflt, ru.ru_majflt, ru.ru_nvcsw, ru.ru_nivcsw), (300, 2, 40, 5));
    }
    assert_eq!(errno(k.syscall(98, [2, MEM_BASE, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(98, [(-2i64) as u64, MEM_BASE, 0, 0, 0, 0])), EINVAL, "RUSAGE_BOTH is kernel-internal");
}

#[test]
fn getcpu_and_affinity_report_the_cores_cpus() {
    let mut k = FakeCore::new();
    k.put(MEM_BASE, &[0xff; 16]);
    assert_eq!(k.syscall(309, [MEM_BASE, MEM_BASE + 4, 0, 0, 0, 0]), 0);
    assert_eq!(k.get(MEM_BASE, 8), &[0u8; 8], "CPU 0, node 0");
    assert_eq!(k.syscall(309, [0, 0, 0, 0, 0, 0]), 0, "both pointers may be NULL");
    assert_eq!(k.syscall(204, [0, 128, MEM_BASE, 0, 0, 0]), 8, "the mask's size in bytes");
    assert_eq!(k.get(MEM_BASE, 8), &1u64.to_le_bytes());
    assert_eq!(errno(k.syscall(204, [0, 4, MEM_BASE, 0, 0, 0])), EINVAL, "smaller than the kernel's mask");
}
