//! Linux on x86_64.

pub mod debug_registers;
pub mod ptrace_regs;
pub mod signal_frame;
pub mod syscall_abi;
pub mod xstate;

/// Where Linux on x86_64 places a position-independent program
/// (ELF_ET_DYN_BASE: two thirds of the 47-bit space, page aligned).
pub const PROGRAM_BASE: u64 = 0x5555_5555_4000;
