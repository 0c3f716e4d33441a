//! A file's block tree: logical block numbers to device blocks through 12
//! direct pointers and single, double and triple indirect blocks.
//! Mapping, allocating along the way, and freeing everything from a
//! logical block on (indirect blocks that become empty included).
//!
//! Depth is fixed by the logical block number, never by what the disk
//! says, so no walk goes deeper than three levels; a pointer to a block
//! outside the volume or into the superblock or descriptors is corruption.

use alloc::vec::Vec;

use crate::bytes::{set_u32, u32_at};
use crate::inode::Inode;
use crate::layout::DIRECT_BLOCKS;
use crate::volume::Volume;
use crate::BlockDevice;
use vfs::Error;

/// Where a logical block hangs: the `i_block` slot, then one index per
/// indirect level.
struct Path {
    slot: usize,
    indices: [u64; 3],
    depth: usize,
}

impl<D: BlockDevice> Volume<D> {
    /// The route to logical block `lblk`; `None` past the triple indirect
    /// block's reach.
    fn path(&self, lblk: u64) -> Option<Path> {
        let ppb = self.layout.ptrs_per_block();
        if lblk < DIRECT_BLOCKS {
            return Some(Path { slot: lblk as usize, indices: [0; 3], depth: 0 });
        }
        let mut rel = lblk - DIRECT_BLOCKS;
        let mut span = ppb;
        for depth in 1..=3 {
            if rel < span {
                let mut indices = [0; 3];
                let mut rest = rel;
                for level in (0..depth).rev() {
                    indices[level] = rest % ppb;
                    rest /= ppb;
                }
                return Some(Path { slot: 11 + depth, indices, depth });
            }
            rel -= span;
            span *= ppb;
        }
        None
    }

    /// A pointer read from disk: `None` for a hole, the block if it may
    /// hold data, `Corrupted` otherwise.
    fn checked(&self, ptr: u32) -> Result<Option<u32>, Error> {
        match ptr {
            0 => Ok(None),
            ptr if self.layout.is_data_block(ptr) => Ok(Some(ptr)),
            _ => Err(Error::Corrupted),
        }
    }

    fn pointer_at(&mut self, block: u32, index: u64) -> Result<u32, Error> {
        let data = self.cache.read(block)?;
        Ok(u32_at(data, index as usize * 4))
    }

    /// The device block of logical block `lblk`, `None` for a hole.
    /// `Corrupted` past the largest file (the inode's size lies).
    pub fn map_block(&mut self, inode: &Inode, lblk: u64) -> Result<Option<u32>, Error> {
        let path = self.path(lblk).ok_or(Error::Corrupted)?;
        let mut ptr = inode.block[path.slot];
        for &index in &path.indices[..path.depth] {
            let Some(block) = self.checked(ptr)? else {
                return Ok(None);
            };
            ptr = self.pointer_at(block, index)?;
        }
        self.checked(ptr)
    }

    /// The device block of logical block `lblk`, allocating it (and the
    /// indirect blocks on the way) near `goal` if it is a hole. New
    /// blocks are zeroed and counted in `inode.blocks`; the caller writes
    /// the inode back, also on error. Returns the block and whether it is
    /// new.
    pub fn map_or_alloc(&mut self, inode: &mut Inode, lblk: u64, goal: u32) -> Result<(u32, bool), Error> {
        let path = self.path(lblk).ok_or(Error::FileTooBig)?;
        let units = self.block_size() / 512;
        let mut fresh = false;
        let mut ptr = match self.checked(inode.block[path.slot])? {
            Some(block) => block,
            None => {
                let block = self.alloc_block(goal)?;
                self.cache.zeroed(block)?;
                inode.block[path.slot] = block;
                inode.blocks = inode.blocks.saturating_add(units);
                fresh = true;
                block
            }
        };
        for &index in &path.indices[..path.depth] {
            let entry = self.pointer_at(ptr, index)?;
            ptr = match self.checked(entry)? {
                Some(block) => {
                    fresh = false;
                    block
                }
                None => {
                    let block = self.alloc_block(ptr.saturating_add(1))?;
                    self.cache.zeroed(block)?;
                    set_u32(self.cache.write(ptr)?, index as usize * 4, block);
                    inode.blocks = inode.blocks.saturating_add(units);
                    fresh = true;
                    block
                }
            };
        }
        Ok((ptr, fresh))
    }

    /// Frees every block at logical index `first` or later, and the
    /// indirect blocks left empty.
    pub fn free_blocks_from(&mut self, inode: &mut Inode, first: u64) -> Result<(), Error> {
        for slot in first.min(DIRECT_BLOCKS) as usize..DIRECT_BLOCKS as usize {
            if let Some(block) = self.checked(inode.block[slot])? {
                self.release_block(inode, block)?;
                inode.block[slot] = 0;
            }
        }
        let ppb = self.layout.ptrs_per_block();
        let (mut base, mut span) = (DIRECT_BLOCKS, ppb);
        for level in 1..=3 {
            let slot = 11 + level;
            if let Some(block) = self.checked(inode.block[slot])? {
                if first <= base {
                    self.free_tree(inode, block, level)?;
                    inode.block[slot] = 0;
                } else if first < base + span && self.free_partial(inode, block, level, first - base)? {
                    self.release_block(inode, block)?;
                    inode.block[slot] = 0;
                }
            }
            base += span;
            span *= ppb;
        }
        Ok(())
    }

    /// The pointers of an indirect block, copied out.
    fn pointers(&mut self, block: u32) -> Result<Vec<u32>, Error> {
        let data = self.cache.read(block)?;
        Ok(data.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }

    /// Frees `block` and, if it is an indirect block of `level`, all it
    /// points to. A block met twice is caught by `free_block`, which
    /// bounds the work on a tree that points into itself.
    fn free_tree(&mut self, inode: &mut Inode, block: u32, level: usize) -> Result<(), Error> {
        if level > 0 {
            for ptr in self.pointers(block)? {
                if let Some(child) = self.checked(ptr)? {
                    self.free_tree(inode, child, level - 1)?;
                }
            }
        }
        self.release_block(inode, block)
    }

    /// Frees what the indirect block `block` of `level` maps at its
    /// relative index `start` or later; returns whether it is now empty.
    fn free_partial(&mut self, inode: &mut Inode, block: u32, level: usize, start: u64) -> Result<bool, Error> {
        let child_span = self.layout.ptrs_per_block().pow(level as u32 - 1);
        let mut ptrs = self.pointers(block)?;
        let first_child = (start / child_span) as usize;
        let rem = start % child_span;
        for (k, ptr) in ptrs.iter_mut().enumerate().skip(first_child) {
            let Some(child) = self.checked(*ptr)? else {
                continue;
            };
            if k == first_child && rem != 0 {
                if self.free_partial(inode, child, level - 1, rem)? {
                    self.release_block(inode, child)?;
                    *ptr = 0;
                }
            } else {
                self.free_tree(inode, child, level - 1)?;
                *ptr = 0;
            }
        }
        let data = self.cache.write(block)?;
        for (chunk, ptr) in data.chunks_exact_mut(4).zip(&ptrs) {
            chunk.copy_from_slice(&ptr.to_le_bytes());
        }
        Ok(ptrs.iter().all(|&p| p == 0))
    }

    /// Frees one block of `inode` and uncounts it.
    fn release_block(&mut self, inode: &mut Inode, block: u32) -> Result<(), Error> {
        self.free_block(block)?;
        inode.blocks = inode.blocks.saturating_sub(self.block_size() / 512);
        Ok(())
    }
}
