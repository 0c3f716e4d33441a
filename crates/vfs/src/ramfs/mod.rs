//! ramfs: a file system kept entirely in kernel memory. The initramfs is
//! unpacked into one; /tmp can be another.
//!
//! - Inodes live in a table indexed by inode number (see `inode_table.rs`).
//!   Numbers are never reused, so a stale number finds nothing rather than a
//!   stranger.
//! - A directory keeps its entries by name plus in the order they were added
//!   (see `directory.rs`), which gives `read_dir` cookies that survive
//!   concurrent removals.
//! - A regular file's data sits in sparse 4 KiB pages (see `pages.rs`).
//! - A node is freed when it has no names and the kernel holds no opens
//!   (`retain`/`release`), so an unlinked file stays readable while open.
//! - Space is charged to a [`RamfsLimits`] budget: pages and symlink targets
//!   count as bytes, every node as an inode.

mod budget;
mod consistency;
mod directory;
mod inode;
mod inode_table;
mod pages;
mod rename;

use alloc::vec::Vec;

use budget::Budget;
pub use budget::RamfsLimits;
use directory::Directory;
use inode::{Content, Inode};
use inode_table::InodeTable;
use pages::{Pages, PAGE_SIZE};

use crate::name::{check_name, check_symlink_target, is_dot, is_dotdot, NAME_MAX};
use crate::{
    DeviceNumber, DirEntry, Error, FileSystem, FileType, FsStats, Ino, Metadata, MetadataChange, NewNode, NodeAttrs,
    OwnerAndTimes, Timestamp, XattrSet, PERMISSION_BITS,
};

/// Largest file length (the largest signed 64-bit offset).
pub const MAX_FILE_SIZE: u64 = i64::MAX as u64;

const ROOT_INO: Ino = 1;

/// An in-memory file system.
#[derive(Debug)]
pub struct Ramfs {
    name: &'static str,
    inodes: InodeTable,
    budget: Budget,
    /// Mounted (or remounted) read-only: every change is `ReadOnly`.
    read_only: bool,
}

impl Ramfs {
    /// An empty ramfs without limits whose root directory has `root`'s mode
    /// and owner.
    pub fn new(root: NodeAttrs, now: Timestamp) -> Self {
        Ramfs::with_limits(root, now, RamfsLimits::default())
    }

    /// An empty ramfs that may use at most what `limits` allows. The root
    /// directory counts as one inode.
    pub fn with_limits(root: NodeAttrs, now: Timestamp, limits: RamfsLimits) -> Self {
        let mut budget = Budget::new(limits);
        budget.inodes = 1;
        let mut inodes = InodeTable::default();
        let root_dir = Content::Directory(Directory::new(ROOT_INO, b""));
        let root_ino = inodes.insert(Inode::new(root_dir, root, 2, now));
        debug_assert_eq!(root_ino, ROOT_INO);
        Ramfs { name: "ramfs", inodes, budget, read_only: false }
    }

    /// The same file system reporting another type name (e.g. "tmpfs").
    pub fn with_name(mut self, name: &'static str) -> Self {
        self.name = name;
        self
    }

    /// How many nodes exist, including removed ones still open.
    pub fn inode_count(&self) -> usize {
        self.inodes.len()
    }

    /// Bytes charged to the budget: file pages and symlink targets.
    pub fn bytes_used(&self) -> u64 {
        self.budget.bytes
    }

    /// How many opens the kernel holds on `ino`.
    pub fn open_count(&self, ino: Ino) -> Result<u64, Error> {
        Ok(self.inode(ino)?.opens)
    }

    fn writable(&self) -> Result<(), Error> {
        if self.read_only {
            Err(Error::ReadOnly)
        } else {
            Ok(())
        }
    }

    fn inode(&self, ino: Ino) -> Result<&Inode, Error> {
        self.inodes.get(ino).ok_or(Error::NotFound)
    }

    fn inode_mut(&mut self, ino: Ino) -> Result<&mut Inode, Error> {
        self.inodes.get_mut(ino).ok_or(Error::NotFound)
    }

    fn directory(&self, ino: Ino) -> Result<&Directory, Error> {
        self.inode(ino)?.directory().ok_or(Error::NotDirectory)
    }

    fn directory_mut(&mut self, ino: Ino) -> Result<&mut Directory, Error> {
        self.inode_mut(ino)?.directory_mut().ok_or(Error::NotDirectory)
    }

    /// A directory that may still gain and lose entries: not removed.
    fn live_directory(&self, ino: Ino) -> Result<&Directory, Error> {
        let inode = self.inode(ino)?;
        let dir = inode.directory().ok_or(Error::NotDirectory)?;
        if inode.nlink == 0 {
            return Err(Error::NotFound);
        }
        Ok(dir)
    }

    /// The inode `name` names in the live directory `dir`.
    fn entry(&self, dir: Ino, name: &[u8]) -> Result<Ino, Error> {
        check_name(name)?;
        self.live_directory(dir)?.get(name).ok_or(Error::NotFound)
    }

    fn file_type(&self, ino: Ino) -> Result<FileType, Error> {
        Ok(self.inode(ino)?.file_type())
    }

    fn touch_modified(&mut self, ino: Ino, now: Timestamp) -> Result<(), Error> {
        self.inode_mut(ino)?.touch_modified(now);
        Ok(())
    }

    fn add_links(&mut self, ino: Ino, delta: i32) -> Result<(), Error> {
        let inode = self.inode_mut(ino)?;
        inode.nlink = inode.nlink.checked_add_signed(delta).ok_or(Error::TooManyLinks)?;
        Ok(())
    }

    fn has_link_room(&self, ino: Ino) -> Result<(), Error> {
        if self.inode(ino)?.nlink == u32::MAX {
            return Err(Error::TooManyLinks);
        }
        Ok(())
    }

    /// Frees `ino` if it has no names and no opens left.
    fn free_if_unused(&mut self, ino: Ino) {
        let unused = self.inodes.get(ino).is_some_and(|inode| inode.nlink == 0 && inode.opens == 0);
        if !unused {
            return;
        }
        if let Some(mut inode) = self.inodes.remove(ino) {
            match &mut inode.content {
                Content::Regular(pages) => pages.clear(&mut self.budget),
                Content::Symlink(target) => self.budget.refund_bytes(target.len() as u64),
                _ => {}
            }
            for (name, value) in &inode.xattrs {
                self.budget.refund_bytes((name.len() + value.len()) as u64);
            }
            self.budget.refund_inode();
        }
    }

    fn regular_mut(&mut self, ino: Ino) -> Result<(&mut Pages, &mut Budget), Error> {
        let inode = self.inodes.get_mut(ino).ok_or(Error::NotFound)?;
        match &mut inode.content {
            Content::Regular(pages) => Ok((pages, &mut self.budget)),
            Content::Directory(_) => Err(Error::IsDirectory),
            _ => Err(Error::BadFileType),
        }
    }
}

impl FileSystem for Ramfs {
    fn name(&self) -> &str {
        self.name
    }

    fn root(&self) -> Ino {
        ROOT_INO
    }

    fn metadata(&self, ino: Ino) -> Result<Metadata, Error> {
        Ok(self.inode(ino)?.metadata(ino))
    }

    /// A directory's name, from its own record (a removed directory, no
    /// longer linked, has none).
    fn known_name(&self, dir: Ino, ino: Ino) -> Option<Vec<u8>> {
        let inode = self.inode(ino).ok()?;
        let d = inode.directory()?;
        (d.parent == dir && inode.nlink > 0).then(|| d.name.clone())
    }

    fn lookup(&self, dir: Ino, name: &[u8]) -> Result<Ino, Error> {
        let directory = self.directory(dir)?;
        if is_dot(name) {
            Ok(dir)
        } else if is_dotdot(name) {
            Ok(directory.parent)
        } else {
            self.entry(dir, name)
        }
    }

    fn create(
        &mut self,
        dir: Ino,
        name: &[u8],
        node: NewNode<'_>,
        attrs: NodeAttrs,
        now: Timestamp,
    ) -> Result<Ino, Error> {
        self.writable()?;
        if is_dot(name) || is_dotdot(name) {
            return Err(Error::Exists);
        }
        check_name(name)?;
        if self.live_directory(dir)?.get(name).is_some() {
            return Err(Error::Exists);
        }
        let is_dir = node == NewNode::Directory;
        if is_dir {
            self.has_link_room(dir)?;
        }
        if let NewNode::Symlink(target) = node {
            check_symlink_target(target)?;
        }
        let mut content_bytes = 0;
        let mut rdev = DeviceNumber::default();
        let content = match node {
            NewNode::File => Content::Regular(Pages::default()),
            NewNode::Directory => Content::Directory(Directory::new(dir, name)),
            NewNode::Symlink(target) => {
                content_bytes = target.len() as u64;
                Content::Symlink(target.to_vec())
            }
            NewNode::Device { char, major, minor } => {
                rdev = DeviceNumber { major, minor };
                if char {
                    Content::CharDevice
                } else {
                    Content::BlockDevice
                }
            }
            NewNode::Fifo => Content::Fifo,
            NewNode::Socket => Content::Socket,
        };
        self.budget.charge_inode()?;
        if let Err(e) = self.budget.charge_bytes(content_bytes) {
            self.budget.refund_inode();
            return Err(e);
        }
        let mut inode = Inode::new(content, attrs, if is_dir { 2 } else { 1 }, now);
        inode.rdev = rdev;
        let ino = self.inodes.insert(inode);
        self.directory_mut(dir)?.insert(name, ino);
        if is_dir {
            self.add_links(dir, 1)?;
        }
        self.touch_modified(dir, now)?;
        Ok(ino)
    }

    fn link(&mut self, dir: Ino, name: &[u8], target: Ino, now: Timestamp) -> Result<(), Error> {
        self.writable()?;
        if is_dot(name) || is_dotdot(name) {
            return Err(Error::Exists);
        }
        check_name(name)?;
        if self.live_directory(dir)?.get(name).is_some() {
            return Err(Error::Exists);
        }
        let target_inode = self.inode(target)?;
        if target_inode.file_type().is_dir() {
            return Err(Error::NotPermitted);
        }
        if target_inode.nlink == 0 {
            return Err(Error::NotFound);
        }
        self.has_link_room(target)?;
        self.directory_mut(dir)?.insert(name, target);
        self.add_links(target, 1)?;
        self.inode_mut(target)?.ctime = now;
        self.touch_modified(dir, now)
    }

    fn unlink(&mut self, dir: Ino, name: &[u8], now: Timestamp) -> Result<(), Error> {
        self.writable()?;
        let victim = self.entry(dir, name)?;
        if self.file_type(victim)?.is_dir() {
            return Err(Error::IsDirectory);
        }
        self.directory_mut(dir)?.remove(name);
        self.add_links(victim, -1)?;
        self.inode_mut(victim)?.ctime = now;
        self.touch_modified(dir, now)?;
        self.free_if_unused(victim);
        Ok(())
    }

    fn rmdir(&mut self, dir: Ino, name: &[u8], now: Timestamp) -> Result<(), Error> {
        self.writable()?;
        let victim = self.entry(dir, name)?;
        if !self.directory(victim)?.is_empty() {
            return Err(Error::NotEmpty);
        }
        self.directory_mut(dir)?.remove(name);
        self.add_links(dir, -1)?;
        let inode = self.inode_mut(victim)?;
        inode.nlink = 0;
        inode.ctime = now;
        self.touch_modified(dir, now)?;
        self.free_if_unused(victim);
        Ok(())
    }

    fn rename(
        &mut self,
        from_dir: Ino,
        from_name: &[u8],
        to_dir: Ino,
        to_name: &[u8],
        now: Timestamp,
    ) -> Result<(), Error> {
        self.writable()?;
        self.rename_entry(from_dir, from_name, to_dir, to_name, now)
    }

    fn readlink(&self, ino: Ino) -> Result<Vec<u8>, Error> {
        match &self.inode(ino)?.content {
            Content::Symlink(target) => Ok(target.clone()),
            _ => Err(Error::InvalidArgument),
        }
    }

    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> Result<usize, Error> {
        match &self.inode(ino)?.content {
            Content::Regular(pages) => Ok(pages.read(offset, buf)),
            Content::Directory(_) => Err(Error::IsDirectory),
            _ => Err(Error::BadFileType),
        }
    }

    fn write(&mut self, ino: Ino, offset: u64, data: &[u8], now: Timestamp) -> Result<usize, Error> {
        self.writable()?;
        let (pages, budget) = self.regular_mut(ino)?;
        if data.is_empty() {
            return Ok(0);
        }
        if offset >= MAX_FILE_SIZE {
            return Err(Error::FileTooBig);
        }
        let room = (MAX_FILE_SIZE - offset).min(data.len() as u64) as usize;
        let written = pages.write(offset, &data[..room], budget)?;
        self.touch_modified(ino, now)?;
        Ok(written)
    }

    fn truncate(&mut self, ino: Ino, len: u64, now: Timestamp) -> Result<(), Error> {
        self.writable()?;
        let (pages, budget) = self.regular_mut(ino).map_err(|e| match e {
            Error::BadFileType => Error::InvalidArgument,
            e => e,
        })?;
        if len > MAX_FILE_SIZE {
            return Err(Error::FileTooBig);
        }
        pages.truncate(len, budget);
        self.touch_modified(ino, now)
    }

    fn read_dir(&self, dir: Ino, cookie: u64, emit: &mut dyn FnMut(DirEntry<'_>) -> bool) -> Result<(), Error> {
        let directory = self.live_directory(dir)?;
        let dots: [(&[u8], Ino); 2] = [(b".", dir), (b"..", directory.parent)];
        for (next_cookie, (name, ino)) in (1..).zip(dots) {
            if cookie < next_cookie {
                let entry = DirEntry { name, ino, file_type: FileType::Directory, next_cookie };
                if !emit(entry) {
                    return Ok(());
                }
            }
        }
        for (name, ino, next_cookie) in directory.entries_from(cookie) {
            let Some(inode) = self.inodes.get(ino) else {
                continue;
            };
            let entry = DirEntry { name, ino, file_type: inode.file_type(), next_cookie };
            if !emit(entry) {
                break;
            }
        }
        Ok(())
    }

    fn set_metadata(&mut self, ino: Ino, change: MetadataChange, now: Timestamp) -> Result<(), Error> {
        self.writable()?;
        let inode = self.inode_mut(ino)?;
        if let Some(mode) = change.mode {
            inode.mode = mode & PERMISSION_BITS;
        }
        change.apply(
            OwnerAndTimes {
                uid: &mut inode.uid,
                gid: &mut inode.gid,
                atime: &mut inode.atime,
                mtime: &mut inode.mtime,
                ctime: &mut inode.ctime,
            },
            now,
        );
        Ok(())
    }

    fn statfs(&self) -> FsStats {
        let block = PAGE_SIZE as u64;
        let limits = self.budget.limits;
        let (total_blocks, free_blocks) = match limits.max_bytes {
            Some(max) => (max / block, max.saturating_sub(self.budget.bytes) / block),
            None => (0, 0),
        };
        let (total_inodes, free_inodes) = match limits.max_inodes {
            Some(max) => (max, max.saturating_sub(self.budget.inodes)),
            None => (0, 0),
        };
        FsStats {
            block_size: PAGE_SIZE as u32,
            total_blocks,
            free_blocks,
            total_inodes,
            free_inodes,
            name_max: NAME_MAX as u32,
        }
    }

    fn check_consistency(&self) -> Result<(), &'static str> {
        Ramfs::check_consistency(self)
    }

    fn retain(&mut self, ino: Ino) -> Result<(), Error> {
        let inode = self.inode_mut(ino)?;
        inode.opens = inode.opens.checked_add(1).ok_or(Error::InvalidArgument)?;
        Ok(())
    }

    fn release(&mut self, ino: Ino) -> Result<(), Error> {
        let inode = self.inode_mut(ino)?;
        inode.opens = inode.opens.checked_sub(1).ok_or(Error::InvalidArgument)?;
        self.free_if_unused(ino);
        Ok(())
    }

    fn set_read_only(&mut self, read_only: bool) -> Result<(), Error> {
        self.read_only = read_only;
        Ok(())
    }

    fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn get_xattr(&self, ino: Ino, name: &[u8]) -> Result<Vec<u8>, Error> {
        let inode = self.inode(ino)?;
        inode.xattrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).ok_or(Error::NoAttribute)
    }

    /// Attribute bytes (name and value) are charged to the byte budget like
    /// file contents.
    fn set_xattr(&mut self, ino: Ino, name: &[u8], value: &[u8], how: XattrSet, now: Timestamp) -> Result<(), Error> {
        self.writable()?;
        let inode = self.inodes.get(ino).ok_or(Error::NotFound)?;
        let existing = inode.xattrs.iter().position(|(n, _)| n == name);
        let old_len = match (existing, how) {
            (Some(_), XattrSet::Create) => return Err(Error::Exists),
            (None, XattrSet::Replace) => return Err(Error::NoAttribute),
            (Some(i), _) => (name.len() + inode.xattrs[i].1.len()) as u64,
            (None, _) => 0,
        };
        let new_len = (name.len() + value.len()) as u64;
        if new_len > old_len {
            self.budget.charge_bytes(new_len - old_len)?;
        } else {
            self.budget.refund_bytes(old_len - new_len);
        }
        let inode = self.inode_mut(ino)?;
        match existing {
            Some(i) => inode.xattrs[i].1 = value.to_vec(),
            None => inode.xattrs.push((name.to_vec(), value.to_vec())),
        }
        inode.ctime = now;
        Ok(())
    }

    fn list_xattr(&self, ino: Ino) -> Result<Vec<Vec<u8>>, Error> {
        Ok(self.inode(ino)?.xattrs.iter().map(|(n, _)| n.clone()).collect())
    }

    fn remove_xattr(&mut self, ino: Ino, name: &[u8], now: Timestamp) -> Result<(), Error> {
        self.writable()?;
        let inode = self.inode_mut(ino)?;
        let i = inode.xattrs.iter().position(|(n, _)| n == name).ok_or(Error::NoAttribute)?;
        let (n, v) = inode.xattrs.remove(i);
        inode.ctime = now;
        self.budget.refund_bytes((n.len() + v.len()) as u64);
        Ok(())
    }
}
