//! getcontext and setcontext (sys/kern/sys_sig.c, kern_sig.c
//! `getucontext`/`setucontext`): a thread's whole user context as a
//! `ucontext_t` (`arch::ucontext`). setcontext is also how a signal
//! handler returns: the program's trampoline calls it with the frame's
//! ucontext, which the handler may have changed (Go's asynchronous
//! preemption moves the program counter there).

use crate::arch::ucontext::{self, Recorded, UCONTEXT_BYTES, UC_CPU, UC_FPU, UC_SIGMASK, UC_STACK, UC_TLSBASE};
use crate::signals::{set_from_core, set_to_core};
use kernel_ops::{Error, KResult, KernelOps, MaskHow};

const SS_ONSTACK: u32 = 0x1;

/// getcontext(ucp): the registers as the call entered (the call number
/// in the result register, as NetBSD's trap frame has it), the mask, the
/// alternate stack when on it, the FS base and the FPU.
pub fn getcontext(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let regs = ops.context().clone();
    let mask = set_from_core(ops.signal_mask(MaskHow::Block, None));
    // uc_stack: the alternate stack when on it, else NetBSD's main stack
    // (p_stackbase and its size), which the core does not tell: zero.
    let stack = if ops.on_alt_stack() {
        let s = ops.alt_stack(None)?;
        (s.base, s.size, SS_ONSTACK)
    } else {
        (0, 0, 0)
    };
    let fpu = ops.fpu_state();
    let tls_base = ops.thread_pointer();
    let uc = ucontext::record(&regs, &Recorded { flags: UC_SIGMASK | UC_STACK, mask, stack, tls_base, fpu: &fpu });
    ops.copy_out(a[0], &uc).map(|_| 0)
}

/// setcontext(ucp): EINVAL without _UC_CPU or with registers NetBSD
/// refuses; otherwise the mask (_UC_SIGMASK), registers, FPU (_UC_FPU)
/// and FS base (_UC_TLSBASE) are the context's and the call returns to
/// the context's program counter (EJUSTRETURN: the table keeps the
/// registers). uc_link is not kept (no thread returns through it here),
/// and whether the thread is on its alternate stack follows from its
/// stack pointer, so _UC_STACK, _UC_SETSTACK and _UC_CLRSTACK need
/// nothing done.
pub fn setcontext(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mut uc = [0u8; UCONTEXT_BYTES];
    ops.copy_in(a[0], &mut uc)?;
    let c = ucontext::read(&uc);
    if c.flags & UC_CPU == 0 {
        return Err(Error::InvalidArgument);
    }
    ucontext::validate(&c, ucontext::flags_of(ops.context()))?;
    if c.flags & UC_TLSBASE != 0 {
        ops.set_thread_pointer(c.tls_base)?;
    }
    if c.flags & UC_SIGMASK != 0 {
        ops.signal_mask(MaskHow::Set, Some(set_to_core(c.mask)));
    }
    if c.flags & UC_FPU != 0 {
        ops.set_fpu_state(&c.fpu);
    }
    let r = ops.context();
    ucontext::load(r, &c);
    // No longer inside a system call: nothing to restart.
    r.leave_system_call();
    Ok(0)
}
