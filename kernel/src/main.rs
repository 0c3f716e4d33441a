//! Helctic: a capability-secure microkernel that runs other operating
//! systems' programs through in-kernel personalities.
//!
//! This crate is the kernel binary. Architecture code lives in `arch/` (the
//! only place that knows registers, and nearly the only place allowed
//! `unsafe`); pure logic lives in host-tested crates under `crates/`.
#![no_std]
#![no_main]
#![deny(unsafe_op_in_unsafe_fn)]

extern crate alloc;

#[macro_use]
mod console;
#[macro_use]
mod log;

mod arch;
mod boot;
mod console_input;
mod mm;
mod panic;
mod sync;
mod time;

#[cfg(feature = "ktest")]
mod ktest;

use boot::BootInfo;

/// The architecture-neutral half of boot. The arch entry code has set up the
/// CPU (descriptor tables, exceptions, per-CPU state) and the clock, and hands
/// over what the boot loader told it.
pub fn kmain(boot: &BootInfo) -> ! {
    if let Some(level) = boot.cmdline().get("loglevel").and_then(log::Level::parse) {
        log::set_max_level(level);
    }
    info!("Helctic {} ({}), command line {:?}", env!("CARGO_PKG_VERSION"), arch::NAME, boot.cmdline().as_str());
    mm::init(boot);
    arch::platform::init(boot);
    arch::cpu::enable_interrupts();

    let now = time::now_ns();
    let entry = time::tsc_to_ns(boot.entry_tsc);
    info!(
        "boot: kernel ready {}.{:03} ms after kernel entry, {}.{:03} ms after machine start",
        (now - entry) / 1_000_000,
        (now - entry) / 1000 % 1000,
        now / 1_000_000,
        now / 1000 % 1000
    );

    #[cfg(feature = "ktest")]
    ktest::run(boot);

    if boot.cmdline().has("shutdown") {
        info!("shutdown requested on the command line");
        arch::cpu::exit_machine(arch::cpu::ExitStatus::Success);
    }
    idle()
}

/// Nothing to run yet (user space arrives with the Linux personality): echo
/// what is typed on the console so the input path can be tried by hand.
fn idle() -> ! {
    println!("Helctic has no user space yet; typed characters are echoed. Quit QEMU with Ctrl-A X.");
    loop {
        while let Some(b) = console_input::read_byte() {
            match b {
                b'\r' => println!(),
                0x7f | 0x08 => print!("\x08 \x08"),
                _ => print!("{}", b as char),
            }
        }
        arch::cpu::wait_for_interrupt();
    }
}
