//! The handlers, one file per kind of call. Each decodes NetBSD's
//! arguments (an `int` is the low 32 bits of its register) and asks the
//! core.

pub mod access;
pub mod args;
pub mod context;
pub mod descriptors;
pub mod dirent;
pub mod exit;
pub mod file_io;
pub mod groups;
pub mod ids;
pub mod io;
pub mod ioctl;
pub mod kqueue;
pub mod locks;
pub mod lwp;
pub mod memory;
pub mod names;
pub mod open;
pub mod open_flags;
pub mod process;
pub mod random;
pub mod resources;
pub mod signal;
pub mod stat;
pub mod sysctl;
pub mod termios;
pub mod time;
pub mod wait;

/// An `int` descriptor argument: the low 32 bits, sign-extended.
pub fn fd(raw: u64) -> i32 {
    raw as i32
}
