//! Multicast group membership options on Internet sockets: the IPv4
//! `ip_mreq`/`ip_mreqn` (IP_ADD/DROP_MEMBERSHIP), IPv6's `ipv6_mreq`
//! (IPV6_ADD/DROP_MEMBERSHIP) and the protocol-independent `group_req`
//! (MCAST_JOIN/LEAVE_GROUP at either level), checked as Linux's
//! ip_sockglue.c and ipv6_sockglue.c check them, then handed to the
//! network server (which answers EADDRINUSE, EADDRNOTAVAIL, ENODEV...).

use kernel_ops::{Error, InetGroup, KResult, KernelOps, SocketSetting};
use linux_abi::inet::*;
use linux_abi::socket::{AF_INET, AF_INET6, IPPROTO_IP, IPPROTO_IPV6};

/// Whether (`level`, `option`) is a membership option.
pub fn is_membership(level: u32, option: u32) -> bool {
    matches!(
        (level, option),
        (IPPROTO_IP, IP_ADD_MEMBERSHIP | IP_DROP_MEMBERSHIP | MCAST_JOIN_GROUP | MCAST_LEAVE_GROUP)
            | (IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP | IPV6_DROP_MEMBERSHIP | MCAST_JOIN_GROUP | MCAST_LEAVE_GROUP)
    )
}

fn u32_at(value: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([value[at], value[at + 1], value[at + 2], value[at + 3]])
}

fn four(value: &[u8], at: usize) -> [u8; 4] {
    [value[at], value[at + 1], value[at + 2], value[at + 3]]
}

fn sixteen(value: &[u8], at: usize) -> [u8; 16] {
    let mut a = [0u8; 16];
    a.copy_from_slice(&value[at..at + 16]);
    a
}

/// The membership setting the option's bytes ask for.
pub fn parse(level: u32, option: u32, stream: bool, value: &[u8]) -> KResult<SocketSetting> {
    let join = matches!(option, IP_ADD_MEMBERSHIP | IPV6_ADD_MEMBERSHIP | MCAST_JOIN_GROUP);
    let (group, interface, local) = match (level, option) {
        (IPPROTO_IP, IP_ADD_MEMBERSHIP | IP_DROP_MEMBERSHIP) => {
            if value.len() < IP_MREQ_SIZE {
                return Err(Error::InvalidArgument);
            }
            // An ip_mreqn when it is long enough to be one.
            let index = if value.len() >= IP_MREQN_SIZE { u32_at(value, 8) } else { 0 };
            (InetGroup::V4(four(value, 0)), index, Some(four(value, 4)).filter(|a| *a != [0; 4]))
        }
        (IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP | IPV6_DROP_MEMBERSHIP) => {
            if value.len() < IPV6_MREQ_SIZE {
                return Err(Error::InvalidArgument);
            }
            // Connection sockets cannot (ipv6_sockglue.c's IS_ICSK check).
            if stream {
                return Err(Error::ProtocolError);
            }
            (InetGroup::V6(sixteen(value, 0)), u32_at(value, 16), None)
        }
        (IPPROTO_IP | IPPROTO_IPV6, MCAST_JOIN_GROUP | MCAST_LEAVE_GROUP) => {
            if value.len() < GROUP_REQ_SIZE {
                return Err(Error::InvalidArgument);
            }
            let family = u32::from(u16::from_le_bytes([value[8], value[9]]));
            let index = u32_at(value, 0);
            match level {
                // sockaddr_in's address at 4, sockaddr_in6's at 8.
                IPPROTO_IP if family == AF_INET => (InetGroup::V4(four(value, 8 + 4)), index, None),
                IPPROTO_IP => return Err(Error::InvalidArgument),
                _ if family == AF_INET6 => (InetGroup::V6(sixteen(value, 8 + 8)), index, None),
                _ => return Err(Error::AddressNotAvailable),
            }
        }
        _ => return Err(Error::NoSuchOption),
    };
    Ok(SocketSetting::Membership { group, interface, local, join })
}

/// setsockopt of a membership option on socket `sock`.
pub fn set(ops: &mut dyn KernelOps, sock: i32, level: u32, option: u32, stream: bool, value: &[u8]) -> KResult<()> {
    let setting = parse(level, option, stream, value)?;
    ops.set_socket_setting(sock, setting)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn group_req(index: u32, family: u32, addr: &[u8]) -> [u8; GROUP_REQ_SIZE] {
        let mut b = [0u8; GROUP_REQ_SIZE];
        b[0..4].copy_from_slice(&index.to_le_bytes());
        b[8..10].copy_from_slice(&(family as u16).to_le_bytes());
        let at = if family == AF_INET { 12 } else { 16 };
        b[at..at + addr.len()].copy_from_slice(addr);
        b
    }

    #[test]
    fn ip_mreq_and_ip_mreqn() {
        let mreq = [224, 0, 0, 251, 10, 0, 2, 15];
        assert_eq!(
            parse(IPPROTO_IP, IP_ADD_MEMBERSHIP, false, &mreq),
            Ok(SocketSetting::Membership {
                group: InetGroup::V4([224, 0, 0, 251]),
                interface: 0,
                local: Some([10, 0, 2, 15]),
                join: true
            })
        );
        let mut mreqn = [0u8; 12];
        mreqn[..4].copy_from_slice(&[239, 1, 2, 3]);
        mreqn[8..].copy_from_slice(&2u32.to_le_bytes());
        assert_eq!(
            parse(IPPROTO_IP, IP_DROP_MEMBERSHIP, true, &mreqn),
            Ok(SocketSetting::Membership {
                group: InetGroup::V4([239, 1, 2, 3]),
                interface: 2,
                local: None,
                join: false
            })
        );
        assert_eq!(parse(IPPROTO_IP, IP_ADD_MEMBERSHIP, false, &mreq[..7]), Err(Error::InvalidArgument));
    }

    #[test]
    fn group_req_at_both_levels() {
        let v4 = group_req(0, AF_INET, &[224, 0, 0, 0]);
        assert_eq!(
            parse(IPPROTO_IP, MCAST_JOIN_GROUP, true, &v4),
            Ok(SocketSetting::Membership {
                group: InetGroup::V4([224, 0, 0, 0]),
                interface: 0,
                local: None,
                join: true
            })
        );
        let mut ff02 = [0u8; 16];
        ff02[0] = 0xff;
        ff02[1] = 2;
        ff02[15] = 0xfb;
        let v6 = group_req(3, AF_INET6, &ff02);
        assert_eq!(
            parse(IPPROTO_IPV6, MCAST_LEAVE_GROUP, false, &v6),
            Ok(SocketSetting::Membership { group: InetGroup::V6(ff02), interface: 3, local: None, join: false })
        );
        // The wrong family: EINVAL at IPPROTO_IP, EADDRNOTAVAIL at IPv6's.
        assert_eq!(parse(IPPROTO_IP, MCAST_JOIN_GROUP, false, &v6), Err(Error::InvalidArgument));
        assert_eq!(parse(IPPROTO_IPV6, MCAST_JOIN_GROUP, false, &v4), Err(Error::AddressNotAvailable));
        assert_eq!(parse(IPPROTO_IP, MCAST_JOIN_GROUP, false, &v4[..GROUP_REQ_SIZE - 1]), Err(Error::InvalidArgument));
    }

    #[test]
    fn ipv6_mreq_refused_to_streams() {
        let mut mreq = [0u8; IPV6_MREQ_SIZE];
        mreq[0] = 0xff;
        mreq[1] = 2;
        mreq[16..].copy_from_slice(&1u32.to_le_bytes());
        assert!(matches!(
            parse(IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, false, &mreq),
            Ok(SocketSetting::Membership { interface: 1, join: true, .. })
        ));
        assert_eq!(parse(IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, true, &mreq), Err(Error::ProtocolError));
        assert_eq!(parse(IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP, false, &mreq[..19]), Err(Error::InvalidArgument));
    }

    #[test]
    fn any_bytes_of_any_length_never_panic() {
        let mut seed = 0x1234_5678_9abc_def0u64;
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            for (level, option) in [
                (IPPROTO_IP, IP_ADD_MEMBERSHIP),
                (IPPROTO_IP, MCAST_LEAVE_GROUP),
                (IPPROTO_IPV6, IPV6_DROP_MEMBERSHIP),
                (IPPROTO_IPV6, MCAST_JOIN_GROUP),
            ] {
                let _ = parse(level, option, len % 2 == 0, &bytes);
            }
        }
    }
}
