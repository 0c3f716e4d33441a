//! The kernel's half: a `vfs::FileSystem` whose every call is a request to
//! a server. The server is not trusted: an answer that is malformed or does
//! not answer the question fails the call with `Io`, and a listing that
//! does not advance ends with `Io` instead of looping.

use alloc::vec::Vec;
use core::cell::RefCell;

use vfs::{DirEntry, Error, FileSystem, FsStats, Ino, Metadata, MetadataChange, NewNode, NodeAttrs, Timestamp};

use crate::cache::Cache;
use crate::holds::Holds;
use crate::request::{Request, FIXED_FIELDS_MAX};
use crate::response::{entry_size, Response};

/// How requests reach the server.
pub trait Transport: Send {
    /// The most bytes one request or answer may take.
    fn capacity(&self) -> usize;

    /// Sends `request` and puts the answer in `answer` (replacing what was
    /// there). `Io` when the server is gone or did not answer in time.
    fn exchange(&self, request: &[u8], answer: &mut Vec<u8>) -> Result<(), Error>;
}

/// Room for a request's fixed fields (op, inodes, times, lengths).
const REQUEST_OVERHEAD: usize = FIXED_FIELDS_MAX;

/// A mounted file system served elsewhere.
#[derive(Debug)]
pub struct RemoteFs<T: Transport> {
    transport: T,
    name: &'static str,
    root: Ino,
    read_only: bool,
    /// Answers worth remembering (crate::cache). A `RefCell`: lookups take
    /// `&self`, and a `FileSystem` is used by one thread at a time (the
    /// lock the kernel's VFS keeps each file system behind), never shared.
    cache: RefCell<Cache>,
    /// Nodes held open, counted here (crate::holds).
    holds: RefCell<Holds>,
}

impl<T: Transport> RemoteFs<T> {
    /// Asks the server to mount its file system.
    pub fn mount(transport: T, name: &'static str, read_only: bool, now: Timestamp) -> Result<Self, Error> {
        if transport.capacity() < REQUEST_OVERHEAD + vfs::PATH_MAX + vfs::NAME_MAX {
            return Err(Error::InvalidArgument);
        }
        let fs = RemoteFs {
            transport,
            name,
            root: 0,
            read_only,
            cache: RefCell::new(Cache::default()),
            holds: RefCell::new(Holds::default()),
        };
        let (root, read_only) = fs.call(&Request::Mount { read_only, now }, |r| match r {
            Response::Mounted { root, read_only } => Some((root, read_only)),
            _ => None,
        })?;
        Ok(RemoteFs { root, read_only, ..fs })
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Asks the server to write everything to its device.
    pub fn sync(&self, now: Timestamp) -> Result<(), Error> {
        self.give_back_parked();
        self.call(&Request::Sync { now }, done)
    }

    /// Syncs and ends the mount on the server's side.
    pub fn unmount(&self, now: Timestamp) -> Result<(), Error> {
        self.give_back_parked();
        self.cache.borrow_mut().forget_all();
        self.call(&Request::Unmount { now }, done)
    }

    /// Tells the server of the release of a node nobody holds any more.
    fn give_back(&self, ino: Ino) -> Result<(), Error> {
        // The last release of an unlinked node frees it (and its number
        // may come back).
        self.cache.borrow_mut().gone(ino);
        self.call(&Request::Release { ino }, done)
    }

    fn give_back_parked(&self) {
        let parked = self.holds.borrow_mut().take_parked();
        for ino in parked {
            let _ = self.give_back(ino);
        }
    }

    /// Before a change that may take the last name of `name`'s node in `dir`:
    /// that node (or, not knowing it, every node) must not stay parked.
    fn may_lose_last_name(&self, dir: Ino, name: &[u8]) {
        let known = self.cache.borrow().lookup(dir, name);
        match known {
            Some(None) => {}
            Some(Some(ino)) => {
                if self.holds.borrow_mut().unpark(ino) {
                    let _ = self.give_back(ino);
                }
            }
            None => self.give_back_parked(),
        }
    }

    /// After a change that failed: what it did on the server is not known.
    fn after<R>(&self, result: Result<R, Error>) -> Result<R, Error> {
        if result.is_err() {
            self.cache.borrow_mut().forget_all();
        }
        result
    }

    /// One exchange: encode, send, decode, and pick the expected answer
    /// (`Io` for anything else).
    fn call<R>(&self, req: &Request<'_>, pick: impl FnOnce(Response<'_>) -> Option<R>) -> Result<R, Error> {
        // Sized to this request, not to the whole shared buffer: most
        // requests (lookups, metadata) are a few dozen bytes.
        let size = (FIXED_FIELDS_MAX + req.payload_len()).min(self.transport.capacity());
        let mut buf = Vec::new();
        buf.try_reserve_exact(size).map_err(|_| Error::NoMemory)?;
        buf.resize(size, 0);
        let len = req.encode(&mut buf).map_err(|_| Error::NameTooLong)?;
        buf.truncate(len);
        let mut answer = Vec::new();
        self.transport.exchange(&buf, &mut answer)?;
        match Response::decode(&answer) {
            Ok(Response::Error(e)) => Err(e),
            Ok(r) => pick(r).ok_or(Error::Io),
            Err(_) => Err(Error::Io),
        }
    }

    /// The most file data one exchange carries.
    fn chunk(&self) -> usize {
        self.transport.capacity().saturating_sub(REQUEST_OVERHEAD).max(1)
    }
}

fn done(r: Response<'_>) -> Option<()> {
    matches!(r, Response::Done).then_some(())
}

impl<T: Transport> FileSystem for RemoteFs<T> {
    fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn name(&self) -> &str {
        self.name
    }

    fn root(&self) -> Ino {
        self.root
    }

    fn metadata(&self, ino: Ino) -> Result<Metadata, Error> {
        if let Some(m) = self.cache.borrow().metadata(ino) {
            return Ok(m);
        }
        let m = self.call(&Request::Metadata { ino }, |r| match r {
            Response::Metadata(m) => Some(m),
            _ => None,
        })?;
        self.cache.borrow_mut().set_metadata(ino, m.clone());
        Ok(m)
    }

    fn lookup(&self, dir: Ino, name: &[u8]) -> Result<Ino, Error> {
        match self.cache.borrow().lookup(dir, name) {
            Some(Some(found)) => return Ok(found),
            Some(None) => return Err(Error::NotFound),
            None => {}
        }
        let result = self.call(&Request::Lookup { dir, name }, ino);
        match result {
            Ok(found) => self.cache.borrow_mut().set_lookup(dir, name, Some(found)),
            Err(Error::NotFound) => self.cache.borrow_mut().set_lookup(dir, name, None),
            Err(_) => {}
        }
        result
    }

    fn create(
        &mut self,
        dir: Ino,
        name: &[u8],
        node: NewNode<'_>,
        attrs: NodeAttrs,
        now: Timestamp,
    ) -> Result<Ino, Error> {
        let new = self.after(self.call(&Request::Create { dir, name, node, attrs, now }, ino))?;
        let cache = self.cache.get_mut();
        cache.changed(dir);
        // The number may have been a node's that was removed.
        cache.changed(new);
        cache.set_lookup(dir, name, Some(new));
        Ok(new)
    }

    fn link(&mut self, dir: Ino, name: &[u8], target: Ino, now: Timestamp) -> Result<(), Error> {
        self.after(self.call(&Request::Link { dir, name, target, now }, done))?;
        let cache = self.cache.get_mut();
        cache.changed(dir);
        cache.changed(target);
        cache.set_lookup(dir, name, Some(target));
        Ok(())
    }

    fn unlink(&mut self, dir: Ino, name: &[u8], now: Timestamp) -> Result<(), Error> {
        self.may_lose_last_name(dir, name);
        self.after(self.call(&Request::Unlink { dir, name, now }, done))?;
        let cache = self.cache.get_mut();
        cache.name_changed(dir, name);
        cache.set_lookup(dir, name, None);
        Ok(())
    }

    fn rmdir(&mut self, dir: Ino, name: &[u8], now: Timestamp) -> Result<(), Error> {
        self.may_lose_last_name(dir, name);
        let result = self.call(&Request::Rmdir { dir, name, now }, done);
        self.cache.get_mut().forget_all();
        result
    }

    fn rename(
        &mut self,
        from_dir: Ino,
        from_name: &[u8],
        to_dir: Ino,
        to_name: &[u8],
        now: Timestamp,
    ) -> Result<(), Error> {
        // The node renamed over loses a name.
        self.may_lose_last_name(to_dir, to_name);
        let result = self.call(&Request::Rename { from_dir, from_name, to_dir, to_name, now }, done);
        self.cache.get_mut().forget_all();
        result
    }

    fn readlink(&self, ino: Ino) -> Result<Vec<u8>, Error> {
        self.call(&Request::Readlink { ino }, |r| match r {
            Response::Bytes(b) if !b.is_empty() && b.len() < vfs::PATH_MAX => Some(b.to_vec()),
            _ => None,
        })
    }

    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> Result<usize, Error> {
        let mut done_bytes = 0;
        while done_bytes < buf.len() {
            let want = (buf.len() - done_bytes).min(self.chunk());
            let at = offset.checked_add(done_bytes as u64).ok_or(Error::InvalidArgument)?;
            let dst = &mut buf[done_bytes..done_bytes + want];
            let got = self.call(&Request::Read { ino, offset: at, len: want as u32 }, |r| match r {
                Response::Bytes(b) if b.len() <= dst.len() => {
                    dst[..b.len()].copy_from_slice(b);
                    Some(b.len())
                }
                _ => None,
            });
            match got {
                Ok(0) => break,
                Ok(n) => done_bytes += n,
                // Data already read is returned; the error comes next time.
                Err(_) if done_bytes > 0 => break,
                Err(e) => return Err(e),
            }
            if done_bytes < buf.len() && got != Ok(want) {
                break; // a short read: end of file
            }
        }
        Ok(done_bytes)
    }

    fn write(&mut self, ino: Ino, offset: u64, data: &[u8], now: Timestamp) -> Result<usize, Error> {
        // Size and times change, whatever part of the write succeeds.
        self.cache.get_mut().changed(ino);
        let mut written = 0;
        // An empty write still goes to the server: it answers for the
        // node (a directory is IsDirectory), as a local file system does.
        let pieces: alloc::vec::Vec<&[u8]> =
            if data.is_empty() { alloc::vec![data] } else { data.chunks(self.chunk()).collect() };
        for piece in pieces {
            let at = offset.checked_add(written as u64).ok_or(Error::FileTooBig)?;
            let n = self.call(&Request::Write { ino, offset: at, data: piece, now }, |r| match r {
                Response::Written(n) if n as usize <= piece.len() => Some(n as usize),
                _ => None,
            });
            match n {
                Ok(n) => {
                    written += n;
                    if n < piece.len() {
                        break; // out of space part way
                    }
                }
                Err(_) if written > 0 => break,
                Err(e) => return Err(e),
            }
        }
        Ok(written)
    }

    fn truncate(&mut self, ino: Ino, len: u64, now: Timestamp) -> Result<(), Error> {
        self.cache.get_mut().changed(ino);
        self.call(&Request::Truncate { ino, len, now }, done)
    }

    fn read_dir(&self, dir: Ino, cookie: u64, emit: &mut dyn FnMut(DirEntry<'_>) -> bool) -> Result<(), Error> {
        let mut cookie = cookie;
        let max_bytes = self.chunk().max(entry_size(vfs::NAME_MAX)) as u32;
        loop {
            let mut stop = false;
            let mut next = cookie;
            let end = self.call(&Request::ReadDir { dir, cookie, max_bytes }, |r| match r {
                Response::Entries(e) => {
                    if e.is_empty() && !e.end {
                        return None; // a listing that does not advance
                    }
                    for entry in e.iter() {
                        if !emit(entry) {
                            stop = true;
                            break;
                        }
                        next = entry.next_cookie;
                    }
                    Some(e.end)
                }
                _ => None,
            })?;
            if stop || end {
                return Ok(());
            }
            cookie = next;
        }
    }

    fn set_metadata(&mut self, ino: Ino, change: MetadataChange, now: Timestamp) -> Result<(), Error> {
        self.cache.get_mut().changed(ino);
        self.call(&Request::SetMetadata { ino, change, now }, done)
    }

    fn statfs(&self) -> FsStats {
        self.call(&Request::Statfs, |r| match r {
            Response::Stats(s) => Some(s),
            _ => None,
        })
        .unwrap_or_default()
    }

    fn retain(&mut self, ino: Ino) -> Result<(), Error> {
        if !self.holds.get_mut().retain(ino) {
            return Ok(());
        }
        self.call(&Request::Retain { ino }, done)?;
        self.holds.get_mut().retained(ino);
        Ok(())
    }

    fn known_name(&self, dir: Ino, ino: Ino) -> Option<Vec<u8>> {
        self.cache.borrow().name_of(dir, ino)
    }

    fn release(&mut self, ino: Ino) -> Result<(), Error> {
        // Parked only while it certainly has names (see crate::holds).
        let linked = self.cache.get_mut().metadata(ino).is_some_and(|m| m.nlink > 0);
        match self.holds.get_mut().release(ino, linked) {
            Some(gone) => self.give_back(gone),
            None => Ok(()),
        }
    }
}

fn ino(r: Response<'_>) -> Option<Ino> {
    match r {
        Response::Ino(i) => Some(i),
        _ => None,
    }
}
