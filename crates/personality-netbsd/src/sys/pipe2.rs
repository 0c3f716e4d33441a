//! pipe2(2), only as far as Go's runtime needs it to start its network
//! poller (a non-blocking, close-on-exec pipe to wake kevent): without
//! it, no Go program that uses a timer runs. The descriptor calls are
//! another piece of work's (issue 16's files, directories and
//! processes); that work is to replace this file with its own.

use kernel_ops::{Error, KResult, KernelOps};

const O_NONBLOCK: u64 = 0x4;
const O_CLOEXEC: u64 = 0x40_0000;
const O_NOSIGPIPE: u64 = 0x100_0000;

/// pipe2(fildes, flags): the two ends stored as two ints; O_CLOEXEC and
/// O_NONBLOCK; O_NOSIGPIPE is EINVAL with one log line (not supported),
/// other bits EINVAL.
pub fn pipe2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[1] as u32 as u64;
    if flags & !(O_NONBLOCK | O_CLOEXEC | O_NOSIGPIPE) != 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & O_NOSIGPIPE != 0 {
        ops.log_unsupported(format_args!("netbsd: pipe2 with O_NOSIGPIPE"));
        return Err(Error::InvalidArgument);
    }
    let (r, w) = ops.pipe(flags & O_CLOEXEC != 0, flags & O_NONBLOCK != 0)?;
    let mut b = [0u8; 8];
    b[..4].copy_from_slice(&r.to_le_bytes());
    b[4..].copy_from_slice(&w.to_le_bytes());
    if let Err(e) = ops.copy_out(a[0], &b) {
        let _ = ops.close(r);
        let _ = ops.close(w);
        return Err(e);
    }
    Ok(0)
}
