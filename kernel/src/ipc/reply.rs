//! A reply right: the one-shot permission to answer one particular call.
//!
//! The caller sleeps until the right is used or dropped. If the server
//! drops it (dies, receives again without replying, deletes its saved
//! reply capability), the caller wakes with `PeerGone` instead of sleeping
//! forever.

use super::{table_of, transfer, Delivered, Message};
use crate::sched;
use crate::sync::SpinLock;
use crate::task::thread::Thread;
use abi::Error;
use alloc::sync::Arc;
use captable::TableId;

pub struct Reply {
    caller: SpinLock<Option<Arc<Thread>>>,
    /// Whether the caller stops waiting when a signal comes or it is
    /// killed. A call the kernel makes for a thread (a served file
    /// system's request) is not: that thread waits for the answer even
    /// while exiting, e.g. for the `Release` of its last open files.
    interruptible: bool,
}

impl Reply {
    pub fn new(caller: Arc<Thread>, interruptible: bool) -> Arc<Reply> {
        Arc::new(Reply { caller: SpinLock::new(Some(caller)), interruptible })
    }

    /// Answers the call; the right is used up either way.
    pub fn reply(&self, msg: &Message, from: TableId) -> Result<(), Error> {
        let caller = self.caller.lock().take().ok_or(Error::InvalidState)?;
        if self.interruptible && (caller.is_exiting() || caller.has_deliverable_signal()) {
            // The caller has given up (or is about to): nothing is
            // delivered, so no capability moves into a table that will
            // never look at it.
            return Err(Error::PeerGone);
        }
        let info = transfer(msg, from, table_of(&caller));
        caller.ipc.lock().incoming = Some(Delivered { badge: 0, info, words: msg.words });
        sched::wake(&caller);
        Ok(())
    }
}

impl Drop for Reply {
    fn drop(&mut self) {
        if let Some(caller) = self.caller.lock().take() {
            caller.ipc.lock().error = Some(Error::PeerGone);
            sched::wake(&caller);
        }
    }
}
