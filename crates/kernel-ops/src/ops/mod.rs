//! The core's surface, as every personality sees it: one trait per
//! subsystem, each in its own file, so a subsystem's contract reads (and a
//! core or a test's fake implements it) in one place. [`KernelOps`] is all
//! of them at once, so `&mut dyn KernelOps` still reaches every operation;
//! callers bring the methods into scope with `use kernel_ops::prelude::*`.

mod aio;
mod context;
mod descriptors;
mod devices;
mod events;
mod file_handles;
mod filesystems;
mod futexes;
mod identity;
mod inspection;
mod keys;
mod locks;
mod machine;
mod memory;
mod message_queues;
mod metadata;
mod paths;
mod process_handles;
mod processes;
mod resources;
mod scheduling;
mod signals;
mod sockets;
mod special_files;
mod system_v_ipc;
mod time;
mod timers;
mod tracing;
mod transfer;

pub use aio::AioOps;
pub use context::ContextOps;
pub use descriptors::{write_each, DescriptorOps};
pub use devices::DeviceOps;
pub use events::EventOps;
pub use file_handles::FileHandleOps;
pub use filesystems::FilesystemOps;
pub use futexes::FutexOps;
pub use identity::IdentityOps;
pub use inspection::InspectionOps;
pub use keys::KeyOps;
pub use locks::LockOps;
pub use machine::MachineOps;
pub use memory::MemoryOps;
pub use message_queues::MessageQueueOps;
pub use metadata::MetadataOps;
pub use paths::PathOps;
pub use process_handles::ProcessHandleOps;
pub use processes::ProcessOps;
pub use resources::ResourceOps;
pub use scheduling::SchedulingOps;
pub use signals::SignalOps;
pub use sockets::SocketOps;
pub use special_files::SpecialFileOps;
pub use system_v_ipc::SystemVIpcOps;
pub use time::TimeOps;
pub use timers::TimerOps;
pub use tracing::TraceOps;
pub use transfer::TransferOps;

/// Operations the kernel core offers to personalities, on behalf of the
/// calling thread. User addresses are plain `u64`s: allegations that the
/// core validates on every access (an invalid one is `Error::Fault`).
///
/// Every subsystem trait is a supertrait, and anything implementing all
/// of them is a `KernelOps`: a core implements the subsystems, never this.
pub trait KernelOps:
    ContextOps
    + IdentityOps
    + ProcessOps
    + FutexOps
    + ResourceOps
    + MemoryOps
    + SignalOps
    + TimerOps
    + DescriptorOps
    + LockOps
    + TransferOps
    + MetadataOps
    + PathOps
    + FilesystemOps
    + SpecialFileOps
    + ProcessHandleOps
    + InspectionOps
    + EventOps
    + DeviceOps
    + TraceOps
    + SocketOps
    + TimeOps
    + MachineOps
    + SchedulingOps
    + SystemVIpcOps
    + MessageQueueOps
    + KeyOps
    + FileHandleOps
    + AioOps
{
}

impl<
        T: ContextOps
            + IdentityOps
            + ProcessOps
            + FutexOps
            + ResourceOps
            + MemoryOps
            + SignalOps
            + TimerOps
            + DescriptorOps
            + LockOps
            + TransferOps
            + MetadataOps
            + PathOps
            + FilesystemOps
            + SpecialFileOps
            + ProcessHandleOps
            + InspectionOps
            + EventOps
            + DeviceOps
            + TraceOps
            + SocketOps
            + TimeOps
            + MachineOps
            + SchedulingOps
            + SystemVIpcOps
            + MessageQueueOps
            + KeyOps
            + FileHandleOps
            + AioOps
            + ?Sized,
    > KernelOps for T
{
}
