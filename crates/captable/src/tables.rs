//! The set of tables, named by generation-checked ids, each behind its own
//! lock.
//!
//! A lookup must reach its table without any space-wide lock, so the
//! directory never moves: it is a fixed array of chunks, chunk `k` holding
//! `FIRST_CHUNK << k` entries; chunk 0 is inline, each other one is made
//! once (under the tree lock, the first time an index in it is needed),
//! then read without a lock and never freed. An entry is one table lock holding the table and its generation.

use alloc::vec::Vec;

use abi::Error;

use crate::lock::{LockClass, Locking};
use crate::reserve::grow;
use crate::table::Table;

/// Names one table. The generation makes the id of a destroyed table fail
/// (`InvalidCap`) for ever, even once its index holds a new table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TableId {
    index: u32,
    generation: u32,
}

impl TableId {
    /// A number naming this table among every table ever made (generation
    /// and index), for callers that key their own records by table.
    pub fn id(self) -> u64 {
        (u64::from(self.generation) << 32) | u64::from(self.index)
    }

    /// The id `id` gave (for a caller that keeps it in an atomic). A
    /// number no table ever had names none: lookups through it fail like
    /// those through the id of a destroyed table.
    pub fn from_id(id: u64) -> Self {
        TableId { index: id as u32, generation: (id >> 32) as u32 }
    }

    pub(crate) fn index(self) -> u32 {
        self.index
    }

    pub(crate) fn generation(self) -> u32 {
        self.generation
    }

    pub(crate) fn new(index: u32, generation: u32) -> Self {
        TableId { index, generation }
    }
}

pub(crate) enum Entry<O> {
    Used {
        generation: u32,
        table: Table<O>,
    },
    /// `generation` is the one the next table here will get. `next` links
    /// the free entries (the head is in the tree, under the tree lock).
    Free {
        generation: u32,
        next: Option<u32>,
    },
    /// Every generation of this index has been used: it is never reused,
    /// so no id can alias another (costs one entry per 2^32 tables).
    Retired,
}

impl<O> Entry<O> {
    /// The table, if `id` names it.
    pub(crate) fn table(&self, id: TableId) -> Option<&Table<O>> {
        match self {
            Entry::Used { generation, table } if *generation == id.generation => Some(table),
            _ => None,
        }
    }

    pub(crate) fn table_mut(&mut self, id: TableId) -> Option<&mut Table<O>> {
        match self {
            Entry::Used { generation, table } if *generation == id.generation => Some(table),
            _ => None,
        }
    }

    /// The table whatever its generation, for a node's back-reference: a
    /// node's table is always alive, since destroying a table removes its
    /// nodes (under the tree lock).
    #[cfg(test)]
    pub(crate) fn any_table(&self) -> Option<&Table<O>> {
        match self {
            Entry::Used { table, .. } => Some(table),
            _ => None,
        }
    }

    pub(crate) fn any_table_mut(&mut self) -> Option<&mut Table<O>> {
        match self {
            Entry::Used { table, .. } => Some(table),
            _ => None,
        }
    }
}

const FIRST_CHUNK: u64 = 16;
/// Chunks 0..28 hold 16 * (2^28 - 1) entries, just under 2^32.
const CHUNKS: usize = 28;

/// Chunk and position in it of entry `index`.
fn locate(index: u32) -> (usize, usize) {
    let x = u64::from(index) / FIRST_CHUNK + 1;
    let k = 63 - x.leading_zeros();
    let start = FIRST_CHUNK * ((1u64 << k) - 1);
    (k as usize, (u64::from(index) - start) as usize)
}

fn fresh<O, L: Locking>() -> L::Lock<Entry<O>> {
    L::new_lock(LockClass::Table, Entry::Free { generation: 0, next: None })
}

pub(crate) struct Directory<O, L: Locking> {
    /// Chunk 0, inline: the first tables are found without even a load of
    /// a chunk's cell (a lookup is on every descriptor's read and write).
    first: [L::Lock<Entry<O>>; FIRST_CHUNK as usize],
    /// Chunks 1.. (`later[k - 1]` is chunk `k`).
    later: [L::Once<Vec<L::Lock<Entry<O>>>>; CHUNKS - 1],
}

impl<O, L: Locking> Directory<O, L> {
    pub(crate) fn new() -> Self {
        Directory { first: core::array::from_fn(|_| fresh::<O, L>()), later: core::array::from_fn(|_| L::new_once()) }
    }

    /// Entry `index`'s lock, if its chunk has been made. No lock taken.
    #[inline]
    pub(crate) fn entry(&self, index: u32) -> Option<&L::Lock<Entry<O>>> {
        if u64::from(index) < FIRST_CHUNK {
            return self.first.get(index as usize);
        }
        let (k, i) = locate(index);
        L::once_get(self.later.get(k.checked_sub(1)?)?)?.get(i)
    }

    /// Makes entry `index`'s chunk if it does not exist yet (fresh entries
    /// are free, generation 0, unlinked). The caller holds the tree lock.
    pub(crate) fn ensure(&self, index: u32) -> Result<(), Error> {
        let (k, _) = locate(index);
        let Some(later) = k.checked_sub(1) else {
            return Ok(());
        };
        let once = self.later.get(later).ok_or(Error::NoMemory)?;
        if L::once_get(once).is_some() {
            return Ok(());
        }
        let n = usize::try_from(FIRST_CHUNK << k).map_err(|_| Error::NoMemory)?;
        let mut chunk = Vec::new();
        grow(&mut chunk, n)?;
        for _ in 0..n {
            chunk.push(fresh::<O, L>());
        }
        L::once_set(once, chunk);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{locate, TableId};

    #[test]
    fn an_id_survives_its_number() {
        for (index, generation) in [(0, 0), (15, 3), (16, 0), (u32::MAX - 1, u32::MAX), (7, u32::MAX)] {
            let id = TableId::new(index, generation);
            assert_eq!(TableId::from_id(id.id()), id);
        }
    }

    #[test]
    fn chunks_cover_every_index_once() {
        assert_eq!(locate(0), (0, 0));
        assert_eq!(locate(15), (0, 15));
        assert_eq!(locate(16), (1, 0));
        assert_eq!(locate(47), (1, 31));
        assert_eq!(locate(48), (2, 0));
        let last = (super::FIRST_CHUNK * ((1 << super::CHUNKS) - 1) - 1) as u32;
        assert_eq!(locate(last), (super::CHUNKS - 1, (super::FIRST_CHUNK << (super::CHUNKS - 1)) as usize - 1));
        // Past the last chunk: `ensure` says NoMemory.
        assert_eq!(locate(last + 1).0, super::CHUNKS);
    }
}
