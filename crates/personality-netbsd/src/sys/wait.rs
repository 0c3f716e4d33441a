//! __wait450, NetBSD's wait4 (sys/kern/kern_exit.c `sys___wait450`,
//! `do_sys_wait`, `find_stopped_child`), and the status word of
//! sys/sys/wait.h.

use super::resources::rusage_bytes;
use kernel_ops::{ChildStatus, Error, KResult, KernelOps, WaitOptions, WaitTarget};

pub const WNOHANG: u32 = 0x1;
/// WUNTRACED, also WSTOPPED.
pub const WUNTRACED: u32 = 0x2;
/// Wait only for children whose exit signal is not SIGCHLD (__WCLONE).
pub const WALTSIG: u32 = 0x4;
/// Wait for children whatever their exit signal (__WALL).
pub const WALLSIG: u32 = 0x8;
pub const WCONTINUED: u32 = 0x10;
pub const WEXITED: u32 = 0x20;
pub const WTRAPPED: u32 = 0x40;
pub const WNOWAIT: u32 = 0x1_0000;

/// `_WSTOPPED`: the low 7 bits of a stopped child's status.
const WSTOPPED_CODE: u32 = 0o177;
const WCOREFLAG: u32 = 0o200;
/// `_WCONTINUED`: a continued child's whole status (W_CONTCODE()).
const WCONTINUED_STATUS: u32 = 0xffff;

/// The status word for `s`, signals in NetBSD's numbering: exited
/// `code << 8` (W_EXITCODE); killed `sig` (| WCOREFLAG); stopped
/// `sig << 8 | 0177` (W_STOPCODE); continued 0xffff (W_CONTCODE). A
/// tracer's stop is a stop by its signal.
pub fn status_word(s: ChildStatus) -> u32 {
    let sig = crate::signals::from_core;
    match s {
        ChildStatus::Exited(code) => u32::from(code) << 8,
        ChildStatus::Signaled { signal, core_dumped } => sig(signal) | if core_dumped { WCOREFLAG } else { 0 },
        ChildStatus::Stopped(signal) | ChildStatus::Traced { signal, .. } => sig(signal) << 8 | WSTOPPED_CODE,
        ChildStatus::Continued => WCONTINUED_STATUS,
    }
}

/// What wait4's options ask for. An unknown bit (WNOZOMBIE among them:
/// only the kernel's own callers may pass it) is EINVAL; WEXITED and
/// WTRAPPED are always in (do_sys_wait adds them). `None`: WALTSIG
/// without WALLSIG, which waits only for children that end with another
/// signal than SIGCHLD; every child of a NetBSD process here is made by
/// fork or vfork and ends with SIGCHLD, so there is none (ECHILD).
pub fn options(raw: u32) -> KResult<Option<WaitOptions>> {
    let known = WUNTRACED | WNOHANG | WALTSIG | WALLSIG | WTRAPPED | WEXITED | WNOWAIT | WCONTINUED;
    if raw & !known != 0 {
        return Err(Error::InvalidArgument);
    }
    if raw & (WALTSIG | WALLSIG) == WALTSIG {
        return Ok(None);
    }
    Ok(Some(WaitOptions {
        no_hang: raw & WNOHANG != 0,
        stopped: raw & WUNTRACED != 0,
        continued: raw & WCONTINUED != 0,
        exited: true,
        no_reap: raw & WNOWAIT != 0,
    }))
}

/// __wait450(pid, status, options, rusage): pid -1 (WAIT_ANY) any child,
/// 0 (WAIT_MYPGRP) the caller's group, below -1 group -pid, above 0 that
/// child. With WNOHANG and nothing to report: 0, status untouched.
pub fn wait4(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let Some(opts) = options(a[2] as u32)? else {
        return Err(Error::NoChild);
    };
    let target = match a[0] as i32 {
        -1 => WaitTarget::Any,
        0 => WaitTarget::ProcessGroup(ops.process_group(0)?),
        p if p < 0 => WaitTarget::ProcessGroup(p.unsigned_abs()),
        p => WaitTarget::Pid(p as u32),
    };
    match ops.wait(target, opts)? {
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

#[cfg(test)]
mod tests {
    use super::*;
    use kernel_ops::Signal;

    /// wait.h's macros, to read the words back as a NetBSD program does.
    fn wifexited(s: u32) -> bool {
        s & 0o177 == 0
    }
    fn wifsignaled(s: u32) -> bool {
        s & 0o177 != 0o177 && s & 0o177 != 0
    }
    fn wifstopped(s: u32) -> bool {
        s & 0o177 == 0o177
    }
    fn wifcontinued(s: u32) -> bool {
        s == 0xffff
    }

    #[test]
    fn exit_codes_sit_above_the_low_byte() {
        let s = status_word(ChildStatus::Exited(7));
        assert_eq!(s, 7 << 8);
        assert!(wifexited(s) && !wifsignaled(s) && !wifstopped(s));
        assert_eq!(status_word(ChildStatus::Exited(255)) >> 8, 255);
    }

    #[test]
    fn signals_are_netbsd_numbers() {
        let s = status_word(ChildStatus::Signaled { signal: Signal::USR1, core_dumped: false });
        assert_eq!(s, 30, "SIGUSR1 is 30 on NetBSD");
        assert!(wifsignaled(s));
        assert_eq!(status_word(ChildStatus::Signaled { signal: Signal::TERM, core_dumped: false }), 15);
        assert_eq!(status_word(ChildStatus::Signaled { signal: Signal::SEGV, core_dumped: true }), 11 | 0x80);
        assert_eq!(status_word(ChildStatus::Signaled { signal: Signal::BUS, core_dumped: false }), 10);
        assert_eq!(status_word(ChildStatus::Signaled { signal: Signal::CHLD, core_dumped: false }), 20);
    }

    #[test]
    fn stops_and_continues() {
        let s = status_word(ChildStatus::Stopped(Signal::STOP));
        assert_eq!(s, 17 << 8 | 0o177, "SIGSTOP is 17 on NetBSD");
        assert!(wifstopped(s) && !wifsignaled(s) && !wifcontinued(s));
        assert_eq!(status_word(ChildStatus::Stopped(Signal::TSTP)), 18 << 8 | 0o177);
        let c = status_word(ChildStatus::Continued);
        assert_eq!(c, 0xffff);
        // 0xffff's low seven bits are 0177: NetBSD's WIFSTOPPED says yes
        // too, so programs test WIFCONTINUED first, as wait.h's order has it.
        assert!(wifcontinued(c) && !wifexited(c));
    }

    #[test]
    fn options_are_netbsd_bits() {
        let o = options(WNOHANG | WUNTRACED | WCONTINUED | WNOWAIT).unwrap().unwrap();
        assert!(o.no_hang && o.stopped && o.continued && o.exited && o.no_reap);
        let o = options(0).unwrap().unwrap();
        assert!(!o.no_hang && !o.stopped && !o.continued && o.exited && !o.no_reap);
        assert!(options(WEXITED | WTRAPPED | WALLSIG).unwrap().is_some());
        assert!(options(WALTSIG | WALLSIG).unwrap().is_some());
        assert_eq!(options(WALTSIG), Ok(None));
        assert_eq!(options(0x2_0000), Err(Error::InvalidArgument), "WNOZOMBIE is the kernel's");
        assert_eq!(options(0x4000_0000), Err(Error::InvalidArgument), "Linux's __WALL is not NetBSD's");
        assert_eq!(options(0x80), Err(Error::InvalidArgument));
    }
}
