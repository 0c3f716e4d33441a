//! The native ABI's register convention, per architecture (the calls and
//! their numbers are `crates/abi`'s, the same everywhere).

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
pub use x86_64::*;
