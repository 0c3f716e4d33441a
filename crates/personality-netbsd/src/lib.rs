//! Helctic's NetBSD personality: NetBSD's amd64 system calls translated
//! onto the core's `KernelOps` (see ARCHITECTURE.md, "Processes and
//! personalities", and docs/porting.md, "Adding a personality").
//!
//! What differs from Linux, and lives here: the call numbers
//! (`table`), errors as positive errno values with the carry flag set and
//! arguments past the sixth on the user stack (`arch::syscall_abi`,
//! `errno`), the initial stack with the stack pointer at argc, a register
//! holding the address of a `struct ps_strings` and NetBSD's 16-byte
//! auxiliary vector (`start`; the registers in `arch::syscall_abi`).
//!
//! Work in progress (issue 16): what Go's runtime needs of LWPs
//! (`sys::lwp`, on the core's park/unpark and `clone_task_from`), signals
//! (`sys::signal`, `sys::context`, `arch::signal_frame`,
//! `arch::ucontext`), memory, clocks and kqueue is in; a call not in the
//! table fails with ENOSYS and one log line.
//!
//! Code that reads like the FreeBSD personality's (`arch::syscall_abi`,
//! `sys::kqueue`, the timespec and signal-set helpers, `docs`) is a
//! deliberate copy: each differs in the numbers and layouts it carries
//! (NetBSD's struct kevent, filters, clock ids, sigaction, stack
//! arguments), and a shared crate would take all of them as parameters.

#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

mod arch;
mod auxv;
pub mod docs;
pub mod errno;
mod siginfo;
mod signals;
mod start;
mod sys;
pub mod syscall_names;
pub mod table;

use alloc::vec::Vec;
use arch::syscall_abi;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::{Error, KResult, KernelOps, LoadedImage, Personality, SignalAction, SignalInfo, UserContext};

pub struct NetBsd;

pub static NETBSD: NetBsd = NetBsd;

/// Calls already reported as unsupported (one log line each), by number
/// (NetBSD numbers its calls below 512: SYS_NSYSENT).
static REPORTED: [AtomicU64; 8] = [const { AtomicU64::new(0) }; 8];

fn first_report(nr: u64) -> bool {
    let Some(word) = REPORTED.get((nr / 64) as usize) else { return true };
    word.fetch_or(1 << (nr % 64), Ordering::Relaxed) & (1 << (nr % 64)) == 0
}

fn dispatch(ops: &mut dyn KernelOps, nr: u64, args: [u64; 6]) {
    let Some(entry) = table::lookup(nr) else {
        if first_report(nr) {
            let name = u32::try_from(nr).ok().and_then(syscall_names::name).unwrap_or("unknown");
            ops.log_unsupported(format_args!("netbsd: unsupported syscall {nr} ({name})"));
        }
        syscall_abi::set_error(ops.context(), errno::ENOSYS);
        return;
    };
    match (entry.handler)(ops, args) {
        Ok(_) if entry.keeps_registers => {}
        Ok(v) => syscall_abi::set_success(ops.context(), v, None),
        Err(Error::Restart) => syscall_abi::set_interrupted(ops.context()),
        Err(e) => syscall_abi::set_error(ops.context(), errno::errno_of(e)),
    }
}

impl Personality for NetBsd {
    fn name(&self) -> &'static str {
        "netbsd"
    }

    fn syscall(&self, ops: &mut dyn KernelOps) {
        let (nr, args) = syscall_abi::call(ops.context());
        dispatch(ops, nr, args);
    }

    fn start_program(
        &self,
        ops: &mut dyn KernelOps,
        image: &LoadedImage,
        argv: &[Vec<u8>],
        envp: &[Vec<u8>],
    ) -> KResult<()> {
        start::build(ops, image, argv, envp)
    }

    /// A handler runs on NetBSD's signal frame and returns through the
    /// program's trampoline; a call it interrupted starts again after it
    /// (SA_RESTART) or fails with EINTR.
    fn deliver_signal(&self, ops: &mut dyn KernelOps, info: &SignalInfo, action: &SignalAction) -> KResult<()> {
        let c = ops.context();
        if syscall_abi::interrupted(c) {
            if action.flags.restart {
                syscall_abi::restart(c);
            } else {
                syscall_abi::set_error(c, errno::errno_of(Error::Interrupted));
            }
        }
        arch::signal_frame::deliver(ops, info, action)
    }

    fn may_need_restart(&self, context: &UserContext) -> bool {
        syscall_abi::interrupted(context)
    }

    fn restart_syscall(&self, ops: &mut dyn KernelOps) {
        let c = ops.context();
        if syscall_abi::interrupted(c) {
            syscall_abi::restart(c);
        }
    }

    fn program_base(&self) -> u64 {
        arch::PROGRAM_BASE
    }

    fn fault_signal(&self, reason: kernel_ops::FaultReason) -> kernel_ops::Signal {
        use kernel_ops::{FaultReason::*, Signal};
        match reason {
            // NetBSD's trap() raises SIGSEGV for every page fault it
            // cannot resolve, with SEGV_MAPERR or SEGV_ACCERR as its code.
            Unmapped | Protection => Signal::SEGV,
            IntegerDivide | FloatingPoint => Signal::FPE,
            IllegalInstruction => Signal::ILL,
            Breakpoint | SingleStep | HardwareBreakpoint => Signal::TRAP,
            BusObjectError => Signal::BUS,
            OutOfMemory => Signal::KILL,
        }
    }

    fn start_child(&self, context: &mut UserContext) {
        syscall_abi::set_child(context);
    }

    /// NetBSD names no thread function (its _lwp_create starts an LWP
    /// from a whole ucontext); a start the core asks for anyway gets its
    /// argument where a function's first argument goes.
    fn start_thread(&self, context: &mut UserContext, start: kernel_ops::ThreadStart) {
        context.set_pc(start.pc);
        syscall_abi::set_start_argument(context, start.argument);
    }

    fn traced_call(&self, context: &UserContext) -> kernel_ops::TracedSyscall {
        let (_, args) = syscall_abi::call(context);
        let nr = context.system_call_number().unwrap_or(u64::MAX);
        kernel_ops::TracedSyscall { nr, args, result: syscall_abi::result(context) }
    }

    /// A call a tracer skips returns ENOSYS unless the tracer says otherwise.
    fn enter_traced_call(&self, context: &mut UserContext) {
        syscall_abi::set_error(context, errno::ENOSYS);
    }

    fn resume_traced_call(&self, context: &mut UserContext) -> bool {
        match context.system_call_number() {
            Some(nr) if nr != u64::MAX => {
                syscall_abi::set_number(context, nr);
                true
            }
            _ => false,
        }
    }
}
