//! The set of tables, named by generation-checked ids, each behind its own
//! lock.
//!
//! A lookup must reach its table without any space-wide lock, so the
//! directory never moves: it is a fixed array of chunks, chunk `k` holding
//! `FIRST_CHUNK << k` entries, each made once (under the tree lock, the
//! first time an index in it is needed), then read without a lock and never
//! freed. An entry is one table lock holding the table and its generation.

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

pub(crate) struct Directory<O, L: Locking> {
    chunks: [L::Once<Vec<L::Lock<Entry<O>>>>; CHUNKS],
}

impl<O, L: Locking> Directory<O, L> {
    pub(crate) fn new() -> Self {
        Directory { chunks: core::array::from_fn(|_| L::new_once()) }
    }

    /// Entry `index`'s lock, if its chunk has been made. No lock taken.
    pub(crate) fn entry(&self, index: u32) -> Option<&L::Lock<Entry<O>>> {
        let (k, i) = locate(index);
        L::once_get(self.chunks.get(k)?)?.get(i)
    }

    /// Makes entry `index`'s chunk if it does not exist yet (fresh entries
    /// are free, generation 0, unlinked). The caller holds the tree lock.
    pub(crate) fn ensure(&self, index: u32) -> Result<(), Error> {
        let (k, _) = locate(index);
        let once = self.chunks.get(k).ok_or(Error::NoMemory)?;
        if L::once_get(once).is_some() {
            return Ok(());
        }
        let n = usize::try_from(FIRST_CHUNK << k).map_err(|_| Error::NoMemory)?;
        let mut chunk = Vec::new();
        grow(&mut chunk, n)?;
        for _ in 0..n {
            chunk.push(L::new_lock(LockClass::Table, Entry::Free { generation: 0, next: None }));
        }
        L::once_set(once, chunk);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::locate;

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
