//! The x86_64 signal frame: what Linux pushes on the user stack to run a
//! handler, and what `rt_sigreturn` reads back (`asm/sigcontext.h`,
//! `asm/ucontext.h`, and `struct rt_sigframe` of `arch/x86/include/asm/sigframe.h`).
//!
//! User space depends on this layout byte for byte: handlers read registers
//! out of `ucontext->uc_mcontext`, libc's `sa_restorer` trampoline
//! (`mov $15, %eax; syscall`) runs with `rsp` pointing just past `pretcode`,
//! debuggers and unwinders recognise the frame, and `rt_sigreturn` must accept
//! whatever the handler changed.
//!
//! # Layout
//!
//! ```text
//! frame + 0     pretcode   u64        return address of the handler = sa_restorer
//! frame + 8     ucontext   (304 bytes)
//!      + 8        uc_flags     u64    UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS
//!      + 16       uc_link      u64    0
//!      + 24       uc_stack     stack_t (24)  the sigaltstack setting at delivery
//!      + 48       uc_mcontext  struct sigcontext (256)
//!      + 304      uc_sigmask   u64    the mask to restore on return
//! frame + 312   siginfo    (128 bytes; written only with SA_SIGINFO)
//! frame + 440   end of struct rt_sigframe
//! ...           (padding up to the FPU area)
//! fpstate       FPU/extended state, 64-byte aligned: a 512-byte FXSAVE image
//!               (its bytes 464..512 hold `struct _fpx_sw_bytes`), then the
//!               XSAVE extended area and the 4-byte FP_XSTATE_MAGIC2 if XSAVE is used
//! ```
//!
//! # Placement ([`SigframePlacement::compute`])
//!
//! 1. Start from the interrupted `rsp` and skip the 128-byte red zone the
//!    ABI lets leaf functions use below `rsp`.
//! 2. With `SA_ONSTACK`, and an alternate stack set up that is not already in
//!    use, switch to its top (`ss_sp + ss_size`).
//! 3. Reserve the FPU area: `fpstate = round_down(sp - fpu_size, 64)`.
//! 4. Reserve the frame: `frame = round_down(fpstate - 440, 16) - 8`, so that
//!    at the handler's first instruction `(rsp + 8) % 16 == 0`, exactly as
//!    if `pretcode` had been pushed by a `call`.
//!
//! # Delivery
//!
//! The handler starts with `rsp = frame`, `rip = sa_handler`, `rdi = signo`,
//! `rsi = &frame.info`, `rdx = &frame.uc`, `rax = 0` (for variadic handlers
//! declared without a prototype), `cs`/`ss` set to the user selectors, and
//! the direction, trap and resume flags cleared in `rflags`. The FPU starts
//! in its initial state.
//!
//! # Return
//!
//! The handler's `ret` pops `pretcode`; the restorer calls `rt_sigreturn`,
//! which finds the frame at `rsp - 8` ([`RT_SIGRETURN_FRAME_FROM_RSP`]),
//! restores every register from `uc_mcontext` (only the [`FIX_EFLAGS`] bits of
//! `eflags`; `cs`/`ss` forced to ring 3), the FPU from `fpstate`, the mask
//! from `uc_sigmask` (minus SIGKILL/SIGSTOP) and the alternate stack from
//! `uc_stack`. Its return value is the restored `rax`, so the syscall path
//! must not overwrite `rax` with a result.

use crate::sigaltstack::{StackT, SS_DISABLE};
use crate::signal::Sigset;
use crate::wire::{get_u16, get_u32, get_u64, prefix, put_u16, put_u32, put_u64};

/// Bytes below `rsp` that a signal frame must not overwrite.
pub const REDZONE: u64 = 128;

/// `uc_flags`: the FPU area is in XSAVE format with `_fpx_sw_bytes` filled in.
pub const UC_FP_XSTATE: u64 = 0x1;
/// `uc_flags`: `sigcontext.ss` holds the interrupted SS.
pub const UC_SIGCONTEXT_SS: u64 = 0x2;
/// `uc_flags`: `rt_sigreturn` restores SS exactly as saved.
pub const UC_STRICT_RESTORE_SS: u64 = 0x4;

/// The user code and data selectors Linux reports in `sigcontext.cs`/`ss`
/// (GDT entries 6 and 5, RPL 3). A different kernel may use others.
pub const LINUX_USER_CS: u16 = 0x33;
pub const LINUX_USER_DS: u16 = 0x2b;

// RFLAGS bits.
pub const X86_EFLAGS_CF: u64 = 1 << 0;
pub const X86_EFLAGS_PF: u64 = 1 << 2;
pub const X86_EFLAGS_AF: u64 = 1 << 4;
pub const X86_EFLAGS_ZF: u64 = 1 << 6;
pub const X86_EFLAGS_SF: u64 = 1 << 7;
pub const X86_EFLAGS_TF: u64 = 1 << 8;
pub const X86_EFLAGS_IF: u64 = 1 << 9;
pub const X86_EFLAGS_DF: u64 = 1 << 10;
pub const X86_EFLAGS_OF: u64 = 1 << 11;
pub const X86_EFLAGS_RF: u64 = 1 << 16;
pub const X86_EFLAGS_AC: u64 = 1 << 18;

/// The `eflags` bits `rt_sigreturn` takes from the frame; every other bit
/// (IF, IOPL, VM, ...) keeps its current value, so a handler cannot gain
/// privileges by editing `uc_mcontext.eflags`.
pub const FIX_EFLAGS: u64 = X86_EFLAGS_AC
    | X86_EFLAGS_OF
    | X86_EFLAGS_DF
    | X86_EFLAGS_TF
    | X86_EFLAGS_SF
    | X86_EFLAGS_ZF
    | X86_EFLAGS_AF
    | X86_EFLAGS_PF
    | X86_EFLAGS_CF
    | X86_EFLAGS_RF;

/// Flags cleared in `rflags` when entering a handler.
pub const HANDLER_ENTRY_CLEARED_EFLAGS: u64 = X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF;

/// Size of an FXSAVE image (`struct _fpstate_64`).
pub const FXSAVE_SIZE: u64 = 512;
/// Alignment of the FPU area in the frame (XSAVE needs 64).
pub const FPSTATE_ALIGN: u64 = 64;
/// Offset of `struct _fpx_sw_bytes` inside the FXSAVE image (the bytes the
/// hardware leaves to software).
pub const FPX_SW_BYTES_OFFSET: usize = 464;
/// `_fpx_sw_bytes.magic1`: the area continues past 512 bytes in XSAVE format.
pub const FP_XSTATE_MAGIC1: u32 = 0x4650_5853;
/// Written right after the XSAVE area (at `fpstate + xstate_size`), to catch
/// truncated frames.
pub const FP_XSTATE_MAGIC2: u32 = 0x4650_5845;
pub const FP_XSTATE_MAGIC2_SIZE: u64 = 4;

/// Where `rt_sigreturn` finds the frame: `rsp - 8`, because the handler's
/// `ret` already popped `pretcode`.
pub const RT_SIGRETURN_FRAME_FROM_RSP: u64 = 8;

/// `struct sigcontext` (the x86_64 user view, 256 bytes). Register order is
/// that of the header, not of the hardware or of `pt_regs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sigcontext {
    pub r8: u64,
    pub r9: u64,
    pub r10: u64,
    pub r11: u64,
    pub r12: u64,
    pub r13: u64,
    pub r14: u64,
    pub r15: u64,
    pub rdi: u64,
    pub rsi: u64,
    pub rbp: u64,
    pub rbx: u64,
    pub rdx: u64,
    pub rax: u64,
    pub rcx: u64,
    pub rsp: u64,
    pub rip: u64,
    pub eflags: u64,
    pub cs: u16,
    /// Linux always writes 0 for `gs` and `fs` (the bases live in MSRs and
    /// are not restored by sigreturn).
    pub gs: u16,
    pub fs: u16,
    pub ss: u16,
    /// The hardware error code of the fault that raised the signal.
    pub err: u64,
    /// The exception vector (14 for a page fault, 13 for #GP, ...).
    pub trapno: u64,
    /// The low 64 bits of the blocked mask (same as `uc_sigmask`).
    pub oldmask: u64,
    /// The faulting address of a page fault.
    pub cr2: u64,
    /// User address of the FPU area, or 0 for none.
    pub fpstate: u64,
}

impl Sigcontext {
    pub const SIZE: usize = 256;
    pub const OFF_R8: usize = 0;
    pub const OFF_R9: usize = 8;
    pub const OFF_R10: usize = 16;
    pub const OFF_R11: usize = 24;
    pub const OFF_R12: usize = 32;
    pub const OFF_R13: usize = 40;
    pub const OFF_R14: usize = 48;
    pub const OFF_R15: usize = 56;
    pub const OFF_RDI: usize = 64;
    pub const OFF_RSI: usize = 72;
    pub const OFF_RBP: usize = 80;
    pub const OFF_RBX: usize = 88;
    pub const OFF_RDX: usize = 96;
    pub const OFF_RAX: usize = 104;
    pub const OFF_RCX: usize = 112;
    pub const OFF_RSP: usize = 120;
    pub const OFF_RIP: usize = 128;
    pub const OFF_EFLAGS: usize = 136;
    pub const OFF_CS: usize = 144;
    pub const OFF_GS: usize = 146;
    pub const OFF_FS: usize = 148;
    pub const OFF_SS: usize = 150;
    pub const OFF_ERR: usize = 152;
    pub const OFF_TRAPNO: usize = 160;
    pub const OFF_OLDMASK: usize = 168;
    pub const OFF_CR2: usize = 176;
    pub const OFF_FPSTATE: usize = 184;
    /// `reserved1[8]`, zero.
    pub const OFF_RESERVED1: usize = 192;

    fn regs(&self) -> [u64; 18] {
        [
            self.r8,
            self.r9,
            self.r10,
            self.r11,
            self.r12,
            self.r13,
            self.r14,
            self.r15,
            self.rdi,
            self.rsi,
            self.rbp,
            self.rbx,
            self.rdx,
            self.rax,
            self.rcx,
            self.rsp,
            self.rip,
            self.eflags,
        ]
    }

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        for (i, r) in self.regs().iter().enumerate() {
            put_u64(&mut b, 8 * i, *r);
        }
        put_u16(&mut b, Self::OFF_CS, self.cs);
        put_u16(&mut b, Self::OFF_GS, self.gs);
        put_u16(&mut b, Self::OFF_FS, self.fs);
        put_u16(&mut b, Self::OFF_SS, self.ss);
        put_u64(&mut b, Self::OFF_ERR, self.err);
        put_u64(&mut b, Self::OFF_TRAPNO, self.trapno);
        put_u64(&mut b, Self::OFF_OLDMASK, self.oldmask);
        put_u64(&mut b, Self::OFF_CR2, self.cr2);
        put_u64(&mut b, Self::OFF_FPSTATE, self.fpstate);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        let r = |i: usize| get_u64(b, 8 * i);
        Some(Self {
            r8: r(0),
            r9: r(1),
            r10: r(2),
            r11: r(3),
            r12: r(4),
            r13: r(5),
            r14: r(6),
            r15: r(7),
            rdi: r(8),
            rsi: r(9),
            rbp: r(10),
            rbx: r(11),
            rdx: r(12),
            rax: r(13),
            rcx: r(14),
            rsp: r(15),
            rip: r(16),
            eflags: r(17),
            cs: get_u16(b, Self::OFF_CS),
            gs: get_u16(b, Self::OFF_GS),
            fs: get_u16(b, Self::OFF_FS),
            ss: get_u16(b, Self::OFF_SS),
            err: get_u64(b, Self::OFF_ERR),
            trapno: get_u64(b, Self::OFF_TRAPNO),
            oldmask: get_u64(b, Self::OFF_OLDMASK),
            cr2: get_u64(b, Self::OFF_CR2),
            fpstate: get_u64(b, Self::OFF_FPSTATE),
        })
    }
}

/// `struct ucontext` (the kernel's, 304 bytes; glibc's `ucontext_t` is
/// larger and differently laid out past `uc_mcontext`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ucontext {
    pub uc_flags: u64,
    pub uc_link: u64,
    pub uc_stack: StackT,
    pub uc_mcontext: Sigcontext,
    pub uc_sigmask: Sigset,
}

impl Ucontext {
    pub const SIZE: usize = 304;
    pub const OFF_FLAGS: usize = 0;
    pub const OFF_LINK: usize = 8;
    pub const OFF_STACK: usize = 16;
    pub const OFF_MCONTEXT: usize = 40;
    pub const OFF_SIGMASK: usize = 296;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, Self::OFF_FLAGS, self.uc_flags);
        put_u64(&mut b, Self::OFF_LINK, self.uc_link);
        b[Self::OFF_STACK..Self::OFF_STACK + StackT::SIZE].copy_from_slice(&self.uc_stack.to_bytes());
        b[Self::OFF_MCONTEXT..Self::OFF_MCONTEXT + Sigcontext::SIZE].copy_from_slice(&self.uc_mcontext.to_bytes());
        put_u64(&mut b, Self::OFF_SIGMASK, self.uc_sigmask.0);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self {
            uc_flags: get_u64(b, Self::OFF_FLAGS),
            uc_link: get_u64(b, Self::OFF_LINK),
            uc_stack: StackT::from_bytes(&b[Self::OFF_STACK..])?,
            uc_mcontext: Sigcontext::from_bytes(&b[Self::OFF_MCONTEXT..])?,
            uc_sigmask: Sigset(get_u64(b, Self::OFF_SIGMASK)),
        })
    }
}

/// `struct rt_sigframe` (440 bytes), the part of the frame below the FPU area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtSigframe {
    /// Return address for the handler: the `sa_restorer` trampoline.
    pub pretcode: u64,
    pub uc: Ucontext,
    /// The encoded siginfo (see [`crate::siginfo::Siginfo::to_bytes`]); left
    /// zero when the handler lacks `SA_SIGINFO`.
    pub info: [u8; 128],
}

impl RtSigframe {
    pub const SIZE: usize = 440;
    pub const OFF_PRETCODE: usize = 0;
    pub const OFF_UC: usize = 8;
    pub const OFF_INFO: usize = 312;

    // Offsets from the frame start of what the handler and sigreturn touch.
    pub const OFF_UC_FLAGS: usize = Self::OFF_UC + Ucontext::OFF_FLAGS;
    pub const OFF_UC_STACK: usize = Self::OFF_UC + Ucontext::OFF_STACK;
    pub const OFF_UC_MCONTEXT: usize = Self::OFF_UC + Ucontext::OFF_MCONTEXT;
    pub const OFF_UC_SIGMASK: usize = Self::OFF_UC + Ucontext::OFF_SIGMASK;
    pub const OFF_FPSTATE_PTR: usize = Self::OFF_UC_MCONTEXT + Sigcontext::OFF_FPSTATE;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, Self::OFF_PRETCODE, self.pretcode);
        b[Self::OFF_UC..Self::OFF_UC + Ucontext::SIZE].copy_from_slice(&self.uc.to_bytes());
        b[Self::OFF_INFO..].copy_from_slice(&self.info);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        let mut info = [0u8; 128];
        info.copy_from_slice(&b[Self::OFF_INFO..]);
        Some(Self { pretcode: get_u64(b, Self::OFF_PRETCODE), uc: Ucontext::from_bytes(&b[Self::OFF_UC..])?, info })
    }
}

/// `struct _fpx_sw_bytes`: what the kernel writes into the software-reserved
/// tail of the FXSAVE image to describe an XSAVE area (48 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FpxSwBytes {
    /// [`FP_XSTATE_MAGIC1`] when the extended area is present.
    pub magic1: u32,
    /// Total bytes of the FPU area including `FP_XSTATE_MAGIC2`.
    pub extended_size: u32,
    /// The XSAVE feature bits present in the area.
    pub xfeatures: u64,
    /// Bytes of the XSAVE area, without `FP_XSTATE_MAGIC2`.
    pub xstate_size: u32,
}

impl FpxSwBytes {
    pub const SIZE: usize = 48;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u32(&mut b, 0, self.magic1);
        put_u32(&mut b, 4, self.extended_size);
        put_u64(&mut b, 8, self.xfeatures);
        put_u32(&mut b, 16, self.xstate_size);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self {
            magic1: get_u32(b, 0),
            extended_size: get_u32(b, 4),
            xfeatures: get_u64(b, 8),
            xstate_size: get_u32(b, 16),
        })
    }
}

/// Where a signal frame goes, computed the way Linux does (see the module
/// docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigframePlacement {
    /// Address of the `struct rt_sigframe`; the handler's initial `rsp`.
    pub frame: u64,
    /// Address of the FPU area (64-byte aligned); goes in
    /// `uc_mcontext.fpstate`.
    pub fpstate: u64,
    /// Whether delivery switched to the alternate stack.
    pub on_altstack: bool,
}

impl SigframePlacement {
    /// `rsp` is the interrupted stack pointer, `altstack` the thread's
    /// sigaltstack setting (consulted only when `sa_onstack`), and `fpu_size`
    /// the bytes of FPU state to save (512 for FXSAVE; the XSAVE size plus
    /// [`FP_XSTATE_MAGIC2_SIZE`] otherwise).
    ///
    /// Returns `None` when the addresses would wrap or when a frame meant for
    /// the alternate stack (already in use, or being switched to) does not
    /// fit on it: Linux then forces SIGSEGV instead of corrupting memory.
    pub fn compute(rsp: u64, sa_onstack: bool, altstack: &StackT, fpu_size: u64) -> Option<Self> {
        use crate::sigaltstack::SS_AUTODISARM;
        // With SS_AUTODISARM the saved setting was cleared on handler entry,
        // so Linux never treats the thread as nested on the alternate stack.
        let usable = altstack.ss_flags & SS_AUTODISARM == 0;
        let nested = usable && altstack.contains(rsp);
        let mut sp = rsp.checked_sub(REDZONE)?;
        let mut entering = false;
        if sa_onstack
            && altstack.ss_flags & SS_DISABLE == 0
            && altstack.ss_size != 0
            && !(usable && altstack.contains(sp))
        {
            sp = altstack.ss_sp.checked_add(altstack.ss_size)?;
            entering = true;
        }
        let fpstate = sp.checked_sub(fpu_size)? & !(FPSTATE_ALIGN - 1);
        let frame = (fpstate.checked_sub(RtSigframe::SIZE as u64)? & !15).checked_sub(8)?;
        if (nested || entering) && !altstack.contains(frame) {
            return None;
        }
        Some(Self { frame, fpstate, on_altstack: nested || entering })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::siginfo::{Siginfo, SEGV_MAPERR};
    use crate::signal::SIGSEGV;
    use proptest::prelude::*;

    #[test]
    fn sizes_and_offsets() {
        assert_eq!(RtSigframe::OFF_UC_MCONTEXT, 48);
        assert_eq!(RtSigframe::OFF_UC_SIGMASK, 304);
        assert_eq!(RtSigframe::OFF_FPSTATE_PTR, 48 + 184);
        assert_eq!(RtSigframe::OFF_INFO, 8 + Ucontext::SIZE);
        assert_eq!(RtSigframe::SIZE, 8 + Ucontext::SIZE + Siginfo::SIZE);
        assert_eq!(Ucontext::OFF_SIGMASK, Ucontext::OFF_MCONTEXT + Sigcontext::SIZE);
        assert_eq!(FIX_EFLAGS, 0x50dd5);
    }

    #[test]
    fn register_order() {
        let sc = Sigcontext {
            r8: 1,
            rdi: 2,
            rax: 3,
            rsp: 4,
            rip: 5,
            eflags: 6,
            cs: 0x33,
            ss: 0x2b,
            cr2: 7,
            fpstate: 8,
            ..Default::default()
        };
        let b = sc.to_bytes();
        assert_eq!(b[0], 1);
        assert_eq!(b[64], 2);
        assert_eq!(b[104], 3);
        assert_eq!(b[120], 4);
        assert_eq!(b[128], 5);
        assert_eq!(b[136], 6);
        assert_eq!(b[144], 0x33);
        assert_eq!(b[150], 0x2b);
        assert_eq!(b[176], 7);
        assert_eq!(b[184], 8);
        assert!(b[192..].iter().all(|&x| x == 0));
    }

    #[test]
    fn placement_on_the_normal_stack() {
        let p = SigframePlacement::compute(0x7fff_ffff_e008, false, &StackT::DISABLED, 512).unwrap();
        // 0x...e008 - 128 = 0x...df88; - 512 = 0x...dd88, aligned down to 64 = 0x...dd80.
        assert_eq!(p.fpstate, 0x7fff_ffff_dd80);
        // - 440 = 0x...dbc8, aligned to 16 = 0x...dbc0, - 8 = 0x...dbb8.
        assert_eq!(p.frame, 0x7fff_ffff_dbb8);
        assert_eq!((p.frame + 8) % 16, 0);
        assert!(p.frame + RtSigframe::SIZE as u64 <= p.fpstate);
        assert!(!p.on_altstack);
    }

    #[test]
    fn placement_on_the_alternate_stack() {
        let alt = StackT { ss_sp: 0x10000, ss_flags: 0, ss_size: 0x4000 };
        let p = SigframePlacement::compute(0x7fff_0000, true, &alt, 512).unwrap();
        assert!(p.on_altstack);
        assert_eq!(p.fpstate, 0x14000 - 512);
        assert!(alt.contains(p.frame));
        // Without SA_ONSTACK the alternate stack is ignored.
        let p = SigframePlacement::compute(0x7fff_0000, false, &alt, 512).unwrap();
        assert!(!p.on_altstack);
        // Already deep in a too-small alternate stack: refused (SIGSEGV).
        assert_eq!(SigframePlacement::compute(0x10100, true, &alt, 512), None);
        // Nested delivery on the alternate stack continues below the current rsp.
        let p = SigframePlacement::compute(0x13000, true, &alt, 512).unwrap();
        assert!(p.on_altstack && p.frame < 0x13000 - REDZONE);
        // An alternate stack too small for one frame: refused too.
        let tiny = StackT { ss_sp: 0x10000, ss_flags: 0, ss_size: 256 };
        assert_eq!(SigframePlacement::compute(0x7fff_0000, true, &tiny, 512), None);
    }

    #[test]
    fn full_frame_bytes() {
        let info = Siginfo::fault(SIGSEGV, SEGV_MAPERR, 0x1234).to_bytes();
        let f = RtSigframe {
            pretcode: 0x401000,
            uc: Ucontext {
                uc_flags: UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS,
                uc_link: 0,
                uc_stack: StackT::DISABLED,
                uc_mcontext: Sigcontext { rip: 0x400123, cr2: 0x1234, trapno: 14, err: 4, ..Default::default() },
                uc_sigmask: Sigset(0x8000),
            },
            info,
        };
        let b = f.to_bytes();
        assert_eq!(&b[0..8], &0x401000u64.to_le_bytes());
        assert_eq!(&b[8..16], &6u64.to_le_bytes());
        assert_eq!(&b[24 + 8..24 + 12], &2u32.to_le_bytes(), "uc_stack.ss_flags = SS_DISABLE");
        assert_eq!(&b[48 + 128..48 + 136], &0x400123u64.to_le_bytes());
        assert_eq!(&b[304..312], &0x8000u64.to_le_bytes());
        assert_eq!(&b[312..316], &11u32.to_le_bytes());
        assert_eq!(&b[312 + 16..312 + 24], &0x1234u64.to_le_bytes());
    }

    fn any_sigcontext() -> impl Strategy<Value = Sigcontext> {
        (any::<[u64; 18]>(), any::<[u16; 4]>(), any::<[u64; 5]>()).prop_map(|(r, s, t)| Sigcontext {
            r8: r[0],
            r9: r[1],
            r10: r[2],
            r11: r[3],
            r12: r[4],
            r13: r[5],
            r14: r[6],
            r15: r[7],
            rdi: r[8],
            rsi: r[9],
            rbp: r[10],
            rbx: r[11],
            rdx: r[12],
            rax: r[13],
            rcx: r[14],
            rsp: r[15],
            rip: r[16],
            eflags: r[17],
            cs: s[0],
            gs: s[1],
            fs: s[2],
            ss: s[3],
            err: t[0],
            trapno: t[1],
            oldmask: t[2],
            cr2: t[3],
            fpstate: t[4],
        })
    }

    proptest! {
        #[test]
        fn round_trips(sc in any_sigcontext(), flags: u64, link: u64, st: (u64, u32, u64), mask: u64,
                       pret: u64, info in proptest::collection::vec(any::<u8>(), 128)) {
            prop_assert_eq!(Sigcontext::from_bytes(&sc.to_bytes()), Some(sc));
            let uc = Ucontext {
                uc_flags: flags, uc_link: link,
                uc_stack: StackT { ss_sp: st.0, ss_flags: st.1, ss_size: st.2 },
                uc_mcontext: sc, uc_sigmask: Sigset(mask),
            };
            prop_assert_eq!(Ucontext::from_bytes(&uc.to_bytes()), Some(uc));
            let mut i = [0u8; 128];
            i.copy_from_slice(&info);
            let f = RtSigframe { pretcode: pret, uc, info: i };
            prop_assert_eq!(RtSigframe::from_bytes(&f.to_bytes()), Some(f));
            let sw = FpxSwBytes { magic1: st.1, extended_size: flags as u32, xfeatures: link, xstate_size: mask as u32 };
            prop_assert_eq!(FpxSwBytes::from_bytes(&sw.to_bytes()), Some(sw));
        }

        #[test]
        fn placement_invariants(rsp in 0x10000u64..0x8000_0000_0000, fpu in prop_oneof![Just(512u64), 512u64..12000]) {
            let p = SigframePlacement::compute(rsp, false, &StackT::DISABLED, fpu).unwrap();
            prop_assert_eq!(p.fpstate % 64, 0);
            prop_assert_eq!((p.frame + 8) % 16, 0);
            prop_assert!(p.frame + RtSigframe::SIZE as u64 <= p.fpstate);
            prop_assert!(p.fpstate + fpu <= rsp - REDZONE);
        }
    }
}
