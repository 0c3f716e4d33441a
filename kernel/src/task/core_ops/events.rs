//! How the kernel core implements `EventOps` (waiting for descriptors and
//! file events: poll, event sets, watch queues, notification groups).

use super::*;

/// How many levels of event sets one may stack (the outermost counted).
const MAX_EVENT_SET_DEPTH: usize = 5;

impl EventOps for CoreOps<'_> {
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
            FileObject::EventSet(fs::event_set::EventSet::new()),
            OpenFlags { read: true, ..Default::default() },
            b"anon_inode:[eventpoll]".to_vec(),
        );
        self.install(f, close_on_exec)
    }

    fn change_event_set(&mut self, set: Fd, change: EventSetChange, fd: Fd, interest: Interest) -> KResult<()> {
        let set_file = self.file(set)?;
        let target = self.file(fd)?;
        let FileObject::EventSet(event_set) = &set_file.object else { return Err(Error::InvalidArgument) };
        if set == fd || Arc::ptr_eq(&set_file, &target) {
            return Err(Error::InvalidArgument);
        }
        if matches!(target.object, FileObject::Node(_)) {
            return Err(Error::NotPermitted); // regular files are always ready: Linux refuses them
        }
        // EPOLLEXCLUSIVE is refused on an event set (Linux: EINVAL).
        if interest.exclusive && matches!(target.object, FileObject::EventSet(_)) {
            return Err(Error::InvalidArgument);
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
        // An entry added or changed is put on the ready list to be looked
        // at, which wakes the set's waiters.
        event_set.change(change, fd, &target, interest)
    }

    fn wait_event_set(&mut self, set: Fd, out: &mut [ReadyEntry], deadline_ns: Option<u64>) -> KResult<usize> {
        let set_file = self.file(set)?;
        let FileObject::EventSet(event_set) = &set_file.object else { return Err(Error::InvalidArgument) };
        // A watch stays while its open file does (not its descriptor): a
        // closed duplicate leaves it, the file's last close ends it.
        if deadline_ns == Some(0) {
            return Ok(event_set.collect(out));
        }
        let deadline = deadline_ns.map(|d| crate::time::now_ns().saturating_add(d));
        // Registered on the set's waiters before each look at the ready
        // list; another waiter may take what woke this one first: then it
        // waits again (the check says nothing to report).
        let found = crate::sched::poll_wait_for(true, deadline, |table| {
            event_set.register_waiter(table);
            let n = event_set.collect(out);
            (n > 0).then_some(n)
        });
        match found {
            Ok(n) => Ok(n),
            Err(crate::sched::WaitError::TimedOut) => Ok(0),
            Err(crate::sched::WaitError::Interrupted) => Err(Error::Interrupted),
        }
    }

    fn poll(&mut self, requests: &mut [PollRequest], deadline_ns: Option<u64>) -> KResult<usize> {
        let files = self.process.files();
        if deadline_ns == Some(0) {
            return Ok(poll_ready(&files, requests, None));
        }
        let deadline = deadline_ns.map(|d| crate::time::now_ns().saturating_add(d));
        let waited = crate::sched::poll_wait_for(true, deadline, |table| {
            let n = poll_ready(&files, requests, Some(table));
            (n > 0).then_some(n)
        });
        match waited {
            Ok(n) => Ok(n),
            Err(crate::sched::WaitError::TimedOut) => Ok(0),
            Err(crate::sched::WaitError::Interrupted) => Err(Error::Interrupted),
        }
    }
}

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
    let FileObject::EventSet(event_set) = &file.object else { return Nesting::Depth(0) };
    if level > MAX_EVENT_SET_DEPTH {
        return Nesting::Depth(MAX_EVENT_SET_DEPTH + 1);
    }
    let inner: Vec<Arc<OpenFile>> = event_set.files();
    let mut deepest = 0;
    for f in &inner {
        match nesting_below(f, set, level + 1) {
            Nesting::Reaches => return Nesting::Reaches,
            Nesting::Depth(d) => deepest = deepest.max(d),
        }
    }
    Nesting::Depth(deepest + 1)
}
