//! wait4(2) (sys/kern/kern_exit.c `kern_wait`, `kern_wait6`) and the
//! status word of sys/sys/wait.h.

use super::resources::rusage_bytes;
use kernel_ops::{ChildStatus, Error, KResult, KernelOps, WaitOptions, WaitTarget};

pub const WNOHANG: u32 = 1;
/// WUNTRACED, also WSTOPPED.
pub const WUNTRACED: u32 = 2;
pub const WCONTINUED: u32 = 4;
pub const WNOWAIT: u32 = 8;
pub const WEXITED: u32 = 16;
pub const WTRAPPED: u32 = 32;
/// Wait for Linux-emulation clones only: none exist here.
pub const WLINUXCLONE: u32 = 0x8000_0000;

/// `_WSTOPPED`: the low 7 bits of a stopped child's status.
const WSTOPPED_CODE: u32 = 0o177;
const WCOREFLAG: u32 = 0o200;
/// A continued child's whole status: SIGCONT's number (WIFCONTINUED).
const WCONTINUED_STATUS: u32 = 0x13;

/// The status word for `s`, signals in FreeBSD's numbering: exited
/// `code << 8`; killed `sig` (| WCOREFLAG); stopped `sig << 8 | 0177`;
/// continued 0x13. A tracer's stop is a stop by its signal.
pub fn status_word(s: ChildStatus) -> u32 {
    let sig = crate::signals::from_core;
    match s {
        ChildStatus::Exited(code) => u32::from(code) << 8,
        ChildStatus::Signaled { signal, core_dumped } => sig(signal) | if core_dumped { WCOREFLAG } else { 0 },
        ChildStatus::Stopped(signal) | ChildStatus::Traced { signal, .. } => sig(signal) << 8 | WSTOPPED_CODE,
        ChildStatus::Continued => WCONTINUED_STATUS,
    }
}

/// The core's wait options for wait4's: WEXITED and WTRAPPED are always
/// in (kern_wait adds them); an unknown bit is EINVAL.
pub fn options(raw: u32) -> KResult<WaitOptions> {
    if raw & !(WNOHANG | WUNTRACED | WCONTINUED | WNOWAIT | WEXITED | WTRAPPED | WLINUXCLONE) != 0 {
        return Err(Error::InvalidArgument);
    }
    Ok(WaitOptions {
        no_hang: raw & WNOHANG != 0,
        stopped: raw & WUNTRACED != 0,
        continued: raw & WCONTINUED != 0,
        exited: true,
        no_reap: raw & WNOWAIT != 0,
    })
}

/// wait4(pid, status, options, rusage): pid -1 any child, 0 (WAIT_MYPGRP)
/// the caller's group, below -1 group -pid, above 0 that child.
pub fn wait4(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let opts = options(a[2] as u32)?;
    let target = match a[0] as i32 {
        -1 => WaitTarget::Any,
        0 => WaitTarget::ProcessGroup(ops.process_group(0)?),
        p if p < 0 => WaitTarget::ProcessGroup(p.unsigned_abs()),
        p => WaitTarget::Pid(p as u32),
    };
    match ops.wait(target, opts)? {
        // WNOHANG and no child has changed state: 0, status untouched.
        None => Ok(0),
        Some(r) => {
            if a[1] != 0 {
                ops.copy_out(a[1], &status_word(r.status).to_le_bytes())?;
            }
            if a[3] != 0 {
                ops.copy_out(a[3], &rusage_bytes(&r.usage))?;
            }
            Ok(u64::from(r.pid))
        }
    }
}

/// wait6's idtype_t (sys/sys/wait.h).
const P_PID: u32 = 0;
const P_PGID: u32 = 2;
const P_ALL: u32 = 7;

/// `struct __wrusage`: the child's own usage, then its children's.
const WRUSAGE_BYTES: usize = 288;

/// wait6(idtype, id, status, options, wrusage, info): wait4 with the
/// options of waitid. Unlike wait4, the states waited for are named
/// (WEXITED, WUNTRACED, WCONTINUED, WTRAPPED; none is EINVAL), and the
/// child may be described as a `siginfo_t`.
pub fn wait6(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let raw = a[3] as u32;
    if raw & (WEXITED | WUNTRACED | WCONTINUED | WTRAPPED) == 0 {
        return Err(Error::InvalidArgument);
    }
    let mut opts = options(raw)?;
    opts.exited = raw & WEXITED != 0;
    let id = a[1] as i64;
    let target = match a[0] as u32 {
        P_PID => WaitTarget::Pid(u32::try_from(id).map_err(|_| Error::InvalidArgument)?),
        P_PGID if id == 0 => WaitTarget::ProcessGroup(ops.process_group(0)?),
        P_PGID => WaitTarget::ProcessGroup(u32::try_from(id).map_err(|_| Error::InvalidArgument)?),
        P_ALL => WaitTarget::Any,
        other => {
            ops.log_unsupported(format_args!("freebsd: wait6 idtype {other}"));
            return Err(Error::InvalidArgument);
        }
    };
    let Some(r) = ops.wait(target, opts)? else {
        // WNOHANG and nothing to report: 0, and an info with si_signo 0.
        if a[5] != 0 {
            ops.copy_out(a[5], &[0u8; crate::siginfo::SIGINFO_BYTES])?;
        }
        return Ok(0);
    };
    if a[2] != 0 {
        ops.copy_out(a[2], &status_word(r.status).to_le_bytes())?;
    }
    if a[4] != 0 {
        // The child's own usage; its children's are not kept apart here.
        let mut both = [0u8; WRUSAGE_BYTES];
        both[..144].copy_from_slice(&rusage_bytes(&r.usage));
        ops.copy_out(a[4], &both)?;
    }
    if a[5] != 0 {
        let info = kernel_ops::SignalInfo {
            signal: kernel_ops::Signal::CHLD,
            cause: kernel_ops::SignalCause::Child { pid: r.pid, uid: r.uid, status: r.status },
        };
        ops.copy_out(a[5], &crate::siginfo::siginfo_bytes(&info))?;
    }
    Ok(u64::from(r.pid))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kernel_ops::Signal;

    /// wait.h's macros, to read the words back as a FreeBSD program does.
    fn wifexited(s: u32) -> bool {
        s & 0o177 == 0
    }
    fn wifsignaled(s: u32) -> bool {
        s & 0o177 != 0o177 && s & 0o177 != 0 && s != 0x13
    }
    fn wifstopped(s: u32) -> bool {
        s & 0o177 == 0o177
    }

    #[test]
    fn exit_codes_sit_above_the_low_byte() {
        let s = status_word(ChildStatus::Exited(7));
        assert_eq!(s, 7 << 8);
        assert!(wifexited(s) && !wifsignaled(s) && !wifstopped(s));
        assert_eq!(status_word(ChildStatus::Exited(255)) >> 8, 255);
    }

    #[test]
    fn signals_are_freebsd_numbers() {
        let s = status_word(ChildStatus::Signaled { signal: Signal::USR1, core_dumped: false });
        assert_eq!(s, 30, "SIGUSR1 is 30 on FreeBSD");
        assert!(wifsignaled(s));
        assert_eq!(status_word(ChildStatus::Signaled { signal: Signal::TERM, core_dumped: false }), 15);
        assert_eq!(status_word(ChildStatus::Signaled { signal: Signal::SEGV, core_dumped: true }), 11 | 0x80);
        assert_eq!(status_word(ChildStatus::Signaled { signal: Signal::BUS, core_dumped: false }), 10);
    }

    #[test]
    fn stops_and_continues() {
        let s = status_word(ChildStatus::Stopped(Signal::STOP));
        assert_eq!(s, 17 << 8 | 0o177, "SIGSTOP is 17 on FreeBSD");
        assert!(wifstopped(s) && !wifsignaled(s));
        assert_eq!(status_word(ChildStatus::Stopped(Signal::TSTP)), 18 << 8 | 0o177);
        let c = status_word(ChildStatus::Continued);
        assert_eq!(c, 0x13);
        assert!(!wifsignaled(c) && !wifexited(c) && !wifstopped(c));
    }

    #[test]
    fn options_are_freebsd_bits() {
        let o = options(WNOHANG | WUNTRACED | WCONTINUED | WNOWAIT).unwrap();
        assert!(o.no_hang && o.stopped && o.continued && o.exited && o.no_reap);
        let o = options(0).unwrap();
        assert!(!o.no_hang && !o.stopped && !o.continued && o.exited && !o.no_reap);
        assert!(options(WEXITED | WTRAPPED | WLINUXCLONE).is_ok());
        assert_eq!(options(64), Err(Error::InvalidArgument));
        assert_eq!(options(0x4000_0000), Err(Error::InvalidArgument), "Linux's __WALL is not FreeBSD's");
    }
}
