//! `lseek` whence values (`linux/fs.h`).

pub const SEEK_SET: u32 = 0;
pub const SEEK_CUR: u32 = 1;
pub const SEEK_END: u32 = 2;
/// The next offset at or after the given one that holds data.
pub const SEEK_DATA: u32 = 3;
/// The next hole at or after the given offset (end of file counts as one).
pub const SEEK_HOLE: u32 = 4;
/// The largest valid whence; above is EINVAL.
pub const SEEK_MAX: u32 = SEEK_HOLE;

/// The new file position for `lseek(offset, whence)` on a file of `size`
/// bytes currently at `pos`, for the three classic whence values: `None`
/// when the result would be negative or overflow (EINVAL / EOVERFLOW).
pub const fn resolve(pos: i64, size: i64, offset: i64, whence: u32) -> Option<i64> {
    let base = match whence {
        SEEK_SET => 0,
        SEEK_CUR => pos,
        SEEK_END => size,
        _ => return None,
    };
    match base.checked_add(offset) {
        Some(p) if p >= 0 => Some(p),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves() {
        assert_eq!(resolve(10, 100, 5, SEEK_SET), Some(5));
        assert_eq!(resolve(10, 100, 5, SEEK_CUR), Some(15));
        assert_eq!(resolve(10, 100, -1, SEEK_END), Some(99));
        assert_eq!(resolve(10, 100, -11, SEEK_CUR), None);
        assert_eq!(resolve(0, i64::MAX, 1, SEEK_END), None);
        assert_eq!(resolve(0, 0, 0, 7), None);
    }
}
