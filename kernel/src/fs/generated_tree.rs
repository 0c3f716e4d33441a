//! A fixed, read-only directory tree whose files are rendered when read:
//! the machine-wide part of /proc and all of /sys. Each entry names its
//! own inode number and its parent's; the root is inode 1.

use alloc::string::String;
use alloc::vec::Vec;
use vfs::{DeviceNumber, DirEntry, Error, FileType, Ino, Metadata, Timestamp};

pub const ROOT: Ino = 1;

pub enum Node {
    Dir,
    /// A file's whole text, rendered fresh on every read.
    File(fn() -> String),
    /// A file whose contents are not text (/proc/config.gz).
    Binary(fn() -> Vec<u8>),
    /// A kernel parameter root may change: its text, and what takes a
    /// written value (the error when the value is refused).
    Tunable(fn() -> String, fn(&[u8]) -> Result<(), Error>),
}

pub struct Entry {
    pub ino: Ino,
    pub parent: Ino,
    pub name: &'static str,
    pub node: Node,
}

pub struct Tree(pub &'static [Entry]);

impl Tree {
    pub fn get(&self, ino: Ino) -> Option<&'static Entry> {
        self.0.iter().find(|e| e.ino == ino)
    }

    pub fn is_dir(&self, ino: Ino) -> bool {
        ino == ROOT || matches!(self.get(ino), Some(Entry { node: Node::Dir, .. }))
    }

    pub fn lookup(&self, dir: Ino, name: &[u8]) -> Option<Ino> {
        self.0.iter().find(|e| e.parent == dir && e.name.as_bytes() == name).map(|e| e.ino)
    }

    /// The entries of `dir`: (name, inode, type).
    pub fn children(&self, dir: Ino) -> impl Iterator<Item = (&'static str, Ino, FileType)> + '_ {
        self.0
            .iter()
            .filter(move |e| e.parent == dir)
            .map(|e| (e.name, e.ino, if matches!(e.node, Node::Dir) { FileType::Directory } else { FileType::Regular }))
    }

    /// The setter of a tunable file (None for any other node).
    pub fn setter(&self, ino: Ino) -> Option<fn(&[u8]) -> Result<(), Error>> {
        match self.get(ino) {
            Some(Entry { node: Node::Tunable(_, set), .. }) => Some(*set),
            _ => None,
        }
    }

    pub fn render(&self, ino: Ino) -> Result<Vec<u8>, Error> {
        match self.get(ino) {
            Some(Entry { node: Node::File(render) | Node::Tunable(render, _), .. }) => Ok(render().into_bytes()),
            Some(Entry { node: Node::Binary(render), .. }) => Ok(render()),
            Some(_) => Err(Error::IsDirectory),
            None => Err(Error::NotFound),
        }
    }
}

/// Metadata for a generated node: owned by `uid`, times at boot.
pub fn metadata(ino: Ino, file_type: FileType, mode: u32, uid: u32, boot: Timestamp) -> Metadata {
    Metadata {
        file_type,
        mode,
        uid,
        gid: uid,
        nlink: if file_type == FileType::Directory { 2 } else { 1 },
        size: 0,
        rdev: DeviceNumber { major: 0, minor: 0 },
        atime: boot,
        mtime: boot,
        ctime: boot,
        ino,
        blocks: 0,
        blksize: 1024,
    }
}

/// Copies the part of `text` at `offset` into `buf`.
pub fn read_at(text: &[u8], offset: u64, buf: &mut [u8]) -> usize {
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(text.len());
    let n = buf.len().min(text.len() - start);
    buf[..n].copy_from_slice(&text[start..start + n]);
    n
}

/// Emits directory entries from `cookie` on: 0 ".", 1 "..", then `names`
/// (a fixed list: its positions never shift).
pub fn emit_entries(
    dir: Ino,
    parent: Ino,
    names: &[(Vec<u8>, Ino, FileType)],
    cookie: u64,
    emit: &mut dyn FnMut(DirEntry<'_>) -> bool,
) {
    let positioned: Vec<(&[u8], Ino, FileType, u64)> =
        names.iter().enumerate().map(|(i, (n, ino, t))| (n.as_slice(), *ino, *t, i as u64 + 2)).collect();
    emit_positioned(dir, parent, &positioned, cookie, emit);
}

/// Emits directory entries from `cookie` on: 0 ".", 1 "..", then each of
/// `entries` whose position (increasing, from 2) is at least `cookie`. A
/// listing of a changing set (open descriptors, live processes) keyed by
/// something stable resumes where it stopped even when entries before
/// that point went away meanwhile, as a reader that closes descriptors
/// while walking /proc/self/fd expects (Linux's positions are the
/// descriptor numbers there, too).
pub fn emit_positioned(
    dir: Ino,
    parent: Ino,
    entries: &[(&[u8], Ino, FileType, u64)],
    cookie: u64,
    emit: &mut dyn FnMut(DirEntry<'_>) -> bool,
) {
    for (name, ino, file_type, position) in
        [(&b"."[..], dir, FileType::Directory, 0), (&b".."[..], parent, FileType::Directory, 1)]
    {
        if position >= cookie && !emit(DirEntry { name, ino, file_type, next_cookie: position + 1 }) {
            return;
        }
    }
    for &(name, ino, file_type, position) in entries.iter().filter(|e| e.3 >= cookie.max(2)) {
        if !emit(DirEntry { name, ino, file_type, next_cookie: position + 1 }) {
            return;
        }
    }
}
