//! Signal frames: what Linux pushes on the user stack before running a
//! handler (`struct rt_sigframe` plus the FPU state), and rt_sigreturn,
//! which reads it back.

use kernel_ops::{Error, FaultReason, KResult, KernelOps, MaskHow, Regs, SignalAction, SignalCause, SignalInfo};
use linux_abi::sigaltstack::{StackT, SS_DISABLE, SS_ONSTACK};
use linux_abi::sigframe::{RtSigframe, Sigcontext, Ucontext};
use linux_abi::siginfo::*;
use linux_abi::signal::Sigset;

/// Bytes below the interrupted stack pointer that leaf functions may use.
const RED_ZONE: u64 = 128;
const FPU_AREA: u64 = 512;
/// RFLAGS bits a user program may change through sigreturn (CF, PF, AF,
/// ZF, SF, TF, DF, OF, RF, AC): never IF or IOPL.
const USER_FLAGS: u64 = 0x0005_0dd5;
const USER_END: u64 = 0x0000_8000_0000_0000;

pub fn siginfo_bytes(info: &SignalInfo) -> [u8; 128] {
    siginfo_of(info).to_bytes()
}

/// The `siginfo_t` Linux would give for `info`.
pub fn siginfo_of(info: &SignalInfo) -> Siginfo {
    let signo = info.signal.number();
    match info.cause {
        SignalCause::User { pid, uid } => Siginfo::kill(signo, SI_USER, pid as i32, uid),
        SignalCause::UserThread { pid, uid } => Siginfo::kill(signo, SI_TKILL, pid as i32, uid),
        SignalCause::Queued { pid, uid, value } => Siginfo::queue(signo, pid as i32, uid, value),
        SignalCause::MessageQueue { pid, uid, value } => {
            Siginfo { code: SI_MESGQ, ..Siginfo::queue(signo, pid as i32, uid, value) }
        }
        SignalCause::Timer { id, overrun, value } => Siginfo::timer(signo, id as i32, overrun as i32, value),
        SignalCause::Kernel => Siginfo::kill(signo, SI_KERNEL, 0, 0),
        SignalCause::Child { pid, uid, status } => {
            let (code, st) = match status {
                kernel_ops::ChildStatus::Exited(c) => (CLD_EXITED, i32::from(c)),
                kernel_ops::ChildStatus::Signaled { signal, core_dumped } => {
                    (if core_dumped { CLD_DUMPED } else { CLD_KILLED }, signal.number() as i32)
                }
                kernel_ops::ChildStatus::Stopped(s) => (CLD_STOPPED, s.number() as i32),
                kernel_ops::ChildStatus::Continued => (CLD_CONTINUED, 18),
                kernel_ops::ChildStatus::Traced { signal, .. } => (CLD_TRAPPED, signal.number() as i32),
            };
            Siginfo::child(code, pid as i32, uid, st, 0, 0)
        }
        SignalCause::Trace { syscall, event } => {
            Siginfo::kill(signo, linux_abi::ptrace::trap_code(syscall, crate::sys::ptrace::event_code(event)), 0, 0)
        }
        // int3: Linux sends a plain kernel SIGTRAP (SI_KERNEL, no address);
        // debuggers tell a breakpoint from a single step by this code.
        SignalCause::Fault { reason: FaultReason::Breakpoint, .. } => Siginfo::kill(signo, SI_KERNEL, 0, 0),
        SignalCause::Fault { address, reason } => {
            let code = match reason {
                FaultReason::Unmapped => SEGV_MAPERR,
                FaultReason::Protection => SEGV_ACCERR,
                FaultReason::IntegerDivide => FPE_INTDIV,
                FaultReason::FloatingPoint => FPE_FLTINV,
                FaultReason::IllegalInstruction => ILL_ILLOPN,
                FaultReason::Breakpoint => SI_KERNEL,
                FaultReason::SingleStep => TRAP_TRACE,
                FaultReason::HardwareBreakpoint => TRAP_HWBKPT,
                FaultReason::BusObjectError | FaultReason::OutOfMemory => BUS_ADRERR,
            };
            Siginfo::fault(signo, code, address)
        }
    }
}

fn sigcontext_of(r: &Regs, mask: u64, fpstate: u64) -> Sigcontext {
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
    let regs = ops.regs().clone();
    let mask = ops.signal_mask(MaskHow::Block, None);
    let alt = ops.alt_stack(None)?;
    let on_alt = ops.on_alt_stack();
    let mut sp = regs.rsp;
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
    let r = ops.regs();
    r.rip = handler;
    r.rsp = frame;
    r.rdi = u64::from(info.signal.number());
    r.rsi = frame + RtSigframe::OFF_INFO as u64;
    r.rdx = frame + RtSigframe::OFF_UC as u64;
    r.rax = 0;
    r.rflags &= !((1 << 10) | (1 << 8)); // DF and TF clear in the handler
                                         // The handler starts with a clean FPU control state.
    let mut clean = [0u8; 512];
    clean[0..2].copy_from_slice(&0x037fu16.to_le_bytes());
    clean[24..28].copy_from_slice(&0x1f80u32.to_le_bytes());
    ops.set_fpu_state(&clean);
    Ok(())
}

pub fn sigreturn(ops: &mut dyn KernelOps) -> KResult<()> {
    // The handler's `ret` popped pretcode, so the frame starts 8 below rsp.
    let frame = ops.regs().rsp.wrapping_sub(8);
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
    ops.signal_mask(MaskHow::Set, Some(rt.uc.uc_sigmask.0));
    let r = ops.regs();
    let (cs, ss) = (r.cs, r.ss);
    *r = Regs {
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
        // No longer inside a system call: nothing to restart.
        vector: 0,
        error_code: 0,
    };
    Ok(())
}

/// A corrupt signal frame: like Linux, the process gets SIGSEGV.
fn kill_with_segv(ops: &mut dyn KernelOps) -> KResult<()> {
    let tid = ops.tid();
    let _ = ops.signal_action(kernel_ops::Signal::SEGV, Some(SignalAction::default()));
    ops.kill_thread(None, tid, Some(kernel_ops::Signal::SEGV))?;
    Ok(())
}
