//! signalfd and signalfd4: a descriptor that reads the caller's pending
//! signals from a mask (the core's signal reader) as `struct
//! signalfd_siginfo` records. Reading and polling go through the ordinary
//! read/poll calls.

use crate::util::fd;
use kernel_ops::{DescriptorFlags, Error, KResult, KernelOps};
use linux_abi::signalfd::*;

/// The kernel's sigset is one 64-bit word on x86_64.
const SIGSET_BYTES: u64 = 8;

fn create(ops: &mut dyn KernelOps, target: u64, mask_addr: u64, size: u64, flags: u64) -> KResult<u64> {
    // Linux's order: the mask's size, the mask itself (EFAULT), the flags.
    if size != SIGSET_BYTES {
        return Err(Error::InvalidArgument);
    }
    let mask = crate::signals::set_from_linux(crate::util::read_u64(ops, mask_addr)?);
    let flags = flags as u32;
    if flags & !SFD_FLAGS != 0 {
        return Err(Error::InvalidArgument);
    }
    // fd -1 makes a new reader; any other number changes that reader's
    // mask (its flags stay as they are).
    if target as i32 != -1 {
        let f = fd(target);
        ops.set_signal_reader_mask(f, mask)?;
        return Ok(f as u64);
    }
    let flags = DescriptorFlags { close_on_exec: flags & SFD_CLOEXEC != 0, non_blocking: flags & SFD_NONBLOCK != 0 };
    ops.create_signal_reader(mask, flags, &crate::records::RECORDS).map(|f| f as u64)
}

pub fn signalfd(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    create(ops, a[0], a[1], a[2], 0)
}

pub fn signalfd4(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    create(ops, a[0], a[1], a[2], a[3])
}
