//! File status, extended attributes, ownership, modes, times, sizes and
//! access checks: one part of the core's surface, [`crate::KernelOps`].

use crate::{DirFd, Fd, FileStat, KResult, NodeTarget};
use alloc::vec::Vec;

/// What the file system records about a node: status, extended attributes,
/// mode, owner, times and size, and the access checks against them.
pub trait MetadataOps {
    fn stat(&mut self, dir: DirFd, path: &[u8], follow: bool) -> KResult<FileStat>;
    /// Extended attributes (`namespace.name`): the core applies the
    /// namespaces' permission rules (user: the file's read or write
    /// permission, regular files and directories only; trusted: SysAdmin;
    /// security: SysAdmin to change; others NotSupported) and the file
    /// system stores them (`NotSupported` where it cannot).
    fn get_xattr(&mut self, target: NodeTarget<'_>, name: &[u8]) -> KResult<Vec<u8>>;
    fn set_xattr(&mut self, target: NodeTarget<'_>, name: &[u8], value: &[u8], how: vfs::XattrSet) -> KResult<()>;
    /// The names the caller may see (trusted.* only with SysAdmin).
    fn list_xattr(&mut self, target: NodeTarget<'_>) -> KResult<Vec<Vec<u8>>>;
    fn remove_xattr(&mut self, target: NodeTarget<'_>, name: &[u8]) -> KResult<()>;
    fn fstat(&mut self, fd: Fd) -> KResult<FileStat>;
    fn chmod(&mut self, dir: DirFd, path: &[u8], mode: u32, follow: bool) -> KResult<()>;
    fn fchmod(&mut self, fd: Fd, mode: u32) -> KResult<()>;
    fn chown(&mut self, dir: DirFd, path: &[u8], uid: Option<u32>, gid: Option<u32>, follow: bool) -> KResult<()>;
    fn fchown(&mut self, fd: Fd, uid: Option<u32>, gid: Option<u32>) -> KResult<()>;
    /// Times in ns since the epoch; None leaves one unchanged, `Some(None)`
    /// inside means "now". `path` None means the fd itself (futimens).
    fn set_times(
        &mut self,
        dir: DirFd,
        path: Option<&[u8]>,
        atime: Option<Option<(i64, u32)>>,
        mtime: Option<Option<(i64, u32)>>,
        follow: bool,
    ) -> KResult<()>;
    fn truncate(&mut self, dir: DirFd, path: &[u8], len: u64) -> KResult<()>;
    fn ftruncate(&mut self, fd: Fd, len: u64) -> KResult<()>;
    /// `want` is a set of R=4/W=2/X=1 bits; 0 checks existence. An empty
    /// `path` names `dir` itself (the caller passes one only for
    /// AT_EMPTY_PATH).
    fn access(&mut self, dir: DirFd, path: &[u8], want: u32, effective_ids: bool, follow: bool) -> KResult<()>;
}
