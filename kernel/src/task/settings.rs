//! Settings a process or thread records about itself (prctl on Linux):
//! most only remember a choice so that reading it back agrees; the
//! parent-death signal and the child subreaper change what happens when a
//! parent ends (see lifecycle.rs).

use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use kernel_ops::TaskSetting;

/// Linux's default timer slack (50 µs); timers here are exact, so it is
/// only recorded.
pub const DEFAULT_TIMER_SLACK_NS: u64 = 50_000;

pub struct ProcessSettings {
    dumpable: AtomicBool,
    no_new_privileges: AtomicBool,
    child_subreaper: AtomicBool,
    membarrier: AtomicU32,
    persona: AtomicU32,
}

impl ProcessSettings {
    pub const fn new() -> ProcessSettings {
        ProcessSettings {
            dumpable: AtomicBool::new(true),
            no_new_privileges: AtomicBool::new(false),
            child_subreaper: AtomicBool::new(false),
            membarrier: AtomicU32::new(0),
            persona: AtomicU32::new(0),
        }
    }

    /// A forked child keeps no_new_privs (it can never be cleared) and
    /// dumpability; subreaper status and membarrier registrations are the
    /// parent's own, as on Linux.
    pub fn inherit(&self, parent: &ProcessSettings) {
        self.dumpable.store(parent.dumpable.load(Ordering::Relaxed), Ordering::Relaxed);
        self.no_new_privileges.store(parent.no_new_privileges.load(Ordering::Relaxed), Ordering::Relaxed);
        self.persona.store(parent.persona.load(Ordering::Relaxed), Ordering::Relaxed);
    }

    /// exec starts a new address space (membarrier registrations are per
    /// address space) and makes the process dumpable again.
    pub fn reset_for_exec(&self) {
        self.membarrier.store(0, Ordering::Relaxed);
        self.dumpable.store(true, Ordering::Relaxed);
    }

    pub fn is_child_subreaper(&self) -> bool {
        self.child_subreaper.load(Ordering::Relaxed)
    }
}

pub struct ThreadSettings {
    parent_death_signal: AtomicU32,
    timer_slack_ns: AtomicU64,
    /// Scheduling policy, CPU affinity and I/O priority (sched_policy.rs).
    pub scheduling: super::sched_policy::ThreadScheduling,
    /// The robust futex list set_robust_list recorded: (head, length).
    /// Not inherited: a new thread registers its own, as on Linux.
    pub robust_list: crate::sync::SpinLock<(u64, u64)>,
}

impl ThreadSettings {
    pub const fn new() -> ThreadSettings {
        ThreadSettings {
            parent_death_signal: AtomicU32::new(0),
            timer_slack_ns: AtomicU64::new(DEFAULT_TIMER_SLACK_NS),
            scheduling: super::sched_policy::ThreadScheduling::new(),
            robust_list: crate::sync::SpinLock::new((0, 0)),
        }
    }

    /// A new thread or process has no parent-death signal and its
    /// creator's timer slack and scheduling.
    pub fn inherit(&self, creator: &ThreadSettings) {
        self.timer_slack_ns.store(creator.timer_slack_ns.load(Ordering::Relaxed), Ordering::Relaxed);
        self.scheduling.inherit(&creator.scheduling);
    }

    pub fn parent_death_signal(&self) -> Option<kernel_ops::Signal> {
        kernel_ops::Signal::new(self.parent_death_signal.load(Ordering::Relaxed))
    }
}

/// Reads one setting of the calling thread or its process.
pub fn get(process: &ProcessSettings, thread: &ThreadSettings, which: TaskSetting) -> u64 {
    match which {
        TaskSetting::ParentDeathSignal => u64::from(thread.parent_death_signal.load(Ordering::Relaxed)),
        TaskSetting::Dumpable => u64::from(process.dumpable.load(Ordering::Relaxed)),
        TaskSetting::NoNewPrivileges => u64::from(process.no_new_privileges.load(Ordering::Relaxed)),
        TaskSetting::ChildSubreaper => u64::from(process.child_subreaper.load(Ordering::Relaxed)),
        TaskSetting::TimerSlack => thread.timer_slack_ns.load(Ordering::Relaxed),
        TaskSetting::MembarrierRegistrations => u64::from(process.membarrier.load(Ordering::Relaxed)),
        TaskSetting::Persona => u64::from(process.persona.load(Ordering::Relaxed)),
    }
}

/// Changes one setting; values are checked by the personality, except
/// that no_new_privs can never be turned off again.
pub fn set(
    process: &ProcessSettings,
    thread: &ThreadSettings,
    which: TaskSetting,
    value: u64,
) -> kernel_ops::KResult<()> {
    match which {
        TaskSetting::ParentDeathSignal => {
            let signal = u32::try_from(value).map_err(|_| kernel_ops::Error::InvalidArgument)?;
            thread.parent_death_signal.store(signal, Ordering::Relaxed);
        }
        TaskSetting::Dumpable => process.dumpable.store(value != 0, Ordering::Relaxed),
        TaskSetting::NoNewPrivileges if value == 0 => return Err(kernel_ops::Error::InvalidArgument),
        TaskSetting::NoNewPrivileges => process.no_new_privileges.store(true, Ordering::Relaxed),
        TaskSetting::ChildSubreaper => process.child_subreaper.store(value != 0, Ordering::Relaxed),
        TaskSetting::TimerSlack => thread.timer_slack_ns.store(value, Ordering::Relaxed),
        TaskSetting::MembarrierRegistrations => process.membarrier.store(value as u32, Ordering::Relaxed),
        TaskSetting::Persona => process.persona.store(value as u32, Ordering::Relaxed),
    }
    Ok(())
}
