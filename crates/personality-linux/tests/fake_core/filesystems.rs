//! How the fake core implements `FilesystemOps` (file systems as a whole:
//! statfs, sync, mounts).

use super::*;

impl FilesystemOps for FakeCore {
    fn fs_info(&mut self, dir: DirFd, path: &[u8], follow: bool) -> KResult<FsInfo> {
        self.files.iter().find(|(p, _)| p == path).map(|_| self.fs_info.clone()).ok_or(Error::NotFound)
    }
    fn fd_fs_info(&mut self, fd: Fd) -> KResult<FsInfo> {
        Err(Error::BadDescriptor)
    }
    fn sync(&mut self) {
        self.file_state.calls.push("sync".into());
    }
    fn sync_filesystem(&mut self, fd: Fd) -> KResult<()> {
        self.open_fd(fd)?;
        self.file_state.record(format!("sync_filesystem {fd}"))
    }
    fn mount(&mut self, _: &[u8], _: &[u8], _: &[u8], _: bool) -> KResult<()> {
        unimplemented!("fake core: mount")
    }
    fn unmount(&mut self, _: &[u8]) -> KResult<()> {
        unimplemented!("fake core: unmount")
    }
}
