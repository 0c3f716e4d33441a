//! FreeBSD on amd64.

pub mod sigcode;
pub mod signal_frame;
pub mod sysarch;
pub mod syscall_abi;

/// Where FreeBSD on amd64 places a position-independent program
/// (`ET_DYN_LOAD_ADDR`, sys/x86/include/elf.h).
pub const PROGRAM_BASE: u64 = 0x0102_1000;
