//! Bounds-checked little-endian reads from bytes already copied out of
//! physical memory.
//!
//! Every field decode goes through these helpers, so there is one place where
//! an offset becomes a slice, and it cannot panic. `None` means "the bytes end
//! first", which callers turn into an error or into "field absent" (a short,
//! older revision of a table).

/// `N` bytes starting at `at`, or `None` if any of them lies outside `bytes`.
pub(crate) fn array<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    let end = at.checked_add(N)?;
    bytes.get(at..end)?.try_into().ok()
}

pub(crate) fn u8_at(bytes: &[u8], at: usize) -> Option<u8> {
    bytes.get(at).copied()
}

pub(crate) fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    array(bytes, at).map(u16::from_le_bytes)
}

pub(crate) fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    array(bytes, at).map(u32::from_le_bytes)
}

pub(crate) fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    array(bytes, at).map(u64::from_le_bytes)
}

/// The first `len` bytes of `bytes`, or all of them if there are fewer.
pub(crate) fn prefix_mut(bytes: &mut [u8], len: usize) -> &mut [u8] {
    let len = len.min(bytes.len());
    let (head, _) = bytes.split_at_mut(len);
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_little_endian_and_bounded() {
        let b = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        assert_eq!(u16_at(&b, 0), Some(0x0201));
        assert_eq!(u32_at(&b, 1), Some(0x0504_0302));
        assert_eq!(u64_at(&b, 1), Some(0x0908_0706_0504_0302));
        assert_eq!(u64_at(&b, 2), None);
        assert_eq!(u32_at(&b, usize::MAX), None);
        assert_eq!(u8_at(&b, 9), None);
    }

    #[test]
    fn prefix_clamps() {
        let mut b = [1, 2, 3];
        assert_eq!(prefix_mut(&mut b, 2), &[1, 2]);
        assert_eq!(prefix_mut(&mut b, 9).len(), 3);
        assert_eq!(prefix_mut(&mut b, 0).len(), 0);
    }
}
