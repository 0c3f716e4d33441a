//! Helpers shared by the integration tests: a namespace on a ramfs, path
//! based shortcuts for building trees, and a small read-only file system to
//! mount.

#![allow(dead_code)]

pub mod mock_fs;

use vfs::{Credentials, Error, FileSystem, LastComponent, Locking, NewNode, NodeAttrs, NodeRef, Ramfs, Timestamp};

/// std's mutex as the namespace's and each file system's lock.
#[derive(Debug)]
pub struct StdLocks;

impl Locking for StdLocks {
    type Lock<T: Send + 'static> = std::sync::Mutex<T>;
    type Guard<'a, T: Send + 'static> = std::sync::MutexGuard<'a, T>;

    fn new_lock<T: Send + 'static>(value: T) -> Self::Lock<T> {
        std::sync::Mutex::new(value)
    }

    fn lock<T: Send + 'static>(lock: &Self::Lock<T>) -> Self::Guard<'_, T> {
        lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub type Vfs = vfs::Vfs<StdLocks>;

pub const T0: Timestamp = Timestamp { secs: 1_000, nanos: 0 };

pub fn at(secs: i64) -> Timestamp {
    Timestamp::from_secs(secs)
}

pub fn root_creds() -> Credentials {
    Credentials::root()
}

pub fn user() -> Credentials {
    Credentials::new(1000, 1000)
}

pub fn ramfs() -> Ramfs {
    Ramfs::new(NodeAttrs::new(0o755, 0, 0), T0)
}

pub fn new_vfs() -> Vfs {
    Vfs::new(Box::new(ramfs()))
}

/// Creates `path` (resolved from the namespace root, as root) as `node`.
pub fn make(vfs: &Vfs, path: &str, node: NewNode<'_>, mode: u32) -> NodeRef {
    try_make(vfs, path, node, NodeAttrs::new(mode, 0, 0)).unwrap_or_else(|e| panic!("make {path}: {e:?}"))
}

pub fn try_make(vfs: &Vfs, path: &str, node: NewNode<'_>, attrs: NodeAttrs) -> Result<NodeRef, Error> {
    let root = vfs.root();
    let parent = vfs.resolve_parent(root, root, path.as_bytes(), &root_creds())?;
    let LastComponent::Name(name) = parent.last else {
        return Err(Error::Exists);
    };
    let ino = vfs.fs(parent.dir.fs)?.lock().create(parent.dir.ino, &name, node, attrs, T0)?;
    Ok(NodeRef::new(parent.dir.fs, ino))
}

pub fn mkdir(vfs: &Vfs, path: &str) -> NodeRef {
    make(vfs, path, NewNode::Directory, 0o755)
}

pub fn file(vfs: &Vfs, path: &str, data: &[u8]) -> NodeRef {
    let node = make(vfs, path, NewNode::File, 0o644);
    vfs.fs(node.fs).unwrap().lock().write(node.ino, 0, data, T0).unwrap();
    node
}

pub fn symlink(vfs: &Vfs, path: &str, target: &str) -> NodeRef {
    make(vfs, path, NewNode::Symlink(target.as_bytes()), 0o777)
}

/// Resolves `path` from the namespace root as root, following a final
/// symlink.
pub fn lookup(vfs: &Vfs, path: &str) -> Result<NodeRef, Error> {
    let root = vfs.root();
    vfs.resolve(root, root, path.as_bytes(), true, &root_creds())
}

pub fn read_all(fs: &dyn FileSystem, ino: u64) -> Vec<u8> {
    let len = fs.metadata(ino).unwrap().size as usize;
    let mut buf = vec![0; len];
    assert_eq!(fs.read(ino, 0, &mut buf).unwrap(), len);
    buf
}

/// Every entry of a directory listing from `cookie`, as (name, ino, next
/// cookie).
pub fn list_from(fs: &dyn FileSystem, dir: u64, cookie: u64) -> Vec<(Vec<u8>, u64, u64)> {
    let mut out = Vec::new();
    fs.read_dir(dir, cookie, &mut |e| {
        out.push((e.name.to_vec(), e.ino, e.next_cookie));
        true
    })
    .unwrap();
    out
}

pub fn names(fs: &dyn FileSystem, dir: u64) -> Vec<String> {
    list_from(fs, dir, 0).into_iter().map(|(n, _, _)| String::from_utf8(n).unwrap()).collect()
}
