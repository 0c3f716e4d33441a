//! Shared-memory segments: the record the namespace keeps. The memory
//! itself, and the count of mappings of it, are the kernel's
//! ([`SegmentMemory`]): a mapping goes away with munmap, exit or exec
//! without asking the namespace.

/// `shmat` flags.
pub const SHM_RDONLY: u32 = 0o10000;
pub const SHM_RND: u32 = 0o20000;
pub const SHM_REMAP: u32 = 0o40000;
pub const SHM_EXEC: u32 = 0o100000;
/// `shmget`'s request for huge pages.
pub const SHM_HUGETLB: u32 = 0o4000;
/// SHMLBA on x86_64: one page.
pub const SHMLBA: u64 = 4096;

/// What the kernel knows of a segment's mappings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Mappings of it now (shm_nattch).
    pub attached: u32,
    /// Time and process of the last attach or detach (shm_atime,
    /// shm_dtime, shm_lpid); 0 for never.
    pub atime: i64,
    pub dtime: i64,
    pub lpid: u32,
    /// Pages that hold memory now (shm_rss).
    pub resident_pages: u64,
}

pub trait SegmentMemory {
    fn usage(&self) -> Usage;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<M> {
    pub size: u64,
    pub memory: M,
    pub cpid: u32,
    pub ctime: i64,
}

impl<M> Segment<M> {
    pub fn pages(&self) -> u64 {
        self.size.div_ceil(crate::limits::PAGE_SIZE)
    }
}

/// Where `shmat` maps: Linux's address rules before any lookup.
/// `Ok(None)`: the kernel chooses; `Ok(Some(a))`: exactly at `a`.
pub fn attach_address(addr: u64, flags: u32) -> crate::Result<Option<u64>> {
    if addr == 0 {
        return if flags & SHM_REMAP != 0 { Err(crate::Error::Invalid) } else { Ok(None) };
    }
    let mut addr = addr;
    if addr & (SHMLBA - 1) != 0 {
        if flags & SHM_RND == 0 {
            return Err(crate::Error::Invalid);
        }
        addr &= !(SHMLBA - 1);
        if addr == 0 && flags & SHM_REMAP != 0 {
            return Err(crate::Error::Invalid);
        }
    }
    Ok(Some(addr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(attach_address(0, 0), Ok(None));
        assert!(attach_address(0, SHM_REMAP).is_err());
        assert!(attach_address(0x1001, 0).is_err());
        assert_eq!(attach_address(0x1001, SHM_RND), Ok(Some(0x1000)));
        assert_eq!(attach_address(0x10, SHM_RND), Ok(Some(0)));
        assert!(attach_address(0x10, SHM_RND | SHM_REMAP).is_err());
    }
}
