//! Random operation sequences against the reference model. After every
//! step: same results and same visible state (so revoked descendants fail
//! with `Revoked` everywhere and the revoked capability itself still
//! works), the structural invariants (rights and objects narrow down the
//! tree, links and back-references agree), no leaked nodes, and every
//! object handed back exactly once. Some steps simulate running out of
//! memory, which must leave everything unchanged.

use alloc::vec;
use alloc::vec::Vec;

use abi::{CapType, Error, Rights};
use proptest::prelude::*;

use super::fail_point;
use super::invariants;
use super::locks::Space;
use super::model::{MNew, Model};
use super::object::{Key, Objs, TObj};
use crate::table::SlotState;
use crate::{Placement, TableId};

/// Most tables a run creates (destroyed ones included).
const MAX_TABLES: usize = 10;

/// A table: usually the k-th live one, sometimes any handle (dead ones
/// too, for the stale-id paths).
#[derive(Clone, Copy, Debug)]
struct TSel {
    live: bool,
    k: usize,
}

/// A slot: usually the k-th one in use (live or tombstone), sometimes any
/// number (empty, out of range, above u32).
#[derive(Clone, Copy, Debug)]
struct SSel {
    used: bool,
    k: u64,
}

#[derive(Clone, Debug)]
enum Op {
    Create {
        limit: u32,
    },
    Destroy {
        t: TSel,
    },
    SetLimit {
        t: TSel,
        limit: u32,
    },
    Root {
        t: TSel,
        at: Placement,
        memory: bool,
        lo: u32,
        len: u32,
        rights: u32,
        badge: u64,
    },
    Derive {
        t: TSel,
        slot: SSel,
        rights: u32,
        masked: bool,
        badge: Option<u64>,
        sub: Option<(u32, u32, bool)>,
        at: Placement,
    },
    Copy {
        src: TSel,
        slot: SSel,
        dst: TSel,
        mask: u32,
        at: Placement,
    },
    CopyUnchecked {
        src: TSel,
        slot: SSel,
        dst: TSel,
        at: Placement,
    },
    Move {
        src: TSel,
        slot: SSel,
        dst: TSel,
        at: Placement,
    },
    Delete {
        t: TSel,
        slot: SSel,
    },
    Revoke {
        t: TSel,
        slot: SSel,
    },
    Clone {
        t: TSel,
        limit: u32,
    },
}

fn placement() -> impl Strategy<Value = Placement> {
    prop_oneof![(0u32..4).prop_map(|min| Placement::Lowest { min }), (0u32..14).prop_map(Placement::Exactly),]
}

fn slot() -> impl Strategy<Value = SSel> {
    let raw = prop_oneof![12 => 0u64..14, 1 => Just(u64::MAX), 1 => Just(1u64 << 32)];
    (proptest::bool::weighted(0.9), raw).prop_map(|(used, k)| SSel { used, k })
}

fn limit() -> impl Strategy<Value = u32> {
    prop_oneof![1 => 0u32..3, 4 => 3u32..14]
}

fn rights() -> impl Strategy<Value = u32> {
    prop_oneof![Just(Rights::ALL.bits()), 0u32..64]
}

fn badge() -> impl Strategy<Value = Option<u64>> {
    prop_oneof![Just(None), Just(Some(0)), (1u64..4).prop_map(Some)]
}

fn table() -> impl Strategy<Value = TSel> {
    (proptest::bool::weighted(0.9), 0usize..MAX_TABLES).prop_map(|(live, k)| TSel { live, k })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => limit().prop_map(|limit| Op::Create { limit }),
        1 => table().prop_map(|t| Op::Destroy { t }),
        1 => (table(), limit()).prop_map(|(t, limit)| Op::SetLimit { t, limit }),
        6 => (table(), placement(), any::<bool>(), 0u32..8, 0u32..8, rights(), 0u64..3).prop_map(
            |(t, at, memory, lo, len, rights, badge)| Op::Root { t, at, memory, lo, len, rights, badge }
        ),
        10 => (
            table(),
            slot(),
            0u32..64,
            any::<bool>(),
            badge(),
            proptest::option::of((0u32..4, 0u32..6, proptest::bool::weighted(0.1))),
            placement()
        )
            .prop_map(|(t, slot, rights, masked, badge, sub, at)| Op::Derive {
                t,
                slot,
                rights,
                masked,
                badge,
                sub,
                at
            }),
        7 => (table(), slot(), table(), 0u32..64, placement())
            .prop_map(|(src, slot, dst, mask, at)| Op::Copy { src, slot, dst, mask, at }),
        2 => (table(), slot(), table(), placement())
            .prop_map(|(src, slot, dst, at)| Op::CopyUnchecked { src, slot, dst, at }),
        3 => (table(), slot(), table(), placement())
            .prop_map(|(src, slot, dst, at)| Op::Move { src, slot, dst, at }),
        4 => (table(), slot()).prop_map(|(t, slot)| Op::Delete { t, slot }),
        3 => (table(), slot()).prop_map(|(t, slot)| Op::Revoke { t, slot }),
        2 => (table(), limit()).prop_map(|(t, limit)| Op::Clone { t, limit }),
    ]
}

/// `Some(k)`: the k-th vector growth of the step fails.
fn failure() -> impl Strategy<Value = Option<u32>> {
    prop_oneof![8 => Just(None), 1 => (0u32..3).prop_map(Some)]
}

type Seen = Result<(Key, Rights, u64), Error>;

struct Run {
    objs: Objs,
    space: Space<TObj>,
    model: Model,
    ids: Vec<TableId>,
}

fn sorted_keys(objects: Vec<TObj>) -> Vec<Key> {
    let mut keys: Vec<Key> = objects.iter().map(TObj::key).collect();
    keys.sort();
    keys
}

fn sorted(mut keys: Vec<Key>) -> Vec<Key> {
    keys.sort();
    keys
}

impl Run {
    fn new() -> Self {
        let mut run = Run { objs: Objs::default(), space: Space::new(), model: Model::default(), ids: Vec::new() };
        for (h, limit) in [8, 12, 5, 10].into_iter().enumerate() {
            run.ids.push(run.space.create_table(limit).unwrap());
            run.model.create(limit);
            // Two roots each, so most steps have something to work on.
            for ty in [CapType::IoPorts, CapType::Memory] {
                let object = run.objs.make(ty, 0, 8);
                let new = MNew { key: object.key(), rights: Rights::ALL, badge: 0 };
                let at = Placement::Lowest { min: 0 };
                let slot = run.space.insert_root(run.ids[h], at, object, Rights::ALL, 0);
                assert_eq!(slot, run.model.insert_root(h, at, new));
            }
        }
        run
    }

    fn h(&self, t: TSel) -> usize {
        let live: Vec<usize> = (0..self.ids.len()).filter(|&h| self.model.table(h).is_ok()).collect();
        match live.len() {
            n if t.live && n > 0 => live[t.k % n],
            _ => t.k % self.ids.len(),
        }
    }

    fn slot(&self, h: usize, s: SSel) -> u64 {
        let used: Vec<u32> = self.model.table(h).map(|t| t.slots.keys().copied().collect()).unwrap_or_default();
        match used.len() {
            n if s.used && n > 0 => u64::from(used[(s.k % n as u64) as usize]),
            _ => s.k,
        }
    }

    /// Runs one step against both, `fail` arming a simulated failure.
    fn step(&mut self, op: &Op, fail: Option<u32>) -> Result<(), TestCaseError> {
        if let Some(k) = fail {
            fail_point::arm(k);
        }
        let result = self.apply(op);
        fail_point::disarm();
        result
    }

    /// Checks a real result against the model's, applying the model only
    /// when the real call did not fail for (simulated) want of memory.
    fn agree<T: PartialEq + core::fmt::Debug>(
        real: Result<T, Error>,
        model: impl FnOnce() -> Result<T, Error>,
    ) -> Result<(), TestCaseError> {
        let fired = fail_point::disarm();
        if real == Err(Error::NoMemory) {
            prop_assert!(fired, "NoMemory without a simulated failure");
            return Ok(());
        }
        prop_assert!(!fired, "a simulated failure did not fail the call");
        prop_assert_eq!(real, model());
        Ok(())
    }

    fn apply(&mut self, op: &Op) -> Result<(), TestCaseError> {
        match *op {
            Op::Create { limit } => {
                if self.ids.len() < MAX_TABLES {
                    let real = self.space.create_table(limit);
                    let fired = fail_point::disarm();
                    match real {
                        Ok(id) => {
                            prop_assert!(!self.ids.contains(&id), "a new table reuses a live or dead id");
                            self.ids.push(id);
                            self.model.create(limit);
                        }
                        Err(e) => prop_assert!(e == Error::NoMemory && fired),
                    }
                }
            }
            Op::Destroy { t } => {
                let h = self.h(t);
                let got = sorted_keys(self.space.destroy_table(self.ids[h]));
                prop_assert_eq!(got, sorted(self.model.destroy(h)));
            }
            Op::SetLimit { t, limit } => {
                let h = self.h(t);
                let real = self.space.set_limit(self.ids[h], limit);
                Self::agree(real, || self.model.set_limit(h, limit))?;
            }
            Op::Root { t, at, memory, lo, len, rights, badge } => {
                let h = self.h(t);
                let ty = if memory { CapType::Memory } else { CapType::IoPorts };
                let object = self.objs.make(ty, lo, lo + len);
                let key = object.key();
                let rights = Rights(rights);
                let real = self.space.insert_root(self.ids[h], at, object, rights, badge);
                Self::agree(real, || self.model.insert_root(h, at, MNew { key, rights, badge }))?;
            }
            Op::Derive { t, slot, rights, masked, badge, sub, at } => {
                let h = self.h(t);
                let slot = self.slot(h, slot);
                let parent = self.model.live(h, slot).ok().map(|p| self.model.nodes[p].clone());
                let rights = match &parent {
                    Some(p) if masked => p.rights & Rights(rights),
                    _ => Rights(rights),
                };
                let object = sub.map(|(off, len, wrong_type)| {
                    let (id, code, lo, _) = parent.as_ref().map_or((999, 0, 0, 0), |p| p.key);
                    let ty = CapType::from_code(u64::from(code)).unwrap_or(CapType::IoPorts);
                    let ty = match (wrong_type, ty) {
                        (false, ty) => ty,
                        (true, CapType::IoPorts) => CapType::Memory,
                        (true, _) => CapType::IoPorts,
                    };
                    self.objs.with_id(id, ty, lo + off, lo + off + len)
                });
                let key = object.as_ref().map(TObj::key);
                let real = self.space.derive(self.ids[h], slot, rights, badge, object, at);
                Self::agree(real, || self.model.derive(h, slot, rights, badge, key, at))?;
            }
            Op::Copy { src, slot, dst, mask, at } => {
                let (s, d) = (self.h(src), self.h(dst));
                let slot = self.slot(s, slot);
                let real = self.space.copy(self.ids[s], slot, self.ids[d], Rights(mask), at);
                Self::agree(real, || self.model.copy(s, slot, d, Some(Rights(mask)), at))?;
            }
            Op::CopyUnchecked { src, slot, dst, at } => {
                let (s, d) = (self.h(src), self.h(dst));
                let slot = self.slot(s, slot);
                let real = self.space.copy_unchecked(self.ids[s], slot, self.ids[d], at);
                Self::agree(real, || self.model.copy(s, slot, d, None, at))?;
            }
            Op::Move { src, slot, dst, at } => {
                let (s, d) = (self.h(src), self.h(dst));
                let slot = self.slot(s, slot);
                let real = self.space.move_cap(self.ids[s], slot, self.ids[d], at);
                Self::agree(real, || self.model.move_cap(s, slot, d, at))?;
            }
            Op::Delete { t, slot } => {
                let h = self.h(t);
                let slot = self.slot(h, slot);
                let real = self.space.delete(self.ids[h], slot).map(|o| o.map(|o| o.key()));
                Self::agree(real, || self.model.delete(h, slot))?;
            }
            Op::Revoke { t, slot } => {
                let h = self.h(t);
                let slot = self.slot(h, slot);
                let real = self.space.revoke(self.ids[h], slot).map(sorted_keys);
                let mut revoked = Vec::new();
                Self::agree(real, || {
                    let r = self.model.revoke(h, slot)?;
                    revoked = r.iter().map(|&(t, s, _)| (t, s)).collect();
                    Ok(sorted(r.into_iter().map(|(_, _, k)| k).collect()))
                })?;
                // Every descendant is unusable, wherever it was; the
                // capability itself is not.
                for (t, s) in revoked {
                    prop_assert_eq!(self.space.get(self.ids[t], u64::from(s)).err(), Some(Error::Revoked));
                }
                if self.model.live(h, slot).is_ok() {
                    prop_assert!(self.space.get(self.ids[h], slot).is_ok());
                }
            }
            Op::Clone { t, limit } => {
                if self.ids.len() < MAX_TABLES {
                    let h = self.h(t);
                    let real = self.space.clone_table(self.ids[h], limit);
                    let fired = fail_point::disarm();
                    match real {
                        Ok(id) => {
                            prop_assert!(!self.ids.contains(&id));
                            let m = self.model.clone_table(h, limit);
                            prop_assert_eq!(m, Ok(self.ids.len()));
                            self.ids.push(id);
                        }
                        Err(Error::NoMemory) => prop_assert!(fired),
                        Err(e) => prop_assert_eq!(Err(e), self.model.clone_table(h, limit)),
                    }
                }
            }
        }
        Ok(())
    }

    fn seen(&self, h: usize, slot: u64) -> Seen {
        self.space.get(self.ids[h], slot).map(|c| (c.object.key(), c.rights, c.badge))
    }

    fn model_seen(&self, h: usize, slot: u64) -> Seen {
        self.model.live(h, slot).map(|n| {
            let n = &self.model.nodes[n];
            (n.key, n.rights, n.badge)
        })
    }

    /// Where the parent of the capability in (`h`, `slot`) is, as (table
    /// index, slot), in the real space.
    fn real_parent(&self, h: usize, slot: u32) -> Option<(u32, u32)> {
        let id = self.ids[h];
        self.space.inspect(|nodes, tables| {
            let (_, table) = tables.iter().find(|(index, _)| *index == id.index())?;
            let SlotState::Live(node) = table.state(slot) else {
                return None;
            };
            let parent = nodes.get(node)?.links.parent?;
            let p = nodes.get(parent)?;
            Some((p.table, p.slot))
        })
    }

    /// The same from the model.
    fn model_parent(&self, h: usize, slot: u32) -> Option<(u32, u32)> {
        let n = self.model.live(h, u64::from(slot)).ok()?;
        let p = &self.model.nodes[self.model.nodes[n].parent?];
        Some((self.ids[p.table].index(), p.slot))
    }

    /// Everything visible agrees with the model, the tree has the model's
    /// shape, and the space is sound.
    fn compare(&self) -> Result<(), TestCaseError> {
        for h in 0..self.ids.len() {
            let id = self.ids[h];
            let Ok(mt) = self.model.table(h) else {
                prop_assert_eq!(self.space.limit(id), Err(Error::InvalidCap));
                prop_assert_eq!(self.seen(h, 0), Err(Error::InvalidCap));
                prop_assert_eq!(self.space.live_count(id), 0);
                prop_assert_eq!(self.space.iter(id).count(), 0);
                prop_assert_eq!(self.space.first_free(id, 0), None);
                continue;
            };
            prop_assert_eq!(self.space.limit(id), Ok(mt.limit));
            let top = mt.slots.keys().next_back().copied().unwrap_or(0).max(mt.limit);
            for slot in (0..=u64::from(top) + 2).chain([u64::MAX, 1 << 32]) {
                prop_assert_eq!(self.seen(h, slot), self.model_seen(h, slot), "table {} slot {}", h, slot);
            }
            let real: Vec<(u32, Key, Rights, u64)> =
                self.space.iter(id).map(|(s, c)| (s, c.object.key(), c.rights, c.badge)).collect();
            let model: Vec<(u32, Key, Rights, u64)> = mt
                .slots
                .iter()
                .filter_map(|(s, st)| match st {
                    super::model::MSlot::Live(n) => {
                        let n = &self.model.nodes[*n];
                        Some((*s, n.key, n.rights, n.badge))
                    }
                    super::model::MSlot::Tomb => None,
                })
                .collect();
            prop_assert_eq!(self.space.live_count(id), model.len());
            for &(slot, ..) in &model {
                prop_assert_eq!(self.real_parent(h, slot), self.model_parent(h, slot), "parent of {}:{}", h, slot);
            }
            prop_assert_eq!(real, model);
            for min in [0, 1, 3, mt.limit.saturating_sub(1), mt.limit] {
                prop_assert_eq!(self.space.first_free(id, min), self.model.first_free(h, min));
            }
        }
        if let Err(e) = invariants::check(&self.space) {
            return Err(TestCaseError::fail(e));
        }
        prop_assert_eq!(self.space.node_count(), self.model.live_nodes());
        // Each node holds exactly one object and the test keeps none.
        prop_assert_eq!(self.objs.alive(), self.space.node_count() as i64);
        Ok(())
    }
}

fn run(ops: &[(Op, Option<u32>)]) -> Result<(), TestCaseError> {
    let mut run = Run::new();
    run.compare()?;
    for (op, fail) in ops {
        run.step(op, *fail)?;
        run.compare()?;
    }
    for h in 0..run.ids.len() {
        let got = sorted_keys(run.space.destroy_table(run.ids[h]));
        prop_assert_eq!(got, sorted(run.model.destroy(h)));
        run.compare()?;
    }
    prop_assert_eq!(run.space.node_count(), 0);
    let objs = run.objs;
    drop(run.space);
    prop_assert_eq!(objs.alive(), 0, "objects leaked or dropped twice");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn matches_the_model(ops in proptest::collection::vec((op(), failure()), 1..120)) {
        run(&ops)?;
    }
}
