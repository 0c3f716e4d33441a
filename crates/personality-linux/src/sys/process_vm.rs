//! process_vm_readv and process_vm_writev: memory copied straight between
//! the caller and another process, as a debugger or a checkpointer does.

use crate::util::buffer;
use kernel_ops::{Error, KResult, KernelOps};
use linux_abi::iovec::{Iovec, UIO_MAXIOV};

/// At most this much passes through the kernel's buffer at a time.
const CHUNK: usize = 64 * 1024;

fn vector(ops: &mut dyn KernelOps, addr: u64, count: u64) -> KResult<alloc::vec::Vec<Iovec>> {
    if count > UIO_MAXIOV as u64 {
        return Err(Error::InvalidArgument);
    }
    let mut bytes = buffer(count as usize * Iovec::SIZE)?;
    ops.copy_in(addr, &mut bytes)?;
    let list: alloc::vec::Vec<Iovec> = linux_abi::iovec::iovecs(&bytes).ok_or(Error::Fault)?.collect();
    if linux_abi::iovec::total_len(list.iter().copied()).is_none_or(|t| t > i64::MAX as u64) {
        return Err(Error::InvalidArgument);
    }
    Ok(list)
}

/// Walks both vectors in step: each piece is the overlap of the current
/// local and remote buffers. A fault on the remote side ends the copy
/// with what moved so far (EFAULT if nothing did); one on the local side
/// is EFAULT, as Linux answers.
fn transfer(ops: &mut dyn KernelOps, a: [u64; 6], write: bool) -> KResult<u64> {
    if a[5] != 0 {
        return Err(Error::InvalidArgument);
    }
    let pid = a[0] as i32;
    let local = vector(ops, a[1], a[2])?;
    let remote = vector(ops, a[3], a[4])?;
    if pid <= 0 {
        return Err(Error::NoSuchProcess);
    }
    let pid = pid as u32;
    let mut buf = buffer(CHUNK)?;
    let (mut li, mut loff, mut ri, mut roff) = (0usize, 0u64, 0usize, 0u64);
    let mut total = 0u64;
    loop {
        while li < local.len() && loff == local[li].iov_len {
            li += 1;
            loff = 0;
        }
        while ri < remote.len() && roff == remote[ri].iov_len {
            ri += 1;
            roff = 0;
        }
        if li == local.len() || ri == remote.len() {
            break;
        }
        let n = (local[li].iov_len - loff).min(remote[ri].iov_len - roff).min(CHUNK as u64) as usize;
        let (l, r) = (local[li].iov_base + loff, remote[ri].iov_base + roff);
        let moved = if write {
            ops.copy_in(l, &mut buf[..n])?;
            ops.write_process_memory(pid, r, &buf[..n])
        } else {
            ops.read_process_memory(pid, r, &mut buf[..n]).and_then(|_| ops.copy_out(l, &buf[..n]))
        };
        match moved {
            Ok(()) => {}
            Err(Error::Fault) if total > 0 => break,
            Err(e) => return Err(e),
        }
        total += n as u64;
        loff += n as u64;
        roff += n as u64;
    }
    Ok(total)
}

pub fn process_vm_readv(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    transfer(ops, a, false)
}

pub fn process_vm_writev(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    transfer(ops, a, true)
}
