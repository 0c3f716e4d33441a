//! Linux on x86_64.

pub mod debug_registers;
pub mod ptrace_regs;
pub mod signal_frame;
pub mod syscall_abi;
pub mod xstate;
