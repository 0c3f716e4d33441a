//! A thread: a kernel stack, saved CPU context, signal mask and state.

use super::process::Process;
use crate::arch::context::Context;
use crate::mm::kernel_stack::KernelStack;
use crate::sync::SpinLock;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, Ordering};
use kernel_ops::{AltStack, SignalInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ThreadState {
    Runnable = 0,
    Running = 1,
    Blocked = 2,
    Dead = 3,
}

/// The thread's state and whether a CPU is on its stack, in one word, so
/// that "Runnable and on no CPU" can become "Running on this CPU" in one
/// compare-and-swap: the only way a CPU takes a thread it is not already
/// running (see `try_claim`).
const STATE_BITS: u8 = 0b11;
/// A CPU is executing on the thread's stack: from when a CPU switches to
/// it (or claims it, to switch to it) until the switch away from it has
/// saved its context.
const ON_CPU: u8 = 0b1000_0000;

/// What `Thread::try_claim` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// It is this CPU's to switch to: Running, on this CPU.
    Taken,
    /// Not Runnable: a queue entry left from a wake-up that another path
    /// has already served (or it died while queued).
    Stale,
    /// Runnable, but another CPU is still on its stack.
    OnAnotherCpu,
}

impl ThreadState {
    fn from_u8(v: u8) -> Self {
        match v & STATE_BITS {
            0 => ThreadState::Runnable,
            1 => ThreadState::Running,
            2 => ThreadState::Blocked,
            _ => ThreadState::Dead,
        }
    }
}

/// Signal state that belongs to one thread.
pub struct ThreadSignals {
    pub mask: u64,
    /// Signals sent to this thread (tgkill, faults).
    pub pending: u64,
    pub info: [Option<SignalInfo>; 64],
    /// Further instances of real-time signals (which queue: every one is
    /// delivered, in order), beyond the one recorded in `info`.
    pub queued: alloc::collections::VecDeque<SignalInfo>,
    pub alt_stack: AltStack,
    /// Mask to restore once a handler has been set up after sigsuspend.
    pub restore_mask: Option<u64>,
    /// Signals a sigtimedwait has unblocked for its sleep: still blocked
    /// as far as ignoring goes (Linux's `real_blocked`), so a default-
    /// ignored signal being waited for is not thrown away on arrival.
    pub awaited: u64,
}

impl ThreadSignals {
    pub fn new(mask: u64) -> Self {
        ThreadSignals {
            mask,
            pending: 0,
            info: [None; 64],
            queued: alloc::collections::VecDeque::new(),
            alt_stack: AltStack { base: 0, size: 0, disabled: true },
            restore_mask: None,
            awaited: 0,
        }
    }
}

pub struct Thread {
    pub tid: u32,
    /// None only for the per-CPU idle threads.
    process: Option<Arc<Process>>,
    /// Owned, never read: the stack is freed with the thread (a switch
    /// uses `kernel_stack_top`).
    #[allow(dead_code)]
    kstack: Option<KernelStack>,
    /// `kstack`'s top (0 for an idle thread), computed once: every switch
    /// to the thread installs it.
    kernel_stack_top: u64,
    context: Context,
    state: AtomicU8,
    pub signals: SpinLock<ThreadSignals>,
    /// Cleared and futex-woken at exit (CLONE_CHILD_CLEARTID, set_tid_address).
    pub clear_child_tid: AtomicU64,
    pub name: SpinLock<[u8; 16]>,
    /// CPU time consumed, in ns, and when it last started running.
    pub cpu_ns: AtomicU64,
    /// Timer ticks that found the thread running in user mode and in the
    /// kernel: how its CPU time splits into user and system time.
    pub user_ticks: AtomicU64,
    pub system_ticks: AtomicU64,
    /// Set when the thread has done its exit bookkeeping; it leaves the CPU
    /// for good at its next return towards user mode, once its kernel stack
    /// holds no more references (see `lifecycle::finish_exit`).
    exiting: core::sync::atomic::AtomicBool,
    /// Native IPC state: messages, notification bits, the pending reply.
    pub ipc: SpinLock<crate::ipc::IpcState>,
    /// How the thread ended, once it has (native `thread_wait`).
    pub end: SpinLock<Option<abi::TaskStatus>>,
    pub ended: crate::sched::WaitQueue,
    /// Page faults and context switches (getrusage).
    pub usage: super::usage::Counters,
    pub settings: super::settings::ThreadSettings,
    /// How the thread is traced (ptrace), if it is.
    pub trace: SpinLock<Option<super::ptrace::Trace>>,
    /// `ptrace::TRACED` and friends: read on every system call without the lock.
    pub trace_flags: AtomicU8,
    /// The CPU it last ran on (u32::MAX: none yet), where it is queued
    /// again when it becomes runnable.
    last_cpu: core::sync::atomic::AtomicU32,
    /// Its futex wait, if it is in one (task/futex.rs).
    pub futex: super::futex::FutexSlot,
    /// True whenever `signals.pending` has a bit set (it may stay true
    /// after the bits are taken): lets the check made on every return to
    /// user mode skip the signals' lock when nothing is pending. Set with
    /// the bits, under the lock (`mark_pending`); cleared only under the
    /// lock, by a check that finds no bit.
    pending_hint: AtomicBool,
    /// The classes of the sleeping locks it holds (the lock-order check:
    /// `sync::lock_order`), kept with the thread since it may sleep and
    /// move CPUs holding one. Zero-sized without the `lock-order` feature.
    #[cfg_attr(not(feature = "lock-order"), allow(dead_code))]
    pub held_sleeping: crate::sync::lock_order::HeldSleeping,
}

impl Thread {
    /// The idle thread: whatever was running on this CPU at boot.
    pub fn new_idle() -> Arc<Thread> {
        Arc::new(Thread {
            tid: 0,
            process: None,
            kstack: None,
            kernel_stack_top: 0,
            context: Context::current(),
            state: AtomicU8::new(ThreadState::Running as u8 | ON_CPU),
            signals: SpinLock::ranked(crate::sync::Rank::ThreadSignals, ThreadSignals::new(0)),
            clear_child_tid: AtomicU64::new(0),
            name: SpinLock::new(*b"idle\0\0\0\0\0\0\0\0\0\0\0\0"),
            cpu_ns: AtomicU64::new(0),
            user_ticks: AtomicU64::new(0),
            system_ticks: AtomicU64::new(0),
            exiting: core::sync::atomic::AtomicBool::new(false),
            ipc: SpinLock::new(crate::ipc::IpcState::default()),
            end: SpinLock::new(None),
            ended: crate::sched::WaitQueue::new(),
            usage: super::usage::Counters::new(),
            settings: super::settings::ThreadSettings::new(),
            trace: SpinLock::ranked(crate::sync::Rank::Trace, None),
            trace_flags: AtomicU8::new(0),
            last_cpu: core::sync::atomic::AtomicU32::new(crate::arch::percpu::cpu_index()),
            futex: super::futex::FutexSlot::new(),
            pending_hint: AtomicBool::new(false),
            held_sleeping: crate::sync::lock_order::HeldSleeping::new(),
        })
    }

    /// A user thread that will enter user mode with `kstack`'s saved frame.
    pub fn new_user(
        tid: u32,
        process: Arc<Process>,
        kstack: KernelStack,
        context: Context,
        mask: u64,
        name: [u8; 16],
    ) -> Arc<Thread> {
        Arc::new(Thread {
            tid,
            process: Some(process),
            kernel_stack_top: kstack.top(),
            kstack: Some(kstack),
            context,
            state: AtomicU8::new(ThreadState::Runnable as u8),
            signals: SpinLock::ranked(crate::sync::Rank::ThreadSignals, ThreadSignals::new(mask)),
            clear_child_tid: AtomicU64::new(0),
            name: SpinLock::new(name),
            cpu_ns: AtomicU64::new(0),
            user_ticks: AtomicU64::new(0),
            system_ticks: AtomicU64::new(0),
            exiting: core::sync::atomic::AtomicBool::new(false),
            ipc: SpinLock::new(crate::ipc::IpcState::default()),
            end: SpinLock::new(None),
            ended: crate::sched::WaitQueue::new(),
            usage: super::usage::Counters::new(),
            settings: super::settings::ThreadSettings::new(),
            trace: SpinLock::ranked(crate::sync::Rank::Trace, None),
            trace_flags: AtomicU8::new(0),
            last_cpu: core::sync::atomic::AtomicU32::new(u32::MAX),
            futex: super::futex::FutexSlot::new(),
            pending_hint: AtomicBool::new(false),
            held_sleeping: crate::sync::lock_order::HeldSleeping::new(),
        })
    }

    /// Makes `bits` pending for the thread; `signals` is its locked
    /// `self.signals`. The only way bits are added to `pending`.
    pub fn mark_pending(&self, signals: &mut ThreadSignals, bits: u64) {
        signals.pending |= bits;
        self.pending_hint.store(true, Ordering::Release);
    }

    /// Whether a CPU is still executing on this thread's stack.
    pub fn on_cpu(&self) -> bool {
        self.state.load(Ordering::Acquire) & ON_CPU != 0
    }

    /// Takes a Runnable thread that no CPU is on for this CPU: Running, and
    /// on a CPU, in one step. False if it is not Runnable (a stale queue
    /// entry) or another CPU is still on its stack (switching away from it,
    /// or it is that CPU's current thread and was woken before it slept):
    /// only that CPU may then go on with it, by its own path
    /// (`try_transition`), or give it up in its switch. A separate look at
    /// `on_cpu` before the claim could not tell: the thread may switch in
    /// and out elsewhere between the look and the claim.
    pub fn try_claim(&self) -> Claim {
        let mut seen = self.state.load(Ordering::Acquire);
        loop {
            if seen & STATE_BITS != ThreadState::Runnable as u8 {
                return Claim::Stale;
            }
            if seen & ON_CPU != 0 {
                return Claim::OnAnotherCpu;
            }
            let claimed = ThreadState::Running as u8 | ON_CPU;
            match self.state.compare_exchange_weak(seen, claimed, Ordering::SeqCst, Ordering::Acquire) {
                Ok(_) => return Claim::Taken,
                Err(now) => seen = now,
            }
        }
    }

    /// `try_claim` for a thread that blocked waiting for the caller (the
    /// IPC partner a call or reply hands the CPU to): from Blocked, on no
    /// CPU, to Running on this one, in one step. False, with nothing
    /// changed, if it is not Blocked (woken already by someone else) or a
    /// CPU is still on its stack.
    pub fn try_claim_blocked(&self) -> bool {
        let blocked = ThreadState::Blocked as u8;
        self.state
            .compare_exchange(blocked, ThreadState::Running as u8 | ON_CPU, Ordering::SeqCst, Ordering::Relaxed)
            .is_ok()
    }

    /// The scheduler switches `cpu` to this thread (claimed, its own
    /// current thread, or its idle thread).
    pub fn set_running_on(&self, cpu: usize) {
        self.state.fetch_or(ON_CPU, Ordering::SeqCst);
        self.last_cpu.store(cpu as u32, Ordering::Relaxed);
    }

    /// The switch away from this thread has saved its context: another CPU
    /// may claim it now.
    pub fn set_switched_out(&self) {
        self.state.fetch_and(!ON_CPU, Ordering::SeqCst);
    }

    /// Whether the thread's affinity allows CPU `cpu`.
    pub fn may_run_on(&self, cpu: usize) -> bool {
        cpu < 64 && self.settings.scheduling.allowed_cpus() & (1 << cpu) != 0
    }

    pub fn last_cpu(&self) -> Option<usize> {
        match self.last_cpu.load(Ordering::Relaxed) {
            u32::MAX => None,
            c => Some(c as usize),
        }
    }

    pub fn is_exiting(&self) -> bool {
        self.exiting.load(Ordering::Acquire)
    }

    pub fn mark_exiting(&self) {
        self.exiting.store(true, Ordering::Release);
    }

    pub fn process(&self) -> &Arc<Process> {
        self.process.as_ref().expect("the idle thread has no process")
    }

    pub fn try_process(&self) -> Option<&Arc<Process>> {
        self.process.as_ref()
    }

    pub fn state(&self) -> ThreadState {
        ThreadState::from_u8(self.state.load(Ordering::Acquire))
    }

    /// Sets the state, whether or not a CPU is on the thread (that bit is
    /// kept). A full barrier (a locked instruction): a thread that marks
    /// itself Blocked and then looks for a signal must not have its look
    /// ordered before its mark, or a sender that marks the signal and then
    /// finds it not yet Blocked would leave it asleep.
    pub fn set_state(&self, s: ThreadState) {
        let _ = self.state.fetch_update(Ordering::SeqCst, Ordering::Relaxed, |v| Some(v & !STATE_BITS | s as u8));
    }

    /// Atomically moves from `from` to `to` (whether or not a CPU is on
    /// it); false if the state was not `from`.
    pub fn try_transition(&self, from: ThreadState, to: ThreadState) -> bool {
        self.state
            .fetch_update(Ordering::SeqCst, Ordering::Relaxed, |v| {
                (v & STATE_BITS == from as u8).then_some(v & !STATE_BITS | to as u8)
            })
            .is_ok()
    }

    /// The calling thread, about to sleep, marks itself Blocked and then
    /// asks `ended` whether the wait is over (its condition, a signal, the
    /// deadline); if it is, the thread goes on Running and the answer is
    /// returned. Marked before the looks, not after: a signal's sender
    /// that came between a look and the mark would find the thread not
    /// Blocked, so not wake it, and it would sleep with the signal pending
    /// (`set_state` is a full barrier, so the looks are not done first). A
    /// wake-up that comes after the mark finds it Blocked; if the wait then
    /// ends anyway, the queue entry that wake-up left is stale once the
    /// thread is Running again.
    pub fn block_unless<R>(&self, ended: impl FnOnce() -> Option<R>) -> Option<R> {
        self.set_state(ThreadState::Blocked);
        let result = ended();
        if result.is_some() {
            self.set_state(ThreadState::Running);
        }
        result
    }

    pub fn context(&self) -> &Context {
        &self.context
    }

    pub fn kernel_stack_top(&self) -> u64 {
        self.kernel_stack_top
    }

    /// The root of the page tables the thread runs on; None for an idle
    /// thread (it keeps whatever is loaded: it only runs kernel code, which
    /// every address space maps).
    pub fn page_table_root(&self) -> Option<u64> {
        self.process.as_ref().map(|p| p.mm_root())
    }

    /// Whether a signal could be delivered to this thread now.
    #[inline]
    pub fn has_deliverable_signal(&self) -> bool {
        let Some(p) = &self.process else { return false };
        // Nothing pending anywhere: no need for the lock (the usual case,
        // asked on every return to user mode, so inlined).
        if !self.pending_hint.load(Ordering::Acquire)
            && p.shared_pending() == 0
            && !super::ptrace::interrupt_requested(self)
        {
            return false;
        }
        self.deliverable_signal_under_lock(p)
    }

    #[cold]
    fn deliverable_signal_under_lock(&self, p: &Process) -> bool {
        let s = self.signals.lock();
        if s.pending == 0 {
            self.pending_hint.store(false, Ordering::Relaxed);
        }
        let shared = p.shared_pending();
        (s.pending | shared) & !s.mask != 0
            || (s.pending | shared) & kernel_ops::Signal::KILL.bit() != 0
            || super::ptrace::interrupt_requested(self)
    }
}
