//! A fake kernel core for testing the Linux personality on the host: a
//! flat block of "user memory", registers, and a record of what the
//! personality asked for. Operations the tests do not exercise panic,
//! naming the operation. `FakeCore` and its state are here; each
//! subsystem trait's implementation is in the file named after it.
#![allow(dead_code, unused_variables)]

mod aio;
mod context;
mod descriptors;
mod devices;
mod events;
mod file_handles;
mod filesystems;
mod futexes;
mod identity;
mod ipc_state;
mod locks;
mod machine;
pub mod memory;
mod metadata;
mod paths;
pub mod proc_state;
mod process_handles;
mod processes;
mod resources;
mod scheduling;
mod signals;
mod special_files;
mod time;
mod timers;
mod transfer;

pub mod arch;
pub mod file_state;
pub use ipc_state::*;

use kernel_ops::*;
use std::fmt::Write as _;

pub const MEM_BASE: u64 = 0x10_0000;
pub const MEM_SIZE: usize = 64 * 1024;

pub struct FakeCore {
    pub context: UserContext,
    pub mem: Vec<u8>,
    pub written: Vec<(Fd, Vec<u8>)>,
    pub log: Vec<String>,
    pub exited: Option<(u8, bool)>,
    pub thread_pointer: u64,
    pub files: Vec<(Vec<u8>, FileStat)>,
    /// What statfs reports for any path in `files`.
    pub fs_info: FsInfo,
    /// Every clone request, as the core received it (the fake child is 100).
    pub clones: Vec<CloneArgs>,
    /// Every counter (eventfd) created: initial value and flags (fds from 10).
    pub counters: Vec<(u64, CounterFlags)>,
    /// pidfd_open requests (pid, non-blocking); the handle is fd 30 and
    /// names process 77.
    pub process_handles: Vec<(u32, bool)>,
    /// Signals sent through a process handle (None: a check).
    pub handle_signals: Vec<Option<Signal>>,
    /// Task settings as set, by variant.
    pub settings: Vec<(TaskSetting, u64)>,
    /// What resource_usage answers, and for which targets it was asked.
    pub usage: ResourceUsage,
    pub usage_asked: Vec<UsageTarget>,
    pub thread_name: [u8; 16],
    /// Descriptors of the kinds below are numbered from 20 in creation
    /// order; fds 3..20 are "open" other files, others are closed (EBADF).
    pub next_fd: Fd,
    /// Signal readers (signalfd): mask, flags and record format, by fd.
    pub signal_readers: Vec<(Fd, SignalSet, DescriptorFlags, &'static dyn SignalRecordFormat)>,
    /// Timer files (timerfd): clock and flags, by fd; and every setting.
    pub timer_files: Vec<(Fd, Clock, DescriptorFlags)>,
    pub timer_settings: Vec<(Fd, u64, u64, bool)>,
    /// Watch queues (inotify) by fd, and every watch added or removed.
    pub watch_queues: Vec<(Fd, DescriptorFlags, &'static dyn WatchRecordFormat)>,
    pub watches: Vec<(Fd, Vec<u8>, WatchEvents, WatchOptions)>,
    pub removed_watches: Vec<(Fd, i32)>,
    /// Open descriptors: how each was opened, its position and its stat.
    pub fds: Vec<(Fd, OpenFlags, u64, FileStat)>,
    /// What descriptor_table_size answers (Linux's max_fds).
    pub table_size: u32,
    /// Every lock call, in order.
    pub lock_calls: Vec<LockCall>,
    /// What lock_file and lock_range answer.
    pub lock_answer: KResult<()>,
    /// What test_lock_range answers.
    pub lock_holder: Option<LockHolder>,
    /// What credentials() answers.
    pub creds: Credentials,
    /// The supplementary groups as set.
    pub groups: Vec<u32>,
    /// Every nice request: target, and the value for a set.
    pub nice_calls: Vec<(PriorityTarget, Option<i32>)>,
    /// What nice() answers.
    pub nice_answer: KResult<i32>,
    /// Every interval timer set: which, value, interval.
    pub interval_timers: Vec<(IntervalTimer, u64, u64)>,
    /// Every close_range: first, last, close-on-exec only, unshare.
    pub close_ranges: Vec<(u32, u32, bool, bool)>,
    /// Every pipe capacity set: fd, bytes.
    pub pipe_capacities: Vec<(Fd, usize)>,
    /// Memory files created: name, close-on-exec, sealing allowed.
    pub memory_files: Vec<(Vec<u8>, bool, bool)>,
    /// The seals of every memory file, and every seal set added.
    pub seals: Seals,
    pub added_seals: Vec<(Fd, Seals)>,
    /// Every splice and copy_file_range, and how many bytes they answer.
    pub moves: Vec<MoveCall>,
    pub move_answer: KResult<usize>,
    /// Block-device requests received, and what each is answered.
    pub block_calls: Vec<(Fd, kernel_ops::BlockRequest)>,
    pub block_answer: KResult<kernel_ops::BlockReply>,
    /// Asynchronous I/O contexts (their rings from `AIO_RINGS`), and the
    /// requests charged against `aio_limit`.
    pub aio: Vec<AioState>,
    pub aio_charged: u64,
    pub aio_limit: u64,
    /// The signal state of the one fake thread: actions by number - 1,
    /// the mask, what is pending (the first of `set` is what a wait for
    /// `set` takes), and every kill sent.
    pub signal_actions: Vec<SignalAction>,
    pub signal_mask: SignalSet,
    pub pending: Vec<SignalInfo>,
    pub kills: Vec<(Option<KillTarget>, Option<(Option<u32>, u32)>, Option<Signal>)>,
    /// The masks suspend was given.
    pub suspended_with: Vec<SignalSet>,
    /// Files, paths and metadata: what was asked and the answers' state.
    pub file_state: file_state::FileState,
    /// Processes, identity, time, memory, resources, scheduling, futexes.
    pub proc_state: proc_state::ProcState,
    /// Sockets, IPC, queues, keys, polling and the rest (ipc_state.rs).
    pub ipc_state: IpcState,
}

/// Where the fake core maps AIO rings: the upper half of its memory.
pub const AIO_RINGS: u64 = MEM_BASE + MEM_SIZE as u64 / 2;

/// A splice or copy_file_range request as the core received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveCall {
    Splice { input: Fd, in_offset: Option<u64>, output: Fd, out_offset: Option<u64>, count: usize, flags: SpliceFlags },
    Copy { input: Fd, in_offset: Option<u64>, output: Fd, out_offset: Option<u64>, count: usize },
}

/// A lock request as the core received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LockCall {
    File { fd: Fd, kind: Option<LockKind>, wait: bool },
    Range { fd: Fd, kind: Option<LockKind>, range: LockRange, scope: LockScope, wait: bool },
    Test { fd: Fd, kind: LockKind, range: LockRange, scope: LockScope },
}

impl FakeCore {
    pub fn new() -> Self {
        FakeCore {
            context: UserContext::default(),
            mem: vec![0; MEM_SIZE],
            written: Vec::new(),
            log: Vec::new(),
            exited: None,
            thread_pointer: 0,
            files: Vec::new(),
            fs_info: FsInfo { name: "ext2".into(), stats: Default::default(), read_only: false, id: 0 },
            clones: Vec::new(),
            counters: Vec::new(),
            process_handles: Vec::new(),
            handle_signals: Vec::new(),
            settings: Vec::new(),
            usage: ResourceUsage::default(),
            usage_asked: Vec::new(),
            thread_name: [0; 16],
            next_fd: 20,
            signal_readers: Vec::new(),
            timer_files: Vec::new(),
            timer_settings: Vec::new(),
            watch_queues: Vec::new(),
            watches: Vec::new(),
            removed_watches: Vec::new(),
            fds: Vec::new(),
            table_size: 1024,
            lock_calls: Vec::new(),
            lock_answer: Ok(()),
            lock_holder: None,
            creds: Credentials::user(1000, 100),
            groups: Vec::new(),
            nice_calls: Vec::new(),
            nice_answer: Ok(0),
            interval_timers: Vec::new(),
            close_ranges: Vec::new(),
            pipe_capacities: Vec::new(),
            memory_files: Vec::new(),
            seals: Seals::default(),
            added_seals: Vec::new(),
            moves: Vec::new(),
            move_answer: Ok(0),
            block_calls: Vec::new(),
            block_answer: Ok(kernel_ops::BlockReply::Done),
            aio: Vec::new(),
            aio_charged: 0,
            aio_limit: 0x10000,
            signal_actions: vec![SignalAction::default(); 64],
            signal_mask: SignalSet::EMPTY,
            pending: Vec::new(),
            kills: Vec::new(),
            suspended_with: Vec::new(),
            file_state: file_state::FileState::new(),
            proc_state: proc_state::ProcState::new(),
            ipc_state: IpcState::new(),
        }
    }
    fn new_fd(&mut self) -> Fd {
        self.next_fd += 1;
        self.next_fd - 1
    }
    /// EBADF unless `fd` is open (3..20, or made by a create call).
    fn open_fd(&self, fd: Fd) -> KResult<()> {
        if (3..20).contains(&fd) || (20..self.next_fd).contains(&fd) {
            Ok(())
        } else {
            Err(Error::BadDescriptor)
        }
    }
    /// Runs one system call through the personality; returns its result.
    pub fn syscall(&mut self, nr: u64, args: [u64; 6]) -> u64 {
        arch::enter(&mut self.context, nr, args);
        personality_linux::LINUX.syscall(self);
        self.result()
    }
    /// The result register as the last call left it.
    pub fn result(&self) -> u64 {
        arch::result(&self.context)
    }
    pub fn put(&mut self, addr: u64, data: &[u8]) {
        let at = (addr - MEM_BASE) as usize;
        self.mem[at..at + data.len()].copy_from_slice(data);
    }
    pub fn get(&self, addr: u64, len: usize) -> &[u8] {
        let at = (addr - MEM_BASE) as usize;
        &self.mem[at..at + len]
    }
    fn range(&self, addr: u64, len: usize) -> KResult<std::ops::Range<usize>> {
        let start = addr.checked_sub(MEM_BASE).ok_or(Error::Fault)? as usize;
        let end = start.checked_add(len).ok_or(Error::Fault)?;
        if end > self.mem.len() {
            return Err(Error::Fault);
        }
        Ok(start..end)
    }
}

// Subsystems no test reaches yet: the traits' defaults answer for them.
impl InspectionOps for FakeCore {}
impl TraceOps for FakeCore {}
