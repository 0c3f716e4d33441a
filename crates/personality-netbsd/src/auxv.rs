//! NetBSD's auxiliary vector (sys/sys/exec_elf.h): entries are
//! `Aux64Info { Elf64_Word a_type; Elf64_Xword a_v; }`, 16 bytes with the
//! type in the low 4 (the kernel zeroes the padding). The ids and user
//! ids are Solaris's numbers; there is no AT_RANDOM, AT_HWCAP or AT_SECURE.

pub const AT_NULL: u64 = 0;
pub const AT_PHDR: u64 = 3;
pub const AT_PHENT: u64 = 4;
pub const AT_PHNUM: u64 = 5;
pub const AT_PAGESZ: u64 = 6;
pub const AT_BASE: u64 = 7;
pub const AT_FLAGS: u64 = 8;
pub const AT_ENTRY: u64 = 9;
pub const AT_STACKBASE: u64 = 13;
pub const AT_EUID: u64 = 2000;
pub const AT_RUID: u64 = 2001;
pub const AT_EGID: u64 = 2002;
pub const AT_RGID: u64 = 2003;
pub const AT_SUN_EXECNAME: u64 = 2014;
