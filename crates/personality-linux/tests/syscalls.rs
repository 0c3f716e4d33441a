//! The Linux personality against a fake core: argument decoding, struct
//! encoding and errno results, without a kernel.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::FileStat;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

#[test]
fn write_reaches_the_core_and_returns_the_count() {
    let mut k = FakeCore::new();
    k.put(MEM_BASE, b"hello");
    assert_eq!(k.syscall(1, [1, MEM_BASE, 5, 0, 0, 0]), 5);
    assert_eq!(k.written, vec![(1, b"hello".to_vec())]);
}

#[test]
fn errors_come_back_as_negative_errno() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(1, [9, MEM_BASE, 5, 0, 0, 0])), 9, "EBADF");
    assert_eq!(errno(k.syscall(1, [1, 0xdead_0000, 5, 0, 0, 0])), 14, "EFAULT for a pointer outside user memory");
}

#[test]
fn unknown_syscalls_are_enosys_and_logged_once_by_name() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(173, [0; 6])), 38, "ioperm: ENOSYS");
    assert_eq!(errno(k.syscall(173, [0; 6])), 38);
    assert_eq!(k.log, vec!["linux: unsupported syscall 173 (ioperm)".to_string()], "one line naming the call");
    assert_eq!(errno(k.syscall(9999, [0; 6])), 38, "a number past the table");
}

/// A regular file's metadata, every field distinct.
fn sample_meta() -> vfs::Metadata {
    vfs::Metadata {
        file_type: vfs::FileType::Regular,
        mode: 0o640,
        uid: 1000,
        gid: 100,
        nlink: 2,
        size: 12345,
        rdev: vfs::DeviceNumber { major: 0, minor: 0 },
        atime: vfs::Timestamp { secs: 10, nanos: 1 },
        mtime: vfs::Timestamp { secs: 20, nanos: 2 },
        ctime: vfs::Timestamp { secs: 30, nanos: 3 },
        ino: 77,
        blocks: 32,
        blksize: 4096,
    }
}

#[test]
fn stat_encodes_the_x86_64_layout() {
    let mut k = FakeCore::new();
    let meta = sample_meta();
    k.files.push((b"/etc/x".to_vec(), FileStat { dev: 3, meta }));
    k.put(MEM_BASE, b"/etc/x\0");
    let buf = MEM_BASE + 0x100;
    assert_eq!(k.syscall(4, [MEM_BASE, buf, 0, 0, 0, 0]), 0);
    let st = linux_abi::stat::Stat::from_bytes(k.get(buf, 144)).unwrap();
    assert_eq!((st.st_dev, st.st_ino, st.st_nlink, st.st_size), (3, 77, 2, 12345));
    assert_eq!(st.st_mode, 0o100640, "S_IFREG | permissions");
    assert_eq!((st.st_mtime, st.st_mtime_nsec), (20, 2));
    k.put(MEM_BASE, b"/missing\0");
    assert_eq!(errno(k.syscall(4, [MEM_BASE, buf, 0, 0, 0, 0])), 2, "ENOENT");
}

#[test]
fn arch_prctl_sets_the_tls_base() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(158, [0x1002, 0x7000_1234, 0, 0, 0, 0]), 0, "ARCH_SET_FS");
    assert_eq!(k.thread_pointer, 0x7000_1234);
    assert_eq!(k.syscall(158, [0x1003, MEM_BASE, 0, 0, 0, 0]), 0, "ARCH_GET_FS");
    assert_eq!(k.get(MEM_BASE, 8), &0x7000_1234u64.to_le_bytes());
    assert_eq!(errno(k.syscall(158, [0x9999, 0, 0, 0, 0, 0])), 22, "unknown code: EINVAL");
}

#[test]
fn uname_reports_linux() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(63, [MEM_BASE, 0, 0, 0, 0, 0]), 0);
    let u = linux_abi::utsname::Utsname::from_bytes(k.get(MEM_BASE, 390)).unwrap();
    assert_eq!(linux_abi::utsname::uts_str(&u.sysname), b"Linux");
    assert_eq!(linux_abi::utsname::uts_str(&u.nodename), b"fakehost");
    assert_eq!(linux_abi::utsname::uts_str(&u.machine), b"x86_64");
}

#[test]
fn exit_group_reaches_the_core() {
    let mut k = FakeCore::new();
    k.syscall(231, [3, 0, 0, 0, 0, 0]);
    assert_eq!(k.exited, Some((3, true)));
}

#[test]
fn interrupted_calls_restart_or_fail_with_eintr() {
    use kernel_ops::{Personality, Signal, SignalAction, SignalCause, SignalFlags, SignalHandler, SignalInfo};
    // A read (call 0) whose instruction is at 0x1000 ended interrupted.
    let setup = |k: &mut FakeCore| {
        k.context = fake_core::arch::interrupted_call(0, 0x1002);
    };
    let mut k = FakeCore::new();
    setup(&mut k);
    personality_linux::LINUX.restart_syscall(&mut k);
    assert_eq!((k.context.pc(), k.result()), (0x1000, 0), "no handler: rewind and restart the same call");
    // With a handler lacking SA_RESTART, the call fails with EINTR first.
    let mut k = FakeCore::new();
    setup(&mut k);
    let info = SignalInfo { signal: Signal::USR1, cause: SignalCause::Kernel };
    let action = SignalAction {
        handler: SignalHandler::User(0x4000),
        flags: SignalFlags::default(),
        mask: kernel_ops::SignalSet::EMPTY,
        restorer: 0,
    };
    let _ = personality_linux::LINUX.deliver_signal(&mut k, &info, &action);
    assert_eq!(errno(k.result()), 4, "EINTR");
}

#[test]
fn statfs_encodes_what_the_file_system_says() {
    let mut k = FakeCore::new();
    // statfs needs only that the path exists.
    k.files.push((b"/mnt".to_vec(), FileStat { dev: 5, meta: sample_meta() }));
    k.fs_info = kernel_ops::FsInfo {
        name: "ext2".into(),
        stats: vfs::FsStats {
            block_size: 1024,
            total_blocks: 16384,
            free_blocks: 15000,
            total_inodes: 4096,
            free_inodes: 4000,
            name_max: 255,
        },
        read_only: true,
        id: 0x1_0000_0007,
    };
    k.put(MEM_BASE, b"/mnt\0");
    let buf = MEM_BASE + 0x100;
    assert_eq!(k.syscall(137, [MEM_BASE, buf, 0, 0, 0, 0]), 0);
    let s = linux_abi::statfs::Statfs::from_bytes(k.get(buf, 120)).unwrap();
    assert_eq!(s.f_type, 0xef53, "EXT2_SUPER_MAGIC");
    assert_eq!((s.f_bsize, s.f_frsize, s.f_blocks, s.f_bfree, s.f_bavail), (1024, 1024, 16384, 15000, 15000));
    assert_eq!((s.f_files, s.f_ffree, s.f_namelen), (4096, 4000, 255));
    assert_eq!(s.f_fsid, [7, 1]);
    assert_eq!(s.f_flags, 0x21, "ST_VALID | ST_RDONLY");
    k.put(MEM_BASE, b"/missing\0");
    assert_eq!(errno(k.syscall(137, [MEM_BASE, buf, 0, 0, 0, 0])), 2, "ENOENT");
    assert_eq!(errno(k.syscall(138, [9, buf, 0, 0, 0, 0])), 9, "fstatfs of a closed fd: EBADF");
}
