//! The descriptor and data calls against a fake core: open and its
//! relatives (flags decoded into the core's OpenFlags, AT_FDCWD, openat2's
//! struct open_how and its EINVAL/E2BIG/EAGAIN rules), reading, writing,
//! seeking and the vectored calls (offsets, iovecs, RWF_* flags), dup and
//! pipe, and the sync/size/advice calls, with Linux's errors in Linux's
//! order where the personality decides them.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{DirFd, Error, FileStat, OpenFlags, ResolveRules};

const READ: u64 = 0;
const WRITE: u64 = 1;
const OPEN: u64 = 2;
const CLOSE: u64 = 3;
const LSEEK: u64 = 8;
const PREAD64: u64 = 17;
const PWRITE64: u64 = 18;
const READV: u64 = 19;
const WRITEV: u64 = 20;
const PIPE: u64 = 22;
const DUP: u64 = 32;
const DUP2: u64 = 33;
const FSYNC: u64 = 74;
const FDATASYNC: u64 = 75;
const TRUNCATE: u64 = 76;
const FTRUNCATE: u64 = 77;
const CREAT: u64 = 85;
const SYNC: u64 = 162;
const READAHEAD: u64 = 187;
const FADVISE64: u64 = 221;
const OPENAT: u64 = 257;
const SYNC_FILE_RANGE: u64 = 277;
const FALLOCATE: u64 = 285;
const DUP3: u64 = 292;
const PIPE2: u64 = 293;
const PREADV: u64 = 295;
const PWRITEV: u64 = 296;
const SYNCFS: u64 = 306;
const PREADV2: u64 = 327;
const PWRITEV2: u64 = 328;
const OPENAT2: u64 = 437;

const EBADF: i64 = 9;
const EAGAIN: i64 = 11;
const EFAULT: i64 = 14;
const EFBIG: i64 = 27;
const ESPIPE: i64 = 29;
const EINVAL: i64 = 22;
const E2BIG: i64 = 7;
const ENOENT: i64 = 2;
const EOPNOTSUPP: i64 = 95;

const AT_FDCWD: u64 = -100i64 as u64;
const O_WRONLY: u64 = 0o1;
const O_RDWR: u64 = 0o2;
const O_CREAT: u64 = 0o100;
const O_EXCL: u64 = 0o200;
const O_NOCTTY: u64 = 0o400;
const O_TRUNC: u64 = 0o1000;
const O_APPEND: u64 = 0o2000;
const O_NONBLOCK: u64 = 0o4000;
const O_DIRECTORY: u64 = 0o200000;
const O_NOFOLLOW: u64 = 0o400000;
const O_NOATIME: u64 = 0o1000000;
const O_CLOEXEC: u64 = 0o2000000;
const O_PATH: u64 = 0o10000000;
const O_TMPFILE: u64 = 0o20200000;

const PATH: u64 = MEM_BASE + 0x100;
const HOW: u64 = MEM_BASE + 0x200;
const IOV: u64 = MEM_BASE + 0x300;
const BUF: u64 = MEM_BASE + 0x1000;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn stat(file_type: vfs::FileType, size: u64) -> FileStat {
    FileStat {
        dev: 1,
        meta: vfs::Metadata {
            file_type,
            mode: 0o644,
            uid: 0,
            gid: 0,
            nlink: 1,
            size,
            rdev: vfs::DeviceNumber { major: 0, minor: 0 },
            atime: vfs::Timestamp::default(),
            mtime: vfs::Timestamp::default(),
            ctime: vfs::Timestamp::default(),
            ino: 7,
            blocks: 8,
            blksize: 4096,
        },
    }
}

/// Descriptor 3 a read-write 100-byte file at position 10, 4 read-only,
/// 5 write-only, 6 a FIFO (read-write), 7 a directory (read-only).
fn core() -> FakeCore {
    let mut k = FakeCore::new();
    let rw = OpenFlags { read: true, write: true, ..OpenFlags::default() };
    let ro = OpenFlags { read: true, ..OpenFlags::default() };
    let wo = OpenFlags { write: true, ..OpenFlags::default() };
    k.fds.push((3, rw, 10, stat(vfs::FileType::Regular, 100)));
    k.fds.push((4, ro, 0, stat(vfs::FileType::Regular, 100)));
    k.fds.push((5, wo, 0, stat(vfs::FileType::Regular, 100)));
    k.fds.push((6, rw, 0, stat(vfs::FileType::Fifo, 0)));
    k.fds.push((7, ro, 0, stat(vfs::FileType::Directory, 4096)));
    k
}

fn put_path(k: &mut FakeCore, at: u64, p: &str) {
    let mut b = p.as_bytes().to_vec();
    b.push(0);
    k.put(at, &b);
}

fn put_iovs(k: &mut FakeCore, iovs: &[(u64, u64)]) {
    for (i, (base, len)) in iovs.iter().enumerate() {
        k.put(IOV + 16 * i as u64, &base.to_le_bytes());
        k.put(IOV + 16 * i as u64 + 8, &len.to_le_bytes());
    }
}

/// The file byte at `offset` in the fake core's files.
fn byte(offset: u64) -> u8 {
    b'a' + (offset % 26) as u8
}

fn expect(from: u64, n: u64) -> Vec<u8> {
    (from..from + n).map(byte).collect()
}

// ---- open, openat, creat, close ----

#[test]
fn open_decodes_flags_mode_and_cwd() {
    let mut k = core();
    put_path(&mut k, PATH, "/tmp/f");
    let raw = O_RDWR | O_CREAT | O_EXCL | O_TRUNC | O_APPEND | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | O_NOATIME;
    assert_eq!(k.syscall(OPEN, [PATH, raw, 0o640, 0, 0, 0]), 40);
    let want = OpenFlags {
        read: true,
        write: true,
        append: true,
        create: true,
        exclusive: true,
        truncate: true,
        close_on_exec: true,
        non_blocking: true,
        no_controlling_tty: true,
        no_atime: true,
        ..OpenFlags::default()
    };
    assert_eq!(k.file_state.opens, vec![(DirFd::Cwd, b"/tmp/f".to_vec(), want, 0o640, None)]);
    // O_RDONLY | O_DIRECTORY | O_NOFOLLOW
    assert_eq!(k.syscall(OPEN, [PATH, O_DIRECTORY | O_NOFOLLOW, 0, 0, 0, 0]), 41);
    let want = OpenFlags { read: true, directory: true, no_follow: true, ..OpenFlags::default() };
    assert_eq!(k.file_state.opens[1].2, want);
    // O_WRONLY; and O_PATH, which neither reads nor writes nor creates.
    k.syscall(OPEN, [PATH, O_WRONLY, 0, 0, 0, 0]);
    assert_eq!(k.file_state.opens[2].2, OpenFlags { write: true, ..OpenFlags::default() });
    k.syscall(OPEN, [PATH, O_PATH | O_RDWR | O_CREAT, 0, 0, 0, 0]);
    assert_eq!(k.file_state.opens[3].2, OpenFlags { path_only: true, ..OpenFlags::default() });
    // The core's error comes back as -errno; a NULL path is EFAULT.
    k.file_state.answer = Err(Error::NotFound);
    assert_eq!(errno(k.syscall(OPEN, [PATH, 0, 0, 0, 0, 0])), ENOENT);
    assert_eq!(errno(k.syscall(OPEN, [0, 0, 0, 0, 0, 0])), EFAULT);
    assert_eq!(k.file_state.opens.len(), 5);
}

#[test]
fn open_with_o_tmpfile_is_eopnotsupp_before_the_core() {
    let mut k = core();
    put_path(&mut k, PATH, "/tmp");
    assert_eq!(errno(k.syscall(OPEN, [PATH, O_TMPFILE | O_RDWR, 0o600, 0, 0, 0])), EOPNOTSUPP);
    assert_eq!(errno(k.syscall(OPENAT, [AT_FDCWD, PATH, O_TMPFILE | O_RDWR, 0o600, 0, 0])), EOPNOTSUPP);
    assert!(k.file_state.opens.is_empty());
    assert!(k.log.iter().any(|l| l.contains("O_TMPFILE")));
}

#[test]
fn open_refuses_o_creat_with_o_directory() {
    // Linux's build_open_flags (since 6.4), before the path is read.
    let mut k = core();
    put_path(&mut k, PATH, "/tmp/d");
    assert_eq!(errno(k.syscall(OPEN, [PATH, O_CREAT | O_DIRECTORY, 0o755, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(OPENAT, [AT_FDCWD, 0, O_RDWR | O_CREAT | O_DIRECTORY, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(OPEN, [PATH, O_TMPFILE | O_CREAT | O_RDWR, 0o600, 0, 0, 0])), EINVAL);
    assert!(k.file_state.opens.is_empty());
}

#[test]
fn openat_decodes_the_directory() {
    let mut k = core();
    put_path(&mut k, PATH, "sub/f");
    assert_eq!(k.syscall(OPENAT, [AT_FDCWD, PATH, O_WRONLY | O_CREAT, 0o600, 0, 0]), 40);
    // dirfd is an int: only its low 32 bits count.
    assert_eq!(k.syscall(OPENAT, [0xffff_ffff_0000_0007, PATH, 0, 0, 0, 0]), 41);
    assert_eq!(k.syscall(OPENAT, [(-100i32) as u32 as u64, PATH, 0, 0, 0, 0]), 42);
    let dirs: Vec<DirFd> = k.file_state.opens.iter().map(|o| o.0).collect();
    assert_eq!(dirs, vec![DirFd::Cwd, DirFd::Fd(7), DirFd::Cwd]);
    assert_eq!(k.file_state.opens[0].2, OpenFlags { write: true, create: true, ..OpenFlags::default() });
    assert_eq!(k.file_state.opens[0].3, 0o600);
}

#[test]
fn creat_is_open_wronly_creat_trunc() {
    let mut k = core();
    put_path(&mut k, PATH, "new");
    assert_eq!(k.syscall(CREAT, [PATH, 0o644, 0, 0, 0, 0]), 40);
    let want = OpenFlags { write: true, create: true, truncate: true, ..OpenFlags::default() };
    assert_eq!(k.file_state.opens, vec![(DirFd::Cwd, b"new".to_vec(), want, 0o644, None)]);
    assert_eq!(errno(k.syscall(CREAT, [0, 0o644, 0, 0, 0, 0])), EFAULT);
}

#[test]
fn close_passes_the_descriptor_and_its_error() {
    let mut k = core();
    assert_eq!(k.syscall(CLOSE, [3, 0, 0, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(CLOSE, [99, 0, 0, 0, 0, 0])), EBADF);
    // An int: -1 is not 0xffffffff's big cousin.
    assert_eq!(errno(k.syscall(CLOSE, [u64::MAX, 0, 0, 0, 0, 0])), EBADF);
    assert_eq!(k.file_state.calls, vec!["close 3"]);
}

fn put_how(k: &mut FakeCore, flags: u64, mode: u64, resolve: u64) {
    k.put(HOW, &flags.to_le_bytes());
    k.put(HOW + 8, &mode.to_le_bytes());
    k.put(HOW + 16, &resolve.to_le_bytes());
}

#[test]
fn openat2_decodes_open_how_and_resolve_rules() {
    let mut k = core();
    put_path(&mut k, PATH, "a/b");
    put_how(&mut k, O_RDWR | O_CREAT, 0o600, 0x1 | 0x4 | 0x8);
    assert_eq!(k.syscall(OPENAT2, [5, PATH, HOW, 24, 0, 0]), 40);
    let rules = ResolveRules { no_xdev: true, no_symlinks: true, beneath: true, ..ResolveRules::default() };
    let want = OpenFlags { read: true, write: true, create: true, ..OpenFlags::default() };
    assert_eq!(k.file_state.opens, vec![(DirFd::Fd(5), b"a/b".to_vec(), want, 0o600, Some(rules))]);
    put_how(&mut k, 0, 0, 0x2 | 0x10);
    assert_eq!(k.syscall(OPENAT2, [AT_FDCWD, PATH, HOW, 24, 0, 0]), 41);
    let rules = ResolveRules { no_magic_links: true, in_root: true, ..ResolveRules::default() };
    assert_eq!(k.file_state.opens[1].0, DirFd::Cwd);
    assert_eq!(k.file_state.opens[1].4, Some(rules));
    // A larger struct whose tail is zero is accepted.
    k.put(HOW + 24, &[0; 8]);
    assert_eq!(k.syscall(OPENAT2, [AT_FDCWD, PATH, HOW, 32, 0, 0]), 42);
}

#[test]
fn openat2_checks_open_how_as_linux() {
    let mut k = core();
    put_path(&mut k, PATH, "f");
    let cases: [(u64, u64, u64, u64, i64, &str); 11] = [
        (0, 0, 0, 23, EINVAL, "size below OPEN_HOW_SIZE_VER0"),
        (0, 0, 0, 4097, E2BIG, "size past a page"),
        (1 << 40, 0, 0, 24, EINVAL, "an unknown flag"),
        (0, 0o644, 0, 24, EINVAL, "a mode without O_CREAT"),
        (O_CREAT, 0o10000, 0, 24, EINVAL, "a mode past 07777"),
        (0, 0, 0x40, 24, EINVAL, "an unknown resolve flag"),
        (0, 0, 0x8 | 0x10, 24, EINVAL, "RESOLVE_BENEATH with RESOLVE_IN_ROOT"),
        (O_PATH | O_RDWR, 0, 0, 24, EINVAL, "O_PATH with O_RDWR"),
        (O_CREAT | O_DIRECTORY, 0, 0, 24, EINVAL, "O_CREAT with O_DIRECTORY"),
        (O_CREAT, 0o600, 0x20, 24, EAGAIN, "RESOLVE_CACHED with O_CREAT"),
        (O_TRUNC, 0, 0x20, 24, EAGAIN, "RESOLVE_CACHED with O_TRUNC"),
    ];
    for (flags, mode, resolve, size, want, what) in cases {
        put_how(&mut k, flags, mode, resolve);
        assert_eq!(errno(k.syscall(OPENAT2, [AT_FDCWD, PATH, HOW, size, 0, 0])), want, "{what}");
    }
    // A non-zero byte past the known struct: E2BIG.
    put_how(&mut k, 0, 0, 0);
    k.put(HOW + 24, &[0, 0, 1, 0, 0, 0, 0, 0]);
    assert_eq!(errno(k.syscall(OPENAT2, [AT_FDCWD, PATH, HOW, 32, 0, 0])), E2BIG);
    // An unreadable struct: EFAULT; O_PATH with O_CLOEXEC|O_DIRECTORY|O_NOFOLLOW is fine.
    assert_eq!(errno(k.syscall(OPENAT2, [AT_FDCWD, PATH, 0, 24, 0, 0])), EFAULT);
    assert!(k.file_state.opens.is_empty(), "nothing reached the core");
    put_how(&mut k, O_PATH | O_CLOEXEC | O_DIRECTORY | O_NOFOLLOW, 0, 0);
    k.put(HOW + 24, &[0; 8]);
    assert_eq!(k.syscall(OPENAT2, [AT_FDCWD, PATH, HOW, 24, 0, 0]), 40);
    let want =
        OpenFlags { path_only: true, close_on_exec: true, directory: true, no_follow: true, ..OpenFlags::default() };
    assert_eq!(k.file_state.opens[0].2, want);
}

// ---- read, write, lseek, pread64, pwrite64 ----

#[test]
fn read_copies_from_the_position_and_returns_the_count() {
    let mut k = core();
    assert_eq!(k.syscall(READ, [3, BUF, 5, 0, 0, 0]), 5);
    assert_eq!(k.get(BUF, 5), &expect(10, 5)[..]);
    // Short at the end of the file: 100 - 15 = 85 bytes.
    assert_eq!(k.syscall(READ, [3, BUF, 1000, 0, 0, 0]), 85);
    assert_eq!(k.syscall(READ, [3, BUF, 10, 0, 0, 0]), 0, "end of file");
    assert_eq!(errno(k.syscall(READ, [99, BUF, 1, 0, 0, 0])), EBADF);
    // A count past Linux's MAX_RW_COUNT is cut to it, not refused.
    k.fds[0].2 = 0;
    assert_eq!(k.syscall(READ, [3, BUF, u64::MAX, 0, 0, 0]), 100);
    assert_eq!(k.file_state.calls.last().unwrap(), &format!("read 3 {}", 0x7fff_f000u64));
    // Bad buffer: the core's EFAULT.
    k.fds[0].2 = 0;
    assert_eq!(errno(k.syscall(READ, [3, 0x10, 5, 0, 0, 0])), EFAULT);
}

#[test]
fn write_passes_the_bytes_and_returns_the_count() {
    let mut k = core();
    k.put(BUF, b"hello");
    assert_eq!(k.syscall(WRITE, [1, BUF, 5, 0, 0, 0]), 5);
    assert_eq!(k.written, vec![(1, b"hello".to_vec())]);
    assert_eq!(errno(k.syscall(WRITE, [99, BUF, 5, 0, 0, 0])), EBADF);
    assert_eq!(errno(k.syscall(WRITE, [2, 0x10, 5, 0, 0, 0])), EFAULT);
}

#[test]
fn lseek_decodes_whence_and_signed_offsets() {
    let mut k = core();
    assert_eq!(k.syscall(LSEEK, [3, 40, 0, 0, 0, 0]), 40, "SEEK_SET");
    assert_eq!(k.syscall(LSEEK, [3, (-15i64) as u64, 1, 0, 0, 0]), 25, "SEEK_CUR back");
    assert_eq!(k.syscall(LSEEK, [3, (-10i64) as u64, 2, 0, 0, 0]), 90, "SEEK_END");
    assert_eq!(k.fds[0].2, 90);
    for whence in [5, 6, 0xffff_ffff] {
        assert_eq!(errno(k.syscall(LSEEK, [3, 0, whence, 0, 0, 0])), EINVAL, "whence {whence}");
    }
    // whence is an unsigned int: 0x1_0000_0002 is SEEK_END.
    assert_eq!(k.syscall(LSEEK, [3, 0, 0x1_0000_0002, 0, 0, 0]), 100);
    assert_eq!(k.syscall(LSEEK, [3, (-10i64) as u64, 2, 0, 0, 0]), 90);
    assert_eq!(errno(k.syscall(LSEEK, [3, (-1i64) as u64, 0, 0, 0, 0])), EINVAL, "before the start");
    assert_eq!(errno(k.syscall(LSEEK, [99, 0, 0, 0, 0, 0])), EBADF);
    assert_eq!(k.fds[0].2, 90);
}

/// SEEK_DATA (3) and SEEK_HOLE (4) reach the core as their own whence;
/// the fake, like the kernel's files, is data throughout.
#[test]
fn lseek_data_and_hole() {
    const ENXIO: i64 = 6;
    let mut k = core();
    assert_eq!(k.syscall(LSEEK, [3, 30, 3, 0, 0, 0]), 30, "SEEK_DATA: where it is");
    assert_eq!(k.syscall(LSEEK, [3, 30, 4, 0, 0, 0]), 100, "SEEK_HOLE: the end");
    assert_eq!(k.fds[0].2, 100, "the position moves");
    assert_eq!(errno(k.syscall(LSEEK, [3, 100, 3, 0, 0, 0])), ENXIO, "at the end");
    assert_eq!(errno(k.syscall(LSEEK, [3, (-1i64) as u64, 4, 0, 0, 0])), ENXIO, "negative");
}

#[test]
fn pread64_reads_at_the_offset_without_moving() {
    let mut k = core();
    assert_eq!(k.syscall(PREAD64, [3, BUF, 4, 50, 0, 0]), 4);
    assert_eq!(k.get(BUF, 4), &expect(50, 4)[..]);
    assert_eq!(k.fds[0].2, 10, "the position is untouched");
    assert_eq!(k.syscall(PREAD64, [3, BUF, 10, 95, 0, 0]), 5);
    assert_eq!(errno(k.syscall(PREAD64, [3, BUF, 4, (-1i64) as u64, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(PREAD64, [99, BUF, 4, 0, 0, 0])), EBADF);
}

#[test]
fn pwrite64_writes_at_the_offset() {
    let mut k = core();
    k.put(BUF, b"xyz");
    assert_eq!(k.syscall(PWRITE64, [3, BUF, 3, 20, 0, 0]), 3);
    assert_eq!(k.written, vec![(3, b"xyz".to_vec())]);
    assert_eq!(errno(k.syscall(PWRITE64, [3, BUF, 3, (-5i64) as u64, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(PWRITE64, [99, BUF, 3, 0, 0, 0])), EBADF);
    assert_eq!(k.written.len(), 1);
}

// ---- readv, writev, preadv, pwritev, preadv2, pwritev2 ----

#[test]
fn readv_fills_each_buffer_in_order() {
    let mut k = core();
    put_iovs(&mut k, &[(BUF, 3), (BUF + 0x100, 0), (BUF + 0x200, 4)]);
    assert_eq!(k.syscall(READV, [3, IOV, 3, 0, 0, 0]), 7);
    assert_eq!(k.get(BUF, 3), &expect(10, 3)[..]);
    assert_eq!(k.get(BUF + 0x200, 4), &expect(13, 4)[..]);
    assert_eq!(k.fds[0].2, 17);
    // Linux's import_iovec: more than UIO_MAXIOV (1024) or a negative
    // length is EINVAL; an unreadable array EFAULT.
    assert_eq!(errno(k.syscall(READV, [3, IOV, 1025, 0, 0, 0])), EINVAL);
    put_iovs(&mut k, &[(BUF, u64::MAX)]);
    assert_eq!(errno(k.syscall(READV, [3, IOV, 1, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(READV, [3, 0x10, 1, 0, 0, 0])), EFAULT);
    // A buffer reaching past user space: EFAULT.
    put_iovs(&mut k, &[(0x7fff_ffff_e000, 0x2000)]);
    assert_eq!(errno(k.syscall(READV, [3, IOV, 1, 0, 0, 0])), EFAULT);
    assert_eq!(k.fds[0].2, 17, "nothing more was read");
}

#[test]
fn writev_writes_the_buffers_in_order() {
    let mut k = core();
    k.put(BUF, b"abc");
    k.put(BUF + 0x100, b"defg");
    put_iovs(&mut k, &[(BUF, 3), (BUF + 0x80, 0), (BUF + 0x100, 4)]);
    assert_eq!(k.syscall(WRITEV, [1, IOV, 3, 0, 0, 0]), 7);
    let all: Vec<u8> = k.written.iter().flat_map(|w| w.1.clone()).collect();
    assert_eq!(all, b"abcdefg");
    assert!(k.written.iter().all(|w| w.0 == 1));
    assert_eq!(errno(k.syscall(WRITEV, [1, IOV, 1025, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(WRITEV, [99, IOV, 3, 0, 0, 0])), EBADF);
}

#[test]
fn preadv_and_pwritev_use_the_low_word_offset() {
    let mut k = core();
    put_iovs(&mut k, &[(BUF, 2), (BUF + 0x10, 3)]);
    // pos_h is ignored on a 64-bit kernel.
    assert_eq!(k.syscall(PREADV, [3, IOV, 2, 30, 0xdead, 0]), 5);
    assert_eq!(k.get(BUF, 2), &expect(30, 2)[..]);
    assert_eq!(k.get(BUF + 0x10, 3), &expect(32, 3)[..]);
    assert_eq!(k.fds[0].2, 10, "the position is untouched");
    assert_eq!(errno(k.syscall(PREADV, [3, IOV, 2, (-1i64) as u64, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(PREADV, [5, IOV, 2, 0, 0, 0])), EBADF, "write-only");
    assert_eq!(errno(k.syscall(PREADV, [99, IOV, 2, 0, 0, 0])), EBADF);
    k.put(BUF, b"pq");
    k.put(BUF + 0x10, b"rst");
    assert_eq!(k.syscall(PWRITEV, [3, IOV, 2, 30, 0, 0]), 5);
    let all: Vec<u8> = k.written.iter().flat_map(|w| w.1.clone()).collect();
    assert_eq!(all, b"pqrst");
    assert_eq!(errno(k.syscall(PWRITEV, [4, IOV, 2, 0, 0, 0])), EBADF, "read-only");
    assert_eq!(errno(k.syscall(PWRITEV, [3, IOV, 2, (-2i64) as u64, 0, 0])), EINVAL);
}

#[test]
fn preadv2_offset_minus_one_is_the_file_position_and_flags_are_checked() {
    let mut k = core();
    put_iovs(&mut k, &[(BUF, 4)]);
    assert_eq!(k.syscall(PREADV2, [3, IOV, 1, u64::MAX, 0, 0]), 4);
    assert_eq!(k.get(BUF, 4), &expect(10, 4)[..]);
    assert_eq!(k.fds[0].2, 14, "the position moved");
    assert_eq!(k.syscall(PREADV2, [3, IOV, 1, 60, 0, 1 /* RWF_HIPRI */]), 4);
    assert_eq!(k.get(BUF, 4), &expect(60, 4)[..]);
    assert_eq!(errno(k.syscall(PREADV2, [3, IOV, 1, (-2i64) as u64, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(PREADV2, [3, IOV, 1, 0, 0, 0x100])), EOPNOTSUPP, "unknown RWF flag");
    // With nothing to move, the flags are not looked at.
    put_iovs(&mut k, &[(BUF, 0)]);
    assert_eq!(k.syscall(PREADV2, [3, IOV, 1, 0, 0, 0x100]), 0);
}

#[test]
fn pwritev2_flags() {
    let mut k = core();
    k.put(BUF, b"zz");
    put_iovs(&mut k, &[(BUF, 2)]);
    // RWF_APPEND with RWF_NOAPPEND: EINVAL.
    assert_eq!(errno(k.syscall(PWRITEV2, [3, IOV, 1, 0, 0, 0x10 | 0x20])), EINVAL);
    assert!(k.written.is_empty());
    // RWF_DSYNC writes, then syncs.
    assert_eq!(k.syscall(PWRITEV2, [3, IOV, 1, 5, 0, 0x2]), 2);
    assert_eq!(k.written, vec![(3, b"zz".to_vec())]);
    assert_eq!(k.file_state.calls, vec!["fsync 3"]);
    // Without a sync flag, no fsync; a write-only descriptor works.
    assert_eq!(k.syscall(PWRITEV2, [5, IOV, 1, 5, 0, 0]), 2);
    assert_eq!(k.file_state.calls.len(), 1);
    assert_eq!(errno(k.syscall(PWRITEV2, [4, IOV, 1, 5, 0, 0])), EBADF);
}

// ---- dup, dup2, dup3, pipe, pipe2 ----

#[test]
fn dup_gives_the_lowest_free_descriptor() {
    let mut k = core();
    // 0..3 are free in the fake core (3..20 are open).
    assert_eq!(k.syscall(DUP, [3, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.file_state.calls, vec!["dup 3 0 false"]);
    assert_eq!(errno(k.syscall(DUP, [99, 0, 0, 0, 0, 0])), EBADF);
}

#[test]
fn dup2_to_itself_only_checks_the_descriptor() {
    let mut k = core();
    assert_eq!(k.syscall(DUP2, [4, 4, 0, 0, 0, 0]), 4);
    assert_eq!(errno(k.syscall(DUP2, [99, 99, 0, 0, 0, 0])), EBADF);
    // Unsigned ints: the same descriptor whatever the upper halves hold.
    assert_eq!(k.syscall(DUP2, [4, 0xffff_0000_0000_0004, 0, 0, 0, 0]), 4);
    assert!(k.file_state.calls.iter().all(|c| !c.starts_with("dup_to")));
    assert_eq!(k.syscall(DUP2, [4, 25, 0, 0, 0, 0]), 25);
    assert_eq!(errno(k.syscall(DUP2, [99, 25, 0, 0, 0, 0])), EBADF);
    let dups: Vec<&String> = k.file_state.calls.iter().filter(|c| c.starts_with("dup")).collect();
    assert_eq!(dups, vec!["dup_to 4 25 false"]);
}

#[test]
fn dup3_flags_and_same_descriptor() {
    let mut k = core();
    assert_eq!(k.syscall(DUP3, [4, 25, O_CLOEXEC, 0, 0, 0]), 25);
    assert_eq!(k.syscall(DUP3, [4, 26, 0, 0, 0, 0]), 26);
    assert_eq!(k.file_state.calls, vec!["dup_to 4 25 true", "dup_to 4 26 false"]);
    // Linux: unknown flags, then the same descriptor, are EINVAL.
    assert_eq!(errno(k.syscall(DUP3, [4, 4, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(DUP3, [4, 0x1_0000_0004, 0, 0, 0, 0])), EINVAL, "the same unsigned int");
    assert_eq!(errno(k.syscall(DUP3, [4, 27, O_NONBLOCK, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(DUP3, [99, 27, 0, 0, 0, 0])), EBADF);
    assert_eq!(k.file_state.calls.len(), 2);
}

#[test]
fn pipe_and_pipe2_check_before_creating() {
    // The fake core cannot make pipes (it panics if asked): these errors
    // must come from the personality before it asks.
    let mut k = core();
    assert_eq!(errno(k.syscall(PIPE, [0, 0, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(PIPE, [0x10, 0, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(PIPE2, [0, 0, 0, 0, 0, 0])), EFAULT);
    for bad in [O_RDWR, O_CREAT, O_APPEND, O_TRUNC, 1 << 31] {
        assert_eq!(errno(k.syscall(PIPE2, [BUF, bad, 0, 0, 0, 0])), EINVAL, "flags {bad:#o}");
    }
    // Flags are checked before the pointer.
    assert_eq!(errno(k.syscall(PIPE2, [0, O_TRUNC, 0, 0, 0, 0])), EINVAL);
}

// ---- fsync, fdatasync, sync, syncfs, sync_file_range ----

#[test]
fn fsync_fdatasync_sync_syncfs() {
    let mut k = core();
    assert_eq!(k.syscall(FSYNC, [3, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(FDATASYNC, [4, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(SYNC, [0; 6]), 0);
    assert_eq!(k.syscall(SYNCFS, [5, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.file_state.calls, vec!["fsync 3", "fsync 4", "sync", "sync_filesystem 5"]);
    assert_eq!(errno(k.syscall(FSYNC, [99, 0, 0, 0, 0, 0])), EBADF);
    assert_eq!(errno(k.syscall(FDATASYNC, [99, 0, 0, 0, 0, 0])), EBADF);
    assert_eq!(errno(k.syscall(SYNCFS, [99, 0, 0, 0, 0, 0])), EBADF);
    k.file_state.answer = Err(Error::Io);
    assert_eq!(errno(k.syscall(FSYNC, [3, 0, 0, 0, 0, 0])), 5);
}

#[test]
fn sync_file_range_checks_in_linux_order() {
    let mut k = core();
    const WRITE_: u64 = 2;
    const ALL: u64 = 1 | 2 | 4;
    assert_eq!(k.syscall(SYNC_FILE_RANGE, [3, 0, 100, ALL, 0, 0]), 0);
    assert_eq!(k.file_state.calls, vec!["fsync 3"]);
    assert_eq!(k.syscall(SYNC_FILE_RANGE, [3, 0, 100, 1, 0, 0]), 0, "a wait alone writes nothing");
    assert_eq!(k.file_state.calls.len(), 1);
    assert_eq!(errno(k.syscall(SYNC_FILE_RANGE, [99, 0, 0, 8, 0, 0])), EBADF, "descriptor first");
    assert_eq!(errno(k.syscall(SYNC_FILE_RANGE, [3, 0, 0, 8, 0, 0])), EINVAL, "unknown flag");
    assert_eq!(errno(k.syscall(SYNC_FILE_RANGE, [3, (-1i64) as u64, 0, WRITE_, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(SYNC_FILE_RANGE, [3, 0, (-1i64) as u64, WRITE_, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(SYNC_FILE_RANGE, [3, i64::MAX as u64, 1, WRITE_, 0, 0])), EINVAL, "wraps");
    assert_eq!(errno(k.syscall(SYNC_FILE_RANGE, [6, 0, 0, WRITE_, 0, 0])), ESPIPE, "a FIFO");
    assert_eq!(errno(k.syscall(SYNC_FILE_RANGE, [6, (-1i64) as u64, 0, WRITE_, 0, 0])), EINVAL, "range before kind");
    assert_eq!(k.syscall(SYNC_FILE_RANGE, [7, 0, 0, 0, 0, 0]), 0, "a directory");
    assert_eq!(k.file_state.calls.len(), 1);
}

// ---- truncate, ftruncate, fallocate, fadvise64, readahead ----

#[test]
fn truncate_and_ftruncate() {
    let mut k = core();
    put_path(&mut k, PATH, "/f");
    assert_eq!(k.syscall(TRUNCATE, [PATH, 4096, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(FTRUNCATE, [3, 1 << 33, 0, 0, 0, 0]), 0);
    assert_eq!(k.file_state.calls, vec!["truncate Cwd /f 4096", format!("ftruncate 3 {}", 1u64 << 33).as_str()]);
    // Linux checks the length before the path or descriptor.
    assert_eq!(errno(k.syscall(TRUNCATE, [0, (-1i64) as u64, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(FTRUNCATE, [99, (-1i64) as u64, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(TRUNCATE, [0, 0, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(FTRUNCATE, [99, 0, 0, 0, 0, 0])), EBADF);
    assert_eq!(k.file_state.calls.len(), 2);
}

#[test]
fn fallocate_grows_the_file_and_checks_as_linux() {
    let mut k = core();
    assert_eq!(k.syscall(FALLOCATE, [3, 0, 50, 100, 0, 0]), 0);
    assert_eq!(k.file_state.calls, vec!["ftruncate 3 150"]);
    assert_eq!(k.fds[0].3.meta.size, 150);
    assert_eq!(k.syscall(FALLOCATE, [3, 0, 0, 10, 0, 0]), 0, "inside: nothing to do");
    assert_eq!(k.syscall(FALLOCATE, [3, 1, 0, 1000, 0, 0]), 0, "FALLOC_FL_KEEP_SIZE");
    assert_eq!(k.file_state.calls.len(), 1);
    assert_eq!(errno(k.syscall(FALLOCATE, [3, 0, (-1i64) as u64, 10, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(FALLOCATE, [3, 0, 0, 0, 0, 0])), EINVAL, "len 0");
    assert_eq!(errno(k.syscall(FALLOCATE, [4, 0, 0, 10, 0, 0])), EBADF, "read-only");
    assert_eq!(errno(k.syscall(FALLOCATE, [3, 0, i64::MAX as u64, 10, 0, 0])), EFBIG, "wraps");
    // Linux: fdget first (EBADF), then EINVAL; not writable (EBADF) before EFBIG.
    assert_eq!(errno(k.syscall(FALLOCATE, [99, 0, (-1i64) as u64, 10, 0, 0])), EBADF);
    assert_eq!(errno(k.syscall(FALLOCATE, [4, 0, i64::MAX as u64, 10, 0, 0])), EBADF);
    assert_eq!(errno(k.syscall(FALLOCATE, [3, 2 | 1, 0, 10, 0, 0])), EOPNOTSUPP, "no hole punching");
    assert_eq!(k.file_state.calls.len(), 1);
}

#[test]
fn fadvise64_checks_and_accepts() {
    let mut k = core();
    for advice in 0..=5 {
        assert_eq!(k.syscall(FADVISE64, [3, 0, 100, advice, 0, 0]), 0, "advice {advice}");
    }
    assert_eq!(errno(k.syscall(FADVISE64, [3, 0, 100, 6, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(FADVISE64, [3, 0, 100, 0xffff_ffff, 0, 0])), EINVAL, "-1");
    assert_eq!(k.syscall(FADVISE64, [3, 0, 100, 0x1_0000_0004, 0, 0]), 0, "an int: POSIX_FADV_DONTNEED");
    assert_eq!(errno(k.syscall(FADVISE64, [3, 0, (-1i64) as u64, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(FADVISE64, [6, 0, 0, 0, 0, 0])), ESPIPE, "a FIFO");
    assert_eq!(errno(k.syscall(FADVISE64, [6, 0, 0, 9, 0, 0])), ESPIPE, "ESPIPE before the advice");
    assert_eq!(errno(k.syscall(FADVISE64, [99, 0, 0, 9, 0, 0])), EBADF);
}

#[test]
fn readahead_needs_a_readable_file() {
    let mut k = core();
    assert_eq!(k.syscall(READAHEAD, [3, 0, 4096, 0, 0, 0]), 0);
    assert_eq!(k.syscall(READAHEAD, [4, 0, 4096, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(READAHEAD, [5, 0, 4096, 0, 0, 0])), EBADF, "write-only");
    assert_eq!(errno(k.syscall(READAHEAD, [99, 0, 4096, 0, 0, 0])), EBADF);
    assert_eq!(errno(k.syscall(READAHEAD, [7, 0, 4096, 0, 0, 0])), EINVAL, "a directory");
    assert_eq!(errno(k.syscall(READAHEAD, [6, 0, 4096, 0, 0, 0])), EINVAL, "a FIFO");
    assert_eq!(errno(k.syscall(READAHEAD, [3, 0, (-1i64) as u64, 0, 0, 0])), EINVAL);
}
