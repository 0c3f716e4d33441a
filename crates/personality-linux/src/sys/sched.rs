//! Scheduling policies, priorities and CPU affinity of threads:
//! sched_setscheduler and its family, sched_setattr/sched_getattr,
//! sched_rr_get_interval, sched_setaffinity/sched_getaffinity.
//!
//! The checks Linux makes on the values (EINVAL) are here, in Linux's
//! order (a thread that does not exist is ESRCH before a bad policy is
//! EINVAL); who may change what (EPERM) is the core's. The core keeps
//! these per thread; its scheduler does not act on them yet.

use crate::util::{write_timespec, write_u32};
use kernel_ops::{DeadlineParams, Error, KResult, KernelOps, PriorityTarget, SchedPolicy, Scheduling};
use linux_abi::sched::*;

/// Linux reads at most a page of a larger `struct sched_attr`.
const ATTR_MAX: u32 = 4096;
/// SCHED_FLAG_SUGOV: accepted by the flag check (kernel-internal).
const SCHED_FLAG_SUGOV: u64 = 0x1000_0000;
/// The period bounds of a deadline thread (sched_dl_period_min/max_us).
const DL_PERIOD_MIN_NS: u64 = 100_000;
const DL_PERIOD_MAX_NS: u64 = (1 << 22) * 1000;
/// A deadline thread's runtime is at least 1 µs-ish (1 << DL_SCALE ns).
const DL_RUNTIME_MIN_NS: u64 = 1 << 10;
/// The time slice of SCHED_NORMAL threads: one 100 Hz tick.
const NORMAL_SLICE_NS: u64 = 10_000_000;

fn policy_of(raw: u32) -> KResult<SchedPolicy> {
    Ok(match raw {
        SCHED_NORMAL => SchedPolicy::Normal,
        SCHED_FIFO => SchedPolicy::Fifo,
        SCHED_RR => SchedPolicy::RoundRobin,
        SCHED_BATCH => SchedPolicy::Batch,
        SCHED_IDLE => SchedPolicy::Idle,
        SCHED_DEADLINE => SchedPolicy::Deadline,
        _ => return Err(Error::InvalidArgument),
    })
}

/// Linux's number for a policy (/proc/<pid>/stat shows it too).
pub fn raw_policy(p: SchedPolicy) -> u32 {
    match p {
        SchedPolicy::Normal => SCHED_NORMAL,
        SchedPolicy::Fifo => SCHED_FIFO,
        SchedPolicy::RoundRobin => SCHED_RR,
        SchedPolicy::Batch => SCHED_BATCH,
        SchedPolicy::Idle => SCHED_IDLE,
        SchedPolicy::Deadline => SCHED_DEADLINE,
    }
}

/// A thread id argument: negative is EINVAL, 0 the caller.
fn tid(raw: u64) -> KResult<u32> {
    let pid = raw as i32;
    if pid < 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(pid as u32)
}

/// Linux's __checkparam_dl: a budget that fits its deadline, which fits
/// the period, within the allowed period range.
fn deadline_ok(d: &DeadlineParams) -> bool {
    if d.deadline == 0 || d.runtime < DL_RUNTIME_MIN_NS || (d.deadline | d.period) & (1 << 63) != 0 {
        return false;
    }
    let period = if d.period == 0 { d.deadline } else { d.period };
    period >= d.deadline && d.deadline >= d.runtime && (DL_PERIOD_MIN_NS..=DL_PERIOD_MAX_NS).contains(&period)
}

/// What the thread asked for, checked as Linux checks it (EINVAL).
fn check(s: &Scheduling) -> KResult<()> {
    if s.priority > MAX_RT_PRIO || s.policy.is_realtime() != (s.priority != 0) {
        return Err(Error::InvalidArgument);
    }
    if s.policy == SchedPolicy::Deadline && !deadline_ok(&s.deadline) {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}

/// Applies a change: the scheduling, then (for the time-sharing
/// policies, as sched_setattr's sched_nice) the nice value, which lives
/// with the process here. Lowering a nice value without the right is
/// EPERM from sched_setattr (setpriority's EACCES).
fn apply(ops: &mut dyn KernelOps, tid: u32, new: Scheduling, nice: Option<i32>) -> KResult<u64> {
    check(&new)?;
    ops.set_scheduling(tid, new)?;
    if let Some(nice) = nice {
        let target = PriorityTarget::Process(tid);
        if ops.nice(target)? != nice {
            ops.set_nice(target, nice)
                .map_err(|e| if e == Error::PermissionDenied { Error::NotPermitted } else { e })?;
        }
    }
    Ok(0)
}

fn read_priority(ops: &mut dyn KernelOps, addr: u64) -> KResult<u32> {
    if addr == 0 {
        return Err(Error::InvalidArgument);
    }
    let b: [u8; 4] = crate::util::read_bytes(ops, addr)?;
    Ok(i32::from_le_bytes(b) as u32)
}

pub fn sched_setscheduler(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let raw = a[1] as i32;
    if raw < 0 {
        return Err(Error::InvalidArgument);
    }
    let tid = tid(a[0])?;
    let priority = read_priority(ops, a[2])?;
    let mut new = ops.scheduling(tid)?;
    new.policy = policy_of(raw as u32 & !SCHED_RESET_ON_FORK)?;
    new.priority = priority;
    new.reset_on_fork = raw as u32 & SCHED_RESET_ON_FORK != 0;
    if new.policy == SchedPolicy::Deadline {
        // The old call carries no budget: an empty one, which fails.
        new.deadline = DeadlineParams::default();
    }
    apply(ops, tid, new, None)
}

pub fn sched_setparam(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let tid = tid(a[0])?;
    let priority = read_priority(ops, a[1])?;
    let mut new = ops.scheduling(tid)?;
    new.priority = priority;
    apply(ops, tid, new, None)
}

pub fn sched_getscheduler(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let s = ops.scheduling(tid(a[0])?)?;
    Ok(u64::from(raw_policy(s.policy) | if s.reset_on_fork { SCHED_RESET_ON_FORK } else { 0 }))
}

pub fn sched_getparam(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[1] == 0 {
        return Err(Error::InvalidArgument);
    }
    let s = ops.scheduling(tid(a[0])?)?;
    write_u32(ops, a[1], s.priority).map(|_| 0)
}

pub fn sched_get_priority_max(_: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let policy = policy_of(u32::try_from(a[0] as i32).map_err(|_| Error::InvalidArgument)?)?;
    Ok(if policy.is_realtime() { u64::from(MAX_RT_PRIO) } else { 0 })
}

pub fn sched_get_priority_min(_: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let policy = policy_of(u32::try_from(a[0] as i32).map_err(|_| Error::InvalidArgument)?)?;
    Ok(if policy.is_realtime() { u64::from(MIN_RT_PRIO) } else { 0 })
}

/// SCHED_RR: Linux's 100 ms slice; SCHED_FIFO and deadline threads have
/// none (0); the time-sharing policies the scheduler's tick.
pub fn sched_rr_get_interval(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let s = ops.scheduling(tid(a[0])?)?;
    let ns = match s.policy {
        SchedPolicy::RoundRobin => RR_TIMESLICE_NS,
        SchedPolicy::Fifo | SchedPolicy::Deadline => 0,
        _ => NORMAL_SLICE_NS,
    };
    write_timespec(ops, a[1], ns).map(|_| 0)
}

/// Reads a `struct sched_attr` as Linux's sched_copy_attr does: size 0 is
/// the first version; a size outside [VER0, 4096], or a larger structure
/// with a non-zero tail, is E2BIG with the size Linux knows written back.
fn read_attr(ops: &mut dyn KernelOps, addr: u64) -> KResult<SchedAttr> {
    let size_bytes: [u8; 4] = crate::util::read_bytes(ops, addr)?;
    let mut size = u32::from_le_bytes(size_bytes);
    if size == 0 {
        size = SCHED_ATTR_SIZE_VER0;
    }
    let too_big = |ops: &mut dyn KernelOps| {
        let _ = write_u32(ops, addr + SchedAttr::OFF_SIZE as u64, SCHED_ATTR_SIZE_VER1);
        Err(Error::ArgumentListTooLong)
    };
    if !(SCHED_ATTR_SIZE_VER0..=ATTR_MAX).contains(&size) {
        return too_big(ops);
    }
    let mut raw = crate::util::buffer(size as usize)?;
    ops.copy_in(addr, &mut raw)?;
    if raw.iter().skip(SchedAttr::SIZE).any(|&b| b != 0) {
        return too_big(ops);
    }
    let mut attr = SchedAttr::from_bytes(&raw);
    if attr.flags & (SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX) != 0 && size < SCHED_ATTR_SIZE_VER1 {
        return Err(Error::InvalidArgument);
    }
    attr.nice = attr.nice.clamp(-20, 19);
    Ok(attr)
}

pub fn sched_setattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[1] == 0 || (a[0] as i32) < 0 || a[2] as u32 != 0 {
        return Err(Error::InvalidArgument);
    }
    let tid = a[0] as u32;
    let attr = read_attr(ops, a[1])?;
    if (attr.policy as i32) < 0 {
        return Err(Error::InvalidArgument);
    }
    let keep_policy = attr.flags & SCHED_FLAG_KEEP_POLICY != 0;
    let current = ops.scheduling(tid)?;
    let mut new = current;
    if !keep_policy {
        new.policy = policy_of(attr.policy)?;
        new.reset_on_fork = attr.flags & SCHED_FLAG_RESET_ON_FORK != 0;
    }
    if attr.flags & !(SCHED_FLAG_ALL | SCHED_FLAG_SUGOV) != 0 {
        return Err(Error::InvalidArgument);
    }
    if attr.flags & (SCHED_FLAG_UTIL_CLAMP_MIN | SCHED_FLAG_UTIL_CLAMP_MAX) != 0 {
        // Utilization clamping (CONFIG_UCLAMP_TASK) is not kept.
        ops.log_unsupported(format_args!("linux: sched_setattr utilization clamps"));
        return Err(Error::NotSupported);
    }
    let keep_params = attr.flags & SCHED_FLAG_KEEP_PARAMS != 0;
    let mut nice = None;
    if !keep_params {
        new.priority = attr.priority;
        new.deadline = DeadlineParams { runtime: attr.runtime, deadline: attr.deadline, period: attr.period };
        if !new.policy.is_realtime() && new.policy != SchedPolicy::Deadline {
            nice = Some(attr.nice);
        }
    }
    if new.policy != SchedPolicy::Deadline {
        new.deadline = DeadlineParams::default();
    }
    apply(ops, tid, new, nice)
}

pub fn sched_getattr(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let size = a[2] as u32;
    if a[1] == 0 || (a[0] as i32) < 0 || !(SCHED_ATTR_SIZE_VER0..=ATTR_MAX).contains(&size) || a[3] as u32 != 0 {
        return Err(Error::InvalidArgument);
    }
    let tid = a[0] as u32;
    let s = ops.scheduling(tid)?;
    let mut attr =
        SchedAttr { size: size.min(SCHED_ATTR_SIZE_VER1), policy: raw_policy(s.policy), ..SchedAttr::default() };
    if s.reset_on_fork {
        attr.flags |= SCHED_FLAG_RESET_ON_FORK;
    }
    match s.policy {
        SchedPolicy::Deadline => {
            attr.runtime = s.deadline.runtime;
            attr.deadline = s.deadline.deadline;
            attr.period = s.deadline.period;
        }
        SchedPolicy::Fifo | SchedPolicy::RoundRobin => attr.priority = s.priority,
        // Nice values are per process here: a thread id that is not a
        // process id reads as 0.
        _ => attr.nice = ops.nice(PriorityTarget::Process(tid)).unwrap_or(0),
    }
    let bytes = attr.to_bytes();
    ops.copy_out(a[1], &bytes[..attr.size as usize])?;
    if size as usize > bytes.len() {
        // A larger structure's tail is cleared, as copy_struct_to_user does.
        let zeros = crate::util::buffer(size as usize - bytes.len())?;
        ops.copy_out(a[1] + bytes.len() as u64, &zeros)?;
    }
    Ok(0)
}

/// The kernel's CPU mask is as many bytes as its CPU count needs, in whole
/// `long`s; glibc sizes its buffers from the return value.
fn mask_bytes(ops: &dyn KernelOps) -> u64 {
    u64::from(ops.cpu_count().max(1).div_ceil(64) * 8)
}

/// A shorter mask than the kernel's is zero-extended, a longer one cut.
pub fn sched_setaffinity(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let len = a[1].min(mask_bytes(ops)).min(8) as usize;
    let mut raw = [0u8; 8];
    ops.copy_in(a[2], &mut raw[..len])?;
    let pid = a[0] as i32;
    if pid < 0 {
        return Err(Error::NoSuchProcess);
    }
    ops.set_cpu_affinity(pid as u32, u64::from_le_bytes(raw)).map(|_| 0)
}

/// Returns the size of the mask written (glibc's wrapper answers 0).
pub fn sched_getaffinity(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let cpus = u64::from(ops.cpu_count().max(1));
    let len = a[1];
    if len.saturating_mul(8) < cpus || !len.is_multiple_of(8) {
        return Err(Error::InvalidArgument);
    }
    let pid = a[0] as i32;
    if pid < 0 {
        return Err(Error::NoSuchProcess);
    }
    let mask = ops.cpu_affinity(pid as u32)?;
    let out = len.min(mask_bytes(ops)) as usize;
    let mut bytes = crate::util::buffer(out)?;
    for (i, b) in mask.to_le_bytes().iter().enumerate().take(out) {
        bytes[i] = *b;
    }
    ops.copy_out(a[2], &bytes)?;
    Ok(out as u64)
}
