//! fanotify_init, fanotify_mark: notification groups (the core's), read
//! as `struct fanotify_event_metadata` records through the ordinary
//! read/poll calls, answered (permission events) by writing
//! `struct fanotify_response`.
//!
//! The argument checks are Linux's (fs/notify/fanotify/fanotify_user.c),
//! in its order. Groups that report file ids (FAN_REPORT_FID, _DIR_FID,
//! _NAME, _TARGET_FID) and pidfds (FAN_REPORT_PIDFD) are refused with
//! EINVAL and one log line: their records need file handles and pidfd
//! info records, which are not built yet.

use crate::util::{dirfd, fd, open_flags, path};
use fanotify::bits::*;
use kernel_ops::{DescriptorFlags, Error, KResult, KernelOps, NotificationGroupOptions, Privilege};
use linux_abi::fcntl::*;

/// The open flags an event's descriptor may be given.
const EVENT_FILE_FLAGS: u32 =
    O_ACCMODE | O_APPEND | O_NONBLOCK | __O_SYNC | O_DSYNC | O_CLOEXEC | O_LARGEFILE | O_NOATIME;

/// fanotify_init's checks: the group's options, or the errno.
pub fn init_options(flags: u32, event_f_flags: u32, admin: bool) -> Result<NotificationGroupOptions, Error> {
    if !admin {
        return Err(Error::NotPermitted);
    }
    if flags & !INIT_FLAGS != 0 || event_f_flags & !EVENT_FILE_FLAGS != 0 {
        return Err(Error::InvalidArgument);
    }
    if event_f_flags & O_ACCMODE == O_ACCMODE {
        return Err(Error::InvalidArgument);
    }
    let class = match flags & FAN_CLASS_BITS {
        FAN_CLASS_NOTIF => 0,
        FAN_CLASS_CONTENT => 1,
        FAN_CLASS_PRE_CONTENT => 2,
        _ => return Err(Error::InvalidArgument),
    };
    if flags & FID_BITS != 0 && class != 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & FAN_REPORT_NAME != 0 && flags & FAN_REPORT_DIR_FID == 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & FAN_REPORT_PIDFD != 0 && flags & FAN_REPORT_TID != 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(NotificationGroupOptions {
        flags: DescriptorFlags { close_on_exec: flags & FAN_CLOEXEC != 0, non_blocking: flags & FAN_NONBLOCK != 0 },
        class,
        unlimited_queue: flags & FAN_UNLIMITED_QUEUE != 0,
        unlimited_marks: flags & FAN_UNLIMITED_MARKS != 0,
        report_tid: flags & FAN_REPORT_TID != 0,
        event_file: open_flags(event_f_flags),
    })
}

pub fn fanotify_init(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (flags, event_f_flags) = (a[0] as u32, a[1] as u32);
    let options = init_options(flags, event_f_flags, ops.credentials().has(Privilege::SysAdmin))?;
    if flags & (FID_BITS | FAN_REPORT_PIDFD) != 0 {
        ops.log_unsupported(format_args!("fanotify_init: FAN_REPORT_FID/DIR_FID/NAME/TARGET_FID/PIDFD (flags {flags:#x}): no file handles or pidfd records"));
        return Err(Error::InvalidArgument);
    }
    if flags & FAN_ENABLE_AUDIT != 0 && !ops.credentials().has(Privilege::AuditWrite) {
        return Err(Error::NotPermitted);
    }
    ops.create_notification_group(options).map(|f| f as u64)
}

/// fanotify_mark's checks that need no group and no path: the flags and
/// mask to pass on, or the errno.
pub fn mark_arguments(flags: u32, mask: u64) -> Result<(u32, u32), Error> {
    let mark_type = flags & MARK_TYPE_BITS;
    if mark_type == MARK_TYPE_BITS {
        return Err(Error::InvalidArgument);
    }
    match flags & MARK_CMD_BITS {
        FAN_MARK_ADD | FAN_MARK_REMOVE if mask == 0 => return Err(Error::InvalidArgument),
        FAN_MARK_ADD | FAN_MARK_REMOVE => {}
        FAN_MARK_FLUSH if flags & !(MARK_TYPE_BITS | FAN_MARK_FLUSH) != 0 => return Err(Error::InvalidArgument),
        FAN_MARK_FLUSH => {}
        _ => return Err(Error::InvalidArgument),
    }
    if flags & !MARK_FLAGS != 0 {
        return Err(Error::InvalidArgument);
    }
    if mask & !u64::from(ALL_EVENTS | EVENT_FLAGS) != 0 {
        return Err(Error::InvalidArgument);
    }
    if flags & MARK_IGNORE_BITS == MARK_IGNORE_BITS {
        return Err(Error::InvalidArgument);
    }
    // Evictable marks go with the inode's cache entry: none on mounts and
    // file systems, and never with FAN_MARK_IGNORE... as Linux has it.
    if flags & FAN_MARK_EVICTABLE != 0 && mark_type != FAN_MARK_INODE {
        return Err(Error::InvalidArgument);
    }
    let mask = mask as u32;
    // Only events reported with a descriptor: the others need file ids.
    if flags & MARK_CMD_BITS != FAN_MARK_FLUSH && mask & !(PATH_EVENTS | PERM_EVENTS | EVENT_FLAGS) != 0 {
        return Err(Error::InvalidArgument);
    }
    Ok((flags, mask))
}

pub fn fanotify_mark(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (flags, mask) = mark_arguments(a[1] as u32, a[2])?;
    let group = fd(a[0]);
    ops.status_flags(group)?; // EBADF before the path is looked at
    let p = if a[4] == 0 { None } else { Some(path(ops, a[4])?) };
    ops.mark_notification_group(group, flags, mask, dirfd(a[3]), p.as_deref()).map(|_| 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_checks() {
        assert_eq!(init_options(0, 0, false), Err(Error::NotPermitted));
        assert!(init_options(FAN_CLASS_CONTENT | FAN_NONBLOCK, O_RDWR, true).is_ok());
        assert_eq!(init_options(FAN_CLASS_BITS, 0, true), Err(Error::InvalidArgument));
        assert_eq!(init_options(0, O_ACCMODE, true), Err(Error::InvalidArgument));
        assert_eq!(init_options(0x8000_0000, 0, true), Err(Error::InvalidArgument));
        assert_eq!(init_options(FAN_REPORT_FID | FAN_CLASS_CONTENT, 0, true), Err(Error::InvalidArgument));
        assert_eq!(init_options(FAN_REPORT_PIDFD | FAN_REPORT_TID, 0, true), Err(Error::InvalidArgument));
    }

    #[test]
    fn mark_checks() {
        assert_eq!(mark_arguments(FAN_MARK_ADD, 0), Err(Error::InvalidArgument));
        assert_eq!(mark_arguments(FAN_MARK_ADD | FAN_MARK_REMOVE, 1), Err(Error::InvalidArgument));
        assert_eq!(mark_arguments(FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM, 1), Err(Error::InvalidArgument));
        assert_eq!(mark_arguments(FAN_MARK_FLUSH | FAN_MARK_ONLYDIR, 0), Err(Error::InvalidArgument));
        assert!(mark_arguments(FAN_MARK_FLUSH | FAN_MARK_MOUNT, 0).is_ok());
        assert_eq!(mark_arguments(FAN_MARK_ADD, u64::from(FAN_CREATE)), Err(Error::InvalidArgument));
        assert_eq!(
            mark_arguments(FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_MASK, 1),
            Err(Error::InvalidArgument)
        );
        assert!(mark_arguments(FAN_MARK_ADD | FAN_MARK_IGNORE, u64::from(FAN_OPEN | FAN_ONDIR)).is_ok());
    }
}
