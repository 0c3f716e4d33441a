//! Mounting a loop device (`mount -t ext2 /dev/loop0 /mnt`): the file
//! system stays in user space. For each such mount the kernel starts an
//! instance of the ext2 server (`/native/ext2fs` in loop mode) and mounts
//! what it serves, exactly as a disk's (`served.rs`); unmounting ends it.
//!
//! The server does not read the backing file through the VFS: it would be
//! a client of the kernel's VFS serving the kernel's VFS (a backing file on
//! the loop mount itself, or on another loop mount whose server waits in
//! turn, would wait on the lock of the very file system it serves), and it
//! holds no authority over files. So the device's blocks move into a
//! Memory object the server maps (zero pages are never stored: a fresh
//! image costs what mke2fs wrote), and go back to the backing file at
//! sync(2), fsync and unmount, with no file system's lock held; while
//! mounted, /dev/loopN reads and writes that memory too. As
//! with a disk's write-back cache, what was not synced is lost if the
//! machine stops from outside.

use super::{loop_device, served, OpenFile};
use crate::cap::{KObject, MemoryObject};
use crate::mm::SharedPages;
use crate::sync::SpinLock;
use crate::task::process::Process;
use abi::Rights;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use kernel_ops::{Error, KResult};
use vfs::NodeRef;

const PAGE: u64 = 4096;
/// The server's program, and how long it may take to offer the device.
const SERVER: &[u8] = b"/native/ext2fs";
const SERVE_PATIENCE_NS: u64 = 10_000_000_000;
/// The argument bit that puts the ext2 server in loop mode (user/ext2fs).
const LOOP_MODE: u64 = 1 << 63;

struct LoopMount {
    number: u32,
    device: String,
    store: Arc<SharedPages>,
    server: Arc<Process>,
    backing: Arc<OpenFile>,
    /// A write-back failed (the file's file system is full): said once.
    failed: core::sync::atomic::AtomicBool,
    /// Where the device starts in the backing file, and its size.
    offset: u64,
    size: u64,
    /// What the backing file holds, as far as the store knows: a hash of
    /// each page loaded from it or written to it. A page whose content
    /// hashes the same needs no writing back; any other present page
    /// (changed, or new, zeros included) does. The store cannot tell a
    /// written page from a read one otherwise: the server writes it
    /// through its mapping.
    on_file: SpinLock<PageHashes>,
}

/// Page index to content hash, sorted by index. Every insertion reserves
/// its room fallibly: write-back runs when memory may be short (a full
/// file system's unmount), and a hash it cannot keep only means that
/// page is compared and written again next time.
#[derive(Default)]
struct PageHashes(Vec<(u64, u64)>);

impl PageHashes {
    fn get(&self, index: u64) -> Option<u64> {
        self.0.binary_search_by_key(&index, |e| e.0).ok().map(|i| self.0[i].1)
    }

    /// Records `hash` for page `index`; false when no memory was left.
    fn record(&mut self, index: u64, hash: u64) -> bool {
        match self.0.binary_search_by_key(&index, |e| e.0) {
            Ok(i) => self.0[i].1 = hash,
            Err(i) => {
                if self.0.try_reserve(1).is_err() {
                    return false;
                }
                self.0.insert(i, (index, hash));
            }
        }
        true
    }
}

static MOUNTS: SpinLock<Vec<Arc<LoopMount>>> = SpinLock::new(Vec::new());

fn find(pred: impl Fn(&LoopMount) -> bool) -> Option<Arc<LoopMount>> {
    MOUNTS.lock().iter().find(|m| pred(m)).cloned()
}

/// The memory holding loop device `n`'s blocks while it is mounted, and
/// its size: /dev/loopN's reads and writes go there meanwhile.
pub fn store_of(n: u32) -> Option<(Arc<SharedPages>, u64)> {
    find(|m| m.number == n).map(|m| (m.store.clone(), m.size))
}

/// Mounts the `fstype` file system on loop device `n` on the directory `at`.
pub fn mount(n: u32, fstype: &str, at: NodeRef, read_only: bool) -> KResult<()> {
    if fstype != "ext2" {
        return Err(Error::NoDevice);
    }
    if find(|m| m.number == n).is_some() {
        return Err(Error::Busy);
    }
    let backing = loop_device::backing(n)?;
    let (offset, size) = loop_device::geometry(n)?;
    // A read-only device mounts only read-only (Linux: EACCES).
    if loop_device::is_read_only(n) && !read_only {
        return Err(Error::PermissionDenied);
    }
    if size < 2 * 1024 {
        return Err(Error::InvalidArgument);
    }
    loop_device::set_mounted(n, true)?;
    let result = start(n, backing, offset, size, at, read_only);
    if result.is_err() {
        let _ = loop_device::set_mounted(n, false);
    }
    result
}

fn start(n: u32, backing: Arc<OpenFile>, offset: u64, size: u64, at: NodeRef, read_only: bool) -> KResult<()> {
    let store = SharedPages::new();
    let on_file = load(&backing, offset, size, &store)?;
    let pages = size.div_ceil(PAGE);
    let device = alloc::format!("loop{n}");
    let arg = LOOP_MODE | (u64::from(n) << 40) | (size / 512);
    let endpoint = crate::ipc::Endpoint::new();
    let memory = KObject::Memory {
        object: Arc::new(MemoryObject { pages: store.clone(), dma_base: None }),
        first: 0,
        count: pages,
    };
    let grants = alloc::vec![
        (KObject::Vfs, Rights::WRITE),
        (KObject::Endpoint(endpoint), Rights::READ | Rights::WRITE),
        (memory, Rights::READ | Rights::WRITE)
    ];
    let name = alloc::format!("ext2fs-{device}");
    let server = crate::native::spawn_service(SERVER, name.as_bytes(), arg, grants).map_err(|e| {
        crate::warn!("mount of /dev/{device}: cannot start {}: {e:?}", core::str::from_utf8(SERVER).unwrap_or("?"));
        Error::NoDevice
    })?;
    let deadline = crate::time::now_ns().saturating_add(SERVE_PATIENCE_NS);
    while !served::is_offered(&device) {
        if crate::time::now_ns() >= deadline || server.exit.lock().is_some() {
            crate::native::kill_service(&server);
            return Err(Error::NoDevice);
        }
        let _ = crate::sched::sleep_until(crate::time::now_ns() + 10_000_000);
    }
    let m = Arc::new(LoopMount {
        number: n,
        device: device.clone(),
        store,
        server: server.clone(),
        backing,
        failed: core::sync::atomic::AtomicBool::new(false),
        offset,
        size,
        on_file: SpinLock::new(on_file),
    });
    MOUNTS.lock().push(m);
    let mounted = served::mount(served::Source::Name(&device), "ext2", at, read_only);
    if let Err(e) = mounted {
        let m = take(&device);
        crate::native::kill_service(&server);
        served::withdraw(&device);
        drop(m);
        return Err(match e {
            vfs::Error::NotFound | vfs::Error::NotSupported => Error::InvalidArgument,
            e => e.into(),
        });
    }
    Ok(())
}

fn take(device: &str) -> Option<Arc<LoopMount>> {
    let mut mounts = MOUNTS.lock();
    let i = mounts.iter().position(|m| m.device == device)?;
    Some(mounts.remove(i))
}

/// FNV-1a over a page: enough to tell whether a page changed since it
/// was last on the file (the store is ours, nobody forges collisions).
fn hash(page: &[u8]) -> u64 {
    page.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Reads the device's bytes from the backing file into `store`, leaving
/// zero pages out. Returns the hashes of the pages it stored.
fn load(backing: &Arc<OpenFile>, offset: u64, size: u64, store: &SharedPages) -> KResult<PageHashes> {
    const CHUNK: usize = 256 * 1024;
    let mut buf = super::buffer(CHUNK)?;
    let mut stored = PageHashes::default();
    let mut at = 0u64;
    while at < size {
        let want = (size - at).min(CHUNK as u64) as usize;
        let got = backing.read(&mut buf[..want], Some(offset + at))?;
        if got == 0 {
            break; // the rest reads as zeros
        }
        buf[got..want].fill(0);
        for (i, page) in buf[..want].chunks(PAGE as usize).enumerate() {
            if page.iter().any(|&b| b != 0) {
                let index = at / PAGE + i as u64;
                store.write_bytes(index * PAGE, page).map_err(|_| Error::NoMemory)?;
                if !stored.record(index, hash(page)) {
                    return Err(Error::NoMemory);
                }
            }
        }
        at += want as u64;
    }
    Ok(stored)
}

/// Writes a mounted loop device's memory back to its backing file: the
/// pages that exist and differ from what was last on the file.
fn write_back(m: &LoopMount) {
    let mut page = [0u8; PAGE as usize];
    for index in m.store.present_pages() {
        let at = index * PAGE;
        let len = (m.size - at.min(m.size)).min(PAGE) as usize;
        if len == 0 || m.store.read_bytes(at, &mut page[..len]).is_err() {
            continue;
        }
        let h = hash(&page[..len]);
        if m.on_file.lock().get(index) == Some(h) {
            continue;
        }
        if let Err(e) = m.backing.write(&page[..len], Some(m.offset + at)) {
            if !m.failed.swap(true, core::sync::atomic::Ordering::Relaxed) {
                crate::error!(
                    "/dev/{}: writing back to its file failed: {e:?}; its file lacks what was not written back",
                    m.device
                );
            }
            return;
        }
        loop_device::count_write(m.number, len);
        // Out of memory: the page is written again next time.
        let _ = m.on_file.lock().record(index, h);
    }
}

/// After the server of `device` synced its file system: the blocks go to
/// the backing file.
pub fn synced(device: &str) {
    if let Some(m) = find(|m| m.device == device) {
        write_back(&m);
    }
}

/// After `device`'s file system was unmounted (its server wrote everything
/// back to the memory): the blocks go to the file, the server ends, the
/// device is free to unbind.
pub fn unmounted(device: &str) {
    let Some(m) = take(device) else { return };
    write_back(&m);
    crate::native::kill_service(&m.server);
    served::withdraw(device);
    let _ = loop_device::set_mounted(m.number, false);
    loop_device::clear_if_auto(m.number);
}
