//! [`CapSpace`]: every table and the one derivation tree across them.
//!
//! Each operation checks everything and reserves all the memory it needs
//! before it changes anything, so an error (including `NoMemory`) leaves the
//! space exactly as it was.

use alloc::vec::Vec;
use core::fmt;

use abi::{CapType, Error, Rights};

use crate::cap::Cap;
use crate::node::{Node, NodeId, Nodes};
use crate::object::CapObject;
use crate::placement::Placement;
use crate::reserve::grow;
use crate::table::{SlotState, Table};
use crate::tables::{TableId, Tables};

/// All capability tables of the system and the derivation tree linking
/// their capabilities. The kernel keeps one, behind a lock.
pub struct CapSpace<O> {
    pub(crate) nodes: Nodes<O>,
    pub(crate) tables: Tables<O>,
}

impl<O: CapObject> Default for CapSpace<O> {
    fn default() -> Self {
        Self::new()
    }
}

impl<O> fmt::Debug for CapSpace<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CapSpace").field("nodes", &self.nodes.live()).finish_non_exhaustive()
    }
}

/// Slots are 32-bit; a larger user-supplied number names nothing.
fn slot32(slot: u64) -> Result<u32, Error> {
    u32::try_from(slot).map_err(|_| Error::InvalidCap)
}

/// Pushes without ever aborting: the callers reserved room already, and if
/// that were somehow wrong the object is dropped here rather than the
/// kernel brought down.
fn push_reserved<O>(out: &mut Vec<O>, object: O) {
    if out.try_reserve(1).is_ok() {
        out.push(object);
    }
}

impl<O: CapObject> CapSpace<O> {
    /// An empty space. `const` so the kernel can keep one in a static lock.
    pub const fn new() -> Self {
        CapSpace { nodes: Nodes::new(), tables: Tables::new() }
    }

    /// A new empty table of at most `limit` slots (numbered `0..limit`).
    pub fn create_table(&mut self, limit: u32) -> Result<TableId, Error> {
        self.tables.insert(Table::new(limit))
    }

    /// Changes the limit. It applies to future placements only: slots at or
    /// above a lowered limit keep their capabilities until deleted.
    pub fn set_limit(&mut self, t: TableId, limit: u32) -> Result<(), Error> {
        self.tables.get_mut(t).ok_or(Error::InvalidCap)?.set_limit(limit);
        Ok(())
    }

    pub fn limit(&self, t: TableId) -> Result<u32, Error> {
        Ok(self.tables.get(t).ok_or(Error::InvalidCap)?.limit())
    }

    /// Deletes every capability of the table, as [`delete`](Self::delete)
    /// would (their children, in any table, move up to their parent), and
    /// kills the id. Returns the objects of the live capabilities removed,
    /// for the caller to drop outside its lock. An unknown id gives an
    /// empty vector. Never allocates: the table keeps the room for this.
    pub fn destroy_table(&mut self, t: TableId) -> Vec<O> {
        let Some(mut table) = self.tables.remove(t) else {
            return Vec::new();
        };
        let index = t.index();
        for state in table.slots() {
            if let SlotState::Live(id) = *state {
                self.nodes.lift_out_of_table(id, index);
            }
        }
        // Now no node of the table hangs below another: each outside child
        // moves up exactly once.
        let mut out = table.take_reclaim();
        for state in table.slots() {
            if let SlotState::Live(id) = *state {
                if let Some(node) = self.remove_node(id) {
                    push_reserved(&mut out, node.object);
                }
            }
        }
        out
    }

    /// Puts an original capability (for a newly made kernel object) in
    /// table `t`; it has no parent. Returns its slot. `rights` with bits
    /// `Rights::ALL` does not define are `InvalidArgument`. On error
    /// `object` is dropped before this returns.
    pub fn insert_root(
        &mut self,
        t: TableId,
        at: Placement,
        object: O,
        rights: Rights,
        badge: u64,
    ) -> Result<u32, Error> {
        if self.tables.get(t).is_none() {
            return Err(Error::InvalidCap);
        }
        if !rights.is_subset_of(Rights::ALL) {
            return Err(Error::InvalidArgument);
        }
        self.place(t, at, None, Some(object), rights, badge)
    }

    /// The live capability in `slot`. `InvalidCap` for an unknown table,
    /// a slot out of range or an empty one; `Revoked` for a tombstone.
    pub fn get(&self, t: TableId, slot: u64) -> Result<Cap<'_, O>, Error> {
        let id = self.live_node(t, slot)?;
        self.nodes.get(id).map(Node::view).ok_or(Error::InvalidCap)
    }

    /// [`get`](Self::get), then `WrongType` unless the object is of type
    /// `ty`, then `MissingRights` unless the capability has all of
    /// `needed`.
    pub fn get_typed(&self, t: TableId, slot: u64, ty: CapType, needed: Rights) -> Result<Cap<'_, O>, Error> {
        let cap = self.get(t, slot)?;
        if cap.object.cap_type() != ty {
            return Err(Error::WrongType);
        }
        if !cap.rights.contains(needed) {
            return Err(Error::MissingRights);
        }
        Ok(cap)
    }

    /// Derives a child of the capability in `slot`, in the same table, and
    /// returns the child's slot. Checked in this order:
    /// - the parent is live (`InvalidCap`, `Revoked`);
    /// - it has `DERIVE`, and `rights` is a subset of its rights
    ///   (`MissingRights`);
    /// - `badge`: `None` or `Some(0)` keeps the parent's; a nonzero badge
    ///   is allowed only if the parent's is 0 (`InvalidArgument`);
    /// - `object`: `None` clones the parent's; `Some(o)` must have the
    ///   parent's type and be within it (`InvalidArgument`);
    /// - the placement (`InvalidArgument`, `Busy`, `TableFull`), memory
    ///   (`NoMemory`).
    ///
    /// On error a given `object` is dropped before this returns.
    pub fn derive(
        &mut self,
        t: TableId,
        slot: u64,
        rights: Rights,
        badge: Option<u64>,
        object: Option<O>,
        at: Placement,
    ) -> Result<u32, Error> {
        let parent_id = self.live_node(t, slot)?;
        let parent = self.nodes.get(parent_id).ok_or(Error::InvalidCap)?;
        if !parent.rights.contains(Rights::DERIVE) || !rights.is_subset_of(parent.rights) {
            return Err(Error::MissingRights);
        }
        let badge = match badge {
            None | Some(0) => parent.badge,
            Some(b) if parent.badge == 0 => b,
            Some(_) => return Err(Error::InvalidArgument),
        };
        if let Some(o) = &object {
            if o.cap_type() != parent.object.cap_type() || !o.is_within(&parent.object) {
                return Err(Error::InvalidArgument);
            }
        }
        self.place(t, at, Some(parent_id), object, rights, badge)
    }

    /// Copies the capability in `slot` of `src` into `dst` (which may be
    /// `src`), as a child of it with the source's rights `& rights_mask`,
    /// its badge and its object. The source must be live (`InvalidCap`,
    /// `Revoked`) and have `TRANSFER` (`MissingRights`); then `dst` must
    /// exist (`InvalidCap`); then the placement and memory errors.
    pub fn copy(
        &mut self,
        src: TableId,
        slot: u64,
        dst: TableId,
        rights_mask: Rights,
        at: Placement,
    ) -> Result<u32, Error> {
        let id = self.live_node(src, slot)?;
        let node = self.nodes.get(id).ok_or(Error::InvalidCap)?;
        if !node.rights.contains(Rights::TRANSFER) {
            return Err(Error::MissingRights);
        }
        let (rights, badge) = (node.rights & rights_mask, node.badge);
        self.place(dst, at, Some(id), None, rights, badge)
    }

    /// [`copy`](Self::copy) keeping every right and checking none: for the
    /// kernel's own use (duplicating Linux file descriptors, fork).
    pub fn copy_unchecked(&mut self, src: TableId, slot: u64, dst: TableId, at: Placement) -> Result<u32, Error> {
        let id = self.live_node(src, slot)?;
        let node = self.nodes.get(id).ok_or(Error::InvalidCap)?;
        let (rights, badge) = (node.rights, node.badge);
        self.place(dst, at, Some(id), None, rights, badge)
    }

    /// Moves the live capability in `slot` of `src` to a slot of `dst`
    /// (which may be `src`), keeping its place in the derivation tree. The
    /// source must be live (`InvalidCap`, `Revoked`), then `dst` must exist
    /// (`InvalidCap`); then the placement and memory errors. Moving onto
    /// its own slot is `Busy`.
    pub fn move_cap(&mut self, src: TableId, slot: u64, dst: TableId, at: Placement) -> Result<u32, Error> {
        let id = self.live_node(src, slot)?;
        let old_slot = slot32(slot)?;
        let table = self.tables.get_mut(dst).ok_or(Error::InvalidCap)?;
        let new_slot = at.resolve(table)?;
        table.reserve(new_slot)?;
        table.put_live(new_slot, id);
        if let Some(table) = self.tables.get_mut(src) {
            table.clear(old_slot);
        }
        if let Some(node) = self.nodes.get_mut(id) {
            node.table = dst.index();
            node.slot = new_slot;
        }
        Ok(new_slot)
    }

    /// Empties `slot`. A tombstone just goes (`Ok(None)`). A live
    /// capability leaves the tree, its children (in any table) becoming
    /// children of its parent, or roots; its object is returned.
    /// `InvalidCap` for an unknown table, or an empty or out-of-range slot.
    pub fn delete(&mut self, t: TableId, slot: u64) -> Result<Option<O>, Error> {
        let table = self.tables.get_mut(t).ok_or(Error::InvalidCap)?;
        let slot = slot32(slot)?;
        match table.state(slot) {
            SlotState::Empty => Err(Error::InvalidCap),
            SlotState::Tombstone => {
                table.clear(slot);
                Ok(None)
            }
            SlotState::Live(id) => {
                table.clear(slot);
                Ok(self.remove_node(id).map(|node| node.object))
            }
        }
    }

    /// Revokes every descendant of the capability in `slot`, in every
    /// table: each leaves the tree and its slot becomes a tombstone. The
    /// capability itself stays. Returns the removed objects (one per
    /// revoked capability) for the caller to drop outside its lock.
    /// `InvalidCap`/`Revoked` if the capability is not live; `NoMemory`
    /// (with nothing revoked) if the result vector cannot be allocated.
    pub fn revoke(&mut self, t: TableId, slot: u64) -> Result<Vec<O>, Error> {
        let root = self.live_node(t, slot)?;
        let count = self.nodes.count_descendants(root);
        let mut out = Vec::new();
        grow(&mut out, count)?;
        let mut cursor = None;
        while let Some(node) = self.nodes.take_descendant(root, &mut cursor) {
            if let Some(table) = self.tables.by_index_mut(node.table) {
                table.make_tombstone(node.slot);
            }
            push_reserved(&mut out, node.object);
        }
        Ok(out)
    }

    /// Fork: a new table of `limit` where every live capability of `src`
    /// is copied (as its child, with the same rights, badge and object) to
    /// the same slot number, even at or above `limit`. Tombstones are not
    /// copied. `InvalidCap` for an unknown `src`; on `NoMemory` nothing is
    /// left behind.
    pub fn clone_table(&mut self, src: TableId, limit: u32) -> Result<TableId, Error> {
        let source = self.tables.get(src).ok_or(Error::InvalidCap)?;
        let live = source.live();
        let len = source.slots().iter().rposition(|s| matches!(s, SlotState::Live(_))).map_or(0, |i| i + 1);
        let mut table = Table::new(limit);
        table.reserve_len(len, live)?;
        self.nodes.reserve(live)?;
        let new = self.tables.insert(table)?;
        for i in 0..len {
            let Ok(slot) = u32::try_from(i) else { break };
            let Some(SlotState::Live(orig)) = self.tables.get(src).map(|s| s.state(slot)) else {
                continue;
            };
            let Some(o) = self.nodes.get(orig) else {
                continue;
            };
            let node = Node::new(o.object.clone(), o.rights, o.badge, new.index(), slot);
            // Not `place`: the slot may be at or above the new limit.
            let Ok(id) = self.nodes.insert(node) else {
                // Cannot happen after the reservations above; if it did,
                // undo rather than leave half a table.
                drop(self.destroy_table(new));
                return Err(Error::NoMemory);
            };
            self.nodes.link_child(orig, id);
            if let Some(table) = self.tables.get_mut(new) {
                table.put_live(slot, id);
            }
        }
        Ok(new)
    }

    /// The live capabilities of table `t` in slot order (none for an
    /// unknown table).
    pub fn iter(&self, t: TableId) -> impl Iterator<Item = (u32, Cap<'_, O>)> {
        let slots = self.tables.get(t).map_or(&[][..], Table::slots);
        slots.iter().enumerate().filter_map(move |(i, state)| match *state {
            SlotState::Live(id) => Some((u32::try_from(i).ok()?, self.nodes.get(id)?.view())),
            _ => None,
        })
    }

    /// Number of live capabilities in `t` (0 for an unknown table).
    pub fn live_count(&self, t: TableId) -> usize {
        self.tables.get(t).map_or(0, Table::live)
    }

    /// The lowest empty slot (not a tombstone) `>= min` below the limit.
    pub fn first_free(&self, t: TableId, min: u32) -> Option<u32> {
        self.tables.get(t)?.first_free(min)
    }

    /// Live capabilities across all tables.
    pub fn node_count(&self) -> usize {
        self.nodes.live()
    }

    /// The node in a live slot.
    fn live_node(&self, t: TableId, slot: u64) -> Result<NodeId, Error> {
        let table = self.tables.get(t).ok_or(Error::InvalidCap)?;
        match table.state(slot32(slot)?) {
            SlotState::Empty => Err(Error::InvalidCap),
            SlotState::Tombstone => Err(Error::Revoked),
            SlotState::Live(id) => Ok(id),
        }
    }

    /// Creates a node in table `dst` as a child of `parent` (or a root),
    /// with `object` or else a clone of the parent's.
    fn place(
        &mut self,
        dst: TableId,
        at: Placement,
        parent: Option<NodeId>,
        object: Option<O>,
        rights: Rights,
        badge: u64,
    ) -> Result<u32, Error> {
        let table = self.tables.get_mut(dst).ok_or(Error::InvalidCap)?;
        let slot = at.resolve(table)?;
        table.reserve(slot)?;
        let parent_node = parent.and_then(|p| self.nodes.get(p));
        let node = match (object, parent_node) {
            (Some(object), _) => Node::new(object, rights, badge, dst.index(), slot),
            (None, Some(p)) => Node::new(p.object.clone(), rights, badge, dst.index(), slot),
            (None, None) => return Err(Error::InvalidCap),
        };
        let id = self.nodes.insert(node)?;
        if let Some(p) = parent {
            self.nodes.link_child(p, id);
        }
        table.put_live(slot, id);
        Ok(slot)
    }

    /// Takes a node out of the tree (children move up) and the arena. The
    /// caller has emptied its slot.
    fn remove_node(&mut self, id: NodeId) -> Option<Node<O>> {
        self.nodes.reparent_children(id);
        self.nodes.unlink(id);
        self.nodes.remove(id)
    }
}
