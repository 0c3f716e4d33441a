//! How the kernel core implements `FileHandleOps` (file handles).

use super::*;

impl FileHandleOps for CoreOps<'_> {
    fn node_handle(&mut self, dir: DirFd, path: Option<&[u8]>, follow: bool) -> KResult<NodeHandle> {
        let (node, reached_by) = match (path, dir) {
            (Some(p), _) => {
                let node = self.resolve(dir, p, follow)?;
                let (start, root) = self.start(dir, p)?;
                let creds = self.creds();
                // The path is remembered for an open by handle; a symlink
                // not followed has none of its own to give.
                let located = fs::with_vfs(|v| {
                    if follow || v.metadata(node).is_ok_and(|m| m.file_type != FileType::Symlink) {
                        fs::locate(v, start, root, p, &creds)
                    } else {
                        None
                    }
                });
                (node, located.map(|(path, _)| path))
            }
            (None, DirFd::Cwd) => (self.process.fs().lock().cwd, None),
            (None, DirFd::Fd(fd)) => {
                let file = self.file_or_path(fd)?;
                // Pipes, sockets and other objects without a node: Linux's
                // pipefs and sockfs cannot encode handles either.
                (file.node().ok_or(Error::NotSupported)?, Some(file.path.clone()))
            }
        };
        let decodable = fs::with_vfs(|v| v.fs(node.fs).map(|f| fs::file_handle::decodable(f.lock().name())))?;
        if let Some(p) = reached_by.filter(|p| p.first() == Some(&b'/')) {
            fs::file_handle::remember(node.fs, node.ino, p);
        }
        Ok(NodeHandle {
            mount_id: fs::mount_table::mount_id(node.fs),
            fs: node.fs.0,
            ino: node.ino,
            generation: 0,
            decodable,
        })
    }

    fn open_by_handle(&mut self, anchor: DirFd, handle: &NodeHandle, flags: OpenFlags) -> KResult<Fd> {
        let anchor_node = match anchor {
            DirFd::Cwd => self.process.fs().lock().cwd,
            DirFd::Fd(fd) => self.file_or_path(fd)?.node().ok_or(Error::Stale)?,
        };
        let node = NodeRef { fs: vfs::FsId(handle.fs), ino: handle.ino };
        // The handle must be of the anchor's file system, one that can find
        // nodes by number, and name a node that still has a name.
        if anchor_node.fs != node.fs || handle.generation != 0 {
            return Err(Error::Stale);
        }
        let meta = fs::with_vfs(|v| -> KResult<vfs::Metadata> {
            if !fs::file_handle::decodable(v.fs(node.fs)?.lock().name()) {
                return Err(Error::Stale);
            }
            v.metadata(node).map_err(|_| Error::Stale)
        })?;
        if meta.nlink == 0 {
            return Err(Error::Stale);
        }
        // Where it was reached by name, if that still leads to it.
        let root = self.process.fs().lock().root;
        let creds = self.creds();
        let located = fs::file_handle::remembered(node.fs, node.ino).and_then(|p| {
            fs::with_vfs(|v| fs::locate(v, root, root, &p, &creds))
                .filter(|_| self.resolve(DirFd::Cwd, &p, false).ok() == Some(node) || meta.is_dir())
        });
        let (path_str, entry_dir) = match located {
            Some(found) => found,
            None if meta.is_dir() => (fs::with_vfs(|v| v.path_of(node, root)).unwrap_or_else(|_| b"/".to_vec()), None),
            // Linux shows a disconnected file as "/" too.
            None => (b"/".to_vec(), None),
        };
        let flags = OpenFlags { create: false, exclusive: false, ..flags };
        self.open_node(node, flags, path_str, entry_dir)
    }
}
