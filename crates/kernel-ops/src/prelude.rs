//! Every subsystem trait of [`crate::KernelOps`], for a glob import: a
//! supertrait's methods are callable on `dyn KernelOps` only where that
//! trait is in scope, so callers `use kernel_ops::prelude::*;`.

pub use crate::ops::{
    AioOps, ContextOps, DescriptorOps, DeviceOps, EventOps, FileHandleOps, FilesystemOps, FutexOps, IdentityOps,
    InspectionOps, KeyOps, LockOps, MachineOps, MemoryOps, MessageQueueOps, MetadataOps, PathOps, ProcessHandleOps,
    ProcessOps, ResourceOps, SchedulingOps, SignalOps, SocketOps, SpecialFileOps, SystemVIpcOps, TimeOps, TimerOps,
    TraceOps, TransferOps,
};
