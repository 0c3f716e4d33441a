//! getrandom(2) (sys/kern/sys_getrandom.c).

use kernel_ops::{Error, KResult, KernelOps};

const GRND_NONBLOCK: u32 = 1;
const GRND_RANDOM: u32 = 2;
const GRND_INSECURE: u32 = 4;
/// IOSIZE_MAX: a longer request is EINVAL.
const IOSIZE_MAX: u64 = i64::MAX as u64;

/// Whether FreeBSD takes these flags. Unlike Linux, GRND_RANDOM and
/// GRND_INSECURE may come together: FreeBSD has one generator, seeded
/// before any program runs, so neither flag changes anything and no call
/// blocks.
pub fn flags_ok(flags: u64) -> bool {
    flags & !u64::from(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) == 0
}

/// getrandom(buf, buflen, flags): fills the whole buffer.
pub fn getrandom(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    // flags is an unsigned int: the upper half of the register is not
    // part of it.
    if !flags_ok(a[2] & 0xffff_ffff) || a[1] > IOSIZE_MAX {
        return Err(Error::InvalidArgument);
    }
    let mut buf = [0u8; 256];
    let mut done = 0u64;
    while done < a[1] {
        let n = (a[1] - done).min(buf.len() as u64) as usize;
        ops.random_bytes(&mut buf[..n]);
        ops.copy_out(a[0].wrapping_add(done), &buf[..n])?;
        done += n as u64;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_freebsd_s_three_flags_pass() {
        for f in 0..8 {
            assert!(flags_ok(f), "{f}");
        }
        assert!(!flags_ok(8));
        assert!(!flags_ok(0x8000_0000));
    }
}
