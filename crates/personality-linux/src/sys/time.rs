//! Clocks, sleeps and timers.

use crate::util::{read_timespec, write_timespec};
use kernel_ops::{Clock, Error, IntervalTimer, KResult, KernelOps};
use linux_abi::time::{Timeval, ITIMER_PROF, ITIMER_REAL, ITIMER_VIRTUAL};

fn clock(id: u64) -> KResult<Clock> {
    use linux_abi::time::*;
    Ok(match id as i32 {
        CLOCK_REALTIME | CLOCK_REALTIME_COARSE | 8 /* REALTIME_ALARM */ | 11 /* TAI */ => Clock::Realtime,
        CLOCK_MONOTONIC | CLOCK_MONOTONIC_RAW | CLOCK_MONOTONIC_COARSE => Clock::Monotonic,
        CLOCK_BOOTTIME | 9 /* BOOTTIME_ALARM */ => Clock::Boottime,
        CLOCK_PROCESS_CPUTIME_ID => Clock::ProcessCpu,
        CLOCK_THREAD_CPUTIME_ID => Clock::ThreadCpu,
        _ => return Err(Error::InvalidArgument),
    })
}

pub fn clock_gettime(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let ns = match cpu_clock_of(a[0])? {
        Some((id, thread)) => ops.cpu_clock(id, thread)?,
        None => ops.clock(clock(a[0])?)?,
    };
    write_timespec(ops, a[1], ns).map(|_| 0)
}

/// A negative clock id names another thread's or process's CPU clock
/// (pthread_getcpuclockid, clock_getcpuclockid): `~id << 3`, bit 2 for a
/// thread, the low two bits the kind (PROF, VIRT, SCHED; 3 is invalid).
/// All three kinds read the whole CPU time here.
fn cpu_clock_of(raw: u64) -> KResult<Option<(u32, bool)>> {
    let id = raw as i32;
    if id >= 0 {
        return Ok(None);
    }
    if id & 3 == 3 {
        return Err(Error::InvalidArgument);
    }
    Ok(Some((!(id >> 3) as u32, id & 4 != 0)))
}

pub fn clock_getres(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let c = match cpu_clock_of(a[0])? {
        // The clock must name something; its resolution is the CPU clocks'.
        Some((id, thread)) => ops.cpu_clock(id, thread).map(|_| Clock::ThreadCpu)?,
        None => clock(a[0])?,
    };
    if a[1] != 0 {
        let r = ops.clock_resolution(c);
        write_timespec(ops, a[1], r)?;
    }
    Ok(0)
}

/// The latest wall-clock second Linux lets a program set
/// (`TIME_SETTOD_SEC_MAX`: the largest ktime in seconds, less thirty years
/// of uptime, so that the clock cannot overflow while the machine runs).
const SETTABLE_SEC_MAX: i64 = 9_223_372_036 - 946_080_000;

fn settable(sec: i64) -> KResult<()> {
    if (0..SETTABLE_SEC_MAX).contains(&sec) {
        Ok(())
    } else {
        Err(Error::InvalidArgument)
    }
}

pub fn clock_settime(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if clock(a[0])? != Clock::Realtime {
        return Err(Error::InvalidArgument);
    }
    let t = read_timespec(ops, a[1])?;
    settable(t.tv_sec)?;
    ops.set_realtime(t.to_nanos().ok_or(Error::InvalidArgument)?).map(|_| 0)
}

pub fn gettimeofday(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] != 0 {
        let ns = ops.clock(Clock::Realtime)?;
        ops.copy_out(a[0], &Timeval::from_nanos(ns).to_bytes())?;
    }
    if a[1] != 0 {
        ops.copy_out(a[1], &[0u8; 8])?; // UTC, no DST
    }
    Ok(0)
}

pub fn settimeofday(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] == 0 {
        return Ok(0);
    }
    let mut b = [0u8; 16];
    ops.copy_in(a[0], &mut b)?;
    let tv = Timeval::from_bytes(&b).ok_or(Error::Fault)?;
    if !tv.is_valid() {
        return Err(Error::InvalidArgument);
    }
    settable(tv.tv_sec)?;
    ops.set_realtime((tv.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(tv.tv_usec as u64 * 1000))
        .map(|_| 0)
}

pub fn time(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let secs = ops.clock(Clock::Realtime)? / 1_000_000_000;
    if a[0] != 0 {
        crate::util::write_u64(ops, a[0], secs)?;
    }
    Ok(secs)
}

/// Sleeps for a relative duration; on a signal writes what is left to `rem`.
fn sleep_relative(ops: &mut dyn KernelOps, c: Clock, ns: u64, rem: u64) -> KResult<u64> {
    let start = ops.clock(Clock::Monotonic)?;
    let deadline = start.saturating_add(ns);
    match ops.sleep_until(Clock::Monotonic, deadline) {
        Ok(()) => Ok(0),
        Err(Error::Restart) => {
            if rem != 0 {
                let now = ops.clock(Clock::Monotonic)?;
                write_timespec(ops, rem, deadline.saturating_sub(now))?;
            }
            let _ = c;
            Err(Error::Interrupted)
        }
        Err(e) => Err(e),
    }
}

pub fn nanosleep(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let t = read_timespec(ops, a[0])?;
    sleep_relative(ops, Clock::Monotonic, t.to_nanos().ok_or(Error::InvalidArgument)?, a[1])
}

pub fn clock_nanosleep(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    const TIMER_ABSTIME: u64 = 1;
    let c = clock(a[0])?;
    if matches!(c, Clock::ThreadCpu) {
        return Err(Error::InvalidArgument);
    }
    let t = read_timespec(ops, a[2])?;
    let ns = t.to_nanos().ok_or(Error::InvalidArgument)?;
    if a[1] & TIMER_ABSTIME != 0 {
        return match ops.sleep_until(c, ns) {
            Ok(()) => Ok(0),
            Err(Error::Restart) => Err(Error::Interrupted),
            Err(e) => Err(e),
        };
    }
    sleep_relative(ops, c, ns, a[3])
}

pub fn timer_create(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    use linux_abi::siginfo::{Sigevent, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD_ID};
    let c = match cpu_clock_of(a[0])? {
        None => clock(a[0])?,
        // What glibc passes for CLOCK_PROCESS_CPUTIME_ID and
        // CLOCK_THREAD_CPUTIME_ID: the caller's own CPU clocks by number.
        Some((0, false)) => Clock::ProcessCpu,
        Some((0, true)) => Clock::ThreadCpu,
        Some((id, false)) if id == ops.pid() => Clock::ProcessCpu,
        Some((id, true)) if id == ops.tid() => Clock::ThreadCpu,
        Some((id, thread)) => {
            ops.cpu_clock(id, thread)?; // ESRCH/EINVAL for no such clock, as Linux
            ops.log_unsupported(format_args!("linux: timer_create on another process's or thread's CPU-time clock"));
            return Err(Error::InvalidArgument);
        }
    };
    let notify = if a[1] == 0 {
        // No sigevent: SIGALRM carrying the timer id (filled in below).
        kernel_ops::TimerNotify { signal: Some(kernel_ops::Signal::ALRM), value: u64::MAX, thread: None }
    } else {
        let mut b = [0u8; Sigevent::SIZE];
        ops.copy_in(a[1], &mut b)?;
        let ev = Sigevent::from_bytes(&b).ok_or(Error::Fault)?;
        // As Linux's good_sigevent: SIGEV_THREAD is the C library's business
        // (it passes SIGEV_THREAD_ID to the kernel), and the kernel treats it
        // as SIGEV_SIGNAL; a thread id must name a thread of this process.
        const SIGEV_THREAD: i32 = 2;
        let signal = |signo: u32| {
            if signo == 0 || signo > 64 {
                Err(Error::InvalidArgument)
            } else {
                crate::util::signal(u64::from(signo))
            }
        };
        match ev.notify {
            SIGEV_NONE => kernel_ops::TimerNotify { signal: None, value: ev.value, thread: None },
            SIGEV_SIGNAL | SIGEV_THREAD => {
                kernel_ops::TimerNotify { signal: Some(signal(ev.signo)?), value: ev.value, thread: None }
            }
            SIGEV_THREAD_ID => {
                let own = ops.pid();
                if ev.tid <= 0 || ops.kill_thread(Some(own), ev.tid as u32, None).is_err() {
                    return Err(Error::InvalidArgument);
                }
                kernel_ops::TimerNotify {
                    signal: Some(signal(ev.signo)?),
                    value: ev.value,
                    thread: Some(ev.tid as u32),
                }
            }
            _ => return Err(Error::InvalidArgument),
        }
    };
    let id = ops.create_timer(c, notify)?;
    if notify.value == u64::MAX {
        // sigev_value defaults to the timer id; recreate the record with it.
        ops.delete_timer(id)?;
        let again = ops.create_timer(c, kernel_ops::TimerNotify { value: u64::from(id), ..notify })?;
        debug_assert_eq!(again, id);
    }
    if let Err(e) = crate::util::write_u32(ops, a[2], id) {
        let _ = ops.delete_timer(id);
        return Err(e);
    }
    Ok(0)
}

fn put_itimerspec(ops: &mut dyn KernelOps, addr: u64, value: u64, interval: u64) -> KResult<()> {
    let mut b = [0u8; 32];
    b[..16].copy_from_slice(&linux_abi::time::Timespec::from_nanos(interval).to_bytes());
    b[16..].copy_from_slice(&linux_abi::time::Timespec::from_nanos(value).to_bytes());
    ops.copy_out(addr, &b)
}

pub fn timer_settime(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    const TIMER_ABSTIME: u64 = 1;
    if a[2] == 0 {
        return Err(Error::InvalidArgument);
    }
    let interval = read_timespec(ops, a[2])?.to_nanos().ok_or(Error::InvalidArgument)?;
    let value = read_timespec(ops, a[2].wrapping_add(16))?.to_nanos().ok_or(Error::InvalidArgument)?;
    let (old_v, old_i) = ops.set_timer(a[0] as u32, value, interval, a[1] & TIMER_ABSTIME != 0)?;
    if a[3] != 0 {
        put_itimerspec(ops, a[3], old_v, old_i)?;
    }
    Ok(0)
}

pub fn timer_gettime(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (v, i, _) = ops.get_timer(a[0] as u32)?;
    put_itimerspec(ops, a[1], v, i).map(|_| 0)
}

pub fn timer_getoverrun(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.get_timer(a[0] as u32)?.2))
}

pub fn timer_delete(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.delete_timer(a[0] as u32).map(|_| 0)
}

pub fn alarm(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (old, _) = ops.set_interval_timer(IntervalTimer::Real, u64::from(a[0] as u32) * 1_000_000_000, 0);
    Ok(old.div_ceil(1_000_000_000))
}

fn put_itimerval(ops: &mut dyn KernelOps, addr: u64, value: u64, interval: u64) -> KResult<()> {
    let mut b = [0u8; 32];
    b[..16].copy_from_slice(&Timeval::from_nanos(interval).to_bytes());
    b[16..].copy_from_slice(&Timeval::from_nanos(value).to_bytes());
    ops.copy_out(addr, &b)
}

/// The interval timer `which` names.
fn interval_timer(which: u64) -> KResult<IntervalTimer> {
    match which as u32 {
        ITIMER_REAL => Ok(IntervalTimer::Real),
        ITIMER_VIRTUAL => Ok(IntervalTimer::Virtual),
        ITIMER_PROF => Ok(IntervalTimer::Profiling),
        _ => Err(Error::InvalidArgument),
    }
}

pub fn setitimer(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let which = interval_timer(a[0])?;
    let (value, interval) = if a[1] == 0 {
        (0, 0)
    } else {
        let mut b = [0u8; 32];
        ops.copy_in(a[1], &mut b)?;
        let i = Timeval::from_bytes(&b[..16]).ok_or(Error::Fault)?;
        let v = Timeval::from_bytes(&b[16..]).ok_or(Error::Fault)?;
        if !i.is_valid() || !v.is_valid() {
            return Err(Error::InvalidArgument);
        }
        let ns = |t: Timeval| (t.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(t.tv_usec as u64 * 1000);
        (ns(v), ns(i))
    };
    let (old_v, old_i) = ops.set_interval_timer(which, value, interval);
    if a[2] != 0 {
        put_itimerval(ops, a[2], old_v, old_i)?;
    }
    Ok(0)
}

pub fn getitimer(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (v, i) = ops.interval_timer(interval_timer(a[0])?);
    put_itimerval(ops, a[1], v, i).map(|_| 0)
}
