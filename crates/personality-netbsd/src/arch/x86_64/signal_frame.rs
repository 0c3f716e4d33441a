//! Signal frames on amd64: what NetBSD pushes on the user stack before
//! running a handler (`struct sigframe_siginfo`, sys/arch/amd64/include/
//! frame.h; machdep.c `sendsig_siginfo`):
//!
//! ```text
//! frame +0    sf_ra: the return address, the program's own trampoline
//!             (__sigaction_sigtramp's 4th argument)
//!       +8    sf_si: siginfo_t (128 bytes)
//!       +136  sf_uc: ucontext_t (784 bytes)
//! ```
//!
//! The frame sits 16-byte aligned minus 8 (as after a call), below the
//! interrupted stack's 128-byte red zone or at the top of the alternate
//! stack. The handler starts with rdi the signal, rsi the siginfo, rdx
//! and r15 the ucontext; every other register keeps its interrupted
//! value. NetBSD has no trampoline of its own: the handler returns to the
//! program's, which calls setcontext with r15 (libc's
//! `__sigtramp_siginfo_2`, Go's `sigreturn_tramp`).

use super::ucontext::{record, Recorded, UCONTEXT_BYTES, UC_CLRSTACK, UC_SETSTACK, UC_SIGMASK};
use crate::siginfo::{siginfo_bytes, SIGINFO_BYTES};
use crate::signals::{from_core, set_from_core};
use kernel_ops::{Error, KResult, KernelOps, MaskHow, SignalAction, SignalInfo, USER_SPACE_END};

const RED_ZONE: u64 = 128;
pub const SIGINFO_OFFSET: usize = 8;
pub const UCONTEXT_OFFSET: usize = SIGINFO_OFFSET + SIGINFO_BYTES;
pub const FRAME_BYTES: usize = UCONTEXT_OFFSET + UCONTEXT_BYTES;

/// The frame's address for a stack pointer `sp`: NetBSD rounds down to
/// 16 and takes 8 more, so the handler starts as if called.
pub fn frame_address(sp: u64) -> u64 {
    (sp.wrapping_sub(FRAME_BYTES as u64) & !15).wrapping_sub(8)
}

/// The direction and trap flags, cleared for the handler (PSL_CLEARSIG
/// less the bits a program cannot set anyway).
const CLEAR_FOR_HANDLER: u64 = (1 << 8) | (1 << 10) | (1 << 18);

pub fn deliver(ops: &mut dyn KernelOps, info: &SignalInfo, action: &SignalAction) -> KResult<()> {
    let kernel_ops::SignalHandler::User(handler) = action.handler else { return Err(Error::InvalidArgument) };
    let trampoline = action.restorer;
    let regs = ops.context().clone();
    let mask = set_from_core(ops.signal_mask(MaskHow::Block, None));
    let stack = ops.alt_stack(None)?;
    let on_alt = ops.on_alt_stack();
    let sp = if action.flags.on_stack && !stack.disabled && !on_alt {
        stack.base.wrapping_add(stack.size)
    } else {
        regs.rsp.wrapping_sub(RED_ZONE)
    };
    let frame = frame_address(sp);
    if !(4096..USER_SPACE_END - FRAME_BYTES as u64).contains(&frame) {
        return Err(Error::Fault);
    }
    let fpu = ops.fpu_state();
    let tls_base = ops.thread_pointer();
    let flags = UC_SIGMASK | if on_alt { UC_SETSTACK } else { UC_CLRSTACK };
    // uc_stack is left zero, as sendsig_siginfo leaves it.
    let recorded = Recorded { flags, mask, stack: (0, 0, 0), tls_base, fpu: &fpu };
    let mut bytes = [0u8; FRAME_BYTES];
    bytes[..8].copy_from_slice(&trampoline.to_le_bytes());
    bytes[SIGINFO_OFFSET..UCONTEXT_OFFSET].copy_from_slice(&siginfo_bytes(info));
    bytes[UCONTEXT_OFFSET..].copy_from_slice(&record(&regs, &recorded));
    ops.copy_out(frame, &bytes)?;
    let r = ops.context();
    r.rip = handler;
    r.rsp = frame;
    r.rdi = u64::from(from_core(info.signal));
    r.rsi = frame + SIGINFO_OFFSET as u64;
    r.rdx = frame + UCONTEXT_OFFSET as u64;
    r.r15 = r.rdx;
    r.rflags &= !CLEAR_FOR_HANDLER;
    // fpu_save_area_reset: the handler starts with a clean FPU.
    let mut clean = [0u8; 512];
    clean[0..2].copy_from_slice(&0x037fu16.to_le_bytes());
    clean[24..28].copy_from_slice(&0x1f80u32.to_le_bytes());
    ops.set_fpu_state(&clean);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_is_netbsds() {
        assert_eq!((SIGINFO_OFFSET, UCONTEXT_OFFSET, FRAME_BYTES), (8, 136, 920));
        let f = frame_address(0x7fff_1000);
        assert_eq!(f % 16, 8, "the handler starts as if called");
        assert!(f + FRAME_BYTES as u64 <= 0x7fff_1000);
    }
}
