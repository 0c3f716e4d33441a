//! `rename`: every check first, then the changes, so that a refused rename
//! changes nothing. The new name is placed before the old one is removed,
//! so running out of space part way loses no name.

use crate::inode::ROOT_INO;
use crate::volume::{Volume, LINK_MAX};
use crate::BlockDevice;
use vfs::name::check_name;
use vfs::{Error, Ino, Timestamp};

impl<D: BlockDevice> Volume<D> {
    pub fn rename(
        &mut self,
        from_dir: Ino,
        from_name: &[u8],
        to_dir: Ino,
        to_name: &[u8],
        now: Timestamp,
    ) -> Result<(), Error> {
        self.begin_change()?;
        check_name(to_name)?;
        let (from_dir, _, from_entry) = self.entry(from_dir, from_name)?;
        let moving = from_entry.ino;
        let (to_dir, to_inode) = self.live_dir(to_dir)?;
        let replaced = self.find_entry(&to_inode, to_name)?;
        if replaced.is_some_and(|r| r.ino == moving) {
            // Both names already name the same node: nothing to do.
            return Ok(());
        }
        let moving_inode = self.entry_inode(moving)?;
        let moving_type = moving_inode.file_type().ok_or(Error::Corrupted)?;
        let moving_is_dir = moving_inode.is_dir();
        // Tree checks before type checks, as in Linux.
        if moving_is_dir && self.is_ancestor_or_self(moving, to_dir)? {
            return Err(Error::InvalidArgument);
        }
        if let Some(replaced) = replaced {
            let replaced_inode = self.entry_inode(replaced.ino)?;
            let replaced_is_dir = replaced_inode.is_dir();
            if replaced_is_dir && self.is_ancestor_or_self(replaced.ino, from_dir)? {
                return Err(Error::NotEmpty);
            }
            match (moving_is_dir, replaced_is_dir) {
                (true, false) => return Err(Error::NotDirectory),
                (false, true) => return Err(Error::IsDirectory),
                (true, true) if !self.is_empty_dir(&replaced_inode)? => return Err(Error::NotEmpty),
                _ => {}
            }
            if replaced_inode.links == 0 {
                return Err(Error::Corrupted);
            }
        }
        let changes_parent = moving_is_dir && from_dir != to_dir;
        if changes_parent && replaced.is_none() && to_inode.links >= LINK_MAX {
            return Err(Error::TooManyLinks);
        }

        // The new name.
        let mut to_inode = to_inode;
        let placed = match &replaced {
            Some(replaced) => self.retarget_entry(&mut to_inode, replaced, moving, moving_type),
            None => self.add_entry(to_dir, &mut to_inode, to_name, moving, moving_type),
        };
        self.write_inode(to_dir, &to_inode)?;
        placed?;
        // The old name, found again: adding may have changed its block.
        let mut from_inode = self.read_inode(from_dir)?;
        let old = self.find_entry(&from_inode, from_name)?.ok_or(Error::Corrupted)?;
        self.remove_entry(&mut from_inode, &old)?;
        self.write_inode(from_dir, &from_inode)?;
        if changes_parent {
            let mut inode = self.read_inode(moving)?;
            self.set_parent(&mut inode, to_dir)?;
            self.write_inode(moving, &inode)?;
            self.add_links(from_dir, -1)?;
            self.add_links(to_dir, 1)?;
        }
        let mut inode = self.read_inode(moving)?;
        inode.ctime = now;
        self.write_inode(moving, &inode)?;
        self.touch(from_dir, now)?;
        self.touch(to_dir, now)?;
        if let Some(replaced) = replaced {
            let mut inode = self.read_inode(replaced.ino)?;
            if inode.is_dir() {
                inode.links = 0;
                self.add_links(to_dir, -1)?;
            } else {
                inode.links = inode.links.saturating_sub(1);
            }
            inode.ctime = now;
            self.release_if_unused(replaced.ino, inode, now)?;
        }
        Ok(())
    }

    /// Whether `ancestor` is `node` or lies on the path from `node` up to
    /// the root, following `..`. A path visits each directory at most once,
    /// so more steps than there are directories means the `..` links form
    /// a loop: corruption.
    fn is_ancestor_or_self(&mut self, ancestor: u32, node: u32) -> Result<bool, Error> {
        let dirs: u64 = self.groups.groups.iter().map(|g| u64::from(g.used_dirs)).sum();
        let bound = dirs.min(u64::from(self.layout.inodes_count)) + 1;
        let mut current = node;
        for _ in 0..bound {
            if current == ancestor {
                return Ok(true);
            }
            if current == ROOT_INO {
                return Ok(false);
            }
            let inode = self.entry_inode(current)?;
            if !inode.is_dir() {
                return Err(Error::Corrupted);
            }
            current = self.parent_of(&inode)?;
        }
        Err(Error::Corrupted)
    }
}
