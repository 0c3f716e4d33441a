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
