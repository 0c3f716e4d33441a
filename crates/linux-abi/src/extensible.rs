//! The kernel's rule for extensible structures passed by pointer and size
//! (`clone3`'s `clone_args`, `openat2`'s `open_how`, `sched_setattr`, ...),
//! as `copy_struct_from_user` implements it: a new kernel must accept an old
//! program's smaller struct (missing fields read as zero), and an old kernel
//! must refuse a newer program's bigger struct unless every byte it does not
//! understand is zero.

use crate::errno::{E2BIG, EINVAL};

/// Checks a user struct of `bytes.len()` bytes against a kernel that knows
/// `known` bytes and needs at least `min` (the first published version).
/// `Err(EINVAL)` if too small, `Err(E2BIG)` if non-zero bytes lie past `known`.
pub fn check(bytes: &[u8], min: usize, known: usize) -> Result<(), i32> {
    if bytes.len() < min {
        return Err(EINVAL);
    }
    if bytes.get(known..).is_some_and(|tail| tail.iter().any(|&b| b != 0)) {
        return Err(E2BIG);
    }
    Ok(())
}

/// Copies the user struct into a zeroed buffer of the size this crate knows,
/// after [`check`]: the shorter of the two wins, the rest stays zero.
pub fn widen<const N: usize>(bytes: &[u8], min: usize) -> Result<[u8; N], i32> {
    check(bytes, min, N)?;
    let mut out = [0u8; N];
    let n = bytes.len().min(N);
    out[..n].copy_from_slice(&bytes[..n]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert_eq!(check(&[0; 8], 16, 24), Err(EINVAL));
        assert_eq!(check(&[0; 16], 16, 24), Ok(()));
        assert_eq!(check(&[0; 64], 16, 24), Ok(()));
        let mut v = [0u8; 64];
        v[63] = 1;
        assert_eq!(check(&v, 16, 24), Err(E2BIG));
        v[63] = 0;
        v[23] = 1;
        assert_eq!(check(&v, 16, 24), Ok(()));
        let w: [u8; 24] = widen(&[7u8; 16], 16).unwrap();
        assert_eq!(&w[..16], &[7; 16]);
        assert_eq!(&w[16..], &[0; 8]);
    }
}
