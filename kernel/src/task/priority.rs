//! Nice values (getpriority, setpriority): one per process, from -20
//! (most favoured) to 19, inherited over fork and kept over exec.
//!
//! The scheduler does not use them yet (one round-robin queue): they are
//! kept, checked and reported (/proc/<pid>/stat) as Linux does, so that
//! programs that lower their priority, and tools that show it, see what
//! they expect.

use super::process::{self, Process};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;
use kernel_ops::{Error, KResult, PriorityTarget, Privilege, Resource};

pub const MIN_NICE: i32 = -20;
pub const MAX_NICE: i32 = 19;

/// The processes `target` names, seen from `caller` (an id of 0 is the
/// caller's own process, process group or real user id).
fn matching(caller: &Arc<Process>, target: PriorityTarget) -> Vec<Arc<Process>> {
    match target {
        PriorityTarget::Process(0) => alloc::vec![caller.clone()],
        PriorityTarget::Process(pid) => process::find(pid).into_iter().collect(),
        PriorityTarget::ProcessGroup(group) => {
            let group = if group == 0 { caller.pgid() } else { group };
            process::all().into_iter().filter(|p| p.pgid() == group).collect()
        }
        PriorityTarget::User(uid) => {
            let uid = if uid == 0 { caller.creds.lock().uid } else { uid };
            process::all().into_iter().filter(|p| p.creds.lock().uid == uid).collect()
        }
    }
}

/// The lowest nice value among the processes `target` names.
pub fn nice(caller: &Arc<Process>, target: PriorityTarget) -> KResult<i32> {
    matching(caller, target).iter().map(|p| p.nice.load(Ordering::Relaxed)).min().ok_or(Error::NoSuchProcess)
}

/// Sets the nice value of every process `target` names, as Linux's
/// setpriority does: changing a process needs the caller's effective user
/// id to be its real or effective one (or root: `NotPermitted`
/// otherwise); lowering a nice value needs root or an RLIMIT_NICE of the
/// target allowing it (`PermissionDenied`). Processes are changed one by
/// one; the last refusal is the answer.
pub fn set_nice(caller: &Arc<Process>, target: PriorityTarget, nice: i32) -> KResult<()> {
    let nice = nice.clamp(MIN_NICE, MAX_NICE);
    let me = *caller.creds.lock();
    let mut result = Err(Error::NoSuchProcess);
    for p in matching(caller, target) {
        let them = *p.creds.lock();
        if !me.has(Privilege::SysNice) && me.euid != them.uid && me.euid != them.euid {
            result = Err(Error::NotPermitted);
            continue;
        }
        // RLIMIT_NICE is a ceiling of 20 - nice (1..=40).
        let allowed = me.has(Privilege::SysNice) || (20 - nice) as u64 <= p.limit(Resource::Nice).soft;
        if nice < p.nice.load(Ordering::Relaxed) && !allowed {
            result = Err(Error::PermissionDenied);
            continue;
        }
        p.nice.store(nice, Ordering::Relaxed);
        if result == Err(Error::NoSuchProcess) {
            result = Ok(());
        }
    }
    result
}
