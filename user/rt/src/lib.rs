//! The runtime of native Helctic programs.
//!
//! A native program is a static `x86_64-unknown-none` ELF that talks to the
//! kernel only through capability system calls (`crates/abi`). This crate is
//! all it needs around `core` and `alloc`:
//!
//! - [`sys`]: a typed, safe wrapper for every call in [`abi::SYSCALLS`];
//!   [`raw`]: the bare instruction, for deliberately malformed calls;
//! - [`entry!`]: the program's `fn main(arg: u64) -> i32`, started by
//!   `_start` (which also carries the ELF note that marks the file native);
//! - [`print!`] / [`println!`] over `debug_write`, and a panic handler that
//!   prints the message and location and ends the task with code 101;
//! - a global allocator mapping memory into the task's own address space;
//! - [`thread::spawn`]: threads on their own 64 KiB stacks.
//!
//! Every number and layout comes from [`abi`] (re-exported here); the note
//! comes from `binfmt`, which the kernel identifies programs with.
//!
//! `unsafe` is confined to the system-call instruction (`syscall.rs`), the
//! entry stubs (`entry.rs`, `thread.rs`) and the allocator (`heap.rs`,
//! `lock.rs`), and the view of shared memory as bytes (`shared.rs`); each
//! block says why it is sound.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

extern crate alloc;

pub use abi;

mod entry;
mod heap;
pub mod lock;
mod panic;
pub use panic::PANIC_EXIT_CODE;
#[doc(hidden)]
pub mod print;
pub mod raw;
pub mod shared;
pub mod sys;
mod syscall;
pub mod thread;
