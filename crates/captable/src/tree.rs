//! The derivation tree: link operations on the node arena.
//!
//! Every walk here is a loop over the child/sibling/parent links with O(1)
//! extra state, never recursion: the kernel stack is small and a derivation
//! chain can be as long as user space makes it.

use crate::node::{Links, Node, NodeId, Nodes};

impl Nodes {
    /// Makes `child`, which is not in any child list, the first child of
    /// `parent`.
    pub(crate) fn link_child(&mut self, parent: NodeId, child: NodeId) {
        let old_first = self.links(parent).first_child;
        if let Some(l) = self.links_mut(child) {
            *l = Links { parent: Some(parent), first_child: l.first_child, next: old_first, prev: None };
        }
        if let Some(l) = old_first.and_then(|f| self.links_mut(f)) {
            l.prev = Some(child);
        }
        if let Some(l) = self.links_mut(parent) {
            l.first_child = Some(child);
        }
    }

    /// Takes `id` out of its parent's child list, making it a root. Its own
    /// children stay with it. O(1).
    pub(crate) fn unlink(&mut self, id: NodeId) {
        let Links { parent, next, prev, .. } = self.links(id);
        match prev {
            Some(p) => {
                if let Some(l) = self.links_mut(p) {
                    l.next = next;
                }
            }
            None => {
                if let Some(l) = parent.and_then(|p| self.links_mut(p)) {
                    if l.first_child == Some(id) {
                        l.first_child = next;
                    }
                }
            }
        }
        if let Some(l) = next.and_then(|n| self.links_mut(n)) {
            l.prev = prev;
        }
        if let Some(l) = self.links_mut(id) {
            l.parent = None;
            l.next = None;
            l.prev = None;
        }
    }

    /// Hands every child of `id` to `id`'s parent, or makes them roots if
    /// `id` is one. O(number of children): each needs its parent pointer
    /// changed; the list itself is spliced whole.
    pub(crate) fn reparent_children(&mut self, id: NodeId) {
        let Links { parent, first_child, .. } = self.links(id);
        let Some(first) = first_child else { return };
        let mut last = first;
        let mut cur = Some(first);
        while let Some(c) = cur {
            let Some(l) = self.links_mut(c) else { break };
            l.parent = parent;
            cur = l.next;
            if parent.is_none() {
                // Roots are in no list.
                l.next = None;
                l.prev = None;
            }
            last = c;
        }
        if let Some(l) = self.links_mut(id) {
            l.first_child = None;
        }
        let Some(p) = parent else { return };
        // Splice the whole list in front of the parent's children.
        let old_first = self.links(p).first_child;
        if let Some(l) = self.links_mut(last) {
            l.next = old_first;
        }
        if let Some(l) = old_first.and_then(|f| self.links_mut(f)) {
            l.prev = Some(last);
        }
        if let Some(l) = self.links_mut(p) {
            l.first_child = Some(first);
        }
    }

    /// The node after `cur` in a preorder walk of `root`'s subtree, or
    /// `None` when the walk is over. Climbs back up through parent links
    /// instead of keeping a stack.
    pub(crate) fn preorder_next(&self, root: NodeId, cur: NodeId) -> Option<NodeId> {
        let first = self.links(cur).first_child;
        if first.is_some() {
            return first;
        }
        let mut x = cur;
        loop {
            if x == root {
                return None;
            }
            let l = self.links(x);
            if l.next.is_some() {
                return l.next;
            }
            x = l.parent?;
        }
    }

    /// Number of nodes strictly below `root`. O(subtree).
    pub(crate) fn count_descendants(&self, root: NodeId) -> usize {
        let mut count = 0usize;
        let mut cur = self.links(root).first_child;
        while let Some(c) = cur {
            count += 1;
            cur = self.preorder_next(root, c);
        }
        count
    }

    /// Removes one node strictly below `root`, always a leaf, and returns
    /// it; `None` once `root` has no descendants left. `cursor` (start with
    /// `None`) keeps the walk's position between calls so that emptying a
    /// whole subtree is O(subtree): after a leaf goes, the walk resumes at
    /// its parent instead of descending from `root` again.
    pub(crate) fn take_descendant(&mut self, root: NodeId, cursor: &mut Option<NodeId>) -> Option<Node> {
        let mut cur = match *cursor {
            Some(c) => c,
            None => self.links(root).first_child?,
        };
        while let Some(child) = self.links(cur).first_child {
            cur = child;
        }
        let parent = self.links(cur).parent;
        self.unlink(cur);
        *cursor = if parent == Some(root) { None } else { parent };
        self.remove(cur)
    }

    /// Moves `id`, and each ancestor of it that is also in table `table`,
    /// directly under their nearest ancestor outside that table (or makes
    /// them roots). Afterwards no node on that path has a parent in `table`.
    ///
    /// Lifting every node of a table first lets `destroy_table` re-parent
    /// each outside child exactly once: deleting in slot order alone would
    /// move a child again for every ancestor of it in the table, quadratic
    /// on a chain. The path is compressed, so lifting a whole table is
    /// linear in its size.
    pub(crate) fn lift_out_of_table(&mut self, id: NodeId, table: u32) {
        let mut target = self.links(id).parent;
        while let Some(a) = target {
            match self.get(a) {
                Some(n) if n.table == table => target = n.links.parent,
                _ => break,
            }
        }
        let mut cur = Some(id);
        while let Some(x) = cur {
            if cur == target {
                break;
            }
            let up = self.links(x).parent;
            if up != target {
                self.unlink(x);
                if let Some(t) = target {
                    self.link_child(t, x);
                }
            }
            cur = up;
        }
    }
}
