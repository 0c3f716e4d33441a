//! Helctic's native ABI, as data.
//!
//! Everything a native program and the kernel must agree on lives here and
//! nowhere else: system-call numbers and their register conventions
//! (`syscalls.rs`, whose table also generates `docs/native-abi.md`), error
//! codes (`error.rs`), rights and capability types (`rights.rs`,
//! `cap_type.rs`), the IPC message word (`message.rs`) and the byte layouts
//! of structures passed through user memory (`structs.rs`).
//!
//! Calling convention (x86_64): `syscall` with the call number in `rax` and
//! up to six arguments in `rdi, rsi, rdx, r10, r8, r9`. The kernel returns a
//! non-negative value in `rax` on success, or `-(error code)`. IPC calls also
//! return message words in `rdi, rsi, rdx, r10, r8, r9` (see `message.rs`).
//! `rcx` and `r11` are clobbered by the instruction; every other register is
//! preserved.

#![no_std]
#![forbid(unsafe_code)]

#[cfg(feature = "docs")]
extern crate std;

mod cap_type;
mod error;
mod message;
mod rights;
mod slots;
mod structs;
mod syscalls;

#[cfg(feature = "docs")]
pub mod docs;

pub use cap_type::CapType;
pub use error::{decode_result, encode_result, Error};
pub use message::MsgInfo;
pub use rights::Rights;
pub use slots::*;
pub use structs::{CapInfo, DecodeError, SpawnSpec, TaskStatus, TaskStatusKind, MAX_SPAWN_CAPS};
pub use syscalls::{Arg, Syscall, SyscallInfo, SYSCALLS};
