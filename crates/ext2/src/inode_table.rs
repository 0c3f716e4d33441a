//! Reading and writing inode records in the groups' inode tables, through
//! the block cache.

use crate::inode::Inode;
use crate::volume::Volume;
use crate::BlockDevice;
use vfs::Error;

impl<D: BlockDevice> Volume<D> {
    /// The block holding inode `ino` and the record's offset in it.
    fn inode_location(&self, ino: u32) -> Result<(u32, usize), Error> {
        if ino == 0 || ino > self.layout.inodes_count {
            return Err(Error::Corrupted);
        }
        let (group, index) = self.layout.inode_group(ino);
        let table = self.groups.get(group)?.inode_table;
        let byte = u64::from(index) * u64::from(self.layout.inode_size);
        let block = table + (byte / self.layout.block_size_u64()) as u32;
        Ok((block, (byte % self.layout.block_size_u64()) as usize))
    }

    pub fn read_inode(&mut self, ino: u32) -> Result<Inode, Error> {
        let (block, offset) = self.inode_location(ino)?;
        let size = self.layout.inode_size as usize;
        let data = self.cache.read(block)?;
        let raw = data.get(offset..offset + size).ok_or(Error::Corrupted)?;
        Ok(Inode::parse(raw))
    }

    pub fn write_inode(&mut self, ino: u32, inode: &Inode) -> Result<(), Error> {
        let (block, offset) = self.inode_location(ino)?;
        let size = self.layout.inode_size as usize;
        let raw = inode.serialize();
        let data = self.cache.write(block)?;
        let slot = data.get_mut(offset..offset + size).ok_or(Error::Corrupted)?;
        let src = raw.get(..size).ok_or(Error::Corrupted)?;
        slot.copy_from_slice(src);
        Ok(())
    }
}
