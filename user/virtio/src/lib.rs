//! What every virtio 1.x driver on PCI needs, whatever its device type:
//! shared by the user-space drivers (`virtio-blk`, and the virtio-net driver
//! to come) so each keeps only its device's configuration and requests.
//!
//! - `pci`: configuration space through the 0xcf8/0xcfc ports, finding a
//!   virtio function by device id, its BARs and virtio capabilities;
//! - `regs`: the common, notify, ISR and device configuration structures,
//!   mapped through granted Mmio capabilities;
//! - `window`: volatile, bounds-checked access to MMIO and DMA memory;
//! - `dma`: DMA memory, allocated and mapped;
//! - `virtqueue`: one split virtqueue (descriptors, available and used
//!   rings), with no device-specific layout in it;
//! - `features`: feature negotiation;
//! - `transport`: the modern PCI transport's initialization sequence.
//!
//! `unsafe` is only in `window.rs`; every other module forbids it.

#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

extern crate alloc;

pub mod dma;
pub mod features;
pub mod pci;
pub mod regs;
pub mod transport;
pub mod virtqueue;
pub mod window;

pub use pci::{Bdf, Config, VirtioCap};
pub use regs::Regs;
pub use transport::{Failure, Transport};
pub use virtqueue::{Queue, Segment, Used};
pub use window::Window;
