//! The other CPUs: started at boot, and what each does once started.
//!
//! A started CPU serves its own run queue (sched/run_queue.rs; an idle CPU
//! takes work from the busiest other queue). Each has its own scheduler
//! tick on its own timer; the boot CPU's also serves every sleeper and
//! timer (sched/timers.rs), and takes the device interrupts. A thread
//! queued on another CPU interrupts it (a reschedule IPI), and a mapping
//! removed or made read-only is flushed from every CPU that may have
//! cached it before it is relied on (arch tlb.rs).
//!
//! `smp=park` on the command line parks the started CPUs instead: each has
//! an idle thread but serves no run queue, and halts with interrupts
//! enabled, answering inter-processor interrupts and NMIs; threads run on
//! the boot CPU only, and `online_cpus` (what programs are told) counts
//! only that CPU. It is there to tell an SMP fault from any other.

use crate::arch;
use crate::sched;
use crate::task::thread::Thread;
use core::sync::atomic::{AtomicBool, Ordering};

/// Started CPUs run threads (not `smp=park`).
static SCHEDULE: AtomicBool = AtomicBool::new(true);

/// Starts the other CPUs (the boot CPU's scheduler already runs) and says
/// what came of it.
pub fn start(cmdline_mode: Option<&str>) {
    let schedule = match cmdline_mode {
        None | Some("schedule") => true,
        Some("park") => false,
        Some(other) => {
            warn!("smp={other}: unknown (smp=park is the only choice); the other CPUs schedule");
            true
        }
    };
    SCHEDULE.store(schedule, Ordering::Release);
    let s = arch::smp::start_secondary_cpus();
    let what = if schedule { "scheduling threads" } else { "parked by smp=park; the scheduler runs on CPU 0" };
    match (s.started, s.expected) {
        (0, 0) => info!("no application processors (one CPU)"),
        (n, e) if n == e => info!("{n} application processor{} started ({what})", if n == 1 { "" } else { "s" }),
        (n, e) => warn!("{n} of {e} application processors started ({what})"),
    }
}

/// Whether started CPUs park (`smp=park`).
#[cfg_attr(not(feature = "ktest"), allow(dead_code))] // used by the in-kernel tests
pub fn parked() -> bool {
    !SCHEDULE.load(Ordering::Acquire)
}

/// A started CPU, once its architecture setup is done, interrupts still
/// masked: makes its idle thread and serves its run queue, or (`smp=park`)
/// parks.
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
