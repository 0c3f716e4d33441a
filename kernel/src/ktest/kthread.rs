//! Kernel threads for the tests of blocking code (scheduler, IPC,
//! signals), and the test process they belong to.
//!
//! The kernel itself has no kernel threads: every thread but the idle one
//! enters user mode. The tests need threads that block on wait queues,
//! endpoints and notifications with nothing in user space, so a test
//! thread is an ordinary `Thread` of a process made here, whose first
//! return "to user mode" lands in kernel mode (`kernel_entry_frame`) and
//! runs a closure. It ends by dying as every thread does
//! (`lifecycle::finish_exit`'s two steps).
//!
//! The suite runs on the boot CPU's idle thread, which is never queued
//! (test threads are kept to that CPU, whatever else the others run):
//! `schedule()` from it runs the test threads until every one has blocked
//! or died, then comes back. `run_until` builds the tests' waiting on
//! that: run them, check, halt until the next interrupt (a sleeper's
//! deadline, a tick), again.

use crate::arch::{self, context};
use crate::fs::{FdTable, FsContext};
use crate::mm::kernel_stack::KernelStack;
use crate::mm::Mm;
use crate::sched;
use crate::sync::SpinLock;
use crate::task::process::{self, NewProcess, Process};
use crate::task::thread::{Thread, ThreadState};
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

type Body = Box<dyn FnOnce() + Send>;

/// Each new thread's closure, by thread id, until the thread starts and
/// takes it (the entry point gets no argument: a pointer in a register
/// would need `unsafe` to become a closure again).
static BODIES: SpinLock<BTreeMap<u32, Body>> = SpinLock::new(BTreeMap::new());

/// A process for test threads: an empty address space, an empty
/// descriptor (capability) table, default signal actions. Never pid 1,
/// which signals treat specially.
pub fn process() -> Result<Arc<Process>, String> {
    let mut pid = process::allocate_id();
    if pid == 1 {
        pid = process::allocate_id();
    }
    let mm = Mm::new().map_err(|_| String::from("no memory for an address space"))?;
    let files = FdTable::new().map_err(|_| String::from("no memory for a descriptor table"))?;
    // No file system exists while the suite runs; nothing here looks one up.
    let nowhere = vfs::NodeRef::new(vfs::FsId(0), 0);
    Ok(Process::new(NewProcess {
        pid,
        personality: crate::personality::default(),
        mm,
        files: Arc::new(SpinLock::new(files)),
        fs: Arc::new(SpinLock::new(FsContext { cwd: nowhere, root: nowhere, umask: 0o022 })),
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
    }))
}

/// A runnable thread of `p` that runs `body` in the kernel, then dies.
pub fn spawn(p: &Arc<Process>, body: impl FnOnce() + Send + 'static) -> Result<Arc<Thread>, String> {
    let kstack = KernelStack::new().map_err(|_| String::from("no memory for a kernel stack"))?;
    let top = kstack.top();
    let frame = context::kernel_entry_frame(entry, top);
    let ctx = context::Context::new_user(top, &frame, context::FpuState::initial(), 0);
    let tid = process::allocate_id();
    let t = Thread::new_user(tid, p.clone(), kstack, ctx, 0, *b"ktest\0\0\0\0\0\0\0\0\0\0\0");
    BODIES.lock().insert(tid, Box::new(body));
    // Kept to the suite's CPU: the tests reason about one CPU's run queue
    // (the idle thread that runs them gets the CPU back once every test
    // thread has blocked or died), which other CPUs would take from.
    t.settings.scheduling.set_allowed_cpus(1 << arch::percpu::cpu_index());
    sched::enqueue(t.clone());
    Ok(t)
}

extern "C" fn entry() -> ! {
    let body = BODIES.lock().remove(&sched::current().tid);
    if let Some(body) = body {
        body();
    }
    // The idle thread goes on with whatever tables are loaded, and the
    // test drops this process (and its page tables) once its threads are
    // dead: leave on the kernel's own, as exit_process does.
    arch::paging::load_kernel_root();
    sched::current().set_state(ThreadState::Dead);
    sched::schedule();
    unreachable!("a dead test thread was scheduled");
}

/// From the idle thread: lets the other threads run until `done()` holds
/// or `timeout_ns` passes; whether it held.
pub fn run_until(timeout_ns: u64, done: impl Fn() -> bool) -> bool {
    let deadline = crate::time::now_ns() + timeout_ns;
    loop {
        sched::yield_now();
        if done() {
            return true;
        }
        if crate::time::now_ns() >= deadline {
            return false;
        }
        // Halt only with nothing runnable; interrupts stay off from the
        // check to the halt, so a wakeup in between is not slept through.
        arch::cpu::disable_interrupts();
        if sched::run_queue_len() == Some(0) {
            arch::cpu::wait_for_interrupt();
        } else {
            arch::cpu::enable_interrupts();
        }
    }
}

/// Whether every thread in `threads` is in `state`.
pub fn all_in(threads: &[Arc<Thread>], state: ThreadState) -> bool {
    threads.iter().all(|t| t.state() == state)
}

/// Runs until every thread in `threads` has died (at most 5 s); an error
/// naming the stragglers otherwise.
pub fn join(threads: &[Arc<Thread>]) -> Result<(), String> {
    if run_until(5_000_000_000, || all_in(threads, ThreadState::Dead)) {
        return Ok(());
    }
    let stuck: Vec<(u32, ThreadState)> =
        threads.iter().filter(|t| t.state() != ThreadState::Dead).map(|t| (t.tid, t.state())).collect();
    Err(alloc::format!("threads still alive after 5 s: {stuck:?}"))
}
