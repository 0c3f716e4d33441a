//! TCP and UDP checksums (RFC 1071, 793, 768, 8200 8.1) over Ethernet
//! frames: finding the transport header, the pseudo-header's sum, and
//! finishing a checksum in software when the device will not.
//!
//! Frames come from the client (transmit) or the device (receive): every
//! offset is checked against the frame, and a frame that is not plain
//! TCP/UDP over IPv4 or IPv6 (fragments, IPv6 extension headers, lengths
//! that disagree with the frame) is `None`, never an access outside it.

#![forbid(unsafe_code)]

const ETHERTYPE_IPV4: u16 = 0x0800;
const ETHERTYPE_IPV6: u16 = 0x86dd;
const PROTO_TCP: u8 = 6;
const PROTO_UDP: u8 = 17;
const ETHERNET_HEADER: usize = 14;

/// Where a frame's transport checksum goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transport {
    /// The transport header's offset in the frame.
    pub start: usize,
    /// The checksum field's offset from `start` (16 for TCP, 6 for UDP).
    pub offset: usize,
    /// The transport segment's length (header and data).
    pub len: usize,
    /// The pseudo-header's sum, unfolded.
    pub pseudo: u64,
    pub udp: bool,
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// Adds `bytes` as big-endian 16-bit words (an odd last byte padded with
/// zero) to `sum`.
pub fn add(mut sum: u64, bytes: &[u8]) -> u64 {
    let mut words = bytes.chunks_exact(2);
    for w in &mut words {
        sum += u64::from(u16::from_be_bytes([w[0], w[1]]));
    }
    if let [last] = words.remainder() {
        sum += u64::from(*last) << 8;
    }
    sum
}

/// Folds a sum to 16 bits (end-around carry).
pub fn fold(mut sum: u64) -> u16 {
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// The TCP or UDP segment of `frame`, if it is one this module handles.
pub fn locate(frame: &[u8]) -> Option<Transport> {
    let ip = ETHERNET_HEADER;
    let (start, len, proto, pseudo) = match be16(frame, 12)? {
        ETHERTYPE_IPV4 => {
            let version_ihl = *frame.get(ip)?;
            let ihl = usize::from(version_ihl & 0xf) * 4;
            if version_ihl >> 4 != 4 || ihl < 20 {
                return None;
            }
            let total = usize::from(be16(frame, ip + 2)?);
            // More fragments, or not the first: no whole segment here.
            if be16(frame, ip + 6)? & 0x3fff != 0 || total < ihl || ip + total > frame.len() {
                return None;
            }
            let proto = frame[ip + 9];
            let len = total - ihl;
            let pseudo = add(0, &frame[ip + 12..ip + 20]) + u64::from(proto) + len as u64;
            (ip + ihl, len, proto, pseudo)
        }
        ETHERTYPE_IPV6 => {
            if *frame.get(ip)? >> 4 != 6 || ip + 40 > frame.len() {
                return None;
            }
            let len = usize::from(be16(frame, ip + 4)?);
            let proto = frame[ip + 6];
            if ip + 40 + len > frame.len() {
                return None;
            }
            let pseudo = add(0, &frame[ip + 8..ip + 40]) + u64::from(proto) + len as u64;
            (ip + 40, len, proto, pseudo)
        }
        _ => return None,
    };
    let (offset, header, udp) = match proto {
        PROTO_TCP => (16, 20, false),
        PROTO_UDP => (6, 8, true),
        _ => return None,
    };
    (len >= header).then_some(Transport { start, offset, len, pseudo, udp })
}

/// For the device to finish (NEEDS_CSUM): the pseudo-header's folded sum
/// in the checksum field; the device adds the segment and complements.
pub fn prepare_for_device(frame: &mut [u8], t: &Transport) {
    let at = t.start + t.offset;
    frame[at..at + 2].copy_from_slice(&fold(t.pseudo).to_be_bytes());
}

/// The whole checksum, in software.
pub fn fill(frame: &mut [u8], t: &Transport) {
    let at = t.start + t.offset;
    frame[at..at + 2].copy_from_slice(&[0, 0]);
    let mut sum = !fold(add(t.pseudo, &frame[t.start..t.start + t.len]));
    // A UDP checksum of 0 means "none": it is sent as all ones.
    if t.udp && sum == 0 {
        sum = 0xffff;
    }
    frame[at..at + 2].copy_from_slice(&sum.to_be_bytes());
}

/// Finishes a checksum the device left partial on a received frame
/// (NEEDS_CSUM): the field at `start + offset` holds the pseudo-header's
/// sum; the sum of everything from `start` to the frame's end, complemented,
/// goes there. False (and the frame unchanged) if the offsets are outside
/// the frame.
pub fn complete_partial(frame: &mut [u8], start: usize, offset: usize) -> bool {
    let Some(at) = start.checked_add(offset).filter(|&at| at.checked_add(2).is_some_and(|end| end <= frame.len()))
    else {
        return false;
    };
    if start > frame.len() {
        return false;
    }
    let sum = !fold(add(0, &frame[start..]));
    frame[at..at + 2].copy_from_slice(&sum.to_be_bytes());
    true
}
