//! Port numbers: which local addresses and ports are taken, Linux's
//! SO_REUSEADDR/SO_REUSEPORT rules for sharing them, and ephemeral ports.

use alloc::vec::Vec;

use netproto::{Error, Family, Kind};
use smoltcp::wire::IpAddress;

use crate::socket::Binding;

/// Linux's default ip_local_port_range.
pub(crate) const EPHEMERAL_FIRST: u16 = 32768;
pub(crate) const EPHEMERAL_LAST: u16 = 60999;

/// A socket (or a closing connection) holding a port.
#[derive(Clone, Debug)]
pub(crate) struct PortUser {
    pub kind: Kind,
    pub family: Family,
    pub v6_only: bool,
    pub binding: Binding,
    pub reuse_address: bool,
    pub reuse_port: bool,
    pub listening: bool,
    /// A connection the kernel has closed (FIN-WAIT, TIME-WAIT...).
    pub closing: bool,
}

impl PortUser {
    /// Whether the two sockets' addresses overlap: equal specific
    /// addresses, or a wildcard that covers the other's address family.
    fn overlaps(&self, other: &PortUser) -> bool {
        match (self.binding.addr, other.binding.addr) {
            (Some(a), Some(b)) => a == b,
            (Some(a), None) => other.covers(a),
            (None, Some(b)) => self.covers(b),
            (None, None) => {
                let v4 = |u: &PortUser| u.family == Family::V4 || !u.v6_only;
                let v6 = |u: &PortUser| u.family == Family::V6;
                (v4(self) && v4(other)) || (v6(self) && v6(other))
            }
        }
    }

    /// Whether this wildcard binding takes in `addr`.
    fn covers(&self, addr: IpAddress) -> bool {
        crate::endpoint::family_carries(self.family, self.v6_only, addr)
    }

    /// Linux's rules: SO_REUSEPORT on both shares the port; SO_REUSEADDR on
    /// the new socket passes closing connections, and on both sockets
    /// passes anything but a listener.
    fn blocks(&self, new: &PortUser) -> bool {
        if self.kind != new.kind || self.binding.port != new.binding.port || !self.overlaps(new) {
            return false;
        }
        if self.reuse_port && new.reuse_port {
            return false;
        }
        if self.closing {
            return !new.reuse_address;
        }
        if self.kind == Kind::Datagram {
            return !(self.reuse_address && new.reuse_address);
        }
        !(self.reuse_address && new.reuse_address && !self.listening)
    }
}

/// Checks `new` against every holder: AddressInUse if one blocks it.
pub(crate) fn check(users: &[PortUser], new: &PortUser) -> Result<(), Error> {
    if users.iter().any(|u| u.blocks(new)) {
        Err(Error::AddressInUse)
    } else {
        Ok(())
    }
}

/// An ephemeral port no socket of `kind` holds, starting the search at
/// `cursor` (which moves on, so ports are not reused at once).
pub(crate) fn ephemeral(users: &[PortUser], kind: Kind, cursor: &mut u16) -> Result<u16, Error> {
    let mut taken: Vec<u16> = users.iter().filter(|u| u.kind == kind).map(|u| u.binding.port).collect();
    taken.sort_unstable();
    let range = u32::from(EPHEMERAL_LAST - EPHEMERAL_FIRST) + 1;
    for _ in 0..range {
        let port = next_ephemeral(cursor);
        if taken.binary_search(&port).is_err() {
            return Ok(port);
        }
    }
    Err(Error::AddressInUse)
}

/// The ephemeral port at `cursor` (a cursor outside the range starts it
/// over), moving the cursor on. The range's ports in order, wrapping.
pub(crate) fn next_ephemeral(cursor: &mut u16) -> u16 {
    let at = *cursor;
    *cursor = if (EPHEMERAL_FIRST..EPHEMERAL_LAST).contains(&at) { at + 1 } else { EPHEMERAL_FIRST };
    if (EPHEMERAL_FIRST..=EPHEMERAL_LAST).contains(&at) {
        at
    } else {
        next_ephemeral(cursor)
    }
}
