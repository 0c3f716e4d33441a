//! Tasks: spawning, killing, waiting, exiting.

use super::{addr, check, kernel_wrote, unit, Error, SpawnSpec, Syscall, TaskStatus};
use crate::syscall::{syscall0, syscall1, syscall2, syscall3};

/// Starts a task running the native ELF `image` (a File capability) as
/// `spec` describes. Returns the slot of its Task capability.
pub fn task_spawn(image: u64, spec: &SpawnSpec) -> Result<u64, Error> {
    let bytes = spec.encode();
    check(syscall2(Syscall::TaskSpawn.nr(), image, addr(bytes.as_ptr())))
}

/// Ends a task.
pub fn task_kill(task: u64) -> Result<(), Error> {
    unit(syscall1(Syscall::TaskKill.nr(), task))
}

/// Waits up to `timeout` ns (0 polls, `abi::FOREVER` waits) for a task to
/// end and says how it ended.
pub fn task_wait(task: u64, timeout: u64) -> Result<TaskStatus, Error> {
    let mut out = [0u8; TaskStatus::SIZE];
    check(syscall3(Syscall::TaskWait.nr(), task, timeout, addr(out.as_mut_ptr())))?;
    Ok(kernel_wrote(TaskStatus::decode(&out), "TaskStatus"))
}

/// Ends the calling task and all its threads.
pub fn task_exit(code: i32) -> ! {
    loop {
        // Returns only if the kernel refused, which it must not; asking
        // again (after letting others run) is all that is left to do.
        syscall1(Syscall::TaskExit.nr(), i64::from(code) as u64);
        syscall0(Syscall::Yield.nr());
    }
}
