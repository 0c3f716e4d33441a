//! The frames of the network test, as both sides make them: this program
//! and the host (`xtask/src/net_tests.rs`, which must make the same bytes).
//!
//! A test frame: destination, source, ethertype 0x88b5 (IEEE local
//! experimental), then "HNET", its kind (a letter), its index (u32, big
//! endian), its length (u16, big endian), a pattern of the kind and
//! index, and a 32-bit FNV-1a hash of everything after the Ethernet
//! header (big endian). Index 0 of a kind is 60 bytes (Ethernet's
//! minimum), index 1 is 1514 (the largest with a 1500-byte MTU).
//!
//! The offloaded frames (kinds `U` and `T`) are UDP over IPv4 and TCP over
//! IPv6 with their checksum fields left zero (the driver fills them); the
//! host fills them itself and compares.

#![forbid(unsafe_code)]

use alloc::vec::Vec;

pub const ETHERTYPE_TEST: u16 = 0x88b5;
pub const MAGIC: &[u8; 4] = b"HNET";
/// The host's address, the source of its frames.
pub const HOST_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x01];
pub const BROADCAST: [u8; 6] = [0xff; 6];
/// Guest to host: test frames, UDP/IPv4, TCP/IPv6.
pub const KIND_GUEST: u8 = b'G';
pub const KIND_UDP4: u8 = b'U';
pub const KIND_TCP6: u8 = b'T';
/// Host to guest: test frames, the burst, the last frame.
pub const KIND_HOST: u8 = b'H';
pub const KIND_BURST: u8 = b'B';
pub const KIND_FINAL: u8 = b'F';
pub const GUEST_FRAMES: u32 = 20;
pub const OFFLOADED_FRAMES: u32 = 2;
pub const HOST_FRAMES: u32 = 20;
pub const BURST_FRAMES: u32 = 1000;
/// Where the test header's fields are.
const HEADER: usize = 14 + 4 + 1 + 4 + 2;

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

/// Test frame `index` of `kind`, from `src` to `dst`.
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

/// The kind and index a frame claims to be, if it looks like a test frame.
pub fn identify(frame: &[u8]) -> Option<(u8, u32)> {
    if frame.len() < HEADER || frame[12..14] != ETHERTYPE_TEST.to_be_bytes() || &frame[14..18] != MAGIC {
        return None;
    }
    Some((frame[18], u32::from_be_bytes([frame[19], frame[20], frame[21], frame[22]])))
}

fn payload(kind: u8, index: u32, len: usize) -> impl Iterator<Item = u8> {
    (0..len).map(move |j| (j * 13 + index as usize * 5 + usize::from(kind)) as u8)
}

/// IPv4 header checksum (the client's job: only TCP/UDP are offloaded).
fn ipv4_header_checksum(h: &[u8]) -> u16 {
    let mut sum: u32 = h.chunks_exact(2).map(|w| u32::from(u16::from_be_bytes([w[0], w[1]]))).sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// The payload length of offloaded frame `index`: small, then as large as
/// a 1514-byte frame allows.
pub fn offloaded_payload(kind: u8, index: u32) -> usize {
    match (kind, index) {
        (KIND_UDP4, 0) => 100,
        (KIND_UDP4, _) => 1500 - 20 - 8,
        (_, 0) => 200,
        _ => 1500 - 40 - 20,
    }
}

/// UDP over IPv4 (10.0.2.15:40000 -> 10.0.2.2:7), UDP checksum zero.
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
    ip[6] = 0x40; // don't fragment
    ip[8] = 64;
    ip[9] = 17;
    ip[12..16].copy_from_slice(&[10, 0, 2, 15]);
    ip[16..20].copy_from_slice(&[10, 0, 2, 2]);
    let sum = ipv4_header_checksum(&ip);
    ip[10..12].copy_from_slice(&sum.to_be_bytes());
    f.extend_from_slice(&ip);
    f.extend_from_slice(&40000u16.to_be_bytes());
    f.extend_from_slice(&7u16.to_be_bytes());
    f.extend_from_slice(&((8 + data) as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend(payload(KIND_UDP4, index, data));
    f
}

/// TCP over IPv6 (fe80::5054:ff:fe12:3456 port 40001 -> fe80::2 port 7),
/// TCP checksum zero.
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
    f.extend_from_slice(&(0x1000_0000 + index).to_be_bytes()); // sequence
    f.extend_from_slice(&0u32.to_be_bytes()); // acknowledgment
    f.push(5 << 4); // data offset: 5 words
    f.push(0x18); // PSH, ACK
    f.extend_from_slice(&65535u16.to_be_bytes());
    f.extend_from_slice(&[0, 0, 0, 0]); // checksum, urgent pointer
    f.extend(payload(KIND_TCP6, index, data));
    f
}
