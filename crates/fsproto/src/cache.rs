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
    /// (directory, name) to the node it names, or None: no such name.
    names: BTreeMap<(Ino, Vec<u8>), Option<Ino>>,
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
        self.names.get(&(dir, name.to_vec())).copied()
    }

    pub fn set_lookup(&mut self, dir: Ino, name: &[u8], found: Option<Ino>) {
        if self.names.len() >= MAX_ENTRIES {
            self.names.clear();
        }
        self.names.insert((dir, name.to_vec()), found);
    }

    /// A name `dir` was found to list `ino` under (not `.` or `..`).
    pub fn name_of(&self, dir: Ino, ino: Ino) -> Option<Vec<u8>> {
        let from = (dir, Vec::new());
        self.names
            .range(from..)
            .take_while(|((d, _), _)| *d == dir)
            .find(|((_, name), found)| **found == Some(ino) && name != b"." && name != b"..")
            .map(|((_, name), _)| name.clone())
    }

    /// The node's metadata changed (data written, size, mode, times, link
    /// count), or the node is gone and its number may be used again.
    pub fn changed(&mut self, ino: Ino) {
        self.meta.remove(&ino);
    }

    /// `name` in `dir` was removed or replaced: forget the name, the directory's
    /// metadata (times, size, link count) and that of the node the name
    /// led to, if known; if not, every node's metadata (a link count
    /// somewhere changed).
    pub fn name_changed(&mut self, dir: Ino, name: &[u8]) {
        self.meta.remove(&dir);
        match self.names.remove(&(dir, name.to_vec())) {
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
    }
}
