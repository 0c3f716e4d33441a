//! The only way this crate reaches physical memory.
//!
//! The kernel implements [`PhysMemory`] over its direct map (that is where
//! the `unsafe` lives); tests implement it over byte buffers. Addresses in
//! ACPI tables are allegations, so an implementation must refuse ranges it
//! cannot or will not read rather than fault.

use crate::Error;

/// Reads bytes at physical addresses.
pub trait PhysMemory {
    /// Fills `buf` with the bytes at `paddr .. paddr + buf.len()`, or fails if
    /// any of them cannot be read. The crate never asks for a range whose end
    /// overflows 64 bits.
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), ReadFailed>;
}

/// A [`PhysMemory`] refused a read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadFailed;

impl<M: PhysMemory + ?Sized> PhysMemory for &M {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), ReadFailed> {
        (**self).read(paddr, buf)
    }
}

/// One contiguous run of bytes that stands at physical address `base`, such
/// as a table the kernel has already copied, or a table read from a host's
/// `/sys/firmware/acpi/tables` in a test.
#[derive(Clone, Copy, Debug)]
pub struct SliceMemory<'a> {
    base: u64,
    bytes: &'a [u8],
}

impl<'a> SliceMemory<'a> {
    /// `bytes` as if they were at physical address `base`.
    pub const fn new(base: u64, bytes: &'a [u8]) -> Self {
        SliceMemory { base, bytes }
    }
}

impl PhysMemory for SliceMemory<'_> {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), ReadFailed> {
        let offset = paddr.checked_sub(self.base).ok_or(ReadFailed)?;
        let start = usize::try_from(offset).map_err(|_| ReadFailed)?;
        let end = start.checked_add(buf.len()).ok_or(ReadFailed)?;
        buf.copy_from_slice(self.bytes.get(start..end).ok_or(ReadFailed)?);
        Ok(())
    }
}

/// Reads `buf.len()` bytes at `paddr`, checking the range does not wrap.
pub(crate) fn read<M: PhysMemory + ?Sized>(mem: &M, paddr: u64, buf: &mut [u8]) -> Result<(), Error> {
    let len = u64::try_from(buf.len()).map_err(|_| Error::AddressOverflow)?;
    paddr.checked_add(len).ok_or(Error::AddressOverflow)?;
    mem.read(paddr, buf).map_err(|ReadFailed| Error::Read { paddr })
}

/// Reads `N` bytes at `paddr`.
pub(crate) fn read_array<const N: usize, M: PhysMemory + ?Sized>(mem: &M, paddr: u64) -> Result<[u8; N], Error> {
    let mut buf = [0u8; N];
    read(mem, paddr, &mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_memory_reads_inside_and_refuses_outside() {
        let mem = SliceMemory::new(0x1000, &[1, 2, 3, 4]);
        let mut two = [0u8; 2];
        assert_eq!(mem.read(0x1001, &mut two), Ok(()));
        assert_eq!(two, [2, 3]);
        assert_eq!(mem.read(0x1003, &mut two), Err(ReadFailed));
        assert_eq!(mem.read(0xfff, &mut two), Err(ReadFailed));
        assert_eq!(mem.read(u64::MAX, &mut two), Err(ReadFailed));
    }

    #[test]
    fn wrapping_ranges_are_refused_before_asking() {
        let mem = SliceMemory::new(0, &[]);
        assert_eq!(read_array::<2, _>(&mem, u64::MAX), Err(Error::AddressOverflow));
        assert_eq!(read_array::<2, _>(&mem, 5), Err(Error::Read { paddr: 5 }));
    }
}
