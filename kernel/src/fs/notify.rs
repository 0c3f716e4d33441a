//! Changes to the file tree, reported to whoever watches (inotify's watch
//! queues, `inotify.rs`).
//!
//! Every change a program makes goes through the core's VFS calls
//! (`task/core_ops/`, `fs/file.rs` for reads and writes), whatever the
//! file system (ramfs, /dev, a disk served from user space); each of them
//! reports here, once, what it did: an entry created, removed or renamed,
//! a node modified, its attributes changed, opened, closed, read. This file
//! turns that into events for the watches on the node and on the directory
//! the entry is in, in the order Linux reports them.
//!
//! Watches are kept by node (`NodeRef`), with the queue they report to and
//! its watch descriptor. While nobody watches anything, every report is one
//! atomic load.
//!
//! Not reported: the execution of programs and reads through mappings (no
//! IN_ACCESS/IN_OPEN for exec and mmap), changes made by a file server on
//! its own.

use super::inotify::WatchQueue;
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use kernel_ops::{Error, KResult, WatchEvents, WatchOptions};
use vfs::NodeRef;

/// How many watches may exist at once (Linux scales its per-user limit
/// with memory; 8192 is its floor).
pub const MAX_WATCHES: usize = 65536;

struct Watch {
    queue: Weak<WatchQueue>,
    id: i32,
    events: WatchEvents,
    one_shot: bool,
}

static WATCHES: SpinLock<BTreeMap<NodeRef, Vec<Watch>>> = SpinLock::new(BTreeMap::new());
static COUNT: AtomicUsize = AtomicUsize::new(0);
/// Ties the two halves of a rename together (0 is never a cookie).
static COOKIE: AtomicU32 = AtomicU32::new(0);

/// Whether anything is watched at all (callers skip the work of finding
/// an entry's directory when nothing is).
pub fn active() -> bool {
    COUNT.load(Ordering::Relaxed) > 0 || super::fanotify::active()
}

/// What the events are about: a node, the directory entry it was reached
/// by when known (watchers of that directory hear about it too, by name),
/// whether it is a directory, and the path of the open file the events
/// come from, when they do (fanotify reports only those: its reader gets
/// the file opened again).
#[derive(Clone, Copy)]
pub struct Subject<'a> {
    pub node: NodeRef,
    pub entry: Option<(NodeRef, &'a [u8])>,
    pub is_dir: bool,
    pub path: Option<&'a [u8]>,
}

/// Events that a watched directory also hears about its entries.
const ON_CHILD: WatchEvents = WatchEvents(
    WatchEvents::ACCESSED.0
        | WatchEvents::MODIFIED.0
        | WatchEvents::ATTRIBUTES.0
        | WatchEvents::CLOSED_WRITABLE.0
        | WatchEvents::CLOSED_READ_ONLY.0
        | WatchEvents::OPENED.0,
);

/// Delivers `events` to the watches on `node` that asked for them. A
/// one-shot watch ends after its event (IGNORED follows).
fn deliver(node: NodeRef, events: WatchEvents, is_dir: bool, name: Option<&[u8]>, cookie: u32) {
    let mut reached: Vec<(Arc<WatchQueue>, i32, bool)> = Vec::new();
    {
        let mut map = WATCHES.lock();
        let Some(list) = map.get_mut(&node) else { return };
        for w in list.iter() {
            if !w.events.intersects(events) {
                continue;
            }
            if let Some(q) = w.queue.upgrade() {
                reached.push((q, w.id, w.one_shot));
            }
        }
        let before = list.len();
        list.retain(|w| {
            !(w.one_shot && reached.iter().any(|(q, id, _)| *id == w.id && w.queue.as_ptr() == Arc::as_ptr(q)))
        });
        let gone = before - list.len();
        if list.is_empty() {
            map.remove(&node);
        }
        COUNT.fetch_sub(gone, Ordering::Relaxed);
    }
    let reported = if is_dir { events | WatchEvents::IS_DIR } else { events };
    for (q, id, one_shot) in reached {
        q.push(id, reported, cookie, name);
        if one_shot {
            q.push(id, WatchEvents::IGNORED, 0, None);
        }
    }
}

/// Ends every watch on `node`, each with IGNORED (after `first`, if given).
fn end_watches(node: NodeRef, first: Option<WatchEvents>) {
    let ended: Vec<Watch> = WATCHES.lock().remove(&node).unwrap_or_default();
    COUNT.fetch_sub(ended.len(), Ordering::Relaxed);
    for w in ended {
        if let Some(q) = w.queue.upgrade() {
            if let Some(e) = first {
                q.push(w.id, e, 0, None);
            }
            q.push(w.id, WatchEvents::IGNORED, 0, None);
        }
    }
}

/// Reports `events` about `subject`: to its directory's watches by name
/// first, then to its own, as Linux orders them; then to fanotify's groups
/// (Linux too calls inotify before fanotify).
fn report(subject: Subject<'_>, events: WatchEvents) {
    if !active() {
        return;
    }
    report_to_watches(subject, events);
    super::fanotify::heard(&subject, events);
}

fn report_to_watches(subject: Subject<'_>, events: WatchEvents) {
    if let Some((dir, name)) = subject.entry {
        if events.intersects(ON_CHILD) {
            deliver(dir, events.intersection(ON_CHILD), subject.is_dir, Some(name), 0);
        }
    }
    deliver(subject.node, events, subject.is_dir, None, 0);
}

/// An entry `name` appeared in `dir` (create, mkdir, mknod, symlink).
pub fn created(dir: NodeRef, name: &[u8], is_dir: bool) {
    if active() {
        deliver(dir, WatchEvents::CREATED, is_dir, Some(name), 0);
    }
}

/// A new name `name` in `dir` for the existing `node` (link): its link
/// count changed, then the entry appeared.
pub fn linked(node: NodeRef, dir: NodeRef, name: &[u8]) {
    report(Subject { node, entry: None, is_dir: false, path: None }, WatchEvents::ATTRIBUTES);
    created(dir, name, false);
}

/// The entry `name` in `dir` for `subject.node` is gone (unlink, rmdir).
/// `last_name`: the node has no name left, so its watches end. A file's
/// link count changed first; a directory has no such event.
pub fn removed(dir: NodeRef, name: &[u8], node: NodeRef, is_dir: bool, last_name: bool) {
    if !active() {
        return;
    }
    if !is_dir {
        deliver(node, WatchEvents::ATTRIBUTES, false, None, 0);
    }
    if last_name {
        deleted(node);
    }
    deliver(dir, WatchEvents::DELETED, is_dir, Some(name), 0);
}

/// A node lost its last name: DELETED_SELF, then its watches end. (Linux
/// marks neither this nor MOVED_SELF with IS_DIR, even for a directory.)
fn deleted(node: NodeRef) {
    deliver(node, WatchEvents::DELETED_SELF, false, None, 0);
    end_watches(node, None);
}

/// What a rename replaced: the node that had the new name, whether it was
/// a directory, and whether that was its last name.
pub struct Replaced {
    pub node: NodeRef,
    pub is_dir: bool,
    pub last_name: bool,
}

/// `from_name` in `from` is now `to_name` in `to` (rename).
pub fn moved(
    from: NodeRef,
    from_name: &[u8],
    to: NodeRef,
    to_name: &[u8],
    node: NodeRef,
    is_dir: bool,
    replaced: Option<Replaced>,
) {
    if !active() {
        return;
    }
    let cookie = COOKIE.fetch_add(1, Ordering::Relaxed).wrapping_add(1).max(1);
    deliver(from, WatchEvents::MOVED_FROM, is_dir, Some(from_name), cookie);
    deliver(to, WatchEvents::MOVED_TO, is_dir, Some(to_name), cookie);
    if let Some(r) = &replaced {
        if !r.is_dir {
            deliver(r.node, WatchEvents::ATTRIBUTES, false, None, 0);
        }
    }
    deliver(node, WatchEvents::MOVED_SELF, false, None, 0);
    if let Some(r) = replaced {
        if r.last_name {
            deleted(r.node);
        }
    }
}

/// The node's data changed (write, truncate).
pub fn modified(subject: Subject<'_>) {
    report(subject, WatchEvents::MODIFIED);
}

/// The node's attributes changed (mode, owner, both times).
pub fn attributes_changed(subject: Subject<'_>) {
    report(subject, WatchEvents::ATTRIBUTES);
}

/// The node's data was read (read, getdents, or a lone atime change).
pub fn accessed(subject: Subject<'_>) {
    report(subject, WatchEvents::ACCESSED);
}

pub fn opened(subject: Subject<'_>) {
    report(subject, WatchEvents::OPENED);
}

/// An open file was let go of for good (its last descriptor closed).
pub fn closed(subject: Subject<'_>, writable: bool) {
    report(subject, if writable { WatchEvents::CLOSED_WRITABLE } else { WatchEvents::CLOSED_READ_ONLY });
}

/// A file system went away: watches on its nodes end with UNMOUNTED.
pub fn unmounted(fs: vfs::FsId) {
    if !active() {
        return;
    }
    let nodes: Vec<NodeRef> = WATCHES.lock().keys().filter(|n| n.fs == fs).copied().collect();
    for node in nodes {
        end_watches(node, Some(WatchEvents::UNMOUNTED));
    }
}

/// Adds a watch on `node` for `queue`, or changes the one it has there;
/// returns its descriptor.
pub fn add(queue: &Arc<WatchQueue>, node: NodeRef, events: WatchEvents, options: WatchOptions) -> KResult<i32> {
    let mut map = WATCHES.lock();
    let existing = map.get_mut(&node).and_then(|list| list.iter_mut().find(|w| w.queue.as_ptr() == Arc::as_ptr(queue)));
    if let Some(w) = existing {
        if options.must_be_new {
            return Err(Error::Exists);
        }
        w.events = if options.add_to_existing { w.events | events } else { events };
        w.one_shot = options.one_shot;
        return Ok(w.id);
    }
    if COUNT.load(Ordering::Relaxed) >= MAX_WATCHES {
        return Err(Error::NoSpace);
    }
    let id = queue.next_watch().ok_or(Error::NoSpace)?;
    let list = map.entry(node).or_default();
    list.try_reserve(1).map_err(|_| Error::NoMemory)?;
    list.push(Watch { queue: Arc::downgrade(queue), id, events, one_shot: options.one_shot });
    COUNT.fetch_add(1, Ordering::Relaxed);
    Ok(id)
}

/// Removes `queue`'s watch `id`; its IGNORED event is queued.
pub fn remove(queue: &Arc<WatchQueue>, id: i32) -> KResult<()> {
    let found = {
        let mut map = WATCHES.lock();
        let mut found = false;
        map.retain(|_, list| {
            let before = list.len();
            list.retain(|w| !(w.id == id && w.queue.as_ptr() == Arc::as_ptr(queue)));
            found |= list.len() != before;
            !list.is_empty()
        });
        found
    };
    if !found {
        return Err(Error::InvalidArgument);
    }
    COUNT.fetch_sub(1, Ordering::Relaxed);
    queue.push(id, WatchEvents::IGNORED, 0, None);
    Ok(())
}

/// A queue is gone: so are its watches.
pub fn queue_closed(queue: *const WatchQueue) {
    let mut map = WATCHES.lock();
    let mut gone = 0;
    map.retain(|_, list| {
        let before = list.len();
        list.retain(|w| w.queue.as_ptr() != queue && w.queue.strong_count() > 0);
        gone += before - list.len();
        !list.is_empty()
    });
    COUNT.fetch_sub(gone, Ordering::Relaxed);
}
