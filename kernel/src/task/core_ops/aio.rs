//! How the kernel core implements `AioOps` (asynchronous I/O contexts).

use super::*;

impl AioOps for CoreOps<'_> {
    fn aio_create(&mut self, ring_bytes: u64, slots: u32, charge: u32) -> KResult<u64> {
        // Charged from here on; dropping the context refunds it.
        let context = crate::task::aio::Context::new(charge, slots, ring_bytes).ok_or(Error::WouldBlock)?;
        let flags = MapFlags { shared: true, anonymous: true, ..MapFlags::default() };
        let ring = self.mmap(0, ring_bytes, Protection { read: true, write: true, execute: false }, flags, None, 0)?;
        context.update(&mut |s| s.ring = ring);
        self.process.aio.insert(ring, Arc::new(context));
        Ok(ring)
    }

    fn aio_update(&mut self, id: u64, change: &mut dyn FnMut(&mut AioState)) -> KResult<()> {
        self.process.aio.get(id).ok_or(Error::InvalidArgument)?.update(change);
        Ok(())
    }

    fn aio_destroy(&mut self, id: u64) -> KResult<AioState> {
        let context = self.process.aio.remove(id).ok_or(Error::InvalidArgument)?;
        let last = context.snapshot();
        // Waiters on it wake to find it gone.
        context.pollers.wake();
        drop(context);
        if last.ring_bytes > 0 {
            let _ = self.munmap(last.ring, last.ring_bytes);
        }
        Ok(last)
    }

    fn aio_wait(&mut self, id: u64, seen: u64, watch: &mut [PollRequest], deadline: Option<u64>) -> KResult<()> {
        let context = self.process.aio.get(id).ok_or(Error::InvalidArgument)?;
        let files = self.process.files();
        let process = self.process.clone();
        let waited = crate::sched::poll_wait_for(true, deadline, |table| {
            table.register(&context.pollers);
            let gone = process.aio.get(id).is_none_or(|c| !Arc::ptr_eq(&c, &context));
            (gone || context.generation() != seen || poll_ready(&files, watch, Some(table)) > 0).then_some(())
        });
        match waited {
            Ok(()) => Ok(()),
            Err(crate::sched::WaitError::TimedOut) => Err(Error::TimedOut),
            Err(crate::sched::WaitError::Interrupted) => Err(Error::Interrupted),
        }
    }

    fn add_to_counter(&mut self, fd: Fd, value: u64) -> KResult<()> {
        match &self.file(fd)?.object {
            FileObject::Counter(c) => {
                c.signal(value);
                Ok(())
            }
            _ => Err(Error::InvalidArgument),
        }
    }
}
