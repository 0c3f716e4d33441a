//! The test of native sockets (`cargo xtask test --only native`,
//! `user/manifests/sockets.manifest`): native programs reach the TCP/IP
//! server over `protocols::sockets` with `netclient`.
//!
//! Argument 0 (the test, its exit status the machine's):
//! - the protocol's edges: an attach without a task capability is
//!   MALFORMED, a request on the shared endpoint NOT_ATTACHED, a request
//!   longer than the buffer MALFORMED, calls without their capability,
//!   an unknown label, and 300 random requests, each answered;
//! - TCP over 127.0.0.1 between two threads, each attached on its own:
//!   1 MiB one way, checked byte by byte, and a digest back;
//! - isolation: the second thread's requests naming the first one's
//!   listener and connection, or a forged handle, are BadHandle, and the
//!   first one's sockets still work afterwards;
//! - UDP: datagram boundaries, the sender's address, truncation;
//! - a client's end: task `sockorphan` (this program, argument 1)
//!   listens on `ORPHAN_PORT`, signals the notification, and ends without
//!   detaching; its listener must be gone (the port free to bind) within
//!   3 s.
//!
//! Argument 2 (`native-abi::native-and-linux`, xtask/src/native_net_tests.rs,
//! in a Linux boot): answers the line busybox `nc` sends to
//! 127.0.0.1:7002 with `native got: <line>`, then sends `hello from
//! native` to busybox `nc -l` on 7003; prints `sockcheck: linux ok`.
//!
//! Prints `sockcheck: ok <checks> checks` and exits 0, or names the first
//! failed check and exits 1.

#![no_std]
#![no_main]

extern crate alloc;

use abi::{CapType, MsgInfo, Rights};
use core::sync::atomic::{AtomicU64, Ordering};
use netclient::{Address, Error, Family, Kind, Net, NetError, Socket};
use protocols::sockets as proto;
use rt::{println, sys};

rt::entry!(main);

const ORPHAN_PORT: u16 = 7001;
const TOTAL: usize = 1 << 20;

static CHECKS: AtomicU64 = AtomicU64::new(0);
/// The first thread's listener and connection, for the second to try.
static LISTENER: AtomicU64 = AtomicU64::new(0);
static PORT: AtomicU64 = AtomicU64::new(0);

fn lo(port: u16) -> Address {
    Address::V4 { addr: [127, 0, 0, 1], port }
}

macro_rules! check {
    ($cond:expr, $($what:tt)*) => {
        if $cond {
            CHECKS.fetch_add(1, Ordering::Relaxed);
        } else {
            println!("sockcheck: FAIL {}", alloc::format!($($what)*));
            return 1;
        }
    };
}

/// The byte at `i` of the 1 MiB stream.
fn pattern(i: usize) -> u8 {
    (i as u64).wrapping_mul(0x9e37_79b9).wrapping_shr(7) as u8 ^ (i >> 12) as u8
}

fn fnv(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// A capability of `cap_type` with `rights`, by type among the grants.
fn find(cap_type: CapType, rights: Rights) -> Option<u64> {
    (abi::FIRST_GRANTED_SLOT..abi::FIRST_GRANTED_SLOT + abi::MAX_SPAWN_CAPS as u64)
        .find(|&s| sys::cap_info(s).is_ok_and(|i| i.cap_type == cap_type && i.rights.contains(rights)))
}

fn main(arg: u64) -> i32 {
    let Some(endpoint) = netclient::find_endpoint() else {
        println!("sockcheck: FAIL no sockets endpoint granted");
        return 1;
    };
    if arg == 1 {
        return orphan(endpoint);
    }
    if arg == 2 {
        return with_linux(endpoint);
    }
    let code = test(endpoint);
    if code == 0 {
        println!("sockcheck: ok {} checks", CHECKS.load(Ordering::Relaxed));
    }
    code
}

/// Listens, tells the test, and ends without detaching: the server must
/// notice the end and close the listener.
fn orphan(endpoint: u64) -> i32 {
    let Some(ready) = find(CapType::Notification, Rights::WRITE) else { return 1 };
    let Ok(mut net) = Net::attach(endpoint) else { return 1 };
    if net.tcp_listen(lo(ORPHAN_PORT), 4).is_err() {
        return 1;
    }
    let _ = sys::notify_signal(ready, 1);
    // No detach: as a crash would.
    core::mem::forget(net);
    0
}

fn test(endpoint: u64) -> i32 {
    // An attach without a task is refused; a request on the shared
    // endpoint reaches no client.
    let m = sys::ipc_call(endpoint, MsgInfo::new(proto::ATTACH), [0; 4]);
    check!(m.is_ok_and(|m| m.info.label() == proto::MALFORMED), "attach without a task is MALFORMED");
    let m = sys::ipc_call(endpoint, MsgInfo::new(proto::REQUEST), [8, 0, 0, 0]);
    check!(m.is_ok_and(|m| m.info.label() == proto::NOT_ATTACHED), "a request on the shared endpoint");

    let mut net = match Net::attach(endpoint) {
        Ok(n) => n,
        Err(e) => {
            println!("sockcheck: FAIL attach: {e:?}");
            return 1;
        }
    };
    let m = net.raw_call(proto::REQUEST, [1 << 40, 0, 0, 0]);
    check!(m.is_ok_and(|m| m.info.label() == proto::MALFORMED), "a request longer than the buffer");
    if hostile(&mut net) != 0 {
        return 1;
    }

    // TCP between two threads.
    let listener = match net.tcp_listen(lo(0), 8) {
        Ok(l) => l,
        Err(e) => {
            println!("sockcheck: FAIL listen: {e:?}");
            return 1;
        }
    };
    let port = match net.local_address(listener) {
        Ok(a) => a.port(),
        Err(e) => {
            println!("sockcheck: FAIL local address: {e:?}");
            return 1;
        }
    };
    check!(port != 0, "the listener has a port");
    LISTENER.store(listener.0, Ordering::Release);
    PORT.store(u64::from(port), Ordering::Release);
    let Ok(thread) = rt::thread::spawn(sender, 0) else {
        println!("sockcheck: FAIL cannot start the sender");
        return 1;
    };
    let (conn, peer) = match net.accept(listener) {
        Ok(c) => c,
        Err(e) => {
            println!("sockcheck: FAIL accept: {e:?}");
            return 1;
        }
    };
    check!(matches!(peer, Address::V4 { addr: [127, 0, 0, 1], .. }), "the peer is 127.0.0.1: {peer:?}");
    let mut buf = alloc::vec![0u8; 70000];
    let mut got = 0usize;
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    loop {
        let n = match net.recv(conn, &mut buf) {
            Ok(n) => n,
            Err(e) => {
                println!("sockcheck: FAIL recv after {got} bytes: {e:?}");
                return 1;
            }
        };
        if n == 0 {
            break;
        }
        if let Some(bad) = (0..n).find(|&i| buf[i] != pattern(got + i)) {
            println!("sockcheck: FAIL byte {} is {:#x}, not {:#x}", got + bad, buf[bad], pattern(got + bad));
            return 1;
        }
        hash = fnv(hash, &buf[..n]);
        got += n;
    }
    check!(got == TOTAL, "received {got} bytes of {TOTAL}");
    let mut digest = [0u8; 16];
    digest[..8].copy_from_slice(&(got as u64).to_le_bytes());
    digest[8..].copy_from_slice(&hash.to_le_bytes());
    check!(net.send_all(conn, &digest).is_ok(), "the digest goes back");
    check!(net.close(conn).is_ok(), "close the connection");
    let status = rt::thread::join(thread);
    check!(status.is_ok_and(|s| s.code == 0), "the sender thread passed: {status:?}");
    CHECKS.fetch_add(SENDER_CHECKS.load(Ordering::Acquire), Ordering::Relaxed);
    // The listener survived the other client's attempts.
    check!(net.local_address(listener).is_ok_and(|a| a.port() == port), "the listener still works");
    check!(net.close(listener).is_ok(), "close the listener");
    check!(net.close(listener) == Err(NetError::Socket(Error::BadHandle)), "a closed handle is dead");

    if udp(&mut net) != 0 {
        return 1;
    }
    orphan_gone()
}

static SENDER_CHECKS: AtomicU64 = AtomicU64::new(0);

/// The second thread: its own attachment; tries the first one's sockets,
/// then connects and sends 1 MiB.
fn sender(_: u64) -> i32 {
    let code = sender_checks();
    if code != 0 {
        println!("sockcheck: the sender failed");
    }
    code
}

macro_rules! scheck {
    ($cond:expr, $($what:tt)*) => {
        if $cond {
            SENDER_CHECKS.fetch_add(1, Ordering::Relaxed);
        } else {
            println!("sockcheck: FAIL (sender) {}", alloc::format!($($what)*));
            return 1;
        }
    };
}

fn sender_checks() -> i32 {
    let Some(endpoint) = netclient::find_endpoint() else { return 1 };
    let mut net = match Net::attach(endpoint) {
        Ok(n) => n,
        Err(e) => {
            println!("sockcheck: FAIL (sender) attach: {e:?}");
            return 1;
        }
    };
    let theirs = Socket(LISTENER.load(Ordering::Acquire));
    let port = PORT.load(Ordering::Acquire) as u16;
    let bad = Err(NetError::Socket(Error::BadHandle));
    scheck!(net.local_address(theirs).map(|_| ()) == bad, "another client's listener: local address");
    scheck!(net.bind(theirs, lo(0)) == bad, "another client's listener: bind");
    scheck!(net.shutdown_write(theirs) == bad, "another client's listener: shutdown");
    scheck!(net.close(theirs) == bad, "another client's listener: close");
    // Accept would wait if it were allowed; the server answers at once.
    scheck!(net.accept(theirs).map(|_| ()) == bad, "another client's listener: accept");
    let forged = Socket(theirs.0 + 1);
    scheck!(net.send(forged, b"x").map(|_| ()) == bad, "a forged handle");
    let conn = match net.tcp_connect(lo(port)) {
        Ok(c) => c,
        Err(e) => {
            println!("sockcheck: FAIL (sender) connect: {e:?}");
            return 1;
        }
    };
    let data: alloc::vec::Vec<u8> = (0..TOTAL).map(pattern).collect();
    scheck!(net.send_all(conn, &data).is_ok(), "send 1 MiB");
    scheck!(net.shutdown_write(conn).is_ok(), "shutdown");
    let mut digest = [0u8; 16];
    let mut got = 0;
    while got < 16 {
        match net.recv(conn, &mut digest[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => {
                println!("sockcheck: FAIL (sender) recv digest: {e:?}");
                return 1;
            }
        }
    }
    let want = fnv(0xcbf2_9ce4_8422_2325, &data);
    scheck!(got == 16, "the digest arrived ({got} bytes)");
    scheck!(digest[..8] == (TOTAL as u64).to_le_bytes() && digest[8..] == want.to_le_bytes(), "the digest matches");
    let mut end = [0u8; 1];
    scheck!(net.recv(conn, &mut end) == Ok(0), "end of stream");
    scheck!(net.close(conn).is_ok(), "close");
    0
}

/// What a hostile client may send: calls out of place and bytes that are
/// no request. Each gets an answer; the server goes on (the checks after
/// this use it).
fn hostile(net: &mut Net) -> i32 {
    let label = |m: Result<sys::Message, abi::Error>| m.map(|m| m.info.label());
    check!(label(net.raw_call(99, [0; 4])) == Ok(proto::UNSUPPORTED), "an unknown label");
    check!(label(net.raw_call(proto::BUFFER, [4, 0, 0, 0])) == Ok(proto::MALFORMED), "a buffer without memory");
    check!(label(net.raw_call(proto::EVENTS, [1, 0, 0, 0])) == Ok(proto::MALFORMED), "events without a notification");
    check!(label(net.raw_call(proto::ATTACH, [0; 4])) == Ok(proto::UNSUPPORTED), "attach on a client's endpoint");
    let invalid = Ok(Some(Error::InvalidArgument));
    check!(net.raw_request(&[]) == invalid, "an empty request");
    check!(net.raw_request(&[0xff; 64]) == invalid, "an unknown request tag");
    check!(net.raw_request(&[1]) == invalid, "a truncated open");
    // Random bytes: whatever they decode to, an answer comes back.
    let mut junk = [0u8; 48];
    for round in 0..300 {
        let _ = sys::random(&mut junk);
        let len = junk[0] as usize % junk.len();
        // Tags 1-15 are requests: make most of them one, to reach deeper.
        junk[1] %= 16;
        let answered = net.raw_request(&junk[1..1 + len]);
        check!(answered.is_ok(), "random request {round} ({:?}) answered: {answered:?}", &junk[1..1 + len]);
    }
    0
}

fn udp(net: &mut Net) -> i32 {
    let (Ok(a), Ok(b)) = (net.open(Family::V4, Kind::Datagram), net.open(Family::V4, Kind::Datagram)) else {
        println!("sockcheck: FAIL udp open");
        return 1;
    };
    check!(net.bind(a, lo(0)).is_ok() && net.bind(b, lo(0)).is_ok(), "udp bind");
    let (Ok(a_addr), Ok(b_addr)) = (net.local_address(a), net.local_address(b)) else { return 1 };
    let messages: [&[u8]; 3] = [b"one", b"", b"three three"];
    for m in messages {
        check!(net.send_to(a, m, b_addr) == Ok(m.len()), "udp send {m:?}");
    }
    let mut buf = [0u8; 64];
    for m in messages {
        let got = net.recv_from(b, &mut buf);
        check!(got == Ok((m.len(), Some(a_addr))), "udp datagram {m:?}: {got:?}");
        check!(&buf[..m.len()] == m, "udp datagram {m:?} bytes");
    }
    let long = [7u8; 100];
    check!(net.send_to(a, &long, b_addr) == Ok(100), "udp send 100");
    let mut short = [0u8; 10];
    check!(net.recv_from(b, &mut short) == Ok((10, Some(a_addr))), "a short receive truncates");
    check!(net.close(a).is_ok() && net.close(b).is_ok(), "udp close");
    0
}

/// The orphan's listener must go once its task has ended.
fn orphan_gone() -> i32 {
    let Some(ready) = find(CapType::Notification, Rights::READ) else {
        println!("sockcheck: FAIL no notification from the orphan");
        return 1;
    };
    check!(sys::notify_wait(ready, 10_000_000_000).is_ok(), "the orphan listened");
    let Some(endpoint) = netclient::find_endpoint() else { return 1 };
    let Ok(mut net) = Net::attach(endpoint) else { return 1 };
    // Its listener holds the port until the server notices the end
    // (each second): binding it fails until then.
    let start = sys::clock_ns();
    let mut in_use = 0;
    let mut bound = false;
    while sys::clock_ns() - start < 3_000_000_000 {
        let Ok(s) = net.open(Family::V4, Kind::Stream) else { return 1 };
        let result = net.bind(s, lo(ORPHAN_PORT));
        let _ = net.close(s);
        match result {
            Ok(()) => {
                bound = true;
                break;
            }
            Err(NetError::Socket(Error::AddressInUse)) => {
                in_use += 1;
                sys::sleep(50_000_000);
            }
            Err(e) => {
                println!("sockcheck: FAIL binding the orphan's port: {e:?}");
                return 1;
            }
        }
    }
    check!(bound, "the orphan's listener closed within 3 s of its end");
    println!(
        "sockcheck: the orphan's port was in use {in_use} times, free {} ms after its end",
        (sys::clock_ns() - start) / 1_000_000
    );
    0
}

/// Serves one line to a Linux `nc`, then sends one to a Linux `nc -l`.
fn with_linux(endpoint: u64) -> i32 {
    match linux_exchange(endpoint) {
        Ok(()) => {
            println!("sockcheck: linux ok");
            0
        }
        Err(why) => {
            println!("sockcheck: FAIL with linux: {why}");
            1
        }
    }
}

fn linux_exchange(endpoint: u64) -> Result<(), alloc::string::String> {
    use alloc::format;
    let mut net = Net::attach(endpoint).map_err(|e| format!("attach: {e:?}"))?;
    let listener = net.tcp_listen(lo(7002), 4).map_err(|e| format!("listen: {e:?}"))?;
    let (conn, _) = net.accept(listener).map_err(|e| format!("accept: {e:?}"))?;
    let mut line = alloc::vec::Vec::new();
    let mut buf = [0u8; 256];
    while !line.contains(&b'\n') && line.len() < 4096 {
        match net.recv(conn, &mut buf).map_err(|e| format!("recv: {e:?}"))? {
            0 => break,
            n => line.extend_from_slice(&buf[..n]),
        }
    }
    let mut answer = alloc::vec::Vec::from(&b"native got: "[..]);
    answer.extend_from_slice(&line);
    net.send_all(conn, &answer).map_err(|e| format!("send: {e:?}"))?;
    net.close(conn).map_err(|e| format!("close: {e:?}"))?;
    net.close(listener).map_err(|e| format!("close: {e:?}"))?;
    // The Linux listener may not be up yet: it starts with the script.
    let start = sys::clock_ns();
    let conn = loop {
        match net.tcp_connect(lo(7003)) {
            Ok(c) => break c,
            Err(NetError::Socket(Error::ConnectionRefused)) if sys::clock_ns() - start < 60_000_000_000 => {
                sys::sleep(100_000_000)
            }
            Err(e) => return Err(format!("connect to 7003: {e:?}")),
        }
    };
    net.send_all(conn, b"hello from native\n").map_err(|e| format!("send: {e:?}"))?;
    net.close(conn).map_err(|e| format!("close: {e:?}"))?;
    Ok(())
}
