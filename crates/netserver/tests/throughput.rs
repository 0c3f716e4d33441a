//! Not a test: a measure of the server's own cost, without IPC.
//! `IDLE=200 cargo test --release -p netserver --test throughput -- --ignored --nocapture`
//! prints a 64 MiB loopback transfer's rate and a one-byte request pair's
//! time with IDLE idle connections open (smoltcp polls every socket of an
//! interface on each round, so both grow with the number of sockets).

mod common;

use common::*;
use netproto::{Error, Family, Request};

#[test]
#[ignore]
fn loopback_throughput_and_request_cost() {
    let mut k = Kernel::new();
    let (listener, port) = k.listener(v4(0), 64);
    let mut idle = Vec::new();
    for _ in 0..std::env::var("IDLE").map_or(0, |v| v.parse().unwrap()) {
        let c = k.connect(Family::V4, v4(port)).unwrap();
        let (s, _) = k.accept(listener);
        idle.push((c, s));
    }
    let client = k.connect(Family::V4, v4(port)).unwrap();
    let (server, _) = k.accept(listener);
    let data = vec![5u8; 64 << 20];
    let t = std::time::Instant::now();
    let mut sent = 0;
    let mut got = 0;
    let mut requests = 0;
    while got < data.len() {
        if sent < data.len() {
            requests += 1;
            match k.call(Request::Send {
                socket: client,
                to: None,
                data: &data[sent..(sent + 60000).min(data.len())],
                more: false,
            }) {
                Reply::Sent(n) => sent += n as usize,
                Reply::Error(Error::WouldBlock) => {}
                other => panic!("{other:?}"),
            }
        }
        requests += 1;
        match k.call(Request::Receive { socket: server, max: 60000, peek: false }) {
            Reply::Received { data, .. } => got += data.len(),
            Reply::Error(Error::WouldBlock) => k.poll(),
            other => panic!("{other:?}"),
        }
    }
    let el = t.elapsed();
    eprintln!("64 MiB in {:?} ({} requests, {:.0} MiB/s)", el, requests, 64.0 / el.as_secs_f64());
    let t = std::time::Instant::now();
    for _ in 0..2000 {
        k.call(Request::Send { socket: client, to: None, data: b"x", more: false });
        match k.call(Request::Receive { socket: server, max: 10, peek: false }) {
            Reply::Received { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    eprintln!("ping: {:?} per request pair", t.elapsed() / 2000);
}

/// Not a test: connect + accept + close as bench/net.c's tcp_connect does
/// it, ITER times (default 1000), for a profiler:
/// `valgrind --tool=callgrind` on the test binary with
/// `--ignored --exact connection_cost`.
#[test]
#[ignore]
fn connection_cost() {
    let mut k = as_in_the_benchmark_boot();
    let (listener, port) = k.listener(v4(0), 128);
    let n = std::env::var("ITER").map_or(1000, |v| v.parse().unwrap());
    let t = std::time::Instant::now();
    // No polls: the clock stands still, as it nearly does in the guest
    // (TIME-WAIT keeps every closed connection's port meanwhile), and
    // loopback settles within each request.
    for _ in 0..n {
        let c = k.connect_start(Family::V4, v4(port));
        let s = match k.call(Request::Accept { socket: listener }) {
            Reply::Accepted(s, _) => s,
            other => panic!("accept: {other:?}"),
        };
        assert_eq!(k.get(c, netproto::SocketOption::Error), 0);
        k.ok(Request::Close { socket: s });
        match k.call(Request::Receive { socket: c, max: 1, peek: false }) {
            Reply::Received { data, .. } => assert!(data.is_empty()),
            other => panic!("receive: {other:?}"),
        }
        k.ok(Request::Close { socket: c });
    }
    eprintln!("connect + accept + close: {:?} each", t.elapsed() / n);
}

/// Not a test: bench/net.c's tcp_rtt (one byte each way), ITER round
/// trips (default 2000), for a profiler as `connection_cost`.
#[test]
#[ignore]
fn round_trip_cost() {
    let mut k = as_in_the_benchmark_boot();
    let (listener, port) = k.listener(v4(0), 128);
    let a = k.connect(Family::V4, v4(port)).unwrap();
    let (b, _) = k.accept(listener);
    // As bench/net.c's tcp_rtt: the listener is closed before timing.
    k.ok(Request::Close { socket: listener });
    let n = std::env::var("ITER").map_or(2000, |v| v.parse().unwrap());
    let t = std::time::Instant::now();
    for _ in 0..n {
        for (from, to) in [(a, b), (b, a)] {
            assert_eq!(k.call(Request::Send { socket: from, to: None, data: b"x", more: false }), Reply::Sent(1));
            match k.call(Request::Receive { socket: to, max: 1, peek: false }) {
                Reply::Received { data, .. } => assert_eq!(data, b"x"),
                other => panic!("receive: {other:?}"),
            }
        }
    }
    eprintln!("round trip: {:?} each", t.elapsed() / n);
}

/// A stack as bench/net.c's boot has it: eth0 (10.0.2.15/24, static)
/// beside lo, though the loopback rows never touch eth0.
fn as_in_the_benchmark_boot() -> Kernel {
    let mut k = Kernel::new();
    let wire = std::sync::Arc::new(std::sync::Mutex::new(common::fake_device::Wire::default()));
    let config = netserver::InterfaceConfig {
        ipv4: netserver::Ipv4Config::Static { address: [10, 0, 2, 15], prefix: 24, gateway: Some([10, 0, 2, 2]) },
        ipv6: None,
        gateway6: None,
    };
    let device = common::fake_device::FakeDevice { wire, offload: true };
    k.stack.add_ethernet(device, [0x52, 0x54, 0, 0x12, 0x34, 0x56], config).unwrap();
    k
}
