//! Reply rights: the one-shot permission to answer one particular call.
//!
//! The caller sleeps until the right is used or dropped. If the server
//! drops it (dies, receives again without replying, deletes its saved
//! reply capability), the caller wakes with `PeerGone` instead of sleeping
//! forever.
//!
//! A call must not cost a heap allocation (it is the IPC fast path), so the
//! object behind the right belongs to the caller and serves all its calls:
//! each thread makes its `Reply` once, at its first call, and every call
//! arms it again under a new call number. A right names the object and the
//! number of the call it answers; a right kept past its call (a saved reply
//! capability the server never used, while the caller gave up and called
//! again) finds a newer number there and answers nothing, and its drop
//! wakes no one.

use super::{table_of, transfer, Delivered, Message};
use crate::sched;
use crate::sync::SpinLock;
use crate::task::thread::Thread;
use abi::Error;
use alloc::sync::Arc;
use captable::TableId;

/// A caller's reply object.
pub struct Reply {
    call: SpinLock<Armed>,
}

/// The call a reply object waits for an answer to.
struct Armed {
    /// Counts the owner's calls: the number of the one armed now.
    number: u64,
    /// The waiting caller; None once answered or abandoned.
    caller: Option<Arc<Thread>>,
    /// Whether the caller stops waiting when a signal comes or it is
    /// killed. A call the kernel makes for a thread (a served file
    /// system's request) is not: that thread waits for the answer even
    /// while exiting, e.g. for the `Release` of its last open files.
    interruptible: bool,
}

/// The right to answer one call (what a receiver holds, in its IPC state
/// or as a reply capability).
pub struct ReplyRight {
    reply: Arc<Reply>,
    number: u64,
}

impl Reply {
    pub fn new() -> Arc<Reply> {
        Arc::new(Reply { call: SpinLock::new(Armed { number: 0, caller: None, interruptible: true }) })
    }

    /// Arms the object for a new call by `caller` and returns the right to
    /// answer it. Any right to an earlier call is void from here on.
    pub fn arm(self: &Arc<Self>, caller: Arc<Thread>, interruptible: bool) -> ReplyRight {
        let mut a = self.call.lock();
        a.number += 1;
        a.caller = Some(caller);
        a.interruptible = interruptible;
        ReplyRight { reply: self.clone(), number: a.number }
    }
}

impl ReplyRight {
    /// The waiting caller and whether it may give up, if this right's call
    /// is still the armed one and unanswered; the right is used up.
    fn take_caller(&self) -> Option<(Arc<Thread>, bool)> {
        let mut a = self.reply.call.lock();
        if a.number != self.number {
            return None;
        }
        a.caller.take().map(|c| (c, a.interruptible))
    }

    /// Answers the call; the right is used up either way.
    pub fn reply(&self, msg: &Message, from: TableId) -> Result<(), Error> {
        let caller = self.deliver(msg, from)?;
        sched::wake(&caller);
        Ok(())
    }

    /// Hands the answer to the caller without waking it, and returns the
    /// caller for the one who replied to wake: `reply_recv` gives it the
    /// CPU directly when it goes to wait for the next call. The right is
    /// used up either way.
    pub fn deliver(&self, msg: &Message, from: TableId) -> Result<Arc<Thread>, Error> {
        let (caller, interruptible) = self.take_caller().ok_or(Error::InvalidState)?;
        if interruptible && (caller.is_exiting() || caller.has_deliverable_signal()) {
            // The caller has given up (or is about to): nothing is
            // delivered, so no capability moves into a table that will
            // never look at it.
            return Err(Error::PeerGone);
        }
        let info = transfer(msg, from, table_of(&caller));
        caller.ipc.lock().incoming = Some(Delivered { badge: 0, info, words: msg.words });
        Ok(caller)
    }

    /// Whether two rights are one (for `KObject` equality).
    pub fn same(&self, other: &ReplyRight) -> bool {
        Arc::ptr_eq(&self.reply, &other.reply) && self.number == other.number
    }
}

impl Drop for ReplyRight {
    fn drop(&mut self) {
        if let Some((caller, _)) = self.take_caller() {
            caller.ipc.lock().error = Some(Error::PeerGone);
            sched::wake(&caller);
        }
    }
}
