//! The system-call path: from the arch entry to the calling process's
//! personality and back, with signal delivery on the way out.

use super::core_ops::CoreOps;
use super::ptrace;
use crate::sched;
use kernel_ops::UserContext;

pub fn handle(frame: &mut UserContext) {
    let t = sched::current();
    if t.process().is_native() {
        crate::native::syscall(&t, frame);
        drop(t);
        super::signal::return_to_user(frame);
        return;
    }
    let personality = t.process().personality();
    // A tracer that asked for syscall stops sees the call before and after
    // (and may change or skip it in between).
    let run = !ptrace::wants_syscall_stops(&t) || ptrace::syscall_entry(&t, frame);
    if run {
        let mut ops = CoreOps::new(t.clone(), frame);
        personality.syscall(&mut ops);
    }
    if ptrace::wants_syscall_stops(&t) && !t.is_exiting() {
        ptrace::syscall_exit(&t, frame);
    }
    drop(t);
    super::signal::return_to_user(frame);
}
