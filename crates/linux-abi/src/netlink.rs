//! Netlink socket addresses (`struct sockaddr_nl`) and the numbers of
//! `AF_NETLINK` sockets: protocols and the `SOL_NETLINK` level.
//!
//! `struct sockaddr_nl` is 12 bytes: `nl_family` (u16), a u16 of padding,
//! `nl_pid` (u32: the port id, 0 for the kernel) and `nl_groups` (u32: a
//! bitmask of multicast groups 1-32), in the machine's byte order.

use crate::socket::AF_NETLINK;
use crate::wire::{get_u16, get_u32};

/// `sizeof(struct sockaddr_nl)`.
pub const SOCKADDR_NL_SIZE: usize = 12;

/// The routing protocol (`ip`, `getifaddrs`, glibc's `__check_pf`).
pub use crate::socket::NETLINK_ROUTE;
/// `MAX_LINKS`: protocols at or above it are no protocol at all.
pub const MAX_LINKS: u32 = 32;
/// The socket-option level of netlink's own options.
pub const SOL_NETLINK: u32 = 270;

/// The `SOL_NETLINK` option that is not a flag: it reads back an array of
/// group bits, not an int.
pub const NETLINK_LIST_MEMBERSHIPS: u32 = 9;

/// A netlink address: port id and multicast groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NetlinkAddr {
    pub pid: u32,
    pub groups: u32,
}

/// Why an address was refused (both are EINVAL on Linux: netlink_bind and
/// netlink_connect check the length, then the family).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetlinkAddrError {
    TooShort,
    WrongFamily,
}

/// Reads a `sockaddr_nl` a program passed (bind, connect, sendto): at
/// least 12 bytes (more are ignored, as Linux ignores them) of family
/// `AF_NETLINK`.
pub fn parse_nl(raw: &[u8]) -> Result<NetlinkAddr, NetlinkAddrError> {
    if raw.len() < SOCKADDR_NL_SIZE {
        return Err(NetlinkAddrError::TooShort);
    }
    if u32::from(get_u16(raw, 0)) != AF_NETLINK {
        return Err(NetlinkAddrError::WrongFamily);
    }
    Ok(NetlinkAddr { pid: get_u32(raw, 4), groups: get_u32(raw, 8) })
}

/// The 12 bytes getsockname, getpeername and recvmsg write.
pub fn encode_nl(a: &NetlinkAddr) -> [u8; SOCKADDR_NL_SIZE] {
    let mut out = [0u8; SOCKADDR_NL_SIZE];
    out[0..2].copy_from_slice(&(AF_NETLINK as u16).to_le_bytes());
    out[4..8].copy_from_slice(&a.pid.to_le_bytes());
    out[8..12].copy_from_slice(&a.groups.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_round_trip_and_short_or_foreign_ones_are_refused() {
        let a = NetlinkAddr { pid: 4242, groups: 0x11 };
        let bytes = encode_nl(&a);
        assert_eq!(parse_nl(&bytes), Ok(a));
        assert_eq!(parse_nl(&bytes[..11]), Err(NetlinkAddrError::TooShort));
        let mut longer = bytes.to_vec();
        longer.extend_from_slice(&[9; 4]);
        assert_eq!(parse_nl(&longer), Ok(a));
        let mut inet = bytes;
        inet[0] = 2;
        assert_eq!(parse_nl(&inet), Err(NetlinkAddrError::WrongFamily));
    }
}
