//! Creating, replacing and ending tasks: clone/fork/vfork, exec, exit and
//! wait.

use super::core_ops::CoreOps;
use super::process::{self, NewProcess, Process};
use super::signal;
use super::thread::{Thread, ThreadState};
use crate::arch::context::{self, Context};
use crate::fs::{FdTable, FsContext};
use crate::mm::kernel_stack::KernelStack;
use crate::mm::Mm;
use crate::sched;
use crate::sync::SpinLock;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;
use kernel_ops::UserContext;
use kernel_ops::{ChildStatus, CloneArgs, Error, KResult, Signal, SignalCause, WaitOptions, WaitResult, WaitTarget};

/// Creates a thread or process as `args` says; returns the new id. With
/// `from`, the child starts from that register set (made safe for user
/// mode: the user selectors and the flags a program may set; a program
/// counter or stack outside user space is `InvalidArgument`) rather than
/// from a copy of the caller's readied by the personality.
pub fn clone(t: &Arc<Thread>, frame: &mut UserContext, args: &CloneArgs, from: Option<&UserContext>) -> KResult<u32> {
    let parent = t.process().clone();
    // A deadline thread's budget cannot be split with a child: Linux
    // refuses the fork (EAGAIN) unless the child starts over.
    let sched = t.settings.scheduling.get();
    if sched.policy == kernel_ops::SchedPolicy::Deadline && !sched.reset_on_fork {
        return Err(Error::WouldBlock);
    }
    // A new task needs a kernel stack and page tables at least; a process
    // copying a large address space needs more as it runs.
    if !crate::mm::frames::user_may_allocate(if args.share_memory { 8 } else { 64 }) {
        return Err(Error::NoMemory);
    }
    let mut child_frame = frame.clone();
    match from {
        Some(context) => {
            child_frame = context.clone();
            if !child_frame.sanitise() {
                return Err(Error::InvalidArgument);
            }
            // Not returning from a call: nothing to restart.
            child_frame.leave_system_call();
        }
        None => {
            parent.personality().start_child(&mut child_frame);
            if let Some(start) = args.start {
                parent.personality().start_thread(&mut child_frame, start);
            }
        }
    }
    if let Some(sp) = args.new_stack {
        child_frame.set_sp(sp);
    }
    let id = process::allocate_id();
    let kstack = KernelStack::new().map_err(|_| Error::NoMemory)?;
    let thread_pointer = args.tls.unwrap_or_else(|| t.context().thread_pointer());
    let fpu = t.context().fpu_snapshot(true);
    let mask = t.signals.lock().mask;
    let name = *t.name.lock();
    let ctx = Context::new_user(kstack.top(), &child_frame, fpu, thread_pointer);

    // Before the child's file table is copied: it does not inherit the number.
    let pidfd = args.pidfd_address.map(|address| PidfdReservation::new(&parent, address)).transpose()?;
    let (process, new_thread) = if args.thread {
        let th = Thread::new_user(id, parent.clone(), kstack, ctx, mask, name);
        parent.threads.lock().push(th.clone());
        (parent.clone(), th)
    } else {
        let mm = if args.share_memory { parent.mm() } else { parent.mm().fork().map_err(|_| Error::NoMemory)? };
        let files = if args.share_files {
            parent.files()
        } else {
            let mut copy = parent.files().lock().try_clone().map_err(|_| Error::NoMemory)?;
            drop(pidfd.as_ref().and_then(|r| copy.remove(r.fd)));
            Arc::new(SpinLock::ranked(crate::sync::Rank::FdTable, copy))
        };
        let fs = if args.share_fs { parent.fs() } else { Arc::new(SpinLock::new(parent.fs().lock().clone())) };
        let actions = if args.share_signal_handlers {
            parent.actions()
        } else {
            let mut table = *parent.actions().lock();
            if args.clear_signal_handlers {
                for a in table.iter_mut().filter(|a| matches!(a.handler, kernel_ops::SignalHandler::User(_))) {
                    *a = kernel_ops::SignalAction::default();
                }
            }
            Arc::new(SpinLock::new(table))
        };
        let child = Process::new(NewProcess {
            pid: id,
            personality: parent.registered_personality(),
            mm,
            files,
            fs,
            creds: *parent.creds.lock(),
            groups: parent.groups(),
            // SCHED_RESET_ON_FORK: a child starts with a nice value of 0
            // or more, as Linux's sched_fork gives it.
            nice: if t.settings.scheduling.resets_on_fork() {
                parent.nice.load(Ordering::Relaxed).max(0)
            } else {
                parent.nice.load(Ordering::Relaxed)
            },
            actions,
            parent: Arc::downgrade(&parent),
            pgid: parent.pgid(),
            sid: parent.sid(),
            exe: parent.exe.lock().clone(),
            cmdline: parent.cmdline.lock().clone(),
            limits: *parent.limits.lock(),
        });
        *child.environ.lock() = parent.environ.lock().clone();
        *child.auxv.lock() = parent.auxv.lock().clone();
        child.set_exit_signal(args.exit_signal);
        child.settings.inherit(&parent.settings);
        child.parent_thread.store(t.tid, Ordering::Relaxed);
        let th = Thread::new_user(id, child.clone(), kstack, ctx, mask, name);
        child.threads.lock().push(th.clone());
        parent.children.lock().push(child.clone());
        (child, th)
    };
    if let Some(reservation) = pidfd {
        reservation.complete(&process);
    }
    new_thread.settings.inherit(&t.settings);
    crate::keys::cloned(&parent, t, process.pid, id, args.thread);
    // A forked child keeps its alternate signal stack (it is in the copied
    // address space); a new thread starts without one, as on Linux.
    if !args.share_memory || args.vfork {
        let alt = t.signals.lock().alt_stack;
        new_thread.signals.lock().alt_stack = alt;
    }
    let mut ops = CoreOps::new(&new_thread, &mut child_frame);
    if let Some(addr) = args.child_set_tid_address {
        let _ = kernel_ops::ContextOps::copy_out(&mut ops, addr, &id.to_le_bytes());
    }
    if let Some(addr) = args.child_clear_tid_address {
        new_thread.clear_child_tid.store(addr, Ordering::Release);
    }
    if let Some(addr) = args.parent_tid_address {
        let _ = parent.mm().copy_out(addr, &id.to_le_bytes());
    }
    // A traced parent's tracer may follow the child (it starts stopped).
    let event = if super::ptrace::is_traced(t) { super::ptrace::inherit(t, &new_thread, args) } else { None };
    sched::enqueue(new_thread);
    if let Some(event) = event {
        super::ptrace::event(t, frame, event, u64::from(id), |_| true);
    }
    if args.vfork {
        // Killable, as Linux's: a vfork child that never execs nor exits
        // (stopped, say) must not make its parent immune to SIGKILL.
        let _ =
            process.vfork_done.wait_until(false, None, || *process.vfork_released.lock() || signal::fatal_pending(t));
        if super::ptrace::is_traced(t) {
            super::ptrace::event(t, frame, kernel_ops::TraceEvent::VforkDone, u64::from(id), |o| o.vfork_done);
        }
    }
    Ok(id)
}

/// The descriptor a CLONE_PIDFD parent gets, held by a handle to no
/// process from before the child exists: running out of numbers or a bad
/// address fails the clone before anything is made, as on Linux, and the
/// number is in the parent's memory before the child runs. Dropped without
/// `complete` (the clone failed), the number is given back.
struct PidfdReservation {
    parent: Arc<Process>,
    fd: i32,
    placeholder: Option<Arc<crate::fs::OpenFile>>,
}

impl PidfdReservation {
    fn new(parent: &Arc<Process>, address: u64) -> KResult<Self> {
        let placeholder = crate::fs::pidfd::ProcessHandle::open(None, false);
        let limit = parent.limit(kernel_ops::Resource::OpenFiles).soft;
        let entry = crate::fs::FdEntry { file: placeholder.clone(), close_on_exec: true };
        let fd = parent.files().lock().insert(entry, 0, limit).ok_or(Error::TooManyOpenFiles)?;
        let reservation = PidfdReservation { parent: parent.clone(), fd, placeholder: Some(placeholder) };
        parent.mm().copy_out(address, &fd.to_le_bytes()).map_err(|_| Error::Fault)?;
        Ok(reservation)
    }

    /// Points the descriptor at `child`. Unless another thread of the
    /// parent closed or replaced it meanwhile: what it put there stays.
    fn complete(mut self, child: &Arc<Process>) {
        let entry =
            crate::fs::FdEntry { file: crate::fs::pidfd::ProcessHandle::open(Some(child), false), close_on_exec: true };
        self.settle(Some(entry));
    }

    /// Puts `entry` where the placeholder is (None: closes it), if the
    /// placeholder is still there; once only.
    fn settle(&mut self, entry: Option<crate::fs::FdEntry>) {
        let Some(placeholder) = self.placeholder.take() else { return };
        let old = {
            let table = self.parent.files();
            let mut files = table.lock();
            if !files.get(self.fd).is_some_and(|e| Arc::ptr_eq(&e.file, &placeholder)) {
                None
            } else if let Some(entry) = entry {
                files.insert_at(self.fd, entry)
            } else {
                files.remove(self.fd)
            }
        };
        drop(old); // outside the table's lock
    }
}

impl Drop for PidfdReservation {
    fn drop(&mut self) {
        self.settle(None);
    }
}

/// Lets a vfork parent run again (the child exec'd or exited).
pub fn release_vfork_parent(p: &Process) {
    *p.vfork_released.lock() = true;
    p.vfork_done.wake_all();
}

/// Ends the calling thread (the last thread out ends the process). The
/// thread keeps running kernel code until it next heads for user mode,
/// where `finish_exit` takes it off the CPU: by then every reference the
/// call chain held has been dropped, so the thread and its stack are freed.
pub fn exit_thread(t: &Arc<Thread>, status: ChildStatus) {
    if t.is_exiting() {
        return;
    }
    t.mark_exiting();
    crate::ipc::thread_exiting(t);
    let p = t.process().clone();
    let clear = t.clear_child_tid.swap(0, Ordering::AcqRel);
    if clear != 0 && p.mm().copy_out(clear, &0u32.to_le_bytes()).is_ok() {
        super::futex::wake(&p, clear, 1, u32::MAX);
    }
    // The time since the thread was last switched in is added to its total
    // only at its next switch, which comes after this: count it now.
    let running = if Arc::ptr_eq(t, &sched::current()) { sched::current_slice_ns() } else { 0 };
    p.cpu_ns.fetch_add(t.cpu_ns.load(Ordering::Relaxed) + running, Ordering::Relaxed);
    p.user_ticks.fetch_add(t.user_ticks.load(Ordering::Relaxed), Ordering::Relaxed);
    p.system_ticks.fetch_add(t.system_ticks.load(Ordering::Relaxed), Ordering::Relaxed);
    p.exited_threads.absorb(&t.usage);
    send_parent_death_signals(&p, t.tid);
    crate::keys::thread_exited(t.tid);
    crate::native::thread_ended(t, status);
    super::ptrace::thread_ended(t, p.group_exit().unwrap_or(status));
    let last = {
        let mut threads = p.threads.lock();
        threads.retain(|x| !Arc::ptr_eq(x, t));
        threads.is_empty()
    };
    if last {
        exit_process(&p, status);
    }
}

/// The children `parent` created from thread `tid` lose their parent
/// thread: each of their threads that asked for a parent-death signal
/// (prctl PR_SET_PDEATHSIG) has it sent to its process, as Linux does when
/// the creating thread ends, even if other threads of the parent live on.
fn send_parent_death_signals(parent: &Process, tid: u32) {
    let children: Vec<Arc<Process>> = parent
        .children
        .lock()
        .iter()
        .filter(|c| c.parent_thread.load(Ordering::Relaxed) == tid && !c.is_zombie())
        .cloned()
        .collect();
    for child in children {
        // Later deaths are measured against the parent's main thread.
        child.parent_thread.store(parent.pid, Ordering::Relaxed);
        let wanted: Vec<Signal> =
            child.threads.lock().iter().filter_map(|th| th.settings.parent_death_signal()).collect();
        for signal in wanted {
            signal::send_to_process(&child, signal, SignalCause::Kernel);
        }
    }
}

/// Where `p`'s orphans go: the nearest living ancestor that made itself a
/// child subreaper (prctl PR_SET_CHILD_SUBREAPER), else init.
fn reaper_for(p: &Process) -> Option<Arc<Process>> {
    let mut ancestor = p.parent();
    while let Some(a) = ancestor {
        if a.pid == 1 {
            return Some(a);
        }
        if a.settings.is_child_subreaper() && !a.is_zombie() {
            return Some(a);
        }
        ancestor = a.parent();
    }
    process::find(1)
}

/// Leaves the CPU for good. Must be called with no `Arc<Thread>` or
/// `Arc<Process>` alive in the caller's frames.
pub fn finish_exit() -> ! {
    sched::current().set_state(ThreadState::Dead);
    sched::schedule();
    unreachable!("a dead thread was scheduled");
}

/// Ends every thread of the calling thread's process.
pub fn exit_group(t: &Arc<Thread>, status: ChildStatus) {
    let p = t.process().clone();
    p.set_group_exit(status);
    for other in p.threads.lock().iter() {
        if !Arc::ptr_eq(other, t) {
            other.mark_pending(&mut other.signals.lock(), Signal::KILL.bit());
            sched::wake(other);
        }
    }
    exit_thread(t, status)
}

fn exit_process(p: &Arc<Process>, status: ChildStatus) {
    let status = p.group_exit().unwrap_or(status);
    // Close files outside every lock: closing a pipe end wakes others.
    // A table another process shares (CLONE_FILES) stays as it is.
    if let Some(files) = p.leave_files() {
        let closing = files.lock().take_all();
        drop(closing);
    }
    // Give the memory back now; a zombie keeps only its bookkeeping.
    super::usage::sample_peak_rss(p);
    crate::arch::paging::load_kernel_root();
    if let Ok(empty) = Mm::new() {
        drop(p.replace_mm(empty));
    }
    // SEM_UNDO, and segments this process was the last to map.
    crate::sysv::process_exit(p.pid);
    crate::keys::process_exited(p.pid);
    *p.alarm.lock() = (0, 0);
    // Its tracees go free; its own tracer hears of its end first.
    super::ptrace::tracer_ended(p);
    if p.pid == 1 {
        init_exited(status);
    }
    // Orphans go to a subreaper or to init, which reap them.
    let orphans: Vec<Arc<Process>> = core::mem::take(&mut *p.children.lock());
    if let Some(reaper) = reaper_for(p) {
        for c in &orphans {
            c.set_parent(&reaper);
            c.parent_thread.store(reaper.pid, Ordering::Relaxed);
        }
        reaper.children.lock().extend(orphans.iter().cloned());
        if orphans.iter().any(|c| c.is_zombie()) {
            reaper.child_events.wake_all();
        }
    }
    // A session leader's end hangs its terminal up for the session.
    if let Some(tty) = crate::fs::tty::controlling(p.sid()).filter(|_| p.sid() == p.pid) {
        let fg = tty.foreground();
        tty.detach();
        if fg != 0 {
            signal::send_to_group(fg, Signal::HUP, SignalCause::Kernel);
        }
    }
    *p.exit.lock() = Some(super::process::Exit { status });
    super::ptrace::process_ended(p, status);
    crate::native::task_ended(p, status);
    crate::fs::inet::server::process_ended(p.pid);
    p.ended.wake_all();
    // Its process handles (pidfds) just became readable.
    p.pollers.wake();
    release_vfork_parent(p);
    if p.exit_signal().is_some() {
        signal::notify_parent(p, status);
    } else if let Some(parent) = p.parent() {
        parent.child_events.wake_all();
    }
}

/// When init ends, so does the machine: its status becomes the status the
/// whole run reports (`cargo xtask run -- program` relies on this).
fn init_exited(status: ChildStatus) -> ! {
    let code = match status {
        ChildStatus::Exited(c) => u32::from(c),
        ChildStatus::Signaled { signal, .. } => 128 + signal.number(),
        _ => 1,
    };
    crate::info!("init exited with status {code}; powering off");
    // As for reboot(2): what programs wrote to served file systems reaches
    // the disk before the machine stops.
    crate::fs::sync_for_power_off();
    crate::profile::dump();
    crate::println!("helctic: init exited with status {code}");
    crate::arch::cpu::exit_machine(if code == 0 {
        crate::arch::cpu::ExitStatus::Success
    } else {
        crate::arch::cpu::ExitStatus::Failure
    })
}

fn matches_thread(t: &Thread, target: WaitTarget) -> bool {
    match target {
        WaitTarget::Any => true,
        WaitTarget::Pid(pid) => t.tid == pid,
        WaitTarget::ProcessGroup(g) => t.process().pgid() == g,
    }
}

fn matches(c: &Process, target: WaitTarget) -> bool {
    match target {
        WaitTarget::Any => true,
        WaitTarget::Pid(pid) => c.pid == pid,
        WaitTarget::ProcessGroup(g) => c.pgid() == g,
    }
}

/// Wakes a traced child's real parent once its tracer collected its end.
fn wake_parent(parent: Option<Arc<Process>>) {
    if let Some(parent) = parent {
        parent.child_events.wake_all();
    }
}

/// wait4/waitid: a child that changed state, or None with `no_hang`.
pub fn wait(t: &Arc<Thread>, target: WaitTarget, options: WaitOptions) -> KResult<Option<WaitResult>> {
    let p = t.process().clone();
    let mut found: Option<WaitResult> = None;
    // A real parent to wake once out of `check` (ptrace::collect).
    let mut wake: Option<Arc<Process>> = None;
    let mut check = || -> KResult<bool> {
        let children = p.children.lock().clone();
        let mut any = false;
        for c in children.iter().filter(|c| matches(c, target)) {
            any = true;
            let uid = c.creds.lock().uid;
            if options.exited {
                let exit = *c.exit.lock();
                if let Some(exit) = exit.filter(|_| !super::ptrace::hides_exit(c)) {
                    let usage = super::usage::of_reaped_child(c);
                    if !options.no_reap {
                        p.children.lock().retain(|x| !Arc::ptr_eq(x, c));
                        process::unlist(c);
                        p.children_cpu_ns.fetch_add(usage.user_ns, Ordering::Relaxed);
                        super::usage::add_reaped(&p, &usage);
                    }
                    found = Some(WaitResult { pid: c.pid, uid, status: exit.status, usage });
                    return Ok(true);
                }
            }
            let mut report = c.pending_report.lock();
            let wanted = match *report {
                Some(ChildStatus::Stopped(_)) => options.stopped,
                Some(ChildStatus::Continued) => options.continued,
                _ => false,
            };
            if wanted {
                let status = report.expect("checked above");
                if !options.no_reap {
                    *report = None;
                }
                found = Some(WaitResult { pid: c.pid, uid, status, usage: super::usage::of_process(c, 0) });
                return Ok(true);
            }
        }
        // Threads it traces (stops, and ends its tracer collects).
        let (tracing, traced) = super::ptrace::collect(&p, |th| matches_thread(th, target), options, &mut wake);
        if let Some((th, uid, status)) = traced {
            found = Some(WaitResult { pid: th.tid, uid, status, usage: super::usage::of_process(th.process(), 0) });
            return Ok(true);
        }
        if any || tracing {
            Ok(false)
        } else {
            Err(Error::NoChild)
        }
    };
    let first = check();
    if first.as_ref().map_or(true, |done| *done || options.no_hang) {
        wake_parent(wake);
        return first.map(|_| found);
    }
    let mut error = None;
    let waited = p.child_events.wait_until(true, None, || match check() {
        Ok(done) => done,
        Err(e) => {
            error = Some(e);
            true
        }
    });
    // Outside the wait's ready check: it ran under our queue's lock.
    wake_parent(wake);
    if let Some(e) = error {
        return Err(e);
    }
    match waited {
        Ok(()) => Ok(found),
        Err(_) => Err(Error::Restart),
    }
}

/// The first user process: `path` run as pid 1 with the console as its
/// standard input, output and error.
pub fn spawn_init(fs: FsContext, path: &[u8], argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<Arc<Thread>> {
    let init = create_init(fs)?;
    start_init_program(&init, path, argv, envp)?;
    Ok(init.thread)
}

/// A first process that exists (it has its pid, its console descriptors
/// and its directories) but no program yet: pid 1 while native services
/// bring up the root file system it will start from.
pub struct InitProcess {
    pub thread: Arc<Thread>,
    stack_top: u64,
}

pub fn create_init(fs: FsContext) -> KResult<InitProcess> {
    let pid = process::allocate_id();
    let mm = Mm::new().map_err(|_| Error::NoMemory)?;
    let mut table = FdTable::new().map_err(|_| Error::NoMemory)?;
    let console = crate::fs::OpenFile::new(
        crate::fs::FileObject::Terminal(crate::fs::tty::TtyRef::Console),
        kernel_ops::OpenFlags { read: true, write: true, ..Default::default() },
        b"/dev/console".to_vec(),
    );
    for fd in 0..3 {
        table.insert_at(fd, crate::fs::FdEntry { file: console.clone(), close_on_exec: false });
    }
    let p = Process::new(NewProcess {
        pid,
        personality: crate::personality::default(),
        mm,
        files: Arc::new(SpinLock::ranked(crate::sync::Rank::FdTable, table)),
        fs: Arc::new(SpinLock::new(fs)),
        creds: kernel_ops::Credentials::default(),
        groups: Arc::new(Vec::new()),
        nice: 0,
        actions: Arc::new(SpinLock::new([kernel_ops::SignalAction::default(); 64])),
        parent: alloc::sync::Weak::new(),
        pgid: pid,
        sid: pid,
        exe: Vec::new(),
        cmdline: Vec::new(),
        limits: process::default_limits(),
    });
    let kstack = KernelStack::new().map_err(|_| Error::NoMemory)?;
    // The frame is filled in by exec (start_init_program) before the
    // thread first runs.
    let frame = UserContext::new_program(0, 0);
    let top = kstack.top();
    let t = Thread::new_user(
        pid,
        p.clone(),
        kstack,
        Context::new_user(top, &frame, context::FpuState::initial(), 0),
        0,
        *b"init\0\0\0\0\0\0\0\0\0\0\0\0",
    );
    p.threads.lock().push(t.clone());
    Ok(InitProcess { thread: t, stack_top: top })
}

/// Gives a first process its program (it is not running yet).
pub fn start_init_program(init: &InitProcess, path: &[u8], argv: &[Vec<u8>], envp: &[Vec<u8>]) -> KResult<()> {
    let t = &init.thread;
    let p = t.process().clone();
    let mut frame = UserContext::new_program(0, 0);
    super::exec::exec(t, &mut frame, path, argv, envp)?;
    *p.environ.lock() = super::nul_joined(envp);
    if p.is_native() {
        crate::native::grant_boot_caps(&p, path).map_err(|_| Error::NoMemory)?;
    } else {
        // A Linux init owns the console as its controlling terminal.
        crate::fs::tty::console().attach(p.pid, p.pid);
    }
    t.context().set_initial_frame(init.stack_top, &frame);
    Ok(())
}
