//! NetBSD's signal numbers (sys/sys/signal.h) and the core's, which are
//! Linux's. NetBSD numbers 1..=31 as FreeBSD does; its 32 is SIGPWR.
//! Signals without a Linux twin ride on core numbers no NetBSD signal
//! uses: SIGEMT on 16 (Linux's unused SIGSTKFLT) and SIGINFO on 32
//! (below Linux's SIGRTMIN as the core numbers them); SIGPWR is Linux's
//! 30. Real-time signals: NetBSD's 33..=63 (SIGRTMIN..SIGRTMAX) are the
//! core's 34..=64.
//!
//! A `sigset_t` is four 32-bit words, signal n at bit n-1 of word (n-1)/32
//! (sys/sys/sigtypes.h).

use kernel_ops::{Signal, SignalSet};

/// NetBSD's number → the core's, for 1..=32.
const TO_CORE: [u8; 33] = [
    0, 1, 2, 3, 4, 5, 6, 16, // HUP INT QUIT ILL TRAP ABRT EMT
    8, 9, 7, 11, 31, 13, 14, 15, // FPE KILL BUS SEGV SYS PIPE ALRM TERM
    23, 19, 20, 18, 17, 21, 22, 29, // URG STOP TSTP CONT CHLD TTIN TTOU IO
    24, 25, 26, 27, 28, 32, 10, 12, // XCPU XFSZ VTALRM PROF WINCH INFO USR1 USR2
    30, // PWR
];

const RT_MIN: u32 = 33;
const RT_MAX: u32 = 63;
const CORE_RT_MIN: u32 = 34;

/// NSIG: signal numbers are below it.
pub const NSIG: u32 = 64;

pub fn to_core(n: u32) -> Option<Signal> {
    match n {
        1..=32 => Signal::new(u32::from(TO_CORE[n as usize])),
        RT_MIN..=RT_MAX => Signal::new(n - RT_MIN + CORE_RT_MIN),
        _ => None,
    }
}

pub fn from_core(s: Signal) -> u32 {
    let n = s.number();
    if n >= CORE_RT_MIN {
        return n - CORE_RT_MIN + RT_MIN;
    }
    TO_CORE.iter().position(|&c| u32::from(c) == n).map_or(0, |i| i as u32)
}

/// A NetBSD `sigset_t` (its four words) as the core's set.
pub fn set_to_core(words: [u32; 4]) -> SignalSet {
    let mut set = SignalSet::EMPTY;
    for n in 1..NSIG {
        let (w, b) = (((n - 1) / 32) as usize, (n - 1) % 32);
        if words[w] & (1 << b) != 0 {
            if let Some(s) = to_core(n) {
                set = set.with(s);
            }
        }
    }
    set
}

pub fn set_from_core(set: SignalSet) -> [u32; 4] {
    let mut words = [0u32; 4];
    for s in set.iter() {
        let n = from_core(s);
        if n != 0 {
            words[((n - 1) / 32) as usize] |= 1 << ((n - 1) % 32);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_netbsd_signal_has_its_own_core_number_and_comes_back() {
        let mut seen = [false; 65];
        for n in 1..NSIG {
            let s = to_core(n).unwrap_or_else(|| panic!("NetBSD signal {n} has no core number"));
            assert!(!seen[s.number() as usize], "core {} taken twice", s.number());
            seen[s.number() as usize] = true;
            assert_eq!(from_core(s), n);
        }
    }

    #[test]
    fn the_signals_that_matter_keep_their_meaning() {
        assert_eq!(to_core(9), Some(Signal::KILL));
        assert_eq!(to_core(17), Some(Signal::STOP));
        assert_eq!(to_core(10), Some(Signal::BUS));
        assert_eq!(to_core(11), Some(Signal::SEGV));
        assert_eq!(to_core(16).map(|s| s.number()), Some(23), "SIGURG, Go's preemption signal");
        assert_eq!(to_core(20), Some(Signal::CHLD));
        assert_eq!(to_core(30), Some(Signal::USR1));
        assert_eq!(to_core(0), None);
        assert_eq!(to_core(64), None);
    }

    #[test]
    fn sets_cross_the_boundary_both_ways() {
        // SIGINT, SIGBUS, SIGUSR1, SIGPWR, SIGRTMIN.
        let words = [1 << 1 | 1 << 9 | 1 << 29 | 1 << 31, 1, 0, 0];
        let core = set_to_core(words);
        assert!(core.contains(Signal::INT) && core.contains(Signal::BUS) && core.contains(Signal::USR1));
        assert_eq!(set_from_core(core), words);
    }
}
