//! Signal numbers, names, default actions, signal sets and the kernel's
//! `struct sigaction` (`arch/x86/include/uapi/asm/signal.h`,
//! `asm-generic/signal-defs.h`).
//!
//! Linux has 64 signals: 1..=31 are the classic ones, 32..=64 are real-time
//! signals (glibc and musl reserve 32-34 for themselves and move their
//! `SIGRTMIN` up; the kernel does not care). A signal set is 64 bits, bit
//! `n - 1` for signal `n`, and `rt_*` calls insist on `sigsetsize == 8`.

use crate::wire::{get_u64, prefix, put_u64};

pub const SIGHUP: u32 = 1;
pub const SIGINT: u32 = 2;
pub const SIGQUIT: u32 = 3;
pub const SIGILL: u32 = 4;
pub const SIGTRAP: u32 = 5;
pub const SIGABRT: u32 = 6;
pub const SIGIOT: u32 = 6;
pub const SIGBUS: u32 = 7;
pub const SIGFPE: u32 = 8;
pub const SIGKILL: u32 = 9;
pub const SIGUSR1: u32 = 10;
pub const SIGSEGV: u32 = 11;
pub const SIGUSR2: u32 = 12;
pub const SIGPIPE: u32 = 13;
pub const SIGALRM: u32 = 14;
pub const SIGTERM: u32 = 15;
pub const SIGSTKFLT: u32 = 16;
pub const SIGCHLD: u32 = 17;
pub const SIGCONT: u32 = 18;
pub const SIGSTOP: u32 = 19;
pub const SIGTSTP: u32 = 20;
pub const SIGTTIN: u32 = 21;
pub const SIGTTOU: u32 = 22;
pub const SIGURG: u32 = 23;
pub const SIGXCPU: u32 = 24;
pub const SIGXFSZ: u32 = 25;
pub const SIGVTALRM: u32 = 26;
pub const SIGPROF: u32 = 27;
pub const SIGWINCH: u32 = 28;
pub const SIGIO: u32 = 29;
pub const SIGPOLL: u32 = SIGIO;
pub const SIGPWR: u32 = 30;
pub const SIGSYS: u32 = 31;
pub const SIGUNUSED: u32 = 31;
/// The first real-time signal as the kernel numbers them.
pub const SIGRTMIN: u32 = 32;
/// The last signal (`_NSIG`).
pub const SIGRTMAX: u32 = 64;
/// Number of signals (`_NSIG`): valid signals are `1..=NSIG`.
pub const NSIG: u32 = 64;

/// The only `sigsetsize` the `rt_sig*` calls accept on x86_64 (else EINVAL).
pub const SIGSET_SIZE: usize = 8;

// sa_flags bits.
/// SIGCHLD: do not report children that stop or continue.
pub const SA_NOCLDSTOP: u64 = 0x0000_0001;
/// SIGCHLD: do not turn exited children into zombies.
pub const SA_NOCLDWAIT: u64 = 0x0000_0002;
/// Call the handler with `(sig, siginfo *, ucontext *)`.
pub const SA_SIGINFO: u64 = 0x0000_0004;
/// Never supported: set by libc to probe whether the kernel rejects unknown
/// flags (Linux clears unsupported bits in the `oldact` it reports).
pub const SA_UNSUPPORTED: u64 = 0x0000_0400;
/// Keep the top-byte tag bits in `si_addr` (arm64 only in practice).
pub const SA_EXPOSE_TAGBITS: u64 = 0x0000_0800;
/// `sa_restorer` is valid; x86_64 requires it (no kernel-provided trampoline).
pub const SA_RESTORER: u64 = 0x0400_0000;
/// Run the handler on the alternate signal stack.
pub const SA_ONSTACK: u64 = 0x0800_0000;
/// Restart interrupted system calls instead of failing with EINTR.
pub const SA_RESTART: u64 = 0x1000_0000;
/// Do not block the signal while its handler runs.
pub const SA_NODEFER: u64 = 0x4000_0000;
/// Reset to `SIG_DFL` on delivery.
pub const SA_RESETHAND: u64 = 0x8000_0000;
pub const SA_NOMASK: u64 = SA_NODEFER;
pub const SA_ONESHOT: u64 = SA_RESETHAND;

/// The flags an x86_64 kernel keeps in a `sigaction`; others are dropped
/// silently, which is how `SA_UNSUPPORTED` probing works.
pub const SA_KNOWN_FLAGS: u64 = SA_NOCLDSTOP
    | SA_NOCLDWAIT
    | SA_SIGINFO
    | SA_RESTORER
    | SA_ONSTACK
    | SA_RESTART
    | SA_NODEFER
    | SA_RESETHAND
    | SA_EXPOSE_TAGBITS;

/// `sa_handler` values.
pub const SIG_DFL: u64 = 0;
pub const SIG_IGN: u64 = 1;
/// What libc's `signal()` returns on failure; never a valid handler.
pub const SIG_ERR: u64 = u64::MAX;

/// `rt_sigprocmask` `how` values.
pub const SIG_BLOCK: u32 = 0;
pub const SIG_UNBLOCK: u32 = 1;
pub const SIG_SETMASK: u32 = 2;

/// Whether `sig` is a signal number at all.
pub const fn is_valid(sig: u32) -> bool {
    sig >= 1 && sig <= NSIG
}

pub const fn is_realtime(sig: u32) -> bool {
    sig >= SIGRTMIN && sig <= SIGRTMAX
}

/// SIGKILL and SIGSTOP can be neither caught, ignored nor blocked.
pub const fn is_uncatchable(sig: u32) -> bool {
    sig == SIGKILL || sig == SIGSTOP
}

/// What happens when a signal arrives with `SIG_DFL` installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultAction {
    /// Kill the process.
    Terminate,
    /// Kill the process and dump core (the wait status gets `WCOREFLAG`).
    CoreDump,
    /// Discard the signal.
    Ignore,
    /// Stop the process (job control).
    Stop,
    /// Resume a stopped process (SIGCONT); otherwise ignored.
    Continue,
}

/// The default action for `sig`, or `None` for an invalid number.
pub const fn default_action(sig: u32) -> Option<DefaultAction> {
    use DefaultAction::*;
    Some(match sig {
        SIGQUIT | SIGILL | SIGTRAP | SIGABRT | SIGBUS | SIGFPE | SIGSEGV | SIGXCPU | SIGXFSZ | SIGSYS => CoreDump,
        SIGCHLD | SIGURG | SIGWINCH => Ignore,
        SIGSTOP | SIGTSTP | SIGTTIN | SIGTTOU => Stop,
        SIGCONT => Continue,
        // Everything else, including every real-time signal, terminates.
        s if is_valid(s) => Terminate,
        _ => return None,
    })
}

/// Stop signals that are discarded instead of stopping a process in an
/// orphaned process group (all but SIGSTOP).
pub const fn is_tty_stop(sig: u32) -> bool {
    matches!(sig, SIGTSTP | SIGTTIN | SIGTTOU)
}

const NAMES: [&str; 31] = [
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS",
];

// Real-time signals have no individual names in the headers; these follow
// the kernel's own numbering (SIGRTMIN is 32), not libc's shifted one.
const RT_NAMES: [&str; 33] = [
    "SIGRTMIN",
    "SIGRTMIN+1",
    "SIGRTMIN+2",
    "SIGRTMIN+3",
    "SIGRTMIN+4",
    "SIGRTMIN+5",
    "SIGRTMIN+6",
    "SIGRTMIN+7",
    "SIGRTMIN+8",
    "SIGRTMIN+9",
    "SIGRTMIN+10",
    "SIGRTMIN+11",
    "SIGRTMIN+12",
    "SIGRTMIN+13",
    "SIGRTMIN+14",
    "SIGRTMIN+15",
    "SIGRTMIN+16",
    "SIGRTMIN+17",
    "SIGRTMIN+18",
    "SIGRTMIN+19",
    "SIGRTMIN+20",
    "SIGRTMIN+21",
    "SIGRTMIN+22",
    "SIGRTMIN+23",
    "SIGRTMIN+24",
    "SIGRTMIN+25",
    "SIGRTMIN+26",
    "SIGRTMIN+27",
    "SIGRTMIN+28",
    "SIGRTMIN+29",
    "SIGRTMIN+30",
    "SIGRTMIN+31",
    "SIGRTMAX",
];

/// The name of signal `sig` (`"SIGSEGV"` for 11, `"SIGRTMIN+3"` for 35,
/// `"SIGRTMAX"` for 64), or `None` outside `1..=64`.
pub fn signal_name(sig: u32) -> Option<&'static str> {
    match sig {
        1..=31 => Some(NAMES[sig as usize - 1]),
        SIGRTMIN..=SIGRTMAX => Some(RT_NAMES[(sig - SIGRTMIN) as usize]),
        _ => None,
    }
}

/// The number of the signal called `name`, accepting the aliases SIGIOT,
/// SIGPOLL and SIGUNUSED too.
pub fn signal_number(name: &str) -> Option<u32> {
    match name {
        "SIGIOT" => return Some(SIGIOT),
        "SIGPOLL" => return Some(SIGPOLL),
        "SIGUNUSED" => return Some(SIGUNUSED),
        _ => {}
    }
    (1..=NSIG).find(|&s| signal_name(s) == Some(name))
}

/// A 64-bit signal set (`sigset_t` as the kernel sees it): bit `n - 1` is
/// signal `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Sigset(pub u64);

impl Sigset {
    pub const SIZE: usize = SIGSET_SIZE;
    pub const EMPTY: Self = Self(0);
    pub const FULL: Self = Self(u64::MAX);
    /// SIGKILL and SIGSTOP: a blocked mask never contains them.
    pub const UNBLOCKABLE: Self = Self(Self::bit(SIGKILL) | Self::bit(SIGSTOP));

    /// The bit for `sig`; zero for an invalid number.
    pub const fn bit(sig: u32) -> u64 {
        if is_valid(sig) {
            1u64 << (sig - 1)
        } else {
            0
        }
    }

    pub const fn of(sig: u32) -> Self {
        Self(Self::bit(sig))
    }

    pub const fn contains(self, sig: u32) -> bool {
        is_valid(sig) && self.0 & Self::bit(sig) != 0
    }

    #[must_use]
    pub const fn with(self, sig: u32) -> Self {
        Self(self.0 | Self::bit(sig))
    }

    #[must_use]
    pub const fn without(self, sig: u32) -> Self {
        Self(self.0 & !Self::bit(sig))
    }

    pub fn add(&mut self, sig: u32) {
        self.0 |= Self::bit(sig);
    }

    pub fn remove(&mut self, sig: u32) {
        self.0 &= !Self::bit(sig);
    }

    #[must_use]
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    #[must_use]
    pub const fn intersection(self, other: Self) -> Self {
        Self(self.0 & other.0)
    }

    #[must_use]
    pub const fn difference(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The mask after `rt_sigprocmask(how, set)`, with SIGKILL and SIGSTOP
    /// silently removed as Linux does; `None` for an invalid `how` (EINVAL).
    pub const fn apply(self, how: u32, set: Self) -> Option<Self> {
        let new = match how {
            SIG_BLOCK => self.union(set),
            SIG_UNBLOCK => self.difference(set),
            SIG_SETMASK => set,
            _ => return None,
        };
        Some(new.difference(Self::UNBLOCKABLE))
    }

    /// The lowest-numbered signal in the set. Linux delivers pending
    /// synchronous faults first, then the lowest number.
    pub const fn lowest(self) -> Option<u32> {
        if self.0 == 0 {
            None
        } else {
            Some(self.0.trailing_zeros() + 1)
        }
    }

    pub fn iter(self) -> impl Iterator<Item = u32> {
        (1..=NSIG).filter(move |&s| self.contains(s))
    }

    pub const fn to_bytes(self) -> [u8; 8] {
        self.0.to_le_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<8>(bytes)?;
        Some(Self(u64::from_le_bytes(*b)))
    }
}

/// `struct sigaction` as `rt_sigaction` reads and writes it on x86_64
/// (32 bytes). Note the order differs from glibc's `struct sigaction`, whose
/// mask is 128 bytes and comes second; libc converts.
///
/// ```text
///  0 sa_handler u64 | 8 sa_flags u64 | 16 sa_restorer u64 | 24 sa_mask u64
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KernelSigaction {
    /// `SIG_DFL`, `SIG_IGN` or the user address of the handler.
    pub handler: u64,
    pub flags: u64,
    /// User address of the trampoline that calls `rt_sigreturn`.
    pub restorer: u64,
    /// Signals blocked while the handler runs (plus the signal itself unless
    /// `SA_NODEFER`).
    pub mask: Sigset,
}

impl KernelSigaction {
    pub const SIZE: usize = 32;
    pub const OFF_HANDLER: usize = 0;
    pub const OFF_FLAGS: usize = 8;
    pub const OFF_RESTORER: usize = 16;
    pub const OFF_MASK: usize = 24;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, Self::OFF_HANDLER, self.handler);
        put_u64(&mut b, Self::OFF_FLAGS, self.flags);
        put_u64(&mut b, Self::OFF_RESTORER, self.restorer);
        put_u64(&mut b, Self::OFF_MASK, self.mask.0);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self {
            handler: get_u64(b, Self::OFF_HANDLER),
            flags: get_u64(b, Self::OFF_FLAGS),
            restorer: get_u64(b, Self::OFF_RESTORER),
            mask: Sigset(get_u64(b, Self::OFF_MASK)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names() {
        assert_eq!(signal_name(SIGHUP), Some("SIGHUP"));
        assert_eq!(signal_name(SIGSEGV), Some("SIGSEGV"));
        assert_eq!(signal_name(SIGSYS), Some("SIGSYS"));
        assert_eq!(signal_name(32), Some("SIGRTMIN"));
        assert_eq!(signal_name(35), Some("SIGRTMIN+3"));
        assert_eq!(signal_name(63), Some("SIGRTMIN+31"));
        assert_eq!(signal_name(64), Some("SIGRTMAX"));
        assert_eq!(signal_name(0), None);
        assert_eq!(signal_name(65), None);
        assert_eq!(signal_number("SIGCHLD"), Some(17));
        assert_eq!(signal_number("SIGPOLL"), Some(29));
        assert_eq!(signal_number("SIGRTMAX"), Some(64));
        for s in 1..=NSIG {
            assert_eq!(signal_number(signal_name(s).unwrap()), Some(s));
        }
    }

    #[test]
    fn default_actions() {
        use DefaultAction::*;
        assert_eq!(default_action(SIGTERM), Some(Terminate));
        assert_eq!(default_action(SIGKILL), Some(Terminate));
        assert_eq!(default_action(SIGPIPE), Some(Terminate));
        assert_eq!(default_action(SIGSEGV), Some(CoreDump));
        assert_eq!(default_action(SIGABRT), Some(CoreDump));
        assert_eq!(default_action(SIGCHLD), Some(Ignore));
        assert_eq!(default_action(SIGWINCH), Some(Ignore));
        assert_eq!(default_action(SIGTSTP), Some(Stop));
        assert_eq!(default_action(SIGCONT), Some(Continue));
        assert_eq!(default_action(SIGRTMIN), Some(Terminate));
        assert_eq!(default_action(SIGRTMAX), Some(Terminate));
        assert_eq!(default_action(0), None);
        assert_eq!(default_action(65), None);
    }

    #[test]
    fn sets() {
        let s = Sigset::EMPTY.with(SIGINT).with(SIGRTMAX);
        assert_eq!(s.0, (1 << 1) | (1 << 63));
        assert!(s.contains(SIGINT) && s.contains(64) && !s.contains(SIGHUP));
        assert!(!s.contains(0) && !s.contains(65));
        assert_eq!(Sigset::of(0), Sigset::EMPTY);
        assert_eq!(s.lowest(), Some(SIGINT));
        assert_eq!(Sigset::EMPTY.lowest(), None);
        let blocked = Sigset::EMPTY.apply(SIG_BLOCK, Sigset::FULL).unwrap();
        assert!(!blocked.contains(SIGKILL) && !blocked.contains(SIGSTOP) && blocked.contains(SIGTERM));
        let unblocked = blocked.apply(SIG_UNBLOCK, Sigset::of(SIGTERM)).unwrap();
        assert!(!unblocked.contains(SIGTERM));
        assert_eq!(blocked.apply(3, Sigset::EMPTY), None);
        let mut it = s.iter();
        assert_eq!((it.next(), it.next(), it.next()), (Some(2), Some(64), None));
    }

    #[test]
    fn sigaction_layout() {
        let a = KernelSigaction {
            handler: 0x401000,
            flags: SA_SIGINFO | SA_RESTORER,
            restorer: 0x402000,
            mask: Sigset::of(SIGUSR1),
        };
        let b = a.to_bytes();
        assert_eq!(&b[0..8], &0x401000u64.to_le_bytes());
        assert_eq!(&b[8..16], &0x0400_0004u64.to_le_bytes());
        assert_eq!(&b[16..24], &0x402000u64.to_le_bytes());
        assert_eq!(&b[24..32], &(1u64 << 9).to_le_bytes());
    }

    proptest! {
        #[test]
        fn round_trips(h: u64, f: u64, r: u64, m: u64) {
            let a = KernelSigaction { handler: h, flags: f, restorer: r, mask: Sigset(m) };
            prop_assert_eq!(KernelSigaction::from_bytes(&a.to_bytes()), Some(a));
            prop_assert_eq!(Sigset::from_bytes(&Sigset(m).to_bytes()), Some(Sigset(m)));
        }

        #[test]
        fn apply_never_blocks_kill_or_stop(old: u64, set: u64, how in 0u32..3) {
            let n = Sigset(old).apply(how, Sigset(set)).unwrap();
            prop_assert!(!n.contains(SIGKILL) && !n.contains(SIGSTOP));
        }
    }
}
