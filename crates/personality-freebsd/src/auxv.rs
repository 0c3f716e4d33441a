//! FreeBSD's auxiliary vector types (sys/sys/elf_common.h). Not Linux's:
//! 15 is AT_EXECPATH here, and there is no AT_RANDOM or AT_SECURE.

pub const AT_NULL: u64 = 0;
pub const AT_PHDR: u64 = 3;
pub const AT_PHENT: u64 = 4;
pub const AT_PHNUM: u64 = 5;
pub const AT_PAGESZ: u64 = 6;
pub const AT_BASE: u64 = 7;
pub const AT_FLAGS: u64 = 8;
pub const AT_ENTRY: u64 = 9;
pub const AT_EXECPATH: u64 = 15;
pub const AT_CANARY: u64 = 16;
pub const AT_CANARYLEN: u64 = 17;
pub const AT_OSRELDATE: u64 = 18;
pub const AT_PAGESIZES: u64 = 20;
pub const AT_PAGESIZESLEN: u64 = 21;
