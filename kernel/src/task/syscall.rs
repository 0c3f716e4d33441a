//! The system-call path: from the arch entry to the calling process's
//! personality and back, with signal delivery on the way out.

use super::core_ops::CoreOps;
use super::ptrace;
use crate::sched;
use kernel_ops::UserContext;

pub fn handle(frame: &mut UserContext) {
    let me = sched::current_ref();
    if me.process().is_native() {
        if crate::native::ipc_round_trip(me.arc(), frame) {
            super::signal::return_to_user_after_ipc(frame);
        } else {
            crate::native::syscall(me.arc(), frame);
            super::signal::return_to_user(frame);
        }
        return;
    }
    let personality = me.process().personality();
    if ptrace::wants_syscall_stops(&me) {
        // A tracer that asked for syscall stops sees the call before and
        // after (and may change or skip it in between).
        let t = me.to_arc();
        if ptrace::syscall_entry(&t, frame) {
            personality.syscall(&mut CoreOps::new(&t, frame));
        }
        if ptrace::wants_syscall_stops(&t) && !t.is_exiting() {
            ptrace::syscall_exit(&t, frame);
        }
    } else {
        personality.syscall(&mut CoreOps::new(me.arc(), frame));
        // Syscall stops asked for while the call ran (a tracer that
        // attached meanwhile) begin with its exit, as on Linux.
        if ptrace::wants_syscall_stops(&me) && !me.is_exiting() {
            ptrace::syscall_exit(&me.to_arc(), frame);
        }
    }
    super::signal::return_to_user(frame);
}
