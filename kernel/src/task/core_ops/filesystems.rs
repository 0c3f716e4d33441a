//! How the kernel core implements `FilesystemOps` (file systems as a whole:
//! statfs, sync, mounts).

use super::*;

impl FilesystemOps for CoreOps<'_> {
    fn fs_info(&mut self, dir: DirFd, path: &[u8], follow: bool) -> KResult<FsInfo> {
        let node = self.resolve(dir, path, follow)?;
        node_fs_info(node)
    }

    fn fd_fs_info(&mut self, fd: Fd) -> KResult<FsInfo> {
        let file = self.file_or_path(fd)?;
        if let Some(node) = file.node() {
            return node_fs_info(node);
        }
        // Linux gives these their own internal file systems.
        let name = match &file.object {
            FileObject::PipeReader(_) | FileObject::PipeWriter(_) | FileObject::PipeBoth(_) => "pipefs",
            FileObject::Terminal(fs::tty::TtyRef::Console) | FileObject::Device(_) => "devtmpfs",
            FileObject::Terminal(_) | FileObject::PtyMaster(_) => "devpts",
            FileObject::EventSet(_)
            | FileObject::Counter(_)
            | FileObject::SignalReader(_)
            | FileObject::Timer(_)
            | FileObject::WatchQueue(_)
            | FileObject::NotificationGroup(_)
            | FileObject::ProcessHandle(_)
            | FileObject::Node(_) => "anon_inode",
            FileObject::Socket(_) | FileObject::InetSocket(_) | FileObject::NetlinkSocket(_) => "sockfs",
            FileObject::MessageQueue(_) => "mqueue",
        };
        Ok(FsInfo {
            name: name.into(),
            stats: vfs::FsStats { block_size: 4096, name_max: 255, ..Default::default() },
            read_only: false,
            id: 0,
        })
    }

    fn sync(&mut self) {
        fs::sync_all();
    }

    fn remount(&mut self, target: &[u8], read_only: bool) -> KResult<()> {
        if !self.has(Privilege::SysAdmin) {
            return Err(Error::NotPermitted);
        }
        let at = self.resolve(DirFd::Cwd, target, true)?;
        let changed = fs::with_vfs(|v| -> KResult<Result<(), vfs::Error>> {
            let fs = v.fs(at.fs)?;
            if fs.root() != at.ino {
                return Err(Error::InvalidArgument);
            }
            let changed = fs.lock().set_read_only(read_only);
            Ok(changed)
        })?;
        match changed {
            Ok(()) => {
                fs::mount_table::set_read_only(at.fs, read_only);
                Ok(())
            }
            Err(vfs::Error::NotSupported) => {
                self.log_unsupported(format_args!(
                    "mount: remount of a file system served from user space (read-only: {read_only})"
                ));
                Err(Error::InvalidArgument)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn sync_filesystem(&mut self, fd: Fd) -> KResult<()> {
        let file = self.file(fd)?;
        // Pipes and the anonymous kinds live on pseudo file systems with
        // nothing to write back.
        let Some(node) = file.node() else { return Ok(()) };
        crate::mm::page_cache::write_back_filesystem(node.fs);
        crate::mm::deferred::run();
        if fs::served::is_served(node.fs) {
            fs::served::sync_all();
        }
        Ok(())
    }

    fn mount(&mut self, source: &[u8], target: &[u8], fstype: &[u8], read_only: bool) -> KResult<()> {
        if !self.has(Privilege::SysAdmin) {
            return Err(Error::NotPermitted);
        }
        let at = self.resolve(DirFd::Cwd, target, true)?;
        if !fs::with_vfs(|v| v.metadata(at))?.is_dir() {
            return Err(Error::NotDirectory);
        }
        match fstype {
            b"tmpfs" | b"ramfs" => {
                let name = if fstype == b"tmpfs" { "tmpfs" } else { "ramfs" };
                // tmpfs has Linux's default size: half of memory, in bytes
                // and in inodes of a page each; ramfs has no limit.
                let ram = crate::task::system_info().total_ram;
                let limits = if name == "tmpfs" {
                    vfs::RamfsLimits { max_bytes: Some(ram / 2), max_inodes: Some(ram / 2 / 4096) }
                } else {
                    vfs::RamfsLimits::default()
                };
                let mut ramfs =
                    vfs::Ramfs::with_limits(NodeAttrs::new(0o1777, 0, 0), fs::now(), limits).with_name(name);
                vfs::FileSystem::set_read_only(&mut ramfs, read_only)?;
                let entry = fs::with_vfs(|v| -> KResult<fs::mount_table::MountEntry> {
                    let path = v.path_of(at, v.root()).unwrap_or_else(|_| b"?".to_vec());
                    let id = v.add_filesystem(alloc::boxed::Box::new(ramfs));
                    let root = v.fs(id)?.root();
                    v.mount(at, id)?;
                    Ok(fs::mount_table::MountEntry {
                        fs: id,
                        root,
                        path,
                        source: name.into(),
                        fstype: name.into(),
                        read_only,
                    })
                })?;
                fs::mount_table::added(entry);
                Ok(())
            }
            _ => {
                let fstype = core::str::from_utf8(fstype).map_err(|_| Error::NoDevice)?;
                // Which disk a block node names is the caller's numbering.
                let personality = self.process.personality();
                if let Ok(dev) = self.resolve(DirFd::Cwd, source, true) {
                    let meta = fs::with_vfs(|v| v.metadata(dev))?;
                    if meta.file_type == FileType::BlockDevice {
                        if let Some(DeviceId::Loop(n)) = personality.device_at(meta.rdev.major, meta.rdev.minor, true) {
                            return fs::loop_mount::mount(n, fstype, at, read_only);
                        }
                    }
                }
                if !fs::served::serves_type(fstype) {
                    return Err(Error::NoDevice);
                }
                let dev = self.resolve(DirFd::Cwd, source, true)?;
                let meta = fs::with_vfs(|v| v.metadata(dev))?;
                if meta.file_type != FileType::BlockDevice {
                    return Err(Error::NotBlockDevice);
                }
                let Some(DeviceId::ServedDisk(disk)) = personality.device_at(meta.rdev.major, meta.rdev.minor, true)
                else {
                    // No disk of ours: as Linux says for a device without a driver.
                    return Err(Error::NoSuchDeviceOrAddress);
                };
                fs::served::mount(fs::served::Source::Disk(disk), fstype, at, read_only).map_err(|e| match e {
                    // No server for that device: as Linux says for a device without a driver.
                    vfs::Error::NotFound => Error::NoSuchDeviceOrAddress,
                    vfs::Error::NotSupported => Error::InvalidArgument,
                    e => e.into(),
                })
            }
        }
    }

    fn unmount(&mut self, target: &[u8]) -> KResult<()> {
        if !self.has(Privilege::SysAdmin) {
            return Err(Error::NotPermitted);
        }
        let node = self.mount_point_of(target)?;
        // Where every process stands (its working and root directories):
        // Linux refuses to unmount a file system someone is in. (Open files
        // and mappings the VFS counts itself.)
        let standing: Vec<vfs::FsId> = crate::task::process::all()
            .iter()
            .flat_map(|p| {
                let ctx = p.fs().lock().clone();
                [ctx.cwd.fs, ctx.root.fs]
            })
            .collect();
        // The page cache's holds on files must not keep the file system
        // busy: cached pages of files nothing maps leave first.
        let mounted = fs::with_vfs(|v| v.mount_at(node))?;
        crate::mm::page_cache::forget_fs(mounted);
        crate::mm::deferred::run();
        let fs_id = fs::with_vfs(|v| -> KResult<vfs::FsId> {
            let fs_id = v.unmount_unless(node, |fs| standing.contains(&fs))?;
            // Every mount makes a new file system, so this one will not be
            // mounted again: free it (a ramfs's contents, a served file
            // system's client). Nothing holds a node of it open: unmount
            // refused if anything did.
            let _ = v.discard(fs_id);
            Ok(fs_id)
        })?;
        fs::mount_table::removed(fs_id);
        fs::served::unmounted(fs_id);
        fs::notify::unmounted(fs_id);
        Ok(())
    }

    fn filesystem_types(&mut self) -> Vec<Vec<u8>> {
        fs::procfs::filesystem_types()
    }
}

impl CoreOps<'_> {
    /// What umount2(2) names: when the last component is a mount point,
    /// the covered directory itself, found without entering the mounted
    /// file system, so that a mount whose server has died (and answers
    /// nothing) can still be unmounted; otherwise the resolved node.
    fn mount_point_of(&self, target: &[u8]) -> KResult<NodeRef> {
        if let Ok((dir, name)) = self.resolve_parent(DirFd::Cwd, target) {
            if !name.is_empty() && name != b"." && name != b".." {
                let covered = fs::with_vfs(|v| v.lookup_entry(dir, &name).ok().filter(|&n| v.follow_mounts(n) != n));
                if let Some(point) = covered {
                    return Ok(point);
                }
            }
        }
        self.resolve(DirFd::Cwd, target, true)
    }
}

/// statfs of the file system holding `node`.
fn node_fs_info(node: NodeRef) -> KResult<FsInfo> {
    let (name, stats) = fs::with_vfs(|v| {
        v.fs(node.fs).map(|f| {
            let fs = f.lock();
            (alloc::string::String::from(fs.name()), fs.statfs())
        })
    })?;
    Ok(FsInfo { name, stats, read_only: fs::served::is_read_only(node.fs), id: u64::from(node.fs.0) + 1 })
}
