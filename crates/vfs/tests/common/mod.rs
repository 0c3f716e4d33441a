//! Helpers shared by the integration tests: a namespace on a ramfs, path
//! based shortcuts for building trees, and a small read-only file system to
//! mount.

#![allow(dead_code)]

pub mod mock_fs;

use vfs::{
    Credentials, Error, FileSystem, LastComponent, LockClass, Locking, NewNode, NodeAttrs, NodeRef, Ramfs, Timestamp,
};

/// std's mutex as the namespace's and each file system's lock, checking
/// the crate's lock order on every acquisition (as the kernel's ranked
/// locks do): a file system's lock is never taken under the mount table's
/// or the file-system table's, and two of one class only with
/// `lock_nested`. Every test that goes through the namespace checks it.
#[derive(Debug)]
pub struct StdLocks;

pub struct ClassLock<T> {
    class: LockClass,
    inner: std::sync::Mutex<T>,
}

pub struct ClassGuard<'a, T> {
    class: LockClass,
    inner: std::sync::MutexGuard<'a, T>,
}

impl<T> std::ops::Deref for ClassGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> std::ops::DerefMut for ClassGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T> Drop for ClassGuard<'_, T> {
    fn drop(&mut self) {
        HELD.with(|held| {
            let mut held = held.borrow_mut();
            if let Some(i) = held.iter().rposition(|c| *c == self.class) {
                held.remove(i);
            }
        });
    }
}

thread_local! {
    /// The classes this thread holds, in the order it took them.
    static HELD: std::cell::RefCell<Vec<LockClass>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Outermost first, as the crate's `LockClass` documents.
fn rank(class: LockClass) -> u8 {
    match class {
        LockClass::FileSystem => 0,
        LockClass::MountTable => 1,
        LockClass::FsTable => 2,
    }
}

fn take<T>(lock: &ClassLock<T>, nested: bool) -> ClassGuard<'_, T> {
    HELD.with(|held| {
        let held = held.borrow();
        for h in held.iter() {
            let allowed = rank(*h) < rank(lock.class) || (nested && *h == lock.class);
            assert!(allowed, "lock order: {:?} taken while holding {h:?} (held: {held:?})", lock.class);
        }
    });
    let inner = lock.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    HELD.with(|held| held.borrow_mut().push(lock.class));
    ClassGuard { class: lock.class, inner }
}

impl Locking for StdLocks {
    type Lock<T: Send + 'static> = ClassLock<T>;
    type Guard<'a, T: Send + 'static> = ClassGuard<'a, T>;

    fn new_lock<T: Send + 'static>(class: LockClass, value: T) -> Self::Lock<T> {
        ClassLock { class, inner: std::sync::Mutex::new(value) }
    }

    fn lock<T: Send + 'static>(lock: &Self::Lock<T>) -> Self::Guard<'_, T> {
        take(lock, false)
    }

    fn lock_nested<T: Send + 'static>(lock: &Self::Lock<T>) -> Self::Guard<'_, T> {
        take(lock, true)
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
