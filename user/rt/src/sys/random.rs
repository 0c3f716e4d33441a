//! The kernel's random generator.

use super::{addr, check, Error, Syscall};
use crate::syscall::syscall2;

/// Fills `buf` (at most `abi::MAX_IO` bytes). Returns the bytes written.
pub fn random(buf: &mut [u8]) -> Result<usize, Error> {
    check(syscall2(Syscall::Random.nr(), addr(buf.as_mut_ptr()), buf.len() as u64)).map(|n| n as usize)
}
