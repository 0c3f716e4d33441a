//! The TCP checksum of received Ethernet frames, checked here rather than
//! by smoltcp: receiving a stream, smoltcp's 16-bit checksum loop was half
//! the server's time. This sums 32-bit words into a 64-bit accumulator
//! (RFC 1071: the one's-complement sum does not depend on the word size,
//! nor on byte order as long as the result is swapped back), a quarter of
//! the additions.
//!
//! Only TCP is taken over (the bulk of what arrives); smoltcp still checks
//! IP headers, UDP and ICMP. The segment is found exactly as smoltcp's
//! interface finds it, since smoltcp no longer checks what this passes: an
//! IPv4 payload by the header's lengths (fragments included: without
//! reassembly built in, smoltcp takes a fragment's payload as the whole
//! segment, and its checksum then fails here as it did there), an IPv6
//! payload after at most one hop-by-hop header (smoltcp follows no other
//! extension header to TCP). `NotTcp` is anything smoltcp would not hand
//! to TCP: other protocols, and IP headers it refuses. A TCP segment too
//! short for its header, or with a wrong checksum, is `Bad`: the device
//! adapter drops it.

/// What a received frame's TCP checksum says.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A TCP segment with a correct checksum.
    Good,
    /// A TCP segment with a wrong checksum, or lengths that cannot be.
    Bad,
    /// Not a TCP segment smoltcp would take in: left to smoltcp.
    NotTcp,
}

const ETHERNET_HEADER: usize = 14;
const TCP: u8 = 6;
const HOP_BY_HOP: u8 = 0;

/// The verdict on an Ethernet frame.
pub(crate) fn check(frame: &[u8]) -> Verdict {
    match frame.get(12..14) {
        Some([0x08, 0x00]) => check_ipv4(&frame[ETHERNET_HEADER..]),
        Some([0x86, 0xdd]) => check_ipv6(&frame[ETHERNET_HEADER..]),
        _ => Verdict::NotTcp,
    }
}

/// The TCP segment an IP packet carries, found as smoltcp's interface
/// finds it; None for anything smoltcp would not hand to TCP.
pub(crate) fn tcp_segment(packet: &[u8]) -> Option<&[u8]> {
    match packet.first()? >> 4 {
        4 => segment_v4(packet),
        6 => segment_v6(packet),
        _ => None,
    }
}

fn segment_v4(packet: &[u8]) -> Option<&[u8]> {
    if packet.len() < 20 || packet[0] >> 4 != 4 || packet[9] != TCP {
        return None;
    }
    let header = usize::from(packet[0] & 0x0f) * 4;
    let total = usize::from(u16::from_be_bytes([packet[2], packet[3]]));
    if header < 20 || total < header || total > packet.len() {
        // smoltcp refuses the IP header: not ours to judge.
        return None;
    }
    Some(&packet[header..total])
}

fn segment_v6(packet: &[u8]) -> Option<&[u8]> {
    if packet.len() < 40 || packet[0] >> 4 != 6 {
        return None;
    }
    let payload = usize::from(u16::from_be_bytes([packet[4], packet[5]]));
    let end = 40usize.checked_add(payload).filter(|&e| e <= packet.len())?;
    let mut next = packet[6];
    let mut at = 40;
    if next == HOP_BY_HOP {
        // (length + 1) * 8 bytes; smoltcp refuses one that overruns.
        let &[header_next, units] = packet.get(at..at + 2).and_then(|b| <&[u8; 2]>::try_from(b).ok())?;
        at += (usize::from(units) + 1) * 8;
        if at > end {
            return None;
        }
        next = header_next;
    }
    (next == TCP).then(|| &packet[at..end])
}

fn check_ipv4(packet: &[u8]) -> Verdict {
    let Some(segment) = segment_v4(packet) else { return Verdict::NotTcp };
    let mut pseudo = [0u8; 12];
    pseudo[..8].copy_from_slice(&packet[12..20]);
    pseudo[9] = TCP;
    pseudo[10..12].copy_from_slice(&(segment.len() as u16).to_be_bytes());
    verdict(&pseudo, segment)
}

fn check_ipv6(packet: &[u8]) -> Verdict {
    let Some(segment) = segment_v6(packet) else { return Verdict::NotTcp };
    let mut pseudo = [0u8; 40];
    pseudo[..32].copy_from_slice(&packet[8..40]);
    pseudo[32..36].copy_from_slice(&(segment.len() as u32).to_be_bytes());
    pseudo[39] = TCP;
    verdict(&pseudo, segment)
}

fn verdict(pseudo: &[u8], segment: &[u8]) -> Verdict {
    if segment.len() < 20 {
        return Verdict::Bad;
    }
    // A correct checksum makes the sum of everything, itself included,
    // all ones.
    if fold(sum(pseudo).wrapping_add(sum(segment))) == 0xffff {
        Verdict::Good
    } else {
        Verdict::Bad
    }
}

/// The one's-complement sum of `data` as 16-bit words in memory order
/// (native byte order), not yet folded; an odd last byte is padded with a
/// zero, as the checksum's definition pads it.
fn sum(data: &[u8]) -> u64 {
    let mut words = data.chunks_exact(4);
    let mut acc: u64 = 0;
    for w in &mut words {
        acc = acc.wrapping_add(u64::from(u32::from_ne_bytes([w[0], w[1], w[2], w[3]])));
    }
    let rest = words.remainder();
    let mut tail = [0u8; 4];
    tail[..rest.len()].copy_from_slice(rest);
    acc.wrapping_add(u64::from(u32::from_ne_bytes(tail)))
}

/// Folds a sum to 16 bits (end-around carries), back in network order.
fn fold(mut acc: u64) -> u16 {
    while acc >> 16 != 0 {
        acc = (acc & 0xffff) + (acc >> 16);
    }
    u16::from_be(acc as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;
    use smoltcp::phy::ChecksumCapabilities;
    use smoltcp::wire::{
        EthernetAddress, EthernetFrame, EthernetProtocol, EthernetRepr, IpAddress, IpProtocol, Ipv4Address, Ipv4Packet,
        Ipv4Repr, Ipv6Address, Ipv6Packet, Ipv6Repr, TcpControl, TcpPacket, TcpRepr, TcpSeqNumber,
    };

    fn tcp_repr(payload: &[u8]) -> TcpRepr<'_> {
        TcpRepr {
            src_port: 40000,
            dst_port: 80,
            control: TcpControl::Psh,
            seq_number: TcpSeqNumber(0x1234_5678),
            ack_number: Some(TcpSeqNumber(0x0bad_cafe)),
            window_len: 512,
            window_scale: None,
            max_seg_size: None,
            sack_permitted: false,
            sack_ranges: [None; 3],
            timestamp: None,
            payload,
        }
    }

    /// An Ethernet frame of a TCP segment over IPv4 or IPv6 with a correct
    /// checksum, as smoltcp builds it.
    fn frame(v6: bool, payload: &[u8]) -> Vec<u8> {
        let tcp = tcp_repr(payload);
        let caps = ChecksumCapabilities::default();
        let (ethertype, ip_len) = if v6 { (EthernetProtocol::Ipv6, 40) } else { (EthernetProtocol::Ipv4, 20) };
        let eth = EthernetRepr {
            src_addr: EthernetAddress([0x52, 0x54, 0, 0x12, 0x34, 0x56]),
            dst_addr: EthernetAddress([0x52, 0x55, 10, 0, 2, 2]),
            ethertype,
        };
        let mut bytes = vec![0u8; 14 + ip_len + tcp.buffer_len()];
        let mut f = EthernetFrame::new_unchecked(&mut bytes[..]);
        eth.emit(&mut f);
        if v6 {
            let (src, dst) =
                (Ipv6Address::new(0xfe80, 0, 0, 0, 0, 0, 0, 1), Ipv6Address::new(0xfe80, 0, 0, 0, 0, 0, 0, 2));
            let ip = Ipv6Repr {
                src_addr: src,
                dst_addr: dst,
                next_header: IpProtocol::Tcp,
                payload_len: tcp.buffer_len(),
                hop_limit: 64,
            };
            let mut p = Ipv6Packet::new_unchecked(f.payload_mut());
            ip.emit(&mut p);
            let mut t = TcpPacket::new_unchecked(p.payload_mut());
            tcp.emit(&mut t, &IpAddress::Ipv6(src), &IpAddress::Ipv6(dst), &caps);
        } else {
            let (src, dst) = (Ipv4Address::new(10, 0, 2, 2), Ipv4Address::new(10, 0, 2, 15));
            let ip = Ipv4Repr {
                src_addr: src,
                dst_addr: dst,
                next_header: IpProtocol::Tcp,
                payload_len: tcp.buffer_len(),
                hop_limit: 64,
            };
            let mut p = Ipv4Packet::new_unchecked(f.payload_mut());
            ip.emit(&mut p, &caps);
            let mut t = TcpPacket::new_unchecked(p.payload_mut());
            tcp.emit(&mut t, &IpAddress::Ipv4(src), &IpAddress::Ipv4(dst), &caps);
        }
        bytes
    }

    /// smoltcp's own verdict on the same frame, parsed as its interface
    /// parses it (None: it would not take the frame in as a TCP segment
    /// at all).
    fn smoltcp_says(bytes: &[u8]) -> Option<bool> {
        let f = EthernetFrame::new_checked(bytes).ok()?;
        match f.ethertype() {
            EthernetProtocol::Ipv4 => {
                let p = Ipv4Packet::new_checked(f.payload()).ok()?;
                Ipv4Repr::parse(&p, &ChecksumCapabilities::default()).ok()?;
                if p.next_header() != IpProtocol::Tcp {
                    return None;
                }
                let t = TcpPacket::new_checked(p.payload()).ok()?;
                Some(t.verify_checksum(&IpAddress::Ipv4(p.src_addr()), &IpAddress::Ipv4(p.dst_addr())))
            }
            EthernetProtocol::Ipv6 => {
                let p = Ipv6Packet::new_checked(f.payload()).ok()?;
                Ipv6Repr::parse(&p).ok()?;
                if p.next_header() != IpProtocol::Tcp {
                    return None;
                }
                let t = TcpPacket::new_checked(p.payload()).ok()?;
                Some(t.verify_checksum(&IpAddress::Ipv6(p.src_addr()), &IpAddress::Ipv6(p.dst_addr())))
            }
            _ => None,
        }
    }

    #[test]
    fn correct_segments_pass_and_a_flipped_bit_fails() {
        for v6 in [false, true] {
            for len in [0, 1, 2, 3, 5, 1460] {
                let payload: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
                let good = frame(v6, &payload);
                assert_eq!(check(&good), Verdict::Good, "v6 {v6}, {len} bytes");
                let mut bad = good.clone();
                let last = bad.len() - 1;
                bad[last] ^= 0x10;
                assert_eq!(check(&bad), Verdict::Bad, "v6 {v6}, {len} bytes, last byte flipped");
            }
        }
    }

    #[test]
    fn other_protocols_are_left_to_smoltcp_and_fragments_are_not() {
        // smoltcp (no reassembly) takes a fragment's payload as the whole
        // segment: so is it checked here.
        let mut fragment = frame(false, b"hello");
        fragment[14 + 6] |= 0x20; // more fragments
        assert_eq!(check(&fragment), Verdict::Good);
        let mut cut = frame(false, b"hello");
        cut[14 + 3] -= 2; // the IP total length ends the "fragment" early
        assert_eq!(check(&cut), Verdict::Bad);
        let mut udp = frame(false, b"hello");
        udp[14 + 9] = 17;
        assert_eq!(check(&udp), Verdict::NotTcp);
        let mut arp = frame(false, b"hello");
        arp[12..14].copy_from_slice(&[0x08, 0x06]);
        assert_eq!(check(&arp), Verdict::NotTcp);
        assert_eq!(check(&[0u8; 10]), Verdict::NotTcp);
    }

    proptest! {
        /// Whatever smoltcp would take in as a TCP segment, the verdict
        /// agrees with its own checksum check, for correct frames with
        /// random bytes changed (checksum, payload, addresses, lengths).
        #[test]
        fn agrees_with_smoltcp(
            v6 in any::<bool>(),
            payload in proptest::collection::vec(any::<u8>(), 0..200),
            changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        ) {
            let mut bytes = frame(v6, &payload);
            for (at, value) in changes {
                let i = at.index(bytes.len());
                bytes[i] = value;
            }
            let ours = check(&bytes);
            match smoltcp_says(&bytes) {
                Some(true) => prop_assert_eq!(ours, Verdict::Good),
                Some(false) => prop_assert_eq!(ours, Verdict::Bad),
                // smoltcp would drop it before TCP: ours may say anything
                // but must not crash (it never reaches a socket either way).
                None => {}
            }
        }

        /// Random bytes and cut frames never panic.
        #[test]
        fn random_frames_do_not_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200), v6 in any::<bool>(), cut in any::<prop::sample::Index>()) {
            let _ = check(&bytes);
            let f = frame(v6, &bytes);
            let _ = check(&f[..cut.index(f.len() + 1)]);
        }
    }
}
