//! The kernel core's implementation of `KernelOps`: what a personality's
//! system-call handlers reach, on behalf of the calling thread. This file
//! holds `CoreOps` and the helpers several subsystems share; each
//! subsystem trait's implementation is in the file named after it.

mod aio;
mod context;
mod descriptors;
mod devices;
mod events;
mod file_handles;
mod filesystems;
mod futexes;
mod identity;
mod inspection;
mod keys;
mod locks;
mod machine;
mod memory;
mod message_queues;
mod metadata;
mod paths;
mod process_handles;
mod processes;
mod resources;
mod scheduling;
mod signals;
mod sockets;
mod special_files;
mod system_v_ipc;
mod time;
mod timers;
mod tracing;
mod transfer;

pub use machine::{domainname, hostname, set_node_name};

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

/// Largest chunk copied through the kernel per step of a read or write.
const IO_CHUNK: usize = 64 * 1024;

/// The kernel's side of one personality call: the calling thread and its
/// process are borrowed, not counted (the system-call path takes no
/// reference for them).
pub struct CoreOps<'a> {
    thread: &'a Arc<Thread>,
    process: &'a Arc<Process>,
    regs: &'a mut UserContext,
    /// The root for this call's walks instead of the process's
    /// (openat2's RESOLVE_IN_ROOT).
    root_override: Option<NodeRef>,
}

impl<'a> CoreOps<'a> {
    pub fn new(thread: &'a Arc<Thread>, regs: &'a mut UserContext) -> Self {
        let process = thread.process();
        CoreOps { thread, process, regs, root_override: None }
    }

    fn is_current(&self) -> bool {
        crate::sched::current().tid == self.thread.tid && self.thread.tid != 0
    }

    fn mm(&self) -> Arc<Mm> {
        self.process.mm()
    }

    /// The open file behind `fd`, for anything that uses the file (Linux's
    /// fdget): an O_PATH descriptor is no descriptor here (EBADF). It is
    /// only a handle on a node.
    fn file(&self, fd: Fd) -> KResult<Arc<OpenFile>> {
        Some(self.file_or_path(fd)?).filter(|f| !f.path_only()).ok_or(Error::BadDescriptor)
    }

    /// The open file behind `fd`, O_PATH descriptors included (Linux's
    /// fdget_raw): for the calls that only name a node through it, as
    /// fstat, fstatfs, fchdir and the *at calls' directory or AT_EMPTY_PATH.
    fn file_or_path(&self, fd: Fd) -> KResult<Arc<OpenFile>> {
        crate::fs::fd_table::file_in(self.process.cap_table(), fd).ok_or(Error::BadDescriptor)
    }

    /// Who the process is to permission checks (effective ids and
    /// supplementary groups).
    fn creds(&self) -> vfs::Credentials {
        self.process.vfs_credentials()
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
                let f = self.file_or_path(fd)?;
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
            && fs::with_vfs(|v| v.fs(node.fs).map(|f| f.lock().is_read_only()))?
        {
            return Err(Error::ReadOnly);
        }
        self.check_open_permission(node, &meta, &flags)?;
        let object = match meta.file_type {
            FileType::CharDevice | FileType::BlockDevice if !flags.path_only => {
                // The node's number is read in the numbering it was made
                // in: the kernel's own nodes (the devtmpfs on /dev, devpts)
                // hold the default personality's numbers, whoever opens
                // them (a FreeBSD program opens /dev/null there too); a
                // node a program made elsewhere with mknod opens what the
                // opener's OS would.
                let block = meta.file_type == FileType::BlockDevice;
                let numbering = if fs::device::kernel_numbered(node.fs) {
                    crate::personality::default().personality
                } else {
                    self.process.personality()
                };
                let dev = numbering
                    .device_at(meta.rdev.major, meta.rdev.minor, block)
                    .filter(|d| d.is_block() == block)
                    .ok_or(Error::NoSuchDeviceOrAddress)?;
                self.open_device(dev, &flags)?
            }
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
    fn open_device(&mut self, dev: kernel_ops::DeviceId, flags: &OpenFlags) -> KResult<FileObject> {
        match fs::device::kind_of(dev) {
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

    fn sigpipe(&mut self) {
        signal::send_to_thread(self.thread, Signal::PIPE, SignalCause::Kernel);
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
}

/// Fills in each request's events from its descriptor's state now (poll's
/// rules); how many have any. Takes only spinlocks: a wait's condition.
/// With `waiter`, it is put on each object's queue before the object is
/// looked at (sched/poll_table.rs).
fn poll_ready(
    files: &SpinLock<fs::FdTable>,
    requests: &mut [PollRequest],
    mut waiter: Option<&mut crate::sched::PollTable>,
) -> usize {
    let mut ready = 0;
    for r in requests.iter_mut() {
        r.returned = PollEvents::default();
        if r.fd < 0 {
            continue;
        }
        // Each file is polled outside the descriptor table's lock: a
        // signalfd looks at its threads' signals, which come before the
        // table in the lock order.
        let entry = files.lock().get(r.fd);
        match entry {
            // An O_PATH descriptor has nothing to poll (Linux's fdget finds
            // no file): POLLNVAL, as for a closed one.
            None => r.returned.invalid = true,
            Some(e) if e.file.path_only() => r.returned.invalid = true,
            Some(e) => {
                if let Some(w) = waiter.as_deref_mut() {
                    e.file.register_poll(w);
                }
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

impl CoreOps<'_> {
    /// Whether this process may send `signal` to `target` (Linux's
    /// kill_ok_by_cred): root may signal anyone; others a process whose
    /// real or saved uid is their real or effective uid; SIGCONT anyone in
    /// the same session.
    fn may_signal(&self, target: &Process, signal: Option<Signal>) -> bool {
        // A native task answers to capabilities (its supervisor's), not to
        // a Linux process's credentials, root's included.
        if target.is_native() && !self.process.is_native() {
            return false;
        }
        let me = *self.process.creds.lock();
        if me.has(Privilege::Kill) || core::ptr::eq(target, &**self.process) {
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
                path = v.fs(node.fs).ok()?.lock().readlink(node.ino).ok()?;
                start = parent.dir;
            }
            None
        })
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
        Ok(v.fs(node.fs)?.lock().truncate(node.ino, len, fs::now())?)
    })?;
    crate::mm::page_cache::truncated(node, len);
    if let Some(subject) = subject {
        fs::notify::modified(subject);
    }
    Ok(())
}
