//! How the kernel core implements `MetadataOps` (file status, extended
//! attributes, ownership, modes, times, sizes and access checks).

use super::*;

impl MetadataOps for CoreOps<'_> {
    fn stat(&mut self, dir: DirFd, path: &[u8], follow: bool) -> KResult<FileStat> {
        let node = match self.resolve(dir, path, follow) {
            Ok(n) => n,
            // /proc/<pid>/fd/N is a magic link: following it reaches the open
            // file itself, even one no path names (a pipe: bash's <(...)).
            Err(Error::NotFound) if follow => return self.stat_descriptor_link(dir, path),
            Err(e) => return Err(e),
        };
        let meta = fs::with_vfs(|v| v.metadata(node))?;
        Ok(FileStat { dev: u64::from(node.fs.0) + 1, meta })
    }

    fn get_xattr(&mut self, target: NodeTarget<'_>, name: &[u8]) -> KResult<Vec<u8>> {
        // The node first: a missing file is ENOENT whatever the name.
        let ns = fs::xattr::namespace(name);
        let node = self.xattr_node(target, ns.ok(), false)?;
        let ns = ns?;
        let (creds, admin) = (self.creds(), self.has(Privilege::SysAdmin));
        fs::with_vfs(|v| -> KResult<Vec<u8>> {
            fs::xattr::check(ns, &v.metadata(node)?, &creds, admin, false)?;
            Ok(v.fs(node.fs)?.lock().get_xattr(node.ino, name)?)
        })
    }

    fn set_xattr(&mut self, target: NodeTarget<'_>, name: &[u8], value: &[u8], how: vfs::XattrSet) -> KResult<()> {
        self.change_xattr(target, name, |store, ino| store.set_xattr(ino, name, value, how, fs::now()))
    }

    fn list_xattr(&mut self, target: NodeTarget<'_>) -> KResult<Vec<Vec<u8>>> {
        let node = match self.xattr_node(target, None, false) {
            Err(Error::NotSupported) => return Ok(Vec::new()),
            other => other?,
        };
        let admin = self.has(Privilege::SysAdmin);
        let names = match fs::with_vfs(|v| v.fs(node.fs)?.lock().list_xattr(node.ino)) {
            // A file system without attributes lists none.
            Err(vfs::Error::NotSupported) => Vec::new(),
            other => other?,
        };
        Ok(names.into_iter().filter(|n| fs::xattr::listed(n, admin)).collect())
    }

    fn remove_xattr(&mut self, target: NodeTarget<'_>, name: &[u8]) -> KResult<()> {
        self.change_xattr(target, name, |store, ino| store.remove_xattr(ino, name, fs::now()))
    }

    fn fstat(&mut self, fd: Fd) -> KResult<FileStat> {
        let file = self.file_or_path(fd)?;
        // The uid first: a guard in the call's argument would hold the
        // credentials' spinlock across the VFS call.
        let uid = self.process.creds.lock().uid;
        stat_open_file(&file, uid, self.process.personality())
    }

    fn chmod(&mut self, dir: DirFd, path: &[u8], mode: u32, follow: bool) -> KResult<()> {
        let node = self.resolve(dir, path, follow)?;
        let entry = self.entry_named(dir, path, node);
        self.set_meta(node, entry, MetadataChange { mode: Some(mode & 0o7777), ..Default::default() })
    }

    fn fchmod(&mut self, fd: Fd, mode: u32) -> KResult<()> {
        let file = self.file_or_path(fd)?;
        let node = file.node().ok_or(Error::InvalidArgument)?;
        self.set_meta(
            node,
            Self::entry_of_file(&file),
            MetadataChange { mode: Some(mode & 0o7777), ..Default::default() },
        )
    }

    fn chown(&mut self, dir: DirFd, path: &[u8], uid: Option<u32>, gid: Option<u32>, follow: bool) -> KResult<()> {
        let node = self.resolve(dir, path, follow)?;
        let entry = self.entry_named(dir, path, node);
        self.change_owner(node, entry, uid, gid)
    }

    fn fchown(&mut self, fd: Fd, uid: Option<u32>, gid: Option<u32>) -> KResult<()> {
        let file = self.file_or_path(fd)?;
        let node = file.node().ok_or(Error::InvalidArgument)?;
        self.change_owner(node, Self::entry_of_file(&file), uid, gid)
    }

    fn set_times(
        &mut self,
        dir: DirFd,
        path: Option<&[u8]>,
        atime: Option<Option<(i64, u32)>>,
        mtime: Option<Option<(i64, u32)>>,
        follow: bool,
    ) -> KResult<()> {
        let (node, entry) = match path {
            Some(p) => {
                let node = self.resolve(dir, p, follow)?;
                (node, self.entry_named(dir, p, node))
            }
            None => match dir {
                DirFd::Fd(fd) => {
                    let file = self.file_or_path(fd)?;
                    (file.node().ok_or(Error::BadDescriptor)?, Self::entry_of_file(&file))
                }
                DirFd::Cwd => return Err(Error::Fault),
            },
        };
        let now = fs::now();
        let pick = |t: Option<Option<(i64, u32)>>| t.map(|inner| inner.map_or(now, ts));
        let change = MetadataChange { atime: pick(atime), mtime: pick(mtime), ..Default::default() };
        let creds = self.creds();
        fs::with_vfs(|v| -> KResult<bool> {
            refuse_on_read_only(v, node)?;
            let meta = v.metadata(node)?;
            let owner = creds.may(vfs::Overrides::OWNER) || creds.uid == meta.uid;
            let to_now = atime.is_none_or(|a| a.is_none()) && mtime.is_none_or(|m| m.is_none());
            if !owner && !(to_now && vfs::check_access(&meta, &creds, vfs::Access::WRITE).is_ok()) {
                return Err(if to_now { Error::PermissionDenied } else { Error::NotPermitted });
            }
            v.fs(node.fs)?.lock().set_metadata(node.ino, change, now)?;
            Ok(meta.is_dir())
        })
        .map(|is_dir| {
            // Both times: ATTRIBUTES; only one: that time's own event, as Linux.
            let subject =
                fs::notify::Subject { node, entry: entry.as_ref().map(|(d, n)| (*d, &n[..])), is_dir, path: None };
            match (atime.is_some(), mtime.is_some()) {
                (true, true) => fs::notify::attributes_changed(subject),
                (true, false) => fs::notify::accessed(subject),
                (false, true) => fs::notify::modified(subject),
                (false, false) => {}
            }
        })
    }

    fn truncate(&mut self, dir: DirFd, path: &[u8], len: u64) -> KResult<()> {
        let node = self.resolve(dir, path, true)?;
        let creds = self.creds();
        fs::with_vfs(|v| -> KResult<()> {
            let meta = v.metadata(node)?;
            if meta.is_dir() {
                return Err(Error::IsDirectory);
            }
            Ok(vfs::check_access(&meta, &creds, vfs::Access::WRITE)?)
        })?;
        fs::write_denial::check_write(node)?;
        // As an open for writing would (ftruncate needs one already).
        fs::leases::break_for_open(node, true, false)?;
        let entry = self.entry_named(dir, path, node);
        truncate_node(
            node,
            len,
            Some(fs::notify::Subject {
                node,
                entry: entry.as_ref().map(|(d, n)| (*d, &n[..])),
                is_dir: false,
                path: None,
            }),
        )
    }

    fn ftruncate(&mut self, fd: Fd, len: u64) -> KResult<()> {
        let file = self.file(fd)?;
        if !file.can_write() {
            return Err(Error::InvalidArgument);
        }
        let node = file.node().ok_or(Error::InvalidArgument)?;
        truncate_node(node, len, file.subject())
    }

    fn access(&mut self, dir: DirFd, path: &[u8], want: u32, effective_ids: bool, follow: bool) -> KResult<()> {
        // An empty path (AT_EMPTY_PATH) asks about the descriptor's file.
        let node = match (path.is_empty(), dir) {
            (true, DirFd::Fd(fd)) => match self.file_or_path(fd)?.node() {
                Some(n) => n,
                // A pipe, socket or other object: Linux asks its anonymous
                // inode, read and write for its owner (who made it) and no
                // execute.
                None => return if want & 1 != 0 { Err(Error::PermissionDenied) } else { Ok(()) },
            },
            (true, DirFd::Cwd) => self.start(DirFd::Cwd, path)?.0,
            (false, _) => self.resolve(dir, path, follow)?,
        };
        // faccessat2(AT_EACCESS) asks as the process is; plain access(2)
        // as its real ids, with the privileges uid 0 would have.
        let creds = if effective_ids { self.process.vfs_credentials() } else { self.process.real_vfs_credentials() };
        let access = vfs::Access::from_bits(want & 7);
        fs::with_vfs(|v| -> KResult<()> {
            let meta = v.metadata(node)?;
            // Write access to a file or directory of a read-only mount is
            // EROFS, even for root (devices and FIFOs are not its to refuse).
            if access.contains(vfs::Access::WRITE)
                && matches!(meta.file_type, FileType::Regular | FileType::Directory | FileType::Symlink)
            {
                refuse_on_read_only(v, node)?;
            }
            Ok(vfs::check_access(&meta, &creds, access)?)
        })
    }
}

impl CoreOps<'_> {
    /// The node whose extended attributes a call names; a descriptor of
    /// something that is not a file-system node has none.
    /// A pipe, socket or other kernel object is neither a regular file nor
    /// a directory: user.* attributes are refused as on such a node
    /// (`write`: EPERM, reading: ENODATA), the others have no store.
    fn xattr_node(&self, target: NodeTarget<'_>, ns: Option<fs::xattr::Namespace>, write: bool) -> KResult<NodeRef> {
        match target {
            NodeTarget::Path { dir, path, follow } => self.resolve(dir, path, follow),
            NodeTarget::Fd(fd) => self.file(fd)?.node().ok_or(match ns {
                Some(fs::xattr::Namespace::User) if write => Error::NotPermitted,
                Some(fs::xattr::Namespace::User) => Error::NoData,
                _ => Error::NotSupported,
            }),
        }
    }

    /// Sets or removes attribute `name` with `change`, once the namespace's
    /// rules allow it, and tells the node's watchers.
    fn change_xattr(
        &self,
        target: NodeTarget<'_>,
        name: &[u8],
        change: impl FnOnce(&mut dyn vfs::FileSystem, vfs::Ino) -> Result<(), vfs::Error>,
    ) -> KResult<()> {
        // The node first: a missing file is ENOENT whatever the name.
        let ns = fs::xattr::namespace(name);
        let node = self.xattr_node(target, ns.ok(), true)?;
        let ns = ns?;
        let (creds, admin) = (self.creds(), self.has(Privilege::SysAdmin));
        let is_dir = fs::with_vfs(|v| -> KResult<bool> {
            let meta = v.metadata(node)?;
            fs::xattr::check(ns, &meta, &creds, admin, true)?;
            change(&mut **v.fs(node.fs)?.lock(), node.ino)?;
            Ok(meta.is_dir())
        })?;
        fs::notify::attributes_changed(fs::notify::Subject { node, entry: None, is_dir, path: None });
        Ok(())
    }

    /// Changes mode or owner; `entry` is the directory entry the node was
    /// named by, for the ATTRIBUTES event its directory's watchers hear.
    fn set_meta(&mut self, node: NodeRef, entry: Option<(NodeRef, Vec<u8>)>, change: MetadataChange) -> KResult<()> {
        let creds = self.creds();
        let is_dir = fs::with_vfs(|v| -> KResult<bool> {
            refuse_on_read_only(v, node)?;
            let meta = v.metadata(node)?;
            let owner = creds.uid == meta.uid;
            if change.mode.is_some() && !(owner || creds.may(vfs::Overrides::OWNER)) {
                return Err(Error::NotPermitted);
            }
            if (change.uid.is_some() || change.gid.is_some()) && !(owner || creds.may(vfs::Overrides::CHOWN)) {
                return Err(Error::NotPermitted);
            }
            if !creds.may(vfs::Overrides::CHOWN) && change.uid.is_some_and(|u| u != meta.uid) {
                return Err(Error::NotPermitted);
            }
            v.fs(node.fs)?.lock().set_metadata(node.ino, change, fs::now())?;
            Ok(meta.is_dir())
        })?;
        // chown(-1, -1) changes only ctime: no event, as on Linux.
        if change.mode.is_some() || change.uid.is_some() || change.gid.is_some() {
            fs::notify::attributes_changed(fs::notify::Subject {
                node,
                entry: entry.as_ref().map(|(d, n)| (*d, &n[..])),
                is_dir,
                path: None,
            });
        }
        Ok(())
    }

    /// The directory entry `path` names, when it is `node` itself (not a
    /// symlink to it): for the events a watched directory hears about its
    /// entries. Looked up only while something is watched.
    fn entry_named(&self, dir: DirFd, path: &[u8], node: NodeRef) -> Option<(NodeRef, Vec<u8>)> {
        if !fs::notify::active() {
            return None;
        }
        let (parent, name) = self.resolve_parent(dir, path).ok()?;
        if name.is_empty() || name == b"." || name == b".." {
            return None;
        }
        let found = fs::with_vfs(|v| v.lookup_entry(parent, &name).ok().map(|n| v.follow_mounts(n)))?;
        (found == node).then_some((parent, name))
    }

    /// The directory entry an open file was opened by.
    fn entry_of_file(file: &OpenFile) -> Option<(NodeRef, Vec<u8>)> {
        let subject = file.subject()?;
        subject.entry.map(|(d, n)| (d, n.to_vec()))
    }

    /// chown/fchown: who may change what (vfs::check_chown), and a file
    /// loses its set-user-ID and set-group-ID bits (vfs::mode_after_chown)
    /// on every chown, even root's, even one that changes nothing (-1, -1),
    /// as on Linux.
    fn change_owner(
        &mut self,
        node: NodeRef,
        entry: Option<(NodeRef, Vec<u8>)>,
        uid: Option<u32>,
        gid: Option<u32>,
    ) -> KResult<()> {
        let creds = self.creds();
        let (is_dir, mode) = fs::with_vfs(|v| -> KResult<(bool, Option<u32>)> {
            refuse_on_read_only(v, node)?;
            let meta = v.metadata(node)?;
            vfs::ownership::check_chown(&meta, &creds, uid, gid)?;
            let mode = vfs::ownership::mode_after_chown(&meta);
            v.fs(node.fs)?.lock().set_metadata(
                node.ino,
                MetadataChange { uid, gid, mode, ..Default::default() },
                fs::now(),
            )?;
            Ok((meta.is_dir(), mode))
        })?;
        // chown(-1, -1) of a file without set-ID bits changes only ctime:
        // no event, as on Linux.
        if uid.is_some() || gid.is_some() || mode.is_some() {
            fs::notify::attributes_changed(fs::notify::Subject {
                node,
                entry: entry.as_ref().map(|(d, n)| (*d, &n[..])),
                is_dir,
                path: None,
            });
        }
        Ok(())
    }

    /// stat through a /proc/<pid>/fd/N link: the open file it names.
    fn stat_descriptor_link(&self, dir: DirFd, path: &[u8]) -> KResult<FileStat> {
        let (owner, fd) = self.descriptor_link(dir, path).ok_or(Error::NotFound)?;
        let process = crate::task::process::find(owner).ok_or(Error::NotFound)?;
        let file = process.files().lock().get(fd).map(|e| e.file).ok_or(Error::NotFound)?;
        let uid = process.creds.lock().uid;
        stat_open_file(&file, uid, self.process.personality())
    }
}

fn ts(ns: (i64, u32)) -> Timestamp {
    Timestamp { secs: ns.0, nanos: ns.1 }
}

/// What fstat reports for an open file: its node's status, the device node
/// it was opened through, or (pipes, terminals, counters) a status made up
/// as Linux's internal file systems show it, owned by `uid`. A device's
/// number is the one the caller's `personality` gives it.
fn stat_open_file(file: &Arc<OpenFile>, uid: u32, personality: &dyn Personality) -> KResult<FileStat> {
    if let Some(stat) = &file.device_node {
        return Ok(stat.clone());
    }
    if let Some(node) = file.node() {
        let meta = fs::with_vfs(|v| v.metadata(node))?;
        return Ok(FileStat { dev: u64::from(node.fs.0) + 1, meta });
    }
    // A device the personality cannot number shows as 0:0 (no device).
    let number = |dev: DeviceId| personality.device_number(dev).unwrap_or((0, 0));
    let (file_type, rdev, mode) = match &file.object {
        FileObject::PipeReader(_) | FileObject::PipeWriter(_) | FileObject::PipeBoth(_) => {
            (FileType::Fifo, (0, 0), 0o600)
        }
        FileObject::Terminal(t) => (FileType::CharDevice, number(t.device()), 0o620),
        FileObject::PtyMaster(_) => (FileType::CharDevice, number(DeviceId::PtyMultiplexer), 0o666),
        FileObject::Device(d) => {
            let id = d.id();
            (if id.is_block() { FileType::BlockDevice } else { FileType::CharDevice }, number(id), 0o666)
        }
        FileObject::EventSet(_)
        | FileObject::Counter(_)
        | FileObject::SignalReader(_)
        | FileObject::Timer(_)
        | FileObject::WatchQueue(_)
        | FileObject::NotificationGroup(_)
        | FileObject::ProcessHandle(_)
        | FileObject::MessageQueue(_) => (FileType::Regular, (0, 0), 0o600),
        FileObject::Socket(_) | FileObject::InetSocket(_) | FileObject::NetlinkSocket(_) => {
            (FileType::Socket, (0, 0), 0o777)
        }
        FileObject::Node(_) => unreachable!(),
    };
    let now = fs::now();
    Ok(FileStat {
        dev: 0,
        meta: vfs::Metadata {
            file_type,
            mode,
            uid,
            gid: 0,
            nlink: 1,
            size: match &file.object {
                FileObject::PipeReader(p) => p.available() as u64,
                _ => 0,
            },
            rdev: vfs::DeviceNumber { major: rdev.0, minor: rdev.1 },
            atime: now,
            mtime: now,
            ctime: now,
            ino: match &file.object {
                FileObject::Socket(s) => s.id,
                FileObject::InetSocket(s) => s.id,
                FileObject::NetlinkSocket(s) => s.id,
                _ => Arc::as_ptr(file) as u64 / 64 % 1_000_000,
            },
            blocks: 0,
            blksize: 4096,
        },
    })
}

/// EROFS for a change to a node of a read-only mount, checked before the
/// permission rules as Linux checks mnt_want_write first.
fn refuse_on_read_only(v: &crate::fs::Vfs, node: NodeRef) -> KResult<()> {
    if v.fs(node.fs)?.lock().is_read_only() {
        return Err(Error::ReadOnly);
    }
    Ok(())
}
