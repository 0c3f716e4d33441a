//! Bounds-checked little-endian reads from untrusted bytes.
//!
//! Every read in the crate goes through these helpers, so there is exactly one
//! place where an offset becomes a slice, and it cannot panic.

/// `N` bytes starting at `at`, or `None` if any of them lies outside `bytes`.
fn array<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
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

/// The `len` bytes at file offset `offset`, with both given as the 64-bit
/// quantities ELF stores; `None` if the range overflows or leaves `bytes`.
pub(crate) fn range(bytes: &[u8], offset: u64, len: u64) -> Option<&[u8]> {
    let start = usize::try_from(offset).ok()?;
    let len = usize::try_from(len).ok()?;
    bytes.get(start..start.checked_add(len)?)
}

/// `value` rounded up to a multiple of `align`, which must be a power of two.
pub(crate) fn align_up(value: usize, align: usize) -> Option<usize> {
    let mask = align.checked_sub(1)?;
    Some(value.checked_add(mask)? & !mask)
}

/// The bytes of `bytes` before its first NUL, or `None` if it has none.
pub(crate) fn until_nul(bytes: &[u8]) -> Option<&[u8]> {
    let end = bytes.iter().position(|&b| b == 0)?;
    bytes.get(..end)
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
    fn range_rejects_overflow_and_overrun() {
        let b = [0u8; 16];
        assert_eq!(range(&b, 4, 12).map(<[u8]>::len), Some(12));
        assert_eq!(range(&b, 4, 13), None);
        assert_eq!(range(&b, u64::MAX, 2), None);
        assert_eq!(range(&b, 2, u64::MAX), None);
    }

    #[test]
    fn align_up_rounds_and_detects_overflow() {
        assert_eq!(align_up(0, 4), Some(0));
        assert_eq!(align_up(5, 4), Some(8));
        assert_eq!(align_up(8, 8), Some(8));
        assert_eq!(align_up(usize::MAX, 4), None);
        assert_eq!(align_up(3, 0), None);
    }

    #[test]
    fn until_nul_needs_a_terminator() {
        assert_eq!(until_nul(b"abc\0def"), Some(&b"abc"[..]));
        assert_eq!(until_nul(b"\0"), Some(&b""[..]));
        assert_eq!(until_nul(b"abc"), None);
    }
}
