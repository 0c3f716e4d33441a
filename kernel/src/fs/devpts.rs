//! devpts, mounted on /dev/pts: one character device per live
//! pseudo-terminal (`N`, owned by whoever opened the master, group tty,
//! mode 0620, as Linux's devpts shows them) and `ptmx`, numbered as the
//! default personality numbers a pty slave and the multiplexer (Linux:
//! 136:N and 5:2), like every node the kernel makes itself.
//! The nodes are generated from the pseudo-terminals that exist
//! (fs/pty.rs); opening one is opening the slave.

use super::pty;
use crate::fs::Vfs;
use alloc::boxed::Box;
use alloc::vec::Vec;
use kernel_ops::DeviceId;
use vfs::{
    DeviceNumber, DirEntry, Error, FileSystem, FileType, FsStats, Ino, Metadata, MetadataChange, NewNode, NodeAttrs,
    Timestamp,
};

const ROOT: Ino = 1;
const PTMX: Ino = 2;
/// Slave N is inode FIRST_SLAVE + N.
const FIRST_SLAVE: Ino = 3;
/// The tty group (Debian's gid 5), which owns every slave.
const TTY_GID: u32 = 5;

pub struct DevPts;

/// The devpts file system's id, once mounted (u32::MAX before).
static DEVPTS_FS: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(u32::MAX);

/// The devpts, once `mount` made it.
pub fn fs_id() -> Option<vfs::FsId> {
    let id = DEVPTS_FS.load(core::sync::atomic::Ordering::Acquire);
    (id != u32::MAX).then_some(vfs::FsId(id))
}

/// Mounts a devpts on /dev/pts (inside the devtmpfs) and records it.
pub fn mount(v: &Vfs, dev_fs: vfs::FsId) {
    let Ok(dev_root) = v.fs(dev_fs).map(|fs| fs.root()) else { return };
    let dir = match v.fs(dev_fs).and_then(|fs| {
        let found = fs.lock().lookup(dev_root, b"pts");
        match found {
            Ok(ino) => Ok(ino),
            Err(_) => fs.lock().create(dev_root, b"pts", NewNode::Directory, NodeAttrs::new(0o755, 0, 0), super::now()),
        }
    }) {
        Ok(ino) => ino,
        Err(e) => {
            crate::error!("cannot create /dev/pts: {e:?}");
            return;
        }
    };
    let id = v.add_filesystem(Box::new(DevPts));
    if let Err(e) = v.mount(vfs::NodeRef { fs: dev_fs, ino: dir }, id) {
        crate::error!("cannot mount devpts on /dev/pts: {e:?}");
        return;
    }
    DEVPTS_FS.store(id.0, core::sync::atomic::Ordering::Release);
    super::mount_table::added(super::mount_table::MountEntry {
        fs: id,
        root: ROOT,
        path: b"/dev/pts".to_vec(),
        source: "devpts".into(),
        fstype: "devpts".into(),
        read_only: false,
    });
}

fn node(ino: Ino, file_type: FileType, mode: u32, uid: u32, gid: u32, rdev: (u32, u32)) -> Metadata {
    let ns = crate::time::realtime_ns().saturating_sub(crate::time::now_ns());
    let t = Timestamp { secs: (ns / 1_000_000_000) as i64, nanos: 0 };
    Metadata {
        file_type,
        mode,
        uid,
        gid,
        nlink: if file_type == FileType::Directory { 2 } else { 1 },
        size: 0,
        rdev: DeviceNumber { major: rdev.0, minor: rdev.1 },
        atime: t,
        mtime: t,
        ctime: t,
        ino,
        blocks: 0,
        blksize: 1024,
    }
}

/// The number a node reports (0:0, no device, if the default personality
/// cannot number it).
fn number(dev: DeviceId) -> (u32, u32) {
    super::device::stored_number(dev).unwrap_or((0, 0))
}

fn slave_index(ino: Ino) -> Option<u32> {
    u32::try_from(ino.checked_sub(FIRST_SLAVE)?).ok()
}

impl FileSystem for DevPts {
    fn name(&self) -> &str {
        "devpts"
    }

    fn root(&self) -> Ino {
        ROOT
    }

    fn metadata(&self, ino: Ino) -> Result<Metadata, Error> {
        match ino {
            ROOT => Ok(node(ROOT, FileType::Directory, 0o755, 0, 0, (0, 0))),
            PTMX => Ok(node(PTMX, FileType::CharDevice, 0o666, 0, 0, number(DeviceId::PtyMultiplexer))),
            _ => {
                let index = slave_index(ino).ok_or(Error::NotFound)?;
                let pair = pty::lookup(index).ok_or(Error::NotFound)?;
                Ok(node(ino, FileType::CharDevice, 0o620, pair.uid, TTY_GID, number(DeviceId::PtySlave(index))))
            }
        }
    }

    fn lookup(&self, dir: Ino, name: &[u8]) -> Result<Ino, Error> {
        if dir != ROOT {
            return Err(Error::NotDirectory);
        }
        match name {
            b"." | b".." => Ok(ROOT),
            b"ptmx" => Ok(PTMX),
            _ => {
                let text = core::str::from_utf8(name).map_err(|_| Error::NotFound)?;
                // Only canonical numbers ("07" is not /dev/pts/7).
                if text.len() > 1 && text.starts_with('0') {
                    return Err(Error::NotFound);
                }
                let index: u32 = text.parse().map_err(|_| Error::NotFound)?;
                pty::lookup(index).ok_or(Error::NotFound)?;
                Ok(FIRST_SLAVE + Ino::from(index))
            }
        }
    }

    fn create(&mut self, _: Ino, _: &[u8], _: NewNode<'_>, _: NodeAttrs, _: Timestamp) -> Result<Ino, Error> {
        Err(Error::PermissionDenied)
    }

    fn link(&mut self, _: Ino, _: &[u8], _: Ino, _: Timestamp) -> Result<(), Error> {
        Err(Error::PermissionDenied)
    }

    fn unlink(&mut self, _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::PermissionDenied)
    }

    fn rmdir(&mut self, _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::PermissionDenied)
    }

    fn rename(&mut self, _: Ino, _: &[u8], _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::PermissionDenied)
    }

    fn readlink(&self, _: Ino) -> Result<Vec<u8>, Error> {
        Err(Error::InvalidArgument)
    }

    fn read(&self, _: Ino, _: u64, _: &mut [u8]) -> Result<usize, Error> {
        Err(Error::InvalidArgument)
    }

    fn write(&mut self, _: Ino, _: u64, _: &[u8], _: Timestamp) -> Result<usize, Error> {
        Err(Error::InvalidArgument)
    }

    fn truncate(&mut self, _: Ino, _: u64, _: Timestamp) -> Result<(), Error> {
        Err(Error::InvalidArgument)
    }

    fn read_dir(&self, dir: Ino, cookie: u64, emit: &mut dyn FnMut(DirEntry<'_>) -> bool) -> Result<(), Error> {
        if dir != ROOT {
            return Err(Error::NotDirectory);
        }
        let mut names: Vec<(Vec<u8>, Ino, FileType)> = alloc::vec![
            (b".".to_vec(), ROOT, FileType::Directory),
            (b"..".to_vec(), ROOT, FileType::Directory),
            (b"ptmx".to_vec(), PTMX, FileType::CharDevice)
        ];
        for (index, _) in pty::list() {
            names.push((alloc::format!("{index}").into_bytes(), FIRST_SLAVE + Ino::from(index), FileType::CharDevice));
        }
        for (i, (name, ino, file_type)) in names.iter().enumerate().skip(cookie as usize) {
            if !emit(DirEntry { name, ino: *ino, file_type: *file_type, next_cookie: i as u64 + 1 }) {
                break;
            }
        }
        Ok(())
    }

    fn set_metadata(&mut self, _: Ino, _: MetadataChange, _: Timestamp) -> Result<(), Error> {
        // grantpt's chown/chmod of the slave: already owned as it should be.
        Ok(())
    }

    fn statfs(&self) -> FsStats {
        FsStats { name_max: 255, ..FsStats::default() }
    }
}
