//! How the kernel core implements `SpecialFileOps` (descriptors for kernel
//! objects: pipes, memory files, counters, signal readers, timer files).

use super::*;

impl SpecialFileOps for CoreOps<'_> {
    fn pipe(&mut self, close_on_exec: bool, non_blocking: bool) -> KResult<(Fd, Fd)> {
        let pipe = Pipe::new();
        let base = OpenFlags { non_blocking, ..Default::default() };
        let r = OpenFile::new(FileObject::PipeReader(pipe.clone()), OpenFlags { read: true, ..base }, Vec::new());
        let w = OpenFile::new(FileObject::PipeWriter(pipe), OpenFlags { write: true, ..base }, Vec::new());
        let rfd = self.install(r, close_on_exec)?;
        match self.install(w, close_on_exec) {
            Ok(wfd) => Ok((rfd, wfd)),
            Err(e) => {
                let _ = self.close(rfd);
                Err(e)
            }
        }
    }

    fn pipe_capacity(&mut self, fd: Fd) -> KResult<usize> {
        let file = self.file(fd)?;
        Ok(fs::splice::pipe_of(&file).ok_or(Error::BadDescriptor)?.capacity())
    }

    fn set_pipe_capacity(&mut self, fd: Fd, bytes: usize) -> KResult<usize> {
        let file = self.file(fd)?;
        let pipe = fs::splice::pipe_of(&file).ok_or(Error::BadDescriptor)?;
        let privileged = self.has(Privilege::SysResource);
        pipe.set_capacity(bytes, privileged)
    }

    fn create_memory_file(&mut self, name: &[u8], close_on_exec: bool, allow_sealing: bool) -> KResult<Fd> {
        let c = *self.process.creds.lock();
        let file = fs::memfd::create(name, c.euid, c.egid, allow_sealing)?;
        self.install(file, close_on_exec)
    }

    fn seals(&mut self, fd: Fd) -> KResult<Seals> {
        let node = self.file(fd)?.node().ok_or(Error::InvalidArgument)?;
        fs::memfd::seals(node).ok_or(Error::InvalidArgument)
    }

    fn add_seals(&mut self, fd: Fd, seals: Seals) -> KResult<()> {
        let file = self.file(fd)?;
        fs::memfd::add_seals(&file, seals)
    }

    fn create_counter(&mut self, initial: u64, flags: CounterFlags) -> KResult<Fd> {
        let counter = fs::eventfd::Counter::new(initial, flags.semaphore);
        let opened = OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..Default::default() };
        let f = OpenFile::new(FileObject::Counter(counter), opened, b"anon_inode:[eventfd]".to_vec());
        self.install(f, flags.close_on_exec)
    }

    fn create_signal_reader(
        &mut self,
        SignalSet(mask): SignalSet,
        flags: DescriptorFlags,
        format: &'static dyn SignalRecordFormat,
    ) -> KResult<Fd> {
        let reader = fs::signalfd::SignalReader::new(mask, format);
        // Read-write, as on Linux: a write is EINVAL, not EBADF.
        let opened = OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..Default::default() };
        self.install(
            OpenFile::new(FileObject::SignalReader(reader), opened, b"anon_inode:[signalfd]".to_vec()),
            flags.close_on_exec,
        )
    }

    fn set_signal_reader_mask(&mut self, fd: Fd, SignalSet(mask): SignalSet) -> KResult<()> {
        match &self.file(fd)?.object {
            FileObject::SignalReader(r) => {
                r.set_mask(mask);
                Ok(())
            }
            _ => Err(Error::InvalidArgument),
        }
    }

    fn create_timer_file(&mut self, clock: Clock, flags: DescriptorFlags) -> KResult<Fd> {
        if !matches!(clock, Clock::Realtime | Clock::Monotonic | Clock::Boottime) {
            return Err(Error::InvalidArgument);
        }
        let opened = OpenFlags { read: true, write: true, non_blocking: flags.non_blocking, ..Default::default() };
        self.install(
            OpenFile::new(FileObject::Timer(fs::timerfd::Timer::new(clock)), opened, b"anon_inode:[timerfd]".to_vec()),
            flags.close_on_exec,
        )
    }

    fn set_timer_file(&mut self, fd: Fd, value: u64, interval: u64, absolute: bool) -> KResult<(u64, u64)> {
        match &self.file(fd)?.object {
            FileObject::Timer(t) => Ok(t.set(value, interval, absolute)),
            _ => Err(Error::InvalidArgument),
        }
    }

    fn get_timer_file(&mut self, fd: Fd) -> KResult<(u64, u64)> {
        match &self.file(fd)?.object {
            FileObject::Timer(t) => Ok(t.get()),
            _ => Err(Error::InvalidArgument),
        }
    }
}
