//! TCP and UDP checksums (RFC 1071, 793, 768, 8200 8.1) over Ethernet
//! frames: which frames [`CHECKSUM_NEEDED`](super::CHECKSUM_NEEDED)
//! applies to ([`locate`]), the pseudo-header's sum a device that offloads
//! checksums wants, and the whole checksum in software. The driver uses
//! it; a client may, to know what it can flag.
//!
//! Frames come from the client (transmit) or the device (receive): every
//! offset is checked against the frame, and a frame that is not plain
//! TCP/UDP over IPv4 or IPv6 (fragments, IPv6 extension headers, lengths
//! that disagree with the frame) is `None`, never an access outside it.

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

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    fn ethernet(ethertype: u16) -> Vec<u8> {
        let mut f = std::vec![0xff; 6];
        f.extend_from_slice(&[2, 0, 0, 0, 0, 1]);
        f.extend_from_slice(&ethertype.to_be_bytes());
        f
    }

    fn udp4(data: usize) -> Vec<u8> {
        let mut f = ethernet(ETHERTYPE_IPV4);
        let total = (20 + 8 + data) as u16;
        f.extend_from_slice(&[0x45, 0]);
        f.extend_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[0, 1, 0x40, 0, 64, PROTO_UDP, 0, 0, 10, 0, 2, 15, 10, 0, 2, 2]);
        f.extend_from_slice(&[0x9c, 0x40, 0, 7]);
        f.extend_from_slice(&((8 + data) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 0]);
        f.extend((0..data).map(|i| (i * 7) as u8));
        f
    }

    fn tcp6(data: usize) -> Vec<u8> {
        let mut f = ethernet(ETHERTYPE_IPV6);
        f.extend_from_slice(&[0x60, 0, 0, 0]);
        f.extend_from_slice(&((20 + data) as u16).to_be_bytes());
        f.extend_from_slice(&[PROTO_TCP, 64]);
        f.extend((0..32).map(|i| i as u8 * 3));
        f.extend_from_slice(&[0x9c, 0x41, 0, 7, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0]);
        f.extend((0..data).map(|i| (i * 11 + 1) as u8));
        f
    }

    /// Whether the segment with its pseudo-header sums to all ones.
    fn valid(frame: &[u8]) -> bool {
        let t = locate(frame).expect("a TCP or UDP frame");
        fold(add(t.pseudo, &frame[t.start..t.start + t.len])) == 0xffff
    }

    #[test]
    fn software_checksums_verify() {
        for mut f in [udp4(0), udp4(1), udp4(1472), tcp6(0), tcp6(1), tcp6(1440)] {
            let t = locate(&f).unwrap();
            fill(&mut f, &t);
            assert!(valid(&f));
        }
    }

    #[test]
    fn device_and_receive_completion_agree_with_software() {
        for f in [udp4(5), udp4(1000), tcp6(7), tcp6(1440)] {
            let t = locate(&f).unwrap();
            let mut soft = f.clone();
            fill(&mut soft, &t);
            // What the device does with NEEDS_CSUM, and what the driver
            // does with a received frame the device left partial.
            let mut partial = f.clone();
            prepare_for_device(&mut partial, &t);
            assert!(complete_partial(&mut partial, t.start, t.offset));
            assert_eq!(partial, soft);
        }
    }

    #[test]
    fn frames_not_handled_are_none() {
        let good = udp4(100);
        // Truncated anywhere: no panic, and no segment past the end.
        for n in 0..good.len() {
            assert!(locate(&good[..n]).is_none(), "{n} bytes");
        }
        let mut fragment = good.clone();
        fragment[14 + 6] = 0x20; // more fragments
        assert!(locate(&fragment).is_none());
        let mut too_long = good.clone();
        too_long[14 + 2] = 0xff;
        assert!(locate(&too_long).is_none());
        let mut short_ihl = good.clone();
        short_ihl[14] = 0x44;
        assert!(locate(&short_ihl).is_none());
        let mut extension = tcp6(10);
        extension[14 + 6] = 0; // hop-by-hop options
        assert!(locate(&extension).is_none());
        let mut icmp = good;
        icmp[14 + 9] = 1;
        assert!(locate(&icmp).is_none());
        // Random bytes of every length: no panic.
        let mut x = 0x1234_5678_9abc_def0u64;
        for len in 0..200 {
            let mut f: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            if len > 14 {
                f[12..14].copy_from_slice(&if len % 2 == 0 { ETHERTYPE_IPV4 } else { ETHERTYPE_IPV6 }.to_be_bytes());
                f[14] = if len % 2 == 0 { 0x45 } else { 0x60 };
            }
            if let Some(t) = locate(&f) {
                fill(&mut f, &t);
                assert!(valid(&f));
            }
        }
    }

    #[test]
    fn partial_offsets_outside_the_frame_are_refused() {
        let mut f = udp4(10);
        let before = f.clone();
        let len = f.len();
        assert!(!complete_partial(&mut f, len, 0));
        assert!(!complete_partial(&mut f, len - 1, 0));
        assert!(!complete_partial(&mut f, 34, usize::MAX));
        assert!(!complete_partial(&mut f, usize::MAX, 6));
        assert_eq!(f, before);
    }
}
