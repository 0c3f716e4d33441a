//! The kernel's virtual file system, without the kernel: file systems behind
//! one trait, the mount table that joins them, path resolution with
//! symlinks, `..` and mounts, permission rules, and ramfs, the in-memory
//! file system the initramfs is unpacked into.
//!
//! - [`FileSystem`] is what a file system implements; it knows only its own
//!   inodes ([`Ino`]) and trusts its caller on permissions.
//! - [`Vfs`] owns the file systems ([`FsId`]) and the mounts; a node
//!   anywhere is a [`NodeRef`]. It is shared by every thread: each file
//!   system has its own lock (the [`Locking`] family the user of the crate
//!   supplies, told each lock's [`LockClass`]), reached through an [`FsHandle`]; the mount table is a
//!   snapshot ([`Mounts`]) replaced whole at each change, so a path walk
//!   holds no lock but the current file system's, one lookup at a time
//!   (the rules are in the `vfs` module). [`Vfs::resolve`], [`Vfs::resolve_parent`]
//!   and [`Vfs::resolve_for_create`] walk paths (the rules are listed in
//!   [`walk`]); [`Vfs::path_of`] walks back up for `getcwd`.
//! - [`permission`] and [`ownership`] hold the access rules a system call
//!   applies before it changes anything.
//! - [`Ramfs`] keeps everything in memory.
//!
//! Nothing here blocks (but in the locks its user supplies), reads a clock (callers pass the time in) or knows a
//! personality: errors are [`Error`] variants that each personality maps to
//! its own numbers. The kernel shares one [`Vfs`] and adds device
//! nodes, /proc and pipes as further file systems or special inodes.

#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_debug_implementations)]

extern crate alloc;

mod credentials;
mod detached;
mod dir_entry;
mod error;
mod file_type;
mod filesystem;
mod fs_stats;
mod lock;
mod metadata;
pub mod mount;
pub mod name;
mod new_node;
mod node;
pub mod ownership;
mod path_of;
pub mod permission;
pub mod ramfs;
mod time;
mod vfs;
pub mod walk;

pub use credentials::{Credentials, Overrides};
pub use dir_entry::DirEntry;
pub use error::Error;
pub use file_type::FileType;
pub use filesystem::{FileSystem, XattrSet};
pub use fs_stats::FsStats;
pub use lock::{LockClass, Locking};
pub use metadata::{DeviceNumber, Metadata, MetadataChange, OwnerAndTimes, PERMISSION_BITS, SET_GID, SET_UID, STICKY};
pub use mount::{MountInfo, Mounts};
pub use name::{MAX_SYMLINKS, NAME_MAX, PATH_MAX};
pub use new_node::{NewNode, NodeAttrs};
pub use node::{FsId, Ino, NodeRef};
pub use permission::{check_access, Access};
pub use ramfs::{Ramfs, RamfsLimits};
pub use time::Timestamp;
pub use vfs::{FsHandle, Vfs};
pub use walk::{CreateLookup, LastComponent, Located, ParentLookup, WalkRules};
