//! What the kernel asks a file-system server: one request per exchange,
//! mirroring `vfs::FileSystem` plus the calls that frame a mount's life.

use vfs::{Ino, MetadataChange, NewNode, NodeAttrs, Timestamp};

use crate::wire::{Reader, WireError, Writer};

/// One request. Byte strings borrow from the buffer they were decoded from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request<'a> {
    /// Mount the server's file system; answered with [`crate::Response::Mounted`].
    Mount {
        read_only: bool,
        now: Timestamp,
    },
    /// Write everything cached to the device.
    Sync {
        now: Timestamp,
    },
    /// Sync and forget the mount; the server may be mounted again later.
    Unmount {
        now: Timestamp,
    },
    Metadata {
        ino: Ino,
    },
    Lookup {
        dir: Ino,
        name: &'a [u8],
    },
    Create {
        dir: Ino,
        name: &'a [u8],
        node: NewNode<'a>,
        attrs: NodeAttrs,
        now: Timestamp,
    },
    Link {
        dir: Ino,
        name: &'a [u8],
        target: Ino,
        now: Timestamp,
    },
    Unlink {
        dir: Ino,
        name: &'a [u8],
        now: Timestamp,
    },
    Rmdir {
        dir: Ino,
        name: &'a [u8],
        now: Timestamp,
    },
    Rename {
        from_dir: Ino,
        from_name: &'a [u8],
        to_dir: Ino,
        to_name: &'a [u8],
        now: Timestamp,
    },
    Readlink {
        ino: Ino,
    },
    /// At most `len` bytes; the server never answers with more.
    Read {
        ino: Ino,
        offset: u64,
        len: u32,
    },
    Write {
        ino: Ino,
        offset: u64,
        data: &'a [u8],
        now: Timestamp,
    },
    Truncate {
        ino: Ino,
        len: u64,
        now: Timestamp,
    },
    /// Entries from `cookie` on, as many as fit in `max_bytes` of encoded
    /// entries.
    ReadDir {
        dir: Ino,
        cookie: u64,
        max_bytes: u32,
    },
    SetMetadata {
        ino: Ino,
        change: MetadataChange,
        now: Timestamp,
    },
    Statfs,
    Retain {
        ino: Ino,
    },
    Release {
        ino: Ino,
    },
}

/// The most bytes a request's fixed fields (op code, inodes, times,
/// lengths, attributes) take, whatever the request.
pub const FIXED_FIELDS_MAX: usize = 128;

/// Operation codes, also the IPC message label (for logs and traces).
pub mod op {
    pub const MOUNT: u64 = 1;
    pub const SYNC: u64 = 2;
    pub const UNMOUNT: u64 = 3;
    pub const METADATA: u64 = 4;
    pub const LOOKUP: u64 = 5;
    pub const CREATE: u64 = 6;
    pub const LINK: u64 = 7;
    pub const UNLINK: u64 = 8;
    pub const RMDIR: u64 = 9;
    pub const RENAME: u64 = 10;
    pub const READLINK: u64 = 11;
    pub const READ: u64 = 12;
    pub const WRITE: u64 = 13;
    pub const TRUNCATE: u64 = 14;
    pub const READ_DIR: u64 = 15;
    pub const SET_METADATA: u64 = 16;
    pub const STATFS: u64 = 17;
    pub const RETAIN: u64 = 18;
    pub const RELEASE: u64 = 19;
}

/// Kinds of `NewNode` on the wire.
mod kind {
    pub const FILE: u64 = 0;
    pub const DIRECTORY: u64 = 1;
    pub const SYMLINK: u64 = 2;
    pub const CHAR_DEVICE: u64 = 3;
    pub const BLOCK_DEVICE: u64 = 4;
    pub const FIFO: u64 = 5;
    pub const SOCKET: u64 = 6;
}

pub(crate) fn put_time(w: &mut Writer<'_>, t: Timestamp) -> Result<(), WireError> {
    w.u64(t.secs as u64)?;
    w.u32(t.nanos)
}

pub(crate) fn get_time(r: &mut Reader<'_>) -> Result<Timestamp, WireError> {
    let secs = r.u64()? as i64;
    let nanos = r.u32()?;
    if nanos >= 1_000_000_000 {
        return Err(WireError::Malformed);
    }
    Ok(Timestamp { secs, nanos })
}

fn put_option(w: &mut Writer<'_>, v: Option<u64>) -> Result<(), WireError> {
    match v {
        Some(v) => {
            w.u32(1)?;
            w.u64(v)
        }
        None => w.u32(0),
    }
}

fn get_option(r: &mut Reader<'_>) -> Result<Option<u64>, WireError> {
    match r.u32()? {
        0 => Ok(None),
        1 => Ok(Some(r.u64()?)),
        _ => Err(WireError::Malformed),
    }
}

fn put_time_option(w: &mut Writer<'_>, v: Option<Timestamp>) -> Result<(), WireError> {
    match v {
        Some(t) => {
            w.u32(1)?;
            put_time(w, t)
        }
        None => w.u32(0),
    }
}

fn get_time_option(r: &mut Reader<'_>) -> Result<Option<Timestamp>, WireError> {
    match r.u32()? {
        0 => Ok(None),
        1 => Ok(Some(get_time(r)?)),
        _ => Err(WireError::Malformed),
    }
}

fn small(v: Option<u64>) -> Result<Option<u32>, WireError> {
    v.map(|v| u32::try_from(v).map_err(|_| WireError::Malformed)).transpose()
}

impl<'a> Request<'a> {
    pub fn op(&self) -> u64 {
        match self {
            Request::Mount { .. } => op::MOUNT,
            Request::Sync { .. } => op::SYNC,
            Request::Unmount { .. } => op::UNMOUNT,
            Request::Metadata { .. } => op::METADATA,
            Request::Lookup { .. } => op::LOOKUP,
            Request::Create { .. } => op::CREATE,
            Request::Link { .. } => op::LINK,
            Request::Unlink { .. } => op::UNLINK,
            Request::Rmdir { .. } => op::RMDIR,
            Request::Rename { .. } => op::RENAME,
            Request::Readlink { .. } => op::READLINK,
            Request::Read { .. } => op::READ,
            Request::Write { .. } => op::WRITE,
            Request::Truncate { .. } => op::TRUNCATE,
            Request::ReadDir { .. } => op::READ_DIR,
            Request::SetMetadata { .. } => op::SET_METADATA,
            Request::Statfs => op::STATFS,
            Request::Retain { .. } => op::RETAIN,
            Request::Release { .. } => op::RELEASE,
        }
    }

    /// The bytes of names, targets and data the request carries: its
    /// encoding takes at most this plus [`FIXED_FIELDS_MAX`] bytes.
    pub fn payload_len(&self) -> usize {
        match *self {
            Request::Lookup { name, .. }
            | Request::Link { name, .. }
            | Request::Unlink { name, .. }
            | Request::Rmdir { name, .. } => name.len(),
            Request::Create { name, node: NewNode::Symlink(target), .. } => name.len() + target.len(),
            Request::Create { name, .. } => name.len(),
            Request::Rename { from_name, to_name, .. } => from_name.len() + to_name.len(),
            Request::Write { data, .. } => data.len(),
            _ => 0,
        }
    }

    /// Encodes the request into `buf`; returns its length.
    pub fn encode(&self, buf: &mut [u8]) -> Result<usize, WireError> {
        let mut w = Writer::new(buf);
        w.u64(self.op())?;
        match *self {
            Request::Mount { read_only, now } => {
                w.u32(read_only as u32)?;
                put_time(&mut w, now)?;
            }
            Request::Sync { now } | Request::Unmount { now } => put_time(&mut w, now)?,
            Request::Metadata { ino }
            | Request::Readlink { ino }
            | Request::Retain { ino }
            | Request::Release { ino } => w.u64(ino)?,
            Request::Lookup { dir, name } => {
                w.u64(dir)?;
                w.blob(name)?;
            }
            Request::Create { dir, name, node, attrs, now } => {
                w.u64(dir)?;
                w.blob(name)?;
                let (k, a, b, target): (u64, u32, u32, &[u8]) = match node {
                    NewNode::File => (kind::FILE, 0, 0, b""),
                    NewNode::Directory => (kind::DIRECTORY, 0, 0, b""),
                    NewNode::Symlink(t) => (kind::SYMLINK, 0, 0, t),
                    NewNode::Device { char: true, major, minor } => (kind::CHAR_DEVICE, major, minor, b""),
                    NewNode::Device { char: false, major, minor } => (kind::BLOCK_DEVICE, major, minor, b""),
                    NewNode::Fifo => (kind::FIFO, 0, 0, b""),
                    NewNode::Socket => (kind::SOCKET, 0, 0, b""),
                };
                w.u64(k)?;
                w.u32(a)?;
                w.u32(b)?;
                w.blob(target)?;
                w.u32(attrs.mode)?;
                w.u32(attrs.uid)?;
                w.u32(attrs.gid)?;
                put_time(&mut w, now)?;
            }
            Request::Link { dir, name, target, now } => {
                w.u64(dir)?;
                w.blob(name)?;
                w.u64(target)?;
                put_time(&mut w, now)?;
            }
            Request::Unlink { dir, name, now } | Request::Rmdir { dir, name, now } => {
                w.u64(dir)?;
                w.blob(name)?;
                put_time(&mut w, now)?;
            }
            Request::Rename { from_dir, from_name, to_dir, to_name, now } => {
                w.u64(from_dir)?;
                w.blob(from_name)?;
                w.u64(to_dir)?;
                w.blob(to_name)?;
                put_time(&mut w, now)?;
            }
            Request::Read { ino, offset, len } => {
                w.u64(ino)?;
                w.u64(offset)?;
                w.u32(len)?;
            }
            Request::Write { ino, offset, data, now } => {
                w.u64(ino)?;
                w.u64(offset)?;
                put_time(&mut w, now)?;
                w.blob(data)?;
            }
            Request::Truncate { ino, len, now } => {
                w.u64(ino)?;
                w.u64(len)?;
                put_time(&mut w, now)?;
            }
            Request::ReadDir { dir, cookie, max_bytes } => {
                w.u64(dir)?;
                w.u64(cookie)?;
                w.u32(max_bytes)?;
            }
            Request::SetMetadata { ino, change, now } => {
                w.u64(ino)?;
                put_option(&mut w, change.mode.map(u64::from))?;
                put_option(&mut w, change.uid.map(u64::from))?;
                put_option(&mut w, change.gid.map(u64::from))?;
                put_time_option(&mut w, change.atime)?;
                put_time_option(&mut w, change.mtime)?;
                put_time(&mut w, now)?;
            }
            Request::Statfs => {}
        }
        Ok(w.len())
    }

    /// Decodes a request; anything malformed (unknown op, bad lengths,
    /// trailing bytes, out-of-range fields) is refused.
    pub fn decode(buf: &'a [u8]) -> Result<Request<'a>, WireError> {
        let mut r = Reader::new(buf);
        let req = match r.u64()? {
            op::MOUNT => {
                let read_only = match r.u32()? {
                    0 => false,
                    1 => true,
                    _ => return Err(WireError::Malformed),
                };
                Request::Mount { read_only, now: get_time(&mut r)? }
            }
            op::SYNC => Request::Sync { now: get_time(&mut r)? },
            op::UNMOUNT => Request::Unmount { now: get_time(&mut r)? },
            op::METADATA => Request::Metadata { ino: r.u64()? },
            op::READLINK => Request::Readlink { ino: r.u64()? },
            op::RETAIN => Request::Retain { ino: r.u64()? },
            op::RELEASE => Request::Release { ino: r.u64()? },
            op::LOOKUP => Request::Lookup { dir: r.u64()?, name: r.blob()? },
            op::CREATE => {
                let dir = r.u64()?;
                let name = r.blob()?;
                let k = r.u64()?;
                let major = r.u32()?;
                let minor = r.u32()?;
                let target = r.blob()?;
                let node = match k {
                    kind::FILE => NewNode::File,
                    kind::DIRECTORY => NewNode::Directory,
                    kind::SYMLINK => NewNode::Symlink(target),
                    kind::CHAR_DEVICE => NewNode::Device { char: true, major, minor },
                    kind::BLOCK_DEVICE => NewNode::Device { char: false, major, minor },
                    kind::FIFO => NewNode::Fifo,
                    kind::SOCKET => NewNode::Socket,
                    _ => return Err(WireError::Malformed),
                };
                if k != kind::SYMLINK && !target.is_empty() {
                    return Err(WireError::Malformed);
                }
                let attrs = NodeAttrs { mode: r.u32()?, uid: r.u32()?, gid: r.u32()? };
                Request::Create { dir, name, node, attrs, now: get_time(&mut r)? }
            }
            op::LINK => Request::Link { dir: r.u64()?, name: r.blob()?, target: r.u64()?, now: get_time(&mut r)? },
            op::UNLINK => Request::Unlink { dir: r.u64()?, name: r.blob()?, now: get_time(&mut r)? },
            op::RMDIR => Request::Rmdir { dir: r.u64()?, name: r.blob()?, now: get_time(&mut r)? },
            op::RENAME => Request::Rename {
                from_dir: r.u64()?,
                from_name: r.blob()?,
                to_dir: r.u64()?,
                to_name: r.blob()?,
                now: get_time(&mut r)?,
            },
            op::READ => Request::Read { ino: r.u64()?, offset: r.u64()?, len: r.u32()? },
            op::WRITE => {
                let ino = r.u64()?;
                let offset = r.u64()?;
                let now = get_time(&mut r)?;
                Request::Write { ino, offset, data: r.blob()?, now }
            }
            op::TRUNCATE => Request::Truncate { ino: r.u64()?, len: r.u64()?, now: get_time(&mut r)? },
            op::READ_DIR => Request::ReadDir { dir: r.u64()?, cookie: r.u64()?, max_bytes: r.u32()? },
            op::SET_METADATA => {
                let ino = r.u64()?;
                let change = MetadataChange {
                    mode: small(get_option(&mut r)?)?,
                    uid: small(get_option(&mut r)?)?,
                    gid: small(get_option(&mut r)?)?,
                    atime: get_time_option(&mut r)?,
                    mtime: get_time_option(&mut r)?,
                };
                Request::SetMetadata { ino, change, now: get_time(&mut r)? }
            }
            op::STATFS => Request::Statfs,
            _ => return Err(WireError::Malformed),
        };
        r.finish()?;
        Ok(req)
    }
}
