//! Between the protocol's addresses and smoltcp's endpoints, including the
//! IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) through which a dual-stack
//! IPv6 socket talks IPv4.

use core::net::{Ipv4Addr, Ipv6Addr};

use netproto::{Address, Error, Family};
use smoltcp::wire::{IpAddress, IpEndpoint, IpListenEndpoint};

/// An address a socket of `family` named, as smoltcp sees it: `None` is
/// the unspecified address. `v6_only` refuses IPv4-mapped addresses.
pub(crate) fn to_smoltcp(family: Family, v6_only: bool, address: &Address) -> Result<(Option<IpAddress>, u16), Error> {
    match (*address, family) {
        (Address::V4 { addr, port }, Family::V4) => {
            let ip = Ipv4Addr::from(addr);
            Ok((if ip.is_unspecified() { None } else { Some(IpAddress::Ipv4(ip)) }, port))
        }
        (Address::V6 { addr, port, .. }, Family::V6) => {
            let ip = Ipv6Addr::from(addr);
            if ip.is_unspecified() {
                return Ok((None, port));
            }
            match ip.to_ipv4_mapped() {
                Some(_) if v6_only => Err(Error::NetworkUnreachable),
                Some(v4) if v4.is_unspecified() => Ok((None, port)),
                Some(v4) => Ok((Some(IpAddress::Ipv4(v4)), port)),
                None => Ok((Some(IpAddress::Ipv6(ip)), port)),
            }
        }
        _ => Err(Error::FamilyNotSupported),
    }
}

/// A listen endpoint as a socket of `family` reports it.
pub(crate) fn listen_to_address(family: Family, endpoint: IpListenEndpoint) -> Address {
    match endpoint.addr {
        Some(addr) => from_smoltcp(family, IpEndpoint { addr, port: endpoint.port }),
        None => Address::unspecified(family, endpoint.port),
    }
}

/// An endpoint as a socket of `family` reports it: IPv4 peers of an IPv6
/// socket appear as IPv4-mapped addresses.
pub(crate) fn from_smoltcp(family: Family, endpoint: IpEndpoint) -> Address {
    let port = endpoint.port;
    match (endpoint.addr, family) {
        (IpAddress::Ipv4(v4), Family::V4) => Address::V4 { addr: v4.octets(), port },
        (IpAddress::Ipv4(v4), Family::V6) => {
            Address::V6 { addr: v4.to_ipv6_mapped().octets(), port, flow_info: 0, scope_id: 0 }
        }
        (IpAddress::Ipv6(v6), _) => Address::V6 { addr: v6.octets(), port, flow_info: 0, scope_id: 0 },
    }
}

/// Whether a socket of `family` (with `v6_only`) may carry traffic to or
/// from `addr`: IPv4 sockets only IPv4, IPv6 sockets IPv6 and (dual-stack)
/// IPv4.
pub(crate) fn family_carries(family: Family, v6_only: bool, addr: IpAddress) -> bool {
    match (family, addr) {
        (Family::V4, IpAddress::Ipv4(_)) => true,
        (Family::V4, IpAddress::Ipv6(_)) => false,
        (Family::V6, IpAddress::Ipv6(_)) => true,
        (Family::V6, IpAddress::Ipv4(_)) => !v6_only,
    }
}

pub(crate) fn is_loopback(addr: IpAddress) -> bool {
    match addr {
        IpAddress::Ipv4(v4) => v4.is_loopback(),
        IpAddress::Ipv6(v6) => v6.is_loopback(),
    }
}
