//! The ext2 server: the file system of a virtio disk, served to the
//! kernel's VFS. Linux programs reach it as an ordinary mount
//! (`mount -t ext2 /dev/vda /mnt`); every VFS call on that mount arrives
//! here as one request (crates/fsproto) and is carried out by crates/ext2
//! over the block driver.
//!
//! Capabilities (user/manifests/storage.manifest):
//! - slot 3: Vfs (WRITE), to offer the file system;
//! - slot 4: the endpoint it serves (READ for us, WRITE for the kernel);
//! - slot 5: the virtio-blk driver's endpoint (WRITE).
//!
//! The disk's content is untrusted: crates/ext2 checks everything it reads
//! and answers `Corrupted` (EUCLEAN) or `Io`; if this server crashes
//! anyway, init reports it and the kernel fails the mount's calls with EIO.
//!
//! Argument (manifest `arg`): 0 normally. N > 0 makes the server panic on
//! purpose when its N-th request arrives: fault injection, so that the
//! storage tests can check what a crash does to programs, the kernel and
//! init (xtask/src/storage_hostile_tests.rs). With `HANG_MODE` set beside
//! N, the server instead stops answering at its N-th request (it keeps the
//! request and sleeps for ever, alive): what a hung server does to the
//! rest of the machine.
//!
//! Loop mode: the kernel itself starts an instance for each mount of a
//! loop device (kernel/src/fs/loop_mount.rs), with `LOOP_MODE` set in the
//! argument, the device's number and size in sectors beside it, and in
//! slot 5 a Memory capability holding the device's blocks instead of the
//! driver's endpoint. It offers `ext2 loopN`.

#![no_std]
#![no_main]

extern crate alloc;

mod block;
mod memory_disk;

use abi::{MsgInfo, FOREVER};
use alloc::vec::Vec;
use ext2::{Ext2, MountOptions};
use fsproto::{server, Request, Response};
use rt::shared::SharedBuffer;
use rt::{println, sys};
use vfs::Error;

rt::entry!(main);

const VFS: u64 = 3;
const ENDPOINT: u64 = 4;
const DRIVER: u64 = 5;

/// The buffer shared with the kernel: 128 KiB of data per exchange plus
/// room for the request's fields.
const BUFFER_PAGES: u64 = 33;
/// The device this server offers (in driver mode).
const DEVICE: &str = "vda";
/// The argument's loop-mode bit; bits 40..56 are the loop device's number
/// and bits 0..40 its size in 512-byte sectors.
const LOOP_MODE: u64 = 1 << 63;
/// The argument's fault-injection bit for a hang instead of a crash (not
/// in loop mode).
const HANG_MODE: u64 = 1 << 62;

/// What the server does wrong on purpose, and at which request.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    Crash(u64),
    Hang(u64),
}

/// Where the blocks are: the virtio-blk driver, or memory the kernel
/// shares (a loop device).
enum Disk {
    Driver(block::Disk),
    Memory(memory_disk::MemoryDisk),
}

impl Disk {
    fn read_only(&self) -> bool {
        match self {
            Disk::Driver(d) => d.read_only,
            Disk::Memory(_) => false,
        }
    }
}

impl ext2::BlockDevice for Disk {
    fn size(&self) -> u64 {
        match self {
            Disk::Driver(d) => d.size(),
            Disk::Memory(d) => d.size(),
        }
    }

    fn read(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), ext2::IoError> {
        match self {
            Disk::Driver(d) => d.read(offset, buf),
            Disk::Memory(d) => d.read(offset, buf),
        }
    }

    fn write(&mut self, offset: u64, data: &[u8]) -> Result<(), ext2::IoError> {
        match self {
            Disk::Driver(d) => d.write(offset, data),
            Disk::Memory(d) => d.write(offset, data),
        }
    }

    fn flush(&mut self) -> Result<(), ext2::IoError> {
        match self {
            Disk::Driver(d) => d.flush(),
            Disk::Memory(d) => d.flush(),
        }
    }
}

/// Where this instance's disk comes from, to connect again after a
/// failed mount consumed it.
#[derive(Clone, Copy)]
enum Source {
    Driver,
    Memory { size: u64 },
}

impl Source {
    fn connect(self) -> Result<Disk, &'static str> {
        match self {
            Source::Driver => block::Disk::connect(DRIVER).map(Disk::Driver),
            Source::Memory { size } => memory_disk::MemoryDisk::map(DRIVER, size).map(Disk::Memory),
        }
    }
}

/// The file system, mounted or not: the disk is kept between mounts.
enum State {
    Idle(Disk),
    Mounted(Ext2<Disk>),
    /// A mount or unmount failed part way and the disk is gone.
    Broken,
}

fn main(arg: u64) -> i32 {
    let (source, device, fault) = if arg & LOOP_MODE != 0 {
        let sectors = arg & ((1 << 40) - 1);
        (Source::Memory { size: sectors * 512 }, alloc::format!("loop{}", (arg >> 40) & 0xffff), Fault::None)
    } else {
        let at = arg & !HANG_MODE;
        let fault = match (at, arg & HANG_MODE != 0) {
            (0, _) => Fault::None,
            (n, false) => Fault::Crash(n),
            (n, true) => Fault::Hang(n),
        };
        (Source::Driver, alloc::string::String::from(DEVICE), fault)
    };
    let disk = match source.connect() {
        Ok(d) => d,
        Err(why) => {
            println!("ext2fs: no disk: {why}");
            return 1;
        }
    };
    let Ok(buf_slot) = sys::mem_alloc(BUFFER_PAGES, 0) else {
        println!("ext2fs: no memory for the shared buffer");
        return 1;
    };
    let Ok(mut shared) = SharedBuffer::map(buf_slot, BUFFER_PAGES) else {
        println!("ext2fs: cannot map the shared buffer");
        return 1;
    };
    let spec = alloc::format!("ext2 {device}");
    if let Err(e) = sys::vfs_serve(VFS, ENDPOINT, buf_slot, spec.as_bytes()) {
        println!("ext2fs: cannot offer the file system: {}", e.name());
        return 1;
    }
    println!("ext2fs: serving ext2 on /dev/{device} ({} MiB)", ext2::BlockDevice::size(&disk) >> 20);
    let mut state = State::Idle(disk);
    let mut request = Vec::new();
    let mut reply: Option<(MsgInfo, [u64; 4])> = None;
    let mut requests = 0u64;
    loop {
        let msg = match reply.take() {
            Some((info, words)) => sys::ipc_reply_recv(ENDPOINT, info, words),
            None => sys::ipc_recv(ENDPOINT, FOREVER),
        };
        let Ok(msg) = msg else { continue };
        requests += 1;
        if fault == Fault::Crash(requests) {
            panic!("crashing on purpose at request {requests} (fault injection: the manifest's arg)");
        }
        if fault == Fault::Hang(requests) {
            println!("ext2fs: hanging on purpose at request {requests} (fault injection: the manifest's arg)");
            // The caller's reply right is kept and never used: the kernel
            // must give up on its own (its answer timeout).
            loop {
                sys::sleep(u64::MAX / 2);
            }
        }
        let len = (msg.words[0] as usize).min(shared.len());
        request.clear();
        request.extend_from_slice(&shared.bytes()[..len]);
        let answer_len = match Request::decode(&request) {
            Ok(req) => handle(&mut state, source, &req, shared.bytes_mut()),
            Err(_) => server::answer(shared.bytes_mut(), &Response::Error(Error::InvalidArgument)),
        };
        reply = Some((MsgInfo::new(0), [answer_len as u64, 0, 0, 0]));
    }
}

fn handle(state: &mut State, source: Source, req: &Request<'_>, out: &mut [u8]) -> usize {
    match *req {
        Request::Mount { read_only, now } => {
            let answer = match core::mem::replace(state, State::Broken) {
                State::Idle(disk) => {
                    let read_only = read_only || disk.read_only();
                    match Ext2::mount(disk, MountOptions { read_only }, now) {
                        Ok(fs) => {
                            let ro = fs.is_read_only();
                            println!("ext2fs: mounted{}", if ro { " read-only" } else { "" });
                            *state = State::Mounted(fs);
                            Response::Mounted { root: 2, read_only: ro }
                        }
                        Err(e) => {
                            println!("ext2fs: cannot mount: {e}");
                            // The failed mount kept the disk: connect again.
                            if let Ok(disk) = source.connect() {
                                *state = State::Idle(disk);
                            }
                            Response::Error(e)
                        }
                    }
                }
                other => {
                    *state = other;
                    Response::Error(Error::Busy)
                }
            };
            server::answer(out, &answer)
        }
        Request::Sync { now } => {
            let r = match state {
                State::Mounted(fs) => fs.sync(now).map(|_| Response::Done).unwrap_or_else(Response::Error),
                _ => Response::Done,
            };
            server::answer(out, &r)
        }
        Request::Unmount { now } => {
            let r = match core::mem::replace(state, State::Broken) {
                State::Mounted(fs) => match fs.unmount(now) {
                    Ok(disk) => {
                        *state = State::Idle(disk);
                        println!("ext2fs: unmounted");
                        Response::Done
                    }
                    Err(e) => {
                        println!("ext2fs: unmount failed: {e}");
                        Response::Error(e)
                    }
                },
                other => {
                    *state = other;
                    Response::Error(Error::InvalidArgument)
                }
            };
            server::answer(out, &r)
        }
        _ => match state {
            State::Mounted(fs) => server::handle(fs, req, out),
            _ => server::answer(out, &Response::Error(Error::Io)),
        },
    }
}
