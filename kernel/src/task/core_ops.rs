//! The kernel core's implementation of `KernelOps`: what a personality's
//! system-call handlers reach, on behalf of the calling thread.

use super::process::Process;
use super::thread::Thread;
use super::{futex, lifecycle, signal};
use crate::arch::context::FpuState;
use crate::fs::{self, FdEntry, FileObject, OpenFile, Pipe};
use crate::mm::{Backing, Mm, SharedPages, Vma};
use crate::sync::SpinLock;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;
use kernel_ops::*;
use vfs::{FileType, MetadataChange, NewNode, NodeAttrs, NodeRef, Timestamp};

const PAGE: u64 = 4096;
/// Largest chunk copied through the kernel per step of a read or write.
const IO_CHUNK: usize = 64 * 1024;

static HOSTNAME: SpinLock<Vec<u8>> = SpinLock::new(Vec::new());
static DOMAINNAME: SpinLock<Vec<u8>> = SpinLock::new(Vec::new());
/// What adjtimex set (kept and reported; the clock is not slewed by it).
static CLOCK_DISCIPLINE: SpinLock<ClockDiscipline> = SpinLock::new(ClockDiscipline::UNSYNCHRONISED);

/// Time left until a timer's `deadline` (0: disarmed, and one that is due
/// but not yet fired still reads as armed, 1 ns).
/// The process a pid names, or, as Linux's kill and rt_sigqueueinfo
/// accept, the process of the thread a thread id names.
fn process_of_id(id: u32) -> Option<Arc<Process>> {
    super::process::find(id).or_else(|| super::process::find_thread(id).and_then(|t| t.try_process().cloned()))
}

fn remaining(deadline: u64, now: u64) -> u64 {
    if deadline == 0 {
        0
    } else {
        deadline.saturating_sub(now).max(1)
    }
}

/// The machine's host name (uname, /proc/sys/kernel/hostname).
pub fn hostname() -> Vec<u8> {
    let h = HOSTNAME.lock();
    if h.is_empty() {
        b"helctic".to_vec()
    } else {
        h.clone()
    }
}

/// The NIS domain name (uname, /proc/sys/kernel/domainname); Linux's
/// default is "(none)".
pub fn domainname() -> Vec<u8> {
    let d = DOMAINNAME.lock();
    if d.is_empty() {
        b"(none)".to_vec()
    } else {
        d.clone()
    }
}

/// Sets the host or the domain name: at most 64 bytes (__NEW_UTS_LEN).
/// The caller checked the privilege (a system call) or the file's
/// permission (a write to /proc/sys/kernel).
pub fn set_node_name(domain: bool, name: &[u8]) -> KResult<()> {
    if name.len() > 64 {
        return Err(Error::InvalidArgument);
    }
    *(if domain { &DOMAINNAME } else { &HOSTNAME }).lock() = name.to_vec();
    Ok(())
}

pub struct CoreOps<'a> {
    thread: Arc<Thread>,
    process: Arc<Process>,
    regs: &'a mut UserContext,
    /// The root for this call's walks instead of the process's
    /// (openat2's RESOLVE_IN_ROOT).
    root_override: Option<NodeRef>,
}

fn ts(ns: (i64, u32)) -> Timestamp {
    Timestamp { secs: ns.0, nanos: ns.1 }
}

impl<'a> CoreOps<'a> {
    pub fn new(thread: Arc<Thread>, regs: &'a mut UserContext) -> Self {
        let process = thread.process().clone();
        CoreOps { thread, process, regs, root_override: None }
    }

    fn is_current(&self) -> bool {
        crate::sched::current().tid == self.thread.tid && self.thread.tid != 0
    }

    fn mm(&self) -> Arc<Mm> {
        self.process.mm()
    }

    fn file(&self, fd: Fd) -> KResult<Arc<OpenFile>> {
        self.process.files().lock().get(fd).map(|e| e.file).ok_or(Error::BadDescriptor)
    }

    /// A descriptor the f*xattr calls may use: an O_PATH one is EBADF
    /// there, as on Linux.
    fn changeable_file(&self, fd: Fd) -> KResult<Arc<OpenFile>> {
        Some(self.file(fd)?).filter(|f| !f.path_only()).ok_or(Error::BadDescriptor)
    }

    /// Who the process is to permission checks (effective ids and
    /// supplementary groups).
    fn creds(&self) -> vfs::Credentials {
        self.process.vfs_credentials()
    }

    /// The node whose extended attributes a call names; a descriptor of
    /// something that is not a file-system node has none.
    /// A pipe, socket or other kernel object is neither a regular file nor
    /// a directory: user.* attributes are refused as on such a node
    /// (`write`: EPERM, reading: ENODATA), the others have no store.
    fn xattr_node(&self, target: NodeTarget<'_>, ns: Option<fs::xattr::Namespace>, write: bool) -> KResult<NodeRef> {
        match target {
            NodeTarget::Path { dir, path, follow } => self.resolve(dir, path, follow),
            NodeTarget::Fd(fd) => self.changeable_file(fd)?.node().ok_or(match ns {
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
            change(v.fs_mut(node.fs)?, node.ino)?;
            Ok(meta.is_dir())
        })?;
        fs::notify::attributes_changed(fs::notify::Subject { node, entry: None, is_dir, path: None });
        Ok(())
    }

    /// A live process the caller may inspect as a debugger attaching would
    /// (process_vm_readv/writev).
    fn inspectable(&self, pid: u32) -> KResult<Arc<Process>> {
        let target = super::process::find(pid).filter(|p| !p.is_zombie()).ok_or(Error::NoSuchProcess)?;
        if !super::inspect::may_access(&self.process, &target) {
            return Err(Error::NotPermitted);
        }
        Ok(target)
    }

    /// Whether the process's effective privileges hold `p`.
    fn has(&self, p: Privilege) -> bool {
        self.process.creds.lock().has(p)
    }

    /// (where `path` starts, the process root). An absolute path ignores
    /// the directory descriptor entirely, even a bad one, as on Linux.
    fn start(&self, dir: DirFd, path: &[u8]) -> KResult<(NodeRef, NodeRef)> {
        let ctx = self.process.fs().lock().clone();
        let root = self.root_override.unwrap_or(ctx.root);
        if path.first() == Some(&b'/') {
            return Ok((root, root));
        }
        match dir {
            DirFd::Cwd => Ok((ctx.cwd, root)),
            DirFd::Fd(fd) => {
                let f = self.file(fd)?;
                let node = f.node().ok_or(Error::NotDirectory)?;
                Ok((node, root))
            }
        }
    }

    fn resolve(&self, dir: DirFd, path: &[u8], follow: bool) -> KResult<NodeRef> {
        if path.is_empty() {
            return Err(Error::NotFound);
        }
        let (start, root) = self.start(dir, path)?;
        let creds = self.creds();
        fs::with_vfs(|v| Ok(v.resolve(start, root, path, follow, &creds)?))
    }

    fn resolve_parent(&self, dir: DirFd, path: &[u8]) -> KResult<(NodeRef, Vec<u8>)> {
        if path.is_empty() {
            return Err(Error::NotFound);
        }
        let (start, root) = self.start(dir, path)?;
        let creds = self.creds();
        let lookup = fs::with_vfs(|v| v.resolve_parent(start, root, path, &creds))?;
        let name = match lookup.last {
            vfs::LastComponent::Name(n) => n,
            vfs::LastComponent::Dot => b".".to_vec(),
            vfs::LastComponent::DotDot => b"..".to_vec(),
            vfs::LastComponent::Root => Vec::new(),
        };
        Ok((lookup.dir, name))
    }

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

    /// Who owns a record lock taken through `file`: the process (by its
    /// descriptor table, as Linux keys POSIX locks) or the open file.
    fn lock_owner(&self, file: &OpenFile, scope: LockScope) -> file_locks::RecordOwner {
        match scope {
            LockScope::Process => file_locks::RecordOwner::Process(self.process.files().lock().lock_owner()),
            LockScope::OpenFile => file_locks::RecordOwner::OpenFile(fs::locks::description_of(file)),
        }
    }

    /// The part of open after the walk: `node` opened as `flags` say,
    /// remembered as `path_str` (in `entry_dir`, when known).
    fn open_node(
        &mut self,
        node: NodeRef,
        flags: OpenFlags,
        path_str: Vec<u8>,
        entry_dir: Option<NodeRef>,
    ) -> KResult<Fd> {
        let meta = fs::with_vfs(|v| v.metadata(node))?;
        let placement = fs::Placement { dir: entry_dir, is_dir: meta.is_dir() };
        if meta.file_type == FileType::Symlink && !flags.path_only {
            return Err(Error::Loop);
        }
        if flags.directory && !meta.is_dir() {
            return Err(Error::NotDirectory);
        }
        // O_CREAT on an existing directory is EISDIR too (Linux's do_open).
        if meta.is_dir() && (flags.write || flags.truncate || flags.create) {
            return Err(Error::IsDirectory);
        }
        if flags.no_atime
            && !flags.path_only
            && meta.uid != self.creds().uid
            && !self.creds().may(vfs::Overrides::OWNER)
        {
            return Err(Error::NotPermitted);
        }
        // A regular file on a read-only mount is EROFS before any
        // permission check, as Linux's inode_permission orders it; devices,
        // FIFOs and sockets on it may still be written.
        if !flags.path_only
            && (flags.write || flags.truncate)
            && meta.file_type == FileType::Regular
            && fs::with_vfs(|v| v.fs(node.fs).map(|f| f.is_read_only()))?
        {
            return Err(Error::ReadOnly);
        }
        self.check_open_permission(node, &meta, &flags)?;
        let object = match meta.file_type {
            FileType::CharDevice if !flags.path_only => self.open_device(meta.rdev.major, meta.rdev.minor, &flags)?,
            FileType::BlockDevice if !flags.path_only => FileObject::Device(
                fs::loop_device::lookup(true, meta.rdev.major, meta.rdev.minor).ok_or(Error::NoSuchDeviceOrAddress)?,
            ),
            FileType::Fifo if !flags.path_only => {
                let pipe = Pipe::of_fifo(node);
                pipe.open_fifo_end(flags.read, flags.write, flags.non_blocking)?;
                match (flags.read, flags.write) {
                    (true, true) => FileObject::PipeBoth(pipe),
                    (true, false) => FileObject::PipeReader(pipe),
                    _ => FileObject::PipeWriter(pipe),
                }
            }
            // A socket is reached by connect, never by open (as on Linux).
            FileType::Socket if !flags.path_only => return Err(Error::NoSuchDeviceOrAddress),
            _ => FileObject::Node(node),
        };
        if matches!(object, FileObject::Node(_)) && !flags.path_only && meta.file_type == FileType::Regular {
            // A lease another open holds may have to be broken first.
            fs::leases::break_for_open(node, flags.write || flags.truncate, flags.non_blocking)?;
        }
        let file = match object {
            FileObject::Node(node) => {
                let mut file = OpenFile::new_placed(node, flags, path_str, placement);
                if let Some(subject) = file.subject().filter(|_| !flags.path_only && fs::notify::active()) {
                    if let Err(e) = fs::fanotify::permission(&subject, fanotify::bits::FAN_OPEN_PERM) {
                        // Refused: the file was never open, so no close is reported.
                        if let Some(f) = Arc::get_mut(&mut file) {
                            f.unwatched = true;
                        }
                        return Err(e);
                    }
                }
                if let Some(subject) = file.subject().filter(|_| !flags.path_only) {
                    fs::notify::opened(subject);
                }
                if flags.truncate && flags.write && meta.file_type == FileType::Regular {
                    truncate_node(node, 0, file.subject())?;
                }
                file
            }
            object if !matches!(meta.file_type, FileType::CharDevice | FileType::BlockDevice) => {
                OpenFile::new(object, flags, path_str)
            }
            object => OpenFile::new_device(
                object,
                flags,
                path_str,
                FileStat { dev: u64::from(node.fs.0) + 1, meta: meta.clone() },
            ),
        };
        self.install(file, flags.close_on_exec)
    }

    fn current_umask(&self) -> u32 {
        self.process.fs().lock().umask
    }

    pub(super) fn install(&mut self, file: Arc<OpenFile>, close_on_exec: bool) -> KResult<Fd> {
        let limit = self.process.limit(Resource::OpenFiles).soft;
        // If the table refuses it (no free number under the limit), the
        // entry is dropped under the table's spinlock: this reference makes
        // sure that is not the last one, whose release can sleep.
        let keep = file.clone();
        let fd = self.process.files().lock().insert(FdEntry { file, close_on_exec }, 0, limit);
        drop(keep);
        fd.ok_or(Error::TooManyOpenFiles)
    }

    /// Whether `node` may be opened as `flags` ask (an O_PATH open needs
    /// nothing): the caller's read and write permission, and no writing to
    /// a running program's file (ETXTBSY). Both the open of a path and the
    /// reopen of a /proc/<pid>/fd link check it.
    fn check_open_permission(&self, node: NodeRef, meta: &vfs::Metadata, flags: &OpenFlags) -> KResult<()> {
        if flags.path_only {
            return Ok(());
        }
        let want = vfs::Access::from_bits(if flags.read { 4 } else { 0 } | if flags.write { 2 } else { 0 });
        vfs::check_access(meta, &self.creds(), want)?;
        if (flags.write || flags.truncate) && meta.file_type == FileType::Regular {
            fs::write_denial::check_write(node)?;
        }
        Ok(())
    }

    /// Opens a device node as the object behind it.
    fn open_device(&mut self, major: u32, minor: u32, flags: &OpenFlags) -> KResult<FileObject> {
        match fs::device::lookup(major, minor) {
            Some(fs::device::DeviceKind::Simple(d)) => Ok(FileObject::Device(d)),
            Some(fs::device::DeviceKind::Console) => {
                Ok(FileObject::Terminal(self.opened_terminal(fs::tty::TtyRef::Console, flags)))
            }
            Some(fs::device::DeviceKind::PtySlave(n)) => {
                let pair = fs::pty::lookup(n).ok_or(Error::NoSuchDeviceOrAddress)?;
                let slave = pair.open_slave()?;
                Ok(FileObject::Terminal(self.opened_terminal(slave, flags)))
            }
            Some(fs::device::DeviceKind::PtyMultiplexer) => {
                let uid = self.process.creds.lock().euid;
                Ok(FileObject::PtyMaster(fs::pty::open_master(uid)?))
            }
            Some(fs::device::DeviceKind::ControllingTerminal) => {
                let tty = fs::tty::controlling(self.process.sid()).ok_or(Error::NoSuchDeviceOrAddress)?;
                Ok(FileObject::Terminal(tty))
            }
            None => Err(Error::NoSuchDeviceOrAddress),
        }
    }

    /// A terminal just opened: a session leader without a controlling
    /// terminal acquires it (unless O_NOCTTY), as on Linux.
    fn opened_terminal(&self, tty: fs::tty::TtyRef, flags: &OpenFlags) -> fs::tty::TtyRef {
        let p = &self.process;
        if !flags.no_controlling_tty
            && p.sid() == p.pid
            && tty.session() == 0
            && fs::tty::controlling(p.sid()).is_none()
        {
            tty.attach(p.sid(), p.pgid());
        }
        tty
    }

    /// The socket behind a descriptor (`NotASocket` for any other file).
    fn socket_of(&self, fd: Fd) -> KResult<Arc<fs::socket::Socket>> {
        self.file(fd)?.socket().cloned().ok_or(Error::NotASocket)
    }

    /// The socket a name leads to: a socket node someone is bound to, or
    /// an abstract name in use. Connecting needs write permission on the
    /// node; a node nobody is bound to refuses the connection.
    fn find_socket(&self, addr: &SocketAddress) -> KResult<Arc<fs::socket::Socket>> {
        match addr {
            SocketAddress::Unnamed => Err(Error::InvalidArgument),
            SocketAddress::Abstract(name) => fs::socket::Socket::at_abstract(name).ok_or(Error::ConnectionRefused),
            SocketAddress::Path(path) => {
                let node = self.resolve(DirFd::Cwd, path, true)?;
                let meta = fs::with_vfs(|v| v.metadata(node))?;
                if meta.file_type != FileType::Socket {
                    return Err(Error::ConnectionRefused);
                }
                vfs::check_access(&meta, &self.creds(), vfs::Access::WRITE)?;
                fs::socket::Socket::at_node(node).ok_or(Error::ConnectionRefused)
            }
        }
    }

    /// Gathers user buffers into one kernel buffer.
    fn gather(&mut self, segments: &[(u64, usize)], skip: usize, max: usize) -> KResult<Vec<u8>> {
        let mut out = Vec::new();
        let mut offset = 0usize;
        for &(addr, len) in segments {
            if out.len() >= max {
                break;
            }
            let end = offset + len;
            if end > skip {
                let from = skip.saturating_sub(offset);
                let n = (len - from).min(max - out.len());
                let start = out.len();
                out.try_reserve_exact(n).map_err(|_| Error::NoMemory)?;
                out.resize(start + n, 0);
                self.copy_in(addr.wrapping_add(from as u64), &mut out[start..])?;
            }
            offset = end;
        }
        Ok(out)
    }

    fn sigpipe(&mut self) {
        signal::send_to_thread(&self.thread, Signal::PIPE, SignalCause::Kernel);
    }

    /// What a POSIX timer's clock reads now: monotonic time, or the CPU
    /// time of the process or of the timer's thread.
    fn posix_timer_clock(&self, t: &super::process::PosixTimer) -> u64 {
        match t.clock {
            Clock::ProcessCpu | Clock::ThreadCpu => self.cpu_clock_now(t.clock, t.cpu_thread),
            _ => crate::time::now_ns(),
        }
    }

    /// A CPU-time clock now: the process's (user and system time of every
    /// thread, the running slice included), or thread `tid`'s of this
    /// process (0 if it is gone). clock_gettime and the POSIX timers on
    /// CPU clocks both read it here.
    fn cpu_clock_now(&self, clock: Clock, tid: u32) -> u64 {
        match clock {
            Clock::ProcessCpu => {
                let (user, system) = self.cpu_times(false);
                user + system
            }
            _ if tid == self.thread.tid => {
                self.thread.cpu_ns.load(Ordering::Relaxed)
                    + if self.is_current() { crate::sched::current_slice_ns() } else { 0 }
            }
            _ => self
                .process
                .threads
                .lock()
                .iter()
                .find(|x| x.tid == tid)
                .map_or(0, |x| x.cpu_ns.load(Ordering::Relaxed)),
        }
    }

    fn monotonic_deadline(&self, clock: Clock, deadline: u64) -> u64 {
        match clock {
            Clock::Realtime => {
                deadline.saturating_sub(crate::time::realtime_ns().saturating_sub(crate::time::now_ns()))
            }
            _ => deadline,
        }
    }

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
            v.fs_mut(node.fs)?.set_metadata(node.ino, change, fs::now())?;
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
            v.fs_mut(node.fs)?.set_metadata(
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

    /// The terminal a descriptor is: a terminal, or a pseudo-terminal's
    /// master (whose terminal requests act on the pair, as on Linux).
    fn tty_of(&self, fd: Fd) -> KResult<fs::tty::TtyRef> {
        match &self.file(fd)?.object {
            FileObject::Terminal(t) => Ok(t.clone()),
            FileObject::PtyMaster(m) => Ok(fs::tty::TtyRef::Pair(m.pair.clone())),
            _ => Err(Error::NotATerminal),
        }
    }
}

/// Fills in each request's events from its descriptor's state now (poll's
/// rules); how many have any. Takes only spinlocks: a wait's condition.
fn poll_ready(files: &SpinLock<fs::FdTable>, requests: &mut [PollRequest]) -> usize {
    let table = files.lock();
    let mut ready = 0;
    for r in requests.iter_mut() {
        r.returned = PollEvents::default();
        if r.fd < 0 {
            continue;
        }
        match table.get(r.fd) {
            None => r.returned.invalid = true,
            Some(e) => {
                let s = e.file.poll();
                r.returned.readable = s.readable && r.wanted.readable;
                r.returned.writable = s.writable && r.wanted.writable;
                r.returned.hang_up = s.hang_up;
                r.returned.read_hang_up = s.read_hang_up && r.wanted.read_hang_up;
                r.returned.error = s.error;
            }
        }
        let ev = r.returned;
        if ev.readable || ev.writable || ev.hang_up || ev.error || ev.invalid || ev.read_hang_up {
            ready += 1;
        }
    }
    ready
}

impl KernelOps for CoreOps<'_> {
    fn context(&mut self) -> &mut UserContext {
        self.regs
    }

    fn copy_in(&mut self, addr: u64, buf: &mut [u8]) -> KResult<()> {
        self.mm().copy_in(addr, buf).map_err(|_| Error::Fault)
    }

    fn copy_out(&mut self, addr: u64, data: &[u8]) -> KResult<()> {
        self.mm().copy_out(addr, data).map_err(|_| Error::Fault)
    }

    fn copy_in_cstring(&mut self, addr: u64, max: usize) -> KResult<Vec<u8>> {
        self.mm().copy_in_cstring(addr, max).map_err(|_| Error::Fault)?.ok_or(Error::NameTooLong)
    }

    fn fpu_state(&mut self) -> FpuImage {
        *self.thread.context().fpu_snapshot(self.is_current()).bytes()
    }

    fn set_fpu_state(&mut self, state: &FpuImage) {
        let mut s = FpuState::initial();
        s.set_bytes(state);
        self.thread.context().set_fpu(s, self.is_current());
    }

    fn thread_pointer(&mut self) -> u64 {
        self.thread.context().thread_pointer()
    }

    fn set_thread_pointer(&mut self, value: u64) -> KResult<()> {
        if value >= crate::arch::layout::USER_END {
            return Err(Error::NotPermitted);
        }
        self.thread.context().set_thread_pointer(value, self.is_current());
        Ok(())
    }

    fn log_unsupported(&mut self, what: core::fmt::Arguments<'_>) {
        let exe = self.process.exe.lock().clone();
        crate::warn!("{} from pid {} {}", what, self.process.pid, alloc::string::String::from_utf8_lossy(&exe));
    }

    fn pid(&self) -> u32 {
        self.process.pid
    }

    fn tid(&self) -> u32 {
        self.thread.tid
    }

    fn parent_pid(&self) -> u32 {
        self.process.parent_pid()
    }

    fn process_group(&mut self, pid: u32) -> KResult<u32> {
        if pid == 0 {
            return Ok(self.process.pgid());
        }
        super::process::find(pid).map(|p| p.pgid()).ok_or(Error::NoSuchProcess)
    }

    fn set_process_group(&mut self, pid: u32, pgid: u32) -> KResult<()> {
        let target = if pid == 0 || pid == self.process.pid {
            self.process.clone()
        } else {
            let child = self.process.children.lock().iter().find(|c| c.pid == pid).cloned();
            child.ok_or(Error::NoSuchProcess)?
        };
        let pgid = if pgid == 0 { target.pid } else { pgid };
        if target.sid() != self.process.sid() {
            return Err(Error::NotPermitted);
        }
        if target.sid() == target.pid {
            return Err(Error::NotPermitted); // a session leader stays put
        }
        if pgid != target.pid && !super::process::all().iter().any(|p| p.pgid() == pgid && p.sid() == target.sid()) {
            return Err(Error::NotPermitted);
        }
        target.set_pgid(pgid);
        Ok(())
    }

    fn session(&mut self, pid: u32) -> KResult<u32> {
        if pid == 0 {
            return Ok(self.process.sid());
        }
        super::process::find(pid).map(|p| p.sid()).ok_or(Error::NoSuchProcess)
    }

    fn new_session(&mut self) -> KResult<u32> {
        let p = &self.process;
        if super::process::all().iter().any(|q| q.pgid() == p.pid) {
            return Err(Error::NotPermitted);
        }
        p.set_sid(p.pid);
        p.set_pgid(p.pid);
        Ok(p.pid)
    }

    fn credentials(&self) -> Credentials {
        *self.process.creds.lock()
    }

    fn credentials_of(&mut self, pid: u32) -> KResult<Credentials> {
        if pid == 0 || pid == self.process.pid {
            return Ok(*self.process.creds.lock());
        }
        let p = super::process::find(pid).ok_or(Error::NoSuchProcess)?;
        let c = *p.creds.lock();
        Ok(c)
    }

    fn set_credentials(&mut self, new: Credentials) -> KResult<()> {
        let mut c = self.process.creds.lock();
        *c = c.change(&new)?;
        Ok(())
    }

    fn groups(&self) -> Vec<u32> {
        self.process.groups().as_ref().clone()
    }

    fn set_groups(&mut self, groups: &[u32]) -> KResult<()> {
        if !self.has(Privilege::SetGid) {
            return Err(Error::NotPermitted);
        }
        let mut list = Vec::new();
        list.try_reserve_exact(groups.len()).map_err(|_| Error::NoMemory)?;
        list.extend_from_slice(groups);
        list.sort_unstable();
        self.process.set_groups(Arc::new(list));
        Ok(())
    }

    fn thread_name(&self) -> [u8; 16] {
        *self.thread.name.lock()
    }

    fn set_thread_name(&mut self, name: &[u8]) {
        let mut n = [0u8; 16];
        let len = name.iter().position(|&b| b == 0).unwrap_or(name.len()).min(15);
        n[..len].copy_from_slice(&name[..len]);
        *self.thread.name.lock() = n;
    }

    fn clone_task(&mut self, args: &CloneArgs) -> KResult<u32> {
        lifecycle::clone(&self.thread, self.regs, args)
    }

    fn exec(&mut self, path: &[u8], argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
        // The old image's peak stays the process's (getrusage after exec).
        super::usage::sample_peak_rss(&self.process);
        super::exec::exec(&self.thread, self.regs, path, argv, envp)?;
        self.process.settings.reset_for_exec();
        crate::keys::exec(self.process.pid, self.thread.tid);
        *self.process.environ.lock() = super::nul_joined(envp);
        if super::ptrace::is_traced(&self.thread) {
            super::ptrace::after_exec(&self.thread, self.regs);
        }
        Ok(())
    }

    fn exec_at(&mut self, dir: DirFd, path: &[u8], follow: bool, argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
        let origin = match dir {
            DirFd::Cwd if path.is_empty() => {
                super::exec::Origin::Node { node: self.process.fs().lock().cwd, name: b".".to_vec() }
            }
            DirFd::Cwd => super::exec::Origin::Cwd,
            DirFd::Fd(fd) => {
                let file = self.file(fd)?;
                match (file.node(), path.is_empty()) {
                    (Some(node), true) => super::exec::Origin::Node { node, name: file.path.clone() },
                    // A pipe or another kind no path names: not a program.
                    (None, true) => return Err(Error::PermissionDenied),
                    (Some(dir), false) => super::exec::Origin::Dir { dir, follow },
                    (None, false) => return Err(Error::NotDirectory),
                }
            }
        };
        let origin = match origin {
            super::exec::Origin::Cwd if !follow => {
                super::exec::Origin::Dir { dir: self.process.fs().lock().cwd, follow }
            }
            o => o,
        };
        super::usage::sample_peak_rss(&self.process);
        super::exec::exec_from(&self.thread, self.regs, origin, path, argv, envp)?;
        self.process.settings.reset_for_exec();
        crate::keys::exec(self.process.pid, self.thread.tid);
        *self.process.environ.lock() = super::nul_joined(envp);
        // execveat stops a tracee as execve does.
        if super::ptrace::is_traced(&self.thread) {
            super::ptrace::after_exec(&self.thread, self.regs);
        }
        Ok(())
    }

    fn record_auxv(&mut self, auxv: &[u8]) {
        *self.process.auxv.lock() = auxv.to_vec();
    }

    fn exit(&mut self, code: u8, group: bool) {
        let status = ChildStatus::Exited(code);
        super::ptrace::before_exit(&self.thread, self.regs, status);
        if group {
            lifecycle::exit_group(&self.thread, status);
        } else {
            lifecycle::exit_thread(&self.thread, status);
        }
    }

    fn wait(&mut self, target: WaitTarget, options: WaitOptions) -> KResult<Option<WaitResult>> {
        lifecycle::wait(&self.thread, target, options)
    }

    fn log_syscall(&mut self, line: &str) {
        crate::println!("strace {line}");
    }

    fn trace_me(&mut self) -> KResult<()> {
        super::ptrace::trace_me(&self.thread)
    }

    fn trace_attach(&mut self, tid: u32, seize: bool, options: TraceOptions) -> KResult<()> {
        super::ptrace::attach(&self.thread, tid, seize, options)
    }

    fn trace_interrupt(&mut self, tid: u32) -> KResult<()> {
        super::ptrace::interrupt(&self.thread, tid)
    }

    fn trace_listen(&mut self, tid: u32) -> KResult<()> {
        super::ptrace::listen(&self.thread, tid)
    }

    fn trace_resume(&mut self, tid: u32, how: TraceResume, signal: Option<Signal>) -> KResult<()> {
        super::ptrace::resume(&self.thread, tid, how, signal)
    }

    fn trace_kill(&mut self, tid: u32) -> KResult<()> {
        super::ptrace::kill(&self.thread, tid)
    }

    fn trace_set_options(&mut self, tid: u32, options: TraceOptions) -> KResult<()> {
        super::ptrace::set_options(&self.thread, tid, options)
    }

    fn trace_read(&mut self, tid: u32, addr: u64, buf: &mut [u8]) -> KResult<()> {
        super::ptrace::read_memory(&self.thread, tid, addr, buf)
    }

    fn trace_write(&mut self, tid: u32, addr: u64, data: &[u8]) -> KResult<()> {
        super::ptrace::write_memory(&self.thread, tid, addr, data)
    }

    fn trace_state(&mut self, tid: u32) -> KResult<TraceeState> {
        super::ptrace::state(&self.thread, tid)
    }

    fn trace_change(&mut self, tid: u32, change: &TraceeChange<'_>) -> KResult<()> {
        super::ptrace::change(&self.thread, tid, change)
    }

    fn set_clear_child_tid(&mut self, addr: u64) {
        self.thread.clear_child_tid.store(addr, Ordering::Release);
    }

    fn yield_now(&mut self) {
        crate::sched::yield_now();
    }

    fn futex_wait(&mut self, addr: u64, expected: u32, deadline: Option<(Clock, u64)>, bitset: u32) -> KResult<()> {
        let deadline = deadline.map(|(c, d)| self.monotonic_deadline(c, d));
        futex::wait(&self.thread, addr, expected, deadline, bitset)
    }

    fn futex_wake(&mut self, addr: u64, count: u32, bitset: u32) -> KResult<u32> {
        Ok(futex::wake(&self.process, addr, count, bitset))
    }

    fn futex_requeue(
        &mut self,
        addr: u64,
        wake: u32,
        requeue_to: u64,
        requeue: u32,
        expected: Option<u32>,
    ) -> KResult<u32> {
        futex::requeue(&self.process, addr, wake, requeue_to, requeue, expected)
    }

    fn limit(&self, resource: Resource) -> Limit {
        self.process.limit(resource)
    }

    fn set_limit(&mut self, resource: Resource, limit: Limit) -> KResult<()> {
        if limit.soft > limit.hard {
            return Err(Error::InvalidArgument);
        }
        let mut l = self.process.limits.lock();
        let old = l[resource as usize];
        if limit.hard > old.hard && !self.has(Privilege::SysResource) {
            return Err(Error::NotPermitted);
        }
        l[resource as usize] = limit;
        Ok(())
    }

    fn cpu_times(&self, children: bool) -> (u64, u64) {
        let u = if children {
            super::usage::of_children(&self.process)
        } else {
            let running = if self.is_current() { crate::sched::current_slice_ns() } else { 0 };
            super::usage::of_process(&self.process, running)
        };
        (u.user_ns, u.system_ns)
    }

    fn resource_usage(&mut self, target: UsageTarget) -> ResourceUsage {
        let running = if self.is_current() { crate::sched::current_slice_ns() } else { 0 };
        if target != UsageTarget::Children {
            super::usage::sample_peak_rss(&self.process);
        }
        match target {
            UsageTarget::Process => super::usage::of_process(&self.process, running),
            UsageTarget::Thread => super::usage::of_thread(&self.thread, running),
            UsageTarget::Children => super::usage::of_children(&self.process),
        }
    }

    fn task_setting(&mut self, which: TaskSetting) -> u64 {
        super::settings::get(&self.process.settings, &self.thread.settings, which)
    }

    fn set_task_setting(&mut self, which: TaskSetting, value: u64) -> KResult<()> {
        super::settings::set(&self.process.settings, &self.thread.settings, which, value)
    }

    fn nice(&mut self, target: PriorityTarget) -> KResult<i32> {
        super::priority::nice(&self.process, target)
    }

    fn set_nice(&mut self, target: PriorityTarget, nice: i32) -> KResult<()> {
        super::priority::set_nice(&self.process, target, nice)
    }

    fn brk(&mut self, new_end: u64) -> u64 {
        let mm = self.mm();
        if new_end != 0 && new_end < mm.lock().brk {
            // Memory given back may have been the peak (getrusage).
            super::usage::sample_peak_rss(&self.process);
        }
        let mut a = mm.lock();
        if new_end == 0 {
            return a.brk;
        }
        a.set_brk(new_end)
    }

    fn mmap(
        &mut self,
        addr: u64,
        len: u64,
        prot: Protection,
        flags: MapFlags,
        fd: Option<Fd>,
        offset: u64,
    ) -> KResult<u64> {
        if len == 0 || !offset.is_multiple_of(PAGE) {
            return Err(Error::InvalidArgument);
        }
        let len = len.checked_add(PAGE - 1).ok_or(Error::NoMemory)? & !(PAGE - 1);
        if len > crate::arch::layout::USER_END {
            return Err(Error::NoMemory);
        }
        let backing = match (flags.anonymous, fd) {
            (true, _) if flags.shared => Backing::Shared(SharedPages::new()),
            (true, _) => Backing::Anonymous,
            (false, Some(fd)) => {
                let file = self.file(fd)?;
                if file.opened.path_only {
                    return Err(Error::BadDescriptor);
                }
                if !file.can_read() {
                    return Err(Error::PermissionDenied);
                }
                if flags.shared && prot.write && !file.can_write() {
                    return Err(Error::PermissionDenied);
                }
                match &file.object {
                    FileObject::Node(n) if flags.shared => {
                        // A memory file sealed against writes refuses a
                        // writable shared mapping, and a read-only one may
                        // never become writable.
                        let sealed = fs::memfd::forbids_writable_mapping(*n);
                        if sealed && prot.write {
                            return Err(Error::NotPermitted);
                        }
                        let hold = crate::mm::NodeHold::new(*n, file.path.clone());
                        Backing::SharedFile {
                            file: crate::mm::page_cache::SharedFile::new(hold, file.can_write() && !sealed),
                            offset,
                        }
                    }
                    FileObject::Node(n) => {
                        let size = fs::with_vfs(|v| v.metadata(*n))?.size;
                        Backing::File {
                            node: crate::mm::NodeHold::new(*n, file.path.clone()),
                            offset,
                            valid: size.saturating_sub(offset).min(len),
                        }
                    }
                    FileObject::Device(fs::Device::Zero) => Backing::Anonymous,
                    _ => return Err(Error::NoDevice),
                }
            }
            (false, None) => return Err(Error::BadDescriptor),
        };
        let mm = self.mm();
        let mut a = mm.lock();
        let start = if flags.fixed || flags.fixed_no_replace {
            if !addr.is_multiple_of(PAGE) {
                return Err(Error::InvalidArgument);
            }
            let end = addr.checked_add(len).ok_or(Error::NoMemory)?;
            if addr < crate::mm::USER_MIN || end > crate::arch::layout::USER_END {
                return Err(Error::NoMemory);
            }
            if !a.is_free(addr, end) {
                if flags.fixed_no_replace {
                    return Err(Error::Exists);
                }
                a.unmap(addr, end);
            }
            addr
        } else if addr != 0 && addr.is_multiple_of(PAGE) && addr.checked_add(len).is_some_and(|e| a.is_free(addr, e)) {
            addr
        } else {
            a.find_free(len).ok_or(Error::NoMemory)?
        };
        a.insert(start, Vma { end: start + len, prot, backing, pgoff: 0, is_stack: false });
        drop(a);
        mm.lock_if_future(start, start + len);
        Ok(start)
    }

    fn munmap(&mut self, addr: u64, len: u64) -> KResult<()> {
        if !addr.is_multiple_of(PAGE) || len == 0 {
            return Err(Error::InvalidArgument);
        }
        let end =
            addr.checked_add(len).and_then(|e| e.checked_add(PAGE - 1)).ok_or(Error::InvalidArgument)? & !(PAGE - 1);
        if end > crate::arch::layout::USER_END {
            return Err(Error::InvalidArgument);
        }
        super::usage::sample_peak_rss(&self.process);
        self.mm().lock().unmap(addr, end);
        Ok(())
    }

    fn mprotect(&mut self, addr: u64, len: u64, prot: Protection) -> KResult<()> {
        if !addr.is_multiple_of(PAGE) {
            return Err(Error::InvalidArgument);
        }
        let end = addr.checked_add(len).and_then(|e| e.checked_add(PAGE - 1)).ok_or(Error::NoMemory)? & !(PAGE - 1);
        if end == addr {
            return Ok(());
        }
        let mm = self.mm();
        let mut a = mm.lock();
        // A shared file mapping that may not write (the file was opened
        // read-only, or is a memory file sealed against writes) cannot be
        // made writable, as on Linux.
        let read_only_shared = |v: &Vma| match &v.backing {
            Backing::SharedFile { file, .. } => !file.is_writable(),
            // Attached with SHM_RDONLY.
            Backing::SysvShm(s) => !s.may_write,
            _ => false,
        };
        if prot.write && a.regions().any(|(s, v)| s < end && v.end > addr && read_only_shared(v)) {
            return Err(Error::PermissionDenied);
        }
        a.protect(addr, end, prot).map_err(|_| Error::NoMemory)
    }

    fn sync_mappings(&mut self, addr: u64, len: u64, invalidate: bool) -> KResult<()> {
        if !addr.is_multiple_of(PAGE) {
            return Err(Error::InvalidArgument);
        }
        let end = addr.checked_add(len).and_then(|e| e.checked_add(PAGE - 1)).ok_or(Error::NoMemory)? & !(PAGE - 1);
        if end == addr {
            return Ok(());
        }
        let mm = self.mm();
        let fully_mapped = {
            let a = mm.lock();
            if invalidate && a.locks.ranges.covered(addr, end) > 0 {
                return Err(Error::Busy);
            }
            a.covers(addr, end)
        };
        for (file, first, last) in mm.shared_files_in(addr, end.min(crate::arch::layout::USER_END)) {
            crate::mm::page_cache::write_back(file.hold.node, first, last);
        }
        if fully_mapped {
            Ok(())
        } else {
            Err(Error::NoMemory)
        }
    }

    fn discard_pages(&mut self, addr: u64, len: u64) -> KResult<()> {
        if !addr.is_multiple_of(PAGE) {
            return Err(Error::InvalidArgument);
        }
        let end =
            addr.checked_add(len).and_then(|e| e.checked_add(PAGE - 1)).ok_or(Error::InvalidArgument)? & !(PAGE - 1);
        super::usage::sample_peak_rss(&self.process);
        self.mm().lock().discard(addr, end.min(crate::arch::layout::USER_END));
        Ok(())
    }

    fn mremap(&mut self, old: u64, old_len: u64, new_len: u64, may_move: bool, fixed: Option<u64>) -> KResult<u64> {
        if !old.is_multiple_of(PAGE) || new_len == 0 {
            return Err(Error::InvalidArgument);
        }
        let round = |v: u64| v.checked_add(PAGE - 1).map(|x| x & !(PAGE - 1)).ok_or(Error::InvalidArgument);
        let (old_len, new_len) = (round(old_len)?, round(new_len)?);
        let mm = self.mm();
        let mut a = mm.lock();
        let region_end = a.region_end(old).ok_or(Error::Fault)?;
        let old_end = old.checked_add(old_len).ok_or(Error::Fault)?;
        let new_end = old.checked_add(new_len).ok_or(Error::NoMemory)?;
        if old_end > region_end || new_end > crate::arch::layout::USER_END {
            return Err(Error::Fault);
        }
        if let Some(target) = fixed {
            if target % PAGE != 0
                || !may_move
                || target.checked_add(new_len).is_none_or(|e| e > crate::arch::layout::USER_END)
                || target < crate::mm::USER_MIN
            {
                return Err(Error::InvalidArgument);
            }
            a.unmap(target, target + new_len);
            a.move_range(old, old_len.min(new_len), target);
            if old_len > new_len {
                a.unmap(old + new_len, old + old_len);
            } else if let Some(s) = a.region_start(target) {
                a.resize_region(s, target + new_len);
            }
            return Ok(target);
        }
        if new_len <= old_len {
            a.unmap(old + new_len, old + old_len);
            return Ok(old);
        }
        if region_end == old + old_len && a.is_free(old + old_len, old + new_len) {
            let s = a.region_start(old).ok_or(Error::Fault)?;
            a.resize_region(s, old + new_len);
            return Ok(old);
        }
        if !may_move {
            return Err(Error::NoMemory);
        }
        let target = a.find_free(new_len).ok_or(Error::NoMemory)?;
        a.move_range(old, old_len, target);
        let s = a.region_start(target).ok_or(Error::Fault)?;
        a.resize_region(s, target + new_len);
        Ok(target)
    }

    fn signal_action(&mut self, signal: Signal, new: Option<SignalAction>) -> KResult<SignalAction> {
        if signal.is_unblockable() && new.is_some() {
            return Err(Error::InvalidArgument);
        }
        let actions = self.process.actions();
        let mut table = actions.lock();
        let old = table[signal.number() as usize - 1];
        if let Some(a) = new {
            table[signal.number() as usize - 1] = a;
            // Setting a signal to ignored discards it if pending (POSIX).
            let ignore = matches!(a.handler, SignalHandler::Ignore)
                || (matches!(a.handler, SignalHandler::Default) && signal.default_action() == DefaultAction::Ignore);
            if ignore {
                drop(table);
                self.process.clear_shared_pending(signal.bit());
                for t in self.process.threads.lock().iter() {
                    t.signals.lock().pending &= !signal.bit();
                }
            }
        }
        Ok(old)
    }

    fn signal_mask(&mut self, how: MaskHow, set: Option<u64>) -> u64 {
        let mut s = self.thread.signals.lock();
        let old = s.mask;
        if let Some(set) = set {
            let set = set & !(Signal::KILL.bit() | Signal::STOP.bit());
            s.mask = match how {
                MaskHow::Block => old | set,
                MaskHow::Unblock => old & !set,
                MaskHow::Set => set,
            };
        }
        old
    }

    fn pending_signals(&mut self) -> u64 {
        let (pending, mask) = {
            let s = self.thread.signals.lock();
            (s.pending, s.mask)
        };
        (pending | self.process.shared_pending()) & mask
    }

    fn alt_stack(&mut self, new: Option<AltStack>) -> KResult<AltStack> {
        let on = self.on_alt_stack();
        let mut s = self.thread.signals.lock();
        let old = s.alt_stack;
        if let Some(n) = new {
            if on {
                return Err(Error::NotPermitted);
            }
            s.alt_stack = n;
        }
        Ok(old)
    }

    fn on_alt_stack(&mut self) -> bool {
        let s = self.thread.signals.lock().alt_stack;
        // As Linux, without adding base and size: a stack may end past the
        // top of the address space (the fuzz campaign's overflow panic).
        !s.disabled && self.regs.sp() > s.base && self.regs.sp() - s.base <= s.size
    }

    fn kill(&mut self, target: KillTarget, signal: Option<Signal>) -> KResult<()> {
        let cause = SignalCause::User { pid: self.process.pid, uid: self.process.creds.lock().uid };
        let targets: Vec<Arc<Process>> = match target {
            // A zombie exists until it is reaped: signalling it succeeds
            // (and does nothing), as on Linux.
            KillTarget::Process(pid) => alloc::vec![process_of_id(pid).ok_or(Error::NoSuchProcess)?],
            KillTarget::ProcessGroup(g) => {
                let g = if g == 0 { self.process.pgid() } else { g };
                super::process::all().into_iter().filter(|p| p.pgid() == g).collect()
            }
            KillTarget::All => {
                super::process::all().into_iter().filter(|p| p.pid != 1 && p.pid != self.process.pid).collect()
            }
        };
        if targets.is_empty() {
            return Err(Error::NoSuchProcess);
        }
        // As Linux: the call succeeds if any target could be signalled,
        // and is EPERM when none could.
        let permitted: Vec<&Arc<Process>> = targets.iter().filter(|p| self.may_signal(p, signal)).collect();
        if permitted.is_empty() {
            return Err(Error::NotPermitted);
        }
        if let Some(sig) = signal {
            for p in permitted.into_iter().filter(|p| !p.is_zombie()) {
                signal::send_to_process(p, sig, cause);
            }
        }
        Ok(())
    }

    fn kill_thread(&mut self, tgid: Option<u32>, tid: u32, signal: Option<Signal>) -> KResult<()> {
        let thread = super::process::all()
            .into_iter()
            .filter(|p| tgid.is_none_or(|g| p.pid == g))
            .find_map(|p| p.threads.lock().iter().find(|t| t.tid == tid).cloned())
            .ok_or(Error::NoSuchProcess)?;
        if !self.may_signal(thread.process(), signal) {
            return Err(Error::NotPermitted);
        }
        if let Some(sig) = signal {
            let cause = SignalCause::UserThread { pid: self.process.pid, uid: self.process.creds.lock().uid };
            signal::send_to_thread(&thread, sig, cause);
        }
        Ok(())
    }

    fn wait_for_signal(&mut self, set: u64, deadline: Option<u64>) -> KResult<SignalInfo> {
        let set = set & !(Signal::KILL.bit() | Signal::STOP.bit());
        if let Some(info) = signal::take_from_set(&self.thread, set) {
            return Ok(info);
        }
        // Unblock the awaited signals while sleeping so their arrival wakes
        // us; the mask is back before any return to user mode.
        let saved = {
            let mut s = self.thread.signals.lock();
            let saved = s.mask;
            s.awaited = saved & set;
            s.mask &= !set;
            saved
        };
        static SIGWAIT: crate::sched::WaitQueue = crate::sched::WaitQueue::new();
        let waited = SIGWAIT.wait_until(true, deadline, || false);
        {
            let mut s = self.thread.signals.lock();
            s.mask = saved;
            s.awaited = 0;
        }
        if let Some(info) = signal::take_from_set(&self.thread, set) {
            return Ok(info);
        }
        match waited {
            Err(crate::sched::WaitError::TimedOut) => Err(Error::WouldBlock),
            _ => Err(Error::Interrupted),
        }
    }

    fn queue_signal(&mut self, pid: u32, sig: Signal, value: u64) -> KResult<()> {
        let p = process_of_id(pid).ok_or(Error::NoSuchProcess)?;
        if !self.may_signal(&p, Some(sig)) {
            return Err(Error::NotPermitted);
        }
        if p.is_zombie() {
            return Ok(());
        }
        let cause = SignalCause::Queued { pid: self.process.pid, uid: self.process.creds.lock().uid, value };
        signal::send_to_process(&p, sig, cause);
        Ok(())
    }

    fn suspend(&mut self, mask: u64) -> KResult<()> {
        {
            let mut s = self.thread.signals.lock();
            s.restore_mask = Some(s.mask);
            s.mask = mask & !(Signal::KILL.bit() | Signal::STOP.bit());
        }
        static SUSPENDED: crate::sched::WaitQueue = crate::sched::WaitQueue::new();
        let _ = SUSPENDED.wait_until(true, None, || false);
        Err(Error::Interrupted)
    }

    fn create_timer(&mut self, clock: Clock, notify: TimerNotify) -> KResult<u32> {
        let mut timers = self.process.timers.lock();
        let t = super::process::PosixTimer {
            clock,
            notify,
            deadline: 0,
            interval: 0,
            overrun: 0,
            overrun_last: 0,
            cpu_thread: self.thread.tid,
        };
        let id = match timers.iter().position(Option::is_none) {
            Some(i) => {
                timers[i] = Some(t);
                i
            }
            None if timers.len() < 4096 => {
                timers.push(Some(t));
                timers.len() - 1
            }
            None => return Err(Error::WouldBlock),
        };
        Ok(id as u32)
    }

    fn set_timer(&mut self, id: u32, value: u64, interval: u64, absolute: bool) -> KResult<(u64, u64)> {
        let timer = self.process.timers.lock().get(id as usize).copied().flatten().ok_or(Error::InvalidArgument)?;
        let now = self.posix_timer_clock(&timer);
        let old = {
            let mut timers = self.process.timers.lock();
            let t = timers.get_mut(id as usize).and_then(Option::as_mut).ok_or(Error::InvalidArgument)?;
            let old = (remaining(t.deadline, now), t.interval);
            t.deadline = match (value, absolute) {
                (0, _) => 0,
                (v, true) if t.on_cpu_clock() => v.max(1),
                (v, true) => self.monotonic_deadline(t.clock, v).max(1),
                (v, false) => now.saturating_add(v),
            };
            t.interval = interval;
            t.overrun = 0;
            t.overrun_last = 0;
            old
        };
        if value != 0 {
            if timer.on_cpu_clock() {
                super::cpu_timers::posix_timer_armed(&self.process);
            } else {
                signal::arm_alarm(&self.process);
            }
        }
        Ok(old)
    }

    fn get_timer(&mut self, id: u32) -> KResult<(u64, u64, u32)> {
        let timer = self.process.timers.lock().get(id as usize).copied().flatten().ok_or(Error::InvalidArgument)?;
        let now = self.posix_timer_clock(&timer);
        let timers = self.process.timers.lock();
        let t = timers.get(id as usize).and_then(Option::as_ref).ok_or(Error::InvalidArgument)?;
        Ok((remaining(t.deadline, now), t.interval, t.overrun_last))
    }

    fn delete_timer(&mut self, id: u32) -> KResult<()> {
        let mut timers = self.process.timers.lock();
        let slot = timers.get_mut(id as usize).ok_or(Error::InvalidArgument)?;
        slot.take().map(|_| ()).ok_or(Error::InvalidArgument)
    }

    fn restore_mask_after_handler(&mut self, old: u64) {
        self.thread.signals.lock().restore_mask = Some(old);
    }

    fn set_interval_timer(&mut self, which: IntervalTimer, value_ns: u64, interval_ns: u64) -> (u64, u64) {
        if which != IntervalTimer::Real {
            return super::cpu_timers::set(&self.process, &self.thread, which, value_ns, interval_ns);
        }
        let now = crate::time::now_ns();
        let mut a = self.process.alarm.lock();
        let old = (remaining(a.0, now), a.1);
        *a = (if value_ns == 0 { 0 } else { now.saturating_add(value_ns) }, interval_ns);
        drop(a);
        if value_ns != 0 {
            signal::arm_alarm(&self.process);
        }
        old
    }

    fn interval_timer(&mut self, which: IntervalTimer) -> (u64, u64) {
        if which != IntervalTimer::Real {
            return super::cpu_timers::get(&self.process, &self.thread, which);
        }
        let now = crate::time::now_ns();
        let a = *self.process.alarm.lock();
        (remaining(a.0, now), a.1)
    }

    fn open(&mut self, dir: DirFd, path: &[u8], flags: OpenFlags, mode: u32) -> KResult<Fd> {
        if path.is_empty() {
            return Err(Error::NotFound);
        }
        let follow = !flags.no_follow && !(flags.create && flags.exclusive);
        let node = match self.resolve(dir, path, follow) {
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
                    let ino = v.fs_mut(parent.fs)?.create(parent.ino, &name, NewNode::File, attrs, fs::now())?;
                    Ok(NodeRef { fs: parent.fs, ino })
                })?;
                fs::notify::created(parent, &name, false);
                node
            }
            Err(e) => return Err(e),
        };
        let (path_str, entry_dir) = {
            let (start, root) = self.start(dir, path)?;
            let creds = self.creds();
            fs::with_vfs(|v| fs::locate(v, start, root, path, &creds).unwrap_or_else(|| (path.to_vec(), None)))
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
        let entry = self.process.files().lock().remove(fd).ok_or(Error::BadDescriptor)?;
        drop(entry);
        Ok(())
    }

    fn close_range(&mut self, first: u32, last: u32, close_on_exec_only: bool, unshare: bool) -> KResult<()> {
        if unshare {
            self.process.unshare_files();
        }
        let files = self.process.files();
        let closed: Vec<FdEntry> = {
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
        let size = match (file.node(), &file.object) {
            (Some(n), _) => fs::with_vfs(|v| v.metadata(n))?.size,
            (None, FileObject::Device(fs::Device::Loop(n))) => fs::loop_device::size(*n),
            (None, _) => 0,
        };
        let mut pos = file.offset.lock();
        let base = match whence {
            Whence::Set => 0,
            Whence::Current => *pos as i64,
            Whence::End => size as i64,
        };
        let new = base.checked_add(offset).filter(|v| *v >= 0).ok_or(Error::InvalidArgument)?;
        *pos = new as u64;
        Ok(new as u64)
    }

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

    fn fs_info(&mut self, dir: DirFd, path: &[u8], follow: bool) -> KResult<FsInfo> {
        let node = self.resolve(dir, path, follow)?;
        node_fs_info(node)
    }

    fn fd_fs_info(&mut self, fd: Fd) -> KResult<FsInfo> {
        let file = self.file(fd)?;
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
            FileObject::Socket(_) => "sockfs",
            FileObject::MessageQueue(_) => "mqueue",
        };
        Ok(FsInfo {
            name: name.into(),
            stats: vfs::FsStats { block_size: 4096, name_max: 255, ..Default::default() },
            read_only: false,
            id: 0,
        })
    }

    fn get_xattr(&mut self, target: NodeTarget<'_>, name: &[u8]) -> KResult<Vec<u8>> {
        // The node first: a missing file is ENOENT whatever the name.
        let ns = fs::xattr::namespace(name);
        let node = self.xattr_node(target, ns.ok(), false)?;
        let ns = ns?;
        let (creds, admin) = (self.creds(), self.has(Privilege::SysAdmin));
        fs::with_vfs(|v| -> KResult<Vec<u8>> {
            fs::xattr::check(ns, &v.metadata(node)?, &creds, admin, false)?;
            Ok(v.fs(node.fs)?.get_xattr(node.ino, name)?)
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
        let names = match fs::with_vfs(|v| v.fs(node.fs)?.list_xattr(node.ino)) {
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
        let file = self.file(fd)?;
        // The uid first: a guard in the call's argument would hold the
        // credentials' spinlock across the VFS call.
        let uid = self.process.creds.lock().uid;
        stat_open_file(&file, uid)
    }

    fn read_link(&mut self, dir: DirFd, path: &[u8]) -> KResult<Vec<u8>> {
        // An empty path reads the link the descriptor itself names (an
        // O_PATH|O_NOFOLLOW descriptor of a symlink), as Linux since 2.6.39.
        let node = match (path.is_empty(), dir) {
            (true, DirFd::Fd(fd)) => self.file(fd)?.node().ok_or(Error::InvalidArgument)?,
            _ => self.resolve(dir, path, false)?,
        };
        fs::with_vfs(|v| -> KResult<Vec<u8>> {
            if v.metadata(node)?.file_type != FileType::Symlink {
                return Err(Error::InvalidArgument);
            }
            Ok(v.fs(node.fs)?.readlink(node.ino)?)
        })
    }

    fn read_dir(&mut self, fd: Fd, emit: &mut dyn FnMut(&DirEntryInfo<'_>) -> bool) -> KResult<()> {
        let file = self.file(fd)?;
        let node = file.node().ok_or(Error::NotDirectory)?;
        if file.opened.path_only {
            return Err(Error::BadDescriptor);
        }
        let mut cookie = file.offset.lock();
        fs::with_vfs(|v| -> KResult<()> {
            if !v.metadata(node)?.is_dir() {
                return Err(Error::NotDirectory);
            }
            let fs = v.fs(node.fs)?;
            let mut next = *cookie;
            fs.read_dir(node.ino, *cookie, &mut |e| {
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
            v.fs_mut(parent.fs)?.create(parent.ino, &name, node, attrs, fs::now())?;
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
            if v.mounts().any(|m| m.mount_point == child) {
                return Err(Error::Busy);
            }
            // Whether this is the node's last name (asked only when watched).
            let last_name = remove_dir || (watched && v.metadata(child).is_ok_and(|m| m.nlink <= 1));
            let fs = v.fs_mut(parent.fs)?;
            if remove_dir {
                fs.rmdir(parent.ino, &name, fs::now())?;
            } else {
                if !remove_dir && path.ends_with(b"/") {
                    return Err(Error::IsDirectory);
                }
                fs.unlink(parent.ino, &name, fs::now())?;
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
            v.fs_mut(from.fs)?.rename(from.ino, &from_name, to.ino, &to_name, fs::now())?;
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
        let target = self.resolve(old_dir, old, follow)?;
        let (parent, name) = self.resolve_parent(new_dir, new)?;
        if parent.fs != target.fs {
            return Err(Error::CrossDevice);
        }
        if name.is_empty() || name == b"." || name == b".." {
            return Err(Error::Exists);
        }
        fs::with_vfs(|v| -> KResult<()> {
            if v.metadata(target)?.is_dir() {
                return Err(Error::NotPermitted);
            }
            Ok(v.fs_mut(parent.fs)?.link(parent.ino, &name, target.ino, fs::now())?)
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
            v.fs_mut(parent.fs)?.create(parent.ino, &name, NewNode::Symlink(target), attrs, fs::now())?;
            Ok(())
        })?;
        fs::notify::created(parent, &name, false);
        Ok(())
    }

    fn chmod(&mut self, dir: DirFd, path: &[u8], mode: u32, follow: bool) -> KResult<()> {
        let node = self.resolve(dir, path, follow)?;
        let entry = self.entry_named(dir, path, node);
        self.set_meta(node, entry, MetadataChange { mode: Some(mode & 0o7777), ..Default::default() })
    }

    fn fchmod(&mut self, fd: Fd, mode: u32) -> KResult<()> {
        let file = self.file(fd)?;
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
        let file = self.file(fd)?;
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
                    let file = self.file(fd)?;
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
            v.fs_mut(node.fs)?.set_metadata(node.ino, change, now)?;
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
        let node = self.resolve(dir, path, follow)?;
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

    fn chdir(&mut self, path: &[u8]) -> KResult<()> {
        let node = self.resolve(DirFd::Cwd, path, true)?;
        self.enter_dir(node)
    }

    fn fchdir(&mut self, fd: Fd) -> KResult<()> {
        let node = self.file(fd)?.node().ok_or(Error::NotDirectory)?;
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

    fn lock_file(&mut self, fd: Fd, kind: Option<LockKind>, wait: bool) -> KResult<()> {
        let file = self.file(fd)?;
        fs::locks::flock(&file, kind, wait)
    }

    fn lock_range(
        &mut self,
        fd: Fd,
        kind: Option<LockKind>,
        range: LockRange,
        scope: LockScope,
        wait: bool,
    ) -> KResult<()> {
        let file = self.file(fd)?;
        let request =
            file_locks::RecordRequest { owner: self.lock_owner(&file, scope), pid: self.process.pid, kind, range };
        let token = u64::from(self.thread.tid);
        fs::locks::set_record(&file, &request, wait, token)?;
        // Another thread may have closed the descriptor while this one
        // waited: the close dropped the process's locks before this one
        // was granted, and nothing would drop it now. Undo it, as Linux
        // does, and say the descriptor is gone.
        if scope == LockScope::Process && kind.is_some() {
            // (The entry is dropped after the table's lock, like any file.)
            let now = self.process.files().lock().get(fd);
            if !now.is_some_and(|e| Arc::ptr_eq(&e.file, &file)) {
                let _ =
                    fs::locks::set_record(&file, &file_locks::RecordRequest { kind: None, ..request }, false, token);
                return Err(Error::BadDescriptor);
            }
        }
        Ok(())
    }

    fn test_lock_range(
        &mut self,
        fd: Fd,
        kind: LockKind,
        range: LockRange,
        scope: LockScope,
    ) -> KResult<Option<LockHolder>> {
        let file = self.file(fd)?;
        let owner = self.lock_owner(&file, scope);
        Ok(fs::locks::test_record(&file, owner, kind, &range).map(|l| LockHolder {
            kind: l.kind,
            range: l.range,
            pid: match l.owner {
                file_locks::RecordOwner::Process(_) => Some(l.pid),
                file_locks::RecordOwner::OpenFile(_) => None,
            },
        }))
    }

    fn status_flags(&mut self, fd: Fd) -> KResult<(OpenFlags, StatusFlags)> {
        let f = self.file(fd)?;
        let s = *f.status.lock();
        Ok((f.opened, s))
    }

    fn set_status_flags(&mut self, fd: Fd, flags: StatusFlags) -> KResult<()> {
        *self.file(fd)?.status.lock() = flags;
        Ok(())
    }

    fn pipe(&mut self, close_on_exec: bool, non_blocking: bool) -> KResult<(Fd, Fd)> {
        let pipe = Pipe::new();
        let base = OpenFlags { non_blocking, ..Default::default() };
        let r = OpenFile::new(FileObject::PipeReader(pipe.clone()), OpenFlags { read: true, ..base }, Vec::new());
        let w = OpenFile::new(FileObject::PipeWriter(pipe), OpenFlags { write: true, ..base }, Vec::new());
        let rfd = self.install(r, close_on_exec)?;
        match self.install(w, close_on_exec) {
            Ok(wfd) => Ok((rfd, wfd)),
            Err(e) => {
                let _ = self.close(rfd);
                Err(e)
            }
        }
    }

    fn pipe_capacity(&mut self, fd: Fd) -> KResult<usize> {
        let file = self.file(fd)?;
        Ok(fs::splice::pipe_of(&file).ok_or(Error::BadDescriptor)?.capacity())
    }

    fn set_pipe_capacity(&mut self, fd: Fd, bytes: usize) -> KResult<usize> {
        let file = self.file(fd)?;
        let pipe = fs::splice::pipe_of(&file).ok_or(Error::BadDescriptor)?;
        let privileged = self.has(Privilege::SysResource);
        pipe.set_capacity(bytes, privileged)
    }

    fn create_memory_file(&mut self, name: &[u8], close_on_exec: bool, allow_sealing: bool) -> KResult<Fd> {
        let c = *self.process.creds.lock();
        let file = fs::memfd::create(name, c.euid, c.egid, allow_sealing)?;
        self.install(file, close_on_exec)
    }

    fn seals(&mut self, fd: Fd) -> KResult<Seals> {
        let node = self.file(fd)?.node().ok_or(Error::InvalidArgument)?;
        fs::memfd::seals(node).ok_or(Error::InvalidArgument)
    }

    fn add_seals(&mut self, fd: Fd, seals: Seals) -> KResult<()> {
        let file = self.file(fd)?;
        fs::memfd::add_seals(&file, seals)
    }

    fn create_counter(&mut self, initial: u64, flags: CounterFlags) -> KResult<Fd> {
        let counter = fs::eventfd::Counter::new(initial, flags.semaphore);
        let opened = OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..Default::default() };
        let f = OpenFile::new(FileObject::Counter(counter), opened, b"anon_inode:[eventfd]".to_vec());
        self.install(f, flags.close_on_exec)
    }

    fn open_process_handle(&mut self, pid: u32, non_blocking: bool) -> KResult<Fd> {
        let Some(process) = super::process::find(pid) else {
            // A thread that is not its group's leader has no pidfd of its
            // own (ENOENT since Linux 6.9, which added PIDFD_THREAD); no
            // such task at all is ESRCH.
            let is_thread = super::process::all().iter().any(|p| p.threads.lock().iter().any(|t| t.tid == pid));
            return Err(if is_thread { Error::NotFound } else { Error::NoSuchProcess });
        };
        self.install(fs::pidfd::ProcessHandle::open(Some(&process), non_blocking), true)
    }

    fn process_handle_pid(&mut self, fd: Fd) -> KResult<Option<u32>> {
        match &self.file(fd)?.object {
            FileObject::ProcessHandle(h) => Ok(h.process().map(|p| p.pid)),
            _ => Err(Error::BadDescriptor),
        }
    }

    fn signal_process_handle(&mut self, fd: Fd, signal: Option<Signal>) -> KResult<u32> {
        let file = self.file(fd)?;
        let process = match &file.object {
            FileObject::ProcessHandle(h) => h.process(),
            FileObject::Node(n) => {
                fs::with_vfs(|v| fs::procfs::process_directory_of(v, *n)).ok_or(Error::BadDescriptor)?
            }
            _ => return Err(Error::BadDescriptor),
        };
        let process = process.filter(|p| !p.is_zombie()).ok_or(Error::NoSuchProcess)?;
        if !self.may_signal(&process, signal) {
            return Err(Error::NotPermitted);
        }
        if let Some(sig) = signal {
            let cause = SignalCause::User { pid: self.process.pid, uid: self.process.creds.lock().uid };
            signal::send_to_process(&process, sig, cause);
        }
        Ok(process.pid)
    }

    fn create_signal_reader(
        &mut self,
        mask: u64,
        flags: DescriptorFlags,
        format: &'static dyn SignalRecordFormat,
    ) -> KResult<Fd> {
        let reader = fs::signalfd::SignalReader::new(mask, format);
        // Read-write, as on Linux: a write is EINVAL, not EBADF.
        let opened = OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..Default::default() };
        self.install(
            OpenFile::new(FileObject::SignalReader(reader), opened, b"anon_inode:[signalfd]".to_vec()),
            flags.close_on_exec,
        )
    }

    fn set_signal_reader_mask(&mut self, fd: Fd, mask: u64) -> KResult<()> {
        match &self.file(fd)?.object {
            FileObject::SignalReader(r) => {
                r.set_mask(mask);
                Ok(())
            }
            _ => Err(Error::InvalidArgument),
        }
    }

    fn create_timer_file(&mut self, clock: Clock, flags: DescriptorFlags) -> KResult<Fd> {
        if !matches!(clock, Clock::Realtime | Clock::Monotonic | Clock::Boottime) {
            return Err(Error::InvalidArgument);
        }
        let opened = OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..Default::default() };
        self.install(
            OpenFile::new(FileObject::Timer(fs::timerfd::Timer::new(clock)), opened, b"anon_inode:[timerfd]".to_vec()),
            flags.close_on_exec,
        )
    }

    fn set_timer_file(&mut self, fd: Fd, value: u64, interval: u64, absolute: bool) -> KResult<(u64, u64)> {
        match &self.file(fd)?.object {
            FileObject::Timer(t) => Ok(t.set(value, interval, absolute)),
            _ => Err(Error::InvalidArgument),
        }
    }

    fn get_timer_file(&mut self, fd: Fd) -> KResult<(u64, u64)> {
        match &self.file(fd)?.object {
            FileObject::Timer(t) => Ok(t.get()),
            _ => Err(Error::InvalidArgument),
        }
    }

    fn create_watch_queue(&mut self, flags: DescriptorFlags, format: &'static dyn WatchRecordFormat) -> KResult<Fd> {
        let opened = OpenFlags { read: true, non_blocking: flags.non_blocking, ..Default::default() };
        self.install(
            OpenFile::new(
                FileObject::WatchQueue(fs::inotify::WatchQueue::new(format)),
                opened,
                b"anon_inode:inotify".to_vec(),
            ),
            flags.close_on_exec,
        )
    }

    fn add_watch(
        &mut self,
        queue: Fd,
        dir: DirFd,
        path: &[u8],
        events: WatchEvents,
        options: WatchOptions,
    ) -> KResult<i32> {
        let file = self.file(queue)?;
        let FileObject::WatchQueue(q) = &file.object else { return Err(Error::InvalidArgument) };
        let node = self.resolve(dir, path, options.follow)?;
        let creds = self.creds();
        fs::with_vfs(|v| -> KResult<()> {
            let meta = v.metadata(node)?;
            if options.only_dir && !meta.is_dir() {
                return Err(Error::NotDirectory);
            }
            // Watching needs read permission on what is watched.
            Ok(vfs::check_access(&meta, &creds, vfs::Access::READ)?)
        })?;
        fs::notify::add(q, node, events.intersection(WatchEvents::ALL), options)
    }

    fn remove_watch(&mut self, queue: Fd, watch: i32) -> KResult<()> {
        let file = self.file(queue)?;
        let FileObject::WatchQueue(q) = &file.object else { return Err(Error::InvalidArgument) };
        fs::notify::remove(q, watch)
    }

    fn create_notification_group(&mut self, options: kernel_ops::NotificationGroupOptions) -> KResult<Fd> {
        let owner = self.process.creds.lock().uid;
        let group = fs::fanotify::create(options, owner)?;
        let opened =
            OpenFlags { read: true, write: true, non_blocking: options.flags.non_blocking, ..Default::default() };
        self.install(
            OpenFile::new(FileObject::NotificationGroup(group), opened, b"anon_inode:[fanotify]".to_vec()),
            options.flags.close_on_exec,
        )
    }

    fn mark_notification_group(
        &mut self,
        group: Fd,
        flags: u32,
        mask: u32,
        dir: DirFd,
        path: Option<&[u8]>,
    ) -> KResult<()> {
        use fanotify::bits::{FAN_MARK_DONT_FOLLOW, FAN_MARK_FLUSH, FAN_MARK_ONLYDIR};
        let file = self.file(group)?;
        let FileObject::NotificationGroup(g) = &file.object else { return Err(Error::InvalidArgument) };
        if flags & FAN_MARK_FLUSH != 0 {
            fs::fanotify::flush(g, flags);
            return Ok(());
        }
        let node = match path {
            Some(p) => self.resolve(dir, p, flags & FAN_MARK_DONT_FOLLOW == 0)?,
            None => self.start(dir, b"")?.0,
        };
        let creds = self.creds();
        let is_dir = fs::with_vfs(|v| -> KResult<bool> {
            let meta = v.metadata(node)?;
            if flags & FAN_MARK_ONLYDIR != 0 && !meta.is_dir() {
                return Err(Error::NotDirectory);
            }
            // Marking needs read permission on what is marked.
            vfs::check_access(&meta, &creds, vfs::Access::READ)?;
            Ok(meta.is_dir())
        })?;
        fs::fanotify::mark(g, flags, mask, node, is_dir)
    }

    fn create_event_set(&mut self, close_on_exec: bool) -> KResult<Fd> {
        let f = OpenFile::new(
            FileObject::EventSet(SpinLock::new(alloc::collections::BTreeMap::new())),
            OpenFlags { read: true, ..Default::default() },
            b"anon_inode:[eventpoll]".to_vec(),
        );
        self.install(f, close_on_exec)
    }

    fn change_event_set(&mut self, set: Fd, change: EventSetChange, fd: Fd, interest: Interest) -> KResult<()> {
        let set_file = self.file(set)?;
        let target = self.file(fd)?;
        let FileObject::EventSet(list) = &set_file.object else { return Err(Error::InvalidArgument) };
        if set == fd || Arc::ptr_eq(&set_file, &target) {
            return Err(Error::InvalidArgument);
        }
        if matches!(target.object, FileObject::Node(_)) {
            return Err(Error::NotPermitted); // regular files are always ready: Linux refuses them
        }
        if change == EventSetChange::Add {
            // An event set inside another: no cycle (ELOOP) and at most
            // five levels of sets, Linux's EP_MAX_NESTS + 1 (EINVAL).
            match nesting_below(&target, &set_file, 0) {
                Nesting::Reaches => return Err(Error::Loop),
                Nesting::Depth(d) if d >= MAX_EVENT_SET_DEPTH => return Err(Error::InvalidArgument),
                Nesting::Depth(_) => {}
            }
        }
        let mut list = list.lock();
        // An entry left by a file since closed is gone (the number was reused).
        if list.get(&fd).is_some_and(|w| !w.is(&target)) {
            list.remove(&fd);
        }
        match change {
            EventSetChange::Add if list.contains_key(&fd) => Err(Error::Exists),
            EventSetChange::Add => {
                list.insert(fd, fs::Watched { interest, file: Arc::downgrade(&target), reported: None });
                Ok(())
            }
            // A modified watch reports what is ready now, edge or not (Linux
            // checks readiness again on EPOLL_CTL_MOD).
            EventSetChange::Modify => list
                .get_mut(&fd)
                .map(|w| {
                    w.interest = interest;
                    w.reported = None;
                })
                .ok_or(Error::NotFound),
            EventSetChange::Delete => list.remove(&fd).map(|_| ()).ok_or(Error::NotFound),
        }
    }

    fn wait_event_set(&mut self, set: Fd, max: usize, deadline_ns: Option<u64>) -> KResult<Vec<(PollEvents, u64)>> {
        let set_file = self.file(set)?;
        let FileObject::EventSet(list) = &set_file.object else { return Err(Error::InvalidArgument) };
        // Stale entries (their file closed) are dropped, as Linux drops them.
        let entries: Vec<(Fd, Interest)> = {
            let table = self.process.files();
            let table = table.lock();
            let mut list = list.lock();
            list.retain(|fd, w| table.get(*fd).is_some_and(|e| w.is(&e.file)));
            list.iter().map(|(f, w)| (*f, w.interest)).collect()
        };
        let enabled =
            |i: &Interest| i.events.readable || i.events.writable || i.events.priority || i.events.read_hang_up;
        if !entries.iter().any(|(_, i)| enabled(i)) && deadline_ns != Some(0) {
            // Nothing can become ready: sleep until the timeout or a signal.
            let _ = self.poll(&mut [], deadline_ns)?;
            return Ok(Vec::new());
        }
        let deadline = deadline_ns.map(|d| crate::time::now_ns().saturating_add(d));
        loop {
            let out = fs::event_set::collect(list, max, true);
            if !out.is_empty() || deadline_ns == Some(0) {
                return Ok(out);
            }
            // Wait for a change that gives something to report; another
            // waiter may take it first (then wait again).
            match super::poll::POLLERS
                .wait_until(true, deadline, || !fs::event_set::collect(list, max, false).is_empty())
            {
                Ok(()) => {}
                Err(crate::sched::WaitError::TimedOut) => return Ok(Vec::new()),
                Err(crate::sched::WaitError::Interrupted) => return Err(Error::Interrupted),
            }
        }
    }

    fn transfer(&mut self, output: Fd, input: Fd, offset: Option<u64>, count: usize) -> KResult<(usize, Option<u64>)> {
        let (src, dst) = (self.file(input)?, self.file(output)?);
        if !src.can_read() || !dst.can_write() {
            return Err(Error::BadDescriptor);
        }
        if offset.is_some() && !src.seekable() {
            return Err(Error::IllegalSeek);
        }
        let mut buf = fs::buffer(count.min(IO_CHUNK))?;
        let mut done = 0usize;
        let mut pos = offset;
        while done < count {
            let want = (count - done).min(buf.len());
            let got = match src.read(&mut buf[..want], pos) {
                Ok(n) => n,
                Err(e) if done > 0 && matches!(e, Error::Restart | Error::WouldBlock) => break,
                Err(e) => return Err(e),
            };
            if got == 0 {
                break;
            }
            let put = match dst.write(&buf[..got], None) {
                Ok(n) => n,
                Err(Error::BrokenPipe) => {
                    self.sigpipe();
                    return if done > 0 { Ok((done, pos)) } else { Err(Error::BrokenPipe) };
                }
                Err(e) if done > 0 => {
                    let _ = e;
                    break;
                }
                Err(e) => return Err(e),
            };
            done += put;
            pos = pos.map(|p| p + put as u64);
            if put < got {
                break;
            }
            // A signal ends a long transfer with what was moved, as on
            // Linux, and others get the CPU between chunks.
            if self.thread.has_deliverable_signal() {
                break;
            }
            crate::sched::preemption_point();
        }
        Ok((done, pos))
    }

    fn copy_range(
        &mut self,
        input: Fd,
        in_offset: Option<u64>,
        output: Fd,
        out_offset: Option<u64>,
        count: usize,
    ) -> KResult<usize> {
        let (src, dst) = (self.file(input)?, self.file(output)?);
        fs::splice::copy_range(&src, in_offset, &dst, out_offset, count)
    }

    fn splice(
        &mut self,
        input: Fd,
        in_offset: Option<u64>,
        output: Fd,
        out_offset: Option<u64>,
        count: usize,
        flags: SpliceFlags,
    ) -> KResult<usize> {
        let (src, dst) = (self.file(input)?, self.file(output)?);
        let moved = fs::splice::splice(&src, in_offset, &dst, out_offset, count, flags.non_blocking);
        if moved == Err(Error::BrokenPipe) {
            self.sigpipe();
        }
        moved
    }

    fn tee(&mut self, input: Fd, output: Fd, count: usize, flags: SpliceFlags) -> KResult<usize> {
        let (src, dst) = (self.file(input)?, self.file(output)?);
        let copied = fs::splice::tee(&src, &dst, count, flags.non_blocking);
        if copied == Err(Error::BrokenPipe) {
            self.sigpipe();
        }
        copied
    }

    fn vmsplice(&mut self, fd: Fd, buffers: &[(u64, usize)], flags: SpliceFlags) -> KResult<usize> {
        let file = self.file(fd)?;
        let Some(pipe) = fs::splice::pipe_of(&file).cloned() else { return Err(Error::BadDescriptor) };
        let nb = flags.non_blocking;
        let mut done = 0usize;
        if file.can_write() {
            // As Linux: wait for room once, then put in what fits.
            let room = match pipe.wait_for_room(nb) {
                Err(Error::BrokenPipe) => {
                    self.sigpipe();
                    return Err(Error::BrokenPipe);
                }
                r => r?,
            };
            for &(addr, len) in buffers {
                let mut at = 0usize;
                while at < len && done < room {
                    let mut buf = fs::buffer((len - at).min(room - done).min(IO_CHUNK))?;
                    if let Err(e) = self.copy_in(addr.wrapping_add(at as u64), &mut buf) {
                        return if done > 0 { Ok(done) } else { Err(e) };
                    }
                    let put = pipe.write(&buf, true).or_else(|e| if done > 0 { Ok(0) } else { Err(e) })?;
                    done += put;
                    at += put;
                    if put < buf.len() {
                        return Ok(done);
                    }
                }
            }
            Ok(done)
        } else if file.can_read() {
            for &(addr, len) in buffers {
                let mut at = 0usize;
                while at < len {
                    let want = (len - at).min(IO_CHUNK);
                    // Bytes taken from a pipe cannot be put back: the
                    // buffer must be writable before they are.
                    if let Err(e) = self.mm().prepare_write(addr.wrapping_add(at as u64), want) {
                        let _ = e;
                        return if done > 0 { Ok(done) } else { Err(Error::Fault) };
                    }
                    let mut buf = fs::buffer(want)?;
                    let got = match pipe.read(&mut buf, nb || done > 0) {
                        Ok(n) => n,
                        Err(_) if done > 0 => return Ok(done),
                        Err(e) => return Err(e),
                    };
                    self.copy_out(addr.wrapping_add(at as u64), &buf[..got])?;
                    done += got;
                    at += got;
                    if got < want {
                        return Ok(done);
                    }
                }
            }
            Ok(done)
        } else {
            Err(Error::BadDescriptor)
        }
    }

    fn poll(&mut self, requests: &mut [PollRequest], deadline_ns: Option<u64>) -> KResult<usize> {
        let files = self.process.files();
        let evaluate = |requests: &mut [PollRequest]| poll_ready(&files, requests);
        let n = evaluate(requests);
        if n > 0 || deadline_ns == Some(0) {
            return Ok(n);
        }
        let deadline = deadline_ns.map(|d| crate::time::now_ns().saturating_add(d));
        let mut count = 0;
        let waited = super::poll::POLLERS.wait_until(true, deadline, || {
            count = evaluate(requests);
            count > 0
        });
        match waited {
            Ok(()) => Ok(count),
            Err(crate::sched::WaitError::TimedOut) => Ok(0),
            Err(crate::sched::WaitError::Interrupted) => Err(Error::Interrupted),
        }
    }

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
                let file = self.file(fd)?;
                // Pipes, sockets and other objects without a node: Linux's
                // pipefs and sockfs cannot encode handles either.
                (file.node().ok_or(Error::NotSupported)?, Some(file.path.clone()))
            }
        };
        let decodable = fs::with_vfs(|v| v.fs(node.fs).map(|f| fs::file_handle::decodable(f.name())))?;
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
            DirFd::Fd(fd) => self.file(fd)?.node().ok_or(Error::Stale)?,
        };
        let node = NodeRef { fs: vfs::FsId(handle.fs), ino: handle.ino };
        // The handle must be of the anchor's file system, one that can find
        // nodes by number, and name a node that still has a name.
        if anchor_node.fs != node.fs || handle.generation != 0 {
            return Err(Error::Stale);
        }
        let meta = fs::with_vfs(|v| -> KResult<vfs::Metadata> {
            if !fs::file_handle::decodable(v.fs(node.fs)?.name()) {
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

    fn aio_create(&mut self, ring_bytes: u64, slots: u32, charge: u32) -> KResult<u64> {
        // Charged from here on; dropping the context refunds it.
        let context = super::aio::Context::new(charge, slots, ring_bytes).ok_or(Error::WouldBlock)?;
        let flags = MapFlags { shared: true, anonymous: true, ..MapFlags::default() };
        let ring = self.mmap(0, ring_bytes, Protection { read: true, write: true, execute: false }, flags, None, 0)?;
        context.update(&mut |s| s.ring = ring);
        self.process.aio.insert(ring, Arc::new(context));
        Ok(ring)
    }

    fn aio_update(&mut self, id: u64, change: &mut dyn FnMut(&mut AioState)) -> KResult<()> {
        self.process.aio.get(id).ok_or(Error::InvalidArgument)?.update(change);
        Ok(())
    }

    fn aio_destroy(&mut self, id: u64) -> KResult<AioState> {
        let context = self.process.aio.remove(id).ok_or(Error::InvalidArgument)?;
        let last = context.snapshot();
        drop(context);
        // Waiters on it wake to find it gone.
        super::poll::notify();
        if last.ring_bytes > 0 {
            let _ = self.munmap(last.ring, last.ring_bytes);
        }
        Ok(last)
    }

    fn aio_wait(&mut self, id: u64, seen: u64, watch: &mut [PollRequest], deadline: Option<u64>) -> KResult<()> {
        let context = self.process.aio.get(id).ok_or(Error::InvalidArgument)?;
        let files = self.process.files();
        let process = self.process.clone();
        let waited = super::poll::POLLERS.wait_until(true, deadline, || {
            let gone = process.aio.get(id).is_none_or(|c| !Arc::ptr_eq(&c, &context));
            gone || context.generation() != seen || poll_ready(&files, watch) > 0
        });
        match waited {
            Ok(()) => Ok(()),
            Err(crate::sched::WaitError::TimedOut) => Err(Error::TimedOut),
            Err(crate::sched::WaitError::Interrupted) => Err(Error::Interrupted),
        }
    }

    fn add_to_counter(&mut self, fd: Fd, value: u64) -> KResult<()> {
        match &self.file(fd)?.object {
            FileObject::Counter(c) => {
                c.signal(value);
                Ok(())
            }
            _ => Err(Error::InvalidArgument),
        }
    }

    fn termios(&mut self, fd: Fd) -> KResult<tty::Termios> {
        Ok(self.tty_of(fd)?.termios())
    }

    fn set_termios(&mut self, fd: Fd, termios: &tty::Termios, when: TermiosWhen) -> KResult<()> {
        self.tty_of(fd)?.set_termios(*termios, when == TermiosWhen::Flush);
        Ok(())
    }

    fn tty_request(&mut self, fd: Fd, request: TtyRequest) -> KResult<TtyReply> {
        if request == TtyRequest::BytesReadable {
            let file = self.file(fd)?;
            match &file.object {
                // Either end of a pipe: what it holds (Linux's pipe_ioctl).
                FileObject::PipeReader(p) | FileObject::PipeWriter(p) | FileObject::PipeBoth(p) => {
                    return Ok(TtyReply::Value(p.available() as u32))
                }
                FileObject::Socket(s) => {
                    let info = s.info();
                    if info.listening {
                        return Err(Error::InvalidArgument);
                    }
                    return Ok(TtyReply::Value(info.readable_bytes.min(u32::MAX as usize) as u32));
                }
                FileObject::WatchQueue(q) => return Ok(TtyReply::Value(q.bytes_queued() as u32)),
                FileObject::NotificationGroup(g) => return Ok(TtyReply::Value(g.bytes_queued() as u32)),
                FileObject::Node(n) => {
                    let size = fs::with_vfs(|v| v.metadata(*n))?.size;
                    let pos = *file.offset.lock();
                    return Ok(TtyReply::Value(size.saturating_sub(pos).min(u64::from(u32::MAX)) as u32));
                }
                _ => {}
            }
        }
        let tty = self.tty_of(fd)?;
        let p = self.process.clone();
        Ok(match request {
            TtyRequest::GetWindowSize => TtyReply::WindowSize(tty.window_size()),
            TtyRequest::SetWindowSize(ws) => {
                tty.set_window_size(ws);
                TtyReply::None
            }
            TtyRequest::GetForegroundGroup => {
                if tty.session() != p.sid() {
                    return Err(Error::NotATerminal);
                }
                TtyReply::Value(tty.foreground())
            }
            TtyRequest::SetForegroundGroup(pgrp) => {
                if tty.session() != p.sid() {
                    return Err(Error::NotATerminal);
                }
                if !super::process::all().iter().any(|q| q.pgid() == pgrp && q.sid() == p.sid()) {
                    return Err(Error::NotPermitted);
                }
                tty.set_foreground(pgrp);
                TtyReply::None
            }
            TtyRequest::SetControlling { steal } => {
                if p.sid() != p.pid {
                    return Err(Error::NotPermitted);
                }
                if tty.session() == p.sid() {
                    return Ok(TtyReply::None);
                }
                // Another session's terminal: only root may take it.
                let root = self.has(Privilege::SysAdmin);
                if tty.session() != 0 && !(steal && root) {
                    return Err(Error::NotPermitted);
                }
                if fs::tty::controlling(p.sid()).is_some() {
                    return Err(Error::NotPermitted);
                }
                tty.attach(p.sid(), p.pgid());
                TtyReply::None
            }
            TtyRequest::PtyNumber
            | TtyRequest::SetPtyLock(_)
            | TtyRequest::GetPtyLock
            | TtyRequest::OpenPtyPeer { .. } => {
                let file = self.file(fd)?;
                let FileObject::PtyMaster(m) = &file.object else { return Err(Error::NotATerminal) };
                let pair = m.pair.clone();
                match request {
                    TtyRequest::PtyNumber => TtyReply::Value(pair.index),
                    TtyRequest::SetPtyLock(on) => {
                        pair.set_locked(on);
                        TtyReply::None
                    }
                    TtyRequest::GetPtyLock => TtyReply::Value(u32::from(pair.is_locked())),
                    TtyRequest::OpenPtyPeer { flags, close_on_exec } => {
                        let slave = pair.open_slave()?;
                        let tty = self.opened_terminal(slave, &flags);
                        let path = alloc::format!("/dev/pts/{}", pair.index).into_bytes();
                        // fstat must show the node /dev/pts/N, as if opened by
                        // path: ttyname compares the two (script(1)'s tty).
                        let file = match self.stat(DirFd::Cwd, &path, true) {
                            Ok(node) => fs::OpenFile::new_device(FileObject::Terminal(tty), flags, path, node),
                            Err(_) => fs::OpenFile::new(FileObject::Terminal(tty), flags, path),
                        };
                        let fd = self.install(file, close_on_exec)?;
                        TtyReply::Value(fd as u32)
                    }
                    _ => TtyReply::None,
                }
            }
            TtyRequest::ReleaseControlling => {
                if tty.session() == p.sid() && p.sid() == p.pid {
                    tty.detach();
                }
                TtyReply::None
            }
            TtyRequest::GetSession => {
                if tty.session() == 0 {
                    return Err(Error::NotATerminal);
                }
                TtyReply::Value(tty.session())
            }
            TtyRequest::BytesReadable => TtyReply::Value(tty.available() as u32),
            TtyRequest::Flush { input, .. } => {
                if input {
                    tty.flush_input();
                }
                TtyReply::None
            }
        })
    }

    fn block_request(&mut self, fd: Fd, request: kernel_ops::BlockRequest) -> KResult<kernel_ops::BlockReply> {
        let file = self.file(fd)?;
        let backing = match request {
            kernel_ops::BlockRequest::LoopSetFd(b)
            | kernel_ops::BlockRequest::LoopChangeFd(b)
            | kernel_ops::BlockRequest::LoopConfigure { fd: b, .. } => Some(self.file(b)?),
            _ => None,
        };
        fs::loop_device::request(&file, request, backing)
    }

    fn fsync(&mut self, fd: Fd) -> KResult<()> {
        let file = self.file(fd)?;
        if file.opened.path_only {
            return Err(Error::BadDescriptor);
        }
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

    fn sync(&mut self) {
        fs::sync_all();
    }

    fn remount(&mut self, target: &[u8], read_only: bool) -> KResult<()> {
        if !self.has(Privilege::SysAdmin) {
            return Err(Error::NotPermitted);
        }
        let at = self.resolve(DirFd::Cwd, target, true)?;
        let changed = fs::with_vfs(|v| -> KResult<Result<(), vfs::Error>> {
            let fs = v.fs_mut(at.fs)?;
            if fs.root() != at.ino {
                return Err(Error::InvalidArgument);
            }
            Ok(fs.set_read_only(read_only))
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

    fn lease(&mut self, fd: Fd) -> KResult<Option<LeaseKind>> {
        let file = self.file(fd)?;
        Ok(fs::leases::get(&file))
    }

    fn set_lease(&mut self, fd: Fd, kind: Option<LeaseKind>) -> KResult<()> {
        let file = self.file(fd)?;
        let Some(node) = file.node() else { return Err(Error::InvalidArgument) };
        let meta = fs::with_vfs(|v| v.metadata(node))?;
        let creds = *self.process.creds.lock();
        // Only the owner (by file-system uid) or a holder of CAP_LEASE.
        if creds.fsuid != meta.uid && !creds.has(Privilege::Lease) {
            return Err(Error::PermissionDenied);
        }
        if meta.file_type != FileType::Regular {
            return Err(Error::InvalidArgument);
        }
        fs::leases::set(&file, node, kind, self.process.pid)
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
                if let Ok(dev) = self.resolve(DirFd::Cwd, source, true) {
                    let meta = fs::with_vfs(|v| v.metadata(dev))?;
                    if meta.file_type == FileType::BlockDevice && meta.rdev.major == fs::loop_device::LOOP_MAJOR {
                        return fs::loop_mount::mount(meta.rdev.minor, fstype, at, read_only);
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
                fs::served::mount(fs::served::Source::Node(meta.rdev), fstype, at, read_only).map_err(|e| match e {
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
        let standing: Vec<vfs::FsId> = super::process::all()
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
            if standing.contains(&v.mount_at(node)?) {
                return Err(Error::Busy);
            }
            let fs_id = v.unmount(node)?;
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

    fn socket_create(&mut self, kind: SocketKind, flags: DescriptorFlags) -> KResult<Fd> {
        let opened = OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..OpenFlags::default() };
        self.install(
            OpenFile::new(FileObject::Socket(fs::socket::Socket::new(kind)), opened, Vec::new()),
            flags.close_on_exec,
        )
    }

    fn socket_pair(&mut self, kind: SocketKind, flags: DescriptorFlags) -> KResult<(Fd, Fd)> {
        let (_, who) = fs::socket::caller_credentials();
        let (a, b) = fs::socket::Socket::pair(kind, who);
        let opened = OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..OpenFlags::default() };
        let fa = self.install(OpenFile::new(FileObject::Socket(a), opened, Vec::new()), flags.close_on_exec)?;
        let fb = self.install(OpenFile::new(FileObject::Socket(b), opened, Vec::new()), flags.close_on_exec);
        match fb {
            Ok(fb) => Ok((fa, fb)),
            Err(e) => {
                let _ = self.close(fa);
                Err(e)
            }
        }
    }

    fn socket_bind(&mut self, fd: Fd, addr: &SocketAddress) -> KResult<()> {
        let sock = self.socket_of(fd)?;
        if sock.is_bound() {
            // Linux makes the node before it looks at the socket: an
            // existing path is EADDRINUSE even then.
            if let SocketAddress::Path(path) = addr {
                if self.resolve(DirFd::Cwd, path, false).is_ok() {
                    return Err(Error::AddressInUse);
                }
            }
            return Err(Error::InvalidArgument);
        }
        let SocketAddress::Path(path) = addr else { return sock.bind(addr.clone(), None) };
        let (parent, name) = self.resolve_parent(DirFd::Cwd, path)?;
        if name.is_empty() || name == b"." || name == b".." {
            return Err(Error::AddressInUse);
        }
        let creds = *self.process.creds.lock();
        let attrs = NodeAttrs::new(0o777 & !self.current_umask(), creds.euid, creds.egid);
        let vcreds = self.creds();
        let ino = fs::with_vfs(|v| -> KResult<u64> {
            vfs::check_access(&v.metadata(parent)?, &vcreds, vfs::Access::WRITE | vfs::Access::EXECUTE)?;
            Ok(v.fs_mut(parent.fs)?.create(parent.ino, &name, NewNode::Socket, attrs, fs::now())?)
        })
        .map_err(|e| if e == Error::Exists { Error::AddressInUse } else { e })?;
        fs::notify::created(parent, &name, false);
        sock.bind(addr.clone(), Some(NodeRef { fs: parent.fs, ino }))
    }

    fn socket_listen(&mut self, fd: Fd, backlog: u32) -> KResult<()> {
        let (_, who) = fs::socket::caller_credentials();
        self.socket_of(fd)?.listen(backlog, who)
    }

    fn socket_accept(&mut self, fd: Fd, flags: DescriptorFlags) -> KResult<(Fd, SocketAddress)> {
        let file = self.file(fd)?;
        let sock = file.socket().cloned().ok_or(Error::NotASocket)?;
        let non_blocking = file.status.lock().non_blocking;
        let new = sock.accept(non_blocking)?;
        let peer = new.peer().map(|p| p.name()).unwrap_or(SocketAddress::Unnamed);
        let opened = OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..OpenFlags::default() };
        let fd = self.install(OpenFile::new(FileObject::Socket(new), opened, Vec::new()), flags.close_on_exec)?;
        Ok((fd, peer))
    }

    fn socket_connect(&mut self, fd: Fd, addr: Option<&SocketAddress>, non_blocking: bool) -> KResult<()> {
        let file = self.file(fd)?;
        let sock = file.socket().cloned().ok_or(Error::NotASocket)?;
        let non_blocking = non_blocking || file.status.lock().non_blocking;
        // A socket that passes credentials gets a name first, so its
        // peer can tell who it is (Linux autobinds it the same way).
        if addr.is_some() && !sock.is_bound() && sock.info().pass_credentials {
            sock.bind(SocketAddress::Unnamed, None)?;
        }
        if sock.kind == SocketKind::Datagram {
            let target = match addr {
                Some(a) => Some(self.find_socket(a)?),
                None => None,
            };
            return sock.connect_datagram(target);
        }
        let target = self.find_socket(addr.ok_or(Error::InvalidArgument)?)?;
        let (_, who) = fs::socket::caller_credentials();
        sock.connect(target, who, non_blocking)
    }

    fn socket_send(&mut self, fd: Fd, request: &SendRequest<'_>) -> KResult<usize> {
        let file = self.file(fd)?;
        let sock = file.socket().cloned().ok_or(Error::NotASocket)?;
        let non_blocking = request.non_blocking || file.status.lock().non_blocking;
        let (mine, _) = fs::socket::caller_credentials();
        let c = *self.process.creds.lock();
        let creds = match request.credentials {
            None => mine,
            // Claiming another pid, uid or gid takes the privilege Linux
            // asks for each.
            Some(claimed) => {
                let pid_ok = claimed.pid == self.process.pid || c.has(Privilege::SysAdmin);
                let uid_ok = [c.uid, c.euid, c.suid].contains(&claimed.uid) || c.has(Privilege::SetUid);
                let gid_ok = [c.gid, c.egid, c.sgid].contains(&claimed.gid) || c.has(Privilege::SetGid);
                if !(pid_ok && uid_ok && gid_ok) {
                    return Err(Error::NotPermitted);
                }
                claimed
            }
        };
        let rights = if request.rights.is_empty() {
            None
        } else {
            let files = request.rights.iter().map(|&f| self.file(f)).collect::<KResult<Vec<_>>>()?;
            let limit = self.process.limit(Resource::OpenFiles).soft;
            Some(fs::socket::InFlight::new(
                files,
                c.uid,
                limit,
                c.has(Privilege::SysResource) || c.has(Privilege::SysAdmin),
            )?)
        };
        let target = match (sock.kind, request.to) {
            (SocketKind::Stream, Some(_)) => {
                return Err(if sock.peer().is_some() { Error::AlreadyConnected } else { Error::NotSupported })
            }
            (SocketKind::Datagram, Some(a)) => Some(self.find_socket(a)?),
            _ => None,
        };
        if sock.kind == SocketKind::Datagram && !sock.is_bound() && sock.info().pass_credentials {
            sock.bind(SocketAddress::Unnamed, None)?;
        }
        let total = request.data.iter().try_fold(0usize, |t, s| t.checked_add(s.1)).ok_or(Error::InvalidArgument)?;
        let result = if sock.kind == SocketKind::Stream {
            // In pieces, so a large write never needs a buffer of its size.
            const PIECE: usize = 256 * 1024;
            let mut sent = 0usize;
            let mut rights = rights;
            loop {
                let data = self.gather(request.data, sent, PIECE)?;
                match sock.send(target.clone(), &data, rights.take(), creds, non_blocking) {
                    Ok(n) => {
                        sent += n;
                        if n < data.len() || sent >= total {
                            break Ok(sent);
                        }
                    }
                    Err(e)
                        if sent > 0
                            && matches!(
                                e,
                                Error::Restart | Error::Interrupted | Error::WouldBlock | Error::BrokenPipe
                            ) =>
                    {
                        break Ok(sent)
                    }
                    Err(e) => break Err(e),
                }
            }
        } else {
            let data = self.gather(request.data, 0, total)?;
            sock.send(target, &data, rights, creds, non_blocking)
        };
        if result == Err(Error::BrokenPipe) && !request.no_signal && sock.kind == SocketKind::Stream {
            self.sigpipe();
        }
        result
    }

    fn socket_receive(
        &mut self,
        fd: Fd,
        request: &ReceiveRequest<'_>,
        fd_room: &dyn Fn(bool) -> usize,
    ) -> KResult<Received> {
        let file = self.file(fd)?;
        let sock = file.socket().cloned().ok_or(Error::NotASocket)?;
        let non_blocking = request.non_blocking || file.status.lock().non_blocking;
        let total = request.data.iter().fold(0usize, |t, s| t.saturating_add(s.1)).min(1 << 22);
        for &(addr, len) in request.data {
            // Taken data cannot go back: fault the buffers in first.
            if len > 0 {
                self.mm().prepare_write(addr, len.min(total)).map_err(|_| Error::Fault)?;
            }
        }
        let taken = sock.receive(total, request.peek, request.wait_all, non_blocking)?;
        let mut at = 0usize;
        for &(addr, len) in request.data {
            if at >= taken.data.len() {
                break;
            }
            let n = len.min(taken.data.len() - at);
            self.copy_out(addr, &taken.data[at..at + n])?;
            at += n;
        }
        let credentials = if taken.credentials { taken.meta.as_ref().map(|m| m.creds) } else { None };
        let mut out = Received {
            copied: taken.data.len(),
            length: taken.length,
            from: taken.meta.and_then(|m| m.from),
            credentials,
            rights: Vec::new(),
            rights_offered: 0,
        };
        if let Some(r) = taken.rights {
            out.rights_offered = r.files.len();
            let room = fd_room(credentials.is_some());
            for f in r.files.iter().take(room) {
                match self.install(f.clone(), request.close_on_exec) {
                    Ok(fd) => out.rights.push(fd),
                    Err(_) => break,
                }
            }
            // Descriptors that did not fit are closed here.
            drop(r);
        }
        Ok(out)
    }

    fn socket_shutdown(&mut self, fd: Fd, read: bool, write: bool) -> KResult<()> {
        self.socket_of(fd)?.shutdown(read, write)
    }

    fn socket_address(&mut self, fd: Fd, peer: bool) -> KResult<SocketAddress> {
        let sock = self.socket_of(fd)?;
        if peer {
            sock.peer_name()
        } else {
            Ok(sock.name())
        }
    }

    fn socket_info(&mut self, fd: Fd) -> KResult<SocketInfo> {
        Ok(self.socket_of(fd)?.info())
    }

    fn socket_take_error(&mut self, fd: Fd) -> KResult<Option<Error>> {
        Ok(self.socket_of(fd)?.take_error())
    }

    fn set_socket_setting(&mut self, fd: Fd, setting: SocketSetting) -> KResult<()> {
        self.socket_of(fd)?.set(setting);
        Ok(())
    }

    fn clock(&mut self, clock: Clock) -> KResult<u64> {
        Ok(match clock {
            Clock::Realtime => crate::time::realtime_ns(),
            Clock::Monotonic | Clock::Boottime => crate::time::now_ns(),
            Clock::ProcessCpu | Clock::ThreadCpu => self.cpu_clock_now(clock, self.thread.tid),
        })
    }

    fn clock_resolution(&self, _clock: Clock) -> u64 {
        crate::time::CLOCK_RESOLUTION_NS
    }

    fn sleep_until(&mut self, clock: Clock, deadline: u64) -> KResult<()> {
        let deadline = self.monotonic_deadline(clock, deadline);
        crate::sched::sleep_until(deadline).map_err(|_| Error::Restart)
    }

    fn set_realtime(&mut self, ns_since_epoch: u64) -> KResult<()> {
        if !self.has(Privilege::SysTime) {
            return Err(Error::NotPermitted);
        }
        crate::time::set_realtime(ns_since_epoch);
        Ok(())
    }

    fn random_bytes(&mut self, buf: &mut [u8]) {
        crate::random::fill(buf);
    }

    fn system_info(&mut self) -> SystemInfo {
        super::system_info()
    }

    fn current_cpu(&self) -> u32 {
        crate::arch::percpu::cpu_index()
    }

    fn cpu_count(&self) -> u32 {
        crate::arch::percpu::online_cpus()
    }

    fn hostname(&self) -> Vec<u8> {
        hostname()
    }

    fn set_hostname(&mut self, name: &[u8]) -> KResult<()> {
        if !self.has(Privilege::SysAdmin) {
            return Err(Error::NotPermitted);
        }
        set_node_name(false, name)
    }

    fn clock_discipline(&mut self) -> ClockDiscipline {
        *CLOCK_DISCIPLINE.lock()
    }

    fn set_clock_discipline(&mut self, d: ClockDiscipline) -> KResult<()> {
        if !self.has(Privilege::SysTime) {
            return Err(Error::NotPermitted);
        }
        *CLOCK_DISCIPLINE.lock() = d;
        Ok(())
    }

    fn thread_count(&mut self) -> usize {
        self.process.threads.lock().len()
    }

    fn unshare(&mut self, files: bool, fs: bool) -> KResult<()> {
        if files {
            self.process.unshare_files();
        }
        if fs {
            self.process.unshare_fs();
        }
        Ok(())
    }

    fn read_process_memory(&mut self, pid: u32, addr: u64, buf: &mut [u8]) -> KResult<()> {
        let mm = self.inspectable(pid)?.mm();
        mm.copy_in(addr, buf).map_err(|_| Error::Fault)
    }

    fn write_process_memory(&mut self, pid: u32, addr: u64, data: &[u8]) -> KResult<()> {
        let mm = self.inspectable(pid)?.mm();
        mm.copy_out(addr, data).map_err(|_| Error::Fault)
    }

    fn domain_name(&self) -> Vec<u8> {
        domainname()
    }

    fn set_domain_name(&mut self, name: &[u8]) -> KResult<()> {
        if !self.has(Privilege::SysAdmin) {
            return Err(Error::NotPermitted);
        }
        set_node_name(true, name)
    }

    fn power_off(&mut self, reboot: bool) -> KResult<()> {
        if !self.has(Privilege::SysBoot) {
            return Err(Error::NotPermitted);
        }
        crate::info!("{} requested by pid {}", if reboot { "reboot" } else { "power off" }, self.process.pid);
        // Disks served from user space get their caches written first.
        fs::sync_for_power_off();
        crate::profile::dump();
        crate::arch::cpu::exit_machine(crate::arch::cpu::ExitStatus::Success)
    }

    // ---- Key retention (crate::keys) ----

    fn keys(&mut self, request: kernel_ops::keyrings::Request) -> KResult<kernel_ops::keyrings::Reply> {
        crate::keys::execute(&self.process, &self.thread, request)
    }

    // ---- System V IPC (crate::sysv) ----

    fn ipc_get(&mut self, kind: sysv_ipc::Kind, key: i32, flags: u32, size: u64) -> KResult<i32> {
        crate::sysv::get(&crate::sysv::caller(&self.process), kind, key, flags, size)
    }

    fn ipc_control(&mut self, kind: sysv_ipc::Kind, id: i32, cmd: sysv_ipc::Command) -> KResult<sysv_ipc::Answer> {
        crate::sysv::control(&crate::sysv::caller(&self.process), kind, id, cmd)
    }

    fn sem_operate(&mut self, id: i32, ops: &[sysv_ipc::sem::SemOp], deadline: Option<u64>) -> KResult<()> {
        crate::sysv::semop(&crate::sysv::caller(&self.process), self.thread.tid, id, ops, deadline)
    }

    fn msg_send(&mut self, id: i32, mtype: i64, text: &[u8], flags: u32) -> KResult<()> {
        crate::sysv::msg_send(&crate::sysv::caller(&self.process), id, mtype, text, flags)
    }

    fn msg_receive(&mut self, id: i32, max: usize, msgtyp: i64, flags: u32) -> KResult<(i64, Vec<u8>)> {
        crate::sysv::msg_receive(&crate::sysv::caller(&self.process), id, max, msgtyp, flags)
    }

    fn shm_attach(&mut self, id: i32, addr: u64, flags: u32) -> KResult<u64> {
        crate::sysv::shm_attach(&crate::sysv::caller(&self.process), &self.process, id, addr, flags)
    }

    fn shm_detach(&mut self, addr: u64) -> KResult<()> {
        crate::sysv::shm_detach(&self.process, addr)
    }

    // ---- POSIX message queues (crate::fs::mqueue) ----

    fn mq_open(&mut self, name: &[u8], flags: OpenFlags, mode: u32, attr: Option<(i64, i64)>) -> KResult<Fd> {
        let caller = crate::sysv::caller(&self.process);
        let want = if flags.read { 4 } else { 0 } | if flags.write { 2 } else { 0 };
        let mode = mode & !self.current_umask();
        let q = fs::mqueue::open(&caller, name, flags.create, flags.exclusive, want, mode, attr)?;
        let opened =
            OpenFlags { read: flags.read, write: flags.write, non_blocking: flags.non_blocking, ..Default::default() };
        let mut path = b"/".to_vec();
        path.extend_from_slice(name);
        self.install(OpenFile::new(FileObject::MessageQueue(q), opened, path), flags.close_on_exec)
    }

    fn mq_unlink(&mut self, name: &[u8]) -> KResult<()> {
        fs::mqueue::unlink(&crate::sysv::caller(&self.process), name)
    }

    fn mq_send(&mut self, fd: Fd, data: &[u8], prio: u32, deadline: Option<u64>) -> KResult<()> {
        let file = self.file(fd)?;
        let FileObject::MessageQueue(q) = &file.object else { return Err(Error::BadDescriptor) };
        if !file.can_write() {
            return Err(Error::BadDescriptor);
        }
        let deadline = deadline.map(|d| self.monotonic_deadline(Clock::Realtime, d));
        q.send(&crate::sysv::caller(&self.process), data, prio, file.non_blocking(), deadline)
    }

    fn mq_receive(&mut self, fd: Fd, max: usize, deadline: Option<u64>) -> KResult<(u32, Vec<u8>)> {
        let file = self.file(fd)?;
        let FileObject::MessageQueue(q) = &file.object else { return Err(Error::BadDescriptor) };
        if !file.can_read() {
            return Err(Error::BadDescriptor);
        }
        let deadline = deadline.map(|d| self.monotonic_deadline(Clock::Realtime, d));
        q.receive(max, file.non_blocking(), deadline)
    }

    fn mq_notify(&mut self, fd: Fd, notify: Option<sysv_ipc::mqueue::Notify>) -> KResult<()> {
        let file = self.file(fd)?;
        let FileObject::MessageQueue(q) = &file.object else { return Err(Error::BadDescriptor) };
        q.set_notify(self.process.pid, notify)
    }

    fn mq_attributes(&mut self, fd: Fd) -> KResult<(i64, i64, i64)> {
        let file = self.file(fd)?;
        let FileObject::MessageQueue(q) = &file.object else { return Err(Error::BadDescriptor) };
        Ok(q.attributes())
    }

    // ---- scheduling, locked memory, inspecting other processes ----

    fn scheduling(&mut self, tid: u32) -> KResult<Scheduling> {
        super::sched_policy::scheduling(&self.thread, tid)
    }
    fn set_scheduling(&mut self, tid: u32, new: Scheduling) -> KResult<()> {
        super::sched_policy::set_scheduling(&self.thread, tid, new)
    }
    fn cpu_affinity(&mut self, tid: u32) -> KResult<u64> {
        super::sched_policy::cpu_affinity(&self.thread, tid)
    }
    fn set_cpu_affinity(&mut self, tid: u32, mask: u64) -> KResult<()> {
        super::sched_policy::set_cpu_affinity(&self.thread, tid, mask)
    }
    fn io_priority(&mut self, target: PriorityTarget) -> KResult<IoPriority> {
        super::sched_policy::io_priority(&self.thread, target)
    }
    fn set_io_priority(&mut self, target: PriorityTarget, priority: IoPriority) -> KResult<()> {
        super::sched_policy::set_io_priority(&self.thread, target, priority)
    }
    fn lock_memory(&mut self, addr: u64, len: u64, on_fault: bool) -> KResult<()> {
        super::memory_lock::lock(&self.process, addr, len, on_fault)
    }
    fn unlock_memory(&mut self, addr: u64, len: u64) -> KResult<()> {
        super::memory_lock::unlock(&self.process, addr, len)
    }
    fn lock_all_memory(&mut self, current: bool, future: bool, on_fault: bool) -> KResult<()> {
        super::memory_lock::lock_all(&self.process, current, future, on_fault)
    }
    fn unlock_all_memory(&mut self) -> KResult<()> {
        super::memory_lock::unlock_all(&self.process);
        Ok(())
    }
    fn resident_pages(&mut self, addr: u64, pages: usize) -> KResult<Vec<bool>> {
        let end = (pages as u64).checked_mul(PAGE).and_then(|len| addr.checked_add(len)).ok_or(Error::NoMemory)?;
        let mm = self.mm();
        let a = mm.lock();
        if !a.covers(addr, end) {
            return Err(Error::NoMemory);
        }
        Ok(a.resident_pages(addr, end))
    }
    fn memory_regions(&mut self, addr: u64, end: u64) -> Vec<MemoryRegion> {
        let mm = self.mm();
        let a = mm.lock();
        crate::mm::memory_lock::pieces(&a)
            .into_iter()
            .filter(|p| p.end > addr && p.start < end)
            .map(|p| MemoryRegion {
                start: p.start.max(addr),
                end: p.end.min(end),
                file: matches!(p.vma.backing, Backing::File { .. } | Backing::SharedFile { .. }),
                shared: p.vma.backing.is_shared(),
                locked: p.locked,
            })
            .collect()
    }
    fn set_wipe_on_fork(&mut self, addr: u64, end: u64, wipe: bool) -> KResult<()> {
        let mm = self.mm();
        let mut a = mm.lock();
        if wipe {
            a.wipe_on_fork.insert(addr, end);
        } else {
            a.wipe_on_fork.remove(addr, end);
        }
        Ok(())
    }
    fn set_robust_list(&mut self, head: u64, len: u64) {
        *self.thread.settings.robust_list.lock() = (head, len);
    }
    fn robust_list(&mut self, tid: u32) -> KResult<(u64, u64)> {
        super::inspect::robust_list(&self.thread, tid)
    }
    fn queue_thread_signal(&mut self, tgid: u32, tid: u32, signal: Signal, value: u64) -> KResult<()> {
        let thread = super::process::find(tgid)
            .and_then(|p| p.threads.lock().iter().find(|t| t.tid == tid).cloned())
            .ok_or(Error::NoSuchProcess)?;
        if !self.may_signal(thread.process(), Some(signal)) {
            return Err(Error::NotPermitted);
        }
        let cause = SignalCause::Queued { pid: self.process.pid, uid: self.process.creds.lock().uid, value };
        signal::send_to_thread(&thread, signal, cause);
        Ok(())
    }
    fn compare_objects(
        &mut self,
        tid1: u32,
        first: ProcessObject,
        tid2: u32,
        second: ProcessObject,
    ) -> KResult<ObjectOrder> {
        super::inspect::compare_objects(&self.thread, tid1, first, tid2, second)
    }
    fn take_process_descriptor(&mut self, handle: Fd, fd: Fd) -> KResult<Fd> {
        let caller = self.thread.clone();
        super::inspect::take_process_descriptor(self, &caller, handle, fd)
    }
    fn cpu_clock(&mut self, id: u32, thread: bool) -> KResult<u64> {
        let running =
            |t: &Arc<Thread>| if crate::sched::current().tid == t.tid { crate::sched::current_slice_ns() } else { 0 };
        if thread {
            let t = if id == 0 {
                Some(self.thread.clone())
            } else {
                self.process.threads.lock().iter().find(|t| t.tid == id).cloned()
            };
            let t = t.ok_or(Error::InvalidArgument)?;
            return Ok(t.cpu_ns.load(Ordering::Relaxed) + running(&t));
        }
        let p = if id == 0 { self.process.clone() } else { super::process::find(id).ok_or(Error::InvalidArgument)? };
        let here = if Arc::ptr_eq(&p, &self.process) { running(&self.thread) } else { 0 };
        let u = super::usage::of_process(&p, here);
        Ok(u.user_ns + u.system_ns)
    }
    fn filesystem_types(&mut self) -> Vec<Vec<u8>> {
        fs::procfs::filesystem_types()
    }
}

impl CoreOps<'_> {
    /// Whether this process may send `signal` to `target` (Linux's
    /// kill_ok_by_cred): root may signal anyone; others a process whose
    /// real or saved uid is their real or effective uid; SIGCONT anyone in
    /// the same session.
    fn may_signal(&self, target: &Process, signal: Option<Signal>) -> bool {
        let me = *self.process.creds.lock();
        if me.has(Privilege::Kill) || core::ptr::eq(target, &*self.process) {
            return true;
        }
        let them = *target.creds.lock();
        let related = [me.uid, me.euid].iter().any(|u| *u == them.uid || *u == them.suid);
        related || (signal == Some(Signal::CONT) && target.sid() == self.process.sid())
    }

    /// Whether `path` (its last component not followed) is a descriptor
    /// link in /proc, and whose descriptor it names.
    /// Symlinks before it (/dev/stdin -> /proc/self/fd/0) are followed.
    fn descriptor_link(&self, dir: DirFd, path: &[u8]) -> Option<(u32, Fd)> {
        let (mut start, root) = self.start(dir, path).ok()?;
        let creds = self.creds();
        let mut path = path.to_vec();
        fs::with_vfs(|v| {
            for _ in 0..vfs::MAX_SYMLINKS {
                let node = v.resolve(start, root, &path, false, &creds).ok()?;
                if let Some(found) = fs::procfs::descriptor_of(v, node) {
                    return Some(found);
                }
                if v.metadata(node).ok()?.file_type != FileType::Symlink {
                    return None;
                }
                let parent = v.resolve_parent(start, root, &path, &creds).ok()?;
                path = v.fs(node.fs).ok()?.readlink(node.ino).ok()?;
                start = parent.dir;
            }
            None
        })
    }

    /// stat through a /proc/<pid>/fd/N link: the open file it names.
    fn stat_descriptor_link(&self, dir: DirFd, path: &[u8]) -> KResult<FileStat> {
        let (owner, fd) = self.descriptor_link(dir, path).ok_or(Error::NotFound)?;
        let process = super::process::find(owner).ok_or(Error::NotFound)?;
        let file = process.files().lock().get(fd).map(|e| e.file).ok_or(Error::NotFound)?;
        let uid = process.creds.lock().uid;
        stat_open_file(&file, uid)
    }

    /// Opens what another descriptor refers to, as Linux does for
    /// /proc/<pid>/fd/N: a new open of the same object with the new flags.
    /// A pipe gets a new reader or writer end on the same pipe (without
    /// waiting for the other end, as Linux does for pipes), the terminal and devices a new open of themselves, a
    /// file its node (even if deleted). Event sets and counters have no
    /// node to open again: ENXIO, as on Linux.
    fn reopen_descriptor(&mut self, owner: u32, fd: Fd, flags: OpenFlags) -> KResult<Fd> {
        let process = super::process::find(owner).ok_or(Error::NotFound)?;
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
            | FileObject::MessageQueue(_) => return Err(Error::NoSuchDeviceOrAddress),
        };
        let file = match (object, target.placement) {
            (FileObject::Node(n), Some(placement)) => OpenFile::new_placed(n, flags, target.path.clone(), placement),
            (object, _) => OpenFile::new(object, flags, target.path.clone()),
        };
        self.install(file, flags.close_on_exec)
    }

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

/// Sets a file's size (truncate, ftruncate, O_TRUNC) and reports it as
/// a modification.
fn truncate_node(node: NodeRef, len: u64, subject: Option<fs::notify::Subject<'_>>) -> KResult<()> {
    if len > fs::file_size_limit() {
        return Err(fs::over_file_size_limit());
    }
    let sealed = fs::memfd::seals(node).is_some();
    fs::with_vfs(|v| -> KResult<()> {
        if sealed {
            fs::memfd::check_resize(node, v.metadata(node)?.size, len)?;
        }
        Ok(v.fs_mut(node.fs)?.truncate(node.ino, len, fs::now())?)
    })?;
    crate::mm::page_cache::truncated(node, len);
    if let Some(subject) = subject {
        fs::notify::modified(subject);
    }
    Ok(())
}

/// statfs of the file system holding `node`.
fn node_fs_info(node: NodeRef) -> KResult<FsInfo> {
    let (name, stats) = fs::with_vfs(|v| v.fs(node.fs).map(|f| (alloc::string::String::from(f.name()), f.statfs())))?;
    Ok(FsInfo { name, stats, read_only: fs::served::is_read_only(node.fs), id: u64::from(node.fs.0) + 1 })
}

/// What fstat reports for an open file: its node's status, the device node
/// it was opened through, or (pipes, terminals, counters) a status made up
/// as Linux's internal file systems show it, owned by `uid`.
fn stat_open_file(file: &Arc<OpenFile>, uid: u32) -> KResult<FileStat> {
    if let Some(stat) = &file.device_node {
        return Ok(stat.clone());
    }
    if let Some(node) = file.node() {
        let meta = fs::with_vfs(|v| v.metadata(node))?;
        return Ok(FileStat { dev: u64::from(node.fs.0) + 1, meta });
    }
    let (file_type, rdev, mode) = match &file.object {
        FileObject::PipeReader(_) | FileObject::PipeWriter(_) | FileObject::PipeBoth(_) => {
            (FileType::Fifo, (0, 0), 0o600)
        }
        FileObject::Terminal(t) => (FileType::CharDevice, t.device(), 0o620),
        FileObject::PtyMaster(_) => (FileType::CharDevice, (5, 2), 0o666),
        FileObject::Device(d) => {
            let (major, minor, block) = d.number();
            (if block { FileType::BlockDevice } else { FileType::CharDevice }, (major, minor), 0o666)
        }
        FileObject::EventSet(_)
        | FileObject::Counter(_)
        | FileObject::SignalReader(_)
        | FileObject::Timer(_)
        | FileObject::WatchQueue(_)
        | FileObject::NotificationGroup(_)
        | FileObject::ProcessHandle(_)
        | FileObject::MessageQueue(_) => (FileType::Regular, (0, 0), 0o600),
        FileObject::Socket(_) => (FileType::Socket, (0, 0), 0o777),
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
                _ => Arc::as_ptr(file) as u64 / 64 % 1_000_000,
            },
            blocks: 0,
            blksize: 4096,
        },
    })
}

/// How many levels of event sets one may stack (the outermost counted).
const MAX_EVENT_SET_DEPTH: usize = 5;

enum Nesting {
    /// This many levels of event sets (0: `file` is not one).
    Depth(usize),
    /// `file`'s sets lead back to the set being added to.
    Reaches,
}

/// The levels of event sets `file` holds, or whether they reach `set`.
/// Each set's list is locked on its own, one at a time; a walk deeper than
/// any allowed nesting stops counting.
fn nesting_below(file: &Arc<OpenFile>, set: &Arc<OpenFile>, level: usize) -> Nesting {
    if Arc::ptr_eq(file, set) {
        return Nesting::Reaches;
    }
    let FileObject::EventSet(list) = &file.object else { return Nesting::Depth(0) };
    if level > MAX_EVENT_SET_DEPTH {
        return Nesting::Depth(MAX_EVENT_SET_DEPTH + 1);
    }
    let inner: Vec<Arc<OpenFile>> = list.lock().values().filter_map(|w| w.file.upgrade()).collect();
    let mut deepest = 0;
    for f in &inner {
        match nesting_below(f, set, level + 1) {
            Nesting::Reaches => return Nesting::Reaches,
            Nesting::Depth(d) => deepest = deepest.max(d),
        }
    }
    Nesting::Depth(deepest + 1)
}

/// EROFS for a change to a node of a read-only mount, checked before the
/// permission rules as Linux checks mnt_want_write first.
fn refuse_on_read_only(v: &vfs::Vfs, node: NodeRef) -> KResult<()> {
    if v.fs(node.fs)?.is_read_only() {
        return Err(Error::ReadOnly);
    }
    Ok(())
}
