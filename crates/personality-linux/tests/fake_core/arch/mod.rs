//! The system-call register convention, for building the contexts the
//! tests hand the personality (the personality's own copy is private).

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
pub use x86_64::*;
