//! How the fake core implements `PathOps` (the name space: links,
//! directories, the working directory, root and umask).

use super::*;

impl PathOps for FakeCore {
    fn read_link(&mut self, dir: DirFd, path: &[u8]) -> KResult<Vec<u8>> {
        unimplemented!("fake core: read_link")
    }
    fn read_dir(&mut self, fd: Fd, emit: &mut dyn FnMut(&DirEntryInfo<'_>) -> bool) -> KResult<()> {
        unimplemented!("fake core: read_dir")
    }
    fn make_dir(&mut self, dir: DirFd, path: &[u8], mode: u32) -> KResult<()> {
        unimplemented!("fake core: make_dir")
    }
    fn make_node(&mut self, dir: DirFd, path: &[u8], node: vfs::FileType, mode: u32, rdev: (u32, u32)) -> KResult<()> {
        unimplemented!("fake core: make_node")
    }
    fn unlink(&mut self, dir: DirFd, path: &[u8], remove_dir: bool) -> KResult<()> {
        unimplemented!("fake core: unlink")
    }
    fn rename(&mut self, old_dir: DirFd, old: &[u8], new_dir: DirFd, new: &[u8], no_replace: bool) -> KResult<()> {
        unimplemented!("fake core: rename")
    }
    fn link(&mut self, old_dir: DirFd, old: &[u8], new_dir: DirFd, new: &[u8], follow: bool) -> KResult<()> {
        unimplemented!("fake core: link")
    }
    fn symlink(&mut self, target: &[u8], dir: DirFd, path: &[u8]) -> KResult<()> {
        unimplemented!("fake core: symlink")
    }
    fn chdir(&mut self, path: &[u8]) -> KResult<()> {
        unimplemented!("fake core: chdir")
    }
    fn fchdir(&mut self, fd: Fd) -> KResult<()> {
        unimplemented!("fake core: fchdir")
    }
    fn chroot(&mut self, path: &[u8]) -> KResult<()> {
        unimplemented!("fake core: chroot")
    }
    fn getcwd(&mut self) -> KResult<Vec<u8>> {
        unimplemented!("fake core: getcwd")
    }
    fn umask(&mut self, new: u32) -> u32 {
        unimplemented!("fake core: umask")
    }
}
