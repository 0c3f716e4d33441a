//! `rename` in a ramfs: every check first, then the changes, so that a
//! refused rename changes nothing.

use super::Ramfs;
use crate::name::check_name;
use crate::{Error, Ino, Timestamp};

impl Ramfs {
    pub(super) fn rename_entry(
        &mut self,
        from_dir: Ino,
        from_name: &[u8],
        to_dir: Ino,
        to_name: &[u8],
        now: Timestamp,
    ) -> Result<(), Error> {
        check_name(to_name)?;
        let moving = self.entry(from_dir, from_name)?;
        let target_dir = self.live_directory(to_dir)?;
        let replaced = target_dir.get(to_name);
        if replaced == Some(moving) {
            // Both names already name the same node: nothing to do.
            return Ok(());
        }
        let moving_is_dir = self.file_type(moving)?.is_dir();
        // The tree checks come before the type checks, as in Linux: moving a
        // directory under itself is invalid, and replacing a directory that
        // holds the source cannot work as it is not empty.
        if moving_is_dir && self.is_ancestor_or_self(moving, to_dir)? {
            return Err(Error::InvalidArgument);
        }
        if let Some(replaced) = replaced {
            let replaced_is_dir = self.file_type(replaced)?.is_dir();
            if replaced_is_dir && self.is_ancestor_or_self(replaced, from_dir)? {
                return Err(Error::NotEmpty);
            }
            match (moving_is_dir, replaced_is_dir) {
                (true, false) => return Err(Error::NotDirectory),
                (false, true) => return Err(Error::IsDirectory),
                (true, true) if !self.directory(replaced)?.is_empty() => return Err(Error::NotEmpty),
                _ => {}
            }
        }
        let changes_parent = moving_is_dir && from_dir != to_dir;
        if changes_parent && replaced.is_none() {
            self.has_link_room(to_dir)?;
        }

        if let Some(replaced) = replaced {
            self.directory_mut(to_dir)?.remove(to_name);
            let inode = self.inode_mut(replaced)?;
            if moving_is_dir {
                inode.nlink = 0;
            } else {
                inode.nlink -= 1;
            }
            inode.ctime = now;
            if moving_is_dir {
                self.add_links(to_dir, -1)?;
            }
        }
        self.directory_mut(from_dir)?.remove(from_name);
        self.directory_mut(to_dir)?.insert(to_name, moving);
        if changes_parent {
            self.add_links(from_dir, -1)?;
            self.add_links(to_dir, 1)?;
            self.directory_mut(moving)?.parent = to_dir;
        }
        if moving_is_dir {
            self.directory_mut(moving)?.name = to_name.to_vec();
        }
        self.inode_mut(moving)?.ctime = now;
        self.touch_modified(from_dir, now)?;
        self.touch_modified(to_dir, now)?;
        if let Some(replaced) = replaced {
            self.free_if_unused(replaced);
        }
        Ok(())
    }

    /// Whether `ancestor` is `node` or lies on the path from `node` up to the
    /// root.
    fn is_ancestor_or_self(&self, ancestor: Ino, node: Ino) -> Result<bool, Error> {
        let mut current = node;
        // Every step climbs one level; more steps than inodes means the
        // parent links form a loop, which the file system never builds.
        for _ in 0..=self.inodes.len() {
            if current == ancestor {
                return Ok(true);
            }
            let parent = self.directory(current)?.parent;
            if parent == current {
                return Ok(false);
            }
            current = parent;
        }
        Err(Error::InvalidArgument)
    }
}
