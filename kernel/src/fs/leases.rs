//! File leases (fcntl F_SETLEASE/F_GETLEASE), as Linux keeps them.
//!
//! A lease belongs to an open file description and is on the file's node.
//! A read lease can be taken only while nobody has the file open for
//! writing; a write lease only when the taker's own open is the file's
//! only one. Another open that conflicts (any open against a write lease,
//! an open for writing against a read lease) breaks it: the holder's
//! process gets SIGIO, and the opener waits until the holder lets go or
//! downgrades, or until the lease-break time has passed, when the lease is
//! taken away; with O_NONBLOCK the open fails with EWOULDBLOCK instead
//! (the holder is still told). Opens are counted per node here, because
//! the rules need "who else has it open for writing".
//!
//! truncate(2) breaks leases as an open for writing does. Not done:
//! F_SETSIG does not pick the signal (always SIGIO), and the break time is
//! fixed (Linux's default of /proc/sys/fs/lease-break-time).

use super::OpenFile;
use crate::sched::{WaitError, WaitQueue};
use crate::sync::SpinLock;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use kernel_ops::{Error, KResult, LeaseKind, Signal};
use vfs::NodeRef;

/// Linux's default /proc/sys/fs/lease-break-time: 45 seconds.
const BREAK_TIME_NS: u64 = 45_000_000_000;

type Key = (u32, u64);

fn key(node: NodeRef) -> Key {
    (node.fs.0, node.ino)
}

struct Lease {
    key: Key,
    /// The open file description holding it (its address).
    holder: usize,
    kind: LeaseKind,
    /// Who is told when it must go: the process that set it.
    owner: u32,
    /// Being broken: what the holder must come down to (None: let go).
    breaking_to: Option<Option<LeaseKind>>,
}

#[derive(Default, Clone, Copy)]
struct Opens {
    readers: u32,
    writers: u32,
}

struct State {
    opens: BTreeMap<Key, Opens>,
    leases: Vec<Lease>,
}

static STATE: SpinLock<State> = SpinLock::new(State { opens: BTreeMap::new(), leases: Vec::new() });
/// Openers waiting for a lease to be let go of.
static CHANGED: WaitQueue = WaitQueue::new();

fn holder_of(file: &OpenFile) -> usize {
    file as *const OpenFile as usize
}

/// An open of `node` (not O_PATH) came to exist.
pub fn opened(node: NodeRef, read: bool, write: bool) {
    let mut s = STATE.lock();
    let o = s.opens.entry(key(node)).or_default();
    o.readers += u32::from(read && !write);
    o.writers += u32::from(write);
}

/// How many open files of `node` may write to it.
pub fn writers(node: NodeRef) -> u32 {
    STATE.lock().opens.get(&key(node)).map_or(0, |o| o.writers)
}

/// The open file `file` of `node` is gone: its count and its lease.
pub fn closed(file: &OpenFile, node: NodeRef) {
    let mut s = STATE.lock();
    let k = key(node);
    if !file.opened.path_only {
        if let Some(o) = s.opens.get_mut(&k) {
            o.readers -= u32::from(file.opened.read && !file.opened.write).min(o.readers);
            o.writers -= u32::from(file.opened.write).min(o.writers);
            if o.readers == 0 && o.writers == 0 {
                s.opens.remove(&k);
            }
        }
    }
    let holder = holder_of(file);
    let before = s.leases.len();
    s.leases.retain(|l| l.holder != holder);
    if s.leases.len() != before {
        drop(s);
        CHANGED.wake_all();
    }
}

/// F_GETLEASE: the lease `file` holds (while one is being broken, what it
/// is to become, as Linux reports).
pub fn get(file: &OpenFile) -> Option<LeaseKind> {
    let s = STATE.lock();
    let l = s.leases.iter().find(|l| l.holder == holder_of(file))?;
    match l.breaking_to {
        Some(target) => target,
        None => Some(l.kind),
    }
}

/// F_SETLEASE on a regular file's open `file` by process `pid` (None:
/// F_UNLCK). The caller has checked the kind of file and ownership.
pub fn set(file: &OpenFile, node: NodeRef, kind: Option<LeaseKind>, pid: u32) -> KResult<()> {
    let holder = holder_of(file);
    let k = key(node);
    let mut s = STATE.lock();
    let Some(kind) = kind else {
        s.leases.retain(|l| l.holder != holder);
        drop(s);
        CHANGED.wake_all();
        return Ok(());
    };
    let opens = s.opens.get(&k).copied().unwrap_or_default();
    let conflict = match kind {
        LeaseKind::Read => opens.writers > 0,
        LeaseKind::Write => {
            let (own_r, own_w) = (u32::from(file.opened.read && !file.opened.write), u32::from(file.opened.write));
            opens.writers != own_w || opens.readers != own_r
        }
    };
    // Another description's lease of the other kind conflicts too.
    let others = s
        .leases
        .iter()
        .any(|l| l.key == k && l.holder != holder && (kind == LeaseKind::Write || l.kind == LeaseKind::Write));
    if conflict || others {
        return Err(Error::WouldBlock);
    }
    match s.leases.iter_mut().find(|l| l.holder == holder) {
        Some(l) => {
            l.kind = kind;
            // Coming down to what the breaker needs ends the break.
            if l.breaking_to == Some(Some(kind)) {
                l.breaking_to = None;
            }
        }
        None => s.leases.push(Lease { key: k, holder, kind, owner: pid, breaking_to: None }),
    }
    drop(s);
    CHANGED.wake_all();
    Ok(())
}

/// Leases on `node` that an open (for writing when `write`) by someone
/// other than their holders conflicts with: what each must become.
fn conflicting(s: &State, k: Key, write: bool, opener: Option<usize>) -> Vec<(usize, Option<LeaseKind>, u32)> {
    s.leases
        .iter()
        .filter(|l| l.key == k && Some(l.holder) != opener)
        .filter(|l| write || l.kind == LeaseKind::Write)
        .map(|l| (l.holder, if write { None } else { Some(LeaseKind::Read) }, l.owner))
        .collect()
}

/// Before an open of `node` (for writing when `write`) goes through:
/// breaks the leases it conflicts with. `non_blocking` fails at once with
/// `WouldBlock` (the holders are still told); otherwise waits until they
/// have let go, or takes the leases away after the break time.
pub fn break_for_open(node: NodeRef, write: bool, non_blocking: bool) -> KResult<()> {
    let k = key(node);
    let to_tell: Vec<u32> = {
        let mut s = STATE.lock();
        let found = conflicting(&s, k, write, None);
        if found.is_empty() {
            return Ok(());
        }
        let mut tell = Vec::new();
        for (holder, target, owner) in found {
            if let Some(l) = s.leases.iter_mut().find(|l| l.holder == holder) {
                if l.breaking_to.is_none() {
                    l.breaking_to = Some(target);
                    tell.push(owner);
                }
            }
        }
        tell
    };
    for pid in to_tell {
        if let Some(p) = crate::task::process::find(pid) {
            crate::task::signal::send_to_process(&p, Signal::IO, kernel_ops::SignalCause::Kernel);
        }
    }
    if non_blocking {
        return Err(Error::WouldBlock);
    }
    let deadline = crate::time::now_ns().saturating_add(BREAK_TIME_NS);
    let waited = CHANGED.wait_until(true, Some(deadline), || conflicting(&STATE.lock(), k, write, None).is_empty());
    match waited {
        Ok(()) => Ok(()),
        Err(WaitError::Interrupted) => Err(Error::Restart),
        Err(_) => {
            // The break time passed: the leases are taken away (a write
            // lease broken by a reader is only made a read lease).
            let mut s = STATE.lock();
            let late: Vec<usize> = conflicting(&s, k, write, None).into_iter().map(|(h, _, _)| h).collect();
            if write {
                s.leases.retain(|l| !late.contains(&l.holder));
            } else {
                for l in s.leases.iter_mut().filter(|l| late.contains(&l.holder)) {
                    l.kind = LeaseKind::Read;
                    l.breaking_to = None;
                }
            }
            Ok(())
        }
    }
}
