//! Faults raised by user code: page faults that demand paging or
//! copy-on-write resolve, and everything else turned into a signal.
//!
//! The architecture decodes its exception into a [`UserFault`]
//! (`arch/*/exceptions.rs`); which signal a fault becomes is the
//! personality's rule ([`kernel_ops::Personality::fault_signal`]).

use crate::mm::Access;
use crate::sched;
use kernel_ops::{FaultReason, Signal, SignalCause, UserContext};

/// A fault in user mode, as the architecture reports it to the core.
#[derive(Debug, Clone, Copy)]
pub struct UserFault {
    pub kind: FaultKind,
    /// The architecture's own number for the exception (the native ABI
    /// reports it to a task's supervisor).
    pub trap_number: u8,
}

#[derive(Debug, Clone, Copy)]
pub enum FaultKind {
    /// An access memory management may resolve (demand paging, copy-on-write).
    Page { address: u64, access: Access },
    /// Anything else: why, and the address a signal reports.
    Other { reason: FaultReason, address: u64 },
}

/// Handles the fault, then returns towards user mode. Everything it holds
/// (threads, processes, address spaces) is dropped before that return: a
/// thread that dies there never comes back to drop them.
pub fn user_exception(frame: &mut UserContext, fault: UserFault) {
    handle(frame, fault);
    super::signal::return_to_user(frame);
}

fn handle(frame: &mut UserContext, fault: UserFault) {
    let t = sched::current();
    let (address, reason) = match fault.kind {
        FaultKind::Page { address, access } => match t.process().mm().handle_fault(address, access) {
            Ok(()) => return super::usage::fault_resolved(&t),
            Err(FaultReason::OutOfMemory) => {
                let p = t.process().clone();
                let exe = p.exe.lock().clone();
                crate::warn!(
                    "out of memory: killed pid {} ({}) at a page fault at {:#x}",
                    p.pid,
                    alloc::string::String::from_utf8_lossy(&exe),
                    address
                );
                super::signal::send_to_process(&p, Signal::KILL, SignalCause::Kernel);
                return;
            }
            Err(reason) => (address, reason),
        },
        FaultKind::Other { reason, address } => (address, reason),
    };
    if t.process().is_native() {
        crate::native::record_fault(&t, fault.trap_number, address, frame.pc());
        return;
    }
    let p = t.process().clone();
    let signal = p.personality().fault_signal(reason);
    crate::debug!(
        "pid {} tid {}: {:?} at {:#x} (pc {:#x}) -> signal {}",
        p.pid,
        t.tid,
        reason,
        address,
        frame.pc(),
        signal.number()
    );
    // A fault while the signal is blocked or ignored cannot be survived:
    // Linux resets the action to default so the process dies.
    let blocked = t.signals.lock().mask & signal.bit() != 0;
    let ignored = matches!(p.actions().lock()[signal.number() as usize - 1].handler, kernel_ops::SignalHandler::Ignore);
    if blocked || ignored {
        p.actions().lock()[signal.number() as usize - 1] = kernel_ops::SignalAction::default();
        t.signals.lock().mask &= !signal.bit();
    }
    super::signal::send_to_thread(&t, signal, SignalCause::Fault { address, reason });
}
