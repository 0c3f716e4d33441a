//! Looking at other processes: Linux's ptrace access check and the calls
//! that rely on it without tracing (kcmp, pidfd_getfd, get_robust_list).

use super::core_ops::CoreOps;
use super::process::{self, Process};
use super::thread::Thread;
use alloc::sync::Arc;
use kernel_ops::{Credentials, Error, Fd, KResult, ObjectOrder, ProcessObject, TaskSetting};

/// The one place that says who may inspect any process: Linux's
/// CAP_SYS_PTRACE.
fn is_privileged(creds: &Credentials) -> bool {
    creds.has(kernel_ops::Privilege::SysPtrace)
}

/// Linux's __ptrace_may_access with PTRACE_MODE_REALCREDS, for reading
/// (kcmp, get_robust_list) and attaching (pidfd_getfd) alike: the
/// caller's own process; or every user and group id of the target equal
/// to the caller's real ones, and the target dumpable; or privilege.
pub fn may_access(caller: &Arc<Process>, target: &Process) -> bool {
    if core::ptr::eq(&**caller, target) {
        return true;
    }
    let me = *caller.creds.lock();
    if is_privileged(&me) {
        return true;
    }
    let them = *target.creds.lock();
    let same_ids = [them.uid, them.euid, them.suid].iter().all(|&u| u == me.uid)
        && [them.gid, them.egid, them.sgid].iter().all(|&g| g == me.gid);
    let dumpable =
        super::settings::get(&target.settings, &super::settings::ThreadSettings::new(), TaskSetting::Dumpable) == 1;
    same_ids && dumpable
}

/// The live thread `tid` names (0: `caller`) whose process the caller may
/// inspect: `NoSuchProcess`, then `NotPermitted`.
fn accessible(caller: &Arc<Thread>, tid: u32) -> KResult<Arc<Thread>> {
    let t = if tid == 0 { caller.clone() } else { process::find_thread(tid).ok_or(Error::NoSuchProcess)? };
    if !may_access(caller.process(), t.process()) {
        return Err(Error::NotPermitted);
    }
    Ok(t)
}

pub fn robust_list(caller: &Arc<Thread>, tid: u32) -> KResult<(u64, u64)> {
    Ok(*accessible(caller, tid)?.settings.robust_list.lock())
}

/// The address of the kernel object `what` names in `p`, as kcmp compares
/// them; 0 for objects that do not exist here (I/O contexts, semaphore
/// undo lists), so any two of those are the same, as two NULLs are to
/// Linux.
fn object_address(p: &Process, what: ProcessObject) -> KResult<usize> {
    Ok(match what {
        ProcessObject::File(fd) => {
            let entry = i32::try_from(fd).ok().and_then(|fd| p.files().lock().get(fd)).ok_or(Error::BadDescriptor)?;
            Arc::as_ptr(&entry.file) as usize
        }
        ProcessObject::Files => Arc::as_ptr(&p.files()) as usize,
        ProcessObject::Memory => Arc::as_ptr(&p.mm()) as usize,
        ProcessObject::FsContext => Arc::as_ptr(&p.fs()) as usize,
        ProcessObject::SignalHandlers => Arc::as_ptr(&p.actions()) as usize,
        ProcessObject::IoContext | ProcessObject::SemaphoreUndo => 0,
    })
}

/// kcmp: both threads must exist and be open to inspection before the
/// objects are looked at (Linux's order).
pub fn compare_objects(
    caller: &Arc<Thread>,
    tid1: u32,
    first: ProcessObject,
    tid2: u32,
    second: ProcessObject,
) -> KResult<ObjectOrder> {
    let t1 = process::find_thread(tid1).ok_or(Error::NoSuchProcess)?;
    let t2 = process::find_thread(tid2).ok_or(Error::NoSuchProcess)?;
    if !may_access(caller.process(), t1.process()) || !may_access(caller.process(), t2.process()) {
        return Err(Error::NotPermitted);
    }
    let a = object_address(t1.process(), first)?;
    let b = object_address(t2.process(), second)?;
    Ok(match a.cmp(&b) {
        core::cmp::Ordering::Equal => ObjectOrder::Same,
        core::cmp::Ordering::Less => ObjectOrder::Less,
        core::cmp::Ordering::Greater => ObjectOrder::Greater,
    })
}

/// pidfd_getfd: the process behind the handle (EBADF when `handle` is not
/// one, ESRCH once it has exited), the right to attach to it (EPERM),
/// its descriptor (EBADF), then a close-on-exec copy here.
pub fn take_process_descriptor(ops: &mut CoreOps<'_>, caller: &Arc<Thread>, handle: Fd, fd: Fd) -> KResult<Fd> {
    let file = caller.process().files().lock().get(handle).ok_or(Error::BadDescriptor)?.file;
    let target = match &file.object {
        crate::fs::FileObject::ProcessHandle(h) => h.process(),
        _ => return Err(Error::BadDescriptor),
    };
    let target = target.filter(|p| !p.is_zombie()).ok_or(Error::NoSuchProcess)?;
    if !may_access(caller.process(), &target) {
        return Err(Error::NotPermitted);
    }
    let entry = target.files().lock().get(fd).ok_or(Error::BadDescriptor)?;
    ops.install(entry.file, true)
}
