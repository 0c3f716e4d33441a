//! Native IPC between real threads: endpoint call/reply with a
//! capability moving between tables, queued sends, reply rights, and
//! notifications.

use super::kthread::{self, all_in};
use super::TestResult;
use crate::cap::{self, KObject};
use crate::check;
use crate::ipc::{self, Delivered, Endpoint, Message, Notification};
use crate::sched;
use crate::sync::SpinLock;
use crate::task::thread::ThreadState;
use abi::{Error, MsgInfo, Rights};
use alloc::sync::Arc;
use alloc::vec::Vec;

/// A result a test thread hands back; stored only after the blocking call
/// returned, since the lock is a spinlock.
type Outcome = Arc<SpinLock<Option<Result<Option<Delivered>, Error>>>>;

fn outcome() -> Outcome {
    Arc::new(SpinLock::new(None))
}

/// A call from one process to a server in another: the server gets the
/// words, label and badge sent and the capability copied into its own
/// table (the same object, as a child of the client's, so revoking the
/// client's reaches it); the client gets the server's reply words.
pub fn call_reply_moves_words_and_cap() -> TestResult {
    let (client_p, server_p) = (kthread::process()?, kthread::process()?);
    let endpoint = Endpoint::new();
    let note = Notification::new();
    let client_slot = cap::insert(client_p.cap_table(), KObject::Notification(note.clone()), Rights::ALL)
        .map_err(|e| alloc::format!("insert: {e:?}"))?;

    let (got, ep) = (outcome(), endpoint.clone());
    let seen = got.clone();
    let server = kthread::spawn(&server_p, move || {
        let me = sched::current();
        let r = ep.receive(&me, None, false);
        if let Ok(d) = r {
            let reply = me.ipc.lock().reply.take();
            let answer = Message { info: MsgInfo::new(0x55), words: [d.words[3] * 10, d.words[0] + 100, 0, 7] };
            if let Some(reply) = reply {
                let _ = reply.reply(&answer, ipc::table_of(&me));
            }
        }
        *seen.lock() = Some(r.map(Some));
    })?;
    check!(kthread::run_until(1_000_000_000, || server.state() == ThreadState::Blocked), "the server did not wait");

    let (answer, ep) = (outcome(), endpoint.clone());
    let out = answer.clone();
    let client = kthread::spawn(&client_p, move || {
        let me = sched::current();
        let msg = Message { info: MsgInfo::new(7).with_cap(client_slot), words: [1, 2, 3, 4] };
        let r = ep.send(&me, msg, 0xbad9e, true);
        *out.lock() = Some(r);
    })?;
    kthread::join(&[server, client])?;

    let received = *got.lock();
    let Some(Ok(Some(d))) = received else { return Err(alloc::format!("the server got {received:?}")) };
    check!(d.words == [1, 2, 3, 4] && d.info.label() == 7, "server got {d:?}");
    check!(d.badge == 0xbad9e, "badge {:#x}, not the sender's", d.badge);
    let Some(server_slot) = d.info.cap() else { return Err("no capability arrived with the message".into()) };
    match cap::lookup_any(server_p.cap_table(), server_slot) {
        Ok((KObject::Notification(n), rights, _)) => {
            check!(Arc::ptr_eq(&n, &note), "a different notification arrived");
            check!(rights == Rights::ALL, "the copy has rights {rights:?}");
        }
        Ok(_) => return Err("the slot holds another kind of object".into()),
        Err(e) => return Err(alloc::format!("the received slot {server_slot}: {e:?}")),
    }
    let replied = *answer.lock();
    let Some(Ok(Some(r))) = replied else { return Err(alloc::format!("the client got {replied:?}")) };
    check!(r.words == [40, 101, 0, 7] && r.info.label() == 0x55, "client got {r:?}");
    check!(r.info.cap().is_none(), "a capability came back with the reply");

    // The copy is the client's capability's child: revoking reaches it.
    let client_table = client_p.cap_table(); // not under the space's lock (lock order)
    let revoked = cap::with_space(|s| s.revoke(client_table, client_slot));
    let revoked = revoked.map_err(|e| alloc::format!("revoke: {e:?}"))?;
    check!(revoked.len() == 1, "revoke removed {} capabilities", revoked.len());
    cap::drop_outside(revoked);
    let after = cap::lookup_any(server_p.cap_table(), server_slot).map(|_| ());
    check!(after == Err(Error::Revoked), "the server's copy after revoke: {after:?}");
    Ok(())
}

/// Sends that find no receiver queue in order, their senders asleep; a
/// receiver takes them first come first served, each sender wakes with
/// Ok, and then `receive` with `poll` and a non-blocking send both find
/// nobody (WouldBlock).
pub fn queued_sends_delivered_in_order() -> TestResult {
    let p = kthread::process()?;
    let endpoint = Endpoint::new();
    let mut senders = Vec::new();
    let mut outcomes = Vec::new();
    for n in 0..3u64 {
        let (out, ep) = (outcome(), endpoint.clone());
        outcomes.push(out.clone());
        senders.push(kthread::spawn(&p, move || {
            let me = sched::current();
            let msg = Message { info: MsgInfo::new(n as u32), words: [n, n * n, 0, 0] };
            let r = ep.send(&me, msg, n, false);
            *out.lock() = Some(r);
        })?);
        // One at a time, so the queue order is the spawn order.
        check!(kthread::run_until(1_000_000_000, || senders[n as usize].state() == ThreadState::Blocked));
    }
    check!(outcomes.iter().all(|o| o.lock().is_none()), "a send returned with nobody receiving");

    let got: Arc<SpinLock<Vec<Result<Delivered, Error>>>> = Arc::new(SpinLock::new(Vec::new()));
    let (ep, seen) = (endpoint.clone(), got.clone());
    let receiver = kthread::spawn(&p, move || {
        let me = sched::current();
        for _ in 0..3 {
            let r = ep.receive(&me, None, false);
            seen.lock().push(r);
        }
        let r = ep.receive(&me, None, true);
        seen.lock().push(r);
        let lone = Message { info: MsgInfo::new(9).nonblocking(), words: [0; 4] };
        let r = ep.send(&me, lone, 0, false).map(|_| Delivered { badge: 0, info: MsgInfo::new(9), words: [0; 4] });
        seen.lock().push(r);
    })?;
    senders.push(receiver);
    kthread::join(&senders)?;

    let got = got.lock().clone();
    check!(got.len() == 5, "{} results", got.len());
    for (n, r) in got[..3].iter().enumerate() {
        let n = n as u64;
        let Ok(d) = r else { return Err(alloc::format!("receive {n}: {r:?}")) };
        check!(d.badge == n && d.words[..2] == [n, n * n], "receive {n} got {d:?}: not in sending order");
    }
    check!(got[3].as_ref().err() == Some(&Error::WouldBlock), "a poll of an empty endpoint gave {:?}", got[3]);
    check!(got[4].as_ref().err() == Some(&Error::WouldBlock), "a non-blocking send with no receiver gave {:?}", got[4]);
    for (n, o) in outcomes.iter().enumerate() {
        let r = *o.lock();
        check!(matches!(r, Some(Ok(None))), "sender {n} ended with {r:?}");
    }
    Ok(())
}

/// A server that drops the reply right instead of answering wakes its
/// caller with PeerGone rather than leaving it asleep.
pub fn dropped_reply_gives_peer_gone() -> TestResult {
    let p = kthread::process()?;
    let endpoint = Endpoint::new();
    let ep = endpoint.clone();
    let server = kthread::spawn(&p, move || {
        let me = sched::current();
        if ep.receive(&me, None, false).is_ok() {
            let reply = me.ipc.lock().reply.take();
            drop(reply);
        }
    })?;
    check!(kthread::run_until(1_000_000_000, || server.state() == ThreadState::Blocked));
    let (answer, ep) = (outcome(), endpoint.clone());
    let out = answer.clone();
    let client = kthread::spawn(&p, move || {
        let me = sched::current();
        let r = ep.send(&me, Message { info: MsgInfo::new(1), words: [0; 4] }, 0, true);
        *out.lock() = Some(r);
    })?;
    kthread::join(&[server, client])?;
    let r = *answer.lock();
    check!(matches!(r, Some(Err(Error::PeerGone))), "the caller got {r:?}");
    Ok(())
}

/// A caller's reply object serves all its calls (reply.rs): a right kept
/// past its call (the caller timed out and called again) must neither
/// answer the new call nor, dropped, fail it with PeerGone; the new call's
/// own right answers it.
pub fn reply_right_outlived_by_its_call_answers_nothing() -> TestResult {
    let p = kthread::process()?;
    let endpoint = Endpoint::new();
    let ep = endpoint.clone();
    let stale_use = outcome();
    let stale_seen = stale_use.clone();
    let server = kthread::spawn(&p, move || {
        let me = sched::current();
        // The first call: its right is kept, unanswered, while the caller
        // times out and calls again.
        if ep.receive(&me, None, false).is_err() {
            return;
        }
        let stale = me.ipc.lock().reply.take();
        if ep.receive(&me, None, false).is_err() {
            return;
        }
        let fresh = me.ipc.lock().reply.take();
        let table = ipc::table_of(&me);
        let wrong = Message { info: MsgInfo::new(1), words: [666; 4] };
        *stale_seen.lock() = Some(match &stale {
            Some(right) => right.reply(&wrong, table).map(|_| None),
            None => Err(Error::InvalidArgument),
        });
        drop(stale);
        if let Some(right) = fresh {
            let _ = right.reply(&Message { info: MsgInfo::new(2), words: [42, 0, 0, 0] }, table);
        }
    })?;
    check!(kthread::run_until(1_000_000_000, || server.state() == ThreadState::Blocked), "the server did not wait");
    let (first, second) = (outcome(), outcome());
    let (out1, out2, ep) = (first.clone(), second.clone(), endpoint.clone());
    let client = kthread::spawn(&p, move || {
        let me = sched::current();
        let msg = Message { info: MsgInfo::new(1), words: [0; 4] };
        let r = ep.call_from_kernel(&me, msg, &ipc::Watchdog::new(20_000_000)).map(Some);
        *out1.lock() = Some(r);
        let r = ep.send(&me, msg, 0, true);
        *out2.lock() = Some(r);
    })?;
    kthread::join(&[server, client])?;
    let r = *first.lock();
    check!(matches!(r, Some(Err(Error::TimedOut))), "the first call ended with {r:?}");
    let r = *stale_use.lock();
    check!(matches!(r, Some(Err(Error::InvalidState))), "the stale right's reply gave {r:?}");
    let r = *second.lock();
    check!(matches!(r, Some(Ok(Some(ref d))) if d.words[0] == 42), "the second call ended with {r:?}");
    Ok(())
}

/// A caller that gave up waiting (its deadline passed) is not answered
/// later: the server's right, used after that, answers nothing
/// (`InvalidState`), and the answer is not left for the caller to find
/// as if it were the reply to its next call.
pub fn reply_after_caller_gave_up_is_refused() -> TestResult {
    let p = kthread::process()?;
    let endpoint = Endpoint::new();
    let ep = endpoint.clone();
    let late_use = outcome();
    let late_seen = late_use.clone();
    let caller_done = Arc::new(core::sync::atomic::AtomicBool::new(false));
    let done = caller_done.clone();
    let server = kthread::spawn(&p, move || {
        let me = sched::current();
        if ep.receive(&me, None, false).is_err() {
            return;
        }
        let right = me.ipc.lock().reply.take();
        // Answer only once the caller has stopped waiting.
        if !kthread::run_until(1_000_000_000, || done.load(core::sync::atomic::Ordering::Acquire)) {
            return;
        }
        let table = ipc::table_of(&me);
        let late = Message { info: MsgInfo::new(1), words: [666; 4] };
        *late_seen.lock() = Some(match right {
            Some(right) => right.answer(&late, table).map(|_| None),
            None => Err(Error::InvalidArgument),
        });
    })?;
    check!(kthread::run_until(1_000_000_000, || server.state() == ThreadState::Blocked), "the server did not wait");
    let first = outcome();
    let out = first.clone();
    let ep = endpoint.clone();
    let client = kthread::spawn(&p, move || {
        let me = sched::current();
        let msg = Message { info: MsgInfo::new(1), words: [0; 4] };
        let r = ep.call_from_kernel(&me, msg, &ipc::Watchdog::new(20_000_000)).map(Some);
        *out.lock() = Some(r);
        caller_done.store(true, core::sync::atomic::Ordering::Release);
    })?;
    kthread::join(&[server, client.clone()])?;
    let r = *first.lock();
    check!(matches!(r, Some(Err(Error::TimedOut))), "the call ended with {r:?}");
    let r = *late_use.lock();
    check!(matches!(r, Some(Err(Error::InvalidState))), "the late answer gave {r:?}");
    check!(client.ipc.lock().incoming.is_none(), "the late answer was left for the caller");
    Ok(())
}

/// Notification bits accumulate (OR) until taken, a wait takes and
/// clears them all, a waiter already asleep gets the bits of the signal
/// that wakes it (and they are not left behind), and a wait with a
/// deadline and no signal times out.
pub fn notification_bits_accumulate_and_clear() -> TestResult {
    let note = Notification::new();
    // Polls with bits set, or none and `poll`, never block: the idle
    // thread may make them.
    let idle = sched::current();
    note.signal(0b0001);
    note.signal(0b0100);
    note.signal(0b0001);
    note.signal(0);
    let first = note.wait(&idle, None, true);
    check!(first == Ok(0b0101), "first wait took {first:?}");
    let second = note.wait(&idle, None, true);
    check!(second == Err(Error::WouldBlock), "the bits were not cleared: {second:?}");

    let p = kthread::process()?;
    let results: Arc<SpinLock<Vec<Result<u64, Error>>>> = Arc::new(SpinLock::new(Vec::new()));
    let (n, out) = (note.clone(), results.clone());
    let waiter = kthread::spawn(&p, move || {
        let me = sched::current();
        let r = n.wait(&me, None, false);
        out.lock().push(r);
        let deadline = crate::time::now_ns() + 10_000_000;
        let r = n.wait(&me, Some(deadline), false);
        out.lock().push(r);
    })?;
    check!(kthread::run_until(1_000_000_000, || waiter.state() == ThreadState::Blocked));
    check!(results.lock().is_empty(), "the wait returned with no bits");
    note.signal(0b1000_0000);
    kthread::join(core::slice::from_ref(&waiter))?;
    check!(all_in(&[waiter], ThreadState::Dead));
    let results = results.lock().clone();
    check!(results == [Ok(0b1000_0000), Err(Error::TimedOut)], "the waiter got {results:?}");
    let left = note.wait(&idle, None, true);
    check!(left == Err(Error::WouldBlock), "bits handed to the waiter stayed behind: {left:?}");
    Ok(())
}
