//! Sockets: address families, types, levels and options, message flags and
//! the structures of `sendmsg`/`recvmsg` (`linux/socket.h`,
//! `asm-generic/socket.h`, `linux/un.h`, `linux/in.h`; x86_64 uses the
//! generic option numbers).

use crate::wire::{get_i32, get_u16, get_u32, get_u64, prefix, put_i32, put_u32, put_u64};

pub const AF_UNSPEC: u32 = 0;
pub const AF_UNIX: u32 = 1;
pub const AF_LOCAL: u32 = AF_UNIX;
pub const AF_INET: u32 = 2;
pub const AF_INET6: u32 = 10;
pub const AF_NETLINK: u32 = 16;
pub const AF_PACKET: u32 = 17;

pub const SOCK_STREAM: u32 = 1;
pub const SOCK_DGRAM: u32 = 2;
pub const SOCK_RAW: u32 = 3;
pub const SOCK_RDM: u32 = 4;
pub const SOCK_SEQPACKET: u32 = 5;
pub const SOCK_DCCP: u32 = 6;
pub const SOCK_PACKET: u32 = 10;
/// The type is the low 4 bits of `socket`'s `type`; the flags sit above.
pub const SOCK_TYPE_MASK: u32 = 0xf;
/// `socket`/`socketpair`/`accept4` flags, equal to the open flags.
pub const SOCK_NONBLOCK: u32 = crate::fcntl::O_NONBLOCK;
pub const SOCK_CLOEXEC: u32 = crate::fcntl::O_CLOEXEC;

pub const SOL_SOCKET: u32 = 1;
pub const IPPROTO_IP: u32 = 0;
pub const IPPROTO_ICMP: u32 = 1;
pub const IPPROTO_TCP: u32 = 6;
pub const IPPROTO_UDP: u32 = 17;
pub const IPPROTO_IPV6: u32 = 41;
pub const IPPROTO_ICMPV6: u32 = 58;
pub const NETLINK_ROUTE: u32 = 0;

pub const SO_DEBUG: u32 = 1;
pub const SO_REUSEADDR: u32 = 2;
pub const SO_TYPE: u32 = 3;
pub const SO_ERROR: u32 = 4;
pub const SO_DONTROUTE: u32 = 5;
pub const SO_BROADCAST: u32 = 6;
pub const SO_SNDBUF: u32 = 7;
pub const SO_RCVBUF: u32 = 8;
pub const SO_KEEPALIVE: u32 = 9;
pub const SO_OOBINLINE: u32 = 10;
pub const SO_NO_CHECK: u32 = 11;
pub const SO_PRIORITY: u32 = 12;
pub const SO_LINGER: u32 = 13;
pub const SO_BSDCOMPAT: u32 = 14;
pub const SO_REUSEPORT: u32 = 15;
pub const SO_PASSCRED: u32 = 16;
/// The peer's `struct ucred` on a Unix socket.
pub const SO_PEERCRED: u32 = 17;
pub const SO_RCVLOWAT: u32 = 18;
pub const SO_SNDLOWAT: u32 = 19;
/// The 64-bit-time variants; on x86_64 the "old" numbers already carry
/// 64-bit `struct timeval`s, and they are what libc uses.
pub const SO_RCVTIMEO_OLD: u32 = 20;
pub const SO_SNDTIMEO_OLD: u32 = 21;
pub const SO_ACCEPTCONN: u32 = 30;
pub const SO_PEERSEC: u32 = 31;
pub const SO_SNDBUFFORCE: u32 = 32;
pub const SO_RCVBUFFORCE: u32 = 33;
pub const SO_PROTOCOL: u32 = 38;
pub const SO_DOMAIN: u32 = 39;

pub const SHUT_RD: u32 = 0;
pub const SHUT_WR: u32 = 1;
pub const SHUT_RDWR: u32 = 2;

pub const MSG_OOB: u32 = 0x1;
pub const MSG_PEEK: u32 = 0x2;
pub const MSG_DONTROUTE: u32 = 0x4;
/// Set in `msg_flags`: control data was truncated.
pub const MSG_CTRUNC: u32 = 0x8;
/// Set in `msg_flags`: the datagram was truncated; as an input flag, return
/// its real length.
pub const MSG_TRUNC: u32 = 0x20;
pub const MSG_DONTWAIT: u32 = 0x40;
pub const MSG_EOR: u32 = 0x80;
pub const MSG_WAITALL: u32 = 0x100;
pub const MSG_ERRQUEUE: u32 = 0x2000;
/// Do not raise SIGPIPE on a broken stream; return EPIPE only.
pub const MSG_NOSIGNAL: u32 = 0x4000;
pub const MSG_MORE: u32 = 0x8000;
/// Set close-on-exec on fds received with `SCM_RIGHTS`.
pub const MSG_CMSG_CLOEXEC: u32 = 0x4000_0000;

/// Control message types at `SOL_SOCKET`.
pub const SCM_RIGHTS: i32 = 1;
pub const SCM_CREDENTIALS: i32 = 2;

/// Most fds one `SCM_RIGHTS` message may carry.
pub const SCM_MAX_FD: usize = 253;

/// Bytes in `sun_path`.
pub const UNIX_PATH_MAX: usize = 108;
/// `sizeof(struct sockaddr_un)`.
pub const SOCKADDR_UN_SIZE: usize = 2 + UNIX_PATH_MAX;
/// `sizeof(struct sockaddr_in)`.
pub const SOCKADDR_IN_SIZE: usize = 16;
/// `sizeof(struct sockaddr_in6)`.
pub const SOCKADDR_IN6_SIZE: usize = 28;
/// `sizeof(struct sockaddr_storage)`.
pub const SOCKADDR_STORAGE_SIZE: usize = 128;

/// `struct msghdr` (56 bytes):
/// `0 msg_name | 8 msg_namelen u32 | 16 msg_iov | 24 msg_iovlen u64 |
/// 32 msg_control | 40 msg_controllen u64 | 48 msg_flags i32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Msghdr {
    pub msg_name: u64,
    pub msg_namelen: u32,
    pub msg_iov: u64,
    pub msg_iovlen: u64,
    pub msg_control: u64,
    pub msg_controllen: u64,
    pub msg_flags: u32,
}

impl Msghdr {
    pub const SIZE: usize = 56;
    pub const OFF_NAMELEN: usize = 8;
    pub const OFF_CONTROLLEN: usize = 40;
    /// `recvmsg` writes back `msg_namelen`, `msg_controllen` and this.
    pub const OFF_FLAGS: usize = 48;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.msg_name);
        put_u32(&mut b, 8, self.msg_namelen);
        put_u64(&mut b, 16, self.msg_iov);
        put_u64(&mut b, 24, self.msg_iovlen);
        put_u64(&mut b, 32, self.msg_control);
        put_u64(&mut b, 40, self.msg_controllen);
        put_u32(&mut b, 48, self.msg_flags);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self {
            msg_name: get_u64(b, 0),
            msg_namelen: get_u32(b, 8),
            msg_iov: get_u64(b, 16),
            msg_iovlen: get_u64(b, 24),
            msg_control: get_u64(b, 32),
            msg_controllen: get_u64(b, 40),
            msg_flags: get_u32(b, 48),
        })
    }
}

/// `struct mmsghdr` of `sendmmsg`/`recvmmsg`: a msghdr, then `msg_len u32`
/// at 56, padded to 64 bytes.
pub const MMSGHDR_SIZE: usize = 64;
pub const MMSGHDR_OFF_LEN: usize = 56;

/// `struct cmsghdr` header (16 bytes): `0 cmsg_len u64 | 8 cmsg_level i32 |
/// 12 cmsg_type i32`, followed by the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cmsghdr {
    /// Header plus data, without trailing padding (`CMSG_LEN`).
    pub cmsg_len: u64,
    pub cmsg_level: i32,
    pub cmsg_type: i32,
}

impl Cmsghdr {
    pub const SIZE: usize = 16;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.cmsg_len);
        put_i32(&mut b, 8, self.cmsg_level);
        put_i32(&mut b, 12, self.cmsg_type);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { cmsg_len: get_u64(b, 0), cmsg_level: get_i32(b, 8), cmsg_type: get_i32(b, 12) })
    }
}

/// `CMSG_ALIGN`: control messages are aligned to `sizeof(long)`.
pub const fn cmsg_align(len: usize) -> usize {
    (len + 7) & !7
}
/// `CMSG_LEN(data_len)`: the `cmsg_len` of a message with `data_len` bytes.
pub const fn cmsg_len(data_len: usize) -> usize {
    Cmsghdr::SIZE + data_len
}
/// `CMSG_SPACE(data_len)`: the buffer space such a message occupies.
pub const fn cmsg_space(data_len: usize) -> usize {
    Cmsghdr::SIZE + cmsg_align(data_len)
}

/// `struct ucred` of `SO_PEERCRED` and `SCM_CREDENTIALS` (12 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ucred {
    pub pid: i32,
    pub uid: u32,
    pub gid: u32,
}

impl Ucred {
    pub const SIZE: usize = 12;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_i32(&mut b, 0, self.pid);
        put_u32(&mut b, 4, self.uid);
        put_u32(&mut b, 8, self.gid);
        b
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let b = prefix::<{ Self::SIZE }>(bytes)?;
        Some(Self { pid: get_i32(b, 0), uid: get_u32(b, 4), gid: get_u32(b, 8) })
    }
}

/// The address family at the start of any `struct sockaddr`.
pub fn sockaddr_family(bytes: &[u8]) -> Option<u16> {
    Some(get_u16(prefix::<2>(bytes)?, 0))
}

/// A Unix socket address as `bind`/`connect` pass it (`addrlen` bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnixAddr<'a> {
    /// `addrlen == 2`: an autobind / unnamed socket.
    Unnamed,
    /// A file system path (without the terminating NUL).
    Path(&'a [u8]),
    /// Linux's abstract namespace: `sun_path[0] == 0`, the name is the rest
    /// of `addrlen` (NULs included, no terminator).
    Abstract(&'a [u8]),
}

/// Decodes a `struct sockaddr_un` of `bytes.len()` == `addrlen` bytes, the
/// way Linux reads it: `None` if too short, too long or not `AF_UNIX`
/// (EINVAL).
pub fn parse_sockaddr_un(bytes: &[u8]) -> Option<UnixAddr<'_>> {
    if bytes.len() < 2 || bytes.len() > SOCKADDR_UN_SIZE || sockaddr_family(bytes)? != AF_UNIX as u16 {
        return None;
    }
    let path = &bytes[2..];
    Some(match path.first() {
        None => UnixAddr::Unnamed,
        Some(0) => UnixAddr::Abstract(&path[1..]),
        Some(_) => UnixAddr::Path(&path[..path.iter().position(|&c| c == 0).unwrap_or(path.len())]),
    })
}

/// The longest address Linux reports for a path name: `sun_path` full
/// (108 bytes, no NUL inside) plus the terminator it adds.
pub const SOCKADDR_UN_MAX_REPORTED: usize = SOCKADDR_UN_SIZE + 1;

/// Why an address given to bind/connect/sendto is refused (EINVAL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadAddress;

/// A `struct sockaddr_un` given to `bind`, as Linux reads it: exactly the
/// family (2 bytes) asks for an automatic abstract name
/// ([`UnixAddr::Unnamed`]); otherwise [`connect_address`]'s rules.
pub fn bind_address(bytes: &[u8]) -> Result<UnixAddr<'_>, BadAddress> {
    if bytes.len() == 2 && sockaddr_family(bytes) == Some(AF_UNIX as u16) {
        return Ok(UnixAddr::Unnamed);
    }
    connect_address(bytes)
}

/// A `struct sockaddr_un` given to `connect`/`sendto` (`unix_validate_addr`
/// and `unix_mkname_bsd`): more than the family, at most 110 bytes, family
/// AF_UNIX; a path ends at its first NUL or at `addrlen`.
pub fn connect_address(bytes: &[u8]) -> Result<UnixAddr<'_>, BadAddress> {
    if bytes.len() <= 2 || bytes.len() > SOCKADDR_UN_SIZE || sockaddr_family(bytes) != Some(AF_UNIX as u16) {
        return Err(BadAddress);
    }
    let path = &bytes[2..];
    Ok(if path[0] == 0 {
        UnixAddr::Abstract(&path[1..])
    } else {
        UnixAddr::Path(&path[..path.iter().position(|&c| c == 0).unwrap_or(path.len())])
    })
}

/// The address as getsockname/getpeername/accept/recvfrom report it: the
/// bytes (up to 111 of them) and the length Linux reports, which for a
/// path counts its terminating NUL.
pub fn encode_address(addr: UnixAddr<'_>) -> ([u8; SOCKADDR_UN_MAX_REPORTED], usize) {
    let mut b = [0u8; SOCKADDR_UN_MAX_REPORTED];
    b[..2].copy_from_slice(&(AF_UNIX as u16).to_le_bytes());
    let len = match addr {
        UnixAddr::Unnamed => 2,
        UnixAddr::Path(p) => {
            let n = p.len().min(UNIX_PATH_MAX);
            b[2..2 + n].copy_from_slice(&p[..n]);
            2 + n + 1
        }
        UnixAddr::Abstract(name) => {
            let n = name.len().min(UNIX_PATH_MAX - 1);
            b[3..3 + n].copy_from_slice(&name[..n]);
            3 + n
        }
    };
    (b, len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cmsg_sizes() {
        // One fd: 16 + 4 = 20 bytes long, 24 bytes of space.
        assert_eq!(cmsg_len(4), 20);
        assert_eq!(cmsg_space(4), 24);
        assert_eq!(cmsg_space(8), 24);
    }

    #[test]
    fn unix_addresses() {
        let mut a = [0u8; 12];
        a[0] = 1;
        a[2..11].copy_from_slice(b"/tmp/sock");
        assert_eq!(parse_sockaddr_un(&a), Some(UnixAddr::Path(b"/tmp/sock")));
        assert_eq!(parse_sockaddr_un(&a[..11]), Some(UnixAddr::Path(b"/tmp/sock")));
        assert_eq!(parse_sockaddr_un(&a[..2]), Some(UnixAddr::Unnamed));
        let abs = [1u8, 0, 0, b'x', 0, b'y'];
        assert_eq!(parse_sockaddr_un(&abs), Some(UnixAddr::Abstract(b"x\0y")));
        assert_eq!(parse_sockaddr_un(&[2, 0, b'/']), None);
        assert_eq!(parse_sockaddr_un(&[1]), None);
        assert_eq!(parse_sockaddr_un(&[1u8; 111]), None);
    }

    #[test]
    fn linux_address_rules() {
        let mut a = [0u8; 111];
        a[0] = 1;
        assert_eq!(bind_address(&a[..2]), Ok(UnixAddr::Unnamed));
        assert_eq!(connect_address(&a[..2]), Err(BadAddress));
        assert_eq!(bind_address(&a[..1]), Err(BadAddress));
        assert_eq!(bind_address(&[2, 0]), Err(BadAddress));
        assert_eq!(connect_address(&a[..3]), Ok(UnixAddr::Abstract(b"")));
        assert_eq!(connect_address(&a[..110]), Ok(UnixAddr::Abstract(&[0u8; 107])));
        assert_eq!(connect_address(&a[..111]), Err(BadAddress));
        a[2..110].fill(b'x');
        assert_eq!(connect_address(&a[..110]), Ok(UnixAddr::Path(&[b'x'; 108])));
        let (b, n) = encode_address(UnixAddr::Path(&[b'x'; 108]));
        assert_eq!((n, b[110]), (111, 0));
        assert_eq!(encode_address(UnixAddr::Path(b"/s")).1, 5);
        assert_eq!(encode_address(UnixAddr::Abstract(b"ab")).1, 5);
        assert_eq!(encode_address(UnixAddr::Unnamed).1, 2);
    }

    proptest! {
        #[test]
        fn addresses_round_trip(raw in proptest::collection::vec(any::<u8>(), 0..120)) {
            let mut bytes = raw.clone();
            if bytes.len() >= 2 { bytes[0] = 1; bytes[1] = 0; }
            if let Ok(a) = connect_address(&bytes) {
                let (enc, n) = encode_address(a);
                prop_assert_eq!(connect_address(&enc[..n.min(SOCKADDR_UN_SIZE)]), Ok(a));
            }
        }
    }

    proptest! {
        #[test]
        fn round_trips(a: u64, n: u32, i: u64, l: u64, c: u64, cl: u64, f: u32, lv: i32, t: i32) {
            let m = Msghdr { msg_name: a, msg_namelen: n, msg_iov: i, msg_iovlen: l, msg_control: c, msg_controllen: cl, msg_flags: f };
            prop_assert_eq!(Msghdr::from_bytes(&m.to_bytes()), Some(m));
            let h = Cmsghdr { cmsg_len: a, cmsg_level: lv, cmsg_type: t };
            prop_assert_eq!(Cmsghdr::from_bytes(&h.to_bytes()), Some(h));
            let u = Ucred { pid: lv, uid: n, gid: f };
            prop_assert_eq!(Ucred::from_bytes(&u.to_bytes()), Some(u));
        }
    }
}
