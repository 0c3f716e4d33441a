//! Shared and exclusive: the two strengths of every lock kind.

/// A read (shared) or write (exclusive) lock: `F_RDLCK`/`LOCK_SH` and
/// `F_WRLCK`/`LOCK_EX`. Unlocking is the absence of a kind (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LockKind {
    Shared,
    Exclusive,
}

impl LockKind {
    /// Two locks of different owners on the same bytes conflict unless
    /// both are shared.
    pub fn conflicts_with(self, other: LockKind) -> bool {
        self == LockKind::Exclusive || other == LockKind::Exclusive
    }
}
