//! A ramfs directory: its entries by name, and the same entries in the order
//! they were added, which is the listing order. Each entry keeps the sequence
//! number it was added with; a listing cookie is such a number, so removing
//! other entries never moves a listing forward or back.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::Ino;

/// Cookie of the first entry after `.` (cookie 0) and `..` (cookie 1).
pub(super) const FIRST_ENTRY_COOKIE: u64 = 2;

#[derive(Clone, Copy, Debug)]
struct Slot {
    ino: Ino,
    seq: u64,
}

#[derive(Debug)]
pub(super) struct Directory {
    /// The directory this one is an entry of; the root's parent is itself.
    /// Kept after removal so that `..` still leads somewhere.
    pub parent: Ino,
    /// Its name in `parent` (empty for the root), kept with `parent`, so
    /// that the path of a directory (getcwd, what open records) needs no
    /// search of each parent's entries.
    pub name: Vec<u8>,
    by_name: BTreeMap<Vec<u8>, Slot>,
    by_seq: BTreeMap<u64, (Vec<u8>, Ino)>,
    next_seq: u64,
}

impl Directory {
    pub fn new(parent: Ino, name: &[u8]) -> Self {
        Directory {
            parent,
            name: name.to_vec(),
            by_name: BTreeMap::new(),
            by_seq: BTreeMap::new(),
            next_seq: FIRST_ENTRY_COOKIE,
        }
    }

    pub fn get(&self, name: &[u8]) -> Option<Ino> {
        self.by_name.get(name).map(|slot| slot.ino)
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Adds an entry; the caller has checked that `name` is free.
    pub fn insert(&mut self, name: &[u8], ino: Ino) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.by_seq.insert(seq, (name.to_vec(), ino));
        self.by_name.insert(name.to_vec(), Slot { ino, seq });
    }

    pub fn remove(&mut self, name: &[u8]) -> Option<Ino> {
        let slot = self.by_name.remove(name)?;
        self.by_seq.remove(&slot.seq);
        Some(slot.ino)
    }

    /// Entries at or after `cookie`, in listing order, each with the cookie
    /// that resumes after it.
    pub fn entries_from(&self, cookie: u64) -> impl Iterator<Item = (&[u8], Ino, u64)> + '_ {
        let from = cookie.max(FIRST_ENTRY_COOKIE);
        self.by_seq.range(from..).map(|(&seq, (name, ino))| (name.as_slice(), *ino, seq + 1))
    }

    /// Every entry, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], Ino)> + '_ {
        self.by_name.iter().map(|(name, slot)| (name.as_slice(), slot.ino))
    }
}
