//! The handlers, one file per kind of call. Each decodes FreeBSD's
//! arguments (an `int` is the low 32 bits of its register) and asks the
//! core.

pub mod ids;
pub mod io;
pub mod memory;
pub mod process;
pub mod random;
pub mod resources;
pub mod signal;
pub mod sysctl;
pub mod thread;
pub mod time;
pub mod wait;

/// An `int` descriptor argument: the low 32 bits, sign-extended.
pub fn fd(raw: u64) -> i32 {
    raw as i32
}
