//! Notifications: a word of bits that signallers OR into and a waiter takes.
//!
//! Signalling never blocks and may happen in interrupt context (a bound
//! IRQ line signals its notification from the interrupt handler).

use super::{interrupted, sleep};
use crate::sched;
use crate::sync::SpinLock;
use crate::task::thread::{Thread, ThreadState};
use abi::Error;
use alloc::collections::VecDeque;
use alloc::sync::Arc;

#[derive(Default)]
struct State {
    bits: u64,
    waiters: VecDeque<Arc<Thread>>,
}

pub struct Notification {
    state: SpinLock<State>,
}

impl Notification {
    pub fn new() -> Arc<Notification> {
        Arc::new(Notification { state: SpinLock::ranked(crate::sync::Rank::Notification, State::default()) })
    }

    pub fn signal(&self, bits: u64) {
        if bits == 0 {
            return;
        }
        let mut s = self.state.lock();
        s.bits |= bits;
        if let Some(w) = s.waiters.pop_front() {
            let taken = core::mem::take(&mut s.bits);
            w.ipc.lock().bits = Some(taken);
            drop(s);
            sched::wake(&w);
        }
    }

    /// Takes the bits, waiting until some are set (or the deadline; `poll`
    /// fails at once with WouldBlock).
    pub fn wait(&self, me: &Arc<Thread>, deadline: Option<u64>, poll: bool) -> Result<u64, Error> {
        {
            let mut s = self.state.lock();
            if s.bits != 0 {
                return Ok(core::mem::take(&mut s.bits));
            }
            if poll {
                return Err(Error::WouldBlock);
            }
            me.ipc.lock().bits = None;
            me.set_state(ThreadState::Blocked);
            s.waiters.push_back(me.clone());
        }
        loop {
            sleep(me, deadline, true, None);
            let mut s = self.state.lock();
            if let Some(bits) = me.ipc.lock().bits.take() {
                return Ok(bits);
            }
            if let Some(e) = interrupted(me, deadline) {
                s.waiters.retain(|t| !Arc::ptr_eq(t, me));
                return Err(e);
            }
            me.set_state(ThreadState::Blocked);
        }
    }
}
