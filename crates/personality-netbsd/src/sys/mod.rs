//! The handlers, one file per kind of call. Each decodes NetBSD's
//! arguments (an `int` is the low 32 bits of its register) and asks the
//! core.

pub mod context;
pub mod exit;
pub mod ids;
pub mod io;
pub mod kqueue;
pub mod lwp;
pub mod memory;
pub mod pipe2;
pub mod signal;
pub mod time;

/// An `int` descriptor argument: the low 32 bits, sign-extended.
pub fn fd(raw: u64) -> i32 {
    raw as i32
}
