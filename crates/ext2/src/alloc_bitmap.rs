//! Allocation of blocks and inodes through the groups' bitmaps, keeping
//! the descriptors' and the superblock's free counts (and the count of
//! directories per group) exact. The bitmap is the truth; a count that
//! disagrees with it is corruption.

use crate::volume::Volume;
use crate::BlockDevice;
use vfs::Error;

/// The first clear bit in `bitmap[lo..hi]`.
fn find_clear(bitmap: &[u8], lo: u32, hi: u32) -> Option<u32> {
    let mut bit = lo;
    while bit < hi {
        let byte = *bitmap.get((bit / 8) as usize)?;
        if bit.is_multiple_of(8) && byte == 0xFF {
            bit += 8;
            continue;
        }
        if byte & (1 << (bit % 8)) == 0 {
            return Some(bit);
        }
        bit += 1;
    }
    None
}

fn test_bit(bitmap: &[u8], bit: u32) -> bool {
    bitmap.get((bit / 8) as usize).is_some_and(|byte| byte & (1 << (bit % 8)) != 0)
}

fn set_bit(bitmap: &mut [u8], bit: u32, value: bool) {
    if let Some(byte) = bitmap.get_mut((bit / 8) as usize) {
        if value {
            *byte |= 1 << (bit % 8);
        } else {
            *byte &= !(1 << (bit % 8));
        }
    }
}

impl<D: BlockDevice> Volume<D> {
    /// Allocates a block, as close after `goal` as possible (same group
    /// first, then the following groups). `NoSpace` when none is free.
    pub fn alloc_block(&mut self, goal: u32) -> Result<u32, Error> {
        let layout = self.layout;
        let goal = if layout.is_data_block(goal) { goal } else { layout.metadata_end() };
        let (goal_group, goal_bit) = layout.block_group(goal);
        for step in 0..layout.group_count {
            let group = (goal_group + step) % layout.group_count;
            let desc = *self.groups.get(group)?;
            if desc.free_blocks == 0 {
                continue;
            }
            let n = layout.blocks_in_group(group);
            let bitmap = self.cache.read(desc.block_bitmap)?;
            let found = if step == 0 {
                find_clear(bitmap, goal_bit, n).or_else(|| find_clear(bitmap, 0, goal_bit))
            } else {
                find_clear(bitmap, 0, n)
            };
            let Some(bit) = found else {
                // The count said there was room; the bitmap disagrees.
                return Err(Error::Corrupted);
            };
            let block = layout.group_first_block(group) + bit;
            if !layout.is_data_block(block) || desc.holds_metadata(block, &layout) {
                return Err(Error::Corrupted);
            }
            set_bit(self.cache.write(desc.block_bitmap)?, bit, true);
            let desc = self.groups.get_mut(group)?;
            desc.free_blocks -= 1;
            self.sb.free_blocks = self.sb.free_blocks.saturating_sub(1);
            return Ok(block);
        }
        Err(Error::NoSpace)
    }

    /// Returns a block to its group. Freeing a block that is not in use
    /// (the same block twice in a file, say) is corruption.
    pub fn free_block(&mut self, block: u32) -> Result<(), Error> {
        let layout = self.layout;
        if !layout.is_data_block(block) {
            return Err(Error::Corrupted);
        }
        let (group, bit) = layout.block_group(block);
        let desc = *self.groups.get(group)?;
        if desc.holds_metadata(block, &layout) {
            return Err(Error::Corrupted);
        }
        let bitmap = self.cache.write(desc.block_bitmap)?;
        if !test_bit(bitmap, bit) {
            return Err(Error::Corrupted);
        }
        set_bit(bitmap, bit, false);
        let desc = self.groups.get_mut(group)?;
        desc.free_blocks = desc.free_blocks.saturating_add(1);
        self.sb.free_blocks = self.sb.free_blocks.saturating_add(1);
        Ok(())
    }

    /// Allocates an inode, in `preferred_group` if it has one free, else
    /// in the next group that does. `NoSpace` when none is free.
    pub fn alloc_inode(&mut self, preferred_group: u32, is_dir: bool) -> Result<u32, Error> {
        let layout = self.layout;
        for step in 0..layout.group_count {
            let group = (preferred_group % layout.group_count + step) % layout.group_count;
            let desc = *self.groups.get(group)?;
            if desc.free_inodes == 0 {
                continue;
            }
            // Inodes below first_ino are reserved (root, resize inode...).
            let base = group * layout.inodes_per_group;
            let lo = layout.first_ino.saturating_sub(1).saturating_sub(base);
            let bitmap = self.cache.read(desc.inode_bitmap)?;
            let Some(bit) = find_clear(bitmap, lo, layout.inodes_per_group) else {
                return Err(Error::Corrupted);
            };
            set_bit(self.cache.write(desc.inode_bitmap)?, bit, true);
            let desc = self.groups.get_mut(group)?;
            desc.free_inodes -= 1;
            if is_dir {
                desc.used_dirs = desc.used_dirs.saturating_add(1);
            }
            self.sb.free_inodes = self.sb.free_inodes.saturating_sub(1);
            return Ok(base + bit + 1);
        }
        Err(Error::NoSpace)
    }

    /// Returns an inode to its group's bitmap.
    pub fn free_inode(&mut self, ino: u32, is_dir: bool) -> Result<(), Error> {
        if !self.is_node_ino(ino) {
            return Err(Error::Corrupted);
        }
        let (group, bit) = self.layout.inode_group(ino);
        let desc = *self.groups.get(group)?;
        let bitmap = self.cache.write(desc.inode_bitmap)?;
        if !test_bit(bitmap, bit) {
            return Err(Error::Corrupted);
        }
        set_bit(bitmap, bit, false);
        let desc = self.groups.get_mut(group)?;
        desc.free_inodes = desc.free_inodes.saturating_add(1);
        if is_dir {
            desc.used_dirs = desc.used_dirs.saturating_sub(1);
        }
        self.sb.free_inodes = self.sb.free_inodes.saturating_add(1);
        Ok(())
    }

    /// Counts the clear bits of every group's bitmaps and compares them
    /// with the descriptors and the superblock.
    pub fn check_counts(&mut self) -> Result<(), &'static str> {
        let layout = self.layout;
        let (mut blocks, mut inodes) = (0u64, 0u64);
        for group in 0..layout.group_count {
            let desc = *self.groups.get(group).map_err(|_| "missing group")?;
            let bitmap = self.cache.read(desc.block_bitmap).map_err(|_| "unreadable bitmap")?;
            let n = layout.blocks_in_group(group);
            let free = (0..n).filter(|&bit| !test_bit(bitmap, bit)).count() as u64;
            if free != u64::from(desc.free_blocks) {
                return Err("group free block count differs from its bitmap");
            }
            blocks += free;
            let bitmap = self.cache.read(desc.inode_bitmap).map_err(|_| "unreadable bitmap")?;
            let free = (0..layout.inodes_per_group).filter(|&bit| !test_bit(bitmap, bit)).count() as u64;
            if free != u64::from(desc.free_inodes) {
                return Err("group free inode count differs from its bitmap");
            }
            inodes += free;
        }
        if blocks != u64::from(self.sb.free_blocks) || inodes != u64::from(self.sb.free_inodes) {
            return Err("superblock free counts differ from the groups");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_search() {
        let mut bitmap = [0xFFu8, 0xFF, 0b1110_1111, 0];
        assert_eq!(find_clear(&bitmap, 0, 32), Some(20));
        assert_eq!(find_clear(&bitmap, 21, 32), Some(24));
        assert_eq!(find_clear(&bitmap, 0, 20), None);
        assert_eq!(find_clear(&bitmap, 30, 100), Some(30));
        assert_eq!(find_clear(&[0xFF], 0, 100), None);
        set_bit(&mut bitmap, 20, true);
        assert!(test_bit(&bitmap, 20));
        set_bit(&mut bitmap, 3, false);
        assert_eq!(find_clear(&bitmap, 0, 32), Some(3));
    }
}
