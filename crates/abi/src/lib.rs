//! Helctic's native ABI, as data.
//!
//! Everything a native program and the kernel must agree on lives here and
//! nowhere else: system-call numbers and their register conventions
//! (`syscalls.rs`, whose table also generates `docs/native-abi.md`), error
//! codes (`error.rs`), rights and capability types (`rights.rs`,
//! `cap_type.rs`), the IPC message word (`message.rs`) and the byte layouts
//! of structures passed through user memory (`structs.rs`).
//!
//! Calling convention: the call number and up to six arguments in
//! registers; the kernel returns a non-negative value on success, or
//! `-(error code)`. IPC calls also return a message (badge, info word and
//! four data words) in the argument registers (see `message.rs`). Which
//! registers, per architecture: [`arch::CALLING_CONVENTION`].

#![no_std]
#![forbid(unsafe_code)]

#[cfg(feature = "docs")]
extern crate std;

pub mod arch;
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
