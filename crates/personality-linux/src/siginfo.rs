//! The `siginfo_t` Linux gives a handler, a signalfd reader or a tracer
//! for a signal the core describes neutrally.

use kernel_ops::{FaultReason, SignalCause, SignalInfo};
use linux_abi::siginfo::*;

pub fn siginfo_bytes(info: &SignalInfo) -> [u8; 128] {
    siginfo_of(info).to_bytes()
}

/// The `siginfo_t` Linux would give for `info`.
pub fn siginfo_of(info: &SignalInfo) -> Siginfo {
    let signo = crate::signals::to_linux(info.signal);
    match info.cause {
        SignalCause::User { pid, uid } => Siginfo::kill(signo, SI_USER, pid as i32, uid),
        SignalCause::UserThread { pid, uid } => Siginfo::kill(signo, SI_TKILL, pid as i32, uid),
        SignalCause::Queued { pid, uid, value } => Siginfo::queue(signo, pid as i32, uid, value),
        SignalCause::MessageQueue { pid, uid, value } => {
            Siginfo { code: SI_MESGQ, ..Siginfo::queue(signo, pid as i32, uid, value) }
        }
        SignalCause::Timer { id, overrun, value } => Siginfo::timer(signo, id as i32, overrun as i32, value),
        SignalCause::Kernel => Siginfo::kill(signo, SI_KERNEL, 0, 0),
        SignalCause::Child { pid, uid, status } => {
            let (code, st) = match status {
                kernel_ops::ChildStatus::Exited(c) => (CLD_EXITED, i32::from(c)),
                kernel_ops::ChildStatus::Signaled { signal, core_dumped } => {
                    (if core_dumped { CLD_DUMPED } else { CLD_KILLED }, crate::signals::to_linux(signal) as i32)
                }
                kernel_ops::ChildStatus::Stopped(s) => (CLD_STOPPED, crate::signals::to_linux(s) as i32),
                kernel_ops::ChildStatus::Continued => (CLD_CONTINUED, 18),
                kernel_ops::ChildStatus::Traced { signal, .. } => {
                    (CLD_TRAPPED, crate::signals::to_linux(signal) as i32)
                }
            };
            Siginfo::child(code, pid as i32, uid, st, 0, 0)
        }
        SignalCause::Trace { syscall, event } => {
            Siginfo::kill(signo, linux_abi::ptrace::trap_code(syscall, crate::sys::ptrace::event_code(event)), 0, 0)
        }
        // int3: Linux sends a plain kernel SIGTRAP (SI_KERNEL, no address);
        // debuggers tell a breakpoint from a single step by this code.
        SignalCause::Fault { reason: FaultReason::Breakpoint, .. } => Siginfo::kill(signo, SI_KERNEL, 0, 0),
        SignalCause::Fault { address, reason } => {
            let code = match reason {
                FaultReason::Unmapped => SEGV_MAPERR,
                FaultReason::Protection => SEGV_ACCERR,
                FaultReason::IntegerDivide => FPE_INTDIV,
                FaultReason::FloatingPoint => FPE_FLTINV,
                FaultReason::IllegalInstruction => ILL_ILLOPN,
                FaultReason::Breakpoint => SI_KERNEL,
                FaultReason::SingleStep => TRAP_TRACE,
                FaultReason::HardwareBreakpoint => TRAP_HWBKPT,
                FaultReason::BusObjectError | FaultReason::OutOfMemory => BUS_ADRERR,
            };
            Siginfo::fault(signo, code, address)
        }
    }
}
