//! How the fake core implements `TimeOps` (clocks and sleeping).

use super::*;

impl TimeOps for FakeCore {
    fn clock(&mut self, clock: Clock) -> KResult<u64> {
        Ok(1_700_000_000_123_456_789)
    }
    fn clock_resolution(&self, clock: Clock) -> u64 {
        unimplemented!("fake core: clock_resolution")
    }
    fn sleep_until(&mut self, clock: Clock, deadline: u64) -> KResult<()> {
        unimplemented!("fake core: sleep_until")
    }
    fn set_realtime(&mut self, ns_since_epoch: u64) -> KResult<()> {
        unimplemented!("fake core: set_realtime")
    }
}
