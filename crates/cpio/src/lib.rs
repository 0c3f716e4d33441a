//! cpio "newc" archives: the initramfs format.
//!
//! The kernel reads its initramfs with [`entries`]; the build tool writes one
//! with [`Builder`]. The format is the one Linux unpacks (see its
//! `Documentation/driver-api/early-userspace/buffer-format.rst`): each member
//! is a 110-byte ASCII header (magic `070701`, or `070702` when a data
//! checksum is present, then thirteen 8-digit hex numbers), the name with a
//! terminating NUL, zero padding to a multiple of 4 bytes, the data, and
//! padding again. A member named `TRAILER!!!` ends an archive; archives may
//! follow one another, with NUL bytes between them.
//!
//! - The reader borrows the archive, allocates nothing and needs neither
//!   `std` nor `alloc`. Malformed input gives an [`Error`], never a panic or
//!   an out-of-bounds read. What it accepts, and where it is stricter than
//!   Linux, is described in the [`reader`] module.
//! - The writer needs `alloc` and is behind the `alloc` feature, on by
//!   default; the kernel depends on this crate with
//!   `default-features = false`. Its output is deterministic; the layout
//!   choices are listed in the [`writer`] module.
//!
//! Compressed images are not decompressed: the reader reports
//! [`Error::Compressed`].

#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

#[cfg(feature = "alloc")]
extern crate alloc;

mod error;
mod header;
mod mode;
pub mod reader;
#[cfg(feature = "alloc")]
pub mod writer;

pub use error::{Compression, Error};
pub use header::{
    checksum, Field, Format, HEADER_LEN, MAGIC_CRC, MAGIC_NEWC, MAX_NAME_SIZE, MAX_SYMLINK_LEN, TRAILER_NAME,
};
pub use mode::{FileType, PERMISSION_MASK, TYPE_MASK};
pub use reader::{entries, Entries, Entry, LinkKey};
#[cfg(feature = "alloc")]
pub use writer::{BuildError, Builder, Metadata};
