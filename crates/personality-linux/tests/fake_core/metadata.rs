//! How the fake core implements `MetadataOps` (file status, extended
//! attributes, ownership, modes, times, sizes and access checks).

use super::*;

impl MetadataOps for FakeCore {
    fn get_xattr(&mut self, _: NodeTarget<'_>, _: &[u8]) -> KResult<Vec<u8>> {
        Err(Error::NotSupported)
    }
    fn set_xattr(&mut self, _: NodeTarget<'_>, _: &[u8], _: &[u8], _: vfs::XattrSet) -> KResult<()> {
        Err(Error::NotSupported)
    }
    fn list_xattr(&mut self, _: NodeTarget<'_>) -> KResult<Vec<Vec<u8>>> {
        Ok(Vec::new())
    }
    fn remove_xattr(&mut self, _: NodeTarget<'_>, _: &[u8]) -> KResult<()> {
        Err(Error::NotSupported)
    }
    fn stat(&mut self, dir: DirFd, path: &[u8], follow: bool) -> KResult<FileStat> {
        self.files.iter().find(|(p, _)| p == path).map(|(_, s)| s.clone()).ok_or(Error::NotFound)
    }
    fn fstat(&mut self, fd: Fd) -> KResult<FileStat> {
        self.fds.iter().find(|f| f.0 == fd).map(|f| f.3.clone()).ok_or(Error::BadDescriptor)
    }
    fn chmod(&mut self, dir: DirFd, path: &[u8], mode: u32, follow: bool) -> KResult<()> {
        unimplemented!("fake core: chmod")
    }
    fn fchmod(&mut self, fd: Fd, mode: u32) -> KResult<()> {
        unimplemented!("fake core: fchmod")
    }
    fn chown(&mut self, dir: DirFd, path: &[u8], uid: Option<u32>, gid: Option<u32>, follow: bool) -> KResult<()> {
        unimplemented!("fake core: chown")
    }
    fn fchown(&mut self, fd: Fd, uid: Option<u32>, gid: Option<u32>) -> KResult<()> {
        unimplemented!("fake core: fchown")
    }
    fn set_times(
        &mut self,
        dir: DirFd,
        path: Option<&[u8]>,
        atime: Option<Option<(i64, u32)>>,
        mtime: Option<Option<(i64, u32)>>,
        follow: bool,
    ) -> KResult<()> {
        unimplemented!("fake core: set_times")
    }
    fn truncate(&mut self, dir: DirFd, path: &[u8], len: u64) -> KResult<()> {
        unimplemented!("fake core: truncate")
    }
    fn ftruncate(&mut self, fd: Fd, len: u64) -> KResult<()> {
        unimplemented!("fake core: ftruncate")
    }
    fn access(&mut self, dir: DirFd, path: &[u8], want: u32, effective_ids: bool, follow: bool) -> KResult<()> {
        unimplemented!("fake core: access")
    }
}
