//! Notification groups (Linux's fanotify): marks on files, mounts and file
//! systems, events queued for a reader with a new descriptor for the file
//! each is about, and permission events that keep the acting process
//! waiting until the group answers.
//!
//! The events come from the same reports as inotify's (`notify.rs` hands
//! every file event here too); which marks let one through, how events
//! merge and when the queue overflows are `crates/fanotify`'s rules. This
//! file keeps the marks of every group, the groups' queues, and the
//! answers to permission events.
//!
//! A mount is its file system here (one mount per file system), so mount
//! and file-system marks meet the same events. Events need a path to
//! report a descriptor: only the events of open files (open, access,
//! modify, close, exec) are made; groups that report file ids are refused
//! by the personality.

use super::file::{OpenFile, Placement, PollState};
use super::notify::Subject;
use crate::sched::{WaitError, WaitQueue};
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use fanotify::bits::*;
use fanotify::marks::{self, IgnoreStyle, MarkChange};
use fanotify::queue::Pushed;
use fanotify::{Mark, MarkKind, Queue, Queued};
use kernel_ops::{Error, Fd, KResult, NotificationGroupOptions, WatchEvents};
use vfs::{FsId, NodeRef};

/// /proc/sys/fs/fanotify/: events a group queues, groups and marks a user
/// may have (Linux's defaults).
pub static MAX_QUEUED_EVENTS: AtomicU32 = AtomicU32::new(DEFAULT_MAX_QUEUED_EVENTS);
pub static MAX_USER_GROUPS: AtomicU32 = AtomicU32::new(DEFAULT_MAX_USER_GROUPS);
pub static MAX_USER_MARKS: AtomicU32 = AtomicU32::new(DEFAULT_MAX_USER_MARKS);

/// The answer to one permission event, and its waiter.
pub struct Verdict {
    allowed: SpinLock<Option<bool>>,
    answered: WaitQueue,
}

impl Verdict {
    fn new() -> Arc<Verdict> {
        Arc::new(Verdict { allowed: SpinLock::new(None), answered: WaitQueue::new() })
    }

    /// The first answer counts.
    fn answer(&self, allow: bool) {
        self.allowed.lock().get_or_insert(allow);
        self.answered.wake_all();
    }
}

/// What an event is about: the file to open for the reader.
pub struct Target {
    node: NodeRef,
    path: Vec<u8>,
    is_dir: bool,
    /// For a permission event: where the answer goes.
    verdict: Option<Arc<Verdict>>,
}

impl fanotify::Object for Target {
    fn key(&self) -> u64 {
        (u64::from(self.node.fs.0) << 48) ^ self.node.ino
    }
    fn same(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

pub struct Group {
    options: NotificationGroupOptions,
    queue: SpinLock<Queue<Target>>,
    /// Permission events read and not answered yet, by the descriptor the
    /// reader got.
    awaiting: SpinLock<Vec<(Fd, Arc<Verdict>)>>,
    /// Readers wait here for an event.
    arrived: WaitQueue,
    /// Its pollers (poll, select, epoll), woken with the queue above.
    pub pollers: crate::sched::PollQueue,
}

/// What a mark is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Marked {
    Inode(NodeRef),
    Mount(FsId),
    Filesystem(FsId),
}

struct Registered {
    group: Weak<Group>,
    owner: u32,
    marks: BTreeMap<Marked, Mark>,
}

impl Registered {
    fn is(&self, group: *const Group) -> bool {
        self.group.as_ptr() == group
    }
}

static GROUPS: SpinLock<Vec<Registered>> = SpinLock::new(Vec::new());
/// Marks of every group: while there are none, a report is one load.
static MARKS: AtomicUsize = AtomicUsize::new(0);

pub fn active() -> bool {
    MARKS.load(Ordering::Relaxed) > 0
}

/// A new group for the user `owner` (`TooManyOpenFiles` past
/// max_user_groups, as Linux's EMFILE).
pub fn create(options: NotificationGroupOptions, owner: u32) -> KResult<Arc<Group>> {
    let limit = if options.unlimited_queue { None } else { Some(MAX_QUEUED_EVENTS.load(Ordering::Relaxed) as usize) };
    let group = Arc::new(Group {
        options,
        queue: SpinLock::new(Queue::new(limit)),
        awaiting: SpinLock::new(Vec::new()),
        arrived: WaitQueue::new(),
        pollers: crate::sched::PollQueue::new(),
    });
    let mut groups = GROUPS.lock();
    if groups.iter().filter(|g| g.owner == owner).count() >= MAX_USER_GROUPS.load(Ordering::Relaxed) as usize {
        return Err(Error::TooManyOpenFiles);
    }
    groups.try_reserve(1).map_err(|_| Error::NoMemory)?;
    groups.push(Registered { group: Arc::downgrade(&group), owner, marks: BTreeMap::new() });
    Ok(group)
}

/// fanotify_mark's change to `group`'s marks on what `node` (a directory
/// or not) stands for, with flags and mask already checked by the
/// personality.
pub fn mark(group: &Arc<Group>, flags: u32, mask: u32, node: NodeRef, is_dir: bool) -> KResult<()> {
    let on = match flags & MARK_TYPE_BITS {
        FAN_MARK_MOUNT => Marked::Mount(node.fs),
        FAN_MARK_FILESYSTEM => Marked::Filesystem(node.fs),
        _ => Marked::Inode(node),
    };
    let ignore = match flags & MARK_IGNORE_BITS {
        FAN_MARK_IGNORED_MASK => Some(IgnoreStyle::Legacy),
        FAN_MARK_IGNORE => Some(IgnoreStyle::WithFlags),
        _ => None,
    };
    let inode_dir = matches!(on, Marked::Inode(_)) && is_dir;
    if flags & FAN_MARK_ADD != 0 {
        // Permission events need a group of a content class.
        if mask & PERM_EVENTS != 0 && group.options.class == 0 {
            return Err(Error::InvalidArgument);
        }
        // FAN_MARK_IGNORE on a directory, mount or file system must say
        // whether it survives modification.
        if ignore == Some(IgnoreStyle::WithFlags)
            && (inode_dir || !matches!(on, Marked::Inode(_)))
            && flags & FAN_MARK_IGNORED_SURV_MODIFY == 0
        {
            return Err(if matches!(on, Marked::Inode(_)) { Error::IsDirectory } else { Error::InvalidArgument });
        }
        // Directory-only flags on a file, with the newer ignore API.
        if ignore == Some(IgnoreStyle::WithFlags)
            && matches!(on, Marked::Inode(_))
            && !is_dir
            && mask & EVENT_FLAGS != 0
        {
            return Err(Error::NotDirectory);
        }
    }
    let change = MarkChange {
        add: flags & FAN_MARK_ADD != 0,
        mask,
        ignore,
        survive_modify: flags & FAN_MARK_IGNORED_SURV_MODIFY != 0,
        on_directory: inode_dir,
    };
    let mut groups = GROUPS.lock();
    let owner = groups.iter().find(|g| g.is(Arc::as_ptr(group))).map(|g| g.owner).ok_or(Error::InvalidArgument)?;
    let user_marks: usize = groups.iter().filter(|g| g.owner == owner).map(|g| g.marks.len()).sum();
    let entry = groups.iter_mut().find(|g| g.is(Arc::as_ptr(group))).ok_or(Error::InvalidArgument)?;
    let existing = entry.marks.get(&on).copied();
    let after = marks::apply(existing, change).map_err(|e| match e {
        marks::ChangeError::NoMark => Error::NotFound,
        marks::ChangeError::Downgrade => Error::Exists,
    })?;
    match (existing, after) {
        (None, Some(m)) => {
            if !group.options.unlimited_marks && user_marks >= MAX_USER_MARKS.load(Ordering::Relaxed) as usize {
                return Err(Error::NoSpace);
            }
            entry.marks.insert(on, m);
            MARKS.fetch_add(1, Ordering::Relaxed);
        }
        (Some(_), Some(m)) => {
            entry.marks.insert(on, m);
        }
        (Some(_), None) => {
            entry.marks.remove(&on);
            MARKS.fetch_sub(1, Ordering::Relaxed);
        }
        (None, None) => {}
    }
    Ok(())
}

/// FAN_MARK_FLUSH: every mark of the group of one kind goes.
pub fn flush(group: &Arc<Group>, flags: u32) {
    let mut groups = GROUPS.lock();
    let Some(entry) = groups.iter_mut().find(|g| g.is(Arc::as_ptr(group))) else { return };
    let before = entry.marks.len();
    entry.marks.retain(|on, _| match flags & MARK_TYPE_BITS {
        FAN_MARK_MOUNT => !matches!(on, Marked::Mount(_)),
        FAN_MARK_FILESYSTEM => !matches!(on, Marked::Filesystem(_)),
        _ => !matches!(on, Marked::Inode(_)),
    });
    MARKS.fetch_sub(before - entry.marks.len(), Ordering::Relaxed);
}

/// The fanotify events among a report's kinds.
fn event_bits(events: WatchEvents) -> u32 {
    let pairs = [
        (WatchEvents::ACCESSED, FAN_ACCESS),
        (WatchEvents::MODIFIED, FAN_MODIFY),
        (WatchEvents::CLOSED_WRITABLE, FAN_CLOSE_WRITE),
        (WatchEvents::CLOSED_READ_ONLY, FAN_CLOSE_NOWRITE),
        (WatchEvents::OPENED, FAN_OPEN),
    ];
    pairs.iter().filter(|(w, _)| events.intersects(*w)).fold(0, |m, (_, f)| m | f)
}

/// A file event (`notify.rs`'s report): queued for the groups whose marks
/// let it through. Events without a path to open are not reported.
pub fn heard(subject: &Subject<'_>, events: WatchEvents) {
    let mask = event_bits(events);
    if mask != 0 && active() {
        let _ = deliver(subject, mask);
    }
}

/// A program is being executed from `subject`: FAN_OPEN_EXEC_PERM, then
/// FAN_OPEN_PERM (either may refuse it), then FAN_OPEN|FAN_OPEN_EXEC.
pub fn executing(subject: &Subject<'_>) -> KResult<()> {
    if !active() {
        return Ok(());
    }
    deliver(subject, FAN_OPEN_EXEC_PERM)?;
    deliver(subject, FAN_OPEN_PERM)?;
    deliver(subject, FAN_OPEN | FAN_OPEN_EXEC)
}

/// A permission event (FAN_OPEN_PERM, FAN_ACCESS_PERM): waits for every
/// group that wants it to answer; `NotPermitted` when one refuses.
pub fn permission(subject: &Subject<'_>, event: u32) -> KResult<()> {
    if !active() {
        return Ok(());
    }
    deliver(subject, event)
}

fn deliver(subject: &Subject<'_>, mask: u32) -> KResult<()> {
    let Some(path) = subject.path else { return Ok(()) };
    let mut reached: Vec<(Arc<Group>, u32)> = Vec::new();
    {
        let mut groups = GROUPS.lock();
        for entry in groups.iter_mut() {
            if entry.marks.is_empty() {
                continue;
            }
            let objects = [
                (MarkKind::Inode, Some(Marked::Inode(subject.node))),
                (MarkKind::Parent, subject.entry.map(|(dir, _)| Marked::Inode(dir))),
                (MarkKind::Mount, Some(Marked::Mount(subject.node.fs))),
                (MarkKind::Filesystem, Some(Marked::Filesystem(subject.node.fs))),
            ];
            let mut consulted: [(MarkKind, Mark); 4] = [(MarkKind::Inode, Mark::default()); 4];
            let mut n = 0;
            for (kind, on) in objects {
                if let Some(m) = on.and_then(|on| entry.marks.get(&on)) {
                    consulted[n] = (kind, *m);
                    n += 1;
                }
            }
            if n == 0 {
                continue;
            }
            let wanted = marks::reported(&consulted[..n], mask, subject.is_dir);
            if mask & FAN_MODIFY != 0 {
                for (kind, on) in objects {
                    if let Some(m) = on.and_then(|on| entry.marks.get_mut(&on)) {
                        if marks::takes_part(kind, m) {
                            m.saw_modify();
                        }
                    }
                }
            }
            if wanted != 0 {
                if let Some(g) = entry.group.upgrade() {
                    if reached.try_reserve(1).is_ok() {
                        reached.push((g, wanted));
                    }
                }
            }
        }
    }
    // Higher classes first (Linux's group priorities).
    reached.sort_by_key(|b| core::cmp::Reverse(b.0.options.class));
    let me = crate::sched::current();
    let pid = me.process().pid as i32;
    let tid = me.tid as i32;
    for (group, wanted) in reached {
        let verdict = (wanted & PERM_EVENTS != 0).then(Verdict::new);
        let mut copy = Vec::new();
        if copy.try_reserve_exact(path.len()).is_err() {
            continue;
        }
        copy.extend_from_slice(path);
        let target = Target { node: subject.node, path: copy, is_dir: subject.is_dir, verdict: verdict.clone() };
        let event = Queued {
            mask: wanted,
            pid: if group.options.report_tid { tid } else { pid },
            object: Some(target),
            permission: verdict.is_some(),
        };
        let pushed = group.queue.lock().push(event);
        group.arrived.wake_all();
        group.pollers.wake();
        let Some(verdict) = verdict else { continue };
        if matches!(pushed, Pushed::Lost(_)) {
            continue; // lost to a full queue: allowed, as on Linux
        }
        // Wait holding only the verdict: the group's last descriptor
        // closing (its drop) must be able to answer it.
        drop(group);
        let waited = verdict.answered.wait_until(true, None, || verdict.allowed.lock().is_some());
        if waited == Err(WaitError::Interrupted) {
            return Err(Error::Restart);
        }
        if *verdict.allowed.lock() == Some(false) {
            return Err(Error::NotPermitted);
        }
    }
    Ok(())
}

impl Group {
    /// Takes as many whole events as fit in `buf` as
    /// `fanotify_event_metadata` records, blocking (unless `non_blocking`)
    /// until there is one; `install` gives the reader a descriptor for an
    /// event's file. A buffer too small for one record is
    /// `InvalidArgument`, once an event is there.
    pub fn read(
        &self,
        buf: &mut [u8],
        non_blocking: bool,
        install: &mut dyn FnMut(Arc<OpenFile>) -> KResult<Fd>,
    ) -> KResult<usize> {
        let mut done = 0;
        loop {
            let event = {
                let mut q = self.queue.lock();
                match q.front() {
                    Some(_) if done + METADATA_LEN > buf.len() => {
                        if done == 0 {
                            return Err(Error::InvalidArgument);
                        }
                        None
                    }
                    Some(_) => q.pop(),
                    None => None,
                }
            };
            let Some(event) = event else {
                if done > 0 {
                    return Ok(done);
                }
                if non_blocking {
                    return Err(Error::WouldBlock);
                }
                if self.arrived.wait_until(true, None, || !self.queue.lock().is_empty()) == Err(WaitError::Interrupted)
                {
                    return Err(Error::Restart);
                }
                continue;
            };
            let fd = match &event.object {
                None => FAN_NOFD,
                Some(target) => match self.open_for_reader(target).and_then(&mut *install) {
                    Ok(fd) => fd,
                    Err(e) => {
                        if let Some(v) = &target.verdict {
                            v.answer(false);
                        }
                        return if done > 0 { Ok(done) } else { Err(e) };
                    }
                },
            };
            if let Some(v) = event.object.as_ref().and_then(|t| t.verdict.clone()) {
                let mut awaiting = self.awaiting.lock();
                if awaiting.try_reserve(1).is_ok() {
                    awaiting.push((fd, v));
                } else {
                    drop(awaiting);
                    v.answer(true);
                }
            }
            buf[done..done + METADATA_LEN].copy_from_slice(&encode_metadata(u64::from(event.mask), fd, event.pid));
            done += METADATA_LEN;
        }
    }

    /// The event's file, opened as the group asked; its use reports no
    /// events of its own (Linux's FMODE_NONOTIFY).
    fn open_for_reader(&self, target: &Target) -> KResult<Arc<OpenFile>> {
        super::with_vfs(|v| v.metadata(target.node).map(|_| ()))?;
        let mut path = Vec::new();
        path.try_reserve_exact(target.path.len()).map_err(|_| Error::NoMemory)?;
        path.extend_from_slice(&target.path);
        let flags =
            kernel_ops::OpenFlags { close_on_exec: self.options.event_file.close_on_exec, ..self.options.event_file };
        Ok(OpenFile::new_unwatched(target.node, flags, path, Placement { dir: None, is_dir: target.is_dir }))
    }

    /// Whether the event descriptors are close-on-exec.
    pub fn event_close_on_exec(&self) -> bool {
        self.options.event_file.close_on_exec
    }

    /// A `struct fanotify_response` written by the listener: allows or
    /// refuses the permission event it got as descriptor `fd`.
    pub fn respond(&self, data: &[u8]) -> KResult<usize> {
        if data.len() < RESPONSE_LEN {
            return Err(Error::InvalidArgument);
        }
        let fd = i32::from_le_bytes([data[0], data[1], data[2], data[3]]);
        let response = u32::from_le_bytes([data[4], data[5], data[6], data[7]]);
        let allow = match response & !FAN_AUDIT {
            FAN_ALLOW => true,
            FAN_DENY => false,
            _ => return Err(Error::InvalidArgument),
        };
        if fd < 0 {
            return Err(Error::InvalidArgument);
        }
        let verdict = {
            let mut awaiting = self.awaiting.lock();
            let at = awaiting.iter().position(|(f, _)| *f == fd).ok_or(Error::NotFound)?;
            awaiting.remove(at).1
        };
        verdict.answer(allow);
        Ok(RESPONSE_LEN)
    }

    pub fn poll(&self) -> PollState {
        PollState { readable: !self.queue.lock().is_empty(), ..PollState::default() }
    }

    /// Bytes a read could take now (FIONREAD).
    pub fn bytes_queued(&self) -> usize {
        self.queue.lock().len() * METADATA_LEN
    }
}

impl Drop for Group {
    /// The group's last descriptor is closed: its marks go, and every
    /// process waiting on one of its permission events is let go (allowed).
    fn drop(&mut self) {
        let me: *const Group = self;
        {
            let mut groups = GROUPS.lock();
            if let Some(at) = groups.iter().position(|g| g.is(me)) {
                let gone = groups.swap_remove(at);
                MARKS.fetch_sub(gone.marks.len(), Ordering::Relaxed);
            }
        }
        let queued: Vec<Queued<Target>> = self.queue.lock().drain().collect();
        for event in &queued {
            if let Some(v) = event.object.as_ref().and_then(|t| t.verdict.as_ref()) {
                v.answer(true);
            }
        }
        let awaiting = core::mem::take(&mut *self.awaiting.lock());
        for (_, v) in awaiting {
            v.answer(true);
        }
    }
}

/// /proc/sys/fs/fanotify/'s files: the limits above, as text.
pub mod tunables {
    use super::{MAX_QUEUED_EVENTS, MAX_USER_GROUPS, MAX_USER_MARKS};
    use alloc::string::String;
    use core::sync::atomic::{AtomicU32, Ordering};

    fn show(v: &AtomicU32) -> String {
        alloc::format!("{}\n", v.load(Ordering::Relaxed))
    }

    /// A number from 0 to i32::MAX, as Linux's proc_dointvec_minmax takes it.
    fn set(v: &AtomicU32, text: &[u8]) -> Result<(), vfs::Error> {
        let n: i64 =
            core::str::from_utf8(text).ok().and_then(|t| t.trim().parse().ok()).ok_or(vfs::Error::InvalidArgument)?;
        let n = u32::try_from(n).ok().filter(|n| *n <= i32::MAX as u32).ok_or(vfs::Error::InvalidArgument)?;
        v.store(n, Ordering::Relaxed);
        Ok(())
    }

    pub fn max_queued_events() -> String {
        show(&MAX_QUEUED_EVENTS)
    }
    pub fn set_max_queued_events(text: &[u8]) -> Result<(), vfs::Error> {
        set(&MAX_QUEUED_EVENTS, text)
    }
    pub fn max_user_groups() -> String {
        show(&MAX_USER_GROUPS)
    }
    pub fn set_max_user_groups(text: &[u8]) -> Result<(), vfs::Error> {
        set(&MAX_USER_GROUPS, text)
    }
    pub fn max_user_marks() -> String {
        show(&MAX_USER_MARKS)
    }
    pub fn set_max_user_marks(text: &[u8]) -> Result<(), vfs::Error> {
        set(&MAX_USER_MARKS, text)
    }
}
