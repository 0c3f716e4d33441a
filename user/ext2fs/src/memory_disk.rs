//! A disk that is memory the kernel shares with us: the blocks of a loop
//! device (a file's bytes), which the kernel loads into a Memory object
//! before it starts this server for a mount and writes back to the file
//! at sync and unmount (kernel/src/fs/loop_mount.rs). Reads and writes
//! are copies; nothing to flush.

use rt::shared::SharedBuffer;

pub struct MemoryDisk {
    buffer: SharedBuffer,
    /// Bytes of the device (the mapping is rounded up to whole pages).
    size: u64,
}

impl MemoryDisk {
    /// Maps the Memory capability in `slot`, holding `size` bytes.
    pub fn map(slot: u64, size: u64) -> Result<MemoryDisk, &'static str> {
        let pages = size.div_ceil(abi::PAGE_SIZE);
        if pages == 0 {
            return Err("the device is empty");
        }
        let buffer = SharedBuffer::map(slot, pages).map_err(|_| "cannot map the device's memory")?;
        Ok(MemoryDisk { buffer, size })
    }

    fn range(&self, offset: u64, len: usize) -> Result<core::ops::Range<usize>, ext2::IoError> {
        let end = offset.checked_add(len as u64).filter(|&e| e <= self.size).ok_or(ext2::IoError)?;
        Ok(offset as usize..end as usize)
    }
}

impl ext2::BlockDevice for MemoryDisk {
    fn size(&self) -> u64 {
        self.size
    }

    fn read(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), ext2::IoError> {
        let r = self.range(offset, buf.len())?;
        buf.copy_from_slice(&self.buffer.bytes()[r]);
        Ok(())
    }

    fn write(&mut self, offset: u64, data: &[u8]) -> Result<(), ext2::IoError> {
        let r = self.range(offset, data.len())?;
        self.buffer.bytes_mut()[r].copy_from_slice(data);
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ext2::IoError> {
        Ok(())
    }
}
