//! memfd_create and the seals of memory files (F_ADD_SEALS, F_GET_SEALS).

use kernel_ops::{Error, KResult, KernelOps, Seals};
use linux_abi::fcntl::{F_SEAL_FUTURE_WRITE, F_SEAL_GROW, F_SEAL_SEAL, F_SEAL_SHRINK, F_SEAL_WRITE};
use linux_abi::memfd::*;

/// memfd_create(name, flags): flags are checked before the name is read,
/// as Linux does; a name longer than MFD_NAME_MAX is EINVAL.
pub fn memfd_create(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[1] as u32;
    if flags
        & !(MFD_CLOEXEC
            | MFD_ALLOW_SEALING
            | MFD_HUGETLB
            | MFD_NOEXEC_SEAL
            | MFD_EXEC
            | (MFD_HUGE_MASK << MFD_HUGE_SHIFT))
        != 0
    {
        return Err(Error::InvalidArgument);
    }
    if flags & MFD_HUGETLB == 0 && flags & (MFD_HUGE_MASK << MFD_HUGE_SHIFT) != 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & (MFD_HUGETLB | MFD_NOEXEC_SEAL | MFD_EXEC) != 0 {
        ops.log_unsupported(format_args!("linux: memfd_create flags {flags:#x} (huge pages, exec seals)"));
        return Err(Error::InvalidArgument);
    }
    if a[0] == 0 {
        return Err(Error::Fault);
    }
    let name = ops.copy_in_cstring(a[0], MFD_NAME_MAX).map_err(|e| {
        if e == Error::NameTooLong {
            Error::InvalidArgument
        } else {
            e
        }
    })?;
    ops.create_memory_file(&name, flags & MFD_CLOEXEC != 0, flags & MFD_ALLOW_SEALING != 0).map(|fd| fd as u64)
}

/// The F_SEAL_* bits of a seal set.
pub fn seals_to_raw(s: Seals) -> u32 {
    let mut raw = 0;
    for (on, bit) in [
        (s.seal, F_SEAL_SEAL),
        (s.shrink, F_SEAL_SHRINK),
        (s.grow, F_SEAL_GROW),
        (s.write, F_SEAL_WRITE),
        (s.future_write, F_SEAL_FUTURE_WRITE),
    ] {
        if on {
            raw |= bit;
        }
    }
    raw
}

/// The seal set F_ADD_SEALS names; None (EINVAL) for a bit this kernel
/// does not know (F_SEAL_EXEC among them).
pub fn seals_from_raw(raw: u32) -> Option<Seals> {
    if raw & !(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE) != 0 {
        return None;
    }
    Some(Seals {
        seal: raw & F_SEAL_SEAL != 0,
        shrink: raw & F_SEAL_SHRINK != 0,
        grow: raw & F_SEAL_GROW != 0,
        write: raw & F_SEAL_WRITE != 0,
        future_write: raw & F_SEAL_FUTURE_WRITE != 0,
    })
}
