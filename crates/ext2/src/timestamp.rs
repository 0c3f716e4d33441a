//! Inode times: 32-bit signed seconds in the base inode, and, in large
//! inodes, an "extra" word holding nanoseconds (upper 30 bits) and two
//! more bits of seconds (the epoch), which carries times past 2038.

use vfs::Timestamp;

const EPOCH_BITS: u32 = 2;
const EPOCH_MASK: u32 = (1 << EPOCH_BITS) - 1;
const MAX_NANOS: u32 = 999_999_999;

/// Decodes a time; `extra` is `None` when the inode has no room for it.
pub fn decode(secs: u32, extra: Option<u32>) -> Timestamp {
    let base = i64::from(secs as i32);
    match extra {
        None => Timestamp::from_secs(base),
        Some(extra) => Timestamp {
            secs: base + (i64::from(extra & EPOCH_MASK) << 32),
            nanos: (extra >> EPOCH_BITS).min(MAX_NANOS),
        },
    }
}

/// Encodes a time as (seconds, extra word), clamped to what fits: without
/// the extra word the signed 32-bit range, with it 34 bits of seconds.
pub fn encode(time: Timestamp, with_extra: bool) -> (u32, u32) {
    let min = i64::from(i32::MIN);
    if !with_extra {
        let secs = time.secs.clamp(min, i64::from(i32::MAX));
        return (secs as i32 as u32, 0);
    }
    let max = i64::from(i32::MAX) + (i64::from(EPOCH_MASK) << 32);
    let secs = time.secs.clamp(min, max);
    let low = secs as i32;
    let epoch = ((secs - i64::from(low)) >> 32) as u32 & EPOCH_MASK;
    (low as u32, (time.nanos.min(MAX_NANOS) << EPOCH_BITS) | epoch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for secs in [0, 1, -1, 1_700_000_000, i64::from(i32::MAX) + 5, -(1 << 31)] {
            let t = Timestamp { secs, nanos: 123_456_789 };
            let (s, e) = encode(t, true);
            assert_eq!(decode(s, Some(e)), t);
        }
        let (s, _) = encode(Timestamp::from_secs(-5), false);
        assert_eq!(decode(s, None), Timestamp::from_secs(-5));
        let (s, _) = encode(Timestamp::from_secs(1 << 40), false);
        assert_eq!(decode(s, None).secs, i64::from(i32::MAX));
        assert_eq!(decode(0, Some(u32::MAX)).nanos, MAX_NANOS);
    }
}
