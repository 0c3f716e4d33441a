//! ICMP errors about UDP datagrams this machine sent, as a connected UDP
//! socket's error.
//!
//! A datagram to a port nobody listens on is answered with an ICMP "port
//! unreachable" (smoltcp sends one for this machine's own closed ports,
//! other hosts for theirs). Linux gives the error to the socket that sent
//! the datagram if it is connected and the error is fatal (its
//! `icmp_err_convert` and `icmpv6_err_convert` tables; without IP_RECVERR
//! nothing else is reported): the next send or receive fails with it once
//! (ECONNREFUSED for a closed port), and poll shows POLLERR. A resolver
//! trying a name server that is not there learns it at once instead of
//! waiting out its timeout. (Parameter problems, EPROTO on Linux, are not
//! reported.)

use netproto::Error;
use smoltcp::wire::{IpAddress, IpEndpoint};

use crate::socket::Protocol;
use crate::stack::Stack;

const UDP: u8 = 17;
const ICMP_HEADER: usize = 8;

/// The error an ICMP message reports about a UDP datagram this machine
/// sent, if Linux counts it as fatal, with the datagram's source port and
/// its destination. `icmp` starts at the ICMP header; `v6`: ICMPv6.
pub(crate) fn quoted_udp_error(icmp: &[u8], v6: bool) -> Option<(Error, u16, IpEndpoint)> {
    let (&kind, &code) = (icmp.first()?, icmp.get(1)?);
    let quoted = icmp.get(ICMP_HEADER..)?;
    if v6 {
        let error = match (kind, code) {
            (1, 4) => Error::ConnectionRefused,
            // Administratively prohibited, source policy, reject route.
            (1, 1 | 5 | 6) => Error::PermissionDenied,
            _ => return None,
        };
        if quoted.len() < 40 + 8 || quoted[0] >> 4 != 6 || quoted[6] != UDP {
            return None;
        }
        let to: [u8; 16] = quoted[24..40].try_into().ok()?;
        let udp = &quoted[40..];
        let (from_port, to_port) = ports(udp);
        Some((error, from_port, IpEndpoint { addr: IpAddress::Ipv6(to.into()), port: to_port }))
    } else {
        let error = match (kind, code) {
            (3, 2) => Error::NoSuchOption,
            (3, 3) => Error::ConnectionRefused,
            (3, 6 | 9) => Error::NetworkUnreachable,
            // Linux says EHOSTDOWN and ENONET for 7 and 8.
            (3, 7 | 8 | 10 | 13 | 14 | 15) => Error::HostUnreachable,
            _ => return None,
        };
        if quoted.len() < 20 || quoted[0] >> 4 != 4 || quoted[9] != UDP {
            return None;
        }
        let header = usize::from(quoted[0] & 0x0f) * 4;
        let udp = quoted.get(header..header.checked_add(8)?)?;
        let to: [u8; 4] = quoted[16..20].try_into().ok()?;
        let (from_port, to_port) = ports(udp);
        Some((error, from_port, IpEndpoint { addr: IpAddress::Ipv4(to.into()), port: to_port }))
    }
}

fn ports(udp: &[u8]) -> (u16, u16) {
    (u16::from_be_bytes([udp[0], udp[1]]), u16::from_be_bytes([udp[2], udp[3]]))
}

impl Stack {
    /// Gives the error an arriving ICMP message reports to the connected
    /// UDP sockets that sent the datagram it quotes (several with
    /// SO_REUSEPORT, as each would have been told).
    pub(crate) fn note_udp_error(&mut self, icmp: &[u8], v6: bool) {
        let Some((error, from_port, to)) = quoted_udp_error(icmp, v6) else { return };
        for slot in 0..self.table.slot_count() {
            let Some((_, socket)) = self.table.at_mut(slot) else { continue };
            let Protocol::Udp(state) = &socket.protocol else { continue };
            let sent_it = socket.binding.is_some_and(|b| b.port == from_port) && state.peer() == Some(to);
            if sent_it {
                socket.pending_error = Some(error);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    /// An ICMPv4 error quoting a UDP datagram from port 4000 to
    /// 127.0.0.1:53.
    fn icmp4(kind: u8, code: u8) -> Vec<u8> {
        let mut m = alloc::vec![kind, code, 0, 0, 0, 0, 0, 0];
        let mut ip = alloc::vec![0x45, 0, 0, 29, 0, 0, 0, 0, 64, UDP, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1];
        m.append(&mut ip);
        m.extend_from_slice(&[0x0f, 0xa0, 0, 53, 0, 9, 0, 0]);
        m
    }

    fn icmp6(kind: u8, code: u8) -> Vec<u8> {
        let mut m = alloc::vec![kind, code, 0, 0, 0, 0, 0, 0];
        let mut ip = alloc::vec![0u8; 40];
        ip[0] = 0x60;
        ip[6] = UDP;
        ip[23] = 1;
        ip[39] = 1;
        m.append(&mut ip);
        m.extend_from_slice(&[0x0f, 0xa0, 0, 53, 0, 9, 0, 0]);
        m
    }

    #[test]
    fn fatal_errors_name_the_datagram_they_quote() {
        let lo4 = IpEndpoint { addr: IpAddress::Ipv4([127, 0, 0, 1].into()), port: 53 };
        assert_eq!(quoted_udp_error(&icmp4(3, 3), false), Some((Error::ConnectionRefused, 4000, lo4)));
        assert_eq!(quoted_udp_error(&icmp4(3, 10), false).map(|e| e.0), Some(Error::HostUnreachable));
        assert_eq!(quoted_udp_error(&icmp4(3, 1), false), None, "host unreachable is not fatal");
        assert_eq!(quoted_udp_error(&icmp4(3, 4), false), None, "fragmentation needed is not fatal");
        assert_eq!(quoted_udp_error(&icmp4(0, 0), false), None, "an echo reply");
        let mut tcp = icmp4(3, 3);
        tcp[8 + 9] = 6;
        assert_eq!(quoted_udp_error(&tcp, false), None, "a quoted TCP segment");
        let lo6 = IpEndpoint { addr: IpAddress::Ipv6(core::net::Ipv6Addr::LOCALHOST), port: 53 };
        assert_eq!(quoted_udp_error(&icmp6(1, 4), true), Some((Error::ConnectionRefused, 4000, lo6)));
        assert_eq!(quoted_udp_error(&icmp6(1, 3), true), None, "address unreachable is not fatal");
        assert_eq!(quoted_udp_error(&icmp6(129, 0), true), None, "an echo reply");
    }

    proptest! {
        /// Any bytes, cut anywhere: an answer, never a panic.
        #[test]
        fn hostile_messages_are_parsed_without_panicking(
            bytes in proptest::collection::vec(any::<u8>(), 0..100),
            kind in prop_oneof![Just(1u8), Just(3), Just(4), Just(12), any::<u8>()],
            v6 in any::<bool>(),
            cut in any::<usize>(),
        ) {
            let mut m = bytes;
            if let Some(k) = m.first_mut() {
                *k = kind;
            }
            let _ = quoted_udp_error(&m, v6);
            let good = if v6 { icmp6(1, 4) } else { icmp4(3, 3) };
            let cut = cut % (good.len() + 1);
            prop_assert_eq!(quoted_udp_error(&good[..cut], v6).is_some(), cut == good.len());
        }
    }
}
