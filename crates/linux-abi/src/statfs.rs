//! `struct statfs`, filled in by `statfs(2)` and `fstatfs(2)`
//! (`asm-generic/statfs.h`, every field a 64-bit word on x86_64, `f_fsid`
//! two 32-bit ints), and the file-system magic numbers of `f_type`
//! (`linux/magic.h`).

use crate::wire::{get_u32, get_u64, prefix, put_u32, put_u64};

pub const EXT2_SUPER_MAGIC: u64 = 0xef53;
pub const TMPFS_MAGIC: u64 = 0x0102_1994;
pub const RAMFS_MAGIC: u64 = 0x8584_58f6;
pub const PROC_SUPER_MAGIC: u64 = 0x9fa0;
pub const PIPEFS_MAGIC: u64 = 0x5049_5045;
pub const DEVPTS_SUPER_MAGIC: u64 = 0x1cd1;
pub const ANON_INODE_FS_MAGIC: u64 = 0x0904_1934;

/// `f_flags` bits (`ST_*` of statvfs; `ST_VALID` says the field is set).
pub const ST_RDONLY: u64 = 0x0001;
pub const ST_VALID: u64 = 0x0020;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Statfs {
    pub f_type: u64,
    pub f_bsize: u64,
    pub f_blocks: u64,
    pub f_bfree: u64,
    pub f_bavail: u64,
    pub f_files: u64,
    pub f_ffree: u64,
    pub f_fsid: [u32; 2],
    pub f_namelen: u64,
    pub f_frsize: u64,
    pub f_flags: u64,
}

impl Statfs {
    pub const SIZE: usize = 120;

    pub const OFF_TYPE: usize = 0;
    pub const OFF_BSIZE: usize = 8;
    pub const OFF_BLOCKS: usize = 16;
    pub const OFF_BFREE: usize = 24;
    pub const OFF_BAVAIL: usize = 32;
    pub const OFF_FILES: usize = 40;
    pub const OFF_FFREE: usize = 48;
    pub const OFF_FSID: usize = 56;
    pub const OFF_NAMELEN: usize = 64;
    pub const OFF_FRSIZE: usize = 72;
    pub const OFF_FLAGS: usize = 80;
    /// `f_spare[4]`, zero.
    pub const OFF_SPARE: usize = 88;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, Self::OFF_TYPE, self.f_type);
        put_u64(&mut b, Self::OFF_BSIZE, self.f_bsize);
        put_u64(&mut b, Self::OFF_BLOCKS, self.f_blocks);
        put_u64(&mut b, Self::OFF_BFREE, self.f_bfree);
        put_u64(&mut b, Self::OFF_BAVAIL, self.f_bavail);
        put_u64(&mut b, Self::OFF_FILES, self.f_files);
        put_u64(&mut b, Self::OFF_FFREE, self.f_ffree);
        put_u32(&mut b, Self::OFF_FSID, self.f_fsid[0]);
        put_u32(&mut b, Self::OFF_FSID + 4, self.f_fsid[1]);
        put_u64(&mut b, Self::OFF_NAMELEN, self.f_namelen);
        put_u64(&mut b, Self::OFF_FRSIZE, self.f_frsize);
        put_u64(&mut b, Self::OFF_FLAGS, self.f_flags);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self {
            f_type: get_u64(b, Self::OFF_TYPE),
            f_bsize: get_u64(b, Self::OFF_BSIZE),
            f_blocks: get_u64(b, Self::OFF_BLOCKS),
            f_bfree: get_u64(b, Self::OFF_BFREE),
            f_bavail: get_u64(b, Self::OFF_BAVAIL),
            f_files: get_u64(b, Self::OFF_FILES),
            f_ffree: get_u64(b, Self::OFF_FFREE),
            f_fsid: [get_u32(b, Self::OFF_FSID), get_u32(b, Self::OFF_FSID + 4)],
            f_namelen: get_u64(b, Self::OFF_NAMELEN),
            f_frsize: get_u64(b, Self::OFF_FRSIZE),
            f_flags: get_u64(b, Self::OFF_FLAGS),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spare_is_zero() {
        let s = Statfs { f_flags: u64::MAX, ..Default::default() };
        assert_eq!(&s.to_bytes()[88..120], &[0; 32]);
    }

    proptest! {
        #[test]
        fn round_trip(w: [u64; 10], fsid: [u32; 2]) {
            let s = Statfs {
                f_type: w[0], f_bsize: w[1], f_blocks: w[2], f_bfree: w[3], f_bavail: w[4], f_files: w[5],
                f_ffree: w[6], f_fsid: fsid, f_namelen: w[7], f_frsize: w[8], f_flags: w[9],
            };
            prop_assert_eq!(Statfs::from_bytes(&s.to_bytes()), Some(s));
        }

        #[test]
        fn short_input_is_refused(len in 0usize..Statfs::SIZE) {
            prop_assert_eq!(Statfs::from_bytes(&[0u8; Statfs::SIZE][..len]), None);
        }
    }
}
