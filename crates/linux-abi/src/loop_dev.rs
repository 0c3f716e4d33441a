//! Block devices and loop devices: the BLK* and LOOP_* ioctl numbers and
//! the layouts of `struct loop_info` (the old one, still what LTP's
//! library uses), `struct loop_info64` and `struct loop_config`
//! (<linux/loop.h>, <linux/fs.h>; offsets checked with the host's headers).

use crate::wire::{get_i32, get_u32, get_u64, put_i32, put_u32, put_u64};

// <linux/fs.h>
pub const BLKROSET: u32 = 0x125d;
pub const BLKROGET: u32 = 0x125e;
pub const BLKRRPART: u32 = 0x125f;
pub const BLKGETSIZE: u32 = 0x1260;
pub const BLKFLSBUF: u32 = 0x1261;
pub const BLKRASET: u32 = 0x1262;
pub const BLKRAGET: u32 = 0x1263;
pub const BLKSSZGET: u32 = 0x1268;
pub const BLKBSZGET: u32 = 0x8008_1270;
pub const BLKGETSIZE64: u32 = 0x8008_1272;
pub const BLKDISCARD: u32 = 0x1277;
pub const BLKIOMIN: u32 = 0x1278;
pub const BLKIOOPT: u32 = 0x1279;
pub const BLKALIGNOFF: u32 = 0x127a;
pub const BLKPBSZGET: u32 = 0x127b;
pub const BLKZEROOUT: u32 = 0x127f;

// <linux/loop.h>
pub const LOOP_SET_FD: u32 = 0x4c00;
pub const LOOP_CLR_FD: u32 = 0x4c01;
pub const LOOP_SET_STATUS: u32 = 0x4c02;
pub const LOOP_GET_STATUS: u32 = 0x4c03;
pub const LOOP_SET_STATUS64: u32 = 0x4c04;
pub const LOOP_GET_STATUS64: u32 = 0x4c05;
pub const LOOP_CHANGE_FD: u32 = 0x4c06;
pub const LOOP_SET_CAPACITY: u32 = 0x4c07;
pub const LOOP_SET_DIRECT_IO: u32 = 0x4c08;
pub const LOOP_SET_BLOCK_SIZE: u32 = 0x4c09;
pub const LOOP_CONFIGURE: u32 = 0x4c0a;
pub const LOOP_CTL_ADD: u32 = 0x4c80;
pub const LOOP_CTL_REMOVE: u32 = 0x4c81;
pub const LOOP_CTL_GET_FREE: u32 = 0x4c82;

pub const LO_FLAGS_READ_ONLY: u32 = 1;
pub const LO_FLAGS_AUTOCLEAR: u32 = 4;
pub const LO_FLAGS_PARTSCAN: u32 = 8;
pub const LO_FLAGS_DIRECT_IO: u32 = 16;

/// The loop devices' block major, and the loop-control node's (misc) numbers.
pub const LOOP_MAJOR: u32 = 7;
pub const MISC_MAJOR: u32 = 10;
pub const LOOP_CTRL_MINOR: u32 = 237;

pub const LO_NAME_SIZE: usize = 64;
pub const LO_KEY_SIZE: usize = 32;

/// `struct loop_info64`, field by field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoopInfo64 {
    pub device: u64,
    pub inode: u64,
    pub rdevice: u64,
    pub offset: u64,
    pub sizelimit: u64,
    pub number: u32,
    pub encrypt_type: u32,
    pub encrypt_key_size: u32,
    pub flags: u32,
    pub file_name: [u8; LO_NAME_SIZE],
    pub crypt_name: [u8; LO_NAME_SIZE],
    pub encrypt_key: [u8; LO_KEY_SIZE],
    pub init: [u64; 2],
}

impl Default for LoopInfo64 {
    fn default() -> Self {
        LoopInfo64 {
            device: 0,
            inode: 0,
            rdevice: 0,
            offset: 0,
            sizelimit: 0,
            number: 0,
            encrypt_type: 0,
            encrypt_key_size: 0,
            flags: 0,
            file_name: [0; LO_NAME_SIZE],
            crypt_name: [0; LO_NAME_SIZE],
            encrypt_key: [0; LO_KEY_SIZE],
            init: [0; 2],
        }
    }
}

impl LoopInfo64 {
    pub const SIZE: usize = 232;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.device);
        put_u64(&mut b, 8, self.inode);
        put_u64(&mut b, 16, self.rdevice);
        put_u64(&mut b, 24, self.offset);
        put_u64(&mut b, 32, self.sizelimit);
        put_u32(&mut b, 40, self.number);
        put_u32(&mut b, 44, self.encrypt_type);
        put_u32(&mut b, 48, self.encrypt_key_size);
        put_u32(&mut b, 52, self.flags);
        b[56..120].copy_from_slice(&self.file_name);
        b[120..184].copy_from_slice(&self.crypt_name);
        b[184..216].copy_from_slice(&self.encrypt_key);
        put_u64(&mut b, 216, self.init[0]);
        put_u64(&mut b, 224, self.init[1]);
        b
    }

    pub fn from_bytes(b: &[u8; Self::SIZE]) -> Self {
        let mut info = LoopInfo64 {
            device: get_u64(b, 0),
            inode: get_u64(b, 8),
            rdevice: get_u64(b, 16),
            offset: get_u64(b, 24),
            sizelimit: get_u64(b, 32),
            number: get_u32(b, 40),
            encrypt_type: get_u32(b, 44),
            encrypt_key_size: get_u32(b, 48),
            flags: get_u32(b, 52),
            init: [get_u64(b, 216), get_u64(b, 224)],
            ..Default::default()
        };
        info.file_name.copy_from_slice(&b[56..120]);
        info.crypt_name.copy_from_slice(&b[120..184]);
        info.encrypt_key.copy_from_slice(&b[184..216]);
        info
    }
}

/// `struct loop_info` (the old layout: int and `unsigned long` fields,
/// one name, a 32-bit offset), converted to and from [`LoopInfo64`].
pub struct LoopInfo;

impl LoopInfo {
    pub const SIZE: usize = 168;

    pub fn to_bytes(info: &LoopInfo64) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_i32(&mut b, 0, info.number as i32);
        put_u64(&mut b, 8, info.device);
        put_u64(&mut b, 16, info.inode);
        put_u64(&mut b, 24, info.rdevice);
        put_i32(&mut b, 32, info.offset as i32);
        put_i32(&mut b, 36, info.encrypt_type as i32);
        put_i32(&mut b, 40, info.encrypt_key_size as i32);
        put_i32(&mut b, 44, info.flags as i32);
        b[48..112].copy_from_slice(&info.file_name);
        b[112..144].copy_from_slice(&info.encrypt_key);
        put_u64(&mut b, 144, info.init[0]);
        put_u64(&mut b, 152, info.init[1]);
        b
    }

    /// The settings a LOOP_SET_STATUS carries; a negative offset is
    /// refused by the caller (Linux: EINVAL), so it is returned as is.
    pub fn from_bytes(b: &[u8; Self::SIZE]) -> (LoopInfo64, i32) {
        let mut info = LoopInfo64 {
            number: get_i32(b, 0) as u32,
            device: get_u64(b, 8),
            inode: get_u64(b, 16),
            rdevice: get_u64(b, 24),
            offset: get_i32(b, 32).max(0) as u64,
            encrypt_type: get_i32(b, 36) as u32,
            encrypt_key_size: get_i32(b, 40) as u32,
            flags: get_i32(b, 44) as u32,
            init: [get_u64(b, 144), get_u64(b, 152)],
            ..Default::default()
        };
        info.file_name.copy_from_slice(&b[48..112]);
        info.encrypt_key.copy_from_slice(&b[112..144]);
        (info, get_i32(b, 32))
    }
}

/// `struct loop_config`: a descriptor, a block size and the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoopConfig {
    pub fd: u32,
    pub block_size: u32,
    pub info: LoopInfo64,
    /// Whether the reserved tail is all zero (Linux refuses it otherwise).
    pub reserved_clear: bool,
}

impl LoopConfig {
    pub const SIZE: usize = 304;

    pub fn from_bytes(b: &[u8; Self::SIZE]) -> Self {
        let mut info = [0u8; LoopInfo64::SIZE];
        info.copy_from_slice(&b[8..8 + LoopInfo64::SIZE]);
        LoopConfig {
            fd: get_u32(b, 0),
            block_size: get_u32(b, 4),
            info: LoopInfo64::from_bytes(&info),
            reserved_clear: b[240..].iter().all(|&x| x == 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn info(seed: u64) -> LoopInfo64 {
        let mut i = LoopInfo64 {
            device: seed,
            inode: seed ^ 1,
            rdevice: seed ^ 2,
            offset: seed ^ 3,
            sizelimit: seed ^ 4,
            number: seed as u32,
            encrypt_type: 5,
            encrypt_key_size: 6,
            flags: 7,
            init: [8, 9],
            ..Default::default()
        };
        i.file_name[..4].copy_from_slice(b"file");
        i.crypt_name[..5].copy_from_slice(b"crypt");
        i.encrypt_key[31] = 0xaa;
        i
    }

    #[test]
    fn info64_fields_sit_where_linux_puts_them() {
        let b = info(0x1122_3344_5566_7788).to_bytes();
        assert_eq!(get_u64(&b, 0), 0x1122_3344_5566_7788);
        assert_eq!(get_u64(&b, 24), 0x1122_3344_5566_7788 ^ 3);
        assert_eq!(get_u32(&b, 40), 0x5566_7788);
        assert_eq!(get_u32(&b, 52), 7);
        assert_eq!(&b[56..60], b"file");
        assert_eq!(&b[120..125], b"crypt");
        assert_eq!(b[215], 0xaa);
        assert_eq!(get_u64(&b, 224), 9);
    }

    #[test]
    fn old_info_keeps_the_name_and_a_32_bit_offset() {
        let mut i = info(3);
        i.offset = 4096;
        let b = LoopInfo::to_bytes(&i);
        assert_eq!(get_i32(&b, 32), 4096);
        assert_eq!(&b[48..52], b"file");
        let (back, raw) = LoopInfo::from_bytes(&b);
        assert_eq!((back.offset, raw, back.file_name, back.flags), (4096, 4096, i.file_name, 7));
        let mut neg = b;
        put_i32(&mut neg, 32, -1);
        assert_eq!(LoopInfo::from_bytes(&neg).1, -1);
    }

    #[test]
    fn config_reads_fd_block_size_and_reserved() {
        let mut b = [0u8; LoopConfig::SIZE];
        put_u32(&mut b, 0, 5);
        put_u32(&mut b, 4, 4096);
        b[8..8 + LoopInfo64::SIZE].copy_from_slice(&info(1).to_bytes());
        let c = LoopConfig::from_bytes(&b);
        assert_eq!((c.fd, c.block_size, c.info, c.reserved_clear), (5, 4096, info(1), true));
        b[300] = 1;
        assert!(!LoopConfig::from_bytes(&b).reserved_clear);
    }

    proptest! {
        #[test]
        fn info64_round_trips(bytes in proptest::collection::vec(any::<u8>(), LoopInfo64::SIZE)) {
            let mut b = [0u8; LoopInfo64::SIZE];
            b.copy_from_slice(&bytes);
            prop_assert_eq!(LoopInfo64::from_bytes(&b).to_bytes(), b);
        }
    }
}
