//! The Linux ABI's per-architecture half: which registers carry a system
//! call's number, arguments and result, the signal frame, the register set
//! a debugger reads, and the extended FPU state's layout. Everything else
//! in the personality is the same on every architecture and reaches these
//! through the names each architecture's module defines alike.

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
pub use x86_64::*;
