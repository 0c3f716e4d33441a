//! /proc/<pid>/mem: a process's address space as a file, the offset being
//! the address (debuggers read and write their tracee through it, and
//! write breakpoints into read-only text, as PTRACE_POKETEXT does).
//!
//! Reads and writes go to the target's memory outside the proc file
//! system's lock: a page of the target not yet in memory may have to be
//! read from a file system (its lock, perhaps a server's answer), which
//! must not hold up every other reader of /proc meanwhile. So `FileObject` asks
//! [`process_of`] (one atomic load and a compare, no lock) before it
//! treats a node as an ordinary file.

use crate::task::process;
use core::sync::atomic::{AtomicU32, Ordering};
use kernel_ops::{Error, KResult};
use vfs::NodeRef;

/// The file-system id /proc was mounted with (u32::MAX: not yet).
static PROC_FS: AtomicU32 = AtomicU32::new(u32::MAX);

pub(super) fn mounted_as(id: vfs::FsId) {
    PROC_FS.store(id.0, Ordering::Release);
}

/// The pid whose /proc/<pid>/mem `node` is, if it is one.
pub fn process_of(node: NodeRef) -> Option<u32> {
    if node.fs.0 != PROC_FS.load(Ordering::Acquire) {
        return None;
    }
    match super::decode(node.ino)? {
        (pid, super::PidNode::Mem) => Some(pid),
        (tid, super::PidNode::Thread(super::ThreadNode::Mem)) => {
            process::find_thread(tid).and_then(|t| t.try_process().map(|p| p.pid))
        }
        _ => None,
    }
}

/// A page at a time: as Linux, a read that fails after some bytes returns
/// those; one that fails at once is EIO.
const CHUNK: usize = 4096;

/// The target, if the caller may look into it (ptrace's access check).
fn target(pid: u32) -> KResult<alloc::sync::Arc<process::Process>> {
    let p = process::find(pid).ok_or(Error::NoSuchProcess)?;
    let me = crate::sched::current();
    if !crate::task::inspect::may_access(me.process(), &p) {
        return Err(Error::PermissionDenied);
    }
    Ok(p)
}

pub fn read(pid: u32, addr: u64, buf: &mut [u8]) -> KResult<usize> {
    let p = target(pid)?;
    let mm = p.mm();
    let mut done = 0;
    while done < buf.len() {
        let at = addr.checked_add(done as u64).ok_or(Error::Io)?;
        let len = (CHUNK - (at as usize % CHUNK)).min(buf.len() - done);
        if mm.copy_in(at, &mut buf[done..done + len]).is_err() {
            return if done == 0 { Err(Error::Io) } else { Ok(done) };
        }
        done += len;
    }
    Ok(done)
}

pub fn write(pid: u32, addr: u64, data: &[u8]) -> KResult<usize> {
    let p = target(pid)?;
    let mm = p.mm();
    let mut done = 0;
    while done < data.len() {
        let at = addr.checked_add(done as u64).ok_or(Error::Io)?;
        let len = (CHUNK - (at as usize % CHUNK)).min(data.len() - done);
        if mm.write_forced(at, &data[done..done + len]).is_err() {
            return if done == 0 { Err(Error::Io) } else { Ok(done) };
        }
        done += len;
    }
    Ok(done)
}
