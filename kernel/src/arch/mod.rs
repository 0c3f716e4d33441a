//! Architecture support. Everything that knows about registers, descriptor
//! tables, page-table formats or interrupt controllers lives below here.

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
pub use self::x86_64::*;
