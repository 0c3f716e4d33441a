//! Extended-attribute blocks, only as far as deleting an inode needs: the
//! block is shared between inodes with the same attributes and carries a
//! reference count; the last reference frees it.

use crate::bytes::{set_u32, u32_at};
use crate::inode::Inode;
use crate::volume::Volume;
use crate::BlockDevice;
use vfs::Error;

const MAGIC: u32 = 0xEA02_0000;
const REFCOUNT: usize = 4;
const BLOCKS: usize = 8;

impl<D: BlockDevice> Volume<D> {
    /// Drops `inode`'s reference to its attribute block, freeing the block
    /// with the last reference.
    pub fn drop_xattr_block(&mut self, inode: &mut Inode) -> Result<(), Error> {
        let block = inode.file_acl;
        if block == 0 {
            return Ok(());
        }
        if !self.layout.is_data_block(block) {
            return Err(Error::Corrupted);
        }
        let data = self.cache.read(block)?;
        if u32_at(data, 0) != MAGIC || u32_at(data, BLOCKS) != 1 {
            return Err(Error::Corrupted);
        }
        let refs = u32_at(data, REFCOUNT);
        if refs <= 1 {
            self.free_block(block)?;
        } else {
            set_u32(self.cache.write(block)?, REFCOUNT, refs - 1);
        }
        inode.file_acl = 0;
        inode.blocks = inode.blocks.saturating_sub(self.block_size() / 512);
        Ok(())
    }
}
