//! What the boot loader tells the kernel, parsed without trusting it.
//!
//! Everything the loader hands over is an allegation: structures are read
//! through a caller-supplied [`PhysReader`] (so this crate needs no `unsafe`
//! and tests can feed it arbitrary bytes), every count and address is checked
//! before use, and nothing here panics or allocates. Bad input is an `Err` or
//! a [`Diagnostic`] for the kernel to log.
//!
//! - [`pvh`]: the Xen PVH `hvm_start_info` (QEMU `-kernel`, Firecracker,
//!   Cloud Hypervisor). Multiboot2 will sit beside it and feed the same
//!   [`RawMemoryRegion`]s into the same [`MemoryMap`].
//! - [`MemoryMap`]: the loader's messy memory map turned into sorted,
//!   page-aligned, usable RAM ranges.
//! - [`CommandLine`]: `key=value` and flag lookup.
#![no_std]
#![forbid(unsafe_code)]

mod boot_string;
mod cmdline;
mod memory_map;
mod memory_region;
mod phys_reader;
pub mod pvh;
mod range_list;

pub use boot_string::{read_boot_string, BootString};
pub use cmdline::{split_words, CommandLine, Param, Params};
pub use memory_map::{Diagnostic, MemoryMap, UsableRange};
pub use memory_region::{MemoryKind, RawMemoryRegion};
pub use phys_reader::{PhysReader, ReadError};

/// Size of the pages usable ranges are aligned to.
pub const PAGE_SIZE: u64 = 4096;
