//! A full check of a ramfs's invariants, for tests and in-kernel self-tests:
//! link counts, parent links, reachability, space accounting and file pages.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

use super::inode::Content;
use super::pages::PAGE_SIZE;
use super::{Ramfs, ROOT_INO};
use crate::Ino;

impl Ramfs {
    /// Checks every invariant; `Err` names the first one broken.
    pub fn check_consistency(&self) -> Result<(), &'static str> {
        let root = self.inodes.get(ROOT_INO).ok_or("root missing")?;
        if root.directory().map(|d| d.parent) != Some(ROOT_INO) {
            return Err("root is not a directory that is its own parent");
        }

        // Names pointing at each inode, and subdirectories of each directory.
        let mut names: BTreeMap<Ino, u32> = BTreeMap::new();
        let mut subdirs: BTreeMap<Ino, u32> = BTreeMap::new();
        for (ino, inode) in self.inodes.iter() {
            let Some(dir) = inode.directory() else {
                continue;
            };
            if inode.nlink == 0 && !dir.is_empty() {
                return Err("removed directory still has entries");
            }
            for (name, child) in dir.iter() {
                let child_inode = self.inodes.get(child).ok_or("entry names a freed inode")?;
                *names.entry(child).or_default() += 1;
                if let Some(child_dir) = child_inode.directory() {
                    if child_dir.parent != ino {
                        return Err("directory's parent link disagrees with its entry");
                    }
                    if child_dir.name.as_slice() != name {
                        return Err("directory's own name disagrees with its entry");
                    }
                    *subdirs.entry(ino).or_default() += 1;
                }
            }
        }

        let mut bytes = 0u64;
        for (ino, inode) in self.inodes.iter() {
            let named = names.get(&ino).copied().unwrap_or(0);
            match &inode.content {
                Content::Directory(_) => {
                    let expected = if ino == ROOT_INO || named == 1 {
                        2 + subdirs.get(&ino).copied().unwrap_or(0)
                    } else if named == 0 {
                        0
                    } else {
                        return Err("directory has more than one name");
                    };
                    if inode.nlink != expected {
                        return Err("directory link count is not 2 + subdirectories");
                    }
                }
                _ => {
                    if inode.nlink != named {
                        return Err("link count differs from the number of names");
                    }
                }
            }
            if inode.nlink == 0 && inode.opens == 0 {
                return Err("inode without names or opens was not freed");
            }
            match &inode.content {
                Content::Regular(pages) => {
                    if !pages.is_consistent() {
                        return Err("file pages extend past the file's length");
                    }
                    bytes += pages.page_count() * PAGE_SIZE as u64;
                }
                Content::Symlink(target) => bytes += target.len() as u64,
                _ => {}
            }
            bytes += inode.xattrs.iter().map(|(n, v)| (n.len() + v.len()) as u64).sum::<u64>();
        }
        if bytes != self.budget.bytes {
            return Err("byte accounting is off");
        }
        if self.inodes.len() as u64 != self.budget.inodes {
            return Err("inode accounting is off");
        }

        // Every named inode hangs off the root, and no directory is reached
        // twice (no cycles).
        let mut seen = BTreeSet::new();
        let mut queue = Vec::from([ROOT_INO]);
        while let Some(ino) = queue.pop() {
            if !seen.insert(ino) {
                return Err("directory reached twice");
            }
            if let Some(dir) = self.inodes.get(ino).and_then(|i| i.directory()) {
                for (_, child) in dir.iter() {
                    if self.inodes.get(child).is_some_and(|c| c.directory().is_some()) {
                        queue.push(child);
                    } else {
                        seen.insert(child);
                    }
                }
            }
        }
        for (ino, inode) in self.inodes.iter() {
            if inode.nlink > 0 && !seen.contains(&ino) {
                return Err("named inode not reachable from the root");
            }
        }
        Ok(())
    }
}
