//! The `siginfo_t` FreeBSD gives a handler (sys/sys/signal.h; 80 bytes on
//! amd64): signo, errno, code, pid, uid, status as ints, then the address,
//! the value and the reason union.

use crate::signals::from_core;
use kernel_ops::{ChildStatus, FaultReason, SignalCause, SignalInfo};

pub const SIGINFO_BYTES: usize = 80;

const SI_USER: i32 = 0x10001;
const SI_QUEUE: i32 = 0x10002;
const SI_TIMER: i32 = 0x10003;
const SI_MESGQ: i32 = 0x10005;
const SI_KERNEL: i32 = 0x10006;
/// thr_kill and pthread_kill.
const SI_LWP: i32 = 0x10007;

const SEGV_MAPERR: i32 = 1;
const SEGV_ACCERR: i32 = 2;
const BUS_ADRERR: i32 = 2;
const BUS_OBJERR: i32 = 3;
const FPE_INTDIV: i32 = 2;
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

/// FreeBSD's SIGCONT, the status a continued child reports.
const SIGCONT: i32 = 19;

#[derive(Default)]
struct Fields {
    code: i32,
    pid: u32,
    uid: u32,
    status: i32,
    addr: u64,
    value: u64,
    /// The reason union's first int (_fault._trapno, _timer._timerid).
    reason0: i32,
    /// Its second (_timer._overrun).
    reason1: i32,
}

/// What the signal means, as FreeBSD codes it.
fn fields_of(info: &SignalInfo) -> Fields {
    match info.cause {
        SignalCause::User { pid, uid } => Fields { code: SI_USER, pid, uid, ..Fields::default() },
        SignalCause::UserThread { pid, uid } => Fields { code: SI_LWP, pid, uid, ..Fields::default() },
        SignalCause::Queued { pid, uid, value } => Fields { code: SI_QUEUE, pid, uid, value, ..Fields::default() },
        SignalCause::MessageQueue { pid, uid, value } => {
            Fields { code: SI_MESGQ, pid, uid, value, ..Fields::default() }
        }
        SignalCause::Timer { id, overrun, value } => {
            Fields { code: SI_TIMER, value, reason0: id as i32, reason1: overrun as i32, ..Fields::default() }
        }
        SignalCause::Kernel | SignalCause::Trace { .. } => Fields { code: SI_KERNEL, ..Fields::default() },
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
            Fields { code, pid, uid, status, ..Fields::default() }
        }
        SignalCause::Fault { address, reason } => {
            // Go tells a fault from a kill by si_code (never SI_USER) and
            // a nil dereference by si_addr below a page.
            let (code, trapno) = match reason {
                FaultReason::Unmapped => (SEGV_MAPERR, 12),
                FaultReason::Protection => (SEGV_ACCERR, 12),
                FaultReason::IntegerDivide => (FPE_INTDIV, 18),
                FaultReason::FloatingPoint => (FPE_FLTINV, 19),
                FaultReason::IllegalInstruction => (ILL_ILLOPC, 1),
                FaultReason::Breakpoint => (TRAP_BRKPT, 3),
                FaultReason::SingleStep | FaultReason::HardwareBreakpoint => (TRAP_TRACE, 10),
                FaultReason::BusObjectError => (BUS_OBJERR, 12),
                FaultReason::OutOfMemory => (BUS_ADRERR, 12),
            };
            Fields { code, addr: address, reason0: trapno, ..Fields::default() }
        }
    }
}

pub fn siginfo_bytes(info: &SignalInfo) -> [u8; SIGINFO_BYTES] {
    let f = fields_of(info);
    let mut b = [0u8; SIGINFO_BYTES];
    b[0..4].copy_from_slice(&(from_core(info.signal) as i32).to_le_bytes());
    b[8..12].copy_from_slice(&f.code.to_le_bytes());
    b[12..16].copy_from_slice(&f.pid.to_le_bytes());
    b[16..20].copy_from_slice(&f.uid.to_le_bytes());
    b[20..24].copy_from_slice(&f.status.to_le_bytes());
    b[24..32].copy_from_slice(&f.addr.to_le_bytes());
    b[32..40].copy_from_slice(&f.value.to_le_bytes());
    b[40..44].copy_from_slice(&f.reason0.to_le_bytes());
    b[44..48].copy_from_slice(&f.reason1.to_le_bytes());
    b
}

/// si_code, which a handler without SA_SIGINFO gets as its second argument.
pub fn code_of(info: &SignalInfo) -> i32 {
    fields_of(info).code
}

/// The faulting address (a handler's fourth argument); 0 for other signals.
pub fn address_of(info: &SignalInfo) -> u64 {
    fields_of(info).addr
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernel_ops::Signal;

    fn int_at(b: &[u8], at: usize) -> i32 {
        i32::from_le_bytes(b[at..at + 4].try_into().unwrap())
    }

    #[test]
    fn a_kill_names_its_sender_in_freebsd_numbers() {
        let b = siginfo_bytes(&SignalInfo { signal: Signal::USR1, cause: SignalCause::User { pid: 7, uid: 1000 } });
        assert_eq!(int_at(&b, 0), 30, "SIGUSR1 is 30 on FreeBSD");
        assert_eq!(int_at(&b, 8), SI_USER);
        assert_eq!((int_at(&b, 12), int_at(&b, 16)), (7, 1000));
    }

    #[test]
    fn a_fault_is_never_coded_as_sent_by_a_user() {
        let info = SignalInfo {
            signal: Signal::SEGV,
            cause: SignalCause::Fault { address: 0x10, reason: FaultReason::Unmapped },
        };
        let b = siginfo_bytes(&info);
        assert_eq!((int_at(&b, 0), int_at(&b, 8)), (11, SEGV_MAPERR));
        assert_eq!(u64::from_le_bytes(b[24..32].try_into().unwrap()), 0x10);
        assert_eq!((code_of(&info), address_of(&info)), (SEGV_MAPERR, 0x10));
    }

    #[test]
    fn a_child_reports_its_end_in_freebsd_numbers() {
        let info = SignalInfo {
            signal: Signal::CHLD,
            cause: SignalCause::Child {
                pid: 9,
                uid: 0,
                status: ChildStatus::Signaled { signal: Signal::USR2, core_dumped: false },
            },
        };
        let b = siginfo_bytes(&info);
        assert_eq!((int_at(&b, 0), int_at(&b, 8), int_at(&b, 20)), (20, CLD_KILLED, 31));
    }
}
