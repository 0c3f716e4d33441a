//! Bounds-checked reads of fixed-width integers in either byte order.
//! PE is little-endian, universal Mach-O headers big-endian, and thin Mach-O
//! headers whichever order the magic number shows.

/// Byte order of a multi-byte field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Endian {
    Little,
    Big,
}

fn array<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    bytes.get(at..at.checked_add(N)?)?.try_into().ok()
}

pub(crate) fn u16_le(bytes: &[u8], at: usize) -> Option<u16> {
    array(bytes, at).map(u16::from_le_bytes)
}

pub(crate) fn u32_le(bytes: &[u8], at: usize) -> Option<u32> {
    array(bytes, at).map(u32::from_le_bytes)
}

pub(crate) fn u64_le(bytes: &[u8], at: usize) -> Option<u64> {
    array(bytes, at).map(u64::from_le_bytes)
}

pub(crate) fn u32_in(endian: Endian, bytes: &[u8], at: usize) -> Option<u32> {
    let raw = array(bytes, at)?;
    Some(match endian {
        Endian::Little => u32::from_le_bytes(raw),
        Endian::Big => u32::from_be_bytes(raw),
    })
}

pub(crate) fn u64_in(endian: Endian, bytes: &[u8], at: usize) -> Option<u64> {
    let raw = array(bytes, at)?;
    Some(match endian {
        Endian::Little => u64::from_le_bytes(raw),
        Endian::Big => u64::from_be_bytes(raw),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_orders_and_stays_in_bounds() {
        let b = [0xca, 0xfe, 0xba, 0xbe, 1, 2, 3, 4];
        assert_eq!(u32_in(Endian::Big, &b, 0), Some(0xcafe_babe));
        assert_eq!(u32_in(Endian::Little, &b, 0), Some(0xbeba_feca));
        assert_eq!(u64_in(Endian::Big, &b, 0), Some(0xcafe_babe_0102_0304));
        assert_eq!(u16_le(&b, 7), None);
        assert_eq!(u32_le(&b, usize::MAX - 1), None);
        assert_eq!(u64_le(&b, 1), None);
    }
}
