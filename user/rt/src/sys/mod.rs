//! A typed, safe wrapper for every native system call, grouped by the
//! object they act on. Numbers, flags, structure layouts and errors all come
//! from [`abi`]; results are decoded with [`abi::decode_result`].
//!
//! Two calls are `unsafe` because no type can make them safe:
//! [`thread_create`] (starts code at any address) and [`mem_unmap`] (can
//! remove memory Rust still uses). [`crate::thread::spawn`] is the safe way
//! to start a thread.

mod cap;
mod debug;
mod device;
mod file;
mod ipc;
mod mem;
mod net;
mod notify;
mod random;
mod task;
mod thread;
mod time;
mod vfs;

pub use abi::{CapInfo, CapType, Error, MsgInfo, Rights, SpawnSpec, Syscall, TaskStatus, TaskStatusKind};
pub use cap::{cap_delete, cap_derive, cap_info, cap_revoke};
pub use debug::debug_write;
pub use device::{irq_ack, irq_bind, port_in, port_out};
pub use file::{file_open, file_read, file_write};
pub use ipc::{endpoint_create, ipc_call, ipc_recv, ipc_reply, ipc_reply_recv, ipc_send, reply_save, Message};
pub use mem::{mem_alloc, mem_map, mem_phys, mem_unmap};
pub use net::{net_events, net_serve};
pub use notify::{notification_create, notify_signal, notify_wait};
pub use random::random;
pub use task::{task_exit, task_kill, task_spawn, task_wait};
pub use thread::{thread_create, thread_exit, thread_wait};
pub use time::{clock_ns, sleep, yield_now};
pub use vfs::{vfs_boot_done, vfs_mount, vfs_serve};

/// The wrapper in this module for each call. The match is exhaustive, so a
/// call added to the ABI does not compile here until it has a wrapper.
pub const fn wrapper_of(call: Syscall) -> &'static str {
    match call {
        Syscall::DebugWrite => "debug_write",
        Syscall::CapInfo => "cap_info",
        Syscall::CapDerive => "cap_derive",
        Syscall::CapDelete => "cap_delete",
        Syscall::CapRevoke => "cap_revoke",
        Syscall::MemAlloc => "mem_alloc",
        Syscall::MemMap => "mem_map",
        Syscall::MemUnmap => "mem_unmap",
        Syscall::MemPhys => "mem_phys",
        Syscall::TaskSpawn => "task_spawn",
        Syscall::TaskKill => "task_kill",
        Syscall::TaskWait => "task_wait",
        Syscall::TaskExit => "task_exit",
        Syscall::ThreadCreate => "thread_create",
        Syscall::ThreadExit => "thread_exit",
        Syscall::ThreadWait => "thread_wait",
        Syscall::EndpointCreate => "endpoint_create",
        Syscall::NotificationCreate => "notification_create",
        Syscall::IpcCall => "ipc_call",
        Syscall::IpcSend => "ipc_send",
        Syscall::IpcRecv => "ipc_recv",
        Syscall::IpcReply => "ipc_reply",
        Syscall::IpcReplyRecv => "ipc_reply_recv",
        Syscall::ReplySave => "reply_save",
        Syscall::NotifySignal => "notify_signal",
        Syscall::NotifyWait => "notify_wait",
        Syscall::IrqBind => "irq_bind",
        Syscall::IrqAck => "irq_ack",
        Syscall::PortIn => "port_in",
        Syscall::PortOut => "port_out",
        Syscall::ClockNs => "clock_ns",
        Syscall::Yield => "yield_now",
        Syscall::Sleep => "sleep",
        Syscall::Random => "random",
        Syscall::FileOpen => "file_open",
        Syscall::FileRead => "file_read",
        Syscall::FileWrite => "file_write",
        Syscall::VfsServe => "vfs_serve",
        Syscall::NetServe => "net_serve",
        Syscall::NetEvents => "net_events",
        Syscall::VfsMount => "vfs_mount",
        Syscall::VfsBootDone => "vfs_boot_done",
    }
}

/// A call's `rax`, decoded.
#[inline]
fn check(rax: u64) -> Result<u64, Error> {
    abi::decode_result(rax)
}

/// A call whose only success value is 0.
fn unit(rax: u64) -> Result<(), Error> {
    check(rax).map(|_| ())
}

/// A structure the kernel wrote into our buffer. One it wrote wrongly is a
/// kernel bug no caller can handle, so it panics with what was wrong.
fn kernel_wrote<T>(decoded: Result<T, abi::DecodeError>, what: &str) -> T {
    match decoded {
        Ok(value) => value,
        Err(error) => panic!("the kernel wrote a malformed {what}: {error:?}"),
    }
}

/// A pointer argument.
fn addr<T>(p: *const T) -> u64 {
    p as u64
}
