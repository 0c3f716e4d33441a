//! CPU exceptions raised by user code: page faults that demand paging or
//! copy-on-write resolve, and everything else turned into a signal.

use crate::arch::trap_entry::TrapFrame;
use crate::mm::Access;
use crate::sched;
use kernel_ops::{FaultReason, Signal, SignalCause};

/// Handles the exception, then returns towards user mode. Everything it
/// holds (threads, processes, address spaces) is dropped before that
/// return: a thread that dies there never comes back to drop them.
pub fn user_exception(frame: &mut TrapFrame, vector: u8, cr2: u64) {
    handle(frame, vector, cr2);
    super::signal::return_to_user(frame);
}

fn handle(frame: &mut TrapFrame, vector: u8, cr2: u64) {
    let t = sched::current();
    let (signal, address, reason) = match vector {
        14 => {
            let code = frame.error_code;
            let access = if code & 16 != 0 {
                Access::Execute
            } else if code & 2 != 0 {
                Access::Write
            } else {
                Access::Read
            };
            let result = t.process().mm().handle_fault(cr2, access);
            match result {
                Ok(()) => return super::usage::fault_resolved(&t),
                Err(FaultReason::BusObjectError) => (Signal::BUS, cr2, FaultReason::BusObjectError),
                Err(FaultReason::OutOfMemory) => {
                    let p = t.process().clone();
                    let exe = p.exe.lock().clone();
                    crate::warn!(
                        "out of memory: killed pid {} ({}) at a page fault at {:#x}",
                        p.pid,
                        alloc::string::String::from_utf8_lossy(&exe),
                        cr2
                    );
                    super::signal::send_to_process(&p, Signal::KILL, SignalCause::Kernel);
                    return;
                }
                Err(reason) => (Signal::SEGV, cr2, reason),
            }
        }
        0 => (Signal::FPE, frame.rip, FaultReason::IntegerDivide),
        16 | 19 => (Signal::FPE, frame.rip, FaultReason::FloatingPoint),
        6 => (Signal::ILL, frame.rip, FaultReason::IllegalInstruction),
        3 => (Signal::TRAP, frame.rip, FaultReason::Breakpoint),
        1 => (Signal::TRAP, frame.rip, debug_reason(frame, &t)),
        17 => (Signal::BUS, frame.rip, FaultReason::BusObjectError),
        // #GP from user mode (privileged instruction, non-canonical address):
        // Linux reports SIGSEGV with address 0.
        _ => (Signal::SEGV, 0, FaultReason::Protection),
    };
    if t.process().is_native() {
        let address = if vector == 14 { cr2 } else { address };
        crate::native::record_fault(&t, vector, address, frame.rip);
        return;
    }
    let p = t.process().clone();
    crate::debug!(
        "pid {} tid {}: {:?} at {:#x} (rip {:#x}) -> signal {}",
        p.pid,
        t.tid,
        reason,
        address,
        frame.rip,
        signal.number()
    );
    // A fault while the signal is blocked or ignored cannot be survived:
    // Linux resets the action to default so the process dies.
    let blocked = t.signals.lock().mask & signal.bit() != 0;
    let ignored = matches!(p.actions().lock()[signal.number() as usize - 1].handler, kernel_ops::SignalHandler::Ignore);
    if blocked || ignored {
        p.actions().lock()[signal.number() as usize - 1] = kernel_ops::SignalAction::default();
        t.signals.lock().mask &= !signal.bit();
    }
    super::signal::send_to_thread(&t, signal, SignalCause::Fault { address, reason });
}

/// Why a #DB from user mode was raised, from DR6 (kept for the thread's
/// tracer, who reads it as the debug status register).
fn debug_reason(frame: &mut TrapFrame, t: &super::thread::Thread) -> FaultReason {
    use crate::arch::debug_registers::{take_status, DR6_SINGLE_STEP};
    let status = take_status();
    let breakpoints = t.context().breakpoints();
    let hits = breakpoints.enabled_hits(status);
    // Under single-stepping, an emulator that keeps no DR6 still set TF.
    let stepping = status & DR6_SINGLE_STEP != 0 || (hits == 0 && frame.rflags & (1 << 8) != 0);
    super::ptrace::record_debug_status(t, hits | if stepping { DR6_SINGLE_STEP } else { 0 });
    if breakpoints.instruction_hit(hits) {
        // An instruction breakpoint is a fault: resume (RF) past it once.
        frame.rflags |= 1 << 16;
    }
    if stepping {
        FaultReason::SingleStep
    } else if hits != 0 {
        FaultReason::HardwareBreakpoint
    } else {
        FaultReason::Breakpoint // int1 (icebp)
    }
}
