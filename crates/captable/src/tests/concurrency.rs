//! Threads on one space: lookups, inserts and deletes in private tables and
//! in one shared table, while others derive, copy, revoke, move and fork
//! across tables. The space must end consistent (the invariants hold, one
//! live object per live capability, a revocation leaves no copy behind),
//! and the lock checker of `locks.rs` must never fire.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::thread;

use abi::{CapType, Error, Rights};

use super::invariants::check;
use super::locks::Space;
use crate::{CapObject, Placement, TableId};

const LOW: Placement = Placement::Lowest { min: 0 };
const ROUNDS: u64 = 20_000;
const WORKERS: u64 = 4;

/// A thread-safe test object: an id, counting its live copies.
#[derive(Debug)]
struct CObj {
    id: u64,
    alive: Arc<AtomicI64>,
}

impl CObj {
    fn new(id: u64, alive: &Arc<AtomicI64>) -> Self {
        alive.fetch_add(1, Ordering::SeqCst);
        CObj { id, alive: alive.clone() }
    }
}

impl Clone for CObj {
    fn clone(&self) -> Self {
        CObj::new(self.id, &self.alive)
    }
}

impl Drop for CObj {
    fn drop(&mut self) {
        self.alive.fetch_sub(1, Ordering::SeqCst);
    }
}

impl CapObject for CObj {
    fn cap_type(&self) -> CapType {
        CapType::Endpoint
    }

    fn is_within(&self, parent: &Self) -> bool {
        self.id == parent.id
    }
}

/// The root every copy is made from: id 0 in slot 0 of table `r`.
const ROOT_ID: u64 = 0;

#[test]
fn threads_on_one_space_leave_it_consistent() {
    let alive = Arc::new(AtomicI64::new(0));
    let space: Arc<Space<CObj>> = Arc::new(Space::new());
    let r = space.create_table(1 << 12).unwrap();
    let shared = space.create_table(1 << 12).unwrap();
    let private: Vec<TableId> = (0..WORKERS).map(|_| space.create_table(1 << 12).unwrap()).collect();
    let (m1, m2) = (space.create_table(64).unwrap(), space.create_table(64).unwrap());
    assert_eq!(space.insert_root(r, Placement::Exactly(0), CObj::new(ROOT_ID, &alive), Rights::ALL, 0), Ok(0));
    // What the mover moves back and forth, a child of the root.
    space.copy(r, 0, m1, Rights::ALL, Placement::Exactly(0)).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let mut handles = Vec::new();

    for w in 0..WORKERS {
        let (space, alive, mine) = (space.clone(), alive.clone(), private[w as usize]);
        handles.push(thread::spawn(move || {
            for i in 0..ROUNDS {
                let id = 1 + w * ROUNDS + i;
                // A root of its own, in its table and in the shared one.
                let own = u64::from(space.insert_root(mine, LOW, CObj::new(id, &alive), Rights::ALL, 0).unwrap());
                let there = u64::from(space.insert_root(shared, LOW, CObj::new(id, &alive), Rights::ALL, 0).unwrap());
                for (t, s) in [(mine, own), (shared, there)] {
                    assert_eq!(space.get(t, s).map(|c| c.object.id), Ok(id), "a lookup lost a capability");
                    let typed = space.get_typed(t, s, CapType::Endpoint, Rights::READ).map(|c| c.object.id);
                    assert_eq!(typed, Ok(id));
                    assert_eq!(space.get_typed(t, s, CapType::Memory, Rights::NONE).err(), Some(Error::WrongType));
                }
                // A copy of the root, which the revoker may revoke at any
                // time: live with the root's object, or a tombstone.
                let copied = space.copy(r, 0, mine, Rights::READ | Rights::TRANSFER, LOW);
                let copied = u64::from(copied.unwrap());
                match space.get(mine, copied) {
                    Ok(c) => assert_eq!(c.object.id, ROOT_ID),
                    Err(e) => assert_eq!(e, Error::Revoked),
                }
                // The root itself is never revoked, only its descendants.
                assert_eq!(space.get(r, 0).map(|c| c.object.id), Ok(ROOT_ID));
                let _ = space.live_count(shared);
                let _ = space.first_free(mine, 0);
                assert_eq!(space.delete(shared, there).unwrap().map(|o| o.id), Some(id));
                assert_eq!(space.delete(mine, own).unwrap().map(|o| o.id), Some(id));
                match space.delete(mine, copied) {
                    Ok(Some(o)) => assert_eq!(o.id, ROOT_ID),
                    Ok(None) => {}
                    Err(e) => panic!("deleting a copy: {e:?}"),
                }
            }
        }));
    }

    // The revoker: derives and copies the root across tables, then revokes
    // everything made from it; its own copies must all be tombstones then.
    {
        let (space, done, p0) = (space.clone(), done.clone(), private[0]);
        handles.push(thread::spawn(move || {
            // At least one round, however fast the workers are.
            let mut rounds = 0u64;
            while rounds == 0 || !done.load(Ordering::SeqCst) {
                rounds += 1;
                let d = u64::from(space.derive(r, 0, Rights::ALL, None, None, LOW).unwrap());
                let grandchild = space.copy(r, d, shared, Rights::ALL, LOW).unwrap();
                let elsewhere = space.copy(r, 0, p0, Rights::ALL, LOW).unwrap();
                for o in space.revoke(r, 0).unwrap() {
                    assert_eq!(o.id, ROOT_ID, "revoke took an object not derived from the root");
                }
                assert_eq!(space.get(r, d).err(), Some(Error::Revoked));
                assert_eq!(space.delete(r, d).map(|o| o.is_none()), Ok(true));
                assert_eq!(space.delete(shared, u64::from(grandchild)).map(|o| o.is_none()), Ok(true));
                assert_eq!(space.delete(p0, u64::from(elsewhere)).map(|o| o.is_none()), Ok(true));
                thread::yield_now();
            }
        }));
    }

    // The mover: moves a capability between two tables (both locked, lower
    // index first) and forks and destroys tables, while the revoker may
    // revoke it (then it is re-made).
    {
        let (space, done) = (space.clone(), done.clone());
        handles.push(thread::spawn(move || {
            let (mut from, mut to) = (m1, m2);
            // At least one round, however fast the workers are.
            let mut rounds = 0u64;
            while rounds == 0 || !done.load(Ordering::SeqCst) {
                rounds += 1;
                match space.move_cap(from, 0, to, Placement::Exactly(0)) {
                    Ok(0) => core::mem::swap(&mut from, &mut to),
                    Err(Error::Revoked) => {
                        assert_eq!(space.delete(from, 0).map(|o| o.is_none()), Ok(true));
                        space.copy(r, 0, from, Rights::ALL, Placement::Exactly(0)).unwrap();
                    }
                    other => panic!("move: {other:?}"),
                }
                let fork = space.clone_table(shared, 64).unwrap();
                let before = space.live_count(fork);
                let objects = space.destroy_table(fork);
                assert!(objects.len() <= before);
                assert_eq!(space.get(fork, 0).err(), Some(Error::InvalidCap));
            }
        }));
    }

    // The workers finish, then the others are told to stop.
    let (workers, others) = {
        let mut all = handles;
        let others = all.split_off(WORKERS as usize);
        (all, others)
    };
    for h in workers {
        h.join().unwrap();
    }
    done.store(true, Ordering::SeqCst);
    for h in others {
        h.join().unwrap();
    }

    check(&*space).unwrap();
    // Every live capability holds exactly one object, nothing leaked.
    assert_eq!(alive.load(Ordering::SeqCst), space.node_count() as i64);
    for &t in &private {
        assert_eq!(space.live_count(t), 0, "a worker's table kept a capability");
    }
    assert_eq!(space.live_count(shared), 0);
    // A last revocation leaves the root alone in the whole space, its
    // copies (the mover's) tombstones.
    drop(space.revoke(r, 0).unwrap());
    let mut copies = 0;
    for t in [r, shared, m1, m2].into_iter().chain(private.iter().copied()) {
        space.for_each(t, |_, c| copies += usize::from(c.object.id == ROOT_ID));
    }
    assert_eq!(copies, 1);
    assert_eq!(space.node_count(), 1);
    assert_eq!(alive.load(Ordering::SeqCst), 1);
    check(&*space).unwrap();
}
