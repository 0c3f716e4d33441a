//! The NetBSD ABI's per-architecture half: which registers carry a
//! system call's number, arguments and results, and how an error is
//! told apart from a result. Everything else in the personality is the
//! same on every architecture and reaches these through the names each
//! architecture's module defines alike.

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
pub use x86_64::*;
