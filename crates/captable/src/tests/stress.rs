//! Deep and wide trees: nothing may recurse or go quadratic.

use abi::{CapType, Error, Rights};

use super::invariants::check;
use super::locks::Space;
use super::object::{Objs, TObj};
use crate::{Placement, TableId};

const N: u32 = 100_000;

/// A root in slot 0 and `N` derivations, each from the previous one.
fn chain() -> (Objs, Space<TObj>, TableId) {
    let objs = Objs::default();
    let space = Space::new();
    let t = space.create_table(N + 1).unwrap();
    space.insert_root(t, Placement::Exactly(0), objs.make(CapType::Memory, 0, 1), Rights::ALL, 0).unwrap();
    for i in 0..N {
        space.derive(t, u64::from(i), Rights::ALL, None, None, Placement::Exactly(i + 1)).unwrap();
    }
    (objs, space, t)
}

#[test]
fn revoking_a_long_chain_does_not_recurse() {
    let (objs, space, t) = chain();
    check(&space).unwrap();
    assert_eq!(space.revoke(t, 0).unwrap().len(), N as usize);
    assert_eq!(space.node_count(), 1);
    assert_eq!(space.get(t, u64::from(N)).err(), Some(Error::Revoked));
    assert_eq!(objs.alive(), 1);
    check(&space).unwrap();
}

#[test]
fn revoking_the_middle_of_a_long_chain() {
    let (objs, space, t) = chain();
    assert_eq!(space.revoke(t, u64::from(N / 2)).unwrap().len(), (N / 2) as usize);
    assert_eq!(objs.alive(), i64::from(N / 2 + 1));
    check(&space).unwrap();
}

#[test]
fn cloning_and_destroying_a_long_chain() {
    let (objs, space, t) = chain();
    let f = space.clone_table(t, N + 1).unwrap();
    assert_eq!(space.node_count(), 2 * (N as usize + 1));
    check(&space).unwrap();
    assert_eq!(space.destroy_table(t).len(), N as usize + 1);
    check(&space).unwrap();
    // The clones were children of the originals: now all roots.
    assert!(space.revoke(f, 0).unwrap().is_empty());
    assert_eq!(space.destroy_table(f).len(), N as usize + 1);
    assert_eq!(space.node_count(), 0);
    assert_eq!(objs.alive(), 0);
}

#[test]
fn deleting_a_long_chain_from_the_top() {
    let (objs, space, t) = chain();
    for i in 0..=N {
        assert!(space.delete(t, u64::from(i)).unwrap().is_some());
    }
    assert_eq!(space.node_count(), 0);
    assert_eq!(objs.alive(), 0);
}

#[test]
fn dropping_a_space_with_a_long_chain() {
    let (objs, space, _) = chain();
    drop(space);
    assert_eq!(objs.alive(), 0);
}

#[test]
fn destroying_one_table_of_an_interleaved_chain() {
    let objs = Objs::default();
    let space = Space::new();
    let ab = [space.create_table(N).unwrap(), space.create_table(N).unwrap()];
    space.insert_root(ab[0], Placement::Exactly(0), objs.make(CapType::Memory, 0, 1), Rights::ALL, 0).unwrap();
    // Cap i lives in table i % 2 at slot i / 2 and is a copy of cap i - 1.
    for i in 1..N {
        let (src, dst) = (ab[(i as usize - 1) % 2], ab[i as usize % 2]);
        let at = Placement::Exactly(i / 2);
        assert_eq!(space.copy_unchecked(src, u64::from((i - 1) / 2), dst, at), Ok(i / 2));
    }
    check(&space).unwrap();
    assert_eq!(space.destroy_table(ab[0]).len(), (N / 2) as usize);
    check(&space).unwrap();
    // Each cap of B now hangs off the previous one of B.
    assert_eq!(space.revoke(ab[1], 0).unwrap().len(), (N / 2 - 1) as usize);
    check(&space).unwrap();
    drop(space);
    assert_eq!(objs.alive(), 0);
}

#[test]
fn destroying_a_chain_with_children_outside_is_linear() {
    // A chain in A, deepest first in slot order, each with a copy in B:
    // deleting in slot order without lifting would move every copy once
    // per ancestor.
    const M: u32 = 20_000;
    let objs = Objs::default();
    let space = Space::new();
    let a = space.create_table(M).unwrap();
    let b = space.create_table(M).unwrap();
    let top = M - 1;
    space.insert_root(a, Placement::Exactly(top), objs.make(CapType::Memory, 0, 1), Rights::ALL, 0).unwrap();
    for s in (0..top).rev() {
        space.derive(a, u64::from(s + 1), Rights::ALL, None, None, Placement::Exactly(s)).unwrap();
    }
    for s in 0..M {
        space.copy(a, u64::from(s), b, Rights::ALL, Placement::Exactly(s)).unwrap();
    }
    let root = space.insert_root(b, Placement::Lowest { min: 0 }, objs.make(CapType::Memory, 0, 1), Rights::ALL, 0);
    assert_eq!(root, Err(Error::TableFull));
    assert_eq!(space.destroy_table(a).len(), M as usize);
    check(&space).unwrap();
    for s in 0..M {
        assert!(space.revoke(b, u64::from(s)).unwrap().is_empty(), "every copy is a root now");
    }
    assert_eq!(space.destroy_table(b).len(), M as usize);
    assert_eq!(objs.alive(), 0);
}

#[test]
fn a_wide_tree() {
    let objs = Objs::default();
    let space = Space::new();
    let t = space.create_table(N + 1).unwrap();
    space.insert_root(t, Placement::Exactly(0), objs.make(CapType::Memory, 0, 1), Rights::ALL, 0).unwrap();
    for _ in 0..N {
        space.derive(t, 0, Rights::READ, None, None, Placement::Lowest { min: 0 }).unwrap();
    }
    check(&space).unwrap();
    let mid = space.derive(t, 0, Rights::ALL, None, None, Placement::Lowest { min: 0 });
    assert_eq!(mid, Err(Error::TableFull));
    assert!(space.delete(t, 0).unwrap().is_some());
    check(&space).unwrap();
    assert_eq!(space.node_count(), N as usize);
    assert_eq!(space.destroy_table(t).len(), N as usize);
    assert_eq!(objs.alive(), 0);
}
