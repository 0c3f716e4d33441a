//! What stands in a file system's place once it has been unmounted and
//! discarded ([`crate::Vfs::discard`]): the file system itself (a ramfs's
//! contents, a served file system's client and cache) is freed, and a node
//! someone still names (another process's working directory) is gone, as a
//! removed directory is: `NotFound` for every question.

use alloc::vec::Vec;

use crate::{DirEntry, Error, FileSystem, FsStats, Ino, Metadata, MetadataChange, NewNode, NodeAttrs, Timestamp};

#[derive(Debug)]
pub struct Detached {
    pub root: Ino,
}

impl FileSystem for Detached {
    fn name(&self) -> &str {
        "detached"
    }

    fn root(&self) -> Ino {
        self.root
    }

    fn metadata(&self, _: Ino) -> Result<Metadata, Error> {
        Err(Error::NotFound)
    }

    fn lookup(&self, _: Ino, _: &[u8]) -> Result<Ino, Error> {
        Err(Error::NotFound)
    }

    fn create(&mut self, _: Ino, _: &[u8], _: NewNode<'_>, _: NodeAttrs, _: Timestamp) -> Result<Ino, Error> {
        Err(Error::NotFound)
    }

    fn link(&mut self, _: Ino, _: &[u8], _: Ino, _: Timestamp) -> Result<(), Error> {
        Err(Error::NotFound)
    }

    fn unlink(&mut self, _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::NotFound)
    }

    fn rmdir(&mut self, _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::NotFound)
    }

    fn rename(&mut self, _: Ino, _: &[u8], _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::NotFound)
    }

    fn readlink(&self, _: Ino) -> Result<Vec<u8>, Error> {
        Err(Error::NotFound)
    }

    fn read(&self, _: Ino, _: u64, _: &mut [u8]) -> Result<usize, Error> {
        Err(Error::NotFound)
    }

    fn write(&mut self, _: Ino, _: u64, _: &[u8], _: Timestamp) -> Result<usize, Error> {
        Err(Error::NotFound)
    }

    fn truncate(&mut self, _: Ino, _: u64, _: Timestamp) -> Result<(), Error> {
        Err(Error::NotFound)
    }

    fn read_dir(&self, _: Ino, _: u64, _: &mut dyn FnMut(DirEntry<'_>) -> bool) -> Result<(), Error> {
        Err(Error::NotFound)
    }

    fn set_metadata(&mut self, _: Ino, _: MetadataChange, _: Timestamp) -> Result<(), Error> {
        Err(Error::NotFound)
    }

    fn statfs(&self) -> FsStats {
        FsStats::default()
    }
}
