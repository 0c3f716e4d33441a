//! The kernel heap allocator.
//!
//! [`Heap`] serves small requests (up to 2048 bytes) from *slabs*: blocks
//! cut into equal objects, one set of slabs per size class, so that the
//! common small allocation is a pop from a list. Everything else, and the
//! slabs themselves, comes from a *free list* of blocks kept in address order
//! and merged with their neighbours when freed, so memory freed in any order
//! becomes one block again. Memory enters through [`Heap::add_region`]; when
//! [`Heap::alloc`] fails the kernel maps [`Heap::bytes_needed_for`] more bytes,
//! adds them as a region and retries. The kernel wraps the heap in a lock to
//! make its `#[global_allocator]`.
//!
//! # Why this crate uses `unsafe`
//!
//! An allocator's bookkeeping has to live inside the memory it manages: a
//! free block holds the link to the next one, and a slab holds its own
//! header. Reading and writing those through raw pointers, and handing out
//! memory that the type system cannot see, is what `unsafe` is for. It is
//! confined to two files, each of which documents the invariants its
//! `unsafe` blocks rely on:
//!
//! - `free_list.rs`: the address-ordered list of free blocks;
//! - `slab_cache.rs`: the slabs of one size class;
//!
//! plus the calls that move a block between the two (in `heap.rs`) and the
//! `Send` implementation. Every `unsafe` block carries a `// SAFETY:`
//! comment.
//!
//! # Invariants
//!
//! Every byte of every region (after trimming to 16-byte boundaries) is in
//! exactly one of three places: a free-list block, a slab, or a large
//! allocation the caller holds. Free-list blocks and large allocations are
//! multiples of 16 bytes at 16-byte aligned addresses, which is what lets
//! any block be split without leaving an untrackable sliver. The size of a
//! block is never stored with an allocation: [`Heap::dealloc`] recomputes it
//! from the `Layout`, which is why it must be the layout used to allocate.
//! Cheap checks catch common double frees and panic rather than corrupt the
//! heap; running out of memory is always an `Err`, never a panic.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs, clippy::undocumented_unsafe_blocks)]

#[cfg(test)]
extern crate std;

mod error;
mod free_list;
mod granule;
mod heap;
mod size_class;
mod slab_cache;
mod stats;
#[cfg(test)]
mod test_memory;

pub use error::AllocError;
pub use heap::Heap;
pub use stats::HeapStats;
