//! `wait4`/`waitid` options and the wait status word (`linux/wait.h`).
//!
//! The status `wait4` stores is a 16-bit encoding libc's `WIFEXITED` and
//! friends take apart; the kernel builds it, so the helpers here are the
//! encoders (and decoders, for tests and traces).
//!
//! ```text
//! exited:     (code & 0xff) << 8            low byte 0
//! signaled:   sig | 0x80 if core dumped     low 7 bits 1..=0x7e
//! stopped:    (sig << 8) | 0x7f             (ptrace events add event << 16)
//! continued:  0xffff
//! ```

pub const WNOHANG: u32 = 0x0000_0001;
pub const WUNTRACED: u32 = 0x0000_0002;
/// `waitid` name for `WUNTRACED`.
pub const WSTOPPED: u32 = WUNTRACED;
pub const WEXITED: u32 = 0x0000_0004;
pub const WCONTINUED: u32 = 0x0000_0008;
/// Leave the child waitable.
pub const WNOWAIT: u32 = 0x0100_0000;
/// Do not wait for children of other threads in the group.
pub const __WNOTHREAD: u32 = 0x2000_0000;
/// Wait for all children, "clone" or not.
pub const __WALL: u32 = 0x4000_0000;
/// Wait only for "clone" children (those whose exit signal is not SIGCHLD).
pub const __WCLONE: u32 = 0x8000_0000;

/// `waitid` id types.
pub const P_ALL: u32 = 0;
pub const P_PID: u32 = 1;
pub const P_PGID: u32 = 2;
pub const P_PIDFD: u32 = 3;

/// The core-dump flag in a "signaled" status.
pub const WCOREFLAG: i32 = 0x80;

/// Status of a child that called `exit(code)`.
pub const fn exited(code: i32) -> i32 {
    (code & 0xff) << 8
}

/// Status of a child killed by `sig`, with a core dump if `core`.
pub const fn signaled(sig: u32, core: bool) -> i32 {
    (sig as i32 & 0x7f) | if core { WCOREFLAG } else { 0 }
}

/// Status of a child stopped by `sig`.
pub const fn stopped(sig: u32) -> i32 {
    ((sig as i32 & 0xff) << 8) | 0x7f
}

/// Status of a child resumed by SIGCONT (`WCONTINUED`).
pub const fn continued() -> i32 {
    0xffff
}

pub const fn wifexited(status: i32) -> bool {
    status & 0x7f == 0
}
pub const fn wexitstatus(status: i32) -> i32 {
    (status >> 8) & 0xff
}
pub const fn wifsignaled(status: i32) -> bool {
    let low = status & 0x7f;
    low != 0 && low != 0x7f
}
pub const fn wtermsig(status: i32) -> u32 {
    (status & 0x7f) as u32
}
pub const fn wcoredump(status: i32) -> bool {
    status & WCOREFLAG != 0
}
pub const fn wifstopped(status: i32) -> bool {
    status & 0xff == 0x7f
}
pub const fn wstopsig(status: i32) -> u32 {
    ((status >> 8) & 0xff) as u32
}
pub const fn wifcontinued(status: i32) -> bool {
    status == 0xffff
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{SIGKILL, SIGSEGV, SIGTSTP};
    use proptest::prelude::*;

    #[test]
    fn encodings() {
        assert_eq!(exited(0), 0);
        assert_eq!(exited(1), 0x100);
        assert_eq!(exited(256 + 3), 0x300);
        assert_eq!(signaled(SIGKILL, false), 9);
        assert_eq!(signaled(SIGSEGV, true), 0x8b);
        assert_eq!(stopped(SIGTSTP), 0x147f);
        assert_eq!(continued(), 0xffff);
        assert!(wifexited(exited(3)) && wexitstatus(exited(3)) == 3);
        assert!(wifsignaled(signaled(SIGSEGV, true)) && wcoredump(signaled(SIGSEGV, true)));
        assert!(!wifsignaled(stopped(SIGTSTP)) && wifstopped(stopped(SIGTSTP)));
        assert!(wifcontinued(continued()) && !wifexited(continued()));
    }

    proptest! {
        #[test]
        fn decoders_invert_encoders(code in 0i32..256, sig in 1u32..=64, core: bool) {
            prop_assert!(wifexited(exited(code)) && !wifsignaled(exited(code)) && !wifstopped(exited(code)));
            prop_assert_eq!(wexitstatus(exited(code)), code);
            if sig < 0x7f {
                let s = signaled(sig, core);
                prop_assert!(wifsignaled(s) && !wifexited(s) && !wifstopped(s));
                prop_assert_eq!(wtermsig(s), sig);
                prop_assert_eq!(wcoredump(s), core);
            }
            prop_assert!(wifstopped(stopped(sig)));
            prop_assert_eq!(wstopsig(stopped(sig)), sig);
        }
    }
}
