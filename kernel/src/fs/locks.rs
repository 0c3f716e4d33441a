//! Advisory file locks between processes: flock(2) locks, POSIX record
//! locks and open-file-description (OFD) locks, on every kind of open file.
//!
//! The rules live in `crates/file-locks`; this file keeps the one table of
//! the machine, decides what a lock is *on* (the file-system node, so two
//! opens of a file share its locks on ramfs, /proc and served file systems
//! alike; for pipes, devices and the terminal, the object itself), and
//! makes blocking requests sleep.
//!
//! A blocked request sleeps on one wait queue for all files and retries
//! after every release anywhere. Lock waits are rare and the deadlock
//! graph spans files anyway; one queue keeps the wake-up rule simple: any
//! change that can free something (unlock, downgrade, close, a flock
//! conversion letting go first) wakes every waiter. The table's spinlock
//! is only ever held for one attempt, never across a sleep.

use super::{FileObject, OpenFile};
use crate::sched::WaitQueue;
use crate::sync::SpinLock;
use file_locks::{Attempt, LockKind, LockTable, Range, RecordLock, RecordOwner, RecordRequest};
use kernel_ops::{Error, KResult};

/// What a lock is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LockKey {
    /// A file-system node: (file system, inode).
    Node(u32, u64),
    /// An object without a node (a pipe, a device, the terminal, an event
    /// set), by address. It lives at least as long as the open files that
    /// could hold locks on it, and those locks go with them.
    Object(usize),
}

static TABLE: SpinLock<LockTable<LockKey>> = SpinLock::ranked(crate::sync::Rank::FileLocks, LockTable::new());
/// Blocked lock requests, woken whenever a lock is released anywhere.
static RELEASED: WaitQueue = WaitQueue::new();

/// What `file`'s locks are on.
pub fn key_of(file: &OpenFile) -> LockKey {
    match &file.object {
        FileObject::Node(n) => LockKey::Node(n.fs.0, n.ino),
        FileObject::PipeReader(p) | FileObject::PipeWriter(p) | FileObject::PipeBoth(p) => {
            LockKey::Object(alloc::sync::Arc::as_ptr(p) as usize)
        }
        // A device by its kind: a small number, never an address.
        FileObject::Device(d) => LockKey::Object(d.key()),
        FileObject::Terminal(t) => LockKey::Object(&**t as *const super::tty::Tty as usize),
        // Objects that each open makes anew: the open file's own.
        FileObject::PtyMaster(_)
        | FileObject::EventSet(_)
        | FileObject::Counter(_)
        | FileObject::SignalReader(_)
        | FileObject::Timer(_)
        | FileObject::WatchQueue(_)
        | FileObject::NotificationGroup(_)
        | FileObject::ProcessHandle(_)
        | FileObject::Socket(_)
        | FileObject::InetSocket(_)
        | FileObject::NetlinkSocket(_)
        | FileObject::MessageQueue(_) => LockKey::Object(&file.object as *const FileObject as usize),
    }
}

/// The open file as a lock owner (flock and OFD locks): its address, which
/// no other open file has while it lives, and its locks die with it.
pub fn description_of(file: &OpenFile) -> u64 {
    file as *const OpenFile as usize as u64
}

/// flock(2) on `file` for its open file description. None unlocks.
pub fn flock(file: &OpenFile, kind: Option<LockKind>, wait: bool) -> KResult<()> {
    let (key, description) = (key_of(file), description_of(file));
    let Some(kind) = kind else {
        if TABLE.lock().funlock(key, description) {
            RELEASED.wake_all();
        }
        return Ok(());
    };
    loop {
        let mut outcome = None;
        // Stop waiting to pass on a release this attempt made (a
        // conversion lets go of the old lock before it waits).
        let waited = RELEASED.wait_until(true, None, || {
            let o = TABLE.lock().flock(key, description, kind);
            let done = !wait || o.map_or(true, |o| o.granted || o.released);
            outcome = Some(o);
            done
        });
        if waited.is_err() {
            return Err(Error::Restart);
        }
        let o = outcome.ok_or(Error::NoLocks)?.map_err(|_| Error::NoLocks)?;
        if o.released {
            RELEASED.wake_all();
        }
        if o.granted {
            return Ok(());
        }
        if !wait {
            return Err(Error::WouldBlock);
        }
    }
}

/// A record lock (fcntl F_SETLK/F_SETLKW and the OFD forms) on `file`.
/// `token` names the waiter in the deadlock graph (the thread).
pub fn set_record(file: &OpenFile, request: &RecordRequest, wait: bool, token: u64) -> KResult<()> {
    let key = key_of(file);
    let waiter = wait.then_some(token);
    let mut result = None;
    let waited = RELEASED.wait_until(true, None, || {
        let attempt = TABLE.lock().set_record(key, request, waiter);
        let blocked = matches!(attempt, Ok(Attempt::Blocked(_)));
        result = Some(attempt);
        !(wait && blocked)
    });
    if waited.is_err() {
        TABLE.lock().stop_waiting(token);
        return Err(Error::Restart);
    }
    match result.ok_or(Error::NoLocks)?.map_err(|_| Error::NoLocks)? {
        Attempt::Granted => {
            // Unlocking, downgrading or replacing may have freed bytes.
            RELEASED.wake_all();
            Ok(())
        }
        Attempt::Blocked(_) => Err(Error::WouldBlock),
        Attempt::Deadlock => Err(Error::Deadlock),
    }
}

/// F_GETLK: the first lock of another owner in the way.
pub fn test_record(file: &OpenFile, owner: RecordOwner, kind: LockKind, range: &Range) -> Option<RecordLock> {
    TABLE.lock().test_record(key_of(file), owner, kind, range)
}

/// A descriptor of `file` was closed by the process whose descriptor
/// table is `process`: POSIX's rule drops every record lock that process
/// holds on the file, whichever descriptor set it. Called as the closed
/// descriptor is dropped (`fd_table::Closed`), outside the descriptor
/// table's lock: waking RELEASED takes a wait queue's lock, which comes
/// before the table's in the lock order.
pub fn descriptor_closed(file: &OpenFile, process: u64) {
    if TABLE.lock().close(key_of(file), process) {
        RELEASED.wake_all();
    }
}

/// The open file's last reference is going: its flock and OFD locks go.
pub fn description_closed(file: &OpenFile) {
    if TABLE.lock().release_description(key_of(file), description_of(file)) {
        RELEASED.wake_all();
    }
}
