//! Descriptor cycles through in-flight messages.
//!
//! A socket passed with SCM_RIGHTS sits in the receiving socket's queue
//! until read. If a socket's queue comes to hold (directly, or through
//! sockets whose queues hold further sockets) the receiving socket itself,
//! and every descriptor of them is then closed, nothing can ever read the
//! queue again: the sockets keep each other alive. Linux collects such
//! cycles with a garbage collector; Helctic refuses the send that would
//! close one. Edges only appear at sends, so checking each send is enough:
//! a cycle would have to be closed by one.

use alloc::collections::BTreeSet;
use alloc::vec::Vec;

/// Whether sending the sockets `passed` into `receiver`'s queue would close
/// a cycle: `receiver` is one of them, or can be reached from one by
/// following `held` (the sockets a socket's queue, or its pending
/// connections' queues, hold). Stops (answering true, to refuse) after
/// visiting `limit` sockets, so a hostile graph cannot make it run long.
pub fn would_close_cycle<K: Ord + Copy>(
    receiver: K,
    passed: &[K],
    mut held: impl FnMut(K) -> Vec<K>,
    limit: usize,
) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<K> = passed.to_vec();
    while let Some(k) = stack.pop() {
        if k == receiver {
            return true;
        }
        if !seen.insert(k) {
            continue;
        }
        if seen.len() > limit {
            return true;
        }
        stack.extend(held(k));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::vec;
    use proptest::prelude::*;

    fn graph(edges: &[(u8, u8)]) -> BTreeMap<u8, Vec<u8>> {
        let mut g: BTreeMap<u8, Vec<u8>> = BTreeMap::new();
        for &(a, b) in edges {
            g.entry(a).or_default().push(b);
        }
        g
    }

    #[test]
    fn self_and_indirect() {
        let g = graph(&[(1, 2), (2, 3)]);
        let held = |k: u8| g.get(&k).cloned().unwrap_or_default();
        assert!(would_close_cycle(1, &[1], held, 100));
        assert!(would_close_cycle(3, &[1], held, 100));
        assert!(!would_close_cycle(1, &[3], held, 100));
        assert!(!would_close_cycle(4, &[1, 2, 3], held, 100));
        assert!(would_close_cycle(9, &[1, 2, 3], held, 2));
        assert!(!would_close_cycle(9, &[], held, 0));
        let _ = vec![0u8];
    }

    /// Naive reachability over the same graph (transitive closure).
    fn reach(g: &BTreeMap<u8, Vec<u8>>, from: u8, to: u8) -> bool {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from];
        while let Some(k) = todo.pop() {
            if k == to {
                return true;
            }
            if seen.insert(k) {
                todo.extend(g.get(&k).cloned().unwrap_or_default());
            }
        }
        false
    }

    proptest! {
        #[test]
        fn matches_reachability(edges in proptest::collection::vec((0u8..12, 0u8..12), 0..40), r in 0u8..12, passed in proptest::collection::vec(0u8..12, 0..4)) {
            let g = graph(&edges);
            let expected = passed.iter().any(|&p| reach(&g, p, r));
            prop_assert_eq!(would_close_cycle(r, &passed, |k| g.get(&k).cloned().unwrap_or_default(), 1000), expected);
        }

        /// Refusing every send that would close a cycle keeps the graph
        /// acyclic, whatever order the sends come in.
        #[test]
        fn stays_acyclic(sends in proptest::collection::vec((0u8..8, 0u8..8), 0..60)) {
            let mut g: BTreeMap<u8, Vec<u8>> = BTreeMap::new();
            for (receiver, passed) in sends {
                if !would_close_cycle(receiver, &[passed], |k| g.get(&k).cloned().unwrap_or_default(), 1000) {
                    g.entry(receiver).or_default().push(passed);
                }
            }
            for &k in g.keys() {
                for &c in &g[&k] {
                    prop_assert!(!reach(&g, c, k));
                }
            }
        }
    }
}
