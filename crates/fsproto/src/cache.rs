//! What `RemoteFs` remembers of its server's answers: node metadata and
//! name lookups (found or not). Each is an IPC round trip to the server, and
//! the kernel asks them over and over (every path walk stats and looks up
//! each component again), so a file create cost some thirty exchanges
//! before this cache, most of them repeated questions.
//!
//! It stays exact because the kernel is the server's only client (a served
//! file system is mounted once) and every change goes through `RemoteFs`,
//! which forgets what each change can affect. That relies on one rule of
//! the protocol: only requests that change something change metadata
//! (servers do not update access times on reads, as with `noatime`).

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use vfs::{Ino, Metadata};

/// Entries of each kind kept at most; past that the kind is emptied (the
/// working set of a path walk is small, and emptying is always correct).
const MAX_ENTRIES: usize = 4096;

#[derive(Debug, Default)]
pub struct Cache {
    meta: BTreeMap<Ino, Metadata>,
    /// directory -> name -> the node it names, or None: no such name.
    /// Nested so that a lookup borrows the name instead of copying it.
    names: BTreeMap<Ino, BTreeMap<Vec<u8>, Option<Ino>>>,
    /// Entries in `names`.
    name_count: usize,
}

impl Cache {
    pub fn metadata(&self, ino: Ino) -> Option<Metadata> {
        self.meta.get(&ino).cloned()
    }

    pub fn set_metadata(&mut self, ino: Ino, m: Metadata) {
        if self.meta.len() >= MAX_ENTRIES {
            self.meta.clear();
        }
        self.meta.insert(ino, m);
    }

    /// `Some(Some(ino))` found, `Some(None)` known missing, `None` unknown.
    pub fn lookup(&self, dir: Ino, name: &[u8]) -> Option<Option<Ino>> {
        self.names.get(&dir)?.get(name).copied()
    }

    pub fn set_lookup(&mut self, dir: Ino, name: &[u8], found: Option<Ino>) {
        if self.name_count >= MAX_ENTRIES {
            self.names.clear();
            self.name_count = 0;
        }
        let names = self.names.entry(dir).or_default();
        match names.get_mut(name) {
            Some(known) => *known = found,
            None => {
                names.insert(name.to_vec(), found);
                self.name_count += 1;
            }
        }
    }

    fn forget_name(&mut self, dir: Ino, name: &[u8]) -> Option<Option<Ino>> {
        let names = self.names.get_mut(&dir)?;
        let known = names.remove(name)?;
        self.name_count -= 1;
        if names.is_empty() {
            self.names.remove(&dir);
        }
        Some(known)
    }

    /// A name `dir` was found to list `ino` under (not `.` or `..`).
    pub fn name_of(&self, dir: Ino, ino: Ino) -> Option<Vec<u8>> {
        self.names
            .get(&dir)?
            .iter()
            .find(|(name, found)| **found == Some(ino) && name.as_slice() != b"." && name.as_slice() != b"..")
            .map(|(name, _)| name.clone())
    }

    /// The node's metadata changed (data written, size, mode, times, link
    /// count), or the node is gone and its number may be used again.
    pub fn changed(&mut self, ino: Ino) {
        self.meta.remove(&ino);
    }

    /// The node may be gone (its last hold was released; an unlinked node
    /// is freed then and its number may come back): forget its metadata
    /// and, were it a directory, the names found in it.
    pub fn gone(&mut self, ino: Ino) {
        self.meta.remove(&ino);
        if let Some(names) = self.names.remove(&ino) {
            self.name_count -= names.len();
        }
    }

    /// `name` in `dir` was removed or replaced: forget the name, the directory's
    /// metadata (times, size, link count) and that of the node the name
    /// led to, if known; if not, every node's metadata (a link count
    /// somewhere changed).
    pub fn name_changed(&mut self, dir: Ino, name: &[u8]) {
        self.meta.remove(&dir);
        match self.forget_name(dir, name) {
            Some(Some(ino)) => {
                self.meta.remove(&ino);
            }
            _ => self.meta.clear(),
        }
    }

    /// A directory was removed or moved: what was found under it (its `..`
    /// among them) no longer holds. Rare, so everything goes.
    pub fn forget_all(&mut self) {
        self.meta.clear();
        self.names.clear();
        self.name_count = 0;
    }
}
