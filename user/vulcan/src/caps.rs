//! Capabilities themselves: cap_info, cap_derive, cap_delete, cap_revoke.
//!
//! What the suite starts with (slots 0-9, from the manifest), how derivation
//! narrows rights, badges and ranges, that a revoked capability leaves a
//! tombstone (Revoked) until deleted, and that deleting a capability hands
//! its children to its parent.

use crate::addr;
use crate::check;
use crate::raw;
use rt::abi::{CapInfo, CapType, Error, MsgInfo, Rights, Syscall, MAX_SLOTS};
use rt::sys;

/// A slot below the table's size that the suite never fills.
pub const EMPTY: u64 = 4000;

const R: Rights = Rights::READ;
const W: Rights = Rights::WRITE;
const X: Rights = Rights::EXEC;
const T: Rights = Rights::TRANSFER;
const D: Rights = Rights::DERIVE;
const ALL: Rights = Rights::ALL;

pub fn run() {
    initial_slots();
    info_errors();
    derive();
    delete_and_revoke();
}

/// The lowest slot that is empty (not live, not a tombstone).
pub fn lowest_empty() -> u64 {
    (0..MAX_SLOTS).find(|&s| sys::cap_info(s) == Err(Error::InvalidCap)).unwrap_or(MAX_SLOTS)
}

/// Checks a capability's description.
pub fn expect_info(name: &str, slot: u64, ty: CapType, rights: Rights, badge: u64, base: u64, len: u64) -> bool {
    let want = CapInfo { cap_type: ty, rights, badge, base, len };
    check::ok_eq(name, sys::cap_info(slot), want)
}

fn initial_slots() {
    expect_info("caps.slot0_own_task", 0, CapType::Task, ALL, 0, 0, 0);
    expect_info("caps.slot1_own_address_space", 1, CapType::AddressSpace, ALL, 0, 0, 0);
    expect_info("caps.slot2_own_thread", 2, CapType::Thread, ALL, 0, 0, 0);
    expect_info("caps.slot3_bootdir", 3, CapType::File, R | X | T | D, 0, 0, 0);
    expect_info("caps.slot4_serial_endpoint", 4, CapType::Endpoint, W | Rights::GRANT, 0, 0, 0);
    expect_info("caps.slot5_com1_ports", 5, CapType::IoPorts, R | W, 0, 0x3f8, 8);
    expect_info("caps.slot6_irq4", 6, CapType::Irq, R, 0, 4, 1);
    expect_info("caps.slot7_irq5", 7, CapType::Irq, R, 0, 5, 1);
    expect_info("caps.slot8_mmio_ram", 8, CapType::Mmio, R | W, 0, 0x10_0000, 4096);
    expect_info("caps.slot9_mmio_device", 9, CapType::Mmio, R | W, 0, 0xfe00_0000, 4096);
}

fn info_errors() {
    check::err("caps.info_empty_slot", sys::cap_info(EMPTY), Error::InvalidCap);
    check::err("caps.info_slot_4096", sys::cap_info(MAX_SLOTS), Error::InvalidCap);
    check::err("caps.info_slot_2pow32", sys::cap_info(1 << 32), Error::InvalidCap);
    check::err("caps.info_slot_max", sys::cap_info(u64::MAX), Error::InvalidCap);
    let nr = Syscall::CapInfo.nr();
    // SAFETY: every `out` is an address the kernel cannot write (null,
    // kernel half, unmapped, read-only program headers); nothing is written.
    let (null, kernel, unmapped, ro, noncanon) = unsafe {
        (
            raw(nr, 0, 0, 0, 0, 0, 0),
            raw(nr, 0, addr::KERNEL, 0, 0, 0, 0),
            raw(nr, 0, addr::UNMAPPED, 0, 0, 0, 0),
            raw(nr, 0, addr::READ_ONLY, 0, 0, 0, 0),
            raw(nr, 0, addr::NON_CANONICAL - 16, 0, 0, 0, 0),
        )
    };
    check::err("caps.info_out_null", null, Error::BadAddress);
    check::err("caps.info_out_kernel", kernel, Error::BadAddress);
    check::err("caps.info_out_unmapped", unmapped, Error::BadAddress);
    check::err("caps.info_out_read_only", ro, Error::BadAddress);
    check::err("caps.info_out_crosses_user_end", noncanon, Error::BadAddress);
}

fn derive() {
    let Some(e) = check::ok("caps.endpoint_for_derive", sys::endpoint_create()) else { return };
    // Rights narrow.
    if let Some(r) = check::ok("caps.derive_narrower", sys::cap_derive(e, R | D, 0, 0, 0)) {
        expect_info("caps.derive_child_info", r, CapType::Endpoint, R | D, 0, 0, 0);
        check::err("caps.derive_cannot_widen", sys::cap_derive(r, R | W, 0, 0, 0), Error::MissingRights);
        check::ok("caps.derive_equal_rights", sys::cap_derive(r, R | D, 0, 0, 0));
        check::ok("caps.derive_no_rights", sys::cap_derive(r, Rights::NONE, 0, 0, 0));
    }
    if let Ok(x) = sys::cap_derive(e, R | W, 0, 0, 0) {
        check::err("caps.derive_needs_derive_right", sys::cap_derive(x, R, 0, 0, 0), Error::MissingRights);
    }
    let nr = Syscall::CapDerive.nr();
    // SAFETY: cap_derive takes no pointers.
    let (bit6, bit32) = unsafe { (raw(nr, e, 0x40, 0, 0, 0, 0), raw(nr, e, 1 << 32 | 1, 0, 0, 0, 0)) };
    check::err("caps.derive_rights_bit6", bit6, Error::InvalidArgument);
    check::err("caps.derive_rights_bit32", bit32, Error::InvalidArgument);

    // Badges: endpoints and notifications only, set once.
    if let Some(b) = check::ok("caps.derive_badge_endpoint", sys::cap_derive(e, ALL, 0x55, 0, 0)) {
        expect_info("caps.derive_badge_shown", b, CapType::Endpoint, ALL, 0x55, 0, 0);
        check::err("caps.derive_badge_twice", sys::cap_derive(b, ALL, 0x66, 0, 0), Error::InvalidArgument);
        if let Ok(k) = sys::cap_derive(b, R | D, 0, 0, 0) {
            expect_info("caps.derive_badge_inherited", k, CapType::Endpoint, R | D, 0x55, 0, 0);
        } else {
            check::fail("caps.derive_badge_inherited", format_args!("derive of a badged endpoint failed"));
        }
    }
    if let Ok(n) = sys::notification_create() {
        if let Some(nb) = check::ok("caps.derive_badge_notification", sys::cap_derive(n, W | D, 0x8, 0, 0)) {
            expect_info("caps.derive_badge_notification_info", nb, CapType::Notification, W | D, 0x8, 0, 0);
        }
    }

    // Ranges: memory pages (MMIO, ports and IRQs here lack DERIVE).
    let Some(m) = check::ok("caps.mem_for_derive", sys::mem_alloc(4, 0)) else { return };
    check::err("caps.derive_badge_on_memory", sys::cap_derive(m, ALL, 5, 0, 0), Error::InvalidArgument);
    if let Some(c) = check::ok("caps.derive_subrange", sys::cap_derive(m, ALL, 0, 1, 2)) {
        expect_info("caps.derive_subrange_info", c, CapType::Memory, ALL, 0, 4096, 8192);
        if let Some(cc) = check::ok("caps.derive_subrange_of_subrange", sys::cap_derive(c, R | D, 0, 2, 1)) {
            expect_info("caps.derive_subrange_of_subrange_info", cc, CapType::Memory, R | D, 0, 8192, 4096);
        }
        check::err("caps.derive_subrange_outside_parent", sys::cap_derive(c, ALL, 0, 0, 1), Error::InvalidArgument);
        if let Ok(k) = sys::cap_derive(c, R, 0, 0, 0) {
            expect_info("caps.derive_len0_keeps_range", k, CapType::Memory, R, 0, 4096, 8192);
        }
    }
    check::err("caps.derive_range_past_end", sys::cap_derive(m, ALL, 0, 3, 2), Error::InvalidArgument);
    check::err("caps.derive_range_overflow", sys::cap_derive(m, ALL, 0, u64::MAX, 2), Error::InvalidArgument);
    check::err("caps.derive_base_without_len", sys::cap_derive(m, ALL, 0, 1, 0), Error::InvalidArgument);
    check::err("caps.derive_range_on_endpoint", sys::cap_derive(e, ALL, 0, 0, 1), Error::InvalidArgument);
    check::err("caps.derive_ports_without_derive", sys::cap_derive(5, R, 0, 0, 0), Error::MissingRights);
    check::err("caps.derive_irq_without_derive", sys::cap_derive(7, R, 0, 0, 0), Error::MissingRights);
    if let Some(d) = check::ok("caps.derive_bootdir", sys::cap_derive(3, R | D, 0, 0, 0)) {
        expect_info("caps.derive_bootdir_info", d, CapType::File, R | D, 0, 0, 0);
        check::err("caps.derive_bootdir_cannot_add_write", sys::cap_derive(d, R | W, 0, 0, 0), Error::MissingRights);
    }
    check::err("caps.derive_empty_slot", sys::cap_derive(EMPTY, R, 0, 0, 0), Error::InvalidCap);
    check::err("caps.derive_slot_max", sys::cap_derive(u64::MAX, R, 0, 0, 0), Error::InvalidCap);
}

fn delete_and_revoke() {
    check::err("caps.delete_empty_slot", sys::cap_delete(EMPTY), Error::InvalidCap);
    check::err("caps.delete_slot_max", sys::cap_delete(u64::MAX), Error::InvalidCap);
    if let Ok(n) = sys::notification_create() {
        check::ok("caps.delete_live", sys::cap_delete(n));
        check::err("caps.deleted_slot_is_empty", sys::cap_info(n), Error::InvalidCap);
        check::err("caps.delete_twice", sys::cap_delete(n), Error::InvalidCap);
    }

    // Deleting a capability hands its children to its parent: they stay
    // valid and are still reached by revoking the grandparent.
    if let Ok(e3) = sys::endpoint_create() {
        let p = sys::cap_derive(e3, ALL, 0, 0, 0);
        let g = p.and_then(|p| sys::cap_derive(p, R | W | D, 0, 0, 0));
        if let (Ok(p), Ok(g)) = (p, g) {
            check::ok("caps.delete_parent", sys::cap_delete(p));
            expect_info("caps.child_survives_parent_delete", g, CapType::Endpoint, R | W | D, 0, 0, 0);
            check::ok_eq("caps.revoke_reaches_reparented_child", sys::cap_revoke(e3), 1);
            check::err("caps.reparented_child_revoked", sys::cap_info(g), Error::Revoked);
        } else {
            check::fail("caps.delete_parent", format_args!("setup derive failed: {p:?} {g:?}"));
        }
    }

    let Some(e2) = check::ok("caps.endpoint_for_revoke", sys::endpoint_create()) else { return };
    check::ok_eq("caps.revoke_no_children", sys::cap_revoke(e2), 0);
    let c1 = sys::cap_derive(e2, ALL, 0, 0, 0);
    let c2 = sys::cap_derive(e2, R | D, 0, 0, 0);
    let c11 = c1.and_then(|c| sys::cap_derive(c, W | D, 0, 0, 0));
    let (Ok(c1), Ok(c2), Ok(c11)) = (c1, c2, c11) else {
        check::fail("caps.revoke_setup", format_args!("derives failed: {c1:?} {c2:?} {c11:?}"));
        return;
    };
    check::ok_eq("caps.revoke_counts_descendants", sys::cap_revoke(e2), 3);
    check::err("caps.revoked_child_info", sys::cap_info(c1), Error::Revoked);
    check::err("caps.revoked_sibling_info", sys::cap_info(c2), Error::Revoked);
    check::err("caps.revoked_grandchild_info", sys::cap_info(c11), Error::Revoked);
    expect_info("caps.revoke_keeps_itself", e2, CapType::Endpoint, ALL, 0, 0, 0);
    check::err("caps.revoked_use_send", sys::ipc_send(c1, MsgInfo::new(1).nonblocking(), [0; 4]), Error::Revoked);
    check::err("caps.revoked_use_recv", sys::ipc_recv(c2, 0), Error::Revoked);
    check::err("caps.revoked_derive", sys::cap_derive(c1, R, 0, 0, 0), Error::Revoked);
    check::err("caps.revoked_revoke", sys::cap_revoke(c1), Error::Revoked);
    check::ok_eq("caps.revoke_again_none_left", sys::cap_revoke(e2), 0);
    check::err("caps.revoke_empty_slot", sys::cap_revoke(EMPTY), Error::InvalidCap);
    check::err("caps.revoke_slot_max", sys::cap_revoke(u64::MAX), Error::InvalidCap);

    // A tombstone keeps its slot until deleted: new capabilities go to the
    // lowest *empty* slot, past it.
    let expected = lowest_empty();
    match sys::notification_create() {
        Ok(n) => {
            check::that(
                "caps.tombstone_not_reused",
                n == expected && n != c1 && n != c2 && n != c11,
                format_args!("new cap at {n}, lowest empty {expected}, tombstones {c1} {c2} {c11}"),
            );
            let _ = sys::cap_delete(n);
        }
        Err(e) => {
            check::fail("caps.tombstone_not_reused", format_args!("notification_create: {e:?}"));
        }
    }
    check::ok("caps.delete_tombstone", sys::cap_delete(c1));
    check::err("caps.deleted_tombstone_is_empty", sys::cap_info(c1), Error::InvalidCap);
    // c1 was the lowest tombstone with no hole below it: it is now the
    // lowest empty slot, and the next capability lands there.
    let expected = lowest_empty();
    match sys::notification_create() {
        Ok(n) => {
            check::that(
                "caps.deleted_tombstone_slot_reused",
                n == c1 && expected == c1,
                format_args!("new cap at {n}, expected {c1} (lowest empty {expected})"),
            );
        }
        Err(e) => {
            check::fail("caps.deleted_tombstone_slot_reused", format_args!("notification_create: {e:?}"));
        }
    }
    let _ = sys::cap_delete(c2);
    let _ = sys::cap_delete(c11);
}
