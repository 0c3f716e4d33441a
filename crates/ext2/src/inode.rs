//! The on-disk inode: type and permissions, owner, size, times, link count,
//! the 15 block pointers (or a fast symlink's target, or a device number)
//! and, in inodes larger than 128 bytes, the extra time fields. The raw
//! record is kept so that writing an inode back preserves the fields not
//! decoded here (in-inode extended attributes among them).

use alloc::vec::Vec;

use crate::bytes::{set_u16, set_u32, u16_at, u32_at};
use crate::timestamp;
use vfs::{FileType, Timestamp};

/// The root directory's inode number.
pub const ROOT_INO: u32 = 2;
/// Pointers in `i_block`.
pub const N_BLOCKS: usize = 15;
/// Bytes of `i_block`, where a fast symlink keeps its target.
pub const INLINE_BYTES: usize = N_BLOCKS * 4;
/// The directory has an htree index (which this implementation does not
/// maintain, so it clears the flag when it changes such a directory).
pub const INDEX_FL: u32 = 0x1000;
/// Size of an inode in revision 0, and of the base record every inode has.
pub const BASE_SIZE: usize = 128;
/// `i_extra_isize` for inodes this implementation creates: room for the
/// extra time fields, as mke2fs and Linux use.
const NEW_EXTRA_ISIZE: u16 = 32;

const S_IFMT: u16 = 0xF000;
const S_IFIFO: u16 = 0x1000;
const S_IFCHR: u16 = 0x2000;
const S_IFDIR: u16 = 0x4000;
const S_IFBLK: u16 = 0x6000;
const S_IFREG: u16 = 0x8000;
const S_IFLNK: u16 = 0xA000;
const S_IFSOCK: u16 = 0xC000;

// Offsets in the record.
const MODE: usize = 0x00;
const UID: usize = 0x02;
const SIZE: usize = 0x04;
const ATIME: usize = 0x08;
const CTIME: usize = 0x0C;
const MTIME: usize = 0x10;
const DTIME: usize = 0x14;
const GID: usize = 0x18;
const LINKS: usize = 0x1A;
const BLOCKS: usize = 0x1C;
const FLAGS: usize = 0x20;
const BLOCK: usize = 0x28;
const GENERATION: usize = 0x64;
const FILE_ACL: usize = 0x68;
const SIZE_HIGH: usize = 0x6C;
const UID_HIGH: usize = 0x78;
const GID_HIGH: usize = 0x7A;
const EXTRA_ISIZE: usize = 0x80;
const CTIME_EXTRA: usize = 0x84;
const MTIME_EXTRA: usize = 0x88;
const ATIME_EXTRA: usize = 0x8C;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inode {
    raw: Vec<u8>,
    /// Type bits and permissions.
    pub mode: u16,
    pub uid: u32,
    pub gid: u32,
    /// Bytes; `i_size_high` counts only for regular files.
    pub size: u64,
    pub atime: Timestamp,
    pub ctime: Timestamp,
    pub mtime: Timestamp,
    pub dtime: u32,
    pub links: u16,
    /// Storage in 512-byte units, indirect and xattr blocks included.
    pub blocks: u32,
    pub flags: u32,
    pub block: [u32; N_BLOCKS],
    pub generation: u32,
    /// The extended-attribute block, 0 for none.
    pub file_acl: u32,
}

impl Inode {
    /// Decodes an inode record (at least [`BASE_SIZE`] bytes; a shorter
    /// one is padded with zeros).
    pub fn parse(raw: &[u8]) -> Inode {
        let mut raw = raw.to_vec();
        if raw.len() < BASE_SIZE {
            raw.resize(BASE_SIZE, 0);
        }
        let mode = u16_at(&raw, MODE);
        let mut size = u64::from(u32_at(&raw, SIZE));
        if mode & S_IFMT == S_IFREG {
            size |= u64::from(u32_at(&raw, SIZE_HIGH)) << 32;
        }
        let mut block = [0; N_BLOCKS];
        for (i, slot) in block.iter_mut().enumerate() {
            *slot = u32_at(&raw, BLOCK + 4 * i);
        }
        let mut inode = Inode {
            mode,
            uid: u32::from(u16_at(&raw, UID)) | u32::from(u16_at(&raw, UID_HIGH)) << 16,
            gid: u32::from(u16_at(&raw, GID)) | u32::from(u16_at(&raw, GID_HIGH)) << 16,
            size,
            atime: Timestamp::EPOCH,
            ctime: Timestamp::EPOCH,
            mtime: Timestamp::EPOCH,
            dtime: u32_at(&raw, DTIME),
            links: u16_at(&raw, LINKS),
            blocks: u32_at(&raw, BLOCKS),
            flags: u32_at(&raw, FLAGS),
            block,
            generation: u32_at(&raw, GENERATION),
            file_acl: u32_at(&raw, FILE_ACL),
            raw,
        };
        inode.atime = timestamp::decode(u32_at(&inode.raw, ATIME), inode.extra(ATIME_EXTRA));
        inode.ctime = timestamp::decode(u32_at(&inode.raw, CTIME), inode.extra(CTIME_EXTRA));
        inode.mtime = timestamp::decode(u32_at(&inode.raw, MTIME), inode.extra(MTIME_EXTRA));
        inode
    }

    /// A zeroed inode of `inode_size` bytes, with room for the extra time
    /// fields when the record has it.
    pub fn empty(inode_size: usize) -> Inode {
        let mut raw = alloc::vec![0u8; inode_size.max(BASE_SIZE)];
        if raw.len() >= BASE_SIZE + usize::from(NEW_EXTRA_ISIZE) {
            set_u16(&mut raw, EXTRA_ISIZE, NEW_EXTRA_ISIZE);
        }
        Inode::parse(&raw)
    }

    /// The record as it goes to disk.
    pub fn serialize(&self) -> Vec<u8> {
        let mut raw = self.raw.clone();
        set_u16(&mut raw, MODE, self.mode);
        set_u16(&mut raw, UID, self.uid as u16);
        set_u16(&mut raw, UID_HIGH, (self.uid >> 16) as u16);
        set_u16(&mut raw, GID, self.gid as u16);
        set_u16(&mut raw, GID_HIGH, (self.gid >> 16) as u16);
        set_u32(&mut raw, SIZE, self.size as u32);
        if self.mode & S_IFMT == S_IFREG {
            set_u32(&mut raw, SIZE_HIGH, (self.size >> 32) as u32);
        }
        for (offset, extra_offset, time) in
            [(ATIME, ATIME_EXTRA, self.atime), (CTIME, CTIME_EXTRA, self.ctime), (MTIME, MTIME_EXTRA, self.mtime)]
        {
            let has_extra = self.extra(extra_offset).is_some();
            let (secs, extra) = timestamp::encode(time, has_extra);
            set_u32(&mut raw, offset, secs);
            if has_extra {
                set_u32(&mut raw, extra_offset, extra);
            }
        }
        set_u32(&mut raw, DTIME, self.dtime);
        set_u16(&mut raw, LINKS, self.links);
        set_u32(&mut raw, BLOCKS, self.blocks);
        set_u32(&mut raw, FLAGS, self.flags);
        for (i, ptr) in self.block.iter().enumerate() {
            set_u32(&mut raw, BLOCK + 4 * i, *ptr);
        }
        set_u32(&mut raw, GENERATION, self.generation);
        set_u32(&mut raw, FILE_ACL, self.file_acl);
        raw
    }

    /// The extra word at `offset` if `i_extra_isize` covers it (and is
    /// itself sane).
    fn extra(&self, offset: usize) -> Option<u32> {
        let extra_isize = usize::from(u16_at(&self.raw, EXTRA_ISIZE));
        let sane = self.raw.len() > BASE_SIZE && extra_isize % 4 == 0 && BASE_SIZE + extra_isize <= self.raw.len();
        (sane && offset + 4 <= BASE_SIZE + extra_isize).then(|| u32_at(&self.raw, offset))
    }

    /// The node's type; `None` for a mode no node may have.
    pub fn file_type(&self) -> Option<FileType> {
        Some(match self.mode & S_IFMT {
            S_IFREG => FileType::Regular,
            S_IFDIR => FileType::Directory,
            S_IFLNK => FileType::Symlink,
            S_IFCHR => FileType::CharDevice,
            S_IFBLK => FileType::BlockDevice,
            S_IFIFO => FileType::Fifo,
            S_IFSOCK => FileType::Socket,
            _ => return None,
        })
    }

    pub fn is_dir(&self) -> bool {
        self.mode & S_IFMT == S_IFDIR
    }

    pub fn is_regular(&self) -> bool {
        self.mode & S_IFMT == S_IFREG
    }

    /// Permission bits without the type.
    pub fn permissions(&self) -> u32 {
        u32::from(self.mode & !S_IFMT)
    }

    pub fn set_permissions(&mut self, mode: u32) {
        self.mode = (self.mode & S_IFMT) | (mode & vfs::PERMISSION_BITS) as u16;
    }

    /// A symlink whose target sits in `i_block`: one that owns no data
    /// block (Linux's rule: `i_blocks` counts only the xattr block, if any).
    pub fn is_fast_symlink(&self, block_size: u32) -> bool {
        let xattr_units = if self.file_acl != 0 { block_size / 512 } else { 0 };
        self.mode & S_IFMT == S_IFLNK && self.blocks == xattr_units
    }

    /// Whether `i_block` holds block pointers (rather than a fast symlink's
    /// target or a device number).
    pub fn has_block_tree(&self, block_size: u32) -> bool {
        match self.mode & S_IFMT {
            S_IFREG | S_IFDIR => true,
            S_IFLNK => !self.is_fast_symlink(block_size),
            _ => false,
        }
    }

    /// `i_block` as bytes, for fast symlinks.
    pub fn inline_bytes(&self) -> [u8; INLINE_BYTES] {
        let mut out = [0; INLINE_BYTES];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.block) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        out
    }

    pub fn set_inline_bytes(&mut self, bytes: &[u8]) {
        let mut padded = [0u8; INLINE_BYTES];
        let n = bytes.len().min(INLINE_BYTES);
        padded[..n].copy_from_slice(&bytes[..n]);
        for (word, chunk) in self.block.iter_mut().zip(padded.chunks_exact(4)) {
            *word = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
    }
}

/// The mode type bits for a file type.
pub fn type_bits(file_type: FileType) -> u16 {
    match file_type {
        FileType::Regular => S_IFREG,
        FileType::Directory => S_IFDIR,
        FileType::Symlink => S_IFLNK,
        FileType::CharDevice => S_IFCHR,
        FileType::BlockDevice => S_IFBLK,
        FileType::Fifo => S_IFIFO,
        FileType::Socket => S_IFSOCK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_extra_fields() {
        let mut inode = Inode::empty(256);
        inode.mode = type_bits(FileType::Regular) | 0o4755;
        inode.uid = 0x1234_5678;
        inode.gid = 70000;
        inode.size = (5 << 32) + 17;
        inode.mtime = Timestamp { secs: 1 << 33, nanos: 42 };
        inode.atime = Timestamp { secs: -100, nanos: 999_999_999 };
        inode.links = 3;
        inode.block[14] = 99;
        let raw = inode.serialize();
        assert_eq!(raw.len(), 256);
        let back = Inode::parse(&raw);
        assert_eq!(back.serialize(), raw);
        assert_eq!((back.mode, back.uid, back.gid, back.size), (inode.mode, inode.uid, inode.gid, inode.size));
        assert_eq!((back.mtime, back.atime, back.links, back.block), (inode.mtime, inode.atime, 3, inode.block));
        assert_eq!(inode.file_type(), Some(FileType::Regular));
        assert_eq!(inode.permissions(), 0o4755);
    }

    #[test]
    fn small_inodes_keep_seconds_only_and_dirs_ignore_size_high() {
        let mut inode = Inode::empty(128);
        inode.mode = type_bits(FileType::Directory) | 0o755;
        inode.mtime = Timestamp { secs: 77, nanos: 5 };
        inode.size = 1024;
        let mut raw = inode.serialize();
        set_u32(&mut raw, SIZE_HIGH, 9);
        let back = Inode::parse(&raw);
        assert_eq!(back.mtime, Timestamp::from_secs(77));
        assert_eq!(back.size, 1024);
    }

    #[test]
    fn inline_bytes_round_trip() {
        let mut inode = Inode::empty(128);
        inode.set_inline_bytes(b"some/target");
        assert_eq!(&inode.inline_bytes()[..11], b"some/target");
        assert!(inode.inline_bytes()[11..].iter().all(|&b| b == 0));
    }
}
