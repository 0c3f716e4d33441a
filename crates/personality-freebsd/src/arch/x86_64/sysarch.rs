//! sysarch(2) on amd64 (sys/amd64/amd64/sys_machdep.c): the thread's FS
//! base, where FreeBSD's libc and Go's runtime keep thread-local data.
//! The base travels through memory: `parms` points at the 64-bit value.

use kernel_ops::{Error, KResult, KernelOps};

/// sys/x86/include/sysarch.h.
const AMD64_GET_FSBASE: i32 = 128;
const AMD64_SET_FSBASE: i32 = 129;

/// The end of user address space (VM_MAXUSER_ADDRESS with 4-level
/// paging): a base at or above it is EINVAL.
const USER_END: u64 = 0x0000_8000_0000_0000;

pub fn sysarch(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (op, parms) = (a[0] as i32, a[1]);
    match op {
        AMD64_GET_FSBASE => {
            let base = ops.thread_pointer();
            ops.copy_out(parms, &base.to_le_bytes())?;
            Ok(0)
        }
        AMD64_SET_FSBASE => {
            let mut bytes = [0u8; 8];
            ops.copy_in(parms, &mut bytes)?;
            let base = u64::from_le_bytes(bytes);
            if base >= USER_END {
                return Err(Error::InvalidArgument);
            }
            ops.set_thread_pointer(base)?;
            Ok(0)
        }
        op => {
            ops.log_unsupported(format_args!("freebsd: sysarch op {op}"));
            Err(Error::InvalidArgument)
        }
    }
}
