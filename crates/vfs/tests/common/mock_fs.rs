//! A tiny read-only file system with a fixed tree, to mount in tests:
//!
//! ```text
//! /            (ino 1)
//! /hello       (ino 2, "hello from mock\n")
//! /sub         (ino 3)
//! /sub/deep    (ino 4)
//! /sub/up      (ino 5, symlink to "..")
//! /null        (ino 6, character device 1:3)
//! /empty       (ino 7, symlink with an empty target)
//! /huge        (ino 8, symlink with a 5000-byte target)
//! ```

use vfs::{
    DeviceNumber, DirEntry, Error, FileSystem, FileType, FsStats, Ino, Metadata, MetadataChange, NewNode, NodeAttrs,
    Timestamp,
};

pub const HELLO: &[u8] = b"hello from mock\n";

#[derive(Debug, Default)]
pub struct MockFs;

struct Node {
    ino: Ino,
    parent: Ino,
    name: &'static [u8],
    file_type: FileType,
}

const fn n(ino: Ino, parent: Ino, name: &'static [u8], file_type: FileType) -> Node {
    Node { ino, parent, name, file_type }
}

const NODES: &[Node] = &[
    n(1, 1, b"", FileType::Directory),
    n(2, 1, b"hello", FileType::Regular),
    n(3, 1, b"sub", FileType::Directory),
    n(4, 3, b"deep", FileType::Directory),
    n(5, 3, b"up", FileType::Symlink),
    n(6, 1, b"null", FileType::CharDevice),
    n(7, 1, b"empty", FileType::Symlink),
    n(8, 1, b"huge", FileType::Symlink),
];

fn node(ino: Ino) -> Result<&'static Node, Error> {
    NODES.iter().find(|n| n.ino == ino).ok_or(Error::NotFound)
}

fn dir(ino: Ino) -> Result<&'static Node, Error> {
    let n = node(ino)?;
    if n.file_type != FileType::Directory {
        return Err(Error::NotDirectory);
    }
    Ok(n)
}

impl FileSystem for MockFs {
    fn name(&self) -> &str {
        "mock"
    }

    fn root(&self) -> Ino {
        1
    }

    fn metadata(&self, ino: Ino) -> Result<Metadata, Error> {
        let n = node(ino)?;
        let subdirs =
            NODES.iter().filter(|c| c.parent == ino && c.ino != ino && c.file_type == FileType::Directory).count()
                as u32;
        Ok(Metadata {
            file_type: n.file_type,
            mode: if n.file_type == FileType::Regular { 0o644 } else { 0o755 },
            uid: 0,
            gid: 0,
            nlink: if n.file_type == FileType::Directory { 2 + subdirs } else { 1 },
            size: match ino {
                2 => HELLO.len() as u64,
                5 => 2,
                8 => 5000,
                _ => 0,
            },
            rdev: if ino == 6 { DeviceNumber { major: 1, minor: 3 } } else { DeviceNumber::default() },
            atime: Timestamp::EPOCH,
            mtime: Timestamp::EPOCH,
            ctime: Timestamp::EPOCH,
            ino,
            blocks: 0,
            blksize: 4096,
        })
    }

    fn lookup(&self, dir_ino: Ino, name: &[u8]) -> Result<Ino, Error> {
        let d = dir(dir_ino)?;
        match name {
            b"." => Ok(d.ino),
            b".." => Ok(d.parent),
            _ => NODES
                .iter()
                .find(|n| n.parent == dir_ino && n.ino != dir_ino && n.name == name)
                .map(|n| n.ino)
                .ok_or(Error::NotFound),
        }
    }

    fn create(&mut self, _: Ino, _: &[u8], _: NewNode<'_>, _: NodeAttrs, _: Timestamp) -> Result<Ino, Error> {
        Err(Error::ReadOnly)
    }

    fn link(&mut self, _: Ino, _: &[u8], _: Ino, _: Timestamp) -> Result<(), Error> {
        Err(Error::ReadOnly)
    }

    fn unlink(&mut self, _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::ReadOnly)
    }

    fn rmdir(&mut self, _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::ReadOnly)
    }

    fn rename(&mut self, _: Ino, _: &[u8], _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::ReadOnly)
    }

    fn readlink(&self, ino: Ino) -> Result<Vec<u8>, Error> {
        if ino == 5 {
            Ok(b"..".to_vec())
        } else if ino == 7 {
            Ok(Vec::new())
        } else if ino == 8 {
            Ok(b"./".repeat(2500))
        } else {
            node(ino)?;
            Err(Error::InvalidArgument)
        }
    }

    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> Result<usize, Error> {
        if node(ino)?.file_type != FileType::Regular {
            return Err(Error::BadFileType);
        }
        let data = HELLO.get(offset as usize..).unwrap_or(&[]);
        let n = data.len().min(buf.len());
        buf[..n].copy_from_slice(&data[..n]);
        Ok(n)
    }

    fn write(&mut self, _: Ino, _: u64, _: &[u8], _: Timestamp) -> Result<usize, Error> {
        Err(Error::ReadOnly)
    }

    fn truncate(&mut self, _: Ino, _: u64, _: Timestamp) -> Result<(), Error> {
        Err(Error::ReadOnly)
    }

    fn read_dir(&self, dir_ino: Ino, cookie: u64, emit: &mut dyn FnMut(DirEntry<'_>) -> bool) -> Result<(), Error> {
        let d = dir(dir_ino)?;
        let mut entries: Vec<(&[u8], Ino, FileType)> =
            vec![(b".", d.ino, FileType::Directory), (b"..", d.parent, FileType::Directory)];
        entries.extend(
            NODES.iter().filter(|n| n.parent == dir_ino && n.ino != dir_ino).map(|n| (n.name, n.ino, n.file_type)),
        );
        for (i, (name, ino, file_type)) in entries.into_iter().enumerate().skip(cookie as usize) {
            if !emit(DirEntry { name, ino, file_type, next_cookie: i as u64 + 1 }) {
                break;
            }
        }
        Ok(())
    }

    fn set_metadata(&mut self, _: Ino, _: MetadataChange, _: Timestamp) -> Result<(), Error> {
        Err(Error::ReadOnly)
    }

    fn statfs(&self) -> FsStats {
        FsStats { block_size: 4096, name_max: 255, ..FsStats::default() }
    }
}
