//! The kernel's log console.

use super::{addr, check, Error, Syscall};
use crate::syscall::syscall2;

/// Writes `buf` (at most `abi::MAX_IO` bytes) to the kernel log, prefixed
/// with the task's name. Returns the bytes written.
pub fn debug_write(buf: &[u8]) -> Result<usize, Error> {
    check(syscall2(Syscall::DebugWrite.nr(), addr(buf.as_ptr()), buf.len() as u64)).map(|n| n as usize)
}
