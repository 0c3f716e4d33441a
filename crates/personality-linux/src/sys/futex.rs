//! futex(2).

use crate::util::read_timespec;
use kernel_ops::{Clock, Error, KResult, KernelOps};
use linux_abi::futex::*;

pub fn futex(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let op = a[1] as u32;
    let cmd = op & FUTEX_CMD_MASK;
    let realtime = op & FUTEX_CLOCK_REALTIME != 0;
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
        FUTEX_REQUEUE => ops.futex_requeue(a[0], a[2] as u32, a[4], a[3] as u32, None).map(u64::from),
        FUTEX_CMP_REQUEUE => ops.futex_requeue(a[0], a[2] as u32, a[4], a[3] as u32, Some(a[5] as u32)).map(u64::from),
        _ => {
            ops.log_unsupported(format_args!("linux: futex operation {cmd}"));
            Err(Error::NotImplemented)
        }
    }
}
