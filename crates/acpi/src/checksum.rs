//! ACPI checksums: a structure is good when all its bytes sum to zero
//! modulo 256.

use crate::memory::{self, PhysMemory};
use crate::{bytes, Error};

/// Bytes read per call while summing a table in physical memory; the stack
/// buffer is this big.
const CHUNK: u32 = 256;

/// The byte sum of `bytes`, modulo 256.
pub(crate) fn sum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |acc, b| acc.wrapping_add(*b))
}

/// The byte sum, modulo 256, of the `len` bytes at `paddr`.
pub(crate) fn sum_phys<M: PhysMemory + ?Sized>(mem: &M, paddr: u64, len: u32) -> Result<u8, Error> {
    let mut buf = [0u8; CHUNK as usize];
    let mut total = 0u8;
    let mut done = 0u32;
    while let Some(left) = len.checked_sub(done).filter(|left| *left > 0) {
        let n = left.min(CHUNK);
        let at = paddr.checked_add(u64::from(done)).ok_or(Error::AddressOverflow)?;
        let chunk = bytes::prefix_mut(&mut buf, n as usize);
        memory::read(mem, at, chunk)?;
        total = total.wrapping_add(sum(chunk));
        done = done.saturating_add(n);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SliceMemory;

    #[test]
    fn sums_across_chunks() {
        let mut bytes = [0u8; 1000];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i % 251) as u8;
        }
        let mem = SliceMemory::new(0x4000, &bytes);
        for len in [0u32, 1, 255, 256, 257, 999, 1000] {
            let want = sum(&bytes[..len as usize]);
            assert_eq!(sum_phys(&mem, 0x4000, len), Ok(want), "len {len}");
        }
        assert_eq!(sum_phys(&mem, 0x4000, 1001), Err(Error::Read { paddr: 0x4000 + 768 }));
    }
}
