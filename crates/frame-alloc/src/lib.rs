//! A bitmap allocator for 4 KiB physical frames.
//!
//! The kernel hands [`FrameAllocator`] a slice of words for its bitmaps (carved
//! from usable RAM and reached through the direct map) and the physical span
//! the bitmaps describe, so the allocator itself never allocates. Every frame
//! of the span starts out *unavailable*; the kernel then adds the usable ranges
//! of the firmware's memory map with [`FrameAllocator::add_free_range`] and
//! claims what is already taken (kernel image, boot modules, the bitmap
//! storage itself) with [`FrameAllocator::reserve_range`].
//!
//! Each frame is in one of three states, kept in two bitmaps:
//!
//! | state     | `managed` bit | `free` bit | meaning                              |
//! |-----------|---------------|------------|--------------------------------------|
//! | absent    | 0             | 0          | not RAM, or never handed over        |
//! | free      | 1             | 1          | can be allocated                     |
//! | in use    | 1             | 0          | allocated or reserved                |
//!
//! Keeping "absent" apart from "in use" is what lets [`FrameAllocator::free`]
//! reject an address that was never RAM (a hole, MMIO) instead of quietly
//! adding it to the pool, and lets a reserved range (say, an initrd that has
//! been unpacked) be given back later with an ordinary free.
//!
//! The allocator is pure bookkeeping over integers: it never touches the
//! frames it hands out, so it needs no `unsafe` and is tested on the host.

#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(test)]
extern crate std;

mod bitmap;
mod error;
mod frame_allocator;
mod span;

pub use error::{ContiguousError, FreeError, InitError, OutOfMemory};
pub use frame_allocator::FrameAllocator;

/// Size of one physical frame in bytes.
pub const FRAME_SIZE: u64 = 4096;
