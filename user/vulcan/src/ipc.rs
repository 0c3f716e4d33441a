//! IPC: endpoint_create, ipc_call, ipc_send, ipc_recv, ipc_reply,
//! ipc_reply_recv, reply_save.
//!
//! Inside the suite, a client thread calls while the main thread serves
//! (so every server-side result is checked right here); across tasks, the
//! echo helper serves while the suite calls. Covered: badges, one-shot
//! reply rights (saved or pending), capabilities carried both ways (GRANT
//! on the endpoint, TRANSFER on the capability), revocation reaching a
//! copy in another task, and PeerGone when a server drops or dies with a
//! call pending.

use crate::caps::{expect_info, EMPTY};
use crate::check;
use crate::roles::{self, echo, Spawn};
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use rt::abi::{CapType, Error, MsgInfo, Rights, TaskStatusKind, NO_CAP};
use rt::sys::{self, Message};

const R: Rights = Rights::READ;
const W: Rights = Rights::WRITE;
const G: Rights = Rights::GRANT;
const T: Rights = Rights::TRANSFER;
const D: Rights = Rights::DERIVE;
/// How long the main thread waits for a client's message before giving up.
const RECV_NS: u64 = 5_000_000_000;

pub fn run() {
    let Some(e) = check::ok("ipc.endpoint_create", sys::endpoint_create()) else { return };
    expect_info("ipc.endpoint_info", e, CapType::Endpoint, Rights::ALL, 0, 0, 0);
    errors(e);
    call_and_reply(e);
    reply_recv_refusals(e);
    badge(e);
    saved_reply(e);
    reply_recv(e);
    send_only(e);
    dropped_replies(e);
    caps_travel(e);
    server_dies();
    echo_helper();
}

// ---- a client thread ----------------------------------------------------

/// What a client thread does and what came back (atomics: the thread and
/// the main thread share it).
struct Job {
    ep: AtomicU64,
    info: AtomicU64,
    words: [AtomicU64; 4],
    calls: AtomicU64,
    send: AtomicBool,
    /// Per call: 0, or the error code; u64::MAX until done.
    err: [AtomicU64; 2],
    rinfo: [AtomicU64; 2],
    rwords: [[AtomicU64; 4]; 2],
}

impl Job {
    const fn new() -> Job {
        Job {
            ep: AtomicU64::new(0),
            info: AtomicU64::new(0),
            words: [const { AtomicU64::new(0) }; 4],
            calls: AtomicU64::new(0),
            send: AtomicBool::new(false),
            err: [const { AtomicU64::new(u64::MAX) }; 2],
            rinfo: [const { AtomicU64::new(0) }; 2],
            rwords: [const { [const { AtomicU64::new(0) }; 4] }; 2],
        }
    }
}

static JOB: Job = Job::new();

fn client(_: u64) -> i32 {
    let j = &JOB;
    let ep = j.ep.load(SeqCst);
    let info = MsgInfo(j.info.load(SeqCst));
    let w: [u64; 4] = core::array::from_fn(|i| j.words[i].load(SeqCst));
    for k in 0..j.calls.load(SeqCst).min(2) as usize {
        let words = [w[0] + k as u64, w[1], w[2], w[3]];
        let r = if j.send.load(SeqCst) {
            sys::ipc_send(ep, info, words).map(|_| None)
        } else {
            sys::ipc_call(ep, info, words).map(Some)
        };
        match r {
            Ok(reply) => {
                if let Some(m) = reply {
                    j.rinfo[k].store(m.info.0, SeqCst);
                    for (slot, v) in j.rwords[k].iter().zip(m.words) {
                        slot.store(v, SeqCst);
                    }
                }
                j.err[k].store(0, SeqCst);
            }
            Err(e) => j.err[k].store(u64::from(e.code()), SeqCst),
        }
    }
    0
}

/// Starts the client thread: `calls` calls (or sends) of `info`/`words` on
/// `ep`, `w0` counting up from the given one.
fn start(ep: u64, info: MsgInfo, words: [u64; 4], calls: u64, send: bool) -> Option<u64> {
    let j = &JOB;
    j.ep.store(ep, SeqCst);
    j.info.store(info.0, SeqCst);
    for (slot, v) in j.words.iter().zip(words) {
        slot.store(v, SeqCst);
    }
    j.calls.store(calls, SeqCst);
    j.send.store(send, SeqCst);
    for k in 0..2 {
        j.err[k].store(u64::MAX, SeqCst);
        j.rinfo[k].store(0, SeqCst);
    }
    match rt::thread::spawn(client, 0) {
        Ok(t) => Some(t),
        Err(e) => {
            check::fail("ipc.client_thread", format_args!("thread::spawn: {e:?}"));
            None
        }
    }
}

/// What call `k` of the client got: Ok(reply) or the error code.
fn outcome(k: usize) -> Result<Message, u64> {
    let j = &JOB;
    match j.err[k].load(SeqCst) {
        0 => Ok(Message {
            badge: 0,
            info: MsgInfo(j.rinfo[k].load(SeqCst)),
            words: core::array::from_fn(|i| j.rwords[k][i].load(SeqCst)),
        }),
        e => Err(e),
    }
}

/// Waits for the client thread to finish.
fn join(name: &str, t: u64) -> bool {
    match sys::thread_wait(t, RECV_NS) {
        Ok(s) if s.kind == TaskStatusKind::Exited && s.code == 0 => true,
        other => {
            check::fail(name, format_args!("client thread did not finish: {other:?}"));
            false
        }
    }
}

fn code(e: Error) -> u64 {
    u64::from(e.code())
}

// ---- the checks ---------------------------------------------------------

fn errors(e: u64) {
    check::err("ipc.recv_poll_empty", sys::ipc_recv(e, 0), Error::WouldBlock);
    const NS: u64 = 20_000_000;
    let start = sys::clock_ns();
    let r = sys::ipc_recv(e, NS);
    let waited = sys::clock_ns() - start;
    check::err("ipc.recv_times_out", r.map(|_| ()), Error::TimedOut);
    check::that("ipc.recv_timeout_waited", waited >= NS, format_args!("waited {waited} ns of {NS}"));
    let nb = MsgInfo::new(1).nonblocking();
    check::err("ipc.send_nonblock_no_receiver", sys::ipc_send(e, nb, [0; 4]), Error::WouldBlock);
    check::err("ipc.call_nonblock_no_receiver", sys::ipc_call(e, nb, [0; 4]).map(|_| ()), Error::WouldBlock);
    check::err("ipc.send_reserved_bit34", sys::ipc_send(e, MsgInfo(1 << 34 | 1 << 32), [0; 4]), Error::InvalidArgument);
    check::err(
        "ipc.call_reserved_bit39",
        sys::ipc_call(e, MsgInfo(1 << 39 | 1 << 32), [0; 4]).map(|_| ()),
        Error::InvalidArgument,
    );
    check::err("ipc.reply_reserved_bit36", sys::ipc_reply(NO_CAP, MsgInfo(1 << 36), [0; 4]), Error::InvalidArgument);
    check::err("ipc.reply_none_pending", sys::ipc_reply(NO_CAP, MsgInfo::new(1), [0; 4]), Error::InvalidState);
    check::err("ipc.reply_save_none_pending", sys::reply_save(), Error::InvalidState);
    check::err("ipc.reply_with_endpoint", sys::ipc_reply(e, MsgInfo::new(1), [0; 4]), Error::WrongType);
    check::err("ipc.reply_empty_slot", sys::ipc_reply(EMPTY, MsgInfo::new(1), [0; 4]), Error::InvalidCap);
    let Ok(n) = sys::notification_create() else { return };
    check::err("ipc.send_to_notification", sys::ipc_send(n, nb, [0; 4]), Error::WrongType);
    check::err("ipc.recv_on_notification", sys::ipc_recv(n, 0).map(|_| ()), Error::WrongType);
    check::err(
        "ipc.reply_recv_on_notification",
        sys::ipc_reply_recv(n, MsgInfo::new(1), [0; 4]).map(|_| ()),
        Error::WrongType,
    );
    check::err("ipc.send_empty_slot", sys::ipc_send(EMPTY, nb, [0; 4]), Error::InvalidCap);
    check::err("ipc.call_slot_max", sys::ipc_call(u64::MAX, nb, [0; 4]).map(|_| ()), Error::InvalidCap);
    check::err("ipc.recv_slot_2pow32", sys::ipc_recv(1 << 32, 0).map(|_| ()), Error::InvalidCap);
    if let Ok(r) = sys::cap_derive(e, R | D, 0, 0, 0) {
        check::err("ipc.send_needs_write", sys::ipc_send(r, nb, [0; 4]), Error::MissingRights);
        check::err("ipc.call_needs_write", sys::ipc_call(r, nb, [0; 4]).map(|_| ()), Error::MissingRights);
        check::err("ipc.reader_may_recv", sys::ipc_recv(r, 0).map(|_| ()), Error::WouldBlock);
    }
    if let Ok(w) = sys::cap_derive(e, W | G | D, 0, 0, 0) {
        check::err("ipc.recv_needs_read", sys::ipc_recv(w, 0).map(|_| ()), Error::MissingRights);
    }
    // A capability travels only with GRANT on the endpoint and TRANSFER on
    // the capability; both checked before anything blocks.
    if let Ok(no_grant) = sys::cap_derive(e, W, 0, 0, 0) {
        check::err("ipc.cap_needs_grant", sys::ipc_send(no_grant, nb.with_cap(n), [0; 4]), Error::MissingRights);
        check::err("ipc.no_grant_plain_send_ok", sys::ipc_send(no_grant, nb, [0; 4]), Error::WouldBlock);
    }
    if let Ok(no_transfer) = sys::cap_derive(n, W | D, 0, 0, 0) {
        check::err("ipc.cap_needs_transfer", sys::ipc_send(e, nb.with_cap(no_transfer), [0; 4]), Error::MissingRights);
    }
    check::err("ipc.cap_empty_slot", sys::ipc_send(e, nb.with_cap(EMPTY), [0; 4]), Error::InvalidCap);
    check::err("ipc.cap_checks_pass_then_wouldblock", sys::ipc_send(e, nb.with_cap(n), [0; 4]), Error::WouldBlock);
    if let Ok(gone) = sys::cap_derive(n, Rights::ALL, 0, 0, 0) {
        let _ = sys::cap_revoke(n);
        check::err("ipc.cap_revoked_slot", sys::ipc_send(e, nb.with_cap(gone), [0; 4]), Error::Revoked);
        let _ = sys::cap_delete(gone);
    }
    check::err("ipc.serial_endpoint_no_read", sys::ipc_recv(4, 0).map(|_| ()), Error::MissingRights);
}

/// ipc_reply_recv refusals. A refused reply_recv must not receive; a
/// client's messages are queued first so that a kernel that wrongly
/// accepted the call would return one instead of blocking the suite.
fn reply_recv_refusals(e: u64) {
    let Ok(w) = sys::cap_derive(e, W | G | D, 0, 0, 0) else { return };
    let Some(t) = start(e, MsgInfo::new(13), [0; 4], 2, true) else { return };
    sys::sleep(10_000_000);
    check::err(
        "ipc.reply_recv_reserved_bit37",
        sys::ipc_reply_recv(e, MsgInfo(1 << 37), [0; 4]).map(|_| ()),
        Error::InvalidArgument,
    );
    check::err(
        "ipc.reply_recv_needs_read",
        sys::ipc_reply_recv(w, MsgInfo::new(1), [0; 4]).map(|_| ()),
        Error::MissingRights,
    );
    let a = sys::ipc_recv(e, RECV_NS).map(|m| m.info.label());
    let b = sys::ipc_recv(e, RECV_NS).map(|m| m.info.label());
    check::that("ipc.refused_reply_recv_left_messages", a == Ok(13) && b == Ok(13), format_args!("got {a:?} {b:?}"));
    join("ipc.refusal_client", t);
}

fn call_and_reply(e: u64) {
    let Some(t) = start(e, MsgInfo::new(7), [1, 2, 3, 4], 1, false) else { return };
    match sys::ipc_recv(e, RECV_NS) {
        Ok(m) => {
            check::that(
                "ipc.recv_gets_call",
                m.info == MsgInfo::new(7) && m.words == [1, 2, 3, 4] && m.badge == 0,
                format_args!("got {m:?}"),
            );
            check::ok("ipc.reply_pending", sys::ipc_reply(NO_CAP, MsgInfo::new(8), [5, 6, 7, 8]));
        }
        Err(err) => {
            check::fail("ipc.recv_gets_call", format_args!("ipc_recv: {err:?}"));
        }
    }
    if join("ipc.call_gets_reply", t) {
        match outcome(0) {
            Ok(m) => check::that(
                "ipc.call_gets_reply",
                m.info == MsgInfo::new(8) && m.words == [5, 6, 7, 8],
                format_args!("got {m:?}"),
            ),
            Err(c) => check::fail("ipc.call_gets_reply", format_args!("error code {c}")),
        };
    }
    check::err("ipc.reply_right_used_up", sys::ipc_reply(NO_CAP, MsgInfo::new(1), [0; 4]), Error::InvalidState);
}

fn badge(e: u64) {
    let Ok(bd) = sys::cap_derive(e, W | D, 0xb0d, 0, 0) else {
        check::fail("ipc.badge_delivered", format_args!("derive failed"));
        return;
    };
    let Some(t) = start(bd, MsgInfo::new(2), [0; 4], 1, false) else { return };
    match sys::ipc_recv(e, RECV_NS) {
        Ok(m) => {
            check::eq("ipc.badge_delivered", m.badge, 0xb0d);
            let _ = sys::ipc_reply(NO_CAP, MsgInfo::new(2), [0; 4]);
        }
        Err(err) => {
            check::fail("ipc.badge_delivered", format_args!("ipc_recv: {err:?}"));
        }
    }
    join("ipc.badge_client", t);
}

fn saved_reply(e: u64) {
    let Some(t) = start(e, MsgInfo::new(3), [0; 4], 1, false) else { return };
    if sys::ipc_recv(e, RECV_NS).is_err() {
        check::fail("ipc.reply_save", format_args!("no call arrived"));
        return;
    }
    let Some(s) = check::ok("ipc.reply_save", sys::reply_save()) else { return };
    expect_info("ipc.saved_reply_cap_info", s, CapType::Reply, W | T, 0, 0, 0);
    check::err("ipc.saved_right_not_pending", sys::ipc_reply(NO_CAP, MsgInfo::new(1), [0; 4]), Error::InvalidState);
    check::err("ipc.reply_save_twice", sys::reply_save(), Error::InvalidState);
    check::ok("ipc.reply_through_saved_cap", sys::ipc_reply(s, MsgInfo::new(9), [9, 8, 7, 6]));
    check::err("ipc.saved_reply_one_shot", sys::ipc_reply(s, MsgInfo::new(9), [0; 4]), Error::InvalidCap);
    check::err("ipc.saved_reply_slot_emptied", sys::cap_info(s), Error::InvalidCap);
    if join("ipc.saved_reply_received", t) {
        match outcome(0) {
            Ok(m) => check::that(
                "ipc.saved_reply_received",
                m.info == MsgInfo::new(9) && m.words == [9, 8, 7, 6],
                format_args!("got {m:?}"),
            ),
            Err(c) => check::fail("ipc.saved_reply_received", format_args!("error code {c}")),
        };
    }
}

fn reply_recv(e: u64) {
    let Some(t) = start(e, MsgInfo::new(4), [100, 0, 0, 0], 2, false) else { return };
    let first = sys::ipc_recv(e, RECV_NS);
    check::that("ipc.first_of_two_calls", first.map(|m| m.words[0]) == Ok(100), format_args!("got {first:?}"));
    if first.is_err() {
        return;
    }
    // Replies to the first and waits (forever) for the second, which the
    // client sends once it has the reply.
    let second = sys::ipc_reply_recv(e, MsgInfo::new(20), [200, 0, 0, 0]);
    check::that("ipc.reply_recv_gets_next", second.map(|m| m.words[0]) == Ok(101), format_args!("got {second:?}"));
    check::ok("ipc.reply_after_reply_recv", sys::ipc_reply(NO_CAP, MsgInfo::new(21), [201, 0, 0, 0]));
    if join("ipc.reply_recv_replies", t) {
        let (a, b) = (outcome(0), outcome(1));
        let good = matches!((&a, &b), (Ok(x), Ok(y)) if x.info == MsgInfo::new(20) && x.words[0] == 200 && y.info == MsgInfo::new(21) && y.words[0] == 201);
        check::that("ipc.reply_recv_replies", good, format_args!("got {a:?} / {b:?}"));
    }
}

fn send_only(e: u64) {
    let Some(t) = start(e, MsgInfo::new(5), [31, 32, 33, 34], 1, true) else { return };
    match sys::ipc_recv(e, RECV_NS) {
        Ok(m) => check::that(
            "ipc.recv_gets_send",
            m.info == MsgInfo::new(5) && m.words == [31, 32, 33, 34],
            format_args!("got {m:?}"),
        ),
        Err(err) => check::fail("ipc.recv_gets_send", format_args!("ipc_recv: {err:?}")),
    };
    check::err("ipc.send_has_no_reply_right", sys::ipc_reply(NO_CAP, MsgInfo::new(1), [0; 4]), Error::InvalidState);
    if join("ipc.send_completes", t) {
        check::that("ipc.send_completes", outcome(0).is_ok(), format_args!("send got {:?}", outcome(0)));
    }
}

/// A call whose reply right is dropped (the server receives again, or
/// deletes the saved right) fails with PeerGone instead of hanging.
fn dropped_replies(e: u64) {
    if let Some(t) = start(e, MsgInfo::new(6), [0; 4], 1, false) {
        let got = sys::ipc_recv(e, RECV_NS);
        check::err("ipc.recv_again_drops_right", sys::ipc_recv(e, 0).map(|_| ()), Error::WouldBlock);
        if got.is_ok() && join("ipc.dropped_by_recv_peer_gone", t) {
            check::eq("ipc.dropped_by_recv_peer_gone", outcome(0).map(|_| ()), Err(code(Error::PeerGone)));
        }
    }
    if let Some(t) = start(e, MsgInfo::new(6), [0; 4], 1, false) {
        let got = sys::ipc_recv(e, RECV_NS);
        let saved = got.and_then(|_| sys::reply_save());
        if let Ok(s) = saved {
            check::ok("ipc.delete_saved_reply", sys::cap_delete(s));
        } else {
            check::fail("ipc.delete_saved_reply", format_args!("recv/save: {saved:?}"));
        }
        if join("ipc.deleted_reply_peer_gone", t) {
            check::eq("ipc.deleted_reply_peer_gone", outcome(0).map(|_| ()), Err(code(Error::PeerGone)));
        }
    }
}

fn caps_travel(e: u64) {
    // With a send: the receiver gets a child of the sender's capability.
    if let Ok(x) = sys::notification_create() {
        let Some(t) = start(e, MsgInfo::new(10).with_cap(x), [0; 4], 1, true) else { return };
        match sys::ipc_recv(e, RECV_NS) {
            Ok(m) => match m.info.cap() {
                Some(slot) => {
                    check::that(
                        "ipc.cap_arrives",
                        slot != x && m.info.label() == 10,
                        format_args!("arrived at {slot} (sent {x}), label {}", m.info.label()),
                    );
                    expect_info("ipc.cap_arrives_whole", slot, CapType::Notification, Rights::ALL, 0, 0, 0);
                    let _ = sys::notify_signal(slot, 0x10);
                    check::ok_eq("ipc.cap_is_same_object", sys::notify_wait(x, 0), 0x10);
                    check::ok_eq("ipc.cap_is_child_of_sent", sys::cap_revoke(x), 1);
                    check::err("ipc.received_cap_revoked", sys::cap_info(slot), Error::Revoked);
                    let _ = sys::cap_delete(slot);
                }
                None => {
                    check::fail("ipc.cap_arrives", format_args!("message without a cap: {m:?}"));
                }
            },
            Err(err) => {
                check::fail("ipc.cap_arrives", format_args!("ipc_recv: {err:?}"));
            }
        }
        join("ipc.cap_send_client", t);
    }
    // With a reply: the caller gets it.
    if let Ok(y) = sys::notification_create() {
        let Some(t) = start(e, MsgInfo::new(11), [0; 4], 1, false) else { return };
        if sys::ipc_recv(e, RECV_NS).is_ok() {
            if let Ok(no_transfer) = sys::cap_derive(y, W, 0, 0, 0) {
                check::err(
                    "ipc.reply_cap_needs_transfer",
                    sys::ipc_reply(NO_CAP, MsgInfo::new(12).with_cap(no_transfer), [0; 4]),
                    Error::MissingRights,
                );
            }
            check::ok("ipc.refused_reply_keeps_right", sys::ipc_reply(NO_CAP, MsgInfo::new(12).with_cap(y), [0; 4]));
        } else {
            check::fail("ipc.refused_reply_keeps_right", format_args!("no call arrived"));
        }
        if join("ipc.reply_carries_cap", t) {
            match outcome(0).map(|m| m.info.cap()) {
                Ok(Some(slot)) => {
                    check::pass("ipc.reply_carries_cap");
                    expect_info("ipc.cap_in_reply_info", slot, CapType::Notification, Rights::ALL, 0, 0, 0);
                    // y's children: the W-only derive and the received copy.
                    check::ok_eq("ipc.reply_cap_is_child", sys::cap_revoke(y), 2);
                }
                other => {
                    check::fail("ipc.reply_carries_cap", format_args!("got {other:?}"));
                }
            }
        }
    }
}

/// A server that dies holding a call's reply right: the caller gets
/// PeerGone.
fn server_dies() {
    let (Ok(ep), Ok(n)) = (sys::endpoint_create(), sys::notification_create()) else { return };
    let grants = [(ep, R | W), (n, W)];
    let spawn = Spawn { grants: &grants, ..Spawn::new(b"v-hold", roles::HOLD) };
    let Some(h) = check::ok("ipc.spawn_holding_server", spawn.start()) else { return };
    let Some(t) = start(ep, MsgInfo::new(1), [0; 4], 1, false) else { return };
    check::ok_eq("ipc.server_holds_call", sys::notify_wait(n, RECV_NS), 1);
    check::ok("ipc.kill_holding_server", sys::task_kill(h));
    if join("ipc.call_peer_gone_server_killed", t) {
        check::eq("ipc.call_peer_gone_server_killed", outcome(0).map(|_| ()), Err(code(Error::PeerGone)));
    }
    match roles::finish(h, roles::HELPER_TIMEOUT_NS) {
        Ok(s) => check::eq("ipc.holding_server_killed", s.kind, TaskStatusKind::Killed),
        Err(err) => check::fail("ipc.holding_server_killed", format_args!("task_wait: {err:?}")),
    };
}

/// Calls a server in another task without risking the suite: the send is
/// non-blocking and retried until the server waits for it (or 5 s pass),
/// so a server that died early is a failed check, not a hang. Once the
/// message is taken, the call waits for the reply as usual.
pub fn call_server(ep: u64, info: MsgInfo, words: [u64; 4]) -> Result<Message, Error> {
    let deadline = sys::clock_ns() + RECV_NS;
    loop {
        match sys::ipc_call(ep, info.nonblocking(), words) {
            Err(Error::WouldBlock) if sys::clock_ns() < deadline => sys::sleep(1_000_000),
            other => return other,
        }
    }
}

fn call_echo(ep: u64, info: MsgInfo, words: [u64; 4]) -> Result<Message, Error> {
    call_server(ep, info, words)
}

/// The echo helper: calls across tasks, badges, capabilities both ways,
/// revocation of a transferred copy and of a spawn grant.
fn echo_helper() {
    let Ok(ep) = sys::endpoint_create() else { return };
    let grants = [(ep, R | W)];
    let Some(h) = check::ok("ipc.spawn_echo", Spawn { grants: &grants, ..Spawn::new(b"v-echo", roles::ECHO) }.start())
    else {
        return;
    };
    let r = call_echo(ep, MsgInfo::new(echo::ECHO), [10, 20, 30, 40]);
    check::that(
        "ipc.echo_across_tasks",
        matches!(&r, Ok(m) if m.info == MsgInfo::new(echo::ECHO) && m.words == [11, 21, 31, 0]),
        format_args!("got {r:?}"),
    );
    if let Ok(bd) = sys::cap_derive(ep, W | G | D, 0x77, 0, 0) {
        let r = call_echo(bd, MsgInfo::new(echo::ECHO), [0; 4]);
        check::that(
            "ipc.echo_badge_across_tasks",
            matches!(&r, Ok(m) if m.words[3] == 0x77),
            format_args!("got {r:?}"),
        );
    }
    // A capability sent to another task, used there, then revoked here.
    if let Ok(nt) = sys::notification_create() {
        let sent = sys::cap_derive(nt, W | T, 0, 0, 0);
        if let Ok(sent) = sent {
            let r = call_echo(ep, MsgInfo::new(echo::XFER).with_cap(sent), [0; 4]);
            check::that(
                "ipc.cap_to_other_task",
                matches!(&r, Ok(m) if m.words[0] != u64::MAX && m.words[1] == CapType::Notification as u64),
                format_args!("got {r:?}"),
            );
            let r = call_echo(ep, MsgInfo::new(echo::USE), [0x4, 0, 0, 0]);
            check::that("ipc.other_task_uses_cap", matches!(&r, Ok(m) if m.words[0] == 0), format_args!("got {r:?}"));
            check::ok_eq("ipc.other_task_signalled_ours", sys::notify_wait(nt, 0), 0x4);
            // Our derived copy and the helper's copy of it.
            check::ok_eq("ipc.revoke_counts_remote_copy", sys::cap_revoke(nt), 2);
            let r = call_echo(ep, MsgInfo::new(echo::USE), [0x4, 0, 0, 0]);
            check::that(
                "ipc.revoke_reaches_other_task",
                matches!(&r, Ok(m) if m.words[0] == code(Error::Revoked)),
                format_args!("got {r:?}"),
            );
            check::err("ipc.revoked_signal_nothing", sys::notify_wait(nt, 0), Error::WouldBlock);
        }
    }
    let r = call_echo(ep, MsgInfo::new(echo::GIVE), [0; 4]);
    match r.map(|m| m.info.cap()) {
        Ok(Some(slot)) => expect_info("ipc.cap_from_other_task", slot, CapType::Notification, Rights::ALL, 0, 0, 0),
        other => check::fail("ipc.cap_from_other_task", format_args!("got {other:?}")),
    };
    // Revoking the endpoint reaches the helper's spawn grant (and the
    // badged copy): its next reply_recv fails Revoked, it exits without
    // replying, and our call sees PeerGone.
    check::ok_eq("ipc.revoke_reaches_spawn_grant", sys::cap_revoke(ep), 2);
    check::err(
        "ipc.server_revoked_peer_gone",
        call_echo(ep, MsgInfo::new(echo::ECHO), [0; 4]).map(|_| ()),
        Error::PeerGone,
    );
    match roles::finish(h, roles::HELPER_TIMEOUT_NS) {
        Ok(s) => check::that(
            "ipc.server_saw_revoked",
            s.kind == TaskStatusKind::Exited && s.code == 1000 + i32::from(Error::Revoked.code()),
            format_args!("expected exit {} (Revoked), got {s:?}", 1000 + Error::Revoked.code()),
        ),
        Err(err) => check::fail("ipc.server_saw_revoked", format_args!("task_wait: {err:?}")),
    };

    // A second helper, told to quit.
    let Ok(ep2) = sys::endpoint_create() else { return };
    let grants = [(ep2, R | W)];
    let Ok(h2) = (Spawn { grants: &grants, ..Spawn::new(b"v-echo2", roles::ECHO) }).start() else {
        check::fail("ipc.echo_quits", format_args!("spawn failed"));
        return;
    };
    let r = call_echo(ep2, MsgInfo::new(0x33), [0; 4]);
    check::that(
        "ipc.echo_unknown_label",
        matches!(&r, Ok(m) if m.info.label() == echo::UNKNOWN && m.words[0] == 0x33),
        format_args!("got {r:?}"),
    );
    let r = call_echo(ep2, MsgInfo::new(echo::QUIT), [0; 4]);
    check::that(
        "ipc.echo_quit_replied",
        matches!(&r, Ok(m) if m.info.label() == echo::QUIT),
        format_args!("got {r:?}"),
    );
    match roles::finish(h2, roles::HELPER_TIMEOUT_NS) {
        Ok(s) => {
            check::that("ipc.echo_quits", s.kind == TaskStatusKind::Exited && s.code == 0, format_args!("got {s:?}"))
        }
        Err(err) => check::fail("ipc.echo_quits", format_args!("task_wait: {err:?}")),
    };
}
