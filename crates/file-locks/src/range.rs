//! Byte ranges of a record lock, and how a request's (start, length) pair
//! becomes one.

/// The largest offset (Linux's `OFFSET_MAX`): a lock "to the end of the
/// file" ends here, however far the file grows.
pub const MAX_OFFSET: u64 = i64::MAX as u64;

/// Bytes `start..=end` of a file; `end` may be [`MAX_OFFSET`], meaning to
/// the end of the file and beyond. Never empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Range {
    start: u64,
    end: u64,
}

/// Why a (start, length) request names no range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeError {
    /// It would start before byte 0 (EINVAL).
    Negative,
    /// It would reach past [`MAX_OFFSET`] (EOVERFLOW).
    Overflow,
}

impl Range {
    /// Bytes `start..=end`; None when `start > end` or `end` is past
    /// [`MAX_OFFSET`].
    pub fn new(start: u64, end: u64) -> Option<Range> {
        (start <= end && end <= MAX_OFFSET).then_some(Range { start, end })
    }

    /// From `start` to the end of the file, however long it grows.
    pub fn to_end(start: u64) -> Option<Range> {
        Range::new(start, MAX_OFFSET)
    }

    /// The whole file.
    pub fn all() -> Range {
        Range { start: 0, end: MAX_OFFSET }
    }

    /// The range of a `struct flock` once its whence has given `base` (0,
    /// the file position or the file size), by POSIX's rules as Linux
    /// computes them: the range starts at `base + start`; a positive `len`
    /// covers that many bytes from there, a negative one the `-len` bytes
    /// *before* it, 0 everything to the end.
    pub fn from_relative(base: i64, start: i64, len: i64) -> Result<Range, RangeError> {
        if base < 0 {
            return Err(RangeError::Negative);
        }
        let max = MAX_OFFSET as i64;
        if start > max - base {
            return Err(RangeError::Overflow);
        }
        let first = base + start;
        if first < 0 {
            return Err(RangeError::Negative);
        }
        let (first, last) = if len > 0 {
            if len - 1 > max - first {
                return Err(RangeError::Overflow);
            }
            (first, first + (len - 1))
        } else if len < 0 {
            if first + len < 0 {
                return Err(RangeError::Negative);
            }
            (first + len, first - 1)
        } else {
            (first, max)
        };
        Ok(Range { start: first as u64, end: last as u64 })
    }

    pub fn start(&self) -> u64 {
        self.start
    }

    /// The last byte (inclusive).
    pub fn end(&self) -> u64 {
        self.end
    }

    /// Whether the range runs to the end of the file.
    pub fn is_to_end(&self) -> bool {
        self.end == MAX_OFFSET
    }

    /// The length as `struct flock` reports it: 0 for "to the end".
    pub fn len_or_zero(&self) -> u64 {
        if self.is_to_end() {
            0
        } else {
            self.end - self.start + 1
        }
    }

    pub fn overlaps(&self, other: &Range) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// Whether the two share a byte or touch end to start (so that locks
    /// of one owner and kind on them would merge into one).
    pub fn touches(&self, other: &Range) -> bool {
        self.start <= other.end.saturating_add(1) && other.start <= self.end.saturating_add(1)
    }

    /// The smallest range holding both.
    pub fn union(&self, other: &Range) -> Range {
        Range { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// What is left of `self` once `cut` is taken away: up to two pieces,
    /// the one before `cut` and the one after it.
    pub fn minus(&self, cut: &Range) -> (Option<Range>, Option<Range>) {
        if !self.overlaps(cut) {
            return (Some(*self), None);
        }
        let before = (self.start < cut.start).then(|| Range { start: self.start, end: cut.start - 1 });
        let after = (self.end > cut.end).then(|| Range { start: cut.end + 1, end: self.end });
        (before, after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: u64, end: u64) -> Range {
        Range::new(start, end).unwrap()
    }

    #[test]
    fn relative_ranges_follow_linux() {
        assert_eq!(Range::from_relative(0, 10, 5), Ok(r(10, 14)));
        assert_eq!(Range::from_relative(100, -10, 5), Ok(r(90, 94)));
        assert_eq!(Range::from_relative(0, 10, 0), Ok(r(10, MAX_OFFSET)));
        // A negative length locks the bytes before the start.
        assert_eq!(Range::from_relative(0, 10, -4), Ok(r(6, 9)));
        assert_eq!(Range::from_relative(0, 10, -10), Ok(r(0, 9)));
        assert_eq!(Range::from_relative(0, 10, -11), Err(RangeError::Negative));
        assert_eq!(Range::from_relative(0, 0, -1), Err(RangeError::Negative));
        assert_eq!(Range::from_relative(5, -6, 1), Err(RangeError::Negative));
        assert_eq!(Range::from_relative(0, i64::MIN, 0), Err(RangeError::Negative));
        // Past the largest offset: EOVERFLOW, as Linux says.
        assert_eq!(Range::from_relative(1, i64::MAX, 1), Err(RangeError::Overflow));
        assert_eq!(Range::from_relative(0, i64::MAX, 1), Ok(r(MAX_OFFSET, MAX_OFFSET)));
        assert_eq!(Range::from_relative(0, i64::MAX, 2), Err(RangeError::Overflow));
        assert_eq!(Range::from_relative(0, 1, i64::MAX), Ok(r(1, MAX_OFFSET)));
        assert_eq!(Range::from_relative(0, 2, i64::MAX), Err(RangeError::Overflow));
        assert_eq!(Range::from_relative(0, 0, i64::MIN), Err(RangeError::Negative));
        assert_eq!(Range::from_relative(-1, 0, 0), Err(RangeError::Negative));
    }

    #[test]
    fn lengths_report_zero_to_the_end() {
        assert_eq!(r(3, 7).len_or_zero(), 5);
        assert_eq!(Range::to_end(3).unwrap().len_or_zero(), 0);
        assert!(Range::new(4, 3).is_none());
        assert!(Range::new(0, MAX_OFFSET + 1).is_none());
    }

    #[test]
    fn overlap_touch_and_cut() {
        assert!(r(0, 4).overlaps(&r(4, 9)));
        assert!(!r(0, 4).overlaps(&r(5, 9)));
        assert!(r(0, 4).touches(&r(5, 9)));
        assert!(!r(0, 4).touches(&r(6, 9)));
        assert!(Range::all().touches(&r(MAX_OFFSET, MAX_OFFSET)));
        assert_eq!(r(0, 9).minus(&r(3, 5)), (Some(r(0, 2)), Some(r(6, 9))));
        assert_eq!(r(0, 9).minus(&r(0, 5)), (None, Some(r(6, 9))));
        assert_eq!(r(0, 9).minus(&r(5, MAX_OFFSET)), (Some(r(0, 4)), None));
        assert_eq!(r(0, 9).minus(&r(20, 30)), (Some(r(0, 9)), None));
        assert_eq!(r(3, 5).minus(&r(0, 9)), (None, None));
        assert_eq!(r(0, 4).union(&r(5, 9)), r(0, 9));
    }
}
