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
    fn open(&mut self, dir: DirFd, path: &[u8], flags: OpenFlags, mode: u32) -> KResult<Fd> {
        unimplemented!("fake core: open")
    }
    fn close(&mut self, fd: Fd) -> KResult<()> {
        unimplemented!("fake core: close")
    }
    fn read(&mut self, fd: Fd, buf: u64, len: usize) -> KResult<usize> {
        unimplemented!("fake core: read")
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
        assert_eq!((offset, whence), (0, Whence::Current), "fake core: seek only reports the position");
        self.fds.iter().find(|f| f.0 == fd).map(|f| f.2).ok_or(Error::BadDescriptor)
    }
    fn dup(&mut self, fd: Fd, min: Fd, close_on_exec: bool) -> KResult<Fd> {
        unimplemented!("fake core: dup")
    }
    fn dup_to(&mut self, fd: Fd, to: Fd, close_on_exec: bool) -> KResult<Fd> {
        unimplemented!("fake core: dup_to")
    }
    fn close_on_exec(&mut self, fd: Fd) -> KResult<bool> {
        unimplemented!("fake core: close_on_exec")
    }
    fn set_close_on_exec(&mut self, fd: Fd, value: bool) -> KResult<()> {
        unimplemented!("fake core: set_close_on_exec")
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
        unimplemented!("fake core: fsync")
    }
    fn open_with_rules(&mut self, _: DirFd, _: &[u8], _: OpenFlags, _: u32, _: ResolveRules) -> KResult<Fd> {
        unimplemented!("fake core: open_with_rules")
    }
}
