//! The core's surface, as every personality sees it.

use crate::scheduling::*;
use crate::socket::*;
use crate::trace::*;
use crate::types::*;
use crate::{Credentials, Error, FpuImage, KResult, UserContext};
use alloc::vec::Vec;

/// Operations the kernel core offers to personalities, on behalf of the
/// calling thread. User addresses are plain `u64`s: allegations that the
/// core validates on every access (an invalid one is `Error::Fault`).
pub trait KernelOps {
    // ---- the calling thread's registers and user memory ----

    /// The user context saved at kernel entry; writing it changes where and
    /// how the thread resumes (the arch code sanitises it on the way out).
    fn context(&mut self) -> &mut UserContext;
    fn copy_in(&mut self, addr: u64, buf: &mut [u8]) -> KResult<()>;
    fn copy_out(&mut self, addr: u64, data: &[u8]) -> KResult<()>;
    /// A NUL-terminated string of at most `max` bytes (without the NUL);
    /// longer is `Error::NameTooLong`.
    fn copy_in_cstring(&mut self, addr: u64, max: usize) -> KResult<Vec<u8>>;
    /// The thread's floating-point state (for signal frames), and its
    /// replacement.
    fn fpu_state(&mut self) -> FpuImage;
    fn set_fpu_state(&mut self, state: &FpuImage);
    /// The thread pointer (thread-local storage's base).
    fn thread_pointer(&mut self) -> u64;
    fn set_thread_pointer(&mut self, value: u64) -> KResult<()>;
    /// One log line naming an unsupported feature, the process and its binary.
    fn log_unsupported(&mut self, what: core::fmt::Arguments<'_>);
    /// One line of the system-call log (`--trace`); a core without one
    /// drops it.
    fn log_syscall(&mut self, line: &str) {
        let _ = line;
    }

    // ---- identity ----

    fn pid(&self) -> u32;
    fn tid(&self) -> u32;
    fn parent_pid(&self) -> u32;
    fn process_group(&mut self, pid: u32) -> KResult<u32>;
    fn set_process_group(&mut self, pid: u32, pgid: u32) -> KResult<()>;
    fn session(&mut self, pid: u32) -> KResult<u32>;
    fn new_session(&mut self) -> KResult<u32>;
    fn credentials(&self) -> Credentials;
    /// Another process's credentials (0: the caller's); `NoSuchProcess`.
    fn credentials_of(&mut self, pid: u32) -> KResult<Credentials>;
    fn set_credentials(&mut self, creds: Credentials) -> KResult<()>;
    /// The supplementary group ids, in ascending order.
    fn groups(&self) -> Vec<u32>;
    /// Replaces the supplementary groups (kept sorted, duplicates
    /// dropped); only a privileged caller may (`NotPermitted`).
    fn set_groups(&mut self, groups: &[u32]) -> KResult<()>;
    fn thread_name(&self) -> [u8; 16];
    fn set_thread_name(&mut self, name: &[u8]);

    // ---- life cycle ----

    fn clone_task(&mut self, args: &CloneArgs) -> KResult<u32>;
    /// Replaces the program. The core loads the binary, picks the
    /// personality its format asks for, and has that personality build the
    /// initial stack and registers ([`crate::Personality::start_program`]).
    /// On success the caller's old program is gone: return without
    /// touching the registers.
    fn exec(&mut self, path: &[u8], argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()>;
    /// exec (execveat) of `path` from `dir`, or of `dir`'s own file when
    /// `path` is empty; a final symlink is `Loop` unless `follow`.
    fn exec_at(&mut self, dir: DirFd, path: &[u8], follow: bool, argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()>;
    /// Keeps the auxiliary vector a personality gave the new program (its
    /// raw bytes), for debuggers (/proc/<pid>/auxv).
    fn record_auxv(&mut self, _auxv: &[u8]) {}
    /// Ends the thread (or, with `group`, every thread of the process).
    /// The dispatcher must not touch the thread's state afterwards.
    fn exit(&mut self, code: u8, group: bool);
    fn wait(&mut self, target: WaitTarget, options: WaitOptions) -> KResult<Option<WaitResult>>;
    fn set_clear_child_tid(&mut self, addr: u64);
    fn yield_now(&mut self);
    fn futex_wait(&mut self, addr: u64, expected: u32, deadline: Option<(Clock, u64)>, bitset: u32) -> KResult<()>;
    fn futex_wake(&mut self, addr: u64, count: u32, bitset: u32) -> KResult<u32>;
    fn futex_requeue(
        &mut self,
        addr: u64,
        wake: u32,
        requeue_to: u64,
        requeue: u32,
        expected: Option<u32>,
    ) -> KResult<u32>;
    fn limit(&self, resource: Resource) -> Limit;
    fn set_limit(&mut self, resource: Resource, limit: Limit) -> KResult<()>;
    /// (user, system) CPU time in ns: of the process, or of its reaped children.
    fn cpu_times(&self, children: bool) -> (u64, u64);
    /// CPU time, peak memory, faults and context switches (getrusage).
    fn resource_usage(&mut self, target: UsageTarget) -> ResourceUsage;
    fn task_setting(&mut self, which: TaskSetting) -> u64;
    /// The nice value (-20..=19) of the most favoured process `target`
    /// names (`NoSuchProcess` when none).
    fn nice(&mut self, target: PriorityTarget) -> KResult<i32>;
    /// Sets the nice value (clamped to -20..=19) of every process `target`
    /// names. Lowering it needs privilege (`PermissionDenied`); changing
    /// another user's process too (`NotPermitted`).
    fn set_nice(&mut self, target: PriorityTarget, nice: i32) -> KResult<()>;
    fn set_task_setting(&mut self, which: TaskSetting, value: u64) -> KResult<()>;

    // ---- memory ----

    fn brk(&mut self, new_end: u64) -> u64;
    fn mmap(
        &mut self,
        addr: u64,
        len: u64,
        prot: Protection,
        flags: MapFlags,
        fd: Option<Fd>,
        offset: u64,
    ) -> KResult<u64>;
    fn munmap(&mut self, addr: u64, len: u64) -> KResult<()>;
    fn mprotect(&mut self, addr: u64, len: u64, prot: Protection) -> KResult<()>;
    /// Drops the pages of private mappings in the range: the next touch
    /// sees fresh zeros (anonymous) or the file again (MADV_DONTNEED).
    fn discard_pages(&mut self, addr: u64, len: u64) -> KResult<()>;
    /// Writes shared file mappings in the range back to their files (msync).
    /// `Busy` when `invalidate` meets locked memory, `NoMemory` when part
    /// of the range is not mapped (after syncing the rest), as Linux.
    fn sync_mappings(&mut self, addr: u64, len: u64, invalidate: bool) -> KResult<()>;
    fn mremap(&mut self, old: u64, old_len: u64, new_len: u64, may_move: bool, fixed: Option<u64>) -> KResult<u64>;

    // ---- signals ----

    fn signal_action(&mut self, signal: Signal, new: Option<SignalAction>) -> KResult<SignalAction>;
    fn signal_mask(&mut self, how: MaskHow, set: Option<u64>) -> u64;
    fn pending_signals(&mut self) -> u64;
    fn alt_stack(&mut self, new: Option<AltStack>) -> KResult<AltStack>;
    /// Whether the thread currently runs on its alternate signal stack.
    fn on_alt_stack(&mut self) -> bool;
    fn kill(&mut self, target: KillTarget, signal: Option<Signal>) -> KResult<()>;
    fn kill_thread(&mut self, tgid: Option<u32>, tid: u32, signal: Option<Signal>) -> KResult<()>;
    /// sigwaitinfo/sigtimedwait: takes a pending signal from `set`, waiting
    /// until one arrives or the monotonic deadline passes (`TimedOut`).
    /// A signal outside `set` that interrupts the wait gives `Interrupted`.
    fn wait_for_signal(&mut self, set: u64, deadline: Option<u64>) -> KResult<SignalInfo>;
    /// sigqueue: sends `signal` carrying `value` to a process.
    fn queue_signal(&mut self, pid: u32, signal: Signal, value: u64) -> KResult<()>;
    /// Waits with `mask` installed until a signal is delivered (always ends
    /// with `Error::Interrupted`; the old mask returns after the handler).
    fn suspend(&mut self, mask: u64) -> KResult<()>;
    /// POSIX timers (timer_create and friends). Times are ns; `set_timer`
    /// returns the previous (remaining, interval); a deadline is on `clock`
    /// when `absolute`, else relative.
    fn create_timer(&mut self, clock: Clock, notify: TimerNotify) -> KResult<u32>;
    fn set_timer(&mut self, id: u32, value: u64, interval: u64, absolute: bool) -> KResult<(u64, u64)>;
    fn get_timer(&mut self, id: u32) -> KResult<(u64, u64, u32)>;
    fn delete_timer(&mut self, id: u32) -> KResult<()>;
    /// For calls that install a temporary signal mask (ppoll, pselect,
    /// epoll_pwait): when such a call is interrupted, `old` becomes the mask
    /// saved in the handler's frame, so the handler of a signal that only
    /// the temporary mask let through still runs, and the old mask returns
    /// after it (sigsuspend semantics).
    fn restore_mask_after_handler(&mut self, old: u64);
    /// Arms (value > 0) or disarms an interval timer of the process: it
    /// fires after `value_ns` of its clock, then every `interval_ns` (0:
    /// once). Returns the old (time left, interval) in ns.
    fn set_interval_timer(&mut self, which: IntervalTimer, value_ns: u64, interval_ns: u64) -> (u64, u64);
    /// (time left, interval) of an interval timer; (0, 0) when disarmed.
    fn interval_timer(&mut self, which: IntervalTimer) -> (u64, u64);

    // ---- files ----

    fn open(&mut self, dir: DirFd, path: &[u8], flags: OpenFlags, mode: u32) -> KResult<Fd>;
    /// open, with the path walked under `rules` (openat2).
    fn open_with_rules(
        &mut self,
        dir: DirFd,
        path: &[u8],
        flags: OpenFlags,
        mode: u32,
        rules: ResolveRules,
    ) -> KResult<Fd>;
    fn close(&mut self, fd: Fd) -> KResult<()>;
    /// Closes every open descriptor from `first` to `last` (or only marks
    /// them close-on-exec), after giving the process a private descriptor
    /// table when `unshare`.
    fn close_range(&mut self, first: u32, last: u32, close_on_exec_only: bool, unshare: bool) -> KResult<()>;
    fn read(&mut self, fd: Fd, buf: u64, len: usize) -> KResult<usize>;
    fn write(&mut self, fd: Fd, buf: u64, len: usize) -> KResult<usize>;
    fn pread(&mut self, fd: Fd, buf: u64, len: usize, offset: u64) -> KResult<usize>;
    fn pwrite(&mut self, fd: Fd, buf: u64, len: usize, offset: u64) -> KResult<usize>;
    fn seek(&mut self, fd: Fd, offset: i64, whence: Whence) -> KResult<u64>;
    fn stat(&mut self, dir: DirFd, path: &[u8], follow: bool) -> KResult<FileStat>;
    /// Extended attributes (`namespace.name`): the core applies the
    /// namespaces' permission rules (user: the file's read or write
    /// permission, regular files and directories only; trusted: SysAdmin;
    /// security: SysAdmin to change; others NotSupported) and the file
    /// system stores them (`NotSupported` where it cannot).
    fn get_xattr(&mut self, target: NodeTarget<'_>, name: &[u8]) -> KResult<Vec<u8>>;
    fn set_xattr(&mut self, target: NodeTarget<'_>, name: &[u8], value: &[u8], how: vfs::XattrSet) -> KResult<()>;
    /// The names the caller may see (trusted.* only with SysAdmin).
    fn list_xattr(&mut self, target: NodeTarget<'_>) -> KResult<Vec<Vec<u8>>>;
    fn remove_xattr(&mut self, target: NodeTarget<'_>, name: &[u8]) -> KResult<()>;
    fn fstat(&mut self, fd: Fd) -> KResult<FileStat>;
    /// statfs(2): the file system holding what `path` names.
    fn fs_info(&mut self, dir: DirFd, path: &[u8], follow: bool) -> KResult<FsInfo>;
    /// fstatfs(2): the file system holding what `fd` refers to.
    fn fd_fs_info(&mut self, fd: Fd) -> KResult<FsInfo>;
    fn read_link(&mut self, dir: DirFd, path: &[u8]) -> KResult<Vec<u8>>;
    /// Emits directory entries from the fd's position; `emit` returns false
    /// when the caller's buffer is full (that entry is not consumed).
    fn read_dir(&mut self, fd: Fd, emit: &mut dyn FnMut(&DirEntryInfo<'_>) -> bool) -> KResult<()>;
    fn make_dir(&mut self, dir: DirFd, path: &[u8], mode: u32) -> KResult<()>;
    fn make_node(&mut self, dir: DirFd, path: &[u8], node: vfs::FileType, mode: u32, rdev: (u32, u32)) -> KResult<()>;
    fn unlink(&mut self, dir: DirFd, path: &[u8], remove_dir: bool) -> KResult<()>;
    fn rename(&mut self, old_dir: DirFd, old: &[u8], new_dir: DirFd, new: &[u8], no_replace: bool) -> KResult<()>;
    fn link(&mut self, old_dir: DirFd, old: &[u8], new_dir: DirFd, new: &[u8], follow: bool) -> KResult<()>;
    fn symlink(&mut self, target: &[u8], dir: DirFd, path: &[u8]) -> KResult<()>;
    fn chmod(&mut self, dir: DirFd, path: &[u8], mode: u32, follow: bool) -> KResult<()>;
    fn fchmod(&mut self, fd: Fd, mode: u32) -> KResult<()>;
    fn chown(&mut self, dir: DirFd, path: &[u8], uid: Option<u32>, gid: Option<u32>, follow: bool) -> KResult<()>;
    fn fchown(&mut self, fd: Fd, uid: Option<u32>, gid: Option<u32>) -> KResult<()>;
    /// Times in ns since the epoch; None leaves one unchanged, `Some(None)`
    /// inside means "now". `path` None means the fd itself (futimens).
    fn set_times(
        &mut self,
        dir: DirFd,
        path: Option<&[u8]>,
        atime: Option<Option<(i64, u32)>>,
        mtime: Option<Option<(i64, u32)>>,
        follow: bool,
    ) -> KResult<()>;
    fn truncate(&mut self, dir: DirFd, path: &[u8], len: u64) -> KResult<()>;
    fn ftruncate(&mut self, fd: Fd, len: u64) -> KResult<()>;
    /// `want` is a set of R=4/W=2/X=1 bits; 0 checks existence.
    fn access(&mut self, dir: DirFd, path: &[u8], want: u32, effective_ids: bool, follow: bool) -> KResult<()>;
    fn chdir(&mut self, path: &[u8]) -> KResult<()>;
    fn fchdir(&mut self, fd: Fd) -> KResult<()>;
    fn chroot(&mut self, path: &[u8]) -> KResult<()>;
    fn getcwd(&mut self) -> KResult<Vec<u8>>;
    fn umask(&mut self, new: u32) -> u32;
    /// dup (lowest free ≥ min) or dup2/dup3 (exactly `to`).
    fn dup(&mut self, fd: Fd, min: Fd, close_on_exec: bool) -> KResult<Fd>;
    fn dup_to(&mut self, fd: Fd, to: Fd, close_on_exec: bool) -> KResult<Fd>;
    fn close_on_exec(&mut self, fd: Fd) -> KResult<bool>;
    fn set_close_on_exec(&mut self, fd: Fd, value: bool) -> KResult<()>;
    /// The open file's access mode and status flags.
    fn status_flags(&mut self, fd: Fd) -> KResult<(OpenFlags, StatusFlags)>;
    fn set_status_flags(&mut self, fd: Fd, flags: StatusFlags) -> KResult<()>;
    fn pipe(&mut self, close_on_exec: bool, non_blocking: bool) -> KResult<(Fd, Fd)>;
    /// How many bytes the pipe (or FIFO) behind `fd` holds at most
    /// (`BadDescriptor` for other kinds).
    fn pipe_capacity(&mut self, fd: Fd) -> KResult<usize>;
    /// Resizes it to `bytes` (the personality has rounded it): growing
    /// past the system's maximum needs privilege (`NotPermitted`), and it
    /// cannot shrink below what it holds (`Busy`). Returns the capacity.
    fn set_pipe_capacity(&mut self, fd: Fd, bytes: usize) -> KResult<usize>;
    /// A memory file (memfd): a regular file in memory that no directory
    /// lists, named `name` in /proc links. Without `allow_sealing` it
    /// starts sealed against further seals.
    fn create_memory_file(&mut self, name: &[u8], close_on_exec: bool, allow_sealing: bool) -> KResult<Fd>;
    /// The seals of the memory file behind `fd` (`InvalidArgument` for
    /// other kinds of file).
    fn seals(&mut self, fd: Fd) -> KResult<Seals>;
    /// Adds seals: `NotPermitted` when sealing is sealed or `fd` is not
    /// open for writing, `Busy` for a write seal while writable shared
    /// mappings exist.
    fn add_seals(&mut self, fd: Fd, seals: Seals) -> KResult<()>;
    /// A counter descriptor (eventfd): a read takes the count (or 1) as 8
    /// bytes, blocking at zero; a write adds an 8-byte value, blocking when
    /// the count would pass `u64::MAX - 1`.
    fn create_counter(&mut self, initial: u64, flags: CounterFlags) -> KResult<Fd>;
    /// A signal reader (signalfd): reading it takes the reading thread's
    /// pending signals that are in `mask` (its own first, then its
    /// process's) as records in `format`, blocking while there are none;
    /// it polls readable while one is pending. KILL and STOP never count.
    fn create_signal_reader(
        &mut self,
        mask: u64,
        flags: DescriptorFlags,
        format: &'static dyn crate::SignalRecordFormat,
    ) -> KResult<Fd>;
    /// Replaces a signal reader's mask (`InvalidArgument` for another kind).
    fn set_signal_reader_mask(&mut self, fd: Fd, mask: u64) -> KResult<()>;
    /// A timer descriptor (timerfd) on `clock` (Realtime, Monotonic or
    /// Boottime), disarmed: a read takes the number of expirations since
    /// the last read as 8 native-endian bytes, blocking at zero.
    fn create_timer_file(&mut self, clock: Clock, flags: DescriptorFlags) -> KResult<Fd>;
    /// Arms (value > 0) or disarms (value 0) it: the first expiry `value`
    /// ns from now, or at `value` on its clock when `absolute`; then every
    /// `interval` ns (0: once). Pending expirations are dropped. Returns
    /// the previous (time left, interval).
    fn set_timer_file(&mut self, fd: Fd, value: u64, interval: u64, absolute: bool) -> KResult<(u64, u64)>;
    /// (time left until the next expiry, 0 when disarmed; interval).
    fn get_timer_file(&mut self, fd: Fd) -> KResult<(u64, u64)>;
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
    /// flock(2): a whole-file lock owned by the open file behind `fd`
    /// (None unlocks). A conflict is `WouldBlock` without `wait`; waiting
    /// ends early with `Restart` when a signal comes. Changing the kind of
    /// a held lock releases it first, then waits (as Linux does).
    fn lock_file(&mut self, fd: Fd, kind: Option<LockKind>, wait: bool) -> KResult<()>;
    /// Byte-range lock (fcntl) on `range` of the file behind `fd`, owned as
    /// `scope` says; None unlocks. Conflicts as for `lock_file`; a wait
    /// that would deadlock fails with `Deadlock`.
    fn lock_range(
        &mut self,
        fd: Fd,
        kind: Option<LockKind>,
        range: LockRange,
        scope: LockScope,
        wait: bool,
    ) -> KResult<()>;
    /// The first lock of another owner that would keep `scope`'s owner
    /// from taking `kind` on `range` (F_GETLK); None if there is none.
    fn test_lock_range(
        &mut self,
        fd: Fd,
        kind: LockKind,
        range: LockRange,
        scope: LockScope,
    ) -> KResult<Option<LockHolder>>;
    /// A process handle (pidfd) for the process `pid` (which must exist and
    /// lead its thread group: `NoSuchProcess` otherwise). Always
    /// close-on-exec, as on Linux.
    fn open_process_handle(&mut self, pid: u32, non_blocking: bool) -> KResult<Fd>;
    /// Sends `signal` (None: only checks) to the process `fd` names: a
    /// process handle, or a /proc/<pid> directory; gives its pid.
    /// `BadDescriptor` for any other descriptor, `NoSuchProcess` once the
    /// process has exited.
    fn signal_process_handle(&mut self, fd: Fd, signal: Option<Signal>) -> KResult<u32>;
    /// The pid of the process a process handle names (waitid's P_PIDFD),
    /// zombie or not; None once it has been reaped. `BadDescriptor` for
    /// any other descriptor.
    fn process_handle_pid(&mut self, fd: Fd) -> KResult<Option<u32>> {
        let _ = fd;
        Err(Error::BadDescriptor)
    }
    /// An event set: a descriptor holding an interest list of other
    /// descriptors, waited on as a whole (epoll). Level-triggered.
    fn create_event_set(&mut self, close_on_exec: bool) -> KResult<Fd>;
    fn change_event_set(&mut self, set: Fd, change: EventSetChange, fd: Fd, interest: Interest) -> KResult<()>;
    /// Up to `max` ready entries as (events, data); waits like `poll`.
    fn wait_event_set(&mut self, set: Fd, max: usize, deadline_ns: Option<u64>) -> KResult<Vec<(PollEvents, u64)>>;
    /// Copies up to `count` bytes from `input` (at `offset`, or its file
    /// position) to `output` inside the kernel (sendfile, copy_file_range).
    /// Returns bytes moved and the offset after them when one was given.
    fn transfer(&mut self, output: Fd, input: Fd, offset: Option<u64>, count: usize) -> KResult<(usize, Option<u64>)>;
    /// copy_file_range: copies up to `count` bytes between two regular
    /// files, each at its offset when given (its file position otherwise,
    /// which then advances). Returns the bytes copied (0 at the end).
    fn copy_range(
        &mut self,
        input: Fd,
        in_offset: Option<u64>,
        output: Fd,
        out_offset: Option<u64>,
        count: usize,
    ) -> KResult<usize>;
    /// splice: moves up to `count` bytes from `input` to `output`, one of
    /// which is a pipe; the other side is read or written at its offset
    /// when given. A pipe side with an offset is `IllegalSeek`; neither a
    /// pipe is `InvalidArgument`. Returns the bytes moved.
    fn splice(
        &mut self,
        input: Fd,
        in_offset: Option<u64>,
        output: Fd,
        out_offset: Option<u64>,
        count: usize,
        flags: SpliceFlags,
    ) -> KResult<usize>;
    /// tee: copies up to `count` bytes from the pipe `input` into the pipe
    /// `output` without taking them from the input. Not two different
    /// pipes: `InvalidArgument`. Returns the bytes copied (0 when the
    /// input is empty and has no writer left).
    fn tee(&mut self, input: Fd, output: Fd, count: usize, flags: SpliceFlags) -> KResult<usize>;
    /// vmsplice: `fd` open for writing on a pipe: puts the bytes of the
    /// user buffers (address, length) in it, as many as fit once there is
    /// room; open only for reading: takes what the pipe holds into them.
    /// Not a pipe: `BadDescriptor`. Only `flags` makes it non-blocking.
    fn vmsplice(&mut self, fd: Fd, buffers: &[(u64, usize)], flags: SpliceFlags) -> KResult<usize>;
    /// Waits until some request is ready or the deadline passes (None:
    /// forever; Some(0) polls). Returns how many requests have events.
    fn poll(&mut self, requests: &mut [PollRequest], deadline_ns: Option<u64>) -> KResult<usize>;
    fn termios(&mut self, fd: Fd) -> KResult<tty::Termios>;
    fn set_termios(&mut self, fd: Fd, termios: &tty::Termios, when: TermiosWhen) -> KResult<()>;
    fn tty_request(&mut self, fd: Fd, request: TtyRequest) -> KResult<TtyReply>;
    /// A block-device or loop-control request on `fd`; `NotATerminal`
    /// (ENOTTY) when `fd` is neither.
    fn block_request(&mut self, fd: Fd, request: crate::BlockRequest) -> KResult<crate::BlockReply> {
        let _ = (fd, request);
        Err(Error::NotATerminal)
    }
    /// Writes the file behind `fd` back; kinds that cannot be synced
    /// (pipes, devices, terminals, ...) are `InvalidArgument`, as Linux.
    fn fsync(&mut self, fd: Fd) -> KResult<()>;
    fn sync(&mut self);
    /// F_GETLEASE: the lease the open file behind `fd` holds.
    fn lease(&mut self, fd: Fd) -> KResult<Option<LeaseKind>>;
    /// F_SETLEASE (None: F_UNLCK) on a regular file the caller owns
    /// (`PermissionDenied` otherwise; `InvalidArgument` for other kinds);
    /// `WouldBlock` when others' opens or leases conflict.
    fn set_lease(&mut self, fd: Fd, kind: Option<LeaseKind>) -> KResult<()>;
    /// syncfs: writes back the file system holding the file behind `fd`.
    fn sync_filesystem(&mut self, fd: Fd) -> KResult<()>;
    /// mount(2): mounts a file system of type `fstype` from `source` (a
    /// device node, for disk file systems) on the directory `target`.
    fn mount(&mut self, source: &[u8], target: &[u8], fstype: &[u8], read_only: bool) -> KResult<()>;
    /// Makes the file system mounted at `target` (its root) read-only or
    /// writable again (`InvalidArgument` when `target` is no mount's root,
    /// or the file system cannot change).
    fn remount(&mut self, target: &[u8], read_only: bool) -> KResult<()> {
        let _ = (target, read_only);
        Err(Error::NotImplemented)
    }
    /// umount2(2): unmounts the file system mounted on (or rooted at) `target`.
    fn unmount(&mut self, target: &[u8]) -> KResult<()>;

    // ---- tracing (a debugger's view of another thread) ----
    //
    // `tid` names a thread the caller traces (`NoSuchProcess` otherwise, or
    // when it is not stopped and the request needs it stopped). The core
    // without tracing answers `NotImplemented`.

    /// The calling thread asks its parent to trace it.
    fn trace_me(&mut self) -> KResult<()> {
        Err(Error::NotImplemented)
    }
    /// Starts tracing `tid`: stopping it with SIGSTOP, or not (`seize`).
    /// `NotPermitted` when the caller may not trace it (or traces it already).
    fn trace_attach(&mut self, tid: u32, seize: bool, options: TraceOptions) -> KResult<()> {
        let _ = (tid, seize, options);
        Err(Error::NotImplemented)
    }
    /// Stops a seized tracee wherever it is (an event stop).
    fn trace_interrupt(&mut self, tid: u32) -> KResult<()> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    /// Lets a tracee in a group stop go on being stopped as a job-control
    /// stop, without the tracer restarting it.
    fn trace_listen(&mut self, tid: u32) -> KResult<()> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    /// Resumes a stopped tracee, delivering `signal` (None: the stop's
    /// signal is suppressed).
    fn trace_resume(&mut self, tid: u32, how: TraceResume, signal: Option<Signal>) -> KResult<()> {
        let _ = (tid, how, signal);
        Err(Error::NotImplemented)
    }
    fn trace_kill(&mut self, tid: u32) -> KResult<()> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    fn trace_set_options(&mut self, tid: u32, options: TraceOptions) -> KResult<()> {
        let _ = (tid, options);
        Err(Error::NotImplemented)
    }
    /// Reads the tracee's memory, as a debugger may (read-protected pages too).
    fn trace_read(&mut self, tid: u32, addr: u64, buf: &mut [u8]) -> KResult<()> {
        let _ = (tid, addr, buf);
        Err(Error::NotImplemented)
    }
    /// Writes the tracee's memory; a private mapping the program may not
    /// write (its code) gets a private copy of the page, as a breakpoint needs.
    fn trace_write(&mut self, tid: u32, addr: u64, data: &[u8]) -> KResult<()> {
        let _ = (tid, addr, data);
        Err(Error::NotImplemented)
    }
    fn trace_state(&mut self, tid: u32) -> KResult<TraceeState> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    fn trace_change(&mut self, tid: u32, change: &TraceeChange<'_>) -> KResult<()> {
        let _ = (tid, change);
        Err(Error::NotImplemented)
    }

    // ---- local sockets ----
    // Every call on a descriptor that is not a socket is `NotASocket`. The
    // defaults refuse, so a core without sockets (a test's fake) still builds.

    /// A new unconnected socket.
    fn socket_create(&mut self, _kind: SocketKind, _flags: DescriptorFlags) -> KResult<Fd> {
        Err(Error::NotSupported)
    }
    /// Two sockets connected to each other.
    fn socket_pair(&mut self, _kind: SocketKind, _flags: DescriptorFlags) -> KResult<(Fd, Fd)> {
        Err(Error::NotSupported)
    }
    /// Names the socket: a path creates a socket node (`AddressInUse` if
    /// the name exists); `Unnamed` picks a free abstract name.
    fn socket_bind(&mut self, _fd: Fd, _addr: &SocketAddress) -> KResult<()> {
        Err(Error::NotSupported)
    }
    /// Accepts connections, at most `backlog` waiting.
    fn socket_listen(&mut self, _fd: Fd, _backlog: u32) -> KResult<()> {
        Err(Error::NotSupported)
    }
    /// Takes a waiting connection: the new socket and its peer's name.
    fn socket_accept(&mut self, _fd: Fd, _flags: DescriptorFlags) -> KResult<(Fd, SocketAddress)> {
        Err(Error::NotSupported)
    }
    /// Connects to the socket named `addr` (None: a datagram socket
    /// forgets its peer). Blocking waits are `Restart` on a signal.
    fn socket_connect(&mut self, _fd: Fd, _addr: Option<&SocketAddress>, _non_blocking: bool) -> KResult<()> {
        Err(Error::NotSupported)
    }
    /// Sends one message (a stream may take part of it, non-blocking).
    fn socket_send(&mut self, _fd: Fd, _request: &SendRequest<'_>) -> KResult<usize> {
        Err(Error::NotSupported)
    }
    /// Receives; `fd_room(credentials_too)` says how many descriptors fit
    /// the caller's control buffer.
    fn socket_receive(
        &mut self,
        _fd: Fd,
        _request: &ReceiveRequest<'_>,
        _fd_room: &dyn Fn(bool) -> usize,
    ) -> KResult<Received> {
        Err(Error::NotSupported)
    }
    fn socket_shutdown(&mut self, _fd: Fd, _read: bool, _write: bool) -> KResult<()> {
        Err(Error::NotSupported)
    }
    /// The socket's own name, or (peer) its peer's (`NotConnected`).
    fn socket_address(&mut self, _fd: Fd, _peer: bool) -> KResult<SocketAddress> {
        Err(Error::NotSupported)
    }
    fn socket_info(&mut self, _fd: Fd) -> KResult<SocketInfo> {
        Err(Error::NotSupported)
    }
    /// SO_ERROR: the pending error, cleared by taking it.
    fn socket_take_error(&mut self, _fd: Fd) -> KResult<Option<Error>> {
        Err(Error::NotSupported)
    }
    fn set_socket_setting(&mut self, _fd: Fd, _setting: SocketSetting) -> KResult<()> {
        Err(Error::NotSupported)
    }

    // ---- time and the machine ----

    /// Nanoseconds on `clock` (since the epoch for Realtime).
    fn clock(&mut self, clock: Clock) -> KResult<u64>;
    fn clock_resolution(&self, clock: Clock) -> u64;
    /// Sleeps until `deadline` on `clock`; a signal ends it early with
    /// `Error::Restart` (the personality computes what is left).
    fn sleep_until(&mut self, clock: Clock, deadline: u64) -> KResult<()>;
    fn set_realtime(&mut self, ns_since_epoch: u64) -> KResult<()>;
    fn random_bytes(&mut self, buf: &mut [u8]);
    fn system_info(&mut self) -> SystemInfo;
    /// The CPU the calling thread runs on, and how many CPUs are online.
    fn current_cpu(&self) -> u32;
    fn cpu_count(&self) -> u32;
    fn hostname(&self) -> Vec<u8>;
    fn set_hostname(&mut self, name: &[u8]) -> KResult<()>;
    /// The clock's discipline state (adjtimex).
    fn clock_discipline(&mut self) -> ClockDiscipline {
        ClockDiscipline::UNSYNCHRONISED
    }
    /// Replaces it (the caller checked the privilege).
    fn set_clock_discipline(&mut self, d: ClockDiscipline) -> KResult<()> {
        let _ = d;
        Err(Error::NotImplemented)
    }
    /// Stops sharing the descriptor table (`files`) and the root, working
    /// directory and umask (`fs`) with processes cloned to share them.
    fn unshare(&mut self, files: bool, fs: bool) -> KResult<()> {
        let _ = (files, fs);
        Err(Error::NotImplemented)
    }
    /// How many threads the caller's process has.
    fn thread_count(&mut self) -> usize {
        1
    }
    /// Reads another process's memory (process_vm_readv): `pid` must exist
    /// (`NoSuchProcess`) and the caller may inspect it as a debugger
    /// attaching would (`NotPermitted`); an address it has not mapped
    /// readable is `Fault`.
    fn read_process_memory(&mut self, pid: u32, addr: u64, buf: &mut [u8]) -> KResult<()> {
        let _ = (pid, addr, buf);
        Err(Error::NotImplemented)
    }
    /// Writes it (process_vm_writev), respecting its page protections.
    fn write_process_memory(&mut self, pid: u32, addr: u64, data: &[u8]) -> KResult<()> {
        let _ = (pid, addr, data);
        Err(Error::NotImplemented)
    }
    /// The NIS domain name ("(none)" until set).
    fn domain_name(&self) -> Vec<u8> {
        b"(none)".to_vec()
    }
    fn set_domain_name(&mut self, name: &[u8]) -> KResult<()> {
        let _ = name;
        Err(Error::NotImplemented)
    }
    /// Power off (or reboot) the machine after syncing.
    fn power_off(&mut self, reboot: bool) -> KResult<()>;

    // ---- System V IPC (one namespace for the whole machine) ----
    // Flags and commands carry Linux's System V values (`sysv_ipc`'s
    // constants); the defaults say the core has none.

    /// shmget, semget, msgget: `size` is the segment's bytes or the set's
    /// number of semaphores (0 for a queue).
    fn ipc_get(&mut self, kind: sysv_ipc::Kind, key: i32, flags: u32, size: u64) -> KResult<i32> {
        let _ = (kind, key, flags, size);
        Err(crate::Error::NotImplemented)
    }
    /// shmctl, semctl, msgctl without the user-memory part.
    fn ipc_control(&mut self, kind: sysv_ipc::Kind, id: i32, cmd: sysv_ipc::Command) -> KResult<sysv_ipc::Answer> {
        let _ = (kind, id, cmd);
        Err(crate::Error::NotImplemented)
    }
    /// semop/semtimedop: all of `ops` at once, waiting until they can be
    /// (or the monotonic `deadline`: `TimedOut`); a signal ends the wait
    /// with `Interrupted`, removal of the set with `IdentifierRemoved`.
    fn sem_operate(&mut self, id: i32, ops: &[sysv_ipc::sem::SemOp], deadline: Option<u64>) -> KResult<()> {
        let _ = (id, ops, deadline);
        Err(crate::Error::NotImplemented)
    }
    /// msgsnd: waits while the queue is full unless IPC_NOWAIT is in `flags`.
    fn msg_send(&mut self, id: i32, mtype: i64, text: &[u8], flags: u32) -> KResult<()> {
        let _ = (id, mtype, text, flags);
        Err(crate::Error::NotImplemented)
    }
    /// msgrcv: (type, text of at most `max` bytes) of the message `msgtyp`
    /// and `flags` choose, waiting for one unless IPC_NOWAIT.
    fn msg_receive(&mut self, id: i32, max: usize, msgtyp: i64, flags: u32) -> KResult<(i64, Vec<u8>)> {
        let _ = (id, max, msgtyp, flags);
        Err(crate::Error::NotImplemented)
    }
    /// shmat: maps the segment at `addr` (0: anywhere) and returns where.
    fn shm_attach(&mut self, id: i32, addr: u64, flags: u32) -> KResult<u64> {
        let _ = (id, addr, flags);
        Err(crate::Error::NotImplemented)
    }
    /// shmdt: unmaps the attachment that starts at `addr`.
    fn shm_detach(&mut self, addr: u64) -> KResult<()> {
        let _ = addr;
        Err(crate::Error::NotImplemented)
    }

    // ---- Key retention (Linux's keyrings: one store for the machine) ----

    /// add_key, request_key or a keyctl operation, its strings and payload
    /// already copied in, carried out for the calling thread.
    fn keys(&mut self, request: keyrings::Request) -> KResult<keyrings::Reply> {
        let _ = request;
        Err(crate::Error::NotImplemented)
    }

    // ---- POSIX message queues ----

    /// mq_open: the queue `name` (no leading slash) opened as a descriptor
    /// (`flags`: read/write, create, exclusive, non_blocking,
    /// close_on_exec); a new one gets `mode` and `attr` (maxmsg, msgsize)
    /// or the defaults.
    fn mq_open(&mut self, name: &[u8], flags: OpenFlags, mode: u32, attr: Option<(i64, i64)>) -> KResult<Fd> {
        let _ = (name, flags, mode, attr);
        Err(crate::Error::NotImplemented)
    }
    fn mq_unlink(&mut self, name: &[u8]) -> KResult<()> {
        let _ = name;
        Err(crate::Error::NotImplemented)
    }
    /// mq_timedsend: waits while the queue is full (unless the descriptor
    /// is non-blocking) until `deadline` on the realtime clock (`TimedOut`).
    fn mq_send(&mut self, fd: Fd, data: &[u8], prio: u32, deadline: Option<u64>) -> KResult<()> {
        let _ = (fd, data, prio, deadline);
        Err(crate::Error::NotImplemented)
    }
    /// mq_timedreceive: (priority, message), waiting as `mq_send` does.
    fn mq_receive(&mut self, fd: Fd, max: usize, deadline: Option<u64>) -> KResult<(u32, Vec<u8>)> {
        let _ = (fd, max, deadline);
        Err(crate::Error::NotImplemented)
    }
    /// mq_notify: registers the calling process (None: removes its registration).
    fn mq_notify(&mut self, fd: Fd, notify: Option<sysv_ipc::mqueue::Notify>) -> KResult<()> {
        let _ = (fd, notify);
        Err(crate::Error::NotImplemented)
    }
    /// (maxmsg, msgsize, messages now) of the queue behind `fd`
    /// (`BadDescriptor` for another kind of descriptor).
    fn mq_attributes(&mut self, fd: Fd) -> KResult<(i64, i64, i64)> {
        let _ = fd;
        Err(crate::Error::NotImplemented)
    }

    // ---- file handles ----

    /// The handle of the node `path` names from `dir` (None: `dir`'s own
    /// node, or the working directory), following a final symlink when
    /// `follow`.
    fn node_handle(&mut self, dir: DirFd, path: Option<&[u8]>, follow: bool) -> KResult<crate::NodeHandle> {
        let _ = (dir, path, follow);
        Err(Error::NotImplemented)
    }
    /// Opens the node a handle names (its `fs`, `ino` and `generation`) as
    /// `open` would; `anchor` (a descriptor, or the working directory) must
    /// be on that file system, the file system must be able to, and the
    /// node must still exist with a name (`Stale` otherwise). The caller
    /// checked the privilege.
    fn open_by_handle(&mut self, anchor: DirFd, handle: &crate::NodeHandle, flags: OpenFlags) -> KResult<Fd> {
        let _ = (anchor, handle, flags);
        Err(Error::NotImplemented)
    }

    // ---- asynchronous I/O contexts (Linux's io_setup family) ----
    // Contexts belong to the caller's address space: exec and exit end
    // them, fork does not copy them. Cores without them answer
    // `NotImplemented`.

    /// A new context: `ring_bytes` of zeroed memory mapped read-write into
    /// the caller's address space (its address names the context) with
    /// `slots` completion slots, and `charge` requests counted against the
    /// machine's limit (`WouldBlock` past it).
    fn aio_create(&mut self, ring_bytes: u64, slots: u32, charge: u32) -> KResult<u64> {
        let _ = (ring_bytes, slots, charge);
        Err(Error::NotImplemented)
    }
    /// Changes the state of the caller's context `id` (`InvalidArgument`
    /// when it has none) under the context's lock, so `change` must not
    /// block. If that changed its counts, ring indexes or the lengths of
    /// its lists, its generation moves on and its waiters wake.
    fn aio_update(&mut self, id: u64, change: &mut dyn FnMut(&mut crate::AioState)) -> KResult<()> {
        let _ = (id, change);
        Err(Error::NotImplemented)
    }
    /// Ends the context `id`: unmaps its ring, returns its charge, wakes
    /// its waiters, and gives its last state.
    fn aio_destroy(&mut self, id: u64) -> KResult<crate::AioState> {
        let _ = id;
        Err(Error::NotImplemented)
    }
    /// Waits until the context's generation is no longer `seen` (or the
    /// context is gone), one of `watch` is ready (poll's rules), the
    /// monotonic `deadline` passes (`TimedOut`) or a signal comes
    /// (`Interrupted`).
    fn aio_wait(&mut self, id: u64, seen: u64, watch: &mut [PollRequest], deadline: Option<u64>) -> KResult<()> {
        let _ = (id, seen, watch, deadline);
        Err(Error::NotImplemented)
    }
    /// Adds `value` to the counter (eventfd) behind `fd` without waiting,
    /// as a completion signals one; 0 only checks that `fd` is a counter
    /// (`InvalidArgument` for another kind).
    fn add_to_counter(&mut self, fd: Fd, value: u64) -> KResult<()> {
        let _ = (fd, value);
        Err(Error::NotImplemented)
    }

    // ---- scheduling, locked memory, inspecting other processes ----
    // Cores without these (test fakes) answer `NotImplemented`.

    /// The scheduling of thread `tid` (0: the caller); `NoSuchProcess`
    /// when there is none.
    fn scheduling(&mut self, tid: u32) -> KResult<Scheduling> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    /// Sets it (values already checked by the personality). Needs
    /// privilege or an RLIMIT_RTPRIO allowing it for a real-time policy,
    /// always for a deadline one, and to leave SCHED_IDLE or drop
    /// reset-on-fork; changing another user's thread too (all
    /// `NotPermitted`). A deadline budget beyond the CPU is `Busy`.
    fn set_scheduling(&mut self, tid: u32, new: Scheduling) -> KResult<()> {
        let _ = (tid, new);
        Err(Error::NotImplemented)
    }
    /// The CPUs thread `tid` may run on (bit n: CPU n).
    fn cpu_affinity(&mut self, tid: u32) -> KResult<u64> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    /// Sets them: a mask without an online CPU is `InvalidArgument`,
    /// another user's thread `NotPermitted`.
    fn set_cpu_affinity(&mut self, tid: u32, mask: u64) -> KResult<()> {
        let _ = (tid, mask);
        Err(Error::NotImplemented)
    }
    /// The I/O priority of the threads `target` names (the best of them;
    /// a thread id for `PriorityTarget::Process`).
    fn io_priority(&mut self, target: PriorityTarget) -> KResult<IoPriority> {
        let _ = target;
        Err(Error::NotImplemented)
    }
    /// Sets it on each of them; the real-time class needs privilege, and
    /// another user's threads cannot be changed (`NotPermitted`).
    fn set_io_priority(&mut self, target: PriorityTarget, priority: IoPriority) -> KResult<()> {
        let _ = (target, priority);
        Err(Error::NotImplemented)
    }
    /// Locks the pages of `[addr, addr+len)` (page-aligned) in memory,
    /// faulting them in unless `on_fault`. Unmapped pages in the range are
    /// `NoMemory`; RLIMIT_MEMLOCK applies to unprivileged callers (0:
    /// `NotPermitted`, exceeded: `NoMemory`).
    fn lock_memory(&mut self, addr: u64, len: u64, on_fault: bool) -> KResult<()> {
        let _ = (addr, len, on_fault);
        Err(Error::NotImplemented)
    }
    /// Unlocks them (`NoMemory` when part of the range is unmapped).
    fn unlock_memory(&mut self, addr: u64, len: u64) -> KResult<()> {
        let _ = (addr, len);
        Err(Error::NotImplemented)
    }
    /// mlockall: locks every current mapping and/or every future one.
    fn lock_all_memory(&mut self, current: bool, future: bool, on_fault: bool) -> KResult<()> {
        let _ = (current, future, on_fault);
        Err(Error::NotImplemented)
    }
    /// munlockall: unlocks everything, future mappings included.
    fn unlock_all_memory(&mut self) -> KResult<()> {
        Err(Error::NotImplemented)
    }
    /// Whether each of `pages` pages from `addr` (page-aligned) is
    /// resident; `NoMemory` when one is not mapped.
    fn resident_pages(&mut self, addr: u64, pages: usize) -> KResult<Vec<bool>> {
        let _ = (addr, pages);
        Err(Error::NotImplemented)
    }
    /// The mapped stretches of `[addr, end)`, in order (gaps are unmapped).
    fn memory_regions(&mut self, addr: u64, end: u64) -> Vec<MemoryRegion> {
        let _ = (addr, end);
        Vec::new()
    }
    /// MADV_WIPEONFORK (`wipe`) and MADV_KEEPONFORK over `[addr, end)`:
    /// whether a forked child gets the range's private anonymous pages
    /// as fresh zeros.
    fn set_wipe_on_fork(&mut self, addr: u64, end: u64, wipe: bool) -> KResult<()> {
        let _ = (addr, end, wipe);
        Err(Error::NotImplemented)
    }
    /// Records the calling thread's robust futex list (head, length).
    fn set_robust_list(&mut self, head: u64, len: u64) {
        let _ = (head, len);
    }
    /// The robust futex list of thread `tid` (0: the caller). Another
    /// process's needs the right to inspect it (`NotPermitted`).
    fn robust_list(&mut self, tid: u32) -> KResult<(u64, u64)> {
        let _ = tid;
        Err(Error::NotImplemented)
    }
    /// rt_tgsigqueueinfo: sends `signal` carrying `value` to thread `tid`
    /// of process `tgid`.
    fn queue_thread_signal(&mut self, tgid: u32, tid: u32, signal: Signal, value: u64) -> KResult<()> {
        let _ = (tgid, tid, signal, value);
        Err(Error::NotImplemented)
    }
    /// kcmp: whether thread `tid1`'s `first` is thread `tid2`'s `second`,
    /// or how they order. Needs the right to inspect both (`NotPermitted`).
    fn compare_objects(
        &mut self,
        tid1: u32,
        first: ProcessObject,
        tid2: u32,
        second: ProcessObject,
    ) -> KResult<ObjectOrder> {
        let _ = (tid1, first, tid2, second);
        Err(Error::NotImplemented)
    }
    /// pidfd_getfd: a new close-on-exec descriptor for the open file that
    /// descriptor `fd` of the process behind `handle` holds. Needs the
    /// right to attach to that process (`NotPermitted`).
    fn take_process_descriptor(&mut self, handle: Fd, fd: Fd) -> KResult<Fd> {
        let _ = (handle, fd);
        Err(Error::NotImplemented)
    }
    /// CPU time in ns of thread `id` (of the caller's process) or of
    /// process `id` (0: the caller's own); `InvalidArgument` when there is
    /// no such thread or process (a clock id that names nothing).
    fn cpu_clock(&mut self, id: u32, thread: bool) -> KResult<u64> {
        let _ = (id, thread);
        Err(Error::NotImplemented)
    }
    /// The file system types the kernel knows, in /proc/filesystems order.
    fn filesystem_types(&mut self) -> Vec<Vec<u8>> {
        Vec::new()
    }
}
