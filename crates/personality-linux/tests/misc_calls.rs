//! The rest of the socket/IPC helper's share against the fake core:
//! sendfile, tee and vmsplice; fanotify_init and fanotify_mark;
//! rt_sigreturn, rt_sigqueueinfo, rt_tgsigqueueinfo, sigaltstack and
//! tkill; mount, umount2 and sysfs; pidfd_getfd. What reaches the core,
//! what is written back in Linux's layout, and which errno comes first.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{AltStack, Credentials, FileStat, OpenFlags, Signal, SignalHandler, SpliceFlags};

const SENDFILE: u64 = 40;
const RT_SIGRETURN: u64 = 15;
const RT_SIGQUEUEINFO: u64 = 129;
const SIGALTSTACK: u64 = 131;
const SYSFS: u64 = 139;
const MOUNT: u64 = 165;
const UMOUNT2: u64 = 166;
const TKILL: u64 = 200;
const TEE: u64 = 276;
const VMSPLICE: u64 = 278;
const RT_TGSIGQUEUEINFO: u64 = 297;
const FANOTIFY_INIT: u64 = 300;
const FANOTIFY_MARK: u64 = 301;
const PIDFD_GETFD: u64 = 438;

const EPERM: i64 = 1;
const EBADF: i64 = 9;
const ENOMEM: i64 = 12;
const EFAULT: i64 = 14;
const EINVAL: i64 = 22;
const ENOSYS: i64 = 38;

const A: u64 = MEM_BASE;
const B: u64 = MEM_BASE + 0x200;
const C: u64 = MEM_BASE + 0x400;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn u64_at(k: &FakeCore, addr: u64) -> u64 {
    u64::from_le_bytes(k.get(addr, 8).try_into().unwrap())
}

fn stat() -> FileStat {
    let meta = vfs::Metadata {
        file_type: vfs::FileType::Fifo,
        mode: 0o600,
        uid: 0,
        gid: 0,
        nlink: 1,
        size: 0,
        rdev: vfs::DeviceNumber { major: 0, minor: 0 },
        atime: vfs::Timestamp::default(),
        mtime: vfs::Timestamp::default(),
        ctime: vfs::Timestamp::default(),
        ino: 1,
        blocks: 0,
        blksize: 4096,
    };
    FileStat { dev: 1, meta }
}

#[test]
fn sendfile_passes_the_offset_and_writes_it_back_advanced() {
    let mut k = FakeCore::new();
    k.move_answer = Ok(300);
    k.put(A, &1000u64.to_le_bytes());
    assert_eq!(k.syscall(SENDFILE, [4, 5, A, 500, 0, 0]), 300);
    assert_eq!(u64_at(&k, A), 1300, "the offset moved past what was sent");
    assert_eq!(k.syscall(SENDFILE, [4, 5, 0, u64::MAX, 0, 0]), 300);
    assert_eq!(
        k.ipc_state.transfers,
        vec![(4, 5, Some(1000), 500), (4, 5, None, 0x7fff_f000)],
        "out, in (in Linux's argument order), offset, count capped at MAX_RW_COUNT"
    );
    k.put(A, &(-1i64).to_le_bytes());
    assert_eq!(errno(k.syscall(SENDFILE, [4, 5, A, 10, 0, 0])), EINVAL, "a negative offset");
    assert_eq!(errno(k.syscall(SENDFILE, [4, 5, 8, 10, 0, 0])), EFAULT);
    assert_eq!(k.ipc_state.transfers.len(), 2);
}

#[test]
fn tee_decodes_flags_and_a_zero_length_is_zero() {
    let mut k = FakeCore::new();
    k.move_answer = Ok(64);
    assert_eq!(k.syscall(TEE, [5, 6, 100, 2, 0, 0]), 64);
    assert_eq!(k.syscall(TEE, [5, 6, u64::MAX, 0, 0, 0]), 64);
    assert_eq!(k.syscall(TEE, [5, 6, 0, 0, 0, 0]), 0);
    assert_eq!(
        k.ipc_state.tees,
        vec![(5, 6, 100, SpliceFlags { non_blocking: true }), (5, 6, 0x7fff_f000, SpliceFlags { non_blocking: false })]
    );
    assert_eq!(errno(k.syscall(TEE, [5, 6, 0, 0x10, 0, 0])), EINVAL, "an unknown flag, even with length 0");
    assert_eq!(k.ipc_state.tees.len(), 2);
}

#[test]
fn vmsplice_walks_the_iovecs_skipping_empty_ones() {
    let mut k = FakeCore::new();
    k.fds.push((5, OpenFlags { write: true, ..OpenFlags::default() }, 0, stat()));
    let iov: Vec<u8> = [(C, 10u64), (C + 0x20, 0), (C + 0x40, 5)]
        .iter()
        .flat_map(|(a, l)| [a.to_le_bytes(), l.to_le_bytes()].concat())
        .collect();
    k.put(A, &iov);
    assert_eq!(k.syscall(VMSPLICE, [5, A, 3, 2 | 4, 0, 0]), 15, "SPLICE_F_NONBLOCK|SPLICE_F_MORE");
    assert_eq!(k.ipc_state.vmsplices, vec![(5, vec![(C, 10), (C + 0x40, 5)], SpliceFlags { non_blocking: true })]);
    assert_eq!(k.syscall(VMSPLICE, [5, A + 16, 1, 0, 0, 0]), 0, "only empty buffers: 0, the core not asked");
    assert_eq!(errno(k.syscall(VMSPLICE, [5, A, 3, 0x10, 0, 0])), EINVAL, "an unknown flag");
    assert_eq!(errno(k.syscall(VMSPLICE, [40, A, 3, 0, 0, 0])), EBADF, "closed");
    assert_eq!(errno(k.syscall(VMSPLICE, [5, A, 1025, 0, 0, 0])), EINVAL, "more than UIO_MAXIOV");
    assert_eq!(errno(k.syscall(VMSPLICE, [5, 8, 1, 0, 0, 0])), EFAULT);
    assert_eq!(k.ipc_state.vmsplices.len(), 1);
}

#[test]
fn fanotify_init_decodes_class_and_flags_and_needs_privilege() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(FANOTIFY_INIT, [0, 0, 0, 0, 0, 0])), EPERM, "CAP_SYS_ADMIN");
    k.creds = Credentials::ROOT;
    let fd = k.syscall(FANOTIFY_INIT, [0x4 | 0x1 | 0x2 | 0x10, 0o2 | 0o100000, 0, 0, 0, 0]);
    assert_eq!(fd, 20);
    let g = k.ipc_state.groups[0];
    assert_eq!(g.class, 1, "FAN_CLASS_CONTENT");
    assert!(g.flags.close_on_exec && g.flags.non_blocking && g.unlimited_queue && !g.unlimited_marks);
    assert!(g.event_file.read && g.event_file.write, "event files opened O_RDWR");
    assert_eq!(errno(k.syscall(FANOTIFY_INIT, [0x4 | 0x8, 0, 0, 0, 0, 0])), EINVAL, "two classes");
    assert_eq!(errno(k.syscall(FANOTIFY_INIT, [0x4 | 0x200, 0, 0, 0, 0, 0])), EINVAL, "FID with a content class");
    assert_eq!(errno(k.syscall(FANOTIFY_INIT, [0, 3, 0, 0, 0, 0])), EINVAL, "O_ACCMODE 3 event files");
    assert_eq!(errno(k.syscall(FANOTIFY_INIT, [1 << 20, 0, 0, 0, 0, 0])), EINVAL, "an unknown flag");
    assert_eq!(k.ipc_state.groups.len(), 1);
}

#[test]
fn fanotify_mark_checks_command_and_mask_and_passes_the_path() {
    let mut k = FakeCore::new();
    k.put(A, b"/tmp\0");
    let at_fdcwd = (-100i64) as u64;
    assert_eq!(k.syscall(FANOTIFY_MARK, [5, 0x1, 0x20 | 0x8, at_fdcwd, A, 0]), 0);
    assert_eq!(k.syscall(FANOTIFY_MARK, [5, 0x80, 0, 6, 0, 0]), 0, "FLUSH with no mask and no path");
    let m = &k.ipc_state.marks;
    assert_eq!((m[0].0, m[0].1, m[0].2, m[0].4.as_deref()), (5, 1, 0x28, Some(&b"/tmp"[..])));
    assert_eq!(format!("{:?}", m[0].3), "Cwd");
    assert_eq!((m[1].1, m[1].2, format!("{:?}", m[1].3), m[1].4.clone()), (0x80, 0, "Fd(6)".to_string(), None));
    assert_eq!(errno(k.syscall(FANOTIFY_MARK, [5, 0x1, 0, at_fdcwd, A, 0])), EINVAL, "ADD with an empty mask");
    assert_eq!(errno(k.syscall(FANOTIFY_MARK, [5, 0x1 | 0x2, 0x20, at_fdcwd, A, 0])), EINVAL, "ADD and REMOVE");
    assert_eq!(errno(k.syscall(FANOTIFY_MARK, [5, 0x80 | 0x1, 0, at_fdcwd, A, 0])), EINVAL, "FLUSH with ADD");
    assert_eq!(errno(k.syscall(FANOTIFY_MARK, [5, 0x1, 1 << 40, at_fdcwd, A, 0])), EINVAL, "an unknown mask bit");
    assert_eq!(errno(k.syscall(FANOTIFY_MARK, [40, 0x1, 0x20, at_fdcwd, A, 0])), EBADF, "a closed group");
    assert_eq!(errno(k.syscall(FANOTIFY_MARK, [5, 0x1, 0x20, at_fdcwd, 8, 0])), EFAULT, "the path");
    assert_eq!(k.ipc_state.marks.len(), 2);
}

/// A siginfo_t with si_code and si_value set.
fn siginfo(signo: i32, code: i32, value: u64) -> Vec<u8> {
    let mut b = vec![0u8; 128];
    b[0..4].copy_from_slice(&signo.to_le_bytes());
    b[8..12].copy_from_slice(&code.to_le_bytes());
    b[24..32].copy_from_slice(&value.to_le_bytes());
    b
}

#[test]
fn rt_sigqueueinfo_queues_the_value_and_guards_kernel_codes() {
    let mut k = FakeCore::new();
    k.put(A, &siginfo(10, -1, 0xabc)); // SI_QUEUE
    assert_eq!(k.syscall(RT_SIGQUEUEINFO, [50, 10, A, 0, 0, 0]), 0);
    assert_eq!(k.ipc_state.queued, vec![(50, None, Signal::USR1, 0xabc)]);
    k.put(B, &siginfo(10, 0, 1)); // SI_USER: the kernel's
    assert_eq!(errno(k.syscall(RT_SIGQUEUEINFO, [50, 10, B, 0, 0, 0])), EPERM, "SI_USER towards another process");
    k.put(B, &siginfo(10, -6, 1)); // SI_TKILL
    assert_eq!(errno(k.syscall(RT_SIGQUEUEINFO, [50, 10, B, 0, 0, 0])), EPERM, "SI_TKILL towards another process");
    assert_eq!(k.syscall(RT_SIGQUEUEINFO, [7, 10, B, 0, 0, 0]), 0, "but a process may claim it towards itself");
    assert_eq!(k.ipc_state.queued[1], (7, None, Signal::USR1, 1));
    assert_eq!(errno(k.syscall(RT_SIGQUEUEINFO, [50, 65, A, 0, 0, 0])), EINVAL, "signal 65");
    assert_eq!(errno(k.syscall(RT_SIGQUEUEINFO, [50, 10, 8, 0, 0, 0])), EFAULT);
    // Linux's order: the siginfo, then the code, then the signal number.
    assert_eq!(errno(k.syscall(RT_SIGQUEUEINFO, [50, 65, 8, 0, 0, 0])), EFAULT, "a bad siginfo before signal 65");
    k.put(B, &siginfo(10, 0, 1));
    assert_eq!(errno(k.syscall(RT_SIGQUEUEINFO, [50, 65, B, 0, 0, 0])), EPERM, "SI_USER before signal 65");
    assert_eq!(k.ipc_state.queued.len(), 2);
}

#[test]
fn rt_tgsigqueueinfo_names_the_thread_and_guards_kernel_codes() {
    let mut k = FakeCore::new();
    k.put(A, &siginfo(12, -1, 0x77));
    assert_eq!(k.syscall(RT_TGSIGQUEUEINFO, [50, 51, 12, A, 0, 0]), 0);
    k.put(B, &siginfo(12, -6, 5));
    assert_eq!(errno(k.syscall(RT_TGSIGQUEUEINFO, [50, 51, 12, B, 0, 0])), EPERM, "SI_TKILL to another process");
    assert_eq!(k.syscall(RT_TGSIGQUEUEINFO, [7, 9, 12, B, 0, 0]), 0, "to the caller's own process");
    assert_eq!(k.ipc_state.queued, vec![(50, Some(51), Signal::USR2, 0x77), (7, Some(9), Signal::USR2, 5)]);
    assert_eq!(errno(k.syscall(RT_TGSIGQUEUEINFO, [0, 51, 12, A, 0, 0])), EINVAL, "tgid 0");
    assert_eq!(errno(k.syscall(RT_TGSIGQUEUEINFO, [50, (-1i64) as u64, 12, A, 0, 0])), EINVAL, "negative tid");
    assert_eq!(errno(k.syscall(RT_TGSIGQUEUEINFO, [50, 51, 0, A, 0, 0])), EINVAL, "signal 0");
    assert_eq!(errno(k.syscall(RT_TGSIGQUEUEINFO, [50, 51, 12, 8, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(RT_TGSIGQUEUEINFO, [0, 51, 12, 8, 0, 0])), EFAULT, "the siginfo before the ids");
    assert_eq!(errno(k.syscall(RT_TGSIGQUEUEINFO, [50, 51, 65, B, 0, 0])), EPERM, "the code before the signal");
    assert_eq!(k.ipc_state.queued.len(), 2);
}

/// A stack_t: ss_sp, ss_flags (int, padded), ss_size.
fn stack_t(sp: u64, flags: u32, size: u64) -> Vec<u8> {
    [sp.to_le_bytes().to_vec(), flags.to_le_bytes().to_vec(), vec![0; 4], size.to_le_bytes().to_vec()].concat()
}

#[test]
fn sigaltstack_decodes_stack_t_and_reports_the_old_one() {
    let mut k = FakeCore::new();
    k.put(A, &stack_t(0x8000, 0, 8192));
    k.put(B, &[0xee; 24]);
    assert_eq!(k.syscall(SIGALTSTACK, [A, B, 0, 0, 0, 0]), 0);
    assert_eq!(k.get(B, 24), &stack_t(0, 2, 0)[..], "none before: SS_DISABLE");
    assert_eq!(k.ipc_state.alt_stacks_set, vec![AltStack { base: 0x8000, size: 8192, disabled: false }]);
    assert_eq!(k.syscall(SIGALTSTACK, [0, B, 0, 0, 0, 0]), 0, "a query");
    assert_eq!(k.get(B, 24), &stack_t(0x8000, 0, 8192)[..]);
    k.put(A, &stack_t(0x5000, 2, 100));
    assert_eq!(k.syscall(SIGALTSTACK, [A, B, 0, 0, 0, 0]), 0, "SS_DISABLE needs no size");
    assert_eq!(k.syscall(SIGALTSTACK, [0, B, 0, 0, 0, 0]), 0);
    assert_eq!(k.get(B, 24), &stack_t(0, 2, 0)[..], "a disabled stack reads back as NULL, 0 (Linux)");
    k.put(A, &stack_t(0x9000, 1 << 31, 4096));
    assert_eq!(k.syscall(SIGALTSTACK, [A, 0, 0, 0, 0, 0]), 0, "SS_AUTODISARM is accepted");
    assert_eq!(k.ipc_state.alt_stacks_set.len(), 3);
    assert!(k.ipc_state.alt_stacks_set[1].disabled);
    k.put(A, &stack_t(0x9000, 0, 2047));
    assert_eq!(errno(k.syscall(SIGALTSTACK, [A, 0, 0, 0, 0, 0])), ENOMEM, "smaller than MINSIGSTKSZ");
    k.put(A, &stack_t(0x9000, 4, 8192));
    assert_eq!(errno(k.syscall(SIGALTSTACK, [A, 0, 0, 0, 0, 0])), EINVAL, "an unknown flag");
    assert_eq!(errno(k.syscall(SIGALTSTACK, [8, 0, 0, 0, 0, 0])), EFAULT);
    // Running on the alternate stack: no change (EPERM before the flags),
    // and a query reports SS_ONSTACK.
    k.ipc_state.on_alt_stack = true;
    assert_eq!(errno(k.syscall(SIGALTSTACK, [A, 0, 0, 0, 0, 0])), EPERM, "on the stack, even with bad flags");
    assert_eq!(k.syscall(SIGALTSTACK, [0, B, 0, 0, 0, 0]), 0);
    assert_eq!(k.get(B, 24), &stack_t(0x9000, 1, 4096)[..], "SS_ONSTACK");
    assert_eq!(k.ipc_state.alt_stacks_set.len(), 3);
}

#[test]
fn tkill_names_one_thread_and_checks_tid_and_signal() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(TKILL, [8, 12, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(TKILL, [9, 0, 0, 0, 0, 0]), 0, "signal 0: a check");
    assert_eq!(k.kills, vec![(None, Some((None, 8)), Some(Signal::USR2)), (None, Some((None, 9)), None)]);
    assert_eq!(errno(k.syscall(TKILL, [0, 12, 0, 0, 0, 0])), EINVAL, "tid 0");
    assert_eq!(errno(k.syscall(TKILL, [(-1i64) as u64, 12, 0, 0, 0, 0])), EINVAL, "negative tid");
    assert_eq!(errno(k.syscall(TKILL, [8, 65, 0, 0, 0, 0])), EINVAL, "signal 65");
    assert_eq!(k.kills.len(), 2);
}

#[test]
fn rt_sigreturn_restores_registers_and_mask_from_the_frame() {
    let mut k = FakeCore::new();
    // The frame just below the stack pointer: pretcode, then the ucontext
    // (mcontext at 40 within it, sigmask at 296); the mcontext offsets
    // are of x86_64's sigcontext (first argument 64, result 104, stack
    // pointer 120, pc 128, flags 136).
    let frame = MEM_BASE + 0x1000;
    let mut f = vec![0u8; 440];
    let mc = 8 + 40;
    let regs: [(usize, u64); 5] = [(64, 0x1111), (104, 0x2222), (120, 0x7fff_0000), (128, 0x40_1234), (136, 0x246)];
    for (off, v) in regs {
        f[mc + off..mc + off + 8].copy_from_slice(&v.to_le_bytes());
    }
    f[8 + 296..8 + 304].copy_from_slice(&(1u64 << 1).to_le_bytes()); // SIGINT blocked
    k.put(frame, &f);
    k.context.set_sp(frame + 8);
    k.syscall(RT_SIGRETURN, [0; 6]);
    assert_eq!(fake_core::arch::first_argument(&k.context), 0x1111);
    assert_eq!(fake_core::arch::result(&k.context), 0x2222, "the result register is the frame's, not a result");
    assert_eq!((k.context.sp(), k.context.pc()), (0x7fff_0000, 0x40_1234));
    assert!(k.signal_mask.contains(Signal::INT) && !k.signal_mask.contains(Signal::TERM));
    assert!(k.kills.is_empty());
    // A frame that cannot be read: SIGSEGV, with its action reset.
    k.signal_actions[10].handler = SignalHandler::User(0x40_0000);
    k.context.set_sp(16);
    k.syscall(RT_SIGRETURN, [0; 6]);
    assert_eq!(k.kills, vec![(None, Some((None, 7)), Some(Signal::SEGV))]);
    assert_eq!(k.signal_actions[10].handler, SignalHandler::Default);
}

#[test]
fn mount_refuses_changes_it_cannot_make_and_routes_a_remount() {
    let mut k = FakeCore::new();
    k.put(A, b"/mnt\0");
    k.put(B, b"ext2\0");
    assert_eq!(errno(k.syscall(MOUNT, [0, A, B, 4096, 0, 0])), EINVAL, "MS_BIND");
    assert_eq!(k.log.len(), 1, "one log line: {:?}", k.log);
    assert_eq!(errno(k.syscall(MOUNT, [0, A, B, 1 << 30, 0, 0])), EINVAL, "an unknown flag");
    // MS_MGC_VAL in the top half is stripped; a remount of read-only-ness
    // goes to the core's remount (the fake's default: ENOSYS), never mount.
    assert_eq!(errno(k.syscall(MOUNT, [0, A, 0, 0xc0ed_0000 | 32 | 1, 0, 0])), ENOSYS);
    assert_eq!(errno(k.syscall(MOUNT, [0, 8, 0, 32 | 1, 0, 0])), EFAULT, "the remount target");
    assert_eq!(errno(k.syscall(MOUNT, [0, 8, B, 1, 0, 0])), EFAULT, "the target");
    assert_eq!(errno(k.syscall(MOUNT, [8, A, B, 1, 0, 0])), EFAULT, "the source");
}

#[test]
fn umount2_checks_its_flags_before_the_path() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(UMOUNT2, [8, 16, 0, 0, 0, 0])), EINVAL, "an unknown flag");
    assert_eq!(errno(k.syscall(UMOUNT2, [8, 2 | 8, 0, 0, 0, 0])), EFAULT, "MNT_DETACH|UMOUNT_NOFOLLOW, bad path");
}

#[test]
fn sysfs_decodes_its_option() {
    let mut k = FakeCore::new();
    k.put(A, b"ext2\0");
    assert_eq!(k.syscall(SYSFS, [3, 0, 0, 0, 0, 0]), 0, "the fake knows no types");
    assert_eq!(errno(k.syscall(SYSFS, [1, A, 0, 0, 0, 0])), EINVAL, "an unknown name");
    assert_eq!(errno(k.syscall(SYSFS, [1, 8, 0, 0, 0, 0])), EFAULT, "the name pointer");
    assert_eq!(errno(k.syscall(SYSFS, [2, 0, B, 0, 0, 0])), EINVAL, "no type number 0");
    assert_eq!(errno(k.syscall(SYSFS, [0, 0, 0, 0, 0, 0])), EINVAL, "option 0");
    assert_eq!(errno(k.syscall(SYSFS, [4, 0, 0, 0, 0, 0])), EINVAL, "option 4");
}

#[test]
fn pidfd_getfd_passes_handle_and_fd_and_refuses_flags() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(PIDFD_GETFD, [30, 4, 0, 0, 0, 0]), 20);
    assert_eq!(k.ipc_state.taken, vec![(30, 4)]);
    assert_eq!(errno(k.syscall(PIDFD_GETFD, [30, 4, 1, 0, 0, 0])), EINVAL, "flags must be 0");
    assert_eq!(errno(k.syscall(PIDFD_GETFD, [31, 4, 0, 0, 0, 0])), EBADF, "not a process handle");
    assert_eq!(k.ipc_state.taken.len(), 1);
}
