//! The `siginfo_t` NetBSD gives a handler (sys/sys/siginfo.h, amd64: a
//! 128-byte union over `struct _ksiginfo`): signo, code and errno as ints
//! and a pad, then from 16 the reason union (`_rt`: pid, uid, value;
//! `_child`: pid, uid, status, utime, stime; `_fault`: addr, trap, trap2,
//! trap3). Go reads the code at 4 and the fault address at 16.

use crate::signals::from_core;
use kernel_ops::{ChildStatus, FaultReason, SignalCause, SignalInfo};

pub const SIGINFO_BYTES: usize = 128;

const SI_USER: i32 = 0;
const SI_QUEUE: i32 = -1;
const SI_TIMER: i32 = -2;
const SI_MESGQ: i32 = -4;
/// _lwp_kill (pthread_kill).
const SI_LWP: i32 = -5;
/// Sent by the kernel with nothing more to say (a pipe, a terminal).
const SI_NOINFO: i32 = 32767;

const SEGV_MAPERR: i32 = 1;
const SEGV_ACCERR: i32 = 2;
const BUS_ADRERR: i32 = 2;
const BUS_OBJERR: i32 = 3;
const FPE_INTDIV: i32 = 1;
const FPE_FLTINV: i32 = 7;
const ILL_ILLOPC: i32 = 1;
const TRAP_BRKPT: i32 = 1;
const TRAP_TRACE: i32 = 2;

const CLD_EXITED: i32 = 1;
const CLD_KILLED: i32 = 2;
const CLD_DUMPED: i32 = 3;
const CLD_TRAPPED: i32 = 4;
const CLD_STOPPED: i32 = 5;
const CLD_CONTINUED: i32 = 6;

/// NetBSD's SIGCONT, the status a continued child reports.
const SIGCONT: i32 = 19;

/// The x86 trap numbers NetBSD's trap() puts in `_trap` (T_PAGEFLT etc.
/// of sys/arch/x86/include/trap.h).
const T_PRIVINFLT: i32 = 0;
const T_BPTFLT: i32 = 1;
const T_ARITHTRAP: i32 = 2;
const T_TRCTRAP: i32 = 5;
const T_PAGEFLT: i32 = 6;
const T_DIVIDE: i32 = 8;

pub fn siginfo_bytes(info: &SignalInfo) -> [u8; SIGINFO_BYTES] {
    let mut b = [0u8; SIGINFO_BYTES];
    fn int(b: &mut [u8], at: usize, v: i32) {
        b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    }
    int(&mut b, 0, from_core(info.signal) as i32);
    let code = match info.cause {
        SignalCause::User { pid, uid } | SignalCause::UserThread { pid, uid } => {
            int(&mut b, 16, pid as i32);
            int(&mut b, 20, uid as i32);
            if matches!(info.cause, SignalCause::User { .. }) {
                SI_USER
            } else {
                SI_LWP
            }
        }
        SignalCause::Queued { pid, uid, value } | SignalCause::MessageQueue { pid, uid, value } => {
            int(&mut b, 16, pid as i32);
            int(&mut b, 20, uid as i32);
            b[24..32].copy_from_slice(&value.to_le_bytes());
            if matches!(info.cause, SignalCause::Queued { .. }) {
                SI_QUEUE
            } else {
                SI_MESGQ
            }
        }
        SignalCause::Timer { value, .. } => {
            b[24..32].copy_from_slice(&value.to_le_bytes());
            SI_TIMER
        }
        SignalCause::Kernel | SignalCause::Trace { .. } => SI_NOINFO,
        SignalCause::Child { pid, uid, status } => {
            let (code, status) = match status {
                ChildStatus::Exited(c) => (CLD_EXITED, i32::from(c)),
                ChildStatus::Signaled { signal, core_dumped } => {
                    (if core_dumped { CLD_DUMPED } else { CLD_KILLED }, from_core(signal) as i32)
                }
                ChildStatus::Stopped(s) => (CLD_STOPPED, from_core(s) as i32),
                ChildStatus::Continued => (CLD_CONTINUED, SIGCONT),
                ChildStatus::Traced { signal, .. } => (CLD_TRAPPED, from_core(signal) as i32),
            };
            int(&mut b, 16, pid as i32);
            int(&mut b, 20, uid as i32);
            int(&mut b, 24, status);
            code
        }
        SignalCause::Fault { address, reason } => {
            let (code, trap) = fault_code(reason);
            b[16..24].copy_from_slice(&address.to_le_bytes());
            int(&mut b, 24, trap);
            code
        }
    };
    b[4..8].copy_from_slice(&code.to_le_bytes());
    b
}

/// si_code and _trap for a fault. Go tells a fault from a kill by the
/// code (never SI_USER) and a nil dereference by the address.
fn fault_code(reason: FaultReason) -> (i32, i32) {
    match reason {
        FaultReason::Unmapped => (SEGV_MAPERR, T_PAGEFLT),
        FaultReason::Protection => (SEGV_ACCERR, T_PAGEFLT),
        FaultReason::IntegerDivide => (FPE_INTDIV, T_DIVIDE),
        FaultReason::FloatingPoint => (FPE_FLTINV, T_ARITHTRAP),
        FaultReason::IllegalInstruction => (ILL_ILLOPC, T_PRIVINFLT),
        FaultReason::Breakpoint => (TRAP_BRKPT, T_BPTFLT),
        FaultReason::SingleStep | FaultReason::HardwareBreakpoint => (TRAP_TRACE, T_TRCTRAP),
        FaultReason::BusObjectError => (BUS_OBJERR, T_PAGEFLT),
        FaultReason::OutOfMemory => (BUS_ADRERR, T_PAGEFLT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernel_ops::Signal;

    fn int_at(b: &[u8], at: usize) -> i32 {
        i32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn a_kill_names_its_sender_in_netbsd_numbers() {
        let b = siginfo_bytes(&SignalInfo { signal: Signal::USR1, cause: SignalCause::User { pid: 7, uid: 1000 } });
        assert_eq!(int_at(&b, 0), 30, "SIGUSR1 is 30 on NetBSD");
        assert_eq!(int_at(&b, 4), SI_USER);
        assert_eq!((int_at(&b, 16), int_at(&b, 20)), (7, 1000));
    }

    #[test]
    fn a_fault_has_its_code_and_address_where_go_reads_them() {
        let info = SignalInfo {
            signal: Signal::SEGV,
            cause: SignalCause::Fault { address: 0x10, reason: FaultReason::Unmapped },
        };
        let b = siginfo_bytes(&info);
        assert_eq!((int_at(&b, 0), int_at(&b, 4)), (11, SEGV_MAPERR));
        assert_eq!(u64::from_le_bytes(b[16..24].try_into().unwrap()), 0x10);
    }

    #[test]
    fn an_lwp_kill_is_si_lwp() {
        let b = siginfo_bytes(&SignalInfo { signal: Signal::INT, cause: SignalCause::UserThread { pid: 3, uid: 0 } });
        assert_eq!(int_at(&b, 4), -5);
    }
}
