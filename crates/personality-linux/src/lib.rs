//! The Linux personality: decodes Linux system calls, translates their
//! arguments and structures, and calls the core through `KernelOps`. What
//! differs between architectures (registers, signal frames, the debugger's
//! register set) is in [`arch`].
//!
//! The syscall table in [`table`] is the single source of truth for which
//! calls exist, what handles them and how complete each is; the coverage
//! document `docs/linux-syscalls.md` is generated from it.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

mod arch;
mod cmsg;
pub mod devices;
pub mod docs;
mod errno;
pub mod kconfig;
pub mod missing;
mod procfs;
mod records;
mod siginfo;
mod signals;
pub mod signatures;
mod start;
mod sys;
pub mod table;
mod termios;
pub mod trace;
mod util;

pub use errno::errno_of;
/// Linux's number for a scheduling policy (/proc/<pid>/stat's policy).
pub use sys::sched::raw_policy as policy_number;

use alloc::vec::Vec;
use arch::syscall_abi;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::{
    DevLink, DevNode, DeviceId, Error, KResult, KernelOps, LoadedImage, Personality, ProcFile, SignalAction,
    SignalInfo, UserContext,
};

/// What `uname -r` says: we present ourselves as a recent Linux so libcs
/// enable the features we implement.
pub const RELEASE: &str = "6.1.0-helctic";

/// The highest capability number (/proc/sys/kernel/cap_last_cap, the
/// capability masks in /proc/<pid>/status).
pub const CAP_LAST_CAP: u32 = linux_abi::capability::CAP_LAST_CAP;

pub struct Linux;

pub static LINUX: Linux = Linux;

/// Which unsupported syscall numbers have been reported (one log line each).
static REPORTED: [AtomicU64; 8] = [const { AtomicU64::new(0) }; 8];

fn first_report(nr: u64) -> bool {
    let Some(word) = REPORTED.get((nr / 64) as usize) else { return true };
    word.fetch_or(1 << (nr % 64), Ordering::Relaxed) & (1 << (nr % 64)) == 0
}

impl Linux {
    /// `syscall` with a log line for the call (`trace`): described before
    /// it runs, printed with its result after (before, for calls that do
    /// not return).
    #[cold]
    fn syscall_logged(&self, ops: &mut dyn KernelOps, nr: u64, args: [u64; 6], entry: Option<&'static table::Entry>) {
        let name =
            entry.map(|e| e.name).or_else(|| linux_abi::syscall_names::syscall_name(nr as u32)).unwrap_or("unknown");
        let mut line = trace::describe_call(ops, name, &args);
        if matches!(name, "exit" | "exit_group") {
            line.push_str(" = ?");
            ops.log_syscall(&line);
        }
        dispatch(ops, nr, args, entry);
        if matches!(name, "exit" | "exit_group") {
            return;
        }
        // execve's success leaves the new program's registers: result 0.
        let result = syscall_abi::result(ops.context());
        trace::describe_result(&mut line, name, result);
        ops.log_syscall(&line);
    }
}

impl Personality for Linux {
    fn name(&self) -> &'static str {
        "linux"
    }

    fn syscall(&self, ops: &mut dyn KernelOps) {
        let (nr, args) = syscall_abi::call(ops.context());
        let entry = table::lookup(nr);
        if trace::enabled() {
            return self.syscall_logged(ops, nr, args, entry);
        }
        dispatch(ops, nr, args, entry);
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

    fn deliver_signal(&self, ops: &mut dyn KernelOps, info: &SignalInfo, action: &SignalAction) -> KResult<()> {
        let c = ops.context();
        if syscall_abi::interrupted(c) {
            if action.flags.restart {
                syscall_abi::restart(c);
            } else {
                syscall_abi::set_result(c, errno::encode(Error::Interrupted));
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

    fn maps_vdso(&self) -> bool {
        true
    }

    /// What Linux's init gets from the kernel (plus TERM for the console).
    fn initial_environment(&self) -> &'static [&'static str] {
        &["HOME=/", "TERM=linux", "PATH=/sbin:/usr/sbin:/bin:/usr/bin"]
    }

    fn fault_signal(&self, reason: kernel_ops::FaultReason) -> kernel_ops::Signal {
        use kernel_ops::{FaultReason::*, Signal};
        match reason {
            Unmapped | Protection => Signal::SEGV,
            IntegerDivide | FloatingPoint => Signal::FPE,
            IllegalInstruction => Signal::ILL,
            Breakpoint | SingleStep | HardwareBreakpoint => Signal::TRAP,
            BusObjectError => Signal::BUS,
            // Only reached if the core did not end the process itself.
            OutOfMemory => Signal::KILL,
        }
    }

    /// The child of fork or clone returns 0 from the call.
    fn start_child(&self, context: &mut UserContext) {
        syscall_abi::set_result(context, 0);
    }

    /// Linux's own calls never name a start; a thread the core starts at
    /// a function gets its argument as the C convention passes it.
    fn start_thread(&self, context: &mut UserContext, start: kernel_ops::ThreadStart) {
        context.set_pc(start.pc);
        syscall_abi::set_function_arguments(context, [start.argument, 0, 0]);
    }

    fn traced_call(&self, context: &UserContext) -> kernel_ops::TracedSyscall {
        let (_, args) = syscall_abi::call(context);
        let nr = context.system_call_number().unwrap_or(u64::MAX);
        kernel_ops::TracedSyscall { nr, args, result: syscall_abi::result(context) }
    }

    /// Linux shows -ENOSYS in the result register at a syscall-entry stop:
    /// a call the tracer skips returns it unless told otherwise.
    fn enter_traced_call(&self, context: &mut UserContext) {
        syscall_abi::set_result(context, errno::encode(Error::NotImplemented));
    }

    /// A tracer skips the call by setting its number to -1.
    fn resume_traced_call(&self, context: &mut UserContext) -> bool {
        match context.system_call_number() {
            Some(nr) if nr != u64::MAX => {
                let (_, args) = syscall_abi::call(context);
                syscall_abi::set_call(context, nr, args);
                true
            }
            _ => false,
        }
    }

    /// Linux's device numbers (`devices`): a node a Linux program made
    /// with mknod opens what it would open on Linux.
    fn device_at(&self, major: u32, minor: u32, block: bool) -> Option<DeviceId> {
        devices::device_at(major, minor, block)
    }

    fn device_number(&self, dev: DeviceId) -> Option<(u32, u32)> {
        devices::device_number(dev)
    }

    /// What Linux's devtmpfs holds at boot.
    fn dev_nodes(&self) -> &'static [DevNode] {
        &devices::DEV_NODES
    }

    fn dev_links(&self) -> &'static [DevLink] {
        &devices::DEV_LINKS
    }

    /// /proc is Linux's: its files' text is in `procfs`.
    fn render_proc(&self, file: ProcFile<'_>) -> Option<alloc::string::String> {
        Some(procfs::render(file))
    }
}

/// Runs the call `entry` names (or answers ENOSYS) and sets the result.
fn dispatch(ops: &mut dyn KernelOps, nr: u64, args: [u64; 6], entry: Option<&'static table::Entry>) {
    let Some((handler, keeps_registers)) = entry.and_then(|e| e.handler.map(|h| (h, e.keeps_registers))) else {
        if first_report(nr) {
            let name = linux_abi::syscall_names::syscall_name(nr as u32).unwrap_or("unknown");
            ops.log_unsupported(format_args!("linux: unsupported syscall {nr} ({name})"));
        }
        syscall_abi::set_result(ops.context(), errno::encode(Error::NotImplemented));
        return;
    };
    match handler(ops, args) {
        Ok(v) if keeps_registers => {
            let _ = v;
        }
        Ok(v) => syscall_abi::set_result(ops.context(), v),
        Err(Error::Restart) => syscall_abi::set_interrupted(ops.context()),
        Err(e) => syscall_abi::set_result(ops.context(), errno::encode(e)),
    }
}
