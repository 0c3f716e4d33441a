//! ptrace(2): a tracer's requests, translated to the core's tracing
//! operations; the register and siginfo layouts are Linux's.

use crate::util::{read_u64, write_u64};
use kernel_ops::{
    Error, KResult, KernelOps, Regs, Signal, SignalCause, SignalInfo, TraceOptions, TraceResume, TraceStop,
    TraceeChange, TraceeState,
};
use linux_abi::ptrace::*;
use linux_abi::sigframe::{LINUX_USER_CS, LINUX_USER_DS};

/// RFLAGS bits a tracer may change (CF, PF, AF, ZF, SF, TF, DF, OF, RF,
/// AC): never IF or IOPL, as for sigreturn.
const USER_FLAGS: u64 = 0x0005_0dd5;
/// Regs::vector of a thread that entered the kernel by `syscall`.
const SYSCALL_VECTOR: u64 = 0x100;

pub fn options_of(bits: u64) -> KResult<TraceOptions> {
    if !options_valid(bits) {
        return Err(Error::InvalidArgument);
    }
    Ok(TraceOptions {
        syscall_good: bits & PTRACE_O_TRACESYSGOOD != 0,
        fork: bits & PTRACE_O_TRACEFORK != 0,
        vfork: bits & PTRACE_O_TRACEVFORK != 0,
        clone: bits & PTRACE_O_TRACECLONE != 0,
        exec: bits & PTRACE_O_TRACEEXEC != 0,
        vfork_done: bits & PTRACE_O_TRACEVFORKDONE != 0,
        exit: bits & PTRACE_O_TRACEEXIT != 0,
        exit_kill: bits & PTRACE_O_EXITKILL != 0,
    })
}

/// The registers as `struct user_regs_struct`: orig_rax is the system
/// call number when the thread is in one, else -1.
pub fn user_regs_of(r: &Regs, fs_base: u64) -> UserRegs {
    UserRegs {
        r15: r.r15,
        r14: r.r14,
        r13: r.r13,
        r12: r.r12,
        rbp: r.rbp,
        rbx: r.rbx,
        r11: r.r11,
        r10: r.r10,
        r9: r.r9,
        r8: r.r8,
        rax: r.rax,
        rcx: r.rcx,
        rdx: r.rdx,
        rsi: r.rsi,
        rdi: r.rdi,
        orig_rax: if r.vector == SYSCALL_VECTOR { r.error_code } else { u64::MAX },
        rip: r.rip,
        // Linux's selectors, whatever the core's GDT uses: gdb tells a
        // 64-bit tracee by CS.
        cs: u64::from(LINUX_USER_CS),
        eflags: r.rflags,
        rsp: r.rsp,
        ss: u64::from(LINUX_USER_DS),
        fs_base,
        gs_base: 0,
        ds: 0,
        es: 0,
        fs: 0,
        gs: 0,
    }
}

/// `old` with what a tracer may change taken from `u`: the selectors and
/// the privileged flags stay the kernel's.
pub fn apply_user_regs(old: &Regs, u: &UserRegs) -> Regs {
    Regs {
        r15: u.r15,
        r14: u.r14,
        r13: u.r13,
        r12: u.r12,
        r11: u.r11,
        r10: u.r10,
        r9: u.r9,
        r8: u.r8,
        rbp: u.rbp,
        rdi: u.rdi,
        rsi: u.rsi,
        rdx: u.rdx,
        rcx: u.rcx,
        rbx: u.rbx,
        rax: u.rax,
        vector: old.vector,
        error_code: if old.vector == SYSCALL_VECTOR { u.orig_rax } else { old.error_code },
        rip: u.rip,
        cs: old.cs,
        rflags: (old.rflags & !USER_FLAGS) | (u.eflags & USER_FLAGS),
        rsp: u.rsp,
        ss: old.ss,
    }
}

/// The SIGTRAP siginfo a syscall or event stop reports, or the signal's.
pub fn stop_siginfo(state: &TraceeState) -> [u8; 128] {
    crate::frame::siginfo_bytes(&state.siginfo)
}

/// Linux's number for an event (0: none).
pub fn event_code(event: Option<kernel_ops::TraceEvent>) -> u32 {
    use kernel_ops::TraceEvent::*;
    match event {
        None => 0,
        Some(Fork) => PTRACE_EVENT_FORK,
        Some(Vfork) => PTRACE_EVENT_VFORK,
        Some(Clone) => PTRACE_EVENT_CLONE,
        Some(Exec) => PTRACE_EVENT_EXEC,
        Some(VforkDone) => PTRACE_EVENT_VFORK_DONE,
        Some(Exit) => PTRACE_EVENT_EXIT,
        Some(Stop) => PTRACE_EVENT_STOP,
    }
}

fn signal_arg(data: u64) -> KResult<Option<Signal>> {
    match data {
        0 => Ok(None),
        n => Signal::new(u32::try_from(n).map_err(|_| Error::Io)?).map(Some).ok_or(Error::Io),
    }
}

fn tid_arg(pid: u64) -> KResult<u32> {
    match pid as i32 {
        p if p > 0 => Ok(p as u32),
        _ => Err(Error::NoSuchProcess),
    }
}

pub fn ptrace(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (request, addr, data) = (a[0], a[2], a[3]);
    if request == PTRACE_TRACEME {
        return ops.trace_me().map(|_| 0);
    }
    let tid = tid_arg(a[1])?;
    match request {
        PTRACE_ATTACH => ops.trace_attach(tid, false, TraceOptions::default()).map(|_| 0),
        PTRACE_SEIZE => {
            if addr != 0 {
                return Err(Error::Io);
            }
            let options = options_of(data).map_err(|_| Error::Io)?;
            ops.trace_attach(tid, true, options).map(|_| 0)
        }
        PTRACE_INTERRUPT => ops.trace_interrupt(tid).map(|_| 0),
        PTRACE_LISTEN => ops.trace_listen(tid).map(|_| 0),
        PTRACE_KILL => ops.trace_kill(tid).map(|_| 0),
        PTRACE_CONT | PTRACE_SYSCALL | PTRACE_SINGLESTEP | PTRACE_DETACH => {
            let how = match request {
                PTRACE_CONT => TraceResume::Continue,
                PTRACE_SYSCALL => TraceResume::Syscall,
                PTRACE_SINGLESTEP => TraceResume::SingleStep,
                _ => TraceResume::Detach,
            };
            let signal = signal_arg(data)?;
            ops.trace_resume(tid, how, signal).map(|_| 0)
        }
        PTRACE_SETOPTIONS => {
            let options = options_of(data)?;
            ops.trace_set_options(tid, options).map(|_| 0)
        }
        PTRACE_PEEKTEXT | PTRACE_PEEKDATA => {
            let mut word = [0u8; 8];
            ops.trace_read(tid, addr, &mut word).map_err(memory_error)?;
            write_u64(ops, data, u64::from_le_bytes(word)).map(|_| 0)
        }
        PTRACE_POKETEXT | PTRACE_POKEDATA => {
            ops.trace_write(tid, addr, &data.to_le_bytes()).map_err(memory_error).map(|_| 0)
        }
        PTRACE_PEEKUSER => {
            let state = ops.trace_state(tid)?;
            let value = peek_user(&state, addr)?;
            write_u64(ops, data, value).map(|_| 0)
        }
        PTRACE_POKEUSER => poke_user(ops, tid, addr, data).map(|_| 0),
        PTRACE_GETREGS => {
            let state = ops.trace_state(tid)?;
            ops.copy_out(data, &user_regs_of(&state.regs, state.fs_base).to_bytes()).map(|_| 0)
        }
        PTRACE_SETREGS => {
            let state = ops.trace_state(tid)?;
            let mut raw = [0u8; UserRegs::SIZE];
            ops.copy_in(data, &mut raw)?;
            set_regs(ops, tid, &state, &raw).map(|_| 0)
        }
        PTRACE_GETFPREGS => {
            let state = ops.trace_state(tid)?;
            ops.copy_out(data, &state.fpu).map(|_| 0)
        }
        PTRACE_SETFPREGS => {
            ops.trace_state(tid)?;
            let mut fpu = [0u8; 512];
            ops.copy_in(data, &mut fpu)?;
            ops.trace_change(tid, &TraceeChange { fpu: Some(&fpu), ..Default::default() }).map(|_| 0)
        }
        PTRACE_GETREGSET | PTRACE_SETREGSET => regset(ops, tid, request == PTRACE_SETREGSET, addr, data).map(|_| 0),
        PTRACE_GETSIGINFO => {
            let state = ops.trace_state(tid)?;
            ops.copy_out(data, &stop_siginfo(&state)).map(|_| 0)
        }
        PTRACE_SETSIGINFO => {
            ops.trace_state(tid)?;
            let mut raw = [0u8; 128];
            ops.copy_in(data, &mut raw)?;
            let info = siginfo_from(&raw)?;
            ops.trace_change(tid, &TraceeChange { siginfo: Some(info), ..Default::default() }).map(|_| 0)
        }
        PTRACE_GETSIGMASK | PTRACE_SETSIGMASK => {
            // `addr` is the size of the set, as for rt_sigprocmask.
            if addr != 8 {
                return Err(Error::InvalidArgument);
            }
            let state = ops.trace_state(tid)?;
            if request == PTRACE_GETSIGMASK {
                return write_u64(ops, data, state.signal_mask).map(|_| 0);
            }
            let mask = read_u64(ops, data)?;
            ops.trace_change(tid, &TraceeChange { signal_mask: Some(mask), ..Default::default() }).map(|_| 0)
        }
        PTRACE_GETEVENTMSG => {
            let state = ops.trace_state(tid)?;
            write_u64(ops, data, state.event_message).map(|_| 0)
        }
        PTRACE_GET_SYSCALL_INFO => {
            let state = ops.trace_state(tid)?;
            let (bytes, len) = syscall_info(&state).to_bytes();
            let copy = (addr.min(len as u64)) as usize;
            ops.copy_out(data, &bytes[..copy])?;
            Ok(len as u64)
        }
        _ => {
            ops.log_unsupported(format_args!("linux: ptrace request {request:#x}"));
            Err(Error::Io)
        }
    }
}

/// A bad address in the tracee: EIO for PEEK/POKE, as Linux answers.
fn memory_error(e: Error) -> Error {
    match e {
        Error::Fault => Error::Io,
        e => e,
    }
}

pub fn syscall_info(state: &TraceeState) -> SyscallInfo {
    let mut info = SyscallInfo {
        op: PTRACE_SYSCALL_INFO_NONE,
        instruction_pointer: state.regs.rip,
        stack_pointer: state.regs.rsp,
        nr: 0,
        args: [0; 6],
        rval: 0,
        is_error: false,
    };
    if let Some(call) = state.syscall {
        match state.stop {
            TraceStop::SyscallEntry => {
                info.op = PTRACE_SYSCALL_INFO_ENTRY;
                info.nr = call.nr;
                info.args = call.args;
            }
            TraceStop::SyscallExit => {
                info.op = PTRACE_SYSCALL_INFO_EXIT;
                info.rval = call.result as i64;
                info.is_error = (call.result as i64) < 0 && (call.result as i64) >= -4095;
            }
            _ => {}
        }
    }
    info
}

fn peek_user(state: &TraceeState, offset: u64) -> KResult<u64> {
    let offset = user_offset(offset)?;
    if let Some(n) = debug_register(offset) {
        return Ok(crate::debug_registers::peek(&state.debug, n));
    }
    // The general registers; the rest of `struct user` (FPU copy, sizes)
    // reads as zero.
    Ok(user_regs_of(&state.regs, state.fs_base).word(offset).unwrap_or(0))
}

/// An offset into `struct user`: word-aligned and inside it, else EIO.
fn user_offset(offset: u64) -> KResult<usize> {
    match usize::try_from(offset) {
        Ok(o) if o.is_multiple_of(8) && o < USER_SIZE => Ok(o),
        _ => Err(Error::Io),
    }
}

/// Which of `u_debugreg[8]` the offset names.
fn debug_register(offset: usize) -> Option<usize> {
    offset.checked_sub(USER_DEBUGREG_OFFSET).map(|o| o / 8).filter(|n| *n < 8)
}

fn poke_user(ops: &mut dyn KernelOps, tid: u32, offset: u64, value: u64) -> KResult<()> {
    let state = ops.trace_state(tid)?;
    let offset = user_offset(offset)?;
    if let Some(n) = debug_register(offset) {
        let debug = crate::debug_registers::poke(&state.debug, n, value)?;
        return ops.trace_change(tid, &TraceeChange { debug: Some(debug), ..Default::default() });
    }
    let mut u = user_regs_of(&state.regs, state.fs_base);
    if !u.set_word(offset, value) {
        // The rest of `struct user` (sizes, the FPU copy) cannot be set.
        return Err(Error::Io);
    }
    let regs = apply_user_regs(&state.regs, &u);
    ops.trace_change(tid, &TraceeChange { regs: Some(&regs), fs_base: Some(u.fs_base), ..Default::default() })
}

fn set_regs(ops: &mut dyn KernelOps, tid: u32, state: &TraceeState, raw: &[u8]) -> KResult<()> {
    let u = UserRegs::from_bytes(raw).ok_or(Error::Io)?;
    let regs = apply_user_regs(&state.regs, &u);
    ops.trace_change(tid, &TraceeChange { regs: Some(&regs), fs_base: Some(u.fs_base), ..Default::default() })
}

/// PTRACE_GETREGSET/SETREGSET: `data` is a `struct iovec` whose length
/// is set to what was transferred.
fn regset(ops: &mut dyn KernelOps, tid: u32, set: bool, note: u64, iov: u64) -> KResult<()> {
    let state = ops.trace_state(tid)?;
    let len_at = iov.checked_add(8).ok_or(Error::Fault)?;
    let base = read_u64(ops, iov)?;
    let len = read_u64(ops, len_at)? as usize;
    let image: alloc::vec::Vec<u8> = match note {
        NT_PRSTATUS => user_regs_of(&state.regs, state.fs_base).to_bytes().to_vec(),
        NT_PRFPREG => state.fpu.to_vec(),
        NT_X86_XSTATE => crate::xstate::image(&state.fpu).to_vec(),
        _ => return Err(Error::InvalidArgument),
    };
    let n = len.min(image.len());
    if set && note == NT_X86_XSTATE && n != image.len() {
        return Err(Error::Fault); // Linux takes only the whole XSAVE area
    }
    if set {
        // Linux takes a short register set as the first part of the whole.
        let mut new = image.clone();
        ops.copy_in(base, &mut new[..n])?;
        match note {
            NT_PRSTATUS => set_regs(ops, tid, &state, &new)?,
            NT_X86_XSTATE => {
                let mut x = [0u8; crate::xstate::SIZE];
                x.copy_from_slice(&new);
                let fpu = crate::xstate::apply(&x, &state.fpu)?;
                ops.trace_change(tid, &TraceeChange { fpu: Some(&fpu), ..Default::default() })?;
            }
            _ => {
                let mut fpu = [0u8; 512];
                fpu.copy_from_slice(&new);
                ops.trace_change(tid, &TraceeChange { fpu: Some(&fpu), ..Default::default() })?;
            }
        }
    } else {
        ops.copy_out(base, &image[..n])?;
    }
    write_u64(ops, len_at, n as u64)
}

/// A siginfo a tracer hands in: its signal, and who it says sent it.
fn siginfo_from(raw: &[u8; 128]) -> KResult<SignalInfo> {
    use linux_abi::siginfo::{SigFields, Siginfo};
    let info = Siginfo::from_bytes(raw).ok_or(Error::Fault)?;
    let signal = Signal::new(info.signo).ok_or(Error::InvalidArgument)?;
    let cause = match info.fields {
        SigFields::Kill { pid, uid } if info.code <= 0 => SignalCause::User { pid: pid as u32, uid },
        SigFields::Rt { pid, uid, value } => SignalCause::Queued { pid: pid as u32, uid, value },
        _ => SignalCause::Kernel,
    };
    Ok(SignalInfo { signal, cause })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regs_round_trip_keeps_privileged_bits() {
        let old = Regs {
            rax: 1,
            vector: SYSCALL_VECTOR,
            error_code: 39,
            cs: 0x2b,
            ss: 0x23,
            rflags: 0x202,
            rip: 5,
            ..Default::default()
        };
        let mut u = user_regs_of(&old, 9);
        assert_eq!(u.orig_rax, 39);
        assert_eq!(u.fs_base, 9);
        u.cs = 0x8;
        u.eflags = 0x3000 | 0x100 | 0x1; // IOPL, TF, CF
        u.orig_rax = u64::MAX;
        u.rax = 7;
        let new = apply_user_regs(&old, &u);
        assert_eq!(new.cs, 0x2b);
        assert_eq!((user_regs_of(&old, 0).cs, user_regs_of(&old, 0).ss), (0x33, 0x2b), "Linux's selectors");
        assert_eq!(new.rflags, 0x202 | 0x100 | 0x1);
        assert_eq!(new.error_code, u64::MAX);
        assert_eq!(new.rax, 7);
        let fault = Regs { vector: 14, error_code: 6, ..old };
        assert_eq!(user_regs_of(&fault, 0).orig_rax, u64::MAX);
        assert_eq!(apply_user_regs(&fault, &u).error_code, 6);
    }

    #[test]
    fn option_bits() {
        let o = options_of(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_EXITKILL).unwrap();
        assert!(o.syscall_good && o.fork && o.exit_kill && !o.clone && !o.exec);
        assert_eq!(options_of(1 << 9), Err(Error::InvalidArgument));
    }
}
