//! The parts of Linux's ABI that differ between architectures: register
//! layouts, signal frames and the architecture's own calls.

#[cfg(target_arch = "x86_64")]
pub mod x86_64;
#[cfg(target_arch = "x86_64")]
pub use x86_64::*;
