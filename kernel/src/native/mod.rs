//! The native personality: Helctic's own system calls (`crates/abi`).
//!
//! A native program is an ELF carrying the Helctic note (`crates/binfmt`).
//! Its system calls come here straight from `task/syscall.rs`; each call
//! names kernel objects by slots in the task's capability table (`cap/`)
//! and validates every argument, so a task can reach only what it was
//! given. One file per group of calls: capabilities, memory, tasks and
//! threads, IPC, devices, files, and the rest.

mod arch;
mod boot;
mod caps;
mod device;
mod dispatch;
mod file;
mod ipc_calls;
mod memory;
mod misc;
mod net_calls;
mod task;
mod vfs_calls;

pub use boot::grant_boot_caps;
pub use device::{on_interrupt, record_ram};
pub use dispatch::{ipc_round_trip, syscall};
pub use task::{kill_service, on_exec, record_fault, spawn_service, task_ended, thread_ended, NativeTask};

use kernel_ops::UserContext;
use kernel_ops::{KResult, KernelOps, LoadedImage, Personality, SignalAction, SignalInfo};

pub struct Native;

pub static NATIVE: Native = Native;

impl Personality for Native {
    fn name(&self) -> &'static str {
        "native"
    }

    /// Native calls are routed before the personality is consulted
    /// (`task/syscall.rs`); nothing reaches this.
    fn syscall(&self, ops: &mut dyn KernelOps) {
        arch::set_result(ops.context(), abi::encode_result(Err(abi::Error::NoSuchCall)));
    }

    /// A native program starts with an aligned stack, its argument
    /// (set by whoever spawned it) and every other register zero.
    fn start_program(
        &self,
        ops: &mut dyn KernelOps,
        image: &LoadedImage,
        _argv: &[alloc::vec::Vec<u8>],
        _envp: &[alloc::vec::Vec<u8>],
    ) -> KResult<()> {
        let r = ops.context();
        r.set_sp(image.stack_top & !0xf);
        r.set_pc(image.entry);
        arch::set_start_argument(r, 0);
        Ok(())
    }

    /// Native tasks install no signal handlers: only kill reaches them, and
    /// that ends them before any delivery.
    fn deliver_signal(&self, _ops: &mut dyn KernelOps, _info: &SignalInfo, _action: &SignalAction) -> KResult<()> {
        Ok(())
    }

    fn restart_syscall(&self, _ops: &mut dyn KernelOps) {}

    fn may_need_restart(&self, _context: &UserContext) -> bool {
        false
    }

    /// Native programs are linked at fixed addresses; a position-
    /// independent one goes at the same base a Linux one would (nothing
    /// depends on it: the choice only keeps address layouts alike).
    fn program_base(&self) -> u64 {
        0x5555_5555_4000
    }

    /// A native program may be a server the VFS itself waits on (the
    /// ext2 server): its code must never fault into the VFS.
    fn loads_whole_image(&self) -> bool {
        true
    }

    /// Never asked: a native task's fault ends it (its supervisor learns why).
    fn fault_signal(&self, _reason: kernel_ops::FaultReason) -> kernel_ops::Signal {
        kernel_ops::Signal::KILL
    }

    /// Native tasks start threads with `thread_create`, never fork.
    fn start_child(&self, _context: &mut UserContext) {}

    /// Native threads are started by the native ABI's own call; a start
    /// the core is given puts the argument where native entry points take it.
    fn start_thread(&self, context: &mut UserContext, start: kernel_ops::ThreadStart) {
        context.set_pc(start.pc);
        arch::set_start_argument(context, start.argument);
    }

    /// Native tasks cannot be traced.
    fn traced_call(&self, context: &UserContext) -> kernel_ops::TracedSyscall {
        kernel_ops::TracedSyscall { nr: context.system_call_number().unwrap_or(u64::MAX), args: [0; 6], result: 0 }
    }

    fn enter_traced_call(&self, _context: &mut UserContext) {}

    fn resume_traced_call(&self, _context: &mut UserContext) -> bool {
        true
    }
}

/// Sets the registers an IPC call returns a message in.
fn return_message(frame: &mut UserContext, m: &crate::ipc::Delivered) {
    arch::set_message(frame, m.badge, m.info.0, m.words);
}
