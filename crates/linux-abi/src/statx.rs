//! `struct statx` and its request/result masks (`linux/stat.h`).
//!
//! 256 bytes, the same on every architecture. The caller asks for fields with
//! a `STATX_*` mask; the kernel fills what it can, reports what it filled in
//! `stx_mask`, and zeroes the rest (including all spare space). Fields added
//! later sit in what used to be spare space, so an older kernel leaves them
//! zero and does not set their mask bit.
//!
//! ```text
//!   0 stx_mask u32          4 stx_blksize u32       8 stx_attributes u64
//!  16 stx_nlink u32        20 stx_uid u32          24 stx_gid u32
//!  28 stx_mode u16         30 spare u16            32 stx_ino u64
//!  40 stx_size u64         48 stx_blocks u64       56 stx_attributes_mask u64
//!  64 stx_atime  80 stx_btime  96 stx_ctime  112 stx_mtime   (16 bytes each)
//! 128 stx_rdev_major u32  132 stx_rdev_minor u32  136 stx_dev_major u32
//! 140 stx_dev_minor u32   144 stx_mnt_id u64      152 stx_dio_mem_align u32
//! 156 stx_dio_offset_align u32                    160 stx_subvol u64
//! 168 stx_atomic_write_unit_min u32               172 stx_atomic_write_unit_max u32
//! 176 stx_atomic_write_segments_max u32           180 stx_dio_read_offset_align u32
//! 184 stx_atomic_write_unit_max_opt u32           188 spare u32
//! 192..256 spare
//! ```

use crate::wire::{get_i64, get_u16, get_u32, get_u64, prefix, put_i32, put_i64, put_u16, put_u32, put_u64};

pub const STATX_TYPE: u32 = 0x0000_0001;
pub const STATX_MODE: u32 = 0x0000_0002;
pub const STATX_NLINK: u32 = 0x0000_0004;
pub const STATX_UID: u32 = 0x0000_0008;
pub const STATX_GID: u32 = 0x0000_0010;
pub const STATX_ATIME: u32 = 0x0000_0020;
pub const STATX_MTIME: u32 = 0x0000_0040;
pub const STATX_CTIME: u32 = 0x0000_0080;
pub const STATX_INO: u32 = 0x0000_0100;
pub const STATX_SIZE: u32 = 0x0000_0200;
pub const STATX_BLOCKS: u32 = 0x0000_0400;
/// Everything `struct stat` has.
pub const STATX_BASIC_STATS: u32 = 0x0000_07ff;
pub const STATX_BTIME: u32 = 0x0000_0800;
/// Deprecated by the kernel (it grows); kept for old callers.
pub const STATX_ALL: u32 = 0x0000_0fff;
pub const STATX_MNT_ID: u32 = 0x0000_1000;
pub const STATX_DIOALIGN: u32 = 0x0000_2000;
pub const STATX_MNT_ID_UNIQUE: u32 = 0x0000_4000;
pub const STATX_SUBVOL: u32 = 0x0000_8000;
pub const STATX_WRITE_ATOMIC: u32 = 0x0001_0000;
pub const STATX_DIO_READ_ALIGN: u32 = 0x0002_0000;
/// Reserved for a future, bigger `struct statx`: asking for it is EINVAL.
pub const STATX__RESERVED: u32 = 0x8000_0000;

// stx_attributes bits (values are those of the FS_*_FL inode flags where one exists).
pub const STATX_ATTR_COMPRESSED: u64 = 0x0000_0004;
pub const STATX_ATTR_IMMUTABLE: u64 = 0x0000_0010;
pub const STATX_ATTR_APPEND: u64 = 0x0000_0020;
pub const STATX_ATTR_NODUMP: u64 = 0x0000_0040;
pub const STATX_ATTR_ENCRYPTED: u64 = 0x0000_0800;
pub const STATX_ATTR_AUTOMOUNT: u64 = 0x0000_1000;
pub const STATX_ATTR_MOUNT_ROOT: u64 = 0x0000_2000;
pub const STATX_ATTR_VERITY: u64 = 0x0010_0000;
pub const STATX_ATTR_DAX: u64 = 0x0020_0000;
pub const STATX_ATTR_WRITE_ATOMIC: u64 = 0x0040_0000;

// statx() `flags` bits that choose how hard to synchronise with a remote
// file system (the AT_* path flags are in crate::fcntl).
pub const AT_STATX_SYNC_TYPE: u32 = 0x6000;
pub const AT_STATX_SYNC_AS_STAT: u32 = 0x0000;
pub const AT_STATX_FORCE_SYNC: u32 = 0x2000;
pub const AT_STATX_DONT_SYNC: u32 = 0x4000;

/// `struct statx_timestamp`: like a timespec but with a 32-bit `tv_nsec`
/// and a reserved word (16 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatxTimestamp {
    pub tv_sec: i64,
    pub tv_nsec: u32,
}

impl StatxTimestamp {
    pub const SIZE: usize = 16;

    fn put(&self, b: &mut [u8], off: usize) {
        put_i64(b, off, self.tv_sec);
        put_u32(b, off + 8, self.tv_nsec);
        put_i32(b, off + 12, 0);
    }

    fn get(b: &[u8], off: usize) -> Self {
        // The reserved word at off + 12 is never read: it carries nothing.
        Self { tv_sec: get_i64(b, off), tv_nsec: get_u32(b, off + 8) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Statx {
    pub stx_mask: u32,
    pub stx_blksize: u32,
    pub stx_attributes: u64,
    pub stx_nlink: u32,
    pub stx_uid: u32,
    pub stx_gid: u32,
    pub stx_mode: u16,
    pub stx_ino: u64,
    pub stx_size: u64,
    pub stx_blocks: u64,
    pub stx_attributes_mask: u64,
    pub stx_atime: StatxTimestamp,
    pub stx_btime: StatxTimestamp,
    pub stx_ctime: StatxTimestamp,
    pub stx_mtime: StatxTimestamp,
    pub stx_rdev_major: u32,
    pub stx_rdev_minor: u32,
    pub stx_dev_major: u32,
    pub stx_dev_minor: u32,
    pub stx_mnt_id: u64,
    pub stx_dio_mem_align: u32,
    pub stx_dio_offset_align: u32,
    pub stx_subvol: u64,
    pub stx_atomic_write_unit_min: u32,
    pub stx_atomic_write_unit_max: u32,
    pub stx_atomic_write_segments_max: u32,
    pub stx_dio_read_offset_align: u32,
    pub stx_atomic_write_unit_max_opt: u32,
}

impl Statx {
    pub const SIZE: usize = 256;

    pub const OFF_MASK: usize = 0;
    pub const OFF_BLKSIZE: usize = 4;
    pub const OFF_ATTRIBUTES: usize = 8;
    pub const OFF_NLINK: usize = 16;
    pub const OFF_UID: usize = 20;
    pub const OFF_GID: usize = 24;
    pub const OFF_MODE: usize = 28;
    pub const OFF_INO: usize = 32;
    pub const OFF_SIZE: usize = 40;
    pub const OFF_BLOCKS: usize = 48;
    pub const OFF_ATTRIBUTES_MASK: usize = 56;
    pub const OFF_ATIME: usize = 64;
    pub const OFF_BTIME: usize = 80;
    pub const OFF_CTIME: usize = 96;
    pub const OFF_MTIME: usize = 112;
    pub const OFF_RDEV_MAJOR: usize = 128;
    pub const OFF_RDEV_MINOR: usize = 132;
    pub const OFF_DEV_MAJOR: usize = 136;
    pub const OFF_DEV_MINOR: usize = 140;
    pub const OFF_MNT_ID: usize = 144;
    pub const OFF_DIO_MEM_ALIGN: usize = 152;
    pub const OFF_DIO_OFFSET_ALIGN: usize = 156;
    pub const OFF_SUBVOL: usize = 160;
    pub const OFF_ATOMIC_WRITE_UNIT_MIN: usize = 168;
    pub const OFF_ATOMIC_WRITE_UNIT_MAX: usize = 172;
    pub const OFF_ATOMIC_WRITE_SEGMENTS_MAX: usize = 176;
    pub const OFF_DIO_READ_OFFSET_ALIGN: usize = 180;
    pub const OFF_ATOMIC_WRITE_UNIT_MAX_OPT: usize = 184;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u32(&mut b, Self::OFF_MASK, self.stx_mask);
        put_u32(&mut b, Self::OFF_BLKSIZE, self.stx_blksize);
        put_u64(&mut b, Self::OFF_ATTRIBUTES, self.stx_attributes);
        put_u32(&mut b, Self::OFF_NLINK, self.stx_nlink);
        put_u32(&mut b, Self::OFF_UID, self.stx_uid);
        put_u32(&mut b, Self::OFF_GID, self.stx_gid);
        put_u16(&mut b, Self::OFF_MODE, self.stx_mode);
        put_u64(&mut b, Self::OFF_INO, self.stx_ino);
        put_u64(&mut b, Self::OFF_SIZE, self.stx_size);
        put_u64(&mut b, Self::OFF_BLOCKS, self.stx_blocks);
        put_u64(&mut b, Self::OFF_ATTRIBUTES_MASK, self.stx_attributes_mask);
        self.stx_atime.put(&mut b, Self::OFF_ATIME);
        self.stx_btime.put(&mut b, Self::OFF_BTIME);
        self.stx_ctime.put(&mut b, Self::OFF_CTIME);
        self.stx_mtime.put(&mut b, Self::OFF_MTIME);
        put_u32(&mut b, Self::OFF_RDEV_MAJOR, self.stx_rdev_major);
        put_u32(&mut b, Self::OFF_RDEV_MINOR, self.stx_rdev_minor);
        put_u32(&mut b, Self::OFF_DEV_MAJOR, self.stx_dev_major);
        put_u32(&mut b, Self::OFF_DEV_MINOR, self.stx_dev_minor);
        put_u64(&mut b, Self::OFF_MNT_ID, self.stx_mnt_id);
        put_u32(&mut b, Self::OFF_DIO_MEM_ALIGN, self.stx_dio_mem_align);
        put_u32(&mut b, Self::OFF_DIO_OFFSET_ALIGN, self.stx_dio_offset_align);
        put_u64(&mut b, Self::OFF_SUBVOL, self.stx_subvol);
        put_u32(&mut b, Self::OFF_ATOMIC_WRITE_UNIT_MIN, self.stx_atomic_write_unit_min);
        put_u32(&mut b, Self::OFF_ATOMIC_WRITE_UNIT_MAX, self.stx_atomic_write_unit_max);
        put_u32(&mut b, Self::OFF_ATOMIC_WRITE_SEGMENTS_MAX, self.stx_atomic_write_segments_max);
        put_u32(&mut b, Self::OFF_DIO_READ_OFFSET_ALIGN, self.stx_dio_read_offset_align);
        put_u32(&mut b, Self::OFF_ATOMIC_WRITE_UNIT_MAX_OPT, self.stx_atomic_write_unit_max_opt);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self {
            stx_mask: get_u32(b, Self::OFF_MASK),
            stx_blksize: get_u32(b, Self::OFF_BLKSIZE),
            stx_attributes: get_u64(b, Self::OFF_ATTRIBUTES),
            stx_nlink: get_u32(b, Self::OFF_NLINK),
            stx_uid: get_u32(b, Self::OFF_UID),
            stx_gid: get_u32(b, Self::OFF_GID),
            stx_mode: get_u16(b, Self::OFF_MODE),
            stx_ino: get_u64(b, Self::OFF_INO),
            stx_size: get_u64(b, Self::OFF_SIZE),
            stx_blocks: get_u64(b, Self::OFF_BLOCKS),
            stx_attributes_mask: get_u64(b, Self::OFF_ATTRIBUTES_MASK),
            stx_atime: StatxTimestamp::get(b, Self::OFF_ATIME),
            stx_btime: StatxTimestamp::get(b, Self::OFF_BTIME),
            stx_ctime: StatxTimestamp::get(b, Self::OFF_CTIME),
            stx_mtime: StatxTimestamp::get(b, Self::OFF_MTIME),
            stx_rdev_major: get_u32(b, Self::OFF_RDEV_MAJOR),
            stx_rdev_minor: get_u32(b, Self::OFF_RDEV_MINOR),
            stx_dev_major: get_u32(b, Self::OFF_DEV_MAJOR),
            stx_dev_minor: get_u32(b, Self::OFF_DEV_MINOR),
            stx_mnt_id: get_u64(b, Self::OFF_MNT_ID),
            stx_dio_mem_align: get_u32(b, Self::OFF_DIO_MEM_ALIGN),
            stx_dio_offset_align: get_u32(b, Self::OFF_DIO_OFFSET_ALIGN),
            stx_subvol: get_u64(b, Self::OFF_SUBVOL),
            stx_atomic_write_unit_min: get_u32(b, Self::OFF_ATOMIC_WRITE_UNIT_MIN),
            stx_atomic_write_unit_max: get_u32(b, Self::OFF_ATOMIC_WRITE_UNIT_MAX),
            stx_atomic_write_segments_max: get_u32(b, Self::OFF_ATOMIC_WRITE_SEGMENTS_MAX),
            stx_dio_read_offset_align: get_u32(b, Self::OFF_DIO_READ_OFFSET_ALIGN),
            stx_atomic_write_unit_max_opt: get_u32(b, Self::OFF_ATOMIC_WRITE_UNIT_MAX_OPT),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spare_space_is_zero() {
        let s = Statx { stx_mode: 0xffff, stx_atomic_write_unit_max_opt: u32::MAX, ..Default::default() };
        let b = s.to_bytes();
        assert_eq!(&b[30..32], &[0, 0]);
        assert_eq!(&b[188..256], &[0; 68][..]);
        assert_eq!(STATX_BASIC_STATS, 0x7ff);
        assert_eq!(STATX_ALL, STATX_BASIC_STATS | STATX_BTIME);
    }

    fn ts() -> impl Strategy<Value = StatxTimestamp> {
        (any::<i64>(), any::<u32>()).prop_map(|(s, n)| StatxTimestamp { tv_sec: s, tv_nsec: n })
    }

    proptest! {
        #[test]
        fn round_trip(u: [u32; 16], w: [u64; 8], mode: u16, t in proptest::array::uniform4(ts())) {
            let s = Statx {
                stx_mask: u[0], stx_blksize: u[1], stx_attributes: w[0], stx_nlink: u[2], stx_uid: u[3],
                stx_gid: u[4], stx_mode: mode, stx_ino: w[1], stx_size: w[2], stx_blocks: w[3],
                stx_attributes_mask: w[4], stx_atime: t[0], stx_btime: t[1], stx_ctime: t[2], stx_mtime: t[3],
                stx_rdev_major: u[5], stx_rdev_minor: u[6], stx_dev_major: u[7], stx_dev_minor: u[8],
                stx_mnt_id: w[5], stx_dio_mem_align: u[9], stx_dio_offset_align: u[10], stx_subvol: w[6],
                stx_atomic_write_unit_min: u[11], stx_atomic_write_unit_max: u[12],
                stx_atomic_write_segments_max: u[13], stx_dio_read_offset_align: u[14],
                stx_atomic_write_unit_max_opt: u[15],
            };
            prop_assert_eq!(Statx::from_bytes(&s.to_bytes()), Some(s));
        }
    }
}
