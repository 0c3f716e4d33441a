//! How the fake core implements `FileHandleOps` (file handles).

use super::*;

impl FileHandleOps for FakeCore {
    /// "file" (from anywhere) is node 42 of file system 3 behind mount 24;
    /// "/proc/x" is on a file system that cannot open by handle.
    fn node_handle(&mut self, dir: DirFd, path: Option<&[u8]>, follow: bool) -> KResult<NodeHandle> {
        match path {
            Some(b"file") => Ok(NodeHandle { mount_id: 24, fs: 3, ino: 42, generation: 0, decodable: true }),
            Some(b"/proc/x") => Ok(NodeHandle { mount_id: 22, fs: 1, ino: 7, generation: 0, decodable: false }),
            _ => Err(Error::NotFound),
        }
    }
    /// Records the handle and answers fd 33.
    fn open_by_handle(&mut self, anchor: DirFd, handle: &NodeHandle, flags: OpenFlags) -> KResult<Fd> {
        self.log.push(format!(
            "open_by_handle {anchor:?} fs {} ino {} read {} write {}",
            handle.fs, handle.ino, flags.read, flags.write
        ));
        Ok(33)
    }
}
