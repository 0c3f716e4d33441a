//! Loop devices: /dev/loop-control and /dev/loopN, block devices whose
//! blocks are a regular file's bytes (what LTP's library and `mount -o
//! loop` use). The state machine and its errnos are `crates/loop-devices`;
//! here are the table, the device nodes, and the I/O, which goes to the
//! backing file's open file (its own VFS calls).
//!
//! Locks: the table is behind a spinlock held only to decide; the backing
//! file is cloned out and used (and a released one dropped) after it is
//! let go, since file I/O sleeps.

use super::{now, with_vfs, Device, FileObject, OpenFile};
use crate::fs::Vfs;
use crate::sync::SpinLock;
use alloc::sync::Arc;
use kernel_ops::{BlockReply, BlockRequest, Error, KResult, LoopStatus};
use loop_devices::{Binding, LoopTable};
use vfs::{NewNode, NodeAttrs};

/// Loop devices made at boot (Linux's default without `max_loop`).
const INITIAL_DEVICES: u32 = 8;

static LOOPS: SpinLock<Option<LoopTable<Arc<OpenFile>>>> = SpinLock::new(None);

/// Sectors read from and written to each device (its /sys/block stat),
/// by number.
static COUNTS: SpinLock<alloc::collections::BTreeMap<u32, IoCounts>> =
    SpinLock::new(alloc::collections::BTreeMap::new());

#[derive(Default, Clone, Copy)]
struct IoCounts {
    reads: u64,
    read_sectors: u64,
    writes: u64,
    written_sectors: u64,
}

fn count(n: u32, write: bool, bytes: usize) {
    let mut counts = COUNTS.lock();
    let c = counts.entry(n).or_default();
    let sectors = (bytes as u64).div_ceil(512);
    if write {
        c.writes += 1;
        c.written_sectors += sectors;
    } else {
        c.reads += 1;
        c.read_sectors += sectors;
    }
}

/// Counts a write that reached the device's backing file from elsewhere
/// (a mounted device's blocks written back: loop_mount.rs).
pub fn count_write(n: u32, bytes: usize) {
    count(n, true, bytes);
}

/// The files of /sys/block/loopN.
pub enum SysBlockFile {
    Size,
    ReadOnly,
    Stat,
    LogicalBlockSize,
    PhysicalBlockSize,
    DmaAlignment,
}

/// A /sys/block/loopN file's text (rendered under the sysfs file
/// system's lock: only the table's spinlock is taken).
pub fn sysfs_file(n: u32, file: SysBlockFile) -> alloc::string::String {
    match file {
        SysBlockFile::Size => alloc::format!("{}\n", size(n) / 512),
        SysBlockFile::ReadOnly => {
            alloc::format!("{}\n", with_table(|t| t.binding(n).is_ok_and(|b| b.status.flags.read_only)) as u8)
        }
        SysBlockFile::Stat => {
            // No clock measures the device's busy time: each request
            // counts as one millisecond of it (io_ticks, time in queue),
            // so a device that did work shows some.
            let c = COUNTS.lock().get(&n).copied().unwrap_or_default();
            let ios = c.reads + c.writes;
            alloc::format!("{:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n", c.reads, 0, c.read_sectors, c.reads, c.writes, 0, c.written_sectors, c.writes, 0, ios, ios, 0, 0, 0, 0, 0, 0)
        }
        SysBlockFile::LogicalBlockSize | SysBlockFile::PhysicalBlockSize => alloc::format!("{}\n", block_size(n)),
        SysBlockFile::DmaAlignment => alloc::string::String::from("511\n"),
    }
}

fn with_table<R>(f: impl FnOnce(&mut LoopTable<Arc<OpenFile>>) -> R) -> R {
    let mut g = LOOPS.lock();
    f(g.get_or_insert_with(|| LoopTable::new(INITIAL_DEVICES)))
}

/// Whether loop device `n` exists (opening /dev/loopN of one that does
/// not is ENXIO).
pub fn exists(n: u32) -> bool {
    with_table(|t| t.exists(n))
}

/// /dev/loopN's node, numbered by the default personality (whose
/// numbering the devtmpfs stores); None if it cannot number it.
fn node(n: u32) -> Option<NewNode<'static>> {
    let (major, minor) = super::device::stored_number(kernel_ops::DeviceId::Loop(n))?;
    Some(NewNode::Device { char: false, major, minor })
}

/// Makes /dev/loop0..7 in the devtmpfs (/dev/loop-control is among the
/// personality's boot-time nodes: fs/device.rs).
pub fn populate(v: &Vfs, dev_fs: vfs::FsId) {
    let Ok(fs) = v.fs(dev_fs) else { return };
    let dev = fs.root();
    let numbers: alloc::vec::Vec<u32> = with_table(|t| t.numbers().collect());
    for n in numbers {
        let Some(node) = node(n) else { continue };
        let _ = fs.lock().create(dev, alloc::format!("loop{n}").as_bytes(), node, NodeAttrs::new(0o660, 0, 6), now());
    }
}

/// /dev/loopN made (LOOP_CTL_ADD, GET_FREE) or removed (LOOP_CTL_REMOVE).
fn set_node(n: u32, present: bool) {
    let Some(dev_fs) = super::device::dev_fs() else { return };
    with_vfs(|v| {
        let Ok(fs) = v.fs(dev_fs) else { return };
        let dev = fs.root();
        let name = alloc::format!("loop{n}");
        if present {
            let Some(node) = node(n) else { return };
            let _ = fs.lock().create(dev, name.as_bytes(), node, NodeAttrs::new(0o660, 0, 6), now());
        } else {
            let _ = fs.lock().unlink(dev, name.as_bytes(), now());
        }
    });
}

/// The sector size of loop device `n` (512 when free).
fn block_size(n: u32) -> u32 {
    with_table(|t| t.binding(n).map_or(512, |b| b.block_size))
}

/// Read-ahead settings (BLKRASET), in sectors, by device; Linux's default is 256.
static READ_AHEAD: SpinLock<alloc::collections::BTreeMap<u32, u64>> =
    SpinLock::new(alloc::collections::BTreeMap::new());
const DEFAULT_READ_AHEAD: u64 = 256;

/// The size of loop device `n` in bytes (0 when free).
pub fn size(n: u32) -> u64 {
    with_table(|t| t.size(n))
}

/// Reads device `n` at byte `at`: short at its end.
pub fn read(n: u32, buf: &mut [u8], at: u64) -> KResult<usize> {
    if let Some((store, size)) = super::loop_mount::store_of(n) {
        let len = if at >= size { 0 } else { (size - at).min(buf.len() as u64) as usize };
        store.read_bytes(at, &mut buf[..len]).map_err(|_| Error::Io)?;
        count(n, false, len);
        return Ok(len);
    }
    let (backing, offset, len) =
        with_table(|t| t.locate(n, at, buf.len())).map_err(|_| Error::NoSuchDeviceOrAddress)?;
    if len == 0 {
        return Ok(0);
    }
    let got = backing.read(&mut buf[..len], Some(offset))?;
    count(n, false, got);
    Ok(got)
}

/// Writes device `n` at byte `at`: EPERM when read-only (as Linux's
/// block layer answers), ENOSPC at its end.
pub fn write(n: u32, data: &[u8], at: u64) -> KResult<usize> {
    let located = with_table(|t| -> KResult<_> {
        let read_only = t.binding(n).map(|b| b.status.flags.read_only).map_err(|_| Error::NoSuchDeviceOrAddress)?;
        if read_only {
            return Err(Error::NotPermitted);
        }
        t.locate(n, at, data.len())
    })?;
    let (backing, offset, len) = located;
    if len == 0 {
        return if data.is_empty() { Ok(0) } else { Err(Error::NoSpace) };
    }
    if let Some((store, _)) = super::loop_mount::store_of(n) {
        store.write_bytes(at, &data[..len]).map_err(|_| Error::NoMemory)?;
        count(n, true, len);
        return Ok(len);
    }
    let written = backing.write(&data[..len], Some(offset))?;
    count(n, true, written);
    Ok(written)
}

/// Marks loop device `n` as mounted or not (clearing a mounted one is EBUSY).
pub fn set_mounted(n: u32, mounted: bool) -> KResult<()> {
    with_table(|t| t.set_mounted(n, mounted))
}

/// After a mount of device `n` ended: a device bound with LO_FLAGS_AUTOCLEAR
/// (`mount -o loop` asks for it) unbinds, as Linux's does when the mount,
/// its last user, lets it go. (Open descriptors are not counted: Linux
/// would wait for them too.)
pub fn clear_if_auto(n: u32) {
    let released = with_table(|t| match t.binding(n) {
        Ok(b) if b.status.flags.auto_clear => t.clear(n).ok(),
        _ => None,
    });
    drop(released);
}

/// Whether bound device `n` is read-only.
pub fn is_read_only(n: u32) -> bool {
    with_table(|t| t.binding(n).is_ok_and(|b| b.status.flags.read_only))
}

/// Where bound device `n` starts in its backing file, and its size.
pub fn geometry(n: u32) -> KResult<(u64, u64)> {
    with_table(|t| t.binding(n).map(|b| (b.status.offset, b.size())))
}

/// The backing file of bound device `n`.
pub fn backing(n: u32) -> KResult<Arc<OpenFile>> {
    with_table(|t| t.binding(n).map(|b| b.backing.clone()))
}

/// A regular file's size, device and inode, as a backing file.
fn backing_facts(file: &Arc<OpenFile>) -> KResult<(u64, u64, u64)> {
    let node = file.node().ok_or(Error::InvalidArgument)?;
    let meta = with_vfs(|v| v.metadata(node))?;
    if meta.file_type != vfs::FileType::Regular && meta.file_type != vfs::FileType::BlockDevice {
        return Err(Error::InvalidArgument);
    }
    Ok((meta.size, u64::from(node.fs.0) + 1, node.ino))
}

/// An ioctl on an open loop device or on the loop-control node;
/// `backing` is the open file a LOOP_SET_FD, LOOP_CONFIGURE or
/// LOOP_CHANGE_FD names.
pub fn request(file: &Arc<OpenFile>, request: BlockRequest, backing: Option<Arc<OpenFile>>) -> KResult<BlockReply> {
    let n = match &file.object {
        FileObject::Device(Device::LoopControl) => return control(request),
        FileObject::Device(Device::Loop(n)) => *n,
        _ => return Err(Error::NotATerminal),
    };
    match request {
        BlockRequest::Size => Ok(BlockReply::Value(size(n))),
        BlockRequest::LogicalBlockSize | BlockRequest::PhysicalBlockSize => Ok(BlockReply::Value(block_size(n).into())),
        BlockRequest::ReadAhead => {
            Ok(BlockReply::Value(READ_AHEAD.lock().get(&n).copied().unwrap_or(DEFAULT_READ_AHEAD)))
        }
        BlockRequest::SetReadAhead(sectors) => {
            READ_AHEAD.lock().insert(n, sectors);
            Ok(BlockReply::Done)
        }
        BlockRequest::ReadOnly => {
            Ok(BlockReply::Value(with_table(|t| t.binding(n).is_ok_and(|b| b.status.flags.read_only)) as u64))
        }
        BlockRequest::SetReadOnly(on) => with_table(|t| t.set_read_only(n, on)).map(|_| BlockReply::Done),
        // Nothing is cached in front of the backing file.
        BlockRequest::Flush | BlockRequest::RereadPartitions => Ok(BlockReply::Done),
        BlockRequest::Discard { start, len, zero } => {
            let size = size(n);
            if start % 512 != 0 || len % 512 != 0 || start.checked_add(len).is_none_or(|end| end > size) {
                return Err(Error::InvalidArgument);
            }
            if zero {
                let zeros = super::buffer(64 * 1024)?;
                let mut at = start;
                while at < start + len {
                    let chunk = (start + len - at).min(zeros.len() as u64) as usize;
                    write(n, &zeros[..chunk], at)?;
                    at += chunk as u64;
                }
            }
            Ok(BlockReply::Done)
        }
        BlockRequest::LoopSetFd(_) | BlockRequest::LoopConfigure { .. } => {
            let backing = backing.ok_or(Error::BadDescriptor)?;
            let (block_size, mut status) = match request {
                BlockRequest::LoopConfigure { block_size, status, .. } => {
                    (if block_size == 0 { 512 } else { block_size }, status)
                }
                _ => (512, LoopStatus::default()),
            };
            if matches!(&backing.object, FileObject::Device(Device::Loop(_))) {
                return Err(Error::InvalidArgument);
            }
            let (backing_size, dev, ino) = backing_facts(&backing)?;
            status.number = n;
            status.device = dev;
            status.inode = ino;
            status.rdevice = 0;
            // Read-only unless both the loop device and the file are open for writing.
            status.flags.read_only |= !backing.can_write() || !file.can_write();
            // The names are what the program gives (empty after
            // LOOP_SET_FD, as on Linux); the path is in /sys/block.
            let binding = Binding { backing, status, backing_size, block_size };
            // Our reference to the file is dropped after the table is let go.
            let bound = with_table(|t| t.bind(n, binding.clone()));
            drop(binding);
            bound.map(|_| BlockReply::Done)
        }
        BlockRequest::LoopChangeFd(_) => {
            // Linux allows it only on a read-only device, for a file of the same size.
            let new = backing.ok_or(Error::BadDescriptor)?;
            let (new_size, _, _) = backing_facts(&new)?;
            let old = with_table(|t| -> KResult<Arc<OpenFile>> {
                let b = t.binding(n)?;
                if !b.status.flags.read_only || b.backing_size != new_size {
                    return Err(Error::InvalidArgument);
                }
                let mut b = b.clone();
                let old = core::mem::replace(&mut b.backing, new);
                let _ = t.clear(n);
                t.bind(n, b)?;
                Ok(old)
            });
            old.map(|_| BlockReply::Done)
        }
        BlockRequest::LoopClear => {
            let backing = with_table(|t| t.clear(n))?;
            drop(backing);
            Ok(BlockReply::Done)
        }
        BlockRequest::LoopSetStatus(status) => with_table(|t| t.set_status(n, &status)).map(|_| BlockReply::Done),
        BlockRequest::LoopGetStatus => with_table(|t| t.binding(n).map(|b| b.status)).map(BlockReply::Status),
        BlockRequest::LoopSetCapacity => {
            let backing = self::backing(n)?;
            let (backing_size, _, _) = backing_facts(&backing)?;
            with_table(|t| t.set_capacity(n, backing_size)).map(|_| BlockReply::Done)
        }
        BlockRequest::LoopSetBlockSize(size) => with_table(|t| t.set_block_size(n, size)).map(|_| BlockReply::Done),
        BlockRequest::LoopSetDirectIo(on) => with_table(|t| t.set_direct_io(n, on != 0)).map(|_| BlockReply::Done),
        BlockRequest::ControlGetFree | BlockRequest::ControlAdd(_) | BlockRequest::ControlRemove(_) => {
            Err(Error::NotATerminal)
        }
    }
}

/// Requests on /dev/loop-control.
fn control(request: BlockRequest) -> KResult<BlockReply> {
    let (n, present) = match request {
        BlockRequest::ControlGetFree => (with_table(|t| t.get_free())?, true),
        BlockRequest::ControlAdd(n) => (with_table(|t| t.add(n))?, true),
        BlockRequest::ControlRemove(n) => (with_table(|t| t.remove(n))?, false),
        _ => return Err(Error::NotATerminal),
    };
    set_node(n, present);
    Ok(BlockReply::Value(u64::from(n)))
}
