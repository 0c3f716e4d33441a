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
        self.path_with_tail(node, root, None)
    }

    /// The path of `name` in the directory `dir`, as seen from `root`: what
    /// [`path_of`](Self::path_of) gives for `dir`, then `/` and `name`, built
    /// in one allocation (every open records the path it found a file by).
    pub fn path_of_entry(&self, dir: NodeRef, name: &[u8], root: NodeRef) -> Result<Vec<u8>, Error> {
        self.path_with_tail(dir, root, Some(name))
    }

    fn path_with_tail(&self, node: NodeRef, root: NodeRef, tail: Option<&[u8]>) -> Result<Vec<u8>, Error> {
        if !self.metadata(node)?.is_dir() {
            return Err(Error::NotDirectory);
        }
        // Built backwards, each name reversed after a '/', and turned
        // round at the end: one buffer, however deep the directory.
        let mut reversed: Vec<u8> = Vec::with_capacity(64 + tail.map_or(0, |t| t.len() + 1));
        if let Some(tail) = tail {
            reversed.extend(tail.iter().rev());
            reversed.push(b'/');
        }
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
            let (parent, known) = {
                let f = fs.lock();
                let parent = f.lookup(current.ino, b"..")?;
                (parent, f.known_name(parent, current.ino))
            };
            let name = match known {
                Some(name) => name,
                None => Self::name_in(&fs, parent, current.ino)?,
            };
            if reversed.len() + name.len() + 1 >= PATH_MAX + tail.map_or(0, |t| t.len() + 1) {
                return Err(Error::NameTooLong);
            }
            reversed.extend(name.iter().rev());
            reversed.push(b'/');
            current = NodeRef::new(current.fs, parent);
        }
        if reversed.is_empty() {
            reversed.push(b'/');
        }
        reversed.reverse();
        Ok(reversed)
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
