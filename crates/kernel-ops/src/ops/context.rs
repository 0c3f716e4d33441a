//! The calling thread's user context, floating-point state, thread pointer
//! and user memory, and the core's logs: one part of the core's surface,
//! [`crate::KernelOps`].

use crate::{FpuImage, KResult, UserContext};
use alloc::vec::Vec;

/// The calling thread's saved user context, floating-point state and
/// thread pointer, its user memory, and the core's logs.
pub trait ContextOps {
    /// The user context saved at kernel entry; writing it changes where and
    /// how the thread resumes (the arch code sanitises it on the way out).
    fn context(&mut self) -> &mut UserContext;
    fn copy_in(&mut self, addr: u64, buf: &mut [u8]) -> KResult<()>;
    fn copy_out(&mut self, addr: u64, data: &[u8]) -> KResult<()>;
    /// A NUL-terminated string of at most `max` bytes (without the NUL);
    /// longer is `Error::NameTooLong`.
    fn copy_in_cstring(&mut self, addr: u64, max: usize) -> KResult<Vec<u8>>;
    /// The thread's floating-point state (for signal frames), and its
    /// replacement.
    fn fpu_state(&mut self) -> FpuImage;
    fn set_fpu_state(&mut self, state: &FpuImage);
    /// The thread pointer (thread-local storage's base).
    fn thread_pointer(&mut self) -> u64;
    fn set_thread_pointer(&mut self, value: u64) -> KResult<()>;
    /// One log line naming an unsupported feature, the process and its binary.
    fn log_unsupported(&mut self, what: core::fmt::Arguments<'_>);
    /// One line of the system-call log (`--trace`); a core without one
    /// drops it.
    fn log_syscall(&mut self, line: &str) {
        let _ = line;
    }
}
