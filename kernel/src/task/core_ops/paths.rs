//! How the kernel core implements `PathOps` (the name space: links,
//! directories, the working directory, root and umask).

use super::*;

impl PathOps for CoreOps<'_> {
    fn read_link(&mut self, dir: DirFd, path: &[u8]) -> KResult<Vec<u8>> {
        // An empty path reads the link the descriptor itself names (an
        // O_PATH|O_NOFOLLOW descriptor of a symlink), as Linux since 2.6.39.
        let node = match (path.is_empty(), dir) {
            (true, DirFd::Fd(fd)) => self.file_or_path(fd)?.node().ok_or(Error::InvalidArgument)?,
            _ => self.resolve(dir, path, false)?,
        };
        fs::with_vfs(|v| -> KResult<Vec<u8>> {
            if v.metadata(node)?.file_type != FileType::Symlink {
                return Err(Error::InvalidArgument);
            }
            Ok(v.fs(node.fs)?.lock().readlink(node.ino)?)
        })
    }

    fn read_dir(&mut self, fd: Fd, emit: &mut dyn FnMut(&DirEntryInfo<'_>) -> bool) -> KResult<()> {
        let file = self.file(fd)?;
        let node = file.node().ok_or(Error::NotDirectory)?;
        let mut cookie = file.offset.lock();
        fs::with_vfs(|v| -> KResult<()> {
            if !v.metadata(node)?.is_dir() {
                return Err(Error::NotDirectory);
            }
            let fs = v.fs(node.fs)?;
            let mut next = *cookie;
            fs.lock().read_dir(node.ino, *cookie, &mut |e| {
                let info =
                    DirEntryInfo { ino: e.ino, name: e.name, file_type: e.file_type, next_offset: e.next_cookie };
                if emit(&info) {
                    next = e.next_cookie;
                    true
                } else {
                    false
                }
            })?;
            *cookie = next;
            Ok(())
        })?;
        drop(cookie);
        if let Some(subject) = file.subject().filter(|_| fs::notify::active()) {
            fs::notify::accessed(subject);
        }
        Ok(())
    }

    fn make_dir(&mut self, dir: DirFd, path: &[u8], mode: u32) -> KResult<()> {
        self.make_node(dir, path, FileType::Directory, mode, (0, 0))
    }

    fn make_node(&mut self, dir: DirFd, path: &[u8], kind: FileType, mode: u32, rdev: (u32, u32)) -> KResult<()> {
        let (parent, name) = self.resolve_parent(dir, path)?;
        if name.is_empty() || name == b"." || name == b".." {
            return Err(Error::Exists);
        }
        if matches!(kind, FileType::CharDevice | FileType::BlockDevice) && !self.has(Privilege::Mknod) {
            return Err(Error::NotPermitted);
        }
        let requested = mode & 0o7777 & !self.current_umask();
        let node = match kind {
            FileType::Directory => NewNode::Directory,
            FileType::Regular => NewNode::File,
            FileType::Fifo => NewNode::Fifo,
            FileType::Socket => NewNode::Socket,
            FileType::CharDevice => NewNode::Device { char: true, major: rdev.0, minor: rdev.1 },
            FileType::BlockDevice => NewNode::Device { char: false, major: rdev.0, minor: rdev.1 },
            FileType::Symlink => return Err(Error::InvalidArgument),
        };
        let vcreds = self.creds();
        fs::with_vfs(|v| -> KResult<()> {
            let pmeta = v.metadata(parent)?;
            vfs::check_access(&pmeta, &vcreds, vfs::Access::WRITE | vfs::Access::EXECUTE)?;
            let attrs = vfs::ownership::new_node_attrs(&pmeta, &vcreds, kind == FileType::Directory, requested);
            v.fs(parent.fs)?.lock().create(parent.ino, &name, node, attrs, fs::now())?;
            Ok(())
        })?;
        fs::notify::created(parent, &name, kind == FileType::Directory);
        Ok(())
    }

    fn unlink(&mut self, dir: DirFd, path: &[u8], remove_dir: bool) -> KResult<()> {
        let (parent, name) = self.resolve_parent(dir, path)?;
        if name == b"." {
            return Err(Error::InvalidArgument);
        }
        if name == b".." {
            return Err(if remove_dir { Error::NotEmpty } else { Error::IsDirectory });
        }
        let vcreds = self.creds();
        let watched = fs::notify::active();
        let (child, last_name) = fs::with_vfs(|v| -> KResult<(NodeRef, bool)> {
            vfs::check_access(&v.metadata(parent)?, &vcreds, vfs::Access::WRITE | vfs::Access::EXECUTE)?;
            let child = v.lookup_entry(parent, &name)?;
            if v.mounts().iter().any(|m| m.mount_point == child) {
                return Err(Error::Busy);
            }
            // Whether this is the node's last name (asked only when watched).
            let last_name = remove_dir || (watched && v.metadata(child).is_ok_and(|m| m.nlink <= 1));
            let fs = v.fs(parent.fs)?;
            if remove_dir {
                fs.lock().rmdir(parent.ino, &name, fs::now())?;
            } else {
                if !remove_dir && path.ends_with(b"/") {
                    return Err(Error::IsDirectory);
                }
                fs.lock().unlink(parent.ino, &name, fs::now())?;
            }
            Ok((child, last_name))
        })?;
        crate::mm::page_cache::node_unlinked(child);
        fs::notify::removed(parent, &name, child, remove_dir, last_name);
        Ok(())
    }

    fn rename(&mut self, old_dir: DirFd, old: &[u8], new_dir: DirFd, new: &[u8], no_replace: bool) -> KResult<()> {
        let (from, from_name) = self.resolve_parent(old_dir, old)?;
        let (to, to_name) = self.resolve_parent(new_dir, new)?;
        for n in [&from_name, &to_name] {
            if n.is_empty() || *n == b"." || *n == b".." {
                return Err(Error::Busy);
            }
        }
        if from.fs != to.fs {
            return Err(Error::CrossDevice);
        }
        let vcreds = self.creds();
        let watched = fs::notify::active();
        let (replaced, moved) = fs::with_vfs(|v| -> KResult<_> {
            for d in [from, to] {
                vfs::check_access(&v.metadata(d)?, &vcreds, vfs::Access::WRITE | vfs::Access::EXECUTE)?;
            }
            let replaced = v.lookup_entry(to, &to_name).ok();
            if no_replace && replaced.is_some() {
                return Err(Error::Exists);
            }
            // What the events need, asked only when something is watched:
            // the moved node, and what the replaced one was.
            let moved = if watched {
                v.lookup_entry(from, &from_name).ok().and_then(|n| Some((n, v.metadata(n).ok()?.is_dir())))
            } else {
                None
            };
            let replaced_info = match replaced {
                Some(r) if watched => v.metadata(r).ok().map(|m| fs::notify::Replaced {
                    node: r,
                    is_dir: m.is_dir(),
                    last_name: m.is_dir() || m.nlink <= 1,
                }),
                _ => None,
            };
            v.fs(from.fs)?.lock().rename(from.ino, &from_name, to.ino, &to_name, fs::now())?;
            Ok((replaced.map(|r| (r, replaced_info)), moved))
        })?;
        let replaced_info = match replaced {
            Some((node, info)) => {
                crate::mm::page_cache::node_unlinked(node);
                info
            }
            None => None,
        };
        if let Some((node, is_dir)) = moved {
            // Renaming a name onto another name of the same node changes nothing.
            if replaced_info.as_ref().is_none_or(|r| r.node != node) {
                fs::notify::moved(from, &from_name, to, &to_name, node, is_dir, replaced_info);
            }
        }
        Ok(())
    }

    fn link(&mut self, old_dir: DirFd, old: &[u8], new_dir: DirFd, new: &[u8], follow: bool) -> KResult<()> {
        // An empty `old` (AT_EMPTY_PATH): the descriptor's own file. A pipe
        // or socket lives on no file system here (on Linux, on its own
        // pseudo one): EXDEV, as Linux.
        let target = match (old.is_empty(), old_dir) {
            (true, DirFd::Fd(fd)) => self.file_or_path(fd)?.node().ok_or(Error::CrossDevice)?,
            (true, DirFd::Cwd) => self.start(DirFd::Cwd, old)?.0,
            (false, _) => self.resolve(old_dir, old, follow)?,
        };
        let (parent, name) = self.resolve_parent(new_dir, new)?;
        if parent.fs != target.fs {
            return Err(Error::CrossDevice);
        }
        if name.is_empty() || name == b"." || name == b".." {
            return Err(Error::Exists);
        }
        fs::with_vfs(|v| -> KResult<()> {
            let meta = v.metadata(target)?;
            if meta.is_dir() {
                return Err(Error::NotPermitted);
            }
            // A file already unlinked (reached through a descriptor or
            // /proc/self/fd) may not come back: ENOENT, as Linux's vfs_link
            // (only O_TMPFILE files may, and there are none here).
            if meta.nlink == 0 {
                return Err(Error::NotFound);
            }
            Ok(v.fs(parent.fs)?.lock().link(parent.ino, &name, target.ino, fs::now())?)
        })?;
        fs::notify::linked(target, parent, &name);
        Ok(())
    }

    fn symlink(&mut self, target: &[u8], dir: DirFd, path: &[u8]) -> KResult<()> {
        if target.is_empty() {
            return Err(Error::NotFound);
        }
        let (parent, name) = self.resolve_parent(dir, path)?;
        if name.is_empty() || name == b"." || name == b".." {
            return Err(Error::Exists);
        }
        let vcreds = self.creds();
        fs::with_vfs(|v| -> KResult<()> {
            let pmeta = v.metadata(parent)?;
            vfs::check_access(&pmeta, &vcreds, vfs::Access::WRITE | vfs::Access::EXECUTE)?;
            let attrs = vfs::ownership::new_node_attrs(&pmeta, &vcreds, false, 0o777);
            v.fs(parent.fs)?.lock().create(parent.ino, &name, NewNode::Symlink(target), attrs, fs::now())?;
            Ok(())
        })?;
        fs::notify::created(parent, &name, false);
        Ok(())
    }

    fn chdir(&mut self, path: &[u8]) -> KResult<()> {
        let node = self.resolve(DirFd::Cwd, path, true)?;
        self.enter_dir(node)
    }

    fn fchdir(&mut self, fd: Fd) -> KResult<()> {
        let node = self.file_or_path(fd)?.node().ok_or(Error::NotDirectory)?;
        self.enter_dir(node)
    }

    /// As Linux orders it: the path (ENOENT, ENOTDIR), search permission
    /// on the directory (EACCES), then the privilege (EPERM).
    fn chroot(&mut self, path: &[u8]) -> KResult<()> {
        let node = self.resolve(DirFd::Cwd, path, true)?;
        let creds = self.creds();
        fs::with_vfs(|v| -> KResult<()> {
            let meta = v.metadata(node)?;
            if !meta.is_dir() {
                return Err(Error::NotDirectory);
            }
            Ok(vfs::check_access(&meta, &creds, vfs::Access::EXECUTE)?)
        })?;
        if !self.has(Privilege::SysChroot) {
            return Err(Error::NotPermitted);
        }
        self.process.fs().lock().root = node;
        Ok(())
    }

    fn getcwd(&mut self) -> KResult<Vec<u8>> {
        let ctx = self.process.fs().lock().clone();
        fs::with_vfs(|v| Ok(v.path_of(ctx.cwd, ctx.root)?))
    }

    fn umask(&mut self, new: u32) -> u32 {
        core::mem::replace(&mut self.process.fs().lock().umask, new & 0o777)
    }
}

impl CoreOps<'_> {
    fn enter_dir(&mut self, node: NodeRef) -> KResult<()> {
        let creds = self.creds();
        fs::with_vfs(|v| -> KResult<()> {
            let meta = v.metadata(node)?;
            if !meta.is_dir() {
                return Err(Error::NotDirectory);
            }
            Ok(vfs::check_access(&meta, &creds, vfs::Access::EXECUTE)?)
        })?;
        self.process.fs().lock().cwd = node;
        Ok(())
    }
}
