//! The superblock: 1024 bytes at byte 1024 of the device, describing the
//! whole volume. Only the fields this implementation uses are decoded; the
//! raw bytes are kept so that writing it back preserves everything else
//! (UUID, label, hash seed, ...).

use alloc::vec::Vec;

use crate::bytes::{set_u16, set_u32, u16_at, u32_at};
use vfs::Error;

/// Where the superblock starts on the device, whatever the block size.
pub const SUPERBLOCK_OFFSET: u64 = 1024;
pub const SUPERBLOCK_SIZE: usize = 1024;
pub const MAGIC: u16 = 0xEF53;

/// `s_state`: cleanly unmounted (or synced).
pub const STATE_VALID: u16 = 0x0001;

/// Revision 0: fixed 128-byte inodes, first usable inode 11, no features.
pub const REV_GOOD_OLD: u32 = 0;
/// Revision 1: variable inode size and feature flags.
pub const REV_DYNAMIC: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Superblock {
    raw: Vec<u8>,
    pub inodes_count: u32,
    pub blocks_count: u32,
    pub free_blocks: u32,
    pub free_inodes: u32,
    pub first_data_block: u32,
    pub log_block_size: u32,
    pub blocks_per_group: u32,
    pub inodes_per_group: u32,
    pub mtime: u32,
    pub wtime: u32,
    pub mnt_count: u16,
    pub magic: u16,
    pub state: u16,
    pub rev_level: u32,
    pub first_ino: u32,
    pub inode_size: u16,
    pub feature_compat: u32,
    pub feature_incompat: u32,
    pub feature_ro_compat: u32,
}

impl Superblock {
    /// Decodes the superblock. Only the magic number is checked here; the
    /// geometry is checked by [`crate::layout::Layout::new`].
    pub fn parse(raw: &[u8]) -> Result<Superblock, Error> {
        let raw = raw.get(..SUPERBLOCK_SIZE).ok_or(Error::Corrupted)?;
        let sb = Superblock {
            raw: raw.to_vec(),
            inodes_count: u32_at(raw, 0),
            blocks_count: u32_at(raw, 4),
            free_blocks: u32_at(raw, 12),
            free_inodes: u32_at(raw, 16),
            first_data_block: u32_at(raw, 20),
            log_block_size: u32_at(raw, 24),
            blocks_per_group: u32_at(raw, 32),
            inodes_per_group: u32_at(raw, 40),
            mtime: u32_at(raw, 44),
            wtime: u32_at(raw, 48),
            mnt_count: u16_at(raw, 52),
            magic: u16_at(raw, 56),
            state: u16_at(raw, 58),
            rev_level: u32_at(raw, 76),
            first_ino: u32_at(raw, 84),
            inode_size: u16_at(raw, 88),
            feature_compat: u32_at(raw, 92),
            feature_incompat: u32_at(raw, 96),
            feature_ro_compat: u32_at(raw, 100),
        };
        if sb.magic != MAGIC {
            return Err(Error::Corrupted);
        }
        Ok(sb)
    }

    /// The superblock as it goes to disk: the raw bytes read at mount with
    /// the decoded fields written over them.
    pub fn serialize(&self) -> Vec<u8> {
        let mut raw = self.raw.clone();
        set_u32(&mut raw, 0, self.inodes_count);
        set_u32(&mut raw, 4, self.blocks_count);
        set_u32(&mut raw, 12, self.free_blocks);
        set_u32(&mut raw, 16, self.free_inodes);
        set_u32(&mut raw, 20, self.first_data_block);
        set_u32(&mut raw, 24, self.log_block_size);
        set_u32(&mut raw, 32, self.blocks_per_group);
        set_u32(&mut raw, 40, self.inodes_per_group);
        set_u32(&mut raw, 44, self.mtime);
        set_u32(&mut raw, 48, self.wtime);
        set_u16(&mut raw, 52, self.mnt_count);
        set_u16(&mut raw, 56, self.magic);
        set_u16(&mut raw, 58, self.state);
        set_u32(&mut raw, 76, self.rev_level);
        set_u32(&mut raw, 84, self.first_ino);
        set_u16(&mut raw, 88, self.inode_size);
        set_u32(&mut raw, 92, self.feature_compat);
        set_u32(&mut raw, 96, self.feature_incompat);
        set_u32(&mut raw, 100, self.feature_ro_compat);
        raw
    }
}

/// Seconds since the epoch as the superblock's 32-bit time fields hold
/// them: clamped, since they cannot say more.
pub fn superblock_time(now: vfs::Timestamp) -> u32 {
    now.secs.clamp(0, i64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_unknown_bytes() {
        let mut raw = alloc::vec![0xA5u8; SUPERBLOCK_SIZE];
        set_u16(&mut raw, 56, MAGIC);
        let mut sb = Superblock::parse(&raw).unwrap();
        assert_eq!(sb.serialize(), raw);
        sb.free_blocks = 7;
        sb.state = STATE_VALID;
        let out = sb.serialize();
        assert_eq!(u32_at(&out, 12), 7);
        assert_eq!(u16_at(&out, 58), STATE_VALID);
        assert_eq!(out[200..], raw[200..]);
        let back = Superblock::parse(&out).unwrap();
        assert_eq!((back.free_blocks, back.state), (7, STATE_VALID));
        assert_eq!(back.serialize(), out);
    }

    #[test]
    fn bad_magic_or_short_buffer_is_corrupted() {
        assert_eq!(Superblock::parse(&[0; SUPERBLOCK_SIZE]), Err(Error::Corrupted));
        assert_eq!(Superblock::parse(&[0; 10]), Err(Error::Corrupted));
    }
}
