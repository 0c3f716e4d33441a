//! Inspecting, deriving, deleting and revoking capabilities.

use super::{addr, check, kernel_wrote, unit, CapInfo, Error, Rights, Syscall};
use crate::syscall::{syscall1, syscall2, syscall5};

/// Describes the capability in `slot`.
pub fn cap_info(slot: u64) -> Result<CapInfo, Error> {
    let mut out = [0u8; CapInfo::SIZE];
    check(syscall2(Syscall::CapInfo.nr(), slot, addr(out.as_mut_ptr())))?;
    Ok(kernel_wrote(CapInfo::decode(&out), "CapInfo"))
}

/// Derives a child of `slot` with `rights` (a subset of the parent's), a
/// `badge` (0 keeps the parent's) and, for ranged capabilities, the
/// sub-range `base..base + len` (`len` 0 keeps the whole range). Returns the
/// child's slot.
pub fn cap_derive(slot: u64, rights: Rights, badge: u64, base: u64, len: u64) -> Result<u64, Error> {
    check(syscall5(Syscall::CapDerive.nr(), slot, u64::from(rights.bits()), badge, base, len))
}

/// Empties `slot`; its children now hang off its parent.
pub fn cap_delete(slot: u64) -> Result<(), Error> {
    unit(syscall1(Syscall::CapDelete.nr(), slot))
}

/// Revokes everything derived from `slot`, recursively. Returns how many
/// capabilities were revoked.
pub fn cap_revoke(slot: u64) -> Result<u64, Error> {
    check(syscall1(Syscall::CapRevoke.nr(), slot))
}
