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
    fn create_notification_group(&mut self, options: kernel_ops::NotificationGroupOptions) -> KResult<Fd> {
        self.ipc_state.groups.push(options);
        Ok(self.new_fd())
    }
    fn mark_notification_group(
        &mut self,
        group: Fd,
        flags: u32,
        mask: u32,
        dir: DirFd,
        path: Option<&[u8]>,
    ) -> KResult<()> {
        self.open_fd(group)?;
        self.ipc_state.marks.push((group, flags, mask, dir, path.map(|p| p.to_vec())));
        Ok(())
    }
    fn remove_watch(&mut self, queue: Fd, watch: i32) -> KResult<()> {
        self.open_fd(queue)?;
        self.removed_watches.push((queue, watch));
        Ok(())
    }
    fn create_event_set(&mut self, close_on_exec: bool) -> KResult<Fd> {
        let fd = self.new_fd();
        self.ipc_state.event_sets.push((fd, close_on_exec));
        Ok(fd)
    }
    fn change_event_set(&mut self, set: Fd, change: EventSetChange, fd: Fd, interest: Interest) -> KResult<()> {
        self.open_fd(set)?;
        self.open_fd(fd)?;
        self.ipc_state.event_changes.push((set, change, fd, interest));
        Ok(())
    }
    fn wait_event_set(&mut self, set: Fd, out: &mut [ReadyEntry], deadline_ns: Option<u64>) -> KResult<usize> {
        self.open_fd(set)?;
        self.ipc_state.event_waits.push((set, out.len(), deadline_ns));
        self.ipc_state.masks_seen.push(self.signal_mask);
        let n = self.ipc_state.ready.len().min(out.len());
        for (o, (events, data)) in out.iter_mut().zip(&self.ipc_state.ready[..n]) {
            *o = ReadyEntry { events: *events, data: *data, ..ReadyEntry::default() };
        }
        Ok(n)
    }
    fn poll(&mut self, requests: &mut [PollRequest], deadline_ns: Option<u64>) -> KResult<usize> {
        self.ipc_state.polls.push((requests.iter().map(|r| (r.fd, r.wanted)).collect(), deadline_ns));
        self.ipc_state.masks_seen.push(self.signal_mask);
        let mut ready = 0;
        for r in requests.iter_mut() {
            if r.fd < 0 {
                continue;
            }
            r.returned = match self.ipc_state.poll_ready.iter().find(|p| p.0 == r.fd) {
                Some(p) => p.1,
                None if self.open_fd(r.fd).is_err() => PollEvents { invalid: true, ..PollEvents::default() },
                None => PollEvents::default(),
            };
            if r.returned != PollEvents::default() {
                ready += 1;
            }
        }
        Ok(ready)
    }
}
