//! What a file-system server answers. The kernel decodes answers from a
//! server it does not trust: every field is checked here, and an answer
//! that does not match the question is the server's failure (`Io`).

use vfs::{DeviceNumber, DirEntry, Error, FileType, FsStats, Ino, Metadata};

use crate::request::{get_time, put_time};
use crate::wire::{Reader, WireError, Writer};

/// One answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Response<'a> {
    /// Success with nothing to say.
    Done,
    Mounted {
        root: Ino,
        read_only: bool,
    },
    Ino(Ino),
    Metadata(Metadata),
    /// File data or a symlink target.
    Bytes(&'a [u8]),
    Written(u64),
    Entries(Entries<'a>),
    Stats(FsStats),
    Error(Error),
}

mod tag {
    pub const DONE: u64 = 0;
    pub const MOUNTED: u64 = 1;
    pub const INO: u64 = 2;
    pub const METADATA: u64 = 3;
    pub const BYTES: u64 = 4;
    pub const WRITTEN: u64 = 5;
    pub const ENTRIES: u64 = 6;
    pub const STATS: u64 = 7;
    pub const ERROR: u64 = 8;
}

/// Directory entries as they travel: a count, whether the listing ended,
/// and the entries, each checked when the answer was decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entries<'a> {
    count: u32,
    /// No entries follow the last one here.
    pub end: bool,
    raw: &'a [u8],
}

impl<'a> Entries<'a> {
    pub fn len(&self) -> usize {
        self.count as usize
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = DirEntry<'a>> + 'a {
        let mut r = Reader::new(self.raw);
        (0..self.count).map_while(move |_| get_entry(&mut r).ok())
    }
}

/// The size one entry takes on the wire.
pub fn entry_size(name_len: usize) -> usize {
    8 + 4 + 8 + 4 + name_len
}

/// Builds the `Entries` answer of a read_dir in place.
pub struct EntriesWriter<'b> {
    w: Writer<'b>,
    count: u32,
}

impl<'b> EntriesWriter<'b> {
    /// Starts an answer in `buf`, keeping the entries within `max_bytes`.
    pub fn new(buf: &'b mut [u8], max_bytes: usize) -> Result<Self, WireError> {
        let limit = buf.len().min(max_bytes.saturating_add(HEADER));
        let mut w = Writer::new(&mut buf[..limit]);
        w.u64(tag::ENTRIES)?;
        w.u32(0)?; // count, patched in finish
        w.u32(0)?; // end, patched in finish
        Ok(EntriesWriter { w, count: 0 })
    }

    /// Adds an entry; false when it does not fit (nothing was added).
    pub fn push(&mut self, e: &DirEntry<'_>) -> bool {
        let before = self.w.len();
        let ok = self.w.u64(e.ino).is_ok()
            && self.w.u32(file_type_code(e.file_type)).is_ok()
            && self.w.u64(e.next_cookie).is_ok()
            && self.w.blob(e.name).is_ok();
        if ok {
            self.count += 1;
        } else {
            self.w.shrink_to(before);
        }
        ok
    }

    pub fn count(&self) -> u32 {
        self.count
    }

    /// Closes the answer; returns its length.
    pub fn finish(mut self, end: bool) -> usize {
        self.w.patch_u32(8, self.count);
        self.w.patch_u32(12, end as u32);
        self.w.len()
    }
}

/// Bytes of an `Entries` answer before the first entry.
const HEADER: usize = 16;

/// Bytes of a `Bytes` answer before the data.
pub const BYTES_HEADER: usize = 12;

fn get_entry<'a>(r: &mut Reader<'a>) -> Result<DirEntry<'a>, WireError> {
    let ino = r.u64()?;
    let file_type = file_type_of(r.u32()?)?;
    let next_cookie = r.u64()?;
    let name = r.blob()?;
    if name.is_empty() || name.len() > vfs::NAME_MAX || name.contains(&b'/') || name.contains(&0) {
        return Err(WireError::Malformed);
    }
    Ok(DirEntry { name, ino, file_type, next_cookie })
}

pub(crate) fn file_type_code(t: FileType) -> u32 {
    match t {
        FileType::Regular => 1,
        FileType::Directory => 2,
        FileType::Symlink => 3,
        FileType::CharDevice => 4,
        FileType::BlockDevice => 5,
        FileType::Fifo => 6,
        FileType::Socket => 7,
    }
}

fn file_type_of(code: u32) -> Result<FileType, WireError> {
    Ok(match code {
        1 => FileType::Regular,
        2 => FileType::Directory,
        3 => FileType::Symlink,
        4 => FileType::CharDevice,
        5 => FileType::BlockDevice,
        6 => FileType::Fifo,
        7 => FileType::Socket,
        _ => return Err(WireError::Malformed),
    })
}

/// Every `vfs::Error` and its number on the wire.
const ERRORS: [Error; 23] = [
    Error::NotFound,
    Error::NotDirectory,
    Error::IsDirectory,
    Error::Exists,
    Error::NotEmpty,
    Error::Loop,
    Error::NameTooLong,
    Error::PermissionDenied,
    Error::NotPermitted,
    Error::CrossDevice,
    Error::Busy,
    Error::NoSpace,
    Error::InvalidArgument,
    Error::ReadOnly,
    Error::NotSupported,
    Error::BadFileType,
    Error::FileTooBig,
    Error::TooManyLinks,
    Error::Io,
    Error::Corrupted,
    Error::NoMemory,
    Error::NoAttribute,
    Error::OutOfRange,
];

pub fn error_code(e: Error) -> u32 {
    ERRORS.iter().position(|&x| x == e).map_or(0, |i| i as u32 + 1)
}

pub fn error_of(code: u32) -> Option<Error> {
    ERRORS.get((code as usize).checked_sub(1)?).copied()
}

fn put_metadata(w: &mut Writer<'_>, m: &Metadata) -> Result<(), WireError> {
    w.u32(file_type_code(m.file_type))?;
    w.u32(m.mode)?;
    w.u32(m.uid)?;
    w.u32(m.gid)?;
    w.u32(m.nlink)?;
    w.u64(m.size)?;
    w.u32(m.rdev.major)?;
    w.u32(m.rdev.minor)?;
    put_time(w, m.atime)?;
    put_time(w, m.mtime)?;
    put_time(w, m.ctime)?;
    w.u64(m.ino)?;
    w.u64(m.blocks)?;
    w.u32(m.blksize)
}

fn get_metadata(r: &mut Reader<'_>) -> Result<Metadata, WireError> {
    let file_type = file_type_of(r.u32()?)?;
    let mode = r.u32()?;
    if mode & !vfs::PERMISSION_BITS != 0 {
        return Err(WireError::Malformed);
    }
    Ok(Metadata {
        file_type,
        mode,
        uid: r.u32()?,
        gid: r.u32()?,
        nlink: r.u32()?,
        size: r.u64()?,
        rdev: DeviceNumber { major: r.u32()?, minor: r.u32()? },
        atime: get_time(r)?,
        mtime: get_time(r)?,
        ctime: get_time(r)?,
        ino: r.u64()?,
        blocks: r.u64()?,
        blksize: r.u32()?,
    })
}

impl<'a> Response<'a> {
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize, WireError> {
        let mut w = Writer::new(buf);
        match *self {
            Response::Done => w.u64(tag::DONE)?,
            Response::Mounted { root, read_only } => {
                w.u64(tag::MOUNTED)?;
                w.u64(root)?;
                w.u32(read_only as u32)?;
            }
            Response::Ino(ino) => {
                w.u64(tag::INO)?;
                w.u64(ino)?;
            }
            Response::Metadata(ref m) => {
                w.u64(tag::METADATA)?;
                put_metadata(&mut w, m)?;
            }
            Response::Bytes(data) => {
                w.u64(tag::BYTES)?;
                w.blob(data)?;
            }
            Response::Written(n) => {
                w.u64(tag::WRITTEN)?;
                w.u64(n)?;
            }
            Response::Entries(e) => {
                w.u64(tag::ENTRIES)?;
                w.u32(e.count)?;
                w.u32(e.end as u32)?;
                w.bytes(e.raw)?;
            }
            Response::Stats(s) => {
                w.u64(tag::STATS)?;
                w.u32(s.block_size)?;
                w.u64(s.total_blocks)?;
                w.u64(s.free_blocks)?;
                w.u64(s.total_inodes)?;
                w.u64(s.free_inodes)?;
                w.u32(s.name_max)?;
            }
            Response::Error(e) => {
                w.u64(tag::ERROR)?;
                w.u32(error_code(e))?;
            }
        }
        Ok(w.len())
    }

    pub fn decode(buf: &'a [u8]) -> Result<Response<'a>, WireError> {
        let mut r = Reader::new(buf);
        let resp = match r.u64()? {
            tag::DONE => Response::Done,
            tag::MOUNTED => {
                let root = r.u64()?;
                let read_only = match r.u32()? {
                    0 => false,
                    1 => true,
                    _ => return Err(WireError::Malformed),
                };
                Response::Mounted { root, read_only }
            }
            tag::INO => Response::Ino(r.u64()?),
            tag::METADATA => Response::Metadata(get_metadata(&mut r)?),
            tag::BYTES => Response::Bytes(r.blob()?),
            tag::WRITTEN => Response::Written(r.u64()?),
            tag::ENTRIES => {
                let count = r.u32()?;
                let end = match r.u32()? {
                    0 => false,
                    1 => true,
                    _ => return Err(WireError::Malformed),
                };
                let start = 16;
                for _ in 0..count {
                    get_entry(&mut r)?;
                }
                let raw = &buf[start..];
                Response::Entries(Entries { count, end, raw })
            }
            tag::STATS => Response::Stats(FsStats {
                block_size: r.u32()?,
                total_blocks: r.u64()?,
                free_blocks: r.u64()?,
                total_inodes: r.u64()?,
                free_inodes: r.u64()?,
                name_max: r.u32()?,
            }),
            tag::ERROR => Response::Error(error_of(r.u32()?).ok_or(WireError::Malformed)?),
            _ => return Err(WireError::Malformed),
        };
        r.finish()?;
        Ok(resp)
    }
}

/// Builds a `Bytes` answer in place: `fill` writes into the reserved room
/// and returns how much it used. Returns the answer's length.
pub fn encode_bytes_with<E>(
    buf: &mut [u8],
    max: usize,
    fill: impl FnOnce(&mut [u8]) -> Result<usize, E>,
) -> Result<Result<usize, E>, WireError> {
    let room = buf.len().saturating_sub(BYTES_HEADER).min(max);
    let mut w = Writer::new(buf);
    w.u64(tag::BYTES)?;
    w.u32(0)?;
    let dst = w.reserve(room)?;
    match fill(dst) {
        Ok(n) => {
            let n = n.min(room);
            w.shrink_to(BYTES_HEADER + n);
            w.patch_u32(8, n as u32);
            Ok(Ok(w.len()))
        }
        Err(e) => Ok(Err(e)),
    }
}
