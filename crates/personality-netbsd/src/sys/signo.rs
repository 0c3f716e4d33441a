//! NetBSD's signal numbers (sys/sys/signal.h) and the core's, which are
//! Linux's, for kill and the wait status word. Most signals exist in both
//! under other numbers; NetBSD's SIGEMT and SIGINFO have no Linux twin
//! and ride on core numbers no NetBSD signal uses: SIGEMT on 16 (Linux's
//! unused SIGSTKFLT), SIGINFO on 32 (below the core's SIGRTMIN); NetBSD's
//! SIGPWR (32) is Linux's (30). Real-time signals: NetBSD's 33..=63 are
//! the core's 34..=64.
//!
//! (The same table the FreeBSD personality keeps in its `signals`, with
//! NetBSD's 32 signals; the signal calls' module may take it over.)

use kernel_ops::Signal;

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

pub fn to_core(n: u32) -> Option<Signal> {
    match n {
        1..=32 => Signal::new(u32::from(TO_CORE[n as usize])),
        RT_MIN..=RT_MAX => Signal::new(n - RT_MIN + CORE_RT_MIN),
        _ => None,
    }
}

/// The NetBSD number of a core signal; 0 for one NetBSD has not (the
/// core's 33, which no NetBSD signal maps to).
pub fn from_core(s: Signal) -> u32 {
    let n = s.number();
    if n >= CORE_RT_MIN {
        return n - CORE_RT_MIN + RT_MIN;
    }
    TO_CORE.iter().position(|&c| u32::from(c) == n).map_or(0, |i| i as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_netbsd_signal_has_its_own_core_number_and_comes_back() {
        let mut seen = [false; 65];
        for n in 1..=63 {
            let s = to_core(n).unwrap_or_else(|| panic!("NetBSD signal {n} has no core number"));
            assert!(!seen[s.number() as usize], "core {} taken twice", s.number());
            seen[s.number() as usize] = true;
            assert_eq!(from_core(s), n);
        }
        assert_eq!(to_core(0), None);
        assert_eq!(to_core(64), None);
    }

    #[test]
    fn the_numbers_that_differ_from_linux() {
        assert_eq!(from_core(Signal::USR1), 30);
        assert_eq!(from_core(Signal::USR2), 31);
        assert_eq!(from_core(Signal::CHLD), 20);
        assert_eq!(from_core(Signal::STOP), 17);
        assert_eq!(from_core(Signal::CONT), 19);
        assert_eq!(from_core(Signal::TSTP), 18);
        assert_eq!(from_core(Signal::BUS), 10);
        assert_eq!(from_core(Signal::SYS), 12);
        assert_eq!(to_core(16).map(Signal::number), Some(23), "SIGURG");
        assert_eq!(to_core(32).map(Signal::number), Some(30), "SIGPWR");
        assert_eq!(from_core(Signal::KILL), 9);
        assert_eq!(from_core(Signal::TERM), 15);
    }
}
