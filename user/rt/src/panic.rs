//! A panic prints its message and location and ends the whole task with
//! exit code 101 (Rust's exit code for a panicking program).

use core::panic::PanicInfo;

/// The exit code of a task that panicked.
pub const PANIC_EXIT_CODE: i32 = 101;

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    match info.location() {
        Some(at) => crate::print::print(
            format_args!("panicked at {}:{}:{}:\n{}", at.file(), at.line(), at.column(), info.message()),
            true,
        ),
        None => crate::print::print(format_args!("panicked:\n{}", info.message()), true),
    }
    crate::sys::task_exit(PANIC_EXIT_CODE)
}
