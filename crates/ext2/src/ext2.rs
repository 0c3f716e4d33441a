//! Mounting, syncing and unmounting a volume.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::cell::{RefCell, RefMut};

use crate::cache::Cache;
use crate::features::{SUPPORTED_INCOMPAT, SUPPORTED_RO_COMPAT};
use crate::group::GroupTable;
use crate::inode::ROOT_INO;
use crate::layout::Layout;
use crate::superblock::{superblock_time, Superblock, STATE_VALID, SUPERBLOCK_OFFSET, SUPERBLOCK_SIZE};
use crate::volume::Volume;
use crate::BlockDevice;
use vfs::{Error, Timestamp};

/// How to mount.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MountOptions {
    pub read_only: bool,
}

/// A mounted ext2 volume. The `&self` calls of [`vfs::FileSystem`] need
/// the device too, so the state sits in a `RefCell`; it is only ever used
/// from one thread at a time.
#[derive(Debug)]
pub struct Ext2<D: BlockDevice> {
    volume: RefCell<Volume<D>>,
}

impl<D: BlockDevice> Ext2<D> {
    /// Reads and validates the superblock and group descriptors.
    ///
    /// `Corrupted` for a bad magic number, impossible geometry or a device
    /// smaller than the volume; `NotSupported` for INCOMPAT features not
    /// implemented here (unknown RO_COMPAT features force a read-only
    /// mount); `Io` when the device fails. A writable mount records `now`
    /// as the mount time, counts the mount and marks the volume not clean
    /// on disk until the next sync.
    pub fn mount(mut dev: D, options: MountOptions, now: Timestamp) -> Result<Self, Error> {
        let size = dev.size();
        if size < SUPERBLOCK_OFFSET + SUPERBLOCK_SIZE as u64 {
            return Err(Error::Corrupted);
        }
        let mut raw = alloc::vec![0u8; SUPERBLOCK_SIZE];
        dev.read(SUPERBLOCK_OFFSET, &mut raw)?;
        let mut sb = Superblock::parse(&raw)?;
        if sb.feature_incompat & !SUPPORTED_INCOMPAT != 0 {
            return Err(Error::NotSupported);
        }
        let layout = Layout::new(&sb, size)?;
        let read_only = options.read_only || sb.feature_ro_compat & !SUPPORTED_RO_COMPAT != 0;
        let mut cache = Cache::new(dev, layout.block_size, layout.blocks_count);
        let gdt_len = layout.gdt_blocks as usize * layout.block_size as usize;
        let mut table = Vec::new();
        table.try_reserve_exact(gdt_len).map_err(|_| Error::NoMemory)?;
        table.resize(gdt_len, 0);
        let gdt_offset = u64::from(layout.first_data_block + 1) * layout.block_size_u64();
        cache.device_read(gdt_offset, &mut table)?;
        let groups = GroupTable::parse(table, &layout)?;
        // The superblock's totals are derived from the groups, as Linux does.
        sb.free_blocks = groups.groups.iter().map(|g| u32::from(g.free_blocks)).sum();
        sb.free_inodes = groups.groups.iter().map(|g| u32::from(g.free_inodes)).sum();
        let mut volume = Volume {
            cache,
            sb,
            layout,
            groups,
            read_only,
            opens: BTreeMap::new(),
            clean_on_disk: false,
            next_generation: superblock_time(now),
        };
        if !volume.read_inode(ROOT_INO)?.is_dir() {
            return Err(Error::Corrupted);
        }
        if !read_only {
            volume.sb.mtime = superblock_time(now);
            volume.sb.mnt_count = volume.sb.mnt_count.wrapping_add(1);
            volume.sb.state &= !STATE_VALID;
            volume.write_superblock()?;
        }
        Ok(Ext2 { volume: RefCell::new(volume) })
    }

    /// Writes every dirty cached block, the group descriptors and the
    /// superblock (free counts, write time, clean state), then flushes the
    /// device.
    pub fn sync(&mut self, now: Timestamp) -> Result<(), Error> {
        self.volume.get_mut().sync(now)
    }

    /// Frees the nodes that were removed while open (the kernel holds none
    /// of them any more), syncs, and hands the device back.
    pub fn unmount(self, now: Timestamp) -> Result<D, Error> {
        let mut volume = self.volume.into_inner();
        if !volume.read_only {
            let open: Vec<u32> = volume.opens.keys().copied().collect();
            for ino in open {
                let inode = volume.read_inode(ino)?;
                if inode.links == 0 {
                    volume.begin_change()?;
                    volume.destroy(ino, inode, now)?;
                }
            }
        }
        volume.sync(now)?;
        Ok(volume.cache.into_device())
    }

    pub fn is_read_only(&self) -> bool {
        self.volume.try_borrow().map_or(true, |v| v.read_only)
    }

    /// The volume, for one call. Calls never nest (listing hands entries
    /// out only after letting go), so `Busy` would mean a caller reentered.
    pub(crate) fn volume(&self) -> Result<RefMut<'_, Volume<D>>, Error> {
        self.volume.try_borrow_mut().map_err(|_| Error::Busy)
    }

    pub(crate) fn volume_mut(&mut self) -> &mut Volume<D> {
        self.volume.get_mut()
    }
}
