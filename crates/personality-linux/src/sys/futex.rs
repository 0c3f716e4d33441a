//! futex(2).

use crate::util::read_timespec;
use kernel_ops::{Clock, Error, KResult, KernelOps};
use linux_abi::futex::*;

pub fn futex(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let op = a[1] as u32;
    let cmd = op & FUTEX_CMD_MASK;
    let realtime = op & FUTEX_CLOCK_REALTIME != 0;
    // Only the waits take a clock (Linux 4.5: FUTEX_WAIT too); any other
    // operation with FUTEX_CLOCK_REALTIME is ENOSYS, as Linux's do_futex.
    if realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET {
        return Err(Error::NotImplemented);
    }
    match cmd {
        FUTEX_WAIT | FUTEX_WAIT_BITSET => {
            let bitset = if cmd == FUTEX_WAIT { FUTEX_BITSET_MATCH_ANY } else { a[5] as u32 };
            if bitset == 0 {
                return Err(Error::InvalidArgument);
            }
            let deadline = if a[3] == 0 {
                None
            } else {
                let t = read_timespec(ops, a[3])?.to_nanos().ok_or(Error::InvalidArgument)?;
                if cmd == FUTEX_WAIT {
                    // FUTEX_WAIT takes a relative timeout on the monotonic clock.
                    Some((Clock::Monotonic, ops.clock(Clock::Monotonic)?.saturating_add(t)))
                } else {
                    Some((if realtime { Clock::Realtime } else { Clock::Monotonic }, t))
                }
            };
            ops.futex_wait(a[0], a[2] as u32, deadline, bitset).map(|_| 0)
        }
        FUTEX_WAKE | FUTEX_WAKE_BITSET => {
            let bitset = if cmd == FUTEX_WAKE { FUTEX_BITSET_MATCH_ANY } else { a[5] as u32 };
            if bitset == 0 {
                return Err(Error::InvalidArgument);
            }
            ops.futex_wake(a[0], a[2] as u32, bitset).map(u64::from)
        }
        FUTEX_REQUEUE | FUTEX_CMP_REQUEUE => {
            // Both counts are ints; a negative one is EINVAL (futex_requeue).
            let (wake, requeue) = (a[2] as i32, a[3] as i32);
            if wake < 0 || requeue < 0 {
                return Err(Error::InvalidArgument);
            }
            let expected = (cmd == FUTEX_CMP_REQUEUE).then_some(a[5] as u32);
            ops.futex_requeue(a[0], wake as u32, a[4], requeue as u32, expected).map(u64::from)
        }
        _ => {
            ops.log_unsupported(format_args!("linux: futex operation {cmd}"));
            Err(Error::NotImplemented)
        }
    }
}
