//! `struct sockaddr_nl` and how Linux hands out port ids.
//!
//! A netlink socket's address is its port id (`nl_pid`) and the first 32
//! multicast groups it listens to (`nl_groups`, a bitmask: bit `n - 1` is
//! group `n`). The kernel's own port is 0; every request goes there.
//!
//! Port ids: binding with `nl_pid == 0`, or sending before binding, gives
//! the socket the process's pid (its thread-group id) if no socket holds
//! it yet — so a program's first netlink socket usually has its pid, which
//! iproute2 and glibc read back with `getsockname` and then expect in every
//! reply's `nlmsg_pid`. Later sockets of the process get negative numbers
//! (Linux picks a random one below -4096; this table counts down from
//! -4097, which programs cannot tell apart). Binding to an explicit,
//! taken port fails with EADDRINUSE.

use alloc::collections::BTreeSet;

use crate::uapi::errno::{EADDRINUSE, EINVAL};
use crate::uapi::family::AF_NETLINK;
use crate::uapi::netlink::SOCKADDR_NL_LEN;

/// `struct sockaddr_nl` without its padding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SockaddrNl {
    pub pid: u32,
    pub groups: u32,
}

impl SockaddrNl {
    /// Reads an address a program passed to `bind`, `connect` or `sendto`:
    /// at least 12 bytes and `AF_NETLINK`, else EINVAL.
    pub fn parse(bytes: &[u8]) -> Result<SockaddrNl, i32> {
        if bytes.len() < SOCKADDR_NL_LEN {
            return Err(EINVAL);
        }
        if u16::from_ne_bytes([bytes[0], bytes[1]]) != AF_NETLINK {
            return Err(EINVAL);
        }
        let word = |at: usize| u32::from_ne_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        Ok(SockaddrNl { pid: word(4), groups: word(8) })
    }

    /// The 12 bytes `getsockname`, `getpeername` and `recvmsg` write.
    pub fn to_bytes(&self) -> [u8; SOCKADDR_NL_LEN] {
        let mut out = [0u8; SOCKADDR_NL_LEN];
        out[0..2].copy_from_slice(&AF_NETLINK.to_ne_bytes());
        out[4..8].copy_from_slice(&self.pid.to_ne_bytes());
        out[8..12].copy_from_slice(&self.groups.to_ne_bytes());
        out
    }

    /// The kernel's address, the source of every reply.
    pub const KERNEL: SockaddrNl = SockaddrNl { pid: 0, groups: 0 };
}

/// The port ids in use by `NETLINK_ROUTE` sockets (one table per protocol
/// and network namespace on Linux; Helctic has one namespace).
#[derive(Clone, Debug, Default)]
pub struct PortTable {
    used: BTreeSet<u32>,
    next_negative: u32,
}

/// The first negative port id handed out after a collision (-4097).
const FIRST_NEGATIVE: i32 = -4097;

impl PortTable {
    pub fn new() -> Self {
        PortTable { used: BTreeSet::new(), next_negative: FIRST_NEGATIVE as u32 }
    }

    /// `netlink_autobind`: the process's pid if free, else the next
    /// negative id that is free.
    pub fn autobind(&mut self, tgid: u32) -> u32 {
        if tgid != 0 && self.used.insert(tgid) {
            return tgid;
        }
        loop {
            let candidate = self.next_negative;
            self.next_negative = self.next_negative.wrapping_sub(1);
            if (candidate as i32) < 0 && self.used.insert(candidate) {
                return candidate;
            }
            if candidate as i32 >= 0 {
                self.next_negative = FIRST_NEGATIVE as u32;
            }
        }
    }

    /// `bind` with a non-zero `nl_pid`.
    pub fn bind(&mut self, pid: u32) -> Result<(), i32> {
        if self.used.insert(pid) {
            Ok(())
        } else {
            Err(EADDRINUSE)
        }
    }

    /// The socket holding `pid` was closed.
    pub fn release(&mut self, pid: u32) {
        self.used.remove(&pid);
    }

    pub fn is_used(&self, pid: u32) -> bool {
        self.used.contains(&pid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_socket_gets_the_pid() {
        let mut t = PortTable::new();
        assert_eq!(t.autobind(42), 42);
        assert_eq!(t.autobind(42) as i32, -4097);
        assert_eq!(t.autobind(42) as i32, -4098);
        t.release(42);
        assert_eq!(t.autobind(42), 42);
        assert_eq!(t.bind(42), Err(EADDRINUSE));
        assert_eq!(t.bind(7), Ok(()));
    }

    #[test]
    fn addresses_round_trip() {
        let a = SockaddrNl { pid: 18068, groups: 0x11 };
        assert_eq!(SockaddrNl::parse(&a.to_bytes()), Ok(a));
        assert_eq!(SockaddrNl::parse(&a.to_bytes()[..11]), Err(EINVAL));
        let mut bad = a.to_bytes();
        bad[0] = 2;
        assert_eq!(SockaddrNl::parse(&bad), Err(EINVAL));
    }
}
