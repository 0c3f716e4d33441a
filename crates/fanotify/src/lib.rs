//! fanotify's rules, as Linux keeps them (fs/notify/fanotify/), without
//! the kernel.
//!
//! A *group* (the descriptor fanotify_init returns) holds *marks*: on an
//! inode, on a mount or on a whole file system, each with the events it
//! wants and an *ignore mask* of events it does not. When something
//! happens to a file, every mark of the group on the objects involved (the
//! file itself, its directory when that mark watches children, its mount,
//! its file system) is consulted together ([`marks::reported`]), and what
//! passes is queued ([`queue::Queue`]): like events about the same object
//! by the same process merge, a full queue ends in one overflow event.
//!
//! Masks use Linux's fanotify numbering ([`bits`]): fanotify exists only
//! in the Linux ABI, and its rules are written in terms of those bits.
//! Which file an event is about, and how a waiting process gets its
//! answer, are the caller's business (the queue carries an opaque object).

#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod bits;
pub mod marks;
pub mod queue;

pub use marks::{Mark, MarkChange, MarkKind};
pub use queue::{Object, Queue, Queued};
