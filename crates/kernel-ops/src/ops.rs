//! The core's surface, as every personality sees it.

use crate::types::*;
use crate::{Error, KResult, Regs};
use alloc::vec::Vec;

/// Operations the kernel core offers to personalities, on behalf of the
/// calling thread. User addresses are plain `u64`s: allegations that the
/// core validates on every access (an invalid one is `Error::Fault`).
pub trait KernelOps {
    // ---- the calling thread's registers and user memory ----

    /// The user registers saved at kernel entry; writing them changes where
    /// and how the thread resumes.
    fn regs(&mut self) -> &mut Regs;
    fn copy_in(&mut self, addr: u64, buf: &mut [u8]) -> KResult<()>;
    fn copy_out(&mut self, addr: u64, data: &[u8]) -> KResult<()>;
    /// A NUL-terminated string of at most `max` bytes (without the NUL);
    /// longer is `Error::NameTooLong`.
    fn copy_in_cstring(&mut self, addr: u64, max: usize) -> KResult<Vec<u8>>;
    /// The thread's FXSAVE image (for signal frames), and its replacement.
    fn fpu_state(&mut self) -> [u8; 512];
    fn set_fpu_state(&mut self, state: &[u8; 512]);
    fn fs_base(&mut self) -> u64;
    fn set_fs_base(&mut self, value: u64) -> KResult<()>;
    /// One log line naming an unsupported feature, the process and its binary.
    fn log_unsupported(&mut self, what: core::fmt::Arguments<'_>);

    // ---- identity ----

    fn pid(&self) -> u32;
    fn tid(&self) -> u32;
    fn parent_pid(&self) -> u32;
    fn process_group(&mut self, pid: u32) -> KResult<u32>;
    fn set_process_group(&mut self, pid: u32, pgid: u32) -> KResult<()>;
    fn session(&mut self, pid: u32) -> KResult<u32>;
    fn new_session(&mut self) -> KResult<u32>;
    fn credentials(&self) -> Credentials;
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
    /// Ends the thread (or, with `group`, every thread of the process).
    /// The dispatcher must not touch the thread's state afterwards.
    fn exit(&mut self, code: u8, group: bool);
    fn wait(&mut self, target: WaitTarget, options: WaitOptions) -> KResult<Option<WaitResult>>;
    fn set_clear_child_tid(&mut self, addr: u64);
    fn yield_now(&mut self);
    fn futex_wait(&mut self, addr: u64, expected: u32, deadline: Option<(Clock, u64)>, bitset: u32) -> KResult<()>;
    fn futex_wake(&mut self, addr: u64, count: u32, bitset: u32) -> KResult<u32>;
    fn futex_requeue(&mut self, addr: u64, wake: u32, requeue_to: u64, requeue: u32, expected: Option<u32>) -> KResult<u32>;
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
    fn mmap(&mut self, addr: u64, len: u64, prot: Protection, flags: MapFlags, fd: Option<Fd>, offset: u64) -> KResult<u64>;
    fn munmap(&mut self, addr: u64, len: u64) -> KResult<()>;
    fn mprotect(&mut self, addr: u64, len: u64, prot: Protection) -> KResult<()>;
    /// Drops the pages of private mappings in the range: the next touch
    /// sees fresh zeros (anonymous) or the file again (MADV_DONTNEED).
    fn discard_pages(&mut self, addr: u64, len: u64) -> KResult<()>;
    /// Writes shared file mappings in the range back to their files (msync).
    fn sync_mappings(&mut self, addr: u64, len: u64) -> KResult<()>;
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
    fn set_times(&mut self, dir: DirFd, path: Option<&[u8]>, atime: Option<Option<(i64, u32)>>, mtime: Option<Option<(i64, u32)>>, follow: bool) -> KResult<()>;
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
    fn create_signal_reader(&mut self, mask: u64, flags: DescriptorFlags, format: &'static dyn crate::SignalRecordFormat) -> KResult<Fd>;
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
    fn create_watch_queue(&mut self, flags: DescriptorFlags, format: &'static dyn crate::WatchRecordFormat) -> KResult<Fd>;
    /// Watches what `path` names for `events`; returns the watch
    /// descriptor (the same one again for a node already watched).
    fn add_watch(&mut self, queue: Fd, dir: DirFd, path: &[u8], events: WatchEvents, options: WatchOptions) -> KResult<i32>;
    /// Removes a watch; its IGNORED event is queued.
    fn remove_watch(&mut self, queue: Fd, watch: i32) -> KResult<()>;
    /// flock(2): a whole-file lock owned by the open file behind `fd`
    /// (None unlocks). A conflict is `WouldBlock` without `wait`; waiting
    /// ends early with `Restart` when a signal comes. Changing the kind of
    /// a held lock releases it first, then waits (as Linux does).
    fn lock_file(&mut self, fd: Fd, kind: Option<LockKind>, wait: bool) -> KResult<()>;
    /// Byte-range lock (fcntl) on `range` of the file behind `fd`, owned as
    /// `scope` says; None unlocks. Conflicts as for `lock_file`; a wait
    /// that would deadlock fails with `Deadlock`.
    fn lock_range(&mut self, fd: Fd, kind: Option<LockKind>, range: LockRange, scope: LockScope, wait: bool) -> KResult<()>;
    /// The first lock of another owner that would keep `scope`'s owner
    /// from taking `kind` on `range` (F_GETLK); None if there is none.
    fn test_lock_range(&mut self, fd: Fd, kind: LockKind, range: LockRange, scope: LockScope) -> KResult<Option<LockHolder>>;
    /// A process handle (pidfd) for the process `pid` (which must exist and
    /// lead its thread group: `NoSuchProcess` otherwise). Always
    /// close-on-exec, as on Linux.
    fn open_process_handle(&mut self, pid: u32, non_blocking: bool) -> KResult<Fd>;
    /// Sends `signal` (None: only checks) to the process `fd` names: a
    /// process handle, or a /proc/<pid> directory; gives its pid.
    /// `BadDescriptor` for any other descriptor, `NoSuchProcess` once the
    /// process has exited.
    fn signal_process_handle(&mut self, fd: Fd, signal: Option<Signal>) -> KResult<u32>;
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
    fn copy_range(&mut self, input: Fd, in_offset: Option<u64>, output: Fd, out_offset: Option<u64>, count: usize) -> KResult<usize>;
    /// splice: moves up to `count` bytes from `input` to `output`, one of
    /// which is a pipe; the other side is read or written at its offset
    /// when given. A pipe side with an offset is `IllegalSeek`; neither a
    /// pipe is `InvalidArgument`. Returns the bytes moved.
    fn splice(&mut self, input: Fd, in_offset: Option<u64>, output: Fd, out_offset: Option<u64>, count: usize, flags: SpliceFlags) -> KResult<usize>;
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
    fn fsync(&mut self, fd: Fd) -> KResult<()>;
    fn sync(&mut self);
    /// mount(2): mounts a file system of type `fstype` from `source` (a
    /// device node, for disk file systems) on the directory `target`.
    fn mount(&mut self, source: &[u8], target: &[u8], fstype: &[u8], read_only: bool) -> KResult<()>;
    /// umount2(2): unmounts the file system mounted on (or rooted at) `target`.
    fn unmount(&mut self, target: &[u8]) -> KResult<()>;

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
    /// Power off (or reboot) the machine after syncing.
    fn power_off(&mut self, reboot: bool) -> KResult<()>;
}
