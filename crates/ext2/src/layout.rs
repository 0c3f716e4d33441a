//! The volume's geometry, derived from the superblock and checked once at
//! mount: block size, groups, where the group descriptor table is, inode
//! size and the largest file. Everything else trusts a [`Layout`], so each
//! number here is validated against the others and against the device.

use crate::superblock::{Superblock, REV_DYNAMIC, REV_GOOD_OLD, SUPERBLOCK_OFFSET};
use vfs::Error;

/// Size of a group descriptor without the `64bit` feature.
pub const GROUP_DESC_SIZE: u32 = 32;
/// Inode size and first usable inode of revision 0.
const GOOD_OLD_INODE_SIZE: u32 = 128;
const GOOD_OLD_FIRST_INO: u32 = 11;
/// Group descriptors count free blocks and inodes in 16 bits, so a group
/// cannot hold more (mke2fs keeps below this too).
const MAX_PER_GROUP: u32 = 65528;
/// Pointers in `i_block`: 12 direct, then single, double, triple indirect.
pub const DIRECT_BLOCKS: u64 = 12;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub block_size: u32,
    pub blocks_count: u32,
    pub first_data_block: u32,
    pub blocks_per_group: u32,
    pub inodes_per_group: u32,
    pub inodes_count: u32,
    pub group_count: u32,
    pub inode_size: u32,
    pub first_ino: u32,
    /// Blocks of the primary group descriptor table, right after the
    /// superblock's block.
    pub gdt_blocks: u32,
    /// Blocks each group's inode table takes.
    pub inode_table_blocks: u32,
    /// Whether `i_size_high` may hold the upper half of a file's size.
    pub dynamic_rev: bool,
}

impl Layout {
    /// Checks the superblock's geometry against itself and the device.
    pub fn new(sb: &Superblock, device_size: u64) -> Result<Layout, Error> {
        if sb.rev_level > REV_DYNAMIC {
            return Err(Error::NotSupported);
        }
        if sb.log_block_size > 6 {
            return Err(Error::Corrupted);
        }
        // 64 KiB blocks need a special encoding of directory record
        // lengths (65536 does not fit in 16 bits), which is not done here.
        if sb.log_block_size > 5 {
            return Err(Error::NotSupported);
        }
        let block_size = 1024u32 << sb.log_block_size;
        let first_data_block = u32::from(block_size == 1024);
        if sb.first_data_block != first_data_block || sb.blocks_count <= first_data_block {
            return Err(Error::Corrupted);
        }
        let per_group_max = (block_size * 8).min(MAX_PER_GROUP);
        let bpg = sb.blocks_per_group;
        let ipg = sb.inodes_per_group;
        if bpg == 0 || bpg > per_group_max || ipg == 0 || ipg > per_group_max {
            return Err(Error::Corrupted);
        }
        let group_count = (sb.blocks_count - first_data_block).div_ceil(bpg);
        if u64::from(group_count) * u64::from(ipg) != u64::from(sb.inodes_count) {
            return Err(Error::Corrupted);
        }
        let (inode_size, first_ino) = if sb.rev_level == REV_GOOD_OLD {
            (GOOD_OLD_INODE_SIZE, GOOD_OLD_FIRST_INO)
        } else {
            (u32::from(sb.inode_size), sb.first_ino)
        };
        if !inode_size.is_power_of_two() || inode_size < GOOD_OLD_INODE_SIZE || inode_size > block_size {
            return Err(Error::Corrupted);
        }
        if first_ino < GOOD_OLD_FIRST_INO || first_ino > sb.inodes_count {
            return Err(Error::Corrupted);
        }
        let gdt_blocks = (u64::from(group_count) * u64::from(GROUP_DESC_SIZE)).div_ceil(u64::from(block_size));
        let inode_table_blocks = (u64::from(ipg) * u64::from(inode_size)).div_ceil(u64::from(block_size));
        // Boot block, superblock and primary descriptors must fit before
        // the end, leaving room for at least one more block.
        if u64::from(first_data_block) + 1 + gdt_blocks >= u64::from(sb.blocks_count) {
            return Err(Error::Corrupted);
        }
        let bytes = u64::from(sb.blocks_count) * u64::from(block_size);
        if bytes > device_size || device_size < SUPERBLOCK_OFFSET * 2 {
            return Err(Error::Corrupted);
        }
        Ok(Layout {
            block_size,
            blocks_count: sb.blocks_count,
            first_data_block,
            blocks_per_group: bpg,
            inodes_per_group: ipg,
            inodes_count: sb.inodes_count,
            group_count,
            inode_size,
            first_ino,
            gdt_blocks: gdt_blocks as u32,
            inode_table_blocks: inode_table_blocks as u32,
            dynamic_rev: sb.rev_level >= REV_DYNAMIC,
        })
    }

    pub fn block_size_u64(&self) -> u64 {
        u64::from(self.block_size)
    }

    /// Block pointers per indirect block.
    pub fn ptrs_per_block(&self) -> u64 {
        u64::from(self.block_size / 4)
    }

    /// The first block past the boot block, superblock and primary group
    /// descriptors: nothing below it may be file data or other metadata.
    pub fn metadata_end(&self) -> u32 {
        self.first_data_block + 1 + self.gdt_blocks
    }

    /// Whether `block` may hold file data, an indirect block or a
    /// directory: inside the volume and not the superblock or descriptors.
    pub fn is_data_block(&self, block: u32) -> bool {
        block >= self.metadata_end() && block < self.blocks_count
    }

    pub fn group_first_block(&self, group: u32) -> u32 {
        self.first_data_block + group * self.blocks_per_group
    }

    /// Blocks in `group`; the last group may be shorter.
    pub fn blocks_in_group(&self, group: u32) -> u32 {
        let first = self.group_first_block(group);
        self.blocks_per_group.min(self.blocks_count - first)
    }

    /// The group holding `block` and its index in that group's bitmap.
    pub fn block_group(&self, block: u32) -> (u32, u32) {
        let rel = block.saturating_sub(self.first_data_block);
        (rel / self.blocks_per_group, rel % self.blocks_per_group)
    }

    /// The group holding inode `ino` (1-based) and its index there.
    pub fn inode_group(&self, ino: u32) -> (u32, u32) {
        let rel = ino.saturating_sub(1);
        (rel / self.inodes_per_group, rel % self.inodes_per_group)
    }

    /// Largest regular file: what the block tree can address, kept within
    /// `i_blocks` (a 32-bit count of 512-byte units that also counts the
    /// indirect blocks); below 2 GiB in revision 0, which has no
    /// `i_size_high`. (Revision 1 gains `large_file` when a file needs it.)
    pub fn max_file_size(&self) -> u64 {
        if !self.dynamic_rev {
            return (1 << 31) - 1;
        }
        let ppb = self.ptrs_per_block();
        let addressable = DIRECT_BLOCKS + ppb + ppb * ppb + ppb * ppb * ppb;
        let unit_shift = self.block_size.trailing_zeros() - 9;
        let countable = (u64::from(u32::MAX)) >> unit_shift;
        // Worst case of indirect blocks for a full tree.
        let meta = 1 + (1 + ppb) + (1 + ppb + ppb * ppb);
        let blocks = if addressable + meta <= countable { addressable } else { countable - meta };
        blocks * self.block_size_u64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bytes::{set_u16, set_u32};
    use crate::superblock::{MAGIC, SUPERBLOCK_SIZE};

    fn superblock(log: u32, blocks: u32, bpg: u32, ipg: u32, groups: u32) -> Superblock {
        let mut raw = alloc::vec![0u8; SUPERBLOCK_SIZE];
        set_u32(&mut raw, 0, ipg * groups);
        set_u32(&mut raw, 4, blocks);
        set_u32(&mut raw, 20, u32::from(log == 0));
        set_u32(&mut raw, 24, log);
        set_u32(&mut raw, 32, bpg);
        set_u32(&mut raw, 40, ipg);
        set_u16(&mut raw, 56, MAGIC);
        set_u32(&mut raw, 76, 1);
        set_u32(&mut raw, 84, 11);
        set_u16(&mut raw, 88, 256);
        Superblock::parse(&raw).unwrap()
    }

    #[test]
    fn geometry_of_a_small_volume() {
        let sb = superblock(0, 8192, 8192, 2048, 1);
        let layout = Layout::new(&sb, 8192 * 1024).unwrap();
        assert_eq!(layout.group_count, 1);
        assert_eq!(layout.gdt_blocks, 1);
        assert_eq!(layout.metadata_end(), 3);
        assert_eq!(layout.inode_table_blocks, 512);
        assert_eq!(layout.max_file_size(), 16_843_020 * 1024);
        // 4 KiB blocks are limited by i_blocks, about 2 TiB.
        let sb = superblock(2, 32768, 32768, 8192, 1);
        let layout = Layout::new(&sb, 32768 * 4096).unwrap();
        assert!(layout.max_file_size() < 1 << 41);
        assert!(layout.max_file_size() > 1 << 40);
    }

    #[test]
    fn impossible_geometry_is_rejected() {
        let sb = superblock(0, 8192, 8192, 2048, 1);
        assert_eq!(Layout::new(&sb, 4096 * 1024), Err(Error::Corrupted));
        assert_eq!(Layout::new(&superblock(0, 8192, 8192, 2048, 2), 8192 * 1024), Err(Error::Corrupted));
        assert_eq!(Layout::new(&superblock(0, 8192, 0, 2048, 1), 8192 * 1024), Err(Error::Corrupted));
        assert_eq!(Layout::new(&superblock(9, 8192, 8192, 2048, 1), 1 << 40), Err(Error::Corrupted));
        assert_eq!(Layout::new(&superblock(6, 8192, 8192, 2048, 1), 1 << 40), Err(Error::NotSupported));
    }
}
