//! DMA memory the device reads and writes: allocated, mapped, and its
//! physical address (what the device is given).

#![forbid(unsafe_code)]

use crate::window::Window;
use abi::{Error, MEM_DMA};
use rt::sys;

/// Allocates `pages` of DMA memory, maps it at `vaddr`; returns the window
/// and its physical address.
pub fn alloc(pages: u64, vaddr: u64) -> Result<(Window, u64), Error> {
    let slot = sys::mem_alloc(pages, MEM_DMA)?;
    let mapped = Window::map(slot, vaddr, 0, pages).and_then(|w| Ok((w, sys::mem_phys(slot, 0)?)));
    // The mapping keeps the memory alive; the slot is not needed.
    let _ = sys::cap_delete(slot);
    mapped
}
