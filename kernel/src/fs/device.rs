//! Character devices: /dev/null, zero, full, random, urandom, and the
//! terminal nodes, which are device numbers in the ramfs that `open` turns
//! into device objects (what devtmpfs does on Linux).

use super::now;
use kernel_ops::{Error, KResult};
use vfs::{NewNode, NodeAttrs, Vfs};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    Null,
    Zero,
    Full,
    Random,
}

/// What a (major, minor) pair opens.
pub enum DeviceKind {
    Simple(Device),
    /// The console (ttyS0, console).
    Console,
    /// /dev/tty: the caller's controlling terminal.
    ControllingTerminal,
}

pub fn lookup(major: u32, minor: u32) -> Option<DeviceKind> {
    Some(match (major, minor) {
        (1, 3) => DeviceKind::Simple(Device::Null),
        (1, 5) => DeviceKind::Simple(Device::Zero),
        (1, 7) => DeviceKind::Simple(Device::Full),
        (1, 8) | (1, 9) => DeviceKind::Simple(Device::Random),
        (5, 0) => DeviceKind::ControllingTerminal,
        (5, 1) | (4, 64) => DeviceKind::Console,
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
        }
    }

    pub fn write(&self, data: &[u8]) -> KResult<usize> {
        match self {
            Device::Full => Err(Error::NoSpace),
            _ => Ok(data.len()),
        }
    }

    pub fn seekable(&self) -> bool {
        true
    }
}

/// Creates /dev and its nodes in the root file system.
pub fn populate_dev(v: &mut Vfs) {
    let root = v.root();
    let Ok(fs) = v.fs_mut(root.fs) else { return };
    let dev = match fs.lookup(root.ino, b"dev") {
        Ok(ino) => ino,
        Err(_) => match fs.create(root.ino, b"dev", NewNode::Directory, NodeAttrs::new(0o755, 0, 0), now()) {
            Ok(ino) => ino,
            Err(e) => {
                crate::error!("cannot create /dev: {e:?}");
                return;
            }
        },
    };
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
        if fs.lookup(dev, name).is_ok() {
            continue;
        }
        let node = NewNode::Device { char: true, major, minor };
        if let Err(e) = fs.create(dev, name, node, NodeAttrs::new(mode, 0, 0), now()) {
            crate::warn!("cannot create /dev/{}: {e:?}", core::str::from_utf8(name).unwrap_or("?"));
        }
    }
    for (name, target) in [(&b"fd"[..], &b"/proc/self/fd"[..]), (b"stdin", b"/proc/self/fd/0"), (b"stdout", b"/proc/self/fd/1"), (b"stderr", b"/proc/self/fd/2")] {
        let _ = fs.create(dev, name, NewNode::Symlink(target), NodeAttrs::new(0o777, 0, 0), now());
    }
    for dir in [&b"shm"[..], b"pts"] {
        let _ = fs.create(dev, dir, NewNode::Directory, NodeAttrs::new(0o1777, 0, 0), now());
    }
}
