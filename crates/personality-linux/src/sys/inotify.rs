//! inotify_init, inotify_init1, inotify_add_watch, inotify_rm_watch: a
//! queue of file events (the core's watch queue), read as `struct
//! inotify_event` records through the ordinary read/poll calls.

use crate::records::{watch_events, RECORDS};
use crate::util::{fd, path};
use kernel_ops::{DescriptorFlags, DirFd, Error, KResult, KernelOps, WatchOptions};
use linux_abi::inotify::*;

fn create(ops: &mut dyn KernelOps, flags: u64) -> KResult<u64> {
    let flags = flags as u32;
    if flags & !IN_INIT_FLAGS != 0 {
        return Err(Error::InvalidArgument);
    }
    let flags = DescriptorFlags { close_on_exec: flags & IN_CLOEXEC != 0, non_blocking: flags & IN_NONBLOCK != 0 };
    ops.create_watch_queue(flags, &RECORDS).map(|f| f as u64)
}

pub fn inotify_init(ops: &mut dyn KernelOps, _a: [u64; 6]) -> KResult<u64> {
    create(ops, 0)
}

pub fn inotify_init1(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    create(ops, a[0])
}

pub fn inotify_add_watch(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mask = a[2] as u32;
    if mask & ALL_INOTIFY_BITS == 0 || (mask & IN_MASK_ADD != 0 && mask & IN_MASK_CREATE != 0) {
        return Err(Error::InvalidArgument);
    }
    let queue = fd(a[0]);
    ops.status_flags(queue)?; // EBADF before the path is looked at
    let p = path(ops, a[1])?;
    let options = WatchOptions {
        follow: mask & IN_DONT_FOLLOW == 0,
        only_dir: mask & IN_ONLYDIR != 0,
        add_to_existing: mask & IN_MASK_ADD != 0,
        must_be_new: mask & IN_MASK_CREATE != 0,
        one_shot: mask & IN_ONESHOT != 0,
        exclude_unlinked: mask & IN_EXCL_UNLINK != 0,
    };
    ops.add_watch(queue, DirFd::Cwd, &p, watch_events(mask & IN_ALL_EVENTS), options).map(|w| w as u64)
}

pub fn inotify_rm_watch(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.remove_watch(fd(a[0]), a[1] as i32).map(|_| 0)
}
