//! Nodes and names: loading live nodes, creating, linking, unlinking and
//! removing directories, changing attributes, and freeing a node once it
//! has neither names nor opens.

use crate::device_number;
use crate::inode::{type_bits, Inode, INLINE_BYTES, ROOT_INO};
use crate::superblock::superblock_time;
use crate::volume::{Volume, LINK_MAX};
use crate::BlockDevice;
use vfs::name::{check_name, check_symlink_target, is_dot, is_dotdot};
use vfs::{DeviceNumber, Error, FileType, Ino, MetadataChange, NewNode, NodeAttrs, OwnerAndTimes, Timestamp};

use crate::dir::Found;

impl<D: BlockDevice> Volume<D> {
    /// A node that exists: `NotFound` for a number that names none or a
    /// node already freed, `Corrupted` for an inode of no known type.
    pub fn node(&mut self, ino: Ino) -> Result<(u32, Inode), Error> {
        let ino = u32::try_from(ino).map_err(|_| Error::NotFound)?;
        if !self.is_node_ino(ino) {
            return Err(Error::NotFound);
        }
        let inode = self.read_inode(ino)?;
        if inode.links == 0 && !self.is_open(ino) {
            return Err(Error::NotFound);
        }
        inode.file_type().ok_or(Error::Corrupted)?;
        Ok((ino, inode))
    }

    /// A directory, possibly removed but still open.
    pub fn dir_node(&mut self, ino: Ino) -> Result<(u32, Inode), Error> {
        let (ino, inode) = self.node(ino)?;
        if !inode.is_dir() {
            return Err(Error::NotDirectory);
        }
        Ok((ino, inode))
    }

    /// A directory that may still gain and lose entries: not removed.
    pub fn live_dir(&mut self, ino: Ino) -> Result<(u32, Inode), Error> {
        let (ino, inode) = self.dir_node(ino)?;
        if inode.links == 0 {
            return Err(Error::NotFound);
        }
        Ok((ino, inode))
    }

    /// The entry `name` in the live directory `dir`.
    pub fn entry(&mut self, dir: Ino, name: &[u8]) -> Result<(u32, Inode, Found), Error> {
        check_name(name)?;
        let (dir, inode) = self.live_dir(dir)?;
        let found = self.find_entry(&inode, name)?.ok_or(Error::NotFound)?;
        Ok((dir, inode, found))
    }

    /// The inode an entry names; it must be a node of a known type.
    pub fn entry_inode(&mut self, ino: u32) -> Result<Inode, Error> {
        let inode = self.read_inode(ino)?;
        inode.file_type().ok_or(Error::Corrupted)?;
        Ok(inode)
    }

    pub fn lookup(&mut self, dir: Ino, name: &[u8]) -> Result<Ino, Error> {
        let (_, inode) = self.dir_node(dir)?;
        if is_dot(name) {
            return Ok(dir);
        }
        if is_dotdot(name) {
            return Ok(Ino::from(self.parent_of(&inode)?));
        }
        check_name(name)?;
        if inode.links == 0 {
            return Err(Error::NotFound);
        }
        match self.find_entry(&inode, name)? {
            Some(found) => Ok(Ino::from(found.ino)),
            None => Err(Error::NotFound),
        }
    }

    /// Sets a node's modification and change times.
    pub fn touch(&mut self, ino: u32, now: Timestamp) -> Result<(), Error> {
        let mut inode = self.read_inode(ino)?;
        inode.mtime = now;
        inode.ctime = now;
        self.write_inode(ino, &inode)
    }

    /// Adds `delta` to a node's link count; `Corrupted` if it would leave
    /// the 16-bit range.
    pub fn add_links(&mut self, ino: u32, delta: i32) -> Result<(), Error> {
        let mut inode = self.read_inode(ino)?;
        let links = i32::from(inode.links) + delta;
        inode.links = u16::try_from(links).map_err(|_| Error::Corrupted)?;
        self.write_inode(ino, &inode)
    }

    pub fn create(
        &mut self,
        dir: Ino,
        name: &[u8],
        node: NewNode<'_>,
        attrs: NodeAttrs,
        now: Timestamp,
    ) -> Result<Ino, Error> {
        self.begin_change()?;
        if is_dot(name) || is_dotdot(name) {
            return Err(Error::Exists);
        }
        check_name(name)?;
        let (dir, mut dir_inode) = self.live_dir(dir)?;
        if self.find_entry(&dir_inode, name)?.is_some() {
            return Err(Error::Exists);
        }
        let (file_type, rdev) = match node {
            NewNode::File => (FileType::Regular, None),
            NewNode::Directory => (FileType::Directory, None),
            NewNode::Symlink(target) => {
                check_symlink_target(target)?;
                if target.len() >= self.block_size() as usize {
                    return Err(Error::NameTooLong);
                }
                (FileType::Symlink, None)
            }
            NewNode::Device { char, major, minor } => {
                let words = device_number::encode(DeviceNumber { major, minor })?;
                let kind = if char { FileType::CharDevice } else { FileType::BlockDevice };
                (kind, Some(words))
            }
            NewNode::Fifo => (FileType::Fifo, None),
            NewNode::Socket => (FileType::Socket, None),
        };
        let is_dir = file_type == FileType::Directory;
        if is_dir && dir_inode.links >= LINK_MAX {
            return Err(Error::TooManyLinks);
        }
        let (group, _) = self.layout.inode_group(dir);
        let ino = self.alloc_inode(group, is_dir)?;
        let mut inode = Inode::empty(self.layout.inode_size as usize);
        inode.mode = type_bits(file_type);
        inode.set_permissions(attrs.mode);
        inode.uid = attrs.uid;
        inode.gid = attrs.gid;
        inode.atime = now;
        inode.mtime = now;
        inode.ctime = now;
        inode.links = if is_dir { 2 } else { 1 };
        inode.generation = self.next_generation;
        self.next_generation = self.next_generation.wrapping_add(1);
        if let Some([old, new]) = rdev {
            inode.block[0] = old;
            inode.block[1] = new;
        }
        let filled = self.fill_new_node(ino, dir, &mut inode, node);
        let added = filled.and_then(|()| {
            self.write_inode(ino, &inode)?;
            self.add_entry(dir, &mut dir_inode, name, ino, file_type)
        });
        if let Err(e) = added {
            // Undo: the node never got a name.
            self.write_inode(dir, &dir_inode)?;
            self.destroy(ino, inode, now)?;
            return Err(e);
        }
        if is_dir {
            dir_inode.links += 1;
        }
        dir_inode.mtime = now;
        dir_inode.ctime = now;
        self.write_inode(dir, &dir_inode)?;
        Ok(Ino::from(ino))
    }

    /// Gives a new directory its first block and a symlink its target.
    fn fill_new_node(&mut self, ino: u32, parent: u32, inode: &mut Inode, node: NewNode<'_>) -> Result<(), Error> {
        match node {
            NewNode::Directory => {
                let (block, _) = self.map_or_alloc(inode, 0, self.home_block(ino))?;
                self.init_dir_block(block, ino, parent)?;
                inode.size = self.layout.block_size_u64();
            }
            NewNode::Symlink(target) if target.len() < INLINE_BYTES => {
                inode.set_inline_bytes(target);
                inode.size = target.len() as u64;
            }
            NewNode::Symlink(target) => {
                let (block, _) = self.map_or_alloc(inode, 0, self.home_block(ino))?;
                self.cache.zeroed(block)?[..target.len()].copy_from_slice(target);
                inode.size = target.len() as u64;
            }
            _ => {}
        }
        Ok(())
    }

    pub fn link(&mut self, dir: Ino, name: &[u8], target: Ino, now: Timestamp) -> Result<(), Error> {
        self.begin_change()?;
        if is_dot(name) || is_dotdot(name) {
            return Err(Error::Exists);
        }
        check_name(name)?;
        let (dir, mut dir_inode) = self.live_dir(dir)?;
        if self.find_entry(&dir_inode, name)?.is_some() {
            return Err(Error::Exists);
        }
        let (target, inode) = self.node(target)?;
        if inode.is_dir() {
            return Err(Error::NotPermitted);
        }
        if inode.links == 0 {
            return Err(Error::NotFound);
        }
        if inode.links >= LINK_MAX {
            return Err(Error::TooManyLinks);
        }
        let file_type = inode.file_type().ok_or(Error::Corrupted)?;
        let added = self.add_entry(dir, &mut dir_inode, name, target, file_type);
        if added.is_ok() {
            dir_inode.mtime = now;
            dir_inode.ctime = now;
        }
        self.write_inode(dir, &dir_inode)?;
        added?;
        let mut inode = self.read_inode(target)?;
        inode.links += 1;
        inode.ctime = now;
        self.write_inode(target, &inode)
    }

    pub fn unlink(&mut self, dir: Ino, name: &[u8], now: Timestamp) -> Result<(), Error> {
        self.begin_change()?;
        let (dir, mut dir_inode, found) = self.entry(dir, name)?;
        let mut victim = self.entry_inode(found.ino)?;
        if victim.is_dir() {
            return Err(Error::IsDirectory);
        }
        victim.links = victim.links.checked_sub(1).ok_or(Error::Corrupted)?;
        victim.ctime = now;
        self.remove_entry(&mut dir_inode, &found)?;
        dir_inode.mtime = now;
        dir_inode.ctime = now;
        self.write_inode(dir, &dir_inode)?;
        self.release_if_unused(found.ino, victim, now)
    }

    pub fn rmdir(&mut self, dir: Ino, name: &[u8], now: Timestamp) -> Result<(), Error> {
        self.begin_change()?;
        let (dir, mut dir_inode, found) = self.entry(dir, name)?;
        let mut victim = self.entry_inode(found.ino)?;
        if !victim.is_dir() {
            return Err(Error::NotDirectory);
        }
        if found.ino == ROOT_INO || !self.is_empty_dir(&victim)? {
            return Err(Error::NotEmpty);
        }
        dir_inode.links = dir_inode.links.checked_sub(1).ok_or(Error::Corrupted)?;
        self.remove_entry(&mut dir_inode, &found)?;
        dir_inode.mtime = now;
        dir_inode.ctime = now;
        self.write_inode(dir, &dir_inode)?;
        victim.links = 0;
        victim.ctime = now;
        self.release_if_unused(found.ino, victim, now)
    }

    /// Stores `inode`, or frees it if it has no names and no opens left.
    pub fn release_if_unused(&mut self, ino: u32, inode: Inode, now: Timestamp) -> Result<(), Error> {
        if inode.links == 0 && !self.is_open(ino) {
            self.destroy(ino, inode, now)
        } else {
            self.write_inode(ino, &inode)
        }
    }

    /// Frees a node: its blocks, its attribute block, its inode.
    pub fn destroy(&mut self, ino: u32, mut inode: Inode, now: Timestamp) -> Result<(), Error> {
        if inode.has_block_tree(self.block_size()) {
            self.free_blocks_from(&mut inode, 0)?;
        }
        self.drop_xattr_block(&mut inode)?;
        inode.links = 0;
        inode.size = 0;
        inode.dtime = superblock_time(now).max(1);
        self.write_inode(ino, &inode)?;
        self.free_inode(ino, inode.is_dir())
    }

    pub fn set_metadata(&mut self, ino: Ino, change: MetadataChange, now: Timestamp) -> Result<(), Error> {
        self.begin_change()?;
        let (ino, mut inode) = self.node(ino)?;
        if let Some(mode) = change.mode {
            inode.set_permissions(mode);
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
        self.write_inode(ino, &inode)
    }

    pub fn retain(&mut self, ino: Ino) -> Result<(), Error> {
        let (ino, _) = self.node(ino)?;
        let opens = self.opens.entry(ino).or_insert(0);
        *opens = opens.checked_add(1).ok_or(Error::InvalidArgument)?;
        Ok(())
    }

    /// The kernel closed `ino`. The trait gives no time here, so a node
    /// freed now records the last mount or sync time as its deletion time.
    pub fn release(&mut self, ino: Ino) -> Result<(), Error> {
        let ino = u32::try_from(ino).map_err(|_| Error::InvalidArgument)?;
        let opens = self.opens.get_mut(&ino).ok_or(Error::InvalidArgument)?;
        *opens -= 1;
        if *opens > 0 {
            return Ok(());
        }
        self.opens.remove(&ino);
        let inode = self.read_inode(ino)?;
        if inode.links == 0 && !self.read_only {
            self.begin_change()?;
            let now = Timestamp::from_secs(i64::from(self.sb.mtime.max(self.sb.wtime)));
            self.destroy(ino, inode, now)?;
        }
        Ok(())
    }
}
