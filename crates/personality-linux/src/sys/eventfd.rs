//! eventfd and eventfd2: a 64-bit counter behind a descriptor, the core's
//! counter object. Reading, writing and polling it go through the ordinary
//! read/write/poll calls.

use kernel_ops::{CounterFlags, Error, KResult, KernelOps};
use linux_abi::eventfd::*;

/// The initial value is an `unsigned int` in both calls.
fn create(ops: &mut dyn KernelOps, initial: u64, flags: u64) -> KResult<u64> {
    let flags = flags as u32;
    if flags & !EFD_FLAGS != 0 {
        return Err(Error::InvalidArgument);
    }
    let counter = CounterFlags {
        semaphore: flags & EFD_SEMAPHORE != 0,
        close_on_exec: flags & EFD_CLOEXEC != 0,
        non_blocking: flags & EFD_NONBLOCK != 0,
    };
    ops.create_counter(u64::from(initial as u32), counter).map(|fd| fd as u64)
}

pub fn eventfd(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    create(ops, a[0], 0)
}

pub fn eventfd2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    create(ops, a[0], a[1])
}
