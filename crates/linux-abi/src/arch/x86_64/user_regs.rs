//! x86_64's `struct user_regs_struct` and `struct user` (`sys/user.h`):
//! the general registers as PTRACE_GETREGS and NT_PRSTATUS give them, and
//! where PEEKUSER and POKEUSER find the debug registers.

use crate::wire::{get_u64, prefix, put_u64};

/// The XSAVE-format FPU/SSE/AVX state.
pub const NT_X86_XSTATE: u64 = 0x202;

/// `struct user_regs_struct`: the general registers as PTRACE_GETREGS
/// and NT_PRSTATUS give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserRegs {
    pub r15: u64,
    pub r14: u64,
    pub r13: u64,
    pub r12: u64,
    pub rbp: u64,
    pub rbx: u64,
    pub r11: u64,
    pub r10: u64,
    pub r9: u64,
    pub r8: u64,
    pub rax: u64,
    pub rcx: u64,
    pub rdx: u64,
    pub rsi: u64,
    pub rdi: u64,
    pub orig_rax: u64,
    pub rip: u64,
    pub cs: u64,
    pub eflags: u64,
    pub rsp: u64,
    pub ss: u64,
    pub fs_base: u64,
    pub gs_base: u64,
    pub ds: u64,
    pub es: u64,
    pub fs: u64,
    pub gs: u64,
}

impl UserRegs {
    pub const SIZE: usize = 27 * 8;
    /// Byte offsets PTRACE_PEEKUSER names (`offsetof(struct user, regs.X)`).
    pub const OFF_ORIG_RAX: usize = 15 * 8;
    pub const OFF_RIP: usize = 16 * 8;
    pub const OFF_EFLAGS: usize = 18 * 8;
    pub const OFF_FS_BASE: usize = 21 * 8;

    fn words(&self) -> [u64; 27] {
        [
            self.r15,
            self.r14,
            self.r13,
            self.r12,
            self.rbp,
            self.rbx,
            self.r11,
            self.r10,
            self.r9,
            self.r8,
            self.rax,
            self.rcx,
            self.rdx,
            self.rsi,
            self.rdi,
            self.orig_rax,
            self.rip,
            self.cs,
            self.eflags,
            self.rsp,
            self.ss,
            self.fs_base,
            self.gs_base,
            self.ds,
            self.es,
            self.fs,
            self.gs,
        ]
    }

    fn from_words(w: [u64; 27]) -> Self {
        UserRegs {
            r15: w[0],
            r14: w[1],
            r13: w[2],
            r12: w[3],
            rbp: w[4],
            rbx: w[5],
            r11: w[6],
            r10: w[7],
            r9: w[8],
            r8: w[9],
            rax: w[10],
            rcx: w[11],
            rdx: w[12],
            rsi: w[13],
            rdi: w[14],
            orig_rax: w[15],
            rip: w[16],
            cs: w[17],
            eflags: w[18],
            rsp: w[19],
            ss: w[20],
            fs_base: w[21],
            gs_base: w[22],
            ds: w[23],
            es: w[24],
            fs: w[25],
            gs: w[26],
        }
    }

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        for (i, w) in self.words().iter().enumerate() {
            put_u64(&mut b, i * 8, *w);
        }
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        let mut w = [0u64; 27];
        for (i, slot) in w.iter_mut().enumerate() {
            *slot = get_u64(b, i * 8);
        }
        Some(Self::from_words(w))
    }

    /// The word at byte `offset` (8-aligned, inside the structure).
    pub fn word(&self, offset: usize) -> Option<u64> {
        offset.is_multiple_of(8).then(|| self.words().get(offset / 8).copied()).flatten()
    }

    /// Replaces the word at byte `offset`; false when it names none.
    pub fn set_word(&mut self, offset: usize, value: u64) -> bool {
        if !offset.is_multiple_of(8) || offset / 8 >= 27 {
            return false;
        }
        let mut w = self.words();
        w[offset / 8] = value;
        *self = Self::from_words(w);
        true
    }
}

/// `offsetof(struct user, u_debugreg)`: the debug registers PEEKUSER and
/// POKEUSER reach past the general registers and the FPU area.
pub const USER_DEBUGREG_OFFSET: usize = 848;
/// `sizeof(struct user)`.
pub const USER_SIZE: usize = 912;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_regs_layout() {
        let mut r = UserRegs { orig_rax: 59, rip: 0x401000, eflags: 0x246, fs_base: 7, ..Default::default() };
        let b = r.to_bytes();
        assert_eq!(get_u64(&b, UserRegs::OFF_ORIG_RAX), 59);
        assert_eq!(get_u64(&b, UserRegs::OFF_RIP), 0x401000);
        assert_eq!(get_u64(&b, UserRegs::OFF_EFLAGS), 0x246);
        assert_eq!(get_u64(&b, UserRegs::OFF_FS_BASE), 7);
        assert_eq!(UserRegs::from_bytes(&b), Some(r));
        assert_eq!(UserRegs::from_bytes(&b[..100]), None);
        assert!(r.set_word(10 * 8, 42));
        assert_eq!(r.rax, 42);
        assert_eq!(r.word(10 * 8), Some(42));
        assert_eq!(r.word(3), None);
        assert_eq!(r.word(UserRegs::SIZE), None);
        assert!(!r.set_word(UserRegs::SIZE, 1));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn user_regs_round_trip(words in proptest::collection::vec(any::<u64>(), 27)) {
            let mut b = [0u8; UserRegs::SIZE];
            for (i, w) in words.iter().enumerate() {
                put_u64(&mut b, i * 8, *w);
            }
            let r = UserRegs::from_bytes(&b).unwrap();
            prop_assert_eq!(r.to_bytes(), b);
            for (i, w) in words.iter().enumerate() {
                prop_assert_eq!(r.word(i * 8), Some(*w));
            }
        }

    }
}
