//! ptrace's x86_64 requests: the general registers as `struct
//! user_regs_struct` (GETREGS, SETREGS, PEEKUSER, POKEUSER and the
//! NT_PRSTATUS register set), the FXSAVE image (GETFPREGS, NT_PRFPREG) and
//! the XSAVE form (NT_X86_XSTATE).

use super::{debug_registers, xstate};
use crate::util::{read_u64, write_u64};
use kernel_ops::{Error, KResult, KernelOps, TraceeChange, TraceeState, UserContext, USER_FLAGS};
use linux_abi::arch::sigframe::{LINUX_USER_CS, LINUX_USER_DS};
use linux_abi::arch::user_regs::*;
use linux_abi::ptrace::*;

/// Handles the requests only x86_64 has; `Ok(None)` for any other.
pub fn request(ops: &mut dyn KernelOps, tid: u32, request: u64, addr: u64, data: u64) -> KResult<Option<u64>> {
    let result = match request {
        PTRACE_PEEKUSER => {
            let state = ops.trace_state(tid)?;
            let value = peek_user(&state, addr)?;
            write_u64(ops, data, value).map(|_| 0)
        }
        PTRACE_POKEUSER => poke_user(ops, tid, addr, data).map(|_| 0),
        PTRACE_GETREGS => {
            let state = ops.trace_state(tid)?;
            ops.copy_out(data, &user_regs_of(&state.context, state.thread_pointer).to_bytes()).map(|_| 0)
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
        _ => return Ok(None),
    };
    result.map(Some)
}

/// The registers as `struct user_regs_struct`: orig_rax is the system
/// call number when the thread is in one, else -1.
pub fn user_regs_of(r: &UserContext, fs_base: u64) -> UserRegs {
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
        orig_rax: r.system_call_number().unwrap_or(u64::MAX),
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
pub fn apply_user_regs(old: &UserContext, u: &UserRegs) -> UserContext {
    UserContext {
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
        error_code: if old.in_system_call() { u.orig_rax } else { old.error_code },
        rip: u.rip,
        cs: old.cs,
        rflags: (old.rflags & !USER_FLAGS) | (u.eflags & USER_FLAGS),
        rsp: u.rsp,
        ss: old.ss,
    }
}

fn peek_user(state: &TraceeState, offset: u64) -> KResult<u64> {
    let offset = user_offset(offset)?;
    if let Some(n) = debug_register(offset) {
        return Ok(debug_registers::peek(&state.debug, n));
    }
    // The general registers; the rest of `struct user` (FPU copy, sizes)
    // reads as zero.
    Ok(user_regs_of(&state.context, state.thread_pointer).word(offset).unwrap_or(0))
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
        let debug = debug_registers::poke(&state.debug, n, value)?;
        return ops.trace_change(tid, &TraceeChange { debug: Some(debug), ..Default::default() });
    }
    let mut u = user_regs_of(&state.context, state.thread_pointer);
    if !u.set_word(offset, value) {
        // The rest of `struct user` (sizes, the FPU copy) cannot be set.
        return Err(Error::Io);
    }
    let regs = apply_user_regs(&state.context, &u);
    ops.trace_change(tid, &TraceeChange { context: Some(&regs), thread_pointer: Some(u.fs_base), ..Default::default() })
}

fn set_regs(ops: &mut dyn KernelOps, tid: u32, state: &TraceeState, raw: &[u8]) -> KResult<()> {
    let u = UserRegs::from_bytes(raw).ok_or(Error::Io)?;
    let regs = apply_user_regs(&state.context, &u);
    ops.trace_change(tid, &TraceeChange { context: Some(&regs), thread_pointer: Some(u.fs_base), ..Default::default() })
}

/// PTRACE_GETREGSET/SETREGSET: `data` is a `struct iovec` whose length
/// is set to what was transferred.
fn regset(ops: &mut dyn KernelOps, tid: u32, set: bool, note: u64, iov: u64) -> KResult<()> {
    let state = ops.trace_state(tid)?;
    let len_at = iov.checked_add(8).ok_or(Error::Fault)?;
    let base = read_u64(ops, iov)?;
    let len = read_u64(ops, len_at)? as usize;
    let image: alloc::vec::Vec<u8> = match note {
        NT_PRSTATUS => user_regs_of(&state.context, state.thread_pointer).to_bytes().to_vec(),
        NT_PRFPREG => state.fpu.to_vec(),
        NT_X86_XSTATE => xstate::image(&state.fpu).to_vec(),
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
                let mut x = [0u8; xstate::SIZE];
                x.copy_from_slice(&new);
                let fpu = xstate::apply(&x, &state.fpu)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regs_round_trip_keeps_privileged_bits() {
        let old = UserContext {
            rax: 1,
            vector: kernel_ops::SYSCALL_ENTRY,
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
        let fault = UserContext { vector: 14, error_code: 6, ..old };
        assert_eq!(user_regs_of(&fault, 0).orig_rax, u64::MAX);
        assert_eq!(apply_user_regs(&fault, &u).error_code, 6);
    }
}
