//! The storage an ext2 volume lives on.

/// Where the file system lives. Offsets and lengths are multiples of 512.
pub trait BlockDevice {
    /// Size in bytes.
    fn size(&self) -> u64;
    fn read(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), IoError>;
    fn write(&mut self, offset: u64, data: &[u8]) -> Result<(), IoError>;
    /// Makes earlier writes durable (a disk cache flush).
    fn flush(&mut self) -> Result<(), IoError>;
}

/// The device failed; the file system reports it as [`vfs::Error::Io`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IoError;

impl From<IoError> for vfs::Error {
    fn from(_: IoError) -> Self {
        vfs::Error::Io
    }
}
