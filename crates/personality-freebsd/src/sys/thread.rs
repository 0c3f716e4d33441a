//! FreeBSD's threads (sys/kern/kern_thr.c) and the umtx operations their
//! locks sleep on (sys/kern/kern_umtx.c), on the core's threads and
//! futexes.

use super::ids::THREAD_ID_BASE;
use kernel_ops::{Clock, CloneArgs, Error, KResult, KernelOps, ThreadStart};

/// `struct thr_param` (sys/sys/thr.h): 104 bytes.
const THR_PARAM_BYTES: usize = 104;
const THR_SUSPENDED: u32 = 1;
const THR_SYSTEM_SCOPE: u32 = 2;
/// VM_MAXUSER_ADDRESS with 4-level paging.
const USER_END: u64 = 0x0000_8000_0000_0000;

fn word(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or([0; 8]))
}

/// thr_new(param, param_size): a thread of this process running
/// `start_func(arg)` on its own stack with its own FS base. A shorter
/// `param_size` leaves the rest zero, as FreeBSD copies only that much.
pub fn thr_new(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let size = a[1] as i32;
    if size < 0 || size as usize > THR_PARAM_BYTES {
        return Err(Error::InvalidArgument);
    }
    let mut p = [0u8; THR_PARAM_BYTES];
    ops.copy_in(a[0], &mut p[..size as usize])?;
    let (start_func, arg, stack_base, stack_size) = (word(&p, 0), word(&p, 8), word(&p, 16), word(&p, 24));
    let (tls_base, child_tid, parent_tid) = (word(&p, 32), word(&p, 48), word(&p, 56));
    let flags = u32::from_le_bytes(p[64..68].try_into().unwrap_or([0; 4]));
    if flags & !(THR_SUSPENDED | THR_SYSTEM_SCOPE) != 0 || tls_base >= USER_END {
        return Err(Error::InvalidArgument);
    }
    if flags & THR_SUSPENDED != 0 {
        ops.log_unsupported(format_args!("freebsd: thr_new with THR_SUSPENDED"));
        return Err(Error::InvalidArgument);
    }
    // cpu_set_upcall: 16-byte aligned, then a zero return address.
    let top = stack_base.checked_add(stack_size).ok_or(Error::InvalidArgument)? & !15;
    let sp = top.checked_sub(8).ok_or(Error::InvalidArgument)?;
    ops.copy_out(sp, &0u64.to_le_bytes())?;
    let args = CloneArgs {
        share_memory: true,
        share_files: true,
        share_fs: true,
        share_signal_handlers: true,
        thread: true,
        new_stack: Some(sp),
        tls: Some(tls_base),
        start: Some(ThreadStart { pc: start_func, argument: arg }),
        ..CloneArgs::default()
    };
    let tid = THREAD_ID_BASE + u64::from(ops.clone_task(&args)?);
    // FreeBSD stores the id (a long) in both places; the thread may
    // already run, and reads its own id with thr_self if it needs it first.
    for at in [child_tid, parent_tid] {
        if at != 0 {
            ops.copy_out(at, &tid.to_le_bytes())?;
        }
    }
    Ok(0)
}

const UMTX_OP_WAIT: i32 = 2;
const UMTX_OP_WAKE: i32 = 3;
const UMTX_OP_WAIT_UINT: i32 = 11;
const UMTX_OP_WAIT_UINT_PRIVATE: i32 = 15;
const UMTX_OP_WAKE_PRIVATE: i32 = 16;
const UMTX_ABSTIME: u32 = 1;
/// `struct _umtx_time`: a timespec, flags, a clock id.
const UMTX_TIME_BYTES: u64 = 24;

/// thr_exit(state): sets `*state` to 1 and wakes its waiters, then ends
/// the thread (the process, if it was the last).
pub fn thr_exit(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] != 0 {
        // A bad address only loses the notice, as on FreeBSD.
        if ops.copy_out(a[0], &1u64.to_le_bytes()).is_ok() {
            let _ = ops.futex_wake(a[0], i32::MAX as u32, u32::MAX);
        }
    }
    ops.exit(0, false);
    Ok(0)
}

/// The deadline a wait's timeout names: `uaddr1` is the size of what
/// `uaddr2` points at, a bare timespec (relative, CLOCK_REALTIME) or a
/// `_umtx_time` with its own clock and UMTX_ABSTIME.
fn deadline(ops: &mut dyn KernelOps, size: u64, at: u64) -> KResult<Option<(Clock, u64)>> {
    if at == 0 {
        return Ok(None);
    }
    let mut b = [0u8; UMTX_TIME_BYTES as usize];
    let whole = size >= UMTX_TIME_BYTES;
    ops.copy_in(at, &mut b[..if whole { 24 } else { 16 }])?;
    let (sec, nsec) = (word(&b, 0) as i64, word(&b, 8) as i64);
    if sec < 0 || !(0..1_000_000_000).contains(&nsec) {
        return Err(Error::InvalidArgument);
    }
    let ns = (sec as u64).saturating_mul(1_000_000_000).saturating_add(nsec as u64);
    let (flags, clock) = if whole {
        let flags = u32::from_le_bytes(b[16..20].try_into().unwrap_or([0; 4]));
        let clock = match u32::from_le_bytes(b[20..24].try_into().unwrap_or([0; 4])) {
            0 | 9 | 10 | 13 => Clock::Realtime,
            4 | 11 | 12 | 5 | 7 | 8 => Clock::Monotonic,
            _ => return Err(Error::InvalidArgument),
        };
        (flags, clock)
    } else {
        (0, Clock::Realtime)
    };
    if flags & UMTX_ABSTIME != 0 {
        return Ok(Some((clock, ns)));
    }
    let now = ops.clock(Clock::Monotonic)?;
    Ok(Some((Clock::Monotonic, now.saturating_add(ns))))
}

/// _umtx_op(obj, op, val, uaddr1, uaddr2): the sleep-and-wake operations
/// Go's runtime and simple locks use. A wait whose word no longer holds
/// `val` returns 0 at once (not EAGAIN); an interrupted one is EINTR; a
/// wake returns 0, not the number woken.
pub fn umtx_op(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (obj, op, val) = (a[0], a[1] as i32, a[2]);
    match op {
        UMTX_OP_WAIT_UINT | UMTX_OP_WAIT_UINT_PRIVATE | UMTX_OP_WAIT => {
            let expected = if op == UMTX_OP_WAIT {
                // A long-sized word: only a value that fits 32 bits can
                // match what the core compares.
                let mut b = [0u8; 8];
                ops.copy_in(obj, &mut b)?;
                if u64::from_le_bytes(b) != val {
                    return Ok(0);
                }
                val as u32
            } else {
                val as u32
            };
            let deadline = deadline(ops, a[3], a[4])?;
            match ops.futex_wait(obj, expected, deadline, u32::MAX) {
                Ok(()) | Err(Error::WouldBlock) => Ok(0),
                Err(Error::Restart) => Err(Error::Interrupted),
                Err(e) => Err(e),
            }
        }
        UMTX_OP_WAKE | UMTX_OP_WAKE_PRIVATE => {
            let count = u32::try_from(val).unwrap_or(u32::MAX).min(i32::MAX as u32);
            ops.futex_wake(obj, count, u32::MAX).map(|_| 0)
        }
        op => {
            ops.log_unsupported(format_args!("freebsd: _umtx_op operation {op}"));
            Err(Error::InvalidArgument)
        }
    }
}

/// sched_yield(): the thread gives up the rest of its time slice.
pub fn sched_yield(ops: &mut dyn KernelOps, _: [u64; 6]) -> KResult<u64> {
    ops.yield_now();
    Ok(0)
}

/// cpuset's levels and the kinds of id (sys/sys/cpuset.h).
const CPU_LEVEL_ROOT: u32 = 1;
const CPU_LEVEL_CPUSET: u32 = 2;
const CPU_LEVEL_WHICH: u32 = 3;
const CPU_WHICH_TID: u32 = 1;
const CPU_WHICH_PID: u32 = 2;
/// cpuset_t's size in bytes (CPU_MAXSIZE 1024 bits).
const CPUSET_BYTES: u64 = 128;

/// The thread a cpuset call names: id -1 is the caller.
fn cpuset_thread(ops: &mut dyn KernelOps, which: u32, id: i64) -> KResult<u32> {
    match (which, id) {
        (CPU_WHICH_TID | CPU_WHICH_PID, -1) => Ok(ops.tid()),
        (CPU_WHICH_TID, t) => crate::sys::ids::core_thread_id(t as u64).ok_or(Error::NoSuchProcess),
        // A process's mask is its main thread's, whose id is the pid.
        (CPU_WHICH_PID, p) => u32::try_from(p).map_err(|_| Error::NoSuchProcess),
        (w, _) => {
            ops.log_unsupported(format_args!("freebsd: cpuset which {w}"));
            Err(Error::InvalidArgument)
        }
    }
}

/// cpuset_getaffinity(level, which, id, setsize, mask): the CPUs a thread
/// may run on (CPU_LEVEL_WHICH), or all the machine's (the root and
/// cpuset levels: one set here).
pub fn cpuset_getaffinity(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (level, which, id, size) = (a[0] as u32, a[1] as u32, a[2] as i64, a[3]);
    let cpus = ops.cpu_count().max(1);
    if size == 0 || size > CPUSET_BYTES || size * 8 < u64::from(cpus) {
        return Err(Error::OutOfRange);
    }
    let mask = match level {
        CPU_LEVEL_ROOT | CPU_LEVEL_CPUSET => {
            if cpus >= 64 {
                u64::MAX
            } else {
                (1u64 << cpus) - 1
            }
        }
        CPU_LEVEL_WHICH => {
            let tid = cpuset_thread(ops, which, id)?;
            ops.cpu_affinity(tid)?
        }
        _ => return Err(Error::InvalidArgument),
    };
    let mut bytes = alloc::vec![0u8; size as usize];
    let n = bytes.len().min(8);
    bytes[..n].copy_from_slice(&mask.to_le_bytes()[..n]);
    ops.copy_out(a[4], &bytes).map(|_| 0)
}

/// cpuset_setaffinity(level, which, id, setsize, mask): a thread's CPUs.
pub fn cpuset_setaffinity(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (level, which, id, size) = (a[0] as u32, a[1] as u32, a[2] as i64, a[3]);
    if size == 0 || size > CPUSET_BYTES {
        return Err(Error::OutOfRange);
    }
    if level != CPU_LEVEL_WHICH {
        ops.log_unsupported(format_args!("freebsd: cpuset_setaffinity level {level}"));
        return Err(Error::InvalidArgument);
    }
    let mut bytes = alloc::vec![0u8; size as usize];
    ops.copy_in(a[4], &mut bytes)?;
    // CPUs past the 64 the core numbers cannot be online.
    let mut low = [0u8; 8];
    let n = bytes.len().min(8);
    low[..n].copy_from_slice(&bytes[..n]);
    let tid = cpuset_thread(ops, which, id)?;
    ops.set_cpu_affinity(tid, u64::from_le_bytes(low)).map(|_| 0)
}
