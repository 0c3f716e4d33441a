//! getrandom(2), NetBSD 10's (sys/kern/sys_getrandom.c).

use kernel_ops::{Error, KResult, KernelOps};

pub const GRND_NONBLOCK: u32 = 1;
pub const GRND_RANDOM: u32 = 2;
pub const GRND_INSECURE: u32 = 4;
/// GRND_RANDOM gives at most one seed's worth per call: the SHA-256
/// Hash_DRBG's seed length, 440 bits (NIST_HASH_DRBG_SEEDLEN_BYTES).
pub const RANDOM_MAX: u64 = 55;

/// Whether NetBSD takes these flags: its three, but not GRND_RANDOM and
/// GRND_INSECURE together ("nonsensical combination").
pub fn flags_ok(flags: u32) -> bool {
    flags & !(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) == 0
        && flags & (GRND_RANDOM | GRND_INSECURE) != GRND_RANDOM | GRND_INSECURE
}

/// How many bytes one call gives for a request of `len`.
pub fn amount(len: u64, flags: u32) -> u64 {
    if flags & GRND_RANDOM != 0 {
        len.min(RANDOM_MAX)
    } else {
        len
    }
}

/// getrandom(buf, buflen, flags): the generator here is seeded before any
/// program runs, so no call blocks. As sys_getrandom: once any bytes are
/// transferred, a later fault is not reported, the count is.
pub fn getrandom(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let flags = a[2] as u32;
    if !flags_ok(flags) {
        return Err(Error::InvalidArgument);
    }
    let want = amount(a[1], flags);
    let mut buf = [0u8; 256];
    let mut done = 0u64;
    while done < want {
        let n = (want - done).min(buf.len() as u64) as usize;
        ops.random_bytes(&mut buf[..n]);
        if let Err(e) = ops.copy_out(a[0].wrapping_add(done), &buf[..n]) {
            if done == 0 {
                return Err(e);
            }
            break;
        }
        done += n as u64;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        for f in [0, 1, 2, 3, 4, 5] {
            assert!(flags_ok(f), "{f}");
        }
        assert!(!flags_ok(6), "RANDOM with INSECURE");
        assert!(!flags_ok(7));
        assert!(!flags_ok(8));
    }

    #[test]
    fn grnd_random_is_short() {
        assert_eq!(amount(1000, 0), 1000);
        assert_eq!(amount(1000, GRND_RANDOM), 55);
        assert_eq!(amount(10, GRND_RANDOM), 10);
    }
}
