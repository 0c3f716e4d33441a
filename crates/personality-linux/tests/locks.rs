//! flock(2) and fcntl's lock commands against a fake core: how operations,
//! `struct flock` and its whence become lock requests, which error comes
//! first, and what F_GETLK writes back.

mod fake_core;

use fake_core::{FakeCore, LockCall, MEM_BASE};
use kernel_ops::{Error, FileStat, LockHolder, LockKind, LockRange, LockScope, OpenFlags};
use linux_abi::fcntl::*;

const FLOCK: u64 = 73;
const FCNTL: u64 = 72;
const EBADF: i64 = 9;
const EAGAIN: i64 = 11;
const EINVAL: i64 = 22;
const EDEADLK: i64 = 35;
const EOVERFLOW: i64 = 75;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

/// Descriptor 3 open read-write at position 100 on a 1000-byte file,
/// 4 read-only, 5 write-only, 6 O_PATH.
fn core() -> FakeCore {
    let mut k = FakeCore::new();
    let meta = vfs::Metadata {
        file_type: vfs::FileType::Regular,
        mode: 0o644,
        uid: 0,
        gid: 0,
        nlink: 1,
        size: 1000,
        rdev: vfs::DeviceNumber { major: 0, minor: 0 },
        atime: vfs::Timestamp::default(),
        mtime: vfs::Timestamp::default(),
        ctime: vfs::Timestamp::default(),
        ino: 1,
        blocks: 2,
        blksize: 4096,
    };
    let stat = FileStat { dev: 1, meta };
    let rw = OpenFlags { read: true, write: true, ..OpenFlags::default() };
    let ro = OpenFlags { read: true, ..OpenFlags::default() };
    let wo = OpenFlags { write: true, ..OpenFlags::default() };
    let path = OpenFlags { path_only: true, ..OpenFlags::default() };
    for (fd, flags) in [(3, rw), (4, ro), (5, wo), (6, path)] {
        k.fds.push((fd, flags, 100, stat.clone()));
    }
    k
}

fn range(start: u64, end: u64) -> LockRange {
    LockRange::new(start, end).unwrap()
}

fn put_flock(k: &mut FakeCore, l: Flock) {
    k.put(MEM_BASE, &l.to_bytes());
}

fn flock_at(k: &FakeCore) -> Flock {
    Flock::from_bytes(k.get(MEM_BASE, Flock::SIZE)).unwrap()
}

#[test]
fn flock_operations() {
    let mut k = core();
    assert_eq!(k.syscall(FLOCK, [3, u64::from(LOCK_EX | LOCK_NB), 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(FLOCK, [4, u64::from(LOCK_SH), 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(FLOCK, [5, u64::from(LOCK_UN), 0, 0, 0, 0]), 0);
    assert_eq!(
        k.lock_calls,
        vec![
            LockCall::File { fd: 3, kind: Some(LockKind::Exclusive), wait: false },
            LockCall::File { fd: 4, kind: Some(LockKind::Shared), wait: true },
            LockCall::File { fd: 5, kind: None, wait: true },
        ]
    );
    k.lock_answer = Err(Error::WouldBlock);
    assert_eq!(errno(k.syscall(FLOCK, [3, u64::from(LOCK_EX | LOCK_NB), 0, 0, 0, 0])), EAGAIN);
}

#[test]
fn flock_checks_the_operation_before_the_descriptor() {
    let mut k = core();
    for bad in [0, LOCK_NB, LOCK_SH | LOCK_EX, LOCK_SH | LOCK_UN, 3, 16] {
        assert_eq!(errno(k.syscall(FLOCK, [3, u64::from(bad), 0, 0, 0, 0])), EINVAL, "operation {bad}");
        assert_eq!(
            errno(k.syscall(FLOCK, [99, u64::from(bad), 0, 0, 0, 0])),
            EINVAL,
            "operation {bad} on a closed descriptor"
        );
    }
    assert_eq!(errno(k.syscall(FLOCK, [99, u64::from(LOCK_EX), 0, 0, 0, 0])), EBADF);
    assert_eq!(errno(k.syscall(FLOCK, [6, u64::from(LOCK_EX), 0, 0, 0, 0])), EBADF, "O_PATH");
    assert_eq!(errno(k.syscall(FLOCK, [6, u64::from(LOCK_UN), 0, 0, 0, 0])), EBADF, "O_PATH, even to unlock");
    assert!(k.lock_calls.is_empty());
    // LOCK_MAND is ignored, as Linux ignores it now.
    assert_eq!(k.syscall(FLOCK, [3, u64::from(LOCK_MAND | LOCK_EX), 0, 0, 0, 0]), 0);
    assert!(k.lock_calls.is_empty());
}

#[test]
fn setlk_resolves_whence_and_length() {
    let mut k = core();
    let cases = [
        (SEEK_SET_, 10, 5, range(10, 14)),
        (SEEK_CUR_, -10, 5, range(90, 94)),
        (SEEK_END_, 0, 0, LockRange::to_end(1000).unwrap()),
        (SEEK_END_, -10, -5, range(985, 989)),
        (SEEK_SET_, 10, -10, range(0, 9)),
    ];
    for (whence, start, len, want) in cases {
        k.lock_calls.clear();
        put_flock(&mut k, Flock { l_type: F_WRLCK, l_whence: whence, l_start: start, l_len: len, l_pid: 0 });
        assert_eq!(
            k.syscall(FCNTL, [3, u64::from(F_SETLK), MEM_BASE, 0, 0, 0]),
            0,
            "whence {whence} start {start} len {len}"
        );
        assert_eq!(
            k.lock_calls,
            vec![LockCall::Range {
                fd: 3,
                kind: Some(LockKind::Exclusive),
                range: want,
                scope: LockScope::Process,
                wait: false
            }]
        );
    }
}

const SEEK_SET_: u16 = 0;
const SEEK_CUR_: u16 = 1;
const SEEK_END_: u16 = 2;

#[test]
fn setlk_errors_in_linux_order() {
    let mut k = core();
    let try_set = |k: &mut FakeCore, fd: u64, cmd: u32, l: Flock| {
        put_flock(k, l);
        k.syscall(FCNTL, [fd, u64::from(cmd), MEM_BASE, 0, 0, 0])
    };
    let w = Flock { l_type: F_WRLCK, ..Flock::default() };
    assert_eq!(errno(try_set(&mut k, 3, F_SETLK, Flock { l_whence: 3, ..w })), EINVAL, "whence");
    assert_eq!(errno(try_set(&mut k, 3, F_SETLK, Flock { l_start: -1, ..w })), EINVAL, "before byte 0");
    assert_eq!(
        errno(try_set(&mut k, 3, F_SETLK, Flock { l_start: 5, l_len: -6, ..w })),
        EINVAL,
        "negative length past byte 0"
    );
    assert_eq!(errno(try_set(&mut k, 3, F_SETLK, Flock { l_whence: SEEK_END_, l_start: i64::MAX, ..w })), EOVERFLOW);
    assert_eq!(errno(try_set(&mut k, 3, F_SETLK, Flock { l_start: 2, l_len: i64::MAX, ..w })), EOVERFLOW);
    assert_eq!(errno(try_set(&mut k, 3, F_SETLK, Flock { l_type: 7, ..w })), EINVAL, "type");
    // The range is checked before the type.
    assert_eq!(errno(try_set(&mut k, 3, F_SETLK, Flock { l_type: 7, l_start: 2, l_len: i64::MAX, ..w })), EOVERFLOW);
    assert_eq!(errno(try_set(&mut k, 4, F_SETLK, w)), EBADF, "write lock on a read-only descriptor");
    assert_eq!(
        errno(try_set(&mut k, 5, F_SETLK, Flock { l_type: F_RDLCK, ..w })),
        EBADF,
        "read lock on a write-only descriptor"
    );
    assert_eq!(errno(try_set(&mut k, 6, F_SETLK, Flock { l_type: F_UNLCK, ..w })), EBADF, "O_PATH");
    assert_eq!(errno(try_set(&mut k, 99, F_SETLK, w)), EBADF);
    assert_eq!(errno(try_set(&mut k, 3, F_OFD_SETLK, Flock { l_pid: 1, ..w })), EINVAL, "OFD with a pid");
    assert_eq!(errno(try_set(&mut k, 3, F_OFD_SETLKW, Flock { l_pid: -1, ..w })), EINVAL, "OFD with a pid");
    assert!(k.lock_calls.is_empty());
    // Unlocking needs neither access mode.
    assert_eq!(try_set(&mut k, 4, F_SETLK, Flock { l_type: F_UNLCK, ..w }), 0);
    assert_eq!(try_set(&mut k, 5, F_SETLK, Flock { l_type: F_UNLCK, ..w }), 0);
    assert_eq!(errno(k.syscall(FCNTL, [3, u64::from(F_SETLK), 0xdead_0000, 0, 0, 0])), 14, "EFAULT");
}

#[test]
fn setlkw_and_ofd_commands() {
    let mut k = core();
    let l = Flock { l_type: F_RDLCK, l_start: 0, l_len: 10, ..Flock::default() };
    for (cmd, scope, wait) in [
        (F_SETLKW, LockScope::Process, true),
        (F_OFD_SETLK, LockScope::OpenFile, false),
        (F_OFD_SETLKW, LockScope::OpenFile, true),
    ] {
        k.lock_calls.clear();
        put_flock(&mut k, l);
        assert_eq!(k.syscall(FCNTL, [4, u64::from(cmd), MEM_BASE, 0, 0, 0]), 0);
        assert_eq!(
            k.lock_calls,
            vec![LockCall::Range { fd: 4, kind: Some(LockKind::Shared), range: range(0, 9), scope, wait }]
        );
    }
    for (answer, want) in [(Error::WouldBlock, EAGAIN), (Error::Deadlock, EDEADLK)] {
        k.lock_answer = Err(answer);
        put_flock(&mut k, l);
        assert_eq!(errno(k.syscall(FCNTL, [4, u64::from(F_SETLKW), MEM_BASE, 0, 0, 0])), want);
    }
}

#[test]
fn getlk_reports_the_holder_or_unlocked() {
    let mut k = core();
    // Nobody in the way: only l_type changes, and the padding survives.
    let asked = Flock { l_type: F_WRLCK, l_whence: SEEK_CUR_, l_start: 5, l_len: 3, l_pid: 0 };
    put_flock(&mut k, asked);
    k.put(MEM_BASE + 28, &[0xAB; 4]);
    assert_eq!(k.syscall(FCNTL, [4, u64::from(F_GETLK), MEM_BASE, 0, 0, 0]), 0, "F_GETLK needs no write access");
    assert_eq!(flock_at(&k), Flock { l_type: F_UNLCK, ..asked });
    assert_eq!(k.get(MEM_BASE + 28, 4), &[0xAB; 4]);
    assert_eq!(
        k.lock_calls,
        vec![LockCall::Test { fd: 4, kind: LockKind::Exclusive, range: range(105, 107), scope: LockScope::Process }]
    );
    // A POSIX holder to the end of the file.
    k.lock_holder = Some(LockHolder { kind: LockKind::Shared, range: LockRange::to_end(50).unwrap(), pid: Some(1234) });
    put_flock(&mut k, asked);
    assert_eq!(k.syscall(FCNTL, [3, u64::from(F_GETLK), MEM_BASE, 0, 0, 0]), 0);
    assert_eq!(flock_at(&k), Flock { l_type: F_RDLCK, l_whence: SEEK_SET_, l_start: 50, l_len: 0, l_pid: 1234 });
    // An OFD holder has no pid: -1.
    k.lock_holder = Some(LockHolder { kind: LockKind::Exclusive, range: range(7, 8), pid: None });
    put_flock(&mut k, asked);
    assert_eq!(k.syscall(FCNTL, [3, u64::from(F_OFD_GETLK), MEM_BASE, 0, 0, 0]), 0);
    assert_eq!(flock_at(&k), Flock { l_type: F_WRLCK, l_whence: SEEK_SET_, l_start: 7, l_len: 2, l_pid: -1 });
}

#[test]
fn getlk_errors() {
    let mut k = core();
    for (l, want) in [
        (Flock { l_type: F_UNLCK, ..Flock::default() }, EINVAL),
        (Flock { l_type: 9, ..Flock::default() }, EINVAL),
        (Flock { l_type: F_RDLCK, l_whence: 5, ..Flock::default() }, EINVAL),
        (Flock { l_type: F_RDLCK, l_start: -1, ..Flock::default() }, EINVAL),
    ] {
        put_flock(&mut k, l);
        assert_eq!(errno(k.syscall(FCNTL, [3, u64::from(F_GETLK), MEM_BASE, 0, 0, 0])), want, "{l:?}");
    }
    put_flock(&mut k, Flock { l_type: F_RDLCK, l_pid: 3, ..Flock::default() });
    assert_eq!(errno(k.syscall(FCNTL, [3, u64::from(F_OFD_GETLK), MEM_BASE, 0, 0, 0])), EINVAL, "OFD with a pid");
    assert_eq!(k.syscall(FCNTL, [3, u64::from(F_GETLK), MEM_BASE, 0, 0, 0]), 0, "a POSIX request's pid is ignored");
    assert_eq!(errno(k.syscall(FCNTL, [6, u64::from(F_GETLK), MEM_BASE, 0, 0, 0])), EBADF, "O_PATH");
}
