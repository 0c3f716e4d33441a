//! What the boundary knows of the machine: the user context a thread
//! enters the kernel with, and the shape of its floating-point state.
//!
//! Each architecture's module defines the same names ([`UserContext`],
//! [`FpuImage`]) with the same neutral methods; code outside an `arch/`
//! directory uses only those (a CI check, `cargo xtask lint`, refuses
//! register names elsewhere). A personality's own architecture-specific
//! code (its signal frames, its debugger's register layout, its system-call
//! register convention) lives in that personality's `arch/` directory.

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
pub use x86_64::*;
