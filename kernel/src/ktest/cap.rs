//! The machine's capability space as the kernel uses it (cap/): typed
//! lookups and rights, derivation that only narrows, revocation across
//! tables, and the errors for stale and invalid slots. The table logic is
//! host-tested in crates/captable; these check it with the kernel's own
//! objects, lock and entry points.

use super::TestResult;
use crate::cap::{self, KObject};
use crate::check;
use crate::ipc::{Endpoint, Notification};
use abi::{CapType, Error, Rights};
use alloc::string::String;
use alloc::sync::Arc;
use captable::Placement;

fn err<E: core::fmt::Debug>(what: &'static str) -> impl Fn(E) -> String {
    move |e| alloc::format!("{what}: {e:?}")
}

/// Only the kind of result, so `check!` can compare without the object.
fn kind<T>(r: Result<T, Error>) -> Result<(), Error> {
    r.map(|_| ())
}

/// Lookups check, in the ABI's order, that the slot is live, the type,
/// then the rights; a derived capability may only narrow its parent's
/// rights, and one without DERIVE or TRANSFER can be neither derived nor
/// copied.
pub fn lookups_check_type_then_rights() -> TestResult {
    let table = cap::create_table(16).map_err(err("create_table"))?;
    let endpoint = Endpoint::new();
    let root = cap::insert(table, KObject::Endpoint(endpoint.clone()), Rights::ALL).map_err(err("insert"))?;
    let found = cap::lookup(table, root, CapType::Endpoint, Rights::READ | Rights::WRITE);
    check!(matches!(&found, Ok((KObject::Endpoint(e), r, 0)) if Arc::ptr_eq(e, &endpoint) && *r == Rights::ALL));
    drop(found);
    check!(kind(cap::lookup(table, root, CapType::Notification, Rights::NONE)) == Err(Error::WrongType));

    // A read-only child, which may still derive (but not transfer).
    let narrow = Rights::READ | Rights::DERIVE;
    let child = cap::with_space(|s| s.derive(table, root, narrow, None, None, Placement::Lowest { min: 0 }))
        .map_err(err("derive"))?;
    check!(u64::from(child) != root);
    check!(kind(cap::lookup(table, u64::from(child), CapType::Endpoint, Rights::READ)) == Ok(()));
    let write = cap::lookup(table, u64::from(child), CapType::Endpoint, Rights::WRITE);
    check!(kind(write) == Err(Error::MissingRights), "a read-only child looked up for writing");
    // Type is checked before rights.
    let both = cap::lookup(table, u64::from(child), CapType::Notification, Rights::WRITE);
    check!(kind(both) == Err(Error::WrongType));
    // Rights never grow down the tree.
    let wider = cap::with_space(|s| {
        s.derive(table, u64::from(child), Rights::READ | Rights::WRITE, None, None, Placement::Lowest { min: 0 })
    });
    check!(wider == Err(Error::MissingRights), "derived more rights than the parent has: {wider:?}");
    let copied = cap::with_space(|s| s.copy(table, u64::from(child), table, Rights::ALL, Placement::Lowest { min: 0 }));
    check!(copied == Err(Error::MissingRights), "copied a capability without TRANSFER: {copied:?}");
    // And a child without DERIVE derives nothing.
    let leaf =
        cap::with_space(|s| s.derive(table, u64::from(child), Rights::READ, None, None, Placement::Lowest { min: 0 }))
            .map_err(err("derive leaf"))?;
    let from_leaf =
        cap::with_space(|s| s.derive(table, u64::from(leaf), Rights::READ, None, None, Placement::Lowest { min: 0 }));
    check!(from_leaf == Err(Error::MissingRights), "derived from a capability without DERIVE: {from_leaf:?}");
    cap::destroy_table(table);
    check!(
        Arc::strong_count(&endpoint) == 1,
        "destroying the table left {} references",
        Arc::strong_count(&endpoint) - 1
    );
    Ok(())
}

/// Revoking a capability removes every descendant, in its own table and
/// in others (a copy that travelled), leaving tombstones that say Revoked
/// until deleted, and gives their objects back to be dropped; the
/// capability itself and unrelated ones stay. Empty, out-of-range slots
/// and destroyed tables say InvalidCap.
pub fn revoke_reaches_every_descendant() -> TestResult {
    let (a, b) = (cap::create_table(8).map_err(err("table a"))?, cap::create_table(8).map_err(err("table b"))?);
    let note = Notification::new();
    let root = cap::insert(a, KObject::Notification(note.clone()), Rights::ALL).map_err(err("insert"))?;
    let other = cap::insert(a, KObject::Notification(Notification::new()), Rights::ALL).map_err(err("insert"))?;
    let at = Placement::Lowest { min: 0 };
    let child = cap::with_space(|s| s.derive(a, root, Rights::ALL, None, None, at)).map_err(err("derive"))?;
    let grandchild = cap::with_space(|s| s.copy(a, u64::from(child), b, Rights::READ | Rights::TRANSFER, at))
        .map_err(err("copy"))?;
    let copied = cap::lookup_any(b, u64::from(grandchild));
    check!(matches!(&copied, Ok((_, r, _)) if *r == Rights::READ | Rights::TRANSFER), "copy mask not applied");
    drop(copied);
    check!(Arc::strong_count(&note) == 4, "{} references for 3 capabilities", Arc::strong_count(&note) - 1);

    let removed = cap::with_space(|s| s.revoke(a, root)).map_err(err("revoke"))?;
    check!(removed.len() == 2, "revoke removed {} capabilities, not 2", removed.len());
    cap::drop_outside(removed);
    check!(Arc::strong_count(&note) == 2, "revoked objects still referenced: {}", Arc::strong_count(&note));
    check!(kind(cap::lookup_any(a, root)) == Ok(()), "revoke removed the capability itself");
    check!(kind(cap::lookup_any(a, other)) == Ok(()), "revoke removed an unrelated capability");
    check!(kind(cap::lookup_any(a, u64::from(child))) == Err(Error::Revoked));
    check!(
        kind(cap::lookup_any(b, u64::from(grandchild))) == Err(Error::Revoked),
        "the copy in another table survived"
    );
    // Using a tombstone fails the same way; deleting it frees the slot.
    let again = cap::with_space(|s| s.derive(a, u64::from(child), Rights::READ, None, None, at));
    check!(again == Err(Error::Revoked), "derived from a revoked slot: {again:?}");
    check!(cap::with_space(|s| s.delete(b, u64::from(grandchild))).is_ok_and(|o| o.is_none()));
    check!(kind(cap::lookup_any(b, u64::from(grandchild))) == Err(Error::InvalidCap), "a deleted slot is not empty");
    check!(kind(cap::lookup_any(a, 1_000_000)) == Err(Error::InvalidCap), "an out-of-range slot");
    cap::destroy_table(b);
    check!(kind(cap::lookup_any(b, 0)) == Err(Error::InvalidCap), "a destroyed table still answers");
    cap::destroy_table(a);
    check!(Arc::strong_count(&note) == 1);
    Ok(())
}

/// Ranged capabilities narrow only within their range; a badge can be
/// set once (on an unbadged parent) and is inherited; a table refuses
/// slots past its limit.
pub fn derive_narrows_ranges_and_badges() -> TestResult {
    let table = cap::create_table(4).map_err(err("create_table"))?;
    let at = Placement::Lowest { min: 0 };
    let irqs = cap::insert(table, KObject::Irq { first: 0, count: 16 }, Rights::ALL).map_err(err("insert"))?;
    let inside = KObject::Irq { first: 4, count: 4 };
    let sub = cap::with_space(|s| s.derive(table, irqs, Rights::ALL, None, Some(inside), at)).map_err(err("narrow"))?;
    check!(cap::lookup_any(table, u64::from(sub)).is_ok_and(|(o, _, _)| o.range() == (4, 4)));
    let outside = KObject::Irq { first: 2, count: 4 };
    let wide = cap::with_space(|s| s.derive(table, u64::from(sub), Rights::ALL, None, Some(outside), at));
    check!(wide == Err(Error::InvalidArgument), "widened a range: {wide:?}");
    let whole = KObject::Irq { first: 0, count: 16 };
    check!(inside_of(&KObject::Irq { first: 14, count: 3 }, &whole).is_none(), "narrowed past the end");
    check!(inside_of(&KObject::Irq { first: 13, count: 3 }, &whole) == Some((13, 3)));

    let badged = cap::with_space(|s| s.derive(table, irqs, Rights::ALL, Some(0x77), None, at)).map_err(err("badge"))?;
    check!(cap::lookup_any(table, u64::from(badged)).is_ok_and(|(_, _, badge)| badge == 0x77));
    let rebadge = cap::with_space(|s| s.derive(table, u64::from(badged), Rights::ALL, Some(0x78), None, at));
    check!(rebadge == Err(Error::InvalidArgument), "a badge was changed: {rebadge:?}");
    let inherit =
        cap::with_space(|s| s.derive(table, u64::from(badged), Rights::ALL, None, None, at)).map_err(err("inherit"))?;
    check!(cap::lookup_any(table, u64::from(inherit)).is_ok_and(|(_, _, badge)| badge == 0x77), "badge not inherited");
    // Four slots used: the table is full.
    let full = cap::insert(table, KObject::Irq { first: 0, count: 1 }, Rights::ALL);
    check!(full == Err(Error::TableFull), "a fifth capability in a table of 4: {full:?}");
    cap::destroy_table(table);
    Ok(())
}

/// `KObject::narrowed` as derive would use it: None when the sub-range
/// does not fit.
fn inside_of(sub: &KObject, parent: &KObject) -> Option<(u64, u64)> {
    let (base, len) = sub.range();
    parent.narrowed(base, len).map(|o| o.range())
}
