//! How the fake core implements `EventOps` (waiting for descriptors and file
//! events: poll, event sets, watch queues, notification groups).

use super::*;

impl EventOps for FakeCore {
    fn create_watch_queue(&mut self, flags: DescriptorFlags, format: &'static dyn WatchRecordFormat) -> KResult<Fd> {
        let fd = self.new_fd();
        self.watch_queues.push((fd, flags, format));
        Ok(fd)
    }
    fn add_watch(
        &mut self,
        queue: Fd,
        dir: DirFd,
        path: &[u8],
        events: WatchEvents,
        options: WatchOptions,
    ) -> KResult<i32> {
        self.open_fd(queue)?;
        if !self.watch_queues.iter().any(|q| q.0 == queue) {
            return Err(Error::InvalidArgument);
        }
        self.watches.push((queue, path.to_vec(), events, options));
        Ok(self.watches.len() as i32)
    }
    fn create_notification_group(&mut self, _options: kernel_ops::NotificationGroupOptions) -> KResult<Fd> {
        Ok(self.new_fd())
    }
    fn mark_notification_group(
        &mut self,
        group: Fd,
        _flags: u32,
        _mask: u32,
        _dir: DirFd,
        _path: Option<&[u8]>,
    ) -> KResult<()> {
        self.open_fd(group).map(|_| ())
    }
    fn remove_watch(&mut self, queue: Fd, watch: i32) -> KResult<()> {
        self.open_fd(queue)?;
        self.removed_watches.push((queue, watch));
        Ok(())
    }
    fn create_event_set(&mut self, close_on_exec: bool) -> KResult<Fd> {
        unimplemented!("fake core: create_event_set")
    }
    fn change_event_set(&mut self, set: Fd, change: EventSetChange, fd: Fd, interest: Interest) -> KResult<()> {
        unimplemented!("fake core: change_event_set")
    }
    fn wait_event_set(&mut self, set: Fd, max: usize, deadline_ns: Option<u64>) -> KResult<Vec<(PollEvents, u64)>> {
        unimplemented!("fake core: wait_event_set")
    }
    fn poll(&mut self, requests: &mut [PollRequest], deadline_ns: Option<u64>) -> KResult<usize> {
        unimplemented!("fake core: poll")
    }
}
