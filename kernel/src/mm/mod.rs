//! Memory management: physical frames, the kernel heap, kernel stacks and
//! user address spaces.

mod address_space;
pub mod deferred;
pub mod frames;
pub mod heap;
pub mod kernel_stack;
pub mod memory_lock;
mod node_hold;
pub mod page_cache;
pub mod sysv_shm;
pub mod vdso;

pub use address_space::{
    Access, AddressSpace, Backing, Mm, SharedPages, SharedWord, Vma, STACK_RESERVE, STACK_TOP, USER_MIN,
};
pub use node_hold::NodeHold;

use crate::boot::BootInfo;

/// Initialises frames, kernel page tables and the heap, in that order (each
/// needs the one before).
pub fn init(boot: &BootInfo) {
    frames::init(boot);
    if let Err(e) = crate::arch::paging::init_kernel_space(boot.direct_map_ranges()) {
        panic!("cannot build kernel page tables: {e:?}");
    }
    heap::init();
    let (free, total) = frames::stats();
    crate::info!("memory: {} KiB free of {} KiB usable", free * 4, total * 4);
    vdso::init();
}
