//! Signal frames on amd64: what FreeBSD pushes on the user stack before
//! running a handler (`struct sigframe`: the handler's address, a
//! `ucontext_t` and a `siginfo_t`; sys/x86/include/sigframe.h,
//! sys/amd64/amd64/exec_machdep.c `sendsig`), and sigreturn, which takes
//! a `ucontext_t` back (`sys_sigreturn`). The layouts are in
//! docs/research/freebsd-amd64.md, section 7.
//!
//! A handler starts in the trampoline (`sigcode`), which calls it with
//! rdi the signal, rsi the siginfo (or si_code without SA_SIGINFO), rdx
//! the ucontext and rcx the faulting address, and then calls sigreturn
//! with the ucontext, which the handler may have changed: Go's
//! asynchronous preemption rewrites rip and rsp there.

use super::sigcode::SIGCODE_ADDRESS;
use crate::siginfo::{address_of, code_of, siginfo_bytes, SIGINFO_BYTES};
use crate::signals::{from_core, set_from_core, set_to_core};
use kernel_ops::{
    AltStack, Error, FpuImage, KResult, KernelOps, MaskHow, SignalAction, SignalInfo, UserContext, USER_FLAGS,
};

/// Bytes below the interrupted stack pointer that leaf functions may use.
const RED_ZONE: u64 = 128;
const USER_END: u64 = kernel_ops::USER_SPACE_END;

pub const FRAME_BYTES: usize = 976;
/// Where the ucontext sits in the frame (SIGF_UC); sigcode hands it to
/// sigreturn.
pub const UCONTEXT_OFFSET: usize = 16;
const SIGINFO_OFFSET: usize = 896;
pub const UCONTEXT_BYTES: usize = 880;

/// Within the ucontext.
const UC_MCONTEXT: usize = 16;
const UC_LINK: usize = 816;
const UC_STACK: usize = 824;

/// Within the mcontext (mcontext_t, 800 bytes). mc_rdi..mc_ss is a copy of
/// the trap frame.
const MC_ONSTACK: usize = 0;
const MC_GPRS: [usize; 15] = [8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 96, 104, 112, 120];
const MC_TRAPNO: usize = 128;
const MC_FS: usize = 132;
const MC_GS: usize = 134;
const MC_ADDR: usize = 136;
const MC_FLAGS: usize = 144;
const MC_ES: usize = 148;
const MC_DS: usize = 150;
const MC_ERR: usize = 152;
const MC_RIP: usize = 160;
const MC_CS: usize = 168;
const MC_RFLAGS: usize = 176;
const MC_RSP: usize = 184;
const MC_SS: usize = 192;
const MC_LEN: usize = 200;
const MC_FPFORMAT: usize = 208;
const MC_OWNEDFP: usize = 216;
const MC_FPSTATE: usize = 224;
const MC_FSBASE: usize = 736;
const MC_GSBASE: usize = 744;
const MCONTEXT_BYTES: u64 = 800;

const MC_HASSEGS: u32 = 0x1;
const MC_HASBASES: u32 = 0x2;
/// The flags sigreturn accepts (_MC_FLAG_MASK); the extended FPU state
/// (_MC_HASFPXSTATE) is not kept, so a context naming one is refused.
const MC_FLAG_MASK: u32 = MC_HASSEGS | MC_HASBASES;
const MC_FPFMT_XMM: u64 = 0x10002;
const MC_FPOWNED_NONE: u64 = 0x20000;
const MC_FPOWNED_FPU: u64 = 0x20001;

const SS_ONSTACK: u32 = 0x1;
const SS_DISABLE: u32 = 0x4;

/// The general registers in the trap frame's order: rdi, rsi, rdx, rcx,
/// r8, r9, rax, rbx, rbp, r10, r11, r12, r13, r14, r15.
fn gprs(r: &UserContext) -> [u64; 15] {
    [r.rdi, r.rsi, r.rdx, r.rcx, r.r8, r.r9, r.rax, r.rbx, r.rbp, r.r10, r.r11, r.r12, r.r13, r.r14, r.r15]
}

fn set_gprs(r: &mut UserContext, v: [u64; 15]) {
    [r.rdi, r.rsi, r.rdx, r.rcx, r.r8, r.r9, r.rax, r.rbx, r.rbp, r.r10, r.r11, r.r12, r.r13, r.r14, r.r15] = v;
}

fn put(b: &mut [u8], at: usize, bytes: &[u8]) {
    b[at..at + bytes.len()].copy_from_slice(bytes);
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(w)
}

/// What a frame records besides the registers.
pub struct Saved<'a> {
    pub mask: [u32; 4],
    pub stack: AltStack,
    /// The interrupted code ran on the alternate stack.
    pub on_alt: bool,
    pub fpu: &'a FpuImage,
    pub fs_base: u64,
    pub fault_address: u64,
}

/// The ucontext FreeBSD records for `r`.
pub fn ucontext_bytes(r: &UserContext, s: &Saved<'_>) -> [u8; UCONTEXT_BYTES] {
    let mut uc = [0u8; UCONTEXT_BYTES];
    for (i, w) in s.mask.iter().enumerate() {
        put(&mut uc, 4 * i, &w.to_le_bytes());
    }
    let mc = &mut uc[UC_MCONTEXT..UC_MCONTEXT + MCONTEXT_BYTES as usize];
    put(mc, MC_ONSTACK, &u64::from(s.on_alt).to_le_bytes());
    for (at, v) in MC_GPRS.iter().zip(gprs(r)) {
        put(mc, *at, &v.to_le_bytes());
    }
    let exception = r.vector < 32;
    put(mc, MC_TRAPNO, &(if exception { r.vector as u32 } else { 0 }).to_le_bytes());
    for at in [MC_FS, MC_GS, MC_ES, MC_DS] {
        put(mc, at, &(r.ss as u16).to_le_bytes());
    }
    put(mc, MC_ADDR, &s.fault_address.to_le_bytes());
    put(mc, MC_FLAGS, &(MC_HASSEGS | MC_HASBASES).to_le_bytes());
    put(mc, MC_ERR, &(if exception { r.error_code } else { 0 }).to_le_bytes());
    put(mc, MC_RIP, &r.rip.to_le_bytes());
    put(mc, MC_CS, &r.cs.to_le_bytes());
    put(mc, MC_RFLAGS, &r.rflags.to_le_bytes());
    put(mc, MC_RSP, &r.rsp.to_le_bytes());
    put(mc, MC_SS, &r.ss.to_le_bytes());
    put(mc, MC_LEN, &MCONTEXT_BYTES.to_le_bytes());
    put(mc, MC_FPFORMAT, &MC_FPFMT_XMM.to_le_bytes());
    put(mc, MC_OWNEDFP, &MC_FPOWNED_FPU.to_le_bytes());
    put(mc, MC_FPSTATE, s.fpu);
    put(mc, MC_FSBASE, &s.fs_base.to_le_bytes());
    put(mc, MC_GSBASE, &0u64.to_le_bytes());
    let flags = if s.stack.disabled {
        SS_DISABLE
    } else if s.on_alt {
        SS_ONSTACK
    } else {
        0
    };
    put(&mut uc, UC_LINK, &0u64.to_le_bytes());
    put(&mut uc, UC_STACK, &s.stack.base.to_le_bytes());
    put(&mut uc, UC_STACK + 8, &s.stack.size.to_le_bytes());
    put(&mut uc, UC_STACK + 16, &flags.to_le_bytes());
    uc
}

/// What sigreturn restores from a ucontext.
#[derive(Debug)]
pub struct Restored {
    pub mask: [u32; 4],
    pub gprs: [u64; 15],
    pub rip: u64,
    pub rsp: u64,
    pub rflags: u64,
    pub fpu: Option<FpuImage>,
    pub fs_base: Option<u64>,
}

/// Reads a ucontext back, refusing what FreeBSD's sigreturn refuses
/// (EINVAL): a wrong mc_len, unknown mc_flags, rflags changed outside
/// the bits a program may change, an FPU image in a format other than
/// FXSAVE's; and what would fault the return: rip or rsp outside user
/// memory.
pub fn restore_from(uc: &[u8; UCONTEXT_BYTES], current_rflags: u64) -> KResult<Restored> {
    let mc = &uc[UC_MCONTEXT..UC_MCONTEXT + MCONTEXT_BYTES as usize];
    if u64_at(mc, MC_LEN) != MCONTEXT_BYTES {
        return Err(Error::InvalidArgument);
    }
    let flags = u32_at(mc, MC_FLAGS);
    if flags & !MC_FLAG_MASK != 0 {
        return Err(Error::InvalidArgument);
    }
    let rflags = u64_at(mc, MC_RFLAGS);
    if (rflags ^ current_rflags) & !USER_FLAGS != 0 {
        return Err(Error::InvalidArgument);
    }
    let (rip, rsp) = (u64_at(mc, MC_RIP), u64_at(mc, MC_RSP));
    if rip >= USER_END || rsp >= USER_END {
        return Err(Error::InvalidArgument);
    }
    let fpu = match u64_at(mc, MC_OWNEDFP) {
        MC_FPOWNED_NONE => None,
        _ if u64_at(mc, MC_FPFORMAT) != MC_FPFMT_XMM => return Err(Error::InvalidArgument),
        _ => {
            let mut image = [0u8; 512];
            image.copy_from_slice(&mc[MC_FPSTATE..MC_FPSTATE + 512]);
            Some(image)
        }
    };
    let fs_base = if flags & MC_HASBASES != 0 {
        let base = u64_at(mc, MC_FSBASE);
        if base >= USER_END {
            return Err(Error::InvalidArgument);
        }
        Some(base)
    } else {
        None
    };
    let mut gprs = [0u64; 15];
    for (v, at) in gprs.iter_mut().zip(MC_GPRS) {
        *v = u64_at(mc, at);
    }
    let mut mask = [0u32; 4];
    for (i, w) in mask.iter_mut().enumerate() {
        *w = u32_at(uc, 4 * i);
    }
    Ok(Restored { mask, gprs, rip, rsp, rflags, fpu, fs_base })
}

pub fn deliver(ops: &mut dyn KernelOps, info: &SignalInfo, action: &SignalAction) -> KResult<()> {
    let kernel_ops::SignalHandler::User(handler) = action.handler else { return Err(Error::InvalidArgument) };
    let regs = ops.context().clone();
    let mask = set_from_core(ops.signal_mask(MaskHow::Block, None));
    let stack = ops.alt_stack(None)?;
    let on_alt = ops.on_alt_stack();
    let mut sp = regs.sp();
    if action.flags.on_stack && !stack.disabled && !on_alt {
        sp = stack.base.wrapping_add(stack.size);
    } else {
        sp = sp.wrapping_sub(RED_ZONE);
    }
    let frame = sp.wrapping_sub(FRAME_BYTES as u64) & !15;
    if !(4096..USER_END - FRAME_BYTES as u64).contains(&frame) {
        return Err(Error::Fault);
    }
    let fpu = ops.fpu_state();
    let fs_base = ops.thread_pointer();
    let fault_address = address_of(info);
    let saved = Saved { mask, stack, on_alt, fpu: &fpu, fs_base, fault_address };
    let mut bytes = [0u8; FRAME_BYTES];
    put(&mut bytes, 0, &handler.to_le_bytes());
    put(&mut bytes, UCONTEXT_OFFSET, &ucontext_bytes(&regs, &saved));
    if action.flags.siginfo {
        put(&mut bytes, SIGINFO_OFFSET, &siginfo_bytes(info)[..SIGINFO_BYTES]);
    }
    ops.copy_out(frame, &bytes)?;
    let r = ops.context();
    r.set_pc(SIGCODE_ADDRESS);
    r.set_sp(frame);
    r.rdi = u64::from(from_core(info.signal));
    r.rsi = if action.flags.siginfo { frame + SIGINFO_OFFSET as u64 } else { code_of(info) as i64 as u64 };
    r.rdx = frame + UCONTEXT_OFFSET as u64;
    r.rcx = fault_address;
    // DF and TF clear in the handler.
    r.rflags &= !((1 << 10) | (1 << 8));
    // The handler starts with a clean FPU control state (fpstate_drop).
    let mut clean = [0u8; 512];
    clean[0..2].copy_from_slice(&0x037fu16.to_le_bytes());
    clean[24..28].copy_from_slice(&0x1f80u32.to_le_bytes());
    ops.set_fpu_state(&clean);
    Ok(())
}

/// sigreturn(const ucontext_t *ucp).
pub fn sigreturn(ops: &mut dyn KernelOps, ucp: u64) -> KResult<()> {
    let mut uc = [0u8; UCONTEXT_BYTES];
    ops.copy_in(ucp, &mut uc)?;
    let current = ops.context().rflags;
    let restored = restore_from(&uc, current)?;
    if let Some(fpu) = &restored.fpu {
        ops.set_fpu_state(fpu);
    }
    if let Some(base) = restored.fs_base {
        ops.set_thread_pointer(base)?;
    }
    ops.signal_mask(MaskHow::Set, Some(set_to_core(restored.mask)));
    let r = ops.context();
    set_gprs(r, restored.gprs);
    r.rip = restored.rip;
    r.rsp = restored.rsp;
    r.rflags = (r.rflags & !USER_FLAGS) | (restored.rflags & USER_FLAGS);
    // No longer inside a system call: nothing to restart.
    r.leave_system_call();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regs() -> UserContext {
        let mut r = UserContext::new_program(0x40_1000, 0x7fff_0000);
        r.rax = 1;
        r.rbx = 2;
        r.r15 = 15;
        r.rdi = 0xd1;
        r.rflags = 0x246;
        r
    }

    fn saved(fpu: &FpuImage) -> Saved<'_> {
        Saved {
            mask: [1 << 29, 0, 0, 0],
            stack: AltStack { base: 0x1000, size: 0x8000, disabled: false },
            on_alt: false,
            fpu,
            fs_base: 0x5000,
            fault_address: 0,
        }
    }

    #[test]
    fn the_frame_matches_freebsds_layout() {
        assert_eq!(UCONTEXT_OFFSET + UCONTEXT_BYTES, SIGINFO_OFFSET);
        assert_eq!(SIGINFO_OFFSET + SIGINFO_BYTES, FRAME_BYTES);
        let fpu = [7u8; 512];
        let uc = ucontext_bytes(&regs(), &saved(&fpu));
        // Go reads mc_rip at 176, mc_rsp at 200 and mc_rflags at 192 of
        // the ucontext (defs_freebsd_amd64.go).
        assert_eq!(u64_at(&uc, 176), 0x40_1000);
        assert_eq!(u64_at(&uc, 200), regs().rsp);
        assert_eq!(u64_at(&uc, 192), 0x246);
        assert_eq!(u64_at(&uc, 16 + 8), 0xd1, "mc_rdi");
        assert_eq!(u64_at(&uc, 16 + 56), 1, "mc_rax");
        assert_eq!(u64_at(&uc, 216), MCONTEXT_BYTES, "mc_len at 216 of the ucontext");
        assert_eq!(uc[240], 7, "mc_fpstate at 240");
        assert_eq!(u32_at(&uc, 0), 1 << 29);
        assert_eq!(u64_at(&uc, UC_STACK + 8), 0x8000);
    }

    #[test]
    fn sigreturn_gives_back_what_the_frame_saved_and_what_a_handler_changed() {
        let fpu = [0u8; 512];
        let mut uc = ucontext_bytes(&regs(), &saved(&fpu));
        put(&mut uc, 176, &0x40_2000u64.to_le_bytes()); // the handler moves rip
        let r = restore_from(&uc, 0x246).unwrap();
        assert_eq!((r.rip, r.rsp, r.rflags), (0x40_2000, regs().rsp, 0x246));
        assert_eq!(r.gprs, gprs(&regs()));
        assert_eq!(r.fs_base, Some(0x5000));
        assert_eq!(r.mask[0], 1 << 29);
        assert!(r.fpu.is_some());
    }

    #[test]
    fn sigreturn_refuses_what_freebsd_refuses() {
        let fpu = [0u8; 512];
        let good = ucontext_bytes(&regs(), &saved(&fpu));
        let mut bad_len = good;
        put(&mut bad_len, 216, &799u64.to_le_bytes());
        assert!(restore_from(&bad_len, 0x246).is_err());
        let mut bad_flags = good;
        put(&mut bad_flags, 16 + MC_FLAGS, &0x4u32.to_le_bytes());
        assert!(restore_from(&bad_flags, 0x246).is_err());
        let mut iopl = good;
        put(&mut iopl, 192, &(0x246u64 | 3 << 12).to_le_bytes());
        assert!(restore_from(&iopl, 0x246).is_err(), "IOPL is not the program's to change");
        let mut kernel_rip = good;
        put(&mut kernel_rip, 176, &0xffff_8000_0000_0000u64.to_le_bytes());
        assert!(restore_from(&kernel_rip, 0x246).is_err());
        let mut carry = good;
        put(&mut carry, 192, &0x247u64.to_le_bytes());
        assert_eq!(restore_from(&carry, 0x246).unwrap().rflags, 0x247, "the carry flag is the program's");
    }
}
