//! timerfd_create, timerfd_settime, timerfd_gettime: a timer behind a
//! descriptor (the core's timer file), read as an 8-byte expiration count
//! through the ordinary read/poll calls.

use crate::util::{fd, read_bytes};
use kernel_ops::{Clock, DescriptorFlags, Error, KResult, KernelOps};
use linux_abi::time::{
    Itimerspec, Timespec, CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM, CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_REALTIME_ALARM,
};
use linux_abi::timerfd::*;

pub fn timerfd_create(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[1] as u32;
    if flags & !TFD_CREATE_FLAGS != 0 {
        return Err(Error::InvalidArgument);
    }
    // The _ALARM clocks would also wake a suspended machine; nothing here
    // suspends, so they are their base clocks (for those allowed them).
    let clock = match a[0] as i32 {
        CLOCK_REALTIME => Clock::Realtime,
        CLOCK_MONOTONIC => Clock::Monotonic,
        CLOCK_BOOTTIME => Clock::Boottime,
        CLOCK_REALTIME_ALARM | CLOCK_BOOTTIME_ALARM => {
            if !ops.credentials().has(kernel_ops::Privilege::WakeAlarm) {
                return Err(Error::NotPermitted); // CAP_WAKE_ALARM
            }
            if a[0] as i32 == CLOCK_REALTIME_ALARM {
                Clock::Realtime
            } else {
                Clock::Boottime
            }
        }
        _ => return Err(Error::InvalidArgument),
    };
    let flags = DescriptorFlags { close_on_exec: flags & TFD_CLOEXEC != 0, non_blocking: flags & TFD_NONBLOCK != 0 };
    ops.create_timer_file(clock, flags).map(|f| f as u64)
}

/// Nanoseconds of a valid timespec, saturating (Linux clamps far-future
/// times instead of refusing them).
fn nanos(t: &Timespec) -> u64 {
    (t.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(t.tv_nsec as u64)
}

fn put_itimerspec(ops: &mut dyn KernelOps, addr: u64, value: u64, interval: u64) -> KResult<()> {
    let its = Itimerspec { it_interval: Timespec::from_nanos(interval), it_value: Timespec::from_nanos(value) };
    ops.copy_out(addr, &its.to_bytes())
}

pub fn timerfd_settime(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let b = read_bytes::<{ Itimerspec::SIZE }>(ops, a[2])?;
    let its = Itimerspec::from_bytes(&b).ok_or(Error::Fault)?;
    if !its.it_value.is_valid() || !its.it_interval.is_valid() {
        return Err(Error::InvalidArgument);
    }
    let flags = a[1] as u32;
    if flags & !TFD_SETTIME_FLAGS != 0 {
        return Err(Error::InvalidArgument);
    }
    // TFD_TIMER_CANCEL_ON_SET is accepted; see the table's note.
    let (old_value, old_interval) =
        ops.set_timer_file(fd(a[0]), nanos(&its.it_value), nanos(&its.it_interval), flags & TFD_TIMER_ABSTIME != 0)?;
    if a[3] != 0 {
        put_itimerspec(ops, a[3], old_value, old_interval)?;
    }
    Ok(0)
}

pub fn timerfd_gettime(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (value, interval) = ops.get_timer_file(fd(a[0]))?;
    put_itimerspec(ops, a[1], value, interval).map(|_| 0)
}
