//! `personality(2)` values (`linux/personality.h`).
//!
//! The low byte is the execution domain (`PER_LINUX` is the only one Linux
//! still implements); the upper bits are behaviour flags. Static binaries
//! call `personality(0xffffffff)` to query, and `setarch -R` style tools set
//! `ADDR_NO_RANDOMIZE`.

/// `personality(PER_QUERY)` returns the current value without changing it.
pub const PER_QUERY: u32 = 0xffff_ffff;

pub const UNAME26: u32 = 0x002_0000;
pub const ADDR_NO_RANDOMIZE: u32 = 0x004_0000;
pub const FDPIC_FUNCPTRS: u32 = 0x008_0000;
pub const MMAP_PAGE_ZERO: u32 = 0x010_0000;
pub const ADDR_COMPAT_LAYOUT: u32 = 0x020_0000;
pub const READ_IMPLIES_EXEC: u32 = 0x040_0000;
pub const ADDR_LIMIT_32BIT: u32 = 0x080_0000;
pub const SHORT_INODE: u32 = 0x100_0000;
pub const WHOLE_SECONDS: u32 = 0x200_0000;
pub const STICKY_TIMEOUTS: u32 = 0x400_0000;
pub const ADDR_LIMIT_3GB: u32 = 0x800_0000;

/// Flags cleared on a set-uid/set-gid exec, since they weaken security.
pub const PER_CLEAR_ON_SETID: u32 = READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE | ADDR_COMPAT_LAYOUT | MMAP_PAGE_ZERO;

pub const PER_LINUX: u32 = 0x0000;
pub const PER_LINUX_32BIT: u32 = PER_LINUX | ADDR_LIMIT_32BIT;
pub const PER_LINUX_FDPIC: u32 = PER_LINUX | FDPIC_FUNCPTRS;
pub const PER_SVR4: u32 = 0x0001 | STICKY_TIMEOUTS | MMAP_PAGE_ZERO;
pub const PER_SVR3: u32 = 0x0002 | STICKY_TIMEOUTS | SHORT_INODE;
pub const PER_SCOSVR3: u32 = 0x0003 | STICKY_TIMEOUTS | WHOLE_SECONDS | SHORT_INODE;
pub const PER_OSR5: u32 = 0x0003 | STICKY_TIMEOUTS | WHOLE_SECONDS;
pub const PER_WYSEV386: u32 = 0x0004 | STICKY_TIMEOUTS | SHORT_INODE;
pub const PER_ISCR4: u32 = 0x0005 | STICKY_TIMEOUTS;
pub const PER_BSD: u32 = 0x0006;
pub const PER_SUNOS: u32 = 0x0006 | STICKY_TIMEOUTS;
pub const PER_XENIX: u32 = 0x0007 | STICKY_TIMEOUTS | SHORT_INODE;
pub const PER_LINUX32: u32 = 0x0008;
pub const PER_LINUX32_3GB: u32 = 0x0008 | ADDR_LIMIT_3GB;
pub const PER_IRIX32: u32 = 0x0009 | STICKY_TIMEOUTS;
pub const PER_IRIXN32: u32 = 0x000a | STICKY_TIMEOUTS;
pub const PER_IRIX64: u32 = 0x000b | STICKY_TIMEOUTS;
pub const PER_RISCOS: u32 = 0x000c;
pub const PER_SOLARIS: u32 = 0x000d | STICKY_TIMEOUTS;
pub const PER_UW7: u32 = 0x000e | STICKY_TIMEOUTS | MMAP_PAGE_ZERO;
pub const PER_OSF4: u32 = 0x000f;
pub const PER_HPUX: u32 = 0x0010;
/// The execution-domain byte.
pub const PER_MASK: u32 = 0x00ff;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains() {
        assert_eq!(PER_SVR4 & PER_MASK, 1);
        assert_eq!(PER_LINUX32_3GB, 0x0800_0008);
        assert_eq!(PER_CLEAR_ON_SETID, 0x0074_0000);
    }
}
