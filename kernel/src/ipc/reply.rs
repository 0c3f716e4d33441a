//! Reply rights: the one-shot permission to answer one particular call.
//!
//! The caller sleeps until the right is used or dropped. If the server
//! drops it (dies, receives again without replying, deletes its saved
//! reply capability), the caller wakes with `PeerGone` instead of sleeping
//! forever.
//!
//! A call must cost no heap allocation and as few locks as possible (it is
//! the IPC fast path), so the call a right answers is recorded in the
//! caller's own IPC state, under the lock a reply takes anyway to hand the
//! answer over: each call there gets a new number, and a right names the
//! caller and the number of its call. A right kept past its call (a saved
//! reply capability the server never used, while the caller gave up and
//! called again) finds another number there and answers nothing, and its
//! drop wakes no one.

use super::{transfer, Delivered, IpcState, Message};
use crate::sched;
use crate::task::thread::Thread;
use abi::Error;
use alloc::sync::Arc;
use captable::TableId;

/// The call a thread waits for an answer to (in its `IpcState`).
#[derive(Default)]
pub struct Awaited {
    /// Counts the thread's calls: the number of the last one.
    number: u64,
    /// Whether that call still waits for its answer.
    waiting: bool,
    /// Whether the caller stops waiting when a signal comes or it is
    /// killed. A call the kernel makes for a thread (a served file
    /// system's request) is not: that thread waits for the answer even
    /// while exiting, e.g. for the `Release` of its last open files.
    interruptible: bool,
}

impl Awaited {
    /// The caller gives up waiting (a signal, its deadline): a right to
    /// the call answers nothing from now on.
    pub fn abandon(&mut self) {
        self.waiting = false;
    }

    /// Whether the right to call `number` may still answer it; if so it
    /// is used up now. Returns whether the caller may give up.
    fn take(&mut self, number: u64) -> Option<bool> {
        (self.waiting && self.number == number).then(|| {
            self.waiting = false;
            self.interruptible
        })
    }
}

/// The right to answer one call (what a receiver holds, in its IPC state
/// or as a reply capability).
pub struct ReplyRight {
    /// None once used by `answer` (its drop then has nothing to do).
    caller: Option<Arc<Thread>>,
    number: u64,
}

impl ReplyRight {
    /// Records a new call by `caller`, whose IPC state is `state` (locked
    /// by the one arming), and returns the right to answer it. Any right
    /// to an earlier call is void from here on.
    pub fn arm(state: &mut IpcState, caller: Arc<Thread>, interruptible: bool) -> ReplyRight {
        let awaited = &mut state.awaited;
        awaited.number += 1;
        awaited.waiting = true;
        awaited.interruptible = interruptible;
        ReplyRight { caller: Some(caller), number: awaited.number }
    }

    /// Answers the call and wakes the caller; the right is used up either
    /// way (for a right kept as a capability, shared: it answers once).
    pub fn reply(&self, msg: &Message, from: TableId) -> Result<(), Error> {
        let caller = self.caller.as_ref().ok_or(Error::InvalidState)?;
        hand_over(caller, self.number, msg, from)?;
        sched::wake(caller);
        Ok(())
    }

    /// Hands the answer to the caller without waking it, and returns the
    /// caller for the one who replied to wake: `reply_recv` gives it the
    /// CPU directly when it goes to wait for the next call. The right is
    /// used up either way, and its drop costs nothing.
    pub fn answer(mut self, msg: &Message, from: TableId) -> Result<Arc<Thread>, Error> {
        let caller = self.caller.take().ok_or(Error::InvalidState)?;
        hand_over(&caller, self.number, msg, from)?;
        Ok(caller)
    }

    /// Whether two rights are one (for `KObject` equality).
    pub fn same(&self, other: &ReplyRight) -> bool {
        self.number == other.number
            && match (&self.caller, &other.caller) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

/// Puts the answer to call `number` in `caller`'s IPC state, if that call
/// still waits for it (one lock, the caller's).
#[inline(always)]
fn hand_over(caller: &Arc<Thread>, number: u64, msg: &Message, from: TableId) -> Result<(), Error> {
    let mut state = caller.ipc.lock();
    let interruptible = state.awaited.take(number).ok_or(Error::InvalidState)?;
    if interruptible && (caller.is_exiting() || caller.has_deliverable_signal()) {
        // The caller has given up (or is about to): nothing is delivered,
        // so no capability moves into a table that will never look at it.
        return Err(Error::PeerGone);
    }
    let info = transfer(msg, from, super::table_of(caller));
    state.incoming = Some(Delivered { badge: 0, info, words: msg.words });
    Ok(())
}

impl Drop for ReplyRight {
    #[inline]
    fn drop(&mut self) {
        let Some(caller) = self.caller.take() else { return };
        gone(caller, self.number);
    }
}

/// A right to `caller`'s call `number` was dropped unused: if the call
/// still waits, it ends with `PeerGone`.
#[inline(never)]
fn gone(caller: Arc<Thread>, number: u64) {
    let waited = {
        let mut state = caller.ipc.lock();
        let waited = state.awaited.take(number).is_some();
        if waited {
            state.error = Some(Error::PeerGone);
        }
        waited
    };
    if waited {
        sched::wake(&caller);
    }
}
