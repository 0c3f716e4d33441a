//! A ramfs inode: the attributes `stat` shows, what the node holds, and how
//! many times the kernel has it open.

use alloc::vec::Vec;

use super::directory::Directory;
use super::pages::{Pages, PAGE_SIZE};
use crate::{DeviceNumber, FileType, Ino, Metadata, NodeAttrs, Timestamp, PERMISSION_BITS};

/// Nominal bytes per directory entry, for a directory's reported size.
const DIR_ENTRY_SIZE: u64 = 32;

#[derive(Debug)]
pub(super) enum Content {
    Regular(Pages),
    Directory(Directory),
    Symlink(Vec<u8>),
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
}

#[derive(Debug)]
pub(super) struct Inode {
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Names this node has; for a directory, 2 plus its subdirectories
    /// while it exists and 0 once removed.
    pub nlink: u32,
    pub rdev: DeviceNumber,
    pub atime: Timestamp,
    pub mtime: Timestamp,
    pub ctime: Timestamp,
    /// Opens held by the kernel (see `FileSystem::retain`).
    pub opens: u64,
    pub content: Content,
    /// Extended attributes in the order they were first set.
    pub xattrs: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Inode {
    pub fn new(content: Content, attrs: NodeAttrs, nlink: u32, now: Timestamp) -> Self {
        Inode {
            mode: attrs.mode & PERMISSION_BITS,
            uid: attrs.uid,
            gid: attrs.gid,
            nlink,
            rdev: DeviceNumber::default(),
            atime: now,
            mtime: now,
            ctime: now,
            opens: 0,
            content,
            xattrs: Vec::new(),
        }
    }

    pub fn file_type(&self) -> FileType {
        match self.content {
            Content::Regular(_) => FileType::Regular,
            Content::Directory(_) => FileType::Directory,
            Content::Symlink(_) => FileType::Symlink,
            Content::CharDevice => FileType::CharDevice,
            Content::BlockDevice => FileType::BlockDevice,
            Content::Fifo => FileType::Fifo,
            Content::Socket => FileType::Socket,
        }
    }

    pub fn directory(&self) -> Option<&Directory> {
        match &self.content {
            Content::Directory(dir) => Some(dir),
            _ => None,
        }
    }

    pub fn directory_mut(&mut self) -> Option<&mut Directory> {
        match &mut self.content {
            Content::Directory(dir) => Some(dir),
            _ => None,
        }
    }

    /// Records a change of the node's contents (its data or entries).
    pub fn touch_modified(&mut self, now: Timestamp) {
        self.mtime = now;
        self.ctime = now;
    }

    pub fn metadata(&self, ino: Ino) -> Metadata {
        let (size, blocks) = match &self.content {
            Content::Regular(pages) => (pages.len(), pages.page_count() * (PAGE_SIZE as u64 / 512)),
            Content::Directory(dir) => ((dir.len() as u64 + 2) * DIR_ENTRY_SIZE, 0),
            Content::Symlink(target) => (target.len() as u64, 0),
            _ => (0, 0),
        };
        Metadata {
            file_type: self.file_type(),
            mode: self.mode,
            uid: self.uid,
            gid: self.gid,
            nlink: self.nlink,
            size,
            rdev: self.rdev,
            atime: self.atime,
            mtime: self.mtime,
            ctime: self.ctime,
            ino,
            blocks,
            blksize: PAGE_SIZE as u32,
        }
    }
}
