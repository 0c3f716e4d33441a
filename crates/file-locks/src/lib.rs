//! Advisory file locks, as Linux keeps them, without the kernel.
//!
//! Three kinds of lock live on a file, each with its own owner:
//!
//! - **flock(2) locks** ([`WholeFileLocks`]) cover the whole file and belong
//!   to an *open file description* (the object `open` creates, shared by
//!   `dup` and `fork`). Shared or exclusive; a description holds at most
//!   one. They never meet the byte-range locks.
//! - **POSIX record locks** (fcntl `F_SETLK`) cover byte ranges and belong
//!   to a *process* ([`RecordOwner::Process`]); all of a process's locks on
//!   a file go when it closes *any* descriptor of that file.
//! - **Open-file-description locks** (`F_OFD_SETLK`) are byte ranges owned
//!   by a description ([`RecordOwner::OpenFile`]); they conflict with POSIX
//!   locks of every other owner and go with the description.
//!
//! [`LockTable`] holds the locks of every file by a key the caller chooses
//! and the wait-for graph between processes ([`WaitGraph`]) that turns a
//! blocking request closing a cycle into `EDEADLK`. Waiting itself is the
//! caller's: it retries an attempt after every release ([`Attempt`]).
//!
//! Built to run inside the kernel, under a spinlock: nothing here sleeps,
//! panics on any input, or recurses; storage grows through `try_reserve`
//! and a failed call changes nothing ([`NoMemory`]).
//!
//! Owners and descriptions are opaque numbers the kernel hands out; this
//! crate only compares them. Offsets are bytes from the start of the file
//! ([`Range`]); whence and the file size are the caller's business.
//!
//! Costs, with `n` record locks on one file: setting or testing a lock is
//! O(n) (a sorted vector; real programs hold a handful per file), a flock
//! is O(descriptions holding one), deadlock detection O(waiters²) at worst.

#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

extern crate alloc;

mod kind;
mod range;
mod records;
mod table;
mod wait_graph;
mod whole_file;

pub use kind::LockKind;
pub use range::{Range, RangeError, MAX_OFFSET};
pub use records::{RecordLock, RecordLocks, RecordOwner, RecordRequest};
pub use table::{Attempt, LockTable};
pub use wait_graph::WaitGraph;
pub use whole_file::{FlockOutcome, WholeFileLocks};

/// The heap could not provide room for a lock (Linux: ENOLCK); nothing
/// changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoMemory;
