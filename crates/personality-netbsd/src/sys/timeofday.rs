//! __gettimeofday50 (sys/kern/kern_time.c): the time of day with NetBSD
//! 5's 64-bit time_t.

use kernel_ops::{Clock, KResult, KernelOps};

/// `struct timeval` {time_t tv_sec; suseconds_t tv_usec (an int, then 4
/// bytes of padding)} for `ns` nanoseconds since the epoch.
pub fn timeval_bytes(ns: u64) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&(ns / 1_000_000_000).to_le_bytes());
    b[8..12].copy_from_slice(&((ns % 1_000_000_000 / 1000) as u32).to_le_bytes());
    b
}

/// __gettimeofday50(tp, tzp): the real-time clock; the `struct timezone`
/// (two ints) is always {0, 0}, as NetBSD's own ("tzfake").
pub fn gettimeofday(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if a[0] != 0 {
        let ns = ops.clock(Clock::Realtime)?;
        ops.copy_out(a[0], &timeval_bytes(ns))?;
    }
    if a[1] != 0 {
        ops.copy_out(a[1], &[0u8; 8])?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn timeval_layout() {
        let b = super::timeval_bytes(1_700_000_000_123_456_789);
        assert_eq!(i64::from_le_bytes(b[..8].try_into().unwrap()), 1_700_000_000);
        assert_eq!(i32::from_le_bytes(b[8..12].try_into().unwrap()), 123_456);
        assert_eq!(&b[12..], &[0; 4]);
    }
}
