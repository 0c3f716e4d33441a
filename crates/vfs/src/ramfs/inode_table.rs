//! The ramfs's inodes by number.
//!
//! Every path step looks an inode up (its type, its permissions, its
//! entries), so finding one must not cost a tree search: the number says
//! where the inode is. Its low 32 bits are a slot's index plus one, its high
//! 32 bits how many inodes that slot held before (the slot's generation).
//! A freed slot is used again under the next generation, so a number is
//! still never reused: a stale one finds nothing rather than a stranger. A
//! slot whose generations are all used is retired. The numbers of a fresh
//! file system are 1, 2, 3...: the first generation's are the indexes.

use alloc::vec::Vec;

use super::inode::Inode;
use crate::Ino;

#[derive(Debug)]
struct Slot {
    generation: u32,
    inode: Option<Inode>,
}

#[derive(Debug, Default)]
pub(super) struct InodeTable {
    slots: Vec<Slot>,
    /// Empty slots that may hold another inode, the last freed first.
    free: Vec<u32>,
    len: usize,
}

fn split(ino: Ino) -> Option<(usize, u32)> {
    let index = (ino as u32).checked_sub(1)?;
    Some((index as usize, (ino >> 32) as u32))
}

fn number(index: usize, generation: u32) -> Ino {
    (u64::from(generation) << 32) | (index as u64 + 1)
}

impl InodeTable {
    pub fn get(&self, ino: Ino) -> Option<&Inode> {
        let (index, generation) = split(ino)?;
        let slot = self.slots.get(index)?;
        if slot.generation != generation {
            return None;
        }
        slot.inode.as_ref()
    }

    pub fn get_mut(&mut self, ino: Ino) -> Option<&mut Inode> {
        let (index, generation) = split(ino)?;
        let slot = self.slots.get_mut(index)?;
        if slot.generation != generation {
            return None;
        }
        slot.inode.as_mut()
    }

    /// Stores `inode` under a number no inode of this table ever had.
    pub fn insert(&mut self, inode: Inode) -> Ino {
        self.len += 1;
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.inode = Some(inode);
            return number(index as usize, slot.generation);
        }
        self.slots.push(Slot { generation: 0, inode: Some(inode) });
        number(self.slots.len() - 1, 0)
    }

    pub fn remove(&mut self, ino: Ino) -> Option<Inode> {
        let (index, generation) = split(ino)?;
        let slot = self.slots.get_mut(index)?;
        if slot.generation != generation {
            return None;
        }
        let inode = slot.inode.take()?;
        self.len -= 1;
        if let Some(next) = slot.generation.checked_add(1) {
            slot.generation = next;
            self.free.push(index as u32);
        }
        Some(inode)
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Every inode with its number, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (Ino, &Inode)> {
        self.slots.iter().enumerate().filter_map(|(i, s)| Some((number(i, s.generation), s.inode.as_ref()?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ramfs::inode::Content;
    use crate::{NodeAttrs, Timestamp};

    fn inode() -> Inode {
        Inode::new(Content::Fifo, NodeAttrs::new(0o644, 0, 0), 1, Timestamp::default())
    }

    #[test]
    fn first_numbers_count_from_one_and_stale_ones_find_nothing() {
        let mut t = InodeTable::default();
        let a = t.insert(inode());
        let b = t.insert(inode());
        assert_eq!((a, b), (1, 2));
        assert!(t.remove(a).is_some());
        assert!(t.get(a).is_none() && t.remove(a).is_none());
        let c = t.insert(inode());
        assert_ne!(c, a, "a number is never given twice");
        assert_eq!(c & 0xffff_ffff, 1, "the freed slot is used again");
        assert!(t.get(a).is_none(), "the old number does not find the new inode");
        assert!(t.get(c).is_some() && t.get(b).is_some());
        assert_eq!(t.len(), 2);
        assert_eq!(t.iter().map(|(n, _)| n).collect::<Vec<_>>(), [c, b]);
        for bogus in [0, 3, u64::MAX, 1 << 32, (5 << 32) | 2] {
            assert!(t.get(bogus).is_none(), "{bogus:#x}");
        }
    }

    #[test]
    fn numbers_stay_unique_under_churn() {
        let mut t = InodeTable::default();
        let mut seen = alloc::collections::BTreeSet::new();
        let mut live = Vec::new();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            if live.is_empty() || !state.is_multiple_of(3) {
                let n = t.insert(inode());
                assert!(seen.insert(n), "number {n:#x} given twice");
                live.push(n);
            } else {
                let n = live.swap_remove((state >> 8) as usize % live.len());
                assert!(t.remove(n).is_some());
            }
            assert_eq!(t.len(), live.len());
        }
        for n in &live {
            assert!(t.get(*n).is_some());
        }
    }
}
