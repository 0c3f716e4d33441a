//! The name space: links, directories, the working directory, root and
//! umask: one part of the core's surface, [`crate::KernelOps`].

use crate::{DirEntryInfo, DirFd, Fd, KResult};
use alloc::vec::Vec;

/// The name space: reading links and directories, creating, removing and
/// renaming names, and the caller's working directory, root and umask.
pub trait PathOps {
    fn read_link(&mut self, dir: DirFd, path: &[u8]) -> KResult<Vec<u8>>;
    /// Emits directory entries from the fd's position; `emit` returns false
    /// when the caller's buffer is full (that entry is not consumed).
    fn read_dir(&mut self, fd: Fd, emit: &mut dyn FnMut(&DirEntryInfo<'_>) -> bool) -> KResult<()>;
    fn make_dir(&mut self, dir: DirFd, path: &[u8], mode: u32) -> KResult<()>;
    fn make_node(&mut self, dir: DirFd, path: &[u8], node: vfs::FileType, mode: u32, rdev: (u32, u32)) -> KResult<()>;
    fn unlink(&mut self, dir: DirFd, path: &[u8], remove_dir: bool) -> KResult<()>;
    fn rename(&mut self, old_dir: DirFd, old: &[u8], new_dir: DirFd, new: &[u8], no_replace: bool) -> KResult<()>;
    /// An empty `old` links the file `old_dir` itself names (the caller
    /// passes one only for AT_EMPTY_PATH, having checked the privilege).
    fn link(&mut self, old_dir: DirFd, old: &[u8], new_dir: DirFd, new: &[u8], follow: bool) -> KResult<()>;
    fn symlink(&mut self, target: &[u8], dir: DirFd, path: &[u8]) -> KResult<()>;
    fn chdir(&mut self, path: &[u8]) -> KResult<()>;
    fn fchdir(&mut self, fd: Fd) -> KResult<()>;
    fn chroot(&mut self, path: &[u8]) -> KResult<()>;
    fn getcwd(&mut self) -> KResult<Vec<u8>>;
    fn umask(&mut self, new: u32) -> u32;
}
