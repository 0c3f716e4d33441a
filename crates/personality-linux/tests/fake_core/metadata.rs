//! How the fake core implements `MetadataOps` (file status, extended
//! attributes, ownership, modes, times, sizes and access checks).

use super::file_state::text;
use super::*;

impl MetadataOps for FakeCore {
    /// Attributes live in `file_state.xattrs` (one set for every node);
    /// a missing one is ENODATA.
    fn get_xattr(&mut self, target: NodeTarget<'_>, name: &[u8]) -> KResult<Vec<u8>> {
        self.file_state.calls.push(format!("get_xattr {} {}", node(target), text(name)));
        self.file_state.xattrs.iter().find(|x| x.0 == name).map(|x| x.1.clone()).ok_or(Error::NoData)
    }
    fn set_xattr(&mut self, target: NodeTarget<'_>, name: &[u8], value: &[u8], how: vfs::XattrSet) -> KResult<()> {
        self.file_state.record(format!("set_xattr {} {} {} {how:?}", node(target), text(name), text(value)))?;
        let xattrs = &mut self.file_state.xattrs;
        let at = xattrs.iter().position(|x| x.0 == name);
        match (at, how) {
            (Some(_), vfs::XattrSet::Create) => Err(Error::Exists),
            (None, vfs::XattrSet::Replace) => Err(Error::NoData),
            (Some(i), _) => {
                xattrs[i].1 = value.to_vec();
                Ok(())
            }
            (None, _) => {
                xattrs.push((name.to_vec(), value.to_vec()));
                Ok(())
            }
        }
    }
    fn list_xattr(&mut self, target: NodeTarget<'_>) -> KResult<Vec<Vec<u8>>> {
        self.file_state.calls.push(format!("list_xattr {}", node(target)));
        Ok(self.file_state.xattrs.iter().map(|x| x.0.clone()).collect())
    }
    fn remove_xattr(&mut self, target: NodeTarget<'_>, name: &[u8]) -> KResult<()> {
        self.file_state.record(format!("remove_xattr {} {}", node(target), text(name)))?;
        let at = self.file_state.xattrs.iter().position(|x| x.0 == name).ok_or(Error::NoData)?;
        self.file_state.xattrs.remove(at);
        Ok(())
    }
    fn stat(&mut self, dir: DirFd, path: &[u8], follow: bool) -> KResult<FileStat> {
        self.file_state.calls.push(format!("stat {dir:?} {} {follow}", text(path)));
        self.files.iter().find(|(p, _)| p == path).map(|(_, s)| s.clone()).ok_or(Error::NotFound)
    }
    fn fstat(&mut self, fd: Fd) -> KResult<FileStat> {
        self.fds.iter().find(|f| f.0 == fd).map(|f| f.3.clone()).ok_or(Error::BadDescriptor)
    }
    fn chmod(&mut self, dir: DirFd, path: &[u8], mode: u32, follow: bool) -> KResult<()> {
        self.file_state.record(format!("chmod {dir:?} {} {mode:o} {follow}", text(path)))
    }
    fn fchmod(&mut self, fd: Fd, mode: u32) -> KResult<()> {
        self.open_fd(fd)?;
        self.file_state.record(format!("fchmod {fd} {mode:o}"))
    }
    fn chown(&mut self, dir: DirFd, path: &[u8], uid: Option<u32>, gid: Option<u32>, follow: bool) -> KResult<()> {
        self.file_state.record(format!("chown {dir:?} {} {uid:?} {gid:?} {follow}", text(path)))
    }
    fn fchown(&mut self, fd: Fd, uid: Option<u32>, gid: Option<u32>) -> KResult<()> {
        self.open_fd(fd)?;
        self.file_state.record(format!("fchown {fd} {uid:?} {gid:?}"))
    }
    fn set_times(
        &mut self,
        dir: DirFd,
        path: Option<&[u8]>,
        atime: Option<Option<(i64, u32)>>,
        mtime: Option<Option<(i64, u32)>>,
        follow: bool,
    ) -> KResult<()> {
        let path = path.map(text);
        self.file_state.record(format!("set_times {dir:?} {path:?} {atime:?} {mtime:?} {follow}"))
    }
    fn truncate(&mut self, dir: DirFd, path: &[u8], len: u64) -> KResult<()> {
        self.file_state.record(format!("truncate {dir:?} {} {len}", text(path)))
    }
    /// Sets the size of a descriptor in `fds`.
    fn ftruncate(&mut self, fd: Fd, len: u64) -> KResult<()> {
        self.open_fd(fd)?;
        self.file_state.record(format!("ftruncate {fd} {len}"))?;
        if let Some(f) = self.fds.iter_mut().find(|f| f.0 == fd) {
            f.3.meta.size = len;
        }
        Ok(())
    }
    fn access(&mut self, dir: DirFd, path: &[u8], want: u32, effective_ids: bool, follow: bool) -> KResult<()> {
        self.file_state.record(format!("access {dir:?} {} {want} {effective_ids} {follow}", text(path)))
    }
}

/// A node as the call log shows it.
fn node(target: NodeTarget<'_>) -> String {
    match target {
        NodeTarget::Path { dir, path, follow } => format!("{dir:?} {} {follow}", text(path)),
        NodeTarget::Fd(fd) => format!("fd {fd}"),
    }
}
