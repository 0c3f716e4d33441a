//! Open files: what a descriptor refers to, with its offset and flags.

use super::{
    eventfd::Counter, fanotify::Group, inotify::WatchQueue, notify, pty::MasterEnd, signalfd::SignalReader,
    timerfd::Timer, tty::TtyRef, with_vfs, Device, Pipe,
};
use crate::sync::{Mutex, MutexGuard, Rank, SpinLock};
use alloc::sync::Arc;
use kernel_ops::{Error, KResult, OpenFlags, StatusFlags};
use vfs::NodeRef;

pub enum FileObject {
    /// A file or directory in a VFS file system.
    Node(NodeRef),
    PipeReader(Arc<Pipe>),
    PipeWriter(Arc<Pipe>),
    /// A FIFO opened for reading and writing: both ends at once.
    PipeBoth(Arc<Pipe>),
    Device(Device),
    Terminal(TtyRef),
    /// A pseudo-terminal's master side (/dev/ptmx).
    PtyMaster(MasterEnd),
    /// An event set (epoll instance): interest list by descriptor number.
    EventSet(super::event_set::EventSet),
    /// A counter (eventfd).
    Counter(Counter),
    /// A reader of the caller's pending signals (signalfd).
    SignalReader(SignalReader),
    /// A timer counting its expirations (timerfd).
    Timer(Arc<Timer>),
    /// A queue of file events from the watches it holds (inotify).
    WatchQueue(Arc<WatchQueue>),
    /// A notification group (fanotify): its marks' events, with a
    /// descriptor for each event's file.
    NotificationGroup(Arc<Group>),
    /// A process (pidfd).
    ProcessHandle(super::pidfd::ProcessHandle),
    /// A local (Unix-domain) socket.
    Socket(Arc<super::socket::Socket>),
    /// An Internet socket, served by the network server.
    InetSocket(Arc<super::inet::InetSocket>),
    /// A routing socket (Linux's NETLINK_ROUTE), answered by the kernel.
    NetlinkSocket(Arc<super::netlink::NetlinkSocket>),
    /// A POSIX message queue (mq_open).
    MessageQueue(Arc<super::mqueue::Mq>),
}

impl FileObject {
    /// The smallest read the kind accepts (`InvalidArgument` below it,
    /// even for 0 bytes): kinds that hand out whole fixed-size records.
    pub fn min_read(&self) -> Option<usize> {
        match self {
            FileObject::Counter(_) => Some(super::eventfd::SIZE),
            FileObject::Timer(_) => Some(super::timerfd::SIZE),
            FileObject::SignalReader(r) => Some(r.record_size()),
            _ => None,
        }
    }
}

/// Where a file opened by path sits in the tree, for the events its use
/// reports (`notify.rs`): the directory of the entry it was opened by
/// (whose name is the last component of `OpenFile::path`; renames made
/// later are not followed), and whether it is a directory.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    pub dir: Option<NodeRef>,
    pub is_dir: bool,
}

/// Readiness for poll/select.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PollState {
    pub readable: bool,
    pub writable: bool,
    pub hang_up: bool,
    pub error: bool,
    /// The other side will send nothing more (POLLRDHUP).
    pub read_hang_up: bool,
    /// For objects that count their changes: (input changes, output
    /// changes) so far. An edge-triggered watch reports input (readable,
    /// hang-up) when the first moved and output (writable) when the second
    /// did since its last report; None: no counts, reported level-triggered.
    pub changes: Option<(u64, u64)>,
}

pub struct OpenFile {
    pub object: FileObject,
    /// The flags it was opened with (access mode, O_PATH...).
    pub opened: OpenFlags,
    pub status: SpinLock<StatusFlags>,
    /// Byte offset for files, the read_dir cookie for directories. A
    /// sleeping lock: it is held across the file system's read or write.
    pub offset: Mutex<u64>,
    /// The path it was opened by (for /proc/<pid>/fd links).
    pub path: alloc::vec::Vec<u8>,
    /// For a device opened through a node (/dev/null, /dev/pts/3): that
    /// node's status, which fstat reports as Linux does (ttyname and
    /// friends compare it with the node's).
    pub device_node: Option<kernel_ops::FileStat>,
    /// For a file or directory opened by path: where it was found.
    pub placement: Option<Placement>,
    /// Its use reports no file events (the descriptor of a fanotify
    /// event, Linux's FMODE_NONOTIFY: a listener's reads must not make
    /// events of their own).
    pub unwatched: bool,
    /// The event-set watches of this file: they end with its last
    /// reference (Linux's eventpoll_release).
    pub watches: SpinLock<alloc::vec::Vec<alloc::sync::Weak<super::event_set::Watch>>>,
}

impl OpenFile {
    pub fn new(object: FileObject, opened: OpenFlags, path: alloc::vec::Vec<u8>) -> Arc<OpenFile> {
        Self::build(object, opened, path, None, None)
    }

    /// A file or directory opened by path, found at `placement`.
    pub fn new_placed(
        node: NodeRef,
        opened: OpenFlags,
        path: alloc::vec::Vec<u8>,
        placement: Placement,
    ) -> Arc<OpenFile> {
        Self::build(FileObject::Node(node), opened, path, None, Some(placement))
    }

    /// A file opened for a fanotify reader: reports no events.
    pub fn new_unwatched(
        node: NodeRef,
        opened: OpenFlags,
        path: alloc::vec::Vec<u8>,
        placement: Placement,
    ) -> Arc<OpenFile> {
        let mut file = Self::build(FileObject::Node(node), opened, path, None, Some(placement));
        if let Some(f) = Arc::get_mut(&mut file) {
            f.unwatched = true;
        }
        file
    }

    /// A device opened through the node whose status is `node`.
    pub fn new_device(
        object: FileObject,
        opened: OpenFlags,
        path: alloc::vec::Vec<u8>,
        node: kernel_ops::FileStat,
    ) -> Arc<OpenFile> {
        Self::build(object, opened, path, Some(node), None)
    }

    fn build(
        object: FileObject,
        opened: OpenFlags,
        path: alloc::vec::Vec<u8>,
        device_node: Option<kernel_ops::FileStat>,
        placement: Option<Placement>,
    ) -> Arc<OpenFile> {
        let status = StatusFlags { append: opened.append, non_blocking: opened.non_blocking };
        if let FileObject::Node(n) = &object {
            with_vfs(|v| {
                let _ = v.retain(*n);
            });
            if !opened.path_only {
                super::leases::opened(*n, opened.read, opened.write);
            }
        }
        Arc::new(OpenFile {
            object,
            opened,
            status: SpinLock::new(status),
            offset: Mutex::ranked(Rank::FileOffset, 0),
            path,
            device_node,
            placement,
            unwatched: false,
            watches: SpinLock::new(alloc::vec::Vec::new()),
        })
    }

    /// What file events about this file are about (None: not a node).
    pub fn subject(&self) -> Option<notify::Subject<'_>> {
        if self.unwatched {
            return None;
        }
        let node = self.node()?;
        let placement = self.placement.unwrap_or(Placement { dir: None, is_dir: false });
        let name = self.path.rsplit(|&b| b == b'/').next().filter(|n| !n.is_empty());
        let entry = placement.dir.zip(name);
        Some(notify::Subject { node, entry, is_dir: placement.is_dir, path: Some(&self.path) })
    }

    /// What /proc/<pid>/fd/N points at, as Linux writes it.
    pub fn describe(&self) -> alloc::vec::Vec<u8> {
        match &self.object {
            FileObject::PipeReader(p) | FileObject::PipeWriter(p) | FileObject::PipeBoth(p) => {
                alloc::format!("pipe:[{}]", Arc::as_ptr(p) as usize / 64 % 1_000_000).into_bytes()
            }
            FileObject::Socket(s) => alloc::format!("socket:[{}]", s.id).into_bytes(),
            FileObject::InetSocket(s) => alloc::format!("socket:[{}]", s.id).into_bytes(),
            FileObject::NetlinkSocket(s) => alloc::format!("socket:[{}]", s.id).into_bytes(),
            _ => self.path.clone(),
        }
    }

    /// The local socket behind this file, if it is one.
    pub fn socket(&self) -> Option<&Arc<super::socket::Socket>> {
        match &self.object {
            FileObject::Socket(s) => Some(s),
            _ => None,
        }
    }

    /// The Internet socket behind this file, if it is one.
    pub fn inet_socket(&self) -> Option<&Arc<super::inet::InetSocket>> {
        match &self.object {
            FileObject::InetSocket(s) => Some(s),
            _ => None,
        }
    }

    /// The routing socket behind this file, if it is one.
    pub fn netlink_socket(&self) -> Option<&Arc<super::netlink::NetlinkSocket>> {
        match &self.object {
            FileObject::NetlinkSocket(s) => Some(s),
            _ => None,
        }
    }

    pub fn node(&self) -> Option<NodeRef> {
        match &self.object {
            FileObject::Node(n) => Some(*n),
            _ => None,
        }
    }

    pub fn non_blocking(&self) -> bool {
        self.status.lock().non_blocking
    }

    /// Opened with O_PATH: a handle on the node, not for I/O or changes.
    pub fn path_only(&self) -> bool {
        self.opened.path_only
    }

    pub fn can_read(&self) -> bool {
        self.opened.read && !self.opened.path_only
    }

    pub fn can_write(&self) -> bool {
        self.opened.write && !self.opened.path_only
    }

    /// Where a read or write at `offset` starts. None: at the file's own
    /// offset, whose lock is held across the transfer (two on one open
    /// file take turns) until `moved_to` advances it. Some (pread, pwrite):
    /// there, leaving the file's offset and its lock alone, as Linux does:
    /// a pread waiting on a slow file system holds up no read of the same
    /// open file, and one on a loop device takes only its backing file's
    /// lock, never a second offset's under its own.
    fn position(&self, offset: Option<u64>) -> Position<'_> {
        match offset {
            Some(at) => Position { at, own: None },
            None => {
                let own = self.offset.lock();
                Position { at: *own, own: Some(own) }
            }
        }
    }

    /// A read of at most `max` bytes from a file whose data comes as a
    /// buffer of its own (sockets: the receive already copies it out of
    /// the sender's or the network server's hands), so that read(2) can
    /// copy it straight to the program instead of through a zeroed
    /// buffer of the program's size. `None` for every other file.
    pub fn read_owned(&self, max: usize) -> Option<KResult<alloc::vec::Vec<u8>>> {
        let non_blocking = self.non_blocking();
        let mut data = match &self.object {
            FileObject::Socket(_) | FileObject::InetSocket(_) | FileObject::NetlinkSocket(_) if !self.can_read() => {
                Err(Error::BadDescriptor)
            }
            // Descriptors passed with the data are closed, as read(2) on Linux.
            FileObject::Socket(s) => s.receive(max, false, false, non_blocking).map(|t| t.data),
            FileObject::InetSocket(s) => s.receive(max, false, false, non_blocking).map(|t| t.data),
            // One datagram, cut to the buffer, as read(2) on Linux.
            FileObject::NetlinkSocket(s) => s.receive(max, false, non_blocking).map(|t| t.data),
            _ => return None,
        };
        if let Ok(d) = &mut data {
            d.truncate(max);
        }
        Some(data)
    }

    /// Reads at `offset` (None: the file's own offset, which advances).
    pub fn read(&self, buf: &mut [u8], offset: Option<u64>) -> KResult<usize> {
        if !self.can_read() {
            return Err(Error::BadDescriptor);
        }
        match &self.object {
            FileObject::Node(n) if super::procfs::memory::process_of(*n).is_some() => {
                let pid = super::procfs::memory::process_of(*n).unwrap_or(0);
                let pos = self.position(offset);
                let at = pos.at;
                let got = super::procfs::memory::read(pid, at, buf)?;
                pos.moved_to(at + got as u64);
                Ok(got)
            }
            FileObject::Node(n) => {
                if notify::active() {
                    if let Some(subject) = self.subject() {
                        super::fanotify::permission(&subject, fanotify::bits::FAN_ACCESS_PERM)?;
                    }
                }
                let pos = self.position(offset);
                let at = pos.at;
                let got = with_vfs(|v| -> KResult<usize> {
                    let handle = v.fs(n.fs)?;
                    let fs = handle.lock();
                    if fs.metadata(n.ino)?.is_dir() {
                        return Err(Error::IsDirectory);
                    }
                    Ok(fs.read(n.ino, at, buf)?)
                })?;
                crate::mm::page_cache::overlay_read(*n, at, &mut buf[..got]);
                pos.moved_to(at + got as u64);
                if got > 0 && notify::active() {
                    if let Some(subject) = self.subject() {
                        notify::accessed(subject);
                    }
                }
                Ok(got)
            }
            FileObject::PipeReader(p) | FileObject::PipeBoth(p) => p.read(buf, self.non_blocking()),
            FileObject::PipeWriter(_) => Err(Error::BadDescriptor),
            FileObject::Device(Device::Loop(n)) => {
                let pos = self.position(offset);
                let at = pos.at;
                let got = super::loop_device::read(*n, buf, at)?;
                pos.moved_to(at + got as u64);
                Ok(got)
            }
            FileObject::Device(d) => d.read(buf),
            FileObject::Terminal(t) => t.read(buf, self.non_blocking()),
            FileObject::PtyMaster(m) => m.read(buf, self.non_blocking()),
            FileObject::Counter(c) => c.read(buf, self.non_blocking()),
            FileObject::SignalReader(r) => r.read(buf, self.non_blocking()),
            FileObject::Timer(t) => t.read(buf, self.non_blocking()),
            FileObject::WatchQueue(q) => q.read(buf, self.non_blocking()),
            // Read through `read_events`, which can give the reader descriptors.
            FileObject::NotificationGroup(_) => Err(Error::InvalidArgument),
            FileObject::ProcessHandle(_) => Err(Error::InvalidArgument),
            FileObject::EventSet(_) => Err(Error::InvalidArgument),
            FileObject::Socket(_) | FileObject::InetSocket(_) | FileObject::NetlinkSocket(_) => {
                let data = self.read_owned(buf.len()).expect("sockets read owned data")?;
                buf[..data.len()].copy_from_slice(&data);
                Ok(data.len())
            }
            FileObject::MessageQueue(q) => q.read(&self.offset, offset, buf),
        }
    }

    pub fn write(&self, data: &[u8], offset: Option<u64>) -> KResult<usize> {
        if !self.can_write() {
            return Err(Error::BadDescriptor);
        }
        match &self.object {
            FileObject::Node(n) if super::procfs::memory::process_of(*n).is_some() => {
                let pid = super::procfs::memory::process_of(*n).unwrap_or(0);
                let pos = self.position(offset);
                let at = pos.at;
                let written = super::procfs::memory::write(pid, at, data)?;
                pos.moved_to(at + written as u64);
                Ok(written)
            }
            FileObject::Node(n) => {
                let pos = self.position(offset);
                let append = self.status.lock().append;
                let sealed = super::memfd::seals(*n).is_some();
                let limit = super::file_size_limit();
                let mut over_limit = false;
                let written = with_vfs(|v| -> KResult<(usize, u64)> {
                    // One hold of the file system's lock from the size
                    // to the write: two appenders never write at the same end.
                    let handle = v.fs(n.fs)?;
                    let mut fs = handle.lock();
                    let meta = fs.metadata(n.ino)?;
                    // An explicit offset is where the caller put it (Linux's
                    // pwrite appends on O_APPEND: the personality decides).
                    let at = match offset {
                        Some(o) => o,
                        None if append => meta.size,
                        None => pos.at,
                    };
                    // A memory file's seals may refuse the write or cut it short.
                    let mut len =
                        if sealed { super::memfd::check_write(*n, at, data.len(), meta.size)? } else { data.len() };
                    // So may the file-size limit, for regular files: a write
                    // starting at it fails, one crossing it is cut short.
                    if meta.file_type == vfs::FileType::Regular && len > 0 && at.saturating_add(len as u64) > limit {
                        if at >= limit {
                            over_limit = true;
                            return Err(Error::FileTooBig);
                        }
                        len = (limit - at) as usize;
                    }
                    Ok((fs.write(n.ino, at, &data[..len], super::now())?, at))
                })
                .map_err(|e| if over_limit { super::over_file_size_limit() } else { e })?;
                crate::mm::page_cache::update_after_write(*n, written.1, &data[..written.0]);
                pos.moved_to(written.1 + written.0 as u64);
                if written.0 > 0 && notify::active() {
                    if let Some(subject) = self.subject() {
                        notify::modified(subject);
                    }
                }
                Ok(written.0)
            }
            FileObject::PipeWriter(p) | FileObject::PipeBoth(p) => p.write(data, self.non_blocking()),
            FileObject::PipeReader(_) => Err(Error::BadDescriptor),
            FileObject::Device(Device::Loop(n)) => {
                let pos = self.position(offset);
                let at = pos.at;
                let written = super::loop_device::write(*n, data, at)?;
                pos.moved_to(at + written as u64);
                Ok(written)
            }
            FileObject::Device(d) => d.write(data),
            FileObject::Terminal(t) => t.write(data, self.non_blocking()),
            FileObject::PtyMaster(m) => m.write(data, self.non_blocking()),
            FileObject::Counter(c) => c.write(data, self.non_blocking()),
            FileObject::Socket(s) => {
                s.send(None, data, None, super::socket::caller_credentials().0, self.non_blocking())
            }
            FileObject::InetSocket(s) => s.send(None, data, false, self.non_blocking()),
            FileObject::NetlinkSocket(s) => s.send(None, data),
            FileObject::NotificationGroup(g) => g.respond(data),
            FileObject::SignalReader(_)
            | FileObject::Timer(_)
            | FileObject::WatchQueue(_)
            | FileObject::EventSet(_)
            | FileObject::ProcessHandle(_)
            | FileObject::MessageQueue(_) => Err(Error::InvalidArgument),
        }
    }

    /// Puts `table` on the queue of every object whose changes can change
    /// what `poll` reports (before `poll` is asked: see sched/poll_table.rs).
    pub fn register_poll(&self, table: &mut crate::sched::PollTable) {
        match &self.object {
            // Always ready: nothing to wait for.
            FileObject::Node(_) | FileObject::Device(_) => {}
            FileObject::PipeReader(p) | FileObject::PipeWriter(p) | FileObject::PipeBoth(p) => {
                table.register(p.pollers())
            }
            FileObject::Terminal(t) => table.register(&t.pollers),
            FileObject::PtyMaster(m) => {
                if let Some(b) = m.pair.tty.master_buffer() {
                    table.register(&b.pollers);
                }
            }
            FileObject::Counter(c) => table.register(&c.pollers),
            FileObject::SignalReader(r) => r.register_poll(table),
            FileObject::Timer(t) => table.register(&t.pollers),
            FileObject::WatchQueue(q) => table.register(&q.pollers),
            FileObject::NotificationGroup(g) => table.register(&g.pollers),
            FileObject::ProcessHandle(h) => h.register_poll(table),
            FileObject::MessageQueue(q) => table.register(&q.pollers),
            FileObject::Socket(s) => s.register_poll(table),
            FileObject::InetSocket(s) => s.register_poll(table),
            FileObject::NetlinkSocket(s) => s.register_poll(table),
            // A set's own queue: woken whenever one of its watches is put
            // on its ready list (by its file's wake, or being added or
            // changed), so its watched files need no registration here.
            FileObject::EventSet(set) => table.register(set.pollers()),
        }
    }

    pub fn poll(&self) -> PollState {
        match &self.object {
            FileObject::Node(_) | FileObject::Device(_) => {
                PollState { readable: true, writable: true, ..PollState::default() }
            }
            FileObject::PipeReader(p) => p.poll_reader(),
            FileObject::PipeWriter(p) => p.poll_writer(),
            FileObject::PipeBoth(p) => {
                let (r, w) = (p.poll_reader(), p.poll_writer());
                PollState { readable: r.readable, writable: w.writable, changes: r.changes, ..PollState::default() }
            }
            FileObject::Terminal(t) => t.poll(),
            FileObject::PtyMaster(m) => m.poll(),
            FileObject::Counter(c) => c.poll(),
            FileObject::SignalReader(r) => r.poll(),
            FileObject::Timer(t) => t.poll(),
            FileObject::WatchQueue(q) => q.poll(),
            FileObject::NotificationGroup(g) => g.poll(),
            FileObject::ProcessHandle(h) => h.poll(),
            FileObject::MessageQueue(q) => q.poll(),
            FileObject::Socket(s) => s.poll(),
            FileObject::InetSocket(s) => s.poll(),
            FileObject::NetlinkSocket(s) => s.poll(),
            // An event set is readable when something it watches has an
            // event it asks for (epoll inside epoll, or polled itself).
            // Nesting is bounded and cycles refused when entries are added.
            // Only the watches on its ready list are looked at.
            FileObject::EventSet(set) => PollState { readable: set.has_ready(), ..PollState::default() },
        }
    }

    /// Whether seeking means anything (files and directories only).
    pub fn seekable(&self) -> bool {
        // A message queue's status line reads like a small file (Linux
        // gives it default_llseek).
        matches!(self.object, FileObject::Node(_) | FileObject::MessageQueue(_))
            || matches!(self.object, FileObject::Device(d) if d.seekable())
    }
}

impl Drop for OpenFile {
    fn drop(&mut self) {
        // The last reference to the open file description: its flock and
        // OFD locks go (POSIX locks went as its descriptors closed).
        super::locks::description_closed(self);
        // Its watches leave their sets and its objects' queues.
        super::event_set::file_closed(self);
        match &self.object {
            FileObject::Node(n) => {
                super::leases::closed(self, *n);
                if !self.opened.path_only && notify::active() {
                    if let Some(subject) = self.subject() {
                        notify::closed(subject, self.opened.write);
                    }
                }
                with_vfs(|v| {
                    let _ = v.release(*n);
                    super::memfd::released(v, *n);
                })
            }
            FileObject::PipeReader(p) => p.close_reader(),
            FileObject::PipeWriter(p) => p.close_writer(),
            FileObject::PipeBoth(p) => {
                p.close_reader();
                p.close_writer();
            }
            FileObject::Socket(s) => s.release(),
            // Closed with its last reference (`InetSocket`'s Drop): an
            // accepted socket that never got a descriptor closes too.
            FileObject::InetSocket(_) => {}
            // Its port id is released with its last reference (Drop).
            FileObject::NetlinkSocket(_) => {}
            FileObject::Device(_)
            | FileObject::Terminal(_)
            | FileObject::PtyMaster(_)
            | FileObject::EventSet(_)
            | FileObject::Counter(_)
            | FileObject::SignalReader(_)
            | FileObject::Timer(_)
            | FileObject::WatchQueue(_)
            | FileObject::NotificationGroup(_)
            | FileObject::ProcessHandle(_)
            | FileObject::MessageQueue(_) => {}
        }
    }
}

/// A transfer's start (`OpenFile::position`), holding the file's offset
/// when the transfer moves it.
struct Position<'a> {
    at: u64,
    own: Option<MutexGuard<'a, u64>>,
}

impl Position<'_> {
    /// The transfer ended at `end`: the file's own offset moves there (a
    /// pread's or pwrite's leaves it).
    fn moved_to(mut self, end: u64) {
        if let Some(own) = self.own.as_mut() {
            **own = end;
        }
    }
}
