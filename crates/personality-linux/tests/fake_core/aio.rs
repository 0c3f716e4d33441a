//! How the fake core implements `AioOps` (asynchronous I/O contexts).

use super::*;

impl AioOps for FakeCore {
    fn aio_create(&mut self, ring_bytes: u64, slots: u32, charge: u32) -> KResult<u64> {
        if self.aio_charged + u64::from(charge) > self.aio_limit {
            return Err(Error::WouldBlock);
        }
        let ring = self.aio.iter().map(|s| s.ring + s.ring_bytes).max().unwrap_or(AIO_RINGS);
        self.range(ring, ring_bytes as usize)?;
        self.aio_charged += u64::from(charge);
        self.aio.push(AioState { ring, ring_bytes, slots, ..AioState::default() });
        Ok(ring)
    }
    fn aio_update(&mut self, id: u64, change: &mut dyn FnMut(&mut AioState)) -> KResult<()> {
        let s = self.aio.iter_mut().find(|s| s.ring == id).ok_or(Error::InvalidArgument)?;
        let before = s.clone();
        change(s);
        if *s != before {
            s.generation += 1;
        }
        Ok(())
    }
    fn aio_destroy(&mut self, id: u64) -> KResult<AioState> {
        let i = self.aio.iter().position(|s| s.ring == id).ok_or(Error::InvalidArgument)?;
        Ok(self.aio.remove(i))
    }
    /// Nothing else runs here: every wait times out.
    fn aio_wait(&mut self, id: u64, seen: u64, watch: &mut [PollRequest], deadline: Option<u64>) -> KResult<()> {
        self.aio.iter().find(|s| s.ring == id).ok_or(Error::InvalidArgument)?;
        Err(Error::TimedOut)
    }
    /// Counters are the descriptors create_counter made (from 10).
    fn add_to_counter(&mut self, fd: Fd, value: u64) -> KResult<()> {
        match usize::try_from(fd - 10).ok().and_then(|i| self.counters.get_mut(i)) {
            Some(c) => {
                c.0 += value;
                Ok(())
            }
            None => self.open_fd(fd).and(Err(Error::InvalidArgument)),
        }
    }
}
