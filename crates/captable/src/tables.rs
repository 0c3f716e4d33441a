//! The set of tables, named by generation-checked ids.

use alloc::vec::Vec;

use abi::Error;

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
}

enum Entry<O> {
    Used {
        generation: u32,
        table: Table<O>,
    },
    /// `generation` is the one the next table here will get.
    Free {
        generation: u32,
        next: Option<u32>,
    },
    /// Every generation of this index has been used: it is never reused,
    /// so no id can alias another (costs one entry per 2^32 tables).
    Retired,
}

pub(crate) struct Tables<O> {
    entries: Vec<Entry<O>>,
    free_head: Option<u32>,
}

impl<O> Tables<O> {
    pub(crate) const fn new() -> Self {
        Tables { entries: Vec::new(), free_head: None }
    }

    pub(crate) fn get(&self, id: TableId) -> Option<&Table<O>> {
        match self.entries.get(id.index as usize) {
            Some(Entry::Used { generation, table }) if *generation == id.generation => Some(table),
            _ => None,
        }
    }

    pub(crate) fn get_mut(&mut self, id: TableId) -> Option<&mut Table<O>> {
        match self.entries.get_mut(id.index as usize) {
            Some(Entry::Used { generation, table }) if *generation == id.generation => Some(table),
            _ => None,
        }
    }

    /// By index alone, for a node's back-reference: a node's table is
    /// always alive, since destroying a table removes its nodes.
    pub(crate) fn by_index_mut(&mut self, index: u32) -> Option<&mut Table<O>> {
        match self.entries.get_mut(index as usize) {
            Some(Entry::Used { table, .. }) => Some(table),
            _ => None,
        }
    }

    /// Stores a new table. On failure nothing changed.
    pub(crate) fn insert(&mut self, table: Table<O>) -> Result<TableId, Error> {
        if let Some(index) = self.free_head {
            if let Some(entry) = self.entries.get_mut(index as usize) {
                if let Entry::Free { generation, next } = *entry {
                    *entry = Entry::Used { generation, table };
                    self.free_head = next;
                    return Ok(TableId { index, generation });
                }
            }
            // A broken free list would be a bug; stop following it.
            self.free_head = None;
        }
        let index = u32::try_from(self.entries.len()).map_err(|_| Error::NoMemory)?;
        grow(&mut self.entries, 1)?;
        self.entries.push(Entry::Used { generation: 0, table });
        Ok(TableId { index, generation: 0 })
    }

    /// Takes a table out; its id is dead from now on. Never allocates.
    pub(crate) fn remove(&mut self, id: TableId) -> Option<Table<O>> {
        let entry = self.entries.get_mut(id.index as usize)?;
        match entry {
            Entry::Used { generation, .. } if *generation == id.generation => {}
            _ => return None,
        }
        let next = match id.generation.checked_add(1) {
            Some(generation) => {
                let free = Entry::Free { generation, next: self.free_head };
                self.free_head = Some(id.index);
                free
            }
            None => Entry::Retired,
        };
        match core::mem::replace(entry, next) {
            Entry::Used { table, .. } => Some(table),
            _ => None,
        }
    }

    /// Live tables with their index, for the invariant checks.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &Table<O>)> {
        self.entries.iter().enumerate().filter_map(|(i, e)| match e {
            Entry::Used { table, .. } => Some((u32::try_from(i).ok()?, table)),
            _ => None,
        })
    }

    /// Gives a live table another generation, so the tests can reach the
    /// last one without creating 2^32 tables.
    #[cfg(test)]
    pub(crate) fn force_generation(&mut self, id: TableId, generation: u32) -> Option<TableId> {
        match self.entries.get_mut(id.index as usize)? {
            Entry::Used { generation: g, .. } if *g == id.generation => {
                *g = generation;
                Some(TableId { index: id.index, generation })
            }
            _ => None,
        }
    }
}
