//! Notifications: notification_create, notify_signal, notify_wait. Bits
//! accumulate until a wait takes (and clears) them; a badge is ORed into
//! every signal through its capability; a blocked waiter is woken.

use crate::caps::{expect_info, EMPTY};
use crate::check;
use core::sync::atomic::{AtomicU64, Ordering};
use rt::abi::{CapType, Error, Rights, TaskStatusKind, FOREVER};
use rt::sys;

pub fn run() {
    let Some(n) = check::ok("ntfn.create", sys::notification_create()) else { return };
    expect_info("ntfn.create_info", n, CapType::Notification, Rights::ALL, 0, 0, 0);
    check::err("ntfn.fresh_is_empty", sys::notify_wait(n, 0), Error::WouldBlock);
    check::ok("ntfn.signal", sys::notify_signal(n, 0b01));
    check::ok("ntfn.signal_again", sys::notify_signal(n, 0b10));
    check::ok_eq("ntfn.bits_accumulate", sys::notify_wait(n, 0), 0b11);
    check::err("ntfn.wait_clears_bits", sys::notify_wait(n, 0), Error::WouldBlock);
    const NS: u64 = 20_000_000;
    let start = sys::clock_ns();
    let r = sys::notify_wait(n, NS);
    let waited = sys::clock_ns() - start;
    check::err("ntfn.wait_times_out", r, Error::TimedOut);
    check::that("ntfn.wait_timeout_waited", waited >= NS, format_args!("waited {waited} ns of {NS}"));
    check::ok("ntfn.signal_0", sys::notify_signal(n, 0));
    check::err("ntfn.signal_0_sets_nothing", sys::notify_wait(n, 0), Error::WouldBlock);
    high_bits(n);

    // Badges are ORed into what the capability signals.
    if let Some(b) = check::ok("ntfn.derive_badged", sys::cap_derive(n, Rights::WRITE | Rights::DERIVE, 0x100, 0, 0)) {
        let _ = sys::notify_signal(b, 0x1);
        check::ok_eq("ntfn.badge_ored", sys::notify_wait(n, 0), 0x101);
        let _ = sys::notify_signal(b, 0);
        check::ok_eq("ntfn.badge_alone", sys::notify_wait(n, 0), 0x100);
        check::err("ntfn.wait_needs_read", sys::notify_wait(b, 0), Error::MissingRights);
    }
    waiter_is_woken(n);

    check::err("ntfn.signal_endpoint", sys::notify_signal(4, 1), Error::WrongType);
    check::err("ntfn.wait_endpoint", sys::notify_wait(4, 0), Error::WrongType);
    check::err("ntfn.signal_empty_slot", sys::notify_signal(EMPTY, 1), Error::InvalidCap);
    check::err("ntfn.wait_slot_max", sys::notify_wait(u64::MAX, 0), Error::InvalidCap);
    let Ok(reader) = sys::cap_derive(n, Rights::READ, 0, 0, 0) else {
        check::fail("ntfn.derive_reader", format_args!("derive failed"));
        return;
    };
    check::err("ntfn.signal_needs_write", sys::notify_signal(reader, 1), Error::MissingRights);
    check::err("ntfn.reader_may_wait", sys::notify_wait(reader, 0), Error::WouldBlock);
    let _ = sys::notify_signal(n, 0x8);
    check::ok_eq("ntfn.reader_takes_bits", sys::notify_wait(reader, 0), 0x8);
    match sys::cap_revoke(n) {
        Ok(k) => check::that("ntfn.revoke_children", k >= 2, format_args!("revoked {k}, expected at least 2")),
        Err(e) => check::fail("ntfn.revoke_children", format_args!("{e:?}")),
    };
    check::err("ntfn.revoked_wait", sys::notify_wait(reader, 0), Error::Revoked);
    let _ = sys::notify_signal(n, 0x2);
    check::ok_eq("ntfn.original_survives_revoke", sys::notify_wait(n, 0), 0x2);
}

/// The word has 64 bits, and notify_wait returns them in `rax`, where
/// the top 4095 values mean errors. Whatever bits a signal accepts must
/// come back from the wait as those bits (refusing them up front, with
/// InvalidArgument, would be consistent too).
fn high_bits(n: u64) {
    for (name, bits) in [
        ("ntfn.bit63_intact", 1u64 << 63),
        ("ntfn.error_like_bits_intact", 0xffff_ffff_ffff_f001),
        ("ntfn.all_64_bits_intact", u64::MAX),
    ] {
        match sys::notify_signal(n, bits) {
            Err(Error::InvalidArgument) => check::pass(name),
            Ok(()) => {
                let got = sys::notify_wait(n, 0);
                check::that(
                    name,
                    got == Ok(bits),
                    format_args!("signalled {bits:#x}, notify_wait gave {got:?} (the bits read as an error code)"),
                );
                // Whatever happened, leave the word empty.
                let _ = sys::notify_wait(n, 0);
            }
            Err(e) => {
                check::fail(name, format_args!("notify_signal({bits:#x}): {e:?}"));
            }
        }
    }
}

static WOKEN_WITH: AtomicU64 = AtomicU64::new(0);

fn waiter(n: u64) -> i32 {
    match sys::notify_wait(n, FOREVER) {
        Ok(bits) => {
            WOKEN_WITH.store(bits, Ordering::SeqCst);
            7
        }
        Err(e) => 1000 + i32::from(e.code()),
    }
}

/// A thread blocked in notify_wait gets the bits of the next signal.
fn waiter_is_woken(n: u64) {
    WOKEN_WITH.store(0, Ordering::SeqCst);
    let Some(t) = check::ok("ntfn.spawn_waiter", rt::thread::spawn(waiter, n)) else { return };
    // Let it block first (a signal before it waits would be taken at once,
    // which is correct but tests less).
    sys::sleep(20_000_000);
    check::err("ntfn.waiter_still_blocked", sys::thread_wait(t, 0), Error::WouldBlock);
    let _ = sys::notify_signal(n, 0x40);
    match sys::thread_wait(t, 5_000_000_000) {
        Ok(s) => check::that(
            "ntfn.waiter_woken_with_bits",
            s.kind == TaskStatusKind::Exited && s.code == 7 && WOKEN_WITH.load(Ordering::SeqCst) == 0x40,
            format_args!("status {s:?}, bits {:#x}", WOKEN_WITH.load(Ordering::SeqCst)),
        ),
        Err(e) => check::fail("ntfn.waiter_woken_with_bits", format_args!("thread_wait: {e:?}")),
    };
    check::err("ntfn.bits_taken_by_waiter", sys::notify_wait(n, 0), Error::WouldBlock);
}
