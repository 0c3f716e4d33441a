//! Endpoints: where senders and receivers meet.
//!
//! Whoever arrives second completes the exchange: a sender finding a
//! receiver waiting hands the message straight to it; a receiver finding a
//! sender queued takes the sender's message. For a call, the receiver gets
//! a reply right naming the caller, who sleeps until it is used or dropped.

use super::{interrupted, sleep, table_of, timed_out, transfer, Delivered, Message, Outgoing, Reply};
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
    /// returns the reply.
    pub fn send(&self, me: &Arc<Thread>, msg: Message, badge: u64, call: bool) -> Result<Option<Delivered>, Error> {
        self.send_until(me, msg, badge, call, true, None)
    }

    /// A call the kernel makes on behalf of `me` (a Linux thread using a
    /// file system served from user space): signals do not end the wait,
    /// since the server may already be working in the shared buffer; only
    /// the answer, the server's end (`PeerGone`) or `deadline` (`TimedOut`)
    /// do.
    pub fn call_from_kernel(&self, me: &Arc<Thread>, msg: Message, deadline: u64) -> Result<Delivered, Error> {
        self.send_until(me, msg, 0, true, false, Some(deadline))?.ok_or(Error::InvalidState)
    }

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
                    r.reply = Some(Reply::new(me.clone(), signals_interrupt));
                }
                drop(r);
                drop(q);
                sched::wake(&receiver);
                if !call {
                    return Ok(None);
                }
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
            sleep(me, deadline, signals_interrupt);
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
                    mine.outgoing = None;
                    q.senders.retain(|t| !Arc::ptr_eq(t, me));
                    return Err(e);
                }
                me.set_state(ThreadState::Blocked);
            }
        }
    }

    /// `ipc_recv`: the next message, waiting until `deadline` (None:
    /// forever). `poll` fails at once with WouldBlock when none is queued.
    pub fn receive(&self, me: &Arc<Thread>, deadline: Option<u64>, poll: bool) -> Result<Delivered, Error> {
        let my_table = table_of(me);
        // Receiving again gives up a reply right not yet used.
        let old = me.ipc.lock().reply.take();
        drop(old);
        {
            let mut q = self.queues.lock();
            if let Some(sender) = q.senders.pop_front() {
                let mut s = sender.ipc.lock();
                let Some(out) = s.outgoing.take() else {
                    return Err(Error::InvalidState); // cannot happen: queued senders carry a message
                };
                let info = transfer(&out.msg, out.table, my_table);
                let delivered = Delivered { badge: out.badge, info, words: out.msg.words };
                if out.call {
                    drop(s);
                    me.ipc.lock().reply = Some(Reply::new(sender, out.interruptible));
                } else {
                    s.sent = true;
                    drop(s);
                    drop(q);
                    sched::wake(&sender);
                }
                return Ok(delivered);
            }
            if poll {
                return Err(Error::WouldBlock);
            }
            let mut mine = me.ipc.lock();
            mine.incoming = None;
            me.set_state(ThreadState::Blocked);
            drop(mine);
            q.receivers.push_back(me.clone());
        }
        loop {
            sleep(me, deadline, true);
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
