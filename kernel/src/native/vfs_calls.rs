//! vfs_serve, vfs_mount, vfs_boot_done: how native servers offer file
//! systems to the kernel's VFS (see `fs/served.rs`), with the authority of
//! a Vfs capability.

use super::misc::copy_in;
use crate::cap::{self, KObject};
use crate::fs::served;
use crate::ipc::table_of;
use crate::task::thread::Thread;
use abi::{CapType, Error, Rights};
use alloc::sync::Arc;

/// The smallest shared buffer: a full path and a name must fit in one
/// request, and data moves in chunks of what remains.
const MIN_BUFFER_PAGES: u64 = 16;

fn check_vfs(t: &Arc<Thread>, slot: u64) -> Result<(), Error> {
    cap::lookup(table_of(t), slot, CapType::Vfs, Rights::WRITE).map(|_| ())
}

fn words(bytes: &[u8]) -> Result<alloc::vec::Vec<&str>, Error> {
    let text = core::str::from_utf8(bytes).map_err(|_| Error::InvalidArgument)?;
    Ok(text.split(' ').filter(|w| !w.is_empty()).collect())
}

pub fn serve(t: &Arc<Thread>, vfs: u64, ep: u64, buf: u64, spec: u64, len: u64) -> Result<u64, Error> {
    check_vfs(t, vfs)?;
    let table = table_of(t);
    let (endpoint, _, _) = cap::lookup(table, ep, CapType::Endpoint, Rights::WRITE)?;
    let (memory, _, _) = cap::lookup(table, buf, CapType::Memory, Rights::READ | Rights::WRITE)?;
    if len > 64 {
        return Err(Error::InvalidArgument);
    }
    let spec = copy_in(t, spec, len)?;
    let KObject::Endpoint(endpoint) = endpoint else { return Err(Error::WrongType) };
    let KObject::Memory { object, first, count } = memory else { return Err(Error::WrongType) };
    if count < MIN_BUFFER_PAGES {
        return Err(Error::InvalidArgument);
    }
    let [fstype, device] = words(&spec)?[..] else { return Err(Error::InvalidArgument) };
    let capacity = (count * abi::PAGE_SIZE) as usize;
    served::serve(fstype, device, endpoint, object.pages.clone(), first * abi::PAGE_SIZE, capacity)
        .map_err(|_| Error::InvalidArgument)?;
    Ok(0)
}

pub fn mount(t: &Arc<Thread>, vfs: u64, spec: u64, len: u64) -> Result<u64, Error> {
    check_vfs(t, vfs)?;
    if len > 4096 {
        return Err(Error::InvalidArgument);
    }
    let spec = copy_in(t, spec, len)?;
    let (device, fstype, path, read_only) = match words(&spec)?[..] {
        [d, f, p] => (d, f, p, false),
        [d, f, p, "ro"] => (d, f, p, true),
        _ => return Err(Error::InvalidArgument),
    };
    if !path.starts_with('/') {
        return Err(Error::InvalidArgument);
    }
    // The namespace is the Linux one: paths resolve from its root, as root.
    // "/" names the root file system of the Linux world (`root=` on the
    // command line): it is mounted on /sysroot, which pid 1 then takes as
    // its root (fs/root_switch.rs), while native tasks keep the initramfs.
    let path = if path == "/" { crate::fs::root_switch::SYSROOT } else { path };
    let at = crate::fs::with_vfs(|v| {
        let root = v.root();
        if path == crate::fs::root_switch::SYSROOT && v.lookup_entry(root, &path.as_bytes()[1..]).is_err() {
            v.fs(root.fs)?.lock().create(
                root.ino,
                &path.as_bytes()[1..],
                vfs::NewNode::Directory,
                vfs::NodeAttrs::new(0o755, 0, 0),
                crate::fs::now(),
            )?;
        }
        v.resolve(root, root, path.as_bytes(), true, &vfs::Credentials::root())
    })
    .map_err(|_| Error::NotFound)?;
    served::mount(served::Source::Name(device), fstype, at, read_only).map_err(|e| match e {
        vfs::Error::NotFound => Error::NotFound,
        vfs::Error::Busy => Error::Busy,
        vfs::Error::NotSupported | vfs::Error::NotDirectory | vfs::Error::InvalidArgument => Error::InvalidArgument,
        _ => Error::Io,
    })?;
    Ok(0)
}

pub fn boot_done(t: &Arc<Thread>, vfs: u64) -> Result<u64, Error> {
    check_vfs(t, vfs)?;
    served::release_init();
    Ok(0)
}
