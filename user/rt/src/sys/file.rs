//! Files, reached only beneath a directory capability.

use super::{addr, check, Error, Rights, Syscall};
use crate::syscall::syscall4;

/// Opens `path` (relative) beneath the directory `dir` with `rights`.
/// Returns the slot of a File capability.
pub fn file_open(dir: u64, path: &[u8], rights: Rights) -> Result<u64, Error> {
    check(syscall4(Syscall::FileOpen.nr(), dir, addr(path.as_ptr()), path.len() as u64, u64::from(rights.bits())))
}

/// Reads into `buf` (at most `abi::MAX_IO` bytes) from byte `offset`.
/// Returns the bytes read, 0 at the end of the file.
pub fn file_read(file: u64, buf: &mut [u8], offset: u64) -> Result<usize, Error> {
    check(syscall4(Syscall::FileRead.nr(), file, addr(buf.as_mut_ptr()), buf.len() as u64, offset)).map(|n| n as usize)
}

/// Writes `buf` (at most `abi::MAX_IO` bytes) at byte `offset`. Returns the
/// bytes written.
pub fn file_write(file: u64, buf: &[u8], offset: u64) -> Result<usize, Error> {
    check(syscall4(Syscall::FileWrite.nr(), file, addr(buf.as_ptr()), buf.len() as u64, offset)).map(|n| n as usize)
}
