//! Which interface traffic takes, and which interfaces a bound socket
//! listens on.
//!
//! Loopback carries everything addressed to this machine, its Ethernet
//! addresses included (as on Linux), so loopback is given those addresses
//! too; everything else leaves by the first Ethernet interface with a
//! route.

use alloc::vec::Vec;

use netproto::Error;
use smoltcp::wire::{IpAddress, IpCidr};

use crate::endpoint;
use crate::stack::Stack;

impl Stack {
    /// Whether `ip` is one of this machine's addresses.
    pub(crate) fn is_local(&self, ip: IpAddress) -> bool {
        self.interfaces.iter().any(|i| i.iface.has_ip_addr(ip))
    }

    /// The interface traffic to `dst` leaves by: loopback for this
    /// machine's own addresses, else the first interface with a route.
    pub(crate) fn route(&self, dst: IpAddress) -> Result<usize, Error> {
        if endpoint::is_loopback(dst) || self.is_local(dst) {
            return Ok(0);
        }
        self.interfaces.iter().position(|i| i.routes_to(dst)).ok_or(Error::NetworkUnreachable)
    }

    /// Interfaces a socket bound to `addr` receives on: all for the
    /// wildcard, else those holding the address (loopback mirrors every
    /// local address, so it is always among them).
    pub(crate) fn interfaces_for(&self, addr: Option<IpAddress>) -> Vec<usize> {
        (0..self.interfaces.len()).filter(|&i| addr.is_none_or(|a| self.interfaces[i].iface.has_ip_addr(a))).collect()
    }

    /// Loopback carries traffic to this machine's own Ethernet addresses
    /// too, as on Linux, so it answers for them.
    pub(crate) fn mirror_local_addresses(&mut self) {
        let mut wanted: Vec<IpCidr> = alloc::vec![
            IpCidr::new(IpAddress::Ipv4(core::net::Ipv4Addr::LOCALHOST), 8),
            IpCidr::new(IpAddress::Ipv6(core::net::Ipv6Addr::LOCALHOST), 128),
        ];
        for iface in &mut self.interfaces[1..] {
            iface.addresses_changed = false;
            for cidr in iface.iface.ip_addrs() {
                let host = match cidr.address() {
                    IpAddress::Ipv4(_) => 32,
                    IpAddress::Ipv6(_) => 128,
                };
                wanted.push(IpCidr::new(cidr.address(), host));
            }
        }
        let lo = &mut self.interfaces[0].iface;
        if lo.ip_addrs() != &wanted[..] {
            lo.update_ip_addrs(|addrs| {
                addrs.clear();
                for cidr in wanted {
                    let _ = addrs.push(cidr);
                }
            });
        }
    }

    /// The source address for traffic to `dst` from a socket bound to
    /// `bound`: the bound address, or, to one of this machine's own
    /// non-loopback addresses, that address (as Linux picks), or None for
    /// smoltcp to choose by the outgoing interface.
    pub(crate) fn source_for(&self, bound: Option<IpAddress>, dst: IpAddress) -> Option<IpAddress> {
        bound.or_else(|| (!endpoint::is_loopback(dst) && self.is_local(dst)).then_some(dst))
    }
}
