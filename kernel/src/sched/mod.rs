//! The scheduler: which thread runs on each CPU.
//!
//! Round-robin over per-CPU run queues (an idle CPU takes work from the
//! busiest other queue), preempted by the timer tick (on the way back to
//! user mode) or left voluntarily by blocking.
//!
//! The hand-off of the thread being switched out is safe for several CPUs:
//! a preempted thread goes back on a queue only after the switch has saved
//! its context (in `finish_switch`, on the next thread). A CPU takes a
//! thread from a queue only by `Thread::try_claim`, one compare-and-swap of
//! "Runnable and on no CPU" to "Running on this CPU"; a thread another CPU
//! is still on (it blocked there and was woken at once) is put back, and
//! the CPU goes on without it rather than wait: two CPUs each waiting for
//! the other's outgoing thread would wait forever. Only the CPU a thread is
//! on may take it back from Runnable to Running without a claim.

mod poll_table;
mod run_queue;
mod timers;
mod wait_queue;

pub use poll_table::{wait_for as poll_wait_for, PollHook, PollQueue, PollTable};
pub use timers::{
    cancel_wake, on_interrupt as timer_interrupt, on_rearm_request, sleep_until, start_timer, track, wake_at, Expiring,
};
pub use wait_queue::{WaitError, WaitQueue};

use crate::arch::{self, percpu::MAX_CPUS};
use crate::task::thread::{Claim, Thread, ThreadState};
use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, Ordering};

struct CpuSched {
    current: Option<Arc<Thread>>,
    idle: Option<Arc<Thread>>,
    /// The thread switched away from, kept alive until the switch is over
    /// (a dead thread's stack is still in use until then).
    previous: Option<Arc<Thread>>,
    /// `previous` was preempted: queue it again once it is switched out.
    requeue_previous: bool,
}

/// Each CPU's scheduler state. Only that CPU reads or writes its entry,
/// and only with interrupts masked (at a switch, in `finish_switch`, in
/// the tick), so it needs no lock: see [`CpuCell`].
static CPUS: [CpuCell; MAX_CPUS] = [const {
    CpuCell(core::cell::UnsafeCell::new(CpuSched {
        current: None,
        idle: None,
        previous: None,
        requeue_previous: false,
    }))
}; MAX_CPUS];

/// One CPU's `CpuSched`, reached without a lock: a switch takes no lock of
/// its own (the IPC fast path switches twice per round trip).
struct CpuCell(core::cell::UnsafeCell<CpuSched>);

// SAFETY: each entry is touched only by its own CPU with interrupts masked
// (`this_cpu` checks the mask in debug builds, and takes the index from
// the CPU itself), so no two accesses ever overlap. An NMI does not use
// it: `try_current` reads the per-CPU pointer instead.
unsafe impl Sync for CpuCell {}

/// This CPU's scheduler state, for `f`. Interrupts must be masked, and `f`
/// must not call back into anything that reaches it again.
fn this_cpu<R>(f: impl FnOnce(&mut CpuSched) -> R) -> R {
    this_cpu_at(cpu(), f)
}

/// `this_cpu`, for a caller that has read this CPU's index already.
#[inline(always)]
fn this_cpu_at<R>(cpu: usize, f: impl FnOnce(&mut CpuSched) -> R) -> R {
    debug_assert!(!arch::cpu::interrupts_enabled(), "CPU scheduler state touched with interrupts on");
    debug_assert_eq!(cpu, self::cpu(), "another CPU's scheduler state");
    // SAFETY: see CpuCell: this CPU's own entry (the caller read the index
    // with interrupts masked, so it cannot have moved since), interrupts
    // masked (no interrupt handler on this CPU can reach it meanwhile),
    // and `f` does not re-enter, so this is the only reference.
    f(unsafe { &mut *CPUS[cpu].0.get() })
}

static NEED_RESCHED: [AtomicBool; MAX_CPUS] = [const { AtomicBool::new(false) }; MAX_CPUS];
/// When the current thread on each CPU was switched in (for CPU time).
static SWITCHED_IN: [core::sync::atomic::AtomicU64; MAX_CPUS] =
    [const { core::sync::atomic::AtomicU64::new(0) }; MAX_CPUS];

/// Each CPU's time, for /proc/stat: ticks that found a thread in user
/// mode or in the kernel, and the time its idle thread ran.
static USER_TICKS: [core::sync::atomic::AtomicU64; MAX_CPUS] =
    [const { core::sync::atomic::AtomicU64::new(0) }; MAX_CPUS];
static SYSTEM_TICKS: [core::sync::atomic::AtomicU64; MAX_CPUS] =
    [const { core::sync::atomic::AtomicU64::new(0) }; MAX_CPUS];
static IDLE_NS: [core::sync::atomic::AtomicU64; MAX_CPUS] = [const { core::sync::atomic::AtomicU64::new(0) }; MAX_CPUS];
/// Whether each CPU runs its idle thread now.
static IN_IDLE: [AtomicBool; MAX_CPUS] = [const { AtomicBool::new(true) }; MAX_CPUS];

/// How CPU `cpu` spent its time so far: (user, system, idle) in ns. User
/// and system come from the ticks (as the threads' split does), idle is
/// measured at every switch.
pub fn cpu_times(cpu: usize) -> (u64, u64, u64) {
    let Some(i) = (cpu < MAX_CPUS).then_some(cpu) else { return (0, 0, 0) };
    let mut idle = IDLE_NS[i].load(Ordering::Relaxed);
    if IN_IDLE[i].load(Ordering::Relaxed) {
        idle += crate::time::now_ns().saturating_sub(SWITCHED_IN[i].load(Ordering::Relaxed));
    }
    let tick = timers::TICK_NS;
    (USER_TICKS[i].load(Ordering::Relaxed) * tick, SYSTEM_TICKS[i].load(Ordering::Relaxed) * tick, idle)
}

/// CPU time the current thread has used since it was last switched in.
pub fn current_slice_ns() -> u64 {
    crate::time::now_ns().saturating_sub(SWITCHED_IN[cpu()].load(Ordering::Relaxed))
}

/// A timer tick interrupted the current thread in user mode or in the
/// kernel: tick-based accounting, as Linux does by default. CPU time
/// itself is measured exactly at every switch; the ticks only say how it
/// splits into user and system time (see task/usage.rs), and cost nothing
/// on the system-call path.
pub fn account_tick(from_user: bool) {
    if IN_IDLE[cpu()].load(Ordering::Relaxed) || arch::percpu::current_thread().is_null() {
        return;
    }
    let t = current_ref();
    let ticks = if from_user { &t.user_ticks } else { &t.system_ticks };
    ticks.fetch_add(1, Ordering::Relaxed);
    let cpu_ticks = if from_user { &USER_TICKS[cpu()] } else { &SYSTEM_TICKS[cpu()] };
    cpu_ticks.fetch_add(1, Ordering::Relaxed);
}

fn cpu() -> usize {
    arch::percpu::cpu_index() as usize
}

/// Makes the code running now (the boot thread) this CPU's idle thread.
pub fn init_cpu(idle: Arc<Thread>) {
    idle.set_state(ThreadState::Running);
    let were_enabled = arch::cpu::interrupts_enabled();
    arch::cpu::disable_interrupts();
    this_cpu(|c| {
        arch::percpu::set_current_thread(Arc::as_ptr(&idle).cast());
        c.current = Some(idle.clone());
        c.idle = Some(idle);
    });
    if were_enabled {
        arch::cpu::enable_interrupts();
    }
    run_queue::serve(cpu());
}

/// The thread running on this CPU: the calling thread. Asked on every
/// system call, several times, so it takes no lock: the per-CPU block holds
/// a pointer to the thread that CPUS[cpu].current owns (set together, at
/// every switch).
pub fn current() -> Arc<Thread> {
    let running = arch::percpu::current_thread().cast::<Thread>();
    assert!(!running.is_null(), "scheduler not initialised");
    // SAFETY: `running` is Arc::as_ptr of the Arc<Thread> in CPUS[cpu].current,
    // which keeps a strong reference for as long as that thread is current
    // there. Read in one instruction, it names the thread executing this
    // code (it changes only at a switch, and a thread switched out is not
    // executing), and a thread that is executing is current: the count is
    // at least one, so one more reference may be made from the pointer.
    unsafe {
        Arc::increment_strong_count(running);
        Arc::from_raw(running)
    }
}

/// The calling thread, borrowed: no reference is counted, so the system-call
/// path can ask for it for the price of one per-CPU load. It cannot leave
/// the thread it was made on (neither `Send` nor `Sync`), and while that
/// thread runs it is current, so it is alive.
pub struct CurrentThread {
    /// An `Arc` made from the per-CPU pointer without counting a reference,
    /// and never dropped (so never uncounted either): it only lends out
    /// the reference CPUS[cpu].current holds.
    thread: core::mem::ManuallyDrop<Arc<Thread>>,
    _here_only: core::marker::PhantomData<*const ()>,
}

impl core::ops::Deref for CurrentThread {
    type Target = Thread;

    fn deref(&self) -> &Thread {
        &self.thread
    }
}

impl CurrentThread {
    /// A counted reference, for what must keep the thread.
    pub fn to_arc(&self) -> Arc<Thread> {
        Arc::clone(&self.thread)
    }

    /// The thread as an `Arc`, lent for as long as this value lives (what
    /// the system-call path hands the personality, with no count taken).
    pub fn arc(&self) -> &Arc<Thread> {
        &self.thread
    }
}

/// The calling thread without counting a reference (see [`CurrentThread`]).
pub fn current_ref() -> CurrentThread {
    let running = arch::percpu::current_thread().cast::<Thread>();
    assert!(!running.is_null(), "scheduler not initialised");
    // SAFETY: `running` is Arc::as_ptr of the Arc<Thread> in CPUS[cpu].current,
    // which keeps a strong reference for as long as that thread is current.
    // The thread executing this is current (the pointer changes only at a
    // switch, and a thread switched out is not executing), so the count is
    // at least one for as long as the value, which cannot leave this thread
    // (PhantomData<*const ()>), lives. Wrapped in ManuallyDrop, the Arc
    // made here is never dropped, so the count it did not take is never
    // given back.
    let thread = core::mem::ManuallyDrop::new(unsafe { Arc::from_raw(running) });
    CurrentThread { thread, _here_only: core::marker::PhantomData }
}

/// The thread running on this CPU, if the scheduler has started: for
/// interrupt handlers, the profiler's NMI included, which may come in the
/// middle of a switch.
pub fn try_current() -> Option<Arc<Thread>> {
    let running = arch::percpu::current_thread().cast::<Thread>();
    if running.is_null() {
        return None;
    }
    // SAFETY: as in `current`; in the middle of a switch the pointer names
    // either the outgoing thread (kept by CPUS' `previous` or `current`, and
    // the switch's own reference, until the switch is over) or the incoming
    // one (kept by `current`), so the count is not zero here either.
    unsafe {
        Arc::increment_strong_count(running);
        Some(Arc::from_raw(running))
    }
}

/// Makes a thread runnable (new, or woken from a wait). Queued on another
/// CPU (the one it last ran on), it interrupts that CPU, which may be
/// halted in its idle loop and would otherwise find it only at its next
/// tick (or when its own thread blocks).
pub fn enqueue(thread: Arc<Thread>) {
    let here = cpu();
    let there = run_queue::push(thread, here);
    if there != here {
        arch::ipi::send_reschedule(there);
    }
}

/// Wakes a blocked thread; a thread that is not blocked is left alone.
pub fn wake(thread: &Arc<Thread>) {
    if thread.try_transition(ThreadState::Blocked, ThreadState::Runnable) {
        enqueue(thread.clone());
    }
}

/// Asks for a reschedule at the next safe point (timer tick, wakeups).
pub fn request_resched() {
    NEED_RESCHED[cpu()].store(true, Ordering::Relaxed);
}

pub fn need_resched() -> bool {
    NEED_RESCHED[cpu()].load(Ordering::Relaxed)
}

/// Picks the next thread and switches to it. The current thread must have
/// set its state first: Running (preempted: queued again), Blocked or Dead
/// (not queued).
pub fn schedule() {
    switch(None);
}

/// The calling thread, which has just marked itself Blocked to wait for
/// `partner`'s answer, wakes `partner` and gives it this CPU directly: no
/// run queue in between, on either side. This is the IPC fast path's
/// switch (a call hands the CPU to the server it woke, the reply back to
/// the caller), as L4 and seL4 do: the partner runs on what is left of the
/// caller's turn. A partner that was not Blocked is left alone (as `wake`
/// does) and this is `schedule()`; one that may not run here, or whose
/// last CPU has not yet switched away from it, is queued the usual way.
pub fn wake_and_switch_to(partner: &Arc<Thread>) {
    let was_enabled = arch::cpu::interrupts_enabled();
    arch::cpu::disable_interrupts();
    let cpu = cpu();
    // The common case, in one step: the partner is Blocked, on no CPU,
    // and may run here; the caller is a thread that has just marked
    // itself Blocked (or been woken again since, and waits in a queue),
    // never this CPU's idle thread.
    if partner.may_run_on(cpu) && partner.try_claim_blocked() {
        let prev = current_ref();
        if crate::sync::spinlocks_held() > 0 {
            crate::sync::may_sleep("going to sleep");
        }
        if timers::in_handler() {
            in_timer_handler();
        }
        debug_assert!(prev.state() != ThreadState::Running, "a direct switch from a running thread");
        let how = Switch { preempted: false, prev_is_idle: false, next_is_idle: false };
        switch_to(cpu, &prev, partner.clone(), how);
    } else if !partner.try_transition(ThreadState::Blocked, ThreadState::Runnable) {
        switch(None);
    } else if !partner.may_run_on(cpu) {
        enqueue(partner.clone());
        switch(None);
    } else {
        switch(Some(partner.clone()));
    }
    if was_enabled {
        arch::cpu::enable_interrupts();
    }
}

/// `schedule`, trying `preferred` (made Runnable by the caller, in no run
/// queue) before the run queue.
fn switch(mut preferred: Option<Arc<Thread>>) {
    let spinlocks_held = crate::sync::spinlocks_held();
    let was_enabled = arch::cpu::interrupts_enabled();
    arch::cpu::disable_interrupts();
    let cpu = cpu();
    NEED_RESCHED[cpu].store(false, Ordering::Relaxed);
    // The per-CPU pointer and flag, not CPUS's lock: both change only at a
    // switch on this CPU, with interrupts masked, as now. The idle thread
    // itself is looked up only when this CPU is to run it.
    // Borrowed, not counted: a thread that dies switches away for good,
    // and a counted reference on its abandoned stack would never be given
    // back (the thread, and its stack, never freed).
    let prev = current_ref();
    let prev_is_idle = IN_IDLE[cpu].load(Ordering::Relaxed);
    if spinlocks_held > 0 {
        // Blocked or not: the lock stays counted (and its class held, for
        // the lock order) on this CPU, for whichever thread runs next.
        crate::sync::may_sleep(if prev.state() == ThreadState::Blocked {
            "going to sleep"
        } else {
            "switching threads"
        });
    }
    if timers::in_handler() {
        in_timer_handler();
    }
    // Still runnable: preempted or yielding (an involuntary switch, for
    // getrusage); otherwise it blocked or died (voluntary), or blocked and
    // was woken already (then it waits in a queue like any other).
    // Read once: a thread that blocked may be woken and taken by another
    // CPU meanwhile (which makes it Running there, while its switch away
    // from here is still to come), so "still Running" later says nothing
    // about whether it may go on here.
    let still_running = prev.state() == ThreadState::Running;
    let preempted = still_running && !prev_is_idle;
    // A thread whose affinity no longer allows this CPU goes (queued where
    // it may run, by finish_switch, as a preempted one is).
    let may_stay = prev_is_idle || prev.may_run_on(cpu);
    // A thread another CPU is still on (it blocked there and was woken at
    // once) cannot run here until that CPU has switched away from it and
    // saved its context. Waiting for it here could wait forever: that CPU
    // may be waiting just so for this CPU's `prev`. So it is put back, and
    // this CPU goes on without it (to `prev`, or to idle, whose loop looks
    // again at once); the other CPU's switch never waits on anyone.
    let mut busy_elsewhere = None;
    // Whether `next` is this CPU's idle thread: set where the loop picks it.
    let mut next_is_idle = false;
    let next = loop {
        if let Some(t) = preferred.take() {
            match t.try_claim() {
                Claim::Taken => break t,
                Claim::Stale => {} // not Runnable any more: nothing to run (no queue holds it)
                Claim::OnAnotherCpu => busy_elsewhere = Some(t),
            }
            continue;
        }
        let candidate = if busy_elsewhere.is_none() { run_queue::pop(cpu) } else { None };
        match candidate {
            // Woken after it blocked here, before this switch: still this
            // CPU's, so it goes on here by its own path, not a claim.
            Some(t) if Arc::ptr_eq(&t, prev.arc()) => {
                if may_stay && t.try_transition(ThreadState::Runnable, ThreadState::Running) {
                    break t;
                }
                if !may_stay && t.state() == ThreadState::Runnable {
                    busy_elsewhere = Some(t); // its affinity moved away from here
                }
            }
            Some(t) => match t.try_claim() {
                Claim::Taken => break t,
                Claim::Stale => {} // woken twice, or died while queued
                Claim::OnAnotherCpu => busy_elsewhere = Some(t),
            },
            None if prev_is_idle || (still_running && may_stay) => {
                next_is_idle = prev_is_idle;
                break prev.to_arc();
            }
            // Blocked and woken already, still in a queue: it goes on here
            // only if this CPU is the one that takes it (the queue entry
            // is then skipped as woken twice).
            None if may_stay && prev.try_transition(ThreadState::Runnable, ThreadState::Running) => {
                break prev.to_arc()
            }
            None => {
                next_is_idle = true;
                let idle = this_cpu(|c| c.idle.clone()).expect("no idle thread");
                idle.set_state(ThreadState::Running);
                break idle;
            }
        }
    };
    if let Some(t) = busy_elsewhere {
        let there = run_queue::push(t, cpu);
        if there != cpu {
            arch::ipi::send_reschedule(there);
        }
    }
    if !Arc::ptr_eq(prev.arc(), &next) {
        if preempted {
            // Queued again by finish_switch, once its context is saved.
            prev.set_state(ThreadState::Runnable);
        }
        switch_to(cpu, &prev, next, Switch { preempted, prev_is_idle, next_is_idle });
    }
    if was_enabled {
        arch::cpu::enable_interrupts();
    }
}

/// What a switch records about the two threads.
struct Switch {
    /// The outgoing thread is still runnable: `finish_switch` queues it.
    preempted: bool,
    prev_is_idle: bool,
    next_is_idle: bool,
}

/// Switches this CPU, `cpu`, from the running thread `prev` to `next`
/// (claimed: marked Running on this CPU; or this CPU's idle thread), with
/// interrupts masked, and returns when `prev` runs again.
#[inline(always)]
fn switch_to(cpu: usize, prev: &Thread, next: Arc<Thread>, how: Switch) {
    let now = crate::time::now_ns();
    let since = SWITCHED_IN[cpu].swap(now, Ordering::Relaxed);
    prev.cpu_ns.fetch_add(now.saturating_sub(since), Ordering::Relaxed);
    if how.prev_is_idle {
        IDLE_NS[cpu].fetch_add(now.saturating_sub(since), Ordering::Relaxed);
    } else {
        prev.usage.count_switch(how.preempted);
    }
    if how.prev_is_idle != how.next_is_idle {
        IN_IDLE[cpu].store(how.next_is_idle, Ordering::Relaxed);
    }
    // Claimed (on no other CPU, and now marked on this one), or idle.
    next.set_running_on(cpu);
    arch::percpu::set_kernel_stack(next.kernel_stack_top());
    if let Some(root) = next.page_table_root() {
        if prev.page_table_root() != Some(root) {
            crate::mm::Mm::activate_root(root);
        }
    }
    // The Arcs in CPUS keep both threads alive across the switch: the
    // outgoing one moves from `current` to `previous`.
    let (prev_ctx, next_ctx) = (prev.context() as *const _, next.context() as *const _);
    arch::percpu::set_current_thread(Arc::as_ptr(&next).cast());
    this_cpu_at(cpu, |c| {
        c.previous = c.current.replace(next);
        c.requeue_previous = how.preempted;
    });
    // SAFETY: CPUS holds strong references to both threads until
    // finish_switch runs on the other side, so the contexts outlive this.
    arch::context::switch(unsafe { &*prev_ctx }, unsafe { &*next_ctx });
    finish_switch();
}

/// Reports (once per boot) a switch away from the timer interrupt's
/// handler: the interrupted thread would take the unfinished handler with
/// it, and the clock events that wake every sleeper could stop.
#[cold]
fn in_timer_handler() {
    static REPORTED: AtomicBool = AtomicBool::new(false);
    if !REPORTED.swap(true, Ordering::Relaxed) {
        crate::error!("BUG: switching threads inside the timer interrupt's handler");
        arch::backtrace::print_current();
    }
}

/// Runs on the new thread right after every switch: the thread we came
/// from is switched out (its context saved), so it may run elsewhere now;
/// a preempted one is queued again, and the reference to it is released
/// (freeing it, and its stack, if it died).
pub fn finish_switch() {
    let cpu = cpu();
    let (prev, requeue) = this_cpu_at(cpu, |c| (c.previous.take(), core::mem::take(&mut c.requeue_previous)));
    if let Some(prev) = prev {
        prev.set_switched_out();
        if requeue {
            let there = run_queue::push(prev, cpu);
            if there != cpu {
                arch::ipi::send_reschedule(there); // its affinity moved it
            }
        }
    }
}

/// Where a long stretch of kernel work (a huge sendfile, a pty write)
/// lets others run: the kernel does not preempt itself, so without these a
/// single system call could keep the CPU for minutes. Gives the CPU up if
/// the tick asked for it. No spinlock may be held.
pub fn preemption_point() {
    if need_resched() {
        schedule();
    }
}

pub use timers::print_state as print_timer_state;

/// How many threads wait in the run queues (None: a queue's lock is
/// held), for the NMI dump.
pub fn run_queue_len() -> Option<usize> {
    run_queue::total_len()
}

/// Gives up the CPU to any other runnable thread.
pub fn yield_now() {
    schedule();
}

/// The idle loop: run whatever is runnable, otherwise halt until an
/// interrupt. The check and the halt happen with interrupts masked (the
/// halt unmasks them atomically), so a wake-up from an interrupt between
/// the two is not slept through until the next one.
pub fn idle_loop() -> ! {
    loop {
        schedule();
        arch::cpu::disable_interrupts();
        if !run_queue::any_work() && !need_resched() {
            arch::cpu::wait_for_interrupt();
        } else {
            arch::cpu::enable_interrupts();
        }
    }
}
