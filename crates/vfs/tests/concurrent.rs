//! The namespace shared by several threads at once: each file system is
//! locked on its own, so one that does not answer (a server in user space
//! that hangs) stalls only its own callers; path walks go on while others
//! mount and unmount; the counts of open nodes stay exact.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use common::Vfs;
use common::{file, mkdir, new_vfs, ramfs, read_all, root_creds, T0};
use vfs::{
    DirEntry, Error, FileSystem, FsStats, Ino, Metadata, MetadataChange, NewNode, NodeAttrs, NodeRef, Ramfs, Timestamp,
};

fn get(vfs: &Vfs, path: &str) -> Result<NodeRef, Error> {
    let root = vfs.root();
    vfs.resolve(root, root, path.as_bytes(), true, &root_creds())
}

/// A gate a `StuckFs` read waits at: closed, a read blocks until it opens
/// (a server that stops answering, then is given up).
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
    /// How many reads are waiting at it.
    waiting: AtomicUsize,
}

impl Gate {
    fn wait(&self) {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        let mut open = self.open.lock().unwrap();
        while !*open {
            open = self.opened.wait(open).unwrap();
        }
        self.waiting.fetch_sub(1, Ordering::SeqCst);
    }

    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }
}

/// A ramfs whose reads wait at a gate: it holds its own lock (as the
/// namespace gives it) for as long as the gate stays closed.
struct StuckFs {
    inner: Ramfs,
    gate: Arc<Gate>,
}

impl FileSystem for StuckFs {
    fn name(&self) -> &str {
        "stuck"
    }
    fn root(&self) -> Ino {
        self.inner.root()
    }
    fn metadata(&self, ino: Ino) -> Result<Metadata, Error> {
        self.inner.metadata(ino)
    }
    fn lookup(&self, dir: Ino, name: &[u8]) -> Result<Ino, Error> {
        self.inner.lookup(dir, name)
    }
    fn create(
        &mut self,
        dir: Ino,
        name: &[u8],
        node: NewNode<'_>,
        attrs: NodeAttrs,
        now: Timestamp,
    ) -> Result<Ino, Error> {
        self.inner.create(dir, name, node, attrs, now)
    }
    fn link(&mut self, dir: Ino, name: &[u8], target: Ino, now: Timestamp) -> Result<(), Error> {
        self.inner.link(dir, name, target, now)
    }
    fn unlink(&mut self, dir: Ino, name: &[u8], now: Timestamp) -> Result<(), Error> {
        self.inner.unlink(dir, name, now)
    }
    fn rmdir(&mut self, dir: Ino, name: &[u8], now: Timestamp) -> Result<(), Error> {
        self.inner.rmdir(dir, name, now)
    }
    fn rename(&mut self, a: Ino, an: &[u8], b: Ino, bn: &[u8], now: Timestamp) -> Result<(), Error> {
        self.inner.rename(a, an, b, bn, now)
    }
    fn readlink(&self, ino: Ino) -> Result<Vec<u8>, Error> {
        self.inner.readlink(ino)
    }
    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> Result<usize, Error> {
        self.gate.wait();
        self.inner.read(ino, offset, buf)
    }
    fn write(&mut self, ino: Ino, offset: u64, data: &[u8], now: Timestamp) -> Result<usize, Error> {
        self.inner.write(ino, offset, data, now)
    }
    fn truncate(&mut self, ino: Ino, len: u64, now: Timestamp) -> Result<(), Error> {
        self.inner.truncate(ino, len, now)
    }
    fn read_dir(&self, dir: Ino, cookie: u64, emit: &mut dyn FnMut(DirEntry<'_>) -> bool) -> Result<(), Error> {
        self.inner.read_dir(dir, cookie, emit)
    }
    fn set_metadata(&mut self, ino: Ino, change: MetadataChange, now: Timestamp) -> Result<(), Error> {
        self.inner.set_metadata(ino, change, now)
    }
    fn statfs(&self) -> FsStats {
        self.inner.statfs()
    }
}

/// Waits (a bounded time) until `cond` holds.
fn eventually(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..2000 {
        if cond() {
            return;
        }
        thread::sleep(Duration::from_millis(5));
    }
    panic!("timed out waiting until {what}");
}

/// Runs `f` on another thread and fails if it has not finished in 10 s:
/// what it does must not wait for the stuck file system.
fn finishes<R: Send + 'static>(what: &str, f: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(10)).unwrap_or_else(|_| panic!("{what} waited for the stuck file system"))
}

#[test]
fn a_stuck_file_system_stalls_only_its_own_callers() {
    let vfs = Arc::new(new_vfs());
    let mnt = mkdir(&vfs, "/mnt");
    file(&vfs, "/tmp-file", b"on the root");
    mkdir(&vfs, "/other");
    let gate = Arc::new(Gate::default());
    let stuck = vfs.add_filesystem(Box::new(StuckFs { inner: ramfs(), gate: gate.clone() }));
    vfs.mount(mnt, stuck).unwrap();
    let data = file(&vfs, "/mnt/data", b"behind the gate");

    // A reader of the stuck file system waits at the gate, holding its lock.
    let reader = {
        let vfs = vfs.clone();
        thread::spawn(move || {
            let mut buf = [0u8; 64];
            let n = vfs.fs(data.fs).unwrap().lock().read(data.ino, 0, &mut buf).unwrap();
            buf[..n].to_vec()
        })
    };
    eventually("the reader waits at the gate", || gate.waiting.load(Ordering::SeqCst) == 1);

    // A second caller of the same file system waits too: its lock is held.
    let blocked_done = Arc::new(AtomicBool::new(false));
    let blocked = {
        let (vfs, done) = (vfs.clone(), blocked_done.clone());
        thread::spawn(move || {
            let meta = vfs.fs(data.fs).unwrap().lock().metadata(data.ino);
            done.store(true, Ordering::SeqCst);
            meta.map(|m| m.size)
        })
    };

    // Everything else goes on meanwhile: walks (even through /mnt's
    // mount point, which needs only the mount table), changes and reads
    // on the root file system, a new mount and its unmount, path_of.
    let v = vfs.clone();
    finishes("work on the other file systems", move || {
        let on_root = get(&v, "/tmp-file").unwrap();
        assert_eq!(read_all(&**v.fs(on_root.fs).unwrap().lock(), on_root.ino), b"on the root");
        file(&v, "/other/new", b"made while stuck");
        assert_eq!(v.follow_mounts(mnt), NodeRef::new(stuck, v.fs(stuck).unwrap().root()));
        let second = v.add_filesystem(Box::new(ramfs()));
        let other = get(&v, "/other").unwrap();
        v.mount(other, second).unwrap();
        file(&v, "/other/inside", b"on the second");
        let inside = get(&v, "/other/inside").unwrap();
        assert_eq!(inside.fs, second);
        let root = v.root();
        assert_eq!(v.path_of(get(&v, "/other").unwrap(), root).unwrap(), b"/other");
        v.unmount(other).unwrap();
        assert_eq!(get(&v, "/other/new").map(|n| n.fs), Ok(vfs::FsId::ROOT));
        assert!(v.mounts().iter().any(|m| m.fs == stuck));
    });
    assert!(!blocked_done.load(Ordering::SeqCst), "a second caller of the stuck file system did not wait for its lock");

    // The server answers at last: both its callers finish.
    gate.open();
    assert_eq!(reader.join().unwrap(), b"behind the gate");
    assert_eq!(blocked.join().unwrap(), Ok(15));
    assert!(blocked_done.load(Ordering::SeqCst));
}

#[test]
fn walks_go_on_while_others_mount_and_unmount() {
    let vfs = Arc::new(new_vfs());
    let mnt = mkdir(&vfs, "/mnt");
    file(&vfs, "/mnt/under", b"under");
    mkdir(&vfs, "/a");
    mkdir(&vfs, "/a/b");
    let deep = file(&vfs, "/a/b/c", b"deep");
    let upper = vfs.add_filesystem(Box::new(ramfs()));
    {
        let fs = vfs.fs(upper).unwrap();
        let mut fs = fs.lock();
        let root = fs.root();
        let ino = fs.create(root, b"over", NewNode::File, NodeAttrs::new(0o644, 0, 0), T0).unwrap();
        fs.write(ino, 0, b"over", T0).unwrap();
    }
    let upper_root = NodeRef::new(upper, vfs.fs(upper).unwrap().root());
    let stop = Arc::new(AtomicBool::new(false));
    let mounted_rounds = Arc::new(AtomicUsize::new(0));

    let mounter = {
        let (vfs, stop, rounds) = (vfs.clone(), stop.clone(), mounted_rounds.clone());
        thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                vfs.mount(mnt, upper).unwrap();
                thread::yield_now();
                vfs.unmount(upper_root).unwrap();
                rounds.fetch_add(1, Ordering::SeqCst);
                thread::yield_now();
            }
        })
    };
    let walkers: Vec<_> = (0..3)
        .map(|_| {
            let vfs = vfs.clone();
            thread::spawn(move || {
                let (mut saw_upper, mut saw_under) = (0u64, 0u64);
                // Until both states of /mnt were seen (or the test proves
                // nothing about walking while the table changes).
                let mut walks = 0u64;
                while walks < 2000 || saw_upper == 0 || saw_under == 0 {
                    walks += 1;
                    assert!(walks < 2_000_000, "walks saw only one state of /mnt: {saw_upper} {saw_under}");
                    // Away from the mount: always the same answer.
                    assert_eq!(get(&vfs, "/mnt/../a/b/c"), Ok(deep));
                    assert_eq!(get(&vfs, "/a/b/../b/c"), Ok(deep));
                    // At the mount: one table or the other, never a mix.
                    match (get(&vfs, "/mnt"), get(&vfs, "/mnt/over"), get(&vfs, "/mnt/under")) {
                        (Ok(top), _, _) if top == upper_root => saw_upper += 1,
                        (Ok(top), _, _) if top == mnt => saw_under += 1,
                        other => panic!("/mnt walked to {other:?}"),
                    }
                    let over = get(&vfs, "/mnt/over");
                    assert!(over.is_ok_and(|n| n.fs == upper) || over == Err(Error::NotFound), "/mnt/over: {over:?}");
                    let under = get(&vfs, "/mnt/under");
                    assert!(
                        under.is_ok_and(|n| n.fs == vfs::FsId::ROOT) || under == Err(Error::NotFound),
                        "/mnt/under: {under:?}"
                    );
                }
                (saw_upper, saw_under)
            })
        })
        .collect();
    let mut seen = (0, 0);
    for w in walkers {
        let (a, b) = w.join().unwrap();
        seen = (seen.0 + a, seen.1 + b);
    }
    stop.store(true, Ordering::SeqCst);
    mounter.join().unwrap();
    assert!(mounted_rounds.load(Ordering::SeqCst) > 0, "the mounter never ran");
    assert!(seen.0 > 0 && seen.1 > 0);
    assert_eq!(vfs.mounts().len(), 1);
    assert_eq!(get(&vfs, "/mnt/under").map(|n| n.fs), Ok(vfs::FsId::ROOT));
}

#[test]
fn open_counts_stay_exact_under_concurrent_retain_and_release() {
    let vfs = Arc::new(new_vfs());
    let mnt = mkdir(&vfs, "/mnt");
    let second = vfs.add_filesystem(Box::new(ramfs()));
    vfs.mount(mnt, second).unwrap();
    let node = file(&vfs, "/mnt/f", b"x");
    assert_eq!(node.fs, second);
    // Held throughout by this thread: no unmount may succeed meanwhile.
    vfs.retain(node).unwrap();
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let vfs = vfs.clone();
            thread::spawn(move || {
                for _ in 0..2000 {
                    vfs.retain(node).unwrap();
                    assert!(vfs.has_open_nodes(second));
                    vfs.release(node).unwrap();
                }
            })
        })
        .collect();
    let root = NodeRef::new(second, vfs.fs(second).unwrap().root());
    for t in threads {
        while !t.is_finished() {
            assert_eq!(vfs.unmount(root), Err(Error::Busy));
        }
        t.join().unwrap();
    }
    // Every thread's holds are gone, this thread's is not.
    assert!(vfs.has_open_nodes(second));
    assert_eq!(vfs.unmount(root), Err(Error::Busy));
    vfs.release(node).unwrap();
    assert!(!vfs.has_open_nodes(second));
    assert_eq!(vfs.unmount(root), Ok(second));
    vfs.discard(second).unwrap();
    assert_eq!(vfs.fs(second).unwrap().lock().name(), "detached");
}

#[test]
fn a_handle_outlives_the_discard_of_its_file_system() {
    let vfs = new_vfs();
    let mnt = mkdir(&vfs, "/mnt");
    let second = vfs.add_filesystem(Box::new(ramfs()));
    vfs.mount(mnt, second).unwrap();
    let node = file(&vfs, "/mnt/f", b"kept");
    let handle = vfs.fs(second).unwrap();
    vfs.unmount(NodeRef::new(second, handle.root())).unwrap();
    vfs.discard(second).unwrap();
    // Whoever took the handle before the discard finishes on the old file
    // system; everyone after finds it gone.
    assert_eq!(read_all(&**handle.lock(), node.ino), b"kept");
    assert_eq!(vfs.metadata(node), Err(Error::NotFound));
}
