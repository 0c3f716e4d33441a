//! How this crate reads the memory the boot loader filled in.

/// The memory could not be read (outside RAM, not mapped yet, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadError;

/// Reads physical memory on the crate's behalf.
///
/// The kernel implements it over whatever mapping it has at boot (the
/// identity map, later the direct map) and decides which addresses are
/// readable; this crate never dereferences anything itself. A read must
/// either fill all of `buf` or fail.
pub trait PhysReader {
    fn read(&self, paddr: u64, buf: &mut [u8]) -> Result<(), ReadError>;
}

/// Reads `N` bytes at `paddr`, refusing ranges that would wrap around the top
/// of the address space (a reader should not have to think about that).
pub(crate) fn read_bytes<R: PhysReader + ?Sized, const N: usize>(reader: &R, paddr: u64) -> Result<[u8; N], ReadError> {
    paddr.checked_add(N as u64).ok_or(ReadError)?;
    let mut buf = [0u8; N];
    reader.read(paddr, &mut buf)?;
    Ok(buf)
}

pub(crate) fn u32_at(bytes: &[u8], offset: usize) -> u32 {
    let mut le = [0u8; 4];
    le.copy_from_slice(&bytes[offset..offset + 4]);
    u32::from_le_bytes(le)
}

pub(crate) fn u64_at(bytes: &[u8], offset: usize) -> u64 {
    let mut le = [0u8; 8];
    le.copy_from_slice(&bytes[offset..offset + 8]);
    u64::from_le_bytes(le)
}
