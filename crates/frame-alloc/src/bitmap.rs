//! A fixed-size bitmap over borrowed words, with the word-at-a-time searches
//! the allocator needs.
//!
//! Searches look at 64 bits per step and skip words that cannot match, which
//! is what keeps allocation fast on a mostly full or mostly empty map.

use core::ops::Range;

const BITS: usize = u64::BITS as usize;

/// Words needed to hold `bits` bits.
pub(crate) const fn words_for(bits: usize) -> usize {
    bits.div_ceil(BITS)
}

/// Indices of the words that hold some bit of `bits`.
fn words_touched(bits: &Range<usize>) -> Range<usize> {
    if bits.is_empty() {
        0..0
    } else {
        bits.start / BITS..words_for(bits.end)
    }
}

/// The bits of word `word` that lie inside the non-empty range `bits`.
fn mask_in_word(bits: &Range<usize>, word: usize) -> u64 {
    let word_start = word * BITS;
    let low = bits.start.saturating_sub(word_start);
    let high = (bits.end - word_start).min(BITS);
    // Bits [low, high); high > low because the word holds part of the range.
    (u64::MAX >> (BITS - (high - low))) << low
}

/// The words a bit range touches, each with the mask of its bits inside the
/// range. Range operations work on whole words through this.
pub(crate) fn word_masks(bits: Range<usize>) -> impl DoubleEndedIterator<Item = (usize, u64)> {
    words_touched(&bits).map(move |word| (word, mask_in_word(&bits, word)))
}

/// Bits over a borrowed slice of words. Bits past `len` in the last word are
/// kept clear, so whole-word tests never see them.
pub(crate) struct Bitmap<'a> {
    words: &'a mut [u64],
    len: usize,
}

impl<'a> Bitmap<'a> {
    /// A bitmap of `len` clear bits. `words` must hold at least
    /// `words_for(len)` words; extra words are left alone.
    pub(crate) fn cleared(words: &'a mut [u64], len: usize) -> Self {
        let words = &mut words[..words_for(len)];
        words.fill(0);
        Self { words, len }
    }

    pub(crate) fn word_count(&self) -> usize {
        self.words.len()
    }

    pub(crate) fn word(&self, index: usize) -> u64 {
        self.words[index]
    }

    /// Replaces the bits of `mask` in word `index` with those of `value`.
    pub(crate) fn write_masked(&mut self, index: usize, mask: u64, value: u64) {
        let word = &mut self.words[index];
        *word = (*word & !mask) | (value & mask);
    }

    /// Lowest set bit in `range`.
    pub(crate) fn first_set_in(&self, range: Range<usize>) -> Option<usize> {
        debug_assert!(range.end <= self.len);
        word_masks(range).find_map(|(word, mask)| {
            let hits = self.words[word] & mask;
            (hits != 0).then(|| word * BITS + hits.trailing_zeros() as usize)
        })
    }

    /// Highest set bit in `range`.
    pub(crate) fn last_set_in(&self, range: Range<usize>) -> Option<usize> {
        debug_assert!(range.end <= self.len);
        word_masks(range).rev().find_map(|(word, mask)| {
            let hits = self.words[word] & mask;
            (hits != 0).then(|| word * BITS + (BITS - 1 - hits.leading_zeros() as usize))
        })
    }

    /// Lowest clear bit in `range`.
    pub(crate) fn first_clear_in(&self, range: Range<usize>) -> Option<usize> {
        debug_assert!(range.end <= self.len);
        word_masks(range).find_map(|(word, mask)| {
            let hits = !self.words[word] & mask;
            (hits != 0).then(|| word * BITS + hits.trailing_zeros() as usize)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec;
    use std::vec::Vec;

    #[test]
    fn words_for_rounds_up() {
        assert_eq!(words_for(0), 0);
        assert_eq!(words_for(1), 1);
        assert_eq!(words_for(64), 1);
        assert_eq!(words_for(65), 2);
    }

    #[test]
    fn word_masks_cover_exactly_the_range() {
        assert_eq!(word_masks(3..3).count(), 0);
        assert_eq!(word_masks(0..64).collect::<Vec<_>>(), vec![(0, u64::MAX)]);
        assert_eq!(word_masks(1..3).collect::<Vec<_>>(), vec![(0, 0b110)]);
        assert_eq!(word_masks(62..130).collect::<Vec<_>>(), vec![(0, 0b11 << 62), (1, u64::MAX), (2, 0b11)]);
        assert_eq!(word_masks(64..65).collect::<Vec<_>>(), vec![(1, 1)]);
        assert_eq!(word_masks(63..64).collect::<Vec<_>>(), vec![(0, 1 << 63)]);
    }

    #[test]
    fn word_masks_match_bit_by_bit_definition() {
        for start in 0..140 {
            for end in start..140 {
                let mut expected = [0u64; 3];
                for bit in start..end {
                    expected[bit / 64] |= 1 << (bit % 64);
                }
                let mut actual = [0u64; 3];
                for (word, mask) in word_masks(start..end) {
                    assert_eq!(actual[word], 0, "word {word} visited twice");
                    assert_ne!(mask, 0, "empty mask for word {word}");
                    actual[word] = mask;
                }
                assert_eq!(actual, expected, "range {start}..{end}");
            }
        }
    }

    #[test]
    fn cleared_zeroes_only_its_words() {
        let mut storage = [u64::MAX; 4];
        let map = Bitmap::cleared(&mut storage, 65);
        assert_eq!(map.word_count(), 2);
        assert_eq!(storage, [0, 0, u64::MAX, u64::MAX]);
    }

    #[test]
    fn searches_find_the_extreme_bits_in_range() {
        let mut storage = [0u64; 3];
        let mut map = Bitmap::cleared(&mut storage, 192);
        for bit in [5, 70, 130] {
            map.write_masked(bit / 64, 1 << (bit % 64), u64::MAX);
        }
        assert_eq!(map.first_set_in(0..192), Some(5));
        assert_eq!(map.first_set_in(6..192), Some(70));
        assert_eq!(map.first_set_in(71..130), None);
        assert_eq!(map.first_set_in(5..5), None);
        assert_eq!(map.last_set_in(0..192), Some(130));
        assert_eq!(map.last_set_in(0..130), Some(70));
        assert_eq!(map.last_set_in(0..5), None);
        assert_eq!(map.last_set_in(6..6), None);
        assert_eq!(map.first_clear_in(5..6), None);
        assert_eq!(map.first_clear_in(5..7), Some(6));
    }

    #[test]
    fn searches_agree_with_a_naive_scan() {
        let mut storage = [0u64; 3];
        let mut map = Bitmap::cleared(&mut storage, 150);
        // A fixed irregular pattern: every bit whose index has a 1 in bit 2 or is 7 mod 11.
        let pattern = |bit: usize| bit & 4 != 0 || bit % 11 == 7;
        for bit in (0..150).filter(|&b| pattern(b)) {
            map.write_masked(bit / 64, 1 << (bit % 64), u64::MAX);
        }
        for start in 0..150 {
            for end in start..150 {
                let set = (start..end).find(|&b| pattern(b));
                let last = (start..end).rev().find(|&b| pattern(b));
                let clear = (start..end).find(|&b| !pattern(b));
                assert_eq!(map.first_set_in(start..end), set, "{start}..{end}");
                assert_eq!(map.last_set_in(start..end), last, "{start}..{end}");
                assert_eq!(map.first_clear_in(start..end), clear, "{start}..{end}");
            }
        }
    }
}
