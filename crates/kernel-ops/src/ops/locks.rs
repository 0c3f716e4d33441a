//! File locks and leases: one part of the core's surface,
//! [`crate::KernelOps`].

use crate::{Fd, KResult, LeaseKind, LockHolder, LockKind, LockRange, LockScope};

/// Advisory file locks (flock and fcntl's byte ranges) and leases.
pub trait LockOps {
    /// flock(2): a whole-file lock owned by the open file behind `fd`
    /// (None unlocks). A conflict is `WouldBlock` without `wait`; waiting
    /// ends early with `Restart` when a signal comes. Changing the kind of
    /// a held lock releases it first, then waits (as Linux does).
    fn lock_file(&mut self, fd: Fd, kind: Option<LockKind>, wait: bool) -> KResult<()>;
    /// Byte-range lock (fcntl) on `range` of the file behind `fd`, owned as
    /// `scope` says; None unlocks. Conflicts as for `lock_file`; a wait
    /// that would deadlock fails with `Deadlock`.
    fn lock_range(
        &mut self,
        fd: Fd,
        kind: Option<LockKind>,
        range: LockRange,
        scope: LockScope,
        wait: bool,
    ) -> KResult<()>;
    /// The first lock of another owner that would keep `scope`'s owner
    /// from taking `kind` on `range` (F_GETLK); None if there is none.
    fn test_lock_range(
        &mut self,
        fd: Fd,
        kind: LockKind,
        range: LockRange,
        scope: LockScope,
    ) -> KResult<Option<LockHolder>>;
    /// F_GETLEASE: the lease the open file behind `fd` holds.
    fn lease(&mut self, fd: Fd) -> KResult<Option<LeaseKind>>;
    /// F_SETLEASE (None: F_UNLCK) on a regular file the caller owns
    /// (`PermissionDenied` otherwise; `InvalidArgument` for other kinds);
    /// `WouldBlock` when others' opens or leases conflict.
    fn set_lease(&mut self, fd: Fd, kind: Option<LeaseKind>) -> KResult<()>;
}
