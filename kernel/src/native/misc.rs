//! Calls that name no capability: the debug console, sleeping, randomness,
//! and the one log line for a call that does not exist.

use crate::task::thread::Thread;
use abi::{Error, MAX_IO};
use alloc::sync::Arc;
use alloc::vec::Vec;

/// A zeroed buffer of a user-chosen size (already bounded by the caller),
/// allocated fallibly: a program asking for much gets NoMemory, the kernel
/// does not abort.
pub fn zeroed(len: u64) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    buf.try_reserve_exact(len as usize).map_err(|_| Error::NoMemory)?;
    buf.resize(len as usize, 0);
    Ok(buf)
}

/// Copies `len` bytes from user memory (len already bounded by the caller).
pub fn copy_in(t: &Arc<Thread>, addr: u64, len: u64) -> Result<Vec<u8>, Error> {
    let mut buf = zeroed(len)?;
    t.process().mm().copy_in(addr, &mut buf).map_err(|_| Error::BadAddress)?;
    Ok(buf)
}

pub fn copy_out(t: &Arc<Thread>, addr: u64, data: &[u8]) -> Result<(), Error> {
    t.process().mm().copy_out(addr, data).map_err(|_| Error::BadAddress)
}

pub fn task_name(t: &Thread) -> alloc::string::String {
    let name = *t.name.lock();
    let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
    alloc::string::String::from_utf8_lossy(&name[..end]).into_owned()
}

pub fn debug_write(t: &Arc<Thread>, buf: u64, len: u64) -> Result<u64, Error> {
    if len > MAX_IO {
        return Err(Error::InvalidArgument);
    }
    let bytes = copy_in(t, buf, len)?;
    let name = task_name(t);
    let native = t.process().native.lock().clone();
    // Each line of output is prefixed with the task's name, so output from
    // several tasks stays readable; a line may arrive in several writes.
    for line in bytes.split_inclusive(|&c| c == b'\n') {
        let at_start = native.as_ref().is_none_or(|n| !n.line_open.load(core::sync::atomic::Ordering::Relaxed));
        let text = alloc::string::String::from_utf8_lossy(line);
        if at_start {
            crate::print!("[{}] {}", name, text);
        } else {
            crate::print!("{}", text);
        }
        if let Some(n) = &native {
            n.line_open.store(!line.ends_with(b"\n"), core::sync::atomic::Ordering::Relaxed);
        }
    }
    Ok(len)
}

pub fn sleep(ns: u64) -> Result<u64, Error> {
    let deadline = crate::time::now_ns().saturating_add(ns);
    // A kill ends the sleep early; the task never sees the result.
    let _ = crate::sched::sleep_until(deadline);
    Ok(0)
}

pub fn random(t: &Arc<Thread>, buf: u64, len: u64) -> Result<u64, Error> {
    if len > MAX_IO {
        return Err(Error::InvalidArgument);
    }
    let mut bytes = zeroed(len)?;
    crate::random::fill(&mut bytes);
    copy_out(t, buf, &bytes)?;
    Ok(len)
}

/// One line per task for calls that do not exist (a fuzzer would otherwise
/// flood the console).
pub fn log_unknown(t: &Arc<Thread>, nr: u64) {
    let p = t.process();
    let first =
        p.native.lock().as_ref().is_some_and(|n| !n.logged_unknown.swap(true, core::sync::atomic::Ordering::Relaxed));
    if first {
        crate::warn!(
            "native: no system call {} (from pid {} {}); further unknown calls from it are not logged",
            nr,
            p.pid,
            task_name(t)
        );
    }
}
