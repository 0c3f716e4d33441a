//! The metadata calls against a fake core: struct stat and struct statx
//! byte by byte, the *at flags (AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW,
//! AT_EACCESS), access modes, modes and owners (-1 leaves an id alone),
//! the four ways of setting times (UTIME_NOW/UTIME_OMIT, timevals,
//! utimbuf), and the extended-attribute calls with Linux's size and name
//! rules.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{Error, FileStat, OpenFlags};

const STAT: u64 = 4;
const FSTAT: u64 = 5;
const LSTAT: u64 = 6;
const ACCESS: u64 = 21;
const CHMOD: u64 = 90;
const FCHMOD: u64 = 91;
const CHOWN: u64 = 92;
const FCHOWN: u64 = 93;
const LCHOWN: u64 = 94;
const UTIME: u64 = 132;
const SETXATTR: u64 = 188;
const LSETXATTR: u64 = 189;
const FSETXATTR: u64 = 190;
const GETXATTR: u64 = 191;
const LGETXATTR: u64 = 192;
const FGETXATTR: u64 = 193;
const LISTXATTR: u64 = 194;
const LLISTXATTR: u64 = 195;
const FLISTXATTR: u64 = 196;
const REMOVEXATTR: u64 = 197;
const LREMOVEXATTR: u64 = 198;
const FREMOVEXATTR: u64 = 199;
const UTIMES: u64 = 235;
const FCHOWNAT: u64 = 260;
const FUTIMESAT: u64 = 261;
const NEWFSTATAT: u64 = 262;
const FCHMODAT: u64 = 268;
const FACCESSAT: u64 = 269;
const UTIMENSAT: u64 = 280;
const STATX: u64 = 332;
const FACCESSAT2: u64 = 439;
const FCHMODAT2: u64 = 452;

const ENOENT: i64 = 2;
const E2BIG: i64 = 7;
const EBADF: i64 = 9;
const EACCES: i64 = 13;
const EFAULT: i64 = 14;
const EEXIST: i64 = 17;
const EINVAL: i64 = 22;
const ERANGE: i64 = 34;
const ENODATA: i64 = 61;
const EOPNOTSUPP: i64 = 95;

const AT_FDCWD: u64 = -100i64 as u64;
const AT_SYMLINK_NOFOLLOW: u64 = 0x100;
const AT_EACCESS: u64 = 0x200;
const AT_NO_AUTOMOUNT: u64 = 0x800;
const AT_EMPTY_PATH: u64 = 0x1000;
const AT_STATX_FORCE_SYNC: u64 = 0x2000;
const AT_STATX_DONT_SYNC: u64 = 0x4000;
const UTIME_NOW: i64 = (1 << 30) - 1;
const UTIME_OMIT: i64 = (1 << 30) - 2;

const P1: u64 = MEM_BASE + 0x100;
const NAME: u64 = MEM_BASE + 0x200;
const TIMES: u64 = MEM_BASE + 0x600;
const BUF: u64 = MEM_BASE + 0x1000;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn put_str(k: &mut FakeCore, at: u64, p: &str) {
    let mut b = p.as_bytes().to_vec();
    b.push(0);
    k.put(at, &b);
}

fn file(file_type: vfs::FileType) -> FileStat {
    FileStat {
        dev: 0x803,
        meta: vfs::Metadata {
            file_type,
            mode: 0o4755,
            uid: 1000,
            gid: 100,
            nlink: 3,
            size: 123_456_789,
            rdev: vfs::DeviceNumber { major: 4, minor: 64 },
            atime: vfs::Timestamp { secs: 1_700_000_000, nanos: 111 },
            mtime: vfs::Timestamp { secs: 1_700_000_001, nanos: 222 },
            ctime: vfs::Timestamp { secs: 1_700_000_002, nanos: 333 },
            ino: 0x1234_5678_9abc,
            blocks: 241,
            blksize: 4096,
        },
    }
}

/// "/f" a regular file, "/l" a symlink; descriptor 3 "/f" read-write,
/// 4 O_PATH.
fn core() -> FakeCore {
    let mut k = FakeCore::new();
    k.files.push((b"/f".to_vec(), file(vfs::FileType::Regular)));
    k.files.push((b"/l".to_vec(), file(vfs::FileType::Symlink)));
    k.fds.push((3, OpenFlags { read: true, write: true, ..OpenFlags::default() }, 0, file(vfs::FileType::Regular)));
    k.fds.push((4, OpenFlags { path_only: true, ..OpenFlags::default() }, 0, file(vfs::FileType::Directory)));
    k
}

fn u64_at(k: &FakeCore, at: u64) -> u64 {
    u64::from_le_bytes(k.get(at, 8).try_into().unwrap())
}

fn u32_at(k: &FakeCore, at: u64) -> u32 {
    u32::from_le_bytes(k.get(at, 4).try_into().unwrap())
}

/// x86_64's struct stat, field by field at Linux's offsets.
fn check_stat(k: &FakeCore, ifmt: u32) {
    assert_eq!(u64_at(k, BUF), 0x803, "st_dev");
    assert_eq!(u64_at(k, BUF + 8), 0x1234_5678_9abc, "st_ino");
    assert_eq!(u64_at(k, BUF + 16), 3, "st_nlink (u64 before st_mode on x86_64)");
    assert_eq!(u32_at(k, BUF + 24), ifmt | 0o4755, "st_mode");
    assert_eq!(u32_at(k, BUF + 28), 1000, "st_uid");
    assert_eq!(u32_at(k, BUF + 32), 100, "st_gid");
    assert_eq!(u64_at(k, BUF + 40), 0x440, "st_rdev: makedev(4, 64)");
    assert_eq!(u64_at(k, BUF + 48), 123_456_789, "st_size");
    assert_eq!(u64_at(k, BUF + 56), 4096, "st_blksize");
    assert_eq!(u64_at(k, BUF + 64), 241, "st_blocks");
    assert_eq!(u64_at(k, BUF + 72), 1_700_000_000, "st_atime");
    assert_eq!(u64_at(k, BUF + 80), 111, "st_atime_nsec");
    assert_eq!(u64_at(k, BUF + 88), 1_700_000_001, "st_mtime");
    assert_eq!(u64_at(k, BUF + 96), 222);
    assert_eq!(u64_at(k, BUF + 104), 1_700_000_002, "st_ctime");
    assert_eq!(u64_at(k, BUF + 112), 333);
    assert_eq!(k.get(BUF + 120, 24), &[0; 24], "__unused");
    assert_eq!(k.get(BUF + 144, 1), &[0xee], "nothing past struct stat");
}

fn fresh_buffer(k: &mut FakeCore) {
    k.mem[0x1000..0x1200].fill(0xee);
}

// ---- stat, fstat, lstat, newfstatat, statx ----

#[test]
fn stat_lstat_fstat_write_struct_stat() {
    let mut k = core();
    put_str(&mut k, P1, "/f");
    fresh_buffer(&mut k);
    assert_eq!(k.syscall(STAT, [P1, BUF, 0, 0, 0, 0]), 0);
    check_stat(&k, 0o100000);
    put_str(&mut k, P1, "/l");
    fresh_buffer(&mut k);
    assert_eq!(k.syscall(LSTAT, [P1, BUF, 0, 0, 0, 0]), 0);
    check_stat(&k, 0o120000);
    fresh_buffer(&mut k);
    assert_eq!(k.syscall(FSTAT, [4, BUF, 0, 0, 0, 0]), 0);
    check_stat(&k, 0o040000);
    assert_eq!(k.file_state.calls, vec!["stat Cwd /f true", "stat Cwd /l false"]);
    assert_eq!(errno(k.syscall(FSTAT, [99, BUF, 0, 0, 0, 0])), EBADF);
    assert_eq!(errno(k.syscall(FSTAT, [3, 0x10, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(STAT, [0, BUF, 0, 0, 0, 0])), EFAULT);
    put_str(&mut k, P1, "/none");
    assert_eq!(errno(k.syscall(LSTAT, [P1, BUF, 0, 0, 0, 0])), ENOENT);
}

#[test]
fn newfstatat_flags() {
    let mut k = core();
    put_str(&mut k, P1, "/l");
    fresh_buffer(&mut k);
    assert_eq!(k.syscall(NEWFSTATAT, [AT_FDCWD, P1, BUF, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, 0, 0]), 0);
    check_stat(&k, 0o120000);
    assert_eq!(k.syscall(NEWFSTATAT, [5, P1, BUF, AT_STATX_DONT_SYNC, 0, 0]), 0);
    assert_eq!(k.file_state.calls, vec!["stat Cwd /l false", "stat Fd(5) /l true"]);
    // An empty path: ENOENT unless AT_EMPTY_PATH, which stats the descriptor.
    put_str(&mut k, P1, "");
    assert_eq!(errno(k.syscall(NEWFSTATAT, [4, P1, BUF, 0, 0, 0])), ENOENT);
    fresh_buffer(&mut k);
    assert_eq!(k.syscall(NEWFSTATAT, [4, P1, BUF, AT_EMPTY_PATH, 0, 0]), 0);
    check_stat(&k, 0o040000);
    assert_eq!(errno(k.syscall(NEWFSTATAT, [AT_FDCWD, P1, BUF, 0x1, 0, 0])), EINVAL, "unknown flag");
    assert_eq!(errno(k.syscall(NEWFSTATAT, [AT_FDCWD, P1, BUF, AT_EACCESS, 0, 0])), EINVAL);
    assert_eq!(k.file_state.calls.len(), 2);
}

#[test]
fn statx_writes_struct_statx() {
    let mut k = core();
    put_str(&mut k, P1, "/f");
    k.mem[0x1000..0x1200].fill(0xee);
    assert_eq!(k.syscall(STATX, [AT_FDCWD, P1, 0, 0x7ff, BUF, 0]), 0);
    assert_eq!(u32_at(&k, BUF), 0x7ff, "stx_mask: STATX_BASIC_STATS");
    assert_eq!(u32_at(&k, BUF + 4), 4096, "stx_blksize");
    assert_eq!(u64_at(&k, BUF + 8), 0, "stx_attributes");
    assert_eq!(u32_at(&k, BUF + 16), 3, "stx_nlink");
    assert_eq!(u32_at(&k, BUF + 20), 1000, "stx_uid");
    assert_eq!(u32_at(&k, BUF + 24), 100, "stx_gid");
    assert_eq!(u32_at(&k, BUF + 28), 0o104755, "stx_mode (u16), then a zero u16");
    assert_eq!(u64_at(&k, BUF + 32), 0x1234_5678_9abc, "stx_ino");
    assert_eq!(u64_at(&k, BUF + 40), 123_456_789, "stx_size");
    assert_eq!(u64_at(&k, BUF + 48), 241, "stx_blocks");
    assert_eq!(u64_at(&k, BUF + 64), 1_700_000_000, "stx_atime.tv_sec");
    assert_eq!(u32_at(&k, BUF + 72), 111, "stx_atime.tv_nsec");
    assert_eq!(k.get(BUF + 80, 16), &[0; 16], "no stx_btime");
    assert_eq!(u64_at(&k, BUF + 96), 1_700_000_002, "stx_ctime");
    assert_eq!(u32_at(&k, BUF + 104), 333);
    assert_eq!(u64_at(&k, BUF + 112), 1_700_000_001, "stx_mtime");
    assert_eq!(u32_at(&k, BUF + 120), 222);
    assert_eq!([u32_at(&k, BUF + 128), u32_at(&k, BUF + 132)], [4, 64], "stx_rdev");
    assert_eq!([u32_at(&k, BUF + 136), u32_at(&k, BUF + 140)], [8, 3], "stx_dev from 0x803");
    assert_eq!(k.get(BUF + 144, 112), &[0; 112], "the rest zeroed");
    assert_eq!(k.get(BUF + 256, 1), &[0xee], "256 bytes");
    assert_eq!(k.file_state.calls, vec!["stat Cwd /f true"]);
}

#[test]
fn statx_flags_and_mask() {
    let mut k = core();
    put_str(&mut k, P1, "/l");
    assert_eq!(k.syscall(STATX, [3, P1, AT_SYMLINK_NOFOLLOW | AT_STATX_FORCE_SYNC, 0xfff, BUF, 0]), 0);
    assert_eq!(u32_at(&k, BUF + 28), 0o124755, "a link's type");
    assert_eq!(k.file_state.calls, vec!["stat Fd(3) /l false"]);
    assert_eq!(errno(k.syscall(STATX, [AT_FDCWD, P1, 0, 0x8000_0000, BUF, 0])), EINVAL, "STATX__RESERVED");
    assert_eq!(
        errno(k.syscall(STATX, [AT_FDCWD, P1, AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, 0x7ff, BUF, 0])),
        EINVAL,
        "both sync types"
    );
    assert_eq!(errno(k.syscall(STATX, [AT_FDCWD, P1, 0x8, 0x7ff, BUF, 0])), EINVAL, "unknown flag");
    put_str(&mut k, P1, "");
    assert_eq!(errno(k.syscall(STATX, [3, P1, 0, 0x7ff, BUF, 0])), ENOENT);
    assert_eq!(k.syscall(STATX, [3, P1, AT_EMPTY_PATH, 0x7ff, BUF, 0]), 0);
    assert_eq!(u64_at(&k, BUF + 40), 123_456_789);
    assert_eq!(errno(k.syscall(STATX, [3, P1, AT_EMPTY_PATH, 0x7ff, 0x10, 0])), EFAULT);
    assert_eq!(k.file_state.calls.len(), 1);
}

/// Linux 6.11: a NULL path with AT_EMPTY_PATH is the empty path, for
/// statx and newfstatat alike; without the flag it is still EFAULT.
#[test]
fn null_path_with_at_empty_path() {
    let mut k = core();
    k.mem[0x1000..0x1200].fill(0xee);
    assert_eq!(k.syscall(STATX, [3, 0, AT_EMPTY_PATH, 0x7ff, BUF, 0]), 0);
    assert_eq!(u64_at(&k, BUF + 40), 123_456_789, "the descriptor's file");
    assert_eq!(errno(k.syscall(STATX, [3, 0, 0, 0x7ff, BUF, 0])), EFAULT);
    assert_eq!(errno(k.syscall(STATX, [99, 0, AT_EMPTY_PATH, 0x7ff, BUF, 0])), EBADF);
    fresh_buffer(&mut k);
    assert_eq!(k.syscall(NEWFSTATAT, [4, 0, BUF, AT_EMPTY_PATH, 0, 0]), 0);
    check_stat(&k, 0o040000);
    assert_eq!(errno(k.syscall(NEWFSTATAT, [4, 0, BUF, 0, 0, 0])), EFAULT);
    assert!(k.file_state.calls.is_empty(), "no path was walked");
    // AT_FDCWD: the working directory, as an empty path would be.
    k.syscall(STATX, [AT_FDCWD, 0, AT_EMPTY_PATH, 0x7ff, BUF, 0]);
    assert_eq!(k.file_state.calls, vec!["stat Cwd . true"]);
}

// ---- access, faccessat, faccessat2 ----

#[test]
fn access_family() {
    let mut k = core();
    put_str(&mut k, P1, "/f");
    assert_eq!(k.syscall(ACCESS, [P1, 4, 0, 0, 0, 0]), 0);
    // faccessat has no flags argument: whatever is in the fourth register is ignored.
    assert_eq!(k.syscall(FACCESSAT, [5, P1, 2 | 1, AT_EACCESS | AT_SYMLINK_NOFOLLOW, 0, 0]), 0);
    assert_eq!(k.syscall(FACCESSAT2, [AT_FDCWD, P1, 0, AT_EACCESS | AT_SYMLINK_NOFOLLOW, 0, 0]), 0);
    assert_eq!(
        k.file_state.calls,
        vec!["access Cwd /f 4 false true", "access Fd(5) /f 3 false true", "access Cwd /f 0 true false"]
    );
    // Linux: a mode past R|W|X, then an unknown flag, EINVAL before the path.
    assert_eq!(errno(k.syscall(ACCESS, [0, 8, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(FACCESSAT, [AT_FDCWD, 0, 0o10, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(FACCESSAT2, [AT_FDCWD, 0, 4, 0x400, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(ACCESS, [0, 4, 0, 0, 0, 0])), EFAULT);
    k.file_state.answer = Err(Error::PermissionDenied);
    assert_eq!(errno(k.syscall(ACCESS, [P1, 2, 0, 0, 0, 0])), EACCES);
}

/// An empty path asks about the descriptor's own file with AT_EMPTY_PATH
/// (the core is handed the empty path), and is ENOENT without it.
#[test]
fn faccessat2_at_empty_path() {
    const AT_EMPTY_PATH: u64 = 0x1000;
    let mut k = core();
    put_str(&mut k, P1, "");
    assert_eq!(errno(k.syscall(FACCESSAT2, [5, P1, 4, 0, 0, 0])), ENOENT);
    assert_eq!(errno(k.syscall(FACCESSAT, [5, P1, 4, AT_EMPTY_PATH, 0, 0])), ENOENT, "faccessat has no flags");
    assert!(k.file_state.calls.is_empty());
    assert_eq!(k.syscall(FACCESSAT2, [5, P1, 6, AT_EMPTY_PATH, 0, 0]), 0);
    assert_eq!(k.syscall(FACCESSAT2, [AT_FDCWD, P1, 4, AT_EMPTY_PATH | AT_EACCESS, 0, 0]), 0);
    assert_eq!(k.file_state.calls, vec!["access Fd(5)  6 false true", "access Cwd  4 true true"]);
    assert_eq!(errno(k.syscall(FACCESSAT2, [5, 0, 4, AT_EMPTY_PATH, 0, 0])), EFAULT, "no NULL path here");
}

// ---- chmod, fchmod, fchmodat, fchmodat2 ----

#[test]
fn chmod_family() {
    let mut k = core();
    put_str(&mut k, P1, "/f");
    assert_eq!(k.syscall(CHMOD, [P1, 0o4755, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(FCHMOD, [3, 0o600, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(FCHMODAT, [5, P1, 0o640, AT_SYMLINK_NOFOLLOW, 0, 0]), 0);
    assert_eq!(k.syscall(FCHMODAT2, [AT_FDCWD, P1, 0o644, AT_SYMLINK_NOFOLLOW, 0, 0]), 0);
    assert_eq!(
        k.file_state.calls,
        vec![
            "chmod Cwd /f 4755 true",
            "fchmod 3 600",
            "chmod Fd(5) /f 640 true",
            "stat Cwd /f false",
            "chmod Cwd /f 644 false"
        ]
    );
    // fchmod of an O_PATH descriptor: EBADF; of a closed one EBADF.
    assert_eq!(errno(k.syscall(FCHMOD, [4, 0o600, 0, 0, 0, 0])), EBADF);
    assert_eq!(errno(k.syscall(FCHMOD, [99, 0o600, 0, 0, 0, 0])), EBADF);
    assert_eq!(errno(k.syscall(CHMOD, [0, 0o600, 0, 0, 0, 0])), EFAULT);
}

#[test]
fn fchmodat2_flags() {
    let mut k = core();
    put_str(&mut k, P1, "/l");
    assert_eq!(
        errno(k.syscall(FCHMODAT2, [AT_FDCWD, P1, 0o644, AT_SYMLINK_NOFOLLOW, 0, 0])),
        EOPNOTSUPP,
        "a link's mode"
    );
    assert_eq!(errno(k.syscall(FCHMODAT2, [AT_FDCWD, P1, 0o644, AT_EACCESS, 0, 0])), EINVAL);
    assert_eq!(k.syscall(FCHMODAT2, [AT_FDCWD, P1, 0o644, 0, 0, 0]), 0, "following the link");
    put_str(&mut k, P1, "");
    assert_eq!(k.syscall(FCHMODAT2, [4, P1, 0o700, AT_EMPTY_PATH, 0, 0]), 0, "the descriptor's own file");
    assert_eq!(k.syscall(FCHMODAT2, [AT_FDCWD, P1, 0o711, AT_EMPTY_PATH, 0, 0]), 0, "the working directory");
    assert_eq!(
        k.file_state.calls,
        vec!["stat Cwd /l false", "chmod Cwd /l 644 true", "fchmod 4 700", "chmod Cwd . 711 true"]
    );
}

// ---- chown, fchown, lchown, fchownat ----

#[test]
fn chown_family_decodes_ids() {
    let mut k = core();
    put_str(&mut k, P1, "/f");
    assert_eq!(k.syscall(CHOWN, [P1, 1000, u64::MAX, 0, 0, 0]), 0);
    assert_eq!(k.syscall(LCHOWN, [P1, 0xffff_ffff, 0x1_0000_0005, 0, 0, 0]), 0);
    assert_eq!(k.syscall(FCHOWN, [3, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(FCHOWNAT, [5, P1, 7, 8, AT_SYMLINK_NOFOLLOW, 0]), 0);
    assert_eq!(k.syscall(FCHOWNAT, [AT_FDCWD, P1, 7, 8, 0, 0]), 0);
    assert_eq!(
        k.file_state.calls,
        vec![
            "chown Cwd /f Some(1000) None true",
            "chown Cwd /f None Some(5) false",
            "fchown 3 Some(0) Some(0)",
            "chown Fd(5) /f Some(7) Some(8) false",
            "chown Cwd /f Some(7) Some(8) true",
        ]
    );
    assert_eq!(errno(k.syscall(FCHOWN, [4, 0, 0, 0, 0, 0])), EBADF, "O_PATH");
    assert_eq!(errno(k.syscall(FCHOWNAT, [AT_FDCWD, P1, 0, 0, AT_EACCESS, 0])), EINVAL);
    assert_eq!(errno(k.syscall(LCHOWN, [0, 0, 0, 0, 0, 0])), EFAULT);
    assert_eq!(k.file_state.calls.len(), 5);
}

#[test]
fn fchownat_empty_path() {
    let mut k = core();
    put_str(&mut k, P1, "");
    assert_eq!(k.syscall(FCHOWNAT, [4, P1, 1, 2, AT_EMPTY_PATH, 0]), 0, "even O_PATH, as Linux");
    assert_eq!(k.syscall(FCHOWNAT, [AT_FDCWD, P1, 1, 2, AT_EMPTY_PATH, 0]), 0, "the working directory");
    assert_eq!(k.file_state.calls, vec!["fchown 4 Some(1) Some(2)", "chown Cwd . Some(1) Some(2) true"]);
}

// ---- utime, utimes, futimesat, utimensat ----

fn put_u64s(k: &mut FakeCore, at: u64, v: &[i64]) {
    for (i, x) in v.iter().enumerate() {
        k.put(at + 8 * i as u64, &x.to_le_bytes());
    }
}

#[test]
fn utime_and_utimes() {
    let mut k = core();
    put_str(&mut k, P1, "/f");
    put_u64s(&mut k, TIMES, &[1000, 2000]);
    assert_eq!(k.syscall(UTIME, [P1, TIMES, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(UTIME, [P1, 0, 0, 0, 0, 0]), 0);
    put_u64s(&mut k, TIMES, &[10, 500, 20, 999_999]);
    assert_eq!(k.syscall(UTIMES, [P1, TIMES, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(UTIMES, [P1, 0, 0, 0, 0, 0]), 0);
    assert_eq!(
        k.file_state.calls,
        vec![
            "set_times Cwd Some(\"/f\") Some(Some((1000, 0))) Some(Some((2000, 0))) true",
            "set_times Cwd Some(\"/f\") Some(None) Some(None) true",
            "set_times Cwd Some(\"/f\") Some(Some((10, 500000))) Some(Some((20, 999999000))) true",
            "set_times Cwd Some(\"/f\") Some(None) Some(None) true",
        ]
    );
    put_u64s(&mut k, TIMES, &[10, 1_000_000, 20, 0]);
    assert_eq!(errno(k.syscall(UTIMES, [P1, TIMES, 0, 0, 0, 0])), EINVAL);
    put_u64s(&mut k, TIMES, &[10, 0, 20, -1]);
    assert_eq!(errno(k.syscall(UTIMES, [P1, TIMES, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(UTIMES, [P1, 0x10, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(UTIME, [P1, 0x10, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(UTIMES, [0, 0, 0, 0, 0, 0])), EFAULT);
    assert_eq!(k.file_state.calls.len(), 4);
}

#[test]
fn futimesat_null_path_is_the_descriptor() {
    let mut k = core();
    put_str(&mut k, P1, "f");
    put_u64s(&mut k, TIMES, &[1, 2, 3, 4]);
    assert_eq!(k.syscall(FUTIMESAT, [5, P1, TIMES, 0, 0, 0]), 0);
    assert_eq!(k.syscall(FUTIMESAT, [5, 0, 0, 0, 0, 0]), 0);
    assert_eq!(
        k.file_state.calls,
        vec![
            "set_times Fd(5) Some(\"f\") Some(Some((1, 2000))) Some(Some((3, 4000))) true",
            "set_times Fd(5) None Some(None) Some(None) true",
        ]
    );
    assert_eq!(errno(k.syscall(FUTIMESAT, [AT_FDCWD, 0, 0, 0, 0, 0])), EFAULT);
    put_u64s(&mut k, TIMES, &[1, -2, 3, 4]);
    assert_eq!(errno(k.syscall(FUTIMESAT, [5, P1, TIMES, 0, 0, 0])), EINVAL);
}

#[test]
fn utimensat_decodes_now_omit_and_nanoseconds() {
    let mut k = core();
    put_str(&mut k, P1, "/l");
    put_u64s(&mut k, TIMES, &[5, 123_456_789, 0, UTIME_NOW]);
    assert_eq!(k.syscall(UTIMENSAT, [AT_FDCWD, P1, TIMES, 0, 0, 0]), 0);
    put_u64s(&mut k, TIMES, &[5, UTIME_OMIT, 6, 7]);
    assert_eq!(k.syscall(UTIMENSAT, [9, P1, TIMES, AT_SYMLINK_NOFOLLOW, 0, 0]), 0);
    assert_eq!(k.syscall(UTIMENSAT, [AT_FDCWD, P1, 0, 0, 0, 0]), 0, "NULL times: now");
    assert_eq!(
        k.file_state.calls,
        vec![
            "set_times Cwd Some(\"/l\") Some(Some((5, 123456789))) Some(None) true",
            "set_times Fd(9) Some(\"/l\") None Some(Some((6, 7))) false",
            "set_times Cwd Some(\"/l\") Some(None) Some(None) true",
        ]
    );
    for bad in [1_000_000_000, -1, UTIME_NOW + 1] {
        put_u64s(&mut k, TIMES, &[0, 0, 0, bad]);
        assert_eq!(errno(k.syscall(UTIMENSAT, [AT_FDCWD, P1, TIMES, 0, 0, 0])), EINVAL, "tv_nsec {bad}");
    }
    assert_eq!(errno(k.syscall(UTIMENSAT, [AT_FDCWD, P1, 0x10, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(UTIMENSAT, [AT_FDCWD, P1, 0, 0x1, 0, 0])), EINVAL, "unknown flag");
    assert_eq!(k.file_state.calls.len(), 3);
}

#[test]
fn utimensat_paths_as_linux_do_utimes() {
    let mut k = core();
    // Both UTIME_OMIT: success at once, even for bad flags and no path.
    put_u64s(&mut k, TIMES, &[0, UTIME_OMIT, 0, UTIME_OMIT]);
    assert_eq!(k.syscall(UTIMENSAT, [AT_FDCWD, 0, TIMES, 0xffff, 0, 0]), 0);
    assert!(k.file_state.calls.is_empty());
    // NULL path: the descriptor's own file, with no flags allowed; with
    // AT_FDCWD there is no file (EFAULT).
    assert_eq!(k.syscall(UTIMENSAT, [5, 0, 0, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(UTIMENSAT, [5, 0, 0, AT_SYMLINK_NOFOLLOW, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(UTIMENSAT, [AT_FDCWD, 0, 0, 0, 0, 0])), EFAULT);
    // An empty path: ENOENT without AT_EMPTY_PATH.
    put_str(&mut k, P1, "");
    assert_eq!(errno(k.syscall(UTIMENSAT, [5, P1, 0, 0, 0, 0])), ENOENT);
    assert_eq!(k.syscall(UTIMENSAT, [5, P1, 0, AT_EMPTY_PATH, 0, 0]), 0);
    assert_eq!(
        k.file_state.calls,
        vec!["set_times Fd(5) None Some(None) Some(None) true", "set_times Fd(5) None Some(None) Some(None) true"]
    );
}

// ---- extended attributes ----

fn xattr_core() -> FakeCore {
    let mut k = core();
    put_str(&mut k, P1, "/f");
    put_str(&mut k, NAME, "user.mime");
    k.file_state.xattrs.push((b"user.mime".to_vec(), b"text/plain".to_vec()));
    k.file_state.xattrs.push((b"user.x".to_vec(), b"".to_vec()));
    k
}

#[test]
fn getxattr_family_sizes() {
    let mut k = xattr_core();
    fresh_buffer(&mut k);
    assert_eq!(k.syscall(GETXATTR, [P1, NAME, BUF, 0, 0, 0]), 10, "size 0 asks the length");
    assert_eq!(k.get(BUF, 1), &[0xee], "and copies nothing");
    assert_eq!(k.syscall(LGETXATTR, [P1, NAME, BUF, 64, 0, 0]), 10);
    assert_eq!(k.get(BUF, 11), b"text/plain\xee");
    assert_eq!(k.syscall(FGETXATTR, [3, NAME, BUF, 10, 0, 0]), 10, "exactly enough");
    assert_eq!(errno(k.syscall(GETXATTR, [P1, NAME, BUF, 9, 0, 0])), ERANGE);
    assert_eq!(
        k.file_state.calls,
        vec![
            "get_xattr Cwd /f true user.mime",
            "get_xattr Cwd /f false user.mime",
            "get_xattr fd 3 user.mime",
            "get_xattr Cwd /f true user.mime",
        ]
    );
    put_str(&mut k, NAME, "user.none");
    assert_eq!(errno(k.syscall(GETXATTR, [P1, NAME, BUF, 64, 0, 0])), ENODATA);
    put_str(&mut k, NAME, "user.mime");
    assert_eq!(errno(k.syscall(FGETXATTR, [3, NAME, 0x10, 64, 0, 0])), EFAULT);
}

#[test]
fn xattr_names_are_1_to_255_bytes() {
    let mut k = xattr_core();
    put_str(&mut k, NAME, "");
    assert_eq!(errno(k.syscall(GETXATTR, [P1, NAME, BUF, 64, 0, 0])), ERANGE);
    assert_eq!(errno(k.syscall(SETXATTR, [P1, NAME, BUF, 1, 0, 0])), ERANGE);
    assert_eq!(errno(k.syscall(FREMOVEXATTR, [3, NAME, 0, 0, 0, 0])), ERANGE);
    let long = format!("user.{}", "a".repeat(251));
    put_str(&mut k, NAME, &long);
    assert_eq!(errno(k.syscall(LGETXATTR, [P1, NAME, BUF, 64, 0, 0])), ERANGE, "256 bytes");
    put_str(&mut k, NAME, &long[..255]);
    assert_eq!(errno(k.syscall(LGETXATTR, [P1, NAME, BUF, 64, 0, 0])), ENODATA, "255 bytes reach the core");
    assert_eq!(errno(k.syscall(GETXATTR, [P1, 0, BUF, 64, 0, 0])), EFAULT);
}

#[test]
fn setxattr_family() {
    let mut k = xattr_core();
    put_str(&mut k, NAME, "user.new");
    k.put(BUF, b"value");
    assert_eq!(k.syscall(SETXATTR, [P1, NAME, BUF, 5, 1 /* XATTR_CREATE */, 0]), 0);
    assert_eq!(errno(k.syscall(LSETXATTR, [P1, NAME, BUF, 3, 1, 0])), EEXIST);
    assert_eq!(k.syscall(FSETXATTR, [3, NAME, BUF, 3, 2 /* XATTR_REPLACE */, 0]), 0);
    // An empty value with no buffer.
    assert_eq!(k.syscall(LSETXATTR, [P1, NAME, 0, 0, 0, 0]), 0);
    assert_eq!(
        k.file_state.calls,
        vec![
            "set_xattr Cwd /f true user.new value Create",
            "set_xattr Cwd /f false user.new val Create",
            "set_xattr fd 3 user.new val Replace",
            "set_xattr Cwd /f false user.new  Any",
        ]
    );
    put_str(&mut k, NAME, "user.absent");
    assert_eq!(errno(k.syscall(FSETXATTR, [3, NAME, BUF, 3, 2, 0])), ENODATA);
    // Linux's setxattr: flags, then the name, then the size (E2BIG past
    // XATTR_SIZE_MAX), then the value.
    assert_eq!(errno(k.syscall(SETXATTR, [P1, NAME, BUF, 3, 3, 0])), EINVAL);
    assert_eq!(errno(k.syscall(SETXATTR, [P1, 0, BUF, 3, 4, 0])), EINVAL);
    assert_eq!(errno(k.syscall(SETXATTR, [P1, NAME, BUF, 65537, 0, 0])), E2BIG);
    assert_eq!(errno(k.syscall(SETXATTR, [P1, NAME, 0x10, 3, 0, 0])), EFAULT);
    assert_eq!(k.file_state.calls.len(), 5);
}

#[test]
fn listxattr_family() {
    let mut k = xattr_core();
    fresh_buffer(&mut k);
    assert_eq!(k.syscall(LISTXATTR, [P1, BUF, 0, 0, 0, 0]), 17, "size 0 asks the length");
    assert_eq!(k.get(BUF, 1), &[0xee]);
    assert_eq!(k.syscall(LLISTXATTR, [P1, BUF, 100, 0, 0, 0]), 17);
    assert_eq!(k.get(BUF, 18), b"user.mime\0user.x\0\xee");
    assert_eq!(k.syscall(FLISTXATTR, [3, BUF, 17, 0, 0, 0]), 17);
    assert_eq!(errno(k.syscall(LISTXATTR, [P1, BUF, 16, 0, 0, 0])), ERANGE);
    assert_eq!(
        k.file_state.calls,
        vec!["list_xattr Cwd /f true", "list_xattr Cwd /f false", "list_xattr fd 3", "list_xattr Cwd /f true"]
    );
    k.file_state.xattrs.clear();
    assert_eq!(k.syscall(FLISTXATTR, [3, BUF, 100, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(LISTXATTR, [0, BUF, 100, 0, 0, 0])), EFAULT);
}

#[test]
fn removexattr_family() {
    let mut k = xattr_core();
    assert_eq!(k.syscall(REMOVEXATTR, [P1, NAME, 0, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(LREMOVEXATTR, [P1, NAME, 0, 0, 0, 0])), ENODATA);
    put_str(&mut k, NAME, "user.x");
    assert_eq!(k.syscall(FREMOVEXATTR, [3, NAME, 0, 0, 0, 0]), 0);
    assert_eq!(
        k.file_state.calls,
        vec!["remove_xattr Cwd /f true user.mime", "remove_xattr Cwd /f false user.mime", "remove_xattr fd 3 user.x"]
    );
    assert!(k.file_state.xattrs.is_empty());
    assert_eq!(errno(k.syscall(REMOVEXATTR, [0, NAME, 0, 0, 0, 0])), EFAULT);
}
