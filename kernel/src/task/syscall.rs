//! The system-call path: from the arch entry to the calling process's
//! personality and back, with signal delivery on the way out.

use super::core_ops::CoreOps;
use crate::arch::trap_entry::TrapFrame;
use crate::sched;

pub fn handle(frame: &mut TrapFrame) {
    let t = sched::current();
    if t.process().is_native() {
        crate::native::syscall(&t, frame);
        drop(t);
        super::signal::return_to_user(frame);
        return;
    }
    let personality = t.process().personality();
    {
        let mut ops = CoreOps::new(t.clone(), frame);
        personality.syscall(&mut ops);
    }
    drop(t);
    super::signal::return_to_user(frame);
}
