//! Memory-mapping flags: `mmap`, `mprotect`, `mremap`, `msync`, `madvise`,
//! `mlock*` (`asm-generic/mman-common.h`, `asm-generic/mman.h`,
//! `arch/x86/include/uapi/asm/mman.h`, `linux/mman.h`).

pub const PROT_NONE: u32 = 0x0;
pub const PROT_READ: u32 = 0x1;
pub const PROT_WRITE: u32 = 0x2;
pub const PROT_EXEC: u32 = 0x4;
pub const PROT_SEM: u32 = 0x8;
/// `mprotect` only: extend the change down to the start of a grows-down mapping.
pub const PROT_GROWSDOWN: u32 = 0x0100_0000;
pub const PROT_GROWSUP: u32 = 0x0200_0000;

pub const MAP_SHARED: u32 = 0x01;
pub const MAP_PRIVATE: u32 = 0x02;
/// Like `MAP_SHARED`, but unknown flags fail with EOPNOTSUPP instead of
/// being ignored.
pub const MAP_SHARED_VALIDATE: u32 = 0x03;
/// The mapping-type field: exactly one of the three values above.
pub const MAP_TYPE: u32 = 0x0f;
pub const MAP_FIXED: u32 = 0x10;
pub const MAP_ANONYMOUS: u32 = 0x20;
pub const MAP_ANON: u32 = MAP_ANONYMOUS;
/// x86_64 only: place the mapping in the first 2 GiB.
pub const MAP_32BIT: u32 = 0x40;
/// x86_64 only: place the mapping above 4 GiB.
pub const MAP_ABOVE4G: u32 = 0x80;
pub const MAP_GROWSDOWN: u32 = 0x0100;
/// Ignored (historically: fail with ETXTBSY writers).
pub const MAP_DENYWRITE: u32 = 0x0800;
/// Ignored.
pub const MAP_EXECUTABLE: u32 = 0x1000;
pub const MAP_LOCKED: u32 = 0x2000;
pub const MAP_NORESERVE: u32 = 0x4000;
/// Pre-fault the pages.
pub const MAP_POPULATE: u32 = 0x8000;
pub const MAP_NONBLOCK: u32 = 0x1_0000;
/// A hint that the mapping is a thread stack; no effect on Linux's placement.
pub const MAP_STACK: u32 = 0x2_0000;
pub const MAP_HUGETLB: u32 = 0x4_0000;
pub const MAP_SYNC: u32 = 0x8_0000;
/// Like `MAP_FIXED`, but fail with EEXIST instead of replacing a mapping.
pub const MAP_FIXED_NOREPLACE: u32 = 0x10_0000;
pub const MAP_UNINITIALIZED: u32 = 0x400_0000;
/// Huge page size as log2 in bits 26..32 with `MAP_HUGETLB`.
pub const MAP_HUGE_SHIFT: u32 = 26;
pub const MAP_HUGE_MASK: u32 = 0x3f;

/// `mmap`'s error return as libc sees it (`(void *)-1`).
pub const MAP_FAILED: u64 = u64::MAX;

pub const MREMAP_MAYMOVE: u32 = 1;
pub const MREMAP_FIXED: u32 = 2;
pub const MREMAP_DONTUNMAP: u32 = 4;

pub const MS_ASYNC: u32 = 1;
pub const MS_INVALIDATE: u32 = 2;
pub const MS_SYNC: u32 = 4;

pub const MCL_CURRENT: u32 = 1;
pub const MCL_FUTURE: u32 = 2;
pub const MCL_ONFAULT: u32 = 4;
/// `mlock2` flag.
pub const MLOCK_ONFAULT: u32 = 1;

pub const MADV_NORMAL: u32 = 0;
pub const MADV_RANDOM: u32 = 1;
pub const MADV_SEQUENTIAL: u32 = 2;
pub const MADV_WILLNEED: u32 = 3;
/// Drop the pages: private anonymous memory reads back as zeros afterwards,
/// which allocators rely on.
pub const MADV_DONTNEED: u32 = 4;
pub const MADV_FREE: u32 = 8;
pub const MADV_REMOVE: u32 = 9;
pub const MADV_DONTFORK: u32 = 10;
pub const MADV_DOFORK: u32 = 11;
pub const MADV_MERGEABLE: u32 = 12;
pub const MADV_UNMERGEABLE: u32 = 13;
pub const MADV_HUGEPAGE: u32 = 14;
pub const MADV_NOHUGEPAGE: u32 = 15;
pub const MADV_DONTDUMP: u32 = 16;
pub const MADV_DODUMP: u32 = 17;
pub const MADV_WIPEONFORK: u32 = 18;
pub const MADV_KEEPONFORK: u32 = 19;
pub const MADV_COLD: u32 = 20;
pub const MADV_PAGEOUT: u32 = 21;
pub const MADV_POPULATE_READ: u32 = 22;
pub const MADV_POPULATE_WRITE: u32 = 23;
pub const MADV_DONTNEED_LOCKED: u32 = 24;
pub const MADV_COLLAPSE: u32 = 25;
pub const MADV_HWPOISON: u32 = 100;
pub const MADV_SOFT_OFFLINE: u32 = 101;
pub const MADV_GUARD_INSTALL: u32 = 102;
pub const MADV_GUARD_REMOVE: u32 = 103;

/// `pkey_alloc` access rights.
pub const PKEY_DISABLE_ACCESS: u32 = 0x1;
pub const PKEY_DISABLE_WRITE: u32 = 0x2;

/// The base page size on x86_64, which `AT_PAGESZ` reports and `mmap`
/// offsets and `munmap`/`mprotect` addresses must be multiples of.
pub const PAGE_SIZE: u64 = 4096;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_map_bits() {
        let bits = [
            MAP_FIXED,
            MAP_ANONYMOUS,
            MAP_32BIT,
            MAP_ABOVE4G,
            MAP_GROWSDOWN,
            MAP_DENYWRITE,
            MAP_EXECUTABLE,
            MAP_LOCKED,
            MAP_NORESERVE,
            MAP_POPULATE,
            MAP_NONBLOCK,
            MAP_STACK,
            MAP_HUGETLB,
            MAP_SYNC,
            MAP_FIXED_NOREPLACE,
            MAP_UNINITIALIZED,
        ];
        let mut seen = MAP_TYPE;
        for b in bits {
            assert_eq!(b.count_ones(), 1);
            assert_eq!(seen & b, 0, "{b:#x} overlaps");
            seen |= b;
        }
    }
}
