//! name_to_handle_at and open_by_handle_at: a file named by its identity
//! on its file system instead of a path (NFS servers, fanotify's file ids,
//! backup tools). A handle here holds the inode number, a generation and
//! the file system (`linux_abi::file_handle::InodeHandle`); the mount id is
//! the one /proc/self/mountinfo shows.

use crate::util::{dirfd, fd, open_flags};
use kernel_ops::{DirFd, Error, KResult, KernelOps, NodeHandle, Privilege};
use linux_abi::fcntl::{AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_FOLLOW};
use linux_abi::file_handle::*;

/// name_to_handle_at(dirfd, path, handle, mount_id, flags).
pub fn name_to_handle_at(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let (handle_addr, mount_addr, flags) = (a[2], a[3], a[4] as u32);
    let known = AT_SYMLINK_FOLLOW | AT_EMPTY_PATH | AT_HANDLE_FID | AT_HANDLE_MNT_ID_UNIQUE | AT_HANDLE_CONNECTABLE;
    if flags & !known != 0 {
        return Err(Error::InvalidArgument);
    }
    // An identifier only (FID) and one to find the path by (connectable)
    // contradict; a node reached by descriptor has no known parent.
    if flags & AT_HANDLE_CONNECTABLE != 0 && flags & (AT_HANDLE_FID | AT_EMPTY_PATH) != 0 {
        return Err(Error::InvalidArgument);
    }
    if a[1] == 0 {
        return Err(Error::Fault);
    }
    let path = ops.copy_in_cstring(a[1], crate::util::PATH_MAX - 1)?;
    if path.is_empty() && flags & AT_EMPTY_PATH == 0 {
        return Err(Error::NotFound);
    }
    let follow = flags & AT_SYMLINK_FOLLOW != 0;
    let node = ops.node_handle(dirfd(a[0]), (!path.is_empty()).then_some(path.as_slice()), follow)?;
    if flags & AT_HANDLE_FID == 0 && !node.decodable {
        return Err(Error::NotSupported);
    }
    let mut raw = [0u8; FileHandleHeader::SIZE];
    ops.copy_in(handle_addr, &mut raw)?;
    let given = FileHandleHeader::from_bytes(&raw).ok_or(Error::Fault)?;
    if given.handle_bytes > MAX_HANDLE_SZ {
        return Err(Error::InvalidArgument);
    }
    let mut handle_type = FILEID_INO64_GEN;
    if flags & AT_HANDLE_CONNECTABLE != 0 {
        handle_type |= FILEID_IS_CONNECTABLE;
    }
    let body = InodeHandle { ino: node.ino, generation: node.generation, fs: node.fs }.to_bytes();
    // Too small a buffer still learns the size and type it needs, and the
    // mount id, as on Linux.
    let fits = given.handle_bytes as usize >= body.len();
    if flags & AT_HANDLE_MNT_ID_UNIQUE != 0 {
        ops.copy_out(mount_addr, &u64::from(node.mount_id).to_le_bytes())?;
    } else {
        ops.copy_out(mount_addr, &node.mount_id.to_le_bytes())?;
    }
    let header = FileHandleHeader { handle_bytes: body.len() as u32, handle_type };
    ops.copy_out(handle_addr, &header.to_bytes())?;
    if !fits {
        return Err(Error::Overflow);
    }
    ops.copy_out(handle_addr + FileHandleHeader::SIZE as u64, &body)?;
    Ok(0)
}

/// open_by_handle_at(mount_fd, handle, flags): needs CAP_DAC_READ_SEARCH,
/// since a handle skips every directory permission on the way.
pub fn open_by_handle_at(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let mut raw = [0u8; FileHandleHeader::SIZE];
    ops.copy_in(a[1], &mut raw)?;
    let header = FileHandleHeader::from_bytes(&raw).ok_or(Error::Fault)?;
    if header.handle_bytes > MAX_HANDLE_SZ || header.handle_bytes == 0 {
        return Err(Error::InvalidArgument);
    }
    if header.handle_type < 0 || (header.handle_type & !0xffff) & !FILEID_VALID_USER_FLAGS != 0 {
        return Err(Error::InvalidArgument);
    }
    // The anchor: the working directory or an open descriptor.
    let anchor = match fd(a[0]) {
        AT_FDCWD => DirFd::Cwd,
        f if f >= 0 => {
            ops.status_flags(f)?;
            DirFd::Fd(f)
        }
        _ => return Err(Error::BadDescriptor),
    };
    if !ops.credentials().has(Privilege::DacReadSearch) {
        return Err(Error::NotPermitted);
    }
    let mut body = crate::util::buffer(header.handle_bytes as usize)?;
    ops.copy_in(a[1] + FileHandleHeader::SIZE as u64, &mut body)?;
    let handle = match InodeHandle::from_bytes(&body) {
        Some(h) if header.handle_type & 0xffff == FILEID_INO64_GEN => h,
        // Not one this kernel made: it names nothing.
        _ => return Err(Error::Stale),
    };
    let node =
        NodeHandle { mount_id: 0, fs: handle.fs, ino: handle.ino, generation: handle.generation, decodable: true };
    let opened = ops.open_by_handle(anchor, &node, open_flags(a[2] as u32))?;
    Ok(opened as u64)
}
