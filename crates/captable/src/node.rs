//! The node arena: one node per live capability, in every table. A node is
//! only the capability's place: its table and slot, and its links in the
//! derivation tree; the capability itself (object, rights, badge) is in
//! its table's slot.
//!
//! Nodes live in one vector and are named by their index ([`NodeId`]), so the
//! derivation tree is a set of indices rather than pointers. Freed entries
//! form an intrusive free list threaded through the vector itself: freeing
//! never allocates, so `delete`, `revoke` and `destroy_table` cannot fail for
//! want of memory once they have started.

use alloc::vec::Vec;

use abi::Error;

use crate::reserve::grow;

/// Index of a node in the arena. Kept to 32 bits so a table slot holding one
/// stays small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NodeId(u32);

impl NodeId {
    fn index(self) -> usize {
        // u32 -> usize is lossless on every target the kernel supports.
        self.0 as usize
    }
}

/// A node's place in the derivation tree. Siblings form a doubly linked
/// list so a node can leave its parent's list in O(1). Roots have no
/// siblings: nothing needs to enumerate them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Links {
    pub(crate) parent: Option<NodeId>,
    pub(crate) first_child: Option<NodeId>,
    pub(crate) next: Option<NodeId>,
    pub(crate) prev: Option<NodeId>,
}

/// One live capability's place.
pub(crate) struct Node {
    /// Where the capability is: the index of its table (the generation is
    /// not needed, a table's nodes all leave with it) and its slot there.
    pub(crate) table: u32,
    pub(crate) slot: u32,
    pub(crate) links: Links,
}

impl Node {
    pub(crate) fn new(table: u32, slot: u32) -> Self {
        Node { table, slot, links: Links::default() }
    }
}

enum Entry {
    Used(Node),
    Free { next: Option<NodeId> },
}

pub(crate) struct Nodes {
    entries: Vec<Entry>,
    free_head: Option<NodeId>,
    free_len: usize,
    live: usize,
}

impl Nodes {
    pub(crate) const fn new() -> Self {
        Nodes { entries: Vec::new(), free_head: None, free_len: 0, live: 0 }
    }

    /// Number of live nodes.
    pub(crate) fn live(&self) -> usize {
        self.live
    }

    /// Makes sure the next `n` inserts neither allocate nor run out of
    /// 32-bit indices, so a multi-node operation can check everything
    /// before it changes anything.
    pub(crate) fn reserve(&mut self, n: usize) -> Result<(), Error> {
        let extra = n.saturating_sub(self.free_len);
        let total = self.entries.len().checked_add(extra).ok_or(Error::NoMemory)?;
        if total > u32::MAX as usize {
            return Err(Error::NoMemory);
        }
        grow(&mut self.entries, extra)
    }

    /// Stores `node`. On failure nothing changed (and `node` is dropped).
    pub(crate) fn insert(&mut self, node: Node) -> Result<NodeId, Error> {
        if let Some(id) = self.free_head {
            if let Some(entry) = self.entries.get_mut(id.index()) {
                if let Entry::Free { next } = *entry {
                    *entry = Entry::Used(node);
                    self.free_head = next;
                    self.free_len = self.free_len.saturating_sub(1);
                    self.live += 1;
                    return Ok(id);
                }
            }
            // A free list pointing at a used entry would be a bug; never
            // follow it again rather than overwrite a live node.
            self.free_head = None;
            self.free_len = 0;
        }
        self.reserve(1)?;
        let id = NodeId(u32::try_from(self.entries.len()).map_err(|_| Error::NoMemory)?);
        self.entries.push(Entry::Used(node));
        self.live += 1;
        Ok(id)
    }

    /// Takes a node out of the arena. The caller has already unlinked it
    /// from the tree. Never allocates.
    pub(crate) fn remove(&mut self, id: NodeId) -> Option<Node> {
        let entry = self.entries.get_mut(id.index())?;
        if matches!(entry, Entry::Free { .. }) {
            return None;
        }
        let old = core::mem::replace(entry, Entry::Free { next: self.free_head });
        self.free_head = Some(id);
        self.free_len += 1;
        self.live = self.live.saturating_sub(1);
        match old {
            Entry::Used(node) => Some(node),
            Entry::Free { .. } => None,
        }
    }

    pub(crate) fn get(&self, id: NodeId) -> Option<&Node> {
        match self.entries.get(id.index()) {
            Some(Entry::Used(node)) => Some(node),
            _ => None,
        }
    }

    pub(crate) fn get_mut(&mut self, id: NodeId) -> Option<&mut Node> {
        match self.entries.get_mut(id.index()) {
            Some(Entry::Used(node)) => Some(node),
            _ => None,
        }
    }

    pub(crate) fn links(&self, id: NodeId) -> Links {
        self.get(id).map(|n| n.links).unwrap_or_default()
    }

    pub(crate) fn links_mut(&mut self, id: NodeId) -> Option<&mut Links> {
        self.get_mut(id).map(|n| &mut n.links)
    }

    /// Every entry, for the invariant checks of the tests.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (NodeId, &Node)> {
        self.entries.iter().enumerate().filter_map(|(i, e)| match e {
            Entry::Used(n) => Some((NodeId(u32::try_from(i).ok()?), n)),
            Entry::Free { .. } => None,
        })
    }

    /// Length of the free list, walked, for the invariant checks.
    #[cfg(test)]
    pub(crate) fn check_free_list(&self) -> Result<(), &'static str> {
        let mut n = 0usize;
        let mut cur = self.free_head;
        while let Some(id) = cur {
            match self.entries.get(id.index()) {
                Some(Entry::Free { next }) => cur = *next,
                _ => return Err("free list reaches a used or missing entry"),
            }
            n += 1;
            if n > self.entries.len() {
                return Err("free list has a cycle");
            }
        }
        let free = self.entries.iter().filter(|e| matches!(e, Entry::Free { .. })).count();
        if n != free || n != self.free_len || self.entries.len() - free != self.live {
            return Err("free/live counts disagree with the entries");
        }
        Ok(())
    }
}
