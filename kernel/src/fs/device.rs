//! Character devices: /dev/null, zero, full, random, urandom, and the
//! terminal nodes, which are device nodes in the ramfs that `open` turns
//! into device objects (what devtmpfs does on Linux). Which device a node's
//! stored number names, and which nodes /dev starts with, is each OS's
//! numbering: the personality says (`Personality::device_at`,
//! `dev_nodes`); here is only what the kernel does with a `DeviceId`.

use super::now;
use crate::fs::Vfs;
use kernel_ops::{DeviceId, Error, KResult};
use vfs::{NewNode, NodeAttrs};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    Null,
    Zero,
    Full,
    Random,
    Urandom,
    /// /dev/loop-control (fs/loop_device.rs).
    LoopControl,
    /// /dev/loopN: a block device over a file (fs/loop_device.rs).
    Loop(u32),
}

/// What opening a device makes.
pub enum DeviceKind {
    Simple(Device),
    /// The console (ttyS0, console).
    Console,
    /// /dev/tty: the caller's controlling terminal.
    ControllingTerminal,
    /// /dev/ptmx: a new pseudo-terminal's master.
    PtyMultiplexer,
    /// /dev/pts/N: a pseudo-terminal's slave.
    PtySlave(u32),
}

/// What opening `dev` makes; None for a device this kernel does not
/// drive (a serial port other than the console's, a loop device that
/// does not exist, a served disk, which is mounted, never opened).
pub fn kind_of(dev: DeviceId) -> Option<DeviceKind> {
    Some(match dev {
        DeviceId::Null => DeviceKind::Simple(Device::Null),
        DeviceId::Zero => DeviceKind::Simple(Device::Zero),
        DeviceId::Full => DeviceKind::Simple(Device::Full),
        DeviceId::Random => DeviceKind::Simple(Device::Random),
        DeviceId::Urandom => DeviceKind::Simple(Device::Urandom),
        DeviceId::ControllingTerminal => DeviceKind::ControllingTerminal,
        DeviceId::Console | DeviceId::Serial(0) => DeviceKind::Console,
        DeviceId::PtyMultiplexer => DeviceKind::PtyMultiplexer,
        DeviceId::PtySlave(n) => DeviceKind::PtySlave(n),
        DeviceId::LoopControl => DeviceKind::Simple(Device::LoopControl),
        DeviceId::Loop(n) if super::loop_device::exists(n) => DeviceKind::Simple(Device::Loop(n)),
        DeviceId::Serial(_) | DeviceId::Loop(_) | DeviceId::ServedDisk(_) => return None,
    })
}

/// The number the default personality gives `dev`, for the nodes the
/// kernel makes itself (devtmpfs, devpts, loop and served disks): stored
/// numbers are that personality's encoding (see ARCHITECTURE.md).
pub fn stored_number(dev: DeviceId) -> Option<(u32, u32)> {
    crate::personality::default().personality.device_number(dev)
}

impl Device {
    pub fn read(&self, buf: &mut [u8]) -> KResult<usize> {
        match self {
            Device::Null => Ok(0),
            Device::Zero | Device::Full => {
                buf.fill(0);
                Ok(buf.len())
            }
            Device::Random | Device::Urandom => {
                crate::random::fill(buf);
                Ok(buf.len())
            }
            // Open files read a loop device at their offset (file.rs); this
            // is the start, for callers without one.
            Device::Loop(n) => super::loop_device::read(*n, buf, 0),
            Device::LoopControl => Err(Error::InvalidArgument),
        }
    }

    pub fn write(&self, data: &[u8]) -> KResult<usize> {
        match self {
            Device::Full => Err(Error::NoSpace),
            Device::Loop(n) => super::loop_device::write(*n, data, 0),
            Device::LoopControl => Err(Error::InvalidArgument),
            _ => Ok(data.len()),
        }
    }

    pub fn seekable(&self) -> bool {
        true
    }

    /// A small number naming the device, for file locks.
    pub fn key(&self) -> usize {
        match self {
            Device::Null => 1,
            Device::Zero => 2,
            Device::Full => 3,
            Device::Random => 4,
            Device::LoopControl => 5,
            Device::Urandom => 6,
            Device::Loop(n) => 0x100 + *n as usize,
        }
    }

    /// Which device it is, for the caller's personality to number (fstat).
    pub fn id(&self) -> DeviceId {
        match self {
            Device::Null => DeviceId::Null,
            Device::Zero => DeviceId::Zero,
            Device::Full => DeviceId::Full,
            Device::Random => DeviceId::Random,
            Device::Urandom => DeviceId::Urandom,
            Device::LoopControl => DeviceId::LoopControl,
            Device::Loop(n) => DeviceId::Loop(*n),
        }
    }
}

/// The file system that holds the device nodes (Linux's devtmpfs): its
/// own ramfs, mounted on /dev, so that it can move to another root.
static DEV_FS: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(u32::MAX);

/// The devtmpfs file system, once `populate_dev` made it.
/// Whether the device nodes on `fs` are the kernel's own (the devtmpfs and
/// devpts), whose numbers are the default personality's whoever opens them.
pub fn kernel_numbered(fs: vfs::FsId) -> bool {
    dev_fs() == Some(fs) || super::devpts::fs_id() == Some(fs)
}

pub fn dev_fs() -> Option<vfs::FsId> {
    let id = DEV_FS.load(core::sync::atomic::Ordering::Acquire);
    (id != u32::MAX).then_some(vfs::FsId(id))
}

/// Makes the devtmpfs, mounts it on /dev and fills it with the nodes.
pub fn populate_dev(v: &Vfs) {
    let root = v.root();
    let Ok(fs) = v.fs(root.fs) else { return };
    let found = fs.lock().lookup(root.ino, b"dev");
    let mount_point = match found {
        Ok(ino) => ino,
        Err(_) => match fs.lock().create(root.ino, b"dev", NewNode::Directory, NodeAttrs::new(0o755, 0, 0), now()) {
            Ok(ino) => ino,
            Err(e) => {
                crate::error!("cannot create /dev: {e:?}");
                return;
            }
        },
    };
    let devtmpfs = vfs::Ramfs::new(NodeAttrs::new(0o755, 0, 0), now()).with_name("devtmpfs");
    let id = v.add_filesystem(alloc::boxed::Box::new(devtmpfs));
    if let Err(e) = v.mount(vfs::NodeRef { fs: root.fs, ino: mount_point }, id) {
        crate::error!("cannot mount the devtmpfs on /dev: {e:?}");
        return;
    }
    DEV_FS.store(id.0, core::sync::atomic::Ordering::Release);
    let Ok(fs) = v.fs(id) else { return };
    let dev = fs.root();
    super::mount_table::added(super::mount_table::MountEntry {
        fs: id,
        root: dev,
        path: b"/dev".to_vec(),
        source: "devtmpfs".into(),
        fstype: "devtmpfs".into(),
        read_only: false,
    });
    // The devtmpfs is the system's, made before any program runs: its
    // names and numbers are the default personality's.
    let personality = crate::personality::default().personality;
    for node in personality.dev_nodes() {
        let name = node.name.as_bytes();
        if fs.lock().lookup(dev, name).is_ok() {
            continue;
        }
        let Some((major, minor)) = personality.device_number(node.device) else { continue };
        let new = NewNode::Device { char: !node.device.is_block(), major, minor };
        if let Err(e) = fs.lock().create(dev, name, new, NodeAttrs::new(node.mode, 0, node.gid), now()) {
            crate::warn!("cannot create /dev/{}: {e:?}", node.name);
        }
    }
    for link in personality.dev_links() {
        let new = NewNode::Symlink(link.target.as_bytes());
        let _ = fs.lock().create(dev, link.name.as_bytes(), new, NodeAttrs::new(0o777, 0, 0), now());
    }
    super::loop_device::populate(v, id);
    let Ok(fs) = v.fs(id) else { return };
    for dir in [&b"shm"[..], b"pts"] {
        let _ = fs.lock().create(dev, dir, NewNode::Directory, NodeAttrs::new(0o1777, 0, 0), now());
    }
}
