//! `struct iovec`, the scatter/gather element of `readv`, `writev`,
//! `preadv`, `sendmsg` and friends (`linux/uio.h`).

use crate::wire::{get_u64, prefix, put_u64};

/// The most elements one vectored call accepts; more is EINVAL.
pub const UIO_MAXIOV: usize = 1024;
/// Linux handles up to this many elements without allocating.
pub const UIO_FASTIOV: usize = 8;

/// `preadv2`/`pwritev2` flags (`linux/fs.h`, `__kernel_rwf_t`).
/// Polled completion: a hint for direct I/O, meaningless without it.
pub const RWF_HIPRI: u32 = 0x01;
/// Per-call O_DSYNC.
pub const RWF_DSYNC: u32 = 0x02;
/// Per-call O_SYNC.
pub const RWF_SYNC: u32 = 0x04;
/// Fail with EAGAIN rather than wait for data or room.
pub const RWF_NOWAIT: u32 = 0x08;
/// Per-call O_APPEND: write at the end, whatever the offset.
pub const RWF_APPEND: u32 = 0x10;
/// Per-call clearing of O_APPEND: write at the given offset (Linux 6.9).
pub const RWF_NOAPPEND: u32 = 0x20;

/// One user buffer. `iov_base` is a user address: an allegation to be
/// validated before use, never a pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Iovec {
    pub iov_base: u64,
    pub iov_len: u64,
}

impl Iovec {
    pub const SIZE: usize = 16;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.iov_base);
        put_u64(&mut b, 8, self.iov_len);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { iov_base: get_u64(b, 0), iov_len: get_u64(b, 8) })
    }
}

/// Decodes an array of iovecs copied in from user space, `None` if `bytes`
/// is not a whole number of elements. Linux also fails the call with EINVAL
/// if the total length exceeds `isize::MAX`; see [`total_len`].
pub fn iovecs(bytes: &[u8]) -> Option<impl Iterator<Item = Iovec> + '_> {
    if !bytes.len().is_multiple_of(Iovec::SIZE) {
        return None;
    }
    Some(bytes.chunks_exact(Iovec::SIZE).filter_map(Iovec::from_bytes))
}

/// The summed length of `iov`, or `None` when it would exceed `isize::MAX`
/// (the kernel's EINVAL case).
pub fn total_len(iov: impl IntoIterator<Item = Iovec>) -> Option<u64> {
    let mut total: u64 = 0;
    for v in iov {
        total = total.checked_add(v.iov_len)?;
        if total > isize::MAX as u64 {
            return None;
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn arrays() {
        let mut buf = [0u8; 32];
        buf[..16].copy_from_slice(&Iovec { iov_base: 0x1000, iov_len: 5 }.to_bytes());
        buf[16..].copy_from_slice(&Iovec { iov_base: 0x2000, iov_len: 7 }.to_bytes());
        let v: [Iovec; 2] = {
            let mut it = iovecs(&buf).unwrap();
            [it.next().unwrap(), it.next().unwrap()]
        };
        assert_eq!(v[1], Iovec { iov_base: 0x2000, iov_len: 7 });
        assert_eq!(total_len(v), Some(12));
        assert!(iovecs(&buf[..31]).is_none());
        assert_eq!(total_len([Iovec { iov_base: 0, iov_len: u64::MAX }]), None);
        assert_eq!(total_len([Iovec { iov_base: 0, iov_len: 1 << 62 }; 2]), None);
    }

    proptest! {
        #[test]
        fn round_trip(a: u64, l: u64) {
            let v = Iovec { iov_base: a, iov_len: l };
            prop_assert_eq!(Iovec::from_bytes(&v.to_bytes()), Some(v));
        }
    }
}
