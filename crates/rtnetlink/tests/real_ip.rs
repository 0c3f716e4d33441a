//! The real thing: the host's iproute2 `ip` (unmodified) run against this
//! crate. A preloaded shim (`ip_shim/shim.c`) turns each of `ip`'s
//! `AF_NETLINK` sockets into a Unix datagram socket and forwards `bind`,
//! `getsockname`, `setsockopt(SOL_NETLINK)`, every send and every
//! `recvmsg` (peeks and truncation included) to a server thread here,
//! which keeps one `rtnetlink::Socket` per netlink socket, as the kernel
//! glue will. `ip`'s output must be what Linux's `ip` prints for the same
//! configuration (a QEMU guest on user networking).
//!
//! Needs `ip` and a C compiler; without them the test says so and passes.

mod common;

use std::collections::HashMap;
use std::os::unix::net::UnixDatagram;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use rtnetlink::*;

const EAGAIN: i32 = 11;

/// One client socket of the shim, keyed by its Unix address.
struct Client {
    tgid: u32,
    socket: Option<Socket>,
}

/// Serves the shim's requests until `stop` is set.
fn serve(server: UnixDatagram, config: Config, stop: Arc<AtomicBool>) {
    server.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let mut ports = PortTable::new();
    let mut clients: HashMap<PathBuf, Client> = HashMap::new();
    let mut buf = vec![0u8; 70_000];
    while !stop.load(Ordering::Relaxed) {
        let Ok((n, from)) = server.recv_from(&mut buf) else { continue };
        let Some(path) = from.as_pathname().map(PathBuf::from) else { continue };
        let (op, data) = (buf[0], &buf[1..n]);
        let word = |at: usize| u32::from_ne_bytes(data[at..at + 4].try_into().unwrap());
        let reply: Vec<u8> = if op == b'N' {
            clients.insert(path.clone(), Client { tgid: word(0), socket: None });
            vec![0; 4]
        } else {
            let client = clients.get_mut(&path).expect("a socket the shim announced");
            let mut errno = 0i32;
            if op == b'B' {
                match SockaddrNl::parse(data) {
                    Ok(a) if a.pid != 0 => match ports.bind(a.pid) {
                        Ok(()) => client.socket = Some(Socket::new(a.pid)),
                        Err(e) => errno = e,
                    },
                    Ok(_) => {}
                    Err(e) => errno = e,
                }
                if let (Ok(a), 0) = (SockaddrNl::parse(data), errno) {
                    let tgid = client.tgid;
                    let s = client.socket.get_or_insert_with(|| Socket::new(ports.autobind(tgid)));
                    s.bind_groups(a.groups);
                }
            }
            // Sending or asking for the name binds an unbound socket.
            let tgid = client.tgid;
            let socket = client.socket.get_or_insert_with(|| Socket::new(ports.autobind(tgid)));
            match op {
                b'B' => errno.to_ne_bytes().to_vec(),
                b'G' => SockaddrNl { pid: socket.port_id(), groups: socket.groups() }.to_bytes().to_vec(),
                b'O' => {
                    let r = socket.setsockopt(word(0) as i32, word(4));
                    r.err().unwrap_or(0).to_ne_bytes().to_vec()
                }
                b'S' => {
                    socket.send(&config, data);
                    vec![0; 4]
                }
                b'R' => match socket.recv(word(0) as usize, word(4) != 0) {
                    Ok(Some(d)) => [&b"D"[..], &d].concat(),
                    Ok(None) => [&b"E"[..], &EAGAIN.to_ne_bytes()].concat(),
                    Err(e) => [&b"E"[..], &e.to_ne_bytes()].concat(),
                },
                other => panic!("unknown shim request {other}"),
            }
        };
        server.send_to(&reply, &path).unwrap();
    }
}

fn have(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).output().is_ok_and(|o| o.status.success())
}

#[test]
fn ip_prints_the_configuration_as_linux_does() {
    if !have("ip", "-V") || !have("cc", "--version") {
        eprintln!("no `ip` or no C compiler: the real-ip test is skipped");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("ip-shim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let shim = dir.join("shim.so");
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/ip_shim/shim.c");
    let out = Command::new("cc")
        .args(["-shared", "-fPIC", "-O1", "-o"])
        .arg(&shim)
        .arg(&source)
        .arg("-ldl")
        .output()
        .unwrap();
    assert!(out.status.success(), "the shim does not build: {}", String::from_utf8_lossy(&out.stderr));
    let server_path = dir.join("server");
    let _ = std::fs::remove_file(&server_path);
    let server = UnixDatagram::bind(&server_path).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let stop = stop.clone();
        std::thread::spawn(move || serve(server, qemu(), stop))
    };
    let ip = |args: &[&str]| {
        let out =
            Command::new("ip").args(args).env("LD_PRELOAD", &shim).env("NLSHIM_SERVER", &server_path).output().unwrap();
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let cases: &[(&[&str], &str)] = &[
        (
            &["addr"],
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP group default qlen 1000
    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff
    inet 10.0.2.15/24 brd 10.0.2.255 scope global eth0
       valid_lft forever preferred_lft forever
    inet6 fe80::5054:ff:fe12:3456/64 scope link 
       valid_lft forever preferred_lft forever
",
        ),
        (
            &["link"],
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP mode DEFAULT group default qlen 1000
    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff
",
        ),
        (
            &["link", "show", "lo"],
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
",
        ),
        (
            &["-4", "addr", "show", "dev", "lo"],
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
",
        ),
        (
            &["route"],
            "default via 10.0.2.2 dev eth0 
10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 
",
        ),
        (&["-6", "route"], "fe80::/64 dev eth0 proto kernel metric 256 pref medium\n"),
        (
            &["route", "show", "table", "all"],
            "default via 10.0.2.2 dev eth0 
10.0.2.0/24 dev eth0 proto kernel scope link src 10.0.2.15 
local 10.0.2.15 dev eth0 table local proto kernel scope host src 10.0.2.15 
broadcast 10.0.2.255 dev eth0 table local proto kernel scope link src 10.0.2.15 
local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 
local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 
broadcast 127.255.255.255 dev lo table local proto kernel scope link src 127.0.0.1 
fe80::/64 dev eth0 proto kernel metric 256 pref medium
local ::1 dev lo table local proto kernel metric 0 pref medium
local fe80::5054:ff:fe12:3456 dev eth0 table local proto kernel metric 0 pref medium
multicast ff00::/8 dev eth0 table local proto kernel metric 256 pref medium
",
        ),
        (&["route", "get", "1.1.1.1"], "1.1.1.1 via 10.0.2.2 dev eth0 src 10.0.2.15 uid 0 \n    cache \n"),
        (&["rule"], "0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n"),
        (&["neigh"], ""),
        (
            &["-s", "link"],
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    RX:  bytes packets errors dropped  missed   mcast           
           840      10      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
           840      10      0       0       0       0 
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP mode DEFAULT group default qlen 1000
    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
    5080264123  111625      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
       4693091   57318      0       0       0       0 
",
        ),
        (
            &["-6", "addr"],
            "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 state UNKNOWN qlen 1000
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP qlen 1000
    inet6 fe80::5054:ff:fe12:3456/64 scope link 
       valid_lft forever preferred_lft forever
",
        ),
        (
            &["-br", "addr"],
            "lo               UNKNOWN        127.0.0.1/8 ::1/128 
eth0             UP             10.0.2.15/24 fe80::5054:ff:fe12:3456/64 
",
        ),
        (
            &["-6", "route", "get", "fe80::1"],
            "fe80::1 from :: dev eth0 proto kernel src fe80::5054:ff:fe12:3456 metric 256 pref medium\n",
        ),
        (&["route", "get", "127.0.0.1"], "local 127.0.0.1 dev lo src 127.0.0.1 uid 0 \n    cache <local> \n"),
        (&["link", "show", "nope"], ""),
        (&["netconf"], ""),
    ];
    let mut failures = Vec::new();
    for (args, expected) in cases {
        let (out, err) = ip(args);
        if out != *expected {
            failures.push(format!("ip {}:\n--- expected\n{expected}--- got\n{out}--- stderr\n{err}", args.join(" ")));
        }
    }
    // A change is refused, and ip says why (the extended ack's message).
    let (_, err) = ip(&["addr", "add", "10.0.2.16/24", "dev", "eth0"]);
    if err != format!("Error: {}.\n", rtnetlink::handler::READ_ONLY) {
        failures.push(format!("ip addr add: expected the refusal, got: {err}"));
    }
    stop.store(true, Ordering::Relaxed);
    thread.join().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
