//! The other CPUs: started at boot, and what each does once started.
//!
//! By default a started CPU parks: it has an idle thread but serves no run
//! queue, and halts with interrupts enabled, answering inter-processor
//! interrupts and NMIs. The rest of the kernel still assumes one CPU in
//! places (no TLB shootdown when a mapping changes, device interrupts on
//! the boot CPU), so threads run on the boot CPU only, and `online_cpus`
//! (what programs are told) counts only that CPU.
//!
//! `smp=schedule` on the command line makes started CPUs serve their run
//! queues instead: each has its own scheduler tick on its own timer (the
//! boot CPU's also serves every sleeper and timer, sched/timers.rs), and a
//! thread queued on another CPU interrupts it (a reschedule IPI).
//! EXPERIMENTAL and NOT SAFE: a thread may run on a CPU whose TLB still
//! holds a mapping another CPU removed or made read-only (copy-on-write,
//! munmap, mprotect). Meant to see how far the kernel gets, not to run
//! anything that matters.

use crate::arch;
use crate::sched;
use crate::task::thread::Thread;
use core::sync::atomic::{AtomicBool, Ordering};

/// `smp=schedule`: started CPUs run threads.
static SCHEDULE: AtomicBool = AtomicBool::new(false);

/// Starts the other CPUs (the boot CPU's scheduler already runs) and says
/// what came of it.
pub fn start(cmdline_mode: Option<&str>) {
    let schedule = match cmdline_mode {
        None => false,
        Some("schedule") => true,
        Some(other) => {
            warn!("smp={other}: unknown (smp=schedule is the only choice); the other CPUs park");
            false
        }
    };
    SCHEDULE.store(schedule, Ordering::Release);
    let s = arch::smp::start_secondary_cpus();
    let what = if schedule {
        "scheduling threads: smp=schedule, experimental and not yet safe"
    } else {
        "parked; the scheduler runs on CPU 0"
    };
    match (s.started, s.expected) {
        (0, 0) => info!("no application processors (one CPU)"),
        (n, e) if n == e => info!("{n} application processor{} started ({what})", if n == 1 { "" } else { "s" }),
        (n, e) => warn!("{n} of {e} application processors started ({what})"),
    }
}

/// Whether started CPUs park (no `smp=schedule`).
#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests
pub fn parked() -> bool {
    !SCHEDULE.load(Ordering::Acquire)
}

/// A started CPU, once its architecture setup is done, interrupts still
/// masked: makes its idle thread and parks, or (`smp=schedule`) serves its
/// run queue.
pub fn secondary_main() -> ! {
    let idle = Thread::new_idle();
    if SCHEDULE.load(Ordering::Acquire) {
        arch::platform::start_secondary_timer();
        sched::init_cpu(idle);
        arch::percpu::count_scheduling_cpu();
        sched::start_timer();
        arch::smp::report_online();
        arch::cpu::enable_interrupts();
        sched::idle_loop()
    }
    arch::smp::report_online();
    // Parked. The idle thread is kept for the day this CPU schedules; the
    // halt unmasks interrupts atomically, and an interrupt (a ping, an
    // NMI) returns here to halt again.
    let _idle = idle;
    loop {
        arch::cpu::wait_for_interrupt();
    }
}
