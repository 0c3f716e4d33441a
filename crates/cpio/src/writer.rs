//! Building an archive in memory: [`Builder`] (feature `alloc`).
//!
//! The output depends only on the sequence of calls, never on the host (no
//! clock, no real inode or device numbers), so an image built twice from the
//! same inputs is byte-for-byte the same.
//!
//! Each entry is written as:
//!
//! - names without a leading `/` or `./` (`bin/sh`), as GNU cpio writes them;
//! - inode numbers 1, 2, 3, … in the order entries are written;
//! - `c_nlink` 2 for directories and 1 for everything else, so no entry is
//!   taken for a hard link;
//! - `c_maj`/`c_min` 0; `c_rmaj`/`c_rmin` the device number for device
//!   nodes, else 0;
//! - hex digits in upper case, as GNU cpio and Linux's `gen_init_cpio` write;
//! - `c_chksum` 0 for `070701`, the data sum for `070702` (also for symlinks).
//!
//! [`Builder::finish`] appends the `TRAILER!!!` entry (inode 0, mode 0,
//! nlink 1) and no block padding: the archive ends on a 4-byte boundary.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::fmt;

use crate::header::{
    checksum, pad_len, push_hex8, Field, Format, HEADER_LEN, MAX_NAME_SIZE, MAX_SYMLINK_LEN, TRAILER_NAME,
};
use crate::mode::{FileType, PERMISSION_MASK};
use crate::reader::normalise_name;

/// Ownership, permissions and time of an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Metadata {
    /// Permission bits; only `0o7777` may be set.
    pub permissions: u32,
    pub uid: u32,
    pub gid: u32,
    /// Seconds since the Unix epoch.
    pub mtime: u32,
}

impl Metadata {
    /// `permissions`, owned by root (uid 0, gid 0), mtime 0.
    pub const fn new(permissions: u32) -> Self {
        Metadata { permissions, uid: 0, gid: 0, mtime: 0 }
    }

    pub const fn with_owner(self, uid: u32, gid: u32) -> Self {
        Metadata { uid, gid, ..self }
    }

    pub const fn with_mtime(self, mtime: u32) -> Self {
        Metadata { mtime, ..self }
    }
}

/// Why the [`Builder`] refused an entry. A refused call writes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuildError {
    /// The path is empty or names the root once leading `/` and `./` are
    /// stripped, has an empty, `.` or `..` component (e.g. `a//b`, `a/`,
    /// `a/../b`), or contains NUL.
    InvalidPath,
    /// The path is `TRAILER!!!`, which would end the archive.
    ReservedName,
    /// The path (after stripping) is longer than `MAX_NAME_SIZE - 1` bytes.
    NameTooLong,
    /// An entry of that path was already added (explicitly, or as a parent
    /// created on demand).
    AlreadyExists,
    /// A leading component of the path was added as something other than a
    /// directory.
    ParentNotDirectory,
    /// Bits outside `0o7777` are set in [`Metadata::permissions`].
    InvalidPermissions,
    /// The file data is longer than `u32::MAX` bytes.
    DataTooLarge,
    /// The symlink target is empty, longer than [`crate::MAX_SYMLINK_LEN`],
    /// or contains NUL.
    InvalidSymlinkTarget,
    /// More than `u32::MAX` entries.
    TooManyEntries,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BuildError::InvalidPath => "invalid path",
            BuildError::ReservedName => "TRAILER!!! is reserved",
            BuildError::NameTooLong => "path too long",
            BuildError::AlreadyExists => "path already in the archive",
            BuildError::ParentNotDirectory => "a parent of the path is not a directory",
            BuildError::InvalidPermissions => "permission bits outside 0o7777",
            BuildError::DataTooLarge => "file data longer than 4 GiB",
            BuildError::InvalidSymlinkTarget => "empty, over-long or NUL-holding symlink target",
            BuildError::TooManyEntries => "too many entries",
        })
    }
}

/// Writes a newc (or crc) archive into a `Vec<u8>`.
///
/// Paths are taken relative to the root of the tree; a leading `/` or `./` is
/// stripped. Parent directories that were not added before are created on
/// demand, just ahead of the entry that needs them, with
/// [`Builder::parent_metadata`] (by default `0o755`, root-owned, mtime 0).
/// To give a directory other metadata, add it before anything inside it;
/// adding it afterwards is [`BuildError::AlreadyExists`].
///
/// ```
/// use cpio::{Builder, Metadata};
/// let mut b = Builder::new();
/// b.file("/bin/hello", Metadata::new(0o755), b"#!/bin/sh\necho hi\n").unwrap();
/// b.symlink("/bin/hi", Metadata::new(0o777), "hello").unwrap();
/// let image = b.finish();
/// let names: Vec<_> = cpio::entries(&image).map(|e| e.unwrap().name_str().unwrap()).collect();
/// assert_eq!(names, ["bin", "bin/hello", "bin/hi"]);
/// ```
#[derive(Clone, Debug)]
pub struct Builder {
    out: Vec<u8>,
    format: Format,
    next_ino: u32,
    /// Every path written so far, and whether it is a directory.
    paths: BTreeMap<Vec<u8>, bool>,
    parent_metadata: Metadata,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// A builder writing `070701` (newc) headers.
    pub fn new() -> Self {
        Builder::with_format(Format::Newc)
    }

    /// A builder writing headers of the given format.
    pub fn with_format(format: Format) -> Self {
        Builder { out: Vec::new(), format, next_ino: 1, paths: BTreeMap::new(), parent_metadata: Metadata::new(0o755) }
    }

    /// Sets the metadata of directories created on demand from now on.
    pub fn parent_metadata(&mut self, metadata: Metadata) -> &mut Self {
        self.parent_metadata = metadata;
        self
    }

    /// Adds a directory.
    pub fn dir(&mut self, path: impl AsRef<[u8]>, metadata: Metadata) -> Result<(), BuildError> {
        self.add(path.as_ref(), FileType::Directory, metadata, &[], (0, 0))
    }

    /// Adds a regular file holding `data`.
    pub fn file(&mut self, path: impl AsRef<[u8]>, metadata: Metadata, data: &[u8]) -> Result<(), BuildError> {
        self.add(path.as_ref(), FileType::Regular, metadata, data, (0, 0))
    }

    /// Adds a symbolic link to `target`. Symlink permissions are ignored by
    /// Linux; `0o777` is customary.
    pub fn symlink(
        &mut self,
        path: impl AsRef<[u8]>,
        metadata: Metadata,
        target: impl AsRef<[u8]>,
    ) -> Result<(), BuildError> {
        let target = target.as_ref();
        if target.is_empty() || target.len() > MAX_SYMLINK_LEN || target.contains(&0) {
            return Err(BuildError::InvalidSymlinkTarget);
        }
        self.add(path.as_ref(), FileType::Symlink, metadata, target, (0, 0))
    }

    /// Adds a character device node for device `major:minor`.
    pub fn char_device(
        &mut self,
        path: impl AsRef<[u8]>,
        metadata: Metadata,
        major: u32,
        minor: u32,
    ) -> Result<(), BuildError> {
        self.add(path.as_ref(), FileType::CharDevice, metadata, &[], (major, minor))
    }

    /// Adds a block device node for device `major:minor`.
    pub fn block_device(
        &mut self,
        path: impl AsRef<[u8]>,
        metadata: Metadata,
        major: u32,
        minor: u32,
    ) -> Result<(), BuildError> {
        self.add(path.as_ref(), FileType::BlockDevice, metadata, &[], (major, minor))
    }

    /// Adds a named pipe.
    pub fn fifo(&mut self, path: impl AsRef<[u8]>, metadata: Metadata) -> Result<(), BuildError> {
        self.add(path.as_ref(), FileType::Fifo, metadata, &[], (0, 0))
    }

    /// Appends the trailer and returns the archive.
    pub fn finish(mut self) -> Vec<u8> {
        let trailer = Header { ino: 0, mode: 0, metadata: Metadata::new(0), nlink: 1, rdev: (0, 0) };
        self.write_entry(&trailer, TRAILER_NAME, &[]);
        self.out
    }

    fn add(
        &mut self,
        path: &[u8],
        file_type: FileType,
        metadata: Metadata,
        data: &[u8],
        rdev: (u32, u32),
    ) -> Result<(), BuildError> {
        // Validate everything first, so that a refused call writes nothing.
        let name = checked_path(path)?;
        if metadata.permissions & !PERMISSION_MASK != 0 {
            return Err(BuildError::InvalidPermissions);
        }
        if u32::try_from(data.len()).is_err() {
            return Err(BuildError::DataTooLarge);
        }
        if self.paths.contains_key(name) {
            return Err(BuildError::AlreadyExists);
        }
        let mut missing = 0u32;
        for (i, _) in name.iter().enumerate().filter(|&(_, &b)| b == b'/') {
            match self.paths.get(&name[..i]) {
                Some(true) => {}
                Some(false) => return Err(BuildError::ParentNotDirectory),
                None => missing += 1,
            }
        }
        // Inode numbers must stay below the wrap to 0, the trailer's.
        if self.next_ino.checked_add(missing).and_then(|n| n.checked_add(1)).is_none() {
            return Err(BuildError::TooManyEntries);
        }

        for (i, _) in name.iter().enumerate().filter(|&(_, &b)| b == b'/') {
            let parent = &name[..i];
            if !self.paths.contains_key(parent) {
                let metadata = self.parent_metadata;
                self.write_node(parent, FileType::Directory, metadata, &[], (0, 0));
            }
        }
        self.write_node(name, file_type, metadata, data, rdev);
        Ok(())
    }

    fn write_node(&mut self, name: &[u8], file_type: FileType, metadata: Metadata, data: &[u8], rdev: (u32, u32)) {
        let is_dir = file_type == FileType::Directory;
        let header = Header {
            ino: self.next_ino,
            mode: file_type.bits() | metadata.permissions,
            metadata,
            nlink: if is_dir { 2 } else { 1 },
            rdev,
        };
        self.next_ino += 1;
        self.paths.insert(name.to_vec(), is_dir);
        self.write_entry(&header, name, data);
    }

    fn write_entry(&mut self, header: &Header, name: &[u8], data: &[u8]) {
        let sum = match self.format {
            Format::Newc => 0,
            Format::Crc => checksum(data),
        };
        // Lengths were checked by the callers: names by `checked_path` (or
        // the constant trailer name), data against u32::MAX.
        let name_size = (name.len() + 1) as u32;
        let file_size = data.len() as u32;
        let mut fields = [0u32; 13];
        fields[Field::Ino as usize] = header.ino;
        fields[Field::Mode as usize] = header.mode;
        fields[Field::Uid as usize] = header.metadata.uid;
        fields[Field::Gid as usize] = header.metadata.gid;
        fields[Field::Nlink as usize] = header.nlink;
        fields[Field::Mtime as usize] = header.metadata.mtime;
        fields[Field::FileSize as usize] = file_size;
        fields[Field::RdevMajor as usize] = header.rdev.0;
        fields[Field::RdevMinor as usize] = header.rdev.1;
        fields[Field::NameSize as usize] = name_size;
        fields[Field::Checksum as usize] = sum;

        let start = self.out.len();
        self.out.extend_from_slice(&self.format.magic());
        for value in fields {
            push_hex8(&mut self.out, value);
        }
        debug_assert_eq!(self.out.len() - start, HEADER_LEN);
        self.out.extend_from_slice(name);
        self.out.push(0);
        self.pad();
        self.out.extend_from_slice(data);
        self.pad();
    }

    fn pad(&mut self) {
        let n = pad_len(self.out.len());
        self.out.resize(self.out.len() + n, 0);
    }
}

/// The numbers of one entry's header that are not lengths or checksums.
struct Header {
    ino: u32,
    mode: u32,
    metadata: Metadata,
    nlink: u32,
    rdev: (u32, u32),
}

/// `path` with leading `/` and `./` stripped, if it is a valid entry name.
fn checked_path(path: &[u8]) -> Result<&[u8], BuildError> {
    let name = normalise_name(path);
    if name.is_empty() || name.contains(&0) {
        return Err(BuildError::InvalidPath);
    }
    if name.split(|&b| b == b'/').any(|c| c.is_empty() || c == b"." || c == b"..") {
        return Err(BuildError::InvalidPath);
    }
    if name == TRAILER_NAME {
        return Err(BuildError::ReservedName);
    }
    if name.len() + 1 > MAX_NAME_SIZE {
        return Err(BuildError::NameTooLong);
    }
    Ok(name)
}
