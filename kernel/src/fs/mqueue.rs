//! POSIX message queues: a machine-wide set of named queues (Linux's
//! mqueue file system, without the mount), each opened as a descriptor
//! that polls readable while it holds messages and writable while it has
//! room, and reads as Linux's status line. The rules are
//! `sysv_ipc::mqueue`'s; this file keeps the names, waits and notifies.

use super::file::PollState;
use crate::sched::{WaitError, WaitQueue};
use crate::sync::{Mutex, Rank};
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::sysv_ipc::mqueue::{self, MessageQueue, MqLimits, Notify};
use kernel_ops::sysv_ipc::Caller;
use kernel_ops::{Error, KResult, Signal, SignalCause};

pub struct Mq {
    state: Mutex<MessageQueue>,
    /// Messages now and the most it holds: what poll reads without the
    /// sleeping lock.
    count: AtomicU64,
    capacity: u64,
    generation: AtomicU64,
    changed: WaitQueue,
    /// Its pollers (poll, select, epoll), woken with the queue above.
    pub pollers: crate::sched::PollQueue,
}

impl Drop for Mq {
    fn drop(&mut self) {
        QUEUES.fetch_sub(1, Ordering::Relaxed);
    }
}

struct Registry {
    names: BTreeMap<Vec<u8>, Arc<Mq>>,
    limits: MqLimits,
}

static REGISTRY: Mutex<Registry> =
    Mutex::ranked(Rank::MqRegistry, Registry { names: BTreeMap::new(), limits: MqLimits::new() });
/// Queues that exist, named or not (queues_max counts both, as Linux's).
static QUEUES: AtomicU64 = AtomicU64::new(0);

/// Opens (or with `create`, makes) the queue `name`; `want` is 4 to
/// receive, 2 to send.
pub fn open(
    caller: &Caller,
    name: &[u8],
    create: bool,
    exclusive: bool,
    want: u32,
    mode: u32,
    attr: Option<(i64, i64)>,
) -> KResult<Arc<Mq>> {
    mqueue::check_name(name)?;
    let mut r = REGISTRY.lock();
    if let Some(q) = r.names.get(name) {
        if create && exclusive {
            return Err(Error::Exists);
        }
        if !q.state.lock().allows(caller, want) {
            return Err(Error::PermissionDenied);
        }
        return Ok(q.clone());
    }
    if !create {
        return Err(Error::NotFound);
    }
    if QUEUES.load(Ordering::Relaxed) >= r.limits.queues_max && !caller.sys_resource {
        return Err(Error::NoSpace);
    }
    let (maxmsg, msgsize) = mqueue::attributes(attr, &r.limits, caller.sys_resource)?;
    let mut key = Vec::new();
    key.try_reserve_exact(name.len()).map_err(|_| Error::NoMemory)?;
    key.extend_from_slice(name);
    QUEUES.fetch_add(1, Ordering::Relaxed);
    let q = Arc::new(Mq {
        state: Mutex::ranked(Rank::MqQueue, MessageQueue::new(maxmsg, msgsize, mode, caller)),
        count: AtomicU64::new(0),
        capacity: maxmsg as u64,
        generation: AtomicU64::new(0),
        changed: WaitQueue::new(),
        pollers: crate::sched::PollQueue::new(),
    });
    r.names.insert(key, q.clone());
    Ok(q)
}

/// mq_unlink: the name goes; open descriptors keep the queue. The
/// directory is sticky (1777), so only the owner or root may.
pub fn unlink(caller: &Caller, name: &[u8]) -> KResult<()> {
    mqueue::check_name(name)?;
    let mut r = REGISTRY.lock();
    let q = r.names.get(name).ok_or(Error::NotFound)?;
    if caller.uid != q.state.lock().uid && !caller.sys_admin {
        return Err(Error::NotPermitted);
    }
    r.names.remove(name);
    Ok(())
}

pub fn limits() -> MqLimits {
    REGISTRY.lock().limits
}

pub fn set_limits(f: impl FnOnce(&mut MqLimits)) {
    f(&mut REGISTRY.lock().limits)
}

impl Mq {
    fn changed(&self, count: usize) {
        self.count.store(count as u64, Ordering::Release);
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.changed.wake_all();
        self.pollers.wake();
    }

    /// Waits for a change after `generation`; `deadline` is monotonic.
    fn wait(&self, generation: u64, deadline: Option<u64>) -> KResult<()> {
        self.changed.wait_until(true, deadline, || self.generation.load(Ordering::Acquire) != generation).map_err(|e| {
            match e {
                WaitError::Interrupted => Error::Interrupted,
                WaitError::TimedOut => Error::TimedOut,
            }
        })
    }

    pub fn send(
        &self,
        caller: &Caller,
        data: &[u8],
        prio: u32,
        non_blocking: bool,
        deadline: Option<u64>,
    ) -> KResult<()> {
        loop {
            let mut s = self.state.lock();
            if data.len() as i64 > s.msgsize {
                return Err(Error::MessageSize);
            }
            if s.is_empty() {
                self.forget_gone_registrant(&mut s);
            }
            match s.send(prio, data, caller) {
                Ok(fired) => {
                    let n = s.len();
                    drop(s);
                    self.changed(n);
                    if let Some(f) = fired {
                        notify(f);
                    }
                    return Ok(());
                }
                Err(kernel_ops::sysv_ipc::Error::WouldBlock) if !non_blocking => {
                    let g = self.generation.load(Ordering::Acquire);
                    drop(s);
                    self.wait(g, deadline)?;
                }
                Err(kernel_ops::sysv_ipc::Error::WouldBlock) => return Err(Error::WouldBlock),
                Err(e) => return Err(e.into()),
            }
        }
    }

    pub fn receive(&self, max: usize, non_blocking: bool, deadline: Option<u64>) -> KResult<(u32, Vec<u8>)> {
        loop {
            let mut s = self.state.lock();
            if (max as i64) < s.msgsize {
                return Err(Error::MessageSize);
            }
            match s.receive() {
                Ok(m) => {
                    let n = s.len();
                    drop(s);
                    self.changed(n);
                    return Ok(m);
                }
                Err(_) if non_blocking => return Err(Error::WouldBlock),
                Err(_) => {
                    let g = self.generation.load(Ordering::Acquire);
                    s.receivers_waiting += 1;
                    drop(s);
                    let r = self.wait(g, deadline);
                    self.state.lock().receivers_waiting -= 1;
                    r?;
                }
            }
        }
    }

    pub fn set_notify(&self, pid: u32, n: Option<Notify>) -> KResult<()> {
        let mut s = self.state.lock();
        self.forget_gone_registrant(&mut s);
        Ok(s.set_notify(pid, n)?)
    }

    /// Linux drops a registration when its process closes the queue
    /// (which exit does). Checked when it matters, here: a registrant that
    /// no longer holds a descriptor of this queue (or no longer exists)
    /// is forgotten.
    fn forget_gone_registrant(&self, s: &mut MessageQueue) {
        let Some(pid) = s.registration.as_ref().map(|r| r.pid) else { return };
        let holds = crate::task::process::find(pid).filter(|p| !p.is_zombie()).is_some_and(|p| {
            let files = p.files();
            let table = files.lock();
            table.open_between(0, u32::MAX).into_iter().any(|fd| table.get(fd as i32).is_some_and(|e| matches!(&e.file.object, super::FileObject::MessageQueue(q) if core::ptr::eq(Arc::as_ptr(q), self))))
        });
        if !holds {
            s.registration = None;
        }
    }

    /// (maxmsg, msgsize, messages now).
    pub fn attributes(&self) -> (i64, i64, i64) {
        let s = self.state.lock();
        (s.maxmsg, s.msgsize, s.len() as i64)
    }

    /// read(2): the status line from the file position (which advances),
    /// or pread(2) from `at`.
    pub fn read(&self, position: &Mutex<u64>, at: Option<u64>, buf: &mut [u8]) -> KResult<usize> {
        let text = self.state.lock().status_line();
        if let Some(at) = at {
            return Ok(super::generated_tree::read_at(text.as_bytes(), at, buf));
        }
        let mut pos = position.lock();
        let n = super::generated_tree::read_at(text.as_bytes(), *pos, buf);
        *pos += n as u64;
        Ok(n)
    }

    pub fn poll(&self) -> PollState {
        let n = self.count.load(Ordering::Acquire);
        PollState { readable: n > 0, writable: n < self.capacity, ..PollState::default() }
    }
}

/// A message reached an empty queue someone asked to hear of.
fn notify(f: mqueue::Fired) {
    let (Some(p), Some(sig)) = (crate::task::process::find(f.pid), Signal::new(f.signo)) else { return };
    crate::task::signal::send_to_process(
        &p,
        sig,
        SignalCause::MessageQueue { pid: f.sender, uid: f.sender_uid, value: f.value },
    );
}

/// /proc/sys/fs/mqueue: the limits as text, and root's writes (Linux's
/// ranges: msg_max 1..=65536, msgsize_max 128..=16 MiB).
pub mod tunables {
    use alloc::string::String;
    use kernel_ops::sysv_ipc::mqueue::MqLimits;

    fn number(text: &[u8], min: i64, max: i64) -> Result<i64, vfs::Error> {
        let v: i64 =
            core::str::from_utf8(text).ok().and_then(|t| t.trim().parse().ok()).ok_or(vfs::Error::InvalidArgument)?;
        if (min..=max).contains(&v) {
            Ok(v)
        } else {
            Err(vfs::Error::InvalidArgument)
        }
    }

    macro_rules! tunable {
        ($get:ident, $set:ident, $field:ident, $min:expr, $max:expr) => {
            pub fn $get() -> String {
                alloc::format!("{}\n", super::limits().$field)
            }
            pub fn $set(text: &[u8]) -> Result<(), vfs::Error> {
                let v = number(text, $min, $max)?;
                super::set_limits(|l: &mut MqLimits| l.$field = v as _);
                Ok(())
            }
        };
    }

    tunable!(msg_max, set_msg_max, msg_max, 1, 65536);
    tunable!(msgsize_max, set_msgsize_max, msgsize_max, 128, 16 << 20);
    tunable!(queues_max, set_queues_max, queues_max, 0, i32::MAX as i64);
    tunable!(msg_default, set_msg_default, msg_default, 1, 65536);
    tunable!(msgsize_default, set_msgsize_default, msgsize_default, 128, 16 << 20);
}
