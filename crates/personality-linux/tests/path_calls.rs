//! The name-space calls against a fake core: paths read from user memory,
//! AT_FDCWD and directory descriptors, the *at flags turned into the
//! core's booleans, getdents' two record layouts, what getcwd and
//! readlink copy and return, mknod's mode and device number, umask.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::Error;

const GETDENTS: u64 = 78;
const GETCWD: u64 = 79;
const CHDIR: u64 = 80;
const FCHDIR: u64 = 81;
const RENAME: u64 = 82;
const MKDIR: u64 = 83;
const RMDIR: u64 = 84;
const LINK: u64 = 86;
const UNLINK: u64 = 87;
const SYMLINK: u64 = 88;
const READLINK: u64 = 89;
const UMASK: u64 = 95;
const MKNOD: u64 = 133;
const CHROOT: u64 = 161;
const GETDENTS64: u64 = 217;
const MKDIRAT: u64 = 258;
const MKNODAT: u64 = 259;
const UNLINKAT: u64 = 263;
const RENAMEAT: u64 = 264;
const LINKAT: u64 = 265;
const SYMLINKAT: u64 = 266;
const READLINKAT: u64 = 267;
const RENAMEAT2: u64 = 316;

const ENOENT: i64 = 2;
const EBADF: i64 = 9;
const EFAULT: i64 = 14;
const EEXIST: i64 = 17;
const EPERM: i64 = 1;
const EINVAL: i64 = 22;
const ERANGE: i64 = 34;
const ENOTEMPTY: i64 = 39;

const AT_FDCWD: u64 = -100i64 as u64;
const AT_REMOVEDIR: u64 = 0x200;
const AT_SYMLINK_FOLLOW: u64 = 0x400;
const AT_EMPTY_PATH: u64 = 0x1000;

const P1: u64 = MEM_BASE + 0x100;
const P2: u64 = MEM_BASE + 0x200;
const BUF: u64 = MEM_BASE + 0x1000;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn put_path(k: &mut FakeCore, at: u64, p: &str) {
    let mut b = p.as_bytes().to_vec();
    b.push(0);
    k.put(at, &b);
}

fn two_paths(a: &str, b: &str) -> FakeCore {
    let mut k = FakeCore::new();
    put_path(&mut k, P1, a);
    put_path(&mut k, P2, b);
    k
}

// ---- getdents, getdents64 ----

fn directory() -> FakeCore {
    let mut k = FakeCore::new();
    k.file_state.dir = vec![
        (2, b".".to_vec(), vfs::FileType::Directory),
        (11, b"file.txt".to_vec(), vfs::FileType::Regular),
        (12, b"link".to_vec(), vfs::FileType::Symlink),
        (13, b"tty0".to_vec(), vfs::FileType::CharDevice),
        (14, b"p".to_vec(), vfs::FileType::Fifo),
    ];
    k
}

fn u64_at(k: &FakeCore, at: u64) -> u64 {
    u64::from_le_bytes(k.get(at, 8).try_into().unwrap())
}

fn u16_at(k: &FakeCore, at: u64) -> u16 {
    u16::from_le_bytes(k.get(at, 2).try_into().unwrap())
}

#[test]
fn getdents64_writes_linux_dirent64_records() {
    let mut k = directory();
    k.mem[0x1000..0x1200].fill(0xee);
    // Room for "." (24 bytes) and "file.txt" (19 + 9 -> 32) but not "link" (24).
    assert_eq!(k.syscall(GETDENTS64, [5, BUF, 24 + 32 + 23, 0, 0, 0]), 56);
    // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
    assert_eq!(u64_at(&k, BUF), 2);
    assert_eq!(u64_at(&k, BUF + 8), 1, "d_off: the position after the entry");
    assert_eq!(u16_at(&k, BUF + 16), 24);
    assert_eq!(k.get(BUF + 18, 1), &[4], "DT_DIR");
    assert_eq!(k.get(BUF + 19, 2), b".\0");
    let e = BUF + 24;
    assert_eq!(u64_at(&k, e), 11);
    assert_eq!(u64_at(&k, e + 8), 2);
    assert_eq!(u16_at(&k, e + 16), 32);
    assert_eq!(k.get(e + 18, 1), &[8], "DT_REG");
    assert_eq!(k.get(e + 19, 9), b"file.txt\0");
    assert_eq!(k.get(BUF + 56, 1), &[0xee], "nothing past the returned length");
    // The next call continues where this one stopped.
    assert_eq!(k.syscall(GETDENTS64, [5, BUF, 4096, 0, 0, 0]), 72);
    assert_eq!(k.get(BUF + 18, 1), &[10], "DT_LNK");
    assert_eq!(k.get(BUF + 19, 5), b"link\0");
    assert_eq!(k.get(BUF + 24 + 18, 1), &[2], "DT_CHR");
    assert_eq!(k.get(BUF + 48 + 18, 1), &[1], "DT_FIFO");
    assert_eq!(u64_at(&k, BUF + 48 + 8), 5);
    assert_eq!(k.syscall(GETDENTS64, [5, BUF, 4096, 0, 0, 0]), 0, "end of directory");
}

#[test]
fn getdents_writes_the_old_linux_dirent_records() {
    let mut k = directory();
    assert_eq!(k.syscall(GETDENTS, [5, BUF, 24 + 32, 0, 0, 0]), 56);
    // struct linux_dirent { unsigned long d_ino; unsigned long d_off;
    // unsigned short d_reclen; char d_name[]; ... char d_type at reclen - 1 }
    assert_eq!(u64_at(&k, BUF), 2);
    assert_eq!(u64_at(&k, BUF + 8), 1);
    assert_eq!(u16_at(&k, BUF + 16), 24, "ALIGN(18 + 1 + 2, 8)");
    assert_eq!(k.get(BUF + 18, 2), b".\0");
    assert_eq!(k.get(BUF + 23, 1), &[4], "DT_DIR in the record's last byte");
    let e = BUF + 24;
    assert_eq!(u16_at(&k, e + 16), 32, "ALIGN(18 + 8 + 2, 8)");
    assert_eq!(k.get(e + 18, 9), b"file.txt\0");
    assert_eq!(k.get(e + 31, 1), &[8], "DT_REG");
}

#[test]
fn getdents_too_small_for_one_entry_is_einval() {
    let mut k = directory();
    assert_eq!(errno(k.syscall(GETDENTS64, [5, BUF, 23, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(GETDENTS, [5, BUF, 10, 0, 0, 0])), EINVAL);
    // count is an unsigned int: 0x1_0000_0010 is 16, too small.
    assert_eq!(errno(k.syscall(GETDENTS64, [5, BUF, 0x1_0000_0010, 0, 0, 0])), EINVAL);
    assert_eq!(k.file_state.dir_pos, 0, "nothing consumed");
    assert_eq!(errno(k.syscall(GETDENTS64, [99, BUF, 4096, 0, 0, 0])), EBADF);
    assert_eq!(errno(k.syscall(GETDENTS64, [5, 0x10, 4096, 0, 0, 0])), EFAULT);
    // An exhausted directory answers 0 even to a tiny buffer.
    k.file_state.dir_pos = 5;
    assert_eq!(k.syscall(GETDENTS64, [5, BUF, 1, 0, 0, 0]), 0);
}

// ---- getcwd, chdir, fchdir, chroot ----

#[test]
fn getcwd_copies_the_path_with_its_nul_and_returns_the_length() {
    let mut k = FakeCore::new();
    k.mem[0x1000..0x1020].fill(0xee);
    assert_eq!(k.syscall(GETCWD, [BUF, 100, 0, 0, 0, 0]), 11);
    assert_eq!(k.get(BUF, 12), b"/home/user\0\xee");
    assert_eq!(k.syscall(GETCWD, [BUF, 11, 0, 0, 0, 0]), 11, "exactly enough");
    assert_eq!(errno(k.syscall(GETCWD, [BUF, 10, 0, 0, 0, 0])), ERANGE);
    assert_eq!(errno(k.syscall(GETCWD, [BUF, 0, 0, 0, 0, 0])), ERANGE);
    assert_eq!(errno(k.syscall(GETCWD, [0x10, 100, 0, 0, 0, 0])), EFAULT);
}

#[test]
fn chdir_fchdir_chroot() {
    let mut k = two_paths("/var/tmp", "/srv/jail");
    assert_eq!(k.syscall(CHDIR, [P1, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(FCHDIR, [7, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(CHROOT, [P2, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.file_state.calls, vec!["chdir /var/tmp", "fchdir 7", "chroot /srv/jail"]);
    assert_eq!(k.syscall(GETCWD, [BUF, 100, 0, 0, 0, 0]), 9);
    assert_eq!(k.get(BUF, 9), b"/var/tmp\0");
    assert_eq!(errno(k.syscall(CHDIR, [0, 0, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(CHROOT, [0, 0, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(FCHDIR, [99, 0, 0, 0, 0, 0])), EBADF);
    k.file_state.answer = Err(Error::NotFound);
    assert_eq!(errno(k.syscall(CHDIR, [P1, 0, 0, 0, 0, 0])), ENOENT);
    k.file_state.answer = Err(Error::NotPermitted);
    assert_eq!(errno(k.syscall(CHROOT, [P2, 0, 0, 0, 0, 0])), EPERM);
}

// ---- mkdir, mkdirat, rmdir, unlink, unlinkat ----

#[test]
fn mkdir_and_mkdirat() {
    let mut k = two_paths("d", "sub/e");
    assert_eq!(k.syscall(MKDIR, [P1, 0o755, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(MKDIRAT, [5, P2, 0o700, 0, 0, 0]), 0);
    assert_eq!(k.syscall(MKDIRAT, [AT_FDCWD, P2, 0o1777, 0, 0, 0]), 0);
    assert_eq!(k.file_state.calls, vec!["make_dir Cwd d 755", "make_dir Fd(5) sub/e 700", "make_dir Cwd sub/e 1777"]);
    k.file_state.answer = Err(Error::Exists);
    assert_eq!(errno(k.syscall(MKDIR, [P1, 0o755, 0, 0, 0, 0])), EEXIST);
    assert_eq!(errno(k.syscall(MKDIRAT, [AT_FDCWD, 0, 0o755, 0, 0, 0])), EFAULT);
}

#[test]
fn rmdir_unlink_unlinkat() {
    let mut k = two_paths("d", "f");
    assert_eq!(k.syscall(RMDIR, [P1, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(UNLINK, [P2, 0, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(UNLINKAT, [5, P1, AT_REMOVEDIR, 0, 0, 0]), 0);
    assert_eq!(k.syscall(UNLINKAT, [AT_FDCWD, P2, 0, 0, 0, 0]), 0);
    assert_eq!(
        k.file_state.calls,
        vec!["unlink Cwd d true", "unlink Cwd f false", "unlink Fd(5) d true", "unlink Cwd f false"]
    );
    // Linux's unlinkat: any flag but AT_REMOVEDIR is EINVAL, before the path.
    assert_eq!(errno(k.syscall(UNLINKAT, [AT_FDCWD, P2, AT_SYMLINK_FOLLOW, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(UNLINKAT, [AT_FDCWD, 0, 0x800, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(UNLINK, [0, 0, 0, 0, 0, 0])), EFAULT);
    k.file_state.answer = Err(Error::NotEmpty);
    assert_eq!(errno(k.syscall(RMDIR, [P1, 0, 0, 0, 0, 0])), ENOTEMPTY);
    assert_eq!(k.file_state.calls.len(), 5);
}

// ---- rename, renameat, renameat2 ----

#[test]
fn rename_renameat_renameat2() {
    let mut k = two_paths("old", "new");
    assert_eq!(k.syscall(RENAME, [P1, P2, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(RENAMEAT, [5, P1, 6, P2, 0, 0]), 0);
    assert_eq!(k.syscall(RENAMEAT2, [AT_FDCWD, P1, 6, P2, 1 /* RENAME_NOREPLACE */, 0]), 0);
    assert_eq!(
        k.file_state.calls,
        vec!["rename Cwd old Cwd new false", "rename Fd(5) old Fd(6) new false", "rename Cwd old Fd(6) new true",]
    );
    // Unknown flags, and NOREPLACE with EXCHANGE, are EINVAL in Linux.
    assert_eq!(errno(k.syscall(RENAMEAT2, [AT_FDCWD, P1, AT_FDCWD, P2, 8, 0])), EINVAL);
    // flags is an unsigned int: 0x1_0000_0001 is RENAME_NOREPLACE.
    assert_eq!(k.syscall(RENAMEAT2, [AT_FDCWD, P1, AT_FDCWD, P2, 0x1_0000_0001, 0]), 0);
    assert_eq!(k.file_state.calls.pop().unwrap(), "rename Cwd old Cwd new true");
    assert_eq!(errno(k.syscall(RENAMEAT2, [AT_FDCWD, P1, AT_FDCWD, P2, 1 | 2, 0])), EINVAL);
    assert_eq!(errno(k.syscall(RENAME, [P1, 0, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(RENAMEAT, [AT_FDCWD, 0, AT_FDCWD, P2, 0, 0])), EFAULT);
    assert_eq!(k.file_state.calls.len(), 3);
}

// ---- link, linkat, symlink, symlinkat, readlink, readlinkat ----

#[test]
fn link_and_linkat() {
    let mut k = two_paths("target", "alias");
    assert_eq!(k.syscall(LINK, [P1, P2, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(LINKAT, [5, P1, 6, P2, AT_SYMLINK_FOLLOW, 0]), 0);
    assert_eq!(k.syscall(LINKAT, [AT_FDCWD, P1, AT_FDCWD, P2, 0, 0]), 0);
    // link(2) does not follow a final symlink (Linux since 2.0); linkat
    // only with AT_SYMLINK_FOLLOW.
    assert_eq!(
        k.file_state.calls,
        vec![
            "link Cwd target Cwd alias false",
            "link Fd(5) target Fd(6) alias true",
            "link Cwd target Cwd alias false"
        ]
    );
    assert_eq!(errno(k.syscall(LINKAT, [AT_FDCWD, P1, AT_FDCWD, P2, 0x100, 0])), EINVAL);
    assert_eq!(errno(k.syscall(LINK, [0, P2, 0, 0, 0, 0])), EFAULT);
    assert_eq!(k.file_state.calls.len(), 3);
    // An empty name links the descriptor's own file: only with
    // AT_EMPTY_PATH (else ENOENT), only with CAP_DAC_READ_SEARCH (else
    // ENOENT, after EBADF for a descriptor that is not open).
    put_path(&mut k, P1, "");
    assert_eq!(errno(k.syscall(LINKAT, [5, P1, AT_FDCWD, P2, 0, 0])), ENOENT, "no AT_EMPTY_PATH");
    assert_eq!(errno(k.syscall(LINKAT, [5, P1, AT_FDCWD, P2, AT_EMPTY_PATH, 0])), ENOENT, "unprivileged");
    assert_eq!(errno(k.syscall(LINKAT, [99, P1, AT_FDCWD, P2, AT_EMPTY_PATH, 0])), EBADF, "closed descriptor");
    assert_eq!(k.file_state.calls.len(), 3);
    k.creds = kernel_ops::Credentials::user(0, 0);
    assert_eq!(k.syscall(LINKAT, [5, P1, AT_FDCWD, P2, AT_EMPTY_PATH, 0]), 0);
    assert_eq!(k.file_state.calls[3], "link Fd(5)  Cwd alias false");
}

#[test]
fn symlink_symlinkat_and_readlink() {
    let mut k = two_paths("/usr/bin/python3", "py");
    assert_eq!(k.syscall(SYMLINK, [P1, P2, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(SYMLINKAT, [P1, 5, P2, 0, 0, 0]), 0);
    assert_eq!(k.file_state.calls, vec!["symlink /usr/bin/python3 Cwd py", "symlink /usr/bin/python3 Fd(5) py"]);
    assert_eq!(errno(k.syscall(SYMLINK, [0, P2, 0, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(SYMLINKAT, [P1, AT_FDCWD, 0, 0, 0, 0])), EFAULT);

    // readlink copies the target without a NUL and returns its length.
    k.mem[0x1000..0x1040].fill(0xee);
    assert_eq!(k.syscall(READLINK, [P2, BUF, 64, 0, 0, 0]), 16);
    assert_eq!(k.get(BUF, 17), b"/usr/bin/python3\xee");
    // A short buffer gets the start, silently cut.
    k.mem[0x1000..0x1040].fill(0xee);
    assert_eq!(k.syscall(READLINKAT, [AT_FDCWD, P2, BUF, 4, 0, 0]), 4);
    assert_eq!(k.get(BUF, 5), b"/usr\xee");
    assert_eq!(k.file_state.calls[2..], ["read_link Cwd py", "read_link Cwd py"]);
    assert_eq!(k.syscall(READLINKAT, [5, P2, BUF, 64, 0, 0]), 16);
    assert_eq!(k.file_state.calls[4], "read_link Fd(5) py");
}

#[test]
fn readlink_buffer_size_is_an_int() {
    let mut k = two_paths("/usr/bin/python3", "py");
    k.file_state.links.push((b"py".to_vec(), b"/usr/bin/python3".to_vec()));
    // bufsiz <= 0: EINVAL before the path is looked at.
    assert_eq!(errno(k.syscall(READLINK, [P2, BUF, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(READLINKAT, [AT_FDCWD, 0, BUF, (-1i64) as u64, 0, 0])), EINVAL);
    // As an int, 0x1_0000_0000 is 0 and 0x8000_0000 is negative.
    assert_eq!(errno(k.syscall(READLINK, [P2, BUF, 0x1_0000_0000, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(READLINK, [P2, BUF, 0x8000_0000, 0, 0, 0])), EINVAL);
    assert!(k.file_state.calls.is_empty());
    // Only the low 32 bits count: 0x1_0000_0003 is 3.
    assert_eq!(k.syscall(READLINK, [P2, BUF, 0x1_0000_0003, 0, 0, 0]), 3);
    // Not a link: the core's EINVAL; a bad buffer EFAULT.
    put_path(&mut k, P1, "plain");
    assert_eq!(errno(k.syscall(READLINK, [P1, BUF, 64, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(READLINK, [P2, 0x10, 64, 0, 0, 0])), EFAULT);
}

// ---- mknod, mknodat ----

#[test]
fn mknod_decodes_type_permissions_and_device() {
    let mut k = two_paths("null", "fifo");
    // makedev(1, 3) and makedev(300, 70000) in Linux's encoding.
    assert_eq!(k.syscall(MKNOD, [P1, 0o020666, 0x103, 0, 0, 0]), 0);
    let big = (70000 & 0xff) | (300 << 8) | ((70000 & !0xff) << 12);
    assert_eq!(k.syscall(MKNODAT, [5, P1, 0o060600, big, 0, 0]), 0);
    assert_eq!(k.syscall(MKNODAT, [AT_FDCWD, P2, 0o010644 | 0o4000, 0, 0, 0]), 0);
    assert_eq!(k.syscall(MKNOD, [P2, 0o644, 0, 0, 0, 0]), 0, "type 0 is a regular file");
    assert_eq!(k.syscall(MKNOD, [P2, 0o100600, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(MKNOD, [P2, 0o140777, 0, 0, 0, 0]), 0);
    // dev is an unsigned int: the register's upper half is not part of it.
    assert_eq!(k.syscall(MKNOD, [P1, 0o020666, 0xdead_0000_0000_0103, 0, 0, 0]), 0);
    assert_eq!(
        k.file_state.calls,
        vec![
            "make_node Cwd null CharDevice 666 (1, 3)",
            "make_node Fd(5) null BlockDevice 600 (300, 70000)",
            "make_node Cwd fifo Fifo 4644 (0, 0)",
            "make_node Cwd fifo Regular 644 (0, 0)",
            "make_node Cwd fifo Regular 600 (0, 0)",
            "make_node Cwd fifo Socket 777 (0, 0)",
            "make_node Cwd null CharDevice 666 (1, 3)",
        ]
    );
    // Linux's may_mknod: a directory EPERM, an unknown type EINVAL.
    assert_eq!(errno(k.syscall(MKNOD, [P2, 0o040755, 0, 0, 0, 0])), EPERM);
    assert_eq!(errno(k.syscall(MKNOD, [P2, 0o070755, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(MKNOD, [P2, 0o120777, 0, 0, 0, 0])), EINVAL, "no symlinks by mknod");
    assert_eq!(errno(k.syscall(MKNOD, [0, 0o644, 0, 0, 0, 0])), EFAULT);
    assert_eq!(k.file_state.calls.len(), 7);
}

// ---- umask ----

#[test]
fn umask_sets_and_returns_the_old_mask() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(UMASK, [0o077, 0, 0, 0, 0, 0]), 0o022);
    assert_eq!(k.syscall(UMASK, [0o002, 0, 0, 0, 0, 0]), 0o077);
    assert_eq!(k.file_state.calls, vec!["umask 77", "umask 2"]);
    assert_eq!(k.file_state.umask, 0o002);
}
