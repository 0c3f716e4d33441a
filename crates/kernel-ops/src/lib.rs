//! The boundary between the kernel core and the OS personalities.
//!
//! A personality (Linux today; FreeBSD, NetBSD, Windows, Darwin later)
//! decodes its OS's system calls and calls the core through [`KernelOps`],
//! whose methods come from one trait per subsystem (bring them into scope
//! with `use kernel_ops::prelude::*`).
//! Everything here is personality-neutral: errors are an enum, not Linux
//! errno values; flags are Rust types, not Linux bit patterns. Each
//! personality translates in both directions, so it can be tested on the
//! host against a fake core.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

mod aio;
mod arch;
mod block;
mod credentials;
mod device;
mod error;
mod file_handle;
mod network;
mod ops;
mod personality;
pub mod prelude;
mod proc_records;
mod records;
mod scheduling;
mod socket;
mod trace;
mod types;

pub use aio::{AioCompletion, AioState, AioWaiting};
pub use arch::*;
pub use block::{BlockReply, BlockRequest, LoopFlags, LoopStatus, LOOP_KEY_SIZE, LOOP_NAME_SIZE};
pub use credentials::{Credentials, Privilege, PrivilegeSet, Privileges, SetIds};
pub use device::{DevLink, DevNode, DeviceId};
pub use error::{Error, KResult};
pub use file_handle::NodeHandle;
/// The key retention service's requests and answers (add_key, keyctl).
pub use keyrings;
pub use network::{InetSocketRecord, InterfaceCounters, InterfaceFlags, InterfaceRecord, NetworkRecord, RouteRecord};
pub use ops::*;
pub use personality::Personality;
pub use proc_records::{
    CpuTimes, MappingName, MappingRecord, MemoryLayout, MemoryRecord, MountRecord, ProcFile, ProcessRecord,
    ProcessorRecord, SystemRecord, TaskState, TaskTimes, ThreadRecord,
};
pub use records::{SignalRecordFormat, WatchRecordFormat};
pub use scheduling::*;
pub use socket::*;
/// System V IPC's neutral types (commands, answers, semaphore operations).
pub use sysv_ipc;
pub use trace::*;
pub use types::*;
