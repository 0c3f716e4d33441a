//! File systems as a whole: statfs, sync, mounts: one part of the core's
//! surface, [`crate::KernelOps`].

use crate::{DirFd, Error, Fd, FsInfo, KResult};
use alloc::vec::Vec;

/// File systems as a whole: their statistics, writing them back, mounting
/// and unmounting them, and the types the kernel knows.
pub trait FilesystemOps {
    /// statfs(2): the file system holding what `path` names.
    fn fs_info(&mut self, dir: DirFd, path: &[u8], follow: bool) -> KResult<FsInfo>;
    /// fstatfs(2): the file system holding what `fd` refers to.
    fn fd_fs_info(&mut self, fd: Fd) -> KResult<FsInfo>;
    fn sync(&mut self);
    /// syncfs: writes back the file system holding the file behind `fd`.
    fn sync_filesystem(&mut self, fd: Fd) -> KResult<()>;
    /// mount(2): mounts a file system of type `fstype` from `source` (a
    /// device node, for disk file systems) on the directory `target`.
    fn mount(&mut self, source: &[u8], target: &[u8], fstype: &[u8], read_only: bool) -> KResult<()>;
    /// Makes the file system mounted at `target` (its root) read-only or
    /// writable again (`InvalidArgument` when `target` is no mount's root,
    /// or the file system cannot change).
    fn remount(&mut self, target: &[u8], read_only: bool) -> KResult<()> {
        let _ = (target, read_only);
        Err(Error::NotImplemented)
    }
    /// umount2(2): unmounts the file system mounted on (or rooted at) `target`.
    fn unmount(&mut self, target: &[u8]) -> KResult<()>;
    /// The file system types the kernel knows, in /proc/filesystems order.
    fn filesystem_types(&mut self) -> Vec<Vec<u8>> {
        Vec::new()
    }
}
