//! How the kernel core implements `DescriptorOps` (opening, closing, reading
//! and writing descriptors, and their flags).

use super::*;

impl DescriptorOps for CoreOps<'_> {
    fn open(&mut self, dir: DirFd, path: &[u8], flags: OpenFlags, mode: u32) -> KResult<Fd> {
        if path.is_empty() {
            return Err(Error::NotFound);
        }
        let follow = !flags.no_follow && !(flags.create && flags.exclusive);
        // Following a final symlink (the usual open), one walk finds both
        // the node and the path it is to be known by.
        let mut named = None;
        let walked = if follow {
            let (start, root) = self.start(dir, path)?;
            let creds = self.creds();
            fs::with_vfs(|v| -> KResult<NodeRef> {
                let found = v.resolve_located(start, root, path, true, &creds)?;
                let node = found.node;
                named = fs::name_found(v, root, found);
                Ok(node)
            })
        } else {
            self.resolve(dir, path, follow)
        };
        let node = match walked {
            Ok(n) => {
                if flags.create && flags.exclusive {
                    return Err(Error::Exists);
                }
                n
            }
            // /proc/<pid>/fd/N of a pipe or a deleted file: its link names
            // nothing a path can reach, but opening it reaches the object.
            Err(Error::NotFound) if follow && self.descriptor_link(dir, path).is_some() => {
                let (owner, fd) = self.descriptor_link(dir, path).ok_or(Error::NotFound)?;
                return self.reopen_descriptor(owner, fd, flags);
            }
            Err(Error::NotFound) if flags.create => {
                let (parent, name) = self.resolve_parent(dir, path)?;
                if name.is_empty() || name == b"." || name == b".." || path.ends_with(b"/") {
                    return Err(Error::IsDirectory);
                }
                let requested = mode & 0o7777 & !self.current_umask();
                let vcreds = self.creds();
                let node = fs::with_vfs(|v| -> KResult<NodeRef> {
                    let pmeta = v.metadata(parent)?;
                    vfs::check_access(&pmeta, &vcreds, vfs::Access::WRITE)?;
                    let attrs = vfs::ownership::new_node_attrs(&pmeta, &vcreds, false, requested);
                    let ino = v.fs(parent.fs)?.lock().create(parent.ino, &name, NewNode::File, attrs, fs::now())?;
                    Ok(NodeRef { fs: parent.fs, ino })
                })?;
                fs::notify::created(parent, &name, false);
                node
            }
            Err(e) => return Err(e),
        };
        let (path_str, entry_dir) = match named {
            Some(known) => known,
            None => {
                let (start, root) = self.start(dir, path)?;
                let creds = self.creds();
                fs::with_vfs(|v| fs::locate(v, start, root, path, &creds).unwrap_or_else(|| (path.to_vec(), None)))
            }
        };
        self.open_node(node, flags, path_str, entry_dir)
    }

    fn open_with_rules(
        &mut self,
        dir: DirFd,
        path: &[u8],
        flags: OpenFlags,
        mode: u32,
        rules: ResolveRules,
    ) -> KResult<Fd> {
        if path.is_empty() {
            return Err(Error::NotFound);
        }
        let (start, process_root) = self.start(dir, b"")?; // the descriptor itself, even for an absolute path
        let root = if rules.in_root { start } else { process_root };
        let walk = vfs::WalkRules {
            no_xdev: rules.no_xdev,
            no_symlinks: rules.no_symlinks,
            no_magic_links: rules.no_magic_links,
            magic_fs: Some("proc"),
            beneath: rules.beneath,
        };
        let follow = !flags.no_follow && !(flags.create && flags.exclusive);
        let creds = self.creds();
        // The rules are checked by one walk, then the open walks again
        // under the same root: a rename between the two could move what
        // the first walk saw (Linux checks as it opens).
        fs::with_vfs(|v| v.resolve_with_rules(start, root, path, follow, &creds, &walk))?;
        self.root_override = rules.in_root.then_some(start);
        let opened = self.open(dir, path, flags, mode);
        self.root_override = None;
        opened
    }

    fn close(&mut self, fd: Fd) -> KResult<()> {
        let closed = self.process.files().lock().remove(fd).ok_or(Error::BadDescriptor)?;
        // Not a file (a native capability): the slot is emptied all the same.
        let was_file = closed.entry.is_some();
        drop(closed); // outside the table's lock
        if was_file {
            Ok(())
        } else {
            Err(Error::BadDescriptor)
        }
    }

    fn close_range(&mut self, first: u32, last: u32, close_on_exec_only: bool, unshare: bool) -> KResult<()> {
        if unshare {
            self.process.unshare_files();
        }
        let files = self.process.files();
        let closed: Vec<crate::fs::Closed> = {
            let mut table = files.lock();
            let open = table.open_between(first, last);
            if close_on_exec_only {
                for fd in open {
                    table.set_close_on_exec(fd as i32, true);
                }
                return Ok(());
            }
            open.into_iter().filter_map(|fd| table.remove(fd as i32)).collect()
        };
        // Closing can sleep (the last close of a file): outside the lock.
        drop(closed);
        Ok(())
    }

    fn read(&mut self, fd: Fd, buf: u64, len: usize) -> KResult<usize> {
        self.do_read(fd, buf, len, None)
    }

    fn write(&mut self, fd: Fd, buf: u64, len: usize) -> KResult<usize> {
        self.do_write(fd, buf, len, None)
    }

    fn write_gathered(&mut self, fd: Fd, buffers: &[(u64, usize)]) -> KResult<usize> {
        let total: usize = buffers.iter().map(|&(_, len)| len).sum();
        // Up to PIPE_BUF bytes go in as one write, so that a pipe takes them
        // at once (POSIX: a writev is one write): gathered in the kernel.
        if buffers.len() < 2 || total > fs::PIPE_BUF {
            return kernel_ops::write_each(buffers, |buf, len| self.do_write(fd, buf, len, None));
        }
        let mut gathered = alloc::vec![0u8; total];
        let mut at = 0;
        for &(buf, len) in buffers {
            self.copy_in(buf, &mut gathered[at..at + len])?;
            at += len;
        }
        self.write_bytes(fd, &gathered, None)
    }

    fn pread(&mut self, fd: Fd, buf: u64, len: usize, offset: u64) -> KResult<usize> {
        if !self.file(fd)?.seekable() {
            return Err(Error::IllegalSeek);
        }
        self.do_read(fd, buf, len, Some(offset))
    }

    fn pwrite(&mut self, fd: Fd, buf: u64, len: usize, offset: u64) -> KResult<usize> {
        if !self.file(fd)?.seekable() {
            return Err(Error::IllegalSeek);
        }
        self.do_write(fd, buf, len, Some(offset))
    }

    fn seek(&mut self, fd: Fd, offset: i64, whence: Whence) -> KResult<u64> {
        let file = self.file(fd)?;
        if !file.seekable() {
            return Err(Error::IllegalSeek);
        }
        // `has_data`: a regular file or a block device, what SEEK_DATA and
        // SEEK_HOLE look into.
        let (size, has_data) = match (file.node(), &file.object) {
            (Some(n), _) => {
                let meta = fs::with_vfs(|v| v.metadata(n))?;
                (meta.size, meta.file_type == FileType::Regular)
            }
            (None, FileObject::Device(fs::Device::Loop(n))) => (fs::loop_device::size(*n), true),
            (None, _) => (0, false),
        };
        let mut pos = file.offset.lock();
        let base = match whence {
            Whence::Set => 0,
            Whence::Current => *pos as i64,
            Whence::End => size as i64,
            Whence::Data | Whence::Hole => {
                // No file system here keeps track of holes (ramfs pages
                // and ext2 blocks alike are read as data), so the whole
                // file is data and its end the only hole: Linux's generic
                // answer for such file systems. At or past the end (a
                // negative offset counts as huge) there is nothing: ENXIO.
                if !has_data {
                    return Err(Error::InvalidArgument);
                }
                if offset < 0 || offset as u64 >= size {
                    return Err(Error::NoSuchDeviceOrAddress);
                }
                *pos = if whence == Whence::Data { offset as u64 } else { size };
                return Ok(*pos);
            }
        };
        let new = base.checked_add(offset).filter(|v| *v >= 0).ok_or(Error::InvalidArgument)?;
        *pos = new as u64;
        Ok(new as u64)
    }

    fn descriptor_table_size(&mut self) -> u32 {
        self.process.files().lock().capacity()
    }

    fn dup(&mut self, fd: Fd, min: Fd, close_on_exec: bool) -> KResult<Fd> {
        let limit = self.process.limit(Resource::OpenFiles).soft;
        if u64::try_from(min).map_or(true, |m| m >= limit) {
            return Err(Error::InvalidArgument);
        }
        let files = self.process.files();
        let mut table = files.lock();
        table.get(fd).ok_or(Error::BadDescriptor)?;
        table.duplicate(fd, min, limit, close_on_exec).ok_or(Error::TooManyOpenFiles)
    }

    fn dup_to(&mut self, fd: Fd, to: Fd, close_on_exec: bool) -> KResult<Fd> {
        let limit = self.process.limit(Resource::OpenFiles).soft;
        if u64::try_from(to).map_or(true, |t| t >= limit) {
            return Err(Error::BadDescriptor);
        }
        let files = self.process.files();
        let old = files.lock().duplicate_to(fd, to, close_on_exec).map_err(|_| Error::BadDescriptor)?;
        drop(old);
        Ok(to)
    }

    fn close_on_exec(&mut self, fd: Fd) -> KResult<bool> {
        self.process.files().lock().get(fd).map(|e| e.close_on_exec).ok_or(Error::BadDescriptor)
    }

    fn set_close_on_exec(&mut self, fd: Fd, value: bool) -> KResult<()> {
        let files = self.process.files();
        let mut table = files.lock();
        if table.set_close_on_exec(fd, value) {
            Ok(())
        } else {
            Err(Error::BadDescriptor)
        }
    }

    fn status_flags(&mut self, fd: Fd) -> KResult<(OpenFlags, StatusFlags)> {
        let f = self.file_or_path(fd)?;
        let s = *f.status.lock();
        Ok((f.opened, s))
    }

    fn set_status_flags(&mut self, fd: Fd, flags: StatusFlags) -> KResult<()> {
        *self.file(fd)?.status.lock() = flags;
        Ok(())
    }

    fn fsync(&mut self, fd: Fd) -> KResult<()> {
        let file = self.file(fd)?;
        // A loop device syncs its backing file, as a block device's fsync
        // writes it back.
        if let FileObject::Device(fs::Device::Loop(n)) = &file.object {
            let backing = fs::loop_device::backing(*n)?;
            if let Some(node) = backing.node() {
                crate::mm::page_cache::write_back_node(node);
                if fs::served::is_served(node.fs) {
                    fs::served::sync_all();
                }
            }
            return Ok(());
        }
        // Linux syncs what a file system holds; pipes, sockets, character
        // devices and the anonymous kinds have no fsync (EINVAL).
        let Some(node) = file.node() else { return Err(Error::InvalidArgument) };
        crate::mm::page_cache::write_back_node(node);
        // Files on a served file system: ask its server to write back.
        if fs::served::is_served(node.fs) {
            fs::served::sync_all();
        }
        Ok(())
    }
}

impl CoreOps<'_> {
    fn do_read(&mut self, fd: Fd, buf: u64, len: usize, offset: Option<u64>) -> KResult<usize> {
        let file = self.file(fd)?;
        if file.object.min_read().is_some_and(|min| len < min) {
            return Err(Error::InvalidArgument); // even a read of 0 bytes
        }
        if let FileObject::NotificationGroup(group) = &file.object {
            let mut kbuf = fs::buffer(len.min(IO_CHUNK))?;
            let close_on_exec = group.event_close_on_exec();
            let got = group.read(&mut kbuf, file.non_blocking(), &mut |f| self.install(f, close_on_exec))?;
            self.copy_out(buf, &kbuf[..got])?;
            return Ok(got);
        }
        if len == 0 && matches!(file.object, FileObject::WatchQueue(_)) {
            // Linux blocks for an event, then finds it does not fit.
            return file.read(&mut [], None);
        }
        if matches!(file.node().map(|n| fs::with_vfs(|v| v.metadata(n).map(|m| m.is_dir()))), Some(Ok(true))) {
            return Err(Error::IsDirectory);
        }
        // Pipes and the terminal give what they have; files and the
        // memory-like devices (/dev/zero, /dev/urandom) fill the whole
        // buffer, as on Linux, where `dd bs=1M` from /dev/zero reads 1 MiB.
        let stream = !matches!(file.object, FileObject::Node(_) | FileObject::Device(_));
        if stream {
            // Data taken from a pipe or terminal cannot be put back.
            self.mm().prepare_write(buf, len.min(IO_CHUNK)).map_err(|_| Error::Fault)?;
        }
        if let Some(data) = file.read_owned(len.min(IO_CHUNK)) {
            let data = data?;
            self.copy_out(buf, &data)?;
            return Ok(data.len());
        }
        let mut kbuf = fs::buffer(len.min(IO_CHUNK))?;
        let mut total = 0;
        while total < len {
            let want = (len - total).min(kbuf.len());
            let got = match file.read(&mut kbuf[..want], offset.map(|o| o.saturating_add(total as u64))) {
                Ok(n) => n,
                Err(e) if total > 0 && matches!(e, Error::Restart | Error::WouldBlock) => break,
                Err(e) => return Err(e),
            };
            self.copy_out(buf.wrapping_add(total as u64), &kbuf[..got])?;
            total += got;
            if got < want || stream {
                break;
            }
        }
        Ok(total)
    }

    /// A write of bytes already in the kernel (writev's gathered buffers):
    /// one `write` of the file, with write's rules for a broken pipe.
    fn write_bytes(&mut self, fd: Fd, data: &[u8], offset: Option<u64>) -> KResult<usize> {
        let file = self.file(fd)?;
        if matches!(file.object, FileObject::Counter(_)) && data.len() != fs::eventfd::SIZE {
            return Err(Error::InvalidArgument);
        }
        match file.write(data, offset) {
            Err(Error::BrokenPipe) => {
                if !file.socket().is_some_and(|s| s.kind != SocketKind::Stream) {
                    self.sigpipe();
                }
                Err(Error::BrokenPipe)
            }
            other => other,
        }
    }

    fn do_write(&mut self, fd: Fd, buf: u64, len: usize, offset: Option<u64>) -> KResult<usize> {
        let file = self.file(fd)?;
        if matches!(file.object, FileObject::Counter(_)) && len != fs::eventfd::SIZE {
            return Err(Error::InvalidArgument);
        }
        let mut kbuf = fs::buffer(len.min(IO_CHUNK))?;
        let mut total = 0;
        while total < len {
            let want = (len - total).min(kbuf.len());
            self.copy_in(buf.wrapping_add(total as u64), &mut kbuf[..want])?;
            match file.write(&kbuf[..want], offset.map(|o| o.saturating_add(total as u64))) {
                Ok(n) => {
                    total += n;
                    if n < want {
                        break;
                    }
                }
                Err(Error::BrokenPipe) => {
                    // Linux raises SIGPIPE for pipes and stream sockets, not for seqpacket.
                    if !file.socket().is_some_and(|s| s.kind != SocketKind::Stream) {
                        self.sigpipe();
                    }
                    return if total > 0 { Ok(total) } else { Err(Error::BrokenPipe) };
                }
                Err(e) if total > 0 && matches!(e, Error::Restart | Error::WouldBlock) => break,
                Err(e) => return Err(e),
            }
        }
        Ok(total)
    }

    /// Opens what another descriptor refers to, as Linux does for
    /// /proc/<pid>/fd/N: a new open of the same object with the new flags.
    /// A pipe gets a new reader or writer end on the same pipe (without
    /// waiting for the other end, as Linux does for pipes), the terminal and devices a new open of themselves, a
    /// file its node (even if deleted). Event sets and counters have no
    /// node to open again: ENXIO, as on Linux.
    fn reopen_descriptor(&mut self, owner: u32, fd: Fd, flags: OpenFlags) -> KResult<Fd> {
        let process = crate::task::process::find(owner).ok_or(Error::NotFound)?;
        let mine = self.process.creds.lock().euid;
        if mine != 0 && mine != process.creds.lock().euid {
            return Err(Error::PermissionDenied);
        }
        let target = process.files().lock().get(fd).map(|e| e.file).ok_or(Error::NotFound)?;
        if flags.directory && target.node().is_none() {
            return Err(Error::NotDirectory);
        }
        let object = match &target.object {
            FileObject::Node(n) => {
                let meta = fs::with_vfs(|v| v.metadata(*n))?;
                if meta.is_dir() && (flags.write || flags.truncate) {
                    return Err(Error::IsDirectory);
                }
                if flags.directory && !meta.is_dir() {
                    return Err(Error::NotDirectory);
                }
                self.check_open_permission(*n, &meta, &flags)?;
                if flags.truncate && flags.write && meta.file_type == FileType::Regular {
                    truncate_node(*n, 0, target.subject())?;
                }
                FileObject::Node(*n)
            }
            FileObject::PipeReader(p) | FileObject::PipeWriter(p) | FileObject::PipeBoth(p) => {
                p.add_end(flags.read, flags.write);
                match (flags.read, flags.write) {
                    (true, true) => FileObject::PipeBoth(p.clone()),
                    (true, false) => FileObject::PipeReader(p.clone()),
                    _ => FileObject::PipeWriter(p.clone()),
                }
            }
            FileObject::Terminal(t) => FileObject::Terminal(match t {
                fs::tty::TtyRef::Slave(s) => s.pair.open_slave()?,
                other => other.clone(),
            }),
            // The master's node is /dev/ptmx: opening it again makes a new pair.
            FileObject::PtyMaster(_) => {
                let uid = self.process.creds.lock().euid;
                FileObject::PtyMaster(fs::pty::open_master(uid)?)
            }
            FileObject::Device(d) => FileObject::Device(*d),
            FileObject::EventSet(_)
            | FileObject::Counter(_)
            | FileObject::SignalReader(_)
            | FileObject::Timer(_)
            | FileObject::WatchQueue(_)
            | FileObject::NotificationGroup(_)
            | FileObject::ProcessHandle(_)
            | FileObject::Socket(_)
            | FileObject::InetSocket(_)
            | FileObject::NetlinkSocket(_)
            | FileObject::MessageQueue(_) => return Err(Error::NoSuchDeviceOrAddress),
        };
        let file = match (object, target.placement) {
            (FileObject::Node(n), Some(placement)) => OpenFile::new_placed(n, flags, target.path.clone(), placement),
            (object, _) => OpenFile::new(object, flags, target.path.clone()),
        };
        self.install(file, flags.close_on_exec)
    }
}
