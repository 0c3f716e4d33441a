//! Connection requests to a listener that cannot take one now.
//!
//! A listener takes connections through a pool of listening smoltcp
//! sockets (listener_pool.rs). When its backlog is reached, or the buffer
//! budget stops the pool from growing, no socket of the pool listens, and
//! smoltcp would answer the next SYN with a reset: the client's connect
//! would fail with ECONNREFUSED. Linux drops a SYN its full accept queue
//! cannot take, and the client retransmits it until the server has
//! accepted and made room (or its connect times out). So does this
//! server: after each polling round the stack tells each interface's link
//! which listeners have no socket listening on it, and the link drops
//! SYNs for them before smoltcp sees them.

use netproto::Family;
use smoltcp::wire::{IpAddress, IpListenEndpoint};

use crate::{endpoint, rx_checksum};

/// A listener with no socket listening on an interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FullListener {
    pub endpoint: IpListenEndpoint,
    pub family: Family,
    pub v6_only: bool,
}

const SYN: u8 = 0x02;
const RST: u8 = 0x04;
const ACK: u8 = 0x10;

/// Whether `packet` (an IP packet) asks one of `full` for a connection: a
/// SYN without ACK or RST, to its port and address, of an IP version it
/// takes.
pub(crate) fn refuses(full: &[FullListener], packet: &[u8]) -> bool {
    if full.is_empty() {
        return false;
    }
    let Some(segment) = rx_checksum::tcp_segment(packet) else { return false };
    let Some(&flags) = segment.get(13) else { return false };
    if flags & (SYN | ACK | RST) != SYN {
        return false;
    }
    let port = u16::from_be_bytes([segment[2], segment[3]]);
    let Some(to) = destination(packet) else { return false };
    full.iter().any(|l| {
        l.endpoint.port == port
            && l.endpoint.addr.is_none_or(|a| a == to)
            && endpoint::family_carries(l.family, l.v6_only, to)
    })
}

/// An IP packet's destination address.
fn destination(packet: &[u8]) -> Option<IpAddress> {
    match packet.first()? >> 4 {
        4 => {
            let b: [u8; 4] = packet.get(16..20)?.try_into().ok()?;
            Some(IpAddress::Ipv4(b.into()))
        }
        6 => {
            let b: [u8; 16] = packet.get(24..40)?.try_into().ok()?;
            Some(IpAddress::Ipv6(b.into()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;
    use smoltcp::phy::ChecksumCapabilities;
    use smoltcp::wire::{IpProtocol, IpRepr, Ipv4Address, Ipv6Address, TcpControl, TcpPacket, TcpRepr, TcpSeqNumber};

    fn segment(control: TcpControl, ack: bool, port: u16) -> TcpRepr<'static> {
        TcpRepr {
            src_port: 40000,
            dst_port: port,
            control,
            seq_number: TcpSeqNumber(1),
            ack_number: ack.then_some(TcpSeqNumber(7)),
            window_len: 1000,
            window_scale: None,
            max_seg_size: None,
            sack_permitted: false,
            sack_ranges: [None, None, None],
            timestamp: None,
            payload: &[],
        }
    }

    /// An IP packet from loopback to `to` carrying `tcp`.
    fn packet(tcp: &TcpRepr, to: IpAddress) -> Vec<u8> {
        let from = match to {
            IpAddress::Ipv4(_) => IpAddress::Ipv4(Ipv4Address::new(127, 0, 0, 1)),
            IpAddress::Ipv6(_) => IpAddress::Ipv6(Ipv6Address::LOCALHOST),
        };
        let ip = IpRepr::new(from, to, IpProtocol::Tcp, tcp.buffer_len(), 64);
        // The IP header's length and its payload's.
        let mut buf = vec![0u8; ip.buffer_len()];
        let caps = ChecksumCapabilities::default();
        ip.emit(&mut buf[..], &caps);
        let header = ip.header_len();
        tcp.emit(&mut TcpPacket::new_unchecked(&mut buf[header..]), &from, &to, &caps);
        buf
    }

    fn v4_packet(tcp: &TcpRepr, to: Ipv4Address) -> Vec<u8> {
        packet(tcp, IpAddress::Ipv4(to))
    }

    fn v6_packet(tcp: &TcpRepr, to: Ipv6Address) -> Vec<u8> {
        packet(tcp, IpAddress::Ipv6(to))
    }

    fn full(addr: Option<IpAddress>, port: u16, family: Family, v6_only: bool) -> FullListener {
        FullListener { endpoint: IpListenEndpoint { addr, port }, family, v6_only }
    }

    #[test]
    fn only_connection_requests_to_a_full_listener_are_refused() {
        let lo = Ipv4Address::new(127, 0, 0, 1);
        let any80 = [full(None, 80, Family::V4, false)];
        let syn = v4_packet(&segment(TcpControl::Syn, false, 80), lo);
        assert!(refuses(&any80, &syn), "a SYN to the port");
        assert!(!refuses(&[], &syn), "no full listener");
        assert!(!refuses(&any80, &v4_packet(&segment(TcpControl::Syn, false, 81), lo)), "another port");
        assert!(!refuses(&any80, &v4_packet(&segment(TcpControl::Syn, true, 80), lo)), "a SYN-ACK");
        assert!(!refuses(&any80, &v4_packet(&segment(TcpControl::None, true, 80), lo)), "an ACK");
        assert!(!refuses(&any80, &v4_packet(&segment(TcpControl::Rst, false, 80), lo)), "a reset");
        let bound = [full(Some(IpAddress::Ipv4(Ipv4Address::new(10, 0, 2, 15))), 80, Family::V4, false)];
        assert!(!refuses(&bound, &syn), "a listener bound to another address");
        let syn6 = v6_packet(&segment(TcpControl::Syn, false, 80), Ipv6Address::LOCALHOST);
        assert!(!refuses(&any80, &syn6), "IPv6 to an IPv4 listener");
        assert!(refuses(&[full(None, 80, Family::V6, false)], &syn6), "IPv6 to an IPv6 listener");
        assert!(refuses(&[full(None, 80, Family::V6, false)], &syn), "IPv4 to a dual-stack listener");
        assert!(!refuses(&[full(None, 80, Family::V6, true)], &syn), "IPv4 to an IPv6-only listener");
    }

    proptest! {
        /// Any bytes, cut anywhere: an answer, never a panic.
        #[test]
        fn hostile_packets_are_judged_without_panicking(
            mut packet in proptest::collection::vec(any::<u8>(), 0..120),
            version in prop_oneof![Just(4u8), Just(6u8), any::<u8>()],
            cut in any::<usize>(),
        ) {
            if let Some(first) = packet.first_mut() {
                *first = (version << 4) | (*first & 0x0f);
            }
            let cut = cut % (packet.len() + 1);
            let all = [full(None, 80, Family::V6, false)];
            let _ = refuses(&all, &packet[..cut]);
            let syn = v4_packet(&segment(TcpControl::Syn, false, 80), Ipv4Address::new(127, 0, 0, 1));
            let cut = cut % (syn.len() + 1);
            // A cut SYN is no segment smoltcp would take: never refused.
            prop_assert_eq!(refuses(&all, &syn[..cut]), cut == syn.len());
        }
    }
}
