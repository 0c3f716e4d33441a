//! Process tracing: a tracer (strace, a debugger) attaches to a thread,
//! which then stops at signals, system calls and events, reports each
//! stop to the tracer through wait, and sleeps until the tracer resumes it.
//!
//! While a tracee is stopped, its user registers, FPU state and FS base
//! are published in its `Trace` (copied from its trap frame when it
//! stops); the tracer reads and changes that copy, and the tracee writes
//! it back into its frame when it is resumed. So the tracer never reaches
//! into another thread's kernel stack.
//!
//! A thread that is not traced pays one atomic load per system call and
//! per signal (`TRACED`).

use super::process::{self, Process};
use super::signal;
use super::thread::Thread;
use crate::arch::context::FpuState;
use crate::arch::debug_registers::Breakpoints;
use crate::sched::{self, WaitQueue};
use alloc::sync::{Arc, Weak};
use alloc::vec::Vec;
use core::sync::atomic::Ordering;
use kernel_ops::UserContext;
use kernel_ops::*;

/// `Thread::trace_flags` bits, readable without the lock.
pub const TRACED: u8 = 1;
/// PTRACE_SYSCALL: stop at the next system-call entry and exit.
pub const SYSCALL_STOPS: u8 = 2;
/// PTRACE_INTERRUPT asked for a stop.
pub const INTERRUPT: u8 = 4;
/// Attached while in a job-control stop: to leave it for a trace stop,
/// which the attacher waits for (Linux's JOBCTL_TRAPPING).
pub const TRAPPING: u8 = 8;

/// Stopped tracees sleep here until resumed (or killed).
static RESUMED: WaitQueue = WaitQueue::new();

/// How a traced thread is traced.
pub struct Trace {
    tracer: Weak<Process>,
    tracer_pid: u32,
    options: TraceOptions,
    seized: bool,
    /// Set while the thread is stopped: what the tracer sees and changes.
    stopped: Option<TraceeState>,
    /// The stop has been reported through wait.
    reported: bool,
    /// What the tracer said when it resumed the thread.
    resume: Option<(TraceResume, Option<Signal>)>,
    /// Resumed with LISTEN: stays stopped as a job-control stop.
    listen: bool,
    /// The tracer let go (PTRACE_DETACH, or it ended) while the thread was
    /// stopped: no longer traced, though it has yet to wake and take back
    /// its registers.
    detaching: bool,
    stepping: bool,
    fpu_changed: bool,
    thread_pointer_changed: bool,
    debug_changed: bool,
    event_message: u64,
    /// How the thread ended, until the tracer's wait collects it.
    exit: Option<ChildStatus>,
    /// The debug registers the tracer set, and the last debug trap's
    /// status (kept, never armed).
    debug: DebugRegisters,
}

fn flags_of(t: &Thread) -> u8 {
    t.trace_flags.load(Ordering::Acquire)
}

/// Whether `t` is traced (one atomic load).
pub fn is_traced(t: &Thread) -> bool {
    flags_of(t) & TRACED != 0
}

/// Whether `t` stops at system calls.
pub fn wants_syscall_stops(t: &Thread) -> bool {
    flags_of(t) & SYSCALL_STOPS != 0
}

/// Whether `t` must leave its job-control stop for a trace stop.
pub fn trapping(t: &Thread) -> bool {
    flags_of(t) & TRAPPING != 0
}

/// Whether a tracer asked `t` to stop (it counts as a pending signal for
/// interruptible sleeps).
pub fn interrupt_requested(t: &Thread) -> bool {
    flags_of(t) & INTERRUPT != 0
}

/// The pid of `p`'s tracer (of its main thread), 0 when untraced
/// (/proc/<pid>/status TracerPid).
pub fn tracer_pid(p: &Process) -> u32 {
    p.main_thread()
        .and_then(|t| t.trace.lock().as_ref().filter(|tr| tr.exit.is_none() && !tr.detaching).map(|tr| tr.tracer_pid))
        .unwrap_or(0)
}

/// Any thread with this id, whichever process it belongs to.
fn find_thread(tid: u32) -> Option<Arc<Thread>> {
    if let Some(p) = process::find(tid) {
        if let Some(t) = p.threads.lock().iter().find(|t| t.tid == tid).cloned() {
            return Some(t);
        }
    }
    process::all().into_iter().find_map(|p| p.threads.lock().iter().find(|t| t.tid == tid).cloned())
}

/// Whether `tracer` may trace `target`: with SysPtrace always; otherwise
/// the same user on every id, a target that did not change its ids
/// (setuid), and no privilege the tracer does not hold, as Linux checks.
fn may_trace(tracer: &Process, target: &Process) -> bool {
    let me = *tracer.creds.lock();
    if me.has(kernel_ops::Privilege::SysPtrace) {
        return true;
    }
    let them = *target.creds.lock();
    let uid_ok = me.uid == them.uid && me.uid == them.euid && me.uid == them.suid;
    let gid_ok = me.gid == them.gid && me.gid == them.egid && me.gid == them.sgid;
    uid_ok && gid_ok && them.privileges.permitted.is_subset_of(me.privileges.permitted)
}

fn begin(t: &Arc<Thread>, tracer: &Arc<Process>, options: TraceOptions, seized: bool) {
    *t.trace.lock() = Some(Trace {
        tracer: Arc::downgrade(tracer),
        tracer_pid: tracer.pid,
        options,
        seized,
        stopped: None,
        reported: false,
        resume: None,
        listen: false,
        detaching: false,
        stepping: false,
        fpu_changed: false,
        thread_pointer_changed: false,
        debug_changed: false,
        event_message: 0,
        exit: None,
        debug: DebugRegisters::default(),
    });
    t.trace_flags.store(TRACED, Ordering::Release);
    tracer.tracees.lock().push(t.clone());
}

/// PTRACE_TRACEME: the parent becomes the tracer.
pub fn trace_me(t: &Arc<Thread>) -> KResult<()> {
    let parent = t.process().parent().ok_or(Error::NotPermitted)?;
    if is_traced(t) {
        return Err(Error::NotPermitted);
    }
    begin(t, &parent, TraceOptions::default(), false);
    Ok(())
}

/// PTRACE_ATTACH / PTRACE_SEIZE.
pub fn attach(me: &Arc<Thread>, tid: u32, seize: bool, options: TraceOptions) -> KResult<()> {
    let target = find_thread(tid).ok_or(Error::NoSuchProcess)?;
    let tracer = me.process().clone();
    let tp = target.process().clone();
    if Arc::ptr_eq(&tp, &tracer) || tp.is_zombie() || target.is_exiting() || tp.is_native() {
        return Err(Error::NotPermitted);
    }
    if !may_trace(&tracer, &tp) {
        return Err(Error::NotPermitted);
    }
    // A thread its last tracer just let go wakes first to take back its
    // registers (it is runnable: this ends).
    while target.trace.lock().as_ref().is_some_and(|tr| tr.detaching) {
        sched::yield_now();
    }
    if is_traced(&target) {
        return Err(Error::NotPermitted);
    }
    let job_stopped = signal::is_job_stopped(&tp);
    begin(&target, &tracer, options, seize);
    if !seize {
        signal::send_to_thread(&target, Signal::STOP, SignalCause::Kernel);
    }
    if job_stopped && !seize {
        // As Linux: a stopped tracee is in its trace stop when ATTACH
        // returns, so the tracer's next request finds it stopped.
        target.trace_flags.fetch_or(TRAPPING, Ordering::AcqRel);
        signal::wake_stopped();
        let _ = tracer
            .child_events
            .wait_until(true, None, || !trapping(&target) || target.is_exiting() || !is_traced(&target));
    }
    Ok(())
}

/// The tracee `tid` of the caller's process; with `stopped`, only while
/// it is in a trace stop (ESRCH otherwise, as Linux).
fn tracee(me: &Thread, tid: u32, stopped: bool) -> KResult<Arc<Thread>> {
    let tracer = me.process();
    let t = tracer.tracees.lock().iter().find(|t| t.tid == tid).cloned().ok_or(Error::NoSuchProcess)?;
    let tr = t.trace.lock();
    let Some(trace) = tr.as_ref() else { return Err(Error::NoSuchProcess) };
    if trace.exit.is_some() || (stopped && (trace.stopped.is_none() || trace.resume.is_some())) {
        return Err(Error::NoSuchProcess);
    }
    drop(tr);
    Ok(t)
}

fn with_trace<R>(t: &Thread, f: impl FnOnce(&mut Trace) -> KResult<R>) -> KResult<R> {
    let mut tr = t.trace.lock();
    let trace = tr.as_mut().ok_or(Error::NoSuchProcess)?;
    f(trace)
}

pub fn resume(me: &Thread, tid: u32, how: TraceResume, sig: Option<Signal>) -> KResult<()> {
    let t = tracee(me, tid, true)?;
    with_trace(&t, |tr| {
        tr.resume = Some((how, sig));
        tr.detaching = how == TraceResume::Detach;
        Ok(())
    })?;
    if how == TraceResume::Detach {
        t.trace_flags.store(0, Ordering::Release);
        me.process().tracees.lock().retain(|x| !Arc::ptr_eq(x, &t));
    }
    RESUMED.wake_all();
    Ok(())
}

pub fn listen(me: &Thread, tid: u32) -> KResult<()> {
    let t = tracee(me, tid, true)?;
    with_trace(&t, |tr| {
        let group = matches!(tr.stopped.as_ref().map(|s| s.stop), Some(TraceStop::Group(_)));
        if !tr.seized || !group {
            return Err(Error::Io);
        }
        tr.listen = true;
        tr.resume = Some((TraceResume::Continue, None));
        Ok(())
    })?;
    RESUMED.wake_all();
    Ok(())
}

pub fn interrupt(me: &Thread, tid: u32) -> KResult<()> {
    let t = tracee(me, tid, false)?;
    let seized = with_trace(&t, |tr| Ok(tr.seized))?;
    if !seized {
        return Err(Error::Io);
    }
    t.trace_flags.fetch_or(INTERRUPT, Ordering::AcqRel);
    sched::wake(&t);
    Ok(())
}

pub fn kill(me: &Thread, tid: u32) -> KResult<()> {
    let t = tracee(me, tid, false)?;
    signal::send_to_process(t.process(), Signal::KILL, SignalCause::Kernel);
    RESUMED.wake_all();
    Ok(())
}

pub fn set_options(me: &Thread, tid: u32, options: TraceOptions) -> KResult<()> {
    let t = tracee(me, tid, true)?;
    with_trace(&t, |tr| {
        tr.options = options;
        Ok(())
    })
}

pub fn state(me: &Thread, tid: u32) -> KResult<TraceeState> {
    let t = tracee(me, tid, true)?;
    let mut state = with_trace(&t, |tr| tr.stopped.clone().ok_or(Error::NoSuchProcess))?;
    state.signal_mask = t.signals.lock().mask;
    Ok(state)
}

pub fn change(me: &Thread, tid: u32, c: &TraceeChange<'_>) -> KResult<()> {
    let t = tracee(me, tid, true)?;
    with_trace(&t, |tr| {
        let s = tr.stopped.as_mut().ok_or(Error::NoSuchProcess)?;
        if let Some(r) = c.context {
            s.context = r.clone();
        }
        if let Some(f) = c.fpu {
            s.fpu = *f;
            tr.fpu_changed = true;
        }
        if let Some(tp) = c.thread_pointer {
            if tp >= crate::arch::layout::USER_END {
                return Err(Error::Io);
            }
            if tp != s.thread_pointer {
                s.thread_pointer = tp;
                tr.thread_pointer_changed = true;
            }
        }
        if let Some(info) = c.siginfo {
            s.siginfo = info;
        }
        if let Some(d) = c.debug {
            // Never a kernel address, whatever the personality let through.
            if d.address.iter().any(|a| *a >= crate::arch::layout::USER_END) {
                return Err(Error::InvalidArgument);
            }
            s.debug = d;
            tr.debug = d;
            tr.debug_changed = true;
        }
        Ok(())
    })?;
    if let Some(mask) = c.signal_mask {
        // The stopped thread looks at its signals again when resumed.
        t.signals.lock().mask = mask & !(Signal::KILL.bit() | Signal::STOP.bit());
    }
    Ok(())
}

pub fn read_memory(me: &Thread, tid: u32, addr: u64, buf: &mut [u8]) -> KResult<()> {
    let t = tracee(me, tid, true)?;
    t.process().mm().copy_in(addr, buf).map_err(|_| Error::Fault)
}

pub fn write_memory(me: &Thread, tid: u32, addr: u64, data: &[u8]) -> KResult<()> {
    let t = tracee(me, tid, true)?;
    t.process().mm().write_forced(addr, data).map_err(|_| Error::Fault)
}

/// The wait status a stop reports.
fn status_of(stop: TraceStop, options: TraceOptions, seized: bool) -> ChildStatus {
    match stop {
        TraceStop::Signal(signal) => ChildStatus::Traced { signal, syscall: false, event: None },
        TraceStop::SyscallEntry | TraceStop::SyscallExit => {
            ChildStatus::Traced { signal: Signal::TRAP, syscall: options.syscall_good, event: None }
        }
        TraceStop::Event(e) => ChildStatus::Traced { signal: Signal::TRAP, syscall: false, event: Some(e) },
        TraceStop::Group(signal) => {
            ChildStatus::Traced { signal, syscall: false, event: seized.then_some(TraceEvent::Stop) }
        }
    }
}

/// Tells the tracer something changed (SIGCHLD, and its waits look again).
fn notify_tracer(t: &Thread, tracer: &Arc<Process>, status: ChildStatus) {
    let uid = t.process().creds.lock().uid;
    signal::send_to_process(tracer, Signal::CHLD, SignalCause::Child { pid: t.tid, uid, status });
    tracer.child_events.wake_all();
}

/// What the tracer said when it let the thread go on.
pub struct Resumed {
    /// The signal to deliver (a signal stop's, possibly changed; None:
    /// suppressed).
    pub signal: Option<SignalInfo>,
}

/// Stops the calling thread `t` for its tracer and sleeps until resumed
/// (or killed, or detached). Returns None at once when `t` is not traced.
pub fn stop(
    t: &Arc<Thread>,
    frame: &mut UserContext,
    stop: TraceStop,
    info: SignalInfo,
    syscall: Option<TracedSyscall>,
) -> Option<Resumed> {
    let (tracer, status) = {
        let mut tr = t.trace.lock();
        let trace = tr.as_mut()?;
        let tracer = trace.tracer.upgrade()?;
        if trace.stepping {
            frame.set_single_step(false);
            trace.stepping = false;
        }
        if let TraceStop::Event(_) = stop {
            // event_message was set by the caller through set_event_message.
        }
        let fpu = *t.context().fpu_snapshot(true).bytes();
        // The signal mask is read fresh by `state`: the thread's own.
        trace.stopped = Some(TraceeState {
            context: frame.clone(),
            fpu,
            thread_pointer: t.context().thread_pointer(),
            stop,
            event_message: trace.event_message,
            siginfo: info,
            syscall,
            debug: trace.debug,
            signal_mask: 0,
        });
        trace.reported = false;
        trace.resume = None;
        trace.fpu_changed = false;
        trace.thread_pointer_changed = false;
        trace.debug_changed = false;
        (tracer, status_of(stop, trace.options, trace.seized))
    };
    t.trace_flags.fetch_and(!(INTERRUPT | TRAPPING), Ordering::AcqRel);
    notify_tracer(t, &tracer, status);
    drop(tracer);
    let p = t.process().clone();
    let _ = RESUMED.wait_until(false, None, || {
        let killed = p.shared_pending() & Signal::KILL.bit() != 0 || t.signals.lock().pending & Signal::KILL.bit() != 0;
        killed || t.trace.lock().as_ref().is_none_or(|tr| tr.resume.is_some() || tr.tracer.strong_count() == 0)
    });
    // Take back what the tracer left.
    let mut tr = t.trace.lock();
    let trace = tr.as_mut()?;
    let state = trace.stopped.take()?;
    *frame = state.context.clone();
    if trace.fpu_changed {
        let mut f = FpuState::initial();
        f.set_bytes(&state.fpu);
        t.context().set_fpu(f, true);
    }
    if trace.thread_pointer_changed {
        t.context().set_thread_pointer(state.thread_pointer, true);
    }
    if trace.debug_changed {
        t.context().set_breakpoints(Breakpoints::new(state.debug.address, state.debug.control), true);
    }
    let (how, sig) = trace.resume.take().unwrap_or((TraceResume::Continue, None));
    let listen = core::mem::take(&mut trace.listen);
    match how {
        TraceResume::Syscall => {
            t.trace_flags.fetch_or(SYSCALL_STOPS, Ordering::AcqRel);
        }
        _ => {
            t.trace_flags.fetch_and(!SYSCALL_STOPS, Ordering::AcqRel);
        }
    }
    if how == TraceResume::SingleStep {
        frame.set_single_step(true);
        trace.stepping = true;
    }
    if how == TraceResume::Detach {
        *tr = None;
        t.trace_flags.store(0, Ordering::Release);
        // Nobody is left to hear of a breakpoint.
        t.context().set_breakpoints(Breakpoints::default(), true);
    }
    drop(tr);
    let signal = sig.map(|s| {
        if s == state.siginfo.signal {
            state.siginfo
        } else {
            SignalInfo { signal: s, cause: SignalCause::Kernel }
        }
    });
    if listen {
        if let TraceStop::Group(s) = stop {
            signal::job_control_stop(&p, s);
        }
    }
    Some(Resumed { signal })
}

/// The conditions of the debug trap `t` just took (DR6), for its tracer.
pub fn record_debug_status(t: &Thread, status: u64) {
    if !is_traced(t) {
        return;
    }
    if let Some(tr) = t.trace.lock().as_mut() {
        tr.debug.status = status;
    }
}

/// Sets what the next event stop reports through PTRACE_GETEVENTMSG.
fn set_event_message(t: &Thread, value: u64) {
    if let Some(tr) = t.trace.lock().as_mut() {
        tr.event_message = value;
    }
}

fn options_of(t: &Thread) -> Option<(TraceOptions, bool, Weak<Process>)> {
    t.trace.lock().as_ref().map(|tr| (tr.options, tr.seized, tr.tracer.clone()))
}

/// An event stop, if the tracer asked for `event` (`wanted`).
pub fn event(
    t: &Arc<Thread>,
    frame: &mut UserContext,
    event: TraceEvent,
    message: u64,
    wanted: impl Fn(&TraceOptions) -> bool,
) {
    let Some((options, ..)) = options_of(t) else { return };
    if !wanted(&options) {
        return;
    }
    set_event_message(t, message);
    let info = SignalInfo { signal: Signal::TRAP, cause: SignalCause::Trace { syscall: false, event: Some(event) } };
    if let Some(r) = stop(t, frame, TraceStop::Event(event), info, None) {
        requeue(t, r.signal);
    }
}

/// A signal the tracer gave at a stop that is not a signal stop: it is
/// sent to the thread, as Linux does.
fn requeue(t: &Arc<Thread>, signal: Option<SignalInfo>) {
    if let Some(info) = signal {
        signal::send_to_thread(t, info.signal, info.cause);
    }
}

/// A new task `child` made by traced `parent`: traced too when the
/// tracer asked for this kind of child. Returns the event to report.
pub fn inherit(parent: &Thread, child: &Arc<Thread>, args: &CloneArgs) -> Option<TraceEvent> {
    let (options, seized, tracer) = options_of(parent)?;
    let event = if args.vfork {
        TraceEvent::Vfork
    } else if !args.thread && args.exit_signal == Some(Signal::CHLD) {
        TraceEvent::Fork
    } else {
        TraceEvent::Clone
    };
    let wanted = match event {
        TraceEvent::Vfork => options.vfork,
        TraceEvent::Fork => options.fork,
        _ => options.clone,
    };
    let tracer = tracer.upgrade()?;
    if !wanted {
        return None;
    }
    begin(child, &tracer, options, seized);
    if seized {
        child.trace_flags.fetch_or(INTERRUPT, Ordering::AcqRel);
    } else {
        child.mark_pending(&mut child.signals.lock(), Signal::STOP.bit());
    }
    Some(event)
}

/// After a successful exec: the exec event, or (for a tracee attached the
/// old way without it) a SIGTRAP, as Linux sends.
pub fn after_exec(t: &Arc<Thread>, frame: &mut UserContext) {
    let Some((options, seized, _)) = options_of(t) else { return };
    // The old program's breakpoints go with it, as on Linux.
    if let Some(tr) = t.trace.lock().as_mut() {
        tr.debug = DebugRegisters::default();
    }
    t.context().set_breakpoints(Breakpoints::default(), true);
    if options.exec {
        event(t, frame, TraceEvent::Exec, u64::from(t.tid), |o| o.exec);
    } else if !seized {
        signal::send_to_thread(t, Signal::TRAP, SignalCause::Kernel);
    }
}

/// The classic wait status of an exit (PTRACE_EVENT_EXIT's message).
fn wait_status(status: ChildStatus) -> u64 {
    match status {
        ChildStatus::Exited(c) => u64::from(c) << 8,
        ChildStatus::Signaled { signal, core_dumped } => {
            u64::from(signal.number()) | if core_dumped { 0x80 } else { 0 }
        }
        _ => 0,
    }
}

/// The exit event stop, before a traced thread ends (not for SIGKILL).
pub fn before_exit(t: &Arc<Thread>, frame: &mut UserContext, status: ChildStatus) {
    if !is_traced(t) {
        return;
    }
    event(t, frame, TraceEvent::Exit, wait_status(status), |o| o.exit);
}

/// A traced thread ended: its tracer's wait collects the end, unless the
/// tracer is the process's parent and this is its main thread (the
/// ordinary child report then tells it).
pub fn thread_ended(t: &Arc<Thread>, status: ChildStatus) {
    if !is_traced(t) {
        return;
    }
    let p = t.process();
    let mut tr = t.trace.lock();
    let Some(trace) = tr.as_mut() else { return };
    let Some(tracer) = trace.tracer.upgrade() else {
        *tr = None;
        return;
    };
    let leader_of_child = t.tid == p.pid && p.parent().is_some_and(|parent| Arc::ptr_eq(&parent, &tracer));
    if leader_of_child {
        *tr = None;
        drop(tr);
        t.trace_flags.store(0, Ordering::Release);
        tracer.tracees.lock().retain(|x| !Arc::ptr_eq(x, t));
        return;
    }
    trace.exit = Some(status);
    trace.stopped = None;
    drop(tr);
    if t.tid != p.pid {
        notify_tracer(t, &tracer, status);
    }
}

/// The process of a traced main thread ended: its tracer (not its
/// parent) collects the whole process's status first.
pub fn process_ended(p: &Arc<Process>, status: ChildStatus) {
    // The thread list's lock is let go before the search: that takes the
    // process table, which comes first in the lock order.
    let first = p.threads.lock().first().cloned();
    let Some(main) = first.or_else(|| find_traced_leader(p)) else { return };
    let tracer = {
        let mut tr = main.trace.lock();
        let Some(trace) = tr.as_mut() else { return };
        trace.exit = Some(status);
        trace.tracer.upgrade()
    };
    if let Some(tracer) = tracer {
        notify_tracer(&main, &tracer, status);
    }
}

/// The main thread of `p` as its tracer still holds it (the process's own
/// list is empty once every thread has ended).
fn find_traced_leader(p: &Arc<Process>) -> Option<Arc<Thread>> {
    process::all().into_iter().find_map(|tracer| {
        tracer.tracees.lock().iter().find(|t| t.tid == p.pid && Arc::ptr_eq(t.process(), p)).cloned()
    })
}

/// Whether `child`'s end is still for its tracer to collect (its parent's
/// wait does not see it yet).
pub fn hides_exit(child: &Process) -> bool {
    process::all().into_iter().any(|tracer| {
        tracer.pid != child.parent_pid()
            && tracer.tracees.lock().iter().any(|t| t.tid == child.pid && t.trace.lock().is_some())
    })
}

/// A tracer's wait: a stop or an end of one of its tracees that matches.
/// Returns (tid, uid, status) and marks it collected unless `peek`. A
/// collected end may let the tracee's real parent collect it in turn: that
/// parent is put in `wake`, for the caller to wake once it is out of its
/// wait's `ready` check (which runs under the tracer's own `child_events`
/// lock: waking another process's queue there could meet that process,
/// in its own check, waking ours).
pub fn collect(
    tracer: &Arc<Process>,
    matches: impl Fn(&Thread) -> bool,
    options: WaitOptions,
    wake: &mut Option<Arc<Process>>,
) -> (bool, Option<(Arc<Thread>, u32, ChildStatus)>) {
    let tracees: Vec<Arc<Thread>> = tracer.tracees.lock().clone();
    let mut any = false;
    for t in tracees.iter().filter(|t| matches(t)) {
        any = true;
        let uid = t.process().creds.lock().uid;
        let mut tr = t.trace.lock();
        let Some(trace) = tr.as_mut() else { continue };
        if let Some(status) = trace.exit {
            if !options.exited {
                continue;
            }
            if t.tid == t.process().pid && !t.process().is_zombie() {
                continue; // the leader's end counts once the whole process has ended
            }
            if !options.no_reap {
                *tr = None;
                drop(tr);
                t.trace_flags.store(0, Ordering::Release);
                tracer.tracees.lock().retain(|x| !Arc::ptr_eq(x, t));
                // The real parent may collect it now (woken by the caller).
                *wake = t.process().parent().filter(|parent| !Arc::ptr_eq(parent, tracer));
            }
            return (true, Some((t.clone(), uid, status)));
        }
        if let Some(s) = trace.stopped.as_ref() {
            if !trace.reported && trace.resume.is_none() {
                let status = status_of(s.stop, trace.options, trace.seized);
                if !options.no_reap {
                    trace.reported = true;
                }
                return (true, Some((t.clone(), uid, status)));
            }
        }
    }
    (any, None)
}

/// The tracer `p` ended: its tracees go free (killed with EXITKILL).
pub fn tracer_ended(p: &Process) {
    let tracees: Vec<Arc<Thread>> = core::mem::take(&mut *p.tracees.lock());
    for t in tracees {
        let kill = {
            let mut tr = t.trace.lock();
            let Some(trace) = tr.as_mut() else { continue };
            let kill = trace.options.exit_kill && trace.exit.is_none();
            if trace.stopped.is_some() {
                trace.resume = Some((TraceResume::Detach, None));
                trace.detaching = true;
                t.trace_flags.store(0, Ordering::Release);
            } else {
                *tr = None;
                t.trace_flags.store(0, Ordering::Release);
            }
            kill
        };
        if kill {
            signal::send_to_process(t.process(), Signal::KILL, SignalCause::Kernel);
        }
    }
    RESUMED.wake_all();
}

fn trap(syscall_good: bool) -> SignalInfo {
    SignalInfo { signal: Signal::TRAP, cause: SignalCause::Trace { syscall: syscall_good, event: None } }
}

fn syscall_good(t: &Thread) -> bool {
    t.trace.lock().as_ref().is_some_and(|tr| tr.options.syscall_good)
}

/// The syscall-entry stop. False: the tracer skipped the call (set its
/// number to -1); the result register is what it left there.
pub fn syscall_entry(t: &Arc<Thread>, frame: &mut UserContext) -> bool {
    let personality = t.process().personality();
    let call = TracedSyscall { result: 0, ..personality.traced_call(frame) };
    personality.enter_traced_call(frame);
    let good = syscall_good(t);
    if let Some(r) = stop(t, frame, TraceStop::SyscallEntry, trap(good), Some(call)) {
        requeue(t, r.signal);
    }
    personality.resume_traced_call(frame)
}

/// The syscall-exit stop (the result is in the frame).
pub fn syscall_exit(t: &Arc<Thread>, frame: &mut UserContext) {
    let call = t.process().personality().traced_call(frame);
    let good = syscall_good(t);
    if let Some(r) = stop(t, frame, TraceStop::SyscallExit, trap(good), Some(call)) {
        requeue(t, r.signal);
    }
}

/// A tracer's interrupt (PTRACE_INTERRUPT, or a seized child's first
/// stop), taken on the way back to user mode.
pub fn take_interrupt(t: &Arc<Thread>, frame: &mut UserContext) {
    if flags_of(t) & INTERRUPT == 0 {
        return;
    }
    t.trace_flags.fetch_and(!INTERRUPT, Ordering::AcqRel);
    let info = SignalInfo {
        signal: Signal::TRAP,
        cause: SignalCause::Trace { syscall: false, event: Some(TraceEvent::Stop) },
    };
    if let Some(r) = stop(t, frame, TraceStop::Event(TraceEvent::Stop), info, None) {
        requeue(t, r.signal);
    }
}

/// The signal-delivery stop: the tracer sees `info` first. Returns what
/// to deliver instead (None: nothing).
pub fn signal_stop(t: &Arc<Thread>, frame: &mut UserContext, info: SignalInfo) -> Option<SignalInfo> {
    match stop(t, frame, TraceStop::Signal(info.signal), info, None) {
        Some(r) => r.signal,
        None => Some(info),
    }
}

/// A stopping signal's group stop, as the tracer sees it.
pub fn group_stop(t: &Arc<Thread>, frame: &mut UserContext, signal: Signal) {
    let info = SignalInfo { signal, cause: SignalCause::Kernel };
    if let Some(r) = stop(t, frame, TraceStop::Group(signal), info, None) {
        requeue(t, r.signal);
    }
}
