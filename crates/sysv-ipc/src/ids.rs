//! Objects by key and by id, with ids built as Linux builds them.
//!
//! An id is `index + seq * 32768`: the index is a slot, handed out
//! cyclically (the slot after the last one given, wrapping to the lowest
//! free one), and `seq` moves on by one each time the allocation wraps, so
//! an id that names a removed object does not name its slot's next tenant
//! until 65536 wraps later. Lookup by id checks both.

use crate::perm::IpcPerm;
use crate::{Error, Result, IPC_PRIVATE};
use alloc::vec::Vec;

/// Ids are `index + seq * IPCMNI`.
pub const IPCMNI: u32 = 32768;
/// Largest `seq` (INT_MAX >> 15): ids stay positive.
pub const SEQ_MAX: u32 = 65535;

pub struct Entry<T> {
    pub perm: IpcPerm,
    pub object: T,
}

pub struct IdTable<T> {
    slots: Vec<Option<Entry<T>>>,
    in_use: usize,
    seq: u32,
    /// The last index handed out (None: none yet).
    last: Option<usize>,
    /// The id the next object should get (/proc/sys/kernel/*_next_id,
    /// Linux's checkpoint/restore aid): -1 for none. Used once.
    pub next_id: i32,
}

impl<T> Default for IdTable<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> IdTable<T> {
    pub const fn new() -> Self {
        IdTable { slots: Vec::new(), in_use: 0, seq: 0, last: None, next_id: -1 }
    }

    pub fn in_use(&self) -> usize {
        self.in_use
    }

    /// The highest index in use (None when empty): what IPC_INFO returns.
    pub fn max_index(&self) -> Option<usize> {
        self.slots.iter().rposition(Option::is_some)
    }

    pub fn id_of(index: usize, perm: &IpcPerm) -> i32 {
        (perm.seq * IPCMNI + index as u32) as i32
    }

    /// The id of the object with `key` (never IPC_PRIVATE, which names none).
    pub fn find_key(&self, key: i32) -> Option<i32> {
        if key == IPC_PRIVATE {
            return None;
        }
        self.iter().find(|(_, e)| e.perm.key == key).map(|(id, _)| id)
    }

    /// Adds an object in the next free slot below `limit` (the *mni
    /// tunable, at most 32768); ENOSPC when there is none.
    pub fn insert(&mut self, mut perm: IpcPerm, object: T, limit: usize) -> Result<i32> {
        let limit = limit.min(IPCMNI as usize);
        if self.in_use >= limit {
            return Err(Error::NoSpace);
        }
        let free = |i: usize| self.slots.get(i).is_none_or(Option::is_none);
        let wanted = core::mem::replace(&mut self.next_id, -1);
        let index = if wanted >= 0 {
            // The asked-for id's sequence, at its index or the first free
            // one above it (Linux's idr_alloc from that index).
            let at = (wanted as u32 % IPCMNI) as usize;
            let index = (at..IPCMNI as usize).find(|&i| free(i)).ok_or(Error::NoSpace)?;
            perm.seq = wanted as u32 / IPCMNI;
            index
        } else {
            let start = self.last.map_or(0, |l| l + 1);
            let index = (start..limit)
                .find(|&i| free(i))
                .or_else(|| (0..start.min(limit)).find(|&i| free(i)))
                .ok_or(Error::NoSpace)?;
            if self.last.is_some_and(|l| index <= l) {
                self.seq = if self.seq >= SEQ_MAX { 0 } else { self.seq + 1 };
            }
            self.last = Some(index);
            perm.seq = self.seq;
            index
        };
        if index >= self.slots.len() {
            self.slots.try_reserve(index + 1 - self.slots.len()).map_err(|_| Error::NoMemory)?;
            self.slots.resize_with(index + 1, || None);
        }
        let id = Self::id_of(index, &perm);
        self.slots[index] = Some(Entry { perm, object });
        self.in_use += 1;
        Ok(id)
    }

    fn index_of(&self, id: i32) -> Result<usize> {
        if id < 0 {
            return Err(Error::Invalid);
        }
        let index = (id as u32 % IPCMNI) as usize;
        match self.slots.get(index) {
            Some(Some(e)) if e.perm.seq == id as u32 / IPCMNI => Ok(index),
            _ => Err(Error::Invalid),
        }
    }

    /// The object an id names (EINVAL for a bad or stale id).
    pub fn get(&self, id: i32) -> Result<&Entry<T>> {
        let i = self.index_of(id)?;
        self.slots[i].as_ref().ok_or(Error::Invalid)
    }

    pub fn get_mut(&mut self, id: i32) -> Result<&mut Entry<T>> {
        let i = self.index_of(id)?;
        self.slots[i].as_mut().ok_or(Error::Invalid)
    }

    /// The object in slot `index` and its id (the *_STAT commands).
    pub fn at_index(&self, index: i32) -> Result<(i32, &Entry<T>)> {
        let i = usize::try_from(index).map_err(|_| Error::Invalid)?;
        match self.slots.get(i) {
            Some(Some(e)) => Ok((Self::id_of(i, &e.perm), e)),
            _ => Err(Error::Invalid),
        }
    }

    pub fn remove(&mut self, id: i32) -> Result<Entry<T>> {
        let i = self.index_of(id)?;
        let e = self.slots[i].take().ok_or(Error::Invalid)?;
        self.in_use -= 1;
        Ok(e)
    }

    /// Every object with its id, by index.
    pub fn iter(&self) -> impl Iterator<Item = (i32, &Entry<T>)> {
        self.slots.iter().enumerate().filter_map(|(i, e)| e.as_ref().map(|e| (Self::id_of(i, &e.perm), e)))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (i32, &mut Entry<T>)> {
        self.slots.iter_mut().enumerate().filter_map(|(i, e)| e.as_mut().map(|e| (Self::id_of(i, &e.perm), e)))
    }

    /// Ids of the objects for which `f` holds.
    pub fn ids_where(&self, mut f: impl FnMut(&Entry<T>) -> bool) -> Vec<i32> {
        self.iter().filter(|(_, e)| f(e)).map(|(id, _)| id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perm(key: i32) -> IpcPerm {
        IpcPerm { key, ..IpcPerm::default() }
    }

    #[test]
    fn ids_cycle_and_stale_ids_fail() {
        let mut t = IdTable::new();
        let a = t.insert(perm(1), 'a', 4).unwrap();
        let b = t.insert(perm(2), 'b', 4).unwrap();
        assert_eq!((a, b), (0, 1));
        t.remove(a).unwrap();
        // Cyclic: index 2 next, not the freed 0.
        let c = t.insert(perm(3), 'c', 4).unwrap();
        assert_eq!(c, 2);
        t.insert(perm(4), 'd', 4).unwrap();
        // Wrapping to index 0 moves the sequence on.
        let e = t.insert(perm(5), 'e', 4).unwrap();
        assert_eq!(e, 32768);
        assert_eq!(t.get(a).err(), Some(Error::Invalid));
        assert_eq!(t.get(e).unwrap().object, 'e');
        assert_eq!(t.insert(perm(6), 'f', 4), Err(Error::NoSpace));
        assert_eq!(t.find_key(3), Some(2));
        assert_eq!(t.find_key(0), None);
        assert_eq!(t.max_index(), Some(3));
        assert_eq!(t.at_index(0).unwrap().0, 32768);
        assert!(t.get(-1).is_err());
    }

    #[test]
    fn next_id_is_used_once() {
        let mut t = IdTable::new();
        t.next_id = 5 * 32768 + 7;
        assert_eq!(t.insert(perm(1), 'a', 16), Ok(5 * 32768 + 7));
        assert_eq!(t.next_id, -1);
        // Taken: the next free index above it, same sequence.
        t.next_id = 5 * 32768 + 7;
        assert_eq!(t.insert(perm(2), 'b', 16), Ok(5 * 32768 + 8));
        // Then the cyclic allocation goes on as before.
        assert_eq!(t.insert(perm(3), 'c', 16), Ok(0));
    }
}
