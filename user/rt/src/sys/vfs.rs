//! Serving and mounting file systems in the kernel's VFS, with a Vfs
//! capability.

use super::{addr, unit, Error, Syscall};
use crate::syscall::{syscall1, syscall3, syscall5};

/// Offers a file system on `ep` to the kernel: `spec` is `<fstype>
/// <device>` (e.g. `ext2 vda`); `buf` is a Memory capability of at least 16
/// pages that the kernel and the server share for requests and answers
/// (protocol: crates/fsproto).
pub fn vfs_serve(vfs: u64, ep: u64, buf: u64, spec: &[u8]) -> Result<(), Error> {
    unit(syscall5(Syscall::VfsServe.nr(), vfs, ep, buf, addr(spec.as_ptr()), spec.len() as u64))
}

/// Mounts a served file system: `spec` is `<device> <fstype> <path>`,
/// optionally followed by ` ro`. Blocks until the server has answered.
pub fn vfs_mount(vfs: u64, spec: &[u8]) -> Result<(), Error> {
    unit(syscall3(Syscall::VfsMount.nr(), vfs, addr(spec.as_ptr()), spec.len() as u64))
}

/// Boot-time mounts are made: the Linux init may start.
pub fn vfs_boot_done(vfs: u64) -> Result<(), Error> {
    unit(syscall1(Syscall::VfsBootDone.nr(), vfs))
}
