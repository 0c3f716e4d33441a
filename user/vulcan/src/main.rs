//! Vulcan, the native test suite.
//!
//! Native init starts this program twice (see `user/manifests/vulcan.manifest`):
//! as `vulcan` with argument 0, the suite, and as `crasher` with argument 1,
//! which must fault at once. The suite also spawns the same program with
//! other arguments as helper tasks (`roles.rs`): an echo server, an attacker
//! with no capabilities, tasks that fault or sleep, the ABI fuzzer. The low
//! 8 bits of the argument choose the role; some roles take a page-aligned
//! parameter in the rest.
//!
//! The suite prints one `VULCAN ok|FAIL <group>.<name>` line per check and a
//! `VULCAN-SUMMARY` line (`check.rs`); its exit code is 0 iff nothing failed,
//! and init powers the machine off with it.

#![no_std]
#![no_main]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

extern crate alloc;

mod caps;
mod check;
mod devices;
mod files;
mod fuzz;
mod ipc;
mod isolation;
mod memory;
mod misc;
mod notify;
mod roles;
mod serial;
mod tasks;

use rt::abi::Error;

rt::entry!(main);

fn main(arg: u64) -> i32 {
    roles::dispatch(arg)
}

/// The suite (role 0): every group in turn. `files` comes early because it
/// opens the program's own image, which every helper task is spawned from.
pub fn suite() -> i32 {
    check::note(format_args!("the native test suite starts"));
    caps::run();
    misc::run();
    files::run();
    memory::run();
    notify::run();
    ipc::run();
    tasks::run();
    devices::run();
    isolation::run();
    serial::run();
    fuzz::run_check();
    misc::still_alive("final");
    check::summary()
}

/// Addresses with a known meaning in every task running this program.
pub mod addr {
    /// The ELF headers at the start of the program: mapped read-only.
    pub const READ_ONLY: u64 = 0x40_0000;
    /// Never mapped by anything in this program.
    pub const UNMAPPED: u64 = 0x6fff_0000_0000;
    /// The start of the kernel half.
    pub const KERNEL: u64 = 0xffff_8000_0000_0000;
    /// Where the kernel's image is linked (upper 2 GiB).
    pub const KERNEL_IMAGE: u64 = 0xffff_ffff_8000_0000;
    /// The first non-canonical address above the user half.
    pub const NON_CANONICAL: u64 = 0x0000_8000_0000_0000;
    /// Test mappings of the suite go here, one 16 MiB window per test,
    /// clear of the program (0x400000), the runtime's heap
    /// (0x4000_0000_0000) and thread stacks (0x5000_0000_0000..0x6000_0000_0000)
    /// and the main stack (just below 0x7fff_ffff_f000).
    pub const WINDOWS: u64 = 0x6800_0000_0000;

    /// Test window `n`.
    pub const fn window(n: u64) -> u64 {
        WINDOWS + n * 0x100_0000
    }
}

/// A system call with raw arguments, decoded.
///
/// # Safety
///
/// As for [`rt::raw::syscall6`]: the kernel acts on the arguments, so any
/// pointer must be one the kernel cannot use (null, unmapped, kernel,
/// read-only for a call that writes) or a buffer the caller owns for that
/// use.
pub unsafe fn raw(nr: u64, a: u64, b: u64, c: u64, d: u64, e: u64, f: u64) -> Result<u64, Error> {
    // SAFETY: the caller upholds `syscall6`'s contract (see above).
    check::decoded(unsafe { rt::raw::syscall6(nr, a, b, c, d, e, f) })
}

/// The error code of a result, 0 for success (how helpers report results
/// in message words and exit codes).
pub fn code_of<T>(r: Result<T, Error>) -> u64 {
    match r {
        Ok(_) => 0,
        Err(e) => u64::from(e.code()),
    }
}
