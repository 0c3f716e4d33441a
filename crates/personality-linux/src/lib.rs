//! The Linux personality: decodes x86_64 Linux system calls, translates
//! their arguments and structures, and calls the core through `KernelOps`.
//!
//! The syscall table in [`table`] is the single source of truth for which
//! calls exist, what handles them and how complete each is; the coverage
//! document `docs/linux-syscalls.md` is generated from it.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

mod cmsg;
mod debug_registers;
pub mod docs;
mod errno;
mod frame;
pub mod kconfig;
pub mod missing;
mod records;
pub mod signatures;
mod start;
mod sys;
pub mod table;
pub mod trace;
mod util;
mod xstate;

pub use errno::errno_of;
/// Linux's number for a scheduling policy (/proc/<pid>/stat's policy).
pub use sys::sched::raw_policy as policy_number;

use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel_ops::{Error, KResult, KernelOps, LoadedImage, Personality, SignalAction, SignalInfo};

/// What `uname -r` says: we present ourselves as a recent Linux so libcs
/// enable the features we implement.
pub const RELEASE: &str = "6.1.0-helctic";

/// The highest capability number (/proc/sys/kernel/cap_last_cap, the
/// capability masks in /proc/<pid>/status).
pub const CAP_LAST_CAP: u32 = linux_abi::capability::CAP_LAST_CAP;

/// The value a syscall interrupted by a signal leaves in rax until signal
/// delivery decides between restarting it and EINTR (Linux's -ERESTARTSYS).
const RESTART_MARKER: u64 = (-512i64) as u64;

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
        // execve's success leaves the new program's registers: rax 0.
        let result = ops.regs().rax;
        trace::describe_result(&mut line, name, result);
        ops.log_syscall(&line);
    }
}

impl Personality for Linux {
    fn name(&self) -> &'static str {
        "linux"
    }

    fn syscall(&self, ops: &mut dyn KernelOps) {
        let r = ops.regs();
        let nr = r.rax;
        let args = [r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9];
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
        let r = ops.regs();
        if r.vector == 0x100 && r.rax == RESTART_MARKER {
            if action.flags.restart {
                r.rax = r.error_code;
                r.rip -= 2;
            } else {
                r.rax = errno::encode(Error::Interrupted);
            }
        }
        frame::deliver(ops, info, action)
    }

    fn may_need_restart(&self, regs: &kernel_ops::Regs) -> bool {
        regs.vector == 0x100 && regs.rax == RESTART_MARKER
    }

    fn restart_syscall(&self, ops: &mut dyn KernelOps) {
        let r = ops.regs();
        if r.vector == 0x100 && r.rax == RESTART_MARKER {
            r.rax = r.error_code;
            r.rip -= 2;
        }
    }
}

/// Runs the call `entry` names (or answers ENOSYS) and sets the result.
fn dispatch(ops: &mut dyn KernelOps, nr: u64, args: [u64; 6], entry: Option<&'static table::Entry>) {
    let Some((handler, keeps_registers)) = entry.and_then(|e| e.handler.map(|h| (h, e.keeps_registers))) else {
        if first_report(nr) {
            let name = linux_abi::syscall_names::syscall_name(nr as u32).unwrap_or("unknown");
            ops.log_unsupported(format_args!("linux: unsupported syscall {nr} ({name})"));
        }
        ops.regs().rax = errno::encode(Error::NotImplemented);
        return;
    };
    match handler(ops, args) {
        Ok(v) if keeps_registers => {
            let _ = v;
        }
        Ok(v) => ops.regs().rax = v,
        Err(Error::Restart) => ops.regs().rax = RESTART_MARKER,
        Err(e) => ops.regs().rax = errno::encode(e),
    }
}
