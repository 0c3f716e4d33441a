//! A reference model of `CapSpace`: the same rules, written the obvious
//! way (maps, full scans, parent pointers only), to compare against.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use abi::{Error, Rights};

use super::object::Key;
use crate::Placement;

#[derive(Clone, Debug)]
pub(crate) struct MNode {
    pub(crate) key: Key,
    pub(crate) rights: Rights,
    pub(crate) badge: u64,
    pub(crate) parent: Option<usize>,
    pub(crate) table: usize,
    pub(crate) slot: u32,
    pub(crate) alive: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MSlot {
    Tomb,
    Live(usize),
}

#[derive(Clone, Debug)]
pub(crate) struct MTable {
    pub(crate) limit: u32,
    pub(crate) slots: BTreeMap<u32, MSlot>,
}

/// Tables are named by their position in `tables` (the test keeps the real
/// ids in the same order); destroyed ones stay as `None`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Model {
    pub(crate) nodes: Vec<MNode>,
    pub(crate) tables: Vec<Option<MTable>>,
}

/// What a new capability is made of.
pub(crate) struct MNew {
    pub(crate) key: Key,
    pub(crate) rights: Rights,
    pub(crate) badge: u64,
}

impl Model {
    pub(crate) fn create(&mut self, limit: u32) -> usize {
        self.tables.push(Some(MTable { limit, slots: BTreeMap::new() }));
        self.tables.len() - 1
    }

    pub(crate) fn table(&self, t: usize) -> Result<&MTable, Error> {
        self.tables.get(t).and_then(Option::as_ref).ok_or(Error::InvalidCap)
    }

    fn table_mut(&mut self, t: usize) -> Result<&mut MTable, Error> {
        self.tables.get_mut(t).and_then(Option::as_mut).ok_or(Error::InvalidCap)
    }

    pub(crate) fn live(&self, t: usize, slot: u64) -> Result<usize, Error> {
        let table = self.table(t)?;
        let slot = u32::try_from(slot).map_err(|_| Error::InvalidCap)?;
        match table.slots.get(&slot) {
            None => Err(Error::InvalidCap),
            Some(MSlot::Tomb) => Err(Error::Revoked),
            Some(MSlot::Live(n)) => Ok(*n),
        }
    }

    pub(crate) fn first_free(&self, t: usize, min: u32) -> Option<u32> {
        let table = self.table(t).ok()?;
        (min..table.limit).find(|s| !table.slots.contains_key(s))
    }

    fn resolve(&self, t: usize, at: Placement) -> Result<u32, Error> {
        let table = self.table(t)?;
        match at {
            Placement::Exactly(s) if s >= table.limit => Err(Error::InvalidArgument),
            Placement::Exactly(s) if table.slots.contains_key(&s) => Err(Error::Busy),
            Placement::Exactly(s) => Ok(s),
            Placement::Lowest { min } => self.first_free(t, min).ok_or(Error::TableFull),
        }
    }

    fn add(&mut self, t: usize, slot: u32, new: MNew, parent: Option<usize>) -> u32 {
        let n = self.nodes.len();
        self.nodes.push(MNode {
            key: new.key,
            rights: new.rights,
            badge: new.badge,
            parent,
            table: t,
            slot,
            alive: true,
        });
        if let Ok(table) = self.table_mut(t) {
            table.slots.insert(slot, MSlot::Live(n));
        }
        slot
    }

    pub(crate) fn insert_root(&mut self, t: usize, at: Placement, new: MNew) -> Result<u32, Error> {
        self.table(t)?;
        let slot = self.resolve(t, at)?;
        Ok(self.add(t, slot, new, None))
    }

    /// `object`: the requested sub-object, if any.
    pub(crate) fn derive(
        &mut self,
        t: usize,
        slot: u64,
        rights: Rights,
        badge: Option<u64>,
        object: Option<Key>,
        at: Placement,
    ) -> Result<u32, Error> {
        let p = self.live(t, slot)?;
        let parent = self.nodes[p].clone();
        if !parent.rights.contains(Rights::DERIVE) || !rights.is_subset_of(parent.rights) {
            return Err(Error::MissingRights);
        }
        let badge = match badge {
            None | Some(0) => parent.badge,
            Some(b) if parent.badge == 0 => b,
            Some(_) => return Err(Error::InvalidArgument),
        };
        let key = match object {
            None => parent.key,
            Some(k) => {
                let (id, ty, lo, hi) = parent.key;
                if k.1 != ty || k.0 != id || k.2 < lo || k.3 > hi {
                    return Err(Error::InvalidArgument);
                }
                k
            }
        };
        let at_slot = self.resolve(t, at)?;
        Ok(self.add(t, at_slot, MNew { key, rights, badge }, Some(p)))
    }

    /// `mask: None` is `copy_unchecked`.
    pub(crate) fn copy(
        &mut self,
        src: usize,
        slot: u64,
        dst: usize,
        mask: Option<Rights>,
        at: Placement,
    ) -> Result<u32, Error> {
        let s = self.live(src, slot)?;
        let source = self.nodes[s].clone();
        let rights = match mask {
            Some(_) if !source.rights.contains(Rights::TRANSFER) => return Err(Error::MissingRights),
            Some(m) => source.rights & m,
            None => source.rights,
        };
        self.table(dst)?;
        let at_slot = self.resolve(dst, at)?;
        Ok(self.add(dst, at_slot, MNew { key: source.key, rights, badge: source.badge }, Some(s)))
    }

    pub(crate) fn move_cap(&mut self, src: usize, slot: u64, dst: usize, at: Placement) -> Result<u32, Error> {
        let n = self.live(src, slot)?;
        self.table(dst)?;
        let new_slot = self.resolve(dst, at)?;
        let old = self.nodes[n].slot;
        self.table_mut(src)?.slots.remove(&old);
        self.table_mut(dst)?.slots.insert(new_slot, MSlot::Live(n));
        self.nodes[n].table = dst;
        self.nodes[n].slot = new_slot;
        Ok(new_slot)
    }

    /// Removes a live node from the tree: its children move to its parent.
    fn unlink(&mut self, n: usize) -> Key {
        let parent = self.nodes[n].parent;
        for m in &mut self.nodes {
            if m.alive && m.parent == Some(n) {
                m.parent = parent;
            }
        }
        self.nodes[n].alive = false;
        self.nodes[n].key
    }

    pub(crate) fn delete(&mut self, t: usize, slot: u64) -> Result<Option<Key>, Error> {
        let table = self.table_mut(t)?;
        let slot = u32::try_from(slot).map_err(|_| Error::InvalidCap)?;
        match table.slots.remove(&slot) {
            None => Err(Error::InvalidCap),
            Some(MSlot::Tomb) => Ok(None),
            Some(MSlot::Live(n)) => Ok(Some(self.unlink(n))),
        }
    }

    fn is_descendant(&self, mut m: usize, of: usize) -> bool {
        while let Some(p) = self.nodes[m].parent {
            if p == of {
                return true;
            }
            m = p;
        }
        false
    }

    /// The revoked capabilities: (table, slot, object).
    pub(crate) fn revoke(&mut self, t: usize, slot: u64) -> Result<Vec<(usize, u32, Key)>, Error> {
        let root = self.live(t, slot)?;
        let victims: Vec<usize> =
            (0..self.nodes.len()).filter(|&m| self.nodes[m].alive && self.is_descendant(m, root)).collect();
        let mut out = Vec::new();
        for m in victims {
            let MNode { table, slot, key, .. } = self.nodes[m];
            self.nodes[m].alive = false;
            self.table_mut(table)?.slots.insert(slot, MSlot::Tomb);
            out.push((table, slot, key));
        }
        Ok(out)
    }

    pub(crate) fn clone_table(&mut self, src: usize, limit: u32) -> Result<usize, Error> {
        let source = self.table(src)?.clone();
        let t = self.create(limit);
        for (slot, state) in source.slots {
            if let MSlot::Live(n) = state {
                let MNode { key, rights, badge, .. } = self.nodes[n];
                self.add(t, slot, MNew { key, rights, badge }, Some(n));
            }
        }
        Ok(t)
    }

    /// Objects of the live capabilities removed; unknown table: none.
    pub(crate) fn destroy(&mut self, t: usize) -> Vec<Key> {
        let Some(Some(table)) = self.tables.get_mut(t).map(Option::take) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for state in table.slots.values() {
            if let MSlot::Live(n) = *state {
                out.push(self.unlink(n));
            }
        }
        out
    }

    pub(crate) fn set_limit(&mut self, t: usize, limit: u32) -> Result<(), Error> {
        self.table_mut(t)?.limit = limit;
        Ok(())
    }

    pub(crate) fn live_nodes(&self) -> usize {
        self.nodes.iter().filter(|n| n.alive).count()
    }
}
