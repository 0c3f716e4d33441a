//! The mounted state: the cache (with the device), the superblock, the
//! geometry, the group descriptors, and the inodes the kernel holds open.
//! Other files add methods to [`Volume`], one concern each.

use alloc::collections::BTreeMap;

use crate::cache::Cache;
use crate::features::INCOMPAT_FILETYPE;
use crate::group::GroupTable;
use crate::inode::ROOT_INO;
use crate::layout::Layout;
use crate::superblock::{superblock_time, Superblock, STATE_VALID, SUPERBLOCK_OFFSET};
use crate::BlockDevice;
use vfs::{Error, Timestamp};

/// Most links a node may have (the limit e2fsck enforces).
pub const LINK_MAX: u16 = 65000;

#[derive(Debug)]
pub struct Volume<D> {
    pub cache: Cache<D>,
    pub sb: Superblock,
    pub layout: Layout,
    pub groups: GroupTable,
    pub read_only: bool,
    /// Opens the kernel holds (see `FileSystem::retain`), by inode.
    pub opens: BTreeMap<u32, u64>,
    /// Whether the superblock on disk says "cleanly unmounted": the first
    /// change after a sync must say otherwise before anything is written.
    pub clean_on_disk: bool,
    /// Generation number for the next inode created.
    pub next_generation: u32,
}

impl<D: BlockDevice> Volume<D> {
    pub fn block_size(&self) -> u32 {
        self.layout.block_size
    }

    /// Directory entries carry a type byte.
    pub fn has_filetype(&self) -> bool {
        self.sb.feature_incompat & INCOMPAT_FILETYPE != 0
    }

    /// Called before every change: refuses on a read-only mount and marks
    /// the volume as not cleanly unmounted on disk.
    pub fn begin_change(&mut self) -> Result<(), Error> {
        if self.read_only {
            return Err(Error::ReadOnly);
        }
        if self.clean_on_disk {
            self.sb.state &= !STATE_VALID;
            self.write_superblock()?;
            self.clean_on_disk = false;
        }
        Ok(())
    }

    pub fn write_superblock(&mut self) -> Result<(), Error> {
        let raw = self.sb.serialize();
        self.cache.device_write(SUPERBLOCK_OFFSET, &raw)
    }

    /// Writes everything back: cached blocks, descriptors, then the
    /// superblock marked clean, then a device flush.
    pub fn sync(&mut self, now: Timestamp) -> Result<(), Error> {
        if self.read_only {
            return Ok(());
        }
        self.cache.flush()?;
        let table = self.groups.serialize();
        let gdt_offset = u64::from(self.layout.first_data_block + 1) * self.layout.block_size_u64();
        self.cache.device_write(gdt_offset, &table)?;
        self.sb.wtime = superblock_time(now);
        self.sb.state |= STATE_VALID;
        self.write_superblock()?;
        self.cache.device_flush()?;
        self.clean_on_disk = true;
        Ok(())
    }

    /// Whether `ino` may name a node: the root or a non-reserved inode.
    pub fn is_node_ino(&self, ino: u32) -> bool {
        ino == ROOT_INO || (ino >= self.layout.first_ino && ino <= self.layout.inodes_count)
    }

    pub fn is_open(&self, ino: u32) -> bool {
        self.opens.contains_key(&ino)
    }
}
