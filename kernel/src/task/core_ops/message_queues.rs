//! How the kernel core implements `MessageQueueOps` (POSIX message queues).

use super::*;

impl MessageQueueOps for CoreOps<'_> {
    fn mq_open(&mut self, name: &[u8], flags: OpenFlags, mode: u32, attr: Option<(i64, i64)>) -> KResult<Fd> {
        let caller = crate::sysv::caller(self.process);
        let want = if flags.read { 4 } else { 0 } | if flags.write { 2 } else { 0 };
        let mode = mode & !self.current_umask();
        let q = fs::mqueue::open(&caller, name, flags.create, flags.exclusive, want, mode, attr)?;
        let opened =
            OpenFlags { read: flags.read, write: flags.write, non_blocking: flags.non_blocking, ..Default::default() };
        let mut path = b"/".to_vec();
        path.extend_from_slice(name);
        self.install(OpenFile::new(FileObject::MessageQueue(q), opened, path), flags.close_on_exec)
    }

    fn mq_unlink(&mut self, name: &[u8]) -> KResult<()> {
        fs::mqueue::unlink(&crate::sysv::caller(self.process), name)
    }

    fn mq_send(&mut self, fd: Fd, data: &[u8], prio: u32, deadline: Option<u64>) -> KResult<()> {
        let file = self.file(fd)?;
        let FileObject::MessageQueue(q) = &file.object else { return Err(Error::BadDescriptor) };
        if !file.can_write() {
            return Err(Error::BadDescriptor);
        }
        let deadline = deadline.map(|d| self.monotonic_deadline(Clock::Realtime, d));
        q.send(&crate::sysv::caller(self.process), data, prio, file.non_blocking(), deadline)
    }

    fn mq_receive(&mut self, fd: Fd, max: usize, deadline: Option<u64>) -> KResult<(u32, Vec<u8>)> {
        let file = self.file(fd)?;
        let FileObject::MessageQueue(q) = &file.object else { return Err(Error::BadDescriptor) };
        if !file.can_read() {
            return Err(Error::BadDescriptor);
        }
        let deadline = deadline.map(|d| self.monotonic_deadline(Clock::Realtime, d));
        q.receive(max, file.non_blocking(), deadline)
    }

    fn mq_notify(&mut self, fd: Fd, notify: Option<sysv_ipc::mqueue::Notify>) -> KResult<()> {
        let file = self.file(fd)?;
        let FileObject::MessageQueue(q) = &file.object else { return Err(Error::BadDescriptor) };
        q.set_notify(self.process.pid, notify)
    }

    fn mq_attributes(&mut self, fd: Fd) -> KResult<(i64, i64, i64)> {
        let file = self.file(fd)?;
        let FileObject::MessageQueue(q) = &file.object else { return Err(Error::BadDescriptor) };
        Ok(q.attributes())
    }
}
