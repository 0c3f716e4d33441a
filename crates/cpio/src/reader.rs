//! Walking an archive: [`entries`] and the [`Entry`] values it yields.
//!
//! The reader borrows the archive and copies nothing: names and data are
//! sub-slices of the input. It needs neither `std` nor `alloc`.
//!
//! What is accepted follows what Linux's initramfs unpacker accepts, made
//! stricter wherever Linux would silently skip or misread damaged input:
//!
//! - Runs of NUL bytes may stand before, between and after members, as Linux
//!   allows; a member must then start at an offset that is a multiple of 4
//!   (counted from the start of the slice), else [`Error::Misaligned`].
//! - `TRAILER!!!` ends one archive and may be followed by another; it is not
//!   yielded. Entries after it get the next [`Entry::archive_index`], which
//!   is how Linux scopes hard links (it forgets inodes at each trailer).
//! - The trailer is optional, as in Linux: the input may simply end after
//!   any member. Use [`Entries::require_trailer`] to demand one.
//! - All 8 digits of every field must be hex (either case); the padding must
//!   be present and zero; names must be NUL-terminated; `070701` checksums
//!   must be zero and `070702` checksums must match (see [`Entry::checksum`]).

use crate::error::{Compression, Error};
use crate::header::{
    align_up, checksum, parse_hex8, Field, Format, FIELD_COUNT, FIELD_LEN, HEADER_LEN, MAGIC_CRC, MAGIC_NEWC,
    MAX_NAME_SIZE, MAX_SYMLINK_LEN, TRAILER_NAME,
};
use crate::mode::{FileType, PERMISSION_MASK};

/// Iterates over the entries of the newc/crc archive (or several archives
/// back to back) in `archive`.
///
/// `archive` must begin where the initramfs image begins: member alignment is
/// counted from its first byte.
pub fn entries(archive: &[u8]) -> Entries<'_> {
    Entries { archive, pos: 0, archive_index: 0, require_trailer: false, after_trailer: false, done: false }
}

/// Iterator over the entries of an archive; see [`entries`].
///
/// Yields `Ok(entry)` for each member except trailers, and stops after the
/// first `Err`. Never panics and never reads outside the slice.
#[derive(Clone)]
pub struct Entries<'a> {
    archive: &'a [u8],
    pos: usize,
    archive_index: u32,
    require_trailer: bool,
    after_trailer: bool,
    done: bool,
}

impl<'a> Entries<'a> {
    /// Makes the end of the input an error ([`Error::MissingTrailer`]) unless
    /// the last member was a `TRAILER!!!` entry (NUL padding may follow it).
    /// An empty input is then an error too.
    ///
    /// Linux does not require the trailer, so an input cut off exactly between
    /// two members reads as a shorter, valid archive; this option detects
    /// that kind of truncation.
    pub fn require_trailer(mut self) -> Self {
        self.require_trailer = true;
        self
    }

    /// Offset of the first byte not yet consumed.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// How many `TRAILER!!!` entries have been read so far.
    pub fn trailers_seen(&self) -> u32 {
        self.archive_index
    }

    fn step(&mut self) -> Result<Option<Entry<'a>>, Error> {
        loop {
            let rest = self.archive.get(self.pos..).unwrap_or(&[]);
            self.pos += rest.iter().take_while(|&&b| b == 0).count();
            if self.pos >= self.archive.len() {
                if self.require_trailer && !self.after_trailer {
                    return Err(Error::MissingTrailer { offset: self.pos });
                }
                return Ok(None);
            }
            if !self.pos.is_multiple_of(crate::header::ALIGN) {
                return Err(Error::Misaligned { offset: self.pos });
            }
            let member = parse_member(self.archive, self.pos, self.archive_index)?;
            self.pos = member.end;
            match member.entry {
                None => {
                    self.archive_index = self.archive_index.wrapping_add(1);
                    self.after_trailer = true;
                }
                Some(entry) => {
                    self.after_trailer = false;
                    return Ok(Some(entry));
                }
            }
        }
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = Result<Entry<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.step() {
            Ok(Some(entry)) => Some(Ok(entry)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for Entries<'_> {}

impl core::fmt::Debug for Entries<'_> {
    // Not the archive itself: it may be megabytes.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Entries")
            .field("len", &self.archive.len())
            .field("pos", &self.pos)
            .field("archive_index", &self.archive_index)
            .field("require_trailer", &self.require_trailer)
            .field("done", &self.done)
            .finish()
    }
}

/// One file, directory, link or node of the archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    offset: usize,
    format: Format,
    archive_index: u32,
    file_type: FileType,
    fields: [u32; FIELD_COUNT],
    raw_name: &'a [u8],
    data: &'a [u8],
}

impl<'a> Entry<'a> {
    fn field(&self, field: Field) -> u32 {
        self.fields[field as usize]
    }

    /// The name exactly as stored, without its terminating NUL. Never empty
    /// and never containing NUL.
    pub fn raw_name(&self) -> &'a [u8] {
        self.raw_name
    }

    /// The name relative to the root of the unpacked tree: any leading `/`
    /// and `./` are removed (repeatedly), so `/bin/sh`, `./bin/sh` and
    /// `bin/sh` all give `bin/sh`, and `.` (which `find . | cpio -o` emits
    /// for the root directory) gives the empty name. Nothing else is changed:
    /// a trailing `/`, `//` or `..` component is passed through for the path
    /// walk to judge (`..` cannot climb above the root it is resolved in).
    pub fn name(&self) -> &'a [u8] {
        normalise_name(self.raw_name)
    }

    /// [`Entry::name`] as text, if it is valid UTF-8.
    pub fn name_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.name()).ok()
    }

    /// Whether [`Entry::name`] is empty, i.e. the entry describes the root
    /// directory of the tree (normally a `.` entry).
    pub fn is_root(&self) -> bool {
        self.name().is_empty()
    }

    /// The file type from `c_mode`.
    pub fn file_type(&self) -> FileType {
        self.file_type
    }

    /// The permission bits of `c_mode` (`0o7777`: rwx, setuid, setgid, sticky).
    pub fn permissions(&self) -> u32 {
        self.mode() & PERMISSION_MASK
    }

    /// `c_mode` as stored: type bits and permission bits.
    pub fn mode(&self) -> u32 {
        self.field(Field::Mode)
    }

    /// The data: a regular file's contents or a symlink's target; empty for
    /// every other type. A hard-linked file's data may be on any one of its
    /// entries (GNU cpio puts it on the last); see [`Entry::link_key`].
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// The target of a symlink (never empty, no NUL), or `None` for other
    /// types.
    pub fn symlink_target(&self) -> Option<&'a [u8]> {
        (self.file_type == FileType::Symlink).then_some(self.data)
    }

    pub fn ino(&self) -> u32 {
        self.field(Field::Ino)
    }

    pub fn uid(&self) -> u32 {
        self.field(Field::Uid)
    }

    pub fn gid(&self) -> u32 {
        self.field(Field::Gid)
    }

    pub fn nlink(&self) -> u32 {
        self.field(Field::Nlink)
    }

    /// Modification time in seconds since the Unix epoch (unsigned 32-bit).
    pub fn mtime(&self) -> u32 {
        self.field(Field::Mtime)
    }

    /// Major number of the device the file lived on (`c_maj`).
    pub fn dev_major(&self) -> u32 {
        self.field(Field::DevMajor)
    }

    /// Minor number of the device the file lived on (`c_min`).
    pub fn dev_minor(&self) -> u32 {
        self.field(Field::DevMinor)
    }

    /// Major number of the device a device node names (`c_rmaj`).
    pub fn rdev_major(&self) -> u32 {
        self.field(Field::RdevMajor)
    }

    /// Minor number of the device a device node names (`c_rmin`).
    pub fn rdev_minor(&self) -> u32 {
        self.field(Field::RdevMinor)
    }

    /// `c_chksum` as stored. Verified by the reader: zero for `070701`; for
    /// `070702`, the data sum for regular files, zero for types without data,
    /// and zero or the data sum for symlinks (GNU cpio writes zero there and
    /// Linux checks only regular files).
    pub fn checksum(&self) -> u32 {
        self.field(Field::Checksum)
    }

    /// Which magic the entry's header carries.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Offset of the entry's header in the archive.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// How many `TRAILER!!!` entries precede this one: 0 in the first archive
    /// of a concatenation, 1 in the second, and so on.
    pub fn archive_index(&self) -> u32 {
        self.archive_index
    }

    /// The hard-link identity of this entry, if it takes part in one.
    ///
    /// Linux treats a regular file, device node, fifo or socket entry with
    /// `c_nlink >= 2` as a hard link to an earlier entry with the same
    /// (`c_maj`, `c_min`, `c_ino`, file type) in the same archive (the table
    /// is emptied at each trailer); directories and symlinks are never
    /// linked, so they get `None` here. To unpack
    /// like Linux: the first entry with a given key creates the file, each
    /// later one becomes a link to it, and whichever entry carries data
    /// (non-empty [`Entry::data`]) writes the contents; an entry without data
    /// leaves them as they are.
    pub fn link_key(&self) -> Option<LinkKey> {
        let linkable = !matches!(self.file_type, FileType::Directory | FileType::Symlink);
        (self.nlink() >= 2 && linkable).then(|| LinkKey {
            archive_index: self.archive_index,
            dev_major: self.dev_major(),
            dev_minor: self.dev_minor(),
            ino: self.ino(),
            file_type: self.file_type,
        })
    }
}

/// Identity shared by the entries of one hard-linked file; see
/// [`Entry::link_key`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkKey {
    pub archive_index: u32,
    pub dev_major: u32,
    pub dev_minor: u32,
    pub ino: u32,
    pub file_type: FileType,
}

/// Strips leading `/` and `./` and turns a lone `.` into the empty name.
pub(crate) fn normalise_name(mut name: &[u8]) -> &[u8] {
    loop {
        if let Some(rest) = name.strip_prefix(b"/") {
            name = rest;
        } else if let Some(rest) = name.strip_prefix(b"./") {
            name = rest;
        } else if name == b"." {
            return &[];
        } else {
            return name;
        }
    }
}

/// A parsed member: an entry, or `None` for a trailer; `end` is the offset
/// just past its data padding.
struct Member<'a> {
    entry: Option<Entry<'a>>,
    end: usize,
}

/// Classifies bytes that do not start with a newc magic.
fn foreign_magic(bytes: &[u8], offset: usize) -> Error {
    if let Some(method) = Compression::detect(bytes) {
        return Error::Compressed { offset, method };
    }
    // Portable ASCII ("odc") cpio, and binary cpio in either byte order.
    if bytes.starts_with(b"070707") || bytes.starts_with(&[0xc7, 0x71]) || bytes.starts_with(&[0x71, 0xc7]) {
        return Error::OldCpioFormat { offset };
    }
    Error::BadMagic { offset }
}

/// The bytes `start..end` of `archive`, or `err` if they are not all there.
fn slice(archive: &[u8], start: usize, len: usize, err: Error) -> Result<&[u8], Error> {
    let end = start.checked_add(len).ok_or(err)?;
    archive.get(start..end).ok_or(err)
}

/// Checks that padding from `start` to the next 4-byte boundary is present
/// and zero, and returns that boundary.
fn skip_padding(archive: &[u8], start: usize, offset: usize) -> Result<usize, Error> {
    let truncated = Error::TruncatedPadding { offset };
    let end = align_up(start).ok_or(truncated)?;
    let pad = archive.get(start..end).ok_or(truncated)?;
    match pad.iter().position(|&b| b != 0) {
        Some(i) => Err(Error::NonZeroPadding { offset: start + i }),
        None => Ok(end),
    }
}

/// Parses the member whose header starts at `offset` (a multiple of 4 with a
/// non-zero byte there).
fn parse_member(archive: &[u8], offset: usize, archive_index: u32) -> Result<Member<'_>, Error> {
    let rest = archive.get(offset..).unwrap_or(&[]);

    // Look at the magic first, even if the header is cut short, so that a
    // compressed or foreign image is named as such.
    let seen = &rest[..rest.len().min(MAGIC_NEWC.len())];
    let format = if MAGIC_NEWC.starts_with(seen) {
        Format::Newc
    } else if MAGIC_CRC.starts_with(seen) {
        Format::Crc
    } else {
        return Err(foreign_magic(rest, offset));
    };
    let header = slice(archive, offset, HEADER_LEN, Error::TruncatedHeader { offset })?;

    let mut fields = [0u32; FIELD_COUNT];
    for field in Field::ALL {
        let at = field.offset();
        let digits: &[u8; FIELD_LEN] =
            header.get(at..at + FIELD_LEN).and_then(|d| d.try_into().ok()).ok_or(Error::TruncatedHeader { offset })?;
        fields[field as usize] =
            parse_hex8(digits).map_err(|i| Error::BadHexDigit { offset: offset + at + i, field })?;
    }
    let get = |field: Field| fields[field as usize];

    // The name.
    let name_size = get(Field::NameSize);
    if name_size <= 1 {
        return Err(Error::EmptyName { offset });
    }
    let name_len = usize::try_from(name_size)
        .ok()
        .filter(|&n| n <= MAX_NAME_SIZE)
        .ok_or(Error::NameTooLong { offset, size: name_size })?;
    let name_start = offset + HEADER_LEN;
    let name_field = slice(archive, name_start, name_len, Error::TruncatedName { offset })?;
    let (raw_name, nul) = name_field.split_at(name_len - 1);
    if nul != [0] {
        return Err(Error::NameWithoutNul { offset });
    }
    if raw_name.contains(&0) {
        return Err(Error::NameContainsNul { offset });
    }

    // What the header promises, before looking at the data.
    let file_size = get(Field::FileSize);
    let stored_sum = get(Field::Checksum);
    let file_type = if raw_name == TRAILER_NAME {
        if file_size != 0 {
            return Err(Error::TrailerWithData { offset });
        }
        None
    } else {
        let mode = get(Field::Mode);
        let file_type = FileType::from_mode(mode).ok_or(Error::UnknownFileType { offset, mode })?;
        match file_type {
            FileType::Regular => {}
            FileType::Symlink => {
                if file_size == 0 {
                    return Err(Error::EmptySymlink { offset });
                }
                if file_size as u64 > MAX_SYMLINK_LEN as u64 {
                    return Err(Error::SymlinkTooLong { offset, size: file_size });
                }
            }
            _ if file_size != 0 => return Err(Error::UnexpectedData { offset, file_type }),
            _ => {}
        }
        Some(file_type)
    };
    if format == Format::Newc && stored_sum != 0 {
        return Err(Error::ChecksumNotZero { offset });
    }

    // The data, between two paddings.
    let data_start = skip_padding(archive, name_start + name_len, offset)?;
    let data_len = usize::try_from(file_size).map_err(|_| Error::TruncatedData { offset })?;
    let data = slice(archive, data_start, data_len, Error::TruncatedData { offset })?;
    let end = skip_padding(archive, data_start + data_len, offset)?;

    if format == Format::Crc {
        let computed = checksum(data);
        let ok = stored_sum == computed || (file_type == Some(FileType::Symlink) && stored_sum == 0);
        if !ok {
            return Err(Error::ChecksumMismatch { offset, stored: stored_sum, computed });
        }
    }
    if file_type == Some(FileType::Symlink) && data.contains(&0) {
        return Err(Error::SymlinkContainsNul { offset });
    }

    let entry = file_type.map(|file_type| Entry { offset, format, archive_index, file_type, fields, raw_name, data });
    Ok(Member { entry, end })
}
