//! Hostile frames into the whole network path: the virtio-net driver, the
//! TCP/IP server and the kernel behind them, with this test as the only
//! other machine on the wire (QEMU's socket backend, as in net_tests.rs).
//!
//! The guest (busybox, static 10.0.2.15/24, the host 10.0.2.2) waits for
//! one message with `nc -l`. The test:
//! 1. asks for the guest's MAC with ARP until netstack answers (it is up),
//!    and answers the guest's own ARP requests for 10.0.2.2 throughout;
//! 2. pings it (ICMP echo, answered by the stack itself);
//! 3. sends a few thousand hostile frames: random bytes, every truncation
//!    and random bit flips of valid ICMP, UDP, TCP and IPv6 frames, IPv4
//!    headers whose lengths lie, fragments, TCP segments with garbage
//!    options, IPv6 extension-header chains, ARP nonsense, a broadcast
//!    flood; after each kind it pings again: the stack must still answer,
//!    byte for byte;
//! 4. connects to nc by hand (a TCP handshake in raw frames) and sends the
//!    message; the guest prints it and ends.
//!
//! Nothing may panic, no server may be restarted, and every ping must be
//! answered.

use crate::harness;
use crate::net_tests::frames::{fold, sum16};
use crate::net_tests::{framed, read_frame};
use crate::network_services::{Ethernet, Ipv4Mode};
use crate::qemu::MachineConfig;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const HOST_MAC: [u8; 6] = [0x52, 0x55, 0x0a, 0x00, 0x02, 0x02];
const GUEST_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
const HOST_IP: [u8; 4] = [10, 0, 2, 2];
const GUEST_IP: [u8; 4] = [10, 0, 2, 15];
const UDP_PORT: u16 = 7777;
/// The guest's `nc -l` port for the final message, and the host's port.
const TCP_PORT: u16 = 7778;
const TCP_SRC_PORT: u16 = 40001;
const MESSAGE: &[u8] = b"hostile frames survived END\n";

pub fn run(kernel: &Path, busybox: &crate::debian::Busybox) -> (String, Result<String, String>) {
    ("net::hostile-frames".into(), hostile_frames(kernel, busybox))
}

fn ethernet(dst: [u8; 6], ethertype: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(14 + payload.len());
    f.extend_from_slice(&dst);
    f.extend_from_slice(&HOST_MAC);
    f.extend_from_slice(&ethertype.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

fn arp(op: u16, target_mac: [u8; 6], target_ip: [u8; 4]) -> Vec<u8> {
    let mut a = vec![0, 1, 0x08, 0x00, 6, 4];
    a.extend_from_slice(&op.to_be_bytes());
    a.extend_from_slice(&HOST_MAC);
    a.extend_from_slice(&HOST_IP);
    a.extend_from_slice(&target_mac);
    a.extend_from_slice(&target_ip);
    let dst = if op == 1 { [0xff; 6] } else { target_mac };
    ethernet(dst, 0x0806, &a)
}

/// An IPv4 packet (header checksum filled in) carrying `payload`.
fn ipv4(protocol: u8, payload: &[u8]) -> Vec<u8> {
    let total = 20 + payload.len();
    let mut h = vec![0x45, 0, (total >> 8) as u8, total as u8, 0x12, 0x34, 0x40, 0, 64, protocol, 0, 0];
    h.extend_from_slice(&HOST_IP);
    h.extend_from_slice(&GUEST_IP);
    let c = !fold(sum16(0, &h));
    h[10..12].copy_from_slice(&c.to_be_bytes());
    h.extend_from_slice(payload);
    h
}

fn echo_request(seq: u16) -> Vec<u8> {
    let mut icmp = vec![8, 0, 0, 0, 0x48, 0x54];
    icmp.extend_from_slice(&seq.to_be_bytes());
    icmp.extend((0..56u8).map(|i| i.wrapping_mul(7) ^ seq as u8));
    let c = !fold(sum16(0, &icmp));
    icmp[2..4].copy_from_slice(&c.to_be_bytes());
    ethernet(GUEST_MAC, 0x0800, &ipv4(1, &icmp))
}

/// A TCP or UDP segment with its pseudo-header checksum.
fn transport(protocol: u8, mut segment: Vec<u8>, checksum_at: usize) -> Vec<u8> {
    let mut pseudo = Vec::new();
    pseudo.extend_from_slice(&HOST_IP);
    pseudo.extend_from_slice(&GUEST_IP);
    pseudo.extend_from_slice(&[0, protocol]);
    pseudo.extend_from_slice(&(segment.len() as u16).to_be_bytes());
    let c = !fold(sum16(sum16(0, &pseudo), &segment));
    segment[checksum_at..checksum_at + 2].copy_from_slice(&c.to_be_bytes());
    ethernet(GUEST_MAC, 0x0800, &ipv4(protocol, &segment))
}

fn udp(dst_port: u16, data: &[u8]) -> Vec<u8> {
    let len = 8 + data.len();
    let mut u = vec![0x9c, 0x40];
    u.extend_from_slice(&dst_port.to_be_bytes());
    u.extend_from_slice(&(len as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(data);
    transport(17, u, 6)
}

/// A TCP segment with `options` (padded to whole words) and `flags`.
fn tcp(dst_port: u16, flags: u8, options: &[u8]) -> Vec<u8> {
    tcp_segment(TCP_SRC_PORT + 1, dst_port, 0x1000, 0, flags, options, &[])
}

fn tcp_segment(src: u16, dst: u16, seq: u32, ack: u32, flags: u8, options: &[u8], data: &[u8]) -> Vec<u8> {
    let mut opts = options.to_vec();
    while !opts.len().is_multiple_of(4) {
        opts.push(0);
    }
    let offset = ((20 + opts.len()) / 4) as u8;
    let mut t = Vec::new();
    t.extend_from_slice(&src.to_be_bytes());
    t.extend_from_slice(&dst.to_be_bytes());
    t.extend_from_slice(&seq.to_be_bytes());
    t.extend_from_slice(&ack.to_be_bytes());
    t.extend_from_slice(&[offset << 4, flags, 0xff, 0xff, 0, 0, 0, 0]);
    t.extend_from_slice(&opts);
    t.extend_from_slice(data);
    transport(6, t, 16)
}

fn ipv6(next: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0];
    h.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    h.extend_from_slice(&[next, 64]);
    h.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x55, 0x0a, 0xff, 0xfe, 0, 2, 2]);
    h.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0x00, 0xff, 0xfe, 0x12, 0x34, 0x56]);
    h.extend_from_slice(payload);
    ethernet(GUEST_MAC, 0x86dd, &h)
}

/// xorshift: the same frames every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The hostile frames, by kind, in the order sent.
fn hostile() -> Vec<(&'static str, Vec<Vec<u8>>)> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut kinds = Vec::new();
    let mut out = Vec::new();
    let valid = [
        echo_request(99),
        udp(UDP_PORT + 1, b"nobody listens here"),
        tcp(80, 0x02, &[2, 4, 5, 0xb4, 3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0]),
        ipv6(58, &[128, 0, 0, 0, 0, 1, 0, 1, 1, 2, 3, 4]),
        arp(1, [0; 6], GUEST_IP),
    ];
    // Every truncation of each valid frame (not to nothing: QEMU's stream
    // backend, like a real wire, has no empty frames).
    for f in &valid {
        for len in 1..f.len() {
            out.push(f[..len].to_vec());
        }
    }
    kinds.push(("truncated frames", core::mem::take(&mut out)));
    // Random bit flips and byte overwrites in valid frames.
    for _ in 0..600 {
        let mut f = valid[rng.below(valid.len())].clone();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(f.len());
            if rng.next() & 1 == 0 {
                f[at] ^= 1 << rng.below(8);
            } else {
                f[at] = rng.next() as u8;
            }
        }
        out.push(f);
    }
    kinds.push(("frames with flipped bits", core::mem::take(&mut out)));
    // Random bytes, addressed to the guest and broadcast.
    for i in 0..300 {
        let len = 14 + rng.below(1500);
        let mut f: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        f[..6].copy_from_slice(if i % 2 == 0 { &GUEST_MAC } else { &[0xff; 6] });
        if i % 3 == 0 {
            f[12..14].copy_from_slice(&[0x08, 0x00]);
        } else if i % 3 == 1 {
            f[12..14].copy_from_slice(&[0x86, 0xdd]);
        }
        out.push(f);
    }
    kinds.push(("random bytes", core::mem::take(&mut out)));
    // IPv4 headers that lie about lengths, fragments, TTL 0, options.
    let base = echo_request(7);
    let mut lie = |edit: &dyn Fn(&mut Vec<u8>)| {
        let mut f = base.clone();
        edit(&mut f);
        out.push(f);
    };
    lie(&|f| f[14] = 0x44); // IHL 4
    lie(&|f| f[14] = 0x4f); // IHL 15, beyond the packet
    lie(&|f| f[16..18].copy_from_slice(&0xffffu16.to_be_bytes())); // total length 65535
    lie(&|f| f[16..18].copy_from_slice(&10u16.to_be_bytes())); // shorter than the header
    lie(&|f| f[20..22].copy_from_slice(&[0x20, 0x00])); // more fragments
    lie(&|f| f[20..22].copy_from_slice(&[0x1f, 0xff])); // last fragment at offset 65528
    lie(&|f| f[22] = 0); // TTL 0
    lie(&|f| f[14] = 0x65); // version 6 in an IPv4 frame
    lie(&|f| f[24] ^= 0xff); // bad header checksum
    kinds.push(("lying IPv4 headers", core::mem::take(&mut out)));
    // TCP option lists no parser should loop on or trust.
    for options in [
        &[0u8, 0, 0, 0][..],                // end of list at once
        &[1, 1, 1, 2, 0],                   // NOPs, then MSS without a length
        &[2, 0, 5, 0xb4],                   // MSS of length 0
        &[2, 1, 5, 0xb4],                   // length 1
        &[3, 3, 255],                       // window scale 255
        &[5, 2],                            // empty SACK
        &[5, 255, 0, 0],                    // SACK longer than the header
        &[8, 10, 0, 0, 0, 1],               // timestamps cut short
        &[2, 4, 0, 0],                      // MSS 0
        &[254, 40, 0, 0, 0, 0, 0, 0, 0, 0], // unknown option claiming 40 bytes
    ] {
        for flags in [0x02u8, 0x12, 0x10, 0x04, 0x01, 0x3f, 0x00] {
            out.push(tcp(80, flags, options));
            out.push(tcp(UDP_PORT, flags, options));
        }
    }
    let mut bad_offset = tcp(80, 0x02, &[]);
    bad_offset[14 + 20 + 12] = 0xf0; // data offset 60 in a 20-byte segment
    out.push(bad_offset);
    kinds.push(("TCP with garbage options", core::mem::take(&mut out)));
    // IPv6 extension-header chains: hop-by-hop with lengths that overrun,
    // routing headers, a chain of 40 destination-options headers.
    out.push(ipv6(0, &[58, 255, 1, 4, 0, 0, 0, 0]));
    out.push(ipv6(0, &[0, 0, 0xc2, 4, 0xff, 0xff, 0xff, 0xff]));
    out.push(ipv6(43, &[58, 2, 0, 1, 0, 0, 0, 0]));
    let mut chain = Vec::new();
    for _ in 0..40 {
        chain.extend_from_slice(&[60, 0, 1, 4, 0, 0, 0, 0]);
    }
    out.push(ipv6(60, &chain));
    // Neighbour discovery nonsense: a router advertisement with options of
    // length 0 and a neighbour advertisement claiming the guest's address.
    out.push(ipv6(58, &[134, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0]));
    out.push(ipv6(
        58,
        &[136, 0, 0, 0, 0x20, 0, 0, 0, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0, 0xff, 0xfe, 0x12, 0x34, 0x56],
    ));
    kinds.push(("IPv6 headers and neighbour discovery", core::mem::take(&mut out)));
    // ARP: wrong sizes, a reply for the gateway from nowhere, a request
    // claiming the guest's own address.
    let mut a = arp(1, [0; 6], GUEST_IP);
    a[18] = 16;
    out.push(a);
    out.push(arp(2, GUEST_MAC, GUEST_IP));
    let mut claim = arp(1, [0; 6], GUEST_IP);
    claim[28..32].copy_from_slice(&GUEST_IP);
    out.push(claim);
    kinds.push(("ARP nonsense", core::mem::take(&mut out)));
    // A flood of broadcasts.
    for i in 0..1000u32 {
        let mut f = ethernet([0xff; 6], 0x88b5, &i.to_be_bytes());
        f.resize(60, 0);
        out.push(f);
    }
    kinds.push(("a broadcast flood", out));
    kinds
}

/// The host's side of the wire.
struct Wire {
    writer: Arc<Mutex<TcpStream>>,
    frames: mpsc::Receiver<Vec<u8>>,
}

impl Wire {
    fn send(&self, frames: &[Vec<u8>]) -> Result<(), String> {
        let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        w.write_all(&framed(frames)).map_err(|e| format!("writing to QEMU: {e}"))
    }

    /// The first frame from the guest that `want` accepts, within `limit`.
    fn expect(&self, limit: Duration, want: impl Fn(&[u8]) -> bool) -> Option<Vec<u8>> {
        let deadline = Instant::now() + limit;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.frames.recv_timeout(left) {
                Ok(f) if want(&f) => return Some(f),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    }
}

/// Reads the guest's frames, answering its ARP requests for the host at
/// once; hands every frame on.
fn reader(mut stream: TcpStream, writer: Arc<Mutex<TcpStream>>, to: mpsc::Sender<Vec<u8>>) {
    while let Ok(Some(f)) = read_frame(&mut stream) {
        let asks_for_host = f.len() >= 42 && f[12..14] == [0x08, 0x06] && f[20..22] == [0, 1] && f[38..42] == HOST_IP;
        if asks_for_host {
            let mut sender_mac = [0u8; 6];
            sender_mac.copy_from_slice(&f[22..28]);
            let reply = arp(2, sender_mac, GUEST_IP);
            let _ = writer.lock().unwrap_or_else(|e| e.into_inner()).write_all(&framed(&[reply]));
        }
        if to.send(f).is_err() {
            break;
        }
    }
}

fn ping(wire: &Wire, seq: u16) -> Result<(), String> {
    let request = echo_request(seq);
    let icmp = &request[34..];
    for _ in 0..5 {
        wire.send(std::slice::from_ref(&request))?;
        let reply = wire.expect(Duration::from_secs(5), |f| {
            f.len() >= 34 + icmp.len()
                && f[12..14] == [0x08, 0x00]
                && f[23] == 1
                && f[34] == 0
                && f[38..40] == icmp[4..6]
                && f[40..42] == icmp[6..8]
        });
        if let Some(reply) = reply {
            if reply[42..34 + icmp.len()] != icmp[8..] {
                return Err(format!("echo reply {seq} carries other bytes than the request"));
            }
            return Ok(());
        }
    }
    Err(format!("no echo reply to ping {seq} in 25 s"))
}

/// Connects to the guest's `nc -l` by hand (SYN, its SYN-ACK, ACK with
/// the message, FIN) and waits for the guest to acknowledge the data.
fn tcp_message(wire: &Wire) -> Result<(), String> {
    let is_from_nc = |f: &[u8]| {
        f.len() >= 54
            && f[12..14] == [0x08, 0x00]
            && f[23] == 6
            && f[34..36] == TCP_PORT.to_be_bytes()
            && f[36..38] == TCP_SRC_PORT.to_be_bytes()
    };
    let iss = 0x5000_0000u32;
    let mut synack = None;
    for _ in 0..5 {
        wire.send(&[tcp_segment(TCP_SRC_PORT, TCP_PORT, iss, 0, 0x02, &[2, 4, 5, 0xb4], &[])])?;
        synack = wire.expect(Duration::from_secs(5), |f| is_from_nc(f) && f[47] & 0x12 == 0x12);
        if synack.is_some() {
            break;
        }
    }
    let synack = synack.ok_or("no SYN-ACK from the guest's nc -l")?;
    let their = u32::from_be_bytes([synack[38], synack[39], synack[40], synack[41]]);
    let acked = u32::from_be_bytes([synack[42], synack[43], synack[44], synack[45]]);
    if acked != iss + 1 {
        return Err(format!("the SYN-ACK acknowledges {acked:#x}, not {:#x}", iss + 1));
    }
    let ack = their.wrapping_add(1);
    wire.send(&[
        tcp_segment(TCP_SRC_PORT, TCP_PORT, iss + 1, ack, 0x10, &[], &[]),
        tcp_segment(TCP_SRC_PORT, TCP_PORT, iss + 1, ack, 0x18, &[], MESSAGE),
    ])?;
    let end = iss + 1 + MESSAGE.len() as u32;
    let data_acked = |f: &[u8]| is_from_nc(f) && u32::from_be_bytes([f[42], f[43], f[44], f[45]]) == end;
    if wire.expect(Duration::from_secs(20), data_acked).is_none() {
        return Err("the guest never acknowledged the message".into());
    }
    wire.send(&[tcp_segment(TCP_SRC_PORT, TCP_PORT, end, ack, 0x11, &[], &[])])?;
    Ok(())
}

fn host_side(listener: TcpListener) -> Result<String, String> {
    listener.set_nonblocking(false).map_err(|e| e.to_string())?;
    let (stream, _) = listener.accept().map_err(|e| format!("QEMU did not connect: {e}"))?;
    let writer = Arc::new(Mutex::new(stream.try_clone().map_err(|e| e.to_string())?));
    let (tx, rx) = mpsc::channel();
    {
        let writer = writer.clone();
        std::thread::spawn(move || reader(stream, writer, tx));
    }
    let wire = Wire { writer, frames: rx };
    // 1. Until the stack answers ARP for its address.
    let start = Instant::now();
    let is_arp_reply =
        |f: &[u8]| f.len() >= 42 && f[12..14] == [0x08, 0x06] && f[20..22] == [0, 2] && f[28..32] == GUEST_IP;
    loop {
        wire.send(&[arp(1, [0; 6], GUEST_IP)])?;
        if let Some(reply) = wire.expect(Duration::from_millis(500), is_arp_reply) {
            if reply[22..28] != GUEST_MAC {
                return Err(format!("the ARP reply names MAC {:02x?}", &reply[22..28]));
            }
            break;
        }
        if start.elapsed() > Duration::from_secs(180) {
            return Err("the guest never answered ARP for 10.0.2.15".into());
        }
    }
    let up_after = start.elapsed();
    // 2-4. A ping, then each kind of hostile frames and a ping after it.
    ping(&wire, 1)?;
    let mut sent = 0;
    for (seq, (kind, frames)) in (2..).zip(hostile()) {
        for chunk in frames.chunks(64) {
            wire.send(chunk)?;
        }
        sent += frames.len();
        ping(&wire, seq).map_err(|e| format!("after {} {kind}: {e}", frames.len()))?;
    }
    // 5. The message the guest waits for, over a TCP connection made by
    // hand: the stack still completes a handshake and delivers data.
    tcp_message(&wire)?;
    Ok(format!(
        "up after {:.1} s, {sent} hostile frames of 8 kinds, a ping answered after each kind, then a TCP connection",
        up_after.as_secs_f64()
    ))
}

fn hostile_frames(kernel: &Path, busybox: &crate::debian::Busybox) -> Result<String, String> {
    let net = Ethernet { ipv4: Ipv4Mode::Static, forwards: Vec::new() };
    let mut image = crate::userland::busybox_image(busybox)?;
    let script = format!(
        "#!/bin/sh\nexport PATH=/bin\nnc -l -p {TCP_PORT} > /tmp/got &\ni=0\n\
         while ! grep -q END /tmp/got 2>/dev/null && [ $i -lt 1500 ]; do sleep 0.2; i=$((i+1)); done\n\
         echo \"@@got $(cat /tmp/got)\"\necho @@end\n"
    );
    image.file("init", script.into_bytes(), 0o755);
    crate::network_services::add(&mut image)?;
    net.add_to(&mut image)?;
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.memory = "256M".into();
    cfg.append = crate::network_services::SERVICES.into();
    cfg.initrd = Some(image.write("net-hostile.cpio")?);
    cfg.extra = vec!["-netdev".into(), format!("socket,id=net0,connect=127.0.0.1:{port}")];
    let mac = GUEST_MAC.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":");
    cfg.extra.extend(crate::qemu::net_device_args("net0", &mac));
    let host = std::thread::spawn(move || host_side(listener));
    let boot = harness::boot(kernel, &cfg, Duration::from_secs(400))?;
    let host = host.join().unwrap_or_else(|_| Err("the host side panicked".into()));
    let fail = |why: String| {
        let saved = boot.save().map_or(String::new(), |p| format!(" (whole log: {})", p.display()));
        Err(format!("  {why}{saved}; last lines:\n{}", boot.tail(40)))
    };
    if let Some(bug) = harness::kernel_bug(&boot.log) {
        return fail(format!("the kernel logged {bug:?}"));
    }
    for bad in ["KERNEL PANIC", "panicked", "restarting"] {
        if let Some(line) = boot.lines().find(|l| l.contains(bad)) {
            return fail(format!("the serial log says `{line}`"));
        }
    }
    let host = match host {
        Ok(h) => h,
        Err(why) => return fail(format!("host side: {why}")),
    };
    // The runts reached the driver, which dropped them.
    if !boot.log.contains("virtio-net: dropped a received frame of") {
        return fail("the driver never logged dropping a runt: did the frames arrive?".into());
    }
    let got = format!("@@got {}", String::from_utf8_lossy(MESSAGE).trim_end());
    if !boot.lines().any(|l| l.trim_end() == got) || !boot.lines().any(|l| l.trim_end() == "@@end") {
        return fail("the guest's nc did not print the message".into());
    }
    Ok(format!("{host}; the message reached nc ({:.0} s)", boot.elapsed.as_secs_f64()))
}
