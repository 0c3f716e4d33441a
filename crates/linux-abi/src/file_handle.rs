//! `name_to_handle_at`/`open_by_handle_at` (`fcntl.h`, `linux/exportfs.h`):
//! the `struct file_handle` header, its flags, and the handle Helctic puts
//! in it.

use crate::wire::{get_u32, get_u64, put_u32, put_u64};

/// The largest `handle_bytes` either call accepts.
pub const MAX_HANDLE_SZ: u32 = 128;

/// name_to_handle_at: report the 64-bit unique mount id.
pub const AT_HANDLE_MNT_ID_UNIQUE: u32 = 0x001;
/// name_to_handle_at: a handle that can also find the path (a parent).
pub const AT_HANDLE_CONNECTABLE: u32 = 0x002;
/// name_to_handle_at: a handle only to compare, never to open (the same
/// bit as `AT_REMOVEDIR`).
pub const AT_HANDLE_FID: u32 = 0x200;

/// `handle_type` flags the kernel adds in the high 16 bits.
pub const FILEID_IS_CONNECTABLE: i32 = 0x10000;
pub const FILEID_IS_DIR: i32 = 0x20000;
/// The user flags open_by_handle_at accepts.
pub const FILEID_VALID_USER_FLAGS: i32 = FILEID_IS_CONNECTABLE | FILEID_IS_DIR;

/// Linux's FILEID_INO64_GEN: a 64-bit inode number and a generation.
pub const FILEID_INO64_GEN: i32 = 0x81;

/// `struct file_handle`'s fixed part; the handle bytes follow it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileHandleHeader {
    pub handle_bytes: u32,
    pub handle_type: i32,
}

impl FileHandleHeader {
    pub const SIZE: usize = 8;

    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        (b.len() >= Self::SIZE)
            .then(|| FileHandleHeader { handle_bytes: get_u32(b, 0), handle_type: get_u32(b, 4) as i32 })
    }

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u32(&mut b, 0, self.handle_bytes);
        put_u32(&mut b, 4, self.handle_type as u32);
        b
    }
}

/// What a Helctic handle holds (type `FILEID_INO64_GEN`): the inode
/// number, its generation, and the file system it is on (so a handle shown
/// to another file system's anchor is stale instead of naming whatever has
/// that number there).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InodeHandle {
    pub ino: u64,
    pub generation: u32,
    pub fs: u32,
}

impl InodeHandle {
    pub const SIZE: usize = 16;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.ino);
        put_u32(&mut b, 8, self.generation);
        put_u32(&mut b, 12, self.fs);
        b
    }

    /// None for a handle of another length.
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        (b.len() == Self::SIZE).then(|| InodeHandle {
            ino: get_u64(b, 0),
            generation: get_u32(b, 8),
            fs: get_u32(b, 12),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn flags_as_linux() {
        assert_eq!(AT_HANDLE_FID, crate::fcntl::AT_REMOVEDIR);
        assert_eq!(
            FileHandleHeader { handle_bytes: 16, handle_type: -1 }.to_bytes(),
            [16, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]
        );
    }

    proptest! {
        #[test]
        fn handles_round_trip(ino: u64, generation: u32, fs: u32) {
            let h = InodeHandle { ino, generation, fs };
            prop_assert_eq!(InodeHandle::from_bytes(&h.to_bytes()), Some(h));
            prop_assert_eq!(InodeHandle::from_bytes(&h.to_bytes()[..15]), None);
        }
    }
}
