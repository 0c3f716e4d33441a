//! The Linux x86_64 user ABI as data: system call numbers and names, errno
//! values, flag constants, and the exact byte layouts of every structure the
//! kernel reads from or writes to user memory.
//!
//! The Linux personality translates system calls inside Helctic's kernel;
//! whatever it writes into a Linux process's memory must be byte-for-byte
//! what Linux would have written, because unmodified musl and glibc binaries
//! read it. This crate is that knowledge and nothing else: no behaviour, no
//! kernel objects, no allocation.
//!
//! # How structures are represented
//!
//! Each structure is a plain Rust struct with `SIZE`, `to_bytes()` returning
//! a `[u8; SIZE]` laid out exactly as on x86_64 Linux (little-endian, every
//! padding byte zero), and, where the kernel reads it from user space,
//! `from_bytes(&[u8]) -> Option<Self>` (which refuses a short buffer). The
//! `OFF_*` constants name the offsets the personality needs for partial
//! reads and writes. Nothing is transmuted, so the crate forbids `unsafe`.
//!
//! # How the values are checked
//!
//! Unit tests check layouts and round trips. `tests/linux_headers.rs`
//! compiles a C program against the host's Linux UAPI headers and compares
//! every errno, every `__NR_*` syscall number and hundreds of constants,
//! struct sizes and field offsets with this crate (skipped when no C
//! compiler is available).
//!
//! # Modules
//!
//! One concept per module, named like the Linux header or man page it
//! follows: [`errno`], [`syscall_names`], [`stat`], [`statx`], [`time`],
//! [`times`], [`utsname`], [`sysinfo`], [`resource`], [`iovec`], [`poll`],
//! [`epoll`], [`dirent`], [`termios`], [`ioctl`], [`signal`],
//! [`sigaltstack`], [`siginfo`], [`sigframe`], [`fcntl`], [`access`],
//! [`seek`], [`mman`], [`clone`], [`futex`], [`wait`], [`auxv`],
//! [`arch_prctl`], [`prctl`], [`random`], [`personality`], [`socket`],
//! [`reboot`], [`eventfd`], [`signalfd`], [`timerfd`], [`inotify`],
//! [`memfd`], [`limits`], [`sched`], [`keyctl`], and
//! [`extensible`] (the versioned-struct rule of `clone3`
//! and `openat2`).
#![no_std]
#![forbid(unsafe_code)]

// Unit tests use proptest, whose macros need std.
#[cfg(test)]
extern crate std;

mod wire;

pub mod access;
pub mod aio;
pub mod arch;
pub mod auxv;
pub mod capability;
pub mod clone;
pub mod dirent;
pub mod epoll;
pub mod errno;
pub mod eventfd;
pub mod extensible;
pub mod fcntl;
pub mod file_handle;
pub mod futex;
pub mod inet;
pub mod inotify;
pub mod ioctl;
pub mod iovec;
pub mod ipc;
pub mod keyctl;
pub mod limits;
pub mod loop_dev;
pub mod membarrier;
pub mod memfd;
pub mod mman;
pub mod net_device;
pub mod netlink;
pub mod personality;
pub mod poll;
pub mod prctl;
pub mod ptrace;
pub mod random;
pub mod reboot;
pub mod resource;
pub mod sched;
pub mod seek;
pub mod sigaltstack;
pub mod siginfo;
pub mod signal;
pub mod signalfd;
pub mod socket;
pub mod stat;
pub mod statfs;
pub mod statx;
pub mod syscall_names;
pub mod sysinfo;
pub mod termios;
pub mod time;
pub mod timerfd;
pub mod times;
pub mod utsname;
pub mod wait;
