//! Little-endian field access at fixed offsets.
//!
//! Every structure in this crate is encoded by writing each field at the
//! offset Linux gives it, instead of transmuting a `#[repr(C)]` struct: that
//! keeps the crate free of `unsafe`, makes padding bytes explicit zeros (no
//! kernel stack contents leak to user space) and works the same on any host.
//!
//! The offsets are compile-time constants chosen by the callers and the
//! buffers are fixed-size arrays, so out-of-range accesses are programming
//! errors caught by the layout tests, not by user input.

pub(crate) fn put_u8(buf: &mut [u8], off: usize, v: u8) {
    buf[off] = v;
}

pub(crate) fn put_u16(buf: &mut [u8], off: usize, v: u16) {
    buf[off..off + 2].copy_from_slice(&v.to_le_bytes());
}

pub(crate) fn put_u32(buf: &mut [u8], off: usize, v: u32) {
    buf[off..off + 4].copy_from_slice(&v.to_le_bytes());
}

pub(crate) fn put_i32(buf: &mut [u8], off: usize, v: i32) {
    buf[off..off + 4].copy_from_slice(&v.to_le_bytes());
}

pub(crate) fn put_u64(buf: &mut [u8], off: usize, v: u64) {
    buf[off..off + 8].copy_from_slice(&v.to_le_bytes());
}

pub(crate) fn put_i64(buf: &mut [u8], off: usize, v: i64) {
    buf[off..off + 8].copy_from_slice(&v.to_le_bytes());
}

pub(crate) fn get_u16(buf: &[u8], off: usize) -> u16 {
    let mut b = [0u8; 2];
    b.copy_from_slice(&buf[off..off + 2]);
    u16::from_le_bytes(b)
}

pub(crate) fn get_i16(buf: &[u8], off: usize) -> i16 {
    get_u16(buf, off) as i16
}

pub(crate) fn get_u32(buf: &[u8], off: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&buf[off..off + 4]);
    u32::from_le_bytes(b)
}

pub(crate) fn get_i32(buf: &[u8], off: usize) -> i32 {
    get_u32(buf, off) as i32
}

pub(crate) fn get_u64(buf: &[u8], off: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&buf[off..off + 8]);
    u64::from_le_bytes(b)
}

pub(crate) fn get_i64(buf: &[u8], off: usize) -> i64 {
    get_u64(buf, off) as i64
}

/// The first `N` bytes of `bytes`, or `None` when it is shorter: how every
/// `from_bytes` refuses a truncated user buffer.
pub(crate) fn prefix<const N: usize>(bytes: &[u8]) -> Option<&[u8; N]> {
    bytes.get(..N)?.try_into().ok()
}
