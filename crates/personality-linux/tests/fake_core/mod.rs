//! A fake kernel core for testing the Linux personality on the host: a
//! flat block of "user memory", registers, and a record of what the
//! personality asked for. Operations the tests do not exercise panic.
#![allow(dead_code, unused_variables)]

pub mod arch;

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
    pub signal_readers: Vec<(Fd, u64, DescriptorFlags, &'static dyn SignalRecordFormat)>,
    /// Timer files (timerfd): clock and flags, by fd; and every setting.
    pub timer_files: Vec<(Fd, Clock, DescriptorFlags)>,
    pub timer_settings: Vec<(Fd, u64, u64, bool)>,
    /// Watch queues (inotify) by fd, and every watch added or removed.
    pub watch_queues: Vec<(Fd, DescriptorFlags, &'static dyn WatchRecordFormat)>,
    pub watches: Vec<(Fd, Vec<u8>, WatchEvents, WatchOptions)>,
    pub removed_watches: Vec<(Fd, i32)>,
    /// Open descriptors: how each was opened, its position and its stat.
    pub fds: Vec<(Fd, OpenFlags, u64, FileStat)>,
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

impl KernelOps for FakeCore {
    fn context(&mut self) -> &mut UserContext {
        &mut self.context
    }
    fn copy_in(&mut self, addr: u64, buf: &mut [u8]) -> KResult<()> {
        let r = self.range(addr, buf.len())?;
        buf.copy_from_slice(&self.mem[r]);
        Ok(())
    }
    fn copy_out(&mut self, addr: u64, data: &[u8]) -> KResult<()> {
        let r = self.range(addr, data.len())?;
        self.mem[r].copy_from_slice(data);
        Ok(())
    }
    fn copy_in_cstring(&mut self, addr: u64, max: usize) -> KResult<Vec<u8>> {
        let start = self.range(addr, 0)?.start;
        let rest = &self.mem[start..];
        let n = rest.iter().position(|&b| b == 0).ok_or(Error::Fault)?;
        if n > max {
            return Err(Error::NameTooLong);
        }
        Ok(rest[..n].to_vec())
    }
    fn log_unsupported(&mut self, what: core::fmt::Arguments<'_>) {
        let mut s = String::new();
        let _ = write!(s, "{what}");
        self.log.push(s);
    }
    fn pid(&self) -> u32 {
        7
    }
    fn tid(&self) -> u32 {
        7
    }
    fn credentials(&self) -> Credentials {
        self.creds
    }
    fn credentials_of(&mut self, pid: u32) -> KResult<Credentials> {
        if pid == 0 || pid == 7 {
            Ok(self.creds)
        } else {
            Err(Error::NoSuchProcess)
        }
    }
    fn groups(&self) -> Vec<u32> {
        self.groups.clone()
    }
    fn set_groups(&mut self, groups: &[u32]) -> KResult<()> {
        self.groups = groups.to_vec();
        self.groups.sort_unstable();
        Ok(())
    }
    fn nice(&mut self, target: PriorityTarget) -> KResult<i32> {
        self.nice_calls.push((target, None));
        self.nice_answer
    }
    fn set_nice(&mut self, target: PriorityTarget, nice: i32) -> KResult<()> {
        self.nice_calls.push((target, Some(nice)));
        Ok(())
    }
    fn set_interval_timer(&mut self, which: IntervalTimer, value_ns: u64, interval_ns: u64) -> (u64, u64) {
        let old = self.interval_timer(which);
        self.interval_timers.push((which, value_ns, interval_ns));
        old
    }
    fn interval_timer(&mut self, which: IntervalTimer) -> (u64, u64) {
        self.interval_timers.iter().rev().find(|t| t.0 == which).map_or((0, 0), |t| (t.1, t.2))
    }
    fn close_range(&mut self, first: u32, last: u32, close_on_exec_only: bool, unshare: bool) -> KResult<()> {
        self.close_ranges.push((first, last, close_on_exec_only, unshare));
        Ok(())
    }
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
    fn copy_range(
        &mut self,
        input: Fd,
        in_offset: Option<u64>,
        output: Fd,
        out_offset: Option<u64>,
        count: usize,
    ) -> KResult<usize> {
        self.moves.push(MoveCall::Copy { input, in_offset, output, out_offset, count });
        self.move_answer
    }
    fn splice(
        &mut self,
        input: Fd,
        in_offset: Option<u64>,
        output: Fd,
        out_offset: Option<u64>,
        count: usize,
        flags: SpliceFlags,
    ) -> KResult<usize> {
        self.moves.push(MoveCall::Splice { input, in_offset, output, out_offset, count, flags });
        self.move_answer
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
    fn get_xattr(&mut self, _: NodeTarget<'_>, _: &[u8]) -> KResult<Vec<u8>> {
        Err(Error::NotSupported)
    }
    fn set_xattr(&mut self, _: NodeTarget<'_>, _: &[u8], _: &[u8], _: vfs::XattrSet) -> KResult<()> {
        Err(Error::NotSupported)
    }
    fn list_xattr(&mut self, _: NodeTarget<'_>) -> KResult<Vec<Vec<u8>>> {
        Ok(Vec::new())
    }
    fn remove_xattr(&mut self, _: NodeTarget<'_>, _: &[u8]) -> KResult<()> {
        Err(Error::NotSupported)
    }
    fn stat(&mut self, dir: DirFd, path: &[u8], follow: bool) -> KResult<FileStat> {
        self.files.iter().find(|(p, _)| p == path).map(|(_, s)| s.clone()).ok_or(Error::NotFound)
    }
    fn fstat(&mut self, fd: Fd) -> KResult<FileStat> {
        self.fds.iter().find(|f| f.0 == fd).map(|f| f.3.clone()).ok_or(Error::BadDescriptor)
    }
    fn fs_info(&mut self, dir: DirFd, path: &[u8], follow: bool) -> KResult<FsInfo> {
        self.files.iter().find(|(p, _)| p == path).map(|_| self.fs_info.clone()).ok_or(Error::NotFound)
    }
    fn fd_fs_info(&mut self, fd: Fd) -> KResult<FsInfo> {
        Err(Error::BadDescriptor)
    }
    fn thread_pointer(&mut self) -> u64 {
        self.thread_pointer
    }
    fn set_thread_pointer(&mut self, value: u64) -> KResult<()> {
        self.thread_pointer = value;
        Ok(())
    }
    fn exit(&mut self, code: u8, group: bool) {
        self.exited = Some((code, group));
    }
    fn clock(&mut self, clock: Clock) -> KResult<u64> {
        Ok(1_700_000_000_123_456_789)
    }
    fn random_bytes(&mut self, buf: &mut [u8]) {
        buf.fill(0xa5);
    }
    fn hostname(&self) -> Vec<u8> {
        b"fakehost".to_vec()
    }
    fn fpu_state(&mut self) -> [u8; 512] {
        unimplemented!("fake core: fpu_state")
    }
    fn set_fpu_state(&mut self, state: &[u8; 512]) {
        unimplemented!("fake core: set_fpu_state")
    }
    fn parent_pid(&self) -> u32 {
        unimplemented!("fake core: parent_pid")
    }
    fn process_group(&mut self, pid: u32) -> KResult<u32> {
        unimplemented!("fake core: process_group")
    }
    fn set_process_group(&mut self, pid: u32, pgid: u32) -> KResult<()> {
        unimplemented!("fake core: set_process_group")
    }
    fn session(&mut self, pid: u32) -> KResult<u32> {
        unimplemented!("fake core: session")
    }
    fn new_session(&mut self) -> KResult<u32> {
        unimplemented!("fake core: new_session")
    }
    fn set_credentials(&mut self, creds: Credentials) -> KResult<()> {
        self.creds = self.creds.change(&creds)?;
        Ok(())
    }
    fn thread_name(&self) -> [u8; 16] {
        self.thread_name
    }
    fn set_thread_name(&mut self, name: &[u8]) {
        self.thread_name = [0; 16];
        self.thread_name[..name.len()].copy_from_slice(name);
    }
    fn clone_task(&mut self, args: &CloneArgs) -> KResult<u32> {
        self.clones.push(*args);
        Ok(100)
    }
    fn exec(&mut self, path: &[u8], argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
        unimplemented!("fake core: exec")
    }
    fn wait(&mut self, target: WaitTarget, options: WaitOptions) -> KResult<Option<WaitResult>> {
        unimplemented!("fake core: wait")
    }
    fn set_clear_child_tid(&mut self, addr: u64) {
        unimplemented!("fake core: set_clear_child_tid")
    }
    fn yield_now(&mut self) {
        unimplemented!("fake core: yield_now")
    }
    fn futex_wait(&mut self, addr: u64, expected: u32, deadline: Option<(Clock, u64)>, bitset: u32) -> KResult<()> {
        unimplemented!("fake core: futex_wait")
    }
    fn futex_wake(&mut self, addr: u64, count: u32, bitset: u32) -> KResult<u32> {
        unimplemented!("fake core: futex_wake")
    }
    fn futex_requeue(
        &mut self,
        addr: u64,
        wake: u32,
        requeue_to: u64,
        requeue: u32,
        expected: Option<u32>,
    ) -> KResult<u32> {
        unimplemented!("fake core: futex_requeue")
    }
    fn limit(&self, resource: Resource) -> Limit {
        unimplemented!("fake core: limit")
    }
    fn set_limit(&mut self, resource: Resource, limit: Limit) -> KResult<()> {
        unimplemented!("fake core: set_limit")
    }
    fn cpu_times(&self, children: bool) -> (u64, u64) {
        unimplemented!("fake core: cpu_times")
    }
    fn resource_usage(&mut self, target: UsageTarget) -> ResourceUsage {
        self.usage_asked.push(target);
        self.usage
    }
    fn task_setting(&mut self, which: TaskSetting) -> u64 {
        self.settings.iter().rev().find(|(w, _)| *w == which).map_or(0, |(_, v)| *v)
    }
    fn set_task_setting(&mut self, which: TaskSetting, value: u64) -> KResult<()> {
        self.settings.push((which, value));
        Ok(())
    }
    fn brk(&mut self, new_end: u64) -> u64 {
        unimplemented!("fake core: brk")
    }
    fn mmap(
        &mut self,
        addr: u64,
        len: u64,
        prot: Protection,
        flags: MapFlags,
        fd: Option<Fd>,
        offset: u64,
    ) -> KResult<u64> {
        unimplemented!("fake core: mmap")
    }
    fn munmap(&mut self, addr: u64, len: u64) -> KResult<()> {
        unimplemented!("fake core: munmap")
    }
    fn mprotect(&mut self, addr: u64, len: u64, prot: Protection) -> KResult<()> {
        unimplemented!("fake core: mprotect")
    }
    fn sync_mappings(&mut self, addr: u64, len: u64, _invalidate: bool) -> KResult<()> {
        unimplemented!("fake core: sync_mappings")
    }
    fn discard_pages(&mut self, addr: u64, len: u64) -> KResult<()> {
        unimplemented!("fake core: discard_pages")
    }
    fn mremap(&mut self, old: u64, old_len: u64, new_len: u64, may_move: bool, fixed: Option<u64>) -> KResult<u64> {
        unimplemented!("fake core: mremap")
    }
    fn signal_action(&mut self, signal: Signal, new: Option<SignalAction>) -> KResult<SignalAction> {
        unimplemented!("fake core: signal_action")
    }
    fn signal_mask(&mut self, how: MaskHow, set: Option<u64>) -> u64 {
        unimplemented!("fake core: signal_mask")
    }
    fn pending_signals(&mut self) -> u64 {
        unimplemented!("fake core: pending_signals")
    }
    fn alt_stack(&mut self, new: Option<AltStack>) -> KResult<AltStack> {
        unimplemented!("fake core: alt_stack")
    }
    fn on_alt_stack(&mut self) -> bool {
        unimplemented!("fake core: on_alt_stack")
    }
    fn kill(&mut self, target: KillTarget, signal: Option<Signal>) -> KResult<()> {
        unimplemented!("fake core: kill")
    }
    fn kill_thread(&mut self, tgid: Option<u32>, tid: u32, signal: Option<Signal>) -> KResult<()> {
        unimplemented!("fake core: kill_thread")
    }
    fn wait_for_signal(&mut self, set: u64, deadline: Option<u64>) -> KResult<SignalInfo> {
        unimplemented!("fake core: wait_for_signal")
    }
    fn queue_signal(&mut self, pid: u32, signal: Signal, value: u64) -> KResult<()> {
        unimplemented!("fake core: queue_signal")
    }
    fn suspend(&mut self, mask: u64) -> KResult<()> {
        unimplemented!("fake core: suspend")
    }
    fn create_timer(&mut self, clock: Clock, notify: TimerNotify) -> KResult<u32> {
        unimplemented!("fake core: create_timer")
    }
    fn set_timer(&mut self, id: u32, value: u64, interval: u64, absolute: bool) -> KResult<(u64, u64)> {
        unimplemented!("fake core: set_timer")
    }
    fn get_timer(&mut self, id: u32) -> KResult<(u64, u64, u32)> {
        unimplemented!("fake core: get_timer")
    }
    fn delete_timer(&mut self, id: u32) -> KResult<()> {
        unimplemented!("fake core: delete_timer")
    }
    fn restore_mask_after_handler(&mut self, old: u64) {
        unimplemented!("fake core: restore_mask_after_handler")
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
    fn read_link(&mut self, dir: DirFd, path: &[u8]) -> KResult<Vec<u8>> {
        unimplemented!("fake core: read_link")
    }
    fn read_dir(&mut self, fd: Fd, emit: &mut dyn FnMut(&DirEntryInfo<'_>) -> bool) -> KResult<()> {
        unimplemented!("fake core: read_dir")
    }
    fn make_dir(&mut self, dir: DirFd, path: &[u8], mode: u32) -> KResult<()> {
        unimplemented!("fake core: make_dir")
    }
    fn make_node(&mut self, dir: DirFd, path: &[u8], node: vfs::FileType, mode: u32, rdev: (u32, u32)) -> KResult<()> {
        unimplemented!("fake core: make_node")
    }
    fn unlink(&mut self, dir: DirFd, path: &[u8], remove_dir: bool) -> KResult<()> {
        unimplemented!("fake core: unlink")
    }
    fn rename(&mut self, old_dir: DirFd, old: &[u8], new_dir: DirFd, new: &[u8], no_replace: bool) -> KResult<()> {
        unimplemented!("fake core: rename")
    }
    fn link(&mut self, old_dir: DirFd, old: &[u8], new_dir: DirFd, new: &[u8], follow: bool) -> KResult<()> {
        unimplemented!("fake core: link")
    }
    fn symlink(&mut self, target: &[u8], dir: DirFd, path: &[u8]) -> KResult<()> {
        unimplemented!("fake core: symlink")
    }
    fn chmod(&mut self, dir: DirFd, path: &[u8], mode: u32, follow: bool) -> KResult<()> {
        unimplemented!("fake core: chmod")
    }
    fn fchmod(&mut self, fd: Fd, mode: u32) -> KResult<()> {
        unimplemented!("fake core: fchmod")
    }
    fn chown(&mut self, dir: DirFd, path: &[u8], uid: Option<u32>, gid: Option<u32>, follow: bool) -> KResult<()> {
        unimplemented!("fake core: chown")
    }
    fn fchown(&mut self, fd: Fd, uid: Option<u32>, gid: Option<u32>) -> KResult<()> {
        unimplemented!("fake core: fchown")
    }
    fn set_times(
        &mut self,
        dir: DirFd,
        path: Option<&[u8]>,
        atime: Option<Option<(i64, u32)>>,
        mtime: Option<Option<(i64, u32)>>,
        follow: bool,
    ) -> KResult<()> {
        unimplemented!("fake core: set_times")
    }
    fn truncate(&mut self, dir: DirFd, path: &[u8], len: u64) -> KResult<()> {
        unimplemented!("fake core: truncate")
    }
    fn ftruncate(&mut self, fd: Fd, len: u64) -> KResult<()> {
        unimplemented!("fake core: ftruncate")
    }
    fn access(&mut self, dir: DirFd, path: &[u8], want: u32, effective_ids: bool, follow: bool) -> KResult<()> {
        unimplemented!("fake core: access")
    }
    fn chdir(&mut self, path: &[u8]) -> KResult<()> {
        unimplemented!("fake core: chdir")
    }
    fn fchdir(&mut self, fd: Fd) -> KResult<()> {
        unimplemented!("fake core: fchdir")
    }
    fn chroot(&mut self, path: &[u8]) -> KResult<()> {
        unimplemented!("fake core: chroot")
    }
    fn getcwd(&mut self) -> KResult<Vec<u8>> {
        unimplemented!("fake core: getcwd")
    }
    fn umask(&mut self, new: u32) -> u32 {
        unimplemented!("fake core: umask")
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
    fn lock_file(&mut self, fd: Fd, kind: Option<LockKind>, wait: bool) -> KResult<()> {
        self.lock_calls.push(LockCall::File { fd, kind, wait });
        self.lock_answer
    }
    fn lock_range(
        &mut self,
        fd: Fd,
        kind: Option<LockKind>,
        range: LockRange,
        scope: LockScope,
        wait: bool,
    ) -> KResult<()> {
        self.lock_calls.push(LockCall::Range { fd, kind, range, scope, wait });
        self.lock_answer
    }
    fn test_lock_range(
        &mut self,
        fd: Fd,
        kind: LockKind,
        range: LockRange,
        scope: LockScope,
    ) -> KResult<Option<LockHolder>> {
        self.lock_calls.push(LockCall::Test { fd, kind, range, scope });
        Ok(self.lock_holder)
    }
    fn set_status_flags(&mut self, fd: Fd, flags: StatusFlags) -> KResult<()> {
        unimplemented!("fake core: set_status_flags")
    }
    fn create_signal_reader(
        &mut self,
        mask: u64,
        flags: DescriptorFlags,
        format: &'static dyn SignalRecordFormat,
    ) -> KResult<Fd> {
        let fd = self.new_fd();
        self.signal_readers.push((fd, mask, flags, format));
        Ok(fd)
    }
    fn set_signal_reader_mask(&mut self, fd: Fd, mask: u64) -> KResult<()> {
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
    fn create_counter(&mut self, initial: u64, flags: CounterFlags) -> KResult<Fd> {
        self.counters.push((initial, flags));
        Ok(9 + self.counters.len() as Fd)
    }
    fn open_process_handle(&mut self, pid: u32, non_blocking: bool) -> KResult<Fd> {
        self.process_handles.push((pid, non_blocking));
        Ok(30)
    }
    fn signal_process_handle(&mut self, fd: Fd, signal: Option<Signal>) -> KResult<u32> {
        if fd != 30 {
            return Err(Error::BadDescriptor);
        }
        self.handle_signals.push(signal);
        Ok(77)
    }
    fn pipe(&mut self, close_on_exec: bool, non_blocking: bool) -> KResult<(Fd, Fd)> {
        unimplemented!("fake core: pipe")
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
    fn transfer(&mut self, output: Fd, input: Fd, offset: Option<u64>, count: usize) -> KResult<(usize, Option<u64>)> {
        unimplemented!("fake core: transfer")
    }
    fn poll(&mut self, requests: &mut [PollRequest], deadline_ns: Option<u64>) -> KResult<usize> {
        unimplemented!("fake core: poll")
    }
    fn termios(&mut self, fd: Fd) -> KResult<tty::Termios> {
        unimplemented!("fake core: termios")
    }
    fn set_termios(&mut self, fd: Fd, termios: &tty::Termios, when: TermiosWhen) -> KResult<()> {
        unimplemented!("fake core: set_termios")
    }
    fn block_request(&mut self, fd: Fd, request: kernel_ops::BlockRequest) -> KResult<kernel_ops::BlockReply> {
        self.block_calls.push((fd, request));
        self.block_answer
    }
    fn tty_request(&mut self, fd: Fd, request: TtyRequest) -> KResult<TtyReply> {
        unimplemented!("fake core: tty_request")
    }
    fn fsync(&mut self, fd: Fd) -> KResult<()> {
        unimplemented!("fake core: fsync")
    }
    fn sync(&mut self) {
        unimplemented!("fake core: sync")
    }
    fn open_with_rules(&mut self, _: DirFd, _: &[u8], _: OpenFlags, _: u32, _: ResolveRules) -> KResult<Fd> {
        unimplemented!("fake core: open_with_rules")
    }
    fn exec_at(&mut self, _: DirFd, _: &[u8], _: bool, _: &[Vec<u8>], _: &[Vec<u8>]) -> KResult<()> {
        unimplemented!("fake core: exec_at")
    }
    fn lease(&mut self, _: Fd) -> KResult<Option<LeaseKind>> {
        unimplemented!("fake core: lease")
    }
    fn set_lease(&mut self, _: Fd, _: Option<LeaseKind>) -> KResult<()> {
        unimplemented!("fake core: set_lease")
    }
    fn sync_filesystem(&mut self, _: Fd) -> KResult<()> {
        unimplemented!("fake core: sync_filesystem")
    }
    fn tee(&mut self, _: Fd, _: Fd, _: usize, _: SpliceFlags) -> KResult<usize> {
        unimplemented!("fake core: tee")
    }
    fn vmsplice(&mut self, _: Fd, _: &[(u64, usize)], _: SpliceFlags) -> KResult<usize> {
        unimplemented!("fake core: vmsplice")
    }
    fn mount(&mut self, _: &[u8], _: &[u8], _: &[u8], _: bool) -> KResult<()> {
        unimplemented!("fake core: mount")
    }
    fn unmount(&mut self, _: &[u8]) -> KResult<()> {
        unimplemented!("fake core: unmount")
    }
    fn clock_resolution(&self, clock: Clock) -> u64 {
        unimplemented!("fake core: clock_resolution")
    }
    fn sleep_until(&mut self, clock: Clock, deadline: u64) -> KResult<()> {
        unimplemented!("fake core: sleep_until")
    }
    fn set_realtime(&mut self, ns_since_epoch: u64) -> KResult<()> {
        unimplemented!("fake core: set_realtime")
    }
    fn current_cpu(&self) -> u32 {
        0
    }
    fn cpu_count(&self) -> u32 {
        1
    }
    fn aio_create(&mut self, ring_bytes: u64, slots: u32, charge: u32) -> KResult<u64> {
        if self.aio_charged + u64::from(charge) > self.aio_limit {
            return Err(Error::WouldBlock);
        }
        let ring = self.aio.iter().map(|s| s.ring + s.ring_bytes).max().unwrap_or(AIO_RINGS);
        self.range(ring, ring_bytes as usize)?;
        self.aio_charged += u64::from(charge);
        self.aio.push(AioState { ring, ring_bytes, slots, ..AioState::default() });
        Ok(ring)
    }
    fn aio_update(&mut self, id: u64, change: &mut dyn FnMut(&mut AioState)) -> KResult<()> {
        let s = self.aio.iter_mut().find(|s| s.ring == id).ok_or(Error::InvalidArgument)?;
        let before = s.clone();
        change(s);
        if *s != before {
            s.generation += 1;
        }
        Ok(())
    }
    fn aio_destroy(&mut self, id: u64) -> KResult<AioState> {
        let i = self.aio.iter().position(|s| s.ring == id).ok_or(Error::InvalidArgument)?;
        Ok(self.aio.remove(i))
    }
    /// Nothing else runs here: every wait times out.
    fn aio_wait(&mut self, id: u64, seen: u64, watch: &mut [PollRequest], deadline: Option<u64>) -> KResult<()> {
        self.aio.iter().find(|s| s.ring == id).ok_or(Error::InvalidArgument)?;
        Err(Error::TimedOut)
    }
    /// Counters are the descriptors create_counter made (from 10).
    fn add_to_counter(&mut self, fd: Fd, value: u64) -> KResult<()> {
        match usize::try_from(fd - 10).ok().and_then(|i| self.counters.get_mut(i)) {
            Some(c) => {
                c.0 += value;
                Ok(())
            }
            None => self.open_fd(fd).and(Err(Error::InvalidArgument)),
        }
    }
    /// "file" (from anywhere) is node 42 of file system 3 behind mount 24;
    /// "/proc/x" is on a file system that cannot open by handle.
    fn node_handle(&mut self, dir: DirFd, path: Option<&[u8]>, follow: bool) -> KResult<NodeHandle> {
        match path {
            Some(b"file") => Ok(NodeHandle { mount_id: 24, fs: 3, ino: 42, generation: 0, decodable: true }),
            Some(b"/proc/x") => Ok(NodeHandle { mount_id: 22, fs: 1, ino: 7, generation: 0, decodable: false }),
            _ => Err(Error::NotFound),
        }
    }
    /// Records the handle and answers fd 33.
    fn open_by_handle(&mut self, anchor: DirFd, handle: &NodeHandle, flags: OpenFlags) -> KResult<Fd> {
        self.log.push(format!(
            "open_by_handle {anchor:?} fs {} ino {} read {} write {}",
            handle.fs, handle.ino, flags.read, flags.write
        ));
        Ok(33)
    }
    // Scheduling and locked memory: thread 0 (the caller) and 7 exist;
    // every change is recorded in `log`.
    fn scheduling(&mut self, tid: u32) -> KResult<Scheduling> {
        if tid == 0 || tid == 7 {
            Ok(Scheduling::NORMAL)
        } else {
            Err(Error::NoSuchProcess)
        }
    }
    fn set_scheduling(&mut self, tid: u32, new: Scheduling) -> KResult<()> {
        self.log.push(format!("set_scheduling {tid} {new:?}"));
        Ok(())
    }
    fn cpu_affinity(&mut self, tid: u32) -> KResult<u64> {
        if tid == 0 || tid == 7 {
            Ok(1)
        } else {
            Err(Error::NoSuchProcess)
        }
    }
    fn lock_memory(&mut self, addr: u64, len: u64, on_fault: bool) -> KResult<()> {
        self.log.push(format!("lock_memory {addr:#x} {len:#x} {on_fault}"));
        Ok(())
    }
    fn lock_all_memory(&mut self, current: bool, future: bool, on_fault: bool) -> KResult<()> {
        self.log.push(format!("lock_all_memory {current} {future} {on_fault}"));
        Ok(())
    }
    fn resident_pages(&mut self, addr: u64, pages: usize) -> KResult<Vec<bool>> {
        Ok((0..pages).map(|i| i % 2 == 0).collect())
    }
    fn system_info(&mut self) -> SystemInfo {
        unimplemented!("fake core: system_info")
    }
    fn set_hostname(&mut self, name: &[u8]) -> KResult<()> {
        unimplemented!("fake core: set_hostname")
    }
    fn power_off(&mut self, reboot: bool) -> KResult<()> {
        unimplemented!("fake core: power_off")
    }
}
