//! ext2, read and write, for a file-system server: the second extended file
//! system as Linux and e2fsprogs lay it out (revision 0 and 1; block sizes
//! 1 KiB to 32 KiB; the `filetype`, `sparse_super`, `large_file`,
//! `ext_attr`, `resize_inode` and `dir_index` features), behind
//! [`vfs::FileSystem`].
//!
//! Every on-disk value is an allegation: the image may be corrupted or
//! hostile. Block and inode numbers, record lengths, sizes and depths are
//! checked before use, every loop is bounded by the geometry, and an
//! inconsistency is reported as [`vfs::Error::Corrupted`] rather than
//! trusted. Nothing here panics on what the disk says.
//!
//! How the pieces fit:
//! - [`BlockDevice`] is the storage; `cache.rs` keeps a bounded write-back
//!   cache of its blocks (4 MiB).
//! - [`superblock`], [`group`], [`inode`] and [`dirent`] encode and decode
//!   the on-disk records; [`layout`] derives and validates the geometry.
//! - The volume (`volume.rs`) is the mounted state; `alloc.rs` (bitmaps),
//!   `inode_table.rs`, `block_map.rs` (logical to physical blocks),
//!   `file.rs`, `dir.rs`, `namespace.rs` and `rename.rs` each add one
//!   concern to it.
//! - [`Ext2`] (`ext2.rs`) mounts, syncs and unmounts; `filesystem.rs`
//!   implements [`vfs::FileSystem`] on it.

#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

extern crate alloc;

mod alloc_bitmap;
mod block_map;
mod bytes;
mod cache;
mod device;
pub mod device_number;
mod dir;
pub mod dirent;
mod ext2;
pub mod features;
mod file;
mod filesystem;
pub mod group;
pub mod inode;
mod inode_table;
pub mod layout;
mod namespace;
mod rename;
pub mod superblock;
pub mod timestamp;
mod volume;
mod xattr;

pub use cache::CACHE_BYTES;
pub use device::{BlockDevice, IoError};
pub use ext2::{Ext2, MountOptions};
