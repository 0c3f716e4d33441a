//! Signal actions, masks, sending and waiting for signals: one part of the
//! core's surface, [`crate::KernelOps`].

use crate::{AltStack, Error, KResult, KillTarget, MaskHow, Signal, SignalAction, SignalInfo, SignalSet};

/// Signals: actions, masks, the alternate stack, sending and waiting.
pub trait SignalOps {
    fn signal_action(&mut self, signal: Signal, new: Option<SignalAction>) -> KResult<SignalAction>;
    fn signal_mask(&mut self, how: MaskHow, set: Option<SignalSet>) -> SignalSet;
    fn pending_signals(&mut self) -> SignalSet;
    fn alt_stack(&mut self, new: Option<AltStack>) -> KResult<AltStack>;
    /// Whether the thread currently runs on its alternate signal stack.
    fn on_alt_stack(&mut self) -> bool;
    fn kill(&mut self, target: KillTarget, signal: Option<Signal>) -> KResult<()>;
    fn kill_thread(&mut self, tgid: Option<u32>, tid: u32, signal: Option<Signal>) -> KResult<()>;
    /// sigwaitinfo/sigtimedwait: takes a pending signal from `set`, waiting
    /// until one arrives or the monotonic deadline passes (`TimedOut`).
    /// A signal outside `set` that interrupts the wait gives `Interrupted`.
    fn wait_for_signal(&mut self, set: SignalSet, deadline: Option<u64>) -> KResult<SignalInfo>;
    /// sigqueue: sends `signal` carrying `value` to a process.
    fn queue_signal(&mut self, pid: u32, signal: Signal, value: u64) -> KResult<()>;
    /// Waits with `mask` installed until a signal is delivered (always ends
    /// with `Error::Interrupted`; the old mask returns after the handler).
    fn suspend(&mut self, mask: SignalSet) -> KResult<()>;
    /// For calls that install a temporary signal mask (ppoll, pselect,
    /// epoll_pwait): when such a call is interrupted, `old` becomes the mask
    /// saved in the handler's frame, so the handler of a signal that only
    /// the temporary mask let through still runs, and the old mask returns
    /// after it (sigsuspend semantics).
    fn restore_mask_after_handler(&mut self, old: SignalSet);
    /// rt_tgsigqueueinfo: sends `signal` carrying `value` to thread `tid`
    /// of process `tgid`.
    fn queue_thread_signal(&mut self, tgid: u32, tid: u32, signal: Signal, value: u64) -> KResult<()> {
        let _ = (tgid, tid, signal, value);
        Err(Error::NotImplemented)
    }
}
