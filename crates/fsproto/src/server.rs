//! The server's half: carry out one decoded request on a `FileSystem` and
//! encode the answer.

use vfs::{DirEntry, Error, FileSystem};

use crate::request::Request;
use crate::response::{encode_bytes_with, EntriesWriter, Response};
use crate::wire::WireError;

/// Carries out a file-system request on `fs` and writes the answer into
/// `out`; returns the answer's length. `Mount`, `Sync` and `Unmount` frame
/// the mount and belong to the server itself: they are answered
/// `NotSupported` here.
pub fn handle(fs: &mut dyn FileSystem, req: &Request<'_>, out: &mut [u8]) -> usize {
    match try_handle(fs, req, out) {
        Ok(len) => len,
        // The answer did not fit: tell the kernel, which sized the request.
        Err(WireError::TooLarge) | Err(WireError::Malformed) => answer(out, &Response::Error(Error::InvalidArgument)),
    }
}

/// Encodes a small answer (always fits in any real buffer).
pub fn answer(out: &mut [u8], r: &Response<'_>) -> usize {
    r.encode(out).unwrap_or(0)
}

fn result<T>(out: &mut [u8], r: Result<T, Error>, ok: impl FnOnce(T) -> Response<'static>) -> Result<usize, WireError> {
    match r {
        Ok(v) => ok(v).encode(out),
        Err(e) => Response::Error(e).encode(out),
    }
}

fn try_handle(fs: &mut dyn FileSystem, req: &Request<'_>, out: &mut [u8]) -> Result<usize, WireError> {
    match *req {
        Request::Mount { .. } | Request::Sync { .. } | Request::Unmount { .. } => {
            Response::Error(Error::NotSupported).encode(out)
        }
        Request::Metadata { ino } => match fs.metadata(ino) {
            Ok(m) => Response::Metadata(m).encode(out),
            Err(e) => Response::Error(e).encode(out),
        },
        Request::Lookup { dir, name } => result(out, fs.lookup(dir, name), Response::Ino),
        Request::Create { dir, name, node, attrs, now } => {
            result(out, fs.create(dir, name, node, attrs, now), Response::Ino)
        }
        Request::Link { dir, name, target, now } => result(out, fs.link(dir, name, target, now), |_| Response::Done),
        Request::Unlink { dir, name, now } => result(out, fs.unlink(dir, name, now), |_| Response::Done),
        Request::Rmdir { dir, name, now } => result(out, fs.rmdir(dir, name, now), |_| Response::Done),
        Request::Rename { from_dir, from_name, to_dir, to_name, now } => {
            result(out, fs.rename(from_dir, from_name, to_dir, to_name, now), |_| Response::Done)
        }
        Request::Readlink { ino } => match fs.readlink(ino) {
            Ok(target) => Response::Bytes(&target).encode(out),
            Err(e) => Response::Error(e).encode(out),
        },
        Request::Read { ino, offset, len } => {
            let filled = encode_bytes_with(out, len as usize, |dst| fs.read(ino, offset, dst))?;
            match filled {
                Ok(n) => Ok(n),
                Err(e) => Response::Error(e).encode(out),
            }
        }
        Request::Write { ino, offset, data, now } => {
            result(out, fs.write(ino, offset, data, now), |n| Response::Written(n as u64))
        }
        Request::Truncate { ino, len, now } => result(out, fs.truncate(ino, len, now), |_| Response::Done),
        Request::ReadDir { dir, cookie, max_bytes } => {
            let mut entries = EntriesWriter::new(out, max_bytes as usize)?;
            let mut full = false;
            let listed = fs.read_dir(dir, cookie, &mut |e: DirEntry<'_>| {
                if entries.push(&e) {
                    true
                } else {
                    full = true;
                    false
                }
            });
            match listed {
                // Not even one entry fitted: the kernel asked for too little.
                Ok(()) if full && entries.count() == 0 => Response::Error(Error::InvalidArgument).encode(out),
                Ok(()) => Ok(entries.finish(!full)),
                Err(e) => Response::Error(e).encode(out),
            }
        }
        Request::SetMetadata { ino, change, now } => result(out, fs.set_metadata(ino, change, now), |_| Response::Done),
        Request::Statfs => Response::Stats(fs.statfs()).encode(out),
        Request::Retain { ino } => result(out, fs.retain(ino), |_| Response::Done),
        Request::Release { ino } => result(out, fs.release(ino), |_| Response::Done),
    }
}
