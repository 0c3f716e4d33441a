//! Signals as the kernel keeps them (task/signal.rs): pending sets and
//! their records, the blocked mask, standard signals merging and
//! real-time ones queueing, default actions deciding what is thrown away
//! on arrival, job-control signals cancelling each other, and a signal
//! ending an interruptible wait. A parked test thread stands in for a
//! user thread: it has a process, a mask and pending sets, and sleeps
//! where no signal can end its wait.

use super::kthread;
use super::TestResult;
use crate::check;
use crate::sched::{self, WaitError, WaitQueue};
use crate::sync::SpinLock;
use crate::task::process::Process;
use crate::task::signal;
use crate::task::thread::{Thread, ThreadState};
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, Ordering};
use kernel_ops::{Signal, SignalCause, SignalHandler};

/// A thread of its own process asleep until `release` (signals do not
/// end its wait), its process's main thread.
struct Parked {
    process: Arc<Process>,
    thread: Arc<Thread>,
    queue: Arc<WaitQueue>,
    released: Arc<AtomicBool>,
}

impl Parked {
    fn new() -> Result<Parked, String> {
        let process = kthread::process()?;
        let (queue, released) = (Arc::new(WaitQueue::new()), Arc::new(AtomicBool::new(false)));
        let (q, r) = (queue.clone(), released.clone());
        let thread = kthread::spawn(&process, move || {
            let _ = q.wait_until(false, None, || r.load(Ordering::Relaxed));
        })?;
        process.threads.lock().push(thread.clone());
        if !kthread::run_until(1_000_000_000, || thread.state() == ThreadState::Blocked) {
            return Err("the parked thread did not block".into());
        }
        Ok(Parked { process, thread, queue, released })
    }

    /// Lets the thread end, and breaks the process-thread cycle.
    fn finish(self) -> TestResult {
        self.released.store(true, Ordering::Relaxed);
        self.queue.wake_all();
        let joined = kthread::join(core::slice::from_ref(&self.thread));
        self.process.threads.lock().clear();
        joined
    }
}

fn queued(value: u64) -> SignalCause {
    SignalCause::Queued { pid: 42, uid: 0, value }
}

fn value_of(info: Option<kernel_ops::SignalInfo>) -> Option<u64> {
    match info?.cause {
        SignalCause::Queued { value, .. } => Some(value),
        _ => None,
    }
}

/// A standard signal sent while one is pending merges into it (the first
/// one's record is kept, a second take finds nothing); a real-time
/// signal queues every instance, taken in the order sent; with several
/// pending, the lowest number is taken first.
pub fn standard_merge_realtime_queue() -> TestResult {
    let parked = Parked::new()?;
    let t = &parked.thread;
    signal::send_to_thread(t, Signal::USR1, queued(1));
    signal::send_to_thread(t, Signal::USR1, queued(2));
    check!(signal::pending_in(t, Signal::USR1.bit()));
    let first = signal::take_from_set(t, Signal::USR1.bit());
    check!(value_of(first) == Some(1), "took {first:?}, not the first instance's record");
    let second = signal::take_from_set(t, Signal::USR1.bit());
    check!(second.is_none(), "a second SIGUSR1 was queued: {second:?}");
    check!(!signal::pending_in(t, Signal::USR1.bit()), "SIGUSR1 still pending once taken");

    let rt = Signal::new(40).ok_or("no signal 40")?;
    for v in [10, 20, 30] {
        signal::send_to_thread(t, rt, queued(v));
    }
    let taken: Vec<Option<u64>> = (0..4).map(|_| value_of(signal::take_from_set(t, rt.bit()))).collect();
    check!(taken == [Some(10), Some(20), Some(30), None], "real-time instances taken as {taken:?}");

    for s in [Signal::USR2, Signal::TERM, Signal::HUP] {
        signal::send_to_thread(t, s, SignalCause::Kernel);
    }
    let set = Signal::USR2.bit() | Signal::TERM.bit() | Signal::HUP.bit();
    let order: Vec<Option<Signal>> = (0..4).map(|_| signal::take_from_set(t, set).map(|i| i.signal)).collect();
    check!(order == [Some(Signal::HUP), Some(Signal::USR2), Some(Signal::TERM), None], "taken in order {order:?}");
    parked.finish()
}

/// A blocked signal stays pending but is not deliverable until unblocked;
/// SIGKILL is deliverable whatever the mask.
pub fn blocked_signal_waits_for_unblock() -> TestResult {
    let parked = Parked::new()?;
    let t = &parked.thread;
    t.signals.lock().mask = Signal::USR1.bit() | Signal::KILL.bit();
    signal::send_to_thread(t, Signal::USR1, SignalCause::Kernel);
    check!(signal::pending_in(t, Signal::USR1.bit()), "a blocked signal was not kept");
    check!(!t.has_deliverable_signal(), "a blocked signal counts as deliverable");
    t.signals.lock().mask = Signal::KILL.bit();
    check!(t.has_deliverable_signal(), "unblocking did not make the pending signal deliverable");
    check!(signal::take_from_set(t, Signal::USR1.bit()).is_some());
    check!(!t.has_deliverable_signal());
    signal::send_to_thread(t, Signal::KILL, SignalCause::Kernel);
    check!(t.has_deliverable_signal(), "SIGKILL was held back by the mask");
    check!(signal::fatal_pending(t));
    t.signals.lock().pending = 0;
    parked.finish()
}

/// What arrives is thrown away when its action ignores it (explicitly, or
/// by default: CHLD, URG, WINCH) and it is not blocked; a blocked one is
/// kept (the action may change, sigwait may take it); signals whose
/// default is to terminate, dump core, stop or continue are kept.
pub fn ignored_signals_discarded_unless_blocked() -> TestResult {
    let parked = Parked::new()?;
    let t = &parked.thread;
    let urg = Signal::new(23).ok_or("no signal 23")?;
    for s in [Signal::CHLD, urg, Signal::WINCH] {
        signal::send_to_thread(t, s, SignalCause::Kernel);
        check!(!signal::pending_in(t, s.bit()), "{s:?}, ignored by default, was kept");
    }
    for s in [Signal::TERM, Signal::SEGV, Signal::TSTP, Signal::CONT] {
        signal::send_to_thread(t, s, SignalCause::Kernel);
        check!(signal::pending_in(t, s.bit()), "{s:?} was thrown away on arrival");
    }
    t.signals.lock().pending = 0;

    t.signals.lock().mask = Signal::WINCH.bit();
    signal::send_to_thread(t, Signal::WINCH, SignalCause::Kernel);
    check!(signal::pending_in(t, Signal::WINCH.bit()), "a blocked default-ignored signal was thrown away");
    t.signals.lock().mask = 0;
    t.signals.lock().pending = 0;

    parked.process.actions().lock()[Signal::USR2.number() as usize - 1].handler = SignalHandler::Ignore;
    signal::send_to_thread(t, Signal::USR2, SignalCause::Kernel);
    check!(!signal::pending_in(t, Signal::USR2.bit()), "an explicitly ignored signal was kept");
    // SIGKILL cannot be ignored.
    parked.process.actions().lock()[Signal::KILL.number() as usize - 1].handler = SignalHandler::Ignore;
    signal::send_to_thread(t, Signal::KILL, SignalCause::Kernel);
    check!(signal::pending_in(t, Signal::KILL.bit()), "an ignored SIGKILL was thrown away");
    t.signals.lock().pending = 0;
    parked.finish()
}

/// Sent to a process, a signal is pending for the process (any thread may
/// take it); SIGCONT cancels pending stop signals and a stop signal
/// cancels a pending SIGCONT, as POSIX asks.
pub fn process_signals_and_job_control_cancel() -> TestResult {
    let parked = Parked::new()?;
    let (p, t) = (&parked.process, &parked.thread);
    signal::send_to_process(p, Signal::TSTP, SignalCause::Kernel);
    check!(p.shared_pending() & Signal::TSTP.bit() != 0, "SIGTSTP to the process is not pending for it");
    check!(t.signals.lock().pending == 0, "a process signal was made the thread's own");
    check!(signal::pending_in(t, Signal::TSTP.bit()), "the thread does not see its process's signal");
    signal::send_to_process(p, Signal::CONT, SignalCause::Kernel);
    check!(p.shared_pending() & Signal::TSTP.bit() == 0, "SIGCONT left SIGTSTP pending");
    check!(p.shared_pending() & Signal::CONT.bit() != 0, "SIGCONT itself not pending");
    signal::send_to_process(p, Signal::TTIN, SignalCause::Kernel);
    check!(p.shared_pending() & Signal::CONT.bit() == 0, "a stop signal left SIGCONT pending");
    let taken = signal::take_from_set(t, !0).map(|i| i.signal);
    check!(taken == Some(Signal::TTIN), "the thread took {taken:?} from its process");
    check!(p.shared_pending() == 0, "pending {:#x} after taking the only signal", p.shared_pending());
    parked.finish()
}

/// A deliverable signal ends an interruptible wait (Interrupted) and a
/// sleep, but a wait that is not interruptible only looks at its
/// condition again and sleeps on.
pub fn signal_interrupts_interruptible_wait() -> TestResult {
    let parked = Parked::new()?;
    let queue = Arc::new(WaitQueue::new());
    let results: Arc<SpinLock<Vec<Result<(), WaitError>>>> = Arc::new(SpinLock::new(Vec::new()));
    let (q, out) = (queue.clone(), results.clone());
    let waiter = kthread::spawn(&parked.process, move || {
        // Each result is pushed after the wait: the lock is a spinlock.
        let r = q.wait_until(true, None, || false);
        out.lock().push(r);
        // The signal is still pending: clear it for the sleep below.
        sched::current().signals.lock().pending = 0;
        let r = sched::sleep_until(crate::time::now_ns() + 60_000_000_000);
        out.lock().push(r);
    })?;
    check!(kthread::run_until(1_000_000_000, || waiter.state() == ThreadState::Blocked));
    // The parked thread is woken too (a signal wakes its target) but its
    // wait does not end.
    signal::send_to_thread(&parked.thread, Signal::USR1, SignalCause::Kernel);
    kthread::run_until(10_000_000, || false);
    check!(parked.thread.state() == ThreadState::Blocked, "a signal ended a wait that is not interruptible");
    check!(results.lock().is_empty(), "the other thread woke for a signal not sent to it");

    signal::send_to_thread(&waiter, Signal::USR1, SignalCause::Kernel);
    check!(kthread::run_until(1_000_000_000, || results.lock().len() == 1 && waiter.state() == ThreadState::Blocked));
    signal::send_to_thread(&waiter, Signal::USR2, SignalCause::Kernel);
    kthread::join(core::slice::from_ref(&waiter))?;
    let results = results.lock().clone();
    check!(results == [Err(WaitError::Interrupted), Err(WaitError::Interrupted)], "the waits ended with {results:?}");
    parked.thread.signals.lock().pending = 0;
    parked.finish()
}
