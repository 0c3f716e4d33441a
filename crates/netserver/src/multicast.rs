//! Multicast group membership (IP_ADD_MEMBERSHIP, MCAST_JOIN_GROUP,
//! IPV6_ADD_MEMBERSHIP and their leaves).
//!
//! A socket joins a group on one interface; the interface listens to the
//! group (smoltcp then reports it with IGMP or MLD and takes its
//! datagrams) while at least one socket is a member there. Datagrams to
//! a joined group reach every UDP socket bound to their port, as Linux's
//! IP_MULTICAST_ALL default does. Memberships belong to the socket that
//! joined: an accepted connection does not inherit its listener's, and a
//! close leaves them all.

use netproto::{Address, Error, Family};
use smoltcp::wire::IpAddress;

use crate::socket::Socket;
use crate::stack::{Outcome, Stack};

/// Linux's net.ipv4.igmp_max_memberships (one limit serves IPv6 too).
const MAX_PER_SOCKET: usize = 20;

/// One group joined on one interface.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Membership {
    pub iface: usize,
    pub group: IpAddress,
}

fn ip_of(address: &Address) -> IpAddress {
    match *address {
        Address::V4 { addr, .. } => IpAddress::Ipv4(addr.into()),
        Address::V6 { addr, .. } => IpAddress::Ipv6(addr.into()),
    }
}

impl Stack {
    pub(crate) fn membership(
        &mut self,
        socket: &mut Socket,
        group: &Address,
        interface: u32,
        local: Option<&Address>,
        join: bool,
    ) -> Outcome {
        let group = ip_of(group);
        // An IPv4 group on an IPv6 socket is Linux's too (through the
        // IPv4 options); an IPv6 group on an IPv4 socket is not.
        if !group.is_multicast() || (socket.family == Family::V4 && matches!(group, IpAddress::Ipv6(_))) {
            return Error::InvalidArgument.into();
        }
        let iface = match self.membership_interface(group, interface, local) {
            Ok(i) => i,
            Err(e) => return e.into(),
        };
        let wanted = Membership { iface, group };
        let at = socket.memberships.iter().position(|m| *m == wanted);
        match (join, at) {
            (true, Some(_)) => Error::AddressInUse.into(),
            (true, None) if socket.memberships.len() >= MAX_PER_SOCKET => Error::NoBufferSpace.into(),
            (true, None) => match self.listen_to_group(wanted) {
                Ok(()) => {
                    socket.memberships.push(wanted);
                    Outcome::Done
                }
                Err(e) => e.into(),
            },
            (false, None) => Error::AddressNotAvailable.into(),
            (false, Some(i)) => {
                socket.memberships.swap_remove(i);
                self.stop_listening_to_group(wanted);
                Outcome::Done
            }
        }
    }

    /// Leaves every group `socket` joined (it is closing).
    pub(crate) fn leave_all_groups(&mut self, socket: &mut Socket) {
        for m in core::mem::take(&mut socket.memberships) {
            self.stop_listening_to_group(m);
        }
    }

    /// The interface a membership is for: by index (Linux's from 1), by
    /// one of its IPv4 addresses, or the one the route to the group
    /// leaves by. None found: ENODEV, as Linux's ip_mc_find_dev.
    fn membership_interface(&self, group: IpAddress, interface: u32, local: Option<&Address>) -> Result<usize, Error> {
        if interface != 0 {
            let position = interface as usize - 1;
            return if position < self.interfaces.len() { Ok(position) } else { Err(Error::NoDevice) };
        }
        if let Some(local) = local.map(ip_of).filter(|a| !a.is_unspecified()) {
            // Loopback mirrors every local address: the interface that
            // owns it is the last that has it.
            return (0..self.interfaces.len())
                .rev()
                .find(|&i| self.interfaces[i].iface.has_ip_addr(local))
                .ok_or(Error::NoDevice);
        }
        self.route(group).map_err(|_| Error::NoDevice)
    }

    fn listen_to_group(&mut self, m: Membership) -> Result<(), Error> {
        if self.group_members(m) == 0 {
            self.interfaces[m.iface].iface.join_multicast_group(m.group).map_err(|_| Error::NoBufferSpace)?;
        }
        Ok(())
    }

    fn stop_listening_to_group(&mut self, m: Membership) {
        if self.group_members(m) == 0 {
            let _ = self.interfaces[m.iface].iface.leave_multicast_group(m.group);
        }
    }

    /// How many other sockets are members of `m`'s group on its
    /// interface (the socket a request is for is out of the table while
    /// the request runs).
    fn group_members(&self, m: Membership) -> usize {
        self.table.iter().filter(|(_, s)| s.memberships.contains(&m)).count()
    }
}
