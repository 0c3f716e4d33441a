//! Directory entries as they lie in a directory block: inode (4 bytes),
//! record length (2), name length (1, or 2 without the `filetype`
//! feature), file type (1) and the name, padded to 4 bytes. The records
//! of a block chain by their lengths and exactly cover it; an entry with
//! inode 0 is unused space.

use vfs::{Error, FileType};

use crate::bytes::{set_u16, set_u32, set_u8, u16_at, u32_at, u8_at};

pub const HEADER_SIZE: usize = 8;

/// The smallest record that holds a name of `name_len` bytes.
pub const fn rec_len_for(name_len: usize) -> usize {
    (HEADER_SIZE + name_len + 3) & !3
}

/// One decoded entry header; `offset` is where it starts in its block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dirent {
    pub offset: usize,
    pub ino: u32,
    pub rec_len: usize,
    pub name_len: usize,
    pub file_type: u8,
}

impl Dirent {
    pub fn name<'a>(&self, block: &'a [u8]) -> &'a [u8] {
        let start = self.offset + HEADER_SIZE;
        block.get(start..start + self.name_len).unwrap_or(&[])
    }

    /// Bytes the entry needs; the rest of its record is free for a new one.
    pub fn used_len(&self) -> usize {
        if self.ino == 0 {
            0
        } else {
            rec_len_for(self.name_len)
        }
    }
}

/// The entries of one directory block, each checked: a record length that
/// is too short, unaligned or runs past the block, a name longer than its
/// record, or an inode number past `inodes_count` yields one
/// `Err(Corrupted)` and ends the walk. Every step advances by at least
/// [`HEADER_SIZE`], so the walk always ends.
#[derive(Debug)]
pub struct Entries<'a> {
    block: &'a [u8],
    offset: usize,
    filetype: bool,
    inodes_count: u32,
    done: bool,
}

impl<'a> Entries<'a> {
    pub fn new(block: &'a [u8], filetype: bool, inodes_count: u32) -> Self {
        Entries { block, offset: 0, filetype, inodes_count, done: false }
    }
}

impl Iterator for Entries<'_> {
    type Item = Result<Dirent, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.offset >= self.block.len() {
            return None;
        }
        let entry = parse(self.block, self.offset, self.filetype);
        let valid = entry.rec_len >= HEADER_SIZE
            && entry.rec_len.is_multiple_of(4)
            && self.offset + entry.rec_len <= self.block.len()
            && (entry.ino == 0
                || (HEADER_SIZE + entry.name_len <= entry.rec_len
                    && entry.name_len > 0
                    && entry.ino <= self.inodes_count));
        if !valid {
            self.done = true;
            return Some(Err(Error::Corrupted));
        }
        self.offset += entry.rec_len;
        Some(Ok(entry))
    }
}

fn parse(block: &[u8], offset: usize, filetype: bool) -> Dirent {
    let (name_len, file_type) = if filetype {
        (usize::from(u8_at(block, offset + 6)), u8_at(block, offset + 7))
    } else {
        (usize::from(u16_at(block, offset + 6)), 0)
    };
    Dirent { offset, ino: u32_at(block, offset), rec_len: usize::from(u16_at(block, offset + 4)), name_len, file_type }
}

/// Writes a whole entry at `offset`; the caller has checked it fits.
pub fn write(
    block: &mut [u8],
    offset: usize,
    ino: u32,
    rec_len: usize,
    name: &[u8],
    file_type: Option<FileType>,
    filetype: bool,
) {
    set_u32(block, offset, ino);
    set_rec_len(block, offset, rec_len);
    if filetype {
        set_u8(block, offset + 6, name.len() as u8);
        set_u8(block, offset + 7, file_type.map_or(0, type_code));
    } else {
        set_u16(block, offset + 6, name.len() as u16);
    }
    let start = offset + HEADER_SIZE;
    if let Some(slot) = block.get_mut(start..start + name.len()) {
        slot.copy_from_slice(name);
    }
}

pub fn set_rec_len(block: &mut [u8], offset: usize, rec_len: usize) {
    set_u16(block, offset + 4, rec_len as u16);
}

/// Points the entry at another inode (and type, with `filetype`).
pub fn set_target(block: &mut [u8], offset: usize, ino: u32, file_type: FileType, filetype: bool) {
    set_u32(block, offset, ino);
    if filetype {
        set_u8(block, offset + 7, type_code(file_type));
    }
}

/// The `filetype` code of a node type.
pub fn type_code(file_type: FileType) -> u8 {
    match file_type {
        FileType::Regular => 1,
        FileType::Directory => 2,
        FileType::CharDevice => 3,
        FileType::BlockDevice => 4,
        FileType::Fifo => 5,
        FileType::Socket => 6,
        FileType::Symlink => 7,
    }
}

/// The node type a `filetype` code names; `None` for 0 (unknown) and
/// invalid codes.
pub fn type_from_code(code: u8) -> Option<FileType> {
    Some(match code {
        1 => FileType::Regular,
        2 => FileType::Directory,
        3 => FileType::CharDevice,
        4 => FileType::BlockDevice,
        5 => FileType::Fifo,
        6 => FileType::Socket,
        7 => FileType::Symlink,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    #[test]
    fn write_then_walk() {
        let mut block = vec![0u8; 1024];
        write(&mut block, 0, 2, 12, b".", Some(FileType::Directory), true);
        write(&mut block, 12, 2, 12, b"..", Some(FileType::Directory), true);
        write(&mut block, 24, 11, 1000, b"hello", Some(FileType::Regular), true);
        let entries: Vec<_> = Entries::new(&block, true, 100).collect::<Result<_, _>>().unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[2].name(&block), b"hello");
        assert_eq!(entries[2].file_type, 1);
        assert_eq!(entries[2].used_len(), rec_len_for(5));
        assert_eq!(rec_len_for(5), 16);
        // Without filetype the name length takes two bytes.
        let mut block = vec![0u8; 1024];
        write(&mut block, 0, 11, 1024, b"hello", None, false);
        let e = Entries::new(&block, false, 100).next().unwrap().unwrap();
        assert_eq!((e.name_len, e.file_type), (5, 0));
    }

    #[test]
    fn bad_records_are_corrupted_and_end_the_walk() {
        let mut block = vec![0u8; 1024];
        // rec_len 0 must not loop.
        assert_eq!(Entries::new(&block, true, 100).collect::<Vec<_>>(), vec![Err(Error::Corrupted)]);
        write(&mut block, 0, 5, 2000, b"x", None, true);
        assert_eq!(Entries::new(&block, true, 100).next(), Some(Err(Error::Corrupted)));
        write(&mut block, 0, 500, 1024, b"x", None, true);
        assert_eq!(Entries::new(&block, true, 100).next(), Some(Err(Error::Corrupted)));
        write(&mut block, 0, 5, 1024, &[b'a'; 200], None, true);
        set_rec_len(&mut block, 0, 100);
        assert_eq!(Entries::new(&block, true, 100).next(), Some(Err(Error::Corrupted)));
    }
}
