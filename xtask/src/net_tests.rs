//! The network end to end: the user-space virtio-net driver and its test
//! client `netcheck` (`user/manifests/net.manifest`) exchange real
//! Ethernet frames with this test, which is QEMU's network backend's peer.
//!
//! The test listens on 127.0.0.1:<free port>; QEMU connects to it with
//! `-netdev socket,connect=...` (each frame on the stream is a 4-byte
//! big-endian length and the frame). The test reads the frames the guest
//! sends and checks every byte, the UDP and TCP checksums of those it
//! marked CHECKSUM_NEEDED included (the driver filled them in); then sends
//! the guest its 20 known frames, hostile ones (runts of 1 to 13 bytes, a
//! bare 14-byte Ethernet header, frames of random bytes, a 9000-byte frame
//! QEMU drops for want of a large enough buffer), a burst of 1000 frames
//! written at once, faster than the guest drains them, and a final frame.
//! netcheck must receive the known, burst and final frames intact and in
//! order, and say `netcheck: ok`; the kernel must log no panic. Before
//! all that, netcheck's first life attaches and ends as if it crashed; the
//! driver must notice and let the restarted netcheck attach. virtio-blk
//! runs beside it with an idle disk: both drivers scan PCI configuration
//! space at the same time, and each must find its own device and bind its
//! own interrupt line.
//!
//! Nothing waits on a clock: the guest and the test answer each other's
//! frames, and the stream's flow control paces the burst.

use crate::harness::{self, Outcome};
use crate::qemu::MachineConfig;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

const BOOT_TIMEOUT: Duration = Duration::from_secs(300);
/// The idle disk beside the network card (1 MiB).
const DISK_SECTORS: usize = 2048;
/// The guest's address (`-device virtio-net-pci,mac=...`).
pub const GUEST_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];

/// The frames of `user/netcheck/src/frames.rs`, made the same way here.
pub(crate) mod frames {
    pub const ETHERTYPE_TEST: u16 = 0x88b5;
    pub const MAGIC: &[u8; 4] = b"HNET";
    pub const HOST_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x01];
    pub const BROADCAST: [u8; 6] = [0xff; 6];
    pub const KIND_GUEST: u8 = b'G';
    pub const KIND_UDP4: u8 = b'U';
    pub const KIND_TCP6: u8 = b'T';
    pub const KIND_HOST: u8 = b'H';
    pub const KIND_BURST: u8 = b'B';
    pub const KIND_FINAL: u8 = b'F';
    pub const GUEST_FRAMES: u32 = 20;
    pub const OFFLOADED_FRAMES: u32 = 2;
    pub const HOST_FRAMES: u32 = 20;
    pub const BURST_FRAMES: u32 = 1000;

    pub fn fnv1a(bytes: &[u8]) -> u32 {
        bytes.iter().fold(0x811c_9dc5u32, |h, &b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
    }

    pub fn test_frame_len(kind: u8, index: u32) -> usize {
        match index {
            0 => 60,
            1 => 1514,
            i => 60 + ((i as usize) * 73 + usize::from(kind) * 11) % 1455,
        }
    }

    pub fn test_frame(kind: u8, index: u32, dst: [u8; 6], src: [u8; 6]) -> Vec<u8> {
        let len = test_frame_len(kind, index);
        let mut f = Vec::with_capacity(len);
        f.extend_from_slice(&dst);
        f.extend_from_slice(&src);
        f.extend_from_slice(&ETHERTYPE_TEST.to_be_bytes());
        f.extend_from_slice(MAGIC);
        f.push(kind);
        f.extend_from_slice(&index.to_be_bytes());
        f.extend_from_slice(&(len as u16).to_be_bytes());
        for j in f.len()..len - 4 {
            f.push((index as usize * 31 + j * 7 + usize::from(kind)) as u8);
        }
        let hash = fnv1a(&f[14..]);
        f.extend_from_slice(&hash.to_be_bytes());
        f
    }

    fn payload(kind: u8, index: u32, len: usize) -> impl Iterator<Item = u8> {
        (0..len).map(move |j| (j * 13 + index as usize * 5 + usize::from(kind)) as u8)
    }

    pub fn offloaded_payload(kind: u8, index: u32) -> usize {
        match (kind, index) {
            (KIND_UDP4, 0) => 100,
            (KIND_UDP4, _) => 1500 - 20 - 8,
            (_, 0) => 200,
            _ => 1500 - 40 - 20,
        }
    }

    /// The 16-bit one's complement sum of `bytes` added to `sum`.
    pub fn sum16(mut sum: u64, bytes: &[u8]) -> u64 {
        for w in bytes.chunks(2) {
            sum += u64::from(u16::from_be_bytes([w[0], *w.get(1).unwrap_or(&0)]));
        }
        sum
    }

    pub fn fold(mut sum: u64) -> u16 {
        while sum > 0xffff {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        sum as u16
    }

    pub fn udp4_frame(index: u32, src: [u8; 6]) -> Vec<u8> {
        let data = offloaded_payload(KIND_UDP4, index);
        let mut f = Vec::new();
        f.extend_from_slice(&BROADCAST);
        f.extend_from_slice(&src);
        f.extend_from_slice(&0x0800u16.to_be_bytes());
        let total = (20 + 8 + data) as u16;
        let mut ip = [0u8; 20];
        ip[0] = 0x45;
        ip[2..4].copy_from_slice(&total.to_be_bytes());
        ip[4..6].copy_from_slice(&(0x1000 + index as u16).to_be_bytes());
        ip[6] = 0x40;
        ip[8] = 64;
        ip[9] = 17;
        ip[12..16].copy_from_slice(&[10, 0, 2, 15]);
        ip[16..20].copy_from_slice(&[10, 0, 2, 2]);
        let sum = !fold(sum16(0, &ip));
        ip[10..12].copy_from_slice(&sum.to_be_bytes());
        f.extend_from_slice(&ip);
        f.extend_from_slice(&40000u16.to_be_bytes());
        f.extend_from_slice(&7u16.to_be_bytes());
        f.extend_from_slice(&((8 + data) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 0]);
        f.extend(payload(KIND_UDP4, index, data));
        f
    }

    pub fn tcp6_frame(index: u32, src: [u8; 6]) -> Vec<u8> {
        let data = offloaded_payload(KIND_TCP6, index);
        let mut f = Vec::new();
        f.extend_from_slice(&BROADCAST);
        f.extend_from_slice(&src);
        f.extend_from_slice(&0x86ddu16.to_be_bytes());
        f.extend_from_slice(&[0x60, 0, 0, 0]);
        f.extend_from_slice(&((20 + data) as u16).to_be_bytes());
        f.push(6);
        f.push(64);
        f.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0, 0xff, 0xfe, 0x12, 0x34, 0x56]);
        f.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
        f.extend_from_slice(&40001u16.to_be_bytes());
        f.extend_from_slice(&7u16.to_be_bytes());
        f.extend_from_slice(&(0x1000_0000 + index).to_be_bytes());
        f.extend_from_slice(&0u32.to_be_bytes());
        f.push(5 << 4);
        f.push(0x18);
        f.extend_from_slice(&65535u16.to_be_bytes());
        f.extend_from_slice(&[0, 0, 0, 0]);
        f.extend(payload(KIND_TCP6, index, data));
        f
    }
}

use frames::*;

/// Where a TCP or UDP checksum goes in an IPv4/IPv6 frame, and whether
/// the segment with its pseudo-header sums to all ones (it is valid).
fn transport_checksum(frame: &[u8]) -> Result<(usize, bool), String> {
    let (start, len, proto, pseudo) = match u16::from_be_bytes([frame[12], frame[13]]) {
        0x0800 => {
            let ihl = usize::from(frame[14] & 0xf) * 4;
            let total = usize::from(u16::from_be_bytes([frame[16], frame[17]]));
            let proto = frame[23];
            let len = total - ihl;
            (14 + ihl, len, proto, sum16(0, &frame[26..34]) + u64::from(proto) + len as u64)
        }
        0x86dd => {
            let len = usize::from(u16::from_be_bytes([frame[18], frame[19]]));
            let proto = frame[20];
            (54, len, proto, sum16(0, &frame[22..54]) + u64::from(proto) + len as u64)
        }
        other => return Err(format!("ethertype {other:#06x} is neither IPv4 nor IPv6")),
    };
    let field = start + if proto == 6 { 16 } else { 6 };
    let segment = frame.get(start..start + len).ok_or("the segment runs past the frame")?;
    Ok((field, fold(sum16(pseudo, segment)) == 0xffff))
}

/// What an offloaded frame must be once its checksum is filled in.
fn with_checksum(mut frame: Vec<u8>) -> Vec<u8> {
    let (field, _) = transport_checksum(&frame).expect("a frame this test made");
    frame[field..field + 2].copy_from_slice(&[0, 0]);
    let is_udp = frame.get(23) == Some(&17) && frame[12..14] == [0x08, 0x00];
    let start = if frame[12..14] == [0x08, 0x00] { 34 } else { 54 };
    let (len, pseudo) = if frame[12..14] == [0x08, 0x00] {
        let len = usize::from(u16::from_be_bytes([frame[16], frame[17]])) - 20;
        (len, sum16(0, &frame[26..34]) + u64::from(frame[23]) + len as u64)
    } else {
        let len = usize::from(u16::from_be_bytes([frame[18], frame[19]]));
        (len, sum16(0, &frame[22..54]) + u64::from(frame[20]) + len as u64)
    };
    let mut sum = !fold(sum16(pseudo, &frame[start..start + len]));
    if is_udp && sum == 0 {
        sum = 0xffff;
    }
    frame[field..field + 2].copy_from_slice(&sum.to_be_bytes());
    frame
}

/// The frames the guest sends, in order, as they must arrive.
fn expected_from_guest() -> Vec<(String, Vec<u8>, bool)> {
    let mut frames: Vec<(String, Vec<u8>, bool)> = (0..GUEST_FRAMES)
        .map(|i| (format!("test frame G{i}"), test_frame(KIND_GUEST, i, BROADCAST, GUEST_MAC), false))
        .collect();
    for i in 0..OFFLOADED_FRAMES {
        frames.push((format!("UDP/IPv4 frame {i}"), with_checksum(udp4_frame(i, GUEST_MAC)), true));
    }
    for i in 0..OFFLOADED_FRAMES {
        frames.push((format!("TCP/IPv6 frame {i}"), with_checksum(tcp6_frame(i, GUEST_MAC)), true));
    }
    frames
}

/// A small deterministic generator for the random frames (xorshift64*).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// The hostile frames, between the known ones and the burst. None is a
/// test frame: byte 12 (the ethertype's high byte) of the random ones is
/// never 0x88.
fn hostile_frames() -> Vec<Vec<u8>> {
    let mut r = Random(0x6e65_745f_7465_7374);
    let mut frames: Vec<Vec<u8>> = (1..=13).map(|n| r.bytes(n)).collect();
    let mut header_only = GUEST_MAC.to_vec();
    header_only.extend_from_slice(&HOST_MAC);
    header_only.extend_from_slice(&ETHERTYPE_TEST.to_be_bytes());
    frames.push(header_only);
    for _ in 0..20 {
        let len = 15 + (r.next() % 1500) as usize;
        let mut f = r.bytes(len);
        if f[12] == 0x88 {
            f[12] = 0x08;
        }
        frames.push(f);
    }
    let mut oversized = r.bytes(9000);
    oversized[..6].copy_from_slice(&GUEST_MAC);
    oversized[12] = 0x08;
    frames.push(oversized);
    frames
}

pub(crate) fn read_frame(stream: &mut TcpStream) -> Result<Option<Vec<u8>>, String> {
    let mut len = [0u8; 4];
    match stream.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(format!("reading from QEMU: {e}")),
    }
    let len = u32::from_be_bytes(len) as usize;
    if len > 65536 {
        return Err(format!("QEMU framed a {len}-byte frame"));
    }
    let mut frame = vec![0u8; len];
    stream.read_exact(&mut frame).map_err(|e| format!("reading a {len}-byte frame from QEMU: {e}"))?;
    Ok(Some(frame))
}

pub(crate) fn framed(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for f in frames {
        out.extend_from_slice(&(f.len() as u32).to_be_bytes());
        out.extend_from_slice(f);
    }
    out
}

/// The first byte where `got` and `want` differ, for the report.
fn first_difference(got: &[u8], want: &[u8]) -> String {
    let at = got.iter().zip(want).position(|(a, b)| a != b).unwrap_or(got.len().min(want.len()));
    format!("{} bytes, expected {}; first difference at byte {at}", got.len(), want.len())
}

/// The test's side of the wire: checks the guest's frames, sends its own.
/// Returns a summary, or why it failed.
fn host_side(listener: TcpListener) -> Result<String, String> {
    // QEMU connects as it starts; it ends by exiting (EOF), so nothing
    // below waits forever once it has connected.
    let start = Instant::now();
    listener.set_nonblocking(true).map_err(|e| format!("listener: {e}"))?;
    let mut stream = loop {
        match listener.accept() {
            Ok((s, _)) => break s,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if start.elapsed() > BOOT_TIMEOUT {
                    return Err("QEMU never connected to the test's socket".into());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(format!("accept: {e}")),
        }
    };
    stream.set_nonblocking(false).map_err(|e| format!("stream: {e}"))?;
    let mut checked = 0;
    for (name, want, offloaded) in expected_from_guest() {
        let Some(got) = read_frame(&mut stream)? else {
            return Err(format!("the guest sent {checked} frames, then QEMU closed the connection; expected {name}"));
        };
        if offloaded {
            match transport_checksum(&got) {
                Ok((_, true)) => {}
                Ok((field, false)) => {
                    return Err(format!(
                        "{name}: the checksum {:02x}{:02x} the driver filled in is wrong",
                        got[field],
                        got[field + 1]
                    ))
                }
                Err(why) => return Err(format!("{name}: {why}")),
            }
        }
        if got != want {
            return Err(format!("{name} differs: {}", first_difference(&got, &want)));
        }
        checked += 1;
    }
    let known: Vec<Vec<u8>> = (0..HOST_FRAMES).map(|i| test_frame(KIND_HOST, i, GUEST_MAC, HOST_MAC)).collect();
    let hostile = hostile_frames();
    let burst: Vec<Vec<u8>> = (0..BURST_FRAMES).map(|i| test_frame(KIND_BURST, i, GUEST_MAC, HOST_MAC)).collect();
    let last = vec![test_frame(KIND_FINAL, 0, GUEST_MAC, HOST_MAC)];
    for (what, frames) in [("known", &known), ("hostile", &hostile), ("burst", &burst), ("final", &last)] {
        stream.write_all(&framed(frames)).map_err(|e| format!("sending the {what} frames: {e}"))?;
    }
    // Keep the connection until QEMU exits: closing it with the guest's
    // frames unread could reset it before QEMU has read ours.
    let mut extra = 0;
    while read_frame(&mut stream)?.is_some() {
        extra += 1;
    }
    let extra = if extra == 0 { String::new() } else { format!(", then {extra} more") };
    Ok(format!(
        "the guest's {checked} frames intact (4 with checksums the driver filled in){extra}; sent {} known, {} hostile, {} burst frames and a final one",
        known.len(),
        hostile.len(),
        burst.len()
    ))
}

fn tail(log: &str) -> String {
    harness::last_lines(log, 60).iter().map(|l| format!("    | {l}\n")).collect()
}

/// Boots net.manifest with a virtio-net device whose backend is this test.
pub fn run(kernel: &Path) -> Vec<(String, Result<String, String>)> {
    vec![("net::virtio-net-frames".to_string(), frames_test(kernel))]
}

fn frames_test(kernel: &Path) -> Result<String, String> {
    let initrd = crate::native_tests::image("net.manifest", "net.cpio")?;
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let port = listener.local_addr().map_err(|e| format!("{e}"))?.port();
    let mut cfg = MachineConfig::new(crate::cli::Machine::Q35);
    cfg.initrd = Some(initrd);
    cfg.append = "init=/native/init".into();
    cfg.extra = vec!["-netdev".into(), format!("socket,id=net0,connect=127.0.0.1:{port}")];
    let mac = GUEST_MAC.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":");
    cfg.extra.extend(crate::qemu::net_device_args("net0", &mac));
    // A disk too, so virtio-blk starts beside virtio-net: both scan PCI
    // configuration space at once, each on its own interrupt line.
    let dir = crate::root().join("target/native");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let disk = dir.join("net-disk.img");
    std::fs::write(&disk, vec![0u8; DISK_SECTORS * 512]).map_err(|e| format!("{}: {e}", disk.display()))?;
    cfg.disk = Some(disk);
    let host = std::thread::spawn(move || host_side(listener));
    let boot = harness::boot(kernel, &cfg, BOOT_TIMEOUT)?;
    let host = host.join().unwrap_or_else(|_| Err("the host side panicked".into()));
    let saved = boot.save().map_or_else(String::new, |p| format!(" (serial log: {})", p.display()));
    // netcheck's first life ends with the panic exit code on purpose.
    for bad in ["KERNEL PANIC", "panicked", "faulted"] {
        if let Some(line) = boot.lines().find(|l| l.contains(bad) && !l.contains("init: task netcheck panicked")) {
            return Err(format!("  the serial log says `{line}`{saved}\n{}", tail(&boot.log)));
        }
    }
    // Both drivers found their devices and bound their own lines.
    let blk_line = format!("virtio-blk: {DISK_SECTORS} sectors");
    for needed in [blk_line.as_str(), "PCI 00:01.0 1af4:1042", "virtio-net: MAC 52:54:00:12:34:56", "lines [22]"] {
        if !boot.log.contains(needed) {
            return Err(format!("  no `{needed}` in the serial log{saved}\n{}", tail(&boot.log)));
        }
    }
    if let Some(line) = boot.lines().find(|l| l.contains("cannot bind IRQ")) {
        return Err(format!("  {line}{saved}\n{}", tail(&boot.log)));
    }
    // Its second life attached: the driver noticed the first one's end.
    for needed in
        ["init: task netcheck: restarting (1 of 1)", "virtio-net: the client has ended", "netcheck: attached again"]
    {
        if !boot.log.contains(needed) {
            return Err(format!("  no `{needed}` in the serial log{saved}\n{}", tail(&boot.log)));
        }
    }
    let host = host.map_err(|why| format!("  host side: {why}\n{}", tail(&boot.log)))?;
    let ok = boot.lines().find_map(|l| l.find("netcheck: ok ").map(|i| l[i + 10..].to_string()));
    let Some(ok) = ok else {
        return Err(format!("  no `netcheck: ok` line (outcome {:?}); serial log:\n{}", boot.outcome, tail(&boot.log)));
    };
    if boot.outcome != Outcome::Passed {
        return Err(format!(
            "  the machine did not power off cleanly after netcheck ({:?})\n{}",
            boot.outcome,
            tail(&boot.log)
        ));
    }
    // The runts reached the driver, which dropped and logged them.
    if !boot.log.contains("virtio-net: dropped a received frame of") {
        return Err(format!("  the driver never logged dropping a runt{saved}\n{}", tail(&boot.log)));
    }
    Ok(format!("netcheck {ok}; host: {host}{saved}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_have_the_promised_sizes_and_checksums() {
        assert_eq!(test_frame(KIND_HOST, 0, GUEST_MAC, HOST_MAC).len(), 60);
        assert_eq!(test_frame(KIND_HOST, 1, GUEST_MAC, HOST_MAC).len(), 1514);
        assert!((2..2000).all(|i| (60..=1514).contains(&test_frame(KIND_BURST, i, GUEST_MAC, HOST_MAC).len())));
        assert_eq!(udp4_frame(1, GUEST_MAC).len(), 1514);
        assert_eq!(tcp6_frame(1, GUEST_MAC).len(), 1514);
        for (_, frame, offloaded) in expected_from_guest() {
            if offloaded {
                assert_eq!(transport_checksum(&frame).map(|(_, ok)| ok), Ok(true));
                assert_eq!(transport_checksum(&udp4_frame(0, GUEST_MAC)).map(|(_, ok)| ok), Ok(false));
            }
        }
        assert!(hostile_frames().iter().all(|f| f.len() < 14 || f[12..14] != [0x88, 0xb5] || f.len() == 14));
    }
}
