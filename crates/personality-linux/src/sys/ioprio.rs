//! ioprio_get and ioprio_set: I/O scheduling classes and levels of
//! threads, process groups and users. Kept and reported; there is no
//! block-layer scheduler to use them.

use kernel_ops::{Error, IoClass, IoPriority, KResult, KernelOps, PriorityTarget};
use linux_abi::sched::*;

fn target(which: u64, who: u64) -> KResult<PriorityTarget> {
    let who = who as u32;
    match which as u32 {
        IOPRIO_WHO_PROCESS => Ok(PriorityTarget::Process(who)),
        IOPRIO_WHO_PGRP => Ok(PriorityTarget::ProcessGroup(who)),
        IOPRIO_WHO_USER => Ok(PriorityTarget::User(who)),
        _ => Err(Error::InvalidArgument),
    }
}

/// Decodes `class << 13 | data` as Linux (6.x) checks it: the level is
/// the low three bits of the data (hints for the device above them are
/// kept as given); "none" takes no level; classes past idle are EINVAL.
fn decode(raw: u64) -> KResult<IoPriority> {
    let raw = raw as u16;
    let class = (u32::from(raw) >> IOPRIO_CLASS_SHIFT) & 0x7;
    let data = raw & ((1 << IOPRIO_CLASS_SHIFT) - 1);
    let level = u32::from(data) % IOPRIO_NR_LEVELS;
    let class = match class {
        IOPRIO_CLASS_NONE if level == 0 => IoClass::None,
        IOPRIO_CLASS_RT => IoClass::RealTime,
        IOPRIO_CLASS_BE => IoClass::BestEffort,
        IOPRIO_CLASS_IDLE => IoClass::Idle,
        _ => return Err(Error::InvalidArgument),
    };
    Ok(IoPriority { class, data })
}

fn encode(p: IoPriority) -> u64 {
    let class = match p.class {
        IoClass::None => IOPRIO_CLASS_NONE,
        IoClass::RealTime => IOPRIO_CLASS_RT,
        IoClass::BestEffort => IOPRIO_CLASS_BE,
        IoClass::Idle => IOPRIO_CLASS_IDLE,
    };
    u64::from(class << IOPRIO_CLASS_SHIFT | u32::from(p.data))
}

pub fn ioprio_get(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.io_priority(target(a[0], a[1])?).map(encode)
}

pub fn ioprio_set(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let priority = decode(a[2])?;
    ops.set_io_priority(target(a[0], a[1])?, priority).map(|_| 0)
}
