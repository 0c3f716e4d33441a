//! System V IPC (shared memory, semaphores, message queues) as Linux keeps
//! it, without the kernel: the parts that are pure bookkeeping.
//!
//! - [`perm`]: `ipc_perm`, who asks ([`Caller`]), Linux's `ipcperms` and the
//!   owner-or-admin rule of `IPC_SET`/`IPC_RMID`.
//! - [`ids`]: a table of objects by key and id, ids built as Linux builds
//!   them (`index + seq * 32768`, indices handed out cyclically, `seq`
//!   moving on each time the allocation wraps), so a stale id is `EINVAL`.
//! - [`limits`]: the tunables of /proc/sys/kernel (shmmax, sem, msgmnb...)
//!   with Linux's defaults.
//! - [`shm`], [`sem`], [`msg`]: one object kind each. A semaphore operation
//!   array is evaluated all or nothing ([`sem::SemSet::try_operate`]),
//!   with `SEM_UNDO` adjustments kept per process ([`sem::UndoLists`]); a
//!   message is chosen by type as `msgrcv` chooses it.
//! - [`namespace`]: the three tables together, with every `*get`/`*ctl`
//!   rule and errno order of Linux; what blocks is reported back
//!   ([`Error::WouldBlock`]) for the kernel to wait and try again.
//! - [`procfs`]: the text of /proc/sysvipc/{shm,sem,msg}.
//! - [`mqueue`]: POSIX message queues, their cousin: names, attribute
//!   limits, messages by priority, the one notification, the status line.
//!
//! The kernel supplies time, process ids, memory for segments (any type
//! `M`) and the waiting; nothing here sleeps or panics on any input.

#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod ids;
pub mod limits;
pub mod mqueue;
pub mod msg;
pub mod namespace;
pub mod perm;
pub mod procfs;
pub mod sem;
pub mod shm;

pub use ids::IdTable;
pub use limits::Limits;
pub use namespace::*;
pub use perm::{Caller, IpcPerm};

/// Why an IPC operation failed; each is one Linux errno.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// EACCES: the mode bits refuse the caller.
    Access,
    /// EPERM: only the owner, the creator or an administrator may.
    NotPermitted,
    /// EIDRM: the object was removed (while waiting, or marked for removal).
    Removed,
    /// EINVAL
    Invalid,
    /// ENOENT: no object has that key and IPC_CREAT was not given.
    NoEntry,
    /// EEXIST: IPC_CREAT | IPC_EXCL on a key in use.
    Exists,
    /// ENOSPC: a system-wide limit is reached.
    NoSpace,
    /// ENOMEM
    NoMemory,
    /// E2BIG: a message longer than the receiver's buffer, without MSG_NOERROR.
    TooBig,
    /// EAGAIN: the operation would wait and IPC_NOWAIT was given.
    Again,
    /// ENOMSG: no message of the wanted type and IPC_NOWAIT was given.
    NoMessage,
    /// ERANGE: a semaphore value out of 0..=SEMVMX.
    Range,
    /// EFBIG: a semaphore number outside the set.
    TooLarge,
    /// Not an error to report: the caller must wait for a change and retry.
    WouldBlock,
    /// ENAMETOOLONG (a POSIX queue name).
    NameTooLong,
    /// EBUSY: another process is registered for notification.
    Busy,
    /// EOVERFLOW: queue attributes whose product overflows.
    Overflow,
}

pub type Result<T> = core::result::Result<T, Error>;

/// Which kind of IPC object a call is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Shm,
    Sem,
    Msg,
}

/// Flags shared by the three `*get` calls and `ipc_perm.mode` (Linux's values).
pub const IPC_CREAT: u32 = 0o1000;
pub const IPC_EXCL: u32 = 0o2000;
pub const IPC_NOWAIT: u32 = 0o4000;
pub const IPC_PRIVATE: i32 = 0;
/// `shm_perm.mode` bits: marked for removal, locked in memory.
pub const SHM_DEST: u32 = 0o1000;
pub const SHM_LOCKED: u32 = 0o2000;
