//! Kernel panics: message, location, backtrace, then the machine stops with
//! a failure status (so the test harness sees it).

use crate::arch;
use core::sync::atomic::{AtomicBool, Ordering};

static PANICKING: AtomicBool = AtomicBool::new(false);

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    arch::cpu::disable_interrupts();
    if PANICKING.swap(true, Ordering::SeqCst) {
        crate::console::write_unlocked(format_args!("\n!!! panic while panicking\n"));
        arch::cpu::exit_machine(arch::cpu::ExitStatus::Failure);
    }
    crate::console::write_unlocked(format_args!(
        "\n!!! KERNEL PANIC on CPU {}: {}\n",
        arch::percpu::cpu_index(),
        info.message()
    ));
    if let Some(loc) = info.location() {
        crate::console::write_unlocked(format_args!("    at {}:{}:{}\n", loc.file(), loc.line(), loc.column()));
    }
    crate::console::write_unlocked(format_args!("backtrace:\n"));
    arch::backtrace::print_current();
    arch::cpu::exit_machine(arch::cpu::ExitStatus::Failure)
}
