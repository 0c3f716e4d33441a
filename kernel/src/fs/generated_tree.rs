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
        self.0.iter().filter(move |e| e.parent == dir).map(|e| (e.name, e.ino, if matches!(e.node, Node::Dir) { FileType::Directory } else { FileType::Regular }))
    }

    pub fn render(&self, ino: Ino) -> Result<String, Error> {
        match self.get(ino) {
            Some(Entry { node: Node::File(render), .. }) => Ok(render()),
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

/// Emits directory entries from `cookie` on: 0 ".", 1 "..", then `names`.
pub fn emit_entries(dir: Ino, parent: Ino, names: &[(Vec<u8>, Ino, FileType)], cookie: u64, emit: &mut dyn FnMut(DirEntry<'_>) -> bool) {
    let mut index = cookie;
    loop {
        let (name, ino, t): (&[u8], Ino, FileType) = match index {
            0 => (b".", dir, FileType::Directory),
            1 => (b"..", parent, FileType::Directory),
            i => match names.get((i - 2) as usize) {
                Some((n, ino, t)) => (n.as_slice(), *ino, *t),
                None => return,
            },
        };
        if !emit(DirEntry { name, ino, file_type: t, next_cookie: index + 1 }) {
            return;
        }
        index += 1;
    }
}
