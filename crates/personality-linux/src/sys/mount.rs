//! mount and umount2.

use crate::util::path;
use kernel_ops::{Error, KResult, KernelOps};

/// mount(2) flags (linux/mount.h).
const MS_RDONLY: u64 = 1;
const MS_REMOUNT: u64 = 32;
/// Flags that change an existing mount (remount, bind, move, recursive
/// and propagation changes): not supported.
const MS_CHANGE: u64 = 32 | 4096 | 8192 | (1 << 14) | (1 << 17) | (1 << 18) | (1 << 19) | (1 << 20);
/// Flags that only tune a new mount (nosuid, nodev, noexec, synchronous,
/// mandlock, dirsync, noatime, nodiratime, silent, relatime, strictatime,
/// lazytime): accepted, not yet enforced.
const MS_TUNING: u64 = 2 | 4 | 8 | 16 | 64 | 128 | 1024 | 2048 | (1 << 15) | (1 << 21) | (1 << 24) | (1 << 25);
/// Old callers put this magic number in the top half of the flags.
const MS_MGC_VAL: u64 = 0xc0ed_0000;

/// Umount flags: MNT_FORCE, MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW.
const UMOUNT_FLAGS: u64 = 1 | 2 | 4 | 8;

pub fn mount(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mut flags = a[3];
    if flags & 0xffff_0000 == MS_MGC_VAL {
        flags &= 0xffff;
    }
    // A remount changes only read-only or not here (the tuning flags
    // are accepted as on a new mount).
    if flags & MS_REMOUNT != 0 && flags & !(MS_RDONLY | MS_TUNING | MS_REMOUNT) == 0 {
        let target = path(ops, a[1])?;
        return ops.remount(&target, flags & MS_RDONLY != 0).map(|_| 0);
    }
    if flags & MS_CHANGE != 0 {
        ops.log_unsupported(format_args!("mount: remount, bind, move and propagation changes (flags {flags:#x})"));
        return Err(Error::InvalidArgument);
    }
    if flags & !(MS_RDONLY | MS_TUNING) != 0 {
        return Err(Error::InvalidArgument);
    }
    let source = if a[0] == 0 { alloc::vec::Vec::new() } else { path(ops, a[0])? };
    let target = path(ops, a[1])?;
    let fstype = path(ops, a[2])?;
    ops.mount(&source, &target, &fstype, flags & MS_RDONLY != 0).map(|_| 0)
}

pub fn umount2(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[1] & !UMOUNT_FLAGS != 0 {
        return Err(Error::InvalidArgument);
    }
    let target = path(ops, a[0])?;
    ops.unmount(&target).map(|_| 0)
}
