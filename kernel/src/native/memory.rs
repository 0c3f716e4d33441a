//! mem_alloc, mem_map, mem_unmap, mem_phys: memory as capabilities.
//!
//! A Memory capability names pages of a shared object (zero-filled on
//! first touch); Dma memory is physically contiguous and allocated up
//! front so a device can be told where it is; Mmio names device memory,
//! which is mapped uncached and never RAM or a device the kernel drives.

use super::device::mmio_page_allowed;
use crate::arch::layout::PAGE_SIZE;
use crate::cap::{self, KObject, MemoryObject};
use crate::ipc::table_of;
use crate::mm::{frames, Backing, SharedPages, Vma};
use crate::task::thread::Thread;
use abi::{CapType, Error, Rights, MEM_DMA, PROT_EXEC, PROT_READ, PROT_WRITE, USER_END, USER_MIN};
use alloc::sync::Arc;
use core::sync::atomic::Ordering;
use kernel_ops::Protection;

const MAX_ALLOC_PAGES: u64 = 65536;

pub fn alloc(t: &Arc<Thread>, pages: u64, flags: u64) -> Result<u64, Error> {
    if pages == 0 || pages > MAX_ALLOC_PAGES || flags & !MEM_DMA != 0 {
        return Err(Error::InvalidArgument);
    }
    let budget = t.process().native.lock().as_ref().map(|n| n.memory_budget.clone());
    if let Some(b) = &budget {
        // Charge first; refunded below on failure or when the object goes.
        if b.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(pages)).is_err() {
            return Err(Error::NoMemory);
        }
    }
    let refund = |b: &Option<Arc<core::sync::atomic::AtomicU64>>| {
        if let Some(b) = b {
            b.fetch_add(pages, Ordering::Relaxed);
        }
    };
    if !frames::user_may_allocate(pages as usize) {
        refund(&budget);
        return Err(Error::NoMemory);
    }
    let object = if flags & MEM_DMA != 0 {
        let Ok(first) = frames::alloc_contiguous(pages as usize, 1) else {
            refund(&budget);
            return Err(Error::NoMemory);
        };
        if first + pages * PAGE_SIZE > 1 << 32 {
            // Devices with 32-bit DMA addresses could not reach it.
            for i in 0..pages {
                frames::free(first + i * PAGE_SIZE);
            }
            refund(&budget);
            return Err(Error::NoMemory);
        }
        for i in 0..pages {
            crate::arch::layout::zero_frame(first + i * PAGE_SIZE);
        }
        let shared = SharedPages::from_frames(first, pages);
        if let Some(b) = budget {
            shared.charge_to(b, pages);
        }
        let object = Arc::new(MemoryObject { pages: shared, dma_base: Some(first) });
        KObject::Dma { object, first: 0, count: pages }
    } else {
        let shared = SharedPages::new();
        if let Some(b) = budget {
            shared.charge_to(b, pages);
        }
        let object = Arc::new(MemoryObject { pages: shared, dma_base: None });
        KObject::Memory { object, first: 0, count: pages }
    };
    cap::insert(table_of(t), object, Rights::ALL)
}

fn user_range(vaddr: u64, pages: u64) -> Result<u64, Error> {
    if !vaddr.is_multiple_of(PAGE_SIZE) || pages == 0 || pages > (USER_END - USER_MIN) / PAGE_SIZE {
        return Err(Error::InvalidArgument);
    }
    let end = vaddr.checked_add(pages * PAGE_SIZE).ok_or(Error::InvalidArgument)?;
    if vaddr < USER_MIN || end > USER_END {
        return Err(Error::InvalidArgument);
    }
    Ok(end)
}

fn address_space(t: &Arc<Thread>, slot: u64) -> Result<Arc<crate::mm::Mm>, Error> {
    match cap::lookup(table_of(t), slot, CapType::AddressSpace, Rights::WRITE)?.0 {
        KObject::AddressSpace(mm) => Ok(mm),
        _ => Err(Error::WrongType),
    }
}

pub fn map(
    t: &Arc<Thread>,
    aspace: u64,
    mem: u64,
    vaddr: u64,
    offset: u64,
    pages: u64,
    prot: u64,
) -> Result<u64, Error> {
    let mm = address_space(t, aspace)?;
    let (object, rights, _) = cap::lookup_any(table_of(t), mem)?;
    if prot == 0 || prot & !(PROT_READ | PROT_WRITE | PROT_EXEC) != 0 {
        return Err(Error::InvalidArgument);
    }
    let protection =
        Protection { read: prot & PROT_READ != 0, write: prot & PROT_WRITE != 0, execute: prot & PROT_EXEC != 0 };
    let mut needed = Rights::NONE;
    for (bit, right) in [(PROT_READ, Rights::READ), (PROT_WRITE, Rights::WRITE), (PROT_EXEC, Rights::EXEC)] {
        if prot & bit != 0 {
            needed = needed | right;
        }
    }
    let end = user_range(vaddr, pages)?;
    let backing_range = match &object {
        KObject::Memory { object, first, count } | KObject::Dma { object, first, count } => {
            if offset.checked_add(pages).is_none_or(|e| e > *count) {
                return Err(Error::InvalidArgument);
            }
            (Backing::Shared(object.pages.clone()), first + offset)
        }
        KObject::Mmio { base, len } => {
            if offset.checked_add(pages).is_none_or(|e| e > len / PAGE_SIZE) {
                return Err(Error::InvalidArgument);
            }
            let phys = base + offset * PAGE_SIZE;
            if !(0..pages).all(|i| mmio_page_allowed(phys + i * PAGE_SIZE)) {
                return Err(Error::Denied);
            }
            (Backing::Device { base: phys }, 0)
        }
        _ => return Err(Error::WrongType),
    };
    if !rights.contains(needed) {
        return Err(Error::MissingRights);
    }
    let (backing, pgoff) = backing_range;
    let mut a = mm.lock();
    if !a.is_free(vaddr, end) {
        return Err(Error::Busy);
    }
    a.insert(vaddr, Vma { end, prot: protection, backing, pgoff, is_stack: false, grows_down: false });
    Ok(0)
}

pub fn unmap(t: &Arc<Thread>, aspace: u64, vaddr: u64, pages: u64) -> Result<u64, Error> {
    let mm = address_space(t, aspace)?;
    let end = user_range(vaddr, pages)?;
    mm.lock().unmap(vaddr, end);
    Ok(0)
}

pub fn phys(t: &Arc<Thread>, dma: u64, page: u64) -> Result<u64, Error> {
    let (object, _, _) = cap::lookup(table_of(t), dma, CapType::Dma, Rights::READ)?;
    let KObject::Dma { object, first, count } = object else { return Err(Error::WrongType) };
    if page >= count {
        return Err(Error::InvalidArgument);
    }
    let base = object.dma_base.ok_or(Error::InvalidState)?;
    Ok(base + (first + page) * PAGE_SIZE)
}
