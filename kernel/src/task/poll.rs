//! One wait queue for every poll/select caller: any change that could make
//! a descriptor ready (pipe data, terminal input, a pipe end closing)
//! notifies it, and pollers re-check their descriptors.

use crate::sched::WaitQueue;

pub static POLLERS: WaitQueue = WaitQueue::new();

pub fn notify() {
    POLLERS.wake_all();
}
