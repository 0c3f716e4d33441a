//! The kernel objects a capability can name.

use crate::fs::OpenFile;
use crate::ipc::{Endpoint, Notification, ReplyRight};
use crate::mm::{Mm, SharedPages};
use crate::task::process::Process;
use crate::task::thread::Thread;
use abi::CapType;
use alloc::sync::Arc;
use captable::CapObject;

/// Memory handed out by `mem_alloc`: pages shared by every mapping of it,
/// zero-filled on first touch, or (for DMA) allocated up front as one
/// physically contiguous run.
pub struct MemoryObject {
    pub pages: Arc<SharedPages>,
    /// Physical address of page 0, for DMA memory.
    pub dma_base: Option<u64>,
}

#[derive(Clone)]
pub enum KObject {
    Task(Arc<Process>),
    AddressSpace(Arc<Mm>),
    Thread(Arc<Thread>),
    /// Pages `first..first + count` of a memory object.
    Memory {
        object: Arc<MemoryObject>,
        first: u64,
        count: u64,
    },
    Dma {
        object: Arc<MemoryObject>,
        first: u64,
        count: u64,
    },
    Endpoint(Arc<Endpoint>),
    Notification(Arc<Notification>),
    Reply(Arc<ReplyRight>),
    /// Interrupt lines `first..first + count`.
    Irq {
        first: u64,
        count: u64,
    },
    /// I/O ports `base..base + count`.
    IoPorts {
        base: u64,
        count: u64,
    },
    /// Physical bytes `base..base + len` (page aligned).
    Mmio {
        base: u64,
        len: u64,
    },
    File(Arc<OpenFile>),
    /// The kernel's file namespace, to serve and mount file systems in.
    Vfs,
    /// The kernel's Internet sockets, to serve a network stack for.
    Net,
}

fn within(base: u64, len: u64, pbase: u64, plen: u64) -> bool {
    base >= pbase && base.checked_add(len).is_some_and(|end| end <= pbase.saturating_add(plen))
}

impl KObject {
    /// The range a ranged capability covers, as `cap_info` reports it.
    pub fn range(&self) -> (u64, u64) {
        match self {
            KObject::Memory { first, count, .. } | KObject::Dma { first, count, .. } => {
                (*first * abi::PAGE_SIZE, *count * abi::PAGE_SIZE)
            }
            KObject::Irq { first, count } => (*first, *count),
            KObject::IoPorts { base, count } => (*base, *count),
            KObject::Mmio { base, len } => (*base, *len),
            _ => (0, 0),
        }
    }

    /// The same object narrowed to a sub-range (units: pages for memory,
    /// lines, ports, bytes for MMIO); None if it is not ranged or the range
    /// does not fit.
    pub fn narrowed(&self, base: u64, len: u64) -> Option<KObject> {
        let (pbase, plen) = match self {
            KObject::Memory { first, count, .. } | KObject::Dma { first, count, .. } => (*first, *count),
            KObject::Irq { first, count } => (*first, *count),
            KObject::IoPorts { base, count } => (*base, *count),
            KObject::Mmio { base, len } => (*base, *len),
            _ => return None,
        };
        if len == 0 || !within(base, len, pbase, plen) {
            return None;
        }
        Some(match self {
            KObject::Memory { object, .. } => KObject::Memory { object: object.clone(), first: base, count: len },
            KObject::Dma { object, .. } => KObject::Dma { object: object.clone(), first: base, count: len },
            KObject::Irq { .. } => KObject::Irq { first: base, count: len },
            KObject::IoPorts { .. } => KObject::IoPorts { base, count: len },
            KObject::Mmio { .. } => {
                if !base.is_multiple_of(abi::PAGE_SIZE) || !len.is_multiple_of(abi::PAGE_SIZE) {
                    return None;
                }
                KObject::Mmio { base, len }
            }
            _ => return None,
        })
    }
}

impl CapObject for KObject {
    fn cap_type(&self) -> CapType {
        match self {
            KObject::Task(_) => CapType::Task,
            KObject::AddressSpace(_) => CapType::AddressSpace,
            KObject::Thread(_) => CapType::Thread,
            KObject::Memory { .. } => CapType::Memory,
            KObject::Dma { .. } => CapType::Dma,
            KObject::Endpoint(_) => CapType::Endpoint,
            KObject::Notification(_) => CapType::Notification,
            KObject::Reply(_) => CapType::Reply,
            KObject::Irq { .. } => CapType::Irq,
            KObject::IoPorts { .. } => CapType::IoPorts,
            KObject::Mmio { .. } => CapType::Mmio,
            KObject::File(_) => CapType::File,
            KObject::Vfs => CapType::Vfs,
            KObject::Net => CapType::Net,
        }
    }

    fn is_within(&self, parent: &Self) -> bool {
        match (self, parent) {
            (KObject::Task(a), KObject::Task(b)) => Arc::ptr_eq(a, b),
            (KObject::AddressSpace(a), KObject::AddressSpace(b)) => Arc::ptr_eq(a, b),
            (KObject::Thread(a), KObject::Thread(b)) => Arc::ptr_eq(a, b),
            (KObject::Endpoint(a), KObject::Endpoint(b)) => Arc::ptr_eq(a, b),
            (KObject::Notification(a), KObject::Notification(b)) => Arc::ptr_eq(a, b),
            (KObject::Reply(a), KObject::Reply(b)) => a.same(b),
            (KObject::File(a), KObject::File(b)) => Arc::ptr_eq(a, b),
            (KObject::Vfs, KObject::Vfs) | (KObject::Net, KObject::Net) => true,
            (KObject::Memory { object: a, first, count }, KObject::Memory { object: b, first: pf, count: pc })
            | (KObject::Dma { object: a, first, count }, KObject::Dma { object: b, first: pf, count: pc }) => {
                Arc::ptr_eq(a, b) && within(*first, *count, *pf, *pc)
            }
            (KObject::Irq { first, count }, KObject::Irq { first: pf, count: pc }) => within(*first, *count, *pf, *pc),
            (KObject::IoPorts { base, count }, KObject::IoPorts { base: pb, count: pc }) => {
                within(*base, *count, *pb, *pc)
            }
            (KObject::Mmio { base, len }, KObject::Mmio { base: pb, len: pl }) => within(*base, *len, *pb, *pl),
            _ => false,
        }
    }
}
