//! The Linux personality's signal numbers and sets, to and from the core's
//! (`kernel_ops::Signal`, `kernel_ops::SignalSet`).
//!
//! The core numbers signals as Linux does (Linux was its model: 1..=64,
//! set bit n-1 for signal n), so for this personality the translation is
//! the identity. It is still written out, and every crossing of the
//! boundary goes through it, so that the core's numbering stays the core's:
//! the assertions below break the build if the two ever part, and a
//! personality whose OS numbers signals otherwise (the BSDs: SIGUSR1 is 30
//! there) maps them here, one by one.

use kernel_ops::{Signal, SignalSet};
use linux_abi::signal as ls;

/// The signal a Linux program names by `n` (`None`: 0 or past 64).
pub fn from_linux(n: u32) -> Option<Signal> {
    Signal::new(n)
}

/// The number a Linux program knows `s` by.
pub fn to_linux(s: Signal) -> u32 {
    s.number()
}

/// A Linux `sigset_t` (its one 64-bit word on x86_64) as the core's set.
pub fn set_from_linux(mask: u64) -> SignalSet {
    SignalSet(mask)
}

/// The core's set as a Linux `sigset_t`.
pub fn set_to_linux(set: SignalSet) -> u64 {
    set.0
}

const _: () = {
    let pairs: [(Signal, u32); 27] = [
        (Signal::HUP, ls::SIGHUP),
        (Signal::INT, ls::SIGINT),
        (Signal::QUIT, ls::SIGQUIT),
        (Signal::ILL, ls::SIGILL),
        (Signal::TRAP, ls::SIGTRAP),
        (Signal::ABRT, ls::SIGABRT),
        (Signal::BUS, ls::SIGBUS),
        (Signal::FPE, ls::SIGFPE),
        (Signal::KILL, ls::SIGKILL),
        (Signal::USR1, ls::SIGUSR1),
        (Signal::SEGV, ls::SIGSEGV),
        (Signal::USR2, ls::SIGUSR2),
        (Signal::PIPE, ls::SIGPIPE),
        (Signal::ALRM, ls::SIGALRM),
        (Signal::TERM, ls::SIGTERM),
        (Signal::CHLD, ls::SIGCHLD),
        (Signal::CONT, ls::SIGCONT),
        (Signal::STOP, ls::SIGSTOP),
        (Signal::TSTP, ls::SIGTSTP),
        (Signal::TTIN, ls::SIGTTIN),
        (Signal::TTOU, ls::SIGTTOU),
        (Signal::XFSZ, ls::SIGXFSZ),
        (Signal::VTALRM, ls::SIGVTALRM),
        (Signal::PROF, ls::SIGPROF),
        (Signal::WINCH, ls::SIGWINCH),
        (Signal::IO, ls::SIGIO),
        (Signal::SYS, ls::SIGSYS),
    ];
    let mut i = 0;
    while i < pairs.len() {
        assert!(pairs[i].0.number() == pairs[i].1);
        assert!(pairs[i].0.bit() == 1 << (pairs[i].1 - 1), "a Linux sigset_t has bit n-1 for signal n");
        i += 1;
    }
    assert!(Signal::MAX as u32 == ls::NSIG);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_linux_number_round_trips() {
        assert_eq!(from_linux(0), None);
        assert_eq!(from_linux(ls::NSIG + 1), None);
        for n in 1..=ls::NSIG {
            let s = from_linux(n).unwrap();
            assert_eq!(to_linux(s), n);
            assert_eq!(set_to_linux(SignalSet::EMPTY.with(s)), 1 << (n - 1));
        }
        let mask = (1 << (ls::SIGINT - 1)) | (1 << (ls::SIGRTMAX - 1));
        assert_eq!(set_to_linux(set_from_linux(mask)), mask);
        assert!(set_from_linux(mask).contains(Signal::INT));
    }
}
