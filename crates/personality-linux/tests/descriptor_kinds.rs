//! signalfd, timerfd and inotify against the fake core: argument decoding,
//! errno rules, and the records the Linux formats lay out.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{Clock, Signal, SignalCause, SignalInfo, WatchEvents, WatchRecord};
use linux_abi::inotify::*;
use linux_abi::signalfd::SignalfdSiginfo;
use proptest::prelude::*;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

const EINVAL: i64 = 22;
const EBADF: i64 = 9;
const EFAULT: i64 = 14;
const EPERM: i64 = 1;

const SIGNALFD: u64 = 282;
const SIGNALFD4: u64 = 289;
const TIMERFD_CREATE: u64 = 283;
const TIMERFD_SETTIME: u64 = 286;
const TIMERFD_GETTIME: u64 = 287;
const INOTIFY_INIT: u64 = 253;
const INOTIFY_ADD_WATCH: u64 = 254;
const INOTIFY_RM_WATCH: u64 = 255;
const INOTIFY_INIT1: u64 = 294;

const O_CLOEXEC: u64 = 0o2000000;
const O_NONBLOCK: u64 = 0o4000;

// ---- signalfd ----

fn put_mask(k: &mut FakeCore, mask: u64) -> u64 {
    k.put(MEM_BASE, &mask.to_le_bytes());
    MEM_BASE
}

#[test]
fn signalfd4_creates_a_reader_with_its_flags() {
    let mut k = FakeCore::new();
    let mask = (1 << 9) | (1 << 16) | (1 << 18); // KILL, CHLD, STOP (bits are signal - 1)
    let m = put_mask(&mut k, mask);
    let fd = k.syscall(SIGNALFD4, [u64::MAX, m, 8, O_CLOEXEC | O_NONBLOCK, 0, 0]);
    assert_eq!(fd, 20);
    let (_, got, flags, _) = k.signal_readers[0];
    assert_eq!(got, kernel_ops::SignalSet(mask), "the core drops KILL and STOP itself");
    assert!(flags.close_on_exec && flags.non_blocking);
    let fd = k.syscall(SIGNALFD, [u64::MAX, m, 8, O_CLOEXEC, 0, 0]);
    assert_eq!(fd, 21);
    assert!(!k.signal_readers[1].2.close_on_exec, "signalfd (no 4) has no flags argument");
}

#[test]
fn signalfd4_argument_errors_are_linuxs() {
    let mut k = FakeCore::new();
    let m = put_mask(&mut k, 1);
    assert_eq!(errno(k.syscall(SIGNALFD4, [u64::MAX, m, 16, 0, 0, 0])), EINVAL, "sizemask must be 8");
    assert_eq!(errno(k.syscall(SIGNALFD4, [u64::MAX, m, 4, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(SIGNALFD4, [u64::MAX, m, 8, 1, 0, 0])), EINVAL, "unknown flag");
    assert_eq!(errno(k.syscall(SIGNALFD4, [u64::MAX, 0xdead_0000, 8, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(SIGNALFD4, [50, m, 8, 0, 0, 0])), EBADF, "an fd that is not open");
    assert_eq!(errno(k.syscall(SIGNALFD4, [5, m, 8, 0, 0, 0])), EINVAL, "an open fd that is not a signalfd");
    assert!(k.signal_readers.is_empty());
}

#[test]
fn signalfd4_on_an_existing_reader_replaces_its_mask() {
    let mut k = FakeCore::new();
    let m = put_mask(&mut k, 1 << 9);
    let fd = k.syscall(SIGNALFD4, [u64::MAX, m, 8, 0, 0, 0]);
    let m = put_mask(&mut k, 1 << 1);
    assert_eq!(k.syscall(SIGNALFD4, [fd, m, 8, O_NONBLOCK, 0, 0]), fd, "returns the same descriptor");
    assert_eq!(k.signal_readers.len(), 1);
    assert_eq!(k.signal_readers[0].1, kernel_ops::SignalSet(1 << 1));
}

fn record(k: &mut FakeCore, info: SignalInfo) -> SignalfdSiginfo {
    let m = put_mask(k, u64::MAX);
    k.syscall(SIGNALFD4, [u64::MAX, m, 8, 0, 0, 0]);
    let format = k.signal_readers.last().unwrap().3;
    assert_eq!(format.size(), 128);
    let mut b = vec![0xaau8; 128];
    format.encode(&info, &mut b);
    assert!(b[100..].iter().all(|&x| x == 0), "the tail is zero padding");
    SignalfdSiginfo::from_bytes(&b).unwrap()
}

#[test]
fn records_are_signalfd_siginfo() {
    let mut k = FakeCore::new();
    let r = record(&mut k, SignalInfo { signal: Signal::USR1, cause: SignalCause::User { pid: 42, uid: 7 } });
    assert_eq!((r.signo, r.code, r.pid, r.uid), (10, 0, 42, 7), "kill: SI_USER with the sender");
    let r = record(
        &mut k,
        SignalInfo { signal: Signal::USR2, cause: SignalCause::Queued { pid: 3, uid: 0, value: 0x5_0000_0009 } },
    );
    assert_eq!(
        (r.signo, r.code, r.pid, r.int, r.ptr),
        (12, -1, 3, 9, 0x5_0000_0009),
        "sigqueue: SI_QUEUE, ssi_int and ssi_ptr"
    );
    let r = record(
        &mut k,
        SignalInfo {
            signal: Signal::CHLD,
            cause: SignalCause::Child { pid: 99, uid: 0, status: kernel_ops::ChildStatus::Exited(4) },
        },
    );
    assert_eq!((r.signo, r.code, r.pid, r.status), (17, 1, 99, 4), "SIGCHLD: CLD_EXITED with the status");
    let r = record(&mut k, SignalInfo { signal: Signal::INT, cause: SignalCause::UserThread { pid: 5, uid: 1 } });
    assert_eq!((r.code, r.pid), (-6, 5), "tgkill: SI_TKILL");
}

// ---- timerfd ----

#[test]
fn timerfd_create_takes_three_clocks_and_two_flags() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(TIMERFD_CREATE, [1, O_NONBLOCK, 0, 0, 0, 0]), 20);
    assert_eq!(k.syscall(TIMERFD_CREATE, [0, O_CLOEXEC, 0, 0, 0, 0]), 21);
    assert_eq!(k.syscall(TIMERFD_CREATE, [7, 0, 0, 0, 0, 0]), 22);
    let clocks: Vec<Clock> = k.timer_files.iter().map(|t| t.1).collect();
    assert_eq!(clocks, [Clock::Monotonic, Clock::Realtime, Clock::Boottime]);
    assert!(k.timer_files[0].2.non_blocking && !k.timer_files[0].2.close_on_exec);
    assert!(k.timer_files[1].2.close_on_exec);
    for clock in [2u64, 3, 4, 5, 6, 11, 12, u64::MAX] {
        assert_eq!(errno(k.syscall(TIMERFD_CREATE, [clock, 0, 0, 0, 0, 0])), EINVAL, "clock {clock}");
    }
    assert_eq!(errno(k.syscall(TIMERFD_CREATE, [1, 1, 0, 0, 0, 0])), EINVAL, "unknown flag");
    assert_eq!(
        errno(k.syscall(TIMERFD_CREATE, [8, 0, 0, 0, 0, 0])),
        EPERM,
        "REALTIME_ALARM needs CAP_WAKE_ALARM (the fake caller is uid 1000)"
    );
    assert_eq!(errno(k.syscall(TIMERFD_CREATE, [9, 0, 0, 0, 0, 0])), EPERM);
}

fn itimerspec(k: &mut FakeCore, at: u64, interval: (i64, i64), value: (i64, i64)) -> u64 {
    let mut b = Vec::new();
    for v in [interval.0, interval.1, value.0, value.1] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    k.put(at, &b);
    at
}

#[test]
fn timerfd_settime_decodes_value_interval_and_abstime() {
    let mut k = FakeCore::new();
    let fd = k.syscall(TIMERFD_CREATE, [1, 0, 0, 0, 0, 0]);
    let new = itimerspec(&mut k, MEM_BASE, (0, 250_000_000), (2, 5));
    assert_eq!(k.syscall(TIMERFD_SETTIME, [fd, 1, new, 0, 0, 0]), 0);
    assert_eq!(k.timer_settings[0], (fd as i32, 2_000_000_005, 250_000_000, true));
    let old = MEM_BASE + 0x100;
    assert_eq!(k.syscall(TIMERFD_SETTIME, [fd, 0, new, old, 0, 0]), 0);
    assert!(!k.timer_settings[1].3, "relative");
    let b = k.get(old, 32).to_vec();
    let word = |i: usize| i64::from_le_bytes(b[i * 8..i * 8 + 8].try_into().unwrap());
    assert_eq!(
        (word(0), word(1), word(2), word(3)),
        (0, 250_000_000, 2, 5),
        "the old setting: interval first, then value"
    );
    assert_eq!(k.syscall(TIMERFD_GETTIME, [fd, old, 0, 0, 0, 0]), 0);
}

#[test]
fn timerfd_settime_errors_are_linuxs() {
    let mut k = FakeCore::new();
    let fd = k.syscall(TIMERFD_CREATE, [1, 0, 0, 0, 0, 0]);
    let bad_ns = itimerspec(&mut k, MEM_BASE, (0, 0), (0, 1_000_000_000));
    assert_eq!(errno(k.syscall(TIMERFD_SETTIME, [fd, 0, bad_ns, 0, 0, 0])), EINVAL, "tv_nsec past a second");
    let negative = itimerspec(&mut k, MEM_BASE, (-1, 0), (1, 0));
    assert_eq!(errno(k.syscall(TIMERFD_SETTIME, [fd, 0, negative, 0, 0, 0])), EINVAL, "negative interval");
    let ok = itimerspec(&mut k, MEM_BASE, (0, 0), (1, 0));
    assert_eq!(errno(k.syscall(TIMERFD_SETTIME, [fd, 4, ok, 0, 0, 0])), EINVAL, "unknown flag");
    assert_eq!(errno(k.syscall(TIMERFD_SETTIME, [fd, 0, 0xdead_0000, 0, 0, 0])), EFAULT);
    assert_eq!(errno(k.syscall(TIMERFD_SETTIME, [5, 0, ok, 0, 0, 0])), EINVAL, "not a timerfd");
    assert_eq!(errno(k.syscall(TIMERFD_SETTIME, [60, 0, ok, 0, 0, 0])), EBADF);
    assert_eq!(errno(k.syscall(TIMERFD_GETTIME, [5, MEM_BASE, 0, 0, 0, 0])), EINVAL);
    assert!(k.timer_settings.is_empty());
    // A far-future time saturates instead of failing.
    let far = itimerspec(&mut k, MEM_BASE, (0, 0), (i64::MAX, 0));
    assert_eq!(k.syscall(TIMERFD_SETTIME, [fd, 0, far, 0, 0, 0]), 0);
    assert_eq!(k.timer_settings[0].1, u64::MAX);
}

// ---- inotify ----

#[test]
fn inotify_init1_flags() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(INOTIFY_INIT1, [O_NONBLOCK | O_CLOEXEC, 0, 0, 0, 0, 0]), 20);
    assert_eq!(k.syscall(INOTIFY_INIT, [0xffff, 0, 0, 0, 0, 0]), 21, "inotify_init ignores its registers");
    assert!(k.watch_queues[0].1.non_blocking && k.watch_queues[0].1.close_on_exec);
    assert!(!k.watch_queues[1].1.non_blocking);
    assert_eq!(errno(k.syscall(INOTIFY_INIT1, [1, 0, 0, 0, 0, 0])), EINVAL);
}

fn add(k: &mut FakeCore, queue: u64, path: &[u8], mask: u32) -> u64 {
    let mut p = path.to_vec();
    p.push(0);
    k.put(MEM_BASE, &p);
    k.syscall(INOTIFY_ADD_WATCH, [queue, MEM_BASE, u64::from(mask), 0, 0, 0])
}

#[test]
fn inotify_add_watch_translates_events_and_flags() {
    let mut k = FakeCore::new();
    let q = k.syscall(INOTIFY_INIT1, [0, 0, 0, 0, 0, 0]);
    assert_eq!(add(&mut k, q, b"/tmp/d", IN_CREATE | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW | IN_MASK_ADD), 1);
    let (fd, path, events, o) = k.watches[0].clone();
    assert_eq!((fd, &path[..]), (q as i32, &b"/tmp/d"[..]));
    assert_eq!(events, WatchEvents::CREATED | WatchEvents::MOVED_TO);
    assert!(o.only_dir && !o.follow && o.add_to_existing && !o.must_be_new && !o.one_shot);
    assert_eq!(add(&mut k, q, b"f", IN_ALL_EVENTS | IN_ONESHOT | IN_MASK_CREATE | IN_EXCL_UNLINK), 2);
    let (_, _, events, o) = k.watches[1].clone();
    assert_eq!(events, WatchEvents::ALL);
    assert!(o.follow && o.one_shot && o.must_be_new && o.exclude_unlinked);
}

#[test]
fn inotify_add_watch_errors_are_linuxs() {
    let mut k = FakeCore::new();
    let q = k.syscall(INOTIFY_INIT1, [0, 0, 0, 0, 0, 0]);
    assert_eq!(errno(add(&mut k, q, b"/", 0)), EINVAL, "no event at all");
    assert_eq!(
        errno(add(&mut k, q, b"/", IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE)),
        EINVAL,
        "MASK_ADD with MASK_CREATE"
    );
    assert_eq!(errno(add(&mut k, 60, b"/", IN_MODIFY)), EBADF);
    assert_eq!(errno(add(&mut k, 5, b"/", IN_MODIFY)), EINVAL, "not an inotify descriptor");
    assert_eq!(errno(k.syscall(INOTIFY_ADD_WATCH, [q, 0, u64::from(IN_MODIFY), 0, 0, 0])), EFAULT);
    assert!(k.watches.is_empty());
    assert_eq!(k.syscall(INOTIFY_RM_WATCH, [q, 7, 0, 0, 0, 0]), 0);
    assert_eq!(k.removed_watches, [(q as i32, 7)]);
}

fn encode(k: &mut FakeCore, record: WatchRecord<'_>) -> Vec<u8> {
    let q = k.syscall(INOTIFY_INIT1, [0, 0, 0, 0, 0, 0]);
    let format = k.watch_queues.iter().find(|w| w.0 == q as i32).unwrap().2;
    let mut b = vec![0xaau8; format.size(&record)];
    format.encode(&record, &mut b);
    b
}

#[test]
fn event_records_are_inotify_events_with_padded_names() {
    let mut k = FakeCore::new();
    let b = encode(
        &mut k,
        WatchRecord { watch: 3, events: WatchEvents::CREATED | WatchEvents::IS_DIR, cookie: 0, name: Some(b"sub") },
    );
    assert_eq!(b.len(), 32);
    assert_eq!(
        InotifyEvent::from_bytes(&b),
        Some(InotifyEvent { wd: 3, mask: IN_CREATE | IN_ISDIR, cookie: 0, len: 16 })
    );
    assert_eq!(&b[16..20], b"sub\0");
    assert!(b[19..].iter().all(|&x| x == 0));
    let b =
        encode(&mut k, WatchRecord { watch: 1, events: WatchEvents::MOVED_FROM, cookie: 77, name: Some(&[b'x'; 16]) });
    assert_eq!(b.len(), 48, "16 bytes of name need a second 16 for the NUL");
    let b = encode(&mut k, WatchRecord { watch: -1, events: WatchEvents::OVERFLOW, cookie: 0, name: None });
    assert_eq!(InotifyEvent::from_bytes(&b), Some(InotifyEvent { wd: -1, mask: IN_Q_OVERFLOW, cookie: 0, len: 0 }));
    assert_eq!(b.len(), 16);
    let b = encode(&mut k, WatchRecord { watch: 2, events: WatchEvents::IGNORED, cookie: 0, name: None });
    assert_eq!(InotifyEvent::from_bytes(&b).unwrap().mask, IN_IGNORED);
}

proptest! {
    /// Every Linux event bit has exactly one core event, and back.
    #[test]
    fn event_bits_round_trip(mask: u32) {
        let mut k = FakeCore::new();
        let record = WatchRecord { watch: 1, events: personality_events(mask), cookie: 0, name: None };
        let b = encode(&mut k, record);
        let known = IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ISDIR;
        prop_assert_eq!(InotifyEvent::from_bytes(&b).unwrap().mask, mask & known);
    }
}

/// What add_watch hands the core for a mask's event bits, read back from
/// the fake core (the reported-only bits are mapped by hand: a watch never
/// asks for them).
fn personality_events(mask: u32) -> WatchEvents {
    let mut k = FakeCore::new();
    let q = k.syscall(INOTIFY_INIT1, [0, 0, 0, 0, 0, 0]);
    let mut events = WatchEvents::default();
    if mask & IN_ALL_EVENTS != 0 {
        add(&mut k, q, b"/", mask & IN_ALL_EVENTS);
        events = k.watches[0].2;
    }
    for (bit, e) in [
        (IN_UNMOUNT, WatchEvents::UNMOUNTED),
        (IN_Q_OVERFLOW, WatchEvents::OVERFLOW),
        (IN_IGNORED, WatchEvents::IGNORED),
        (IN_ISDIR, WatchEvents::IS_DIR),
    ] {
        if mask & bit != 0 {
            events = events | e;
        }
    }
    events
}

const PIDFD_OPEN: u64 = 434;
const PIDFD_SEND_SIGNAL: u64 = 424;

#[test]
fn pidfd_open_checks_its_arguments_as_linux() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(PIDFD_OPEN, [0, 0, 0, 0, 0, 0])), EINVAL, "pid 0");
    assert_eq!(errno(k.syscall(PIDFD_OPEN, [u64::MAX, 0, 0, 0, 0, 0])), EINVAL, "pid -1");
    assert_eq!(errno(k.syscall(PIDFD_OPEN, [5, 1, 0, 0, 0, 0])), EINVAL, "an unknown flag");
    assert!(k.process_handles.is_empty());
    assert_eq!(k.syscall(PIDFD_OPEN, [5, O_NONBLOCK, 0, 0, 0, 0]), 30);
    assert_eq!(k.process_handles, vec![(5, true)]);
}

#[test]
fn pidfd_send_signal_checks_descriptor_then_siginfo_then_signal() {
    let mut k = FakeCore::new();
    assert_eq!(
        errno(k.syscall(PIDFD_SEND_SIGNAL, [30, 2, 0, 1, 0, 0])),
        EINVAL,
        "PIDFD_SIGNAL_THREAD is not supported"
    );
    assert_eq!(errno(k.syscall(PIDFD_SEND_SIGNAL, [30, 2, 0, 0x100, 0, 0])), EINVAL, "an unknown flag");
    assert_eq!(errno(k.syscall(PIDFD_SEND_SIGNAL, [5, 2, 0, 0, 0, 0])), EBADF, "not a process descriptor");
    assert_eq!(errno(k.syscall(PIDFD_SEND_SIGNAL, [30, 2, 0xdead_0000, 0, 0, 0])), EFAULT, "siginfo unreadable");
    // si_signo 3 for signal 2: EINVAL.
    let mut info = [0u8; 128];
    info[0..4].copy_from_slice(&3i32.to_ne_bytes());
    k.put(MEM_BASE, &info);
    assert_eq!(errno(k.syscall(PIDFD_SEND_SIGNAL, [30, 2, MEM_BASE, 0, 0, 0])), EINVAL, "si_signo differs");
    // A kernel si_code (>= 0) forged for another process: EPERM.
    info[0..4].copy_from_slice(&2i32.to_ne_bytes());
    info[8..12].copy_from_slice(&0i32.to_ne_bytes());
    k.put(MEM_BASE, &info);
    assert_eq!(errno(k.syscall(PIDFD_SEND_SIGNAL, [30, 2, MEM_BASE, 0, 0, 0])), EPERM, "forged si_code");
    assert_eq!(errno(k.syscall(PIDFD_SEND_SIGNAL, [30, 65, 0, 0, 0, 0])), EINVAL, "no signal 65");
    let sent_before = k.handle_signals.iter().filter(|s| s.is_some()).count();
    assert_eq!(sent_before, 0, "nothing sent by a refused call");
    assert_eq!(k.syscall(PIDFD_SEND_SIGNAL, [30, 2, 0, 0, 0, 0]), 0);
    assert_eq!(k.handle_signals.last(), Some(&Some(Signal::new(2).unwrap())));
    assert_eq!(k.syscall(PIDFD_SEND_SIGNAL, [30, 0, 0, 0, 0, 0]), 0, "signal 0 only checks");
}
