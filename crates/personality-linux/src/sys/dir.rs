//! Directories, links and names.

use crate::util::{dirfd, fd, path};
use alloc::vec::Vec;
use kernel_ops::{DirFd, Error, KResult, KernelOps};
use linux_abi::dirent::{dt_from_mode, push_dirent, push_dirent64, DirEntry};
use linux_abi::fcntl::{AT_EMPTY_PATH, AT_REMOVEDIR, AT_SYMLINK_FOLLOW};

fn getdents_common(ops: &mut dyn KernelOps, a: [u64; 6], wide: bool) -> KResult<u64> {
    // count is an unsigned int: the register's upper half is not part of it.
    let cap = u64::from(a[2] as u32).min(1 << 20) as usize;
    let mut buf = crate::util::buffer(cap)?;
    let mut pos = 0usize;
    let mut any = false;
    ops.read_dir(fd(a[0]), &mut |e| {
        let entry = DirEntry {
            ino: e.ino,
            off: e.next_offset as i64,
            d_type: dt_from_mode(crate::util::mode_bits(e.file_type)),
            name: e.name,
        };
        let next = if wide { push_dirent64(&mut buf, pos, &entry) } else { push_dirent(&mut buf, pos, &entry) };
        match next {
            Some(p) => {
                pos = p;
                any = true;
                true
            }
            None => false,
        }
    })?;
    if !any && pos == 0 && cap > 0 {
        // Either the directory is exhausted (0) or the buffer is too small
        // for even one entry (EINVAL); a second probe tells them apart.
        let mut more = false;
        ops.read_dir(fd(a[0]), &mut |_| {
            more = true;
            false
        })?;
        if more {
            return Err(Error::InvalidArgument);
        }
    }
    ops.copy_out(a[1], &buf[..pos])?;
    Ok(pos as u64)
}

pub fn getdents64(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    getdents_common(ops, a, true)
}

pub fn getdents(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    getdents_common(ops, a, false)
}

pub fn getcwd(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mut cwd: Vec<u8> = ops.getcwd()?;
    cwd.push(0);
    if cwd.len() as u64 > a[1] {
        return Err(Error::OutOfRange);
    }
    ops.copy_out(a[0], &cwd)?;
    Ok(cwd.len() as u64)
}

pub fn chdir(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    ops.chdir(&p).map(|_| 0)
}

pub fn fchdir(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.fchdir(fd(a[0])).map(|_| 0)
}

pub fn chroot(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    ops.chroot(&p).map(|_| 0)
}

pub fn mkdir(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    mkdirat(ops, [linux_abi::fcntl::AT_FDCWD as u64, a[0], a[1], 0, 0, 0])
}

pub fn mkdirat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[1])?;
    ops.make_dir(dirfd(a[0]), &p, a[2] as u32).map(|_| 0)
}

pub fn mknod(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    mknodat(ops, [linux_abi::fcntl::AT_FDCWD as u64, a[0], a[1], a[2], 0, 0])
}

pub fn mknodat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    use linux_abi::stat::*;
    let p = path(ops, a[1])?;
    let mode = a[2] as u32;
    let kind = match mode & S_IFMT {
        0 | S_IFREG => vfs::FileType::Regular,
        S_IFCHR => vfs::FileType::CharDevice,
        S_IFBLK => vfs::FileType::BlockDevice,
        S_IFIFO => vfs::FileType::Fifo,
        S_IFSOCK => vfs::FileType::Socket,
        S_IFDIR => return Err(Error::NotPermitted),
        _ => return Err(Error::InvalidArgument),
    };
    // dev is an unsigned int in Linux's mknodat: the register's upper half
    // is not part of it.
    ops.make_node(dirfd(a[0]), &p, kind, mode & 0o7777, crate::util::decode_dev(u64::from(a[3] as u32))).map(|_| 0)
}

pub fn rmdir(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    ops.unlink(DirFd::Cwd, &p, true).map(|_| 0)
}

pub fn unlink(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let p = path(ops, a[0])?;
    ops.unlink(DirFd::Cwd, &p, false).map(|_| 0)
}

pub fn unlinkat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[2] as u32;
    if flags & !AT_REMOVEDIR != 0 {
        return Err(Error::InvalidArgument);
    }
    let p = path(ops, a[1])?;
    ops.unlink(dirfd(a[0]), &p, flags & AT_REMOVEDIR != 0).map(|_| 0)
}

pub fn rename(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let at = linux_abi::fcntl::AT_FDCWD as u64;
    renameat2(ops, [at, a[0], at, a[1], 0, 0])
}

pub fn renameat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    renameat2(ops, [a[0], a[1], a[2], a[3], 0, 0])
}

pub fn renameat2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    const RENAME_NOREPLACE: u64 = 1;
    // flags is an unsigned int: the register's upper half is not part of it.
    let flags = u64::from(a[4] as u32);
    if flags & !RENAME_NOREPLACE != 0 {
        ops.log_unsupported(format_args!("linux: renameat2 flags {flags:#x}"));
        return Err(Error::InvalidArgument);
    }
    let old = path(ops, a[1])?;
    let new = path(ops, a[3])?;
    ops.rename(dirfd(a[0]), &old, dirfd(a[2]), &new, flags & RENAME_NOREPLACE != 0).map(|_| 0)
}

pub fn link(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let at = linux_abi::fcntl::AT_FDCWD as u64;
    linkat(ops, [at, a[0], at, a[1], 0, 0])
}

pub fn linkat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[4] as u32;
    if flags & !(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Error::InvalidArgument);
    }
    let old = path(ops, a[1])?;
    let new = path(ops, a[3])?;
    if old.is_empty() {
        // Linking an open file by its descriptor (flink): only with
        // AT_EMPTY_PATH, and only with CAP_DAC_READ_SEARCH, else anyone
        // handed a descriptor could give its file a name. Linux 6.10 also
        // lets through a caller whose credentials are still the ones the
        // file was opened with; open files do not record those here, so
        // the stricter older rule. A bad descriptor is EBADF first.
        if flags & AT_EMPTY_PATH == 0 {
            return Err(Error::NotFound);
        }
        if let kernel_ops::DirFd::Fd(f) = dirfd(a[0]) {
            ops.status_flags(f)?;
        }
        if !ops.credentials().has(kernel_ops::Privilege::DacReadSearch) {
            return Err(Error::NotFound);
        }
    }
    ops.link(dirfd(a[0]), &old, dirfd(a[2]), &new, flags & AT_SYMLINK_FOLLOW != 0).map(|_| 0)
}

pub fn symlink(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    symlinkat(ops, [a[0], linux_abi::fcntl::AT_FDCWD as u64, a[1], 0, 0, 0])
}

pub fn symlinkat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let target = path(ops, a[0])?;
    let p = path(ops, a[2])?;
    ops.symlink(&target, dirfd(a[1]), &p).map(|_| 0)
}

pub fn readlink(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    readlinkat(ops, [linux_abi::fcntl::AT_FDCWD as u64, a[0], a[1], a[2], 0, 0])
}

pub fn readlinkat(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    // bufsiz is an int: only its low 32 bits count, and 0 or negative is
    // EINVAL (Linux's readlinkat).
    let size = a[3] as i32;
    if size <= 0 {
        return Err(Error::InvalidArgument);
    }
    let p = path(ops, a[1])?;
    let target = ops.read_link(dirfd(a[0]), &p)?;
    let n = target.len().min(size as usize);
    ops.copy_out(a[2], &target[..n])?;
    Ok(n as u64)
}
