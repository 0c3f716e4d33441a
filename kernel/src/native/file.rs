//! file_open, file_read, file_write: files as capabilities. There is no
//! global namespace: a path is resolved beneath a directory capability,
//! which is also the root `..` and absolute symlinks cannot climb above.

use super::misc::{copy_in, copy_out, zeroed};
use crate::cap::{self, KObject};
use crate::fs::{FileObject, OpenFile};
use crate::ipc::table_of;
use crate::task::thread::Thread;
use abi::{CapType, Error, Rights, MAX_IO};
use alloc::sync::Arc;

fn file(t: &Arc<Thread>, slot: u64, needed: Rights) -> Result<Arc<OpenFile>, Error> {
    match cap::lookup(table_of(t), slot, CapType::File, needed)?.0 {
        KObject::File(f) => Ok(f),
        _ => Err(Error::WrongType),
    }
}

fn from_kernel(e: kernel_ops::Error) -> Error {
    use kernel_ops::Error as K;
    match e {
        K::NotFound | K::NotDirectory => Error::NotFound,
        K::NoMemory => Error::NoMemory,
        K::Fault => Error::BadAddress,
        K::PermissionDenied | K::NotPermitted | K::ReadOnly => Error::Denied,
        K::IsDirectory => Error::WrongType,
        _ => Error::InvalidArgument,
    }
}

pub fn open(t: &Arc<Thread>, dir: u64, path: u64, len: u64, rights: u64) -> Result<u64, Error> {
    let dir_file = file(t, dir, Rights::READ)?;
    let rights = Rights::from_bits(rights).ok_or(Error::InvalidArgument)?;
    if rights.contains(Rights::GRANT) {
        return Err(Error::InvalidArgument);
    }
    let (_, dir_rights, _) = cap::lookup_any(table_of(t), dir)?;
    let data = Rights::READ | Rights::WRITE | Rights::EXEC;
    if !(rights & data).is_subset_of(dir_rights) {
        return Err(Error::MissingRights);
    }
    if len == 0 || len > 4096 {
        return Err(Error::InvalidArgument);
    }
    let path = copy_in(t, path, len)?;
    let dir_node = dir_file.node().ok_or(Error::WrongType)?;
    let creds = vfs::Credentials::root();
    let node = crate::fs::with_vfs(|v| -> Result<vfs::NodeRef, Error> {
        let meta = v.metadata(dir_node).map_err(|e| from_kernel(kernel_ops::Error::from(e)))?;
        if !meta.is_dir() {
            return Err(Error::WrongType);
        }
        v.resolve(dir_node, dir_node, &path, true, &creds).map_err(|e| from_kernel(kernel_ops::Error::from(e)))
    })?;
    let mut shown = dir_file.path.clone();
    shown.push(b'/');
    shown.extend_from_slice(&path);
    let flags = kernel_ops::OpenFlags {
        read: rights.contains(Rights::READ),
        write: rights.contains(Rights::WRITE),
        ..Default::default()
    };
    let opened = OpenFile::new(FileObject::Node(node), flags, shown);
    // The table is looked up before the capability space is locked: that
    // takes the process's descriptor table, which comes first in the lock
    // order (under the space it could deadlock against a close).
    let table = table_of(t);
    cap::with_space(|s| s.insert_root(table, captable::Placement::Lowest { min: 0 }, KObject::File(opened), rights, 0))
        .map(u64::from)
}

pub fn read(t: &Arc<Thread>, slot: u64, buf: u64, len: u64, offset: u64) -> Result<u64, Error> {
    let f = file(t, slot, Rights::READ)?;
    if len > MAX_IO {
        return Err(Error::InvalidArgument);
    }
    let mut data = zeroed(len)?;
    let n = f.read(&mut data, Some(offset)).map_err(from_kernel)?;
    copy_out(t, buf, &data[..n])?;
    Ok(n as u64)
}

pub fn write(t: &Arc<Thread>, slot: u64, buf: u64, len: u64, offset: u64) -> Result<u64, Error> {
    let f = file(t, slot, Rights::WRITE)?;
    if len > MAX_IO {
        return Err(Error::InvalidArgument);
    }
    let data = copy_in(t, buf, len)?;
    let n = f.write(&data, Some(offset)).map_err(from_kernel)?;
    Ok(n as u64)
}
