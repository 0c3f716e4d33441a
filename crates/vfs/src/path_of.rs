//! The reverse of path resolution: the path that leads from a caller's root
//! to a directory, for `getcwd` and `/proc/self/cwd`.

use alloc::vec::Vec;

use crate::name::{is_dot, is_dotdot, PATH_MAX};
use crate::{Error, FsHandle, Ino, Locking, NodeRef, Vfs};

impl<L: Locking> Vfs<L> {
    /// The absolute path of the directory `node` as seen from `root`,
    /// found by climbing `..` (and out of mounts) and looking up each
    /// directory's name in its parent.
    ///
    /// `NotFound` if the directory, or one above it, has been removed, or if
    /// `root` is not above it (a working directory outside a `chroot`);
    /// `NotDirectory` for other kinds of node, which may have any number of
    /// names (the kernel remembers the path a file was opened by);
    /// `NameTooLong` if the path would reach [`PATH_MAX`].
    pub fn path_of(&self, node: NodeRef, root: NodeRef) -> Result<Vec<u8>, Error> {
        if !self.metadata(node)?.is_dir() {
            return Err(Error::NotDirectory);
        }
        let mut names: Vec<Vec<u8>> = Vec::new();
        let mut len = 0;
        let mut current = node;
        // One mount table for the whole climb, and each file system's lock
        // taken for one question at a time.
        let mounts = self.mount_table();
        while current != root {
            let fs = self.fs(current.fs)?;
            if current.ino == fs.root() {
                current = mounts.mount_point_of(current.fs).ok_or(Error::NotFound)?;
                continue;
            }
            let parent = fs.lock().lookup(current.ino, b"..")?;
            let known = fs.lock().known_name(parent, current.ino);
            let name = match known {
                Some(name) => name,
                None => Self::name_in(&fs, parent, current.ino)?,
            };
            len += name.len() + 1;
            if len >= PATH_MAX {
                return Err(Error::NameTooLong);
            }
            names.push(name);
            current = NodeRef::new(current.fs, parent);
        }
        let mut path = Vec::with_capacity(len.max(1));
        for name in names.iter().rev() {
            path.push(b'/');
            path.extend_from_slice(name);
        }
        if path.is_empty() {
            path.push(b'/');
        }
        Ok(path)
    }

    /// The name under which `dir` lists `ino`.
    fn name_in(fs: &FsHandle<L>, dir: Ino, ino: Ino) -> Result<Vec<u8>, Error> {
        let mut found = None;
        fs.lock().read_dir(dir, 0, &mut |entry| {
            if entry.ino == ino && !is_dot(entry.name) && !is_dotdot(entry.name) {
                found = Some(entry.name.to_vec());
                return false;
            }
            true
        })?;
        found.ok_or(Error::NotFound)
    }
}
