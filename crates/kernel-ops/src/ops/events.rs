//! Waiting for descriptors and file events: poll, event sets, watch queues,
//! notification groups: one part of the core's surface,
//! [`crate::KernelOps`].

use crate::{
    DescriptorFlags, DirFd, EventSetChange, Fd, Interest, KResult, PollRequest, ReadyEntry, WatchEvents, WatchOptions,
};

/// Waiting for descriptors and reporting file events: poll, event sets
/// (epoll), watch queues (inotify) and notification groups (fanotify).
pub trait EventOps {
    /// A watch queue (inotify): reading it takes queued file events as
    /// records in `format`, blocking while there are none.
    fn create_watch_queue(
        &mut self,
        flags: DescriptorFlags,
        format: &'static dyn crate::WatchRecordFormat,
    ) -> KResult<Fd>;
    /// Watches what `path` names for `events`; returns the watch
    /// descriptor (the same one again for a node already watched).
    fn add_watch(
        &mut self,
        queue: Fd,
        dir: DirFd,
        path: &[u8],
        events: WatchEvents,
        options: WatchOptions,
    ) -> KResult<i32>;
    /// Removes a watch; its IGNORED event is queued.
    fn remove_watch(&mut self, queue: Fd, watch: i32) -> KResult<()>;
    /// A notification group (fanotify): marks on files, mounts and file
    /// systems; reading it takes events as `struct fanotify_event_metadata`
    /// records, each with a new descriptor for the file (opened with
    /// `options.event_file`), and permission events wait for an answer
    /// written to it. Flags and masks are in fanotify's own numbering
    /// (`crates/fanotify`'s `bits`), checked by the personality.
    fn create_notification_group(&mut self, options: crate::NotificationGroupOptions) -> KResult<Fd>;
    /// fanotify_mark on the object `path` names from `dir` (None: `dir`
    /// itself): adds to, removes from or flushes the group's marks.
    fn mark_notification_group(
        &mut self,
        group: Fd,
        flags: u32,
        mask: u32,
        dir: DirFd,
        path: Option<&[u8]>,
    ) -> KResult<()>;
    /// An event set: a descriptor holding an interest list of other
    /// descriptors, waited on as a whole (epoll). Level-triggered.
    fn create_event_set(&mut self, close_on_exec: bool) -> KResult<Fd>;
    fn change_event_set(&mut self, set: Fd, change: EventSetChange, fd: Fd, interest: Interest) -> KResult<()>;
    /// Fills `out` with up to `out.len()` ready entries and returns how
    /// many; waits like `poll` (for at least one). The
    /// caller's buffer, not a returned vector: an epoll_wait allocates
    /// nothing.
    fn wait_event_set(&mut self, set: Fd, out: &mut [ReadyEntry], deadline_ns: Option<u64>) -> KResult<usize>;
    /// Waits until some request is ready or the deadline passes (None:
    /// forever; Some(0) polls). Returns how many requests have events.
    fn poll(&mut self, requests: &mut [PollRequest], deadline_ns: Option<u64>) -> KResult<usize>;
}
