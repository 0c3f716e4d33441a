//! File systems served from user space (the ext2 server over the
//! virtio-blk driver): the kernel's side of crates/fsproto.
//!
//! A server offers a file system with `vfs_serve` (a Vfs capability, an
//! endpoint, a buffer it shares with the kernel, and "<fstype> <device>").
//! Mounting it (`mount -t ext2 /dev/vda /mnt`, or `vfs_mount`) asks the
//! server to mount, and puts an `fsproto::RemoteFs` into the VFS: from then
//! on every VFS call on that file system is an IPC call to the server, made
//! by the thread that needs it, with the request and the answer in the
//! shared buffer.
//!
//! The server is not trusted: `RemoteFs` checks every answer, and a server
//! that dies (`PeerGone`) or does not answer within `ANSWER_TIMEOUT_NS` is
//! marked dead: each later call on its mounts fails at once with EIO. The
//! rest of the system carries on, also while the kernel waits for it: only
//! the calls that need this file system wait.
//!
//! Locks: the mount's own file-system lock (crates/vfs: each file system
//! of the namespace has one, held by a caller for its `FileSystem` call,
//! never the namespace's lock nor another file system's) → the server's
//! `exchange` mutex (one request in its buffer at a time) → the endpoint's
//! queues. So a server that hangs holds up its own mount's callers for up
//! to `ANSWER_TIMEOUT_NS`, and nobody else: not the ramfs, /proc, nor
//! another server's mounts (storage::server-hang checks it).

use crate::ipc::{Endpoint, Message, Watchdog};
use crate::mm::SharedPages;
use crate::sync::{Mutex, Rank, SpinLock};
use crate::task::thread::Thread;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, Ordering};
use fsproto::{RemoteFs, Request, Response, Transport};
use vfs::{Error, FsId, NodeRef};

/// How long the kernel waits for one answer before it gives the server up.
const ANSWER_TIMEOUT_NS: u64 = 30_000_000_000;
/// How long the Linux init waits for boot-time mounts at most.
const BOOT_HOLD_NS: u64 = 15_000_000_000;

/// One file system offered by a server.
pub struct Server {
    pub fstype: String,
    pub device: String,
    endpoint: Arc<Endpoint>,
    buffer: Arc<SharedPages>,
    /// Where the buffer starts in its memory object, and its size.
    buffer_offset: u64,
    capacity: usize,
    dead: AtomicBool,
    /// One request in the shared buffer at a time.
    exchange: Mutex<()>,
    /// Gives the server up when one answer takes `ANSWER_TIMEOUT_NS`.
    watchdog: Arc<Watchdog>,
}

impl Server {
    fn mark_dead(&self, why: &str) {
        if !self.dead.swap(true, Ordering::AcqRel) {
            crate::error!("{} server for {}: {why}; its mounts now fail with I/O errors", self.fstype, self.device);
        }
    }

    fn is_dead(&self) -> bool {
        self.dead.load(Ordering::Acquire)
    }

    /// One exchange: the request into the buffer, a call, the answer out.
    fn exchange(&self, request: &[u8], answer: &mut Vec<u8>) -> Result<(), Error> {
        if self.is_dead() {
            return Err(Error::Io);
        }
        let me: Arc<Thread> = crate::sched::current();
        if me.try_process().is_none() {
            return Err(Error::Io); // only a process can wait for a server
        }
        let _one = self.exchange.lock();
        self.buffer.write_bytes(self.buffer_offset, request).map_err(|_| Error::Io)?;
        let op = request.get(..8).map_or(0, |b| b[0] as u32);
        let msg = Message { info: abi::MsgInfo::new(op), words: [request.len() as u64, 0, 0, 0] };
        match self.endpoint.call_from_kernel(&me, msg, &self.watchdog) {
            Ok(reply) => {
                let len = reply.words[0] as usize;
                if reply.info.label() != 0 || len > self.capacity {
                    self.mark_dead("malformed answer");
                    return Err(Error::Io);
                }
                answer.clear();
                answer.try_reserve_exact(len).map_err(|_| Error::Io)?;
                answer.resize(len, 0);
                self.buffer.read_bytes(self.buffer_offset, answer).map_err(|_| Error::Io)
            }
            Err(abi::Error::PeerGone) => {
                self.mark_dead("the server is gone");
                Err(Error::Io)
            }
            Err(abi::Error::TimedOut) => {
                self.mark_dead("no answer in 30 s");
                Err(Error::Io)
            }
            Err(_) => Err(Error::Io),
        }
    }

    /// A request whose only good answer is `Done`.
    fn simple(&self, req: &Request<'_>) -> Result<(), Error> {
        let mut buf = alloc::vec![0u8; 256];
        let len = req.encode(&mut buf).map_err(|_| Error::InvalidArgument)?;
        let mut answer = Vec::new();
        self.exchange(&buf[..len], &mut answer)?;
        match Response::decode(&answer) {
            Ok(Response::Done) => Ok(()),
            Ok(Response::Error(e)) => Err(e),
            _ => Err(Error::Io),
        }
    }
}

/// The transport a mounted `RemoteFs` uses.
struct KernelTransport(Arc<Server>);

impl Transport for KernelTransport {
    fn capacity(&self) -> usize {
        self.0.capacity
    }

    fn exchange(&self, request: &[u8], answer: &mut Vec<u8>) -> Result<(), Error> {
        self.0.exchange(request, answer)
    }
}

static SERVERS: SpinLock<Vec<Arc<Server>>> = SpinLock::new(Vec::new());
/// Which file system in the VFS each mount of a served file system is.
static MOUNTS: SpinLock<Vec<(FsId, Arc<Server>, Vec<u8>, bool)>> = SpinLock::new(Vec::new());

/// `vfs_serve`: registers a server (replacing an earlier one for the same
/// device) and makes /dev/<device>.
pub fn serve(
    fstype: &str,
    device: &str,
    endpoint: Arc<Endpoint>,
    buffer: Arc<SharedPages>,
    buffer_offset: u64,
    capacity: usize,
) -> Result<(), Error> {
    let valid = |s: &str| {
        !s.is_empty() && s.len() <= 16 && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    };
    if !valid(fstype) || !valid(device) {
        return Err(Error::InvalidArgument);
    }
    let server = Arc::new(Server {
        fstype: fstype.into(),
        device: device.into(),
        endpoint,
        buffer,
        buffer_offset,
        capacity,
        dead: AtomicBool::new(false),
        exchange: Mutex::ranked(Rank::ServedExchange, ()),
        watchdog: Watchdog::new(ANSWER_TIMEOUT_NS),
    });
    let index = {
        let mut servers = SERVERS.lock();
        let old = servers.iter().position(|s| s.device == device);
        let index = match old {
            Some(i) => {
                servers[i] = server;
                i
            }
            None => {
                servers.push(server);
                servers.len() - 1
            }
        };
        index as u32
    };
    make_device_node(device, index);
    crate::info!("vfs: {fstype} on /dev/{device} is served from user space");
    Ok(())
}

/// /dev/<device>, a block device node naming the served device.
fn make_device_node(device: &str, index: u32) {
    if device.starts_with("loop") {
        return; // a loop device's node is the loop driver's (loop_device.rs)
    }
    let Some(dev_fs) = super::device::dev_fs() else { return };
    super::with_vfs(|v| {
        let Ok(root) = v.fs(dev_fs).map(|fs| fs.root()) else { return };
        let dev = NodeRef { fs: dev_fs, ino: root };
        if v.lookup_entry(dev, device.as_bytes()).is_ok() {
            return;
        }
        // Numbered as the default personality numbers served disk
        // `index` (Linux: as virtio-blk's disks, 254:16n).
        let Some((major, minor)) = super::device::stored_number(kernel_ops::DeviceId::ServedDisk(index)) else {
            return;
        };
        let node = vfs::NewNode::Device { char: false, major, minor };
        let _ = v.fs(dev.fs).and_then(|fs| {
            fs.lock().create(dev.ino, device.as_bytes(), node, vfs::NodeAttrs::new(0o660, 0, 6), super::now())
        });
    });
}

/// Whether a live server offers `device` (a loop mount waits for its own).
pub fn is_offered(device: &str) -> bool {
    find(device).is_some_and(|s| !s.is_dead())
}

/// Forgets the server of `device` (a loop device's, which the kernel
/// ended): its entry stays, dead, until a new server offers the device.
pub fn withdraw(device: &str) {
    if let Some(s) = find(device) {
        s.dead.store(true, Ordering::Release);
    }
}

/// The server of a device, by name (`vda`) or device number.
fn find(device: &str) -> Option<Arc<Server>> {
    SERVERS.lock().iter().find(|s| s.device == device).cloned()
}

/// Served disk `n`: the `n`th device a server offered.
fn find_by_index(n: u32) -> Option<Arc<Server>> {
    SERVERS.lock().get(n as usize).cloned()
}

/// What a mount names as its source: a served device's name, or the
/// served disk a device node names (`DeviceId::ServedDisk`'s index).
pub enum Source<'a> {
    Name(&'a str),
    Disk(u32),
}

/// Mounts the file system served for `source` on the directory `at`.
/// `NotFound`-like errors come back as vfs errors; an unknown file-system
/// type as `NotSupported` (ENODEV).
pub fn mount(source: Source<'_>, fstype: &str, at: NodeRef, read_only: bool) -> Result<(), Error> {
    let server = match source {
        Source::Name(n) => find(n),
        Source::Disk(n) => find_by_index(n),
    }
    .ok_or(Error::NotFound)?;
    if server.fstype != fstype {
        return Err(Error::NotSupported);
    }
    if MOUNTS.lock().iter().any(|(_, s, _, _)| Arc::ptr_eq(s, &server)) {
        return Err(Error::Busy);
    }
    // Before the file system is in the namespace: nobody waits for it.
    let name: &'static str = if fstype == "ext2" { "ext2" } else { "served" };
    let remote = RemoteFs::mount(KernelTransport(server.clone()), name, read_only, super::now())?;
    let read_only = remote.is_read_only();
    let mounted = super::with_vfs(|v| {
        let id = v.add_filesystem(Box::new(remote));
        let root = v.root();
        let path = v.path_of(at, root).unwrap_or_else(|_| b"?".to_vec());
        let fs_root = v.fs(id)?.root();
        v.mount(at, id).map(|_| (id, path, fs_root))
    });
    match mounted {
        Ok((id, path, fs_root)) => {
            super::mount_table::added(super::mount_table::MountEntry {
                fs: id,
                root: fs_root,
                path: path.clone(),
                source: alloc::format!("/dev/{}", server.device),
                fstype: server.fstype.clone(),
                read_only,
            });
            MOUNTS.lock().push((id, server.clone(), path, read_only));
            crate::info!("vfs: mounted {} from /dev/{}", server.fstype, server.device);
            Ok(())
        }
        Err(e) => {
            let _ = server.simple(&Request::Unmount { now: super::now() });
            Err(e)
        }
    }
}

/// The file system mounted from `device` (`vda`), if it is mounted.
pub fn mounted_from(device: &str) -> Option<FsId> {
    MOUNTS.lock().iter().find(|(_, s, _, _)| s.device == device).map(|(id, _, _, _)| *id)
}

/// Whether `fs` is a served file system mounted read-only.
pub fn is_read_only(fs: FsId) -> bool {
    MOUNTS.lock().iter().any(|(id, _, _, ro)| *id == fs && *ro)
}

/// Whether `fs` is a mount of a served file system.
pub fn is_served(fs: FsId) -> bool {
    MOUNTS.lock().iter().any(|(id, _, _, _)| *id == fs)
}

/// Whether some server offers file systems of this type.
pub fn serves_type(fstype: &str) -> bool {
    SERVERS.lock().iter().any(|s| s.fstype == fstype)
}

/// After the VFS unmounted `fs`: tells its server, if it is a served one
/// (which writes everything back). The mount is gone whatever the server
/// answers, so, as Linux does for write-back errors at unmount, a failure
/// is logged rather than returned: an error from umount(2) would tell the
/// program the file system is still mounted.
pub fn unmounted(fs: FsId) {
    let server = {
        let mut mounts = MOUNTS.lock();
        let Some(i) = mounts.iter().position(|(id, _, _, _)| *id == fs) else { return };
        mounts.remove(i).1
    };
    if server.is_dead() {
        // Its death was reported when it happened; whatever it had not
        // written back is lost. The mount point is freed so that the
        // device can be mounted again once a new server offers it.
        crate::info!("vfs: unmounted {} from /dev/{} without its server, which had died", server.fstype, server.device);
    } else if let Err(e) = server.simple(&Request::Unmount { now: super::now() }) {
        crate::error!(
            "vfs: unmounted {} from /dev/{}, but its server failed to write it back: {e}",
            server.fstype,
            server.device
        );
    }
    super::loop_mount::unmounted(&server.device);
}

/// sync(2) and power-off: every served mount writes its cache back.
pub fn sync_all() {
    let servers: Vec<Arc<Server>> = MOUNTS.lock().iter().map(|(_, s, _, _)| s.clone()).collect();
    for s in servers.iter().filter(|s| !s.is_dead()) {
        if let Err(e) = s.simple(&Request::Sync { now: super::now() }) {
            crate::warn!("sync of {} on /dev/{} failed: {e}", s.fstype, s.device);
        }
        super::loop_mount::synced(&s.device);
    }
}

/// The Linux init, held back while native services start.
static HELD_INIT: SpinLock<Option<Arc<Thread>>> = SpinLock::new(None);

/// Holds `init` until `release_init` (boot-time mounts made) or
/// `BOOT_HOLD_NS` at the latest.
pub fn hold_init(init: Arc<Thread>) {
    init.set_state(crate::task::thread::ThreadState::Blocked);
    // Not cancelled on an earlier release: one entry, gone in 15 s.
    let _ = crate::sched::wake_at(crate::time::now_ns() + BOOT_HOLD_NS, &init);
    *HELD_INIT.lock() = Some(init);
}

/// `vfs_boot_done`: lets the Linux init run (after starting it from its
/// root file system, with `root=`).
pub fn release_init() {
    if let Some(t) = HELD_INIT.lock().take() {
        crate::sched::wake(&t);
    }
    super::root_switch::start_pending();
}
