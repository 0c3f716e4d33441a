//! Moving data between descriptors inside the kernel: splice (one side a
//! pipe), tee (pipe to pipe, not consuming), vmsplice (user memory and a
//! pipe) and copy_file_range (two regular files).

use crate::util::{fd, read_u64, write_u64};
use kernel_ops::{Error, KResult, KernelOps, SpliceFlags};
use linux_abi::fcntl::{SPLICE_F_ALL, SPLICE_F_NONBLOCK};

/// Linux caps one transfer at 2 GiB minus a page.
const MAX_RW: u64 = 0x7fff_f000;

/// An optional `loff_t *`: None when the pointer is NULL; a negative
/// offset is EINVAL.
fn offset_at(ops: &mut dyn KernelOps, addr: u64) -> KResult<Option<u64>> {
    if addr == 0 {
        return Ok(None);
    }
    let o = read_u64(ops, addr)?;
    if (o as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(Some(o))
}

/// Stores an offset moved past `moved` bytes back where it came from.
fn advance(ops: &mut dyn KernelOps, addr: u64, offset: Option<u64>, moved: usize) -> KResult<()> {
    match offset {
        Some(o) => write_u64(ops, addr, o + moved as u64),
        None => Ok(()),
    }
}

/// splice(fd_in, off_in, fd_out, off_out, len, flags).
pub fn splice(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[5] as u32;
    if a[4] == 0 {
        return Ok(0);
    }
    if flags & !SPLICE_F_ALL != 0 {
        return Err(Error::InvalidArgument);
    }
    let (off_in, off_out) = (offset_at(ops, a[1])?, offset_at(ops, a[3])?);
    let mode = SpliceFlags { non_blocking: flags & SPLICE_F_NONBLOCK != 0 };
    let n = ops.splice(fd(a[0]), off_in, fd(a[2]), off_out, a[4].min(MAX_RW) as usize, mode)?;
    advance(ops, a[3], off_out, n)?;
    advance(ops, a[1], off_in, n)?;
    Ok(n as u64)
}

/// copy_file_range(fd_in, off_in, fd_out, off_out, len, flags): no flags
/// are defined. As Linux: an offset whose range wraps the 64-bit space is
/// EOVERFLOW (-1 with a length of 1 among them), then a negative one EINVAL.
pub fn copy_file_range(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[5] as u32 != 0 {
        return Err(Error::InvalidArgument);
    }
    let mut offsets = [None, None];
    for (slot, addr) in offsets.iter_mut().zip([a[1], a[3]]) {
        if addr != 0 {
            let o = read_u64(ops, addr)?;
            if o.checked_add(a[4]).is_none() {
                return Err(Error::Overflow);
            }
            *slot = Some(o);
        }
    }
    if offsets.iter().flatten().any(|&o| (o as i64) < 0) {
        return Err(Error::InvalidArgument);
    }
    let [off_in, off_out] = offsets;
    let n = ops.copy_range(fd(a[0]), off_in, fd(a[2]), off_out, a[4].min(MAX_RW) as usize)?;
    advance(ops, a[1], off_in, n)?;
    advance(ops, a[3], off_out, n)?;
    Ok(n as u64)
}

/// tee(fd_in, fd_out, len, flags): unknown flags EINVAL, then a length of
/// 0 is 0 before the descriptors are looked at, as Linux.
pub fn tee(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[3] as u32;
    if flags & !SPLICE_F_ALL != 0 {
        return Err(Error::InvalidArgument);
    }
    if a[2] == 0 {
        return Ok(0);
    }
    let mode = SpliceFlags { non_blocking: flags & SPLICE_F_NONBLOCK != 0 };
    Ok(ops.tee(fd(a[0]), fd(a[1]), a[2].min(MAX_RW) as usize, mode)? as u64)
}

/// vmsplice(fd, iov, nr_segs, flags): the pages are copied (SPLICE_F_GIFT
/// is accepted: a gift may always be copied). Unknown flags EINVAL, a bad
/// descriptor or one not on a pipe EBADF, then the vector's own checks.
pub fn vmsplice(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[3] as u32;
    if flags & !SPLICE_F_ALL != 0 {
        return Err(Error::InvalidArgument);
    }
    let (opened, _) = ops.status_flags(fd(a[0]))?;
    if !opened.read && !opened.write {
        return Err(Error::BadDescriptor);
    }
    let buffers: alloc::vec::Vec<(u64, usize)> = super::io::iovecs(ops, a[1], a[2])?
        .into_iter()
        .filter(|v| v.iov_len > 0)
        .map(|v| (v.iov_base, v.iov_len as usize))
        .collect();
    if buffers.is_empty() {
        return Ok(0);
    }
    let mode = SpliceFlags { non_blocking: flags & SPLICE_F_NONBLOCK != 0 };
    Ok(ops.vmsplice(fd(a[0]), &buffers, mode)? as u64)
}
