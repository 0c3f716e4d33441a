//! The disk, as `ext2::BlockDevice`: requests to the virtio-blk driver
//! (`protocols::block`), with the data in the DMA buffer the driver shares
//! with us.

use abi::MsgInfo;
use protocols::block;
use rt::shared::SharedBuffer;
use rt::sys;

const SECTOR: u64 = 512;

pub struct Disk {
    endpoint: u64,
    buffer: SharedBuffer,
    /// Bytes of the disk.
    size: u64,
    pub read_only: bool,
}

impl Disk {
    /// Asks the driver on `endpoint` for the disk's size and its buffer.
    pub fn connect(endpoint: u64) -> Result<Disk, &'static str> {
        let info = sys::ipc_call(endpoint, MsgInfo::new(block::INFO), [0; 4]).map_err(|_| "INFO call failed")?;
        if info.info.label() != 0 {
            return Err("INFO refused");
        }
        let (sectors, buffer_bytes, flags) = (info.words[0], info.words[1], info.words[2]);
        let reply = sys::ipc_call(endpoint, MsgInfo::new(block::BUFFER), [0; 4]).map_err(|_| "BUFFER call failed")?;
        let slot = match (reply.info.label(), reply.info.cap()) {
            (0, Some(slot)) => slot,
            _ => return Err("BUFFER came without a capability"),
        };
        let pages = buffer_bytes / abi::PAGE_SIZE;
        if pages == 0 || buffer_bytes % abi::PAGE_SIZE != 0 {
            return Err("the driver's buffer size is not whole pages");
        }
        let buffer = SharedBuffer::map(slot, pages).map_err(|_| "cannot map the driver's buffer")?;
        Ok(Disk { endpoint, buffer, size: sectors.saturating_mul(SECTOR), read_only: flags & 1 != 0 })
    }

    fn request(&self, op: u32, offset: u64, len: usize) -> Result<(), ext2::IoError> {
        let words = [offset / SECTOR, len as u64 / SECTOR, 0, 0];
        match sys::ipc_call(self.endpoint, MsgInfo::new(op), words) {
            Ok(m) if m.info.label() == 0 => Ok(()),
            _ => Err(ext2::IoError),
        }
    }
}

impl ext2::BlockDevice for Disk {
    fn size(&self) -> u64 {
        self.size
    }

    fn read(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), ext2::IoError> {
        let chunk = self.buffer.len();
        let mut done = 0;
        while done < buf.len() {
            let n = (buf.len() - done).min(chunk);
            self.request(block::READ, offset + done as u64, n)?;
            buf[done..done + n].copy_from_slice(&self.buffer.bytes()[..n]);
            done += n;
        }
        Ok(())
    }

    fn write(&mut self, offset: u64, data: &[u8]) -> Result<(), ext2::IoError> {
        let chunk = self.buffer.len();
        let mut done = 0;
        while done < data.len() {
            let n = (data.len() - done).min(chunk);
            self.buffer.bytes_mut()[..n].copy_from_slice(&data[done..done + n]);
            self.request(block::WRITE, offset + done as u64, n)?;
            done += n;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ext2::IoError> {
        match sys::ipc_call(self.endpoint, MsgInfo::new(block::FLUSH), [0; 4]) {
            Ok(m) if m.info.label() == 0 => Ok(()),
            _ => Err(ext2::IoError),
        }
    }
}
