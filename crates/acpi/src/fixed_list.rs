//! A list with a fixed capacity that counts what did not fit, so a full list
//! is never mistaken for a complete one.

use core::fmt;
use core::ops::Deref;

/// Up to `N` items kept in place, plus how many more were offered and
/// dropped. Dereferences to a slice of the kept items.
#[derive(Clone, Copy)]
pub struct FixedList<T, const N: usize> {
    items: [T; N],
    len: usize,
    dropped: u32,
}

impl<T: Copy + Default, const N: usize> FixedList<T, N> {
    /// How many items the list can hold.
    pub const CAPACITY: usize = N;

    /// An empty list.
    pub fn new() -> Self {
        FixedList { items: [T::default(); N], len: 0, dropped: 0 }
    }

    /// Appends `item`, or counts it as dropped if the list is full.
    pub(crate) fn push(&mut self, item: T) {
        match self.items.get_mut(self.len) {
            Some(slot) => {
                *slot = item;
                self.len = self.len.saturating_add(1);
            }
            None => self.dropped = self.dropped.saturating_add(1),
        }
    }
}

impl<T, const N: usize> FixedList<T, N> {
    /// The items kept, in the order they were offered.
    pub fn as_slice(&self) -> &[T] {
        self.items.get(..self.len).unwrap_or(&[])
    }

    /// Whether any item was dropped because the list was full.
    pub fn overflowed(&self) -> bool {
        self.dropped > 0
    }

    /// How many items were dropped because the list was full (saturating).
    pub fn dropped(&self) -> u32 {
        self.dropped
    }
}

impl<T: Copy + Default, const N: usize> Default for FixedList<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T, const N: usize> Deref for FixedList<T, N> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: PartialEq, const N: usize> PartialEq for FixedList<T, N> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice() && self.dropped == other.dropped
    }
}

impl<T: Eq, const N: usize> Eq for FixedList<T, N> {}

impl<T: fmt::Debug, const N: usize> fmt::Debug for FixedList<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FixedList").field("items", &self.as_slice()).field("dropped", &self.dropped).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_up_to_capacity_and_counts_the_rest() {
        let mut list = FixedList::<u8, 2>::new();
        assert!(list.is_empty() && !list.overflowed());
        list.push(1);
        list.push(2);
        assert_eq!(list.as_slice(), &[1, 2]);
        assert!(!list.overflowed());
        list.push(3);
        list.push(4);
        assert_eq!(&*list, &[1, 2]);
        assert!(list.overflowed());
        assert_eq!(list.dropped(), 2);
        assert_eq!(FixedList::<u8, 2>::CAPACITY, 2);
    }

    #[test]
    fn zero_capacity_drops_everything() {
        let mut list = FixedList::<u8, 0>::new();
        list.push(1);
        assert!(list.is_empty());
        assert_eq!(list.dropped(), 1);
    }
}
