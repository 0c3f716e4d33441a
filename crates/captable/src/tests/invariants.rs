//! The structural invariants of a `CapSpace`, checked from the inside.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use crate::node::NodeId;
use crate::table::SlotState;
use crate::{CapObject, CapSpace, Locking};

/// Checks tables, nodes, back-references, tree links, rights and objects.
/// Linear in the size of the space, so usable on the deep-chain tests.
pub(crate) fn check<O: CapObject, L: Locking>(space: &CapSpace<O, L>) -> Result<(), &'static str> {
    space.inspect(|nodes, all| {
        nodes.check_free_list()?;
        let mut tables = BTreeMap::new();
        let mut live_slots = 0usize;
        for &(index, table) in all {
            table.check()?;
            for (slot, live) in table.lives() {
                let node = nodes.get(live.node).ok_or("slot names a free node")?;
                if node.table != index || node.slot != slot {
                    return Err("node back-reference disagrees with its slot");
                }
                live_slots += 1;
            }
            tables.insert(index, table);
        }
        if live_slots != nodes.live() {
            return Err("live slots and live nodes differ");
        }
        let mut listed = 0usize;
        let mut with_parent = 0usize;
        let mut roots = Vec::new();
        for (id, node) in nodes.iter() {
            let table = tables.get(&node.table).ok_or("node in a dead table")?;
            if table.state(node.slot) != SlotState::Live(id) {
                return Err("node's slot does not hold it");
            }
            let cap = table.live_cap(node.slot).map_err(|_| "node's slot is not live")?;
            match node.links.parent {
                Some(p) => {
                    with_parent += 1;
                    let parent = nodes.get(p).ok_or("parent is not live")?;
                    let ptable = tables.get(&parent.table).ok_or("parent in a dead table")?;
                    let pcap = ptable.live_cap(parent.slot).map_err(|_| "parent's slot is not live")?;
                    if !cap.rights.is_subset_of(pcap.rights) {
                        return Err("child has rights its parent lacks");
                    }
                    if cap.object.cap_type() != pcap.object.cap_type() || !cap.object.is_within(&pcap.object) {
                        return Err("child's object is not within its parent's");
                    }
                }
                None => {
                    if node.links.prev.is_some() || node.links.next.is_some() {
                        return Err("root in a sibling list");
                    }
                    roots.push(id);
                }
            }
            let mut prev: Option<NodeId> = None;
            let mut cur = node.links.first_child;
            while let Some(c) = cur {
                let child = nodes.get(c).ok_or("child is not live")?;
                if child.links.parent != Some(id) || child.links.prev != prev {
                    return Err("child list links disagree");
                }
                listed += 1;
                if listed > nodes.live() {
                    return Err("child lists are cyclic");
                }
                prev = Some(c);
                cur = child.links.next;
            }
        }
        // Every child is listed exactly once by its parent...
        if listed != with_parent {
            return Err("a child is missing from its parent's list or listed twice");
        }
        // ...and every node hangs below a root (no parent cycles).
        let reachable: usize = roots.iter().map(|r| 1 + nodes.count_descendants(*r)).sum();
        if reachable != nodes.live() {
            return Err("some nodes are not below any root");
        }
        Ok(())
    })
}
