//! flock(2) locks: whole-file, owned by open file descriptions.

use crate::{LockKind, NoMemory};
use alloc::vec::Vec;

/// The flock(2) locks of one file: which descriptions hold which kind.
/// Each description holds at most one; a description never conflicts
/// with itself (so a process that `dup`s or forks shares its lock).
#[derive(Debug, Default, Clone)]
pub struct WholeFileLocks {
    held: Vec<(u64, LockKind)>,
}

/// What one flock attempt did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlockOutcome {
    /// The description's lock is now the one asked for.
    pub granted: bool,
    /// The description's previous lock, of the other kind, was dropped on
    /// the way: waiters must be woken even when `granted` is false.
    pub released: bool,
}

impl WholeFileLocks {
    pub const fn new() -> Self {
        WholeFileLocks { held: Vec::new() }
    }

    /// One attempt to make `description`'s lock `kind`, as Linux's
    /// `flock_lock_inode` does it: a lock of the same kind is already
    /// granted; a lock of the other kind is *released first*, then the new
    /// one is taken if no other description's lock conflicts. So a
    /// conversion is not atomic: a shared lock that waits to become
    /// exclusive (or fails with LOCK_NB) has already let go, and another
    /// process may take the file in between. Retrying after a wake-up finds
    /// nothing to release and just tries again.
    pub fn lock(&mut self, description: u64, kind: LockKind) -> Result<FlockOutcome, NoMemory> {
        self.held.try_reserve(1).map_err(|_| NoMemory)?;
        let mut released = false;
        if let Some(i) = self.held.iter().position(|&(d, _)| d == description) {
            if self.held[i].1 == kind {
                return Ok(FlockOutcome { granted: true, released: false });
            }
            self.held.swap_remove(i);
            released = true;
        }
        if self.conflict(description, kind) {
            return Ok(FlockOutcome { granted: false, released });
        }
        self.held.push((description, kind));
        Ok(FlockOutcome { granted: true, released })
    }

    /// Whether `description` could take `kind` now (other descriptions'
    /// locks only).
    pub fn conflict(&self, description: u64, kind: LockKind) -> bool {
        self.held.iter().any(|&(d, k)| d != description && k.conflicts_with(kind))
    }

    /// LOCK_UN, and the description's last close. True if it held a lock.
    pub fn unlock(&mut self, description: u64) -> bool {
        let before = self.held.len();
        self.held.retain(|&(d, _)| d != description);
        self.held.len() != before
    }

    /// The lock `description` holds.
    pub fn held_by(&self, description: u64) -> Option<LockKind> {
        self.held.iter().find(|&&(d, _)| d == description).map(|&(_, k)| k)
    }

    /// Every (description, kind) held, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, LockKind)> + '_ {
        self.held.iter().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use LockKind::*;

    const GRANTED: FlockOutcome = FlockOutcome { granted: true, released: false };
    const REFUSED: FlockOutcome = FlockOutcome { granted: false, released: false };

    #[test]
    fn shared_locks_coexist_and_exclude_exclusive() {
        let mut f = WholeFileLocks::new();
        assert_eq!(f.lock(1, Shared), Ok(GRANTED));
        assert_eq!(f.lock(2, Shared), Ok(GRANTED));
        assert_eq!(f.lock(3, Exclusive), Ok(REFUSED));
        assert!(f.unlock(1));
        assert_eq!(f.lock(3, Exclusive), Ok(REFUSED));
        assert!(f.unlock(2));
        assert_eq!(f.lock(3, Exclusive), Ok(GRANTED));
        assert_eq!(f.lock(1, Shared), Ok(REFUSED));
        assert_eq!(f.held_by(3), Some(Exclusive));
    }

    #[test]
    fn a_description_never_conflicts_with_itself() {
        let mut f = WholeFileLocks::new();
        assert_eq!(f.lock(1, Exclusive), Ok(GRANTED));
        assert_eq!(f.lock(1, Exclusive), Ok(GRANTED));
        assert!(!f.conflict(1, Exclusive));
        assert_eq!(f.iter().count(), 1);
    }

    #[test]
    fn conversion_releases_before_it_waits() {
        let mut f = WholeFileLocks::new();
        f.lock(1, Shared).unwrap();
        f.lock(2, Shared).unwrap();
        // 1 wants exclusive: its shared lock goes, and it must wait for 2.
        assert_eq!(f.lock(1, Exclusive), Ok(FlockOutcome { granted: false, released: true }));
        assert_eq!(f.held_by(1), None);
        // Meanwhile 2 upgrades without waiting: nobody else holds anything.
        assert_eq!(f.lock(2, Exclusive), Ok(FlockOutcome { granted: true, released: true }));
        // 1 retrying finds nothing to release.
        assert_eq!(f.lock(1, Exclusive), Ok(REFUSED));
    }

    #[test]
    fn downgrade_always_succeeds() {
        let mut f = WholeFileLocks::new();
        f.lock(1, Exclusive).unwrap();
        assert_eq!(f.lock(1, Shared), Ok(FlockOutcome { granted: true, released: true }));
        assert_eq!(f.lock(2, Shared), Ok(GRANTED));
    }

    #[test]
    fn unlock_without_lock_is_harmless() {
        let mut f = WholeFileLocks::new();
        assert!(!f.unlock(7));
        assert!(f.is_empty());
    }
}
