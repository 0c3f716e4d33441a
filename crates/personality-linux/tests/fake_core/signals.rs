//! How the fake core implements `SignalOps` (signal actions, masks, sending
//! and waiting for signals).

use super::*;

impl SignalOps for FakeCore {
    fn signal_action(&mut self, signal: Signal, new: Option<SignalAction>) -> KResult<SignalAction> {
        unimplemented!("fake core: signal_action")
    }
    fn signal_mask(&mut self, how: MaskHow, set: Option<u64>) -> u64 {
        unimplemented!("fake core: signal_mask")
    }
    fn pending_signals(&mut self) -> u64 {
        unimplemented!("fake core: pending_signals")
    }
    fn alt_stack(&mut self, new: Option<AltStack>) -> KResult<AltStack> {
        unimplemented!("fake core: alt_stack")
    }
    fn on_alt_stack(&mut self) -> bool {
        unimplemented!("fake core: on_alt_stack")
    }
    fn kill(&mut self, target: KillTarget, signal: Option<Signal>) -> KResult<()> {
        unimplemented!("fake core: kill")
    }
    fn kill_thread(&mut self, tgid: Option<u32>, tid: u32, signal: Option<Signal>) -> KResult<()> {
        unimplemented!("fake core: kill_thread")
    }
    fn wait_for_signal(&mut self, set: u64, deadline: Option<u64>) -> KResult<SignalInfo> {
        unimplemented!("fake core: wait_for_signal")
    }
    fn queue_signal(&mut self, pid: u32, signal: Signal, value: u64) -> KResult<()> {
        unimplemented!("fake core: queue_signal")
    }
    fn suspend(&mut self, mask: u64) -> KResult<()> {
        unimplemented!("fake core: suspend")
    }
    fn restore_mask_after_handler(&mut self, old: u64) {
        unimplemented!("fake core: restore_mask_after_handler")
    }
}
