//! poll, ppoll, select, pselect6 and the epoll calls against the fake
//! core: pollfd arrays and fd_sets in and out, timeouts (ms, timeval,
//! timespec) turned into the core's nanoseconds and the time left written
//! back, temporary signal masks, struct epoll_event's packed x86_64
//! layout, and Linux's EINVAL/EFAULT rules.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{EventSetChange, Interest, PollEvents, Signal, SignalSet};

const POLL: u64 = 7;
const SELECT: u64 = 23;
const EPOLL_CREATE: u64 = 213;
const EPOLL_WAIT: u64 = 232;
const EPOLL_CTL: u64 = 233;
const PSELECT6: u64 = 270;
const PPOLL: u64 = 271;
const EPOLL_PWAIT: u64 = 281;
const EPOLL_CREATE1: u64 = 291;
const EPOLL_PWAIT2: u64 = 441;

const EBADF: i64 = 9;
const EFAULT: i64 = 14;
const EINVAL: i64 = 22;

const A: u64 = MEM_BASE;
const B: u64 = MEM_BASE + 0x200;
const C: u64 = MEM_BASE + 0x400;
const D: u64 = MEM_BASE + 0x600;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn pollfd(fd: i32, events: u16) -> Vec<u8> {
    [fd.to_le_bytes().to_vec(), events.to_le_bytes().to_vec(), vec![0xaa, 0xaa]].concat()
}

fn timespec(sec: i64, nsec: i64) -> Vec<u8> {
    [sec.to_le_bytes(), nsec.to_le_bytes()].concat()
}

fn u16_at(k: &FakeCore, addr: u64) -> u16 {
    u16::from_le_bytes(k.get(addr, 2).try_into().unwrap())
}

fn u64_at(k: &FakeCore, addr: u64) -> u64 {
    u64::from_le_bytes(k.get(addr, 8).try_into().unwrap())
}

fn ev(readable: bool, writable: bool) -> PollEvents {
    PollEvents { readable, writable, ..PollEvents::default() }
}

#[test]
fn poll_decodes_pollfds_and_writes_revents_as_linux() {
    let mut k = FakeCore::new();
    k.ipc_state.poll_ready = vec![
        (5, PollEvents { readable: true, writable: true, hang_up: true, ..PollEvents::default() }),
        (6, PollEvents { writable: true, priority: true, read_hang_up: true, ..PollEvents::default() }),
    ];
    // POLLIN|POLLRDNORM; POLLOUT|POLLRDHUP|POLLPRI; a negative fd; a closed fd.
    let fds = [pollfd(5, 0x41), pollfd(6, 0x2006), pollfd(-1, 0x1), pollfd(40, 0x1)].concat();
    k.put(A, &fds);
    assert_eq!(k.syscall(POLL, [A, 4, 250, 0, 0, 0]), 3, "fd 5, fd 6 and the closed one");
    assert_eq!(u16_at(&k, A + 6), 0x41 | 0x10, "POLLIN|POLLRDNORM as asked, POLLHUP always; no POLLOUT unasked");
    assert_eq!(u16_at(&k, A + 14), 0x2006, "POLLOUT, POLLPRI and POLLRDHUP, all asked for");
    assert_eq!(u16_at(&k, A + 22), 0, "a negative fd: revents 0");
    assert_eq!(u16_at(&k, A + 30), 0x20, "POLLNVAL");
    assert_eq!(k.get(A, 6), &fds[..6], "fd and events untouched");
    let (reqs, deadline) = &k.ipc_state.polls[0];
    assert_eq!(*deadline, Some(250_000_000), "ms to ns");
    assert_eq!(reqs[0], (5, ev(true, false)));
    assert_eq!(
        reqs[1],
        (6, PollEvents { writable: true, priority: true, read_hang_up: true, ..PollEvents::default() })
    );
    // A negative timeout waits forever; zero polls.
    k.syscall(POLL, [A, 1, (-1i64) as u64, 0, 0, 0]);
    k.syscall(POLL, [A, 1, 0, 0, 0, 0]);
    assert_eq!((k.ipc_state.polls[1].1, k.ipc_state.polls[2].1), (None, Some(0)));
    assert_eq!(errno(k.syscall(POLL, [A, 65537, 0, 0, 0, 0])), EINVAL, "more fds than allowed");
    assert_eq!(errno(k.syscall(POLL, [8, 1, 0, 0, 0, 0])), EFAULT);
    assert_eq!(k.ipc_state.polls.len(), 3);
}

#[test]
fn ppoll_takes_a_timespec_and_a_mask_and_writes_the_time_left() {
    let mut k = FakeCore::new();
    k.ipc_state.poll_ready = vec![(5, ev(true, false))];
    k.put(A, &pollfd(5, 1));
    k.put(B, &timespec(1, 5));
    k.put(C, &(1u64 << 1).to_le_bytes()); // SIGINT
    assert_eq!(k.syscall(PPOLL, [A, 1, B, C, 8, 0]), 1);
    assert_eq!(k.ipc_state.polls[0].1, Some(1_000_000_005));
    assert!(k.ipc_state.masks_seen[0].contains(Signal::INT), "the mask was in force during the wait");
    assert_eq!(k.signal_mask, SignalSet::EMPTY, "and the old one is back");
    assert_eq!(k.get(B, 16), &timespec(1, 5)[..], "no time passed on the fake clock: all of it left");
    // NULL timeout: forever, nothing written.
    assert_eq!(k.syscall(PPOLL, [A, 1, 0, 0, 0, 0]), 1);
    assert_eq!(k.ipc_state.polls[1].1, None);
    k.put(B, &timespec(0, 1_000_000_000));
    assert_eq!(errno(k.syscall(PPOLL, [A, 1, B, 0, 0, 0])), EINVAL, "tv_nsec out of range");
    k.put(B, &timespec(-1, 0));
    assert_eq!(errno(k.syscall(PPOLL, [A, 1, B, 0, 0, 0])), EINVAL, "negative seconds");
    assert_eq!(errno(k.syscall(PPOLL, [A, 1, 8, 0, 0, 0])), EFAULT, "timespec pointer");
    assert_eq!(errno(k.syscall(PPOLL, [A, 1, 0, 8, 8, 0])), EFAULT, "mask pointer");
    assert_eq!(errno(k.syscall(PPOLL, [A, 1, 0, C, 4, 0])), EINVAL, "sigsetsize other than 8");
    assert_eq!(k.ipc_state.polls.len(), 2);
}

/// An fd_set of 16 bytes (fds 0..128) with `fds` set.
fn fd_set(fds: &[usize]) -> Vec<u8> {
    let mut b = vec![0u8; 16];
    for &fd in fds {
        b[fd / 8] |= 1 << (fd % 8);
    }
    b
}

#[test]
fn select_turns_fd_sets_into_requests_and_back() {
    let mut k = FakeCore::new();
    k.ipc_state.poll_ready = vec![
        (5, ev(true, false)),
        (6, PollEvents { hang_up: true, ..PollEvents::default() }),
        (7, PollEvents { priority: true, ..PollEvents::default() }),
        (70, ev(false, true)),
    ];
    k.put(A, &fd_set(&[5, 6, 9]));
    k.put(B, &fd_set(&[5, 70]));
    k.put(C, &fd_set(&[7]));
    k.put(D, &[2i64.to_le_bytes(), 250_000i64.to_le_bytes()].concat());
    // fd 70 is past nfds for nothing: nfds 71 covers it. 70 is not open in the fake, but poll_ready answers it.
    assert_eq!(k.syscall(SELECT, [71, A, B, C, D, 0]), 4);
    assert_eq!(k.get(A, 16), &fd_set(&[5, 6])[..], "readable, and hang-up counts as readable");
    assert_eq!(k.get(B, 16), &fd_set(&[70])[..], "fd 5 is not writable");
    assert_eq!(k.get(C, 16), &fd_set(&[7])[..], "exceptfds: priority data (Linux's POLLEX_SET)");
    let (reqs, deadline) = &k.ipc_state.polls[0];
    assert_eq!(*deadline, Some(2_250_000_000), "timeval to ns");
    assert_eq!(reqs.iter().map(|r| r.0).collect::<Vec<_>>(), vec![5, 6, 7, 9, 70]);
    assert_eq!(reqs[0].1, ev(true, true));
    assert_eq!(reqs[2].1, PollEvents { priority: true, ..PollEvents::default() });
    assert_eq!(k.get(D, 16), &[2i64.to_le_bytes(), 250_000i64.to_le_bytes()].concat()[..], "time left");
    // Only the first nfds bits are read.
    k.put(A, &fd_set(&[5, 9]));
    assert_eq!(k.syscall(SELECT, [6, A, 0, 0, 0, 0]), 1);
    assert_eq!(k.ipc_state.polls[1].0.len(), 1);
    assert_eq!(k.ipc_state.polls[1].1, None, "NULL timeout: forever");
    k.put(A, &fd_set(&[40]));
    assert_eq!(errno(k.syscall(SELECT, [41, A, 0, 0, 0, 0])), EBADF, "a closed fd in a set");
    k.put(D, &[0i64.to_le_bytes(), 1_000_000i64.to_le_bytes()].concat());
    assert_eq!(errno(k.syscall(SELECT, [6, A, 0, 0, D, 0])), EINVAL, "tv_usec out of range");
    assert_eq!(errno(k.syscall(SELECT, [(-1i64) as u64, A, 0, 0, 0, 0])), EINVAL, "negative nfds");
    assert_eq!(errno(k.syscall(SELECT, [6, 8, 0, 0, 0, 0])), EFAULT);
}

/// nfds is not limited to FD_SETSIZE: it is cut down to the descriptor
/// table's size, and only that many bits are read and written back (the
/// rest of a bigger set is left alone, memory past it is not touched).
#[test]
fn select_past_fd_setsize() {
    let mut k = FakeCore::new();
    k.table_size = 2048;
    k.ipc_state.poll_ready = vec![(1500, ev(true, false))];
    // A 4096-bit set: fd 1500 and a bit past the table (3000).
    let mut set = vec![0u8; 512];
    set[1500 / 8] |= 1 << (1500 % 8);
    set[3000 / 8] |= 1 << (3000 % 8);
    k.put(A, &set);
    assert_eq!(k.syscall(SELECT, [4096, A, 0, 0, 0, 0]), 1);
    assert_eq!(k.ipc_state.polls[0].0.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1500], "3000 is past the table");
    assert_eq!(k.get(A, 512), &set[..], "1500 ready, 3000 left as it was");
    // nfds as large as an int goes: the same, with no more memory read.
    let end = MEM_BASE + k.mem.len() as u64;
    let tail = end - 256;
    k.put(tail, &set[..256]);
    assert_eq!(k.syscall(SELECT, [i32::MAX as u64, tail, 0, 0, 0, 0]), 1, "2048 bits read, not 2^31");
    assert_eq!(k.syscall(PSELECT6, [2049, tail, 0, 0, 0, 0]), 1);
    // Only the low 32 bits of nfds count; negative is EINVAL.
    assert_eq!(k.syscall(SELECT, [0xffff_ffff_0000_0000 | 4096, A, 0, 0, 0, 0]), 1, "upper half ignored");
    assert_eq!(errno(k.syscall(SELECT, [0x8000_0000, A, 0, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(PSELECT6, [(-5i64) as u64, A, 0, 0, 0, 0])), EINVAL);
    assert_eq!(k.syscall(SELECT, [0x1_0000_0000, A, 0, 0, 0, 0]), 0, "nfds 0");
}

#[test]
fn pselect6_reads_the_timespec_and_the_mask_pair() {
    let mut k = FakeCore::new();
    k.ipc_state.poll_ready = vec![(5, ev(true, false))];
    k.put(A, &fd_set(&[5]));
    k.put(B, &timespec(0, 7));
    k.put(C, &(1u64 << 9).to_le_bytes()); // SIGUSR1
    k.put(D, &[C.to_le_bytes(), 8u64.to_le_bytes()].concat());
    assert_eq!(k.syscall(PSELECT6, [6, A, 0, 0, B, D]), 1);
    assert_eq!(k.ipc_state.polls[0].1, Some(7));
    assert!(k.ipc_state.masks_seen[0].contains(Signal::USR1));
    assert_eq!(k.signal_mask, SignalSet::EMPTY);
    assert_eq!(k.get(B, 16), &timespec(0, 7)[..], "time left");
    // A NULL mask in the pair: no mask change.
    k.put(D, &[0u64.to_le_bytes(), 8u64.to_le_bytes()].concat());
    assert_eq!(k.syscall(PSELECT6, [6, A, 0, 0, 0, D]), 1);
    assert_eq!(k.ipc_state.masks_seen[1], SignalSet::EMPTY);
    k.put(D, &[C.to_le_bytes(), 16u64.to_le_bytes()].concat());
    assert_eq!(errno(k.syscall(PSELECT6, [6, A, 0, 0, 0, D])), EINVAL, "ss_len other than 8");
    k.put(B, &timespec(0, -1));
    assert_eq!(errno(k.syscall(PSELECT6, [6, A, 0, 0, B, 0])), EINVAL);
    assert_eq!(errno(k.syscall(PSELECT6, [6, A, 0, 0, 0, 8])), EFAULT, "the pair's pointer");
    assert_eq!(errno(k.syscall(PSELECT6, [6, A, 0, 0, B, 8])), EFAULT, "the pair is read before the timeout");
    k.put(B, &timespec(0, 5));
    k.put(D, &[C.to_le_bytes(), 16u64.to_le_bytes()].concat());
    assert_eq!(errno(k.syscall(PSELECT6, [6, A, 0, 0, 8, D])), EFAULT, "the timeout before ss_len is judged");
    assert_eq!(k.ipc_state.polls.len(), 2);
}

#[test]
fn epoll_create_and_create1_check_size_and_flags() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(EPOLL_CREATE, [1, 0, 0, 0, 0, 0]), 20);
    assert_eq!(k.syscall(EPOLL_CREATE1, [0o2000000, 0, 0, 0, 0, 0]), 21);
    assert_eq!(k.syscall(EPOLL_CREATE1, [0, 0, 0, 0, 0, 0]), 22);
    assert_eq!(k.ipc_state.event_sets, vec![(20, false), (21, true), (22, false)]);
    assert_eq!(errno(k.syscall(EPOLL_CREATE, [0, 0, 0, 0, 0, 0])), EINVAL, "size 0");
    assert_eq!(errno(k.syscall(EPOLL_CREATE, [(-1i64) as u64, 0, 0, 0, 0, 0])), EINVAL, "negative size");
    assert_eq!(errno(k.syscall(EPOLL_CREATE1, [0o4000, 0, 0, 0, 0, 0])), EINVAL, "O_NONBLOCK is no epoll flag");
    assert_eq!(k.ipc_state.event_sets.len(), 3);
}

/// A packed struct epoll_event: 4 bytes of events, 8 of data at offset 4.
fn epoll_event(events: u32, data: u64) -> Vec<u8> {
    [events.to_le_bytes().to_vec(), data.to_le_bytes().to_vec()].concat()
}

#[test]
fn epoll_ctl_reads_the_packed_event_and_maps_its_bits() {
    let mut k = FakeCore::new();
    k.put(A, &epoll_event(0x1 | 0x2000 | (1 << 31) | (1 << 30), 0x1122_3344_5566_7788));
    assert_eq!(k.syscall(EPOLL_CTL, [10, 1, 5, A, 0, 0]), 0);
    k.put(A, &epoll_event(0x4 | 0x10 | (1 << 28), 9));
    assert_eq!(k.syscall(EPOLL_CTL, [10, 1, 6, A, 0, 0]), 0);
    k.put(A, &epoll_event(0x100 | 0x2, 3));
    assert_eq!(k.syscall(EPOLL_CTL, [10, 3, 5, A, 0, 0]), 0);
    assert_eq!(k.syscall(EPOLL_CTL, [10, 2, 5, 0, 0, 0]), 0, "DEL reads no event");
    let c = &k.ipc_state.event_changes;
    assert_eq!(
        c[0],
        (
            10,
            EventSetChange::Add,
            5,
            Interest {
                events: PollEvents { readable: true, read_hang_up: true, ..PollEvents::default() },
                data: 0x1122_3344_5566_7788,
                one_shot: true,
                edge_triggered: true,
                exclusive: false,
                filter: 0,
            }
        )
    );
    assert_eq!(c[1].3.events, ev(false, true), "EPOLLHUP is always reported, not asked for");
    assert!(c[1].3.exclusive && c[1].3.data == 9);
    let wrnorm_pri = PollEvents { writable: true, priority: true, ..PollEvents::default() };
    assert_eq!((c[2].1, c[2].3.events, c[2].3.data), (EventSetChange::Modify, wrnorm_pri, 3), "EPOLLWRNORM|EPOLLPRI");
    assert_eq!((c[3].1, c[3].3), (EventSetChange::Delete, Interest::default()));
    assert_eq!(errno(k.syscall(EPOLL_CTL, [10, 4, 5, A, 0, 0])), EINVAL, "an unknown op");
    assert_eq!(errno(k.syscall(EPOLL_CTL, [10, 1, 5, 8, 0, 0])), EFAULT, "the event pointer");
    k.put(A, &epoll_event(0x1 | (1 << 28), 0));
    assert_eq!(errno(k.syscall(EPOLL_CTL, [10, 3, 5, A, 0, 0])), EINVAL, "EPOLLEXCLUSIVE with MOD");
    k.put(A, &epoll_event(0x1 | (1 << 28) | (1 << 30), 0));
    assert_eq!(errno(k.syscall(EPOLL_CTL, [10, 1, 5, A, 0, 0])), EINVAL, "EPOLLEXCLUSIVE with EPOLLONESHOT");
    k.put(A, &epoll_event(0x2 | (1 << 28), 0));
    assert_eq!(errno(k.syscall(EPOLL_CTL, [10, 1, 5, A, 0, 0])), EINVAL, "EPOLLEXCLUSIVE with EPOLLPRI");
    k.put(A, &epoll_event(0x1, 0));
    assert_eq!(errno(k.syscall(EPOLL_CTL, [40, 1, 5, A, 0, 0])), EBADF, "the core's EBADF comes through");
    assert_eq!(k.ipc_state.event_changes.len(), 4);
}

#[test]
fn epoll_wait_writes_packed_events_and_checks_maxevents() {
    let mut k = FakeCore::new();
    k.ipc_state.ready = vec![
        (PollEvents { readable: true, hang_up: true, ..PollEvents::default() }, 0xdead_beef_0000_0001),
        (PollEvents { writable: true, error: true, read_hang_up: true, ..PollEvents::default() }, 2),
        (PollEvents { readable: true, priority: true, ..PollEvents::default() }, 3),
    ];
    k.put(A, &[0xcc; 48]);
    assert_eq!(k.syscall(EPOLL_WAIT, [10, A, 2, 100, 0, 0]), 2);
    assert_eq!(k.get(A, 12), &epoll_event(0x1 | 0x10, 0xdead_beef_0000_0001)[..]);
    assert_eq!(k.get(A + 12, 12), &epoll_event(0x4 | 0x8 | 0x2000, 2)[..], "12 bytes apart: packed");
    assert_eq!(k.get(A + 24, 4), &[0xcc; 4], "nothing past the events returned");
    assert_eq!(k.ipc_state.event_waits[0], (10, 2, Some(100_000_000)));
    assert_eq!(k.syscall(EPOLL_WAIT, [10, A, 8, (-1i64) as u64, 0, 0]), 3);
    assert_eq!(k.get(A + 24, 12), &epoll_event(0x1 | 0x2, 3)[..], "EPOLLPRI reported");
    assert_eq!(k.ipc_state.event_waits[1], (10, 8, None));
    assert_eq!(errno(k.syscall(EPOLL_WAIT, [10, A, 0, 0, 0, 0])), EINVAL, "maxevents 0");
    assert_eq!(errno(k.syscall(EPOLL_WAIT, [10, A, (-1i64) as u64, 0, 0, 0])), EINVAL, "negative maxevents");
    assert_eq!(errno(k.syscall(EPOLL_WAIT, [10, A, 0x1000_0000, 0, 0, 0])), EINVAL, "past INT_MAX / 12");
    assert_eq!(errno(k.syscall(EPOLL_WAIT, [10, 8, 1, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(EPOLL_WAIT, [40, A, 1, 0, 0, 0])), EBADF);
}

#[test]
fn epoll_pwait_and_pwait2_install_the_mask_and_decode_their_timeouts() {
    let mut k = FakeCore::new();
    k.ipc_state.ready = vec![(ev(true, false), 7)];
    k.put(C, &(1u64 << 14).to_le_bytes()); // SIGTERM
    assert_eq!(k.syscall(EPOLL_PWAIT, [10, A, 4, 5, C, 8]), 1);
    assert_eq!(k.ipc_state.event_waits[0], (10, 4, Some(5_000_000)));
    assert!(k.ipc_state.masks_seen[0].contains(Signal::TERM));
    assert_eq!(k.signal_mask, SignalSet::EMPTY);
    assert_eq!(k.get(A, 12), &epoll_event(1, 7)[..]);
    assert_eq!(errno(k.syscall(EPOLL_PWAIT, [10, A, 4, 5, C, 16])), EINVAL, "sigsetsize 16");
    assert_eq!(k.syscall(EPOLL_PWAIT, [10, A, 4, 5, 0, 16]), 1, "no mask: the size is not looked at");

    k.put(B, &timespec(3, 4));
    assert_eq!(k.syscall(EPOLL_PWAIT2, [10, A, 4, B, C, 8]), 1);
    assert_eq!(k.ipc_state.event_waits[2], (10, 4, Some(3_000_000_004)));
    assert_eq!(k.syscall(EPOLL_PWAIT2, [10, A, 4, 0, 0, 0]), 1);
    assert_eq!(k.ipc_state.event_waits[3], (10, 4, None), "NULL timespec: forever");
    k.put(B, &timespec(0, 1_000_000_000));
    assert_eq!(errno(k.syscall(EPOLL_PWAIT2, [10, A, 0, B, 0, 0])), EINVAL, "bad timespec");
    assert_eq!(errno(k.syscall(EPOLL_PWAIT2, [10, A, 4, 8, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(EPOLL_PWAIT2, [10, A, 4, 0, C, 4])), EINVAL, "sigsetsize 4");
    assert_eq!(k.ipc_state.event_waits.len(), 4);
    let _ = u64_at(&k, A);
}

#[test]
fn epoll_wait_past_the_stack_buffer_takes_one_look_and_writes_every_event() {
    let mut k = FakeCore::new();
    k.ipc_state.ready = (0..70).map(|i| (ev(i % 2 == 0, i % 2 == 1), i as u64)).collect();
    assert_eq!(k.syscall(EPOLL_WAIT, [10, A, 100, 0, 0, 0]), 70);
    assert_eq!(k.ipc_state.event_waits.len(), 1, "one look at the set: no event reported twice");
    assert_eq!(k.ipc_state.event_waits[0], (10, 100, Some(0)));
    for i in 0..70u64 {
        let bits = if i % 2 == 0 { 0x1 } else { 0x4 };
        assert_eq!(k.get(A + 12 * i, 12), &epoll_event(bits, i)[..], "event {i}");
    }
    // A huge maxevents is served with a bounded buffer.
    assert_eq!(k.syscall(EPOLL_WAIT, [10, A, 1_000_000, 0, 0, 0]), 70);
    assert_eq!(k.ipc_state.event_waits[1], (10, 4096, Some(0)));
}
