//! x86_64 four-level page tables as a pure model.
//!
//! All walking, mapping and teardown logic lives here, in safe code that is
//! tested on the host. The only thing the kernel supplies is a [`TableMemory`]:
//! how to read and write one 64-bit entry of a page-table frame, and how to
//! allocate and free such frames. On the host the tests back it with a map of
//! fake frames; in the kernel it goes through the direct physical map.
//!
//! What this crate deliberately does *not* do:
//! - flush TLBs: every operation that removes or weakens a mapping returns and
//!   the caller invalidates (it alone knows which CPUs ran the address space);
//! - free leaf frames: `unmap` hands the frame back, teardown calls a closure;
//! - model PAT: bit 7 of a 4 KiB entry and bit 12 of a huge entry are PAT
//!   selectors in hardware; this crate never sets them and treats bit 7 as
//!   [`PageFlags::HUGE`] at every level that has one.
//!
//! Invariants kept for tables built through [`PageTable`]:
//! - intermediate entries are at least `PRESENT | WRITABLE` and never
//!   `NO_EXECUTE`, so the leaf's flags are the effective permissions;
//! - an intermediate entry is `USER` exactly when some user leaf was ever
//!   mapped below it; kernel mappings never add `USER` to a path;
//! - `map` either succeeds or changes nothing (see [`PageTable::map`]);
//! - page tables are freed only at teardown, never by `unmap`, because another
//!   CPU may still hold a cached pointer to them until its TLB is shot down.
#![no_std]
#![forbid(unsafe_code)]

mod address;
mod copy_range;
mod entry;
mod error;
mod flags;
mod kernel_half;
mod level;
mod mapping_walk;
mod page_size;
mod page_table;
mod table_memory;
mod teardown;

pub use address::{NonCanonicalAddress, PhysAddr, PhysAddrTooWide, VirtAddr};
pub use copy_range::LeafCopy;
pub use entry::{Entry, EntryError};
pub use error::{MapError, UnmapError, UpdateFlagsError};
pub use flags::PageFlags;
pub use page_size::PageSize;
pub use page_table::{PageTable, Translation};
pub use table_memory::{OutOfMemory, TableMemory};

/// Number of 64-bit entries in every page-table frame, at every level.
pub const ENTRIES_PER_TABLE: usize = 512;

/// PML4 index where the kernel half of every address space begins
/// (virtual address 0xFFFF_8000_0000_0000).
pub const KERNEL_HALF_FIRST_INDEX: usize = 256;
