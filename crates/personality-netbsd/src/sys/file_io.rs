//! Seeking, reading and writing at an offset and vectored, fsync and
//! ftruncate. lseek, pread, pwrite and ftruncate carry an unused `int
//! PAD` argument before their off_t (a relic of 32-bit alignment that
//! syscalls.master keeps on every port), so the offset is the next
//! argument along.

use super::args::buffer;
use super::fd;
use kernel_ops::{Error, KResult, KernelOps, Whence};

/// SSIZE_MAX bounds a transfer (dofileread); the core moves at most this
/// much per call either way.
const MAX_RW: u64 = 0x7fff_f000;

/// IOV_MAX (UIO_MAXIOV): the most buffers one readv or writev takes.
const IOV_MAX: u64 = 1024;

/// Whether `f` cannot seek: a pipe, FIFO or socket (NetBSD's
/// `fp->f_type != DTYPE_VNODE || vp->v_type == VFIFO`) is ESPIPE.
fn unseekable(ops: &mut dyn KernelOps, f: i32) -> KResult<bool> {
    Ok(matches!(ops.fstat(f)?.meta.file_type, vfs::FileType::Fifo | vfs::FileType::Socket))
}

/// lseek(fd, PAD, offset, whence): SEEK_SET 0, SEEK_CUR 1, SEEK_END 2;
/// NetBSD has no SEEK_DATA or SEEK_HOLE, so any other whence is EINVAL.
/// The new offset comes back whole in the result register (off_t).
pub fn lseek(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    if unseekable(ops, f)? {
        return Err(Error::IllegalSeek);
    }
    let whence = match a[3] as i32 {
        0 => Whence::Set,
        1 => Whence::Current,
        2 => Whence::End,
        _ => return Err(Error::InvalidArgument),
    };
    ops.seek(f, a[2] as i64, whence)
}

/// The checks sys_pread and sys_pwrite make before the transfer: the
/// descriptor open for the direction (EBADF), seekable (ESPIPE), and the
/// offset not negative (VOP_SEEK's EINVAL).
fn positioned(ops: &mut dyn KernelOps, f: i32, offset: u64, write: bool) -> KResult<()> {
    let (opened, _) = ops.status_flags(f)?;
    if !(if write { opened.write } else { opened.read }) {
        return Err(Error::BadDescriptor);
    }
    if unseekable(ops, f)? {
        return Err(Error::IllegalSeek);
    }
    if (offset as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}

/// pread(fd, buf, nbyte, PAD, offset).
pub fn pread(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    positioned(ops, f, a[4], false)?;
    if a[2] > i64::MAX as u64 {
        return Err(Error::InvalidArgument);
    }
    Ok(ops.pread(f, a[1], a[2].min(MAX_RW) as usize, a[4])? as u64)
}

/// pwrite(fd, buf, nbyte, PAD, offset): on an O_APPEND descriptor the
/// data goes to the end whatever the offset (vn_write passes IO_APPEND,
/// and the file systems honour it over the offset).
pub fn pwrite(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    positioned(ops, f, a[4], true)?;
    if a[2] > i64::MAX as u64 {
        return Err(Error::InvalidArgument);
    }
    let at = if ops.status_flags(f)?.1.append { ops.fstat(f)?.meta.size } else { a[4] };
    Ok(ops.pwrite(f, a[1], a[2].min(MAX_RW) as usize, at)? as u64)
}

/// The (address, length) pairs of a `struct iovec` array. As
/// do_filereadv: no buffers, or more than IOV_MAX (the count is compared
/// as unsigned, so a negative one too), is EINVAL; so is a total past
/// SSIZE_MAX.
fn iovecs(ops: &mut dyn KernelOps, addr: u64, count: u64) -> KResult<alloc::vec::Vec<(u64, usize)>> {
    let count = u64::from(count as u32);
    if count == 0 || count > IOV_MAX {
        return Err(Error::InvalidArgument);
    }
    let mut raw = buffer(count as usize * 16)?;
    ops.copy_in(addr, &mut raw)?;
    let mut total = 0u64;
    let mut list = alloc::vec::Vec::new();
    for v in raw.chunks_exact(16) {
        let base = u64::from_le_bytes(v[..8].try_into().map_err(|_| Error::Fault)?);
        let len = u64::from_le_bytes(v[8..].try_into().map_err(|_| Error::Fault)?);
        total = total.checked_add(len).filter(|t| *t <= i64::MAX as u64).ok_or(Error::InvalidArgument)?;
        list.push((base, len.min(MAX_RW) as usize));
    }
    Ok(list)
}

/// readv(fd, iov, iovcnt): one read per buffer, stopping at the first
/// short one; an error after some bytes were read reports the bytes. A
/// descriptor not open for reading is EBADF before the array is read.
pub fn readv(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    if a[2] as u32 == 0 {
        return Err(Error::InvalidArgument);
    }
    if !ops.status_flags(f)?.0.read {
        return Err(Error::BadDescriptor);
    }
    let list = iovecs(ops, a[1], a[2])?;
    let mut total = 0u64;
    for (base, len) in list.into_iter().filter(|v| v.1 > 0) {
        match ops.read(f, base, len) {
            Ok(n) => {
                total += n as u64;
                if n < len {
                    break;
                }
            }
            Err(e) if total == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(total)
}

/// writev(fd, iov, iovcnt): the buffers as one write where the core can
/// make it one (a pipe takes them as a single write).
pub fn writev(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    if a[2] as u32 == 0 {
        return Err(Error::InvalidArgument);
    }
    if !ops.status_flags(f)?.0.write {
        return Err(Error::BadDescriptor);
    }
    let list: alloc::vec::Vec<(u64, usize)> = iovecs(ops, a[1], a[2])?.into_iter().filter(|v| v.1 > 0).collect();
    if list.is_empty() {
        return Ok(0);
    }
    ops.write_gathered(f, &list).map(|n| n as u64)
}

/// fsync(fd): pipes, sockets and other descriptors without a file are
/// EINVAL (the core's answer, and fd_getvnode's).
pub fn fsync(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.fsync(fd(a[0])).map(|_| 0)
}

/// ftruncate(fd, PAD, length), as sys_ftruncate: a negative length is
/// EINVAL before the descriptor is looked at; a descriptor not open for
/// writing is EINVAL (not EBADF), a directory EISDIR.
pub fn ftruncate(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let length = a[2];
    if (length as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    let f = fd(a[0]);
    let (opened, _) = ops.status_flags(f)?;
    if !opened.write {
        return Err(Error::InvalidArgument);
    }
    if ops.fstat(f)?.meta.is_dir() {
        return Err(Error::IsDirectory);
    }
    ops.ftruncate(f, length).map(|_| 0)
}
