//! The key retention service (Linux's keyrings): the machine's one key
//! store behind a sleeping lock. The rules are `keyrings`'; this module
//! says who is asking (ids, privileges, the realtime clock), tells the
//! store when tasks come and go, and serves /proc/sys/kernel/keys.

use crate::sync::{Mutex, MutexGuard, Rank};
use crate::task::process::Process;
use crate::task::thread::Thread;
use core::sync::atomic::{AtomicBool, Ordering};
use kernel_ops::keyrings::{Caller, Reply, Request, Store, Tunable};
use kernel_ops::{KResult, Privilege};

static STORE: Mutex<Store> = Mutex::ranked(Rank::KeyStore, Store::new());
static SEEDED: AtomicBool = AtomicBool::new(false);

/// The store, its serial numbers seeded from the kernel's entropy on
/// first use (Linux's serials are random too).
fn store() -> MutexGuard<'static, Store> {
    let mut s = STORE.lock();
    if !SEEDED.swap(true, Ordering::AcqRel) {
        let mut seed = [0u8; 8];
        crate::random::fill(&mut seed);
        s.seed(u64::from_le_bytes(seed));
    }
    s
}

fn now() -> u64 {
    crate::time::realtime_ns() / 1_000_000_000
}

/// Who the calling thread is to the key rules.
fn caller(p: &Process, t: &Thread) -> Caller {
    let c = *p.creds.lock();
    Caller {
        pid: p.pid,
        tid: t.tid,
        uid: c.uid,
        gid: c.gid,
        fsuid: c.fsuid,
        fsgid: c.fsgid,
        groups: p.groups().to_vec(),
        sys_admin: c.has(Privilege::SysAdmin),
        now: now(),
        parent: None,
    }
}

/// KEYCTL_SESSION_TO_PARENT may replace the parent's session keyring only
/// when the parent is not init, is single-threaded, and its real,
/// effective and saved ids are all the caller's effective ones (Linux's
/// keyctl_session_to_parent).
fn parent_for_session(p: &Process) -> Option<u32> {
    let parent = p.parent()?;
    if parent.pid <= 1 || parent.threads.lock().len() != 1 {
        return None;
    }
    let (mine, theirs) = (*p.creds.lock(), *parent.creds.lock());
    let same = [theirs.uid, theirs.euid, theirs.suid] == [mine.euid; 3]
        && [theirs.gid, theirs.egid, theirs.sgid] == [mine.egid; 3];
    same.then_some(parent.pid)
}

/// add_key, request_key or keyctl for thread `t` of process `p`.
pub fn execute(p: &Process, t: &Thread, request: Request) -> KResult<Reply> {
    let mut c = caller(p, t);
    if request == Request::SessionToParent {
        c.parent = parent_for_session(p);
    }
    Ok(store().execute(&c, request)?)
}

/// A new thread (`thread`) or process: see `Store::cloned`.
pub fn cloned(parent: &Process, parent_thread: &Thread, child_pid: u32, child_tid: u32, thread: bool) {
    let c = caller(parent, parent_thread);
    store().cloned(&c, child_pid, child_tid, thread);
}

pub fn exec(pid: u32, tid: u32) {
    store().exec(pid, tid, now());
}

pub fn thread_exited(tid: u32) {
    store().thread_exited(tid, now());
}

pub fn process_exited(pid: u32) {
    store().process_exited(pid, now());
}

// ---- /proc/sys/kernel/keys (0644, root's: the VFS refuses other writers) ----

crate::fs::procfs::tunable_files!(|t| store().limits.render(t), |t, text| store().limits.write(t, text);
    maxkeys, set_maxkeys, Tunable::MaxKeys;
    maxbytes, set_maxbytes, Tunable::MaxBytes;
    root_maxkeys, set_root_maxkeys, Tunable::RootMaxKeys;
    root_maxbytes, set_root_maxbytes, Tunable::RootMaxBytes;
    gc_delay, set_gc_delay, Tunable::GcDelay;
    persistent_keyring_expiry, set_persistent_keyring_expiry, Tunable::PersistentKeyringExpiry;
);
