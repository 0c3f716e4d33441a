//! How the fake core implements `DescriptorOps` (opening, closing, reading
//! and writing descriptors, and their flags).

use super::*;

impl DescriptorOps for FakeCore {
    fn close_range(&mut self, first: u32, last: u32, close_on_exec_only: bool, unshare: bool) -> KResult<()> {
        self.close_ranges.push((first, last, close_on_exec_only, unshare));
        Ok(())
    }
    fn write(&mut self, fd: Fd, buf: u64, len: usize) -> KResult<usize> {
        if fd != 1 && fd != 2 {
            return Err(Error::BadDescriptor);
        }
        let mut data = vec![0; len];
        self.copy_in(buf, &mut data)?;
        self.written.push((fd, data));
        Ok(len)
    }
    /// Recorded in `file_state.opens`; answers `file_state.next_open`
    /// (then the one after), or `file_state.answer`'s error.
    fn open(&mut self, dir: DirFd, path: &[u8], flags: OpenFlags, mode: u32) -> KResult<Fd> {
        let fs = &mut self.file_state;
        fs.opens.push((dir, path.to_vec(), flags, mode, None));
        fs.answer?;
        fs.next_open += 1;
        Ok(fs.next_open - 1)
    }
    fn close(&mut self, fd: Fd) -> KResult<()> {
        self.open_fd(fd)?;
        self.file_state.record(format!("close {fd}"))
    }
    /// Descriptors in `fds` read their file (see pread) from their
    /// position, and move it.
    fn read(&mut self, fd: Fd, buf: u64, len: usize) -> KResult<usize> {
        let pos = self.fds.iter().find(|f| f.0 == fd).map(|f| f.2).ok_or(Error::BadDescriptor)?;
        let n = self.pread(fd, buf, len, pos)?;
        self.file_state.calls.push(format!("read {fd} {len}"));
        if let Some(f) = self.fds.iter_mut().find(|f| f.0 == fd) {
            f.2 += n as u64;
        }
        Ok(n)
    }
    /// Descriptors in `fds` are files of their stat's size whose byte at
    /// offset n is b'a' + n % 26; writes to them are recorded in `written`.
    fn pread(&mut self, fd: Fd, buf: u64, len: usize, offset: u64) -> KResult<usize> {
        let size = self.fds.iter().find(|f| f.0 == fd).map(|f| f.3.meta.size).ok_or(Error::BadDescriptor)?;
        let n = (size.saturating_sub(offset) as usize).min(len);
        let data: Vec<u8> = (0..n as u64).map(|i| b'a' + ((offset + i) % 26) as u8).collect();
        self.copy_out(buf, &data)?;
        Ok(n)
    }
    fn pwrite(&mut self, fd: Fd, buf: u64, len: usize, offset: u64) -> KResult<usize> {
        self.fds.iter().find(|f| f.0 == fd).ok_or(Error::BadDescriptor)?;
        let mut data = vec![0; len];
        self.copy_in(buf, &mut data)?;
        if len > 0 {
            self.written.push((fd, data));
        }
        Ok(len)
    }
    fn seek(&mut self, fd: Fd, offset: i64, whence: Whence) -> KResult<u64> {
        let f = self.fds.iter_mut().find(|f| f.0 == fd).ok_or(Error::BadDescriptor)?;
        let base = match whence {
            Whence::Set => 0,
            Whence::Current => f.2 as i64,
            Whence::End => f.3.meta.size as i64,
            // As the kernel core: the whole file is data.
            Whence::Data | Whence::Hole => {
                let size = f.3.meta.size;
                if offset < 0 || offset as u64 >= size {
                    return Err(Error::NoSuchDeviceOrAddress);
                }
                f.2 = if whence == Whence::Data { offset as u64 } else { size };
                return Ok(f.2);
            }
        };
        let to = base.checked_add(offset).filter(|&o| o >= 0).ok_or(Error::InvalidArgument)?;
        f.2 = to as u64;
        Ok(to as u64)
    }
    fn descriptor_table_size(&mut self) -> u32 {
        self.table_size
    }
    /// The lowest descriptor at or above `min` that is not open.
    fn dup(&mut self, fd: Fd, min: Fd, close_on_exec: bool) -> KResult<Fd> {
        self.open_fd(fd)?;
        let new = (min..).find(|&f| self.open_fd(f).is_err()).ok_or(Error::TooManyOpenFiles)?;
        self.file_state.record(format!("dup {fd} {min} {close_on_exec}"))?;
        self.file_state.cloexec.push((new, close_on_exec));
        Ok(new)
    }
    fn dup_to(&mut self, fd: Fd, to: Fd, close_on_exec: bool) -> KResult<Fd> {
        self.open_fd(fd)?;
        self.file_state.record(format!("dup_to {fd} {to} {close_on_exec}"))?;
        self.file_state.cloexec.push((to, close_on_exec));
        Ok(to)
    }
    fn close_on_exec(&mut self, fd: Fd) -> KResult<bool> {
        self.open_fd(fd)?;
        self.file_state.calls.push(format!("close_on_exec {fd}"));
        Ok(self.file_state.cloexec.iter().rev().find(|c| c.0 == fd).is_some_and(|c| c.1))
    }
    fn set_close_on_exec(&mut self, fd: Fd, value: bool) -> KResult<()> {
        self.open_fd(fd)?;
        self.file_state.cloexec.push((fd, value));
        Ok(())
    }
    fn status_flags(&mut self, fd: Fd) -> KResult<(OpenFlags, StatusFlags)> {
        if let Some(f) = self.fds.iter().find(|f| f.0 == fd) {
            return Ok((f.1, StatusFlags::default()));
        }
        self.open_fd(fd).map(|_| (OpenFlags::default(), StatusFlags::default()))
    }
    fn set_status_flags(&mut self, fd: Fd, flags: StatusFlags) -> KResult<()> {
        unimplemented!("fake core: set_status_flags")
    }
    fn fsync(&mut self, fd: Fd) -> KResult<()> {
        self.open_fd(fd)?;
        self.file_state.record(format!("fsync {fd}"))
    }
    fn open_with_rules(
        &mut self,
        dir: DirFd,
        path: &[u8],
        flags: OpenFlags,
        mode: u32,
        rules: ResolveRules,
    ) -> KResult<Fd> {
        let fs = &mut self.file_state;
        fs.opens.push((dir, path.to_vec(), flags, mode, Some(rules)));
        fs.answer?;
        fs.next_open += 1;
        Ok(fs.next_open - 1)
    }
}
