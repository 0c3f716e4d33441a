//! Which nodes the kernel holds open on a served file system, counted on
//! the kernel's side so that the server hears of a node once however often
//! it is opened and mapped, and a node whose last holder just went is not
//! given back at once ("parked"): the next program usually opens the same
//! files (every dynamically linked program maps libc), and each retain or
//! release told to the server is an IPC round trip and work in the server.
//!
//! A parked node stays retained on the server, which is harmless while it
//! has names: a retain only matters once a node is unlinked, when it keeps
//! the node's data until the last release. So a node is parked only while
//! it is known to have links, is given back as soon as a change may take
//! its last name away, and the oldest is given back when too many are
//! parked. Sync and unmount give back all.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec::Vec;

use vfs::Ino;

/// Nodes kept parked at most.
pub const PARKED_MAX: usize = 64;

#[derive(Debug, Default)]
pub struct Holds {
    /// Nodes held by the kernel now, and how many times.
    open: BTreeMap<Ino, u32>,
    /// Nodes nobody holds but the server still counts as retained, oldest
    /// first.
    parked: VecDeque<Ino>,
}

impl Holds {
    /// The kernel takes a hold on `ino`; true if the server must be told
    /// (then `retained` records it once the server agreed).
    pub fn retain(&mut self, ino: Ino) -> bool {
        if let Some(n) = self.open.get_mut(&ino) {
            *n = n.saturating_add(1);
            return false;
        }
        if let Some(at) = self.parked.iter().position(|&p| p == ino) {
            self.parked.remove(at);
            self.open.insert(ino, 1);
            return false;
        }
        true
    }

    /// The server retained `ino` for the kernel's first hold.
    pub fn retained(&mut self, ino: Ino) {
        self.open.insert(ino, 1);
    }

    /// The kernel drops a hold on `ino`. `may_park`: the node is known to
    /// have links. Returns the node the server must release now, if any:
    /// `ino` itself (its last hold, not parked, or not counted here) or
    /// the oldest parked node, pushed out.
    pub fn release(&mut self, ino: Ino, may_park: bool) -> Option<Ino> {
        match self.open.get_mut(&ino) {
            Some(n) if *n > 1 => {
                *n -= 1;
                None
            }
            Some(_) => {
                self.open.remove(&ino);
                if !may_park {
                    return Some(ino);
                }
                self.parked.push_back(ino);
                if self.parked.len() > PARKED_MAX {
                    self.parked.pop_front()
                } else {
                    None
                }
            }
            None => Some(ino),
        }
    }

    /// A change may have taken `ino`'s last name: true if it was parked (the
    /// server must release it now).
    pub fn unpark(&mut self, ino: Ino) -> bool {
        match self.parked.iter().position(|&p| p == ino) {
            Some(at) => {
                self.parked.remove(at);
                true
            }
            None => false,
        }
    }

    /// Every parked node, no longer parked: the server must release each.
    pub fn take_parked(&mut self) -> Vec<Ino> {
        self.parked.drain(..).collect()
    }

    #[cfg(test)]
    fn held(&self, ino: Ino) -> u32 {
        self.open.get(&ino).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_hears_of_a_node_once_while_it_is_held() {
        let mut h = Holds::default();
        assert!(h.retain(7));
        h.retained(7);
        assert!(!h.retain(7));
        assert_eq!(h.held(7), 2);
        assert_eq!(h.release(7, true), None);
        assert_eq!(h.release(7, true), None, "parked, not released");
        assert!(!h.retain(7), "taken back from the parked nodes without a message");
        assert_eq!(h.release(7, false), Some(7), "a node that may have no links goes back at once");
        assert!(h.retain(7), "and must be retained again");
    }

    #[test]
    fn the_oldest_parked_node_is_pushed_out() {
        let mut h = Holds::default();
        for ino in 1..=PARKED_MAX as Ino + 1 {
            assert!(h.retain(ino));
            h.retained(ino);
        }
        for ino in 1..=PARKED_MAX as Ino {
            assert_eq!(h.release(ino, true), None);
        }
        assert_eq!(h.release(PARKED_MAX as Ino + 1, true), Some(1));
        assert!(h.unpark(2));
        assert!(!h.unpark(2));
        let rest = h.take_parked();
        assert_eq!(rest.len(), PARKED_MAX - 1);
        assert!(!rest.contains(&1) && !rest.contains(&2));
        assert!(h.take_parked().is_empty());
    }

    #[test]
    fn releases_the_kernel_never_counted_go_to_the_server() {
        let mut h = Holds::default();
        assert_eq!(h.release(9, true), Some(9));
    }
}
