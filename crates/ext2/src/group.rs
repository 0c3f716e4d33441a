//! Block groups: each has a block bitmap, an inode bitmap and an inode
//! table, described by a 32-byte descriptor in the table after the
//! superblock. The descriptors live in memory while mounted and go back to
//! disk on sync; the raw table is kept so unknown fields survive.

use alloc::vec::Vec;

use crate::bytes::{set_u16, set_u32, u16_at, u32_at};
use crate::layout::{Layout, GROUP_DESC_SIZE};
use vfs::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupDesc {
    pub block_bitmap: u32,
    pub inode_bitmap: u32,
    pub inode_table: u32,
    pub free_blocks: u16,
    pub free_inodes: u16,
    pub used_dirs: u16,
}

impl GroupDesc {
    pub fn parse(raw: &[u8]) -> GroupDesc {
        GroupDesc {
            block_bitmap: u32_at(raw, 0),
            inode_bitmap: u32_at(raw, 4),
            inode_table: u32_at(raw, 8),
            free_blocks: u16_at(raw, 12),
            free_inodes: u16_at(raw, 14),
            used_dirs: u16_at(raw, 16),
        }
    }

    pub fn serialize_into(&self, raw: &mut [u8]) {
        set_u32(raw, 0, self.block_bitmap);
        set_u32(raw, 4, self.inode_bitmap);
        set_u32(raw, 8, self.inode_table);
        set_u16(raw, 12, self.free_blocks);
        set_u16(raw, 14, self.free_inodes);
        set_u16(raw, 16, self.used_dirs);
    }

    /// Checks that the bitmaps and inode table lie inside the group (as
    /// without `flex_bg` they must), clear of the superblock and primary
    /// descriptors, and that the counts fit the group.
    pub fn validate(&self, group: u32, layout: &Layout) -> Result<(), Error> {
        let first = layout.group_first_block(group).max(layout.metadata_end());
        let end = layout.group_first_block(group) + layout.blocks_in_group(group);
        let inside = |block: u32, len: u32| block >= first && block.checked_add(len).is_some_and(|last| last <= end);
        if !inside(self.block_bitmap, 1)
            || !inside(self.inode_bitmap, 1)
            || !inside(self.inode_table, layout.inode_table_blocks)
        {
            return Err(Error::Corrupted);
        }
        if u32::from(self.free_blocks) > layout.blocks_in_group(group)
            || u32::from(self.free_inodes) > layout.inodes_per_group
            || u32::from(self.used_dirs) > layout.inodes_per_group
        {
            return Err(Error::Corrupted);
        }
        Ok(())
    }

    /// Whether `block` is one of this group's bitmaps or inode table
    /// blocks, which allocation must never hand out.
    pub fn holds_metadata(&self, block: u32, layout: &Layout) -> bool {
        block == self.block_bitmap
            || block == self.inode_bitmap
            || (block >= self.inode_table && block - self.inode_table < layout.inode_table_blocks)
    }
}

/// The primary group descriptor table.
#[derive(Clone, Debug)]
pub struct GroupTable {
    raw: Vec<u8>,
    pub groups: Vec<GroupDesc>,
}

impl GroupTable {
    /// Decodes and validates the table read from the primary location.
    pub fn parse(raw: Vec<u8>, layout: &Layout) -> Result<GroupTable, Error> {
        let size = GROUP_DESC_SIZE as usize;
        let mut groups = Vec::new();
        groups.try_reserve_exact(layout.group_count as usize).map_err(|_| Error::NoMemory)?;
        for group in 0..layout.group_count {
            let start = group as usize * size;
            let desc = GroupDesc::parse(raw.get(start..start + size).ok_or(Error::Corrupted)?);
            desc.validate(group, layout)?;
            groups.push(desc);
        }
        Ok(GroupTable { raw, groups })
    }

    /// The table as it goes to disk.
    pub fn serialize(&self) -> Vec<u8> {
        let mut raw = self.raw.clone();
        let size = GROUP_DESC_SIZE as usize;
        for (i, desc) in self.groups.iter().enumerate() {
            if let Some(slot) = raw.get_mut(i * size..(i + 1) * size) {
                desc.serialize_into(slot);
            }
        }
        raw
    }

    pub fn get(&self, group: u32) -> Result<&GroupDesc, Error> {
        self.groups.get(group as usize).ok_or(Error::Corrupted)
    }

    pub fn get_mut(&mut self, group: u32) -> Result<&mut GroupDesc, Error> {
        self.groups.get_mut(group as usize).ok_or(Error::Corrupted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_round_trip() {
        let desc = GroupDesc {
            block_bitmap: 3,
            inode_bitmap: 4,
            inode_table: 5,
            free_blocks: 100,
            free_inodes: 200,
            used_dirs: 7,
        };
        let mut raw = [0xEEu8; 32];
        desc.serialize_into(&mut raw);
        assert_eq!(GroupDesc::parse(&raw), desc);
        assert_eq!(raw[18..], [0xEE; 14]);
    }
}
