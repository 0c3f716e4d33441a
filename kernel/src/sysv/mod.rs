//! System V IPC: the machine's one namespace of shared-memory segments,
//! semaphore sets and message queues (Linux has one per IPC namespace;
//! Helctic has one). The rules are `sysv_ipc`'s; this module keeps the
//! namespace behind a sleeping lock, makes callers wait for changes, maps
//! segments, and applies SEM_UNDO when a process exits.
//!
//! (Not to be confused with `crate::ipc`, the native capability IPC.)
//!
//! Waiting: every change that could let a waiter proceed bumps
//! `GENERATION` and wakes `CHANGED`; a waiter reads the generation under
//! the namespace lock when its attempt fails, sleeps until it moves, and
//! tries again from the start, so it completes whole or not at all.

pub mod tunables;

use crate::mm::sysv_shm::{ShmAttach, ShmMeta};
use crate::mm::{Backing, SharedPages, Vma};
use crate::sched::{WaitError, WaitQueue};
use crate::sync::{Mutex, MutexGuard, Rank};
use crate::task::process::Process;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::sysv_ipc::namespace::{Answer, Command};
use kernel_ops::sysv_ipc::sem::SemOp;
use kernel_ops::sysv_ipc::shm::{self, SegmentMemory, Usage};
use kernel_ops::sysv_ipc::{self as ipc, Caller, Kind, Namespace};
use kernel_ops::{Error, KResult, Protection};

const PAGE: u64 = 4096;

/// A segment's memory: its pages and the counts its mappings keep.
pub struct Segment {
    pages: Arc<SharedPages>,
    meta: Arc<ShmMeta>,
}

impl SegmentMemory for Segment {
    fn usage(&self) -> Usage {
        let (attached, atime, dtime, lpid) = self.meta.usage();
        Usage { attached, atime, dtime, lpid, resident_pages: self.pages.resident() }
    }
}

static NAMESPACE: Mutex<Namespace<Segment>> = Mutex::ranked(Rank::SysvNamespace, Namespace::new());
static GENERATION: AtomicU64 = AtomicU64::new(0);
static CHANGED: WaitQueue = WaitQueue::new();

/// The namespace, after removing the segments nothing maps any more that
/// were marked for removal (their last detach happened under an
/// address-space lock, where the namespace cannot be taken).
fn namespace() -> MutexGuard<'static, Namespace<Segment>> {
    let mut ns = NAMESPACE.lock();
    drop(ns.sweep());
    ns
}

/// Something changed that a waiter may be waiting for.
fn changed() {
    GENERATION.fetch_add(1, Ordering::AcqRel);
    CHANGED.wake_all();
}

/// Who the calling process is to the IPC rules: its effective ids and the
/// privileges Linux consults (IPC_OWNER to pass the mode, SYS_ADMIN to
/// change another's object, SYS_RESOURCE past the limits, IPC_LOCK).
pub fn caller(p: &Process) -> Caller {
    use kernel_ops::Privilege as P;
    let c = *p.creds.lock();
    let now = (crate::time::realtime_ns() / 1_000_000_000) as i64;
    let mut caller = Caller::new(p.pid, c.euid, c.egid, p.groups().to_vec(), false, now);
    caller.ipc_owner = c.has(P::IpcOwner);
    caller.sys_admin = c.has(P::SysAdmin);
    caller.sys_resource = c.has(P::SysResource);
    caller.ipc_lock = c.has(P::IpcLock);
    caller
}

pub fn get(caller: &Caller, kind: Kind, key: i32, flags: u32, size: u64) -> KResult<i32> {
    let make = |size: u64| Some(Segment { pages: SharedPages::new(), meta: ShmMeta::new(key, size) });
    let mut ns = namespace();
    let id = ns.get(kind, key, flags, size, caller, make)?;
    if kind == Kind::Shm {
        if let Ok(e) = ns.shm.get(id) {
            e.object.memory.meta.id.store(id, Ordering::Relaxed);
        }
    }
    Ok(id)
}

pub fn control(caller: &Caller, kind: Kind, id: i32, cmd: Command) -> KResult<Answer> {
    let wakes = matches!(cmd, Command::Remove | Command::Set { .. } | Command::SetVal(..) | Command::SetAll(_));
    let mut ns = namespace();
    let answer = ns.control(kind, id, cmd, caller);
    let freed = ns.sweep();
    drop(ns);
    drop(freed);
    if answer.is_ok() && wakes {
        changed();
    }
    Ok(answer?)
}

/// Tries `attempt` until it is done, waiting for a change between tries.
/// An object that disappears while we wait is EIDRM. `cancel` undoes what
/// a failed attempt left behind (the semaphore waiter record).
fn wait_for(
    deadline: Option<u64>,
    mut attempt: impl FnMut(&mut Namespace<Segment>) -> ipc::Result<bool>,
    cancel: impl FnOnce(&mut Namespace<Segment>),
) -> KResult<()> {
    let mut waited = false;
    loop {
        let generation = {
            let mut ns = namespace();
            match attempt(&mut ns) {
                Ok(change) => {
                    drop(ns);
                    if change {
                        changed();
                    }
                    return Ok(());
                }
                Err(ipc::Error::WouldBlock) => GENERATION.load(Ordering::Acquire),
                Err(ipc::Error::Invalid) if waited => return Err(Error::IdentifierRemoved),
                Err(e) => return Err(e.into()),
            }
        };
        let result = CHANGED.wait_until(true, deadline, || GENERATION.load(Ordering::Acquire) != generation);
        waited = true;
        match result {
            Ok(()) => {}
            Err(e) => {
                cancel(&mut namespace());
                return Err(match e {
                    WaitError::Interrupted => Error::Interrupted,
                    WaitError::TimedOut => Error::TimedOut,
                });
            }
        }
    }
}

pub fn semop(caller: &Caller, tid: u32, id: i32, ops: &[SemOp], deadline: Option<u64>) -> KResult<()> {
    let token = u64::from(tid);
    wait_for(deadline, |ns| ns.semop(id, ops, caller, token), |ns| ns.sem_stop_waiting(id, token))
}

pub fn msg_send(caller: &Caller, id: i32, mtype: i64, text: &[u8], flags: u32) -> KResult<()> {
    let nowait = flags & ipc::IPC_NOWAIT != 0;
    wait_for(None, |ns| ns.msg_send(id, mtype, text, nowait, caller).map(|_| true), |_| {})
}

pub fn msg_receive(caller: &Caller, id: i32, max: usize, msgtyp: i64, flags: u32) -> KResult<(i64, Vec<u8>)> {
    let mut got = None;
    wait_for(
        None,
        |ns| {
            let m = ns.msg_receive(id, max, msgtyp, flags, caller)?;
            got = Some((m.mtype, m.text));
            Ok(flags & ipc::msg::MSG_COPY == 0)
        },
        |_| {},
    )?;
    got.ok_or(Error::InvalidArgument)
}

/// shmat: maps segment `id` into `p` at `addr` (0: where there is room).
pub fn shm_attach(caller: &Caller, p: &Process, id: i32, addr: u64, flags: u32) -> KResult<u64> {
    let at = shm::attach_address(addr, flags)?;
    let (pages, meta, size) = {
        let ns = &mut namespace();
        let (seg, size, _) = ns.shm_attach(id, flags, caller)?;
        (seg.pages.clone(), seg.meta.clone(), size)
    };
    let len = size.div_ceil(PAGE) * PAGE;
    let read_only = flags & shm::SHM_RDONLY != 0;
    let prot = Protection { read: true, write: !read_only, execute: flags & shm::SHM_EXEC != 0 };
    let mm = p.mm();
    let mut a = mm.lock();
    let start = match at {
        Some(start) => {
            let end = start.checked_add(len).ok_or(Error::InvalidArgument)?;
            if start < crate::mm::USER_MIN || end > crate::arch::layout::USER_END {
                return Err(Error::InvalidArgument);
            }
            if !a.is_free(start, end) {
                if flags & shm::SHM_REMAP == 0 {
                    return Err(Error::InvalidArgument);
                }
                a.unmap(start, end);
            }
            start
        }
        None => a.find_free(len).ok_or(Error::NoMemory)?,
    };
    let backing = Backing::SysvShm(ShmAttach::new(pages, meta, !read_only));
    a.insert(start, Vma { end: start + len, prot, backing, pgoff: 0, is_stack: false, grows_down: false });
    Ok(start)
}

/// shmdt: unmaps the attachment that starts at `addr`: every region of
/// the same segment that lies where that attachment put it.
pub fn shm_detach(p: &Process, addr: u64) -> KResult<()> {
    if !addr.is_multiple_of(PAGE) {
        return Err(Error::InvalidArgument);
    }
    let mm = p.mm();
    let mut a = mm.lock();
    let meta = match a.regions().find(|(s, _)| *s == addr) {
        Some((_, Vma { backing: Backing::SysvShm(s), pgoff: 0, .. })) => s.meta.clone(),
        _ => return Err(Error::InvalidArgument),
    };
    let end = addr.saturating_add(meta.size.div_ceil(PAGE) * PAGE);
    let ours: Vec<(u64, u64)> = a
        .regions()
        .filter(|(s, v)| {
            *s >= addr
                && *s < end
                && matches!(&v.backing, Backing::SysvShm(x) if Arc::ptr_eq(&x.meta, &meta))
                && *s - addr == v.pgoff * PAGE
        })
        .map(|(s, v)| (s, v.end))
        .collect();
    for (s, e) in ours {
        a.unmap(s, e);
    }
    drop(a);
    drop(namespace());
    Ok(())
}

/// A process ended: its SEM_UNDO adjustments are applied (and, with
/// shm_rmid_forced, its segments go once unmapped). Its memory is already
/// gone, so the sweep frees what it was the last to map.
pub fn process_exit(pid: u32) {
    let mut ns = namespace();
    let undone = ns.process_exit(pid);
    let freed = ns.sweep();
    drop(ns);
    drop(freed);
    if undone {
        changed();
    }
}

pub fn proc_shm() -> String {
    ipc::procfs::shm(&namespace())
}

pub fn proc_sem() -> String {
    ipc::procfs::sem(&namespace())
}

pub fn proc_msg() -> String {
    ipc::procfs::msg(&namespace())
}
