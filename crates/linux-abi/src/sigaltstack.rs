//! The alternate signal stack: `stack_t` of `sigaltstack(2)` and of
//! `uc_stack` in a signal frame.
//!
//! ```text
//!  0 ss_sp u64 | 8 ss_flags i32 | 12 padding | 16 ss_size u64     (24 bytes)
//! ```

use crate::wire::{get_u32, get_u64, prefix, put_u32, put_u64};

/// Reported while running on the alternate stack; `sigaltstack` then fails
/// with EPERM if asked to change it.
pub const SS_ONSTACK: u32 = 1;
/// No alternate stack is set (or: disable it).
pub const SS_DISABLE: u32 = 2;
/// Clear the alternate stack setting on entry to a handler, restore it on
/// return (so the handler may swapcontext away).
pub const SS_AUTODISARM: u32 = 1 << 31;
/// Flag bits `sigaltstack` accepts besides the mode.
pub const SS_FLAG_BITS: u32 = SS_AUTODISARM;

/// The smallest stack `sigaltstack` accepts (else ENOMEM). The kernel also
/// reports the real requirement for this CPU (larger with AVX-512) in
/// `AT_MINSIGSTKSZ`.
pub const MINSIGSTKSZ: u64 = 2048;
/// A suggested alternate stack size.
pub const SIGSTKSZ: u64 = 8192;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StackT {
    pub ss_sp: u64,
    /// `SS_*` bits; an `int` in C, kept as raw bits because `SS_AUTODISARM`
    /// is the sign bit.
    pub ss_flags: u32,
    pub ss_size: u64,
}

impl StackT {
    pub const SIZE: usize = 24;
    pub const OFF_SP: usize = 0;
    pub const OFF_FLAGS: usize = 8;
    pub const OFF_SIZE: usize = 16;

    /// What `sigaltstack` reports when no stack was ever set.
    pub const DISABLED: Self = Self { ss_sp: 0, ss_flags: SS_DISABLE, ss_size: 0 };

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, Self::OFF_SP, self.ss_sp);
        put_u32(&mut b, Self::OFF_FLAGS, self.ss_flags);
        put_u64(&mut b, Self::OFF_SIZE, self.ss_size);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self {
            ss_sp: get_u64(b, Self::OFF_SP),
            ss_flags: get_u32(b, Self::OFF_FLAGS),
            ss_size: get_u64(b, Self::OFF_SIZE),
        })
    }

    /// Whether `sp` lies on this stack. Linux's test is exclusive of the
    /// base and inclusive of the top, because a push pre-decrements.
    pub fn contains(&self, sp: u64) -> bool {
        self.ss_flags & SS_DISABLE == 0 && self.ss_size != 0 && sp > self.ss_sp && sp - self.ss_sp <= self.ss_size
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn layout_and_contains() {
        let s = StackT { ss_sp: 0x1000, ss_flags: SS_AUTODISARM, ss_size: 0x2000 };
        let b = s.to_bytes();
        assert_eq!(&b[8..12], &0x8000_0000u32.to_le_bytes());
        assert_eq!(&b[12..16], &[0; 4]);
        assert!(!s.contains(0x1000));
        assert!(s.contains(0x1001));
        assert!(s.contains(0x3000));
        assert!(!s.contains(0x3001));
        assert!(!StackT::DISABLED.contains(0));
    }

    proptest! {
        #[test]
        fn round_trip(sp: u64, f: u32, sz: u64) {
            let s = StackT { ss_sp: sp, ss_flags: f, ss_size: sz };
            prop_assert_eq!(StackT::from_bytes(&s.to_bytes()), Some(s));
        }
    }
}
