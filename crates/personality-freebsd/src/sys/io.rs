//! Reading, writing and seeking: plain, at an offset and vectored; fsync
//! and ftruncate.

use super::{buffer, fd};
use kernel_ops::{Error, KResult, KernelOps, Whence};

/// The largest read or write (FreeBSD's `IOSIZE_MAX` is SSIZE_MAX; the
/// core moves at most this much per call either way).
const MAX_RW: u64 = 0x7fff_f000;

/// UIO_MAXIOV: the most buffers one readv or writev takes.
const UIO_MAXIOV: u64 = 1024;

pub fn read(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(ops.read(fd(a[0]), a[1], a[2].min(MAX_RW) as usize)? as u64)
}

pub fn write(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(ops.write(fd(a[0]), a[1], a[2].min(MAX_RW) as usize)? as u64)
}

pub fn close(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.close(fd(a[0])).map(|_| 0)
}

/// pread(fd, buf, nbytes, offset): a negative offset is EINVAL; a pipe,
/// socket or terminal ESPIPE (the core's).
pub fn pread(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[3] as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(ops.pread(fd(a[0]), a[1], a[2].min(MAX_RW) as usize, a[3])? as u64)
}

/// pwrite(fd, buf, nbytes, offset): on an O_APPEND descriptor the data
/// goes to the end whatever the offset (vn_write passes IO_APPEND, and
/// the file systems honour it over the offset).
pub fn pwrite(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[3] as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    let f = fd(a[0]);
    let at = if ops.status_flags(f)?.1.append { ops.fstat(f)?.meta.size } else { a[3] };
    Ok(ops.pwrite(f, a[1], a[2].min(MAX_RW) as usize, at)? as u64)
}

/// lseek(fd, offset, whence): SEEK_SET 0, SEEK_CUR 1, SEEK_END 2,
/// SEEK_DATA 3, SEEK_HOLE 4, as on Linux; others EINVAL.
pub fn lseek(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let whence = match a[2] as i32 {
        0 => Whence::Set,
        1 => Whence::Current,
        2 => Whence::End,
        3 => Whence::Data,
        4 => Whence::Hole,
        _ => return Err(Error::InvalidArgument),
    };
    ops.seek(fd(a[0]), a[1] as i64, whence)
}

/// The (address, length) pairs of a `struct iovec` array: more than
/// UIO_MAXIOV entries, or a total past SSIZE_MAX, is EINVAL (copyinuio).
fn iovecs(ops: &mut dyn KernelOps, addr: u64, count: u64) -> KResult<alloc::vec::Vec<(u64, usize)>> {
    let count = u64::from(count as u32);
    if count > UIO_MAXIOV {
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
/// short one; an error after some bytes were read reports the bytes.
pub fn readv(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
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
    if total == 0 {
        // Nothing to read into still checks the descriptor.
        ops.status_flags(f)?;
    }
    Ok(total)
}

/// writev(fd, iov, iovcnt): the buffers as one write where the core can
/// make it one (a pipe takes them as a single write).
pub fn writev(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let f = fd(a[0]);
    let list: alloc::vec::Vec<(u64, usize)> = iovecs(ops, a[1], a[2])?.into_iter().filter(|v| v.1 > 0).collect();
    if list.is_empty() {
        ops.status_flags(f)?;
        return Ok(0);
    }
    ops.write_gathered(f, &list).map(|n| n as u64)
}

/// fsync(fd): pipes, sockets and other descriptors without a file are
/// EINVAL (the core's answer, and FreeBSD's getvnode).
pub fn fsync(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.fsync(fd(a[0])).map(|_| 0)
}

/// ftruncate(fd, length): a negative length is EINVAL.
pub fn ftruncate(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[1] as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    ops.ftruncate(fd(a[0]), a[1]).map(|_| 0)
}
