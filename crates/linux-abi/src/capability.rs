//! Capabilities (`linux/capability.h`): the numbers' bound and the
//! capget/capset header versions and data layout.

/// The highest capability this ABI knows (CAP_CHECKPOINT_RESTORE, Linux 5.9+).
pub const CAP_LAST_CAP: u32 = 40;

/// `__user_cap_header_struct.version`: one 32-bit word per set.
pub const LINUX_CAPABILITY_VERSION_1: u32 = 0x1998_0330;
/// Two words per set (deprecated: its header went out with a bug).
pub const LINUX_CAPABILITY_VERSION_2: u32 = 0x2007_1026;
/// Two words per set; what a kernel answers when asked with a bad version.
pub const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;

/// How many `__user_cap_data_struct`s (effective, permitted, inheritable:
/// u32 each) a header version carries, or `None` for an unknown version.
pub fn data_words(version: u32) -> Option<usize> {
    match version {
        LINUX_CAPABILITY_VERSION_1 => Some(1),
        LINUX_CAPABILITY_VERSION_2 | LINUX_CAPABILITY_VERSION_3 => Some(2),
        _ => None,
    }
}

/// The three sets as 64-bit masks, from `words` data structs
/// (12 bytes each, low word first); missing high words are 0.
pub fn decode_data(bytes: &[u8], words: usize) -> Option<[u64; 3]> {
    if bytes.len() < words * 12 {
        return None;
    }
    let mut sets = [0u64; 3];
    for w in 0..words {
        for (i, set) in sets.iter_mut().enumerate() {
            let at = w * 12 + i * 4;
            let v = u32::from_le_bytes(bytes[at..at + 4].try_into().ok()?);
            *set |= u64::from(v) << (32 * w);
        }
    }
    Some(sets)
}

/// Two data structs holding the (effective, permitted, inheritable) sets;
/// a version-1 caller gets the first 12 bytes.
pub fn encode_data(sets: [u64; 3]) -> [u8; 24] {
    let mut out = [0u8; 24];
    for w in 0..2 {
        for (i, set) in sets.iter().enumerate() {
            let at = w * 12 + i * 4;
            out[at..at + 4].copy_from_slice(&((set >> (32 * w)) as u32).to_le_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_round_trips_in_both_layouts() {
        let sets = [0x1_0000_0021, 0x1_ffff_ffff, 0x4];
        assert_eq!(decode_data(&encode_data(sets), 2), Some(sets));
        // Version 1 holds only the low words.
        assert_eq!(decode_data(&encode_data(sets)[..12], 1), Some([0x21, 0xffff_ffff, 0x4]));
        assert_eq!(decode_data(&[0; 23], 2), None);
        assert_eq!(data_words(0), None);
        assert_eq!(data_words(LINUX_CAPABILITY_VERSION_3), Some(2));
    }
}
