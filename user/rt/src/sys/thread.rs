//! Threads of the calling task.

use super::{addr, check, kernel_wrote, Error, Syscall, TaskStatus};
use crate::syscall::{syscall0, syscall1, syscall3};

/// Starts a thread of the calling task at `entry` with stack pointer
/// `stack` (16-byte aligned) and `rdi` = `arg`. Returns the slot of its
/// Thread capability. [`crate::thread::spawn`] is the safe form.
///
/// # Safety
///
/// `entry` must be code that runs correctly from that state, and the stack
/// below `stack` must be mapped, writable and used by nothing else for as
/// long as the thread runs.
pub unsafe fn thread_create(entry: u64, stack: u64, arg: u64) -> Result<u64, Error> {
    check(syscall3(Syscall::ThreadCreate.nr(), entry, stack, arg))
}

/// Ends the calling thread; the last thread's exit ends the task.
pub fn thread_exit(code: i32) -> ! {
    loop {
        // As in `task_exit`: returns only if the kernel misbehaves.
        syscall1(Syscall::ThreadExit.nr(), i64::from(code) as u64);
        syscall0(Syscall::Yield.nr());
    }
}

/// Waits up to `timeout` ns for a thread to end and says how it ended.
pub fn thread_wait(thread: u64, timeout: u64) -> Result<TaskStatus, Error> {
    let mut out = [0u8; TaskStatus::SIZE];
    check(syscall3(Syscall::ThreadWait.nr(), thread, timeout, addr(out.as_mut_ptr())))?;
    Ok(kernel_wrote(TaskStatus::decode(&out), "TaskStatus"))
}
