//! Reading, writing and seeking.

use crate::util::fd;
use kernel_ops::{Error, KResult, KernelOps, Whence};
use linux_abi::iovec::{Iovec, UIO_MAXIOV};

/// Linux caps one transfer at 2 GiB minus a page.
const MAX_RW: u64 = 0x7fff_f000;

pub fn read(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(ops.read(fd(a[0]), a[1], a[2].min(MAX_RW) as usize)? as u64)
}

pub fn write(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(ops.write(fd(a[0]), a[1], a[2].min(MAX_RW) as usize)? as u64)
}

pub fn pread64(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[3] as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(ops.pread(fd(a[0]), a[1], a[2].min(MAX_RW) as usize, a[3])? as u64)
}

pub fn pwrite64(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if (a[3] as i64) < 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(ops.pwrite(fd(a[0]), a[1], a[2].min(MAX_RW) as usize, a[3])? as u64)
}

pub fn lseek(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let whence = match a[2] {
        0 => Whence::Set,
        1 => Whence::Current,
        2 => Whence::End,
        _ => return Err(Error::InvalidArgument),
    };
    ops.seek(fd(a[0]), a[1] as i64, whence)
}

pub fn sendfile(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let offset = if a[2] == 0 { None } else { Some(crate::util::read_u64(ops, a[2])?) };
    if offset.is_some_and(|o| (o as i64) < 0) {
        return Err(Error::InvalidArgument);
    }
    let (n, after) = ops.transfer(fd(a[0]), fd(a[1]), offset, a[3].min(MAX_RW) as usize)?;
    if let Some(o) = after {
        crate::util::write_u64(ops, a[2], o)?;
    }
    Ok(n as u64)
}

pub fn fallocate(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    const FALLOC_FL_KEEP_SIZE: u64 = 1;
    let (offset, len) = (a[2] as i64, a[3] as i64);
    if offset < 0 || len <= 0 {
        return Err(Error::InvalidArgument);
    }
    let end = offset.checked_add(len).ok_or(Error::FileTooBig)? as u64;
    match a[1] {
        0 => {
            // RAM-backed files allocate on write; only the size must grow.
            let size = ops.fstat(fd(a[0]))?.meta.size;
            if end > size {
                ops.ftruncate(fd(a[0]), end)?;
            }
            Ok(0)
        }
        FALLOC_FL_KEEP_SIZE => ops.fstat(fd(a[0])).map(|_| 0),
        mode => {
            ops.log_unsupported(format_args!("linux: fallocate mode {mode:#x}"));
            Err(Error::NotSupported)
        }
    }
}

fn iovecs(ops: &mut dyn KernelOps, addr: u64, count: u64) -> KResult<alloc::vec::Vec<Iovec>> {
    if count > UIO_MAXIOV as u64 {
        return Err(Error::InvalidArgument);
    }
    let mut bytes = crate::util::buffer(count as usize * Iovec::SIZE)?;
    ops.copy_in(addr, &mut bytes)?;
    let list: alloc::vec::Vec<Iovec> = linux_abi::iovec::iovecs(&bytes).ok_or(Error::Fault)?.collect();
    if linux_abi::iovec::total_len(list.iter().copied()).is_none_or(|t| t > i64::MAX as u64) {
        return Err(Error::InvalidArgument);
    }
    Ok(list)
}

/// readv/writev: one transfer per buffer, stopping at the first short one;
/// an error after some bytes moved reports the bytes instead.
fn vectored(ops: &mut dyn KernelOps, a: [u64; 6], transfer: fn(&mut dyn KernelOps, i32, u64, usize) -> KResult<usize>) -> KResult<u64> {
    let mut total = 0u64;
    for v in iovecs(ops, a[1], a[2])? {
        if v.iov_len == 0 {
            continue;
        }
        match transfer(ops, fd(a[0]), v.iov_base, v.iov_len.min(MAX_RW) as usize) {
            Ok(n) => {
                total += n as u64;
                if (n as u64) < v.iov_len {
                    break;
                }
            }
            Err(e) if total == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(total)
}

/// A socket takes all the buffers as one message (a datagram is never
/// split across a readv's buffers); None when `fd` is not a socket.
fn socket_vectored(ops: &mut dyn KernelOps, a: [u64; 6], send: bool) -> Option<KResult<u64>> {
    ops.socket_info(fd(a[0])).ok()?;
    let segments: alloc::vec::Vec<(u64, usize)> = match iovecs(ops, a[1], a[2]) {
        Ok(list) => list.iter().map(|v| (v.iov_base, v.iov_len.min(MAX_RW) as usize)).collect(),
        Err(e) => return Some(Err(e)),
    };
    Some(if send {
        let request = kernel_ops::SendRequest { data: &segments, to: None, rights: &[], credentials: None, non_blocking: false, no_signal: false };
        ops.socket_send(fd(a[0]), &request).map(|n| n as u64)
    } else {
        let request = kernel_ops::ReceiveRequest { data: &segments, peek: false, wait_all: false, non_blocking: false, close_on_exec: false };
        ops.socket_receive(fd(a[0]), &request, &|_| 0).map(|r| r.copied as u64)
    })
}

pub fn readv(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if let Some(r) = socket_vectored(ops, a, false) {
        return r;
    }
    vectored(ops, a, |ops, f, buf, len| ops.read(f, buf, len))
}

pub fn writev(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if let Some(r) = socket_vectored(ops, a, true) {
        return r;
    }
    vectored(ops, a, |ops, f, buf, len| ops.write(f, buf, len))
}
