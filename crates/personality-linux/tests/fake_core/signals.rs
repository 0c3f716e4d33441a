//! How the fake core implements `SignalOps` (signal actions, masks, sending
//! and waiting for signals): one thread's actions, mask and pending
//! signals, with the rules the real core enforces that a personality's
//! results depend on (KILL and STOP can be neither caught nor blocked).

use super::*;

impl SignalOps for FakeCore {
    fn signal_action(&mut self, signal: Signal, new: Option<SignalAction>) -> KResult<SignalAction> {
        let slot = &mut self.signal_actions[signal.number() as usize - 1];
        let old = *slot;
        if let Some(a) = new {
            if signal.is_unblockable() {
                return Err(Error::InvalidArgument);
            }
            *slot = a;
        }
        Ok(old)
    }
    fn signal_mask(&mut self, how: MaskHow, set: Option<SignalSet>) -> SignalSet {
        let old = self.signal_mask;
        if let Some(set) = set {
            let unblockable = Signal::KILL.bit() | Signal::STOP.bit();
            self.signal_mask = SignalSet(
                match how {
                    MaskHow::Block => old.0 | set.0,
                    MaskHow::Unblock => old.0 & !set.0,
                    MaskHow::Set => set.0,
                } & !unblockable,
            );
        }
        old
    }
    fn pending_signals(&mut self) -> SignalSet {
        SignalSet(self.pending.iter().fold(0, |m, i| m | i.signal.bit()))
    }
    fn alt_stack(&mut self, new: Option<AltStack>) -> KResult<AltStack> {
        let old = self.ipc_state.alt_stack;
        if let Some(s) = new {
            self.ipc_state.alt_stack = s;
            self.ipc_state.alt_stacks_set.push(s);
        }
        Ok(old)
    }
    fn on_alt_stack(&mut self) -> bool {
        self.ipc_state.on_alt_stack
    }
    fn kill(&mut self, target: KillTarget, signal: Option<Signal>) -> KResult<()> {
        self.kills.push((Some(target), None, signal));
        Ok(())
    }
    fn kill_thread(&mut self, tgid: Option<u32>, tid: u32, signal: Option<Signal>) -> KResult<()> {
        self.kills.push((None, Some((tgid, tid)), signal));
        Ok(())
    }
    fn wait_for_signal(&mut self, set: SignalSet, deadline: Option<u64>) -> KResult<SignalInfo> {
        match self.pending.iter().position(|i| set.contains(i.signal)) {
            Some(at) => Ok(self.pending.remove(at)),
            None if deadline.is_some() => Err(Error::TimedOut),
            None => Err(Error::Interrupted),
        }
    }
    fn queue_signal(&mut self, pid: u32, signal: Signal, value: u64) -> KResult<()> {
        self.ipc_state.queued.push((pid, None, signal, value));
        Ok(())
    }
    fn suspend(&mut self, mask: SignalSet) -> KResult<()> {
        self.suspended_with.push(mask);
        Err(Error::Interrupted)
    }
    fn queue_thread_signal(&mut self, tgid: u32, tid: u32, signal: Signal, value: u64) -> KResult<()> {
        self.ipc_state.queued.push((tgid, Some(tid), signal, value));
        Ok(())
    }
    fn restore_mask_after_handler(&mut self, old: SignalSet) {
        self.ipc_state.restored_masks.push(old);
    }
}
