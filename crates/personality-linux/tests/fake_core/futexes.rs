//! How the fake core implements `FutexOps` (futexes and robust futex lists).

use super::*;

impl FutexOps for FakeCore {
    fn futex_wait(&mut self, addr: u64, expected: u32, deadline: Option<(Clock, u64)>, bitset: u32) -> KResult<()> {
        unimplemented!("fake core: futex_wait")
    }
    fn futex_wake(&mut self, addr: u64, count: u32, bitset: u32) -> KResult<u32> {
        unimplemented!("fake core: futex_wake")
    }
    fn futex_requeue(
        &mut self,
        addr: u64,
        wake: u32,
        requeue_to: u64,
        requeue: u32,
        expected: Option<u32>,
    ) -> KResult<u32> {
        unimplemented!("fake core: futex_requeue")
    }
}
