//! The operator's view of a stuck machine: on an NMI that no profiler
//! asked for (QEMU's monitor `nmi`, a front-panel button, a watchdog), the
//! console gets where the CPU was and, for every thread, its state and the
//! kernel call chain it sleeps in, then the machine goes on. This is what
//! tells a deadlock (the interrupted code spins in a lock) from a lost
//! wake-up (everyone sleeps) when a long fuzz campaign or a test hangs.
//!
//! It runs in NMI context, so it may interrupt anyone, including the holder
//! of any lock: every lock is only tried (a busy one is reported and
//! skipped), nothing is allocated, and a process whose last reference this
//! dump would drop is leaked rather than freed here.

use super::process::Process;
use super::thread::Thread;
use crate::arch::backtrace;
use crate::console::write_unlocked as out;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Prints the report. `pc`/`fp` are the interrupted context's; `per_cpu_ready`
/// is false when the NMI landed in an entry path whose GS is still the
/// user's, where no lock (they count themselves per CPU) may be touched.
pub fn on_operator_nmi(pc: u64, fp: u64, from_user: bool, per_cpu_ready: bool) {
    // QEMU's `nmi` (and a board's NMI button) reaches every CPU at once:
    // they report one after another, not interleaved.
    let turn = Turn::wait();
    report(pc, fp, from_user, per_cpu_ready);
    drop(turn);
}

/// Whose turn it is to print (one CPU at a time). Not a spinlock: those
/// count themselves per CPU, which an NMI in an entry path may not touch,
/// and a CPU whose report never ends must not silence the others for good.
struct Turn;

static PRINTING: AtomicBool = AtomicBool::new(false);
/// When the thread list was last printed (monotonic ns; 0: never).
static LISTED_AT: AtomicU64 = AtomicU64::new(0);
/// CPUs that take the same NMI within this time of a thread list print
/// only where they were: the list is the machine's, not the CPU's.
const SAME_NMI_NS: u64 = 2_000_000_000;

impl Turn {
    fn wait() -> Turn {
        let start = crate::time::now_ns();
        while PRINTING.swap(true, Ordering::Acquire) {
            if crate::time::now_ns().saturating_sub(start) > SAME_NMI_NS {
                break; // the CPU printing is stuck: print anyway
            }
            core::hint::spin_loop();
        }
        Turn
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        PRINTING.store(false, Ordering::Release);
    }
}

fn report(pc: u64, fp: u64, from_user: bool, per_cpu_ready: bool) {
    let mode = if from_user { "user" } else { "kernel" };
    if per_cpu_ready {
        out(format_args!("\nNMI dump: CPU {} was in {mode} mode at {pc:#x}\n", crate::arch::percpu::cpu_index()));
    } else {
        out(format_args!("\nNMI dump: a CPU was in {mode} mode at {pc:#x}\n"));
    }
    if !from_user {
        backtrace::print_from(pc, fp);
    }
    if !per_cpu_ready {
        out(format_args!(
            "NMI dump: it came in a kernel entry path; threads not listed (send another)\nNMI dump: end\n"
        ));
        return;
    }
    // A machine where everyone sleeps may have lost its clock event.
    crate::arch::platform::print_timer_hardware(&|a| out(a));
    let listed = LISTED_AT.load(Ordering::Relaxed);
    if listed != 0 && crate::time::now_ns().saturating_sub(listed) < SAME_NMI_NS {
        out(format_args!("NMI dump: threads listed above\nNMI dump: end\n"));
        return;
    }
    crate::sched::print_timer_state(&|a| out(a));
    let Some(table) = super::process::try_table() else {
        out(format_args!(
            "NMI dump: the process table is locked (by the interrupted code?); threads not listed\nNMI dump: end\n"
        ));
        return;
    };
    for weak in table.values() {
        let Some(process) = weak.upgrade() else { continue };
        print_process(&process);
        if Arc::strong_count(&process) == 1 {
            // Freeing takes the heap's lock, which the interrupted code may hold.
            core::mem::forget(process);
        }
    }
    drop(table);
    LISTED_AT.store(crate::time::now_ns().max(1), Ordering::Relaxed);
    out(format_args!("NMI dump: end\n"));
}

fn print_process(process: &Process) {
    let Some(threads) = process.threads.try_lock() else {
        out(format_args!("pid {}: its thread list is locked\n", process.pid));
        return;
    };
    for thread in threads.iter() {
        print_thread(process.pid, thread);
    }
}

fn print_thread(pid: u32, thread: &Thread) {
    let mut name = [b'?'; 16];
    if let Some(n) = thread.name.try_lock() {
        name = *n;
    }
    let len = name.iter().position(|&b| b == 0).unwrap_or(16);
    let name = core::str::from_utf8(&name[..len]).unwrap_or("?");
    out(format_args!(
        "pid {pid} tid {} {:?}{}{} \"{name}\"",
        thread.tid,
        thread.state(),
        if thread.on_cpu() { " on a CPU" } else { "" },
        if thread.is_exiting() { " exiting" } else { "" }
    ));
    if let Some(frame) = crate::arch::context::user_frame(thread.kernel_stack_top()) {
        match (frame.entry(), thread.try_process()) {
            (kernel_ops::Entry::SystemCall { number }, Some(p)) => {
                // Decoding reads only the frame: no lock is taken.
                let a = p.personality().traced_call(&frame).args;
                out(format_args!(" in system call {number} ({:#x}, {:#x}, {:#x})", a[0], a[1], a[2]));
            }
            (kernel_ops::Entry::SystemCall { number }, None) => out(format_args!(" in system call {number}")),
            (kernel_ops::Entry::Trap { number }, _) => out(format_args!(" trap {number} at user {:#x}", frame.pc())),
            (kernel_ops::Entry::None, _) => out(format_args!(" at user {:#x}", frame.pc())),
        }
    }
    out(format_args!("\n"));
    if thread.state() == super::thread::ThreadState::Blocked || thread.state() == super::thread::ThreadState::Runnable {
        if let Some((pc, fp)) = thread.context().switched_out_at() {
            backtrace::print_from(pc, fp);
        }
    }
}
