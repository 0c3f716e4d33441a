//! Character devices: /dev/null, zero, full, random, urandom, and the
//! terminal nodes, which are device numbers in the ramfs that `open` turns
//! into device objects (what devtmpfs does on Linux).

use super::now;
use crate::fs::Vfs;
use kernel_ops::{Error, KResult};
use vfs::{NewNode, NodeAttrs};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    Null,
    Zero,
    Full,
    Random,
    /// /dev/loop-control (fs/loop_device.rs).
    LoopControl,
    /// /dev/loopN: a block device over a file (fs/loop_device.rs).
    Loop(u32),
}

/// What a (major, minor) pair opens.
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

pub fn lookup(major: u32, minor: u32) -> Option<DeviceKind> {
    Some(match (major, minor) {
        (1, 3) => DeviceKind::Simple(Device::Null),
        (1, 5) => DeviceKind::Simple(Device::Zero),
        (1, 7) => DeviceKind::Simple(Device::Full),
        (1, 8) | (1, 9) => DeviceKind::Simple(Device::Random),
        (5, 0) => DeviceKind::ControllingTerminal,
        (5, 1) | (4, 64) => DeviceKind::Console,
        (5, 2) => DeviceKind::PtyMultiplexer,
        (super::loop_device::MISC_MAJOR, super::loop_device::LOOP_CTRL_MINOR) => {
            DeviceKind::Simple(Device::LoopControl)
        }
        (super::pty::SLAVE_MAJOR, n) => DeviceKind::PtySlave(n),
        _ => return None,
    })
}

impl Device {
    pub fn read(&self, buf: &mut [u8]) -> KResult<usize> {
        match self {
            Device::Null => Ok(0),
            Device::Zero | Device::Full => {
                buf.fill(0);
                Ok(buf.len())
            }
            Device::Random => {
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
            Device::Loop(n) => 0x100 + *n as usize,
        }
    }

    /// The device number Linux gives it, and whether it is a block device.
    pub fn number(&self) -> (u32, u32, bool) {
        match self {
            Device::Null => (1, 3, false),
            Device::Zero => (1, 5, false),
            Device::Full => (1, 7, false),
            Device::Random => (1, 9, false),
            Device::LoopControl => (super::loop_device::MISC_MAJOR, super::loop_device::LOOP_CTRL_MINOR, false),
            Device::Loop(n) => (super::loop_device::LOOP_MAJOR, *n, true),
        }
    }
}

/// The file system that holds the device nodes (Linux's devtmpfs): its
/// own ramfs, mounted on /dev, so that it can move to another root.
static DEV_FS: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(u32::MAX);

/// The devtmpfs file system, once `populate_dev` made it.
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
    let nodes: [(&[u8], u32, u32, u32); 9] = [
        (b"null", 1, 3, 0o666),
        (b"zero", 1, 5, 0o666),
        (b"full", 1, 7, 0o666),
        (b"random", 1, 8, 0o666),
        (b"urandom", 1, 9, 0o666),
        (b"tty", 5, 0, 0o666),
        (b"console", 5, 1, 0o600),
        (b"ttyS0", 4, 64, 0o660),
        (b"ptmx", 5, 2, 0o666),
    ];
    for (name, major, minor, mode) in nodes {
        if fs.lock().lookup(dev, name).is_ok() {
            continue;
        }
        let node = NewNode::Device { char: true, major, minor };
        if let Err(e) = fs.lock().create(dev, name, node, NodeAttrs::new(mode, 0, 0), now()) {
            crate::warn!("cannot create /dev/{}: {e:?}", core::str::from_utf8(name).unwrap_or("?"));
        }
    }
    for (name, target) in [
        (&b"fd"[..], &b"/proc/self/fd"[..]),
        (b"stdin", b"/proc/self/fd/0"),
        (b"stdout", b"/proc/self/fd/1"),
        (b"stderr", b"/proc/self/fd/2"),
    ] {
        let _ = fs.lock().create(dev, name, NewNode::Symlink(target), NodeAttrs::new(0o777, 0, 0), now());
    }
    super::loop_device::populate(v, id);
    let Ok(fs) = v.fs(id) else { return };
    for dir in [&b"shm"[..], b"pts"] {
        let _ = fs.lock().create(dev, dir, NewNode::Directory, NodeAttrs::new(0o1777, 0, 0), now());
    }
}
