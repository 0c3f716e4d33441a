//! [`CapSpace`]: every table and the one derivation tree across them.
//!
//! Each operation checks everything and reserves all the memory it needs
//! before it changes anything, so an error (including `NoMemory`) leaves the
//! space exactly as it was.
//!
//! Locks ([`Locking`]): the tree lock guards the derivation tree (the node
//! arena) and the list of free table ids; each table has its own lock,
//! guarding its slots, where the capabilities themselves live. So:
//! - a lookup (`get`, `get_typed`, `with_cap`, `for_each`, `live_count`,
//!   `first_free`, `limit`, `set_limit`) takes its table's lock and
//!   nothing else;
//! - every change to the tree takes the tree lock first, then table locks,
//!   one at a time, except `move_cap` between two tables, which holds both
//!   (lower index first, the second with `lock_nested`) so that no lookup
//!   sees the capability in both or in neither.
//!
//! Tables change only under the tree lock (apart from `set_limit`, which
//! only placements read, and they hold the tree lock), so an operation
//! that reads a table, lets it go and takes it again later finds it as it
//! left it.

use alloc::vec::Vec;
use core::fmt;

use abi::{CapType, Error, Rights};

use crate::cap::Cap;
use crate::lock::{LockClass, Locking};
use crate::node::{Node, NodeId, Nodes};
use crate::object::CapObject;
use crate::placement::Placement;
use crate::reserve::grow;
use crate::table::{Live, SlotState, Table};
use crate::tables::{Directory, Entry, TableId};

/// What the tree lock guards.
pub(crate) struct Tree {
    pub(crate) nodes: Nodes,
    /// The first free directory entry; the rest are linked through the
    /// entries (each under its own lock).
    free_head: Option<u32>,
    /// Directory entries handed out so far: those at or above are fresh.
    len: u32,
}

/// All capability tables of the system and the derivation tree linking
/// their capabilities, locked as [`L`](Locking) says: a lock for the tree,
/// one per table. Every method takes `&self`; the kernel keeps one.
pub struct CapSpace<O, L: Locking> {
    tree: L::Lock<Tree>,
    dir: Directory<O, L>,
}

impl<O: CapObject, L: Locking> Default for CapSpace<O, L> {
    fn default() -> Self {
        Self::new()
    }
}

impl<O, L: Locking> fmt::Debug for CapSpace<O, L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CapSpace").finish_non_exhaustive()
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

/// Takes a node out of the tree (children move up) and the arena. The
/// caller has emptied its slot.
fn remove_node(nodes: &mut Nodes, id: NodeId) {
    nodes.reparent_children(id);
    nodes.unlink(id);
    nodes.remove(id);
}

/// `place` with table `dst` locked: `table`.
#[allow(clippy::too_many_arguments)]
fn put_new<O>(
    nodes: &mut Nodes,
    table: &mut Table<O>,
    dst: TableId,
    at: Placement,
    parent: Option<NodeId>,
    object: &mut Option<O>,
    rights: Rights,
    badge: u64,
) -> Result<u32, Error> {
    let slot = at.resolve(table)?;
    table.reserve(slot)?;
    nodes.reserve(1)?;
    let id = nodes.insert(Node::new(dst.index(), slot))?;
    let Some(object) = object.take() else {
        nodes.remove(id);
        return Err(Error::InvalidCap);
    };
    if let Some(p) = parent {
        nodes.link_child(p, id);
    }
    table.put_live(slot, Live { node: id, object, rights, badge });
    Ok(slot)
}

fn view<O>(live: &Live<O>) -> Cap<&O> {
    Cap { object: &live.object, rights: live.rights, badge: live.badge }
}

impl<O: CapObject, L: Locking> CapSpace<O, L> {
    /// An empty space. Allocates nothing.
    pub fn new() -> Self {
        CapSpace {
            tree: L::new_lock(LockClass::Tree, Tree { nodes: Nodes::new(), free_head: None, len: 0 }),
            dir: Directory::new(),
        }
    }

    /// Runs `f` on table `t` with its lock held (and no other).
    /// `InvalidCap` if there is no such table.
    fn with_table<R>(&self, t: TableId, f: impl FnOnce(&mut Table<O>) -> Result<R, Error>) -> Result<R, Error> {
        let lock = self.dir.entry(t.index()).ok_or(Error::InvalidCap)?;
        let mut entry = L::lock(lock);
        f(entry.table_mut(t).ok_or(Error::InvalidCap)?)
    }

    /// The id the next new table gets, making its directory chunk if need
    /// be. The caller holds the tree lock and passes it to `install`.
    fn next_id(&self, tree: &Tree) -> Result<TableId, Error> {
        if let Some(index) = tree.free_head {
            if let Some(lock) = self.dir.entry(index) {
                if let Entry::Free { generation, .. } = *L::lock(lock) {
                    return Ok(TableId::new(index, generation));
                }
            }
            // A broken free list would be a bug: `install` abandons it.
        }
        let index = tree.len;
        if index == u32::MAX {
            return Err(Error::NoMemory);
        }
        self.dir.ensure(index)?;
        Ok(TableId::new(index, 0))
    }

    /// Stores `table` under the id `next_id` gave. Cannot fail.
    fn install(&self, tree: &mut Tree, id: TableId, table: Table<O>) {
        let Some(lock) = self.dir.entry(id.index()) else {
            return;
        };
        let mut entry = L::lock(lock);
        if tree.free_head == Some(id.index()) {
            if let Entry::Free { next, .. } = *entry {
                tree.free_head = next;
            }
        } else {
            tree.free_head = None;
            tree.len = id.index().saturating_add(1);
        }
        *entry = Entry::Used { generation: id.generation(), table };
    }

    /// A new empty table of at most `limit` slots (numbered `0..limit`).
    pub fn create_table(&self, limit: u32) -> Result<TableId, Error> {
        let mut tree = L::lock(&self.tree);
        let id = self.next_id(&tree)?;
        self.install(&mut tree, id, Table::new(limit));
        Ok(id)
    }

    /// Changes the limit. It applies to future placements only: slots at or
    /// above a lowered limit keep their capabilities until deleted.
    pub fn set_limit(&self, t: TableId, limit: u32) -> Result<(), Error> {
        self.with_table(t, |table| {
            table.set_limit(limit);
            Ok(())
        })
    }

    pub fn limit(&self, t: TableId) -> Result<u32, Error> {
        self.with_table(t, |table| Ok(table.limit()))
    }

    /// Deletes every capability of the table, as [`delete`](Self::delete)
    /// would (their children, in any table, move up to their parent), and
    /// kills the id. Returns the objects of the live capabilities removed,
    /// for the caller to drop outside its lock. An unknown id gives an
    /// empty vector. Never allocates: the table keeps the room for this.
    pub fn destroy_table(&self, t: TableId) -> Vec<O> {
        let mut guard = L::lock(&self.tree);
        let tree = &mut *guard;
        let Some(lock) = self.dir.entry(t.index()) else {
            return Vec::new();
        };
        // Out of the directory first: from here on no lookup finds it.
        let mut table = {
            let mut entry = L::lock(lock);
            if entry.table(t).is_none() {
                return Vec::new();
            }
            let next = match t.generation().checked_add(1) {
                Some(generation) => {
                    let free = Entry::Free { generation, next: tree.free_head };
                    tree.free_head = Some(t.index());
                    free
                }
                None => Entry::Retired,
            };
            match core::mem::replace(&mut *entry, next) {
                Entry::Used { table, .. } => table,
                _ => return Vec::new(),
            }
        };
        let index = t.index();
        for (_, live) in table.lives() {
            tree.nodes.lift_out_of_table(live.node, index);
        }
        // Now no node of the table hangs below another: each outside child
        // moves up exactly once.
        let mut out = table.take_reclaim();
        for live in table.drain_live() {
            remove_node(&mut tree.nodes, live.node);
            push_reserved(&mut out, live.object);
        }
        out
    }

    /// Puts an original capability (for a newly made kernel object) in
    /// table `t`; it has no parent. Returns its slot. `rights` with bits
    /// `Rights::ALL` does not define are `InvalidArgument`. On error
    /// `object` is dropped before this returns (after the locks).
    pub fn insert_root(&self, t: TableId, at: Placement, object: O, rights: Rights, badge: u64) -> Result<u32, Error> {
        let mut object = Some(object);
        let mut tree = L::lock(&self.tree);
        self.with_table(t, |table| {
            if !rights.is_subset_of(Rights::ALL) {
                return Err(Error::InvalidArgument);
            }
            put_new(&mut tree.nodes, table, t, at, None, &mut object, rights, badge)
        })
    }

    /// The live capability in `slot`, its object cloned. `InvalidCap` for
    /// an unknown table, a slot out of range or an empty one; `Revoked` for
    /// a tombstone. Takes only the table's lock.
    pub fn get(&self, t: TableId, slot: u64) -> Result<Cap<O>, Error> {
        self.with_cap(t, slot, |c| Cap { object: c.object.clone(), rights: c.rights, badge: c.badge })
    }

    /// Runs `f` on the live capability in `slot`, with the table's lock
    /// held (so `f` must be short and take no lock ranked before a
    /// table's); errors as [`get`](Self::get).
    pub fn with_cap<R>(&self, t: TableId, slot: u64, f: impl FnOnce(Cap<&O>) -> R) -> Result<R, Error> {
        self.with_table(t, |table| table.live_cap(slot32(slot)?).map(|live| f(view(live))))
    }

    /// [`get`](Self::get), then `WrongType` unless the object is of type
    /// `ty`, then `MissingRights` unless the capability has all of
    /// `needed`.
    pub fn get_typed(&self, t: TableId, slot: u64, ty: CapType, needed: Rights) -> Result<Cap<O>, Error> {
        self.with_cap(t, slot, |c| {
            if c.object.cap_type() != ty {
                return Err(Error::WrongType);
            }
            if !c.rights.contains(needed) {
                return Err(Error::MissingRights);
            }
            Ok(Cap { object: c.object.clone(), rights: c.rights, badge: c.badge })
        })?
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
        &self,
        t: TableId,
        slot: u64,
        rights: Rights,
        badge: Option<u64>,
        object: Option<O>,
        at: Placement,
    ) -> Result<u32, Error> {
        let mut object = object;
        let mut tree = L::lock(&self.tree);
        let (parent, badge) = self.with_table(t, |table| {
            let parent = table.live_cap(slot32(slot)?)?;
            if !parent.rights.contains(Rights::DERIVE) || !rights.is_subset_of(parent.rights) {
                return Err(Error::MissingRights);
            }
            let badge = match badge {
                None | Some(0) => parent.badge,
                Some(b) if parent.badge == 0 => b,
                Some(_) => return Err(Error::InvalidArgument),
            };
            match &object {
                Some(o) if o.cap_type() != parent.object.cap_type() || !o.is_within(&parent.object) => {
                    return Err(Error::InvalidArgument);
                }
                Some(_) => {}
                None => object = Some(parent.object.clone()),
            }
            Ok((parent.node, badge))
        })?;
        self.place(&mut tree, t, at, Some(parent), &mut object, rights, badge)
    }

    /// Copies the capability in `slot` of `src` into `dst` (which may be
    /// `src`), as a child of it with the source's rights `& rights_mask`,
    /// its badge and its object. The source must be live (`InvalidCap`,
    /// `Revoked`) and have `TRANSFER` (`MissingRights`); then `dst` must
    /// exist (`InvalidCap`); then the placement and memory errors.
    pub fn copy(
        &self,
        src: TableId,
        slot: u64,
        dst: TableId,
        rights_mask: Rights,
        at: Placement,
    ) -> Result<u32, Error> {
        self.copy_masked(src, slot, dst, at, Some(rights_mask))
    }

    /// [`copy`](Self::copy) keeping every right and checking none: for the
    /// kernel's own use (duplicating Linux file descriptors, fork).
    pub fn copy_unchecked(&self, src: TableId, slot: u64, dst: TableId, at: Placement) -> Result<u32, Error> {
        self.copy_masked(src, slot, dst, at, None)
    }

    /// `copy` with `Some(mask)`, `copy_unchecked` with `None`.
    fn copy_masked(
        &self,
        src: TableId,
        slot: u64,
        dst: TableId,
        at: Placement,
        mask: Option<Rights>,
    ) -> Result<u32, Error> {
        let mut object = None;
        let mut tree = L::lock(&self.tree);
        // The source table, then (lock released: only the tree lock is
        // needed to keep it as it is) the destination.
        let (parent, rights, badge) = self.with_table(src, |table| {
            let cap = table.live_cap(slot32(slot)?)?;
            let rights = match mask {
                Some(_) if !cap.rights.contains(Rights::TRANSFER) => return Err(Error::MissingRights),
                Some(mask) => cap.rights & mask,
                None => cap.rights,
            };
            object = Some(cap.object.clone());
            Ok((cap.node, rights, cap.badge))
        })?;
        self.place(&mut tree, dst, at, Some(parent), &mut object, rights, badge)
    }

    /// Moves the live capability in `slot` of `src` to a slot of `dst`
    /// (which may be `src`), keeping its place in the derivation tree. The
    /// source must be live (`InvalidCap`, `Revoked`), then `dst` must exist
    /// (`InvalidCap`); then the placement and memory errors. Moving onto
    /// its own slot is `Busy`.
    pub fn move_cap(&self, src: TableId, slot: u64, dst: TableId, at: Placement) -> Result<u32, Error> {
        let mut tree = L::lock(&self.tree);
        let src_lock = self.dir.entry(src.index()).ok_or(Error::InvalidCap)?;
        let dst_lock = if dst.index() == src.index() { None } else { self.dir.entry(dst.index()) };
        // Two tables: lower index first. A destination with no directory
        // entry does not exist (checked below, after the source).
        let src_first = dst_lock.is_none() || src.index() < dst.index();
        let (first_lock, second_lock) = match dst_lock {
            Some(d) if !src_first => (d, Some(src_lock)),
            d => (src_lock, d),
        };
        let mut first = L::lock(first_lock);
        let mut second = second_lock.map(|l| L::lock_nested(l));
        let (s, d): (&mut Entry<O>, Option<&mut Entry<O>>) = match second.as_deref_mut() {
            None => (&mut *first, None),
            Some(g) if src_first => (&mut *first, Some(g)),
            Some(g) => (g, Some(&mut *first)),
        };
        let old_slot = slot32(slot)?;
        let source = s.table_mut(src).ok_or(Error::InvalidCap)?;
        let id = match source.state(old_slot) {
            SlotState::Empty => return Err(Error::InvalidCap),
            SlotState::Tombstone => return Err(Error::Revoked),
            SlotState::Live(id) => id,
        };
        let new_slot = match d {
            // Same table (same index: `dst` must be this very id).
            None if dst.index() == src.index() => {
                if dst != src {
                    return Err(Error::InvalidCap);
                }
                let new_slot = at.resolve(source)?;
                source.reserve(new_slot)?;
                if let Some(cap) = source.clear(old_slot) {
                    source.put_live(new_slot, cap);
                }
                new_slot
            }
            None => return Err(Error::InvalidCap),
            Some(d) => {
                let target = d.table_mut(dst).ok_or(Error::InvalidCap)?;
                let new_slot = at.resolve(target)?;
                target.reserve(new_slot)?;
                if let Some(cap) = source.clear(old_slot) {
                    target.put_live(new_slot, cap);
                }
                new_slot
            }
        };
        // Inner lock first.
        drop(second);
        drop(first);
        if let Some(node) = tree.nodes.get_mut(id) {
            node.table = dst.index();
            node.slot = new_slot;
        }
        Ok(new_slot)
    }

    /// Empties `slot`. A tombstone just goes (`Ok(None)`). A live
    /// capability leaves the tree, its children (in any table) becoming
    /// children of its parent, or roots; its object is returned.
    /// `InvalidCap` for an unknown table, or an empty or out-of-range slot.
    pub fn delete(&self, t: TableId, slot: u64) -> Result<Option<O>, Error> {
        let mut tree = L::lock(&self.tree);
        let removed = self.with_table(t, |table| {
            let slot = slot32(slot)?;
            match table.state(slot) {
                SlotState::Empty => Err(Error::InvalidCap),
                SlotState::Tombstone | SlotState::Live(_) => Ok(table.clear(slot)),
            }
        })?;
        Ok(removed.map(|live| {
            remove_node(&mut tree.nodes, live.node);
            live.object
        }))
    }

    /// Revokes every descendant of the capability in `slot`, in every
    /// table: each leaves the tree and its slot becomes a tombstone. The
    /// capability itself stays. Returns the removed objects (one per
    /// revoked capability) for the caller to drop outside its lock.
    /// `InvalidCap`/`Revoked` if the capability is not live; `NoMemory`
    /// (with nothing revoked) if the result vector cannot be allocated.
    pub fn revoke(&self, t: TableId, slot: u64) -> Result<Vec<O>, Error> {
        let mut guard = L::lock(&self.tree);
        let tree = &mut *guard;
        let root = self.with_table(t, |table| Ok(table.live_cap(slot32(slot)?)?.node))?;
        let count = tree.nodes.count_descendants(root);
        let mut out = Vec::new();
        grow(&mut out, count)?;
        let mut cursor = None;
        // One table lock at a time, kept while the walk stays in its table.
        let mut held: Option<(u32, L::Guard<'_, Entry<O>>)> = None;
        while let Some(node) = tree.nodes.take_descendant(root, &mut cursor) {
            if held.as_ref().map(|(index, _)| *index) != Some(node.table) {
                // Let the last table go before taking the next.
                drop(held.take());
                held = self.dir.entry(node.table).map(|lock| (node.table, L::lock(lock)));
            }
            let taken = held.as_mut().and_then(|(_, e)| e.any_table_mut()?.make_tombstone(node.slot));
            if let Some(live) = taken {
                push_reserved(&mut out, live.object);
            }
        }
        drop(held);
        Ok(out)
    }

    /// Fork: a new table of `limit` where every live capability of `src`
    /// is copied (as its child, with the same rights, badge and object) to
    /// the same slot number, even at or above `limit`. Tombstones are not
    /// copied. `InvalidCap` for an unknown `src`; on `NoMemory` nothing is
    /// left behind.
    pub fn clone_table(&self, src: TableId, limit: u32) -> Result<TableId, Error> {
        let mut guard = L::lock(&self.tree);
        let tree = &mut *guard;
        self.with_table(src, |_| Ok(()))?;
        let new = self.next_id(tree)?;
        let nodes = &mut tree.nodes;
        let table = self.with_table(src, |source| {
            let live = source.live_count();
            let len = source.lives().last().map_or(0, |(slot, _)| slot as usize + 1);
            let mut table = Table::new(limit);
            table.reserve_len(len, live)?;
            nodes.reserve(live)?;
            for (slot, cap) in source.lives() {
                // Not `place`: the slot may be at or above the new limit.
                let Ok(id) = nodes.insert(Node::new(new.index(), slot)) else {
                    // Cannot happen after the reservations above; if it
                    // did, undo rather than leave half a table.
                    for (_, done) in table.lives() {
                        remove_node(nodes, done.node);
                    }
                    return Err(Error::NoMemory);
                };
                nodes.link_child(cap.node, id);
                let copy = Live { node: id, object: cap.object.clone(), rights: cap.rights, badge: cap.badge };
                table.put_live(slot, copy);
            }
            Ok(table)
        })?;
        self.install(tree, new, table);
        Ok(new)
    }

    /// Runs `f` on each live capability of table `t` in slot order (none
    /// for an unknown table), with the table's lock held.
    pub fn for_each(&self, t: TableId, mut f: impl FnMut(u32, Cap<&O>)) {
        let _ = self.with_table(t, |table| {
            for (slot, live) in table.lives() {
                f(slot, view(live));
            }
            Ok(())
        });
    }

    /// Number of live capabilities in `t` (0 for an unknown table).
    pub fn live_count(&self, t: TableId) -> usize {
        self.with_table(t, |table| Ok(table.live_count())).unwrap_or(0)
    }

    /// The lowest empty slot (not a tombstone) `>= min` below the limit.
    pub fn first_free(&self, t: TableId, min: u32) -> Option<u32> {
        self.with_table(t, |table| Ok(table.first_free(min))).ok().flatten()
    }

    /// Live capabilities across all tables (takes the tree lock).
    pub fn node_count(&self) -> usize {
        L::lock(&self.tree).nodes.live()
    }

    /// Creates a node in table `dst` as a child of `parent` (or a root),
    /// holding `object`, which is taken only on success. The caller holds
    /// the tree lock.
    #[allow(clippy::too_many_arguments)]
    fn place(
        &self,
        tree: &mut Tree,
        dst: TableId,
        at: Placement,
        parent: Option<NodeId>,
        object: &mut Option<O>,
        rights: Rights,
        badge: u64,
    ) -> Result<u32, Error> {
        self.with_table(dst, |table| put_new(&mut tree.nodes, table, dst, at, parent, object, rights, badge))
    }

    /// The live capabilities of table `t` in slot order, cloned.
    #[cfg(test)]
    pub(crate) fn iter(&self, t: TableId) -> impl Iterator<Item = (u32, Cap<O>)> {
        let mut all = Vec::new();
        self.for_each(t, |slot, c| {
            all.push((slot, Cap { object: c.object.clone(), rights: c.rights, badge: c.badge }));
        });
        all.into_iter()
    }

    /// Runs `f` on the tree and every live table (by index), all locked:
    /// for the invariant checks of the tests.
    #[cfg(test)]
    pub(crate) fn inspect<R>(&self, f: impl FnOnce(&Nodes, &[(u32, &Table<O>)]) -> R) -> R {
        let tree = L::lock(&self.tree);
        let mut guards = Vec::new();
        for index in 0..tree.len {
            if let Some(lock) = self.dir.entry(index) {
                // Ascending index order, as the space's own nesting.
                let guard = if guards.is_empty() { L::lock(lock) } else { L::lock_nested(lock) };
                guards.push((index, guard));
            }
        }
        let tables: Vec<(u32, &Table<O>)> =
            guards.iter().filter_map(|(index, e)| Some((*index, e.any_table()?))).collect();
        f(&tree.nodes, &tables)
    }

    /// Gives a live table another generation, so the tests can reach the
    /// last one without creating 2^32 tables.
    #[cfg(test)]
    pub(crate) fn force_generation(&self, t: TableId, generation: u32) -> Option<TableId> {
        let _tree = L::lock(&self.tree);
        let mut entry = L::lock(self.dir.entry(t.index())?);
        match &mut *entry {
            Entry::Used { generation: g, .. } if *g == t.generation() => {
                *g = generation;
                Some(TableId::new(t.index(), generation))
            }
            _ => None,
        }
    }
}
