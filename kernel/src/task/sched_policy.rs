//! Scheduling policies, real-time priorities, CPU affinity and I/O
//! priorities of threads (sched_setscheduler, sched_setattr,
//! sched_setaffinity, ioprio_set on Linux): kept per thread, inherited by
//! every thread or process it creates (SCHED_RESET_ON_FORK starts those
//! over), checked with Linux's permission rules and reported.
//!
//! The scheduler acts on the affinity (a thread runs only on CPUs it
//! allows, sched/run_queue.rs); the policies and priorities are kept so
//! that programs which set them, and tools that show them, see what they
//! expect, but every thread is scheduled round-robin alike.

use super::process::{self, Process};
use super::thread::Thread;
use crate::sync::SpinLock;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::{Credentials, Error, IoClass, IoPriority, KResult, PriorityTarget, Resource, SchedPolicy, Scheduling};

/// Deadline threads may take at most this share of the CPU together
/// (Linux's default sched_rt_runtime_us / sched_rt_period_us: 95%).
const DEADLINE_SHARE_PERCENT: u128 = 95;

#[derive(Clone, Copy)]
struct State {
    scheduling: Scheduling,
    io: IoPriority,
}

pub struct ThreadScheduling {
    state: SpinLock<State>,
    /// CPUs the thread may run on, bit n for CPU n: read by the scheduler
    /// at every switch, so an atomic beside the lock.
    allowed_cpus: AtomicU64,
}

impl ThreadScheduling {
    pub const fn new() -> ThreadScheduling {
        ThreadScheduling {
            state: SpinLock::new(State {
                scheduling: Scheduling::NORMAL,
                io: IoPriority { class: IoClass::None, data: 0 },
            }),
            allowed_cpus: AtomicU64::new(u64::MAX),
        }
    }

    /// A new thread or process takes its creator's settings; with
    /// reset-on-fork, a real-time or deadline policy becomes the normal
    /// one and the flag is not passed on (Linux's sched_fork).
    pub fn inherit(&self, creator: &ThreadScheduling) {
        let mut s = *creator.state.lock();
        if s.scheduling.reset_on_fork {
            if s.scheduling.policy.is_realtime() || s.scheduling.policy == SchedPolicy::Deadline {
                s.scheduling = Scheduling::NORMAL;
            }
            s.scheduling.reset_on_fork = false;
        }
        *self.state.lock() = s;
        self.allowed_cpus.store(creator.allowed_cpus(), Ordering::Relaxed);
    }

    /// The CPUs the thread may run on (its affinity), bit n for CPU n.
    pub fn allowed_cpus(&self) -> u64 {
        self.allowed_cpus.load(Ordering::Relaxed)
    }

    /// Keeps the thread to the CPUs in `mask` (a running thread moves at
    /// its next switch).
    pub fn set_allowed_cpus(&self, mask: u64) {
        self.allowed_cpus.store(mask, Ordering::Relaxed);
    }

    pub fn get(&self) -> Scheduling {
        self.state.lock().scheduling
    }

    /// Whether children start over (their nice value too).
    pub fn resets_on_fork(&self) -> bool {
        self.state.lock().scheduling.reset_on_fork
    }
}

/// The one place that says who is privileged for these calls: Linux's
/// CAP_SYS_NICE.
fn is_privileged(creds: &Credentials) -> bool {
    creds.has(kernel_ops::Privilege::SysNice)
}

/// Linux's check_same_owner: the caller's effective uid is the target's
/// real or effective one.
fn same_owner(me: &Credentials, them: &Credentials) -> bool {
    me.euid == them.euid || me.euid == them.uid
}

/// Whether an unprivileged caller may take `target` from `old` to `new`
/// (Linux's __sched_setscheduler for a caller without CAP_SYS_NICE):
/// real-time policies within the target's RLIMIT_RTPRIO, no deadline
/// policy, no leaving SCHED_IDLE beyond RLIMIT_NICE, no dropping
/// reset-on-fork, and only the caller's own threads.
fn may_set_realtime(me: &Credentials, target: &Process, old: &Scheduling, new: &Scheduling) -> KResult<()> {
    if is_privileged(me) {
        return Ok(());
    }
    if new.policy.is_realtime() {
        let rtprio = target.limit(Resource::RealtimePriority).soft;
        if new.policy != old.policy && rtprio == 0 {
            return Err(Error::NotPermitted);
        }
        if new.priority > old.priority && u64::from(new.priority) > rtprio {
            return Err(Error::NotPermitted);
        }
    }
    if new.policy == SchedPolicy::Deadline {
        return Err(Error::NotPermitted);
    }
    if old.policy == SchedPolicy::Idle && new.policy != SchedPolicy::Idle {
        // can_nice: RLIMIT_NICE is a ceiling of 20 - nice.
        let nice = target.nice.load(Ordering::Relaxed);
        if (20 - nice) as u64 > target.limit(Resource::Nice).soft {
            return Err(Error::NotPermitted);
        }
    }
    if old.reset_on_fork && !new.reset_on_fork {
        return Err(Error::NotPermitted);
    }
    if !same_owner(me, &target.creds.lock()) {
        return Err(Error::NotPermitted);
    }
    Ok(())
}

/// The live thread `tid` names (0: `caller`).
fn thread(caller: &Arc<Thread>, tid: u32) -> KResult<Arc<Thread>> {
    if tid == 0 {
        return Ok(caller.clone());
    }
    process::find_thread(tid).ok_or(Error::NoSuchProcess)
}

pub fn scheduling(caller: &Arc<Thread>, tid: u32) -> KResult<Scheduling> {
    Ok(thread(caller, tid)?.settings.scheduling.get())
}

/// A deadline thread's share of the CPU in millionths.
fn deadline_share(s: &Scheduling) -> u128 {
    if s.policy != SchedPolicy::Deadline {
        return 0;
    }
    let period = if s.deadline.period == 0 { s.deadline.deadline } else { s.deadline.period };
    u128::from(s.deadline.runtime) * 1_000_000 / u128::from(period.max(1))
}

pub fn set_scheduling(caller: &Arc<Thread>, tid: u32, new: Scheduling) -> KResult<()> {
    let target = thread(caller, tid)?;
    let me = *caller.process().creds.lock();
    let old = target.settings.scheduling.get();
    may_set_realtime(&me, target.process(), &old, &new)?;
    if new.policy == SchedPolicy::Deadline {
        // Admission control, as Linux's dl_overflow: all deadline threads
        // together within their share of the CPU.
        let others: u128 = process::all()
            .iter()
            .flat_map(|p| p.threads.lock().clone())
            .filter(|t| t.tid != target.tid)
            .map(|t| deadline_share(&t.settings.scheduling.get()))
            .sum();
        if others + deadline_share(&new) > DEADLINE_SHARE_PERCENT * 10_000 {
            return Err(Error::Busy);
        }
    }
    target.settings.scheduling.state.lock().scheduling = new;
    Ok(())
}

/// The online CPUs as a mask.
fn online_mask() -> u64 {
    let cpus = crate::arch::percpu::online_cpus().max(1);
    if cpus >= 64 {
        u64::MAX
    } else {
        (1 << cpus) - 1
    }
}

pub fn cpu_affinity(caller: &Arc<Thread>, tid: u32) -> KResult<u64> {
    Ok(thread(caller, tid)?.settings.scheduling.allowed_cpus() & online_mask())
}

/// Linux's order: the thread (ESRCH), then the right to change it
/// (EPERM), then a mask with no online CPU (EINVAL).
pub fn set_cpu_affinity(caller: &Arc<Thread>, tid: u32, mask: u64) -> KResult<()> {
    let target = thread(caller, tid)?;
    let me = *caller.process().creds.lock();
    if !is_privileged(&me) && !same_owner(&me, &target.process().creds.lock()) {
        return Err(Error::NotPermitted);
    }
    if mask & online_mask() == 0 {
        return Err(Error::InvalidArgument);
    }
    target.settings.scheduling.set_allowed_cpus(mask & online_mask());
    // A thread running where it may no longer run moves at its next
    // switch: the caller at once, another thread by its next tick.
    if Arc::ptr_eq(&target, caller) {
        crate::sched::yield_now();
    }
    Ok(())
}

/// The threads an I/O priority request names: a thread id (0: the
/// caller), every thread of a process group, or of a user's processes.
fn io_targets(caller: &Arc<Thread>, target: PriorityTarget) -> Vec<Arc<Thread>> {
    let threads_of = |p: &Arc<Process>| p.threads.lock().clone();
    match target {
        PriorityTarget::Process(tid) => thread(caller, tid).into_iter().collect(),
        PriorityTarget::ProcessGroup(group) => {
            let group = if group == 0 { caller.process().pgid() } else { group };
            process::all().iter().filter(|p| p.pgid() == group).flat_map(threads_of).collect()
        }
        PriorityTarget::User(uid) => {
            let uid = if uid == 0 { caller.process().creds.lock().uid } else { uid };
            process::all().iter().filter(|p| p.creds.lock().uid == uid).flat_map(threads_of).collect()
        }
    }
}

/// Lower is more favoured; "none" counts as best-effort level 4, as
/// Linux's ioprio_best has it.
fn io_rank(p: IoPriority) -> (u8, u16) {
    match p.class {
        IoClass::RealTime => (1, p.data),
        IoClass::BestEffort => (2, p.data),
        IoClass::None => (2, 4),
        IoClass::Idle => (3, p.data),
    }
}

pub fn io_priority(caller: &Arc<Thread>, target: PriorityTarget) -> KResult<IoPriority> {
    io_targets(caller, target)
        .iter()
        .map(|t| t.settings.scheduling.state.lock().io)
        .min_by_key(|p| io_rank(*p))
        .ok_or(Error::NoSuchProcess)
}

/// Linux's set_task_ioprio: the real-time class needs privilege (checked
/// first); each thread must belong to the caller's real or effective
/// user. The last refusal is the answer when some thread is refused.
pub fn set_io_priority(caller: &Arc<Thread>, target: PriorityTarget, priority: IoPriority) -> KResult<()> {
    let me = *caller.process().creds.lock();
    if priority.class == IoClass::RealTime && !is_privileged(&me) {
        return Err(Error::NotPermitted);
    }
    let mut result = Err(Error::NoSuchProcess);
    for t in io_targets(caller, target) {
        let them = *t.process().creds.lock();
        if !is_privileged(&me) && them.uid != me.euid && them.uid != me.uid {
            result = Err(Error::NotPermitted);
            continue;
        }
        t.settings.scheduling.state.lock().io = priority;
        if result == Err(Error::NoSuchProcess) {
            result = Ok(());
        }
    }
    result
}
