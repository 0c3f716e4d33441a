//! Feature flags in the superblock, and what this implementation does with
//! them. An INCOMPAT feature changes the format so that a driver that does
//! not know it must not mount; an unknown RO_COMPAT feature still allows
//! reading; COMPAT features (`ext_attr`, `resize_inode`, `dir_index`...)
//! can be ignored: their structures are marked used in the bitmaps, and
//! an htree directory reads as a plain one (see `dir.rs`).

/// Directory entries carry the node's type.
pub const INCOMPAT_FILETYPE: u32 = 0x0002;

/// Backup superblocks only in groups 0, 1 and powers of 3, 5 and 7; the
/// bitmaps already mark where they are, so allocation needs nothing more.
pub const RO_COMPAT_SPARSE_SUPER: u32 = 0x0001;
/// Regular files may be 2 GiB or larger (`i_size_high` is used).
pub const RO_COMPAT_LARGE_FILE: u32 = 0x0002;

/// INCOMPAT features this implementation reads and writes.
pub const SUPPORTED_INCOMPAT: u32 = INCOMPAT_FILETYPE;
/// RO_COMPAT features this implementation keeps intact when writing; any
/// other forces a read-only mount.
pub const SUPPORTED_RO_COMPAT: u32 = RO_COMPAT_SPARSE_SUPER | RO_COMPAT_LARGE_FILE;
