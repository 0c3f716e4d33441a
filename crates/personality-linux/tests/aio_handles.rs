//! Linux AIO (io_setup and friends) and file handles against the fake
//! core: argument checks in Linux's order, the ring header and events as
//! user space reads them, and handles written back.

mod fake_core;

use fake_core::{FakeCore, AIO_RINGS, MEM_BASE};
use kernel_ops::prelude::*;
use kernel_ops::{CounterFlags, FileStat, OpenFlags};
use linux_abi::aio::{
    IoEvent, Iocb, RingHeader, AIO_RING_MAGIC, IOCB_CMD_FSYNC, IOCB_CMD_NOOP, IOCB_CMD_PREAD, IOCB_CMD_PREADV,
    IOCB_CMD_PWRITE, IOCB_FLAG_RESFD,
};
use proptest::prelude::*;

const IO_SETUP: u64 = 206;
const IO_DESTROY: u64 = 207;
const IO_GETEVENTS: u64 = 208;
const IO_SUBMIT: u64 = 209;
const IO_CANCEL: u64 = 210;
const NAME_TO_HANDLE_AT: u64 = 303;
const OPEN_BY_HANDLE_AT: u64 = 304;

const EINVAL: i64 = 22;
const EBADF: i64 = 9;
const EFAULT: i64 = 14;
const EAGAIN: i64 = 11;
const EOVERFLOW: i64 = 75;
const EOPNOTSUPP: i64 = 95;
const EPERM: i64 = 1;
const ESTALE: i64 = 116;
const AT_FDCWD: u64 = -100i64 as u64;

// Scratch user memory.
const CTXP: u64 = MEM_BASE;
const LIST: u64 = MEM_BASE + 0x100;
const IOCBS: u64 = MEM_BASE + 0x200;
const EVENTS: u64 = MEM_BASE + 0x1000;
const BUF: u64 = MEM_BASE + 0x2000;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

/// Descriptor 3 read-write and 4 read-only on 1000-byte files.
fn core() -> FakeCore {
    let mut k = FakeCore::new();
    let meta = vfs::Metadata {
        file_type: vfs::FileType::Regular,
        mode: 0o644,
        uid: 0,
        gid: 0,
        nlink: 1,
        size: 1000,
        rdev: vfs::DeviceNumber { major: 0, minor: 0 },
        atime: vfs::Timestamp::default(),
        mtime: vfs::Timestamp::default(),
        ctime: vfs::Timestamp::default(),
        ino: 1,
        blocks: 2,
        blksize: 4096,
    };
    let stat = FileStat { dev: 1, meta };
    k.fds.push((3, OpenFlags { read: true, write: true, ..OpenFlags::default() }, 0, stat.clone()));
    k.fds.push((4, OpenFlags { read: true, ..OpenFlags::default() }, 0, stat));
    k
}

fn setup(k: &mut FakeCore, nr: u64) -> u64 {
    k.put(CTXP, &0u64.to_le_bytes());
    assert_eq!(k.syscall(IO_SETUP, [nr, CTXP, 0, 0, 0, 0]), 0);
    u64::from_le_bytes(k.get(CTXP, 8).try_into().unwrap())
}

fn read_u32(k: &FakeCore, addr: u64) -> u32 {
    u32::from_le_bytes(k.get(addr, 4).try_into().unwrap())
}

/// Puts `cbs` at IOCBS and a list of pointers to them at LIST.
fn put_iocbs(k: &mut FakeCore, cbs: &[Iocb]) {
    for (i, cb) in cbs.iter().enumerate() {
        let at = IOCBS + (i * Iocb::SIZE) as u64;
        k.put(at, &cb.to_bytes());
        k.put(LIST + 8 * i as u64, &at.to_le_bytes());
    }
}

fn read_cb(fd: u32, buf: u64, len: u64, offset: i64, data: u64) -> Iocb {
    Iocb {
        aio_lio_opcode: IOCB_CMD_PREAD,
        aio_fildes: fd,
        aio_buf: buf,
        aio_nbytes: len,
        aio_offset: offset,
        aio_data: data,
        ..Iocb::default()
    }
}

fn events(k: &FakeCore, n: usize) -> Vec<IoEvent> {
    (0..n).map(|i| IoEvent::from_bytes(k.get(EVENTS + (i * IoEvent::SIZE) as u64, IoEvent::SIZE)).unwrap()).collect()
}

#[test]
fn io_setup_maps_a_ring_and_checks_its_arguments() {
    let mut k = core();
    assert_eq!(errno(k.syscall(IO_SETUP, [1, 0, 0, 0, 0, 0])), EFAULT, "ctxp NULL");
    k.put(CTXP, &1u64.to_le_bytes());
    assert_eq!(errno(k.syscall(IO_SETUP, [1, CTXP, 0, 0, 0, 0])), EINVAL, "*ctxp not 0");
    k.put(CTXP, &0u64.to_le_bytes());
    assert_eq!(errno(k.syscall(IO_SETUP, [0, CTXP, 0, 0, 0, 0])), EINVAL, "no events");
    assert_eq!(errno(k.syscall(IO_SETUP, [u32::MAX as u64, CTXP, 0, 0, 0, 0])), EINVAL, "-1 events");
    assert_eq!(errno(k.syscall(IO_SETUP, [0x10001, CTXP, 0, 0, 0, 0])), EAGAIN, "past aio-max-nr");
    let ctx = setup(&mut k, 8);
    assert_eq!(ctx, AIO_RINGS);
    assert_eq!(k.aio_charged, 8);
    assert_eq!(read_u32(&k, ctx + 16), AIO_RING_MAGIC);
    assert_eq!(read_u32(&k, ctx + 4), 127, "one page of slots");
    assert_eq!(read_u32(&k, ctx + 28), RingHeader::SIZE as u32);
    assert_eq!(k.syscall(IO_DESTROY, [ctx, 0, 0, 0, 0, 0]), 0);
    assert_eq!(errno(k.syscall(IO_DESTROY, [ctx, 0, 0, 0, 0, 0])), EINVAL);
}

#[test]
fn reads_complete_at_submission_and_are_reaped_from_the_ring() {
    let mut k = core();
    let ctx = setup(&mut k, 4);
    put_iocbs(&mut k, &[read_cb(3, BUF, 5, 2, 0x11), read_cb(4, BUF + 16, 5, 998, 0x22)]);
    assert_eq!(k.syscall(IO_SUBMIT, [ctx, 2, LIST, 0, 0, 0]), 2);
    assert_eq!(k.get(BUF, 5), b"cdefg", "read at offset 2");
    assert_eq!(read_u32(&k, ctx + RingHeader::OFF_TAIL), 2, "the ring's tail moved");
    let ev = IoEvent::from_bytes(k.get(ctx + RingHeader::slot_offset(1), IoEvent::SIZE)).unwrap();
    assert_eq!((ev.data, ev.res), (0x22, 2), "the second completion sits in the ring: 2 bytes before the end");
    assert_eq!(k.syscall(IO_GETEVENTS, [ctx, 1, 8, EVENTS, 0, 0]), 2);
    let ev = events(&k, 2);
    assert_eq!((ev[0].data, ev[0].obj, ev[0].res), (0x11, IOCBS, 5));
    assert_eq!(read_u32(&k, ctx + RingHeader::OFF_HEAD), 2, "io_getevents moves the head");
    // Nothing left; a zero timeout returns at once.
    k.put(BUF + 0x100, &[0u8; 16]);
    assert_eq!(k.syscall(IO_GETEVENTS, [ctx, 1, 8, EVENTS, BUF + 0x100, 0]), 0);
}

#[test]
fn user_space_may_reap_by_moving_the_head() {
    let mut k = core();
    let ctx = setup(&mut k, 4);
    put_iocbs(&mut k, &[read_cb(3, BUF, 1, 0, 1), read_cb(3, BUF, 1, 0, 2)]);
    assert_eq!(k.syscall(IO_SUBMIT, [ctx, 2, LIST, 0, 0, 0]), 2);
    k.put(ctx + RingHeader::OFF_HEAD, &1u32.to_le_bytes());
    assert_eq!(k.syscall(IO_GETEVENTS, [ctx, 0, 8, EVENTS, 0, 0]), 1);
    assert_eq!(events(&k, 1)[0].data, 2, "the first was taken in user space");
}

#[test]
fn submission_errors_in_linux_order() {
    let mut k = core();
    let ctx = setup(&mut k, 1);
    put_iocbs(&mut k, &[read_cb(3, BUF, 4, 0, 0)]);
    assert_eq!(errno(k.syscall(IO_SUBMIT, [ctx, -1i64 as u64, LIST, 0, 0, 0])), EINVAL, "nr < 0");
    assert_eq!(errno(k.syscall(IO_SUBMIT, [ctx + 4096, 1, LIST, 0, 0, 0])), EINVAL, "no such context");
    assert_eq!(errno(k.syscall(IO_SUBMIT, [ctx, 1, 8, 0, 0, 0])), EFAULT, "unreadable list");
    let cases: [(Iocb, i64); 7] = [
        (read_cb(9, BUF, 4, 0, 0), EBADF),
        (Iocb { aio_lio_opcode: IOCB_CMD_PWRITE, ..read_cb(4, BUF, 4, 0, 0) }, EBADF),
        (Iocb { aio_lio_opcode: IOCB_CMD_NOOP, ..read_cb(3, 0, 0, 0, 0) }, EINVAL),
        (Iocb { aio_reserved2: 1, ..read_cb(3, BUF, 4, 0, 0) }, EINVAL),
        (read_cb(3, BUF, 4, -1, 0), EINVAL),
        (Iocb { aio_rw_flags: 1 << 20, ..read_cb(3, BUF, 4, 0, 0) }, EOPNOTSUPP),
        (Iocb { aio_lio_opcode: IOCB_CMD_FSYNC, ..read_cb(3, 0, 1, 0, 0) }, EINVAL),
    ];
    for (cb, want) in cases {
        put_iocbs(&mut k, &[cb]);
        assert_eq!(errno(k.syscall(IO_SUBMIT, [ctx, 1, LIST, 0, 0, 0])), want, "{cb:?}");
    }
    assert_eq!(k.aio[0].in_flight, 0, "failed requests give their place back");
    // A bad request after a good one: the count of the good.
    put_iocbs(&mut k, &[read_cb(3, BUF, 4, 0, 0), read_cb(9, BUF, 4, 0, 0)]);
    assert_eq!(k.syscall(IO_SUBMIT, [ctx, 2, LIST, 0, 0, 0]), 1);
    // A vector read through iovecs.
    k.put(BUF + 0x200, &[0u8; 32]);
    let iov: Vec<u8> = [(BUF, 2u64), (BUF + 8, 3)]
        .iter()
        .flat_map(|(b, l)| linux_abi::iovec::Iovec { iov_base: *b, iov_len: *l }.to_bytes())
        .collect();
    k.put(BUF + 0x200, &iov);
    put_iocbs(&mut k, &[Iocb { aio_lio_opcode: IOCB_CMD_PREADV, ..read_cb(3, BUF + 0x200, 2, 10, 5) }]);
    assert_eq!(k.syscall(IO_SUBMIT, [ctx, 1, LIST, 0, 0, 0]), 1);
    assert_eq!((k.get(BUF, 2), k.get(BUF + 8, 3)), (&b"kl"[..], &b"mno"[..]));
}

#[test]
fn the_ring_limits_requests_in_flight_and_an_eventfd_counts_completions() {
    let mut k = core();
    let ctx = setup(&mut k, 1);
    let efd = k.create_counter(0, CounterFlags::default()).unwrap();
    put_iocbs(&mut k, &[Iocb { aio_flags: IOCB_FLAG_RESFD, aio_resfd: efd as u32, ..read_cb(3, BUF, 1, 0, 0) }]);
    let mut accepted = 0;
    while k.syscall(IO_SUBMIT, [ctx, 1, LIST, 0, 0, 0]) == 1 {
        accepted += 1;
    }
    assert_eq!(accepted, 126, "127 slots, one always empty");
    assert_eq!(errno(k.result()), EAGAIN);
    assert_eq!(k.counters[0].0, 126);
    assert_eq!(k.syscall(IO_GETEVENTS, [ctx, 0, 200, EVENTS, 0, 0]), 126);
    assert_eq!(k.syscall(IO_SUBMIT, [ctx, 1, LIST, 0, 0, 0]), 1, "room again once reaped");
    put_iocbs(&mut k, &[Iocb { aio_flags: IOCB_FLAG_RESFD, aio_resfd: 3, ..read_cb(3, BUF, 1, 0, 0) }]);
    assert_eq!(errno(k.syscall(IO_SUBMIT, [ctx, 1, LIST, 0, 0, 0])), EINVAL, "resfd not an eventfd");
}

#[test]
fn getevents_and_cancel_argument_checks() {
    let mut k = core();
    let ctx = setup(&mut k, 1);
    assert_eq!(errno(k.syscall(IO_GETEVENTS, [0, 0, 0, 0, 0, 0])), EINVAL, "no such context");
    assert_eq!(errno(k.syscall(IO_GETEVENTS, [ctx, 2, 1, EVENTS, 0, 0])), EINVAL, "min_nr > nr");
    assert_eq!(errno(k.syscall(IO_GETEVENTS, [ctx, 0, 1, EVENTS, 8, 0])), EFAULT, "unreadable timeout");
    assert_eq!(errno(k.syscall(IO_CANCEL, [0, 0, 0, 0, 0, 0])), EFAULT, "NULL iocb before the context");
    put_iocbs(&mut k, &[read_cb(3, BUF, 1, 0, 0)]);
    assert_eq!(k.syscall(IO_SUBMIT, [ctx, 1, LIST, 0, 0, 0]), 1);
    assert_eq!(read_u32(&k, IOCBS + Iocb::OFF_KEY), 0, "aio_key set to KIOCB_KEY");
    assert_eq!(
        errno(k.syscall(IO_CANCEL, [ctx, IOCBS, EVENTS, 0, 0, 0])),
        EINVAL,
        "a finished read cannot be cancelled"
    );
}

const HANDLE: u64 = MEM_BASE + 0x3000;
const MOUNT_ID: u64 = MEM_BASE + 0x3100;
const PATH: u64 = MEM_BASE + 0x3200;

fn handle_call(k: &mut FakeCore, path: &[u8], room: u32, flags: u64) -> u64 {
    k.put(PATH, path);
    k.put(PATH + path.len() as u64, &[0]);
    k.put(HANDLE, &room.to_le_bytes());
    k.syscall(NAME_TO_HANDLE_AT, [AT_FDCWD, PATH, HANDLE, MOUNT_ID, flags, 0])
}

#[test]
fn name_to_handle_at_reports_the_size_then_the_handle() {
    let mut k = core();
    assert_eq!(errno(handle_call(&mut k, b"file", 0, 0)), EOVERFLOW);
    assert_eq!(read_u32(&k, HANDLE), 16, "the size needed");
    assert_eq!(read_u32(&k, MOUNT_ID), 24, "and the mount id");
    assert_eq!(handle_call(&mut k, b"file", 16, 0), 0);
    let h = linux_abi::file_handle::InodeHandle::from_bytes(k.get(HANDLE + 8, 16)).unwrap();
    assert_eq!((h.ino, h.fs), (42, 3));
    assert_eq!(errno(handle_call(&mut k, b"file", 129, 0)), EINVAL, "over MAX_HANDLE_SZ");
    assert_eq!(errno(handle_call(&mut k, b"file", 16, -1i64 as u64)), EINVAL, "flags -1");
    assert_eq!(errno(handle_call(&mut k, b"file", 16, 0x202)), EINVAL, "FID and CONNECTABLE");
    assert_eq!(errno(handle_call(&mut k, b"", 16, 0)), 2, "empty path: ENOENT");
    assert_eq!(errno(handle_call(&mut k, b"/proc/x", 16, 0)), EOPNOTSUPP, "/proc: no openable handle");
    assert_eq!(handle_call(&mut k, b"/proc/x", 16, 0x200), 0, "but an identifier");
}

#[test]
fn open_by_handle_at_checks_then_opens() {
    let mut k = core();
    assert_eq!(handle_call(&mut k, b"file", 16, 0), 0);
    let open = |k: &mut FakeCore, dfd: u64| k.syscall(OPEN_BY_HANDLE_AT, [dfd, HANDLE, 2, 0, 0, 0]);
    assert_eq!(errno(open(&mut k, AT_FDCWD)), EPERM, "a user without CAP_DAC_READ_SEARCH");
    k.creds = kernel_ops::Credentials::ROOT;
    assert_eq!(open(&mut k, AT_FDCWD), 33);
    assert!(k.log.last().unwrap().contains("fs 3 ino 42 read true write true"), "{:?}", k.log);
    assert_eq!(errno(open(&mut k, -1i64 as u64)), EBADF);
    k.put(HANDLE, &0u32.to_le_bytes());
    assert_eq!(errno(open(&mut k, AT_FDCWD)), EINVAL, "handle_bytes 0");
    k.put(HANDLE, &8u32.to_le_bytes());
    assert_eq!(errno(open(&mut k, AT_FDCWD)), ESTALE, "a handle this kernel did not make");
}

proptest! {
    /// Whatever is in the iocbs, submission answers and the context's
    /// books balance: what is in flight is what completed and was not reaped.
    #[test]
    fn any_iocb_is_answered(raw in proptest::collection::vec(any::<[u8; 64]>(), 1..6)) {
        let mut k = core();
        let ctx = setup(&mut k, 2);
        let cbs: Vec<Iocb> = raw.iter().map(|b| {
            let mut cb = Iocb::from_bytes(b).unwrap();
            // Keep buffers inside the fake memory half of the time.
            if cb.aio_data.is_multiple_of(2) {
                cb.aio_buf = BUF + cb.aio_buf % 0x800;
                cb.aio_nbytes %= 0x100;
                cb.aio_fildes %= 6;
                cb.aio_lio_opcode %= 9;
            }
            cb
        }).collect();
        put_iocbs(&mut k, &cbs);
        let r = k.syscall(IO_SUBMIT, [ctx, cbs.len() as u64, LIST, 0, 0, 0]) as i64;
        prop_assert!(r >= -4095 && r <= cbs.len() as i64);
        let s = &k.aio[0];
        prop_assert_eq!(s.in_flight as usize, s.done.len() + s.waiting.len());
    }
}
