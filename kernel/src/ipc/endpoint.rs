//! Endpoints: where senders and receivers meet.
//!
//! Whoever arrives second completes the exchange: a sender finding a
//! receiver waiting hands the message straight to it; a receiver finding a
//! sender queued takes the sender's message. For a call, the receiver gets
//! a reply right naming the caller, who sleeps until it is used or dropped.

use super::{interrupted, sleep, table_of, timed_out, transfer, Delivered, Message, Outgoing, ReplyRight, Watchdog};
use crate::sched;
use crate::sync::SpinLock;
use crate::task::thread::{Thread, ThreadState};
use abi::Error;
use alloc::collections::VecDeque;
use alloc::sync::Arc;

#[derive(Default)]
struct Queues {
    /// Threads waiting to send, each with its message in `ipc.outgoing`.
    senders: VecDeque<Arc<Thread>>,
    /// Threads waiting to receive.
    receivers: VecDeque<Arc<Thread>>,
}

pub struct Endpoint {
    queues: SpinLock<Queues>,
}

impl Endpoint {
    pub fn new() -> Arc<Endpoint> {
        Arc::new(Endpoint { queues: SpinLock::ranked(crate::sync::Rank::Endpoint, Queues::default()) })
    }

    /// `ipc_send` (call = false) and `ipc_call` (call = true). For a call,
    /// returns the reply. Inlined with `send_until` into the two native
    /// calls, which makes the common case's path straight (no deadline,
    /// signals interrupt, and `call` known).
    #[inline]
    pub fn send(&self, me: &Arc<Thread>, msg: Message, badge: u64, call: bool) -> Result<Option<Delivered>, Error> {
        self.send_until(me, msg, badge, call, true, None)
    }

    /// A call the kernel makes on behalf of `me` (a Linux thread using a
    /// file system served from user space): signals do not end the wait,
    /// since the server may already be working in the shared buffer; only
    /// the answer, the server's end (`PeerGone`) or the watchdog's limit
    /// (`TimedOut`) do. One call at a time per watchdog.
    pub fn call_from_kernel(
        &self,
        me: &Arc<Thread>,
        msg: Message,
        watchdog: &Arc<Watchdog>,
    ) -> Result<Delivered, Error> {
        let deadline = watchdog.begin(me);
        // The watchdog wakes this thread at the deadline: no wake-up of
        // its own is armed.
        let result = self.send_until(me, msg, 0, true, false, Some(deadline));
        watchdog.end();
        result?.ok_or(Error::InvalidState)
    }

    #[inline(always)]
    fn send_until(
        &self,
        me: &Arc<Thread>,
        msg: Message,
        badge: u64,
        call: bool,
        signals_interrupt: bool,
        deadline: Option<u64>,
    ) -> Result<Option<Delivered>, Error> {
        let my_table = table_of(me);
        // A receiver this call woke, not yet running: it gets the CPU when
        // this thread goes to sleep for the reply.
        let mut partner = None;
        {
            let mut q = self.queues.lock();
            if let Some(receiver) = q.receivers.pop_front() {
                let info = transfer(&msg, my_table, table_of(&receiver));
                let mut r = receiver.ipc.lock();
                r.incoming = Some(Delivered { badge, info, words: msg.words });
                if call {
                    // The caller is asleep before the receiver can run.
                    let mut mine = me.ipc.lock();
                    mine.incoming = None;
                    mine.error = None;
                    me.set_state(ThreadState::Blocked);
                    let right = ReplyRight::arm(&mut mine, me.clone(), signals_interrupt);
                    r.reply = Some(right);
                }
                drop(r);
                drop(q);
                if !call {
                    sched::wake(&receiver);
                    return Ok(None);
                }
                partner = Some(receiver);
            } else {
                if msg.info.is_nonblocking() {
                    return Err(Error::WouldBlock);
                }
                let mut mine = me.ipc.lock();
                mine.outgoing = Some(Outgoing { msg, badge, table: my_table, call, interruptible: signals_interrupt });
                mine.incoming = None;
                mine.error = None;
                mine.sent = false;
                me.set_state(ThreadState::Blocked);
                drop(mine);
                q.senders.push_back(me.clone());
            }
        }
        // Asleep: until a receiver takes the message (send) or the reply
        // comes (call).
        loop {
            // No wake-up is armed for the deadline: only the kernel's
            // calls have one, and their watchdog wakes them when it has
            // passed, for the check below to see.
            sleep(me, None, signals_interrupt, partner.take());
            if let Some(done) = Self::answered(me, call) {
                return done;
            }
            {
                let mut q = self.queues.lock();
                let mut mine = me.ipc.lock();
                if let Some(e) = mine.error.take() {
                    return Err(e);
                }
                if call {
                    if let Some(reply) = mine.incoming.take() {
                        return Ok(Some(reply));
                    }
                } else if core::mem::take(&mut mine.sent) {
                    return Ok(None);
                }
                let stop = if signals_interrupt { interrupted(me, deadline) } else { timed_out(deadline) };
                if let Some(e) = stop {
                    // Still queued? Then nobody has the message: withdraw it.
                    // Taken and not answered? Then the answer is not waited for.
                    mine.outgoing = None;
                    mine.awaited.abandon();
                    q.senders.retain(|t| !Arc::ptr_eq(t, me));
                    return Err(e);
                }
                me.set_state(ThreadState::Blocked);
            }
        }
    }

    /// What a woken sender finds without the queue's lock: the reply (a
    /// call), its message taken (a send), or a failure handed to it. None:
    /// look again under the lock (a signal, the deadline, a spurious wake).
    fn answered(me: &Arc<Thread>, call: bool) -> Option<Result<Option<Delivered>, Error>> {
        let mut mine = me.ipc.lock();
        if let Some(e) = mine.error.take() {
            return Some(Err(e));
        }
        if call {
            mine.incoming.take().map(|reply| Ok(Some(reply)))
        } else {
            core::mem::take(&mut mine.sent).then_some(Ok(None))
        }
    }

    /// Every queued sender's message is withdrawn and the sender woken
    /// with `error`: nobody will ever receive them (the kernel knows the
    /// receiving task has ended, though the endpoint lives on).
    pub fn fail_senders(&self, error: Error) {
        let senders: VecDeque<Arc<Thread>> = core::mem::take(&mut self.queues.lock().senders);
        for sender in senders {
            {
                let mut s = sender.ipc.lock();
                s.outgoing = None;
                s.error = Some(error);
            }
            sched::wake(&sender);
        }
    }

    /// `ipc_recv`: the next message, waiting until `deadline` (None:
    /// forever). `poll` fails at once with WouldBlock when none is queued.
    pub fn receive(&self, me: &Arc<Thread>, deadline: Option<u64>, poll: bool) -> Result<Delivered, Error> {
        // Receiving again gives up a reply right not yet used.
        let old = me.ipc.lock().reply.take();
        drop(old);
        self.receive_after_reply(me, deadline, poll, None)
    }

    /// `receive`, by a thread that has just answered `caller` (delivered,
    /// not yet woken): if no message waits, `caller` gets this CPU when this
    /// thread goes to sleep; otherwise it is woken at once. The thread holds
    /// no reply right any more (`reply_recv` took it to answer).
    #[inline]
    pub fn receive_after_reply(
        &self,
        me: &Arc<Thread>,
        deadline: Option<u64>,
        poll: bool,
        caller: Option<Arc<Thread>>,
    ) -> Result<Delivered, Error> {
        let mut caller = caller;
        {
            let mut q = self.queues.lock();
            if let Some(sender) = q.senders.pop_front() {
                if let Some(c) = caller.take() {
                    sched::wake(&c);
                }
                let mut s = sender.ipc.lock();
                let Some(out) = s.outgoing.take() else {
                    return Err(Error::InvalidState); // cannot happen: queued senders carry a message
                };
                let info = transfer(&out.msg, out.table, table_of(me));
                let delivered = Delivered { badge: out.badge, info, words: out.msg.words };
                if out.call {
                    let right = ReplyRight::arm(&mut s, sender.clone(), out.interruptible);
                    drop(s);
                    me.ipc.lock().reply = Some(right);
                } else {
                    s.sent = true;
                    drop(s);
                    drop(q);
                    sched::wake(&sender);
                }
                return Ok(delivered);
            }
            if poll {
                if let Some(c) = caller.take() {
                    sched::wake(&c);
                }
                return Err(Error::WouldBlock);
            }
            // No message is left in `incoming` from before: one is put
            // there only for a thread in `receivers` (taken out, under the
            // queue's lock, by whoever puts it) or for a caller still
            // waiting for its answer. So only the state changes here.
            me.set_state(ThreadState::Blocked);
            q.receivers.push_back(me.clone());
        }
        loop {
            sleep(me, deadline, true, caller.take());
            if let Some(m) = me.ipc.lock().incoming.take() {
                return Ok(m);
            }
            let mut q = self.queues.lock();
            if let Some(m) = me.ipc.lock().incoming.take() {
                return Ok(m);
            }
            if let Some(e) = interrupted(me, deadline) {
                q.receivers.retain(|t| !Arc::ptr_eq(t, me));
                return Err(e);
            }
            me.set_state(ThreadState::Blocked);
        }
    }
}
