//! LWPs, NetBSD's threads (sys/kern/sys_lwp.c): creating one from a
//! ucontext, ending it, its id, its private pointer (the FS base on
//! amd64), signalling one, and parking: the per-LWP sleep NetBSD's
//! libpthread and Go's runtime build their locks on.
//!
//! An LWP's id is the core's thread id (the main LWP's is the pid, where
//! NetBSD's is 1): ids are what _lwp_self returns and what the other
//! calls take, and nothing else relies on their values.

use crate::arch::ucontext::{self, UCONTEXT_BYTES, UC_CPU, UC_FPU, UC_SIGMASK, UC_TLSBASE};
use crate::signals::{set_to_core, to_core, NSIG};
use crate::sys::time::{clock, read_timespec};
use kernel_ops::{Clock, CloneArgs, Error, KResult, KernelOps, MaskHow};

/// _lwp_create's flags (sys/sys/lwp.h).
const LWP_DETACHED: u64 = 0x40;
const LWP_SUSPENDED: u64 = 0x80;

/// _lwp_create(ucp, flags, new_lwp): an LWP of this process that starts
/// from the ucontext's registers (which must have _UC_CPU and be valid,
/// as setcontext's), with its signal mask (_UC_SIGMASK, else the
/// creator's), FS base (_UC_TLSBASE, else the creator's) and FPU (_UC_FPU,
/// else the creator's), and no alternate signal stack. Its id is stored
/// at `new_lwp`. LWP_DETACHED changes nothing here (no _lwp_wait);
/// LWP_SUSPENDED is not supported.
pub fn lwp_create(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mut uc = [0u8; UCONTEXT_BYTES];
    ops.copy_in(a[0], &mut uc)?;
    let c = ucontext::read(&uc);
    if c.flags & UC_CPU == 0 {
        return Err(Error::InvalidArgument);
    }
    ucontext::validate(&c, ucontext::flags_of(ops.context()))?;
    if a[1] & LWP_SUSPENDED != 0 {
        ops.log_unsupported(format_args!("netbsd: _lwp_create with LWP_SUSPENDED"));
        return Err(Error::InvalidArgument);
    }
    let _detached = a[1] & LWP_DETACHED != 0;
    let mut start = ops.context().clone();
    ucontext::load(&mut start, &c);
    // The new thread takes the creator's mask and FPU as they are when it
    // is made: the creator's are set to the context's around the call.
    let old_mask = (c.flags & UC_SIGMASK != 0).then(|| ops.signal_mask(MaskHow::Set, Some(set_to_core(c.mask))));
    let old_fpu = (c.flags & UC_FPU != 0).then(|| {
        let saved = ops.fpu_state();
        ops.set_fpu_state(&c.fpu);
        saved
    });
    let args = CloneArgs {
        share_memory: true,
        share_files: true,
        share_fs: true,
        share_signal_handlers: true,
        thread: true,
        tls: (c.flags & UC_TLSBASE != 0).then_some(c.tls_base),
        ..CloneArgs::default()
    };
    let created = ops.clone_task_from(&args, &start);
    if let Some(mask) = old_mask {
        ops.signal_mask(MaskHow::Set, Some(mask));
    }
    if let Some(fpu) = old_fpu {
        ops.set_fpu_state(&fpu);
    }
    let id = created?;
    // As NetBSD, the id is stored after the LWP exists (a bad address is
    // EFAULT with the LWP running).
    ops.copy_out(a[2], &id.to_le_bytes())?;
    Ok(0)
}

/// _lwp_exit(): ends the calling LWP; the last one ends the process
/// with status 0.
pub fn lwp_exit(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    ops.exit(0, false);
    Ok(0)
}

/// _lwp_self(): the caller's id.
pub fn lwp_self(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(u64::from(ops.tid()))
}

/// _lwp_setprivate(ptr): on amd64 the FS base (sys_machdep.c
/// `cpu_lwp_setprivate`), where Go and libc keep thread-local data.
pub fn lwp_setprivate(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.set_thread_pointer(a[0]).map(|_| 0)
}

/// _lwp_getprivate(): what _lwp_setprivate (or a context's _UC_TLSBASE)
/// set.
pub fn lwp_getprivate(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    Ok(ops.thread_pointer())
}

/// _lwp_kill(target, signo): a signal to one LWP of this process;
/// signo 0 only checks that it exists; ESRCH for no such LWP.
pub fn lwp_kill(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let signo = a[1] as i32;
    if signo < 0 || signo as u32 >= NSIG {
        return Err(Error::InvalidArgument);
    }
    let signal = if signo == 0 { None } else { Some(to_core(signo as u32).ok_or(Error::InvalidArgument)?) };
    let target = u32::try_from(a[0] as i32).map_err(|_| Error::NoSuchProcess)?;
    let pid = ops.pid();
    ops.kill_thread(Some(pid), target, signal).map(|_| 0)
}

/// An LWP id argument (lwpid_t, an int).
fn lwp_id(raw: u64) -> KResult<u32> {
    u32::try_from(raw as i32).map_err(|_| Error::NoSuchProcess)
}

/// _lwp_unpark(target, hint): wakes a parked LWP, or makes its next park
/// return EALREADY at once. The hint (where the LWP sleeps, for NetBSD's
/// sleep-queue hashing) is not needed: parking is keyed by LWP.
pub fn lwp_unpark(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    ops.unpark_thread(lwp_id(a[0])?).map(|_| 0)
}

/// LWP_UNPARK_MAX: the most ids _lwp_unpark_all takes.
const LWP_UNPARK_MAX: u64 = 1024;

/// _lwp_unpark_all(targets, ntargets, hint): _lwp_unpark for each id of
/// an array (ids of no LWP are skipped); with a null array, the most it
/// takes.
pub fn lwp_unpark_all(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] == 0 {
        return Ok(LWP_UNPARK_MAX);
    }
    if a[1] > LWP_UNPARK_MAX {
        return Err(Error::InvalidArgument);
    }
    let mut ids = alloc::vec![0u8; a[1] as usize * 4];
    ops.copy_in(a[0], &mut ids)?;
    for id in ids.chunks_exact(4) {
        let id = i32::from_le_bytes([id[0], id[1], id[2], id[3]]);
        if let Ok(id) = u32::try_from(id) {
            match ops.unpark_thread(id) {
                Ok(()) | Err(Error::NoSuchProcess) => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(0)
}

/// TIMER_ABSTIME (sys/sys/time.h).
const TIMER_ABSTIME: i32 = 1;

/// ___lwp_park60(clock_id, flags, ts, unpark, hint, unparkhint): first
/// unparks `unpark` (if not 0; ESRCH if there is no such LWP), then
/// sleeps until unparked (0), the time passes (ETIMEDOUT) or a signal
/// comes (EINTR, never restarted); an unpark that came before returns
/// EALREADY at once. A timeout is relative, or absolute with
/// TIMER_ABSTIME, on CLOCK_REALTIME or CLOCK_MONOTONIC; one already
/// past, or of zero, is ETIMEDOUT without sleeping (ts2timo).
pub fn lwp_park(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let deadline = if a[2] == 0 {
        None
    } else {
        let ns = read_timespec(ops, a[2])?;
        let clk = match clock(a[0])? {
            c @ (Clock::Realtime | Clock::Monotonic) => c,
            _ => return Err(Error::InvalidArgument),
        };
        let now = ops.clock(clk)?;
        if a[1] as i32 & TIMER_ABSTIME != 0 {
            if ns <= now {
                return Err(Error::TimedOut);
            }
            Some((clk, ns))
        } else {
            if ns == 0 {
                return Err(Error::TimedOut);
            }
            Some((clk, now.saturating_add(ns)))
        }
    };
    if a[3] as i32 != 0 {
        ops.unpark_thread(lwp_id(a[3])?)?;
    }
    match ops.park(deadline) {
        Ok(()) => Ok(0),
        Err(Error::Restart) => Err(Error::Interrupted),
        Err(e) => Err(e),
    }
}

/// sched_yield(): the LWP gives up the rest of its time slice.
pub fn sched_yield(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    ops.yield_now();
    Ok(0)
}
