//! fanotify's bits, with Linux's values (include/uapi/linux/fanotify.h).

// Events.
pub const FAN_ACCESS: u32 = 0x1;
pub const FAN_MODIFY: u32 = 0x2;
pub const FAN_ATTRIB: u32 = 0x4;
pub const FAN_CLOSE_WRITE: u32 = 0x8;
pub const FAN_CLOSE_NOWRITE: u32 = 0x10;
pub const FAN_OPEN: u32 = 0x20;
pub const FAN_MOVED_FROM: u32 = 0x40;
pub const FAN_MOVED_TO: u32 = 0x80;
pub const FAN_CREATE: u32 = 0x100;
pub const FAN_DELETE: u32 = 0x200;
pub const FAN_DELETE_SELF: u32 = 0x400;
pub const FAN_MOVE_SELF: u32 = 0x800;
pub const FAN_OPEN_EXEC: u32 = 0x1000;
pub const FAN_Q_OVERFLOW: u32 = 0x4000;
pub const FAN_FS_ERROR: u32 = 0x8000;
pub const FAN_OPEN_PERM: u32 = 0x10000;
pub const FAN_ACCESS_PERM: u32 = 0x20000;
pub const FAN_OPEN_EXEC_PERM: u32 = 0x40000;
pub const FAN_EVENT_ON_CHILD: u32 = 0x0800_0000;
pub const FAN_RENAME: u32 = 0x1000_0000;
pub const FAN_ONDIR: u32 = 0x4000_0000;
pub const FAN_CLOSE: u32 = FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE;
pub const FAN_MOVE: u32 = FAN_MOVED_FROM | FAN_MOVED_TO;

/// Events about an open file, reported with a descriptor for it.
pub const PATH_EVENTS: u32 = FAN_ACCESS | FAN_MODIFY | FAN_CLOSE | FAN_OPEN | FAN_OPEN_EXEC;
/// Events the acting process waits on until the listener answers.
pub const PERM_EVENTS: u32 = FAN_OPEN_PERM | FAN_ACCESS_PERM | FAN_OPEN_EXEC_PERM;
/// Events about directory entries (they need a group reporting file ids).
pub const DIRENT_EVENTS: u32 = FAN_MOVE | FAN_CREATE | FAN_DELETE | FAN_RENAME;
/// Events about an inode that carry no path (file-id groups only).
pub const INODE_EVENTS: u32 = DIRENT_EVENTS | FAN_ATTRIB | FAN_MOVE_SELF | FAN_DELETE_SELF;
/// Flags in a mask that choose which objects an event applies to.
pub const EVENT_FLAGS: u32 = FAN_EVENT_ON_CHILD | FAN_ONDIR;
/// Every event a mark may ask for.
pub const ALL_EVENTS: u32 = PATH_EVENTS | PERM_EVENTS | INODE_EVENTS | FAN_FS_ERROR;
/// What a reader may ever see in an event's mask.
pub const OUTGOING_EVENTS: u32 = ALL_EVENTS | FAN_Q_OVERFLOW;

// fanotify_init flags.
pub const FAN_CLOEXEC: u32 = 0x1;
pub const FAN_NONBLOCK: u32 = 0x2;
pub const FAN_CLASS_NOTIF: u32 = 0x0;
pub const FAN_CLASS_CONTENT: u32 = 0x4;
pub const FAN_CLASS_PRE_CONTENT: u32 = 0x8;
pub const FAN_CLASS_BITS: u32 = FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT;
pub const FAN_UNLIMITED_QUEUE: u32 = 0x10;
pub const FAN_UNLIMITED_MARKS: u32 = 0x20;
pub const FAN_ENABLE_AUDIT: u32 = 0x40;
pub const FAN_REPORT_PIDFD: u32 = 0x80;
pub const FAN_REPORT_TID: u32 = 0x100;
pub const FAN_REPORT_FID: u32 = 0x200;
pub const FAN_REPORT_DIR_FID: u32 = 0x400;
pub const FAN_REPORT_NAME: u32 = 0x800;
pub const FAN_REPORT_TARGET_FID: u32 = 0x1000;
pub const FID_BITS: u32 = FAN_REPORT_FID | FAN_REPORT_DIR_FID | FAN_REPORT_NAME | FAN_REPORT_TARGET_FID;
pub const INIT_FLAGS: u32 = FAN_CLOEXEC
    | FAN_NONBLOCK
    | FAN_CLASS_BITS
    | FAN_UNLIMITED_QUEUE
    | FAN_UNLIMITED_MARKS
    | FAN_ENABLE_AUDIT
    | FAN_REPORT_PIDFD
    | FAN_REPORT_TID
    | FID_BITS;

// fanotify_mark flags.
pub const FAN_MARK_ADD: u32 = 0x1;
pub const FAN_MARK_REMOVE: u32 = 0x2;
pub const FAN_MARK_DONT_FOLLOW: u32 = 0x4;
pub const FAN_MARK_ONLYDIR: u32 = 0x8;
pub const FAN_MARK_MOUNT: u32 = 0x10;
pub const FAN_MARK_IGNORED_MASK: u32 = 0x20;
pub const FAN_MARK_IGNORED_SURV_MODIFY: u32 = 0x40;
pub const FAN_MARK_FLUSH: u32 = 0x80;
pub const FAN_MARK_FILESYSTEM: u32 = 0x100;
pub const FAN_MARK_EVICTABLE: u32 = 0x200;
pub const FAN_MARK_IGNORE: u32 = 0x400;
pub const FAN_MARK_INODE: u32 = 0;
pub const MARK_TYPE_BITS: u32 = FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM;
pub const MARK_CMD_BITS: u32 = FAN_MARK_ADD | FAN_MARK_REMOVE | FAN_MARK_FLUSH;
pub const MARK_IGNORE_BITS: u32 = FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORE;
pub const MARK_FLAGS: u32 = MARK_CMD_BITS
    | MARK_TYPE_BITS
    | FAN_MARK_DONT_FOLLOW
    | FAN_MARK_ONLYDIR
    | MARK_IGNORE_BITS
    | FAN_MARK_IGNORED_SURV_MODIFY
    | FAN_MARK_EVICTABLE;

// Responses to permission events.
pub const FAN_ALLOW: u32 = 0x1;
pub const FAN_DENY: u32 = 0x2;
pub const FAN_AUDIT: u32 = 0x10;

/// The descriptor of an event that has none (the overflow event).
pub const FAN_NOFD: i32 = -1;
/// The version of `struct fanotify_event_metadata`.
pub const METADATA_VERSION: u8 = 3;
/// Its size: event_len, vers, reserved, metadata_len, mask, fd, pid.
pub const METADATA_LEN: usize = 24;
/// `struct fanotify_response`: fd, response.
pub const RESPONSE_LEN: usize = 8;

/// Linux's defaults for /proc/sys/fs/fanotify/.
pub const DEFAULT_MAX_QUEUED_EVENTS: u32 = 16384;
pub const DEFAULT_MAX_USER_GROUPS: u32 = 128;
pub const DEFAULT_MAX_USER_MARKS: u32 = 8192;

/// `struct fanotify_event_metadata` for an event (little-endian x86_64).
pub fn encode_metadata(mask: u64, fd: i32, pid: i32) -> [u8; METADATA_LEN] {
    let mut out = [0u8; METADATA_LEN];
    out[0..4].copy_from_slice(&(METADATA_LEN as u32).to_le_bytes());
    out[4] = METADATA_VERSION;
    out[6..8].copy_from_slice(&(METADATA_LEN as u16).to_le_bytes());
    out[8..16].copy_from_slice(&mask.to_le_bytes());
    out[16..20].copy_from_slice(&fd.to_le_bytes());
    out[20..24].copy_from_slice(&pid.to_le_bytes());
    out
}
