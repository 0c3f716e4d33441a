//! Signals: sending, default actions, and delivery on the way back to user
//! mode (where the process's personality builds its OS's signal frame).

use super::core_ops::CoreOps;
use super::process::{self, Process};
use super::thread::Thread;
use crate::sched::{self, WaitQueue};
use alloc::sync::Arc;
use kernel_ops::UserContext;
use kernel_ops::{ChildStatus, DefaultAction, Signal, SignalAction, SignalCause, SignalHandler, SignalInfo};

/// Stopped processes wait here for SIGCONT (or SIGKILL).
static CONTINUED: WaitQueue = WaitQueue::new();

const STOP_SIGNALS: u64 = (1 << 18) | (1 << 19) | (1 << 20) | (1 << 21); // STOP, TSTP, TTIN, TTOU bits

fn ignored(p: &Process, signal: Signal) -> bool {
    let action = p.actions().lock()[signal.number() as usize - 1];
    match action.handler {
        SignalHandler::Ignore => true,
        SignalHandler::Default => signal.default_action() == DefaultAction::Ignore,
        SignalHandler::User(_) => false,
    }
}

/// Whether `signal` would be thrown away or held back for `p`'s main thread
/// (job control uses this to pick EIO over SIGTTIN).
pub fn is_ignored_or_blocked(p: &Process, signal: Signal) -> bool {
    ignored(p, signal) || p.main_thread().is_some_and(|t| t.signals.lock().mask & signal.bit() != 0)
}

/// Whether `t` blocks `signal` (including signals a sigtimedwait unblocked
/// only for its sleep).
fn blocks(t: &Thread, signal: Signal) -> bool {
    let s = t.signals.lock();
    (s.mask | s.awaited) & signal.bit() != 0
}

/// Whether a signal sent to `t` (or, for a process, to its main thread)
/// is thrown away on arrival: its action ignores it and it is not blocked.
/// A blocked signal is kept, as on Linux, since the action may change
/// before it is unblocked, and a signal reader (signalfd) or sigwait may
/// take it.
fn discarded(p: &Process, t: Option<&Thread>, signal: Signal) -> bool {
    // A traced thread keeps even ignored signals: its tracer sees each one
    // (a signal-delivery stop) before the action throws it away.
    signal != Signal::KILL && ignored(p, signal) && !t.is_some_and(|t| blocks(t, signal) || super::ptrace::is_traced(t))
}

/// Init (pid 1) gets only the signals it has a handler for, as on Linux
/// (SIGNAL_UNKILLABLE): one whose action is the default is dropped on
/// arrival, SIGKILL and SIGSTOP included, unless init caused it itself (a
/// fault, a trace trap). Otherwise any process that may signal it (root;
/// F_SETOWN and F_SETSIG; a timer aimed at it) could end the machine: the
/// fuzz campaign's init died of a SIGBUS a worker sent it. A signal init
/// blocks (`t`: the thread it is for, or the main thread) is kept, as
/// Linux keeps it: sigwait, sigtimedwait and signalfd may take it, and if
/// it is unblocked with the default action still in place, delivery drops
/// it then (`init_drops_on_delivery`).
fn spares_init(p: &Process, t: Option<&Thread>, signal: Signal, cause: &SignalCause) -> bool {
    is_init_default(p, signal, cause) && !t.is_some_and(|t| blocks(t, signal))
}

/// Init, a signal it did not cause, and the default action for it.
fn is_init_default(p: &Process, signal: Signal, cause: &SignalCause) -> bool {
    p.pid == 1
        && !matches!(cause, SignalCause::Fault { .. } | SignalCause::Trace { .. })
        && matches!(p.actions().lock()[signal.number() as usize - 1].handler, SignalHandler::Default)
}

/// A pending signal init let through only because it was blocked, now
/// taken with its default action: dropped, as Linux's get_signal drops it
/// for an unkillable init (SIGKILL and SIGSTOP never get this far).
fn init_drops_on_delivery(p: &Process, info: &SignalInfo) -> bool {
    info.signal != Signal::KILL && info.signal != Signal::STOP && is_init_default(p, info.signal, &info.cause)
}

/// Whether SIGKILL is on its way to `t` (sent to it or to its process, as
/// a group exit and exec's ending of other threads send it): waits that
/// signals do not interrupt still end for it, as Linux's killable waits
/// do, so that no process outlives SIGKILL by waiting on another.
pub fn fatal_pending(t: &Thread) -> bool {
    let kill = Signal::KILL.bit();
    t.signals.lock().pending & kill != 0 || t.try_process().is_some_and(|p| p.shared_pending() & kill != 0)
}

/// Sends `signal` to a whole process (any thread may take it).
pub fn send_to_process(p: &Arc<Process>, signal: Signal, cause: SignalCause) {
    let main = p.main_thread();
    if p.is_zombie() || spares_init(p, main.as_deref(), signal, &cause) {
        return;
    }
    if signal == Signal::CONT {
        p.clear_shared_pending(STOP_SIGNALS);
        for t in p.threads.lock().iter() {
            t.signals.lock().pending &= !STOP_SIGNALS;
        }
        resume(p);
    } else if signal.bit() & STOP_SIGNALS != 0 {
        p.clear_shared_pending(Signal::CONT.bit());
    }
    if discarded(p, main.as_deref(), signal) {
        return;
    }
    if let Some(main) = main {
        let mut s = main.signals.lock();
        record(&mut s, p.shared_pending() & signal.bit() != 0, SignalInfo { signal, cause });
    }
    p.add_shared_pending(signal.bit());
    if signal == Signal::KILL {
        resume(p);
    }
    wake_for_signal(p, signal);
    announce_pending(p);
}

/// Sends `signal` to one thread (tgkill, faults).
pub fn send_to_thread(t: &Arc<Thread>, signal: Signal, cause: SignalCause) {
    let p = t.process().clone();
    if p.is_zombie() || spares_init(&p, Some(t), signal, &cause) || discarded(&p, Some(t), signal) {
        return;
    }
    {
        let mut s = t.signals.lock();
        let already = s.pending & signal.bit() != 0;
        record(&mut s, already, SignalInfo { signal, cause });
        t.mark_pending(&mut s, signal.bit());
    }
    sched::wake(t);
    announce_pending(&p);
}

/// Threads reading signals through a descriptor (signalfd) sleep here.
static READERS: WaitQueue = WaitQueue::new();
/// How many signal readers exist: while there are none, a new pending
/// signal wakes nobody extra.
static READER_COUNT: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

/// A signal reader was created (`reader_closed` when it goes).
pub fn reader_opened() {
    READER_COUNT.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
}

pub fn reader_closed() {
    READER_COUNT.fetch_sub(1, core::sync::atomic::Ordering::Relaxed);
}

/// A signal became pending for `p` or one of its threads: signal readers
/// and the process's pollers look again (the signal is usually blocked,
/// so nothing else would wake them).
fn announce_pending(p: &Process) {
    if READER_COUNT.load(core::sync::atomic::Ordering::Relaxed) > 0 {
        READERS.wake_all();
        p.pollers.wake();
    }
}

/// Whether a signal in `set` is pending for `t`: sent to it, or to its
/// process.
pub fn pending_in(t: &Thread, set: u64) -> bool {
    (t.signals.lock().pending | t.process().shared_pending()) & set != 0
}

/// Sleeps until a signal in `set` is pending for the calling thread
/// (`*set` is read again on every wake: a reader's mask may change), or a
/// deliverable signal interrupts (`Interrupted`).
pub fn wait_pending(set: &dyn Fn() -> u64) -> Result<(), sched::WaitError> {
    let me = sched::current();
    READERS.wait_until(true, None, || pending_in(&me, set()))
}

/// Real-time signals (34 and up) queue every instance; a standard signal
/// that is already pending is merged into the pending one.
const FIRST_REALTIME: u32 = 34;

fn record(s: &mut super::thread::ThreadSignals, already_pending: bool, info: SignalInfo) {
    let n = info.signal.number();
    if already_pending {
        if n >= FIRST_REALTIME && s.queued.len() < 4096 {
            s.queued.push_back(info);
        }
    } else {
        s.info[n as usize - 1] = Some(info);
    }
}

fn wake_for_signal(p: &Arc<Process>, signal: Signal) {
    for t in p.threads.lock().iter() {
        if t.signals.lock().mask & signal.bit() == 0 || signal.is_unblockable() {
            sched::wake(t);
        }
    }
}

/// Sends to every process in a process group; returns how many got it.
pub fn send_to_group(pgid: u32, signal: Signal, cause: SignalCause) -> usize {
    let members: alloc::vec::Vec<_> =
        process::all().into_iter().filter(|p| p.pgid() == pgid && !p.is_zombie()).collect();
    for p in &members {
        send_to_process(p, signal, cause);
    }
    members.len()
}

fn resume(p: &Arc<Process>) {
    let was_stopped = {
        let mut report = p.pending_report.lock();
        let stopped = matches!(*report, Some(ChildStatus::Stopped(_))) || STOPPED.lock().contains(&p.pid);
        if stopped {
            *report = Some(ChildStatus::Continued);
        }
        stopped
    };
    STOPPED.lock().retain(|&pid| pid != p.pid);
    if was_stopped {
        notify_parent(p, ChildStatus::Continued);
    }
    CONTINUED.wake_all();
}

static STOPPED: crate::sync::SpinLock<alloc::vec::Vec<u32>> = crate::sync::SpinLock::new(alloc::vec::Vec::new());

fn is_stopped(p: &Process) -> bool {
    STOPPED.lock().contains(&p.pid)
}

/// Tells the parent that a child changed state (SIGCHLD + wait queue).
pub fn notify_parent(child: &Arc<Process>, status: ChildStatus) {
    let Some(parent) = child.parent() else { return };
    let action = parent.actions().lock()[Signal::CHLD.number() as usize - 1];
    let report = match status {
        ChildStatus::Stopped(_) | ChildStatus::Continued => !action.flags.no_child_stop,
        _ => true,
    };
    let uid = child.creds.lock().uid;
    if report {
        send_to_process(&parent, Signal::CHLD, SignalCause::Child { pid: child.pid, uid, status });
    }
    parent.child_events.wake_all();
}

/// A job-control stop of `p` (also where a traced thread that its tracer
/// told to LISTEN waits).
pub fn job_control_stop(p: &Arc<Process>, signal: Signal) {
    stop(p, signal);
}

fn stop(p: &Arc<Process>, signal: Signal) {
    STOPPED.lock().push(p.pid);
    *p.pending_report.lock() = Some(ChildStatus::Stopped(signal));
    notify_parent(p, ChildStatus::Stopped(signal));
    let t = sched::current();
    // A tracer attaching to a stopped thread takes it out of this stop into
    // a trace stop (ptrace::attach).
    let _ = CONTINUED.wait_until(false, None, || {
        !is_stopped(p) || p.shared_pending() & Signal::KILL.bit() != 0 || super::ptrace::trapping(&t)
    });
}

/// Whether `p` is in a job-control stop.
pub fn is_job_stopped(p: &Process) -> bool {
    is_stopped(p)
}

/// Makes the threads of stopped processes look again at why they wait.
pub fn wake_stopped() {
    CONTINUED.wake_all();
}

/// `p` has set its alarm or a POSIX timer: have the timer interrupt come
/// by its deadline (the process is a tracked object, below, placed by its
/// earliest deadline).
pub fn arm_alarm(p: &Arc<Process>) {
    let object: Arc<dyn crate::sched::Expiring> = p.clone();
    crate::sched::track(Arc::downgrade(&object));
}

impl crate::sched::Expiring for Process {
    fn next_deadline(&self) -> Option<u64> {
        next_deadline(self)
    }

    fn expire(self: Arc<Self>, now: u64) {
        fire_alarms(&self, now);
    }
}

/// The earliest of `p`'s alarm and POSIX timer deadlines.
fn next_deadline(p: &Process) -> Option<u64> {
    let alarm = p.alarm.lock().0;
    let timers = p
        .timers
        .lock()
        .iter()
        .flatten()
        .filter(|t| !t.on_cpu_clock() && t.deadline != 0)
        .map(|t| t.deadline)
        .min()
        .unwrap_or(0);
    [alarm, timers].into_iter().filter(|d| *d != 0).min()
}

/// Fires `p`'s alarm (ITIMER_REAL) and POSIX timers that are due at `now`.
fn fire_alarms(p: &Arc<Process>, now: u64) {
    let fire = {
        let mut alarm = p.alarm.lock();
        if alarm.0 != 0 && alarm.0 <= now {
            alarm.0 = if alarm.1 != 0 { now + alarm.1 } else { 0 };
            true
        } else {
            false
        }
    };
    if fire {
        send_to_process(p, Signal::ALRM, SignalCause::Kernel);
    }
    fire_posix_timers(p, &|t| (!t.on_cpu_clock()).then_some(now));
}

/// Expires POSIX timers that are due: a periodic one counts the periods it
/// missed as overruns, as timer_getoverrun reports. `now` reads a timer's
/// clock, or None for timers this caller does not fire.
///
/// As on Linux, a timer has at most one signal pending: while its last
/// signal is undelivered, an expiry only adds to the overrun count, which
/// delivery hands over (`settle_timer_signal`).
pub fn fire_posix_timers(p: &Arc<Process>, now: &dyn Fn(&super::process::PosixTimer) -> Option<u64>) {
    let undelivered = pending_timer_signals(p);
    let mut due = alloc::vec::Vec::new();
    {
        let mut timers = p.timers.lock();
        for (id, slot) in timers.iter_mut().enumerate() {
            let Some(t) = slot else { continue };
            let Some(now) = now(t) else { continue };
            if t.deadline == 0 || t.deadline > now {
                continue;
            }
            let mut missed = 0;
            if t.interval > 0 {
                let late = (now - t.deadline) / t.interval;
                missed = late;
                t.deadline = t.deadline.saturating_add(late.saturating_add(1).saturating_mul(t.interval));
            } else {
                t.deadline = 0;
            }
            if undelivered.contains(&(id as u32)) {
                t.overrun = t.overrun.saturating_add(missed.saturating_add(1));
            } else {
                t.overrun = missed;
                due.push((id as u32, *t));
            }
        }
    }
    for (id, t) in due {
        let Some(signal) = t.notify.signal else { continue };
        let cause = SignalCause::Timer { id, overrun: overrun_count(t.overrun), value: t.notify.value };
        match t.notify.thread.and_then(|tid| p.threads.lock().iter().find(|x| x.tid == tid).cloned()) {
            Some(thread) => send_to_thread(&thread, signal, cause),
            None => send_to_process(p, signal, cause),
        }
    }
}

/// Takes a pending signal from `set` (sigwaitinfo, signal readers): the
/// thread's own first, then its process's; None if none is.
pub fn take_from_set(t: &Thread, set: u64) -> Option<SignalInfo> {
    take_allowed(t, set).map(|(signal, info)| info.unwrap_or(SignalInfo { signal, cause: SignalCause::Kernel }))
}

/// Takes the next deliverable signal for `t`: its own first, then the
/// process's. SIGKILL is taken even when blocked.
fn take_signal(t: &Thread) -> Option<(Signal, Option<SignalInfo>)> {
    let mask = t.signals.lock().mask;
    take_allowed(t, !mask | Signal::KILL.bit() | Signal::STOP.bit())
}

/// The overrun count a program sees: capped at INT_MAX (Linux's fix for
/// CVE-2018-12896), never negative.
fn overrun_count(raw: u64) -> u32 {
    raw.min(i32::MAX as u64) as u32
}

/// The ids of `p`'s POSIX timers whose signal is pending, not yet
/// delivered (a pending bit with a record naming the timer).
fn pending_timer_signals(p: &Arc<Process>) -> alloc::vec::Vec<u32> {
    let mut ids = alloc::vec::Vec::new();
    let shared = p.shared_pending();
    let main = p.main_thread();
    for t in p.threads.lock().iter() {
        let s = t.signals.lock();
        let is_main = main.as_ref().is_some_and(|m| Arc::ptr_eq(m, t));
        let pending = s.pending | if is_main { shared } else { 0 };
        for info in s.info.iter().flatten().chain(s.queued.iter()) {
            if let SignalCause::Timer { id, .. } = info.cause {
                if pending & info.signal.bit() != 0 {
                    ids.push(id);
                }
            }
        }
    }
    ids
}

/// A timer's signal is being delivered: the expiries counted while it was
/// pending become the overrun that the signal and timer_getoverrun report.
fn settle_timer_signal(timers: &mut [Option<super::process::PosixTimer>], info: &mut SignalInfo) {
    let SignalCause::Timer { id, value, .. } = info.cause else { return };
    if let Some(Some(t)) = timers.get_mut(id as usize) {
        t.overrun_last = overrun_count(t.overrun);
        t.overrun = 0;
        info.cause = SignalCause::Timer { id, overrun: t.overrun_last, value };
    }
}

fn take_allowed(t: &Thread, allowed: u64) -> Option<(Signal, Option<SignalInfo>)> {
    // The process's timers stay locked (and the timer interrupt held off)
    // from taking the signal to settling its overrun: a timer firing in
    // between would find its signal gone, send another and reset the count.
    let p = t.process();
    let mut timers = p.timers.lock();
    let (signal, mut info) = take_unsettled(t, allowed)?;
    if let Some(i) = info.as_mut() {
        settle_timer_signal(&mut timers, i);
    }
    Some((signal, info))
}

fn take_unsettled(t: &Thread, allowed: u64) -> Option<(Signal, Option<SignalInfo>)> {
    let p = t.process();
    {
        let mut s = t.signals.lock();
        let own = s.pending & allowed;
        if own != 0 {
            let n = own.trailing_zeros() + 1;
            let signal = Signal::new(n)?;
            s.pending &= !signal.bit();
            let (info, more) = take_record(&mut s, signal);
            if more {
                t.mark_pending(&mut s, signal.bit());
            }
            return Some((signal, info));
        }
    }
    let n = p.take_shared_pending(allowed)?;
    let signal = Signal::new(n)?;
    // What a process-directed signal carries was recorded with its main
    // thread (send_to_process), whichever thread takes it.
    let holder = p.main_thread();
    let mut s = holder.as_deref().unwrap_or(t).signals.lock();
    let (info, more) = take_record(&mut s, signal);
    if more {
        p.add_shared_pending(signal.bit());
    }
    Some((signal, info))
}

/// Takes what `signal`'s pending instance carries; true when another
/// queued instance of it (real-time signals queue) stays pending.
fn take_record(s: &mut super::thread::ThreadSignals, signal: Signal) -> (Option<SignalInfo>, bool) {
    let n = signal.number() as usize;
    let info = s.info[n - 1].take();
    match s.queued.iter().position(|i| i.signal == signal) {
        Some(pos) => {
            s.info[n - 1] = s.queued.remove(pos);
            (info, true)
        }
        None => (info, false),
    }
}

/// Runs on every return to user mode: reschedules if asked and delivers
/// pending signals (running default actions or building handler frames).
/// The usual case, nothing to do, is a handful of loads in a small
/// function; anything else goes the long way.
pub fn return_to_user(frame: &mut UserContext) {
    if !nothing_to_do(frame) {
        return_to_user_with_work(frame);
    }
}

/// `return_to_user` for a native thread after an IPC call, which wrote
/// only argument and result registers: nothing there to sanitise, no
/// restart (native calls have none), and no deferred work (never run on a
/// native thread). The rest is looked at as always.
pub fn return_to_user_after_ipc(frame: &mut UserContext) {
    let me = sched::current_ref();
    if me.is_exiting() || sched::need_resched() || me.has_deliverable_signal() {
        return_to_user_with_work(frame);
    }
}

/// Whether the thread may go straight back to user mode: no exit, no
/// reschedule, no deferred work, no signal or tracer interrupt, no system
/// call to restart, and a context that may be returned to (made so).
#[inline(always)]
fn nothing_to_do(frame: &mut UserContext) -> bool {
    let me = sched::current_ref();
    let Some(p) = me.try_process() else { return false };
    !me.is_exiting()
        && !sched::need_resched()
        && !crate::mm::deferred::pending()
        && !me.has_deliverable_signal()
        && !(frame.in_system_call() && p.personality().may_need_restart(frame))
        && frame.sanitise()
}

#[cold]
#[inline(never)]
fn return_to_user_with_work(frame: &mut UserContext) {
    loop {
        if sched::current_ref().is_exiting() {
            super::lifecycle::finish_exit();
        }
        if sched::need_resched() {
            sched::schedule();
        }
        // Borrowed, not counted: this runs on every system call's way out.
        let me = sched::current_ref();
        let Some(p) = me.try_process() else { return };
        // Sleeping work queued under spinlocks (releasing files, writing
        // shared mappings back) is done here, holding nothing. Never on a
        // native thread: it may be the file server that work waits for.
        if !p.is_native() {
            crate::mm::deferred::run();
            if super::ptrace::interrupt_requested(&me) {
                super::ptrace::take_interrupt(&me.to_arc(), frame);
            }
        }
        if !me.has_deliverable_signal() || !deliver_one(&me.to_arc(), frame) {
            // A call cut short by a signal that ran no handler here (ignored,
            // stopped us, or taken by another thread) starts over; the
            // personality recognises its own "interrupted" marker.
            restart_if_needed(&me, frame);
            // Whatever a personality or a tracer wrote into the context is
            // made safe here, the one way back to user mode.
            if frame.sanitise() {
                return;
            }
            unreturnable_context(&me.to_arc(), frame);
        }
    }
}

/// Delivers one signal. Returns true if the loop should look again
/// (the signal was ignored, stopped us, or resumed us).
fn deliver_one(t: &Arc<Thread>, frame: &mut UserContext) -> bool {
    let p = t.process().clone();
    let Some((signal, info)) = take_signal(t) else { return false };
    let mut info = info.unwrap_or(SignalInfo { signal, cause: SignalCause::Kernel });
    // A tracer sees every signal but SIGKILL first, and decides what
    // becomes of it.
    if signal != Signal::KILL && super::ptrace::is_traced(t) {
        match super::ptrace::signal_stop(t, frame, info) {
            None => return true,
            Some(given) => {
                if t.signals.lock().mask & given.signal.bit() != 0 {
                    send_to_thread(t, given.signal, given.cause);
                    return true;
                }
                info = given;
            }
        }
    }
    let signal = info.signal;
    let actions = p.actions();
    let action = actions.lock()[signal.number() as usize - 1];
    let personality = p.personality();
    match action.handler {
        SignalHandler::Ignore => true,
        SignalHandler::Default if init_drops_on_delivery(&p, &info) => true,
        SignalHandler::Default => match signal.default_action() {
            DefaultAction::Ignore | DefaultAction::Continue => true,
            DefaultAction::Stop if super::ptrace::is_traced(t) => {
                super::ptrace::group_stop(t, frame, signal);
                true
            }
            DefaultAction::Stop => {
                stop(&p, signal);
                true
            }
            DefaultAction::Terminate | DefaultAction::CoreDump => {
                if p.pid == 1 {
                    // The machine ends with it: say what ended it.
                    crate::warn!("init (pid 1) ends on signal {} ({:?})", signal.number(), info.cause);
                }
                let core = signal.default_action() == DefaultAction::CoreDump;
                if signal != Signal::KILL {
                    super::ptrace::before_exit(t, frame, ChildStatus::Signaled { signal, core_dumped: core });
                }
                super::lifecycle::exit_group(t, ChildStatus::Signaled { signal, core_dumped: core });
                true
            }
        },
        SignalHandler::User(_) => {
            // sigsuspend: the frame must save the mask from before the call.
            let restore = t.signals.lock().restore_mask.take();
            if let Some(m) = restore {
                t.signals.lock().mask = m;
            }
            let result = {
                let mut ops = CoreOps::new(t, frame);
                personality.deliver_signal(&mut ops, &info, &action)
            };
            if result.is_err() {
                // No room for the frame (bad stack): the process cannot
                // handle anything any more, as on Linux it dies of SIGSEGV.
                crate::warn!("pid {}: cannot deliver signal {} (bad stack); killing it", p.pid, signal.number());
                super::lifecycle::exit_group(t, ChildStatus::Signaled { signal: Signal::SEGV, core_dumped: true });
                return true;
            }
            let mut s = t.signals.lock();
            s.mask |= action.mask.0;
            if !action.flags.no_defer {
                s.mask |= signal.bit();
            }
            s.mask &= !(Signal::KILL.bit() | Signal::STOP.bit());
            drop(s);
            // SA_RESETHAND resets the handler only: the flags and mask stay
            // (sigaction reports SA_SIGINFO still set, as on Linux).
            if action.flags.reset_handler {
                actions.lock()[signal.number() as usize - 1].handler = kernel_ops::SignalHandler::Default;
            }
            false
        }
    }
}

/// The context's program counter or stack pointer lies outside user space
/// (a handler address, a signal frame or a tracer said so): the thread
/// cannot return to it. As Linux does for a bad `iret`, it gets SIGSEGV;
/// the action is reset first so that a handler that would land in the same
/// place cannot loop.
fn unreturnable_context(t: &Arc<Thread>, frame: &UserContext) {
    let p = t.process().clone();
    crate::debug!("pid {} tid {}: cannot return to user pc {:#x} sp {:#x}", p.pid, t.tid, frame.pc(), frame.sp());
    p.actions().lock()[Signal::SEGV.number() as usize - 1] = SignalAction::default();
    t.signals.lock().mask &= !Signal::SEGV.bit();
    send_to_thread(t, Signal::SEGV, SignalCause::Fault { address: 0, reason: kernel_ops::FaultReason::Protection });
}

fn restart_if_needed(t: &Thread, frame: &mut UserContext) {
    if frame.in_system_call() {
        let personality = t.process().personality();
        if !personality.may_need_restart(frame) {
            return;
        }
        let me = sched::current();
        let mut ops = CoreOps::new(&me, frame);
        personality.restart_syscall(&mut ops);
    }
}
