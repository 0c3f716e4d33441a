//! File handles (name_to_handle_at, open_by_handle_at): which file systems
//! can open a node from its handle, and the path each handed-out node was
//! last reached by, so a file opened by handle shows a path in
//! /proc/<pid>/fd as it would had it been opened by name.

use crate::sync::SpinLock;
use alloc::collections::{BTreeMap, VecDeque};
use alloc::vec::Vec;
use vfs::{FsId, Ino};

/// Those whose nodes are found by number alone and keep it for life:
/// the memory file systems (numbers are never reused) and the ext2 server
/// (it reads any inode it is asked for). /proc, /sys and devpts make their
/// nodes up as they are read, as Linux's, which cannot either.
pub fn decodable(fs_type: &str) -> bool {
    matches!(fs_type, "rootfs" | "ramfs" | "tmpfs" | "devtmpfs" | "ext2")
}

/// How many paths are remembered (the oldest go first).
const REMEMBERED: usize = 256;

struct Paths {
    by_node: BTreeMap<(FsId, Ino), Vec<u8>>,
    order: VecDeque<(FsId, Ino)>,
}

static PATHS: SpinLock<Paths> = SpinLock::new(Paths { by_node: BTreeMap::new(), order: VecDeque::new() });

/// `path` (absolute) reached the node whose handle was just made.
pub fn remember(fs: FsId, ino: Ino, path: Vec<u8>) {
    let mut forgotten = None;
    {
        let mut p = PATHS.lock();
        if p.by_node.insert((fs, ino), path).is_none() {
            p.order.push_back((fs, ino));
            if p.order.len() > REMEMBERED {
                if let Some(old) = p.order.pop_front() {
                    forgotten = p.by_node.remove(&old);
                }
            }
        }
    }
    drop(forgotten);
}

/// The path a handle's node was last reached by, if remembered (it may
/// name another node by now: the caller checks).
pub fn remembered(fs: FsId, ino: Ino) -> Option<Vec<u8>> {
    PATHS.lock().by_node.get(&(fs, ino)).cloned()
}
