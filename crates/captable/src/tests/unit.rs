//! One test per operation and error path.

use alloc::vec::Vec;

use abi::{CapType, Error, Rights};

use super::fail_point;
use super::invariants::check;
use super::locks::Space;
use super::object::{Objs, TObj};
use crate::{Placement, TableId};

const LOW: Placement = Placement::Lowest { min: 0 };
const RW: Rights = Rights(Rights::READ.0 | Rights::WRITE.0);

fn setup(limit: u32) -> (Objs, Space<TObj>, TableId) {
    let space = Space::new();
    let t = space.create_table(limit).unwrap();
    (Objs::default(), space, t)
}

fn ports(objs: &Objs, lo: u32, hi: u32) -> TObj {
    objs.make(CapType::IoPorts, lo, hi)
}

fn ok(space: &Space<TObj>) {
    check(space).unwrap();
}

#[test]
fn tables_limits_and_unknown_ids() {
    let (_, space, t) = setup(4);
    assert_eq!(space.limit(t), Ok(4));
    assert_eq!(space.set_limit(t, 9), Ok(()));
    assert_eq!(space.limit(t), Ok(9));
    let u = space.create_table(1).unwrap();
    assert_ne!(t, u);
    assert!(space.destroy_table(u).is_empty());
    assert_eq!(space.limit(u), Err(Error::InvalidCap));
    assert_eq!(space.set_limit(u, 3), Err(Error::InvalidCap));
    assert_eq!(space.live_count(u), 0);
    assert_eq!(space.first_free(u, 0), None);
    assert_eq!(space.iter(u).count(), 0);
    assert!(space.destroy_table(u).is_empty(), "destroying twice is harmless");
    ok(&space);
}

#[test]
fn insert_root_placements() {
    let (objs, space, t) = setup(4);
    assert_eq!(space.insert_root(t, LOW, ports(&objs, 0, 1), Rights::ALL, 0), Ok(0));
    assert_eq!(space.insert_root(t, Placement::Exactly(2), ports(&objs, 0, 1), Rights::ALL, 0), Ok(2));
    assert_eq!(space.insert_root(t, LOW, ports(&objs, 0, 1), Rights::ALL, 0), Ok(1));
    assert_eq!(space.insert_root(t, Placement::Lowest { min: 2 }, ports(&objs, 0, 1), Rights::ALL, 0), Ok(3));
    assert_eq!(space.insert_root(t, LOW, ports(&objs, 0, 1), Rights::ALL, 0), Err(Error::TableFull));
    assert_eq!(
        space.insert_root(t, Placement::Exactly(4), ports(&objs, 0, 1), Rights::ALL, 0),
        Err(Error::InvalidArgument)
    );
    assert_eq!(space.insert_root(t, Placement::Exactly(1), ports(&objs, 0, 1), Rights::ALL, 0), Err(Error::Busy));
    assert_eq!(
        space.insert_root(t, Placement::Lowest { min: 9 }, ports(&objs, 0, 1), Rights::ALL, 0),
        Err(Error::TableFull)
    );
    assert_eq!(space.live_count(t), 4);
    // Rejected objects were dropped, none leaked.
    assert_eq!(objs.alive(), 4);
    ok(&space);
}

#[test]
fn insert_root_errors() {
    let (objs, space, t) = setup(0);
    assert_eq!(space.insert_root(t, LOW, ports(&objs, 0, 1), Rights::ALL, 0), Err(Error::TableFull));
    space.set_limit(t, 2).unwrap();
    assert_eq!(
        space.insert_root(t, LOW, ports(&objs, 0, 1), Rights(0x40), 0),
        Err(Error::InvalidArgument),
        "undefined rights bits"
    );
    let dead = space.create_table(2).unwrap();
    space.destroy_table(dead);
    assert_eq!(space.insert_root(dead, LOW, ports(&objs, 0, 1), Rights::ALL, 0), Err(Error::InvalidCap));
    assert_eq!(objs.alive(), 0);
}

#[test]
fn tables_grow_lazily() {
    let (objs, space, t) = setup(1 << 20);
    let top = (1 << 20) - 1;
    assert_eq!(space.insert_root(t, Placement::Exactly(top), ports(&objs, 0, 1), Rights::ALL, 0), Ok(top));
    assert_eq!(space.first_free(t, 0), Some(0));
    assert_eq!(space.first_free(t, top), None);
    assert_eq!(space.insert_root(t, LOW, ports(&objs, 0, 1), Rights::ALL, 0), Ok(0));
    assert_eq!(space.first_free(t, 0), Some(1));
    // Deleting the top slot trims the storage back.
    assert!(space.delete(t, u64::from(top)).unwrap().is_some());
    assert_eq!(
        space.inspect(|_, tables| tables.iter().find(|(i, _)| *i == t.index()).map(|(_, tb)| tb.stored())),
        Some(1)
    );
    ok(&space);
}

#[test]
fn first_free_skips_tombstones_and_full_words() {
    let (objs, space, t) = setup(200);
    let root = space.insert_root(t, LOW, ports(&objs, 0, 1), Rights::ALL, 0).unwrap();
    for _ in 0..150 {
        space.derive(t, u64::from(root), Rights::ALL, None, None, LOW).unwrap();
    }
    assert_eq!(space.first_free(t, 0), Some(151));
    assert_eq!(space.first_free(t, 70), Some(151));
    space.delete(t, 100).unwrap();
    assert_eq!(space.first_free(t, 0), Some(100));
    assert_eq!(space.first_free(t, 101), Some(151));
    space.revoke(t, u64::from(root)).unwrap();
    // Tombstones are not free; only the slot deleted above and the end are.
    assert_eq!(space.first_free(t, 1), Some(100));
    assert_eq!(space.first_free(t, 199), Some(199));
    assert_eq!(space.first_free(t, 200), None);
    ok(&space);
}

#[test]
fn get_errors() {
    let (objs, space, t) = setup(8);
    let root = space.insert_root(t, LOW, ports(&objs, 0, 4), Rights::ALL, 7).unwrap();
    let child = space.derive(t, u64::from(root), RW, None, None, LOW).unwrap();
    let cap = space.get(t, u64::from(root)).unwrap();
    assert_eq!((cap.object.lo, cap.object.hi, cap.rights, cap.badge), (0, 4, Rights::ALL, 7));
    assert_eq!(space.get(t, 5).err(), Some(Error::InvalidCap), "empty");
    assert_eq!(space.get(t, 100).err(), Some(Error::InvalidCap), "out of range");
    assert_eq!(space.get(t, 1 << 32).err(), Some(Error::InvalidCap), "above u32");
    assert_eq!(space.get(t, u64::MAX).err(), Some(Error::InvalidCap));
    space.revoke(t, u64::from(root)).unwrap();
    assert_eq!(space.get(t, u64::from(child)).err(), Some(Error::Revoked));
    let dead = space.create_table(8).unwrap();
    space.destroy_table(dead);
    assert_eq!(space.get(dead, 0).err(), Some(Error::InvalidCap));
}

#[test]
fn get_typed_checks_in_order() {
    let (objs, space, t) = setup(8);
    let root = u64::from(space.insert_root(t, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    let weak = u64::from(space.derive(t, root, Rights::READ, None, None, LOW).unwrap());
    let typed = |s: &Space<TObj>, slot, ty, r| s.get_typed(t, slot, ty, r).map(|c| c.rights);
    assert_eq!(typed(&space, weak, CapType::IoPorts, Rights::READ), Ok(Rights::READ));
    assert_eq!(typed(&space, weak, CapType::IoPorts, RW), Err(Error::MissingRights));
    assert_eq!(typed(&space, weak, CapType::Memory, RW), Err(Error::WrongType), "type before rights");
    assert_eq!(typed(&space, 7, CapType::Memory, RW), Err(Error::InvalidCap));
    space.revoke(t, root).unwrap();
    assert_eq!(typed(&space, weak, CapType::Memory, RW), Err(Error::Revoked), "revoked before type");
    assert_eq!(typed(&space, root, CapType::IoPorts, Rights::ALL), Ok(Rights::ALL));
}

#[test]
fn derive_rights() {
    let (objs, space, t) = setup(8);
    let all = u64::from(space.insert_root(t, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    let no_derive = u64::from(space.insert_root(t, LOW, ports(&objs, 0, 4), Rights::ALL & !Rights::DERIVE, 0).unwrap());
    assert_eq!(space.derive(t, no_derive, Rights::READ, None, None, LOW), Err(Error::MissingRights));
    let rw_d = Rights(RW.0 | Rights::DERIVE.0);
    let mid = u64::from(space.derive(t, all, rw_d, None, None, LOW).unwrap());
    assert_eq!(space.derive(t, mid, Rights::READ | Rights::EXEC, None, None, LOW), Err(Error::MissingRights));
    assert_eq!(space.derive(t, mid, Rights(0x40), None, None, LOW), Err(Error::MissingRights));
    let leaf = space.derive(t, mid, Rights::READ, None, None, LOW).unwrap();
    assert_eq!(space.get(t, u64::from(leaf)).unwrap().rights, Rights::READ);
    assert_eq!(space.derive(t, u64::from(leaf), Rights::NONE, None, None, LOW), Err(Error::MissingRights));
    assert_eq!(space.derive(t, 7, Rights::NONE, None, None, LOW), Err(Error::InvalidCap));
    space.revoke(t, all).unwrap();
    assert_eq!(space.derive(t, mid, Rights::NONE, None, None, LOW), Err(Error::Revoked));
    ok(&space);
}

#[test]
fn derive_badges() {
    let (objs, space, t) = setup(8);
    let plain = u64::from(space.insert_root(t, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    let badge_of = |s: &Space<TObj>, slot: u32| s.get(t, u64::from(slot)).unwrap().badge;
    let kept = space.derive(t, plain, Rights::ALL, None, None, LOW).unwrap();
    assert_eq!(badge_of(&space, kept), 0);
    let badged = space.derive(t, plain, Rights::ALL, Some(5), None, LOW).unwrap();
    assert_eq!(badge_of(&space, badged), 5);
    let b = u64::from(badged);
    assert_eq!(space.derive(t, b, Rights::ALL, Some(6), None, LOW), Err(Error::InvalidArgument));
    assert_eq!(space.derive(t, b, Rights::ALL, Some(5), None, LOW), Err(Error::InvalidArgument), "even the same");
    let zero = space.derive(t, b, Rights::ALL, Some(0), None, LOW).unwrap();
    assert_eq!(badge_of(&space, zero), 5, "Some(0) keeps the parent's");
    let none = space.derive(t, b, Rights::ALL, None, None, LOW).unwrap();
    assert_eq!(badge_of(&space, none), 5);
    ok(&space);
}

#[test]
fn derive_objects() {
    let (objs, space, t) = setup(8);
    let parent = ports(&objs, 10, 20);
    let id = parent.id;
    let p = u64::from(space.insert_root(t, LOW, parent, Rights::ALL, 0).unwrap());
    let sub = space.derive(t, p, Rights::ALL, None, Some(objs.with_id(id, CapType::IoPorts, 12, 20)), LOW).unwrap();
    let range = space.get(t, u64::from(sub)).map(|cap| (cap.object.lo, cap.object.hi));
    assert_eq!(range, Ok((12, 20)));
    let whole = space.derive(t, p, Rights::ALL, None, None, LOW).unwrap();
    assert_eq!(space.get(t, u64::from(whole)).unwrap().object.key(), (id, CapType::IoPorts as u32, 10, 20));
    let wider = objs.with_id(id, CapType::IoPorts, 9, 20);
    assert_eq!(space.derive(t, p, Rights::ALL, None, Some(wider), LOW), Err(Error::InvalidArgument));
    let other_type = objs.with_id(id, CapType::Memory, 12, 14);
    assert_eq!(space.derive(t, p, Rights::ALL, None, Some(other_type), LOW), Err(Error::InvalidArgument));
    let other_object = ports(&objs, 12, 14);
    assert_eq!(space.derive(t, p, Rights::ALL, None, Some(other_object), LOW), Err(Error::InvalidArgument));
    // A narrower child narrows further only within itself.
    let s = u64::from(sub);
    let outside = objs.with_id(id, CapType::IoPorts, 10, 11);
    assert_eq!(space.derive(t, s, Rights::ALL, None, Some(outside), LOW), Err(Error::InvalidArgument));
    assert_eq!(objs.alive(), 3, "rejected objects are dropped");
    ok(&space);
}

#[test]
fn derive_placement_errors() {
    let (objs, space, t) = setup(2);
    let p = u64::from(space.insert_root(t, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    assert_eq!(space.derive(t, p, Rights::ALL, None, None, Placement::Exactly(0)), Err(Error::Busy));
    assert_eq!(space.derive(t, p, Rights::ALL, None, None, Placement::Exactly(2)), Err(Error::InvalidArgument));
    assert_eq!(space.derive(t, p, Rights::ALL, None, None, Placement::Exactly(1)), Ok(1));
    assert_eq!(space.derive(t, p, Rights::ALL, None, None, LOW), Err(Error::TableFull));
    space.revoke(t, p).unwrap();
    assert_eq!(space.derive(t, p, Rights::ALL, None, None, Placement::Exactly(1)), Err(Error::Busy), "tombstone");
    assert_eq!(space.delete(t, 1), Ok(None));
    assert_eq!(space.derive(t, p, Rights::ALL, None, None, Placement::Exactly(1)), Ok(1));
    ok(&space);
}

#[test]
fn copy_needs_transfer_and_masks_rights() {
    let (objs, space, a) = setup(8);
    let b = space.create_table(8).unwrap();
    let src = u64::from(space.insert_root(a, LOW, ports(&objs, 0, 4), Rights::ALL, 3).unwrap());
    let stuck = space.derive(a, src, Rights::ALL & !Rights::TRANSFER, None, None, LOW).unwrap();
    assert_eq!(space.copy(a, u64::from(stuck), b, Rights::ALL, LOW), Err(Error::MissingRights));
    let c = space.copy(a, src, b, RW | Rights(0x400), Placement::Exactly(5)).unwrap();
    assert_eq!(c, 5);
    let cap = space.get(b, 5).unwrap();
    assert_eq!((cap.rights, cap.badge, cap.object.key()), (RW, 3, space.get(a, src).unwrap().object.key()));
    let same = space.copy(a, src, a, Rights::READ, LOW).unwrap();
    assert_eq!(space.get(a, u64::from(same)).unwrap().rights, Rights::READ);
    let dead = space.create_table(8).unwrap();
    space.destroy_table(dead);
    assert_eq!(space.copy(a, src, dead, Rights::ALL, LOW), Err(Error::InvalidCap));
    assert_eq!(space.copy(dead, 0, b, Rights::ALL, LOW), Err(Error::InvalidCap));
    assert_eq!(space.copy(a, 7, b, Rights::ALL, LOW), Err(Error::InvalidCap));
    assert_eq!(space.copy(a, src, b, Rights::ALL, Placement::Exactly(5)), Err(Error::Busy));
    assert_eq!(space.copy(a, src, b, Rights::ALL, Placement::Exactly(8)), Err(Error::InvalidArgument));
    // The copies are children of the source.
    assert_eq!(space.revoke(a, src).unwrap().len(), 3);
    assert_eq!(space.get(b, 5).err(), Some(Error::Revoked));
    assert_eq!(space.copy(a, u64::from(same), b, Rights::ALL, LOW), Err(Error::Revoked));
    ok(&space);
}

#[test]
fn copy_unchecked_keeps_everything() {
    let (objs, space, a) = setup(8);
    let b = space.create_table(8).unwrap();
    let src = u64::from(space.insert_root(a, LOW, ports(&objs, 0, 4), Rights::READ, 9).unwrap());
    assert_eq!(space.copy(a, src, b, Rights::ALL, LOW), Err(Error::MissingRights));
    let c = space.copy_unchecked(a, src, b, LOW).unwrap();
    let cap = space.get(b, u64::from(c)).unwrap();
    assert_eq!((cap.rights, cap.badge), (Rights::READ, 9));
    assert_eq!(space.copy_unchecked(a, 3, b, LOW), Err(Error::InvalidCap));
    assert_eq!(space.copy_unchecked(a, src, b, Placement::Exactly(c)), Err(Error::Busy));
    assert_eq!(space.revoke(a, src).unwrap().len(), 1, "a child of the source");
    assert_eq!(space.copy_unchecked(b, u64::from(c), a, LOW), Err(Error::Revoked));
    ok(&space);
}

#[test]
fn move_keeps_the_tree() {
    let (objs, space, a) = setup(8);
    let b = space.create_table(8).unwrap();
    let root = u64::from(space.insert_root(a, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    let mid = u64::from(space.derive(a, root, Rights::ALL, None, None, LOW).unwrap());
    let leaf = u64::from(space.derive(a, mid, Rights::ALL, None, None, LOW).unwrap());
    let moved = u64::from(space.move_cap(a, mid, b, Placement::Exactly(6)).unwrap());
    assert_eq!(moved, 6);
    assert_eq!(space.get(a, mid).err(), Some(Error::InvalidCap), "the old slot is empty");
    assert_eq!(space.first_free(a, 0), Some(mid as u32));
    ok(&space);
    // Its child is still its child; it is still its parent's.
    assert_eq!(space.revoke(b, moved).unwrap().len(), 1);
    assert_eq!(space.get(a, leaf).err(), Some(Error::Revoked));
    assert_eq!(space.revoke(a, root).unwrap().len(), 1);
    assert_eq!(space.get(b, moved).err(), Some(Error::Revoked));
    assert_eq!(space.move_cap(b, moved, a, LOW), Err(Error::Revoked));
    ok(&space);
}

#[test]
fn move_errors_and_same_table() {
    let (objs, space, a) = setup(4);
    let s = u64::from(space.insert_root(a, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    assert_eq!(space.move_cap(a, s, a, Placement::Exactly(s as u32)), Err(Error::Busy));
    assert_eq!(space.move_cap(a, s, a, Placement::Exactly(4)), Err(Error::InvalidArgument));
    assert_eq!(space.move_cap(a, 2, a, LOW), Err(Error::InvalidCap));
    let dead = space.create_table(4).unwrap();
    space.destroy_table(dead);
    assert_eq!(space.move_cap(a, s, dead, LOW), Err(Error::InvalidCap));
    assert_eq!(space.move_cap(a, s, a, Placement::Exactly(3)), Ok(3));
    assert_eq!(space.move_cap(a, 3, a, LOW), Ok(0));
    space.set_limit(a, 1).unwrap();
    assert_eq!(space.move_cap(a, 0, a, LOW), Err(Error::TableFull));
    assert_eq!(space.live_count(a), 1);
    ok(&space);
}

#[test]
fn delete_hands_children_to_the_parent() {
    let (objs, space, a) = setup(8);
    let b = space.create_table(8).unwrap();
    let root = u64::from(space.insert_root(a, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    let mid = u64::from(space.derive(a, root, Rights::ALL, None, None, LOW).unwrap());
    let l1 = u64::from(space.copy(a, mid, b, Rights::ALL, LOW).unwrap());
    let l2 = u64::from(space.derive(a, mid, Rights::ALL, None, None, LOW).unwrap());
    let removed = space.delete(a, mid).unwrap().unwrap();
    assert_eq!(removed.key(), space.get(a, root).unwrap().object.key());
    drop(removed);
    ok(&space);
    assert_eq!(space.get(b, l1).unwrap().rights, Rights::ALL, "children survive");
    assert_eq!(space.revoke(a, root).unwrap().len(), 2, "and hang off the grandparent");
    assert_eq!(space.get(b, l1).err(), Some(Error::Revoked));
    assert_eq!(space.get(a, l2).err(), Some(Error::Revoked));
    assert_eq!(space.delete(a, l2), Ok(None), "a tombstone just goes");
    assert_eq!(space.delete(a, l2), Err(Error::InvalidCap), "then the slot is empty");
    assert_eq!(space.delete(a, 1 << 32), Err(Error::InvalidCap));
    assert_eq!(space.delete(a, 100), Err(Error::InvalidCap));
    let dead = space.create_table(8).unwrap();
    space.destroy_table(dead);
    assert_eq!(space.delete(dead, 0), Err(Error::InvalidCap));
    ok(&space);
}

#[test]
fn deleting_a_root_makes_roots() {
    let (objs, space, a) = setup(8);
    let root = u64::from(space.insert_root(a, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    let c1 = u64::from(space.derive(a, root, Rights::ALL, None, None, LOW).unwrap());
    let c2 = u64::from(space.derive(a, root, Rights::ALL, None, None, LOW).unwrap());
    let g = u64::from(space.derive(a, c1, Rights::ALL, None, None, LOW).unwrap());
    assert!(space.delete(a, root).unwrap().is_some());
    ok(&space);
    assert!(space.revoke(a, c2).unwrap().is_empty(), "siblings are no longer related");
    assert_eq!(space.revoke(a, c1).unwrap().len(), 1);
    assert_eq!(space.get(a, g).err(), Some(Error::Revoked));
    assert_eq!(objs.alive(), 2);
}

#[test]
fn revoke_reaches_every_table() {
    let (objs, space, a) = setup(8);
    let b = space.create_table(8).unwrap();
    let c = space.create_table(8).unwrap();
    let root = u64::from(space.insert_root(a, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    let in_b = u64::from(space.copy(a, root, b, Rights::ALL, LOW).unwrap());
    let in_c = u64::from(space.copy(b, in_b, c, Rights::ALL, LOW).unwrap());
    let deep = u64::from(space.derive(c, in_c, Rights::READ, None, None, LOW).unwrap());
    let sibling = u64::from(space.derive(a, root, Rights::ALL, None, None, LOW).unwrap());
    let unrelated = u64::from(space.insert_root(a, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    assert_eq!(space.revoke(a, 5), Err(Error::InvalidCap));
    let out = space.revoke(a, root).unwrap();
    assert_eq!(out.len(), 4);
    drop(out);
    for (t, s) in [(b, in_b), (c, in_c), (c, deep), (a, sibling)] {
        assert_eq!(space.get(t, s).err(), Some(Error::Revoked));
    }
    assert!(space.get(a, root).is_ok());
    assert!(space.get(a, unrelated).is_ok());
    assert_eq!(space.revoke(b, in_b), Err(Error::Revoked));
    assert!(space.revoke(a, root).unwrap().is_empty(), "nothing left below");
    assert_eq!(space.node_count(), 2);
    assert_eq!(objs.alive(), 2);
    // Tombstones are not reused until deleted.
    assert_eq!(space.first_free(b, 0), Some(1));
    ok(&space);
}

#[test]
fn revoke_of_a_middle_node_spares_its_ancestors() {
    let (objs, space, a) = setup(8);
    let root = u64::from(space.insert_root(a, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    let mid = u64::from(space.derive(a, root, Rights::ALL, None, None, LOW).unwrap());
    let leaf = u64::from(space.derive(a, mid, Rights::ALL, None, None, LOW).unwrap());
    let other = u64::from(space.derive(a, root, Rights::ALL, None, None, LOW).unwrap());
    assert_eq!(space.revoke(a, mid).unwrap().len(), 1);
    assert_eq!(space.get(a, leaf).err(), Some(Error::Revoked));
    assert!(space.get(a, root).is_ok() && space.get(a, mid).is_ok() && space.get(a, other).is_ok());
    ok(&space);
}

#[test]
fn clone_table_is_a_fork() {
    let (objs, space, a) = setup(8);
    let root = u64::from(space.insert_root(a, Placement::Exactly(1), ports(&objs, 0, 4), Rights::ALL, 4).unwrap());
    let gone = u64::from(space.derive(a, root, Rights::ALL, None, None, Placement::Exactly(3)).unwrap());
    space.derive(a, root, Rights::READ, None, None, Placement::Exactly(6)).unwrap();
    space.revoke(a, gone).unwrap();
    let grand = u64::from(space.derive(a, gone, Rights::ALL, None, None, LOW).unwrap());
    space.revoke(a, gone).unwrap();
    assert_eq!(space.get(a, grand).err(), Some(Error::Revoked));
    let before = space.node_count();
    let f = space.clone_table(a, 4).unwrap();
    ok(&space);
    assert_eq!(space.limit(f), Ok(4));
    let orig: Vec<_> = space.iter(a).map(|(s, c)| (s, c.object.key(), c.rights, c.badge)).collect();
    let copy: Vec<_> = space.iter(f).map(|(s, c)| (s, c.object.key(), c.rights, c.badge)).collect();
    assert_eq!(orig, copy, "same slots, even above the new limit");
    assert_eq!(space.get(f, grand).err(), Some(Error::InvalidCap), "tombstones are not copied");
    assert_eq!(space.node_count(), before + orig.len());
    // Each copy is a child of its original.
    assert_eq!(space.revoke(a, 6).unwrap().len(), 1);
    assert_eq!(space.get(f, 6).err(), Some(Error::Revoked));
    let dead = space.create_table(8).unwrap();
    space.destroy_table(dead);
    assert_eq!(space.clone_table(dead, 8), Err(Error::InvalidCap));
    let empty = space.create_table(8).unwrap();
    let e2 = space.clone_table(empty, 2).unwrap();
    assert_eq!(space.live_count(e2), 0);
    ok(&space);
}

#[test]
fn destroy_table_returns_objects_and_reparents() {
    let (objs, space, a) = setup(8);
    let b = space.create_table(8).unwrap();
    let top = u64::from(space.insert_root(b, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    let x = u64::from(space.copy(b, top, a, Rights::ALL, LOW).unwrap());
    let y = u64::from(space.derive(a, x, Rights::ALL, None, None, LOW).unwrap());
    let out_child = u64::from(space.copy(a, y, b, Rights::ALL, LOW).unwrap());
    let tomb = u64::from(space.derive(a, y, Rights::ALL, None, None, LOW).unwrap());
    space.revoke(a, tomb).unwrap();
    space.revoke(a, y).unwrap(); // turns `out_child` into a tombstone
    let again = u64::from(space.copy(a, y, b, Rights::ALL, LOW).unwrap());
    let objects = space.destroy_table(a);
    assert_eq!(objects.len(), 2, "the live ones only");
    drop(objects);
    assert_eq!(space.get(b, out_child).err(), Some(Error::Revoked));
    assert!(space.get(b, again).is_ok(), "outside children survive");
    assert_eq!(space.revoke(b, top).unwrap().len(), 1, "below the nearest outside ancestor");
    assert_eq!(space.get(b, again).err(), Some(Error::Revoked));
    assert_eq!(space.get(a, 0).err(), Some(Error::InvalidCap));
    ok(&space);
    assert_eq!(space.destroy_table(b).len(), 1);
    assert_eq!(space.node_count(), 0);
    assert_eq!(objs.alive(), 0);
}

#[test]
fn stale_ids_never_alias() {
    let space = Space::<TObj>::new();
    let objs = Objs::default();
    let old = space.create_table(4).unwrap();
    space.insert_root(old, LOW, ports(&objs, 0, 1), Rights::ALL, 0).unwrap();
    drop(space.destroy_table(old));
    let new = space.create_table(4).unwrap();
    assert_eq!(new.index(), old.index(), "the index is reused");
    assert_ne!(new, old);
    space.insert_root(new, LOW, ports(&objs, 0, 1), Rights::ALL, 0).unwrap();
    assert_eq!(space.get(old, 0).err(), Some(Error::InvalidCap));
    assert_eq!(space.limit(old), Err(Error::InvalidCap));
    assert_eq!(space.delete(old, 0), Err(Error::InvalidCap));
    assert!(space.destroy_table(old).is_empty());
    assert!(space.get(new, 0).is_ok(), "the new table is untouched");
}

#[test]
fn an_index_whose_generations_ran_out_is_retired() {
    let space = Space::<TObj>::new();
    let t = space.create_table(4).unwrap();
    let last = space.force_generation(t, u32::MAX).unwrap();
    assert_eq!(space.get(t, 0).err(), Some(Error::InvalidCap));
    space.destroy_table(last);
    let next = space.create_table(4).unwrap();
    assert_ne!(next.index(), last.index());
    assert_eq!(space.limit(last), Err(Error::InvalidCap));
}

#[test]
fn iteration_and_counts() {
    let (objs, space, a) = setup(16);
    assert_eq!(space.iter(a).count(), 0);
    let r = u64::from(space.insert_root(a, Placement::Exactly(9), ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    space.derive(a, r, Rights::READ, None, None, Placement::Exactly(2)).unwrap();
    let rd = Rights::READ | Rights::DERIVE;
    let gone = u64::from(space.derive(a, r, rd, None, None, Placement::Exactly(4)).unwrap());
    space.derive(a, gone, Rights::READ, None, None, Placement::Exactly(5)).unwrap();
    space.revoke(a, gone).unwrap();
    let slots: Vec<(u32, Rights)> = space.iter(a).map(|(s, c)| (s, c.rights)).collect();
    assert_eq!(slots, [(2, Rights::READ), (4, rd), (9, Rights::ALL)]);
    assert_eq!(space.live_count(a), 3);
    assert_eq!(space.node_count(), 3);
    assert_eq!(space.first_free(a, 4), Some(6));
    assert_eq!(space.first_free(a, 0), Some(0));
    assert_eq!(space.first_free(a, 16), None);
    assert_eq!(space.first_free(a, u32::MAX), None);
}

#[test]
fn failed_allocations_change_nothing() {
    let (objs, space, a) = setup(1 << 12);
    let b = space.create_table(1 << 12).unwrap();
    let r = u64::from(space.insert_root(a, LOW, ports(&objs, 0, 4), Rights::ALL, 0).unwrap());
    let snapshot = |s: &Space<TObj>| {
        let list = |t| s.iter(t).map(|(i, c)| (i, c.object.key(), c.rights)).collect::<Vec<_>>();
        (list(a), list(b), s.node_count())
    };
    let before = snapshot(&space);
    fail_point::arm(0);
    assert_eq!(space.derive(a, r, Rights::ALL, None, None, Placement::Exactly(4000)), Err(Error::NoMemory));
    fail_point::arm(0);
    assert_eq!(space.copy(a, r, b, Rights::ALL, Placement::Exactly(3000)), Err(Error::NoMemory));
    fail_point::arm(0);
    assert_eq!(space.insert_root(b, Placement::Exactly(100), ports(&objs, 0, 1), Rights::ALL, 0), Err(Error::NoMemory));
    fail_point::arm(0);
    assert_eq!(space.clone_table(a, 8), Err(Error::NoMemory));
    fail_point::arm(1);
    assert_eq!(space.clone_table(a, 8), Err(Error::NoMemory));
    fail_point::arm(0);
    assert_eq!(space.move_cap(a, r, b, Placement::Exactly(2000)), Err(Error::NoMemory));
    assert!(fail_point::disarm());
    assert_eq!(snapshot(&space), before);
    ok(&space);
    assert_eq!(objs.alive(), 1);
    for _ in 0..10 {
        space.derive(a, r, Rights::ALL, None, None, LOW).unwrap();
    }
    fail_point::arm(0);
    assert_eq!(space.revoke(a, r).err(), Some(Error::NoMemory));
    assert_eq!(space.node_count(), 11, "nothing revoked");
    // Destroying cannot fail: it allocates nothing.
    fail_point::arm(0);
    assert_eq!(space.destroy_table(a).len(), 11);
    assert!(!fail_point::disarm(), "destroy_table grew no vector");
    ok(&space);
}

#[test]
fn default_and_debug() {
    let space: Space<TObj> = Space::default();
    assert_eq!(space.node_count(), 0);
    assert!(alloc::format!("{space:?}").contains("CapSpace"));
    let (objs, space, t) = setup(2);
    space.insert_root(t, LOW, ports(&objs, 0, 1), Rights::READ, 1).unwrap();
    let cap = space.get(t, 0).unwrap();
    let copy = cap;
    assert!(alloc::format!("{copy:?}").contains("badge: 1"));
}

#[test]
fn many_tables_span_directory_chunks() {
    let objs = Objs::default();
    let space = Space::<TObj>::new();
    // 16 inline entries, then chunks of 16, 32, 64, 128: 300 tables reach
    // chunk 4.
    let ids: Vec<TableId> = (0..300).map(|_| space.create_table(4).unwrap()).collect();
    for (i, &t) in ids.iter().enumerate() {
        assert_eq!(t.index(), i as u32);
        space.insert_root(t, LOW, objs.with_id(i as u64, CapType::IoPorts, 0, 1), Rights::ALL, 0).unwrap();
    }
    for (i, &t) in ids.iter().enumerate() {
        assert_eq!(space.get(t, 0).map(|c| c.object.id), Ok(i as u64));
    }
    ok(&space);
    // Fork the last one across chunks, then destroy every other table:
    // their ids die and their entries are reused, newest first.
    let fork = space.clone_table(ids[299], 4).unwrap();
    assert_eq!(fork.index(), 300);
    for &t in ids.iter().step_by(2) {
        assert_eq!(space.destroy_table(t).len(), 1);
        assert_eq!(space.get(t, 0).err(), Some(Error::InvalidCap));
    }
    let again = space.create_table(4).unwrap();
    assert_eq!(again.index(), 298);
    assert_eq!(space.limit(ids[298]), Err(Error::InvalidCap));
    assert_eq!(space.get(fork, 0).map(|c| c.object.id), Ok(299));
    ok(&space);
    assert_eq!(objs.alive(), 151);
}
