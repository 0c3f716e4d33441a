//! Where a native program starts, and the ELF note that makes it one.
//!
//! The kernel starts the first thread at `_start` with `rdi` = the argument
//! the spawner put in its `SpawnSpec`. `_start` aligns the stack as the C
//! ABI expects at a call and calls `__helctic_main(rdi)`, which the
//! program defines with [`entry!`](crate::entry). Threads made by
//! [`crate::thread::spawn`] start the same way at `__rt_thread_start`.
//!
//! The note (`.note.helctic`: owner "Helctic", type `NT_HELCTIC_ABI`,
//! descriptor the ABI version as one word) is what the kernel's `binfmt`
//! reads to run the file as a native program; its numbers come from there.
//! It is emitted in the same `global_asm!` as `_start` so both land in the
//! same object file: the linker pulls that file in for `ENTRY(_start)`, and
//! the linker script keeps the note and gives it a `PT_NOTE` segment.

use binfmt::{HELCTIC_ABI_VERSION, HELCTIC_NOTE_OWNER, NT_HELCTIC_ABI};

/// `namesz`: the owner with its terminating NUL.
const OWNER_SIZE: usize = HELCTIC_NOTE_OWNER.len() + 1;
const _: () = assert!(OWNER_SIZE == 8, "the note below lays out an 8-byte owner name");

/// Byte `i` of the NUL-padded owner name.
const fn owner_byte(i: usize) -> u8 {
    if i < HELCTIC_NOTE_OWNER.len() {
        HELCTIC_NOTE_OWNER[i]
    } else {
        0
    }
}

core::arch::global_asm!(
    ".pushsection .note.helctic, \"a\", @note",
    ".balign 4",
    ".long {owner_size}",
    ".long {desc_size}",
    ".long {kind}",
    ".byte {o0}, {o1}, {o2}, {o3}, {o4}, {o5}, {o6}, {o7}",
    ".long {version}",
    ".popsection",
    "",
    ".pushsection .text._start, \"ax\", @progbits",
    ".globl _start",
    ".type _start, @function",
    "_start:",
    "    xor ebp, ebp",
    "    and rsp, -16",
    "    call __helctic_main",
    "    ud2",
    ".size _start, . - _start",
    "",
    ".globl __rt_thread_start",
    ".type __rt_thread_start, @function",
    "__rt_thread_start:",
    "    xor ebp, ebp",
    "    and rsp, -16",
    "    call {thread_main}",
    "    ud2",
    ".size __rt_thread_start, . - __rt_thread_start",
    ".popsection",
    owner_size = const OWNER_SIZE,
    desc_size = const core::mem::size_of::<u32>(),
    kind = const NT_HELCTIC_ABI,
    version = const HELCTIC_ABI_VERSION,
    o0 = const owner_byte(0),
    o1 = const owner_byte(1),
    o2 = const owner_byte(2),
    o3 = const owner_byte(3),
    o4 = const owner_byte(4),
    o5 = const owner_byte(5),
    o6 = const owner_byte(6),
    o7 = const owner_byte(7),
    thread_main = sym crate::thread::thread_main,
);

extern "C" {
    fn __rt_thread_start();
}

/// Where [`crate::thread::spawn`] starts threads (`rdi` = their context).
pub(crate) fn thread_start_address() -> u64 {
    __rt_thread_start as *const () as u64
}

/// Declares the program's entry: `fn main(arg: u64) -> i32`, called with the
/// argument from the spawner's `SpawnSpec`; its result is the task's exit
/// code.
///
/// ```ignore
/// #![no_std]
/// #![no_main]
/// rt::entry!(main);
/// fn main(arg: u64) -> i32 { rt::println!("arg {arg}"); 0 }
/// ```
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[no_mangle]
        extern "C" fn __helctic_main(arg: u64) -> ! {
            let main: fn(u64) -> i32 = $main;
            $crate::sys::task_exit(main(arg))
        }
    };
}
