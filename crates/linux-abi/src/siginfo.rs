//! `siginfo_t` (`asm-generic/siginfo.h`): 128 bytes on x86_64.
//!
//! Three `int`s (`si_signo`, `si_errno`, `si_code`), four bytes of padding so
//! the union is 8-aligned, then the union at offset 16. Which union member is
//! live is not stored: it follows from the signal and `si_code`, by the rules
//! of [`siginfo_layout`], which mirror the kernel's. x86_64 has no
//! `si_trapno` (that is for alpha and sparc).
//!
//! ```text
//! kill/tkill  : 16 si_pid i32 | 20 si_uid u32
//! rt (queue)  : 16 si_pid i32 | 20 si_uid u32 | 24 si_value u64
//! timer       : 16 si_tid i32 | 20 si_overrun i32 | 24 si_value u64 | 32 (private, zero)
//! SIGCHLD     : 16 si_pid i32 | 20 si_uid u32 | 24 si_status i32 | 32 si_utime i64 | 40 si_stime i64
//! fault       : 16 si_addr u64 | 24 si_addr_lsb i16 (MCE)
//!               | 32 si_lower u64, 40 si_upper u64 (SEGV_BNDERR) | 32 si_pkey u32 (SEGV_PKUERR)
//!               | 24 si_perf_data u64, 32 si_perf_type u32, 36 si_perf_flags u32 (TRAP_PERF)
//! poll        : 16 si_band i64 | 24 si_fd i32
//! sys         : 16 si_call_addr u64 | 24 si_syscall i32 | 28 si_arch u32
//! ```

use crate::signal::{SIGBUS, SIGCHLD, SIGFPE, SIGILL, SIGPOLL, SIGSEGV, SIGSYS, SIGTRAP};
use crate::wire::{get_i16, get_i32, get_i64, get_u32, get_u64, prefix, put_i32, put_i64, put_u16, put_u32, put_u64};

// Generic si_code values. Positive codes below SI_KERNEL mean "the kernel
// sent this for a reason specific to the signal"; zero and negatives mean a
// user sent it, and only then may a user forge the whole siginfo.
/// Sent by `kill`/`raise`.
pub const SI_USER: i32 = 0;
/// Sent by the kernel for no signal-specific reason.
pub const SI_KERNEL: i32 = 0x80;
/// Sent by `sigqueue`.
pub const SI_QUEUE: i32 = -1;
/// Expiry of a POSIX timer.
pub const SI_TIMER: i32 = -2;
/// A POSIX message queue became non-empty.
pub const SI_MESGQ: i32 = -3;
/// AIO completion.
pub const SI_ASYNCIO: i32 = -4;
/// Queued SIGIO.
pub const SI_SIGIO: i32 = -5;
/// Sent by `tkill`/`tgkill`.
pub const SI_TKILL: i32 = -6;
/// Sent by `execve` killing the other threads.
pub const SI_DETHREAD: i32 = -7;
/// Sent by glibc's asynchronous name lookup completion.
pub const SI_ASYNCNL: i32 = -60;

// SIGILL
pub const ILL_ILLOPC: i32 = 1;
pub const ILL_ILLOPN: i32 = 2;
pub const ILL_ILLADR: i32 = 3;
pub const ILL_ILLTRP: i32 = 4;
pub const ILL_PRVOPC: i32 = 5;
pub const ILL_PRVREG: i32 = 6;
pub const ILL_COPROC: i32 = 7;
pub const ILL_BADSTK: i32 = 8;
pub const ILL_BADIADDR: i32 = 9;
pub const NSIGILL: i32 = 11;

// SIGFPE
pub const FPE_INTDIV: i32 = 1;
pub const FPE_INTOVF: i32 = 2;
pub const FPE_FLTDIV: i32 = 3;
pub const FPE_FLTOVF: i32 = 4;
pub const FPE_FLTUND: i32 = 5;
pub const FPE_FLTRES: i32 = 6;
pub const FPE_FLTINV: i32 = 7;
pub const FPE_FLTSUB: i32 = 8;
pub const FPE_FLTUNK: i32 = 14;
pub const FPE_CONDTRAP: i32 = 15;
pub const NSIGFPE: i32 = 15;

// SIGSEGV
/// Address not mapped.
pub const SEGV_MAPERR: i32 = 1;
/// Mapped, but the access is not permitted.
pub const SEGV_ACCERR: i32 = 2;
pub const SEGV_BNDERR: i32 = 3;
pub const SEGV_PKUERR: i32 = 4;
pub const SEGV_ACCADI: i32 = 5;
pub const SEGV_ADIDERR: i32 = 6;
pub const SEGV_ADIPERR: i32 = 7;
pub const SEGV_MTEAERR: i32 = 8;
pub const SEGV_MTESERR: i32 = 9;
/// Control-protection (shadow stack) fault.
pub const SEGV_CPERR: i32 = 10;
pub const NSIGSEGV: i32 = 10;

// SIGBUS
pub const BUS_ADRALN: i32 = 1;
/// Access beyond the end of a mapped file.
pub const BUS_ADRERR: i32 = 2;
pub const BUS_OBJERR: i32 = 3;
pub const BUS_MCEERR_AR: i32 = 4;
pub const BUS_MCEERR_AO: i32 = 5;
pub const NSIGBUS: i32 = 5;

// SIGTRAP
pub const TRAP_BRKPT: i32 = 1;
pub const TRAP_TRACE: i32 = 2;
pub const TRAP_BRANCH: i32 = 3;
pub const TRAP_HWBKPT: i32 = 4;
pub const TRAP_UNK: i32 = 5;
pub const TRAP_PERF: i32 = 6;
pub const NSIGTRAP: i32 = 6;

// SIGCHLD
pub const CLD_EXITED: i32 = 1;
pub const CLD_KILLED: i32 = 2;
pub const CLD_DUMPED: i32 = 3;
pub const CLD_TRAPPED: i32 = 4;
pub const CLD_STOPPED: i32 = 5;
pub const CLD_CONTINUED: i32 = 6;
pub const NSIGCHLD: i32 = 6;

// SIGPOLL / SIGIO
pub const POLL_IN: i32 = 1;
pub const POLL_OUT: i32 = 2;
pub const POLL_MSG: i32 = 3;
pub const POLL_ERR: i32 = 4;
pub const POLL_PRI: i32 = 5;
pub const POLL_HUP: i32 = 6;
pub const NSIGPOLL: i32 = 6;

// SIGSYS
pub const SYS_SECCOMP: i32 = 1;
pub const SYS_USER_DISPATCH: i32 = 2;
pub const NSIGSYS: i32 = 2;

/// Which union member of a siginfo is live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiginfoLayout {
    Kill,
    Timer,
    Poll,
    Fault,
    FaultMceErr,
    FaultBndErr,
    FaultPkuErr,
    FaultPerfEvent,
    Chld,
    Rt,
    Sys,
}

/// The live union member for signal `sig` with code `code`, by the kernel's
/// rules (`siginfo_layout` in kernel/signal.c): signal-specific codes only
/// count for the signal they belong to and within its range; negative codes
/// carry a value; anything else is the plain kill layout.
pub const fn siginfo_layout(sig: u32, code: i32) -> SiginfoLayout {
    use SiginfoLayout::*;
    if code > SI_USER && code < SI_KERNEL {
        let specific = match sig {
            SIGILL if code <= NSIGILL => Some(Fault),
            SIGFPE if code <= NSIGFPE => Some(Fault),
            SIGSEGV if code <= NSIGSEGV => Some(match code {
                SEGV_BNDERR => FaultBndErr,
                SEGV_PKUERR => FaultPkuErr,
                _ => Fault,
            }),
            SIGBUS if code <= NSIGBUS => Some(match code {
                BUS_MCEERR_AR | BUS_MCEERR_AO => FaultMceErr,
                _ => Fault,
            }),
            SIGTRAP if code <= NSIGTRAP => Some(if code == TRAP_PERF { FaultPerfEvent } else { Fault }),
            SIGCHLD if code <= NSIGCHLD => Some(Chld),
            SIGPOLL if code <= NSIGPOLL => Some(Poll),
            SIGSYS if code <= NSIGSYS => Some(Sys),
            _ => None,
        };
        match specific {
            Some(l) => l,
            // A small positive code on another signal is still read as poll
            // data, as Linux does.
            None if code <= NSIGPOLL => Poll,
            None => Kill,
        }
    } else if code == SI_TIMER {
        Timer
    } else if code == SI_SIGIO {
        Poll
    } else if code < 0 {
        Rt
    } else {
        Kill
    }
}

/// The live union member's contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigFields {
    Kill {
        pid: i32,
        uid: u32,
    },
    Rt {
        pid: i32,
        uid: u32,
        value: u64,
    },
    Timer {
        tid: i32,
        overrun: i32,
        value: u64,
    },
    /// `status` is the exit code for `CLD_EXITED`, else the signal number.
    /// Times are in clock ticks (`USER_HZ`).
    Chld {
        pid: i32,
        uid: u32,
        status: i32,
        utime: i64,
        stime: i64,
    },
    Fault {
        addr: u64,
    },
    FaultMceErr {
        addr: u64,
        addr_lsb: i16,
    },
    FaultBndErr {
        addr: u64,
        lower: u64,
        upper: u64,
    },
    FaultPkuErr {
        addr: u64,
        pkey: u32,
    },
    FaultPerfEvent {
        addr: u64,
        data: u64,
        ty: u32,
        flags: u32,
    },
    Poll {
        band: i64,
        fd: i32,
    },
    Sys {
        call_addr: u64,
        syscall: i32,
        arch: u32,
    },
}

/// A decoded `siginfo_t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Siginfo {
    pub signo: u32,
    pub errno: i32,
    pub code: i32,
    pub fields: SigFields,
}

impl Siginfo {
    pub const SIZE: usize = 128;
    pub const OFF_SIGNO: usize = 0;
    pub const OFF_ERRNO: usize = 4;
    pub const OFF_CODE: usize = 8;
    /// Start of the union.
    pub const OFF_FIELDS: usize = 16;
    pub const OFF_PID: usize = 16;
    pub const OFF_UID: usize = 20;
    pub const OFF_VALUE: usize = 24;
    pub const OFF_STATUS: usize = 24;
    pub const OFF_UTIME: usize = 32;
    pub const OFF_STIME: usize = 40;
    pub const OFF_ADDR: usize = 16;
    pub const OFF_ADDR_LSB: usize = 24;
    pub const OFF_LOWER: usize = 32;
    pub const OFF_UPPER: usize = 40;
    pub const OFF_PKEY: usize = 32;
    pub const OFF_TID: usize = 16;
    pub const OFF_OVERRUN: usize = 20;
    pub const OFF_BAND: usize = 16;
    pub const OFF_FD: usize = 24;
    pub const OFF_CALL_ADDR: usize = 16;
    pub const OFF_SYSCALL: usize = 24;
    pub const OFF_ARCH: usize = 28;

    /// A signal sent by `kill` (code `SI_USER`) or `tkill`/`tgkill`
    /// (`SI_TKILL`), or by the kernel (`SI_KERNEL`).
    pub const fn kill(signo: u32, code: i32, pid: i32, uid: u32) -> Self {
        Self { signo, errno: 0, code, fields: SigFields::Kill { pid, uid } }
    }

    /// A signal sent by `sigqueue` (`SI_QUEUE`) carrying `value`.
    pub const fn queue(signo: u32, pid: i32, uid: u32, value: u64) -> Self {
        Self { signo, errno: 0, code: SI_QUEUE, fields: SigFields::Rt { pid, uid, value } }
    }

    /// The SIGCHLD a parent gets when a child exits, is killed, stops or
    /// continues (`code` is a `CLD_*` value).
    pub const fn child(code: i32, pid: i32, uid: u32, status: i32, utime: i64, stime: i64) -> Self {
        Self { signo: SIGCHLD, errno: 0, code, fields: SigFields::Chld { pid, uid, status, utime, stime } }
    }

    /// A synchronous fault (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP) at
    /// user address `addr`: the faulting data address for SIGSEGV/SIGBUS,
    /// the instruction address for SIGILL/SIGFPE.
    pub const fn fault(signo: u32, code: i32, addr: u64) -> Self {
        Self { signo, errno: 0, code, fields: SigFields::Fault { addr } }
    }

    /// A POSIX timer expiry.
    pub const fn timer(signo: u32, tid: i32, overrun: i32, value: u64) -> Self {
        Self { signo, errno: 0, code: SI_TIMER, fields: SigFields::Timer { tid, overrun, value } }
    }

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u32(&mut b, Self::OFF_SIGNO, self.signo);
        put_i32(&mut b, Self::OFF_ERRNO, self.errno);
        put_i32(&mut b, Self::OFF_CODE, self.code);
        match self.fields {
            SigFields::Kill { pid, uid } => {
                put_i32(&mut b, Self::OFF_PID, pid);
                put_u32(&mut b, Self::OFF_UID, uid);
            }
            SigFields::Rt { pid, uid, value } => {
                put_i32(&mut b, Self::OFF_PID, pid);
                put_u32(&mut b, Self::OFF_UID, uid);
                put_u64(&mut b, Self::OFF_VALUE, value);
            }
            SigFields::Timer { tid, overrun, value } => {
                put_i32(&mut b, Self::OFF_TID, tid);
                put_i32(&mut b, Self::OFF_OVERRUN, overrun);
                put_u64(&mut b, Self::OFF_VALUE, value);
            }
            SigFields::Chld { pid, uid, status, utime, stime } => {
                put_i32(&mut b, Self::OFF_PID, pid);
                put_u32(&mut b, Self::OFF_UID, uid);
                put_i32(&mut b, Self::OFF_STATUS, status);
                put_i64(&mut b, Self::OFF_UTIME, utime);
                put_i64(&mut b, Self::OFF_STIME, stime);
            }
            SigFields::Fault { addr } => put_u64(&mut b, Self::OFF_ADDR, addr),
            SigFields::FaultMceErr { addr, addr_lsb } => {
                put_u64(&mut b, Self::OFF_ADDR, addr);
                put_u16(&mut b, Self::OFF_ADDR_LSB, addr_lsb as u16);
            }
            SigFields::FaultBndErr { addr, lower, upper } => {
                put_u64(&mut b, Self::OFF_ADDR, addr);
                put_u64(&mut b, Self::OFF_LOWER, lower);
                put_u64(&mut b, Self::OFF_UPPER, upper);
            }
            SigFields::FaultPkuErr { addr, pkey } => {
                put_u64(&mut b, Self::OFF_ADDR, addr);
                put_u32(&mut b, Self::OFF_PKEY, pkey);
            }
            SigFields::FaultPerfEvent { addr, data, ty, flags } => {
                put_u64(&mut b, Self::OFF_ADDR, addr);
                put_u64(&mut b, 24, data);
                put_u32(&mut b, 32, ty);
                put_u32(&mut b, 36, flags);
            }
            SigFields::Poll { band, fd } => {
                put_i64(&mut b, Self::OFF_BAND, band);
                put_i32(&mut b, Self::OFF_FD, fd);
            }
            SigFields::Sys { call_addr, syscall, arch } => {
                put_u64(&mut b, Self::OFF_CALL_ADDR, call_addr);
                put_i32(&mut b, Self::OFF_SYSCALL, syscall);
                put_u32(&mut b, Self::OFF_ARCH, arch);
            }
        }
        b
    }

    /// Decodes a siginfo (for example the one `rt_sigqueueinfo` passes in),
    /// reading the union member that [`siginfo_layout`] selects.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        let signo = get_u32(b, Self::OFF_SIGNO);
        let code = get_i32(b, Self::OFF_CODE);
        let pid = get_i32(b, Self::OFF_PID);
        let uid = get_u32(b, Self::OFF_UID);
        let addr = get_u64(b, Self::OFF_ADDR);
        let fields = match siginfo_layout(signo, code) {
            SiginfoLayout::Kill => SigFields::Kill { pid, uid },
            SiginfoLayout::Rt => SigFields::Rt { pid, uid, value: get_u64(b, Self::OFF_VALUE) },
            SiginfoLayout::Timer => SigFields::Timer {
                tid: get_i32(b, Self::OFF_TID),
                overrun: get_i32(b, Self::OFF_OVERRUN),
                value: get_u64(b, Self::OFF_VALUE),
            },
            SiginfoLayout::Chld => SigFields::Chld {
                pid,
                uid,
                status: get_i32(b, Self::OFF_STATUS),
                utime: get_i64(b, Self::OFF_UTIME),
                stime: get_i64(b, Self::OFF_STIME),
            },
            SiginfoLayout::Fault => SigFields::Fault { addr },
            SiginfoLayout::FaultMceErr => SigFields::FaultMceErr { addr, addr_lsb: get_i16(b, Self::OFF_ADDR_LSB) },
            SiginfoLayout::FaultBndErr => {
                SigFields::FaultBndErr { addr, lower: get_u64(b, Self::OFF_LOWER), upper: get_u64(b, Self::OFF_UPPER) }
            }
            SiginfoLayout::FaultPkuErr => SigFields::FaultPkuErr { addr, pkey: get_u32(b, Self::OFF_PKEY) },
            SiginfoLayout::FaultPerfEvent => {
                SigFields::FaultPerfEvent { addr, data: get_u64(b, 24), ty: get_u32(b, 32), flags: get_u32(b, 36) }
            }
            SiginfoLayout::Poll => SigFields::Poll { band: get_i64(b, Self::OFF_BAND), fd: get_i32(b, Self::OFF_FD) },
            SiginfoLayout::Sys => SigFields::Sys {
                call_addr: get_u64(b, Self::OFF_CALL_ADDR),
                syscall: get_i32(b, Self::OFF_SYSCALL),
                arch: get_u32(b, Self::OFF_ARCH),
            },
        };
        Some(Self { signo, errno: get_i32(b, Self::OFF_ERRNO), code, fields })
    }

    /// Whether a process may send this siginfo to *another* process with
    /// `rt_sigqueueinfo`: only user codes (negative, other than `SI_TKILL`)
    /// are allowed, so nobody can forge a kernel-generated signal (EPERM).
    pub const fn user_may_forge(&self) -> bool {
        self.code < 0 && self.code != SI_TKILL
    }
}

/// `struct sigevent` of `timer_create` and `mq_notify` (64 bytes):
/// `0 sigev_value u64 | 8 sigev_signo i32 | 12 sigev_notify i32 | 16 union
/// { tid i32 | (function u64, attribute u64) }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sigevent {
    pub value: u64,
    pub signo: u32,
    pub notify: i32,
    /// The thread to signal for `SIGEV_THREAD_ID`.
    pub tid: i32,
}

pub const SIGEV_SIGNAL: i32 = 0;
pub const SIGEV_NONE: i32 = 1;
/// Handled entirely by libc (it creates a helper thread); the kernel sees
/// `SIGEV_THREAD_ID` or `SIGEV_SIGNAL` instead.
pub const SIGEV_THREAD: i32 = 2;
pub const SIGEV_THREAD_ID: i32 = 4;

impl Sigevent {
    pub const SIZE: usize = 64;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.value);
        put_u32(&mut b, 8, self.signo);
        put_i32(&mut b, 12, self.notify);
        put_i32(&mut b, 16, self.tid);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { value: get_u64(b, 0), signo: get_u32(b, 8), notify: get_i32(b, 12), tid: get_i32(b, 16) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{SIGINT, SIGRTMIN, SIGUSR1};
    use proptest::prelude::*;
    use std::vec;

    #[test]
    fn layouts_follow_the_kernel() {
        use SiginfoLayout::*;
        assert_eq!(siginfo_layout(SIGINT, SI_USER), Kill);
        assert_eq!(siginfo_layout(SIGINT, SI_KERNEL), Kill);
        assert_eq!(siginfo_layout(SIGUSR1, SI_QUEUE), Rt);
        assert_eq!(siginfo_layout(SIGUSR1, SI_TKILL), Rt);
        assert_eq!(siginfo_layout(SIGRTMIN, SI_TIMER), Timer);
        assert_eq!(siginfo_layout(SIGIO_FOR_TEST, SI_SIGIO), Poll);
        assert_eq!(siginfo_layout(SIGCHLD, CLD_EXITED), Chld);
        assert_eq!(siginfo_layout(SIGSEGV, SEGV_MAPERR), Fault);
        assert_eq!(siginfo_layout(SIGSEGV, SEGV_PKUERR), FaultPkuErr);
        assert_eq!(siginfo_layout(SIGSEGV, SEGV_BNDERR), FaultBndErr);
        assert_eq!(siginfo_layout(SIGBUS, BUS_MCEERR_AR), FaultMceErr);
        assert_eq!(siginfo_layout(SIGTRAP, TRAP_PERF), FaultPerfEvent);
        assert_eq!(siginfo_layout(SIGSYS, SYS_SECCOMP), Sys);
        assert_eq!(siginfo_layout(SIGSEGV, 50), Kill);
        assert_eq!(siginfo_layout(SIGUSR1, 3), Poll);
    }
    const SIGIO_FOR_TEST: u32 = crate::signal::SIGIO;

    #[test]
    fn sigchld_bytes() {
        let si = Siginfo::child(CLD_EXITED, 42, 1000, 3, 7, 9);
        let b = si.to_bytes();
        assert_eq!(&b[0..4], &17u32.to_le_bytes());
        assert_eq!(&b[8..12], &1i32.to_le_bytes());
        assert_eq!(&b[12..16], &[0; 4]);
        assert_eq!(&b[16..20], &42i32.to_le_bytes());
        assert_eq!(&b[20..24], &1000u32.to_le_bytes());
        assert_eq!(&b[24..28], &3i32.to_le_bytes());
        assert_eq!(&b[28..32], &[0; 4]);
        assert_eq!(&b[32..40], &7i64.to_le_bytes());
        assert_eq!(&b[40..48], &9i64.to_le_bytes());
        assert!(b[48..].iter().all(|&x| x == 0));
        assert_eq!(Siginfo::from_bytes(&b), Some(si));
    }

    #[test]
    fn fault_and_kill_bytes() {
        let b = Siginfo::fault(SIGSEGV, SEGV_MAPERR, 0xdead_beef).to_bytes();
        assert_eq!(&b[16..24], &0xdead_beefu64.to_le_bytes());
        let b = Siginfo::kill(SIGINT, SI_USER, 7, 0).to_bytes();
        assert_eq!(&b[16..20], &7i32.to_le_bytes());
        assert!(!Siginfo::kill(SIGINT, SI_USER, 7, 0).user_may_forge());
        assert!(Siginfo::queue(SIGUSR1, 7, 0, 5).user_may_forge());
    }

    fn any_siginfo() -> impl Strategy<Value = Siginfo> {
        let fields = prop_oneof![
            (any::<i32>(), any::<u32>()).prop_map(|(pid, uid)| (SIGINT, SI_USER, SigFields::Kill { pid, uid })),
            (any::<i32>(), any::<u32>(), any::<u64>()).prop_map(|(pid, uid, value)| (
                SIGUSR1,
                SI_QUEUE,
                SigFields::Rt { pid, uid, value }
            )),
            (any::<i32>(), any::<i32>(), any::<u64>()).prop_map(|(tid, overrun, value)| (
                SIGRTMIN,
                SI_TIMER,
                SigFields::Timer { tid, overrun, value }
            )),
            (1..=NSIGCHLD, any::<i32>(), any::<u32>(), any::<i32>(), any::<i64>(), any::<i64>()).prop_map(
                |(c, pid, uid, status, utime, stime)| (SIGCHLD, c, SigFields::Chld { pid, uid, status, utime, stime })
            ),
            any::<u64>().prop_map(|addr| (SIGSEGV, SEGV_ACCERR, SigFields::Fault { addr })),
            (any::<u64>(), any::<i16>()).prop_map(|(addr, addr_lsb)| (
                SIGBUS,
                BUS_MCEERR_AO,
                SigFields::FaultMceErr { addr, addr_lsb }
            )),
            (any::<u64>(), any::<u64>(), any::<u64>()).prop_map(|(addr, lower, upper)| (
                SIGSEGV,
                SEGV_BNDERR,
                SigFields::FaultBndErr { addr, lower, upper }
            )),
            (any::<u64>(), any::<u32>()).prop_map(|(addr, pkey)| (
                SIGSEGV,
                SEGV_PKUERR,
                SigFields::FaultPkuErr { addr, pkey }
            )),
            (any::<u64>(), any::<u64>(), any::<u32>(), any::<u32>()).prop_map(|(addr, data, ty, flags)| (
                SIGTRAP,
                TRAP_PERF,
                SigFields::FaultPerfEvent { addr, data, ty, flags }
            )),
            (any::<i64>(), any::<i32>()).prop_map(|(band, fd)| (SIGPOLL, POLL_IN, SigFields::Poll { band, fd })),
            (any::<u64>(), any::<i32>(), any::<u32>()).prop_map(|(call_addr, syscall, arch)| (
                SIGSYS,
                SYS_SECCOMP,
                SigFields::Sys { call_addr, syscall, arch }
            )),
        ];
        (fields, any::<i32>()).prop_map(|((signo, code, fields), errno)| Siginfo { signo, errno, code, fields })
    }

    proptest! {
        #[test]
        fn round_trip(si in any_siginfo()) {
            prop_assert_eq!(Siginfo::from_bytes(&si.to_bytes()), Some(si));
        }

        #[test]
        fn sigevent_round_trip(v: u64, s: u32, n: i32, t: i32) {
            let e = Sigevent { value: v, signo: s, notify: n, tid: t };
            prop_assert_eq!(Sigevent::from_bytes(&e.to_bytes()), Some(e));
        }
    }
}
