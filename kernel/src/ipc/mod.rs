//! Native IPC: synchronous call/reply through endpoints, asynchronous
//! notifications, and one-shot reply rights.
//!
//! A message is an info word and four data words, all in registers; a
//! capability may travel with it (copied into the receiver's table as a
//! child of the sender's, so revoking the original reaches it). Threads
//! block on their own kernel stacks. Every blocking call re-checks its
//! condition from the start each time it wakes (spurious wake, timeout,
//! kill), so it either completes whole or fails without side effects: that
//! is what makes them restartable.
//!
//! Lock order: endpoint or notification queue → a thread's `ipc` state →
//! the capability space.

mod endpoint;
mod notification;
mod reply;
mod watchdog;

pub use endpoint::Endpoint;
pub use notification::Notification;
pub use reply::ReplyRight;
pub use watchdog::Watchdog;

use crate::sched;
use crate::task::thread::{Thread, ThreadState};
use abi::{Error, MsgInfo};
use alloc::sync::Arc;
use captable::{Placement, TableId};

/// What the sender put in registers.
#[derive(Debug, Clone, Copy)]
pub struct Message {
    pub info: MsgInfo,
    pub words: [u64; 4],
}

/// A message as the receiver gets it.
#[derive(Debug, Clone, Copy)]
pub struct Delivered {
    pub badge: u64,
    pub info: MsgInfo,
    pub words: [u64; 4],
}

/// A message waiting in an endpoint's queue with its sender.
pub struct Outgoing {
    pub msg: Message,
    /// The badge of the capability the sender used.
    pub badge: u64,
    /// The sender's table, for a capability transfer.
    pub table: TableId,
    /// Whether the sender waits for a reply.
    pub call: bool,
    /// Whether a signal may end the sender's wait (false for calls the
    /// kernel makes on a thread's behalf).
    pub interruptible: bool,
}

/// Per-thread IPC state (in `Thread::ipc`).
#[derive(Default)]
pub struct IpcState {
    /// Set while queued as a sender.
    pub outgoing: Option<Outgoing>,
    /// A message (or reply) handed to this thread while it was blocked.
    pub incoming: Option<Delivered>,
    /// Bits a notification handed to this thread while it waited.
    pub bits: Option<u64>,
    /// A queued `ipc_send` was taken by a receiver.
    pub sent: bool,
    /// A failure handed to this thread while it waited (the reply right
    /// was dropped: PeerGone).
    pub error: Option<Error>,
    /// The reply right of the call this thread received last.
    pub reply: Option<ReplyRight>,
    /// This thread's last call, and whether it still waits for the answer
    /// (what a right to answer it checks: see reply.rs).
    pub awaited: reply::Awaited,
}

/// Copies the message's capability (if any) from the sender's table into
/// the receiver's and returns the info word the receiver sees. A
/// capability that cannot travel any more (deleted while the message
/// waited, or the receiver's table is full) is left behind: the receiver
/// sees a message without one.
fn transfer(msg: &Message, from: TableId, to: TableId) -> MsgInfo {
    let slot = msg.info.cap().and_then(|slot| {
        crate::cap::with_space(|s| s.copy(from, slot, to, abi::Rights::ALL, Placement::Lowest { min: 0 })).ok()
    });
    msg.info.delivered(slot.map(u64::from))
}

/// A thread is ending: the reply right it holds is given up at once, so
/// its caller wakes with `PeerGone` now rather than when the thread is
/// finally freed. The rest of the exit path may wait for locks that caller
/// holds: a file-system server's caller holds that file system's lock.
pub fn thread_exiting(t: &Thread) {
    let pending = t.ipc.lock().reply.take();
    drop(pending);
}

/// The table of a thread's task.
pub fn table_of(t: &Thread) -> TableId {
    t.process().cap_table()
}

/// Why a blocked IPC thread was woken without its condition holding.
fn interrupted(me: &Arc<Thread>, deadline: Option<u64>) -> Option<Error> {
    if me.has_deliverable_signal() {
        // Only a kill reaches a native thread; it never returns to user
        // mode, so the error is never seen.
        return Some(Error::InvalidState);
    }
    timed_out(deadline)
}

/// `TimedOut` once `deadline` (if any) has passed.
fn timed_out(deadline: Option<u64>) -> Option<Error> {
    deadline.filter(|&d| crate::time::now_ns() >= d).map(|_| Error::TimedOut)
}

/// Goes to sleep after the caller set its state to Blocked under the lock
/// a waker takes; wakes at the deadline at the latest. A signal that would
/// end the wait (`interruptible`), or a deadline already past, keeps it
/// running instead, for the caller's loop to see: looked for after the
/// mark, not before, so a signal sent in between still finds it Blocked and
/// wakes it.
///
/// `partner` is a thread this one has just handed a message to (the
/// receiver of a call, the caller of a reply) and not yet woken: it gets
/// the CPU directly (`sched::wake_and_switch_to`), the fast path of a
/// round trip. Woken in any case. Inlined: it is half of every blocking
/// IPC call's path.
#[inline(always)]
fn sleep(me: &Arc<Thread>, deadline: Option<u64>, interruptible: bool, partner: Option<Arc<Thread>>) {
    debug_assert!(me.state() == ThreadState::Blocked || me.state() == ThreadState::Runnable);
    let stop = if interruptible { interrupted(me, deadline) } else { timed_out(deadline) };
    if stop.is_some() {
        if let Some(p) = partner {
            sched::wake(&p);
        }
        me.set_state(ThreadState::Running);
        return;
    }
    let wake_up = deadline.map(|d| crate::sched::wake_at(d, me));
    match partner {
        Some(p) => sched::wake_and_switch_to(&p),
        None => sched::schedule(),
    }
    if let Some(id) = wake_up {
        crate::sched::cancel_wake(id);
    }
}

/// Turns a timeout argument into a deadline (None: FOREVER, never
/// expires). Callers handle a timeout of 0 (poll) before blocking.
pub fn deadline(timeout: u64) -> Option<u64> {
    if timeout == abi::FOREVER {
        None
    } else {
        Some(crate::time::now_ns().saturating_add(timeout))
    }
}
