//! How the fake core implements `SpecialFileOps` (descriptors for kernel
//! objects: pipes, memory files, counters, signal readers, timer files).

use super::*;

impl SpecialFileOps for FakeCore {
    fn pipe_capacity(&mut self, fd: Fd) -> KResult<usize> {
        self.open_fd(fd)?;
        Ok(self.pipe_capacities.iter().rev().find(|p| p.0 == fd).map_or(65536, |p| p.1))
    }
    fn set_pipe_capacity(&mut self, fd: Fd, bytes: usize) -> KResult<usize> {
        self.open_fd(fd)?;
        self.pipe_capacities.push((fd, bytes));
        Ok(bytes)
    }
    fn create_memory_file(&mut self, name: &[u8], close_on_exec: bool, allow_sealing: bool) -> KResult<Fd> {
        self.memory_files.push((name.to_vec(), close_on_exec, allow_sealing));
        Ok(self.new_fd())
    }
    fn seals(&mut self, fd: Fd) -> KResult<Seals> {
        self.open_fd(fd)?;
        Ok(self.seals)
    }
    fn add_seals(&mut self, fd: Fd, seals: Seals) -> KResult<()> {
        self.open_fd(fd)?;
        self.added_seals.push((fd, seals));
        self.seals = self.seals.union(seals);
        Ok(())
    }
    fn create_signal_reader(
        &mut self,
        mask: SignalSet,
        flags: DescriptorFlags,
        format: &'static dyn SignalRecordFormat,
    ) -> KResult<Fd> {
        let fd = self.new_fd();
        self.signal_readers.push((fd, mask, flags, format));
        Ok(fd)
    }
    fn set_signal_reader_mask(&mut self, fd: Fd, mask: SignalSet) -> KResult<()> {
        self.open_fd(fd)?;
        let r = self.signal_readers.iter_mut().find(|r| r.0 == fd).ok_or(Error::InvalidArgument)?;
        r.1 = mask;
        Ok(())
    }
    fn create_timer_file(&mut self, clock: Clock, flags: DescriptorFlags) -> KResult<Fd> {
        let fd = self.new_fd();
        self.timer_files.push((fd, clock, flags));
        Ok(fd)
    }
    fn set_timer_file(&mut self, fd: Fd, value: u64, interval: u64, absolute: bool) -> KResult<(u64, u64)> {
        self.open_fd(fd)?;
        if !self.timer_files.iter().any(|t| t.0 == fd) {
            return Err(Error::InvalidArgument);
        }
        let old = self.timer_settings.iter().rev().find(|t| t.0 == fd).map_or((0, 0), |t| (t.1, t.2));
        self.timer_settings.push((fd, value, interval, absolute));
        Ok(old)
    }
    fn get_timer_file(&mut self, fd: Fd) -> KResult<(u64, u64)> {
        self.open_fd(fd)?;
        if !self.timer_files.iter().any(|t| t.0 == fd) {
            return Err(Error::InvalidArgument);
        }
        Ok(self.timer_settings.iter().rev().find(|t| t.0 == fd).map_or((0, 0), |t| (t.1, t.2)))
    }
    fn create_counter(&mut self, initial: u64, flags: CounterFlags) -> KResult<Fd> {
        self.counters.push((initial, flags));
        Ok(9 + self.counters.len() as Fd)
    }
    fn pipe(&mut self, close_on_exec: bool, non_blocking: bool) -> KResult<(Fd, Fd)> {
        unimplemented!("fake core: pipe")
    }
}
