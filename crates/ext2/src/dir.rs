//! Directory contents: a directory is a file of blocks of linked entries
//! (see [`crate::dirent`]). Lookup and listing walk every block; adding
//! takes the first record with room (or a new block); removing merges the
//! record into the one before it, or marks the first record of a block
//! unused. Entries never move while they exist, so an entry's byte
//! position is a stable listing cookie.
//!
//! An htree index (`INDEX_FL`) hides in the first block's `..` record and
//! in blocks that look empty, so a linear walk reads such directories
//! correctly; a change clears the flag (as e2fsck expects of a driver that
//! does not update the index).

use alloc::vec::Vec;

use crate::dirent::{self, rec_len_for, Entries};
use crate::inode::{Inode, INDEX_FL};
use crate::volume::Volume;
use crate::BlockDevice;
use vfs::{Error, FileType};

/// Where a named entry is.
#[derive(Clone, Copy, Debug)]
pub struct Found {
    pub ino: u32,
    block: u32,
    offset: usize,
    /// The record before it in the same block, which absorbs it on removal.
    prev: Option<usize>,
}

/// One entry of a listing.
#[derive(Clone, Debug)]
pub struct Listed {
    /// Byte position in the directory.
    pub pos: u64,
    pub ino: u32,
    pub name: Vec<u8>,
    pub file_type: u8,
}

/// Largest directory this implementation grows (its size is 32 bits).
const MAX_DIR_SIZE: u64 = u32::MAX as u64;

fn is_dot_or_dotdot(name: &[u8]) -> bool {
    name == b"." || name == b".."
}

impl<D: BlockDevice> Volume<D> {
    /// Blocks in the directory: its size must be a whole, nonzero number
    /// of blocks, no more than the volume has.
    pub fn dir_block_count(&self, dir: &Inode) -> Result<u64, Error> {
        let bs = self.layout.block_size_u64();
        let count = dir.size / bs;
        if dir.size == 0 || !dir.size.is_multiple_of(bs) || count > u64::from(self.layout.blocks_count) {
            return Err(Error::Corrupted);
        }
        Ok(count)
    }

    /// The device block of a directory block; directories have no holes.
    fn dir_block(&mut self, dir: &Inode, lblk: u64) -> Result<u32, Error> {
        self.map_block(dir, lblk)?.ok_or(Error::Corrupted)
    }

    /// Checks an entry's inode number: it must name a node.
    fn entry_target(&self, ino: u32) -> Result<u32, Error> {
        if self.is_node_ino(ino) {
            Ok(ino)
        } else {
            Err(Error::Corrupted)
        }
    }

    /// The entry named `name` (never `.` or `..`: callers handle those).
    pub fn find_entry(&mut self, dir: &Inode, name: &[u8]) -> Result<Option<Found>, Error> {
        let filetype = self.has_filetype();
        let inodes = self.layout.inodes_count;
        for lblk in 0..self.dir_block_count(dir)? {
            let block = self.dir_block(dir, lblk)?;
            let data = self.cache.read(block)?;
            let mut prev = None;
            for entry in Entries::new(data, filetype, inodes) {
                let entry = entry?;
                if entry.ino != 0 && entry.name(data) == name {
                    let ino = self.entry_target(entry.ino)?;
                    return Ok(Some(Found { ino, block, offset: entry.offset, prev }));
                }
                prev = Some(entry.offset);
            }
        }
        Ok(None)
    }

    /// The entries of directory block `lblk` at byte position `from` or
    /// later, `.` and `..` left out.
    pub fn list_block(&mut self, dir: &Inode, lblk: u64, from: u64) -> Result<Vec<Listed>, Error> {
        let filetype = self.has_filetype();
        let inodes = self.layout.inodes_count;
        let base = lblk * self.layout.block_size_u64();
        let block = self.dir_block(dir, lblk)?;
        let data = self.cache.read(block)?;
        let mut out = Vec::new();
        for entry in Entries::new(data, filetype, inodes) {
            let entry = entry?;
            let pos = base + entry.offset as u64;
            let name = entry.name(data);
            if entry.ino == 0 || pos < from || is_dot_or_dotdot(name) {
                continue;
            }
            out.push(Listed { pos, ino: entry.ino, name: name.to_vec(), file_type: entry.file_type });
        }
        for listed in &out {
            self.entry_target(listed.ino)?;
        }
        Ok(out)
    }

    /// The parent named by the directory's `..`, the second entry of its
    /// first block.
    pub fn parent_of(&mut self, dir: &Inode) -> Result<u32, Error> {
        self.dotdot(dir).map(|(_, _, ino)| ino)
    }

    /// The block and offset of the `..` entry, and its target.
    fn dotdot(&mut self, dir: &Inode) -> Result<(u32, usize, u32), Error> {
        self.dir_block_count(dir)?;
        let block = self.dir_block(dir, 0)?;
        let (filetype, inodes) = (self.has_filetype(), self.layout.inodes_count);
        let data = self.cache.read(block)?;
        let mut entries = Entries::new(data, filetype, inodes);
        let dot = entries.next().ok_or(Error::Corrupted)??;
        let dotdot = entries.next().ok_or(Error::Corrupted)??;
        if dot.name(data) != b"." || dotdot.name(data) != b".." {
            return Err(Error::Corrupted);
        }
        Ok((block, dotdot.offset, self.entry_target(dotdot.ino)?))
    }

    /// Points the directory's `..` at `parent`.
    pub fn set_parent(&mut self, dir: &mut Inode, parent: u32) -> Result<(), Error> {
        let (block, offset, _) = self.dotdot(dir)?;
        let filetype = self.has_filetype();
        dirent::set_target(self.cache.write(block)?, offset, parent, FileType::Directory, filetype);
        dir.flags &= !INDEX_FL;
        Ok(())
    }

    /// Whether the directory has no entries but `.` and `..`.
    pub fn is_empty_dir(&mut self, dir: &Inode) -> Result<bool, Error> {
        for lblk in 0..self.dir_block_count(dir)? {
            if !self.list_block(dir, lblk, 0)?.is_empty() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Writes the first block of a new directory: `.` and `..`.
    pub fn init_dir_block(&mut self, block: u32, ino: u32, parent: u32) -> Result<(), Error> {
        let filetype = self.has_filetype();
        let bs = self.block_size() as usize;
        let data = self.cache.zeroed(block)?;
        let dot_len = rec_len_for(1);
        dirent::write(data, 0, ino, dot_len, b".", Some(FileType::Directory), filetype);
        dirent::write(data, dot_len, parent, bs - dot_len, b"..", Some(FileType::Directory), filetype);
        Ok(())
    }

    /// Adds the entry `name` → `ino`; the caller has checked that the name
    /// is free. Grows the directory by a block when no record has room.
    pub fn add_entry(
        &mut self,
        dir_ino: u32,
        dir: &mut Inode,
        name: &[u8],
        ino: u32,
        file_type: FileType,
    ) -> Result<(), Error> {
        let filetype = self.has_filetype();
        let inodes = self.layout.inodes_count;
        let needed = rec_len_for(name.len());
        let count = self.dir_block_count(dir)?;
        let mut slot = None;
        'blocks: for lblk in 0..count {
            let block = self.dir_block(dir, lblk)?;
            let data = self.cache.read(block)?;
            for entry in Entries::new(data, filetype, inodes) {
                let entry = entry?;
                if entry.rec_len - entry.used_len() >= needed {
                    slot = Some((block, entry));
                    break 'blocks;
                }
            }
        }
        dir.flags &= !INDEX_FL;
        if let Some((block, host)) = slot {
            let data = self.cache.write(block)?;
            let used = host.used_len();
            if used > 0 {
                dirent::set_rec_len(data, host.offset, used);
            }
            let offset = host.offset + used;
            dirent::write(data, offset, ino, host.rec_len - used, name, Some(file_type), filetype);
            return Ok(());
        }
        let bs = self.layout.block_size_u64();
        if dir.size + bs > MAX_DIR_SIZE {
            return Err(Error::NoSpace);
        }
        let goal = self.home_block(dir_ino);
        let (block, _) = self.map_or_alloc(dir, count, goal)?;
        let data = self.cache.zeroed(block)?;
        dirent::write(data, 0, ino, bs as usize, name, Some(file_type), filetype);
        dir.size += bs;
        Ok(())
    }

    /// Removes the entry `found` (from [`Volume::find_entry`] on `dir`).
    pub fn remove_entry(&mut self, dir: &mut Inode, found: &Found) -> Result<(), Error> {
        let data = self.cache.write(found.block)?;
        match found.prev {
            Some(prev) => {
                let merged = usize::from(crate::bytes::u16_at(data, prev + 4))
                    + usize::from(crate::bytes::u16_at(data, found.offset + 4));
                dirent::set_rec_len(data, prev, merged);
            }
            None => crate::bytes::set_u32(data, found.offset, 0),
        }
        dir.flags &= !INDEX_FL;
        Ok(())
    }

    /// Points the entry `found` at another node (rename over a name).
    pub fn retarget_entry(
        &mut self,
        dir: &mut Inode,
        found: &Found,
        ino: u32,
        file_type: FileType,
    ) -> Result<(), Error> {
        let filetype = self.has_filetype();
        dirent::set_target(self.cache.write(found.block)?, found.offset, ino, file_type, filetype);
        dir.flags &= !INDEX_FL;
        Ok(())
    }
}
