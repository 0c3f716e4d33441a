//! The kernel's file layer: the VFS namespace (crates/vfs) behind a lock,
//! and the open-file objects descriptors point to: VFS nodes, pipes,
//! devices and the console terminal.

pub mod device;
pub mod devpts;
pub mod event_set;
pub mod eventfd;
pub mod fanotify;
pub mod fd_table;
mod file;
pub mod file_handle;
mod generated_tree;
pub mod inet;
pub mod initramfs;
pub mod inotify;
pub mod leases;
pub mod locks;
pub mod loop_device;
pub mod loop_mount;
pub mod memfd;
pub mod mount_table;
pub mod mqueue;
pub mod netlink;
pub mod notify;
pub mod pidfd;
mod pipe;
pub mod procfs;
pub mod pty;
pub mod root_switch;
pub mod served;
pub mod signalfd;
pub mod socket;
pub mod splice;
pub mod sysfs;
pub mod timerfd;
pub mod tty;
pub mod write_denial;
pub mod xattr;

pub use device::Device;
pub use fd_table::{Closed, FdEntry, FdTable};
pub use file::{FileObject, OpenFile, Placement};
pub use pipe::{Pipe, MAX_SIZE as PIPE_MAX_SIZE, PIPE_BUF};

use crate::sync::{Mutex, MutexGuard, Once, Rank};
use alloc::boxed::Box;
use alloc::vec::Vec;
use vfs::{NodeAttrs, NodeRef, Ramfs, Timestamp};

/// The locks of the namespace: the sleeping mutex, since a file system
/// served from user space answers by IPC while its own lock is held (see
/// `served.rs`), ranked by class. Lock order: ARCHITECTURE.md, "Lock
/// order".
#[derive(Debug)]
pub struct KernelLocks;

impl vfs::Locking for KernelLocks {
    type Lock<T: Send + 'static> = Mutex<T>;
    type Guard<'a, T: Send + 'static> = MutexGuard<'a, T>;

    fn new_lock<T: Send + 'static>(class: vfs::LockClass, value: T) -> Mutex<T> {
        let rank = match class {
            vfs::LockClass::FileSystem => Rank::FileSystem,
            vfs::LockClass::MountTable => Rank::MountTable,
            vfs::LockClass::FsTable => Rank::FsTable,
        };
        Mutex::ranked(rank, value)
    }

    fn lock<T: Send + 'static>(lock: &Mutex<T>) -> MutexGuard<'_, T> {
        lock.lock()
    }

    fn lock_nested<T: Send + 'static>(lock: &Mutex<T>) -> MutexGuard<'_, T> {
        lock.lock_nested()
    }
}

/// The kernel's namespace: shared, each file system behind its own lock.
pub type Vfs = vfs::Vfs<KernelLocks>;

/// Set once by `init`; no lock is held to reach it, only the short ones
/// inside (see crates/vfs/src/vfs.rs).
static VFS: Once<Vfs> = Once::new();

/// Per-process file-system context: where paths start, and the umask.
#[derive(Debug, Clone)]
pub struct FsContext {
    pub cwd: NodeRef,
    pub root: NodeRef,
    pub umask: u32,
}

/// The namespace (which exists from `init` on).
pub fn vfs() -> &'static Vfs {
    VFS.get().expect("VFS not initialised")
}

/// Runs `f` on the VFS. No lock is held across `f`: each file system it
/// calls is locked for that call (`v.fs(id)?.lock()`), the mount table
/// for as long as it takes to copy out.
pub fn with_vfs<R>(f: impl FnOnce(&Vfs) -> R) -> R {
    f(vfs())
}

/// The current time as a VFS timestamp.
pub fn now() -> Timestamp {
    let ns = crate::time::realtime_ns();
    Timestamp { secs: (ns / 1_000_000_000) as i64, nanos: (ns % 1_000_000_000) as u32 }
}

/// Reads file data for the page-fault path: takes no namespace lock,
/// only the file-system table's (to find the file system) and then the
/// file system's own.
pub fn read_node(node: NodeRef, offset: u64, buf: &mut [u8]) -> Result<usize, vfs::Error> {
    with_vfs(|v| v.fs(node.fs)?.lock().read(node.ino, offset, buf))
}

/// Creates the root ramfs, unpacks the initramfs into it, mounts /proc and
/// fills /dev. Returns the context the first process starts with.
pub fn init(initramfs: Option<&[u8]>) -> FsContext {
    let root_fs = Ramfs::new(NodeAttrs::new(0o755, 0, 0), now()).with_name("rootfs");
    let v = Vfs::new(Box::new(root_fs));
    let root = v.root();
    mount_table::added(mount_table::MountEntry {
        fs: root.fs,
        root: root.ino,
        path: b"/".to_vec(),
        source: "rootfs".into(),
        fstype: "rootfs".into(),
        read_only: false,
    });
    match initramfs {
        Some(archive) => match initramfs::unpack(&v, archive) {
            Ok(stats) => crate::info!(
                "initramfs: {} files, {} directories, {} links, {} KiB",
                stats.files,
                stats.dirs,
                stats.symlinks,
                stats.bytes / 1024
            ),
            Err(e) => crate::error!("initramfs: {e}"),
        },
        None => crate::warn!("no initramfs given: the root file system is empty"),
    }
    device::populate_dev(&v);
    if let Some(dev_fs) = device::dev_fs() {
        devpts::mount(&v, dev_fs);
    }
    procfs::mount(&v);
    sysfs::mount(&v);
    for dir in [&b"tmp"[..], b"root"] {
        let _ = v.fs(root.fs).and_then(|fs| {
            fs.lock().create(root.ino, dir, vfs::NewNode::Directory, NodeAttrs::new(0o1777, 0, 0), now())
        });
    }
    VFS.call_once(|| v);
    FsContext { cwd: root, root, umask: 0o022 }
}

/// Mounts a generated file system (/proc, /sys) on `/name` in the root
/// file system, creating the directory if the initramfs lacks it.
fn mount_generated(v: &Vfs, name: &[u8], fs: Box<dyn vfs::FileSystem>) {
    let root = v.root();
    let shown = core::str::from_utf8(name).unwrap_or("?");
    let dir = match v.fs(root.fs).and_then(|f| {
        let found = f.lock().lookup(root.ino, name);
        match found {
            Ok(ino) => Ok(ino),
            Err(_) => f.lock().create(root.ino, name, vfs::NewNode::Directory, NodeAttrs::new(0o555, 0, 0), now()),
        }
    }) {
        Ok(ino) => ino,
        Err(e) => {
            crate::error!("cannot create /{shown}: {e:?}");
            return;
        }
    };
    let id = v.add_filesystem(fs);
    let fs_root = v.fs(id).map(|f| f.root()).unwrap_or(0);
    let fstype = v.fs(id).map(|f| alloc::string::String::from(f.lock().name())).unwrap_or_default();
    if let Err(e) = v.mount(NodeRef { fs: root.fs, ino: dir }, id) {
        crate::error!("cannot mount /{shown}: {e:?}");
        return;
    }
    let mut path = b"/".to_vec();
    path.extend_from_slice(name);
    mount_table::added(mount_table::MountEntry {
        fs: id,
        root: fs_root,
        path,
        source: fstype.clone(),
        fstype,
        read_only: false,
    });
}

/// The absolute path (within `root`) that `path` names, final symlinks
/// followed: what /proc/<pid>/exe and descriptor links show. Directories
/// know their path (vfs path_of); a file's is its directory's plus its name.
pub fn absolute_path(v: &Vfs, start: NodeRef, root: NodeRef, path: &[u8], creds: &vfs::Credentials) -> Option<Vec<u8>> {
    locate(v, start, root, path, creds).map(|(path, _)| path)
}

/// As `absolute_path`, with the directory holding the final entry (None
/// when the path ends in a directory reached without a name: `/`, `.`).
pub fn locate(
    v: &Vfs,
    start: NodeRef,
    root: NodeRef,
    path: &[u8],
    creds: &vfs::Credentials,
) -> Option<(Vec<u8>, Option<NodeRef>)> {
    // One walk (a final symlink followed) says both the node and where its
    // last name was found.
    let found = v.resolve_located(start, root, path, true, creds).ok()?;
    name_found(v, root, found)
}

/// The path a node found by a walk is known by (and the directory it was
/// found in, when known): what `open` records.
pub fn name_found(v: &Vfs, root: NodeRef, found: vfs::Located) -> Option<(Vec<u8>, Option<NodeRef>)> {
    let Some((dir, name)) = found.entry else {
        return v.path_of(found.node, root).ok().map(|p| (p, None));
    };
    Some((v.path_of_entry(dir, &name, root).ok()?, Some(dir)))
}

/// A zero-filled buffer, or `NoMemory` when the heap cannot provide it:
/// buffers sized by what a program asks for must never abort the kernel.
pub fn buffer(len: usize) -> kernel_ops::KResult<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| kernel_ops::Error::NoMemory)?;
    v.resize(len, 0);
    Ok(v)
}

/// sync(2): pages written through shared mappings, then every served file
/// system's own cache, reach the disks.
pub fn sync_all() {
    crate::mm::page_cache::write_back_all();
    crate::mm::deferred::run();
    served::sync_all();
}

/// Before the machine stops: as `sync_all`, and the page cache lets go of
/// every file, so that servers free the inodes of files already unlinked.
pub fn sync_for_power_off() {
    crate::mm::page_cache::flush_all();
    crate::mm::deferred::run();
    served::sync_all();
}

/// Lets go of a node the kernel held (an open file, a mapping). Sleeps.
pub fn release_node(node: NodeRef) {
    with_vfs(|v| {
        let _ = v.release(node);
        memfd::released(v, node);
    });
}

/// The calling process's file-size limit (RLIMIT_FSIZE); `u64::MAX`
/// (unlimited) for the kernel's own threads.
pub fn file_size_limit() -> u64 {
    crate::sched::current().try_process().map_or(u64::MAX, |p| p.limit(kernel_ops::Resource::FileSize).soft)
}

/// A write or resize that would pass the file-size limit: the calling
/// thread gets SIGXFSZ and the call EFBIG, as POSIX requires.
pub fn over_file_size_limit() -> kernel_ops::Error {
    crate::task::signal::send_to_thread(
        &crate::sched::current(),
        kernel_ops::Signal::XFSZ,
        kernel_ops::SignalCause::Kernel,
    );
    kernel_ops::Error::FileTooBig
}
