//! Signal frames on x86_64: what Linux pushes on the user stack before
//! running a handler (`struct rt_sigframe` plus the FXSAVE image), and
//! rt_sigreturn, which reads it back.

use super::syscall_abi;
use crate::siginfo::siginfo_bytes;
use kernel_ops::{Error, KResult, KernelOps, MaskHow, SignalAction, SignalCause, SignalInfo, UserContext, USER_FLAGS};
use linux_abi::arch::sigframe::{RtSigframe, Sigcontext, Ucontext};
use linux_abi::sigaltstack::{StackT, SS_DISABLE, SS_ONSTACK};
use linux_abi::signal::Sigset;

/// Bytes below the interrupted stack pointer that leaf functions may use.
const RED_ZONE: u64 = 128;
const FPU_AREA: u64 = 512;
const USER_END: u64 = kernel_ops::USER_SPACE_END;

fn sigcontext_of(r: &UserContext, mask: u64, fpstate: u64) -> Sigcontext {
    Sigcontext {
        r8: r.r8,
        r9: r.r9,
        r10: r.r10,
        r11: r.r11,
        r12: r.r12,
        r13: r.r13,
        r14: r.r14,
        r15: r.r15,
        rdi: r.rdi,
        rsi: r.rsi,
        rbp: r.rbp,
        rbx: r.rbx,
        rdx: r.rdx,
        rax: r.rax,
        rcx: r.rcx,
        rsp: r.rsp,
        rip: r.rip,
        eflags: r.rflags,
        cs: r.cs as u16,
        gs: 0,
        fs: 0,
        ss: r.ss as u16,
        err: if r.vector < 32 { r.error_code } else { 0 },
        trapno: if r.vector < 32 { r.vector } else { 0 },
        oldmask: mask,
        cr2: 0,
        fpstate,
    }
}

pub fn deliver(ops: &mut dyn KernelOps, info: &SignalInfo, action: &SignalAction) -> KResult<()> {
    let kernel_ops::SignalHandler::User(handler) = action.handler else { return Err(Error::InvalidArgument) };
    if action.restorer == 0 {
        // Without SA_RESTORER the handler would return into nowhere; every
        // libc sets it on x86_64 (the kernel has no vDSO trampoline yet).
        ops.log_unsupported(format_args!("linux: signal handler without SA_RESTORER"));
        return Err(Error::Fault);
    }
    let regs = ops.context().clone();
    let mask = crate::signals::set_to_linux(ops.signal_mask(MaskHow::Block, None));
    let alt = ops.alt_stack(None)?;
    let on_alt = ops.on_alt_stack();
    let mut sp = regs.sp();
    if action.flags.on_stack && !alt.disabled && !on_alt {
        // Wrapping, as Linux: a stack that ends past the top of memory
        // gives a frame address the checks below refuse (SIGSEGV).
        sp = alt.base.wrapping_add(alt.size);
    } else {
        sp = sp.wrapping_sub(RED_ZONE);
    }
    let fpstate = (sp.wrapping_sub(FPU_AREA)) & !63;
    let frame = (fpstate.wrapping_sub(RtSigframe::SIZE as u64) & !15).wrapping_sub(8);
    if !(4096..USER_END).contains(&frame) {
        return Err(Error::Fault);
    }
    let fpu = ops.fpu_state();
    ops.copy_out(fpstate, &fpu)?;
    let stack = StackT {
        ss_sp: alt.base,
        ss_flags: if alt.disabled {
            SS_DISABLE
        } else if on_alt {
            SS_ONSTACK
        } else {
            0
        },
        ss_size: alt.size,
    };
    let rt = RtSigframe {
        pretcode: action.restorer,
        uc: Ucontext {
            uc_flags: 0,
            uc_link: 0,
            uc_stack: stack,
            uc_mcontext: sigcontext_of(&regs, mask, fpstate),
            uc_sigmask: Sigset(mask),
        },
        info: if action.flags.siginfo { siginfo_bytes(info) } else { [0; 128] },
    };
    let mut bytes = rt.to_bytes();
    if let SignalCause::Fault { address, .. } = info.cause {
        let off = RtSigframe::OFF_UC_MCONTEXT + Sigcontext::OFF_CR2;
        bytes[off..off + 8].copy_from_slice(&address.to_le_bytes());
    }
    ops.copy_out(frame, &bytes)?;
    let r = ops.context();
    r.set_pc(handler);
    r.set_sp(frame);
    let number = u64::from(crate::signals::to_linux(info.signal));
    syscall_abi::set_function_arguments(
        r,
        [number, frame + RtSigframe::OFF_INFO as u64, frame + RtSigframe::OFF_UC as u64],
    );
    // DF and TF clear in the handler.
    r.rflags &= !((1 << 10) | (1 << 8));
    // The handler starts with a clean FPU control state.
    let mut clean = [0u8; 512];
    clean[0..2].copy_from_slice(&0x037fu16.to_le_bytes());
    clean[24..28].copy_from_slice(&0x1f80u32.to_le_bytes());
    ops.set_fpu_state(&clean);
    Ok(())
}

pub fn sigreturn(ops: &mut dyn KernelOps) -> KResult<()> {
    // The handler's `ret` popped pretcode, so the frame starts 8 below rsp.
    let frame = ops.context().sp().wrapping_sub(8);
    let mut bytes = [0u8; RtSigframe::SIZE];
    if ops.copy_in(frame, &mut bytes).is_err() {
        return kill_with_segv(ops);
    }
    let Some(rt) = RtSigframe::from_bytes(&bytes) else { return kill_with_segv(ops) };
    let m = rt.uc.uc_mcontext;
    if m.rip >= USER_END || m.rsp >= USER_END {
        return kill_with_segv(ops);
    }
    if m.fpstate != 0 {
        let mut fpu = [0u8; 512];
        if ops.copy_in(m.fpstate, &mut fpu).is_err() {
            return kill_with_segv(ops);
        }
        ops.set_fpu_state(&fpu);
    }
    ops.signal_mask(MaskHow::Set, Some(crate::signals::set_from_linux(rt.uc.uc_sigmask.0)));
    let r = ops.context();
    let (cs, ss) = (r.cs, r.ss);
    *r = UserContext {
        r8: m.r8,
        r9: m.r9,
        r10: m.r10,
        r11: m.r11,
        r12: m.r12,
        r13: m.r13,
        r14: m.r14,
        r15: m.r15,
        rdi: m.rdi,
        rsi: m.rsi,
        rbp: m.rbp,
        rbx: m.rbx,
        rdx: m.rdx,
        rax: m.rax,
        rcx: m.rcx,
        rsp: m.rsp,
        rip: m.rip,
        rflags: (r.rflags & !USER_FLAGS) | (m.eflags & USER_FLAGS),
        cs,
        ss,
        vector: 0,
        error_code: 0,
    };
    // No longer inside a system call: nothing to restart.
    r.leave_system_call();
    Ok(())
}

/// A corrupt signal frame: like Linux, the process gets SIGSEGV.
fn kill_with_segv(ops: &mut dyn KernelOps) -> KResult<()> {
    let tid = ops.tid();
    let _ = ops.signal_action(kernel_ops::Signal::SEGV, Some(SignalAction::default()));
    ops.kill_thread(None, tid, Some(kernel_ops::Signal::SEGV))?;
    Ok(())
}
